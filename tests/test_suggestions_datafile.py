"""The data-file writer: the canonical format (the shipped files round-trip byte for byte), the lock, whole-file
validation before an atomic replace."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from creative_map import schema
from creative_map.errors import DataError
from creative_map.suggestions import canonical, datafile

from .conftest import ROOT, make_space

SHIPPED = ROOT / "data"


@pytest.mark.parametrize(("name", "kind"), [("spaces.geojson", "space"), ("events.geojson", "event")])
def test_rewriting_the_shipped_files_gives_the_same_bytes(name: str, kind: canonical.RecordKind) -> None:
    raw = (SHIPPED / name).read_bytes()
    features = json.loads(raw)["features"]
    assert canonical.dumps(features, kind=kind).encode("utf-8") == raw
    assert canonical.dumps(reversed(features), kind=kind).encode("utf-8") == raw  # order comes from the records


def test_saving_unchanged_shipped_data_writes_nothing(tmp_path: Path) -> None:
    for name in ("spaces.geojson", "events.geojson"):
        (tmp_path / name).write_bytes((SHIPPED / name).read_bytes())
    with datafile.locked(tmp_path / "spaces.geojson") as files:
        assert len(files.spaces) > 100 and len(files.events) >= 10
        assert files.save() == []
    for name in ("spaces.geojson", "events.geojson"):
        assert (tmp_path / name).read_bytes() == (SHIPPED / name).read_bytes()


def test_canonical_feature_orders_keys_fills_optional_fields_and_normalises_text() -> None:
    feature = make_space(id="z")
    props = feature["properties"]
    shuffled = {"properties": dict(reversed(list(props.items()))), "geometry": feature["geometry"], "type": "Feature"}
    shuffled["properties"]["name_vi"] = "Hoa\u0300n Kie\u0302\u0301m"  # NFD
    del shuffled["properties"]["website"]
    out = canonical.canonical_feature(shuffled, kind="space")
    assert list(out) == ["type", "geometry", "properties"]
    assert list(out["properties"]) == list(schema.SPACE_COLUMNS)
    assert out["properties"]["website"] == "" and out["properties"]["name_vi"] == "Hoàn Kiếm"
    line = canonical.feature_line(out)
    assert "\n" not in line and "Hoàn Kiếm" in line


def test_unknown_properties_are_kept_for_the_validator_to_name() -> None:
    feature = make_space(colour="red")
    assert canonical.canonical_feature(feature, kind="space")["properties"]["colour"] == "red"


def test_fingerprint_changes_with_any_field_and_ignores_key_order() -> None:
    a = make_space()
    b = make_space()
    b["properties"] = dict(reversed(list(b["properties"].items())))
    assert canonical.fingerprint(a, kind="space") == canonical.fingerprint(b, kind="space")
    assert canonical.fingerprint(a, kind="space") != canonical.fingerprint(make_space(lon=105.8524), kind="space")
    assert canonical.fingerprint(None, kind="space") is None


def test_a_change_that_breaks_the_whole_file_writes_nothing(suggestion_data: Path) -> None:
    before = suggestion_data.read_bytes()
    with datafile.locked(suggestion_data) as files:
        files.put("space", None, record_id="ho-hoan-kiem")  # the event is held there
        with pytest.raises(DataError, match="ho-hoan-kiem"):
            files.save()
    assert suggestion_data.read_bytes() == before
    assert not list(suggestion_data.parent.glob(".*.part*"))


def test_save_writes_only_the_changed_file_and_restore_puts_it_back(suggestion_data: Path) -> None:
    events = suggestion_data.with_name("events.geojson")
    events_before, spaces_before = events.stat().st_mtime_ns, suggestion_data.read_bytes()
    with datafile.locked(suggestion_data) as files:
        files.put("space", make_space(id="moi", name_vi="Mới", name_en="New"), record_id="moi")
        assert files.save() == [suggestion_data]
        assert '"id": "moi"' in suggestion_data.read_text(encoding="utf-8")
        files.restore()
    assert suggestion_data.read_bytes() == spaces_before and events.stat().st_mtime_ns == events_before


def test_a_missing_events_file_is_no_events_and_is_not_created(suggestion_data: Path) -> None:
    suggestion_data.with_name("events.geojson").unlink()
    with datafile.locked(suggestion_data) as files:
        assert files.events == {}
        files.put("space", make_space(id="moi", name_vi="Mới", name_en="New"), record_id="moi")
        files.save()
    assert not suggestion_data.with_name("events.geojson").exists()


def test_the_lock_file_sits_beside_the_data(suggestion_data: Path) -> None:
    with datafile.locked(suggestion_data):
        assert (suggestion_data.parent / datafile.LOCK_NAME).exists()


def test_a_second_writer_waits_then_gives_up_with_a_message(suggestion_data: Path) -> None:
    with datafile.locked(suggestion_data):
        start = time.monotonic()
        with (
            pytest.raises(datafile.DataLockedError, match="another writer"),
            datafile.locked(suggestion_data, timeout=0.3),
        ):
            pass
        assert time.monotonic() - start >= 0.3


def _add_space(path: Path, space_id: str, *, hold: float) -> None:
    with datafile.locked(path) as files:
        files.put("space", make_space(id=space_id, name_vi=space_id, name_en=space_id), record_id=space_id)
        time.sleep(hold)  # read, then write late: without the lock the other writer's change would be lost
        files.save()


def test_two_threads_writing_at_once_lose_nothing(suggestion_data: Path) -> None:
    threads = [
        threading.Thread(target=_add_space, args=(suggestion_data, f"moi-{i}"), kwargs={"hold": 0.2}) for i in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = set(datafile.read(suggestion_data).spaces)
    assert {"moi-0", "moi-1", "moi-2"} <= ids


def test_two_processes_writing_at_once_lose_nothing(suggestion_data: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from tests.conftest import make_space
        from creative_map.suggestions import datafile
        with datafile.locked({str(suggestion_data)!r}) as files:
            print("locked", flush=True)
            files.put("space", make_space(id="from-child", name_vi="A", name_en="A"), record_id="from-child")
            time.sleep(0.5)
            files.save()
        """
    )
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=ROOT) as child:
        assert child.stdout is not None and child.stdout.readline().strip() == "locked"
        _add_space(suggestion_data, "from-parent", hold=0.0)  # waits for the child's lock, then reads its change
        assert child.wait(timeout=60) == 0
    ids = set(datafile.read(suggestion_data).spaces)
    assert {"from-child", "from-parent"} <= ids
