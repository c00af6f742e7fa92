"""Classed scales (`creative_map.classes`): known answers, ties, zeros, NaN, fewer distinct values than classes,
natural breaks checked against a brute-force search of every grouping, and a legend that reads in grey."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from creative_map import analysis, classes
from creative_map.classes import classify, natural_breaks, quantiles, scheme

NAN = math.nan

# --- quantiles ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values,k,expected",
    [
        (range(1, 11), 5, (2, 4, 6, 8, 10)),  # 10 values, 5 classes: two in each
        (range(1, 11), 3, (4, 7, 10)),  # 4, 3, 3
        (range(1, 11), 1, (10,)),
        ([10, 1, 7, 4, 2, 9, 3, 8, 6, 5], 2, (5, 10)),  # order does not matter
        ([0, 0, 0, 0, 0, 0, 1, 2, 3, 4], 5, (0, 2, 4)),  # ties merge: fewer classes, zero alone
        ([5, 5, 7], 4, (5, 7)),  # fewer distinct values than classes
        ([3, 3, 3], 3, (3,)),  # one value: one class
        ([NAN, 1, 2, NAN, 3, 4], 2, (2, 4)),  # NaN left out
        ([-2.5, -1, 0, 1.5], 2, (-1, 1.5)),
    ],
)
def test_quantiles_known_answers(values, k, expected):
    assert quantiles(values, k) == tuple(float(x) for x in expected)


@pytest.mark.parametrize("values", [[], [NAN, NAN]])
def test_no_value_gives_no_class(values):
    assert quantiles(values, 3) == () and natural_breaks(values, 3) == ()
    assert classify(values, ()).tolist() == [-1] * len(values)
    empty = scheme(values)
    assert (empty.limits, empty.counts, empty.labels("en"), empty.colours()) == ((), (), [], ())


@pytest.mark.parametrize("k", [0, -1, 1.5, True, "5", None])
def test_k_must_be_a_positive_whole_number(k):
    for compute in (quantiles, natural_breaks):
        with pytest.raises(ValueError, match="`k`"):
            compute([1, 2, 3], k)


@pytest.mark.parametrize("values", [[1, math.inf], [1, -math.inf], ["a", 1]])
def test_infinities_and_text_are_refused_by_name(values):
    for compute in (quantiles, natural_breaks):
        with pytest.raises(ValueError, match="`values`"):
            compute(values, 2)


def test_quantile_classes_hold_equal_counts_when_they_can():
    rng = np.random.default_rng(14)
    values = rng.lognormal(size=120)
    limits = quantiles(values, 6)
    assert np.bincount(classify(values, limits)).tolist() == [20] * 6


# --- natural breaks -----------------------------------------------------------------------------------------


def _sse(groups: list[np.ndarray]) -> float:
    return float(sum(((g - g.mean()) ** 2).sum() for g in groups))


def _brute_force(values: np.ndarray, k: int) -> tuple[float, set[tuple[float, ...]]]:
    """The least within-class sum of squares over every split of the sorted values into k runs that never
    separates equal values, and every set of limits that reaches it."""
    data = np.sort(values)
    distinct = np.unique(data)
    k = min(k, len(distinct))
    best, winners = math.inf, set()
    for cuts in itertools.combinations(range(len(distinct) - 1), k - 1):  # cut after these distinct values
        limits = (*(float(distinct[c]) for c in cuts), float(distinct[-1]))
        groups, low = [], -math.inf
        for high in limits:
            groups.append(data[(data > low) & (data <= high)])
            low = high
        cost = _sse(groups)
        if cost < best - 1e-9:
            best, winners = cost, {limits}
        elif abs(cost - best) <= 1e-9:
            winners.add(limits)
    return best, winners


@pytest.mark.parametrize("seed", range(12))
def test_natural_breaks_find_the_least_squares_grouping(seed):
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(4, 12)), int(rng.integers(2, 6))
    values = rng.choice([0.0, 0.0, 0.5, 1.0, 2.0, 3.5, 7.0, 8.0, 20.0, 21.0, 50.0], size=n) + (
        rng.random(n) * 3 if seed % 2 else 0.0
    )  # half with many ties (and zeros), half spread out
    limits = natural_breaks(values, k)
    best, winners = _brute_force(values, k)
    assert limits in winners
    groups = [values[classify(values, limits) == i] for i in range(len(limits))]
    assert _sse(groups) == pytest.approx(best, abs=1e-9)


@pytest.mark.parametrize(
    "values,k,expected",
    [
        ([1, 2, 3, 10, 11, 12, 20, 21, 22], 3, (3, 12, 22)),
        ([0] * 10 + [10, 10, 10, 11, 30], 3, (0, 11, 30)),  # zeros and ties
        ([0, 0, 0, 1, 1, 5], 5, (0, 1, 5)),  # fewer distinct values than classes
        ([4, 4, 4], 2, (4,)),
        ([NAN, 1, 2, 9, NAN, 10], 2, (2, 10)),
        ([1, 2, 3, 4], 1, (4,)),
    ],
)
def test_natural_breaks_known_answers(values, k, expected):
    assert natural_breaks(values, k) == tuple(float(x) for x in expected)


def test_natural_breaks_scale_with_the_values_and_ignore_their_order():
    values = np.array([0.2, 0.3, 1.1, 1.2, 1.4, 3.9, 4.2, 9.5, 12.0, 0.0, 0.0])
    limits = natural_breaks(values, 4)
    assert natural_breaks(values * 1000, 4) == pytest.approx(tuple(x * 1000 for x in limits))
    assert natural_breaks(values[::-1], 4) == limits


def test_natural_breaks_refuse_too_many_distinct_values_with_a_message():
    with pytest.raises(ValueError, match=r"distinct values.*quantiles"):
        natural_breaks(np.arange(classes.MAX_DISTINCT_NATURAL_BREAKS + 1), 5)


# --- classify -----------------------------------------------------------------------------------------------


def test_classify_puts_each_value_in_the_first_class_whose_limit_it_does_not_exceed():
    values = [0, 0.5, 2, 2.0001, 5, 7, NAN, -1]
    assert classify(values, (0, 2, 5)).tolist() == [0, 1, 1, 2, 2, 2, -1, 0]


@pytest.mark.parametrize("limits", [(2, 2), (3, 1), (1, NAN), (1, math.inf)])
def test_classify_refuses_limits_that_do_not_increase(limits):
    with pytest.raises(ValueError, match="`limits`"):
        classify([1], limits)


def test_classify_needs_a_class_for_a_value():
    with pytest.raises(ValueError, match="`limits` is empty"):
        classify([1, NAN], ())


@pytest.mark.parametrize("method", classes.METHODS)
@pytest.mark.parametrize("seed", range(4))
def test_every_value_is_in_exactly_one_class_and_the_counts_add_up(method, seed):
    rng = np.random.default_rng(seed)
    values = np.concatenate([np.zeros(30), rng.exponential(size=60), [NAN, NAN]])
    found = scheme(values, method=method, k=5)
    assert sum(found.counts) == 90 and all(c > 0 for c in found.counts)
    got = found.classify(values)
    assert (got[:-2] >= 0).all() and got[-2:].tolist() == [-1, -1]
    assert found.limits[-1] == pytest.approx(np.nanmax(values))


# --- the scheme and its legend ------------------------------------------------------------------------------


def test_zero_is_a_class_of_its_own_for_counts_densities_and_shares():
    values = [0] * 80 + [0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 8, 13, 40]
    assert quantiles(values, 5) == (0.0, 40.0)  # what quantiles alone give: two classes
    q = scheme(values, method="quantiles", k=5)
    assert q.limits == (0.0, 0.3, 2.0, 8.0, 40.0) and q.counts == (80, 3, 3, 3, 2)  # 11 positive: 3, 3, 3, 2
    nb = scheme(values, method="natural_breaks", k=5)
    assert nb.limits[0] == 0.0 and nb.counts[0] == 80 and len(nb) == 5
    assert scheme(values, method="quantiles", k=5, zero_class=False).limits == (0.0, 40.0)
    assert scheme([-1, 0, 0, 3], k=3).limits == quantiles([-1, 0, 0, 3], 3)  # negatives: no zero class
    assert scheme([0, 0, 0], k=3).limits == (0.0,)


def test_legend_labels_show_the_limits_in_each_language():
    found = scheme([0, 0, 0.25, 0.5, 1234.5, 2000], method="quantiles", k=3, zero_class=False)
    assert found.limits == (0.0, 0.5, 2000.0)
    assert found.labels("en") == ["0", "0 – 0.5", "0.5 – 2,000"]
    assert found.labels("vi") == ["0", "0 – 0,5", "0,5 – 2.000"]
    assert found.labels("en", decimals=2) == ["0", "0 – 0.5", "0.5 – 2,000"]
    shares = scheme([0.1, 0.25, 0.5, 1.0], method="quantiles", k=2)
    assert shares.labels("vi", percent=True) == ["10 % – 25 %", "25 % – 100 %"]


def test_legend_decimals_keep_close_limits_apart():
    found = scheme([0.011, 0.012, 0.016, 0.4, 11.0], method="quantiles", k=5)
    labels = found.labels("en")
    assert labels == ["0.011", "0.011 – 0.012", "0.012 – 0.016", "0.016 – 0.4", "0.4 – 11"]
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize(
    "value,lang,text",
    [(1234.5, "vi", "1.234,5"), (1234.5, "en", "1,234.5"), (-0.001, "en", "0"), (2.0, "vi", "2"), (0.5, "vi", "0,5")],
)
def test_format_number(value, lang, text):
    assert classes.format_number(value, lang, decimals=2) == text


def _lightness(hex_colour: str) -> float:
    """CIE L* of an sRGB colour (D65)."""
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    y = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 116 * (y ** (1 / 3) if y > 216 / 24389 else (24389 / 27 * y + 16) / 116) - 16


@pytest.mark.parametrize("n", sorted(classes.PALETTE))
def test_each_palette_darkens_class_by_class_so_it_reads_without_hue(n):
    # Lightness alone orders the classes (steps of at least 5 L*), whatever colours a reader can tell apart.
    lightness = [_lightness(c) for c in classes.colours(n)]
    assert len(lightness) == n
    assert all(a - b >= 5 for a, b in itertools.pairwise(lightness)), lightness


def test_palettes_stop_at_nine_classes():
    with pytest.raises(ValueError, match="`n`"):
        classes.colours(10)


def test_methods_and_measures_are_named_in_both_languages():
    assert classes.method_label("natural_breaks", "en") == "Natural breaks (Jenks)"
    assert classes.method_label("quantiles", "vi").startswith("Phân vị")
    assert [analysis.measure_label(m, "en") for m in analysis.MEASURES] == [
        "Spaces per km²",
        "Share of the area within 500 m of an active space",
        "Share of the area within 1 km of an active space",
    ]
    with pytest.raises(ValueError, match="`method`"):
        scheme([1, 2], method="equal_interval")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`column`"):
        analysis.measure_label("total")
