"""The print map: the selected spaces on a landscape A4 or A3 page, as PNG or PDF, readable without tiles.

What a city hands out at a forum: every space numbered on the map, an index of their full names beside it, and
the page's particulars (title, filter, legend with counts, scale bar, north arrow, date, source, licence, CRS and
what the unit boundaries are).

- The base is drawn from the unit boundaries themselves (2025 wards, pre-2025 districts outlined, Hanoi's edge),
  so the page needs no basemap and no network; land outside Hanoi is neutral grey, never water. The map is drawn
  in UTM zone 48N (EPSG:32648), where the scale bar is true; the north arrow is turned by the grid's
  convergence at the map's centre.
- Numbers: see `creative_map.export._printindex` (by district, then by place). Spaces whose dots would touch
  share one marker (a pie of their categories) with all their numbers beside it; where even that leaves no room
  for a number, the nearest markers are merged, never drawn on each other, never fanned out.
- Every label (numbers, unit names, the scale bar, the north arrow) is placed in display space against what is
  already there (`creative_map.export._placement`): none overlaps a dot, another label or the map's frame.
  Unit names that do not fit are left out.
- When many spaces crowd in a small part of a large map, an inset shows that part closer (its frame drawn on
  the main map) and numbers them there.
- The index is poured into columns (names wrapped, never cut), its type made smaller only as far as it must;
  a selection too large to number on one page is drawn without numbers, and the page says so.

Drawn with matplotlib's object API (no pyplot state), so it is safe in a server and gives the same bytes for
the same input (PDF creation date left out; the date shown is the one passed in). Every text on the page is in
`creative_map.i18n.TEXTS` (keys ``print_*``; the title, source and licence are the exports' own).

`draw_print_map` builds the page as a matplotlib Figure (tests measure it); `render_print_map` writes it;
`write_png` and `write_pdf` are the export's writers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import math
import os
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import geopandas as gpd
import matplotlib
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.ft2font import LoadFlags
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.patheffects import withStroke
from matplotlib.transforms import IdentityTransform
from numpy.typing import NDArray
from pyproj import CRS, Proj
from shapely.geometry import box
from shapely.ops import polylabel

from creative_map import admin, schema
from creative_map.boundaries import is_shipped
from creative_map.dataset import Selection
from creative_map.export._common import LICENCE, ExportOptions, source_citation
from creative_map.export._placement import (
    Box,
    Obstacles,
    first_free,
    group_markers,
    inside,
    merge_nearest,
    place_labels,
)
from creative_map.export._printindex import Block, Entry, blocks, flow, number_ranges, numbered
from creative_map.export._printindex import wrap as _wrap_px
from creative_map.i18n import describe_filter, t
from creative_map.types import LEVELS, PAGES, Lang, Level, Page

__all__ = ["PAGE_SIZES_MM", "draw_print_map", "render_print_map", "write_pdf", "write_png"]

logger = logging.getLogger(__name__)

FONT: Final = "DejaVu Sans"
"""The one font of the page (matplotlib's own, with every Vietnamese letter)."""
MM_PER_INCH: Final = 25.4
PT_PER_INCH: Final = 72.0
PAGE_SIZES_MM: Final[dict[Page, tuple[float, float]]] = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}
"""Landscape paper sizes in millimetres (width, height)."""
PNG_DPI: Final = 200
MIN_SPAN_M: Final = 3000.0
"""The map shows at least this many metres across, so one space is not drawn alone on a blank page."""

# Colours.
OUTSIDE: Final = "#e3e3e3"
"""Land outside Hanoi: neutral grey (never a water blue)."""
CITY_FILL: Final = "#f6f1e6"
WARD_EDGE: Final = "#ffffff"
DISTRICT_EDGE: Final = "#8c8c8c"
CITY_EDGE: Final = "#4a4a4a"
FRAME: Final = "#777777"
UNIT_TEXT: Final = "#6b6b6b"
NUMBER_TEXT: Final = "#111111"
GROUP_EDGE: Final = "#333333"
LEADER: Final = "#555555"

# Sizes on A4, in points (A3 multiplies every one by its scale, 1.414).
MARGIN_MM: Final = 7.0
TITLE_MM: Final = 17.0
FOOTER_MM: Final = 11.0
GAP_MM: Final = 4.0
TITLE_PT: Final = 16.0
SUBTITLE_PT: Final = 8.5
FOOTER_PT: Final = 6.5
LEGEND_PT: Final = 6.5
INDEX_PT: Final = (6.5, 6.0, 5.5, 5.0, 4.6)
"""Sizes of the index's type, tried in turn until the index fits (no smaller: a selection that needs smaller
type is drawn without numbers)."""
INDEX_LINE: Final = 1.22
"""The index's line step, in sizes of its type."""
INDEX_COLUMN_EMS: Final = (16.0, 18.0, 20.0, 22.0, 24.0, 27.0, 30.0, 34.0)
"""The widths an index column may take, in sizes of its type."""
INDEX_GAP_MM: Final = 2.5
INDEX_MAX_WIDTH: Final = 0.6
"""The index takes at most this fraction of the page's width (the map the rest)."""
NUMBER_PT: Final = 5.5
UNIT_PT: Final[dict[Level, float]] = {"district": 6.5, "ward_2025": 5.5}
DOT_PT: Final = 5.0
GROUP_PT: Final = 7.0
EDGE_PT: Final = 0.6
SMALL_DOT_PT: Final = 2.4
"""Dots on the main map inside the inset's frame (numbered in the inset)."""
LABEL_GAP_PT: Final = 0.6
"""Between a number and its marker."""
CLEAR_PT: Final = 0.5
"""Free space kept around every label."""
FRAME_CLEAR_PT: Final = 2.0
"""Free space kept between a label and the map's frame."""
WARD_LABEL_MAX: Final = 40
"""A map names its 2025 wards when at most this many are in view, else its districts."""
CORE_RADIUS_M: Final = 5000.0
"""The inset holds the spaces within this distance of their median point (when they crowd there)."""
CITY_HEIGHT: Final = 0.45
"""With an inset, the main (city-wide) map's share of the height."""


def _t(key: str, lang: Lang, **values: str) -> str:
    """Return the print map's text `key` (``print_<key>`` in the catalogue) in `lang`."""
    return t(f"print_{key}", lang, **values)


# --- measuring ----------------------------------------------------------------------------------------------


class _Measure:
    """Text sizes in display pixels at one resolution (cached): what the layout and the placement decide with.

    `size` is exact (matplotlib's own layout, as the drawn text's window extent), for every label placed on a
    map; `approx_width` sums the font's advances (a hundred times faster, within 4 % of exact, so taken 5 %
    wider), for wrapping the index's hundreds of names.
    """

    APPROX_MARGIN: Final = 1.05

    def __init__(self, dpi: float) -> None:
        self.dpi = dpi
        self.renderer = RendererAgg(16, 16, dpi)  # type: ignore[no-untyped-call]
        self._cache: dict[tuple[str, float, str, str], tuple[float, float]] = {}
        self._approx: dict[tuple[float, str], Callable[[str], float]] = {}

    def px(self, pt: float) -> float:
        """Return `pt` points in pixels."""
        return pt * self.dpi / PT_PER_INCH

    def size(
        self, text: str, pt: float, *, weight: str = "normal", style: Literal["normal", "italic"] = "normal"
    ) -> tuple[float, float]:
        """Return the (width, height) in pixels of a one-line text as matplotlib lays it out (its window
        extent: the line's full height, whatever its letters)."""
        key = (text, pt, weight, style)
        if key not in self._cache:
            props = FontProperties(family=FONT, size=pt, weight=weight, style=style)
            width, _, _ = self.renderer.get_text_width_height_descent(text, props, ismath=False)  # type: ignore[no-untyped-call]
            _, height, _ = self.renderer.get_text_width_height_descent(  # type: ignore[no-untyped-call]
                "lp", props, ismath=False
            )
            self._cache[key] = (float(width), float(height))
        return self._cache[key]

    def line_height(self, pt: float, *, weight: str = "normal") -> float:
        """Return the height in pixels of the tallest line of Vietnamese (capitals with stacked marks) at `pt`."""
        props = FontProperties(family=FONT, size=pt, weight=weight)
        _, height, _ = self.renderer.get_text_width_height_descent(  # type: ignore[no-untyped-call]
            "ỨẪỒg|", props, ismath=False
        )
        return float(height)

    def approx_width(self, pt: float, *, weight: str = "normal") -> Callable[[str], float]:
        """Return a function giving a text's width in pixels at `pt` points, from its letters' advances."""
        key = (pt, weight)
        if key not in self._approx:
            advances: dict[str, float] = {}
            widths: dict[str, float] = {}
            font = get_font(findfont(FontProperties(family=FONT, size=pt, weight=weight)))

            def width(text: str) -> float:
                if text not in widths:
                    total = 0.0
                    for char in text:
                        if char not in advances:
                            font.set_size(pt, self.dpi)
                            glyph = font.load_char(ord(char), flags=LoadFlags.NO_HINTING)
                            advances[char] = glyph.linearHoriAdvance / 65536
                        total += advances[char]
                    widths[text] = total * self.APPROX_MARGIN
                return widths[text]

            self._approx[key] = width
        return self._approx[key]


