"""What can go wrong with a suggestion, a review or a login: one exception type each, with a stable `code`.

Every error is a `SuggestionError` (a ``ValueError``): the message says what is wrong and what to do; `code`
and `params` let the app show the same message in Vietnamese or English.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from creative_map.errors import Problem

__all__ = [
    "AlreadyDecidedError",
    "ConflictError",
    "InvalidSuggestionError",
    "LimitExceededError",
    "LoginFailedError",
    "LoginThrottledError",
    "NotFoundError",
    "StoreError",
    "SuggestionError",
]


class SuggestionError(ValueError):
    """Base of every error of the suggestion box; `code` names the kind, `params` its values."""

    code = "error"

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.params = params


class InvalidSuggestionError(SuggestionError):
    """The suggestion (or the record it would make) breaks the schema: `problems` lists each one."""

    code = "invalid"

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  {_describe(p)}" for p in self.problems[:50])
        super().__init__(f"{len(self.problems)} problem(s) in the suggestion:\n{lines}")


def _describe(problem: Problem) -> str:
    return f"{problem.field}: {problem.message}" if problem.field else problem.message


class LimitExceededError(SuggestionError):
    """Too large, too many from one sender or in total in the last hour, or the queue is full."""

    code = "limit"

    def __init__(self, message: str, *, limit: str, **params: Any) -> None:
        super().__init__(message, limit=limit, **params)
        self.limit = limit


class NotFoundError(SuggestionError, LookupError):
    """No suggestion, revision or reviewer by that number, reference or name."""

    code = "not_found"


class AlreadyDecidedError(SuggestionError):
    """The suggestion was approved or rejected already (perhaps by another reviewer a moment ago)."""

    code = "decided"


class ConflictError(SuggestionError):
    """The record changed since the suggestion (or the revision) was based on it; `fields` names what changed."""

    code = "conflict"

    def __init__(self, message: str, *, fields: Sequence[str] = ()) -> None:
        super().__init__(message, fields=list(fields))
        self.fields = list(fields)


class LoginFailedError(SuggestionError):
    """Wrong name or password (the message does not say which)."""

    code = "login_failed"


class LoginThrottledError(SuggestionError):
    """Too many failed logins lately: the next attempt must wait `retry_after` seconds."""

    code = "login_throttled"

    def __init__(self, retry_after: float) -> None:
        seconds = max(1, round(retry_after))
        super().__init__(f"too many failed logins; try again in {seconds} s", retry_after=seconds)
        self.retry_after = seconds


class StoreError(SuggestionError):
    """The store cannot be used as it is (another schema version, not reachable)."""

    code = "store"
