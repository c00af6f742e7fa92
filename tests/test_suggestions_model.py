"""The pieces without a store: drafts as sent, reference numbers, sender keys, the limits' settings."""

from __future__ import annotations

import re

import pytest

from creative_map.suggestions import Draft, InvalidSuggestionError, Limits
from creative_map.suggestions.references import new_reference, normalise_reference
from creative_map.suggestions.senders import sender_identity, sender_key
from creative_map.suggestions.settings import ENV_NAMES


def test_a_draft_is_read_from_the_json_the_command_line_takes() -> None:
    draft = Draft.from_json(
        {"kind": "correction", "space_id": "ho-hoan-kiem", "changes": {"website": "https://x.example"},
         "source": "https://x.example/page", "note": "hello"}
    )  # fmt: skip
    assert draft.kind == "correction" and draft.space_id == "ho-hoan-kiem" and draft.contact == ""
    assert draft.problems() == []


def test_a_bad_json_draft_names_each_key() -> None:
    with pytest.raises(InvalidSuggestionError) as info:
        Draft.from_json({"kind": 3, "changes": [], "colour": "red", "contact": 5})
    fields = {p.field for p in info.value.problems}
    assert fields == {"kind", "source", "changes", "colour", "contact"}
    with pytest.raises(InvalidSuggestionError, match="expected an object"):
        Draft.from_json([1, 2])


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (Draft("fix", {}, "https://x.example"), "kind"),
        (Draft("correction", {}, "https://x.example"), "space_id"),
        (Draft("new_space", {}, "https://x.example", space_id="x"), "space_id"),
        (Draft("member", {}, "", space_id="x"), "source"),
        (Draft("member", {}, "ftp://x.example", space_id="x"), "source"),
        (Draft("member", {}, "operator", space_id="x"), "contact"),
    ],
)
def test_draft_problems_name_the_field(draft: Draft, field: str) -> None:
    assert [p.field for p in draft.problems()] == [field]


def test_references_are_random_and_read_forgivingly() -> None:
    refs = {new_reference() for _ in range(2000)}
    assert len(refs) == 2000
    assert all(re.fullmatch(r"CM-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", r) for r in refs)
    ref = "CM-7KQ4-M2XD-9PT1"
    for typed in ("cm-7kq4-m2xd-9pt1", "7KQ4M2XD9PT1", " CM 7KQ4 M2XD 9PTI ", "cm7kq4m2xd9ptl"):
        assert normalise_reference(typed) == ref
    assert normalise_reference("CM-7KQ4-M2XD-9PT") is None and normalise_reference("'; DROP TABLE") is None
    assert normalise_reference("CM-7KQ4-M2XD-9PTU") is None  # U is not in the alphabet


def test_sender_keys_are_salted_hashes_of_an_address_or_its_ipv6_network() -> None:
    key = sender_key("203.0.113.5", salt="a" * 64)
    assert re.fullmatch(r"[0-9a-f]{64}", key) and "203" not in key
    assert key != sender_key("203.0.113.5", salt="b" * 64) and key != sender_key("203.0.113.6", salt="a" * 64)
    assert sender_key("2001:db8:1:2::1", salt="s") == sender_key("2001:db8:1:2:ffff::9", salt="s")  # one /64
    assert sender_key("2001:db8:1:2::1", salt="s") != sender_key("2001:db8:1:3::1", salt="s")
    assert sender_identity("::ffff:203.0.113.5") == "203.0.113.5" and sender_identity(" CLI:Lan ") == "cli:lan"


def test_limits_come_from_the_environment_with_the_variable_named_when_wrong() -> None:
    assert Limits.from_env({}) == Limits()
    limits = Limits.from_env({ENV_NAMES["per_sender_per_hour"]: "3", ENV_NAMES["max_text_chars"]: "1_000"})
    assert limits.per_sender_per_hour == 3 and limits.max_text_chars == 1000
    with pytest.raises(ValueError, match="CREATIVE_MAP_SUGGESTIONS_PER_HOUR='many'"):
        Limits.from_env({ENV_NAMES["per_hour"]: "many"})
    with pytest.raises(ValueError, match="at least 1"):
        Limits.from_env({ENV_NAMES["per_hour"]: "0"})
    with pytest.raises(ValueError, match="`max_pending`"):
        Limits(max_pending=0)