# --- page geometry ------------------------------------------------------------------------------------------

Rect = tuple[float, float, float, float]
"""(left, bottom, width, height) in millimetres from the page's lower left corner."""
View = tuple[float, float, float, float]
"""(x0, y0, x1, y1) in UTM 48N metres."""


@dataclass(frozen=True)
class _Page:
    width: float
    height: float
    scale: float

    def fraction(self, rect: Rect) -> tuple[float, float, float, float]:
        """Return `rect` in figure fractions."""
        return (rect[0] / self.width, rect[1] / self.height, rect[2] / self.width, rect[3] / self.height)

    def at(self, x_mm: float, y_mm: float) -> tuple[float, float]:
        """Return a point in figure fractions."""
        return x_mm / self.width, y_mm / self.height


def _nice_length(span_m: float) -> float:
    """Return a round length (1, 2 or 5 times a power of ten, metres) near a fifth of `span_m`."""
    target = span_m / 5
    power = 10.0 ** math.floor(math.log10(target))
    return float(max(m * power for m in (1, 2, 5) if m * power <= target))


def _bounds(spaces_proj: gpd.GeoSeries, base_proj: gpd.GeoSeries) -> View:
    """Return the box of the spaces (or of the whole base when none), padded and at least `MIN_SPAN_M` wide."""
    geoms = spaces_proj if len(spaces_proj) else base_proj
    x0, y0, x1, y1 = (float(v) for v in geoms.total_bounds)
    pad = max(x1 - x0, y1 - y0) * 0.06
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    w, h = max(x1 - x0, MIN_SPAN_M), max(y1 - y0, MIN_SPAN_M)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _fit(view: View, aspect: float) -> View:
    """Return `view` grown in one direction to the width/height ratio `aspect`, around the same centre."""
    x0, y0, x1, y1 = view
    w, h = x1 - x0, y1 - y0
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _core(xy: NDArray[np.float64], width: float, *, radius: float, share: float) -> View | None:
    """Return the box where the spaces crowd, or None when a map `width` metres across shows them well enough.

    The core is the box of the spaces within `radius` of their median point; it earns an inset when it holds at
    least 10 spaces and a `share` of them, and is under a quarter of `width` across.
    """
    if len(xy) < 10:
        return None
    centre = np.median(xy, axis=0)
    near = xy[np.hypot(xy[:, 0] - centre[0], xy[:, 1] - centre[1]) <= radius]
    if len(near) < max(10, len(xy) * share):
        return None
    x0, y0 = near.min(axis=0)
    x1, y1 = near.max(axis=0)
    if max(x1 - x0, y1 - y0) > width / 4:
        return None
    return float(x0), float(y0), float(x1), float(y1)


def _inset_view(xy: NDArray[np.float64], core: View, aspect: float) -> View:
    """Return the inset's view: the core padded, at the inset's `aspect`, with no space near its edge.

    A space just inside the edge would have no room for its number in the inset, and one just outside would be
    hidden by the frame on the main map: the view grows until every space is well inside or well outside.
    """
    x0, y0, x1, y1 = core
    pad = max(x1 - x0, y1 - y0) * 0.06
    view = _fit((x0 - pad, y0 - pad, x1 + pad, y1 + pad), aspect)
    for _ in range(4):
        margin = (view[2] - view[0]) * 0.015
        vx0, vy0, vx1, vy1 = view
        x, y = xy[:, 0], xy[:, 1]
        inside_x = (x > vx0 - margin) & (x < vx1 + margin)
        inside_y = (y > vy0 - margin) & (y < vy1 + margin)
        near = inside_x & inside_y
        grown = (
            min(vx0, float(x[near & (x < vx0 + margin)].min(initial=vx0 + margin)) - margin),
            min(vy0, float(y[near & (y < vy0 + margin)].min(initial=vy0 + margin)) - margin),
            max(vx1, float(x[near & (x > vx1 - margin)].max(initial=vx1 - margin)) + margin),
            max(vy1, float(y[near & (y > vy1 - margin)].max(initial=vy1 - margin)) + margin),
        )
        if grown == view:
            break
        view = _fit(grown, aspect)
    return view


# --- the base -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Base:
    """The unit layers in UTM 48N and Hanoi's outline (the union of the wards, without its slivers)."""

    wards: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    city: gpd.GeoSeries


def _base(boundaries: Mapping[Level, gpd.GeoDataFrame]) -> _Base:
    wards = boundaries["ward_2025"].to_crs(schema.CRS_PROJECTED)
    districts = boundaries["district"].to_crs(schema.CRS_PROJECTED)
    union = shapely.union_all(shapely.make_valid(wards.geometry.values))
    parts = [p for p in getattr(union, "geoms", [union]) if p.geom_type == "Polygon" and p.area > 1e5]
    city = gpd.GeoSeries([shapely.Polygon(p.exterior) for p in parts], crs=schema.CRS_PROJECTED)
    return _Base(wards, districts, city)


def _draw_base(ax: Axes, base: _Base, view: View, *, scale: float) -> None:
    """Draw Hanoi filled, the 2025 wards' edges, the districts' edges and Hanoi's outline (outside: grey)."""
    frame = box(*view)
    base.city.plot(ax=ax, facecolor=CITY_FILL, edgecolor="none", zorder=1)
    wards = base.wards.loc[base.wards.intersects(frame)]
    districts = base.districts.loc[base.districts.intersects(frame)]
    wards.boundary.plot(ax=ax, color=WARD_EDGE, linewidth=0.7 * scale, zorder=2)
    districts.boundary.plot(ax=ax, color=DISTRICT_EDGE, linewidth=0.9 * scale, zorder=2)
    base.city.boundary.plot(ax=ax, color=CITY_EDGE, linewidth=1.0 * scale, zorder=3)


def _unit_level(base: _Base, view: View) -> Level:
    """Return which units a map names: its 2025 wards when few enough are in view, else its districts."""
    return "ward_2025" if int(base.wards.intersects(box(*view)).sum()) <= WARD_LABEL_MAX else "district"


