"""The print map: the selected spaces on a landscape A4 or A3 page, as PNG or PDF, readable without tiles.

What a city hands out at a forum: every space numbered on the map, an index of their full names beside it, and
the page's particulars (title, filter, legend with counts, scale bar, north arrow, date, source, licence, CRS and
what the unit boundaries are).

- The maps (`creative_map.export._printpanel`) are drawn from the unit boundaries themselves, no tiles, no
  network; land outside Hanoi is neutral grey, never water; UTM zone 48N, where the scale bar is true.
- Numbers (`creative_map.export._printindex`): by district, then by place, the same in both languages and on
  both papers. Spaces whose dots would touch share one marker (a pie of their categories) with all their
  numbers beside it, never fanned out.
- Every label is placed against what is already drawn (`creative_map.export._placement`): none overlaps a dot,
  another label or the frame; unit names that do not fit are left out.
- Where many spaces crowd in a small part of the city, an inset shows that part closer, and where they crowd
  again inside it, a second inset shows its heart (their frames drawn on the map around them).
- The index is poured into columns beside the maps (names wrapped, never cut), its type made smaller only as
  far as it must (`INDEX_PT`); a selection too large to number on one page is drawn without numbers, and the
  page says so.

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
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from numpy.typing import NDArray

from creative_map import admin, schema
from creative_map.boundaries import is_shipped
from creative_map.dataset import Selection
from creative_map.export._common import LICENCE, ExportOptions, source_citation
from creative_map.export._printindex import Block, Entry, blocks, flow, numbered, wrap
from creative_map.export._printpanel import (
    CITY_EDGE,
    CITY_FILL,
    DISTRICT_EDGE,
    DOT_PT,
    EDGE_PT,
    FONT,
    GROUP_EDGE,
    GROUP_PT,
    MM_PER_INCH,
    OUTSIDE,
    PT_PER_INCH,
    Crowded,
    Measure,
    Rect,
    Sheet,
    Spaces,
    Style,
    View,
    anchors,
    base_layers,
    draw_dots,
    draw_panel,
    print_text,
    within,
)
from creative_map.i18n import describe_filter, t
from creative_map.types import LEVELS, PAGES, Lang, Level, Page

__all__ = ["PAGE_SIZES_MM", "draw_print_map", "render_print_map", "write_pdf", "write_png"]

logger = logging.getLogger(__name__)

PAGE_SIZES_MM: Final[dict[Page, tuple[float, float]]] = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}
"""Landscape paper sizes in millimetres (width, height)."""
PNG_DPI: Final = 200
MIN_SPAN_M: Final = 3000.0
"""The map shows at least this many metres across, so one space is not drawn alone on a blank page."""

# Sizes on A4, in millimetres and points (A3 multiplies each by its scale, the square root of 1.414: 1.19).
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
CORE_RADIUS_M: Final = 5000.0
"""The inset holds the spaces within this distance of their median point (when they crowd there)."""
CITY_HEIGHT: Final = 0.45
"""With an inset, the main (city-wide) map's share of the height."""


