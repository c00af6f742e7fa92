"""One map of the print map: its base, its spaces numbered (or not), its scale bar and north arrow, the names of
its units, every label placed clear of the rest (see `creative_map.export._placement`).

Private to `creative_map.export.printmap`, which lays the page out: it asks `draw_panel` for each map (the
city-wide one, and the insets where spaces crowd) and measures text with `Measure`. Sizes are in points on A4;
the page passes its scale for A3.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.ft2font import LoadFlags
from matplotlib.patches import Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.patheffects import withStroke
from matplotlib.transforms import IdentityTransform
from numpy.typing import NDArray
from pyproj import CRS, Proj
from shapely.geometry import box
from shapely.ops import polylabel

from creative_map import admin, schema
from creative_map.export._placement import (
    Box,
    Obstacles,
    first_free,
    group_markers,
    inside,
    merge_nearest,
    place_labels,
)
from creative_map.export._printindex import Entry, number_ranges
from creative_map.i18n import t
from creative_map.types import Lang, Level

__all__ = [
    "MM_PER_INCH",
    "PT_PER_INCH",
    "Base",
    "Crowded",
    "Measure",
    "Rect",
    "Sheet",
    "Spaces",
    "Style",
    "View",
    "anchors",
    "base_layers",
    "draw_dots",
    "draw_panel",
    "print_text",
    "within",
]

logger = logging.getLogger(__name__)

FONT: Final = "DejaVu Sans"
"""The one font of the page (matplotlib's own, with every Vietnamese letter)."""
MM_PER_INCH: Final = 25.4
PT_PER_INCH: Final = 72.0
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
MAX_GROUP: Final = 12
"""At most this many spaces share a marker: a map that needs more is too crowded to number (see `Crowded`)."""
MAX_ROUNDS: Final = 25
"""Rounds of placing the numbers and joining markers where they find no room, before giving up."""
WARD_LABEL_MAX: Final = 40
"""A map names its 2025 wards when at most this many are in view, else its districts."""


def print_text(key: str, lang: Lang, **values: str) -> str:
    """Return the print map's text `key` (``print_<key>`` in the catalogue) in `lang`."""
    return t(f"print_{key}", lang, **values)


class Crowded(Exception):  # noqa: N818 (a condition the page handles, not an error to report)
    """A map is too crowded at its scale to number every space legibly: the page is drawn without numbers."""


# --- measuring ----------------------------------------------------------------------------------------------


class Measure:
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
                            try:
                                glyph = font.load_char(ord(char), flags=LoadFlags.NO_HINTING)
                            except RuntimeError:  # a character FreeType cannot load (private use, ...): drawn as
                                glyph = font.load_char(ord("?"), flags=LoadFlags.NO_HINTING)  # a box of this width
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
class Sheet:
    """The page in millimetres, and the scale of its type and marks (1 on A4)."""

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


# --- the base -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Base:
    """The unit layers in UTM 48N and Hanoi's outline (the union of the wards, without its slivers)."""

    wards: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    city: gpd.GeoSeries


def base_layers(boundaries: Mapping[Level, gpd.GeoDataFrame]) -> Base:
    wards = boundaries["ward_2025"].to_crs(schema.CRS_PROJECTED)
    districts = boundaries["district"].to_crs(schema.CRS_PROJECTED)
    union = shapely.union_all(shapely.make_valid(wards.geometry.values))
    parts = [p for p in getattr(union, "geoms", [union]) if p.geom_type == "Polygon" and p.area > 1e5]
    city = gpd.GeoSeries([shapely.Polygon(p.exterior) for p in parts], crs=schema.CRS_PROJECTED)
    return Base(wards, districts, city)


def _draw_base(ax: Axes, base: Base, view: View, *, scale: float) -> None:
    """Draw Hanoi filled, the 2025 wards' edges, the districts' edges and Hanoi's outline (outside: grey)."""
    frame = box(*view)
    base.city.plot(ax=ax, facecolor=CITY_FILL, edgecolor="none", zorder=1)
    wards = base.wards.loc[base.wards.intersects(frame)]
    districts = base.districts.loc[base.districts.intersects(frame)]
    wards.boundary.plot(ax=ax, color=WARD_EDGE, linewidth=0.7 * scale, zorder=2)
    districts.boundary.plot(ax=ax, color=DISTRICT_EDGE, linewidth=0.9 * scale, zorder=2)
    base.city.boundary.plot(ax=ax, color=CITY_EDGE, linewidth=1.0 * scale, zorder=3)


def _unit_level(base: Base, view: View) -> Level:
    """Return which units a map names: its 2025 wards when few enough are in view, else its districts."""
    return "ward_2025" if int(base.wards.intersects(box(*view)).sum()) <= WARD_LABEL_MAX else "district"


def _draw_unit_labels(
    ax: Axes, units: gpd.GeoDataFrame, view: View, obstacles: Obstacles, measure: Measure, *, pt: float
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


def anchors(spaces: gpd.GeoDataFrame) -> NDArray[np.float64]:
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
class Style:
    """How one space's dot is drawn: its category's colour, hollow when closed, dashed when planned, faded when
    its position is approximate."""

    colour: str
    closed: bool
    planned: bool
    faded: bool

    @classmethod
    def of(cls, category: str, status: str, precision: str) -> Style:
        return cls(_colour(category), status == "closed", status == "planned", precision != "exact")


def draw_dots(
    ax: Axes, xy: Sequence[tuple[float, float]], styles: Sequence[Style], *, size_pt: float, scale: float
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


def _pies(ax: Axes, groups: Sequence[tuple[tuple[float, float], list[Style]]], *, size_pt: float, scale: float) -> None:
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
    measure: Measure,
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
    for _ in range(MAX_ROUNDS):
        markers = group_markers(points, radius, gap=clear, groups=groups)
        if max(len(m.members) for m in markers) > MAX_GROUP:
            raise Crowded(f"{max(len(m.members) for m in markers)} spaces would share one marker")
        texts = [number_ranges([entries[i].number for i in m.members]) for m in markers]
        sizes = [measure.size(text, pt, weight="bold") for text in texts]
        placed, lost = place_labels(markers, sizes, obstacles, frame, gap=gap, margin=clear, frame_margin=frame_clear)
        if not lost:
            break
        groups = merge_nearest(markers, lost, points, radius, allowed, reach=4 * (max(h for _, h in sizes) + group))
        if groups is None:
            raise Crowded(f"no room for the numbers {', '.join(texts[i] for i in lost)}")
    else:
        raise Crowded(f"the numbers found no room in {MAX_ROUNDS} rounds")
    to_data = ax.transData.inverted().transform
    singles: list[tuple[tuple[float, float], Style]] = []
    pies: list[tuple[tuple[float, float], list[Style]]] = []
    leaders = []
    for marker, text, label in zip(markers, texts, placed, strict=True):
        x, y = (float(v) for v in to_data((marker.x, marker.y)))
        styles = [Style.of(entries[i].category, entries[i].status, entries[i].precision) for i in marker.members]
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
    draw_dots(ax, [p for p, _ in singles], [s for _, s in singles], size_pt=DOT_PT * scale, scale=scale)
    _pies(ax, pies, size_pt=GROUP_PT * scale, scale=scale)


def _draw_unnumbered(
    ax: Axes,
    xy: NDArray[np.float64],
    styles: Sequence[Style],
    obstacles: Obstacles,
    measure: Measure,
    *,
    scale: float,
) -> None:
    """Draw the spaces as dots without numbers (too many to number): each at its place, none moved."""
    draw_dots(ax, [tuple(p) for p in xy.tolist()], styles, size_pt=DOT_PT * scale, scale=scale)
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


def _draw_scale_bar(ax: Axes, view: View, obstacles: Obstacles, measure: Measure, *, scale: float) -> None:
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
    ax: Axes, view: View, convergence_deg: float, lang: Lang, obstacles: Obstacles, measure: Measure, *, scale: float
) -> None:
    """Draw an arrow to true north (grid north turned by the convergence) where it covers nothing."""
    pt = 9 * scale
    letter = print_text("north", lang)
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


def _map_axes(fig: Figure, page: Sheet, rect: Rect, view: View, *, gid: str) -> Axes:
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
class Spaces:
    """The selection as the panels draw it: projected, anchored, numbered (or not)."""

    proj: gpd.GeoDataFrame
    xy: NDArray[np.float64]
    """Each space's marker position, UTM 48N, in the order of `proj`."""
    entries: list[Entry]
    """The index, numbered; each entry's space is `proj`'s row `row[entry.id]`."""
    row: dict[str, int]
    styles: list[Style]
    numbered: bool


def draw_panel(
    fig: Figure,
    page: Sheet,
    rect: Rect,
    view: View,
    spaces: Spaces,
    base: Base,
    measure: Measure,
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
        hidden = ~show & within(spaces.xy, view)
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


def _to_lonlat(x: float, y: float) -> tuple[float, float]:
    lon, lat = gpd.GeoSeries([shapely.Point(x, y)], crs=schema.CRS_PROJECTED).to_crs(schema.CRS).iloc[0].coords[0]
    return float(lon), float(lat)


def _convergence(view: View) -> float:
    lon, lat = _to_lonlat((view[0] + view[2]) / 2, (view[1] + view[3]) / 2)
    return float(Proj(CRS(schema.CRS_PROJECTED)).get_factors(lon, lat).meridian_convergence)


def within(xy: NDArray[np.float64], view: View, margin: float = 0.0) -> NDArray[np.bool_]:
    """Return which points lie inside `view`, at least `margin` from its edges."""
    x, y = xy[:, 0], xy[:, 1]
    x0, y0, x1, y1 = view[0] + margin, view[1] + margin, view[2] - margin, view[3] - margin
    return np.asarray((x > x0) & (x < x1) & (y > y0) & (y < y1), dtype=bool)
