"""The print map: the selected spaces on a landscape A4 or A3 page, as PNG or PDF, readable without tiles.

The base is drawn from the unit boundaries themselves (2025 wards filled, pre-2025 districts outlined and
named), so the page needs no basemap and no network. The map is drawn in UTM zone 48N (EPSG:32648), where
the scale bar is true; the north arrow is turned by the grid's convergence at the map's centre. Around it:
title, what the filter selected, legend with counts, a numbered index of the spaces when they fit, the date,
the data source, the licence and, when the boundaries are the shipped ones, that they are approximate.

Drawn with matplotlib's object API (no pyplot state), so it is safe in a server and gives the same bytes for
the same input (PDF creation date left out; the date shown is the one passed in). Every text on the page is in
`creative_map.i18n.TEXTS` (keys ``print_*``; the title, source and licence are the exports' own).

`render_print_map` draws any frame of spaces; `write_png` and `write_pdf` are the export's writers.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, Literal

import geopandas as gpd
import matplotlib
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from pyproj import CRS, Proj
from shapely.geometry import box

from creative_map import admin, schema
from creative_map.boundaries import is_shipped
from creative_map.dataset import Selection
from creative_map.export._common import LICENCE, ExportOptions, source_citation
from creative_map.i18n import describe_filter, t
from creative_map.text import fold
from creative_map.types import LEVELS, PAGES, Lang, Level, Page

__all__ = ["PAGE_SIZES_MM", "render_print_map", "write_pdf", "write_png"]

logger = logging.getLogger(__name__)

MM_PER_INCH: Final = 25.4
PAGE_SIZES_MM: Final[dict[Page, tuple[float, float]]] = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}
"""Landscape paper sizes in millimetres (width, height)."""
PNG_DPI: Final = 200
MIN_SPAN_M: Final = 3000.0
"""The map shows at least this many metres across, so one space is not drawn alone on a blank page."""

_BASE_FILL: Final = "#f3efe6"
_BASE_EDGE: Final = "#ffffff"
_DISTRICT_EDGE: Final = "#6d6d6d"
_LABEL_COLOUR: Final = "#5a5a5a"


def _t(key: str, lang: Lang, **values: str) -> str:
    """Return the print map's text `key` (``print_<key>`` in the catalogue) in `lang`."""
    return t(f"print_{key}", lang, **values)


def _nice_length(span_m: float) -> float:
    """Return a round length (1, 2 or 5 times a power of ten, metres) near a fifth of `span_m`."""
    target = span_m / 5
    power = 10.0 ** math.floor(math.log10(target))
    return float(max(m * power for m in (1, 2, 5) if m * power <= target))


def _extent(spaces_proj: gpd.GeoSeries, base_proj: gpd.GeoSeries, aspect: float) -> tuple[float, float, float, float]:
    """Return (x0, y0, x1, y1) around the spaces (or the whole base when none), padded to the axes' aspect."""
    geoms = spaces_proj if len(spaces_proj) else base_proj
    x0, y0, x1, y1 = geoms.total_bounds
    pad = max(x1 - x0, y1 - y0) * 0.08
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    w, h = max(x1 - x0, MIN_SPAN_M), max(y1 - y0, MIN_SPAN_M)
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _draw_base(
    ax: Axes, boundaries: Mapping[Level, gpd.GeoDataFrame], view: Any, *, lang: Lang, scale: float = 1.0
) -> None:
    """Draw the 2025 wards as the filled base, the districts as outlines, and name the units that fit."""
    wards = boundaries["ward_2025"].to_crs(schema.CRS_PROJECTED)
    districts = boundaries["district"].to_crs(schema.CRS_PROJECTED)
    wards = wards.loc[wards.intersects(view)]
    districts = districts.loc[districts.intersects(view)]
    wards.plot(ax=ax, facecolor=_BASE_FILL, edgecolor=_BASE_EDGE, linewidth=0.8 * scale, zorder=1)
    districts.boundary.plot(ax=ax, color=_DISTRICT_EDGE, linewidth=1.1 * scale, zorder=2)
    # Name the wards when few enough are in view; otherwise the districts.
    labelled, size, colour = (wards, 6.5, _LABEL_COLOUR) if len(wards) <= 30 else (districts, 8.0, "#444444")
    for name, geom in zip(labelled["name"], labelled.geometry, strict=True):
        inside = geom.intersection(view)
        if inside.is_empty or inside.area < view.area * 0.004:
            continue
        point = inside.representative_point()
        ax.text(
            point.x,
            point.y,
            admin.short_name(name),
            fontsize=size * scale,
            color=colour,
            ha="center",
            va="center",
            alpha=0.9,
            zorder=3,
            clip_on=True,
        )