# --- the maps' extents ---------------------------------------------------------------------------------------


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
        dot("white", "#555555", print_text("closed", lang), width=1.1),
        dot("#555555", "white", print_text("imprecise", lang), alpha=0.6),
        Line2D([], [], color="#555555", linewidth=1.5 * scale, linestyle="--", label=print_text("planned", lang)),
    ]
    if groups:
        handles.append(
            dot("#bbbbbb", GROUP_EDGE, textwrap.fill(print_text("group", lang), 36, subsequent_indent="  "), 1.0, 0.8)
        )
    handles += [
        Patch(facecolor=CITY_FILL, edgecolor="#cccccc", label=print_text("ward", lang)),
        Line2D([], [], color=DISTRICT_EDGE, linewidth=0.9 * scale, label=print_text("district", lang)),
        Line2D([], [], color=CITY_EDGE, linewidth=1.0 * scale, label=print_text("city", lang)),
        Patch(facecolor=OUTSIDE, edgecolor="#bbbbbb", label=print_text("outside", lang)),
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


def _legend_size_mm(legend: Legend, measure: Measure) -> tuple[float, float]:
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
        name = admin.short_name(district) if district else print_text("no_district", lang)
        return f"{name} ({count})"

    return heading


def _fixed(rows: int) -> Callable[[int], int]:
    """Return a column capacity of `rows` lines for every column."""
    return lambda _column: rows


def _fit_index(
    entries: Sequence[Entry], measure: Measure, *, width_mm: float, height_mm: float, scale: float, lang: Lang
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
    fig: Figure, page: Sheet, plan: _IndexPlan, left: float, top: float, measure: Measure, *, lang: Lang
) -> None:
    """Write the index from (`left`, `top`) mm: its heading, then its columns (bullet, number, name lines)."""
    scale = page.scale
    title_mm = (
        measure.size(print_text("index", lang), (LEGEND_PT + 1.5) * scale, weight="bold")[0] * MM_PER_INCH / fig.dpi
    )
    fig.text(
        *page.at(left, top),
        print_text("index", lang),
        fontsize=(LEGEND_PT + 1.5) * scale,
        fontweight="bold",
        va="top",
        gid="index-title",
    )
    fig.text(
        *page.at(left + title_mm + 2 * scale, top - 0.3 * scale),
        print_text("index_order", lang),
        fontsize=LEGEND_PT * 0.9 * scale,
        style="italic",
        color="#444444",
        va="top",
        gid="index-note",
    )
    bullets: list[tuple[tuple[float, float], Style]] = []
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
                bullets.append(((x, y), Style.of(entry.category, entry.status, entry.precision)))
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
        draw_dots(
            dots,
            [(bx + half, by - drop) for (bx, by), _ in bullets],
            [style for _, style in bullets],
            size_pt=size,
            scale=0.6 * page.scale,
        )


# --- the page -----------------------------------------------------------------------------------------------


def _title(
    fig: Figure, page: Sheet, measure: Measure, *, width_mm: float, count: int, subtitle: str, lang: Lang
) -> None:
    """Write the title and what was selected above the maps, within `width_mm` (the subtitle on two lines at
    most, shortened only if the filter's words need more)."""
    scale, m = page.scale, MARGIN_MM * page.scale
    title = t("export_title", lang)
    pt = TITLE_PT * scale
    while pt > 10 * scale and measure.size(title, pt, weight="bold")[0] * MM_PER_INCH / measure.dpi > width_mm:
        pt -= 0.5 * scale
    fig.text(*page.at(m, page.height - m), title, fontsize=pt, fontweight="bold", va="top", gid="title")
    counted = f"{count} {print_text('spaces', lang)}"
    line = f"{counted} — {subtitle}" if subtitle else counted
    width_px = width_mm / MM_PER_INCH * measure.dpi
    lines = wrap(line, width_px, measure.approx_width(SUBTITLE_PT * scale))
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


def _footer(fig: Figure, page: Sheet, *, date: dt.date, boundaries: Mapping[Level, Any], lang: Lang) -> None:
    """Write the date, source, licence, CRS and what the unit boundaries are, at the foot of the page."""
    scale, m = page.scale, MARGIN_MM * page.scale
    first = [
        f"{print_text('date', lang)}: {date.isoformat()}",
        f"{print_text('source', lang)}: {source_citation()}",
        f"{print_text('licence', lang)}: {LICENCE}",
    ]
    # What the page says of its unit boundaries: the shipped districts are approximate, the shipped 2025 wards
    # carry their MIT notice, a planner's own layers are named as supplied.
    notes = [
        print_text(f"note_{level}", lang)
        if is_shipped(units)
        else print_text("note_supplied", lang, level=t(f"boundaries_{level}", lang))
        for level, units in boundaries.items()
    ]
    step = FOOTER_PT * scale * 1.45 / PT_PER_INCH * MM_PER_INCH
    for k, line in enumerate((" · ".join(first), print_text("crs", lang), " · ".join(notes))):
        fig.text(*page.at(m, m + (2 - k) * step), line, fontsize=FOOTER_PT * scale, color="#333333", va="bottom")


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
    measure: Measure,
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
    page: Sheet,
    *,
    lang: Lang,
    subtitle: str,
    date: dt.date,
    number: bool = True,
) -> None:
    """Lay the page out: title, maps, legend, index, footer (with `number` false, no numbers and no index).

    One map when the spaces spread evenly. When many crowd in a small part, the city-wide map sits top left
    and an inset of that part fills the space below it (the legend beside the city map); when they crowd again
    inside the inset, an inset of that second core takes the legend's place (the legend going above the index).
    """
    scale = page.scale
    measure = Measure(fig.dpi)
    _footer(fig, page, date=date, boundaries=boundaries, lang=lang)
    m, gap = MARGIN_MM * scale, GAP_MM * scale
    title_h = 6 * scale
    bottom = m + FOOTER_MM * scale
    base = base_layers(boundaries)
    proj = spaces.to_crs(schema.CRS_PROJECTED)
    xy = anchors(spaces)
    entries = numbered(spaces, xy[:, 0], xy[:, 1], lang) if len(spaces) else []
    view_all = _bounds(proj.geometry, base.districts.geometry)
    core1 = _core(xy, view_all[2] - view_all[0], radius=CORE_RADIUS_M, share=1 / 3)
    core2 = None
    if core1 is not None:
        near = within(xy, core1)
        core2 = _core(xy[near], core1[2] - core1[0], radius=CORE_RADIUS_M / 5, share=1 / 4)
    # The side column runs from the top margin to the footer; the title stands over the maps only.
    side = _side(
        fig,
        spaces,
        entries if number else [],
        measure,
        width_mm=(page.width - 2 * m) * INDEX_MAX_WIDTH,
        height_mm=page.height - m - bottom,
        legend_here=core1 is None or core2 is not None,
        lang=lang,
        scale=scale,
    )
    if number and entries and side.plan is None:
        logger.warning("print map: %d spaces are too many to number on one page", len(entries))
    map_w = page.width - 2 * m - side.width_mm - (gap if side.width_mm else 0.0)
    body: Rect = (m, bottom, map_w, page.height - m - bottom - TITLE_MM * scale)
    _title(fig, page, measure, width_mm=map_w, count=len(spaces), subtitle=subtitle, lang=lang)
    styles = [
        Style.of(str(c), str(s), str(p))
        for c, s, p in zip(
            spaces[schema.CATEGORY], spaces[schema.STATUS], spaces[schema.POSITION_PRECISION], strict=True
        )
    ]
    row = {str(i): k for k, i in enumerate(spaces[schema.ID])}
    drawn = Spaces(proj, xy, entries, row, styles, side.plan is not None)
    top = body[1] + body[3]
    side_x = body[0] + map_w + gap
    side_top = page.height - m
    index_top = side_top - (side.legend_mm[1] + gap if side.legend_here else 0.0)
    legend_at = (side_x, side_top)

    def title(rect: Rect, key: str) -> None:
        text = print_text(key, lang)
        pt = (LEGEND_PT + 1.5) * scale
        while (
            pt > LEGEND_PT * 0.9 * scale and measure.size(text, pt, weight="bold")[0] * MM_PER_INCH / fig.dpi > rect[2]
        ):
            pt -= 0.25 * scale
        width_px = rect[2] / MM_PER_INCH * fig.dpi
        lines = wrap(text, width_px, measure.approx_width(pt, weight="bold"))
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
        message = print_text("none", lang) if spaces.empty else None
        every = np.ones(len(xy), dtype=bool)
        draw_panel(fig, page, main, view, drawn, base, measure, gid="map", show=every, north=lang, message=message)
    else:
        city_h = body[3] * CITY_HEIGHT
        aspect = (view_all[2] - view_all[0]) / (view_all[3] - view_all[1])
        beside = side.legend_mm[0] if core2 is None else map_w * 0.45
        city_w = max(min(city_h * aspect, map_w - beside - gap), min(0.4 * map_w, map_w - beside - gap))
        main = (body[0], top - city_h, city_w, city_h)
        inset1: Rect = (body[0], body[1], map_w, body[3] - city_h - title_h)
        view1 = _inset_view(xy, core1, inset1[2] / inset1[3])
        in1 = within(xy, view1, _marker_reach(view1, inset1, scale))
        in2 = np.zeros(len(xy), dtype=bool)
        view2 = None
        if core2 is not None:
            inset2: Rect = (main[0] + city_w + gap, top - city_h, map_w - city_w - gap, city_h - title_h)
            view2 = _inset_view(xy[in1], core2, inset2[2] / inset2[3])
            in2 = in1 & within(xy, view2, _marker_reach(view2, inset2, scale))
            draw_panel(fig, page, inset2, view2, drawn, base, measure, gid="inset-core", show=in2)
            title(inset2, "inset_core")
        else:
            legend_at = (main[0] + city_w + gap, top)
        view = _fit(view_all, main[2] / main[3])
        draw_panel(fig, page, main, view, drawn, base, measure, gid="map", show=~in1, inset=view1, north=lang)
        draw_panel(fig, page, inset1, view1, drawn, base, measure, gid="inset", show=in1 & ~in2, inset=view2)
        title(inset1, "inset")
    side.legend.set_bbox_to_anchor(page.at(*legend_at), transform=fig.transFigure)
    if side.plan is not None:
        _draw_index(fig, page, side.plan, side_x, index_top, measure, lang=lang)
    elif entries:
        note_y = legend_at[1] - side.legend_mm[1] - gap
        room = (page.width - m - legend_at[0]) / MM_PER_INCH * fig.dpi
        lines = wrap(
            print_text("too_many", lang, count=str(len(entries))), room, measure.approx_width(LEGEND_PT * scale)
        )
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
        sheet = Sheet(width_mm, height_mm, scale)
        try:
            _compose(fig, spaces, boundaries, sheet, lang=lang, subtitle=subtitle, date=date)
        except Crowded as crowded:
            logger.warning("print map: %s; drawn without numbers", crowded)
            fig.clear()
            _compose(fig, spaces, boundaries, sheet, lang=lang, subtitle=subtitle, date=date, number=False)
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
