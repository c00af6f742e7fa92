"""The planners' notebook runs top to bottom on the shipped data, writes its tables, maps the units on a classed
scale with a legend of the class limits and of the spaces, and exports as README says (``jupyter nbconvert``)."""

from __future__ import annotations

import base64
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from creative_map import analysis, boundaries, classes, i18n, load, select

from .conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "district_coverage.ipynb"

REPORT_FIGURE = """
import json as _json
print("FIGURE " + _json.dumps([
    {
        "title": ax.get_title(),
        "fills": sorted({"#%02x%02x%02x" % tuple(round(255 * c) for c in fc[:3])
                         for fc in ax.collections[0].get_facecolors()}),
        "legend": [text.get_text() for text in ax.get_legend().get_texts()],
        "legend_title": ax.get_legend().get_title().get_text(),
        "dots": len(ax.collections[-1].get_offsets()),
    }
    for ax in fig.axes
]))
"""
"""A cell the test adds (never committed): what the map cell drew, read from its matplotlib figure."""


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    assert all(c.outputs == [] and c.execution_count is None for c in code)


def test_notebook_walks_the_one_way_in():
    """The notebook loads with `creative_map.load`, selects with `creative_map.select` and hands the Selection on."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "creative_map.load(" in code and "creative_map.select(" in code
    assert "analysis.unit_statistics(selection," in code and "analysis.gaps(selection," in code
    assert "classes.scheme(" in code  # the map's classed scale comes from the library
    assert "load_spaces" not in code and "filter_spaces" not in code


@pytest.mark.notebook
def test_notebook_runs_and_exports_every_unit(tmp_path, monkeypatch):
    monkeypatch.delenv("CREATIVE_MAP_DATA", raising=False)
    monkeypatch.delenv("MPLBACKEND", raising=False)  # importing streamlit (app tests) sets it to Agg: no inline plots
    monkeypatch.setenv("CREATIVE_MAP_NOTEBOOK_OUT", str(tmp_path))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(REPORT_FIGURE))
    NotebookClient(
        nb, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the density map was drawn
    assert not [o for o in outputs if o.get("name") == "stderr"]  # no warning printed (a log line is one)
    assert (tmp_path / "map_spaces_per_km2.png").read_bytes().startswith(b"\x89PNG")
    report = next(o.text for o in outputs if o.get("text", "").startswith("FIGURE "))
    check_classed_map(json.loads(report.removeprefix("FIGURE ")))
    n_spaces = load().total
    for name, units in (("districts", 30), ("wards_2025", 126)):
        with open(tmp_path / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        assert len(rows) == units
        assert sum(int(r["total"]) for r in rows) == n_spaces
        collection = json.loads((tmp_path / f"{name}_statistics.geojson").read_text(encoding="utf-8"))
        assert len(collection["features"]) == units
        assert {"name", "total", "spaces_per_km2", "approximate"} <= set(collection["features"][0]["properties"])
    with open(tmp_path / "gaps_wards_2025.csv", encoding="utf-8-sig", newline="") as f:
        gaps = list(csv.DictReader(f))
    assert [int(g["rank"]) for g in gaps] == list(range(1, len(gaps) + 1))


def check_classed_map(drawn: list[dict]) -> None:
    """Each map colours its units by the classes of `classes.scheme` (one fill per class: a linear scale would
    give a fill per value), and its legend lists each class's limits and count, then the spaces' dots."""
    selection = select(load())
    assert len(drawn) == 2
    for ax, level in zip(drawn, ("district", "ward_2025"), strict=True):
        table = analysis.unit_statistics(selection, boundaries.load_boundaries(level), level=level)
        scale = classes.scheme(table[analysis.SPACES_PER_KM2], method="quantiles", k=5)
        assert len(scale) == 5, scale  # five classes on the shipped data, at both levels
        assert ax["fills"] == sorted(scale.colours())  # every class used, and nothing else
        expected = [f"{label}  ({n})" for label, n in zip(scale.labels("en"), scale.counts, strict=True)]
        assert ax["legend"] == [*expected, f"{i18n.t('print_spaces', 'en')} ({len(selection)})"]
        assert ax["legend_title"].startswith(analysis.measure_label(analysis.SPACES_PER_KM2, "en"))
        assert ax["dots"] == len(selection)


@pytest.mark.notebook
def test_readme_command_reruns_and_exports_the_notebook_as_html(tmp_path):
    """`jupyter nbconvert --to html --execute` (README) is installed with the dev requirements and works."""
    jupyter = Path(sys.executable).with_name("jupyter")
    assert jupyter.exists(), "jupyter is not installed: requirements-dev.txt pins nbconvert"
    env = {k: v for k, v in os.environ.items() if k not in ("CREATIVE_MAP_DATA", "MPLBACKEND")}
    env["CREATIVE_MAP_NOTEBOOK_OUT"] = str(tmp_path / "files")
    done = subprocess.run(
        [str(jupyter), "nbconvert", "--to", "html", "--execute", str(NOTEBOOK), "--output-dir", str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    page = (tmp_path / "district_coverage.html").read_text(encoding="utf-8")
    assert "Districts (pre-2025): 0 | " in page  # the class limits, printed under the map
    pictures = page.split('src="data:image/png;base64,')[1:]
    assert pictures and base64.b64decode(pictures[0].split('"')[0]).startswith(b"\x89PNG")
    assert (tmp_path / "files" / "wards_2025.csv").exists()
