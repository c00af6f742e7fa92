"""Classed scales for choropleth maps: class limits by quantiles or natural breaks, and which class a value is in.

A classification is described by its **limits**: the upper limit of each class, strictly increasing, the last
being the largest value. Class 0 holds the values up to ``limits[0]`` (the smallest value included), class
``i`` those above ``limits[i - 1]`` and up to ``limits[i]`` (the convention of PySAL's mapclassify ``bins``).
Equal values always share a class, so a classification asked for ``k`` classes may have fewer: when the data
has fewer distinct values than ``k`` (each distinct value is then a class), or when many values tie (most units
hold no space: zero is then a class of its own, drawn in the lightest colour). Missing values (NaN) are left
out of the limits and classified as ``-1``.

`quantiles` and `natural_breaks` compute limits, `classify` applies them, `scheme` does both and carries what
a legend needs (`Classes.labels`, `Classes.colours`). The notebook and the app's "Numbers" view call these.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal, get_args

import numpy as np
import numpy.typing as npt

from creative_map.i18n import t
from creative_map.types import Lang

__all__ = [
    "MAX_DISTINCT_NATURAL_BREAKS",
    "METHODS",
    "PALETTE",
    "Classes",
    "Method",
    "classify",
    "colours",
    "format_number",
    "method_label",
    "natural_breaks",
    "quantiles",
    "scheme",
]

Method = Literal["quantiles", "natural_breaks"]
"""How limits are chosen: about as many units in each class, or the Fisher-Jenks natural breaks."""
METHODS: Final[tuple[Method, ...]] = get_args(Method)

MAX_DISTINCT_NATURAL_BREAKS: Final = 5_000
"""`natural_breaks` refuses more distinct values than this: its exact optimisation grows with their square
(measured here: 0.08 s at 1,000 distinct values and 5 classes, 0.8 s at 5,000, 12 s at 20,000)."""

PALETTE: Final[dict[int, tuple[str, ...]]] = {
    1: ("#feb24c",),
    2: ("#ffeda0", "#f03b20"),
    3: ("#ffeda0", "#feb24c", "#f03b20"),
    4: ("#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"),
    5: ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),
    6: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"),
    7: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
    8: ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
    9: ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"),
}
"""ColorBrewer's sequential YlOrRd scheme (Cynthia Brewer, Apache-2.0), by number of classes: lightness falls
class by class, so the order reads in grey and with any colour-vision deficiency (tested)."""

FloatArray = npt.NDArray[np.float64]
_VI_SEPARATORS: Final = str.maketrans(",.", ".,")
"""Vietnamese writes the thousands with a point and the decimals with a comma."""


def _finite(values: Iterable[float] | npt.ArrayLike, name: str = "values") -> FloatArray:
    """Return the non-NaN values as floats; refuse infinities and what is not a number, naming the argument."""
    try:
        array = np.asarray(values, dtype=np.float64).ravel()
    except (TypeError, ValueError) as exc:
        raise ValueError(f"`{name}` must be numbers (NaN for a missing value): {exc}") from None
    kept = array[~np.isnan(array)]
    if np.isinf(kept).any():
        raise ValueError(f"`{name}` holds an infinite value; classes need finite numbers (or NaN for missing)")
    return kept


def _check_k(k: int) -> None:
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"`k` must be a whole number of classes, 1 or more; got {k!r}")


def quantiles(values: Iterable[float] | npt.ArrayLike, k: int) -> tuple[float, ...]:
    """Return the upper limits of at most `k` classes holding about as many values each.

    The limit of class ``j`` (1-based) is the smallest value with at least ``j / k`` of the values at or below
    it (the "inverted CDF" quantile: limits are values of the data, and with ``n`` values, ``n`` a multiple of
    `k`, every class holds ``n / k`` of them). Limits that repeat (ties) are merged, so there may be fewer
    than `k` classes.

    Parameters
    ----------
    values
        The numbers to classify; NaN (missing) values are left out.
    k
        The number of classes wanted (1 or more).

    Returns
    -------
    tuple of float
        The upper limits, strictly increasing, the last the largest value; empty when no value is given.

    Raises
    ------
    ValueError
        When `k` is not a positive whole number, or `values` holds an infinity or something not a number.
    """
    _check_k(k)
    data = np.sort(_finite(values))
    if data.size == 0:
        return ()
    n = data.size
    # The smallest value whose cumulative share reaches j/k: index ceil(n * j / k) - 1, computed in integers.
    positions = [-(-n * j // k) - 1 for j in range(1, k + 1)]
    return tuple(float(v) for v in np.unique(data[positions]))


def _sse_table(values: FloatArray, weights: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Prefix sums of weights, weighted values and weighted squares (values centred, for precision)."""
    centred = values - np.average(values, weights=weights)
    zero = np.zeros(1)
    w = np.concatenate([zero, np.cumsum(weights)])
    s = np.concatenate([zero, np.cumsum(weights * centred)])
    q = np.concatenate([zero, np.cumsum(weights * centred**2)])
    return w, s, q


