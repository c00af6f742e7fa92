"""The ``export`` command: what it hands to `creative_map.export` and what it prints.

The first tests replace `export.export` and `export.load_boundary_files` by recorders, so they check the
command alone (the selection, the options, the summary line, refusals before any work). The last ones write
real files through the export package.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import creative_map
from creative_map import export, i18n, types
from creative_map.boundaries import load_boundaries
from creative_map.cli import build_parser, main
from creative_map.query import Filter

from .conftest import collection, make_event


@pytest.fixture
def data(write_json, three_spaces) -> Path:
    """Three spaces in Hoàn Kiếm (a walking street, an art space, a closed gallery) and one event at two."""
    path = write_json(three_spaces)
    write_json(collection(make_event(space_ids=["ho-hoan-kiem", "nha-hat-mua-roi-thang-long"])), "events.geojson")
    return path


@pytest.fixture
def recorded(monkeypatch) -> list[dict[str, Any]]:
    """Replace the export package's calls with recorders; return the list of calls."""
    calls: list[dict[str, Any]] = []

    def fake_export(selection, fmt, path, **options):
        calls.append({"selection": selection, "fmt": fmt, "path": path, **options})
        Path(path).write_text("written", encoding="utf-8")
        return Path(path)

    def fake_boundary_files(files, name_field):
        calls.append({"boundary_files": list(files), "name_field": name_field})
        return {"district": f"layer of {files[0]}"}

    monkeypatch.setattr(export, "export", fake_export, raising=False)
    monkeypatch.setattr(export, "load_boundary_files", fake_boundary_files, raising=False)
    return calls


def test_export_hands_the_selection_and_the_options_on(data, tmp_path, recorded, capsys):
    out = tmp_path / "hk.kml"
    args = ["--data", str(data), "export", "-f", "kml", "-o", str(out), "--district", "hoan kiem"]
    args += ["--category", "art_space,walking_street", "--lang", "en", "--page", "A3", "--date", "2026-11-27"]
    assert main(args) == 0
    (call,) = recorded
    selection = call.pop("selection")
    assert isinstance(selection, creative_map.Selection)
    assert selection.ids == ["ho-hoan-kiem", "nha-hat-mua-roi-thang-long"]
    assert (len(selection), selection.total) == (2, 3)
    assert selection.filter == Filter(districts=("Quận Hoàn Kiếm",), categories=("art_space", "walking_street"))
    assert list(selection.events["id"]) == ["le-hoi"]  # the events beside the data, held at selected spaces
    assert call == {
        "fmt": "kml",
        "path": str(out),
        "boundaries": None,
        "lang": "en",
        "page": "A3",
        "date": dt.date(2026, 11, 27),
        "force": False,
    }
    words = i18n.describe_filter(selection.filter, "en")
    assert words.startswith("District (pre-2025): Quận Hoàn Kiếm; Category: ")
    assert capsys.readouterr().out == f"{out}: 2 of 3 spaces as kml ({words})\n"


def test_export_defaults(data, tmp_path, recorded, capsys):
    out = tmp_path / "all.csv"
    assert main(["export", "--data", str(data), "--format", "csv", "--output", str(out)]) == 0
    (call,) = recorded
    assert (call["lang"], call["page"], call["date"], call["force"]) == ("vi", "A4", None, False)
    assert capsys.readouterr().out == f"{out}: 3 of 3 spaces as csv (all spaces)\n"


def test_export_reads_a_named_events_file(data, write_json, tmp_path, recorded):
    other = write_json(collection(make_event(id="trien-lam", space_ids=["phong-tranh-cu"])), "other.geojson")
    out = tmp_path / "out.gpkg"
    assert main(["export", "--data", str(data), "-f", "gpkg", "-o", str(out), "--events", str(other)]) == 0
    assert list(recorded[0]["selection"].events["id"]) == ["trien-lam"]


def test_export_a_missing_named_events_file_is_an_error(data, tmp_path, recorded, capsys):
    out = tmp_path / "out.gpkg"
    assert main(["export", "--data", str(data), "-f", "gpkg", "-o", str(out), "--events", "no.geojson"]) == 1
    assert "no.geojson" in capsys.readouterr().err and recorded == []