def _draw_unit_labels(
    ax: Axes, units: gpd.GeoDataFrame, view: View, obstacles: Obstacles, measure: _Measure, *, pt: float
) -> int:
    """Name the units in view where a name fits: inside its unit and the frame, on no dot and no label.

    The largest units choose first; a name that fits nowhere is left out. Returns how many were drawn.
    """
    frame = _frame_px(ax)
    clear = measure.px(CLEAR_PT)
    to_px = ax.transData.transform
    to_data = ax.transData.inverted().transform
    window = box(*view)
    shown = []
    for name, geom in zip(units["name"], units.geometry, strict=True):
        visible = geom.intersection(window)
        if visible.is_empty or visible.area < window.area * 0.003:
            continue
        shown.append((-visible.area, str(name), visible))
    drawn = 0
    for _, name, visible in sorted(shown):
        text = admin.short_name(name)
        width, height = measure.size(text, pt, style="italic")
        part = max(getattr(visible, "geoms", [visible]), key=lambda g: g.area)
        if part.geom_type != "Polygon":
            continue
        centres = [polylabel(part, tolerance=max(1.0, math.sqrt(part.area) / 50)), part.representative_point()]
        candidates = []
        for point in centres:
            cx, cy = to_px((point.x, point.y))
            for dx, dy in ((0, 0), (0, height), (0, -height), (width / 3, 0), (-width / 3, 0)):
                x, y = cx + dx, cy + dy
                candidates.append((x - width / 2, y - height / 2, x + width / 2, y + height / 2))
        for box_px in candidates:
            if not (inside(box_px, frame, measure.px(FRAME_CLEAR_PT)) and obstacles.free(box_px, clear)):
                continue
            probes = to_data([(box_px[0], (box_px[1] + box_px[3]) / 2), (box_px[2], (box_px[1] + box_px[3]) / 2)])
            if not shapely.contains_xy(part, probes[:, 0], probes[:, 1]).all():
                continue
            x, y = to_data(((box_px[0] + box_px[2]) / 2, (box_px[1] + box_px[3]) / 2))
            ax.text(
                x,
                y,
                text,
                fontsize=pt,
                style="italic",
                color=UNIT_TEXT,
                ha="center",
                va="center",
                zorder=7,
                gid="unit-label",
            )
            obstacles.add(box_px)
            drawn += 1
            break
    return drawn


# --- the spaces ---------------------------------------------------------------------------------------------


def _anchors(spaces: gpd.GeoDataFrame) -> NDArray[np.float64]:
    """Return where each space's marker goes, in UTM 48N: its representative point (`schema.REP_LON`,
    `schema.REP_LAT`, computed once at load; the point itself for a venue), as an ``(n, 2)`` array."""
    points = gpd.GeoSeries(
        gpd.points_from_xy(spaces[schema.REP_LON], spaces[schema.REP_LAT]), index=spaces.index, crs=schema.CRS
    ).to_crs(schema.CRS_PROJECTED)
    return np.column_stack([points.x.to_numpy(float), points.y.to_numpy(float)]).reshape(-1, 2)


def _colour(category: str) -> str:
    c = schema.CATEGORIES.get(category)
    return c.colour if c is not None else "#333333"


def _rgba(colour: str, alpha: float) -> tuple[float, float, float, float]:
    r, g, b, _ = to_rgba(colour)
    return (r, g, b, alpha)


def _draw_shapes(ax: Axes, spaces_proj: gpd.GeoDataFrame, *, scale: float) -> None:
    """Draw the spaces that are areas (filled) or lines (thick) in their category's colour, dashed if planned."""
    geoms = list(spaces_proj.geometry)
    colours = [_colour(k) for k in spaces_proj[schema.CATEGORY]]
    alphas = [1.0 if p == "exact" else 0.6 for p in spaces_proj[schema.POSITION_PRECISION]]
    styles = ["--" if s == "planned" else "-" for s in spaces_proj[schema.STATUS]]
    for kinds, zorder in ((("Polygon", "MultiPolygon"), 4), (("LineString", "MultiLineString"), 5)):
        for style in ("-", "--"):
            idx = [i for i, g in enumerate(geoms) if g.geom_type in kinds and styles[i] == style]
            if not idx:
                continue
            shapes = gpd.GeoSeries([geoms[i] for i in idx])
            if zorder == 4:
                shapes.plot(
                    ax=ax,
                    facecolor=[_rgba(colours[i], 0.3 * alphas[i]) for i in idx],
                    edgecolor=[colours[i] for i in idx],
                    linewidth=1.0 * scale,
                    linestyle=style,
                    zorder=zorder,
                )
            else:
                shapes.plot(
                    ax=ax,
                    color=[_rgba(colours[i], 0.8 * alphas[i]) for i in idx],
                    linewidth=2.5 * scale,
                    linestyle=style,
                    zorder=zorder,
                )


@dataclass(frozen=True)
class _Style:
    """How one space's dot is drawn: its category's colour, hollow when closed, dashed when planned, faded when
    its position is approximate."""

    colour: str
    closed: bool
    planned: bool
    faded: bool

    @classmethod
    def of(cls, category: str, status: str, precision: str) -> _Style:
        return cls(_colour(category), status == "closed", status == "planned", precision != "exact")


def _dots(
    ax: Axes, xy: Sequence[tuple[float, float]], styles: Sequence[_Style], *, size_pt: float, scale: float
) -> None:
    """Draw one dot per point (data coordinates) in its style; one collection for all."""
    if not len(xy):
        return
    alpha = [0.6 if s.faded else 1.0 for s in styles]
    ax.scatter(
        [p[0] for p in xy],
        [p[1] for p in xy],
        s=size_pt**2,
        marker="o",
        facecolors=[_rgba("white" if s.closed else s.colour, a) for s, a in zip(styles, alpha, strict=True)],
        edgecolors=[_rgba(s.colour if s.closed else "white", a) for s, a in zip(styles, alpha, strict=True)],
        linewidths=[(1.1 if s.closed else EDGE_PT) * scale for s in styles],
        linestyles=["--" if s.planned else "-" for s in styles],
        zorder=8,
        gid="dots",
    )


def _wedge(start: float, end: float) -> MplPath:
    """Return a pie slice of a circle of diameter 1 (scatter's unit), angles in degrees."""
    wedge = MplPath.wedge(start, end)
    return MplPath(np.asarray(wedge.vertices, dtype=float) * 0.5, wedge.codes)


def _pies(
    ax: Axes, groups: Sequence[tuple[tuple[float, float], list[_Style]]], *, size_pt: float, scale: float
) -> None:
    """Draw each group of spaces at one place as a pie of their categories, ringed in dark grey."""
    paths, offsets, colours = [], [], []
    for xy, styles in groups:
        k = len(styles)
        for j, style in enumerate(styles):
            paths.append(_wedge(90 - 360 * (j + 1) / k, 90 - 360 * j / k))
            offsets.append(xy)
            colours.append(style.colour)
    if not paths:
        return
    pies = PathCollection(
        paths,
        sizes=[size_pt**2] * len(paths),
        offsets=offsets,
        offset_transform=ax.transData,
        facecolors=colours,
        edgecolors="none",
        zorder=8,
        gid="dots",
    )
    pies.set_transform(IdentityTransform())
    ax.add_collection(pies, autolim=False)
    ax.scatter(
        [xy[0] for xy, _ in groups],
        [xy[1] for xy, _ in groups],
        s=size_pt**2,
        marker="o",
        facecolors="none",
        edgecolors=GROUP_EDGE,
        linewidths=0.8 * scale,
        zorder=8,
        gid="dots",
    )


def _frame_px(ax: Axes) -> Box:
    extent = ax.get_window_extent()
    return (float(extent.x0), float(extent.y0), float(extent.x1), float(extent.y1))