def natural_breaks(values: Iterable[float] | npt.ArrayLike, k: int) -> tuple[float, ...]:
    """Return the upper limits of at most `k` classes by Fisher-Jenks natural breaks.

    The classes are the grouping of the sorted values into `k` runs with the smallest total sum of squared
    deviations from each class's mean (Fisher 1958, "On grouping for maximum homogeneity"; what Jenks' natural
    breaks approximate), found exactly by dynamic programming over the distinct values, each weighted by how
    often it occurs. Equal values are never split; with fewer distinct values than `k`, each is a class.
    Among equally good groupings the one with the earliest breaks is returned, so the result is deterministic.

    Parameters
    ----------
    values
        The numbers to classify; NaN (missing) values are left out.
    k
        The number of classes wanted (1 or more).

    Returns
    -------
    tuple of float
        The upper limits, strictly increasing, the last the largest value; empty when no value is given.

    Raises
    ------
    ValueError
        When `k` is not a positive whole number, `values` holds an infinity or something not a number, or more
        than `MAX_DISTINCT_NATURAL_BREAKS` distinct values (use `quantiles` then).
    """
    _check_k(k)
    distinct, counts = np.unique(_finite(values), return_counts=True)
    m = distinct.size
    if m == 0:
        return ()
    if m > MAX_DISTINCT_NATURAL_BREAKS:
        raise ValueError(
            f"`values` holds {m:,} distinct values; natural breaks takes at most {MAX_DISTINCT_NATURAL_BREAKS:,} "
            "(use quantiles)"
        )
    if m <= k:
        return tuple(float(v) for v in distinct)
    w, s, q = _sse_table(distinct, counts.astype(np.float64))

    def sse(first: npt.NDArray[np.int64], last: int) -> FloatArray:
        """Sum of squared deviations of the class of distinct values first..last (inclusive), per `first`."""
        weight = w[last + 1] - w[first]
        total = s[last + 1] - s[first]
        out: FloatArray = np.maximum(q[last + 1] - q[first] - total * total / weight, 0.0)
        return out

    # cost[j, i]: the least error of the first i + 1 distinct values in j + 1 classes; start[j, i]: where the
    # last of those classes starts.
    cost = np.full((k, m), np.inf)
    start = np.zeros((k, m), dtype=np.int64)
    cost[0] = np.maximum(q[1:] - s[1:] ** 2 / w[1:], 0.0)  # one class: values 0..i
    for j in range(1, k):
        for i in range(j, m):
            firsts = np.arange(j, i + 1)
            candidates = cost[j - 1, firsts - 1] + sse(firsts, i)
            best = int(np.argmin(candidates))  # the first of equal minima: the earliest break
            cost[j, i] = candidates[best]
            start[j, i] = firsts[best]
    limits = []
    last = m - 1
    for j in range(k - 1, -1, -1):
        limits.append(float(distinct[last]))
        last = int(start[j, last]) - 1
    return tuple(reversed(limits))


def classify(values: Iterable[float] | npt.ArrayLike, limits: Iterable[float]) -> npt.NDArray[np.int64]:
    """Return the class of each value under `limits`: 0 for the lowest class, -1 for a missing value (NaN).

    A value is in the first class whose upper limit it does not exceed; a value above the last limit is put in
    the last class (limits computed from other data, say a fixed scale, may be narrower than these values).

    Parameters
    ----------
    values
        The numbers to classify.
    limits
        Upper limits of the classes, strictly increasing (`quantiles`' or `natural_breaks`' result).

    Returns
    -------
    numpy.ndarray
        One integer per value, in the order given.

    Raises
    ------
    ValueError
        When `limits` is empty (and some value is not missing) or not strictly increasing, or a value is not a
        number.
    """
    bounds = np.asarray(tuple(limits), dtype=np.float64)
    if bounds.size and not (np.isfinite(bounds).all() and (np.diff(bounds) > 0).all()):
        raise ValueError(f"`limits` must be finite and strictly increasing; got {tuple(bounds.tolist())}")
    try:
        array = np.asarray(values, dtype=np.float64).ravel()
    except (TypeError, ValueError) as exc:
        raise ValueError(f"`values` must be numbers (NaN for a missing value): {exc}") from None
    missing = np.isnan(array)
    if bounds.size == 0:
        if not missing.all():
            raise ValueError("`limits` is empty: there is no class to put the values in")
        return np.full(array.size, -1, dtype=np.int64)
    found = np.minimum(np.searchsorted(bounds, array, side="left"), bounds.size - 1).astype(np.int64)
    found[missing] = -1
    return found


def colours(n: int) -> tuple[str, ...]:
    """Return `n` colours, lightest to darkest, for `n` classes (ColorBrewer YlOrRd, 1 to 9 classes)."""
    if n not in PALETTE:
        raise ValueError(f"`n` must be between 1 and {max(PALETTE)} classes for a readable legend; got {n!r}")
    return PALETTE[n]


