"""Reviewers, on SQLite and PostgreSQL: argon2id hashes only, and failed logins slowed down through the store
(so that several app servers share the count)."""

from __future__ import annotations

import datetime as dt
import logging

import argon2
import pytest
import sqlalchemy as sa

from creative_map.suggestions import (
    LoginFailedError,
    LoginThrottledError,
    NotFoundError,
    Store,
    SuggestionError,
    add_reviewer,
    authenticate,
    list_reviewers,
    remove_reviewer,
    set_password,
)
from creative_map.suggestions.tables import login_attempts, reviewers

PASSWORD = "correct horse battery"
T0 = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


def _dump(store: Store) -> str:
    with store.reading() as conn:
        return repr([conn.execute(sa.select(t)).all() for t in (reviewers, login_attempts)])


def test_a_reviewer_is_stored_with_an_argon2id_hash_only(
    suggestion_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert add_reviewer(suggestion_store, " Lan ", PASSWORD) == "lan"
    with suggestion_store.reading() as conn:
        (stored,) = conn.execute(sa.select(reviewers.c.password_hash)).scalars()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    authenticate(suggestion_store, "lan", PASSWORD, client="10.0.0.1")
    assert PASSWORD not in _dump(suggestion_store) and PASSWORD not in caplog.text
    assert list_reviewers(suggestion_store) == ["lan"]


def test_the_default_hash_is_argon2id_with_the_recommended_cost() -> None:
    params = argon2.extract_parameters(argon2.PasswordHasher().hash("x" * 12))
    assert params.type is argon2.Type.ID and params.memory_cost >= 65536 and params.time_cost >= 3


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("l", PASSWORD, "not a reviewer name"),
        ("lan lan", PASSWORD, "not a reviewer name"),
        ("lan", "short", "too short"),
    ],
)
def test_bad_names_and_short_passwords_are_refused(
    suggestion_store: Store, name: str, password: str, message: str
) -> None:
    with pytest.raises(SuggestionError, match=message):
        add_reviewer(suggestion_store, name, password)


def test_names_are_unique_and_reviewers_can_be_changed_and_removed(suggestion_store: Store) -> None:
    add_reviewer(suggestion_store, "lan", PASSWORD)
    with pytest.raises(SuggestionError, match="already"):
        add_reviewer(suggestion_store, "LAN", PASSWORD)
    set_password(suggestion_store, "lan", "a brand new password")
    with pytest.raises(LoginFailedError):
        authenticate(suggestion_store, "lan", PASSWORD, client="10.0.0.1")
    assert authenticate(suggestion_store, "lan", "a brand new password", client="10.0.0.1") == "lan"
    remove_reviewer(suggestion_store, "lan")
    with pytest.raises(NotFoundError):
        remove_reviewer(suggestion_store, "lan")


def test_wrong_name_and_wrong_password_fail_alike(suggestion_store: Store) -> None:
    add_reviewer(suggestion_store, "lan", PASSWORD)
    with pytest.raises(LoginFailedError) as wrong_password:
        authenticate(suggestion_store, "lan", "not the password", client="10.0.0.1")
    with pytest.raises(LoginFailedError) as wrong_name:
        authenticate(suggestion_store, "hoa", PASSWORD, client="10.0.0.2")
    assert str(wrong_password.value) == str(wrong_name.value) == "wrong name or password"


def test_failed_logins_are_slowed_down_for_every_server_sharing_the_store(suggestion_store: Store) -> None:
    add_reviewer(suggestion_store, "lan", PASSWORD)
    other_server = Store(suggestion_store.engine, limits=suggestion_store.limits)
    free = suggestion_store.limits.login_free_failures
    for i in range(free):
        with pytest.raises(LoginFailedError):
            authenticate(suggestion_store, "lan", f"guess {i}", client="10.0.0.66", now=T0 + dt.timedelta(seconds=i))
    last = T0 + dt.timedelta(seconds=free - 1)
    with pytest.raises(LoginThrottledError) as info:  # even the right password must wait, on the other server too
        authenticate(other_server, "lan", PASSWORD, client="10.0.0.1", now=last + dt.timedelta(milliseconds=500))
    assert info.value.retry_after == 1
    with pytest.raises(LoginFailedError):  # after the wait: one more guess, now the wait doubles
        authenticate(other_server, "lan", "guess", client="10.0.0.66", now=last + dt.timedelta(seconds=1))
    with pytest.raises(LoginThrottledError) as info:
        authenticate(suggestion_store, "lan", PASSWORD, client="10.0.0.1", now=last + dt.timedelta(seconds=2))
    assert info.value.retry_after == 1  # 2 s after the latest failure, 1 s of it left
    assert (
        authenticate(suggestion_store, "lan", PASSWORD, client="10.0.0.1", now=last + dt.timedelta(seconds=3)) == "lan"
    )
    # a success clears the name's count
    with pytest.raises(LoginFailedError):
        authenticate(suggestion_store, "lan", "guess", client="10.0.0.1", now=last + dt.timedelta(seconds=4))


def test_one_client_guessing_many_names_is_slowed_down(suggestion_store: Store) -> None:
    free = suggestion_store.limits.login_free_failures
    for i in range(free):
        with pytest.raises(LoginFailedError):
            authenticate(suggestion_store, f"name{i}", PASSWORD, client="10.0.0.66", now=T0)
    with pytest.raises(LoginThrottledError):
        authenticate(suggestion_store, "another", PASSWORD, client="10.0.0.66", now=T0)
    with pytest.raises(LoginFailedError):  # another client is not held up
        authenticate(suggestion_store, "another", PASSWORD, client="10.0.0.1", now=T0)


def test_the_wait_is_capped_and_old_failures_are_forgotten(suggestion_store: Store) -> None:
    add_reviewer(suggestion_store, "lan", PASSWORD)
    with suggestion_store.writing() as conn:
        conn.execute(
            login_attempts.insert(),
            [{"name": "lan", "client_key": "k", "at": T0, "success": False} for _ in range(40)],
        )
    with pytest.raises(LoginThrottledError) as info:
        authenticate(suggestion_store, "lan", PASSWORD, client="10.0.0.1", now=T0 + dt.timedelta(seconds=1))
    assert info.value.retry_after == suggestion_store.limits.login_max_delay_s - 1
    later = T0 + dt.timedelta(minutes=16)
    assert authenticate(suggestion_store, "lan", PASSWORD, client="10.0.0.1", now=later) == "lan"
