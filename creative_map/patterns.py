"""The shapes of short values: ids, dates, plan items, web addresses and opening hours.

One definition each, shared by the validator, the address parser and the command line.

Every check here costs time linear in its input, whatever the input: the regular expressions are
deterministic (at each character only one branch can go on, so the engine never backtracks more than a
character) or a single character class, and the two richer shapes are read by small scanners instead of
patterns: `is_http_url` looks at each character a bounded number of times, and `is_opening_hours` is a
tokenizer with a recursive-descent grammar that reads each character once, with a look-ahead of at most seven
characters, at most 8 looks per character in all (tests/test_hardening_input.py counts them, and compares the
time of one long text with that of as many short ones).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final, NamedTuple

__all__ = [
    "DATE",
    "PLAN_ITEM",
    "SLUG",
    "OpeningHoursParser",
    "is_http_url",
    "is_iso_date",
    "is_opening_hours",
    "is_slug",
]

SLUG: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""An id: lowercase ASCII letters and digits in words joined by single hyphens.

Linear: a letter or digit can only continue the current word and a hyphen can only start the next one."""
DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
"""A date as ``YYYY-MM-DD`` in ASCII digits (the shape only: see `is_iso_date`). Fixed length."""
PLAN_ITEM: Final = re.compile(r"^\d+(?:\.\d+)*(?:\.[a-z])?$", re.ASCII)
"""An item number of plan 161/KH-UBND, such as ``3.1.2.a``.

Linear: digits only continue a number, and the character after each dot (a digit or a letter) decides which
of the two branches goes on."""

_WHITESPACE: Final = re.compile(r"\s")
"""One whitespace character (as `str.isspace` says): a single character class, so a search is linear."""
_HOST_END: Final = re.compile(r"[/?#]")
"""Where the host of an address ends: a single character class, linear."""


def is_slug(text: str) -> bool:
    """Return whether `text` is an id (see `SLUG`)."""
    return bool(SLUG.match(text))


def is_iso_date(text: str) -> bool:
    """Return whether `text` is a real date written ``YYYY-MM-DD`` (``2025-1-5`` is not)."""
    if not DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def is_http_url(text: str) -> bool:
    """Return whether `text` is an absolute ``http://`` or ``https://`` address with a host.

    The host (up to the first ``/``, ``?`` or ``#``) must hold a dot with at least one character before it, no
    ``:`` before it and at least one character after it (``https://localhost`` is refused), and the address
    holds no whitespace. Surrounding whitespace is ignored; the scheme's case too. One pass over `text`: the
    same addresses as the regular expression
    ``^https?://[^\\s/?#:]+\\.[^\\s/?#]+(?:[/?#]\\S*)?$`` (case-insensitive), without its quadratic cost.
    """
    text = text.strip()
    head = text[:8].lower()
    if head.startswith("http://"):
        rest = text[7:]
    elif head == "https://":
        rest = text[8:]
    else:
        return False
    if _WHITESPACE.search(rest):
        return False
    stop = _HOST_END.search(rest)
    host = rest if stop is None else rest[: stop.start()]
    colon = host.find(":")
    before = len(host) - 1 if colon == -1 else min(colon, len(host) - 1)
    return host.find(".", 1, before) != -1


# ------------------------------------------------------------------------------------------- opening hours


class _Words(NamedTuple):
    """A set of keywords (none a prefix of another) and their lengths, shortest first."""

    words: frozenset[str]
    sizes: tuple[int, ...]


def _words(*words: str) -> _Words:
    return _Words(frozenset(words), tuple(sorted({len(w) for w in words})))


