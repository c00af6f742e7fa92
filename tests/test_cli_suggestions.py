"""The command line of the suggestion box, on SQLite and PostgreSQL: db upgrade, suggest, suggestions
list/show/approve/reject, reviewers, history and revert; the whole path from a suggested position to its
revert; passwords never echoed; limits; and every command given bad input ends in a message, never a traceback."""

from __future__ import annotations

import getpass
import json
import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from creative_map.cli import EXIT_DATA, EXIT_OK, EXIT_USAGE, main
from creative_map.cli._text import WIDTH, plain
from creative_map.suggestions import get_suggestion, list_reviewers, open_store
from creative_map.suggestions.canonical import dumps
from creative_map.suggestions.datafile import read
from creative_map.suggestions.senders import sender_key
from creative_map.suggestions.settings import ENV_NAMES
from creative_map.suggestions.tables import suggestions

from .conftest import make_space

WARD_ID = "xuong-gom-ba-trieu"
OLD_POINT = [105.851, 21.02]
NEW_POINT = [105.8491, 21.0161]
OSM_NODE = "https://www.openstreetmap.org/node/123456"
PAGE = "https://hanoimoi.vn/xuong-gom"
CONTACT = "chu.xuong@example.vn"
PASSWORD = "correct horse battery"


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


Run = Callable[..., Result]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No store, data or limits from the environment of whoever runs the tests."""
    for var in ("CREATIVE_MAP_DB", "CREATIVE_MAP_DATA", *ENV_NAMES.values()):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def cli(
    store_url: str, suggestion_data: Path, fast_hashing: None, clean_env: None, capsys: pytest.CaptureFixture[str]
) -> Run:
    """Run ``creative-map ARGS --db STORE --data DATA`` in this process; return its exit code and output."""

    def run(*argv: str, store: bool = True) -> Result:
        extra = ["--db", store_url, "--data", str(suggestion_data)] if store else []
        capsys.readouterr()
        try:
            code = main([*argv, *extra])
        except SystemExit as exc:  # argparse: --help, usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def reviewer(cli: Run, tmp_path: Path) -> str:
    """Reviewer ``lan`` added through the command line with a password file."""
    secret = tmp_path / "lan.password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    secret.chmod(0o600)
    result = cli("reviewers", "add", "lan", "--password-file", str(secret))
    assert result.code == EXIT_OK, result.err
    return "lan"


def _suggestion_file(tmp_path: Path, name: str = "s.json", **fields: Any) -> Path:
    body = {"kind": "correction", "space_id": WARD_ID, "source": OSM_NODE} | fields
    body.setdefault("changes", {"geometry": {"type": "Point", "coordinates": NEW_POINT}})
    path = tmp_path / name
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


def _suggest(cli: Run, tmp_path: Path, **fields: Any) -> str:
    result = cli("suggest", "--file", str(_suggestion_file(tmp_path, **fields)))
    assert result.code == EXIT_OK, result.err
    return result.lines[-1]


def _space(data: Path, space_id: str = WARD_ID) -> dict[str, Any]:
    return read(data).spaces[space_id]


def _fits(text: str) -> bool:
    return all(len(line) <= WIDTH for line in text.splitlines())


# --------------------------------------------------------------------------------------------- the whole path


def test_the_whole_path_from_a_suggested_position_to_its_revert(
    cli: Run, reviewer: str, suggestion_data: Path, tmp_path: Path
) -> None:
    assert _space(suggestion_data)["properties"]["position_precision"] == "ward"
    sent = cli("suggest", "--file", str(_suggestion_file(tmp_path, note="In the back yard.", contact=CONTACT)))
    assert sent.code == EXIT_OK, sent.err
    reference = sent.lines[-1]
    assert reference.startswith("CM-") and len(reference) == len("CM-7KQ4-M2XD-9PTA")
    assert "stored suggestion 1 (correction of space 'xuong-gom-ba-trieu'); it awaits review" in sent.out

    listed = cli("suggestions", "list")
    assert listed.code == EXIT_OK and " ".join(listed.lines[0].split()) == "# reference kind status sent (Hanoi) record"
    assert listed.lines[1].split()[:4] == ["1", reference, "correction", "pending"] and WARD_ID in listed.lines[1]

    shown = cli("suggestions", "show", "1")
    assert shown.code == EXIT_OK, shown.err
    assert f"suggestion 1 · {reference} · correction of space '{WARD_ID}'" in shown.out
    assert CONTACT in shown.out and "for reviewers only" in shown.out and "In the back yard." in shown.out
    assert "conflict    none" in shown.out
    assert "precision   exact: the source is a map link that pins the place" in shown.out
    rows = {line.split()[1]: line.split()[2:] for line in shown.lines if line.startswith("*  ")}
    assert rows["geometry"] == ["point", "105.85100,", "21.02000", "point", "105.84910,", "21.01610"]
    assert rows["position_precision"] == ["ward", "exact"]
    assert "validation  valid: it can be approved" in shown.out and _fits(shown.out)

    approved = cli("suggestions", "approve", "1", "--reviewer", reviewer)
    assert approved.code == EXIT_OK, approved.err
    assert f"approved suggestion 1 ({reference}) as revision 1: space '{WARD_ID}'" in approved.out
    assert f"written     {suggestion_data}" in approved.out and "precision   exact" in approved.out
    feature = _space(suggestion_data)
    assert feature["geometry"]["coordinates"] == NEW_POINT
    assert feature["properties"]["position_precision"] == "exact"
    assert feature["properties"]["sources"][0] == OSM_NODE

    past = cli("history", WARD_ID)
    assert past.code == EXIT_OK and past.lines[0] == f"1 revision(s) of space '{WARD_ID}', oldest first"
    title = next(line for line in past.lines if line.startswith("revision 1 "))
    assert f"by {reviewer} · suggestion 1 ({reference}) · changed" in title
    assert any(line.startswith("*  geometry") and "105.84910, 21.01610" in line for line in past.lines)
    assert _fits(past.out)

    undone = cli("revert", "1", "--reviewer", reviewer)
    assert undone.code == EXIT_OK, undone.err
    assert f"revision 2 put space '{WARD_ID}' back as it was before revision 1" in undone.out
    feature = _space(suggestion_data)
    assert feature["geometry"]["coordinates"] == OLD_POINT
    assert feature["properties"]["position_precision"] == "ward"

    revisions = json.loads(cli("history", WARD_ID, "--format", "json").out)
    assert [(r["revision"], r["suggestion"], r["reverts"]) for r in revisions] == [(1, reference, None), (2, None, 1)]
    assert (
        "geometry" in revisions[1]["changed_fields"] and revisions[1]["after"]["geometry"]["coordinates"] == OLD_POINT
    )
    assert "reverts revision 1" in cli("history", WARD_ID).out

    after = cli("suggestions", "show", reference)  # a decided one shows the change that was made
    assert "approved by lan" in after.out and "revision    1" in after.out and "before" in after.out


def test_a_rejection_and_its_reason_are_shown_by_reference(cli: Run, reviewer: str, tmp_path: Path) -> None:
    reference = _suggest(cli, tmp_path, source="operator", contact=CONTACT)
    rejected = cli("suggestions", "reject", "1", "--reviewer", reviewer, "--reason", "The workshop is on Hàng Bài.")
    assert rejected.code == EXIT_OK, rejected.err
    assert f"rejected suggestion 1 ({reference})" in rejected.out and "The workshop is on Hàng Bài." in rejected.out
    shown = cli("suggestions", "show", reference.lower().replace("-", " "))  # references forgive their spelling
    assert shown.code == EXIT_OK, shown.err
    assert "rejected, sent" in shown.out and "rejected by lan" in shown.out
    assert "reason      The workshop is on Hàng Bài." in shown.out
    again = cli("suggestions", "reject", reference, "--reviewer", reviewer, "--reason", "twice")
    assert again.code == EXIT_DATA and "was rejected already" in again.err
    assert cli("suggestions", "list").out.startswith("no pending suggestions")
    assert reference in cli("suggestions", "list", "--status", "rejected").out
    data = json.loads(cli("suggestions", "show", reference, "--format", "json").out)
    assert data["suggestion"]["status"] == "rejected" and data["suggestion"]["reason"] == "The workshop is on Hàng Bài."


def test_a_reason_is_shown_with_its_control_characters_escaped(cli: Run, reviewer: str, tmp_path: Path) -> None:
    # The reason is typed by staff, not checked like the public's texts: the terminal still gets no escape.
    reference = _suggest(cli, tmp_path)
    assert cli("suggestions", "reject", "1", "--reviewer", reviewer, "--reason", "bad\x1b[2J\u202eplace").code == 0
    shown = cli("suggestions", "show", reference).out
    assert "\x1b" not in shown and "\u202e" not in shown and "bad\\u001b[2J\\u202eplace" in shown
    assert plain("a\nb\tc\x07") == "a\nb\tc\\u0007"


# ----------------------------------------------------------------------------------------------- list and show


def test_the_queue_is_oldest_first_filtered_and_in_json(cli: Run, tmp_path: Path) -> None:
    first = _suggest(cli, tmp_path)
    second = _suggest(cli, tmp_path, kind="member", changes={})
    third = _suggest(cli, tmp_path, kind="closed", space_id="ho-hoan-kiem", changes={})
    listed = cli("suggestions", "list")
    assert [line.split()[1] for line in listed.lines[1:4]] == [first, second, third]
    assert "3 suggestion(s), oldest first" in listed.out and _fits(listed.out)
    only = cli("suggestions", "list", "--kind", "member", "--format", "json")
    rows = json.loads(only.out)
    assert [(r["reference"], r["kind"], r["space_id"]) for r in rows] == [(second, "member", WARD_ID)]
    assert json.loads(cli("suggestions", "list", "--status", "approved", "--format", "json").out) == []
    assert cli("suggestions", "list", "--status", "all").out.count("pending") == 3


def test_list_says_in_its_help_that_it_shows_the_pending_ones(cli: Run) -> None:
    helped = cli("suggestions", "list", "--help", store=False)
    text = " ".join(helped.out.split())  # as argparse wraps it for any terminal width
    assert helped.code == EXIT_OK and "without --status: the pending ones" in text and "(default: pending)" in text
    shown = " ".join(cli("suggestions", "show", "--help", store=False).out.split())
    assert "contact (for reviewers only: never shown to the public)" in shown


def test_show_in_json_and_with_a_reviewer_edit(cli: Run, tmp_path: Path) -> None:
    reference = _suggest(cli, tmp_path, source=PAGE, contact=CONTACT)
    data = json.loads(cli("suggestions", "show", "1", "--format", "json").out)
    assert data["suggestion"]["reference"] == reference and data["suggestion"]["contact"] == CONTACT
    assert data["precision"] == "street" and data["conflict"] is False and data["revision"] is None
    changed = {f["field"]: (f["current"], f["proposed"]) for f in data["fields"] if f["changed"]}
    assert changed["position_precision"] == ("ward", "street")
    edit = tmp_path / "edit.json"
    edit.write_text(json.dumps({"geometry": {"type": "Point", "coordinates": NEW_POINT}, "website": "x"}))
    shown = cli("suggestions", "show", "1", "--changes", str(edit), "--precision", "exact")
    assert shown.code == EXIT_OK, shown.err
    assert "1 error(s): approving is refused until they are fixed" in shown.out
    assert "error     field 'website': 'x' is not valid" in shown.out
    assert "precision   exact: set by the reviewer" in shown.out


def test_long_values_are_wrapped_to_100_columns(cli: Run, tmp_path: Path) -> None:
    long = "Một không gian sáng tạo rất dài " * 40
    _suggest(
        cli,
        tmp_path,
        source=PAGE,
        changes={"description_vi": long.strip(), "website": "https://gom.example.vn/" + "a" * 150},
    )
    shown = cli("suggestions", "show", "1", "--all-fields")
    assert shown.code == EXIT_OK and _fits(shown.out)
    assert any(line.startswith("*  description_vi") for line in shown.lines) and "…" in shown.out
    assert len(shown.lines) < 120


# ------------------------------------------------------------------------------------------ approve and reject


def test_approve_with_an_edit_and_a_precision(cli: Run, reviewer: str, suggestion_data: Path, tmp_path: Path) -> None:
    _suggest(cli, tmp_path, source=PAGE)
    edit = tmp_path / "edit.json"
    edit.write_text(json.dumps({"geometry": {"type": "Point", "coordinates": [105.8495, 21.0165]}}))
    approved = cli(
        "suggestions", "approve", "1", "--reviewer", reviewer, "--changes", str(edit), "--precision", "exact"
    )
    assert approved.code == EXIT_OK, approved.err
    feature = _space(suggestion_data)
    assert feature["geometry"]["coordinates"] == [105.8495, 21.0165]
    assert feature["properties"]["position_precision"] == "exact"


def test_a_public_page_supports_a_street_position(
    cli: Run, reviewer: str, suggestion_data: Path, tmp_path: Path
) -> None:
    _suggest(cli, tmp_path, source=PAGE)
    assert cli("suggestions", "approve", "1", "--reviewer", reviewer).code == EXIT_OK
    assert _space(suggestion_data)["properties"]["position_precision"] == "street"


def test_a_conflict_is_refused_until_rebased(cli: Run, reviewer: str, suggestion_data: Path, tmp_path: Path) -> None:
    _suggest(cli, tmp_path)
    _suggest(cli, tmp_path, changes={"website": "https://gom.example.vn"}, source=PAGE)
    assert cli("suggestions", "approve", "1", "--reviewer", reviewer).code == EXIT_OK
    shown = cli("suggestions", "show", "2")
    assert "conflict    yes: the record changed after the suggestion was sent" in shown.out and "geometry" in shown.out
    before = suggestion_data.read_bytes()
    refused = cli("suggestions", "approve", "2", "--reviewer", reviewer)
    assert refused.code == EXIT_DATA and "changed after the suggestion was sent" in refused.err
    assert "--rebase" in refused.err and suggestion_data.read_bytes() == before
    assert cli("suggestions", "approve", "2", "--reviewer", reviewer, "--rebase").code == EXIT_OK
    props = _space(suggestion_data)["properties"]
    assert props["website"] == "https://gom.example.vn" and props["position_precision"] == "exact"


def test_revert_refuses_when_a_later_revision_changed_the_record(
    cli: Run, reviewer: str, suggestion_data: Path, tmp_path: Path
) -> None:
    _suggest(cli, tmp_path)
    _suggest(cli, tmp_path, changes={"website": "https://gom.example.vn"}, source=PAGE)
    assert cli("suggestions", "approve", "1", "--reviewer", reviewer).code == EXIT_OK
    assert cli("suggestions", "approve", "2", "--reviewer", reviewer, "--rebase").code == EXIT_OK
    refused = cli("revert", "1", "--reviewer", reviewer)
    assert refused.code == EXIT_DATA and "revert the later revisions first" in refused.err
    assert cli("revert", "2", "--reviewer", reviewer).code == EXIT_OK
    assert cli("revert", "1", "--reviewer", reviewer).code == EXIT_OK
    assert _space(suggestion_data)["geometry"]["coordinates"] == OLD_POINT


def test_a_new_space_approved_then_reverted_is_removed(
    cli: Run, reviewer: str, suggestion_data: Path, tmp_path: Path
) -> None:
    props = make_space(105.8545, 21.0245, id="nha-sang-tao", sources=[])["properties"]
    changes = {k: v for k, v in props.items() if k not in ("last_verified", "sources")}
    changes["geometry"] = {"type": "Point", "coordinates": [105.8545, 21.0245]}
    _suggest(cli, tmp_path, kind="new_space", space_id=None, changes=changes, source=PAGE)
    assert cli("suggestions", "approve", "1", "--reviewer", reviewer).code == EXIT_OK
    assert "nha-sang-tao" in read(suggestion_data).spaces
    past = cli("history", "nha-sang-tao")
    assert "· added" in past.out
    undone = cli("revert", "1", "--reviewer", reviewer)
    assert "removed space 'nha-sang-tao' (revision 1 had added it)" in undone.out
    assert "nha-sang-tao" not in read(suggestion_data).spaces


# ------------------------------------------------------------------------------------------------- history


def test_history_of_a_space_without_revisions_and_of_an_unknown_id(cli: Run) -> None:
    quiet = cli("history", "ho-hoan-kiem")
    assert quiet.code == EXIT_OK and "no revisions of 'ho-hoan-kiem'" in quiet.out
    assert json.loads(cli("history", "ho-hoan-kiem", "--format", "json").out) == []
    unknown = cli("history", "xuong-gom-ba-trie")
    assert unknown.code == EXIT_DATA and "did you mean 'xuong-gom-ba-trieu'?" in unknown.err


# ---------------------------------------------------------------------------------------------- suggest


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "ends before the JSON does"),
        ("", "is empty; expected a JSON object"),
        ("[1]", "is a JSON list; expected an object"),
        ('{"kind": "correction", "space_id": "x", "changes": {}, "source": "https://a.vn", "who": 1}',
         "who: unknown key"),
        ('{"kind": "opinion", "changes": {}, "source": "https://a.vn"}', "'opinion' is not a kind of suggestion"),
        ('{"kind": "correction", "changes": {}, "source": "https://a.vn"}', "space_id: is missing"),
        ('{"kind": "correction", "space_id": "xuong-gom", "changes": {"website": "https://a.vn"}, "source": "x"}',
         "'x' is not an http(s) address"),
        ('{"kind": "correction", "space_id": "xuong-gom-ba-trieux", "changes": {"website": "https://a.vn"}, '
         '"source": "https://a.vn"}', "did you mean 'xuong-gom-ba-trieu'?"),
        ('{"kind": "correction", "space_id": "xuong-gom-ba-trieu", "changes": {"category": "bar"}, '
         '"source": "https://a.vn"}', "category"),
        ('{"kind": "correction", "space_id": "xuong-gom-ba-trieu", "changes": {"website": "https://a.vn"}, '
         '"source": "operator"}', "contact: is missing"),
    ],
)  # fmt: skip
def test_a_bad_suggestion_file_is_refused_with_the_library_message(
    cli: Run, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    result = cli("suggest", "--file", str(path))
    assert result.code == EXIT_DATA and result.err.startswith("error: ") and message in result.err
    assert result.out == ""
    assert json.loads(cli("suggestions", "list", "--status", "all", "--format", "json").out) == []


def test_a_burst_beyond_the_sender_limit_is_refused_with_its_message(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CREATIVE_MAP_SUGGESTIONS_PER_SENDER_HOUR", "3")
    path = _suggestion_file(tmp_path, changes={"website": "https://gom.example.vn"}, source=PAGE)
    results = [cli("suggest", "--file", str(path)) for _ in range(6)]
    assert [r.code for r in results] == [EXIT_OK] * 3 + [EXIT_DATA] * 3
    assert "you have sent 3 suggestions in the last hour, the most accepted" in results[3].err
    assert len(json.loads(cli("suggestions", "list", "--format", "json").out)) == 3


def test_a_suggestion_beyond_the_size_limit_is_refused(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CREATIVE_MAP_MAX_SUGGESTION_BYTES", "300")
    result = cli("suggest", "--file", str(_suggestion_file(tmp_path, note="x" * 400)))
    assert result.code == EXIT_DATA and "bytes, more than the 300 accepted; shorten it" in result.err
    monkeypatch.setenv("CREATIVE_MAP_MAX_SUGGESTION_BYTES", "lots")
    result = cli("suggest", "--file", str(_suggestion_file(tmp_path)))
    assert result.code == EXIT_DATA and "CREATIVE_MAP_MAX_SUGGESTION_BYTES='lots' is not a whole number" in result.err


def test_the_sender_is_the_login_name(cli: Run, store_url: str, tmp_path: Path) -> None:
    reference = _suggest(cli, tmp_path)
    store = open_store(store_url)
    try:
        with store.reading() as conn:
            query = sa.select(suggestions.c.sender_key).where(suggestions.c.reference == reference)
            key = conn.execute(query).scalar()
        assert key == sender_key(f"cli:{getpass.getuser()}", salt=store.sender_salt)
        assert get_suggestion(store, reference).source == OSM_NODE
    finally:
        store.close()


# -------------------------------------------------------------------------------------------------- the store


def test_db_upgrade_prints_the_versions_and_the_env_var_or_db_names_the_store(
    cli: Run, store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = cli("db", "upgrade")
    assert created.code == EXIT_OK and created.out.endswith(": schema version 0 → 1 (created)\n")
    again = cli("db", "upgrade")
    assert again.out.endswith(": schema version 1 → 1 (already the latest: nothing to do)\n")
    monkeypatch.setenv("CREATIVE_MAP_DB", store_url)
    via_env = cli("db", "upgrade", store=False)
    assert via_env.code == EXIT_OK and "1 → 1" in via_env.out
    monkeypatch.setenv("CREATIVE_MAP_DB", "mysql://nowhere/x")
    assert cli("suggestions", "list").code == EXIT_OK  # --db overrides the variable
    refused = cli("suggestions", "list", store=False)
    assert refused.code == EXIT_DATA and "`CREATIVE_MAP_DB` 'mysql://nowhere/x' is neither" in refused.err
    other = tmp_path / "elsewhere" / "other.sqlite3"
    made = cli("db", "upgrade", "--db", f"sqlite:///{other}", store=False)
    assert made.code == EXIT_OK and "0 → 1 (created)" in made.out and other.is_file()


def test_a_store_that_cannot_be_reached_is_a_message(cli: Run, tmp_path: Path) -> None:
    for argv in (["db", "upgrade"], ["suggestions", "list"]):
        result = cli(*argv, "--db", "postgresql://nobody@127.0.0.1:1/none", store=False)
        assert result.code == EXIT_DATA and result.err.startswith("error: cannot reach the store")
    bad = cli("suggestions", "list", "--db", "sqlite://", store=False)
    assert bad.code == EXIT_DATA and "--db 'sqlite://' names no file" in bad.err


# ---------------------------------------------------------------------------------------------- reviewers


def test_reviewers_add_from_a_password_file_list_and_remove(
    cli: Run, tmp_path: Path, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD + "\r\n", encoding="utf-8")
    secret.chmod(0o600)
    added = cli("reviewers", "add", "Lan", "--password-file", str(secret))
    assert added.code == EXIT_OK and added.out == "added reviewer lan\n" and added.err == ""
    assert PASSWORD not in added.out + added.err
    assert cli("reviewers", "list").out == "lan\n"
    assert json.loads(cli("reviewers", "list", "--format", "json").out) == ["lan"]
    taken = cli("reviewers", "add", "lan", "--password-file", str(secret))
    assert taken.code == EXIT_DATA and "there is a reviewer named 'lan' already" in taken.err
    changed = cli("reviewers", "password", "lan", "--password-file", str(secret))
    assert changed.code == EXIT_OK and PASSWORD not in changed.out + changed.err
    removed = cli("reviewers", "remove", "lan")
    assert removed.code == EXIT_OK and "removed reviewer lan" in removed.out
    assert cli("reviewers", "list").out.startswith("no reviewers yet")
    store = open_store(store_url)
    try:
        assert list_reviewers(store) == []
    finally:
        store.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"two words\nand lines\n", "holds more than one line"),
        (b"pw-1234\n", "the password is too short"),
        (b" spaced secret1 \n", "starts or ends with a space"),
        (b"\xff\xfe\x00x-password", "is not UTF-8 text"),
    ],
)
def test_a_bad_password_file_is_refused_without_showing_it(
    cli: Run, tmp_path: Path, content: bytes, message: str
) -> None:
    secret = tmp_path / "pw"
    secret.write_bytes(content)
    secret.chmod(0o600)
    result = cli("reviewers", "add", "lan", "--password-file", str(secret))
    assert result.code == EXIT_DATA and message in result.err
    assert all(word not in result.err for word in content.decode(errors="ignore").split() if len(word) > 3)
    assert cli("reviewers", "list").out.startswith("no reviewers yet")


def test_a_password_file_readable_by_everyone_is_used_with_a_warning(cli: Run, tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD, encoding="utf-8")
    secret.chmod(0o644)
    result = cli("reviewers", "add", "lan", "--password-file", str(secret))
    assert result.code == EXIT_OK and "can be read by every user of this machine" in result.err
    missing = cli("reviewers", "add", "minh", "--password-file", str(tmp_path / "none"))
    assert missing.code == EXIT_DATA and "cannot be read" in missing.err


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[str]]:
    """Feed `getpass.getpass` the given answers; return the prompts it showed."""

    def feed(*answers: str) -> list[str]:
        prompts: list[str] = []
        queue = list(answers)

        def fake(prompt: str = "Password: ", stream: Any = None) -> str:
            prompts.append(prompt)
            if not queue:
                raise EOFError
            return queue.pop(0)

        monkeypatch.setattr(getpass, "getpass", fake)
        return prompts

    return feed


def test_a_password_is_asked_twice_and_a_mismatch_is_refused(cli: Run, typed: Callable[..., list[str]]) -> None:
    prompts = typed(PASSWORD, PASSWORD + "!")
    refused = cli("reviewers", "add", "lan")
    assert refused.code == EXIT_DATA and "the two passwords differ; nothing was changed" in refused.err
    assert prompts == ["password for lan: ", "the same password for lan again: "]
    assert PASSWORD not in refused.out + refused.err
    assert cli("reviewers", "list").out.startswith("no reviewers yet")
    typed(PASSWORD, PASSWORD)
    added = cli("reviewers", "add", "lan")
    assert added.code == EXIT_OK and PASSWORD not in added.out + added.err
    typed(PASSWORD)  # the input ends before the second answer
    ended = cli("reviewers", "password", "lan")
    assert ended.code == EXIT_DATA and "no password was typed" in ended.err


def test_a_bad_name_is_refused_before_the_password_is_asked(cli: Run, typed: Callable[..., list[str]]) -> None:
    prompts = typed(PASSWORD, PASSWORD)
    result = cli("reviewers", "add", "Lan Anh")
    assert result.code == EXIT_DATA and "'Lan Anh' is not a reviewer name" in result.err and prompts == []
    missing = cli("reviewers", "password", "minh")
    assert missing.code == EXIT_DATA and "no reviewer named 'minh'" in missing.err and prompts == []


def _read_until(fd: int, needle: bytes, seen: bytearray, *, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while needle not in seen:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            pytest.fail(f"waited for {needle!r}, got {bytes(seen)!r}")
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the other end closed
                chunk = b""
            if not chunk:
                break
            seen += chunk


def test_on_a_real_terminal_the_password_is_not_echoed_and_a_mismatch_is_refused(
    tmp_path: Path, clean_env: None
) -> None:
    # The command runs on a pseudo-terminal, as for a person: getpass turns the echo off while each is typed.
    store = tmp_path / "var" / "store.sqlite3"
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    command = [sys.executable, "-m", "creative_map", "reviewers", "add", "lan", "--db", str(store)]
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    seen = bytearray()
    try:
        _read_until(master, b"password for lan: ", seen)
        os.write(master, PASSWORD.encode() + b"\n")
        _read_until(master, b"again: ", seen)
        os.write(master, b"a different password\n")
        code = process.wait(timeout=60)
        _read_until(master, b"\0", seen, timeout=10)  # what is left, up to the end of the output
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    text = seen.decode(errors="replace")
    assert PASSWORD not in text and "a different password" not in text
    assert code == EXIT_DATA and "error: the two passwords differ" in text and "Traceback" not in text
    reviewers = open_store(store)
    try:
        assert list_reviewers(reviewers) == []
    finally:
        reviewers.close()


# ----------------------------------------------------------------------------------------- every bad input


@pytest.fixture
def one_pending(cli: Run, reviewer: str, tmp_path: Path) -> str:
    return _suggest(cli, tmp_path)


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["db"], EXIT_USAGE, "required: ACTION"),
        (["db", "downgrade"], EXIT_USAGE, "invalid choice: 'downgrade'"),
        (["suggest"], EXIT_USAGE, "required: --file"),
        (["suggest", "--file", "/no/such/s.json"], EXIT_DATA, "cannot be read"),
        (["suggest", "--file", "/"], EXIT_DATA, "is a directory; expected a JSON file"),
        (["suggestions"], EXIT_USAGE, "required: ACTION"),
        (["suggestions", "list", "--status", "open"], EXIT_USAGE, "invalid choice: 'open'"),
        (["suggestions", "list", "--kind", "rumour"], EXIT_USAGE, "invalid choice: 'rumour'"),
        (["suggestions", "list", "--format", "csv"], EXIT_USAGE, "invalid choice: 'csv'"),
        (["suggestions", "show"], EXIT_USAGE, "required: N"),
        (["suggestions", "show", "99"], EXIT_DATA, "no suggestion '99'"),
        (["suggestions", "show", "CM-????"], EXIT_DATA, "neither a suggestion number nor a reference"),
        (["suggestions", "show", "1", "--changes", "/no/such.json"], EXIT_DATA, "cannot be read"),
        (["suggestions", "show", "1", "--precision", "roughly"], EXIT_USAGE, "invalid choice: 'roughly'"),
        (["suggestions", "approve", "1"], EXIT_USAGE, "required: --reviewer"),
        (["suggestions", "approve", "1", "--reviewer", "hoa"], EXIT_DATA, "creative-map reviewers add hoa"),
        (["suggestions", "approve", "1", "--reviewer", "Hoa Mai"], EXIT_DATA, "is not a reviewer name"),
        (["suggestions", "approve", "7", "--reviewer", "lan"], EXIT_DATA, "no suggestion '7'"),
        (["suggestions", "reject", "1", "--reviewer", "lan"], EXIT_USAGE, "required: --reason"),
        (["suggestions", "reject", "1", "--reviewer", "lan", "--reason", " "], EXIT_DATA, "give a reason"),
        (["reviewers"], EXIT_USAGE, "required: ACTION"),
        (["reviewers", "add"], EXIT_USAGE, "required: NAME"),
        (["reviewers", "add", "x", "--password-file", "/no/such"], EXIT_DATA, "'x' is not a reviewer name"),
        (["reviewers", "remove", "hoa"], EXIT_DATA, "no reviewer named 'hoa'"),
        (["history"], EXIT_USAGE, "required: SPACE_ID"),
        (["history", "nowhere"], EXIT_DATA, "'nowhere' is the id of no space or event"),
        (["history", WARD_ID, "--format", "xml"], EXIT_USAGE, "invalid choice: 'xml'"),
        (["revert"], EXIT_USAGE, "required: REVISION"),
        (["revert", "one", "--reviewer", "lan"], EXIT_USAGE, "'one' is not a revision number"),
        (["revert", "0", "--reviewer", "lan"], EXIT_USAGE, "they start at 1"),
        (["revert", "5", "--reviewer", "lan"], EXIT_DATA, "no revision 5"),
        (["revert", "5"], EXIT_USAGE, "required: --reviewer"),
    ],
)
def test_every_command_given_bad_input_says_why(
    cli: Run, one_pending: str, argv: list[str], code: int, message: str
) -> None:
    result = cli(*argv)
    assert result.code == code, result.err
    assert message in result.err
    assert result.err.startswith("error: " if code == EXIT_DATA else "usage: creative-map ")


def test_bad_data_files_are_a_message(cli: Run, one_pending: str, suggestion_data: Path, tmp_path: Path) -> None:
    suggestion_data.write_text("{", encoding="utf-8")
    for argv in (["suggestions", "show", "1"], ["suggestions", "approve", "1", "--reviewer", "lan"], ["history", "x"]):
        result = cli(*argv)
        assert result.code == EXIT_DATA and "ends before the JSON does" in result.err, argv
    result = cli("suggest", "--file", str(_suggestion_file(tmp_path)))
    assert result.code == EXIT_DATA and result.err.startswith("error: ")


def test_a_real_process_prints_the_reference_last_and_no_traceback(
    tmp_path: Path, clean_env: None, suggestion_data: Path
) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    env["CREATIVE_MAP_DB"] = str(tmp_path / "var" / "store.sqlite3")
    base = [sys.executable, "-m", "creative_map"]
    path = _suggestion_file(tmp_path)
    sent = subprocess.run(
        [*base, "suggest", "--file", str(path), "--data", str(suggestion_data)], capture_output=True, text=True, env=env
    )
    assert sent.returncode == EXIT_OK, sent.stderr
    reference = sent.stdout.splitlines()[-1]
    assert reference.startswith("CM-") and sent.stderr == ""
    bad = subprocess.run(
        [*base, "suggestions", "approve", reference, "--reviewer", "nobody", "--data", str(suggestion_data)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert bad.returncode == EXIT_DATA and bad.stderr.startswith("error: no reviewer named 'nobody'")
    assert "Traceback" not in bad.stderr


def test_the_data_files_are_not_touched_by_a_refused_approval(
    cli: Run, reviewer: str, suggestion_data: Path, tmp_path: Path
) -> None:
    _suggest(cli, tmp_path, kind="member", changes={})
    spaces = read(suggestion_data).spaces
    spaces["xuong-gom-ba-trieu"]["properties"]["network_member"] = "yes"  # someone marked it by hand meanwhile
    suggestion_data.write_text(dumps(spaces.values(), kind="space"), encoding="utf-8")
    before = suggestion_data.read_bytes()
    result = cli("suggestions", "approve", "1", "--reviewer", reviewer, "--rebase")
    assert result.code == EXIT_DATA and "marked a network member already" in result.err
    assert suggestion_data.read_bytes() == before