def _draw_numbered(
    ax: Axes,
    xy: NDArray[np.float64],
    entries: Sequence[Entry],
    obstacles: Obstacles,
    measure: _Measure,
    *,
    scale: float,
) -> None:
    """Draw the spaces at `xy` (UTM 48N) as markers with their numbers beside, every number clear of the rest.

    Spaces whose dots would touch share a marker; a marker whose number finds no free place is merged with its
    nearest neighbour and the numbers are placed again, until every number has its place.
    """
    if not len(xy):
        return
    to_px = ax.transData.transform
    points = np.asarray(to_px(xy), dtype=float).reshape(-1, 2)
    edge = measure.px(EDGE_PT * scale) / 2
    single, group = measure.px(DOT_PT * scale) / 2 + edge, measure.px(GROUP_PT * scale) / 2 + edge

    def radius(k: int) -> float:
        return single if k == 1 else group

    pt = NUMBER_PT * scale
    frame = _frame_px(ax)
    clear, gap = measure.px(CLEAR_PT), measure.px(LABEL_GAP_PT)
    fixed = Obstacles(obstacles.array.tolist())
    frame_clear = measure.px(FRAME_CLEAR_PT)

    def allowed(marker: Box) -> bool:
        return inside(marker, frame, frame_clear) and fixed.free(marker, clear)

    groups: list[list[int]] | None = None
    for _ in range(len(points)):
        markers = group_markers(points, radius, gap=clear, groups=groups)
        texts = [number_ranges([entries[i].number for i in m.members]) for m in markers]
        sizes = [measure.size(text, pt, weight="bold") for text in texts]
        placed, lost = place_labels(markers, sizes, obstacles, frame, gap=gap, margin=clear, frame_margin=frame_clear)
        if not lost:
            break
        groups = merge_nearest(markers, lost, points, radius, allowed, reach=4 * (max(h for _, h in sizes) + group))
        if groups is None:
            break
    for i in lost:
        logger.warning("print map: no room for the number(s) %s", texts[i])
    to_data = ax.transData.inverted().transform
    singles: list[tuple[tuple[float, float], _Style]] = []
    pies: list[tuple[tuple[float, float], list[_Style]]] = []
    leaders = []
    for marker, text, label in zip(markers, texts, placed, strict=True):
        x, y = (float(v) for v in to_data((marker.x, marker.y)))
        styles = [_Style.of(entries[i].category, entries[i].status, entries[i].precision) for i in marker.members]
        if len(styles) == 1:
            singles.append(((x, y), styles[0]))
        else:
            pies.append(((x, y), styles))
        obstacles.add(marker.box)
        if label is None:
            continue
        obstacles.add(label.box)
        if label.leader is not None:
            leaders.append(to_data([label.leader[:2], label.leader[2:]]))
        cx, cy = (label.box[0] + label.box[2]) / 2, (label.box[1] + label.box[3]) / 2
        ax.annotate(
            text,
            (x, y),
            xytext=((cx - marker.x) * PT_PER_INCH / ax.figure.dpi, (cy - marker.y) * PT_PER_INCH / ax.figure.dpi),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=pt,
            fontweight="bold",
            color=NUMBER_TEXT,
            zorder=9,
            annotation_clip=False,
            path_effects=[withStroke(linewidth=1.5 * scale, foreground="white")],
            gid="number:" + ",".join(entries[i].id for i in marker.members),
        )
    if leaders:
        ax.add_collection(
            LineCollection(leaders, colors=LEADER, linewidths=0.5 * scale, zorder=7, gid="leaders"), autolim=False
        )
    _dots(ax, [p for p, _ in singles], [s for _, s in singles], size_pt=DOT_PT * scale, scale=scale)
    _pies(ax, pies, size_pt=GROUP_PT * scale, scale=scale)


def _draw_unnumbered(
    ax: Axes,
    xy: NDArray[np.float64],
    styles: Sequence[_Style],
    obstacles: Obstacles,
    measure: _Measure,
    *,
    scale: float,
) -> None:
    """Draw the spaces as dots without numbers (too many to number): each at its place, none moved."""
    _dots(ax, [tuple(p) for p in xy.tolist()], styles, size_pt=DOT_PT * scale, scale=scale)
    r = measure.px(DOT_PT * scale) / 2 + measure.px(EDGE_PT * scale) / 2
    obstacles.extend([(x - r, y - r, x + r, y + r) for x, y in np.asarray(ax.transData.transform(xy)).reshape(-1, 2)])


# --- scale bar and north arrow ------------------------------------------------------------------------------


def _edge_candidates(frame: Box, width: float, height: float, pad: float, *, top: bool, right: bool) -> list[Box]:
    """Return boxes of `width` x `height` along the frame's edges, `pad` inside it: first the preferred corner
    (top or bottom, right or left), then the opposite corner on that edge, then inwards, then the other edge."""
    x0, y0, x1, y1 = frame[0] + pad, frame[1] + pad, frame[2] - pad, frame[3] - pad
    steps = 8
    xs = [x0 + (x1 - x0 - width) * k / steps for k in range(steps + 1)]
    if right:
        xs = xs[::-1]
    order: list[int] = []
    lo, hi = 0, steps
    while lo <= hi:
        order += [lo] if lo == hi else [lo, hi]
        lo, hi = lo + 1, hi - 1
    rows = (y1 - height, y0) if top else (y0, y1 - height)
    return [(xs[k], y, xs[k] + width, y + height) for y in rows for k in order]


def _least_crowded(candidates: Sequence[Box], obstacles: Obstacles, frame: Box, margin: float) -> Box:
    choice = first_free(candidates, obstacles, frame, margin=margin)
    if choice is not None:
        return candidates[choice]
    logger.warning("print map: no free corner for the scale bar or the north arrow")
    return min(candidates, key=lambda b: obstacles.count(b, margin))


def _draw_scale_bar(ax: Axes, view: View, obstacles: Obstacles, measure: _Measure, *, scale: float) -> None:
    """Draw a two-tone scale bar where it covers nothing (true in UTM 48N, within 0.1 % near Hanoi)."""
    x0, _, x1, _ = view
    length = _nice_length(x1 - x0)
    unit, value = ("km", length / 1000) if length >= 1000 else ("m", length)
    end_text = f"{value:g} {unit}"
    pt = 5.5 * scale
    (text_w, text_h), (zero_w, _) = measure.size(end_text, pt), measure.size("0", pt)
    frame = _frame_px(ax)
    px_per_m = (frame[2] - frame[0]) / (x1 - x0)
    bar_w, bar_h = length * px_per_m, measure.px(2.0 * scale)
    width = zero_w / 2 + bar_w + text_w / 2
    height = text_h + measure.px(0.8 * scale) + bar_h
    pad = measure.px(FRAME_CLEAR_PT) + measure.px(3 * scale)
    chosen = _least_crowded(
        _edge_candidates(frame, width, height, pad, top=False, right=False), obstacles, frame, measure.px(CLEAR_PT)
    )
    obstacles.add(chosen)
    to_data = ax.transData.inverted().transform
    left, bottom = (float(v) for v in to_data((chosen[0] + zero_w / 2, chosen[1])))
    _, top = (float(v) for v in to_data((chosen[0], chosen[1] + bar_h)))
    half = length / 2
    for k, colour in enumerate(("#222222", "#ffffff")):
        ax.add_patch(
            Rectangle(
                (left + k * half, bottom),
                half,
                top - bottom,
                facecolor=colour,
                edgecolor="#222222",
                linewidth=0.6 * scale,
                zorder=8,
                gid="scale-bar",
            )
        )
    text_y = float(to_data((0, chosen[3] - text_h / 2))[1])
    for x, text in ((left, "0"), (left + length, end_text)):
        ax.text(x, text_y, text, fontsize=pt, ha="center", va="center", zorder=8, gid="scale-bar-text")


