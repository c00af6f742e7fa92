"""The planners' notebook runs top to bottom on the shipped data and writes its tables."""

from __future__ import annotations

import csv
import json

import nbformat
import pytest
from nbclient import NotebookClient

from creative_map import load

from .conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "district_coverage.ipynb"


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
    assert "load_spaces" not in code and "filter_spaces" not in code


@pytest.mark.notebook
def test_notebook_runs_and_exports_every_unit(tmp_path, monkeypatch):
    monkeypatch.delenv("CREATIVE_MAP_DATA", raising=False)
    monkeypatch.delenv("MPLBACKEND", raising=False)  # importing streamlit (app tests) sets it to Agg: no inline plots
    monkeypatch.setenv("CREATIVE_MAP_NOTEBOOK_OUT", str(tmp_path))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        nb, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the density map was drawn
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