def format_number(value: float, lang: Lang = "vi", *, decimals: int = 2) -> str:
    """Return `value` rounded to `decimals` places, written the way `lang` writes numbers.

    Vietnamese: ``1.234,5``; English: ``1,234.5``. Trailing zeros are dropped (``0.50`` -> ``0.5``), and a
    negative zero is written ``0``.
    """
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if lang == "vi":
        text = text.translate(_VI_SEPARATORS)
    return text


def method_label(method: Method, lang: Lang = "vi") -> str:
    """Return the name of a classification method in `lang`, for a legend or a chooser."""
    if method not in METHODS:
        raise ValueError(f"`method` must be one of {', '.join(METHODS)}; got {method!r}")
    return t(f"classes_{method}", lang)


@dataclass(frozen=True)
class Classes:
    """A classed scale: its limits, the smallest value, how many values each class holds, and its legend."""

    method: Method
    limits: tuple[float, ...]
    """Upper limits, strictly increasing (see the module's docstring)."""
    lowest: float
    """The smallest value classified (NaN when there was none): where the first class starts."""
    counts: tuple[int, ...]
    """How many of the values each class holds."""

    def __len__(self) -> int:
        return len(self.limits)

    def classify(self, values: Iterable[float] | npt.ArrayLike) -> npt.NDArray[np.int64]:
        """Return the class of each value (see `classify`)."""
        return classify(values, self.limits)

    def colours(self) -> tuple[str, ...]:
        """Return one colour per class, lightest first (see `colours`)."""
        return colours(len(self.limits)) if self.limits else ()

    def _decimals(self, decimals: int | None) -> int:
        if decimals is not None:
            return decimals
        # The fewest places (up to 6) that keep every limit apart from the one before it (and the smallest value
        # apart from the first limit when they differ) and write each within 5 % of its value.
        points = self.limits if self.lowest == self.limits[0] else (self.lowest, *self.limits)
        for places in range(7):
            written = [round(p, places) for p in points]
            apart = all(b > a for a, b in itertools.pairwise(written))
            if apart and all(abs(w - p) <= 0.05 * abs(p) for w, p in zip(written, points, strict=True)):
                return places
        return 6

    def labels(self, lang: Lang = "vi", *, decimals: int | None = None, percent: bool = False) -> list[str]:
        """Return the legend's text for each class: its limits, one number for a class of a single value.

        Class 0 reads ``lowest – limits[0]``, class ``i`` reads ``limits[i-1] – limits[i]`` (above the first
        number, up to and including the second), numbers written as `lang` writes them (`format_number`).

        Parameters
        ----------
        lang
            ``vi`` (``0,5``) or ``en`` (``0.5``).
        decimals
            Decimal places; None picks the fewest that keep the limits apart.
        percent
            Show shares (0-1) as percentages (``25 %``).
        """
        if not self.limits:
            return []
        factor, unit = (100.0, " %") if percent else (1.0, "")
        scaled = Classes(self.method, tuple(x * factor for x in self.limits), self.lowest * factor, self.counts)
        places = scaled._decimals(decimals)

        def num(x: float) -> str:
            return format_number(x, lang, decimals=places) + unit

        starts = [scaled.lowest, *scaled.limits[:-1]]
        return [
            num(high) if i == 0 and low == high else f"{num(low)} – {num(high)}"
            for i, (low, high) in enumerate(zip(starts, scaled.limits, strict=True))
        ]


def scheme(
    values: Iterable[float] | npt.ArrayLike, *, method: Method = "quantiles", k: int = 5, zero_class: bool = True
) -> Classes:
    """Return the classed scale of `values` by `method` in at most `k` classes, with what its legend needs.

    Parameters
    ----------
    values
        The numbers to classify (say ``statistics["spaces_per_km2"]``); NaN values are left out.
    method
        ``"quantiles"`` (`quantiles`) or ``"natural_breaks"`` (`natural_breaks`).
    k
        The number of classes wanted (1 or more; at most 9 for `Classes.colours`).
    zero_class
        When some values are 0 and none is negative (a count, a density, a share), 0 is a class of its own,
        "none at all", and `method` splits the positive values into the other ``k - 1`` classes. Without it,
        quantiles of units most of which hold no space collapse into one or two classes.

    Returns
    -------
    Classes

    Raises
    ------
    ValueError
        On an unknown `method`, a `k` that is not a positive whole number, or `values` that are not numbers.
    """
    if method not in METHODS:
        raise ValueError(f"`method` must be one of {', '.join(METHODS)}; got {method!r}")
    _check_k(k)
    finite = _finite(values)
    compute = quantiles if method == "quantiles" else natural_breaks
    positive = finite[finite > 0]
    if zero_class and k > 1 and finite.size and finite.min() == 0 and positive.size:
        limits: tuple[float, ...] = (0.0, *compute(positive, k - 1))
    else:
        limits = compute(finite, k)
    found = classify(finite, limits)
    counts = tuple(int(c) for c in np.bincount(found, minlength=len(limits))) if limits else ()
    lowest = float(finite.min()) if finite.size else math.nan
    return Classes(method, limits, lowest, counts)
