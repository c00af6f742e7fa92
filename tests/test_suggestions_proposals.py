"""A suggestion applied to the record the files hold, checked by the data's own schema and messages; the
position-precision rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from creative_map import schema
from creative_map.suggestions import datafile
from creative_map.suggestions.precision import clamp, pinned_position, supported_precision
from creative_map.suggestions.proposals import SUGGESTIBLE_FIELDS, Proposal, proposal_warnings, propose
from creative_map.validation import check_spaces

from .conftest import collection, make_space

TODAY = dt.date(2026, 12, 3)
PAGE = "https://hanoimoi.vn/xuong-gom-ba-trieu"
OSM = "https://www.openstreetmap.org/node/123456"
WARD_ID = "xuong-gom-ba-trieu"
POINT = {"type": "Point", "coordinates": [105.8491, 21.0161]}


@pytest.fixture
def files(suggestion_data: Path) -> datafile.DataFiles:
    return datafile.read(suggestion_data)


def _propose(files: datafile.DataFiles, kind: Any, changes: dict[str, Any], **kw: Any) -> Proposal:
    kw.setdefault("source", PAGE)
    if kind in ("correction", "closed", "member"):
        kw.setdefault("space_id", WARD_ID)
    return propose(kind, changes, files=files, today=TODAY, **kw)


def _props(p: Proposal) -> dict[str, Any]:
    assert p.after is not None
    return dict(p.after["properties"])


def _messages(p: Proposal) -> dict[str | None, str]:
    return {e.field: e.message for e in p.errors}


def test_a_correction_sets_its_fields_and_the_approval_fields(files: datafile.DataFiles) -> None:
    p = _propose(files, "correction", {"website": "https://gom.example.vn", "opening_hours": "Tu-Su 09:00-17:00"})
    props = _props(p)
    assert p.errors == [] and p.record_id == WARD_ID and p.before is not None
    assert props["website"] == "https://gom.example.vn" and props["opening_hours"] == "Tu-Su 09:00-17:00"
    assert props["last_verified"] == "2026-12-03"
    assert props["sources"] == ["https://example.org/xuong-gom", PAGE]  # not the position's source: added last
    assert props["position_precision"] == "ward" and p.precision is None  # the position did not move
    assert p.after["geometry"] == p.before["geometry"]


def test_a_new_position_from_a_page_is_street_with_its_source_first(files: datafile.DataFiles) -> None:
    p = _propose(files, "correction", {"geometry": POINT})
    props = _props(p)
    assert p.errors == [] and p.precision == "street" and props["position_precision"] == "street"
    assert props["sources"] == [PAGE, "https://example.org/xuong-gom"]
    assert props["position_note"] == f"Position from {PAGE} (suggestion reviewed 2026-12-03)."
    assert p.after is not None and p.after["geometry"] == POINT


@pytest.mark.parametrize(
    ("source", "claimed", "expected"),
    [
        ("operator", None, "exact"),
        (OSM, None, "exact"),
        (OSM, "ward", "ward"),  # the sender may claim less
        (PAGE, "exact", "street"),  # never more than the source supports
    ],
)
def test_the_precision_follows_the_source(
    files: datafile.DataFiles, source: str, claimed: str | None, expected: str
) -> None:
    changes: dict[str, Any] = {"geometry": POINT}
    if claimed:
        changes["position_precision"] = claimed
    p = _propose(files, "correction", changes, source=source)
    assert p.errors == [] and _props(p)["position_precision"] == expected


def test_the_reviewer_may_set_any_precision(files: datafile.DataFiles) -> None:
    p = _propose(files, "correction", {"geometry": POINT}, precision="exact")
    assert _props(p)["position_precision"] == "exact"
    p = _propose(files, "correction", {"website": "https://gom.example.vn"}, precision="street")
    assert _props(p)["position_precision"] == "street"


def test_an_operator_correction_adds_no_source(files: datafile.DataFiles) -> None:
    p = _propose(files, "correction", {"geometry": POINT}, source="operator")
    props = _props(p)
    assert props["sources"] == ["https://example.org/xuong-gom"]
    assert props["position_note"].startswith("Position from the people who run the space")


def test_a_suggested_position_is_rounded_to_seven_decimals(files: datafile.DataFiles) -> None:
    p = _propose(files, "correction", {"geometry": {"type": "Point", "coordinates": [105.84912345678901, 21.0161]}})
    assert p.after is not None and p.after["geometry"]["coordinates"] == [105.8491235, 21.0161]


def test_bad_values_get_the_data_files_own_messages(files: datafile.DataFiles) -> None:
    bad = {
        "website": "ftp://gom.example.vn",
        "category": "gallery",
        "geometry": {"type": "Point", "coordinates": [21.02, 105.85]},
    }
    p = _propose(files, "correction", dict(bad))
    feature = make_space(**{k: v for k, v in bad.items() if k != "geometry"})
    feature["geometry"] = bad["geometry"]
    expected = {e.field: e.message for e in check_spaces(collection(feature), file="x").errors}
    assert _messages(p) == expected and set(expected) == {"website", "category", "geometry"}


def test_fields_the_approval_sets_and_ids_cannot_be_suggested(files: datafile.DataFiles) -> None:
    p = _propose(files, "correction", {"last_verified": "2030-01-01", "id": "new-id", "name_en": "Pottery"})
    messages = _messages(p)
    assert "reviewer approves" in messages["last_verified"] and "never changes" in messages["id"]


def test_unknown_fields_and_spaces_are_named(files: datafile.DataFiles) -> None:
    assert (
        "did you mean 'website'"
        in _messages(_propose(files, "correction", {"webiste": "https://x.example"}))["webiste"]
    )
    p = _propose(files, "correction", {"website": "https://x.example"}, space_id="xuong-gom-ba-trieux")
    assert p.after is None and "did you mean 'xuong-gom-ba-trieu'" in _messages(p)["space_id"]


def test_a_correction_that_changes_nothing_is_refused(files: datafile.DataFiles) -> None:
    p = _propose(files, "correction", {"name_en": "Ba Trieu pottery workshop"}, source="operator")
    assert "changes nothing" in _messages(p)["changes"]


def test_text_is_stored_in_nfc_and_units_by_their_full_name(files: datafile.DataFiles) -> None:
    p = _propose(files, "correction", {"name_vi": "Xu\u031bo\u031b\u0309ng go\u0302\u0301m", "district": "Hoàn Kiếm"})
    assert p.errors == []
    assert _props(p)["name_vi"] == "Xưởng gốm" and _props(p)["district"] == "Quận Hoàn Kiếm"


NEW_SPACE = {
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


def test_a_new_space_takes_an_id_from_its_name_and_the_defaults(files: datafile.DataFiles) -> None:
    p = _propose(files, "new_space", dict(NEW_SPACE))
    props = _props(p)
    assert p.errors == [] and p.before is None and p.record_id == "nha-sang-tao-trang-tien"
    assert props["id"] == "nha-sang-tao-trang-tien" and props["status"] == "active"
    assert props["network_member"] == "unknown" and props["sources"] == [PAGE]
    assert props["position_precision"] == "street" and props["last_verified"] == "2026-12-03"
    assert list(props) == list(schema.SPACE_COLUMNS)


def test_a_new_space_lists_every_missing_field(files: datafile.DataFiles) -> None:
    p = _propose(files, "new_space", {"name_vi": "Chỉ có tên", "geometry": NEW_SPACE["geometry"]})
    assert {"name_en", "category", "address", "district", "ward_2025", "description_vi", "description_en"} <= set(
        _messages(p)
    )


def test_a_new_space_with_a_taken_id_is_refused(files: datafile.DataFiles) -> None:
    p = _propose(files, "new_space", {**NEW_SPACE, "id": "ho-hoan-kiem"})
    assert "already the id" in _messages(p)["id"]


def test_a_new_space_from_its_operator_needs_a_public_website(files: datafile.DataFiles) -> None:
    p = _propose(files, "new_space", dict(NEW_SPACE), source="operator")
    assert "needs a public source" in _messages(p)["sources"]
    p = _propose(files, "new_space", {**NEW_SPACE, "website": "https://tt.example.vn"}, source="operator")
    assert p.errors == [] and _props(p)["sources"] == ["https://tt.example.vn"]
    assert _props(p)["position_precision"] == "exact"


def test_a_new_event_is_checked_against_the_spaces(files: datafile.DataFiles) -> None:
    event = {"name_vi": "Đêm gốm", "name_en": "Pottery night", "start": "2027-01-10", "end": "2027-01-10"}
    p = _propose(files, "new_event", {**event, "space_ids": [WARD_ID]})
    assert p.errors == [] and p.record_kind == "event" and p.record_id == "dem-gom-2027"
    assert _props(p)["sources"] == [PAGE] and "last_verified" not in _props(p)
    p = _propose(files, "new_event", {**event, "space_ids": ["xuong-gom"], "geometry": POINT})
    messages = _messages(p)
    assert "is the id of no space" in messages["space_ids"] and "no geometry" in messages["geometry"]


def test_closed_and_member_set_their_field(files: datafile.DataFiles) -> None:
    closed = _propose(files, "closed", {"description_en": "Closed in 2026."})
    assert closed.errors == [] and _props(closed)["status"] == "closed"
    assert _props(closed)["description_en"] == "Closed in 2026."
    member = _propose(files, "member", {})
    assert member.errors == [] and _props(member)["network_member"] == "yes"
    assert "already" in _messages(_propose(files, "closed", {}, space_id="phong-tranh-cu"))["status"]
    member_already = _propose(files, "member", {}, space_id="nha-hat-mua-roi-thang-long")
    assert "already" in _messages(member_already)["network_member"]


def test_warnings_name_a_look_alike_nearby(files: datafile.DataFiles) -> None:
    twin = {**NEW_SPACE, "name_vi": "Xưởng gốm Bà Triệu", "name_en": "Ba Trieu pottery", "id": "xuong-gom-2"}
    twin["geometry"] = {"type": "Point", "coordinates": [105.8511, 21.0201]}
    p = _propose(files, "new_space", twin)
    warnings = proposal_warnings(files, p)
    assert any("duplicate" in w.message and w.severity == "warning" for w in warnings)


# ------------------------------------------------------------------------------------------------ the rule


@pytest.mark.parametrize(
    ("url", "pinned", "pin"),
    [
        ("https://www.openstreetmap.org/node/123", True, None),
        ("https://www.openstreetmap.org/way/9", True, None),
        (
            "https://www.openstreetmap.org/?mlat=21.0161&mlon=105.8491#map=19/21.0161/105.8491",
            True,
            (105.8491, 21.0161),
        ),
        ("https://www.openstreetmap.org/#map=19/21.0161/105.8491", False, None),  # a view, not a pin
        ("https://www.google.com/maps?q=21.0161,105.8491", True, (105.8491, 21.0161)),
        ("https://www.google.com/maps/place/X/@21.01,105.84,17z/data=!3d21.0161!4d105.8491", True, (105.8491, 21.0161)),
        ("https://www.google.com/maps/@21.0161,105.8491,17z", False, None),
        ("https://hanoimoi.vn/article", False, None),
    ],
)
def test_map_links_that_pin_a_place(url: str, pinned: bool, pin: tuple[float, float] | None) -> None:
    assert pinned_position(url) == (pinned, pin)


def test_a_pin_far_from_the_suggested_position_supports_only_the_street() -> None:
    url = "https://www.google.com/maps?q=21.0161,105.8491"
    assert supported_precision(url, from_operator=False, position=(105.8492, 21.0161))[0] == "exact"  # ~10 m
    precision, reason = supported_precision(url, from_operator=False, position=(105.8531, 21.0161))  # ~415 m
    assert precision == "street" and "more than 50 m" in reason
    assert supported_precision("https://x.example/p", from_operator=True, position=None)[0] == "exact"


def test_clamp_only_lowers() -> None:
    assert (
        clamp("exact", "ward") == "ward" and clamp("street", "exact") == "street" and clamp("street", None) == "street"
    )
    assert clamp("street", "nonsense") == "street"


def test_the_suggestible_fields_are_the_schemas_but_id_and_last_verified() -> None:
    fields = SUGGESTIBLE_FIELDS["space"]
    assert "id" not in fields and "last_verified" not in fields and fields[-1] == "geometry"
    assert set(fields) | {"id", "last_verified"} == {*schema.SPACE_COLUMNS, "geometry"}
    assert SUGGESTIBLE_FIELDS["event"] == schema.EVENT_COLUMNS
