"""The app's map data as static files, and the short code of which spaces a run shows."""

from __future__ import annotations

import gzip
import json
import os
import random
import time
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from creative_map import Filter, Selection, io, mapfile, mapping, schema
from creative_map.dataset import empty_events


@pytest.fixture
def spaces(three_spaces, write_json) -> gpd.GeoDataFrame:
    return io.load_spaces(write_json(three_spaces))


def test_the_data_file_holds_every_space_by_id_in_neither_language(spaces) -> None:
    file = mapfile.data_file(spaces)
    body = json.loads(file.body)
    assert body["v"] == mapfile.FORMAT and body["n"] == 3
    assert [row[0] for row in body["f"]] == sorted(spaces[schema.ID]) == list(file.ids)
    gallery = next(row for row in body["f"] if row[0] == "phong-tranh-cu")
    assert gallery[1:3] == ["Phòng tranh Cũ", "Old Gallery"]  # both names: one file for both languages
    assert body["f"] == mapping.space_rows(spaces.sort_values(schema.ID))
    assert file.name.startswith("spaces.") and file.name.endswith(".json")


def test_the_name_follows_the_content(spaces) -> None:
    same = mapfile.data_file(spaces.iloc[::-1])  # another order in memory, the same rows
    assert same.name == mapfile.data_file(spaces).name
    changed = spaces.copy()
    changed.loc[0, schema.NAME_VI] = "Đổi tên"
    assert mapfile.data_file(changed).name != same.name


def test_write_puts_both_copies_atomically_and_once(spaces, tmp_path: Path) -> None:
    tmp_path = tmp_path / "cm"
    file = mapfile.data_file(spaces)
    path = mapfile.write(file, tmp_path)
    assert path.read_bytes() == file.body
    gz = (tmp_path / file.gz_name).read_bytes()
    assert gzip.decompress(gz) == file.body and gz[4:8] == b"\0\0\0\0"  # no timestamp: the same bytes each time
    stamp = path.stat().st_mtime_ns
    os.utime(path, ns=(stamp - 10**9, stamp - 10**9))
    mapfile.write(file, tmp_path)
    assert path.read_bytes() == file.body and path.stat().st_mtime_ns > stamp - 10**9  # kept, marked as in use
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([file.name, file.gz_name])  # no leftover


def test_old_versions_are_removed_once_unused(spaces, tmp_path: Path) -> None:
    tmp_path = tmp_path / "cm"
    old = mapfile.data_file(spaces.iloc[:2])
    new = mapfile.data_file(spaces)
    mapfile.write(old, tmp_path)
    mapfile.write(new, tmp_path)
    mapfile.remove_old(tmp_path, keep=[new])
    assert (tmp_path / old.name).exists()  # written lately: another process may still serve it
    day_ago = time.time() - mapfile.KEEP_S - 60
    for name in (old.name, old.gz_name, new.name):
        os.utime(tmp_path / name, (day_ago, day_ago))
    mapfile.remove_old(tmp_path, keep=[new])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([new.name, new.gz_name])


def selection_of(spaces: gpd.GeoDataFrame, ids: list[str]) -> Selection:
    """The spaces of `ids`, as `creative_map.select` hands them on (ordered by id)."""
    chosen = spaces.loc[spaces[schema.ID].isin(ids)].sort_values(schema.ID).reset_index(drop=True)
    return Selection(chosen, empty_events(), Filter(), len(spaces))


@pytest.fixture
def many(tmp_path: Path) -> gpd.GeoDataFrame:
    from benchmarks.synthetic import write_synthetic

    return io.load_spaces(write_synthetic(tmp_path / "s.geojson", 1000))


@pytest.mark.parametrize("share", [0.0, 0.001, 0.05, 0.3, 0.5, 0.9, 1.0])
def test_shown_code_names_exactly_the_selected_rows(many, share: float) -> None:
    file = mapfile.data_file(many)
    rng = random.Random(share)
    ids = [i for i in file.ids if rng.random() < share]
    code = mapfile.shown_code(file, selection_of(many, ids))
    assert [file.ids[i] for i in mapfile.read_shown(code, len(file.ids))] == sorted(ids)
    assert len(code) <= len(file.ids) // 6 + 8  # never more than about one bit per row


def test_shown_code_is_short_for_all_and_for_runs(many) -> None:
    file = mapfile.data_file(many)
    assert mapfile.shown_code(file, selection_of(many, list(file.ids))) == "a"
    run = list(file.ids[100:400])
    code = mapfile.shown_code(file, selection_of(many, run))
    assert code.startswith("r") and len(code) < 12
    assert mapfile.shown_code(file, selection_of(many, [])) == "rrs"  # one hidden run of 1000 (base 36: rs)


def test_shown_code_refuses_a_selection_of_other_data(spaces) -> None:
    file = mapfile.data_file(spaces.iloc[:2])
    with pytest.raises(ValueError, match="another version"):
        mapfile.shown_code(file, selection_of(spaces, list(spaces[schema.ID])))


def test_the_script_decodes_what_python_encodes() -> None:
    """The JavaScript decoder (creativeMap.readShown) and `read_shown` follow the same three forms."""
    script = (Path(mapping.__file__).parent / "resources" / "map" / "creative_map.js").read_text(encoding="utf-8")
    decoder = script[script.index("function readShown(") : script.index("function appLayer(")]
    assert 'code === "a"' in decoder and 'code.charAt(0) === "r"' in decoder and "parseInt(runs[k], 36)" in decoder
    assert "bytes.charCodeAt(i >> 3) & (1 << (i & 7))" in decoder  # bit i % 8 of byte i // 8, as np.packbits little


def test_a_units_file_labels_each_unit_in_the_language() -> None:
    units = gpd.GeoDataFrame(
        {"name": ["Quận Hoàn Kiếm", "Quận Ba Đình"], "code": ["002", "001"], "approximate": [True, True]},
        geometry=[box(105.84, 21.01, 105.86, 21.04), box(105.80, 21.02, 105.84, 21.05)],
        crs=schema.CRS,
    )
    file, approximate, legend = mapfile.units_file(units, lang="en", level="district")
    collection_ = json.loads(file.body)
    assert approximate and "(approximate)" in legend
    assert [f["properties"]["label"] for f in collection_["features"]] == [
        "Hoàn Kiếm District (approximate)",
        "Ba Đình District (approximate)",
    ]
    assert file.name.startswith("units-district-en.")
