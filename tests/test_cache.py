"""The dataset cache: what `creative_map.load` built, kept as GeoParquet, read back only when it can be trusted."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest
from geopandas.testing import assert_geodataframe_equal

from creative_map import DataError, cache, load, schema

from .conftest import collection, make_event, make_space


@pytest.fixture
def data(write_json, three_spaces) -> Path:
    events = collection(
        make_event(),
        make_event(id="hai-noi", start="2025-05-01", end="2025-05-01", space_ids=["ho-hoan-kiem", "phong-tranh-cu"]),
    )
    write_json(events, "events.geojson")
    return write_json(three_spaces)


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def assert_same(got, want) -> None:
    """The same frame, column for column: values, types and the Python type of every cell (lists stay lists)."""
    assert_geodataframe_equal(got, want, check_dtype=True, check_index_type=True)
    assert list(got.columns) == list(want.columns)
    for column in want.columns:
        if column != schema.GEOMETRY:
            assert [type(v) for v in got[column]] == [type(v) for v in want[column]], column
            assert got[column].tolist() == want[column].tolist(), column


def test_the_cache_gives_back_what_load_built(data: Path, cache_dir: Path) -> None:
    fresh = load(data)
    cached = cache.load(data, cache_dir=cache_dir)  # built
    again = cache.load(data, cache_dir=cache_dir)  # read back
    for dataset in (cached, again):
        assert_same(dataset.spaces, fresh.spaces)
        assert_same(dataset.events, fresh.events)
        assert dataset.path == fresh.path and dataset.events_path == fresh.events_path
    assert [p.name for p in cache_dir.iterdir()] == [
        f"dataset-{cache.content_key(data, data.with_name('events.geojson'))[:40]}"
    ]


def test_an_unchanged_file_is_not_validated_again(data: Path, cache_dir: Path, monkeypatch) -> None:
    cache.entry(data, cache_dir=cache_dir)

    def no_validation(*args, **kwargs):
        raise AssertionError("validated again")

    monkeypatch.setattr(cache, "load_fresh", no_validation)
    assert cache.load(data, cache_dir=cache_dir).total == 3


def test_a_changed_file_has_another_key_and_is_validated(data: Path, cache_dir: Path) -> None:
    first = cache.entry(data, cache_dir=cache_dir)
    spaces = json.loads(data.read_text(encoding="utf-8"))
    spaces["features"].append(make_space(105.853, 21.029, id="moi", name_vi="Mới"))
    data.write_text(json.dumps(spaces, ensure_ascii=False), encoding="utf-8")
    os.utime(data, (1, 1))  # the same time as before would not matter: the key is the content's
    second = cache.entry(data, cache_dir=cache_dir)
    assert second.key != first.key and second.dataset().total == 4
    bad = json.loads(data.read_text(encoding="utf-8"))
    bad["features"][0]["properties"]["category"] = "spaceship"
    data.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataError, match="spaceship"):  # bad data stays bad data, cache or not
        cache.load(data, cache_dir=cache_dir)


def test_a_changed_events_file_changes_the_key(data: Path, cache_dir: Path) -> None:
    events = data.with_name("events.geojson")
    first = cache.entry(data, cache_dir=cache_dir)
    events.write_text(json.dumps(collection(make_event())), encoding="utf-8")
    second = cache.entry(data, cache_dir=cache_dir)
    assert second.key != first.key and len(second.dataset().events) == 1
    events.unlink()
    assert len(cache.load(data, cache_dir=cache_dir).events) == 0


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda folder: (folder / "spaces.parquet").write_bytes(b"PAR1 not parquet PAR1"), id="garbage"),
        pytest.param(
            lambda folder: (folder / "spaces.parquet").write_bytes((folder / "spaces.parquet").read_bytes()[:-100]),
            id="truncated",
        ),
        pytest.param(lambda folder: (folder / "events.parquet").unlink(), id="missing-file"),
        pytest.param(lambda folder: (folder / "manifest.json").write_text("{", encoding="utf-8"), id="bad-manifest"),
        pytest.param(
            lambda folder: (folder / "manifest.json").write_text(
                json.dumps({**json.loads((folder / "manifest.json").read_text()), "key": "0" * 64}), encoding="utf-8"
            ),
            id="other-key",
        ),
        pytest.param(
            lambda folder: (folder / "manifest.json").write_text(
                json.dumps({**json.loads((folder / "manifest.json").read_text()), "format": 0}), encoding="utf-8"
            ),
            id="old-format",
        ),
    ],
)
def test_a_damaged_entry_is_ignored_and_built_again(data: Path, cache_dir: Path, damage, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="creative_map.cache")
    folder = cache.entry(data, cache_dir=cache_dir).folder
    damage(folder)
    rebuilt = cache.load(data, cache_dir=cache_dir)
    assert_same(rebuilt.spaces, load(data).spaces)
    assert "ignoring the damaged dataset cache" in caplog.text
    assert cache.entry(data, cache_dir=cache_dir).folder == folder  # written again, whole


def test_a_parquet_file_altered_but_still_valid_is_not_trusted(data: Path, cache_dir: Path, caplog) -> None:
    """A file that still parses but is not the one written (its hash differs) is rebuilt, not read."""
    caplog.set_level(logging.WARNING, logger="creative_map.cache")
    folder = cache.entry(data, cache_dir=cache_dir).folder
    altered = load(data).spaces
    altered[schema.NAME_VI] = "altered"
    altered.to_parquet(folder / "spaces.parquet", index=False)
    assert "altered" not in cache.load(data, cache_dir=cache_dir).spaces[schema.NAME_VI].tolist()
    assert "is not the file written" in caplog.text


def test_only_some_columns_and_some_records(data: Path, cache_dir: Path) -> None:
    found = cache.entry(data, cache_dir=cache_dir)
    slim = found.dataset([schema.ID, schema.NAME_VI])
    assert list(slim.spaces.columns) == [schema.ID, schema.NAME_VI, schema.GEOMETRY] and slim.total == 3
    fresh = load(data).spaces
    two = found.spaces(["phong-tranh-cu", "ho-hoan-kiem", "no-such-space"])
    assert_same(two, fresh.loc[fresh[schema.ID].isin(["ho-hoan-kiem", "phong-tranh-cu"])].reset_index(drop=True))
    assert len(found.spaces(["no-such-space"])) == 0
    assert list(found.spaces(["ho-hoan-kiem"], columns=[schema.ID]).columns) == [schema.ID, schema.GEOMETRY]


def test_records_are_read_from_their_row_groups_only(tmp_path: Path, cache_dir: Path) -> None:
    from benchmarks.synthetic import write_synthetic

    path = write_synthetic(tmp_path / "spaces.geojson", 5000)
    found = cache.entry(path, cache_dir=cache_dir)
    wanted = ["synthetic-4999", "synthetic-7", "synthetic-2100"]
    got = found.spaces(wanted)
    assert got[schema.ID].tolist() == ["synthetic-7", "synthetic-2100", "synthetic-4999"]  # file order
    assert got[schema.DESCRIPTION_EN].tolist() == ["A synthetic space for benchmarks."] * 3


def test_a_missing_or_too_large_file_says_so(tmp_path: Path, cache_dir: Path, data: Path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        cache.load(tmp_path / "missing.geojson", cache_dir=cache_dir)
    with pytest.raises(DataError, match="above the limit"):
        cache.load(data, cache_dir=cache_dir, max_bytes=10)
    with pytest.raises(DataError, match="does not exist"):
        cache.load(data, events_path=tmp_path / "no-events.geojson", cache_dir=cache_dir)
    assert not cache_dir.exists() or not list(cache_dir.iterdir())  # nothing was written


def test_building_in_a_child_process(data: Path, cache_dir: Path) -> None:
    found = cache.entry(data, cache_dir=cache_dir, isolate=True)
    assert_same(found.dataset().spaces, load(data).spaces)
    bad = json.loads(data.read_text(encoding="utf-8"))
    bad["features"][1]["properties"]["status"] = "maybe"
    data.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataError, match="status") as caught:  # the child's problems, as the loader words them
        cache.entry(data, cache_dir=cache_dir, isolate=True)
    assert caught.value.problems[0].feature_id == "nha-hat-mua-roi-thang-long"


def test_old_entries_are_removed_beyond_the_newest(tmp_path: Path, cache_dir: Path, three_spaces) -> None:
    path = tmp_path / "spaces.geojson"
    keys = []
    for i in range(cache.KEEP + 2):
        spaces = json.loads(json.dumps(three_spaces))
        spaces["features"][0]["properties"]["name_vi"] = f"Phiên bản {i}"
        path.write_text(json.dumps(spaces, ensure_ascii=False), encoding="utf-8")
        keys.append(cache.entry(path, cache_dir=cache_dir).folder.name)
    assert sorted(p.name for p in cache_dir.iterdir()) == sorted(keys[-cache.KEEP :])


def test_the_default_cache_folder(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CREATIVE_MAP_CACHE", str(tmp_path / "here"))
    assert cache.default_cache_dir() == tmp_path / "here"
    monkeypatch.delenv("CREATIVE_MAP_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.default_cache_dir() == tmp_path / "xdg" / "creative_map"
