"""The planner commands: stats, gaps, near, boundaries; and validate's warning on a misplaced space."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import geopandas as gpd
import pytest

from creative_map import admin, boundaries
from creative_map.cli import main

from .conftest import collection, make_space


@pytest.fixture
def data(write_json, three_spaces):
    return str(write_json(three_spaces))


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_stats_by_district_as_csv_lists_every_district(data, tmp_path, capsys):
    out = tmp_path / "stats.csv"
    assert main(["stats", "--data", data, "--by", "district", "-o", str(out)]) == 0
    assert "wrote 30 rows" in capsys.readouterr().out
    rows = read_csv(out)
    assert len(rows) == 30
    assert sum(int(r["total"]) for r in rows) == 3
    hoan_kiem = next(r for r in rows if r["name"] == "Quận Hoàn Kiếm")
    assert (hoan_kiem["total"], hoan_kiem["active"], hoan_kiem["art_space"]) == ("3", "2", "1")
    assert float(hoan_kiem["area_km2"]) > 0


def test_stats_by_ward_as_json_with_a_category_filter(data, capsys):
    assert main(["stats", "--data", data, "--by", "ward", "--category", "art_space", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 126
    assert sum(r["total"] for r in records) == 1
    assert next(r for r in records if r["name"] == "Phường Hoàn Kiếm")["art_space"] == 1
    assert all(r["nearest_active_m"] is None or isinstance(r["nearest_active_m"], int) for r in records)


def test_stats_table_says_the_boundaries_are_approximate(data, capsys):
    assert main(["stats", "--data", data]) == 0
    out = capsys.readouterr().out
    assert "Quận Hoàn Kiếm" in out and "approximate derived boundaries" in out


def test_stats_refuses_to_overwrite_without_force(data, tmp_path, capsys):
    out = tmp_path / "stats.csv"
    out.write_text("keep me", encoding="utf-8")
    assert main(["stats", "--data", data, "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "exists; use --force to replace it" in err and "force=True" not in err
    assert out.read_text(encoding="utf-8") == "keep me"
    assert main(["stats", "--data", data, "-o", str(out), "--force"]) == 0
    assert len(read_csv(out)) == 30


def test_stats_with_an_official_boundary_file(data, tmp_path, capsys):
    layer = boundaries.load_boundaries("district")
    official = tmp_path / "quan_huyen.gpkg"
    short = {d.name: d.short for d in admin.districts()}  # "Hoàn Kiếm", "Sơn Tây"
    frame = gpd.GeoDataFrame({"TEN": [short[n] for n in layer["name"]]}, geometry=layer.geometry)
    frame.set_crs("EPSG:4326").to_crs("EPSG:3405").to_file(official)  # VN-2000 / UTM zone 48N
    assert main(["stats", "--data", data, "--boundaries", str(official), "--name-field", "TEN"]) == 0
    out = capsys.readouterr().out
    assert "Quận Hoàn Kiếm" in out and "approximate" not in out
    assert main(["boundaries", "check", str(official)]) == 0
    assert "valid, 30 district units" in capsys.readouterr().out


def test_a_bad_boundary_file_is_a_message_not_a_traceback(data, tmp_path, capsys):
    bad = tmp_path / "bad.geojson"
    gpd.GeoDataFrame({"ten": ["Hoàn Kiếm"]}, geometry=gpd.points_from_xy([105.85], [21.03]), crs=4326).to_file(bad)
    assert main(["stats", "--data", data, "--boundaries", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "1 feature(s) are not polygons" in err and "Traceback" not in err
    assert main(["stats", "--data", data, "--name-field", "TEN"]) == 1
    assert "--name-field needs --boundaries FILE" in capsys.readouterr().err


def test_gaps_lists_the_units_far_from_any_active_space(data, capsys):
    assert main(["gaps", "--data", data, "--distance", "1000", "--format", "csv"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert len(rows) == 29  # every district but Hoàn Kiếm, whose centre is within 1 km of the lake
    assert "Quận Hoàn Kiếm" not in {r["name"] for r in rows}
    assert [int(r["rank"]) for r in rows] == list(range(1, 30))
    distances = [float(r["nearest_active_m"]) for r in rows]
    assert distances == sorted(distances, reverse=True)
    assert main(["gaps", "--data", data]) == 0
    assert "29 of 30 units have no active space within 1,000 m" in capsys.readouterr().out


def test_near_sorts_by_distance_and_applies_the_filter(data, capsys):
    assert main(["near", "105.8523", "21.0288", "--radius", "800", "--format", "json", "--data", data]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [f["id"] for f in found] == ["ho-hoan-kiem", "nha-hat-mua-roi-thang-long", "phong-tranh-cu"]
    assert found[0]["distance_m"] == 0
    assert main(["near", "105.8523", "21.0288", "--radius", "800", "--status", "closed", "--data", data]) == 0
    out = capsys.readouterr().out
    assert "phong-tranh-cu" in out and "ho-hoan-kiem" not in out


def test_boundaries_build_writes_the_shipped_bytes(tmp_path, capsys):
    # The build takes about 10 s: this one test covers both the command and byte-for-byte determinism.
    assert main(["boundaries", "build", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "districts.geojson" in out and "wards_2025.geojson" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["districts.geojson", "wards_2025.geojson"]  # no leftovers
    for name in boundaries.FILES.values():
        assert (tmp_path / name).read_bytes() == (boundaries.BOUNDARIES_DIR / name).read_bytes()


def test_boundaries_accuracy_prints_the_figures(capsys):
    assert main(["boundaries", "accuracy"]) == 0
    out = capsys.readouterr().out
    error = boundaries.accuracy_table()["error_pct"].abs()
    assert f"median {error.median():.1f} %" in out


def test_validate_warns_with_the_distance_when_the_position_contradicts_the_district(write_json):
    # Văn Miếu lies in Đống Đa: stated in Hoàn Kiếm, it must be flagged (a warning; the file stays valid).
    path = write_json(collection(make_space(105.8363, 21.0291)))
    result = subprocess.run(
        [sys.executable, "-m", "creative_map", "validate", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "field 'district': point (105.83630, 21.02910) lies in Quận Đống Đa" in result.stdout
    assert "m from Quận Hoàn Kiếm: check the position or the district" in result.stdout
    assert "warning(s)" in result.stdout and "0 warning(s)" not in result.stdout


# ------------------------------------------------------------------ on the shipped data: quiet, and 100 columns wide


SHIPPED_COMMANDS = [
    ["stats"],
    ["stats", "--by", "ward"],
    ["gaps"],
    ["gaps", "--by", "ward"],
    ["near", "105.8523", "21.0288"],
    ["near", "105.8523", "21.0288", "--radius", "3000"],
]


@pytest.mark.parametrize("args", SHIPPED_COMMANDS, ids=" ".join)
def test_tables_on_screen_fit_100_columns_and_print_no_warning(args, capsys, monkeypatch):
    monkeypatch.delenv("CREATIVE_MAP_DATA", raising=False)  # the shipped data, with the real 2025 wards
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert err == ""  # no warning about the shipped data (the Tây Phương pagoda's once)
    lines = out.splitlines()
    assert len(lines) > 3 and max(len(line) for line in lines) <= 100, max(lines, key=len)


def test_stats_on_screen_keeps_the_measures_and_says_where_the_rest_is(capsys, monkeypatch):
    monkeypatch.delenv("CREATIVE_MAP_DATA", raising=False)
    assert main(["stats", "--by", "ward"]) == 0
    out = capsys.readouterr().out
    header = out.splitlines()[0].split()
    assert header == ["name", "code", "total", "active", "km2", "per_km2", "500m", "1km", "nearest_m"]
    assert "Phường Văn Miếu - Quốc Tử Giám" in out  # names are not cut
    assert "per-category counts: --wide" in out and "km2 = area_km2" in out
    assert main(["stats", "--wide"]) == 0
    wide = capsys.readouterr().out
    assert {"public_space", "design_centre", "nearest_active_id", "spaces_per_km2"} <= set(wide.splitlines()[0].split())


def test_files_keep_every_column(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CREATIVE_MAP_DATA", raising=False)
    out = tmp_path / "stats.csv"
    assert main(["stats", "--by", "ward", "-o", str(out)]) == 0
    rows = read_csv(out)
    assert len(rows) == 126 and {"public_space", "share_500m", "nearest_active_id"} <= set(rows[0])
    capsys.readouterr()
    assert main(["stats", "--format", "json"]) == 0
    assert "craft_village" in json.loads(capsys.readouterr().out)[0]


def test_every_command_says_force_to_replace_a_file(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CREATIVE_MAP_DATA", raising=False)
    target = tmp_path / "x.csv"
    target.write_text("keep", encoding="utf-8")
    for args in (["stats"], ["gaps"], ["near", "105.85", "21.03"], ["export", "--format", "csv"]):
        assert main([*args, "-o", str(target)]) == 1
        err = capsys.readouterr().err
        assert "use --force to replace it" in err and "force=True" not in err, args
    assert target.read_text(encoding="utf-8") == "keep"
