"""Vietnamese text folding, so that `van mieu` finds `Văn Miếu`."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "nfc", "slugify"]

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_D = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC, the form the data stores."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Return `text` lowercased, without accents, with `đ` as `d`, dashes as `-` and spaces collapsed.

    Parameters
    ----------
    text
        Any text, in NFC or NFD.

    Returns
    -------
    str
        The folded text: ``fold("Văn Miếu – Quốc Tử Giám") == "van mieu - quoc tu giam"``.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = _DASHES.sub("-", stripped)
    return _SPACES.sub(" ", stripped.casefold()).strip()


def slugify(text: str) -> str:
    """Return an id-shaped slug of `text`: ``slugify("Bát Tràng") == "bat-trang"``."""
    return _NON_SLUG.sub("-", fold(text)).strip("-")
