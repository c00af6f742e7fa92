"""Text helpers: Vietnamese folding (so that `van mieu` finds `Văn Miếu`), and text made safe for where it goes.

`escape_markdown` makes any text inert in Streamlit's Markdown (notices, labels, captions), `csv_cell`
keeps a spreadsheet from reading a cell as a formula, and `clip` shortens a value quoted in a message.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Final

__all__ = [
    "CLIP_CHARS",
    "FORMULA_START",
    "clip",
    "csv_cell",
    "escape_markdown",
    "fold",
    "name_key",
    "nfc",
    "slugify",
    "unaccent",
]

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_D = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
_D_CASED = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})


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


def unaccent(text: str) -> str:
    """Return `text` without its accents, `đ` as `d` and `Đ` as `D`, capitals kept: ``"Đống Đa"`` -> ``"Dong Da"``.

    How a name is written where accents are not typed (what a person may search for).
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_D_CASED))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def name_key(name: str) -> tuple[str, str]:
    """Return the key that sorts names as a reader expects: folded first (``Á Space`` with the A's, ``đ`` with
    the d's, capitals mixed in), then as written, so that equal folds keep one order."""
    return fold(name), nfc(name)


def slugify(text: str) -> str:
    """Return an id-shaped slug of `text`: ``slugify("Bát Tràng") == "bat-trang"``."""
    return _NON_SLUG.sub("-", fold(text)).strip("-")


# ----------------------------------------------------------------------------------------- messages, markup

CLIP_CHARS: Final = 80
"""How much of a value a message or a notice quotes."""


def clip(text: object, limit: int = CLIP_CHARS) -> str:
    """Return `text` cut to its first `limit` characters, with ``…`` when it was longer.

    What a message quotes of a value: ``clip("x" * 5_000_000)`` is 81 characters.
    """
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


_WORD_JOINER: Final = "\u2060"
"""An invisible character that joins nothing: put where a text must not form a link or a shortcode."""
_MD_ALWAYS: Final = frozenset("\\`*_~[]()<>!&$:@#|^{}")
"""The ASCII punctuation that starts an inline construct in Streamlit's Markdown (CommonMark, GFM tables,
strikethrough and footnotes, math ``$``, directives such as ``:red[...]``, entities ``&...;``, raw HTML)."""
_MD_BLOCK_START: Final = re.compile(r"[-+=]|\d+[.)]")
"""What starts a block only at the start of a line (a list item, a heading underline): its last character is
escaped there."""
_LINE_BREAKS: Final = frozenset("\u2028\u2029\u0085")


def _visible(ch: str) -> str:
    """Return `ch`, a space for a line break or tab, U+FFFD for a control, format or surrogate character."""
    if ch.isspace() or ch in _LINE_BREAKS:
        return " "
    if unicodedata.category(ch) in ("Cc", "Cf", "Cs"):
        return "\ufffd"
    return ch


def escape_markdown(text: object) -> str:
    """Return `text` as Streamlit Markdown that shows these characters, and no link, image or format.

    - Every line break, tab and run of spaces becomes one space, so no block can start inside the text; a
      control, format (bidirectional override, zero-width) or lone surrogate character becomes U+FFFD.
    - Every ASCII punctuation character that can start an inline construct is escaped with a backslash
      (``[ ] ( ) ! * _ ~ ` < > & $ : @ # | ^ { } \\``), and so are ``-``, ``+``, ``=`` or the ``.`` of ``1.``
      at the start, where they could start a block.
    - Links that need no Markdown (GFM's literal ``https://``, ``www.`` and e-mail links, which Streamlit's
      renderer finds in the text after the escapes are read) and ``:shortcode:`` emoji or icons are broken by
      an invisible WORD JOINER (U+2060) after each ``:``, before each ``@`` and between ``www`` and a dot.

    The result reads the same on screen. It is to be put inside a line of Markdown, never escaped again.
    """
    flat = " ".join("".join(_visible(ch) for ch in str(text)).split())
    block = _MD_BLOCK_START.match(flat)
    at_start = block.end() - 1 if block else -1
    out: list[str] = []
    for i, ch in enumerate(flat):
        if ch == "@" or (ch == "." and flat[max(0, i - 3) : i].lower() == "www"):
            out.append(_WORD_JOINER)
        out.append(f"\\{ch}" if ch in _MD_ALWAYS or i == at_start else ch)
        if ch == ":":
            out.append(_WORD_JOINER)
    return "".join(out)


# ------------------------------------------------------------------------------------------ spreadsheets

FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""First characters that make a spreadsheet read a cell as a formula (with their full-width forms)."""


def csv_cell(value: Any) -> Any:
    """Return a CSV cell a spreadsheet shows as it is: a text starting with `FORMULA_START` gets a ``'`` before.

    Only text is changed: numbers (``-5``, a negative longitude) stay numbers, so that a spreadsheet still
    computes with them, and are never read as formulas.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
