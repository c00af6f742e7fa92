"""Reviewing, on SQLite and PostgreSQL: the queue, a suggestion beside its record, approval written safely to
the data files (whole-file validation, lock, conflicts), rejection with a reason, history and revert."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any

import pytest

from creative_map.errors import DataError
from creative_map.suggestions import (
    AlreadyDecidedError,
    ConflictError,
    Draft,
    InvalidSuggestionError,
    NotFoundError,
    Store,
    add_reviewer,
    approve,
    forget_contacts,
    get_suggestion,
    history,
    list_suggestions,
    public_status,
    reject,
    revert,
    revisions,
    show,
    submit,
)
from creative_map.suggestions.datafile import read

WARD_ID = "xuong-gom-ba-trieu"
PAGE = "https://hanoimoi.vn/xuong-gom"
CONTACT = "chu.xuong@example.vn"
TODAY = dt.date(2026, 12, 3)
NEW_POINT = {"type": "Point", "coordinates": [105.8491, 21.0161]}
NEW_SPACE = {
    "id": "nha-sang-tao-trang-tien",
    "name_vi": "Nhà sáng tạo Tràng Tiền",
    "name_en": "Trang Tien creative house",
    "category": "art_space",
    "address": "10 Tràng Tiền, Hoàn Kiếm, Hà Nội",
    "district": "Quận Hoàn Kiếm",
    "ward_2025": "Phường Hoàn Kiếm",
    "description_vi": "Không gian triển lãm.",
    "description_en": "An exhibition space.",
    "geometry": {"type": "Point", "coordinates": [105.8545, 21.0245]},
}


@pytest.fixture
def store(suggestion_store: Store) -> Store:
    add_reviewer(suggestion_store, "lan", "correct horse battery")
    add_reviewer(suggestion_store, "minh", "another long password")
    return suggestion_store


def _send(store: Store, data: Path, kind: Any = "correction", changes: dict[str, Any] | None = None, **kw: Any) -> str:
    kw.setdefault("source", PAGE)
    if kind in ("correction", "closed", "member"):
        kw.setdefault("space_id", WARD_ID)
    draft = Draft(kind, changes if changes is not None else {"geometry": NEW_POINT}, **kw)
    return submit(store, draft, sender=f"10.0.0.{len(list_suggestions(store, status=None))}", data=data).reference


def _space(data: Path, space_id: str = WARD_ID) -> dict[str, Any]:
    feature = read(data).spaces[space_id]
    return feature


def test_the_queue_is_oldest_first_and_filters_by_kind_and_status(store: Store, suggestion_data: Path) -> None:
    first = _send(store, suggestion_data)
    second = _send(store, suggestion_data, "member", {})
    third = _send(store, suggestion_data, "closed", {}, space_id="ho-hoan-kiem")
    assert [s.reference for s in list_suggestions(store)] == [first, second, third]
    assert [s.reference for s in list_suggestions(store, kind="member")] == [second]
    reject(store, first, reviewer="lan", reason="Not on this street.")
    assert [s.reference for s in list_suggestions(store)] == [second, third]
    assert [s.reference for s in list_suggestions(store, status="rejected")] == [first]
    assert [s.reference for s in list_suggestions(store, status=None, limit=1, offset=1)] == [second]
    with pytest.raises(ValueError, match="`status` 'open'"):
        list_suggestions(store, status="open")  # type: ignore[arg-type]


def test_show_puts_the_suggestion_beside_the_record_field_by_field(store: Store, suggestion_data: Path) -> None:
    reference = _send(store, suggestion_data, source="operator", contact=CONTACT)
    review = show(store, reference, data=suggestion_data)
    assert review.suggestion.contact == CONTACT  # reviewers see it
    assert not review.errors and not review.conflict and review.precision == "exact"
    changed = {f.field: (f.current, f.proposed) for f in review.changed}
    assert set(changed) == {"geometry", "position_precision", "position_note", "last_verified"}
    assert changed["geometry"] == ({"type": "Point", "coordinates": [105.851, 21.02]}, NEW_POINT)
    assert changed["position_precision"] == ("ward", "exact")
    assert review.fields[-1].field == "geometry"
    assert json.loads(json.dumps(review.as_dict()))["conflict"] is False


def test_show_gives_the_validation_result_of_the_record_as_it_is_now(store: Store, suggestion_data: Path) -> None:
    reference = _send(store, suggestion_data, "member", {})
    review = show(store, reference, data=suggestion_data, changes={"website": "not a url"})
    assert [e.field for e in review.errors] == ["website"]


def test_approving_writes_the_change_with_the_approval_fields(store: Store, suggestion_data: Path) -> None:
    other_lines = [line for line in suggestion_data.read_text(encoding="utf-8").splitlines() if WARD_ID not in line]
    reference = _send(store, suggestion_data, source="operator", contact=CONTACT)
    revision = approve(store, reference, reviewer="lan", data=suggestion_data, today=TODAY)
    props = _space(suggestion_data)["properties"]
    assert _space(suggestion_data)["geometry"] == NEW_POINT
    assert props["position_precision"] == "exact" and props["last_verified"] == "2026-12-03"
    assert props["sources"] == ["https://example.org/xuong-gom"]  # an operator gives no public address
    assert [
        line for line in suggestion_data.read_text(encoding="utf-8").splitlines() if WARD_ID not in line
    ] == other_lines
    assert revision.record_id == WARD_ID and revision.reviewer == "lan" and revision.suggestion_reference == reference
    assert revision.before is not None and revision.before["properties"]["position_precision"] == "ward"
    status = public_status(store, reference)
    assert status is not None and status.status == "approved" and status.decided_at is not None
    suggestion = get_suggestion(store, reference)
    assert suggestion.status == "approved" and suggestion.decided_by == "lan"


def test_the_public_source_is_added_and_the_reviewer_may_edit_first(store: Store, suggestion_data: Path) -> None:
    reference = _send(store, suggestion_data, changes={"geometry": NEW_POINT, "website": "https://gom.example.vn"})
    edited = {"geometry": NEW_POINT, "website": "https://xuong-gom.example.vn"}
    approve(store, reference, reviewer="lan", data=suggestion_data, changes=edited, precision="exact")
    props = _space(suggestion_data)["properties"]
    assert props["website"] == "https://xuong-gom.example.vn" and props["position_precision"] == "exact"
    assert props["sources"] == [PAGE, "https://example.org/xuong-gom"]


def test_a_suggestion_whose_record_changed_meanwhile_is_a_conflict(store: Store, suggestion_data: Path) -> None:
    first = _send(store, suggestion_data)
    second = _send(store, suggestion_data, changes={"website": "https://gom.example.vn"})
    approve(store, first, reviewer="lan", data=suggestion_data)
    review = show(store, second, data=suggestion_data)
    assert review.conflict and "geometry" in review.conflict_fields
    before = suggestion_data.read_bytes()
    with pytest.raises(ConflictError, match="changed after the suggestion was sent") as info:
        approve(store, second, reviewer="minh", data=suggestion_data)
    assert "geometry" in info.value.fields and suggestion_data.read_bytes() == before
    approve(store, second, reviewer="minh", data=suggestion_data, rebase=True)  # applied on the record as it is
    feature = _space(suggestion_data)
    assert feature["geometry"] == NEW_POINT and feature["properties"]["website"] == "https://gom.example.vn"


def test_rejecting_gives_the_sender_the_reason_and_decides_once(store: Store, suggestion_data: Path) -> None:
    reference = _send(store, suggestion_data, source="operator", contact=CONTACT)
    before = suggestion_data.read_bytes()
    with pytest.raises(ValueError, match="give a reason"):
        reject(store, reference, reviewer="lan", reason="  ")
    reject(store, reference, reviewer="lan", reason="The workshop is on Hàng Bài, not here.")
    status = public_status(store, reference)
    assert status is not None and status.status == "rejected" and status.reason.endswith("not here.")
    assert CONTACT not in repr(status) and suggestion_data.read_bytes() == before
    with pytest.raises(AlreadyDecidedError):
        approve(store, reference, reviewer="lan", data=suggestion_data)
    with pytest.raises(AlreadyDecidedError):
        reject(store, reference, reviewer="minh", reason="again")


def test_only_known_reviewers_decide(store: Store, suggestion_data: Path) -> None:
    reference = _send(store, suggestion_data)
    with pytest.raises(NotFoundError, match="creative-map reviewers add hoa"):
        approve(store, reference, reviewer="hoa", data=suggestion_data)
    with pytest.raises(NotFoundError, match="no suggestion"):
        approve(store, 999, reviewer="lan", data=suggestion_data)


def test_two_approvals_at_once_lose_nothing(store: Store, suggestion_data: Path) -> None:
    refs = [
        _send(store, suggestion_data),
        _send(
            store, suggestion_data, changes={"website": "https://rối.example.vn"}, space_id="nha-hat-mua-roi-thang-long"
        ),
        _send(store, suggestion_data, "closed", {}, space_id="ho-hoan-kiem"),
    ]
    errors: list[BaseException] = []

    def run(reference: str, reviewer: str) -> None:
        try:
            approve(store, reference, reviewer=reviewer, data=suggestion_data)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(r, n)) for r, n in zip(refs, ["lan", "minh", "lan"], strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    spaces = read(suggestion_data).spaces
    assert spaces[WARD_ID]["geometry"] == NEW_POINT
    assert spaces["nha-hat-mua-roi-thang-long"]["properties"]["website"] == "https://rối.example.vn"
    assert spaces["ho-hoan-kiem"]["properties"]["status"] == "closed"
    assert len({r.id for s in spaces for r in history(store, s)}) == 3


def test_two_reviewers_approving_the_same_suggestion_at_once_apply_it_once(store: Store, suggestion_data: Path) -> None:
    reference = _send(store, suggestion_data)
    outcomes: list[str] = []

    def run(reviewer: str) -> None:
        try:
            approve(store, reference, reviewer=reviewer, data=suggestion_data)
            outcomes.append("approved")
        except AlreadyDecidedError:
            outcomes.append("already")

    threads = [threading.Thread(target=run, args=(n,)) for n in ("lan", "minh")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already", "approved"] and len(history(store, WARD_ID)) == 1


def test_history_and_revert(store: Store, suggestion_data: Path) -> None:
    original = suggestion_data.read_bytes()
    reference = _send(store, suggestion_data, source="operator", contact=CONTACT)
    applied = approve(store, reference, reviewer="lan", data=suggestion_data)
    assert show(store, reference, data=suggestion_data).revision == applied
    undone = revert(store, applied.id, reviewer="minh", data=suggestion_data)
    assert suggestion_data.read_bytes() == original
    assert undone.reverts == applied.id and undone.suggestion_id is None and undone.reviewer == "minh"
    assert [r.id for r in history(store, WARD_ID)] == [applied.id, undone.id]
    assert history(store, WARD_ID)[0].changed_fields == [
        "last_verified",
        "position_precision",
        "position_note",
        "geometry",
    ]
    listed = json.dumps([r.as_dict() for r in history(store, WARD_ID)], ensure_ascii=False)
    assert CONTACT not in listed and CONTACT not in suggestion_data.read_text(encoding="utf-8")
    with pytest.raises(ConflictError, match=f"changed after revision {applied.id}"):
        revert(store, applied.id, reviewer="lan", data=suggestion_data)
    revert(store, undone.id, reviewer="lan", data=suggestion_data)  # undoing the undo applies it again
    assert _space(suggestion_data)["geometry"] == NEW_POINT


def test_a_revert_that_would_break_the_files_writes_nothing(store: Store, suggestion_data: Path) -> None:
    space = approve(
        store, _send(store, suggestion_data, "new_space", dict(NEW_SPACE)), reviewer="lan", data=suggestion_data
    )
    event = {"name_vi": "Khai trương", "name_en": "Opening", "start": "2027-01-10", "end": "2027-01-10",
             "space_ids": [NEW_SPACE["id"]]}  # fmt: skip
    approve(store, _send(store, suggestion_data, "new_event", event), reviewer="lan", data=suggestion_data)
    assert [r.record_kind for r in history(store, "khai-truong-2027")] == ["event"]
    before = (suggestion_data.read_bytes(), suggestion_data.with_name("events.geojson").read_bytes())
    with pytest.raises(DataError, match="nha-sang-tao-trang-tien"):
        revert(store, space.id, reviewer="lan", data=suggestion_data)  # the event is held at that space
    assert (suggestion_data.read_bytes(), suggestion_data.with_name("events.geojson").read_bytes()) == before
    assert len(history(store, NEW_SPACE["id"])) == 1


def test_a_store_failure_after_writing_puts_the_files_back(
    store: Store, suggestion_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = _send(store, suggestion_data)
    before = suggestion_data.read_bytes()

    def fail(*_args: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(revisions, "fetch_revision", fail)
    with pytest.raises(RuntimeError, match="went away"):
        approve(store, reference, reviewer="lan", data=suggestion_data)
    assert suggestion_data.read_bytes() == before
    assert get_suggestion(store, reference).status == "pending" and history(store, WARD_ID) == []


def test_contacts_of_decided_suggestions_can_be_forgotten(store: Store, suggestion_data: Path) -> None:
    decided = _send(store, suggestion_data, source="operator", contact=CONTACT)
    waiting = _send(store, suggestion_data, "member", {}, source="operator", contact=CONTACT)
    reject(store, decided, reviewer="lan", reason="No.")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert forget_contacts(store, decided_before=later) == 1
    assert get_suggestion(store, decided).contact == "" and get_suggestion(store, waiting).contact == CONTACT


def test_a_new_space_whose_id_was_taken_meanwhile_is_approved_under_another_id(
    store: Store, suggestion_data: Path
) -> None:
    first = _send(store, suggestion_data, "new_space", dict(NEW_SPACE))
    second = _send(store, suggestion_data, "new_space", {**NEW_SPACE, "name_en": "Trang Tien house (2)"})
    approve(store, first, reviewer="lan", data=suggestion_data)
    review = show(store, second, data=suggestion_data)
    assert not review.conflict and [e.field for e in review.errors] == ["id"]
    with pytest.raises(InvalidSuggestionError, match="choose another id"):
        approve(store, second, reviewer="lan", data=suggestion_data)
    edited = {**NEW_SPACE, "id": "nha-sang-tao-trang-tien-2", "name_en": "Trang Tien house (2)"}
    revision = approve(store, second, reviewer="lan", data=suggestion_data, changes=edited)
    assert revision.record_id == "nha-sang-tao-trang-tien-2"
    assert get_suggestion(store, second).space_id == "nha-sang-tao-trang-tien-2"
    assert {"nha-sang-tao-trang-tien", "nha-sang-tao-trang-tien-2"} <= set(read(suggestion_data).spaces)