MAX_FAN: Final = 16
"""Largest group of overlapping markers fanned out on a ring."""


def _marker_positions(points: list[tuple[float, float]], spacing: float) -> list[tuple[float, float]]:
    """Return where to draw each point's marker: markers that would overlap are fanned out on a ring.

    Many spaces are only known to their ward (placed at its centre), so several share one position; on
    paper they would hide each other. Points closer than `spacing` (transitively) form a group; a group of
    k > 1 goes on a ring of k markers `spacing` apart around its centre, in the order of the input. Larger
    crowds than `MAX_FAN` stay where they are (a ring would cover the map; the inset shows them closer).
    """
    parent = list(range(len(points)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    geoms = shapely.points(points) if points else []
    pairs = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=spacing) if points else [[], []]
    for a, b in zip(*pairs, strict=True):
        parent[root(int(a))] = root(int(b))
    groups: dict[int, list[int]] = {}
    for i in range(len(points)):
        groups.setdefault(root(i), []).append(i)
    out = list(points)
    for members in groups.values():
        k = len(members)
        if k == 1 or k > MAX_FAN:
            continue
        radius = max(spacing, spacing * k / (2 * math.pi))
        cx = sum(points[i][0] for i in members) / k
        cy = sum(points[i][1] for i in members) / k
        for j, i in enumerate(members):
            angle = math.pi / 2 - 2 * math.pi * j / k
            out[i] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    return out


def _anchors(spaces: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Return where each space's marker goes, in UTM 48N: its representative point (`schema.REP_LON`,
    `schema.REP_LAT`, computed once at load; the point itself for a venue)."""
    points = gpd.points_from_xy(spaces[schema.REP_LON], spaces[schema.REP_LAT])
    return gpd.GeoSeries(points, index=spaces.index, crs=schema.CRS).to_crs(schema.CRS_PROJECTED)


def _rgba(colour: str, alpha: float) -> tuple[float, float, float, float]:
    r, g, b, _ = to_rgba(colour)
    return (r, g, b, alpha)


def _draw_spaces(
    ax: Axes, spaces_proj: gpd.GeoDataFrame, numbers: list[int] | None, *, spacing: float, scale: float = 1.0
) -> None:
    """Draw each space in its category's colour: areas filled, lines thick, a circle at each space's point.

    Closed spaces are hollow, planned ones have dashed edges, those not placed exactly are faded. One
    collection per kind of mark (not one per space), so 10,000 spaces draw in about a second.
    """
    geoms = list(spaces_proj.geometry)
    colours = [
        c.colour if (c := schema.CATEGORIES.get(k)) is not None else "#333333" for k in spaces_proj[schema.CATEGORY]
    ]
    statuses = list(spaces_proj[schema.STATUS])
    alphas = [1.0 if p == "exact" else 0.6 for p in spaces_proj[schema.POSITION_PRECISION]]
    styles = ["--" if s == "planned" else "-" for s in statuses]
    for kinds, zorder in ((("Polygon", "MultiPolygon"), 4), (("LineString", "MultiLineString"), 5)):
        for style in ("-", "--"):
            idx = [i for i, g in enumerate(geoms) if g.geom_type in kinds and styles[i] == style]
            if not idx:
                continue
            shapes = gpd.GeoSeries([geoms[i] for i in idx])
            if zorder == 4:
                shapes.plot(
                    ax=ax,
                    facecolor=[_rgba(colours[i], 0.35 * alphas[i]) for i in idx],
                    edgecolor=[colours[i] for i in idx],
                    linewidth=1.2 * scale,
                    linestyle=style,
                    zorder=zorder,
                )
            else:
                shapes.plot(
                    ax=ax,
                    color=[_rgba(colours[i], 0.85 * alphas[i]) for i in idx],
                    linewidth=3.0 * scale,
                    linestyle=style,
                    zorder=zorder,
                )
    anchors = [(p.x, p.y) for p in _anchors(spaces_proj)]
    markers = _marker_positions(anchors, spacing)
    fanned = [(a, m) for a, m in zip(anchors, markers, strict=True) if a != m]
    if fanned:
        ax.add_collection(LineCollection([[a, m] for a, m in fanned], colors="#777777", linewidths=0.5, zorder=5))
        ax.scatter([a[0] for a, _ in fanned], [a[1] for a, _ in fanned], s=4, color="#444444", zorder=5)
    if not geoms:
        return
    hollow = [s == "closed" for s in statuses]
    ax.scatter(
        [m[0] for m in markers],
        [m[1] for m in markers],
        s=46 * scale**2,
        marker="o",
        facecolors=[_rgba("white" if h else c, a) for h, c, a in zip(hollow, colours, alphas, strict=True)],
        edgecolors=[_rgba(c if h else "white", a) for h, c, a in zip(hollow, colours, alphas, strict=True)],
        linewidths=[(1.4 if h else 0.8) * scale for h in hollow],
        linestyles=styles,
        zorder=6,
    )
    for number, (mx, my) in zip(numbers or [], markers, strict=False):
        ax.annotate(
            str(number),
            (mx, my),
            xytext=(4, 3),
            textcoords="offset points",
            fontsize=6 * scale,
            color="#202020",
            zorder=7,
            clip_on=True,
            bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.7},
        )


def _draw_scale_bar(ax: Axes, view: tuple[float, float, float, float], *, scale: float = 1.0) -> None:
    """Draw a two-tone scale bar in the lower left corner (true in UTM 48N, within 0.1 % near Hanoi)."""
    x0, y0, x1, y1 = view
    length = _nice_length(x1 - x0)
    left, bottom = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.05
    height = (y1 - y0) * 0.008
    half = length / 2
    for k, colour in enumerate(("#222222", "#ffffff")):
        ax.add_patch(
            Rectangle(
                (left + k * half, bottom), half, height, facecolor=colour, edgecolor="#222222", linewidth=0.8, zorder=8
            )
        )
    unit, value = ("km", length / 1000) if length >= 1000 else ("m", length)
    for x, text in ((left, "0"), (left + length, f"{value:g} {unit}")):
        ax.text(x, bottom + height * 1.8, text, fontsize=7 * scale, ha="center", va="bottom", zorder=8)


def _draw_north_arrow(
    ax: Axes, view: tuple[float, float, float, float], convergence_deg: float, lang: Lang, *, scale: float = 1.0
) -> None:
    """Draw an arrow to true north in the upper right corner (grid north turned by the convergence)."""
    x0, y0, x1, y1 = view
    cx, cy = x1 - (x1 - x0) * 0.05, y1 - (y1 - y0) * 0.14
    length = (y1 - y0) * 0.07
    angle = math.radians(convergence_deg)
    dx, dy = -length * math.sin(angle), length * math.cos(angle)
    ax.annotate(
        "",
        xy=(cx + dx, cy + dy),
        xytext=(cx, cy),
        zorder=8,
        arrowprops={"arrowstyle": "-|>,head_width=0.5,head_length=1.0", "color": "#222222", "linewidth": 1.6},
    )
    ax.text(
        cx + dx * 1.25,
        cy + dy * 1.25,
        _t("north", lang),
        fontsize=11 * scale,
        fontweight="bold",
        ha="center",
        va="bottom",
        zorder=8,
    )


def _legend(ax: Axes, spaces: gpd.GeoDataFrame, *, lang: Lang, scale: float = 1.0) -> float:
    """Draw the legend: categories present (with counts), the symbols for status and precision, the units."""
    counts = spaces[schema.CATEGORY].value_counts()
    handles: list[Any] = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markersize=7 * scale,
            markerfacecolor=c.colour,
            markeredgecolor="white",
            label=textwrap.fill(f"{c.label.get(lang)} ({int(counts[c.id])})", 42, subsequent_indent="  "),
        )
        for c in schema.CATEGORIES.values()
        if c.id in counts.index
    ]
    handles += [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markersize=7 * scale,
            markerfacecolor="white",
            markeredgecolor="#555555",
            label=_t("closed", lang),
        ),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markersize=7 * scale,
            markerfacecolor="#555555",
            alpha=0.55,
            markeredgecolor="white",
            label=_t("imprecise", lang),
        ),
        Line2D([], [], color="#555555", linewidth=2, linestyle="--", label=_t("planned", lang)),
        Line2D([], [], color=_DISTRICT_EDGE, linewidth=1.1, label=_t("district", lang)),
        Patch(facecolor=_BASE_FILL, edgecolor="#cccccc", label=_t("ward", lang)),
    ]
    legend = ax.legend(
        handles=handles,
        loc="upper left",
        frameon=False,
        fontsize=7.5 * scale,
        title=t("legend", lang),
        title_fontproperties={"weight": "bold", "size": 9 * scale},
        alignment="left",
        borderaxespad=0,
    )
    legend.set_in_layout(False)
    # Where the legend ends (axes fraction), measured with the Agg renderer: the index starts below it.
    renderer = FigureCanvasAgg(ax.figure).get_renderer()  # type: ignore[arg-type, no-untyped-call]
    return float(legend.get_window_extent(renderer).transformed(ax.transAxes.inverted()).y0)


INDEX_FONT_PT: Final = 6.5
INDEX_LINE: Final = 1.35


INDEX_GAP: Final = 0.035
"""Between the legend's end and the index heading, and the heading and the first line (axes fraction)."""


def _index_rows(side_height_pt: float, free: float, scale: float) -> int:
    """Return how many index lines fit in one column in the lower `free` fraction of the side panel."""
    return max(0, int((free - 2 * INDEX_GAP) * side_height_pt / (INDEX_FONT_PT * scale * INDEX_LINE)))


def _index_lines(spaces: gpd.GeoDataFrame, lang: Lang, *, width: int) -> list[str]:
    """Return ``"n. name"`` for each space, names cut to `width` characters."""
    names = []
    for i, (vi, en) in enumerate(zip(spaces[schema.NAME_VI], spaces[schema.NAME_EN], strict=True), start=1):
        name = schema.Label(vi, en).get(lang)
        names.append(f"{i}. {name if len(name) <= width else name[: width - 1] + '…'}")
    return names


def _by_name(spaces: gpd.GeoDataFrame, lang: Lang) -> gpd.GeoDataFrame:
    """Return `spaces` ordered by name in `lang` (accents aside, then id): the order of the numbered index."""
    keys = [
        (fold(schema.Label(vi, en).get(lang)), id_)
        for vi, en, id_ in zip(spaces[schema.NAME_VI], spaces[schema.NAME_EN], spaces[schema.ID], strict=True)
    ]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return spaces.iloc[order]


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
        The spaces to show (already filtered and ordered), EPSG:4326.
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
    if page not in PAGE_SIZES_MM:
        raise ValueError(f"`page` must be one of {', '.join(PAGES)}; got {page!r}")
    if fmt not in ("png", "pdf"):
        raise ValueError(f"`fmt` must be 'png' or 'pdf'; got {fmt!r}")
    for level in LEVELS:
        if level not in boundaries:
            raise ValueError(f"`boundaries` lacks the {level!r} layer")
    date = date or dt.datetime.now(dt.UTC).date()
    width_mm, height_mm = PAGE_SIZES_MM[page]
    with matplotlib.rc_context(
        {"font.family": "DejaVu Sans", "pdf.fonttype": 42, "svg.hashsalt": "creative_map", "path.simplify": True}
    ):
        fig = Figure(figsize=(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH))
        scale = width_mm / PAGE_SIZES_MM["A4"][0]
        _layout(fig, _by_name(spaces, lang), boundaries, lang=lang, subtitle=subtitle, date=date, scale=scale)
        target = Path(path)
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


Rect = tuple[float, float, float, float]
View = tuple[float, float, float, float]

MAP_RECT: Final[Rect] = (0.03, 0.10, 0.66, 0.78)
SIDE_RECT: Final[Rect] = (0.72, 0.10, 0.26, 0.78)
INSET_RECT: Final[Rect] = (0.72, 0.10, 0.26, 0.33)
"""Below the legend: the numbered index or, when the spaces are too many to number, an inset of their core."""
MAP_BACKGROUND: Final = "#dfe8ee"


def _axes_points(fig: Figure, rect: Rect) -> tuple[float, float]:
    """Return the width and height in points of axes placed at `rect` (figure fractions)."""
    fig_w, fig_h = fig.get_size_inches()
    return rect[2] * fig_w * 72, rect[3] * fig_h * 72


def _map_panel(
    fig: Figure,
    rect: Rect,
    spaces_proj: gpd.GeoDataFrame,
    boundaries: Mapping[Level, gpd.GeoDataFrame],
    view: View,
    *,
    numbers: list[int] | None,
    lang: Lang,
    scale: float = 1.0,
) -> Axes:
    """Draw one map (base, spaces, scale bar, frame) in axes at `rect` showing `view`; return the axes."""
    fig.patches.append(
        Rectangle(
            rect[:2], rect[2], rect[3], transform=fig.transFigure, facecolor=MAP_BACKGROUND, edgecolor="none", zorder=-1
        )
    )
    ax = fig.add_axes(rect)
    width_pt, _ = _axes_points(fig, rect)
    _draw_base(ax, boundaries, box(*view), lang=lang, scale=scale)
    _draw_spaces(ax, spaces_proj, numbers, spacing=8.5 * scale * (view[2] - view[0]) / width_pt, scale=scale)
    ax.set_xlim(view[0], view[2])
    ax.set_ylim(view[1], view[3])
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.add_patch(
        Rectangle(
            (0, 0),
            1,
            1,
            transform=ax.transAxes,
            facecolor="none",
            edgecolor="#888888",
            linewidth=0.8,
            zorder=9,
            clip_on=False,
        )
    )
    _draw_scale_bar(ax, view, scale=scale)
    return ax


def _core_view(spaces_proj: gpd.GeoDataFrame, view: View, aspect: float) -> View | None:
    """Return a close-up view of where the spaces crowd, or None when the main map shows them well enough.

    The core is the box of the spaces within 3 km of their median point; it earns an inset when it holds at
    least a third of them and is under a quarter of the main view's width.
    """
    if len(spaces_proj) < 10:
        return None
    points = _anchors(spaces_proj)
    centre = shapely.Point(float(points.x.median()), float(points.y.median()))
    near = points.loc[points.distance(centre) <= 3000.0]
    if len(near) < len(points) / 3:
        return None
    core = _extent(near, near, aspect)
    if core[2] - core[0] > (view[2] - view[0]) / 4:
        return None
    return core


def _index(side: Axes, spaces: gpd.GeoDataFrame, rows: int, top: float, *, lang: Lang, scale: float) -> None:
    """Write the numbered list of the spaces below `top` (axes fraction), in one or two columns."""
    two = len(spaces) > rows
    lines = _index_lines(spaces, lang, width=25 if two else 60)
    half = math.ceil(len(lines) / 2) if two else len(lines)
    heading = top - INDEX_GAP
    side.text(
        0.0, heading, _t("index", lang), fontsize=9 * scale, fontweight="bold", va="top", transform=side.transAxes
    )
    for column, chunk in enumerate((lines[:half], lines[half:])):
        if chunk:
            side.text(
                0.52 * column,
                heading - INDEX_GAP,
                "\n".join(chunk),
                fontsize=INDEX_FONT_PT * scale,
                va="top",
                linespacing=INDEX_LINE,
                transform=side.transAxes,
            )


def _layout(
    fig: Figure,
    spaces: gpd.GeoDataFrame,
    boundaries: Mapping[Level, gpd.GeoDataFrame],
    *,
    lang: Lang,
    subtitle: str,
    date: dt.date,
    scale: float,
) -> None:
    """Place the map, the title block, the legend, the index or inset, and the footer on `fig`."""
    fig.text(0.03, 0.955, t("export_title", lang), fontsize=18 * scale, fontweight="bold", va="top")
    count = f"{len(spaces)} {_t('spaces', lang)}"
    fig.text(
        0.03,
        0.905,
        textwrap.shorten(f"{count} — {subtitle}" if subtitle else count, 150, placeholder=" …"),
        fontsize=10 * scale,
        color="#333333",
        va="top",
    )
    spaces_proj = spaces.to_crs(schema.CRS_PROJECTED)
    base_proj = boundaries["district"].to_crs(schema.CRS_PROJECTED).geometry
    width_pt, height_pt = _axes_points(fig, MAP_RECT)
    view = _extent(spaces_proj.geometry, base_proj, width_pt / height_pt)
    side = fig.add_axes(SIDE_RECT)
    side.axis("off")
    legend_end = _legend(side, spaces, lang=lang, scale=scale)
    rows = _index_rows(_axes_points(fig, SIDE_RECT)[1], legend_end, scale)
    numbered = 0 < len(spaces) <= 2 * rows
    numbers = list(range(1, len(spaces) + 1)) if numbered else None
    ax = _map_panel(fig, MAP_RECT, spaces_proj, boundaries, view, numbers=numbers, lang=lang, scale=scale)
    if spaces.empty:
        ax.text(0.5, 0.5, _t("none", lang), transform=ax.transAxes, ha="center", va="center", fontsize=12 * scale)
    lon, lat = _to_lonlat((view[0] + view[2]) / 2, (view[1] + view[3]) / 2)
    convergence = Proj(CRS(schema.CRS_PROJECTED)).get_factors(lon, lat).meridian_convergence
    _draw_north_arrow(ax, view, float(convergence), lang, scale=scale)

    inset_w, inset_h = _axes_points(fig, INSET_RECT)
    core = None if numbered else _core_view(spaces_proj, view, inset_w / inset_h)
    if numbered:
        _index(side, spaces, rows, legend_end, lang=lang, scale=scale)
    elif core is not None:
        ax.add_patch(
            Rectangle(
                core[:2],
                core[2] - core[0],
                core[3] - core[1],
                facecolor="none",
                edgecolor="#222222",
                linewidth=1.0,
                zorder=9,
            )
        )
        _map_panel(fig, INSET_RECT, spaces_proj, boundaries, core, numbers=None, lang=lang, scale=scale)
        fig.text(
            INSET_RECT[0],
            INSET_RECT[1] + INSET_RECT[3] + 0.008,
            _t("inset", lang),
            fontsize=8 * scale,
            fontweight="bold",
            va="bottom",
        )

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
    fig.text(0.03, 0.066, " · ".join(first), fontsize=7.5 * scale, color="#333333", va="center")
    fig.text(0.03, 0.045, _t("crs", lang), fontsize=7.5 * scale, color="#333333", va="center")
    fig.text(0.03, 0.024, " · ".join(notes), fontsize=7.5 * scale, color="#333333", va="center")


def _to_lonlat(x: float, y: float) -> tuple[float, float]:
    lon, lat = gpd.GeoSeries([shapely.Point(x, y)], crs=schema.CRS_PROJECTED).to_crs(schema.CRS).iloc[0].coords[0]
    return float(lon), float(lat)


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