def _draw_north_arrow(
    ax: Axes, view: View, convergence_deg: float, lang: Lang, obstacles: Obstacles, measure: _Measure, *, scale: float
) -> None:
    """Draw an arrow to true north (grid north turned by the convergence) where it covers nothing."""
    pt = 9 * scale
    letter = _t("north", lang)
    text_w, text_h = measure.size(letter, pt, weight="bold")
    length = measure.px(18 * scale)
    width = max(text_w, measure.px(8 * scale))
    height = length + text_h
    frame = _frame_px(ax)
    pad = measure.px(FRAME_CLEAR_PT) + measure.px(3 * scale)
    chosen = _least_crowded(
        _edge_candidates(frame, width, height, pad, top=True, right=True), obstacles, frame, measure.px(CLEAR_PT)
    )
    obstacles.add(chosen)
    to_data = ax.transData.inverted().transform
    cx = (chosen[0] + chosen[2]) / 2
    tail = to_data((cx, chosen[1]))
    angle = math.radians(convergence_deg)
    tip_px = (cx - length * 0.9 * math.sin(angle), chosen[1] + length * 0.9 * math.cos(angle))
    tip = to_data(tip_px)
    ax.annotate(
        "",
        xy=(float(tip[0]), float(tip[1])),
        xytext=(float(tail[0]), float(tail[1])),
        zorder=8,
        arrowprops={
            "arrowstyle": "-|>,head_width=0.35,head_length=0.7",
            "color": "#222222",
            "linewidth": 1.2 * scale,
            "shrinkA": 0,
            "shrinkB": 0,
        },
        gid="north-arrow",
    )
    x, y = to_data((cx, chosen[3] - text_h / 2))
    ax.text(float(x), float(y), letter, fontsize=pt, fontweight="bold", ha="center", va="center", zorder=8, gid="north")


# --- the map panels -----------------------------------------------------------------------------------------


def _map_axes(fig: Figure, page: _Page, rect: Rect, view: View, *, gid: str) -> Axes:
    """Return axes at `rect` showing `view` (same scale on both axes), grey outside Hanoi, framed."""
    ax = fig.add_axes(page.fraction(rect))
    ax.set_gid(gid)
    ax.set_xlim(view[0], view[2])
    ax.set_ylim(view[1], view[3])
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor(OUTSIDE)
    for spine in ax.spines.values():
        spine.set_edgecolor(FRAME)
        spine.set_linewidth(0.8 * page.scale)
        spine.set_zorder(10)
    return ax


@dataclass(frozen=True)
class _Spaces:
    """The selection as the panels draw it: projected, anchored, numbered (or not)."""

    proj: gpd.GeoDataFrame
    xy: NDArray[np.float64]
    """Each space's marker position, UTM 48N, in the order of `proj`."""
    entries: list[Entry]
    """The index, numbered; each entry's space is `proj`'s row `row[entry.id]`."""
    row: dict[str, int]
    styles: list[_Style]
    numbered: bool


def _panel(
    fig: Figure,
    page: _Page,
    rect: Rect,
    view: View,
    spaces: _Spaces,
    base: _Base,
    measure: _Measure,
    *,
    gid: str,
    show: NDArray[np.bool_],
    inset: View | None = None,
    north: Lang | None = None,
    message: str | None = None,
) -> Axes:
    """Draw one map: the base, the spaces (those in `show` numbered, those in the `inset` view as small dots
    under its frame), the scale bar, the north arrow if asked, a `message` in the middle, and the unit names
    that fit."""
    scale = page.scale
    ax = _map_axes(fig, page, rect, view, gid=gid)
    _draw_base(ax, base, view, scale=scale)
    _draw_shapes(ax, spaces.proj, scale=scale)
    ax.set_xlabel("")  # geopandas names the axes after the CRS
    ax.set_ylabel("")
    ax.set_xlim(view[0], view[2])
    ax.set_ylim(view[1], view[3])
    obstacles = Obstacles()
    if inset is not None:
        ax.add_patch(
            Rectangle(
                inset[:2],
                inset[2] - inset[0],
                inset[3] - inset[1],
                facecolor="none",
                edgecolor="#111111",
                linewidth=1.0 * scale,
                zorder=9,
                gid="inset-frame",
            )
        )
        (fx0, fy0), (fx1, fy1) = ax.transData.transform([inset[:2], inset[2:]])
        obstacles.add((float(fx0), float(fy0), float(fx1), float(fy1)))
        hidden = ~show & _within(spaces.xy, view)
        ax.scatter(
            spaces.xy[hidden, 0],
            spaces.xy[hidden, 1],
            s=(SMALL_DOT_PT * scale) ** 2,
            c=[spaces.styles[i].colour for i in np.flatnonzero(hidden)],
            linewidths=0,
            zorder=8,
            gid="small-dots",
        )
        r = measure.px(SMALL_DOT_PT * scale) / 2
        small = np.asarray(ax.transData.transform(spaces.xy[hidden]), dtype=float).reshape(-1, 2)
        obstacles.extend([(x - r, y - r, x + r, y + r) for x, y in small.tolist()])
    rows = np.flatnonzero(show)
    if spaces.numbered:
        by_row = {spaces.row[e.id]: e for e in spaces.entries}
        _draw_numbered(ax, spaces.xy[rows], [by_row[int(r)] for r in rows], obstacles, measure, scale=scale)
    else:
        styles = [spaces.styles[int(r)] for r in rows]
        _draw_unnumbered(ax, spaces.xy[rows], styles, obstacles, measure, scale=scale)
    if message is not None:
        note = ax.text(
            0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", fontsize=12 * scale, zorder=9
        )
        width, height = measure.size(message, 12 * scale)
        cx, cy = ax.transAxes.transform((0.5, 0.5))
        obstacles.add((cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2))
        note.set_gid("message")
    _draw_scale_bar(ax, view, obstacles, measure, scale=scale)
    if north is not None:
        _draw_north_arrow(ax, view, _convergence(view), north, obstacles, measure, scale=scale)
    level = _unit_level(base, view)
    units = base.wards if level == "ward_2025" else base.districts
    _draw_unit_labels(ax, units, view, obstacles, measure, pt=UNIT_PT[level] * scale)
    return ax


# --- legend and index ---------------------------------------------------------------------------------------


def _legend(fig: Figure, spaces: gpd.GeoDataFrame, *, lang: Lang, scale: float, groups: bool, ncol: int = 1) -> Legend:
    """Return the legend (placed later): categories present with counts, the symbols, the base's colours."""
    counts = spaces[schema.CATEGORY].value_counts()
    size = DOT_PT * scale * 1.1

    def dot(face: str, edge: str, label: str, alpha: float = 1.0, width: float = EDGE_PT) -> Line2D:
        return Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markersize=size,
            markerfacecolor=face,
            markeredgecolor=edge,
            markeredgewidth=width * scale,
            alpha=alpha,
            label=label,
        )

    handles: list[Any] = [
        dot(c.colour, "white", textwrap.fill(f"{c.label.get(lang)} ({int(counts[c.id])})", 36, subsequent_indent="  "))
        for c in schema.CATEGORIES.values()
        if c.id in counts.index
    ]
    handles += [
        dot("white", "#555555", _t("closed", lang), width=1.1),
        dot("#555555", "white", _t("imprecise", lang), alpha=0.6),
        Line2D([], [], color="#555555", linewidth=1.5 * scale, linestyle="--", label=_t("planned", lang)),
    ]
    if groups:
        handles.append(
            dot("#bbbbbb", GROUP_EDGE, textwrap.fill(_t("group", lang), 36, subsequent_indent="  "), 1.0, 0.8)
        )
    handles += [
        Patch(facecolor=CITY_FILL, edgecolor="#cccccc", label=_t("ward", lang)),
        Line2D([], [], color=DISTRICT_EDGE, linewidth=0.9 * scale, label=_t("district", lang)),
        Line2D([], [], color=CITY_EDGE, linewidth=1.0 * scale, label=_t("city", lang)),
        Patch(facecolor=OUTSIDE, edgecolor="#bbbbbb", label=_t("outside", lang)),
    ]
    legend = fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, 1.0),
        frameon=False,
        fontsize=LEGEND_PT * scale,
        title=t("legend", lang),
        title_fontproperties={"weight": "bold", "size": (LEGEND_PT + 1.5) * scale},
        alignment="left",
        borderaxespad=0,
        borderpad=0,
        handlelength=1.6,
        handletextpad=0.6,
        labelspacing=0.45,
        ncols=ncol,
        columnspacing=1.2,
    )
    return legend


