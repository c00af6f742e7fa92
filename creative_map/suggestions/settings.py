"""The limits that keep the suggestion box usable under abuse, with their defaults and environment variables."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

__all__ = ["ENV_NAMES", "Limits"]

ENV_NAMES: Final[dict[str, str]] = {
    "max_suggestion_bytes": "CREATIVE_MAP_MAX_SUGGESTION_BYTES",
    "max_text_chars": "CREATIVE_MAP_MAX_TEXT_CHARS",
    "per_sender_per_hour": "CREATIVE_MAP_SUGGESTIONS_PER_SENDER_HOUR",
    "per_hour": "CREATIVE_MAP_SUGGESTIONS_PER_HOUR",
    "max_pending": "CREATIVE_MAP_MAX_PENDING",
    "login_free_failures": "CREATIVE_MAP_LOGIN_FREE_FAILURES",
    "login_max_delay_s": "CREATIVE_MAP_LOGIN_MAX_DELAY",
}
"""The environment variable that sets each limit."""


@dataclass(frozen=True)
class Limits:
    """How much the public may send, and how failed logins are slowed down.

    Every value can be set by its environment variable (`ENV_NAMES`) through `from_env`.
    """

    max_suggestion_bytes: int = 64_000
    """Size of one suggestion as JSON, in bytes (a drawn area of a few hundred points fits)."""
    max_text_chars: int = 4_000
    """Length of each text in a suggestion (each field, the note, the contact, the source), in characters."""
    per_sender_per_hour: int = 10
    """Suggestions stored per sender (salted hash of the address) in any 60 minutes."""
    per_hour: int = 300
    """Suggestions stored from everyone together in any 60 minutes."""
    max_pending: int = 5_000
    """Suggestions waiting for review at most: beyond it new ones are refused until reviewers catch up."""
    login_free_failures: int = 5
    """Failed logins (per name and per client) in 15 minutes before each further attempt must wait."""
    login_max_delay_s: int = 900
    """The longest wait imposed between login attempts, in seconds (the wait doubles with each failure)."""

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"`{f.name}` must be a whole number of at least 1, not {value!r}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """Return the limits with each one set by its environment variable when that is set.

        Raises
        ------
        ValueError
            Naming the variable and its value, when a value is not a whole number of at least 1.
        """
        env = os.environ if environ is None else environ
        values: dict[str, int] = {}
        for name, var in ENV_NAMES.items():
            raw = env.get(var, "").strip()
            if not raw:
                continue
            try:
                values[name] = int(raw.replace("_", ""))
            except ValueError:
                raise ValueError(f"{var}={raw!r} is not a whole number") from None
            if values[name] < 1:
                raise ValueError(f"{var}={raw!r} must be at least 1")
        return cls(**values)
