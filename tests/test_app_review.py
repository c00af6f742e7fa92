"""The Review page, run headless with AppTest on a copy of the data and an SQLite store: the login (wrong,
right, throttled; no password kept), the queue beside the record, approving (the public map shows it at once),
rejecting with a reason, a conflict and its re-base, an edit before approving, the history and a revert."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from creative_map import load, schema
from creative_map.suggestions import Draft, add_reviewer, approve, history, public_status, submit

from .app_helpers import boxes, components, open_page, store_at, texts, use_store
from .test_app import map_args

WARD_ID = "xuong-gom-ba-trieu"
OSM = "https://www.openstreetmap.org/node/123456"
PASSWORD = "a long password 1"
MOVED = {"geometry": {"type": "Point", "coordinates": [105.85013, 21.02095]}}


@pytest.fixture
def store_url(suggestion_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast_hashing: None) -> str:
    """The app on a copy of the data with a fresh SQLite store holding one reviewer, "lan"."""
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(suggestion_data))
    url = use_store(tmp_path, monkeypatch)
    store = store_at(url)
    add_reviewer(store, "lan", PASSWORD)
    store.close()
    return url


def suggest(url: str, draft: Draft, sender: str = "203.0.113.5") -> str:
    store = store_at(url)
    try:
        return submit(store, draft, sender=sender).reference
    finally:
        store.close()


def move(url: str, note: str = "", contact: str = "", source: str = OSM) -> str:
    return suggest(url, Draft("correction", MOVED, source, space_id=WARD_ID, note=note, contact=contact))


def login(at, name: str = "lan", password: str = PASSWORD):
    at.text_input(key="rv_name").input(name)
    at.text_input(key="rv_password").input(password)
    at.button(key="rv_login_button").click().run()
    assert not at.exception, at.exception
    return at


def logged_in(lang: str = "en"):
    at = open_page("review", {"lang": lang})
    login(at)
    assert "rv_reviewer" in at.session_state
    return at


def test_a_wrong_password_is_refused(store_url: str) -> None:
    at = login(open_page("review", {"lang": "en"}), password="not the password")
    assert "rv_reviewer" not in at.session_state
    assert any("Wrong name or password" in b for b in boxes(at))
    assert not at.get("tabs") and at.text_input(key="rv_password").value == ""


def test_the_right_password_logs_in_and_is_not_kept(store_url: str) -> None:
    at = logged_in()
    assert at.session_state["rv_reviewer"] == "lan"
    assert "Logged in as lan" in texts(at)
    state = at.session_state._state._state  # everything Session State holds, widgets included
    kept = {k: state[k] for k in state.filtered_state} | dict(state._new_widget_state.items())
    assert PASSWORD not in repr(kept)
    at.button(key="rv_logout").click().run()
    assert "rv_reviewer" not in at.session_state and at.text_input(key="rv_name").value == ""


def test_failed_logins_are_slowed_down_and_the_wait_is_shown(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREATIVE_MAP_LOGIN_FREE_FAILURES", "2")
    at = open_page("review", {"lang": "en"})
    for _ in range(2):
        login(at, password="wrong password!")
        assert any("Wrong name or password" in b for b in boxes(at))
    login(at)  # the right password, but too soon
    assert "rv_reviewer" not in at.session_state
    (shown,) = [b for b in boxes(at) if "Too many failed logins" in b]
    assert "try again in 1 s" in shown


def test_the_queue_shows_each_suggestion_beside_its_record(store_url: str) -> None:
    first = move(store_url, note="**bold** <b>x</b> [link](http://evil.example)", contact="lan@example.vn")
    suggest(store_url, Draft("closed", {}, "https://example.org/closed", space_id="ho-hoan-kiem"))
    at = logged_in()
    assert at.selectbox(key="rv_pick").value == 1  # the oldest first
    assert at.subheader[0].value == f"A correction to a space · {first}"
    assert any("Valid against the data's schema" in b for b in boxes(at))
    table = at.dataframe[0].value
    assert list(table.columns) == ["Field", "Now", "Proposed", "Changed since"]
    assert dict(zip(table["Field"], table["Proposed"], strict=True))["Position"] == "21.020950, 105.850130"
    assert dict(zip(table["Field"], table["Now"], strict=True))["Position"] == "21.020000, 105.851000"
    assert dict(zip(table["Field"], table["Proposed"], strict=True))["Precision of the position"] == "exact"
    (both,) = components(at)  # both positions on one map
    assert '"current":[21.02,105.851]' in both["script"] and '"proposed":[21.02095,105.85013]' in both["script"]
    assert '"draggable":false' in both["script"] and both["returned_objects"] == []
    assert any("Dashed ring" in c.value for c in at.caption)  # told apart by shape, not only colour
    sources = [h.proto.body for h in at.get("html") if "cm-source" in h.proto.body]
    assert sources == [f'<p class="cm-source"><a href="{OSM}" target="_blank" rel="noopener noreferrer">{OSM}</a></p>']
    assert "**bold** <b>x</b> [link](http://evil.example)" in texts(at)  # plain text, not Markdown
    assert "lan@example.vn" in texts(at)
    at.selectbox(key="rv_kind").set_value("closed").run()
    assert at.selectbox(key="rv_pick").value == 2
    assert at.subheader[0].value.startswith("This space has closed")


def test_approving_puts_the_change_on_the_public_map_at_once(store_url: str, suggestion_data: Path) -> None:
    reference = move(store_url)
    at = open_page(first={"sel": WARD_ID, "lang": "en"})  # the public map, before
    before = map_args(at)["feature_group"]
    assert '"exact":false' in before and "[21.02,105.851]" in before
    login(at.switch_page("app_pages/review.py").run())
    at.button(key="rv_approve_1").click().run()
    assert any("Approved: revision 1" in b for b in boxes(at))
    assert public_status(store_at(store_url), reference).status == "approved"
    space = load(suggestion_data).spaces.set_index(schema.ID).loc[WARD_ID]
    assert (space[schema.REP_LAT], space[schema.REP_LON]) == (21.02095, 105.85013)
    assert space[schema.POSITION_PRECISION] == "exact"
    at.switch_page("app_pages/map.py").run()  # the same session goes back to the map
    after = map_args(at)["feature_group"]
    assert '"exact":true' in after and "[21.02095,105.85013]" in after
    assert at.query_params.get("sel") in (WARD_ID, [WARD_ID])  # the view as it was left


def test_rejecting_needs_a_reason_that_the_sender_reads(store_url: str) -> None:
    reference = move(store_url)
    at = logged_in()
    at.button(key="rv_reject_1").click().run()
    assert any("give a reason" in b for b in boxes(at))
    at.text_area(key="rv_reason_1").input("Not on this street.").run()
    at.button(key="rv_reject_1").click().run()
    assert any("Rejected; the sender can read the reason" in b for b in boxes(at))
    status = public_status(store_at(store_url), reference)
    assert status.status == "rejected" and status.reason == "Not on this street."
    assert any("No suggestion here" in i.value for i in at.info)


def test_a_conflict_is_shown_and_approved_only_after_a_rebase(store_url: str, suggestion_data: Path) -> None:
    suggest(store_url, Draft("correction", {"website": "https://gom.example.vn"}, "https://hanoimoi.vn/gom",
                             space_id=WARD_ID))  # fmt: skip
    move(store_url)
    approve(store_at(store_url), 1, reviewer="lan", data=suggestion_data)  # the record changes meanwhile
    at = logged_in()
    (conflict,) = [b for b in boxes(at) if b.startswith("Conflict")]
    assert "Website" in conflict
    assert at.button(key="rv_approve_2").disabled
    at.checkbox(key="rv_rebase_2").check().run()
    assert not at.button(key="rv_approve_2").disabled
    at.button(key="rv_approve_2").click().run()
    assert any("Approved: revision 2" in b for b in boxes(at))
    space = load(suggestion_data).spaces.set_index(schema.ID).loc[WARD_ID]
    assert space[schema.WEBSITE] == "https://gom.example.vn" and space[schema.REP_LAT] == 21.02095


def test_an_edit_before_approving_is_checked_and_errors_forbid_approving(store_url: str, suggestion_data: Path) -> None:
    move(store_url)
    at = logged_in()
    at.text_area(key="rv_edit_1").input("{not json").run()
    assert any("not valid JSON" in b for b in boxes(at)) and at.button(key="rv_approve_1").disabled
    at.text_area(key="rv_edit_1").input(json.dumps({**MOVED, "opening_hours": "whenever"})).run()
    assert any("Errors" in b and "opening_hours syntax" in b for b in boxes(at))
    assert at.button(key="rv_approve_1").disabled
    at.text_area(key="rv_edit_1").input(json.dumps({**MOVED, "opening_hours": "Tu-Su 09:00-17:00"})).run()
    at.selectbox(key="rv_precision_1").set_value("street").run()
    assert not at.button(key="rv_approve_1").disabled
    at.button(key="rv_approve_1").click().run()
    assert any("Approved" in b for b in boxes(at))
    space = load(suggestion_data).spaces.set_index(schema.ID).loc[WARD_ID]
    assert space[schema.OPENING_HOURS] == "Tu-Su 09:00-17:00" and space[schema.POSITION_PRECISION] == "street"


def test_the_history_lists_revisions_and_a_revert_restores_the_record(store_url: str, suggestion_data: Path) -> None:
    reference = move(store_url)
    at = logged_in()
    at.button(key="rv_approve_1").click().run()
    assert "rv_history_id" not in [s.key for s in at.selectbox]  # only the open tab is built
    at.session_state["rv_tab"] = "History and undo"  # what clicking the tab does
    at.run()
    assert at.get("tab")[1].label == "History and undo"
    at.selectbox(key="rv_history_id").set_value(WARD_ID).run()
    shown = " ".join(texts(at))
    assert "Revision 1" in " ".join(m.value for m in at.markdown) and f"from suggestion {reference}" in shown
    assert "Position" in shown and "lan" in shown
    at.button(key="rv_undo_1").click().run()
    assert any("Revision 1 undone (new revision 2)" in b for b in boxes(at))
    space = load(suggestion_data).spaces.set_index(schema.ID).loc[WARD_ID]
    assert (space[schema.REP_LAT], space[schema.POSITION_PRECISION]) == (21.02, "ward")
    assert [r.reverts for r in history(store_at(store_url), WARD_ID)] == [None, 1]
    at.button(key="rv_undo_1").click().run()  # the record changed since revision 1: a conflict, nothing written
    assert any("Conflict" in b for b in boxes(at))