def _legend_size_mm(legend: Legend, measure: _Measure) -> tuple[float, float]:
    extent = legend.get_window_extent(measure.renderer)
    to_mm = MM_PER_INCH / measure.dpi
    return float(extent.width) * to_mm, float(extent.height) * to_mm


@dataclass(frozen=True)
class _IndexPlan:
    """How the index is set: its type, its columns and what each holds."""

    pt: float
    column_mm: float
    gap_mm: float
    step_mm: float
    number_mm: float
    """Where the numbers end (right-aligned), from the column's left."""
    name_mm: float
    """Where the names start, from the column's left."""
    header_mm: float
    columns: list[list[Block]]

    @property
    def width_mm(self) -> float:
        n = len(self.columns)
        return n * self.column_mm + (n - 1) * self.gap_mm


def _heading(lang: Lang) -> Callable[[str, int], str]:
    def heading(district: str, count: int) -> str:
        name = admin.short_name(district) if district else _t("no_district", lang)
        return f"{name} ({count})"

    return heading


def _fixed(rows: int) -> Callable[[int], int]:
    """Return a column capacity of `rows` lines for every column."""
    return lambda _column: rows


def _fit_index(
    entries: Sequence[Entry], measure: _Measure, *, width_mm: float, height_mm: float, scale: float, lang: Lang
) -> _IndexPlan | None:
    """Return how to set the whole index in the area, or None when even the smallest type does not hold it.

    The largest type of `INDEX_PT` that fits wins; at that type, the narrowest index (columns of a width in
    `INDEX_COLUMN_EMS` ems, as many as needed).
    """
    to_mm = MM_PER_INCH / measure.dpi
    numbers = str(max(e.number for e in entries))
    gap = INDEX_GAP_MM * scale
    header = (LEGEND_PT + 1.5) * scale * 1.6 / PT_PER_INCH * MM_PER_INCH
    for base_pt in INDEX_PT:
        pt = base_pt * scale
        tallest = max(measure.line_height(pt), measure.line_height(pt, weight="bold")) + 1
        step = max(pt * INDEX_LINE / PT_PER_INCH * MM_PER_INCH, tallest * to_mm)
        rows = int((height_mm - header) / step)
        if rows < 2 or len(entries) > rows * int(
            (width_mm + gap) // (pt * INDEX_COLUMN_EMS[0] / PT_PER_INCH * 25.4 + gap)
        ):
            continue  # even one line a name in the narrowest columns would not hold them
        bullet = pt * 0.62 / PT_PER_INCH * MM_PER_INCH + measure.size(" ", pt)[0] * to_mm
        number = measure.size(numbers, pt, weight="bold")[0] * to_mm
        name_mm = bullet + number + measure.size(" ", pt)[0] * to_mm * 1.5
        best: _IndexPlan | None = None
        for ems in INDEX_COLUMN_EMS:
            column = pt * ems / PT_PER_INCH * MM_PER_INCH
            max_columns = int((width_mm + gap) // (column + gap))
            if max_columns < 1:
                break
            width_px = (column - name_mm) / to_mm
            set_ = blocks(
                entries, _heading(lang), width_px, measure.approx_width(pt), measure.approx_width(pt, weight="bold")
            )
            columns = flow(set_, _fixed(rows), max_columns)
            if columns is None:
                continue
            plan = _IndexPlan(pt, column, gap, step, bullet + number, name_mm, header, columns)
            if best is None or plan.width_mm < best.width_mm - 0.01:
                best = plan
        if best is not None:
            return best
    return None


def _draw_index(
    fig: Figure, page: _Page, plan: _IndexPlan, left: float, top: float, measure: _Measure, *, lang: Lang
) -> None:
    """Write the index from (`left`, `top`) mm: its heading, then its columns (bullet, number, name lines)."""
    scale = page.scale
    title_mm = measure.size(_t("index", lang), (LEGEND_PT + 1.5) * scale, weight="bold")[0] * MM_PER_INCH / fig.dpi
    fig.text(
        *page.at(left, top),
        _t("index", lang),
        fontsize=(LEGEND_PT + 1.5) * scale,
        fontweight="bold",
        va="top",
        gid="index-title",
    )
    fig.text(
        *page.at(left + title_mm + 2 * scale, top - 0.3 * scale),
        _t("index_order", lang),
        fontsize=LEGEND_PT * 0.9 * scale,
        style="italic",
        color="#444444",
        va="top",
        gid="index-note",
    )
    bullets: list[tuple[tuple[float, float], _Style]] = []
    for c, column in enumerate(plan.columns):
        x = left + c * (plan.column_mm + plan.gap_mm)
        row = 0
        for block in column:
            y = top - plan.header_mm - row * plan.step_mm
            if block.kind == "heading" or block.entry is None:
                for k, line in enumerate(block.lines):
                    fig.text(
                        *page.at(x, y - k * plan.step_mm),
                        line,
                        fontsize=plan.pt,
                        fontweight="bold",
                        va="top",
                        gid="index-heading",
                    )
            else:
                entry = block.entry
                bullets.append(((x, y), _Style.of(entry.category, entry.status, entry.precision)))
                fig.text(
                    *page.at(x + plan.number_mm, y),
                    str(entry.number),
                    fontsize=plan.pt,
                    fontweight="bold",
                    ha="right",
                    va="top",
                    gid=f"index-number:{entry.id}",
                )
                for k, line in enumerate(block.lines):
                    fig.text(
                        *page.at(x + plan.name_mm, y - k * plan.step_mm),
                        line,
                        fontsize=plan.pt,
                        va="top",
                        gid=f"index-name:{entry.id}",
                    )
            row += len(block.lines)
    # The bullets, one collection on axes spanning the page in millimetres: each in its category's colour.
    if bullets:
        dots = fig.add_axes((0.0, 0.0, 1.0, 1.0), gid="index-bullets", zorder=-1)
        dots.set_axis_off()
        dots.set_xlim(0, page.width)
        dots.set_ylim(0, page.height)
        size = plan.pt * 0.62
        drop = plan.pt * 0.4 / PT_PER_INCH * MM_PER_INCH
        half = size / 2 / PT_PER_INCH * MM_PER_INCH
        _dots(
            dots,
            [(bx + half, by - drop) for (bx, by), _ in bullets],
            [style for _, style in bullets],
            size_pt=size,
            scale=0.6 * page.scale,
        )


# --- the page -----------------------------------------------------------------------------------------------


def _title(
    fig: Figure, page: _Page, measure: _Measure, *, width_mm: float, count: int, subtitle: str, lang: Lang
) -> None:
    """Write the title and what was selected above the maps, within `width_mm` (the subtitle on two lines at
    most, shortened only if the filter's words need more)."""
    scale, m = page.scale, MARGIN_MM * page.scale
    title = t("export_title", lang)
    pt = TITLE_PT * scale
    while pt > 10 * scale and measure.size(title, pt, weight="bold")[0] * MM_PER_INCH / measure.dpi > width_mm:
        pt -= 0.5 * scale
    fig.text(*page.at(m, page.height - m), title, fontsize=pt, fontweight="bold", va="top", gid="title")
    counted = f"{count} {_t('spaces', lang)}"
    line = f"{counted} — {subtitle}" if subtitle else counted
    width_px = width_mm / MM_PER_INCH * measure.dpi
    lines = _wrap_px(line, width_px, measure.approx_width(SUBTITLE_PT * scale))
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), max(10, len(lines[1])), placeholder=" …")]
    fig.text(
        *page.at(m, page.height - m - 8.5 * scale),
        "\n".join(lines),
        fontsize=SUBTITLE_PT * scale,
        color="#333333",
        va="top",
        linespacing=1.15,
        gid="subtitle",
    )