def test_export_loads_the_boundary_files_once_and_passes_them(data, tmp_path, recorded):
    out = tmp_path / "out.gpkg"
    args = ["export", "--data", str(data), "-f", "gpkg", "-o", str(out)]
    assert main([*args, "--boundaries", "a.gpkg", "--boundaries", "b.shp", "--name-field", "TEN"]) == 0
    files_call, export_call = recorded
    assert files_call == {"boundary_files": ["a.gpkg", "b.shp"], "name_field": "TEN"}
    assert export_call["boundaries"] == {"district": "layer of a.gpkg"}


def test_export_refusals_come_before_any_work(data, tmp_path, recorded, capsys):
    out = tmp_path / "out.csv"
    base = ["export", "--data", str(data), "-f", "csv", "-o", str(out)]
    assert main([*base, "--name-field", "TEN"]) == 1
    assert "--name-field needs --boundaries FILE" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:  # a usage error (exit 2) since issue 11
        main([*base, "--district", "hoan kiemm"])
    assert exit_.value.code == 2
    assert "did you mean 'Quận Hoàn Kiếm'" in capsys.readouterr().err
    out.write_text("keep me", encoding="utf-8")
    assert main([*base, "--boundaries", "a.gpkg"]) == 1
    err = capsys.readouterr().err
    assert f"{out} exists; use --force to replace it" in err and "force=True" not in err
    assert recorded == [] and out.read_text(encoding="utf-8") == "keep me"
    assert main([*base, "--force"]) == 0
    assert recorded[0]["force"] is True and out.read_text(encoding="utf-8") == "written"


@pytest.mark.parametrize(
    "bad", [["-f", "docx"], ["-f", "csv", "--lang", "fr"], ["-f", "pdf", "--page", "A5"], ["-f", "csv", "--date", "x"]]
)
def test_export_bad_options_are_usage_errors(data, tmp_path, recorded, bad, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["export", "--data", str(data), "-o", str(tmp_path / "out"), *bad])
    assert exit_.value.code == 2
    assert "usage: creative-map export" in capsys.readouterr().err and recorded == []


def test_export_formats_languages_and_pages_are_the_shared_ones():
    (commands,) = (a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    export_parser = commands.choices["export"]
    choices = {a.dest: tuple(a.choices) for a in export_parser._actions if a.choices}
    assert choices == {"fmt": types.FORMATS, "lang": types.LANGS, "page": types.PAGES}


# --- through the export package ----------------------------------------------------------------------------


def test_export_geojson_writes_what_the_summary_says(data, tmp_path, capsys):
    out = tmp_path / "hk.geojson"
    args = ["--data", str(data), "export", "-f", "geojson", "-o", str(out), "--category", "art_space,other"]
    assert main([*args, "--date", "2026-11-27"]) == 0
    assert capsys.readouterr().out == (
        f"{out}: 2 of 3 spaces as geojson "
        "(Category: Art space, Other creative space (library, gallery, café, co-working))\n"
    )
    ids = sorted(f["id"] for f in json.loads(out.read_text(encoding="utf-8"))["features"])
    assert ids == ["nha-hat-mua-roi-thang-long", "phong-tranh-cu"]


def test_export_csv_replaces_only_with_force(data, tmp_path, capsys):
    out = tmp_path / "out.csv"
    out.write_text("old", encoding="utf-8")
    args = ["--data", str(data), "export", "-f", "csv", "-o", str(out)]
    assert main(args) == 1
    assert "use --force" in capsys.readouterr().err and out.read_text(encoding="utf-8") == "old"
    assert main([*args, "--force", "--lang", "en"]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_recognises_official_boundaries_and_refuses_other_files(data, tmp_path, capsys):
    districts = tmp_path / "official_districts.gpkg"
    load_boundaries("district").drop(columns="approximate").to_crs("EPSG:32648").to_file(districts, driver="GPKG")
    out = tmp_path / "out.gpkg"
    base = ["--data", str(data), "export", "-f", "gpkg", "-o", str(out)]
    assert main([*base, "--boundaries", str(data)]) == 1
    assert "neither the 30 districts nor the 126 units of 2025" in capsys.readouterr().err
    assert not out.exists()
    assert main([*base, "--boundaries", str(districts)]) == 0
    with sqlite3.connect(out) as db:
        assert db.execute("SELECT count(*) FROM districts WHERE approximate = 0").fetchone()[0] == 30
        # the level not given comes from the shipped layer: the real 2025 wards (not approximate)
        assert db.execute("SELECT count(*) FROM wards_2025 WHERE approximate = 0").fetchone()[0] == 126
