"""The Suggest and Status pages, run headless with AppTest on a copy of the data and an SQLite store.

Each kind of suggestion from the form: a valid one gives a reference number and is stored pending; an
invalid one shows the schema's message next to its field and stores nothing; the hidden field drops a bot's;
a burst is refused with the library's message. The Status page shows status, reason and dates only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from app_pages import _drafts as drafts
from app_pages import _shared as shared
from creative_map import schema
from creative_map.suggestions import Draft, add_reviewer, reject, submit

from .app_helpers import box_html, boxes, components, message_after, open_page, rows, store_at, texts, use_store

WARD_ID = "xuong-gom-ba-trieu"
OSM = "https://www.openstreetmap.org/node/123456"
REFERENCE = re.compile(r"CM-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


@pytest.fixture
def store_url(suggestion_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast_hashing: None) -> str:
    """The app on a copy of the data (CREATIVE_MAP_DATA) with a fresh SQLite store (CREATIVE_MAP_DB)."""
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(suggestion_data))
    return use_store(tmp_path, monkeypatch)


def sent_reference(at) -> str:
    found = [s.value for s in at.success if REFERENCE.search(s.value)]
    assert found, [b for b in boxes(at)]
    return REFERENCE.search(found[0]).group(0)


def send(at):
    at.button(key="sg_send").click().run()
    assert not at.exception, at.exception
    return at


def test_a_link_opens_the_correction_of_that_space_ready_to_be_placed(store_url: str) -> None:
    at = open_page("suggest", {"space": WARD_ID})
    assert at.radio(key="sg_kind").value == "correction"
    assert at.selectbox(key="sg_space").value == WARD_ID
    assert any("chưa chính xác" in b for b in boxes(at))  # "not exact: drag its marker"
    (picker,) = components(at)
    assert picker["returned_objects"] == ["last_clicked"]
    assert "creativeMap.positionPicker(" in picker["feature_group"]
    assert '"draggable":true' in picker["feature_group"] and '"current":[21.02,105.851]' in picker["feature_group"]
    assert at.text_input(key=f"sg_{schema.NAME_VI}_correction-{WARD_ID}").value == "Xưởng gốm Bà Triệu"
    assert at.query_params.get("space") in (WARD_ID, [WARD_ID])


def test_a_correction_of_the_position_gives_a_reference_and_waits_for_review(store_url: str) -> None:
    at = open_page("suggest", {"space": WARD_ID})
    at.text_input(key="sg_coords").input("21.02095, 105.85013").run()
    assert at.session_state["sg_at"] == (21.02095, 105.85013)
    assert '"proposed":[21.02095,105.85013]' in components(at)[0]["feature_group"]  # the marker moves there
    at.text_input(key="sg_source").input(OSM)
    at.text_area(key="sg_note").input("Ngõ 12, cửa xanh")
    send(at)
    reference = sent_reference(at)
    assert "chờ" in at.success[0].value  # it awaits review
    (row,) = rows(store_url)
    assert row["reference"] == reference and row["status"] == "pending" and row["space_id"] == WARD_ID
    assert row["changes"] == {"geometry": {"type": "Point", "coordinates": [105.85013, 21.02095]}}
    assert row["source"] == OSM and row["note"] == "Ngõ 12, cửa xanh"
    assert len(row["sender_key"]) == 64 and "session" not in row["sender_key"]
    at.button(key="sg_again").click().run()  # and another one, from a clean form
    assert not at.success and at.text_input(key="sg_coords").value == ""


def test_a_correction_sends_only_what_changed(store_url: str) -> None:
    at = open_page("suggest", {"space": WARD_ID, "lang": "en"})
    at.text_input(key=f"sg_{schema.WEBSITE}_correction-{WARD_ID}").input("https://gom.example.vn")
    at.text_input(key="sg_source").input("https://hanoimoi.vn/gom")
    send(at)
    sent_reference(at)
    assert rows(store_url)[0]["changes"] == {"website": "https://gom.example.vn"}


def test_a_correction_that_changes_nothing_is_not_sent(store_url: str) -> None:
    at = open_page("suggest", {"space": WARD_ID, "lang": "en"})
    at.text_input(key="sg_source").input(OSM)
    send(at)
    assert not at.success and rows(store_url) == []
    assert any("Nothing has changed" in b for b in boxes(at))


def test_a_problem_of_the_whole_suggestion_is_shown_at_the_top(store_url: str) -> None:
    at = open_page("suggest", {"kind": "member", "space": "nha-hat-mua-roi-thang-long", "lang": "en"})
    at.text_input(key="sg_source").input(OSM)
    send(at)  # the theatre is a member already: the library says so
    assert not at.success and rows(store_url) == []
    assert any("not sent" in b and "marked a network member already" in b for b in boxes(at))


def test_the_schema_message_is_shown_next_to_its_field(store_url: str) -> None:
    at = open_page("suggest", {"space": WARD_ID, "lang": "en"})
    key = f"sg_{schema.OPENING_HOURS}_correction-{WARD_ID}"
    at.text_input(key=key).input("whenever")
    at.text_input(key="sg_source").input(OSM)
    send(at)
    assert rows(store_url) == []
    after = message_after(at, key)  # the message box follows the field it is about
    assert "cm-box-error" in after and "opening_hours syntax" in after
    assert message_after(at, f"sg_{schema.NAME_VI}_correction-{WARD_ID}") == ""  # and after no other field
    assert any("not sent" in b for b in boxes(at))


def test_a_new_space_needs_every_required_field_and_a_position(store_url: str) -> None:
    at = open_page("suggest", {"kind": "new_space", "lang": "en"})
    slug = "new_space-new"
    at.text_input(key=f"sg_{schema.NAME_VI}_{slug}").input("Nhà sáng tạo Phố Huế")
    at.text_input(key="sg_source").input("https://example.org/nha-sang-tao")
    send(at)
    assert any("Click the map" in b for b in boxes(at)) and rows(store_url) == []
    at.text_input(key="sg_coords").input("21.0140, 105.8515").run()
    send(at)
    assert rows(store_url) == []
    shown = " ".join(boxes(at))
    assert "is empty" in shown and "To fix" in shown  # e.g. the English name, next to its field
    values = {
        schema.NAME_EN: "Phố Huế creative house",
        schema.ADDRESS: "12 Phố Huế",
        schema.DESCRIPTION_VI: "Không gian triển lãm nhỏ.",
        schema.DESCRIPTION_EN: "A small exhibition space.",
    }
    for name, value in values.items():
        widget = at.text_area if name.startswith("description") else at.text_input
        widget(key=f"sg_{name}_{slug}").input(value)
    at.selectbox(key=f"sg_{schema.CATEGORY}_{slug}").set_value("art_space")
    at.selectbox(key=f"sg_{schema.DISTRICT}_{slug}").set_value("Quận Hai Bà Trưng")
    at.selectbox(key=f"sg_{schema.WARD_2025}_{slug}").set_value("Phường Hai Bà Trưng")
    send(at)
    sent_reference(at)
    (row,) = rows(store_url)
    assert row["kind"] == "new_space" and row["space_id"] == "nha-sang-tao-pho-hue"
    assert row["changes"]["geometry"] == {"type": "Point", "coordinates": [105.8515, 21.014]}
    assert row["changes"][schema.STATUS] == "active" and row["changes"][schema.NAME_EN] == "Phố Huế creative house"


def test_a_new_event_at_two_spaces(store_url: str) -> None:
    at = open_page("suggest", {"kind": "new_event", "lang": "en"})
    slug = "new_event-new"
    assert not components(at)  # no map: an event takes its places from its spaces
    at.text_input(key=f"sg_{schema.NAME_VI}_{slug}").input("Đêm gốm")
    at.text_input(key=f"sg_{schema.NAME_EN}_{slug}").input("Pottery night")
    at.date_input(key=f"sg_{schema.START}_{slug}").set_value(dt.date(2027, 1, 10))
    at.date_input(key=f"sg_{schema.END}_{slug}").set_value(dt.date(2027, 1, 11))
    at.multiselect(key=f"sg_{schema.SPACE_IDS}_{slug}").set_value([WARD_ID, "ho-hoan-kiem"])
    at.text_input(key="sg_source").input("https://example.org/dem-gom")
    send(at)
    sent_reference(at)
    (row,) = rows(store_url)
    assert row["kind"] == "new_event" and row["event_id"] == "dem-gom-2027"
    assert (
        row["changes"][schema.SPACE_IDS] == [WARD_ID, "ho-hoan-kiem"] and row["changes"][schema.START] == "2027-01-10"
    )


@pytest.mark.parametrize("kind", ["closed", "member"])
def test_closed_and_member_need_only_a_source(store_url: str, kind: str) -> None:
    at = open_page("suggest", {"kind": kind, "space": WARD_ID})
    assert at.radio(key="sg_kind").value == kind and not components(at)
    at.radio(key="sg_source_kind").set_value("operator")
    send(at)  # "I run this space" without a contact
    assert rows(store_url) == []
    assert any("reviewers need a way to reach" in b for b in boxes(at))
    at.text_input(key="sg_contact").input("lan@example.vn")
    send(at)
    sent_reference(at)
    (row,) = rows(store_url)
    assert row["kind"] == kind and row["source"] == "operator" and row["contact"] == "lan@example.vn"


def test_a_filled_honeypot_stores_nothing_but_looks_sent(store_url: str) -> None:
    at = open_page("suggest", {"space": WARD_ID})
    at.text_input(key="sg_coords").input("21.02095, 105.85013").run()
    at.text_input(key="sg_source").input(OSM)
    at.text_input(key="sg_hp").input("http://spam.example")
    send(at)
    sent_reference(at)  # a bot sees what a person sees
    assert rows(store_url) == []


def test_the_honeypot_is_hidden_from_people_and_screen_readers(store_url: str) -> None:
    at = open_page("suggest", {"space": WARD_ID})
    styles = " ".join(h.proto.body for h in at.get("html"))
    assert ".st-key-sg_trap{position:absolute!important;left:-10000px" in styles
    assert 'setAttribute("aria-hidden", "true")' in styles and 'setAttribute("tabindex", "-1")' in styles
    scripts = [h for h in at.get("html") if "aria-hidden" in h.proto.body]
    assert scripts and all(h.proto.unsafe_allow_javascript for h in scripts)


def test_a_burst_is_refused_with_the_library_message(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREATIVE_MAP_SUGGESTIONS_PER_SENDER_HOUR", "2")
    at = open_page("suggest", {"space": WARD_ID, "lang": "en"})
    for n in range(2):
        at.text_input(key="sg_coords").input(f"21.0209{n}, 105.8501{n}").run()
        at.text_input(key="sg_source").input(OSM)
        send(at)
        sent_reference(at)
        at.button(key="sg_again").click().run()
    at.text_input(key="sg_coords").input("21.02099, 105.85019").run()
    at.text_input(key="sg_source").input(OSM)
    send(at)
    assert not at.success and len(rows(store_url)) == 2
    (shown,) = [b for b in boxes(at) if "last hour" in b]
    assert "many suggestions" in shown and "you have sent 2 suggestions in the last hour" in shown
    at.radio(key="sg_kind").set_value("closed").run()  # the app still answers
    assert not at.exception and at.radio(key="sg_kind").value == "closed"


def test_the_sender_is_the_address_else_the_session() -> None:
    assert shared.sender_of("203.0.113.5", "abc") == "203.0.113.5"
    assert shared.sender_of(None, "abc") == shared.sender_of("", "abc") == "session:abc"


def test_texts_from_senders_are_escaped_in_messages(store_url: str) -> None:
    at = open_page("suggest", {"kind": "closed", "space": WARD_ID, "lang": "en"})
    at.text_input(key="sg_source").input("<img src=x onerror=alert(1)>")
    send(at)
    html_shown = " ".join(box_html(at))
    assert "<img" not in html_shown and "&lt;img src=x" in html_shown


def test_english_labels(store_url: str) -> None:
    at = open_page("suggest", first={"lang": "en"})
    assert at.title[0].value == "Suggest a change to the map"
    assert at.radio(key="sg_kind").format_func("member") == "I run this space / it is a network member"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21.0285, 105.8542", (21.0285, 105.8542)),
        ("21,0285 105,8542", (21.0285, 105.8542)),
        ("(21.0285; 105.8542)", (21.0285, 105.8542)),
        ("", None),
    ],
)
def test_typed_positions(text: str, expected: tuple[float, float] | None) -> None:
    assert drafts.parse_position(text) == expected


@pytest.mark.parametrize("text", ["here", "105.8542, 221.0", "21.0285"])
def test_typed_positions_that_cannot_be_read(text: str) -> None:
    with pytest.raises(ValueError, match="latitude"):
        drafts.parse_position(text)


def test_changes_keep_only_what_differs_and_a_real_move() -> None:
    current = {schema.NAME_VI: "Xưởng", schema.WEBSITE: None, schema.STATUS: "active"}
    values = {schema.NAME_VI: " Xưởng ", schema.WEBSITE: "", schema.STATUS: "active"}
    here = (21.02, 105.851)
    assert drafts.changes_for("correction", values, current=current, current_position=here, position=here) == {}
    moved = drafts.changes_for(
        "correction",
        values,
        current=current,
        current_position=here,
        position=(21.0201, 105.851),
        precision_claim="street",
    )
    assert moved == {
        schema.GEOMETRY: {"type": "Point", "coordinates": [105.851, 21.0201]},
        schema.POSITION_PRECISION: "street",
    }
    assert drafts.changes_for("closed", {}, extra_sources="https://a.vn\nhttps://b.vn https://a.vn") == {
        schema.SOURCES: ["https://a.vn", "https://b.vn"]
    }


def test_the_status_page_shows_status_reason_and_dates_only(store_url: str) -> None:
    store = store_at(store_url)
    draft = Draft("correction", {"website": "https://gom.example.vn"}, "operator", space_id=WARD_ID,
                  note="private note", contact="0912 345 678")  # fmt: skip
    reference = submit(store, draft, sender="203.0.113.5").reference
    at = open_page("status", {"ref": reference.lower()}, first={"lang": "en"})
    assert at.subheader[0].value == "Awaiting review"
    shown = " ".join(texts(at)) + " ".join(m.value for m in at.markdown)
    assert reference in shown and "Hanoi time" in shown
    page = json.dumps([e.proto.body for e in at.get("html")]) + shown
    assert "0912" not in page and "private" not in page and "gom.example" not in page
    add_reviewer(store, "lan", "a long password 1")
    reject(store, reference, reviewer="lan", reason="Không đúng <b>địa chỉ</b>")
    at.run()
    assert at.subheader[0].value == "Rejected"
    assert "Không đúng <b>địa chỉ</b>" in texts(at)  # as plain text
    at.text_input(key="st_ref").input("CM-0000-0000-0000").run()
    assert any("No suggestion has this reference" in b for b in boxes(at))
    store.close()


def test_a_position_outside_hanoi_is_refused_next_to_the_map(store_url: str) -> None:
    at = open_page("suggest", {"space": WARD_ID, "lang": "en"})
    at.text_input(key="sg_coords").input("10.7769, 106.7009").run()  # Ho Chi Minh City
    at.text_input(key="sg_source").input(OSM)
    send(at)
    assert rows(store_url) == []
    after = message_after(at, "sg_coords")
    assert "outside Hanoi" in after and "To fix" in after


def test_after_sending_a_link_follows_the_suggestion(store_url: str) -> None:
    at = open_page("suggest", {"space": WARD_ID})
    at.text_input(key="sg_coords").input("21.02095, 105.85013").run()
    at.text_input(key="sg_source").input(OSM)
    send(at)
    reference = sent_reference(at)
    (link,) = at.get("page_link")
    assert (link.proto.page, link.proto.query_string) == ("status", f"ref={reference}")