def _footer(fig: Figure, page: _Page, *, date: dt.date, boundaries: Mapping[Level, Any], lang: Lang) -> None:
    """Write the date, source, licence, CRS and what the unit boundaries are, at the foot of the page."""
    scale, m = page.scale, MARGIN_MM * page.scale
    first = [
        f"{_t('date', lang)}: {date.isoformat()}",
        f"{_t('source', lang)}: {source_citation()}",
        f"{_t('licence', lang)}: {LICENCE}",
    ]
    # What the page says of its unit boundaries: the shipped districts are approximate, the shipped 2025 wards
    # carry their MIT notice, a planner's own layers are named as supplied.
    notes = [
        _t(f"note_{level}", lang)
        if is_shipped(units)
        else _t("note_supplied", lang, level=t(f"boundaries_{level}", lang))
        for level, units in boundaries.items()
    ]
    step = FOOTER_PT * scale * 1.45 / PT_PER_INCH * MM_PER_INCH
    for k, line in enumerate((" · ".join(first), _t("crs", lang), " · ".join(notes))):
        fig.text(*page.at(m, m + (2 - k) * step), line, fontsize=FOOTER_PT * scale, color="#333333", va="bottom")


def _to_lonlat(x: float, y: float) -> tuple[float, float]:
    lon, lat = gpd.GeoSeries([shapely.Point(x, y)], crs=schema.CRS_PROJECTED).to_crs(schema.CRS).iloc[0].coords[0]
    return float(lon), float(lat)


def _convergence(view: View) -> float:
    lon, lat = _to_lonlat((view[0] + view[2]) / 2, (view[1] + view[3]) / 2)
    return float(Proj(CRS(schema.CRS_PROJECTED)).get_factors(lon, lat).meridian_convergence)


def _within(xy: NDArray[np.float64], view: View, margin: float = 0.0) -> NDArray[np.bool_]:
    """Return which points lie inside `view`, at least `margin` from its edges."""
    x, y = xy[:, 0], xy[:, 1]
    x0, y0, x1, y1 = view[0] + margin, view[1] + margin, view[2] - margin, view[3] - margin
    return np.asarray((x > x0) & (x < x1) & (y > y0) & (y < y1), dtype=bool)


def _marker_reach(view: View, rect: Rect, scale: float) -> float:
    """Return, in metres at the scale of a map `rect` showing `view`, half a group marker's width: a space
    nearer the edge than that is numbered on the map around it (its marker would be cut by the frame)."""
    return (GROUP_PT * scale / 2 + EDGE_PT * scale) / PT_PER_INCH * MM_PER_INCH * (view[2] - view[0]) / rect[2]


@dataclass(frozen=True)
class _Side:
    """The column beside the maps: the legend (on top, when it is there) and the index below it."""

    legend: Legend
    legend_mm: tuple[float, float]
    plan: _IndexPlan | None
    legend_here: bool

    @property
    def width_mm(self) -> float:
        index = self.plan.width_mm if self.plan is not None else 0.0
        return max(index, self.legend_mm[0]) if self.legend_here else index


def _side(
    fig: Figure,
    spaces: gpd.GeoDataFrame,
    entries: Sequence[Entry],
    measure: _Measure,
    *,
    width_mm: float,
    height_mm: float,
    legend_here: bool,
    lang: Lang,
    scale: float,
) -> _Side:
    """Return the side column: the legend in as many columns as suit the index below it, and the index set in
    the largest type that fits (the first and largest of each, the narrowest column on a tie)."""
    gap = GAP_MM * scale
    options = []
    for ncol in (1, 2, 3) if legend_here and entries else (1,):
        legend = _legend(fig, spaces, lang=lang, scale=scale, groups=bool(entries), ncol=ncol)
        size = _legend_size_mm(legend, measure)
        height = height_mm - (size[1] + gap if legend_here else 0.0)
        plan = (
            _fit_index(entries, measure, width_mm=width_mm, height_mm=height, scale=scale, lang=lang)
            if entries
            else None
        )
        legend.remove()
        if plan is None and entries:  # not numbered: no group markers to explain
            legend = _legend(fig, spaces, lang=lang, scale=scale, groups=False, ncol=ncol)
            size = _legend_size_mm(legend, measure)
            legend.remove()
        options.append(_Side(legend, size, plan, legend_here))
    best = min(options, key=lambda o: (-(o.plan.pt if o.plan else 0.0), o.width_mm))
    fig.legends.append(best.legend)
    return best


def _compose(
    fig: Figure,
    spaces: gpd.GeoDataFrame,
    boundaries: Mapping[Level, gpd.GeoDataFrame],
    page: _Page,
    *,
    lang: Lang,
    subtitle: str,
    date: dt.date,
) -> None:
    """Lay the page out: title, maps, legend, index, footer.

    One map when the spaces spread evenly. When many crowd in a small part, the city-wide map sits top left
    and an inset of that part fills the space below it (the legend beside the city map); when they crowd again
    inside the inset, an inset of that second core takes the legend's place (the legend going above the index).
    """
    scale = page.scale
    measure = _Measure(fig.dpi)
    _footer(fig, page, date=date, boundaries=boundaries, lang=lang)
    m, gap = MARGIN_MM * scale, GAP_MM * scale
    title_h = 6 * scale
    bottom = m + FOOTER_MM * scale
    base = _base(boundaries)
    proj = spaces.to_crs(schema.CRS_PROJECTED)
    xy = _anchors(spaces)
    entries = numbered(spaces, xy[:, 0], xy[:, 1], lang) if len(spaces) else []
    view_all = _bounds(proj.geometry, base.districts.geometry)
    core1 = _core(xy, view_all[2] - view_all[0], radius=CORE_RADIUS_M, share=1 / 3)
    core2 = None
    if core1 is not None:
        near = _within(xy, core1)
        core2 = _core(xy[near], core1[2] - core1[0], radius=CORE_RADIUS_M / 5, share=1 / 4)
    # The side column runs from the top margin to the footer; the title stands over the maps only.
    side = _side(
        fig,
        spaces,
        entries,
        measure,
        width_mm=(page.width - 2 * m) * INDEX_MAX_WIDTH,
        height_mm=page.height - m - bottom,
        legend_here=core1 is None or core2 is not None,
        lang=lang,
        scale=scale,
    )
    if entries and side.plan is None:
        logger.warning("print map: %d spaces are too many to number on one page", len(entries))
    map_w = page.width - 2 * m - side.width_mm - (gap if side.width_mm else 0.0)
    body: Rect = (m, bottom, map_w, page.height - m - bottom - TITLE_MM * scale)
    _title(fig, page, measure, width_mm=map_w, count=len(spaces), subtitle=subtitle, lang=lang)
    styles = [
        _Style.of(str(c), str(s), str(p))
        for c, s, p in zip(
            spaces[schema.CATEGORY], spaces[schema.STATUS], spaces[schema.POSITION_PRECISION], strict=True
        )
    ]
    row = {str(i): k for k, i in enumerate(spaces[schema.ID])}
    drawn = _Spaces(proj, xy, entries, row, styles, side.plan is not None)
    top = body[1] + body[3]
    side_x = body[0] + map_w + gap
    side_top = page.height - m
    index_top = side_top - (side.legend_mm[1] + gap if side.legend_here else 0.0)
    legend_at = (side_x, side_top)

    def title(rect: Rect, key: str) -> None:
        text = _t(key, lang)
        pt = (LEGEND_PT + 1.5) * scale
        while (
            pt > LEGEND_PT * 0.9 * scale and measure.size(text, pt, weight="bold")[0] * MM_PER_INCH / fig.dpi > rect[2]
        ):
            pt -= 0.25 * scale
        width_px = rect[2] / MM_PER_INCH * fig.dpi
        lines = _wrap_px(text, width_px, measure.approx_width(pt, weight="bold"))
        fig.text(
            *page.at(rect[0], rect[1] + rect[3] + 1.0 * scale),
            "\n".join(lines[:2]),
            fontsize=pt,
            fontweight="bold",
            va="bottom",
            linespacing=1.0,
            gid="inset-title",
        )

    if core1 is None:
        main: Rect = (body[0], body[1], map_w, body[3])
        view = _fit(view_all, main[2] / main[3])
        message = _t("none", lang) if spaces.empty else None
        every = np.ones(len(xy), dtype=bool)
        _panel(fig, page, main, view, drawn, base, measure, gid="map", show=every, north=lang, message=message)
    else:
        city_h = body[3] * CITY_HEIGHT
        aspect = (view_all[2] - view_all[0]) / (view_all[3] - view_all[1])
        beside = side.legend_mm[0] if core2 is None else map_w * 0.45
        city_w = max(min(city_h * aspect, map_w - beside - gap), min(0.4 * map_w, map_w - beside - gap))
        main = (body[0], top - city_h, city_w, city_h)
        inset1: Rect = (body[0], body[1], map_w, body[3] - city_h - title_h)
        view1 = _inset_view(xy, core1, inset1[2] / inset1[3])
        in1 = _within(xy, view1, _marker_reach(view1, inset1, scale))
        in2 = np.zeros(len(xy), dtype=bool)
        view2 = None
        if core2 is not None:
            inset2: Rect = (main[0] + city_w + gap, top - city_h, map_w - city_w - gap, city_h - title_h)
            view2 = _inset_view(xy[in1], core2, inset2[2] / inset2[3])
            in2 = in1 & _within(xy, view2, _marker_reach(view2, inset2, scale))
            _panel(fig, page, inset2, view2, drawn, base, measure, gid="inset-core", show=in2)
            title(inset2, "inset_core")
        else:
            legend_at = (main[0] + city_w + gap, top)
        view = _fit(view_all, main[2] / main[3])
        _panel(fig, page, main, view, drawn, base, measure, gid="map", show=~in1, inset=view1, north=lang)
        _panel(fig, page, inset1, view1, drawn, base, measure, gid="inset", show=in1 & ~in2, inset=view2)
        title(inset1, "inset")
    side.legend.set_bbox_to_anchor(page.at(*legend_at), transform=fig.transFigure)
    if side.plan is not None:
        _draw_index(fig, page, side.plan, side_x, index_top, measure, lang=lang)
    elif entries:
        note_y = legend_at[1] - side.legend_mm[1] - gap
        room = (page.width - m - legend_at[0]) / MM_PER_INCH * fig.dpi
        lines = _wrap_px(_t("too_many", lang, count=str(len(entries))), room, measure.approx_width(LEGEND_PT * scale))
        fig.text(
            *page.at(legend_at[0], note_y),
            "\n".join(lines),
            fontsize=LEGEND_PT * scale,
            va="top",
            gid="too-many",
        )


