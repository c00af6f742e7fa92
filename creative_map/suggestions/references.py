"""Reference numbers: what a sender keeps to follow a suggestion, e.g. ``CM-7KQ4-M2XD-9PTA``.

Twelve symbols of Crockford's base 32 (digits and capital letters without I, L, O, U) drawn from
`secrets`: 60 random bits, so that nobody can guess another sender's reference. Reading one forgives case,
spaces, missing hyphens and the look-alikes O/0 and I/L/1.
"""

from __future__ import annotations

import re
import secrets
from typing import Final

__all__ = ["PREFIX", "new_reference", "normalise_reference"]

PREFIX: Final = "CM"
ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SYMBOLS: Final = 12
_GROUP: Final = 4
_LOOKALIKES: Final = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS: Final = re.compile(r"[\s\-_.]+")


def new_reference() -> str:
    """Return a fresh random reference number."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(SYMBOLS))
    return "-".join([PREFIX, *(body[i : i + _GROUP] for i in range(0, SYMBOLS, _GROUP))])


def normalise_reference(text: str) -> str | None:
    """Return the reference `text` stands for, written canonically, or None when it cannot be one."""
    body = _SEPARATORS.sub("", text.strip().upper())
    if body.startswith(PREFIX) and len(body) == SYMBOLS + len(PREFIX):
        body = body[len(PREFIX) :]
    body = body.translate(_LOOKALIKES)
    if len(body) != SYMBOLS or any(ch not in ALPHABET for ch in body):
        return None
    return "-".join([PREFIX, *(body[i : i + _GROUP] for i in range(0, SYMBOLS, _GROUP))])
