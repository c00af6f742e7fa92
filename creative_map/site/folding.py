"""The tables that let the site's script fold text exactly as `creative_map.text.fold` does.

`creative_map.text.fold` decomposes (NFD), drops every character whose canonical combining class is not 0,
turns dashes into ``-``, applies Python's full case folding and collapses whitespace. A browser has NFD
(``String.prototype.normalize``) and lower-casing, but neither the combining classes nor full case folding,
and its ``\\s`` is not Python's. These tables, taken from this Python's `unicodedata` when the site is written,
fill the gaps, so that search in the browser matches what `creative_map.select` matches.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Final

__all__ = ["FoldTables", "fold_tables"]

_MAX_CODE_POINT: Final = 0x110000
_SPACE: Final = re.compile(r"\s")

FoldTables = dict[str, object]


def _ranges(code_points: Iterable[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for cp in code_points:
        if out and cp == out[-1][1] + 1:
            out[-1] = (out[-1][0], cp)
        else:
            out.append((cp, cp))
    return out


def _char_class(code_points: Iterable[int]) -> str:
    """Return the inside of a JavaScript ``[...]`` class (for a regular expression with the ``u`` flag)."""
    return "".join(f"\\u{{{a:x}}}" if a == b else f"\\u{{{a:x}}}-\\u{{{b:x}}}" for a, b in _ranges(code_points))


@functools.cache
def fold_tables() -> FoldTables:
    """Return the tables the site's script folds with.

    Returns
    -------
    dict
        ``comb``: a character class of every character with a non-zero combining class (what `fold` drops
        after NFD); ``ws``: a character class of what Python's ``\\s`` matches; ``cf``: for every text that
        ``str.lower`` gives and ``str.casefold`` does not (``ß``, ``ς``, ligatures ...), what case folding
        gives instead, applied after the browser's ``toLowerCase``; ``unicode``: the Unicode version of the
        tables.

    Raises
    ------
    RuntimeError
        If lower-casing then replacing could not reproduce case folding for some character (it can for
        every Unicode version so far; the check guards a future one).
    """
    chars = [chr(cp) for cp in range(_MAX_CODE_POINT)]
    casefold: dict[str, str] = {}
    for ch in chars:
        folded, lowered = ch.casefold(), ch.lower()
        if folded != lowered:
            casefold[lowered] = folded
    clashes = [ch for ch in chars if casefold.get(ch.lower(), ch.lower()) != ch.casefold()]
    if clashes:
        raise RuntimeError(f"case folding is not lower-casing plus a table for {clashes[:5]!r}")
    return {
        "comb": _char_class(cp for cp, ch in enumerate(chars) if unicodedata.combining(ch)),
        "ws": _char_class(cp for cp, ch in enumerate(chars) if _SPACE.match(ch)),
        "cf": dict(sorted(casefold.items())),
        "unicode": unicodedata.unidata_version,
    }