def draw_print_map(
    spaces: gpd.GeoDataFrame,
    *,
    boundaries: Mapping[Level, gpd.GeoDataFrame],
    page: Page = "A4",
    lang: Lang = "vi",
    subtitle: str = "",
    date: dt.date | None = None,
) -> Figure:
    """Return the print map of `spaces` as a matplotlib Figure (at the PNG's resolution, drawn on demand).

    The map axes carry the gid ``map`` (and ``inset``); the texts their kind (``number:<ids>``,
    ``unit-label``, ``index-name:<id>``, ``index-number:<id>`` ...), so tests can measure what was placed.
    See `render_print_map` for the parameters.
    """
    if page not in PAGE_SIZES_MM:
        raise ValueError(f"`page` must be one of {', '.join(PAGES)}; got {page!r}")
    for level in LEVELS:
        if level not in boundaries:
            raise ValueError(f"`boundaries` lacks the {level!r} layer")
    date = date or dt.datetime.now(dt.UTC).date()
    width_mm, height_mm = PAGE_SIZES_MM[page]
    with _settings():
        fig = Figure(figsize=(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH), dpi=PNG_DPI)
        # Type and marks grow with the paper's side, less than the paper: A3 shows more, not only larger.
        scale = math.sqrt(width_mm / PAGE_SIZES_MM["A4"][0])
        _compose(fig, spaces, boundaries, _Page(width_mm, height_mm, scale), lang=lang, subtitle=subtitle, date=date)
    # Attached only now: geopandas asks the canvas to redraw after each plot, which an Agg canvas would do.
    FigureCanvasAgg(fig)
    return fig


def _settings() -> contextlib.AbstractContextManager[None]:
    """Return matplotlib's settings for the page: one font (Vietnamese), embedded as TrueType in a PDF; names
    never read as maths."""
    return matplotlib.rc_context(
        {
            "font.family": FONT,
            "pdf.fonttype": 42,
            "svg.hashsalt": "creative_map",
            "path.simplify": True,
            "text.parse_math": False,
        }
    )


def render_print_map(
    spaces: gpd.GeoDataFrame,
    path: str | os.PathLike[str],
    *,
    fmt: Literal["png", "pdf"],
    boundaries: Mapping[Level, gpd.GeoDataFrame],
    page: Page = "A4",
    lang: Lang = "vi",
    subtitle: str = "",
    date: dt.date | None = None,
) -> Path:
    """Draw the print map of `spaces` to `path`.

    Parameters
    ----------
    spaces
        The spaces to show (already filtered), EPSG:4326.
    path
        The file to write (not atomic: `creative_map.export.export` gives a temporary path).
    fmt
        ``png`` (200 dpi) or ``pdf`` (vector, fonts embedded).
    boundaries
        Unit polygons by level: ``district`` and ``ward_2025`` (the base of the map).
    page
        ``A4`` or ``A3``, landscape.
    lang
        ``vi`` or ``en``: every text on the page.
    subtitle
        What was selected (the filter in words).
    date
        The date printed on the page (default: today, UTC).

    Returns
    -------
    pathlib.Path
        `path`.
    """
    if fmt not in ("png", "pdf"):
        raise ValueError(f"`fmt` must be 'png' or 'pdf'; got {fmt!r}")
    fig = draw_print_map(spaces, boundaries=boundaries, page=page, lang=lang, subtitle=subtitle, date=date)
    target = Path(path)
    with _settings():
        if fmt == "pdf":
            fig.savefig(
                target,
                format="pdf",
                metadata={
                    "Title": t("export_title", lang),
                    "Creator": "creative_map",
                    "Producer": "creative_map",
                    "CreationDate": None,
                },
            )
        else:
            fig.savefig(target, format="png", dpi=PNG_DPI, metadata={"Software": "creative_map"})
    logger.info("print map of %d spaces (%s %s) written to %s", len(spaces), page, fmt, target)
    return target


# --- the export's writers -----------------------------------------------------------------------------------


def _write(selection: Selection, path: Path, options: ExportOptions, *, fmt: Literal["png", "pdf"]) -> None:
    render_print_map(
        selection.spaces,
        path,
        fmt=fmt,
        page=options.page,
        lang=options.lang,
        boundaries=options.units,
        subtitle=describe_filter(selection.filter, options.lang),
        date=options.date,
    )


def write_png(selection: Selection, path: Path, options: ExportOptions) -> None:
    """Write the print map as PNG, 200 dpi (see `render_print_map`)."""
    _write(selection, path, options, fmt="png")


def write_pdf(selection: Selection, path: Path, options: ExportOptions) -> None:
    """Write the print map as PDF, vector with its fonts embedded (see `render_print_map`)."""
    _write(selection, path, options, fmt="pdf")