_WEEKDAYS: Final = _words("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_HOLIDAYS: Final = _words("PH", "SH")
_DAYS: Final = _words(*_WEEKDAYS.words, *_HOLIDAYS.words)
_MONTHS: Final = _words("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_STATES: Final = _words("off", "closed", "open", "unknown")


class _RefusedError(Exception):
    """The text is not in the accepted syntax (raised at the first character that cannot belong to it)."""


class OpeningHoursParser:
    """A recursive-descent reader of the OpenStreetMap ``opening_hours`` forms this data uses.

    The grammar (``[x]``: optional; ``x*``: repeated; ``" "``: one space)::

        hours     = rule ([" "] (";" | "||") [" "] rule)*
        rule      = "24/7" | comment | [months [":"] " "] (weekdays [" " body | " " comment] | body)
        body      = (times | state) [" " state] [" " comment]
        months    = month [[" "] day] ["-" [month] [[" "] day]] ("," month ["-" month])*
        weekdays  = wd_item ("," wd_item)*      wd_item = weekday ["-" weekday] | "PH" | "SH"
        times     = span ("," span)*            span = time ("-" time | "+")
        time      = ("0"|"1") digit ":" ("0".."5") digit | "2" ("0".."4") ":" ("0".."5") digit
        day       = digit [digit]               state = "off" | "closed" | "open" | "unknown"
        comment   = '"' (any character but '"')* '"'
        weekday   = "Mo" | "Tu" | "We" | "Th" | "Fr" | "Sa" | "Su"      month = "Jan" | ... | "Dec"

    Each step looks at the next few characters (seven at most) and never goes back: where the grammar leaves
    a choice (a space then two digits after a month: a day, or the first time of the body?), the characters
    after it decide (a day is never followed by ``:`` and a digit; a time always is). So the cost is linear
    in the text, and `steps` counts the characters looked at (tests bound it). It accepts exactly the texts
    the regular expression it replaces accepted (tests/test_hardening_input.py compares the two).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.steps = 0
        """How many times a character of the text was looked at."""

    # --- reading ------------------------------------------------------------------------------------------

    def peek(self, offset: int = 0) -> str:
        """Return the character `offset` places ahead ("" past the end)."""
        self.steps += 1
        i = self.pos + offset
        return self.text[i] if i < len(self.text) else ""

    def at(self, word: str) -> bool:
        """Return whether the text continues with `word`."""
        self.steps += len(word)
        return self.text.startswith(word, self.pos)

    def take(self, word: str) -> bool:
        """Consume `word` if the text continues with it; return whether it did."""
        if self.at(word):
            self.pos += len(word)
            return True
        return False

    def word(self, words: _Words) -> str:
        """Return the one of `words` the text continues with ("" if none)."""
        for size in words.sizes:
            self.steps += size
            candidate = self.text[self.pos : self.pos + size]
            if candidate in words.words:
                return candidate
        return ""

    def take_any(self, words: _Words) -> bool:
        """Consume the one of `words` the text continues with; return whether there was one."""
        found = self.word(words)
        self.pos += len(found)
        return bool(found)

    def expect(self, word: str) -> None:
        """Consume `word`, or refuse the text."""
        if not self.take(word):
            raise _RefusedError

    def is_digit(self, offset: int = 0) -> bool:
        """Return whether the character `offset` places ahead is an ASCII digit."""
        ch = self.peek(offset)
        return ch != "" and ch in "0123456789"

    # --- the grammar --------------------------------------------------------------------------------------

    def parse(self) -> bool:
        """Return whether the whole text is ``hours``."""
        try:
            self.rule()
            while self.pos < len(self.text):
                self.take(" ")
                if not (self.take(";") or self.take("||")):
                    raise _RefusedError
                self.take(" ")
                self.rule()
        except _RefusedError:
            return False
        return True

    def at_separator(self) -> bool:
        """Return whether a rule ends here: the end of the text, or a separator (after an optional space)."""
        offset = 1 if self.peek() == " " else 0
        return self.peek(offset) in ("", ";", "|")

    def rule(self) -> None:
        if self.take("24/7"):
            return
        if self.peek() == '"':
            self.comment()
            return
        if self.word(_MONTHS):
            self.months()
            self.take(":")
            self.expect(" ")
        if self.word(_DAYS):
            self.weekdays()
            if self.at_separator():
                return
            self.expect(" ")
            if self.peek() == '"':
                self.comment()
                return
        self.body()

    def body(self) -> None:
        if self.is_digit():
            self.times()
        elif not self.take_any(_STATES):
            raise _RefusedError
        if self.at_separator():
            return
        self.expect(" ")
        if self.take_any(_STATES):
            if self.at_separator():
                return
            self.expect(" ")
        self.comment()

    def comment(self) -> None:
        self.expect('"')
        end = self.text.find('"', self.pos)
        if end == -1:
            raise _RefusedError
        self.steps += end + 1 - self.pos
        self.pos = end + 1

    def weekdays(self) -> None:
        while True:
            if not self.take_any(_HOLIDAYS):
                if not self.take_any(_WEEKDAYS):
                    raise _RefusedError
                if self.take("-") and not self.take_any(_WEEKDAYS):
                    raise _RefusedError
            if not self.take(","):
                return

    def months(self) -> None:
        self.month()
        self.day()
        if self.take("-"):
            self.take_any(_MONTHS)
            self.day()
        while self.take(","):
            self.month()
            if self.take("-"):
                self.month()

    def month(self) -> None:
        if not self.take_any(_MONTHS):
            raise _RefusedError

    def day(self) -> None:
        """Consume an optional day (one or two digits, maybe after a space) unless those digits begin a time."""
        offset = 1 if self.peek() == " " else 0
        if not self.is_digit(offset):
            return
        digits = 2 if self.is_digit(offset + 1) else 1
        if self.peek(offset + digits) == ":" and self.is_digit(offset + digits + 1):
            return  # "Jan 10:00-12:00": the digits are the body's first time, after the months' space
        self.pos += offset + digits

    def times(self) -> None:
        while True:
            self.time()
            if not self.take("+"):
                self.expect("-")
                self.time()
            if not self.take(","):
                return

    def time(self) -> None:
        first, second = self.peek(), self.peek(1)
        hour_ok = (first in ("0", "1") and second.isdigit() and second.isascii()) or (
            first == "2" and second in ("0", "1", "2", "3", "4")
        )
        minute = self.peek(3), self.peek(4)
        minute_ok = minute[0] in ("0", "1", "2", "3", "4", "5") and minute[1].isascii() and minute[1].isdigit()
        if not (hour_ok and self.peek(2) == ":" and minute_ok):
            raise _RefusedError
        self.pos += 5


def is_opening_hours(text: str) -> bool:
    """Return whether `text` is in the OpenStreetMap opening_hours syntax (the common forms of it).

    Read by `OpeningHoursParser`, in time linear in the text; surrounding whitespace is ignored.
    """
    return OpeningHoursParser(text.strip()).parse()
