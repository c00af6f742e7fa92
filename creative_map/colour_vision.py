"""How far apart colours look, to people with normal colour vision and with the common deficiencies.

The categories' colours (`creative_map.schema.CATEGORIES`) are checked with this: each colour is simulated as a
person with protanopia, deuteranopia or tritanopia sees it (Machado, Oliveira and Fernandes 2009, "A
Physiologically-based Model for Simulation of Color Vision Deficiency", IEEE TVCG 15(6), the matrices for
severity 1.0, applied to linear sRGB), and every pair must stay at least a minimum CIEDE2000 difference apart
(Sharma, Wu and Dalal 2005, "The CIEDE2000 color-difference formula: implementation notes"). `contrast_ratio` is
WCAG 2's, for a symbol drawn in white on a colour.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from typing import Final, Literal, get_args

import numpy as np
import numpy.typing as npt

__all__ = [
    "DEFICIENCIES",
    "Deficiency",
    "closest_pairs",
    "contrast_ratio",
    "delta_e2000",
    "lab",
    "simulate",
]

Deficiency = Literal["protanopia", "deuteranopia", "tritanopia"]
DEFICIENCIES: Final[tuple[Deficiency, ...]] = get_args(Deficiency)

MACHADO_2009: Final[dict[Deficiency, tuple[tuple[float, float, float], ...]]] = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
"""Machado et al. (2009), table of simulation matrices, severity 1.0 (dichromacy), on linear RGB."""

_SRGB_TO_XYZ: Final = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)
_D65: Final = np.array([0.95047, 1.0, 1.08883])


def _rgb(colour: str) -> npt.NDArray[np.float64]:
    text = colour.strip().lstrip("#")
    if len(text) != 6 or any(c not in "0123456789abcdefABCDEF" for c in text):
        raise ValueError(f"`colour` must be written #rrggbb; got {colour!r}")
    return np.array([int(text[i : i + 2], 16) / 255 for i in (0, 2, 4)], dtype=np.float64)


def _linear(rgb: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    out: npt.NDArray[np.float64] = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return out


def simulate(colour: str, deficiency: Deficiency | None) -> npt.NDArray[np.float64]:
    """Return the linear RGB (0-1) that a person with `deficiency` perceives for `colour` (None: as it is)."""
    linear = _linear(_rgb(colour))
    if deficiency is None:
        return linear
    if deficiency not in MACHADO_2009:
        raise ValueError(f"`deficiency` must be one of {', '.join(DEFICIENCIES)} or None; got {deficiency!r}")
    out: npt.NDArray[np.float64] = np.clip(np.array(MACHADO_2009[deficiency]) @ linear, 0.0, 1.0)
    return out


def lab(colour: str, deficiency: Deficiency | None = None) -> tuple[float, float, float]:
    """Return CIELAB (D65) of `colour` as seen with `deficiency` (None: normal vision)."""
    xyz = _SRGB_TO_XYZ @ simulate(colour, deficiency) / _D65
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return (float(116 * f[1] - 16), float(500 * (f[0] - f[1])), float(200 * (f[1] - f[2])))


def delta_e2000(lab1: Iterable[float], lab2: Iterable[float]) -> float:
    """Return the CIEDE2000 colour difference of two CIELAB colours (kL = kC = kH = 1)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    dh = 0.0
    if c1p * c2p:
        dh = h2p - h1p
        dh = dh - 360 if dh > 180 else dh + 360 if dh < -180 else dh
    d_hue = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if not c1p * c2p:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_bar - 30))
        + 0.24 * math.cos(math.radians(2 * h_bar))
        + 0.32 * math.cos(math.radians(3 * h_bar + 6))
        - 0.20 * math.cos(math.radians(4 * h_bar - 63))
    )
    d_theta = 30 * math.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_bar**7 / (cp_bar**7 + 25**7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (d_hue / s_h) ** 2 + r_t * (dc / s_c) * (d_hue / s_h))


def closest_pairs(colours: Mapping[str, str], deficiency: Deficiency | None = None) -> list[tuple[float, str, str]]:
    """Return every pair of `colours` (name -> ``#rrggbb``) with its CIEDE2000 difference as seen with
    `deficiency`, the closest first."""
    labs = {name: lab(colour, deficiency) for name, colour in colours.items()}
    pairs = [(delta_e2000(labs[a], labs[b]), a, b) for a, b in itertools.combinations(labs, 2)]
    return sorted(pairs)


def contrast_ratio(foreground: str, background: str) -> float:
    """Return WCAG 2's contrast ratio of two colours (1 to 21): 4.5 is the least for normal text."""

    def luminance(colour: str) -> float:
        return float(simulate(colour, None) @ np.array([0.2126, 0.7152, 0.0722]))

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)
