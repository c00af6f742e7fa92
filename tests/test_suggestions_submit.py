"""Sending suggestions, on SQLite and PostgreSQL: stored for review with a reference number, checked like the
data, limited per sender and per hour, a honeypot for bots, and only public things shown by reference."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from creative_map.suggestions import (
    Draft,
    InvalidSuggestionError,
    LimitExceededError,
    Limits,
    Store,
    public_status,
    submit,
)
from creative_map.suggestions.tables import suggestions

SENDER = "203.0.113.5"
WEBSITE = Draft(
    "correction", {"website": "https://gom.example.vn"}, "https://hanoimoi.vn/gom", space_id="xuong-gom-ba-trieu"
)
NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


def _rows(store: Store) -> list[dict[str, Any]]:
    with store.reading() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(suggestions).order_by(suggestions.c.id))]


def _with_limits(store: Store, **limits: int) -> Store:
    return Store(store.engine, limits=dataclasses.replace(Limits(), **limits))


def test_a_suggestion_is_stored_pending_with_a_reference(suggestion_store: Store, suggestion_data: Path) -> None:
    draft = dataclasses.replace(WEBSITE, note="Their new site", contact="lan@example.vn")
    receipt = submit(suggestion_store, draft, sender=SENDER, data=suggestion_data, now=NOW)
    assert receipt.status == "pending" and receipt.reference.startswith("CM-") and receipt.created_at == NOW
    (row,) = _rows(suggestion_store)
    assert row["reference"] == receipt.reference and row["kind"] == "correction"
    assert row["space_id"] == "xuong-gom-ba-trieu" and row["changes"] == {"website": "https://gom.example.vn"}
    assert row["contact"] == "lan@example.vn" and row["note"] == "Their new site"
    assert row["base_fingerprint"] and row["base_record"]["properties"]["id"] == "xuong-gom-ba-trieu"
    assert row["created_at"] == NOW


def test_the_sender_address_is_never_stored(suggestion_store: Store, suggestion_data: Path) -> None:
    submit(suggestion_store, WEBSITE, sender=SENDER, data=suggestion_data)
    (row,) = _rows(suggestion_store)
    assert SENDER not in repr(row) and len(row["sender_key"]) == 64


def test_the_public_sees_status_reason_and_dates_only(suggestion_store: Store, suggestion_data: Path) -> None:
    draft = dataclasses.replace(WEBSITE, source="operator", contact="0912 345 678", note="private note")
    receipt = submit(suggestion_store, draft, sender=SENDER, data=suggestion_data, now=NOW)
    status = public_status(suggestion_store, receipt.reference.lower().replace("-", " "))
    assert status == receipt
    assert set(status.as_dict()) == {"reference", "kind", "status", "reason", "created_at", "decided_at"}
    assert "0912" not in repr(status) and "private" not in repr(status)
    assert public_status(suggestion_store, "CM-0000-0000-0000") is None
    assert public_status(suggestion_store, "' OR 1=1 --") is None


@pytest.mark.parametrize(
    ("kind", "space_id", "changes", "record"),
    [
        ("closed", "xuong-gom-ba-trieu", {}, "space_id"),
        ("member", "xuong-gom-ba-trieu", {}, "space_id"),
        (
            "new_event",
            None,
            {"name_vi": "Đêm gốm", "name_en": "Pottery night", "start": "2027-01-10", "end": "2027-01-10",
             "space_ids": ["xuong-gom-ba-trieu"]},
            "event_id",
        ),
    ],
)  # fmt: skip
def test_every_kind_is_stored_with_the_record_it_concerns(
    suggestion_store: Store,
    suggestion_data: Path,
    kind: Any,
    space_id: str | None,
    changes: dict[str, Any],
    record: str,
) -> None:
    submit(
        suggestion_store,
        Draft(kind, changes, "https://hanoimoi.vn/gom", space_id=space_id),
        sender=SENDER,
        data=suggestion_data,
    )
    (row,) = _rows(suggestion_store)
    assert row["kind"] == kind and row[record] in ("xuong-gom-ba-trieu", "dem-gom-2027")


def test_an_invalid_suggestion_is_refused_with_the_schemas_messages_and_not_stored(
    suggestion_store: Store, suggestion_data: Path
) -> None:
    draft = Draft("correction", {"website": "gom.example.vn"}, "https://hanoimoi.vn/gom", space_id="xuong-gom-ba-trieu")
    with pytest.raises(InvalidSuggestionError) as info:
        submit(suggestion_store, draft, sender=SENDER, data=suggestion_data)
    (problem,) = info.value.problems
    assert problem.field == "website" and "expected an http:// or https:// address" in problem.message
    assert _rows(suggestion_store) == []


def test_a_filled_honeypot_is_dropped_without_telling(suggestion_store: Store, suggestion_data: Path) -> None:
    receipt = submit(
        suggestion_store,
        dataclasses.replace(WEBSITE, honeypot="http://spam.example"),
        sender=SENDER,
        data=suggestion_data,
    )
    assert receipt.status == "pending" and receipt.reference.startswith("CM-")  # looks like any other answer
    assert _rows(suggestion_store) == [] and public_status(suggestion_store, receipt.reference) is None


def test_too_large_suggestions_and_texts_are_refused(suggestion_store: Store, suggestion_data: Path) -> None:
    store = _with_limits(suggestion_store, max_text_chars=100, max_suggestion_bytes=1000)
    long_text = dataclasses.replace(WEBSITE, note="x" * 101)
    with pytest.raises(LimitExceededError, match="note: 101 characters") as info:
        submit(store, long_text, sender=SENDER, data=suggestion_data)
    assert info.value.limit == "max_text_chars"
    many = dataclasses.replace(WEBSITE, changes={f"field{i}": "y" * 90 for i in range(12)})
    with pytest.raises(LimitExceededError, match="more than the 1,000 accepted") as info:
        submit(store, many, sender=SENDER, data=suggestion_data)
    assert info.value.limit == "max_suggestion_bytes"
    with pytest.raises(InvalidSuggestionError, match="control characters"):
        submit(store, dataclasses.replace(WEBSITE, note="a\x00b"), sender=SENDER, data=suggestion_data)
    assert _rows(suggestion_store) == []


def test_a_burst_of_1000_from_one_sender_is_refused_after_the_limit_quickly(
    suggestion_store: Store, suggestion_data: Path
) -> None:
    limit = suggestion_store.limits.per_sender_per_hour
    accepted, refused, messages = 0, 0, set()
    start = time.perf_counter()
    for _ in range(1000):
        try:
            submit(suggestion_store, WEBSITE, sender=SENDER, data=suggestion_data)
            accepted += 1
        except LimitExceededError as exc:
            refused += 1
            messages.add(str(exc))
    elapsed = time.perf_counter() - start
    assert (accepted, refused) == (limit, 1000 - limit) and len(_rows(suggestion_store)) == limit
    (message,) = messages
    assert f"{limit} suggestions in the last hour" in message and "later" in message
    assert elapsed < 20, f"1,000 submissions took {elapsed:.1f} s"
    # others are still served, and the same sender again an hour later
    submit(suggestion_store, WEBSITE, sender="198.51.100.7", data=suggestion_data)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=61)
    submit(suggestion_store, WEBSITE, sender=SENDER, data=suggestion_data, now=later)


def test_the_total_per_hour_and_the_queue_are_limited(suggestion_store: Store, suggestion_data: Path) -> None:
    store = _with_limits(suggestion_store, per_hour=3)
    for i in range(3):
        submit(store, WEBSITE, sender=f"10.0.0.{i}", data=suggestion_data, now=NOW)
    with pytest.raises(LimitExceededError, match="in the last hour") as info:
        submit(store, WEBSITE, sender="10.0.0.9", data=suggestion_data, now=NOW)
    assert info.value.limit == "per_hour"
    queue = _with_limits(suggestion_store, max_pending=3)
    with pytest.raises(LimitExceededError, match="waiting for review") as info:
        submit(queue, WEBSITE, sender="10.0.0.9", data=suggestion_data, now=NOW + dt.timedelta(hours=2))
    assert info.value.limit == "max_pending"


def test_the_per_sender_limit_is_exact_when_submissions_race(suggestion_store: Store, suggestion_data: Path) -> None:
    store = _with_limits(suggestion_store, per_sender_per_hour=4)
    outcomes: list[str] = []

    def send() -> None:
        try:
            submit(store, WEBSITE, sender=SENDER, data=suggestion_data)
            outcomes.append("ok")
        except LimitExceededError:
            outcomes.append("refused")

    threads = [threading.Thread(target=send) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok"] * 4 + ["refused"] * 8
    assert len(_rows(store)) == 4
