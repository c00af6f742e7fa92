"""The categories' colours stay apart for the common colour-vision deficiencies, checked (issue 14, requirement 6).

`creative_map.colour_vision` simulates protanopia, deuteranopia and tritanopia (Machado et al. 2009) and measures
CIEDE2000; its formula is checked on Sharma, Wu and Dalal's published test pairs, and the check on the palette
is shown to fail on the palette it replaced.
"""

from __future__ import annotations

import pytest

import creative_map
from creative_map import colour_vision as cv
from creative_map import mapping, schema

MIN_DELTA_E = 10.0
"""The least CIEDE2000 difference between two categories' colours, for normal vision and each deficiency
(about 2.3 is a just-noticeable difference side by side; 10 tells two small map symbols apart)."""
MIN_CONTRAST = 4.5
"""Each category's symbol is drawn white on its colour: WCAG 2's ratio for normal text."""

OLD_PALETTE = {
    "public_space": "#2e7d32", "heritage": "#8d6e63", "education": "#1565c0", "museum": "#6a1b9a",
    "craft_village": "#ef6c00", "creative_business": "#00838f", "art_space": "#c2185b", "online": "#546e7a",
    "other": "#757575", "walking_street": "#d32f2f", "design_centre": "#f9a825",
}  # fmt: skip
"""The colours before issue 14: heritage and art space 3.4 apart for deuteranopia, design centre's yellow 2:1
behind a white symbol."""


def palette() -> dict[str, str]:
    return {c.id: c.colour for c in schema.CATEGORIES.values()}


@pytest.mark.parametrize(
    "lab1,lab2,expected",
    [
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
        ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
        ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
    ],
)
def test_ciede2000_matches_sharma_s_test_data(lab1, lab2, expected):
    assert cv.delta_e2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert cv.delta_e2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_the_simulation_merges_what_each_deficiency_confuses():
    white = cv.lab("#ffffff")
    assert white == pytest.approx((100.0, 0.0, 0.0), abs=0.01)
    for deficiency in cv.DEFICIENCIES:  # greys stay greys: the matrices' rows sum to 1
        assert cv.lab("#808080", deficiency) == pytest.approx(cv.lab("#808080"), abs=0.5)
    red, green = "#d62728", "#2ca02c"  # red and green: far apart, close for protanopes and deuteranopes
    normal = cv.delta_e2000(cv.lab(red), cv.lab(green))
    assert cv.delta_e2000(cv.lab(red, "deuteranopia"), cv.lab(green, "deuteranopia")) < normal / 2
    assert cv.delta_e2000(cv.lab(red, "protanopia"), cv.lab(green, "protanopia")) < normal / 2
    blue, green2 = "#1f77b4", "#17becf"  # blue against cyan-green is what tritanopes confuse
    assert cv.delta_e2000(cv.lab(blue, "tritanopia"), cv.lab(green2, "tritanopia")) < cv.delta_e2000(
        cv.lab(blue), cv.lab(green2)
    )
    with pytest.raises(ValueError, match="#rrggbb"):
        cv.lab("red")


@pytest.mark.parametrize("deficiency", [None, *cv.DEFICIENCIES])
def test_every_pair_of_category_colours_stays_apart(deficiency):
    closest, a, b = cv.closest_pairs(palette(), deficiency)[0]
    assert closest >= MIN_DELTA_E, f"{a} and {b}: {closest:.1f} apart for {deficiency or 'normal vision'}"


def test_the_check_fails_on_the_palette_it_replaced():
    worst = min(cv.closest_pairs(OLD_PALETTE, d)[0][0] for d in (None, *cv.DEFICIENCIES))
    assert worst < MIN_DELTA_E
    assert cv.contrast_ratio("#ffffff", OLD_PALETTE["design_centre"]) < MIN_CONTRAST


def test_a_white_symbol_reads_on_every_category_colour():
    for name, colour in palette().items():
        assert cv.contrast_ratio("#ffffff", colour) >= MIN_CONTRAST, name
    assert cv.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)


def test_colour_is_never_the_only_cue():
    """Each category also has its own symbol and its name in the legend and the popups."""
    symbols = [mapping.SYMBOLS[c] for c in schema.CATEGORIES]
    assert len(set(symbols)) == len(symbols)
    legend = mapping.legend_html(creative_map.select(creative_map.load()), lang="en")
    for category in schema.CATEGORIES.values():
        assert category.label.en in legend or category.label.en.replace("&", "&amp;") in legend
