"""The print map (PNG, PDF): what a city hands out at a forum.

Every space numbered, the numbers on the map matching an index of full names, no label on a dot, another label
or the frame, no fan-out, land outside Hanoi not drawn as water; the page's particulars in both languages. The
drawn page is measured as matplotlib lays it out: each text's window extent and each dot's pixel box, after a
draw, on the shipped data (city-wide, A4 and A3, vi and en; Hoàn Kiếm) and on small hand-made sets.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import struct
from collections import defaultdict
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from PIL import Image

import creative_map
from creative_map import Dataset, Selection, export, schema, types
from creative_map.boundaries import load_boundaries
from creative_map.export import _printpanel, printmap
from creative_map.export._common import LICENCE, source_citation
from creative_map.export._printindex import hilbert_keys, number_ranges, wrap
from creative_map.i18n import describe_filter, t
from creative_map.query import Filter
from creative_map.text import fold

from .conftest import collection, make_space, old_gallery, puppet_theatre

DATE = dt.date(2026, 11, 27)
HOAN_KIEM = Filter(districts=("Quận Hoàn Kiếm",))
MAP_GIDS = ("map", "inset", "inset-core")


# --- fixtures -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def boundaries() -> dict[str, gpd.GeoDataFrame]:
    return {level: load_boundaries(level) for level in types.LEVELS}


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    """The shipped data (161 spaces, most of them in the centre)."""
    return creative_map.load()


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """Five spaces in Hoàn Kiếm: a point, a closed gallery, a line, a polygon and a museum."""
    line = make_space(id="pho-di-bo-dinh-liet", name_vi="Phố đi bộ Đinh Liệt", name_en="Dinh Liet walking street")
    line["geometry"] = {"type": "LineString", "coordinates": [[105.8515, 21.0335], [105.8522, 21.0318]]}
    area = make_space(id="vuon-hoa-ly-thai-to", name_vi="Vườn hoa Lý Thái Tổ", category="public_space", plan_item="")
    area["geometry"] = {
        "type": "Polygon",
        "coordinates": [
            [[105.8527, 21.0270], [105.8537, 21.0270], [105.8537, 21.0260], [105.8527, 21.0260], [105.8527, 21.0270]]
        ],
    }
    museum = make_space(
        105.8590, 21.0245, id="1-bao-tang-lich-su", name_vi="Bảo tàng Lịch sử Quốc gia", category="museum"
    )
    features = [make_space(), puppet_theatre(), old_gallery(), line, area, museum]
    path = tmp_path_factory.mktemp("data") / "spaces.geojson"
    path.write_text(json.dumps(collection(*features), ensure_ascii=False), encoding="utf-8")
    return creative_map.load(path)


def draw(selection: Selection, boundaries, *, page: str = "A4", lang: str = "vi") -> Figure:
    """The page as the writers save it, drawn (so every extent is final)."""
    fig = printmap.draw_print_map(
        selection.spaces,
        boundaries=boundaries,
        page=page,
        lang=lang,
        subtitle=describe_filter(selection.filter, lang),
        date=DATE,
    )
    fig.canvas.draw()
    return fig


PAGES = [("A4", "vi"), ("A4", "en"), ("A3", "vi"), ("A3", "en")]


@pytest.fixture(scope="module")
def city(shipped, boundaries) -> dict[tuple[str, str], tuple[Selection, Figure]]:
    """The city-wide map of the shipped data on both papers in both languages (drawn once for the module)."""
    selection = creative_map.select(shipped)
    return {(page, lang): (selection, draw(selection, boundaries, page=page, lang=lang)) for page, lang in PAGES}


@pytest.fixture(scope="module")
def hoan_kiem(shipped, boundaries) -> dict[str, tuple[Selection, Figure]]:
    """The Hoàn Kiếm map of the shipped data (A4) in both languages."""
    selection = creative_map.select(shipped, HOAN_KIEM)
    return {lang: (selection, draw(selection, boundaries, lang=lang)) for lang in ("vi", "en")}


def the_maps(city, hoan_kiem):
    """Every page the overlap and index checks run on: (name, selection, figure, lang)."""
    pages = [(f"city-{p}-{lang}", s, f, lang) for (p, lang), (s, f) in city.items()]
    return pages + [(f"hoan-kiem-{lang}", s, f, lang) for lang, (s, f) in hoan_kiem.items()]


# --- measuring the drawn page -------------------------------------------------------------------------------


def map_axes(fig: Figure):
    return [ax for ax in fig.axes if ax.get_gid() in MAP_GIDS]


def bbox(extent) -> tuple[float, float, float, float]:
    return (float(extent.x0), float(extent.y0), float(extent.x1), float(extent.y1))


def overlap(a, b) -> bool:
    """Whether two pixel boxes share any area."""
    return min(a[2], b[2]) - max(a[0], b[0]) > 0 and min(a[3], b[3]) - max(a[1], b[1]) > 0


def dot_boxes(ax, fig: Figure) -> list[tuple[float, float, float, float]]:
    """Each dot's pixel box (marker, pie slice, ring or small dot), its edge included, those in the frame."""
    frame = bbox(ax.get_window_extent())
    boxes = []
    for coll in ax.collections:
        if not isinstance(coll, PathCollection):
            continue
        offsets = coll.get_offset_transform().transform(coll.get_offsets())
        sizes, paths, widths = coll.get_sizes(), coll.get_paths(), coll.get_linewidths()
        for i, (x, y) in enumerate(offsets):
            reach = np.abs(paths[i % len(paths)].vertices).max() * np.sqrt(sizes[i % len(sizes)]) * fig.dpi / 72
            reach += (widths[i % len(widths)] if len(widths) else 0) / 2 * fig.dpi / 72
            box = (x - reach, y - reach, x + reach, y + reach)
            if overlap(box, frame):
                boxes.append(box)
    return boxes


def text_boxes(ax, renderer) -> list[tuple[str, tuple[float, float, float, float]]]:
    return [
        (text.get_text(), bbox(text.get_window_extent(renderer)))
        for text in ax.texts
        if text.get_visible() and text.get_text().strip()
    ]


def overlaps_on(fig: Figure) -> list[str]:
    """Every label that overlaps a dot, another label, the scale bar or the north arrow, or leaves the frame."""
    renderer = fig.canvas.get_renderer()
    problems = []
    for ax in map_axes(fig):
        frame = bbox(ax.get_window_extent())
        dots = dot_boxes(ax, fig)
        texts = text_boxes(ax, renderer)
        marks = [(p.get_gid(), bbox(p.get_window_extent(renderer))) for p in ax.patches if p.get_gid() == "scale-bar"]
        marks += [
            ("north-arrow", bbox(a.arrow_patch.get_window_extent(renderer)))
            for a in ax.texts
            if a.get_gid() == "north-arrow"
        ]
        for k, (text, box) in enumerate(texts):
            problems += [f"{ax.get_gid()}: {text!r} on a dot" for d in dots if overlap(box, d)]
            problems += [f"{ax.get_gid()}: {text!r} on {other!r}" for other, b in texts[k + 1 :] if overlap(box, b)]
            problems += [f"{ax.get_gid()}: {text!r} on the {m}" for m, b in marks if overlap(box, b)]
            if not (box[0] > frame[0] and box[1] > frame[1] and box[2] < frame[2] and box[3] < frame[3]):
                problems.append(f"{ax.get_gid()}: {text!r} cut by the frame")
        for m, b in marks:
            problems += [f"{ax.get_gid()}: the {m} on a dot" for d in dots if overlap(b, d)]
    return problems


def numbers_in(text: str) -> set[int]:
    """The numbers a map label stands for: ``"3–5, 9"`` -> {3, 4, 5, 9}."""
    out: set[int] = set()
    for part in text.split(", "):
        low, _, high = part.partition("–")
        out.update(range(int(low), int(high or low) + 1))
    return out


def read_index(fig: Figure) -> list[dict]:
    """The index as printed, in reading order (columns left to right, top to bottom): id, number, name, x."""
    lines: dict[str, list] = defaultdict(list)
    numbers: dict[str, tuple[int, float, float]] = {}
    for text in fig.texts:
        kind, _, id_ = (text.get_gid() or "").partition(":")
        x, y = text.get_position()
        if kind == "index-name":
            lines[id_].append((-y, text.get_text()))
        elif kind == "index-number":
            numbers[id_] = (int(text.get_text()), round(x, 4), -y)
    assert set(lines) == set(numbers)
    entries = [
        {"id": i, "number": n, "name": " ".join(line for _, line in sorted(lines[i])), "x": x, "y": y}
        for i, (n, x, y) in numbers.items()
    ]
    return sorted(entries, key=lambda e: (e["x"], e["y"]))


def space_names(selection: Selection, lang: str) -> dict[str, str]:
    spaces = selection.spaces
    return {
        i: " ".join(schema.Label(vi, en).get(lang).split())
        for i, vi, en in zip(spaces[schema.ID], spaces[schema.NAME_VI], spaces[schema.NAME_EN], strict=True)
    }


def number_labels(fig: Figure):
    """(axes, annotation, member ids) of every number on the maps."""
    return [
        (ax, a, a.get_gid().partition(":")[2].split(","))
        for ax in map_axes(fig)
        for a in ax.texts
        if (a.get_gid() or "").startswith("number:")
    ]


def anchors_px(selection: Selection, ax) -> dict[str, np.ndarray]:
    """Each space's marker position (its representative point) in the axes' pixels."""
    spaces = selection.spaces
    points = gpd.GeoSeries(gpd.points_from_xy(spaces[schema.REP_LON], spaces[schema.REP_LAT]), crs=schema.CRS)
    proj = points.to_crs(schema.CRS_PROJECTED)
    xy = ax.transData.transform(np.column_stack([proj.x, proj.y]))
    return dict(zip(spaces[schema.ID], xy, strict=True))


# --- the city-wide and Hoàn Kiếm maps: zero overlaps, every space numbered ------------------------------------


def test_no_label_overlaps_a_dot_a_label_or_the_frame(city, hoan_kiem):
    for name, _, fig, _ in the_maps(city, hoan_kiem):
        assert overlaps_on(fig) == [], name


def test_the_overlap_check_sees_an_overlap(small, boundaries):
    # The check itself can fail: a number moved onto its dot, or out of the frame, is reported.
    fig = draw(creative_map.select(small), boundaries)
    assert overlaps_on(fig) == []
    _, label, _ = number_labels(fig)[0]
    label.xyann = (0, 0)
    fig.canvas.draw()
    assert any("on a dot" in p for p in overlaps_on(fig))
    label.xyann = (-5000, 0)
    fig.canvas.draw()
    assert any("cut by the frame" in p for p in overlaps_on(fig))


def test_the_city_map_has_an_inset_of_the_centre_and_its_heart(city):
    _, fig = city[("A4", "en")]
    assert sorted(ax.get_gid() for ax in map_axes(fig)) == ["inset", "inset-core", "map"]


def test_every_space_is_numbered_once_on_the_map_as_in_the_index(city, hoan_kiem):
    for name, selection, fig, _ in the_maps(city, hoan_kiem):
        index = {e["id"]: e["number"] for e in read_index(fig)}
        seen: list[str] = []
        for _, label, ids in number_labels(fig):
            assert numbers_in(label.get_text()) == {index[i] for i in ids}, (name, label.get_text())
            seen += ids
        assert sorted(seen) == sorted(selection.ids), name


def test_the_index_is_the_selection_numbered_in_order(city, hoan_kiem):
    for name, selection, fig, _ in the_maps(city, hoan_kiem):
        entries = read_index(fig)
        assert sorted(e["id"] for e in entries) == sorted(selection.ids), name  # the same ids, each once
        assert [e["number"] for e in entries] == list(range(1, len(selection) + 1)), name  # read in number order
        # By district (in the order of their names), then by place: each district's numbers are consecutive.
        district = dict(zip(selection.spaces[schema.ID], selection.spaces[schema.DISTRICT], strict=True))
        order = [district[e["id"]] for e in entries]
        runs = [d for k, d in enumerate(order) if k == 0 or d != order[k - 1]]
        assert len(runs) == len(set(runs)), name
        assert runs == sorted(runs, key=lambda d: fold(re.sub(r"^(Quận|Huyện|Thị xã) ", "", d))), name


def test_index_names_are_whole_and_distinct(city, hoan_kiem):
    for name, selection, fig, lang in the_maps(city, hoan_kiem):
        names = space_names(selection, lang)
        entries = read_index(fig)
        for e in entries:
            assert e["name"] == names[e["id"]], (name, e)  # the full name, wrapped maybe, never cut
            assert "…" not in e["name"] or "…" in names[e["id"]]
        assert len({e["name"] for e in entries}) == len(entries), name


def test_index_lines_stay_in_their_column_and_on_the_page(city, hoan_kiem):
    for name, _, fig, _ in the_maps(city, hoan_kiem):
        renderer = fig.canvas.get_renderer()
        texts = [t for t in fig.texts if (t.get_gid() or "").startswith(("index-", "index"))]
        boxes = [bbox(t.get_window_extent(renderer)) for t in texts]
        page = bbox(fig.bbox)
        for text, box in zip(texts, boxes, strict=True):
            assert box[0] >= page[0] and box[2] <= page[2] and box[1] >= page[1], (name, text.get_text())
        clashes = [
            (texts[i].get_text(), texts[j].get_text())
            for i in range(len(boxes))
            for j in range(i + 1, len(boxes))
            if overlap(boxes[i], boxes[j])
        ]
        assert clashes == [], name


def test_markers_stand_where_their_spaces_are_no_fan_out(city, hoan_kiem):
    for name, selection, fig, _ in the_maps(city, hoan_kiem):
        for ax, label, ids in number_labels(fig):
            at = ax.transData.transform(label.xy)
            anchors = anchors_px(selection, ax)
            members = np.array([anchors[i] for i in ids])
            if len(ids) == 1:
                assert np.hypot(*(members[0] - at)) < 0.5, (name, ids)  # a lone space is never moved
            else:
                assert np.allclose(members.mean(axis=0), at, atol=0.5), (name, ids)  # a group sits at its middle
                spread = np.hypot(*(members - at).T).max() / fig.dpi * 25.4
                assert spread < 6.0, (name, label.get_text(), spread)  # mm on paper: they are close anyway
        # The only lines drawn among the spaces are leaders from a marker to its own number.
        for ax in map_axes(fig):
            lines = [c for c in ax.collections if isinstance(c, LineCollection) and c.get_gid() == "leaders"]
            ends = [
                (ax.transData.transform(a.xy), bbox(a.get_window_extent(fig.canvas.get_renderer())))
                for x, a, _ in number_labels(fig)
                if x is ax
            ]
            for coll in lines:
                for segment in coll.get_segments():
                    start, end = ax.transData.transform(segment)
                    assert any(
                        np.hypot(*(start - m)) < 15
                        and b[0] - 2 <= end[0] <= b[2] + 2
                        and b[1] - 2 <= end[1] <= b[3] + 2
                        for m, b in ends
                    ), name


def test_land_outside_hanoi_is_grey_not_water(city, boundaries):
    _, fig = city[("A4", "en")]
    ax = next(a for a in map_axes(fig) if a.get_gid() == "map")
    rgba = np.asarray(fig.canvas.buffer_rgba())
    height = rgba.shape[0]
    wards = boundaries["ward_2025"].to_crs(schema.CRS_PROJECTED)
    hanoi = shapely.union_all(wards.geometry.values).buffer(500)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    covered = [shapely.box(*b) for b in (bbox(t.get_window_extent()) for t in ax.texts)]
    samples = []
    for gx in np.linspace(x0, x1, 25)[1:-1]:
        for gy in np.linspace(y0, y1, 25)[1:-1]:
            if hanoi.contains(shapely.Point(gx, gy)):
                continue
            px, py = ax.transData.transform((gx, gy))
            if any(c.buffer(4).contains(shapely.Point(px, py)) for c in covered):
                continue
            samples.append(rgba[height - round(py), round(px), :3].astype(int))
    assert len(samples) > 20  # the city-wide view does show land beyond Hanoi
    for r, g, b in samples:
        assert abs(r - g) <= 3 and abs(g - b) <= 3, (r, g, b)  # neutral grey, never a water blue


# --- the page's particulars ---------------------------------------------------------------------------------


def all_text(fig: Figure) -> str:
    texts = [t.get_text() for t in fig.texts]
    texts += [t.get_text() for ax in fig.axes for t in ax.texts]
    texts += [t.get_text() for legend in fig.legends for t in [legend.get_title(), *legend.get_texts()]]
    return "\n".join(texts)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_page_says_what_it_shows(small, boundaries, lang):
    selection = creative_map.select(small, Filter(categories=("art_space", "walking_street", "museum", "public_space")))
    fig = draw(selection, boundaries, lang=lang)
    text = all_text(fig)
    counts = selection.spaces[schema.CATEGORY].value_counts()
    expected = [
        t("export_title", lang),
        f"{len(selection)} {t('print_spaces', lang)}",
        describe_filter(selection.filter, lang),
        t("legend", lang),
        *(f"{schema.CATEGORIES[c].label.get(lang)} ({n})" for c, n in counts.items()),
        t("print_north", lang),
        DATE.isoformat(),
        source_citation(),
        LICENCE,
        t("print_crs", lang),
        t("print_note_district", lang),
        t("print_note_ward_2025", lang),
        t("print_outside", lang),
        t("print_index", lang),
    ]
    flat = " ".join(text.split())
    assert [e for e in expected if " ".join(e.split()) not in flat] == []
    assert re.search(r"\n\d+ (m|km)\n", f"\n{text}\n")  # the scale bar's length


def test_a_supplied_boundary_layer_is_named_as_supplied(small, boundaries):
    own = {"district": boundaries["district"].copy(), "ward_2025": boundaries["ward_2025"]}
    own["district"].attrs = {}
    fig = draw(creative_map.select(small), own, lang="en")
    text = all_text(fig)
    assert t("print_note_supplied", "en", level=t("boundaries_district", "en")) in text
    assert t("print_note_district", "en") not in text


# --- small sets: names, numbers, odd text -------------------------------------------------------------------


def test_names_are_printed_as_written_never_as_maths_or_cut(boundaries, write_json):
    odd = "Giá $5$ – 50% off: \\textbf{x} & <b>Cũ</b>"
    long = "Trung tâm thiết kế sáng tạo và giới thiệu sản phẩm làng nghề phía Nam Hà Nội " * 3
    spaces = [
        make_space(id="dau-la", name_vi=odd),
        make_space(105.8530, 21.0290, id="ten-dai", name_vi=long.strip()),
    ]
    selection = creative_map.select(creative_map.load(write_json(collection(*spaces))))
    fig = draw(selection, boundaries)
    names = {e["id"]: e["name"] for e in read_index(fig)}
    assert names == {"dau-la": odd, "ten-dai": " ".join(long.split())}
    lines = [t.get_text() for t in fig.texts if t.get_gid() == "index-name:ten-dai"]
    assert len(lines) > 2  # wrapped over lines, not cut
    assert overlaps_on(fig) == []


def test_two_spaces_of_one_name_read_differently(boundaries, write_json):
    twins = [
        make_space(id="a", name_vi="Xưởng gốm", ward_2025="Phường Hoàn Kiếm"),
        make_space(105.8437, 21.0300, id="b", name_vi="Xưởng gốm", ward_2025="Phường Cửa Nam"),
    ]
    selection = creative_map.select(creative_map.load(write_json(collection(*twins))))
    names = [e["name"] for e in read_index(draw(selection, boundaries))]
    assert len(set(names)) == 2 and all(n.startswith("Xưởng gốm (") for n in names)


def test_spaces_at_one_place_share_one_marker_with_all_their_numbers(boundaries, write_json):
    same = [make_space(id=f"cho-{k}", name_vi=f"Không gian {k}") for k in range(4)]
    selection = creative_map.select(creative_map.load(write_json(collection(*same))))
    fig = draw(selection, boundaries)
    labels = number_labels(fig)
    assert [(label.get_text(), sorted(ids)) for _, label, ids in labels] == [("1–4", sorted(selection.ids))]
    assert overlaps_on(fig) == []


def test_too_many_to_number_says_so_and_draws_every_dot(boundaries, write_json):
    grid = [
        make_space(105.80 + 0.002 * (k % 30), 21.00 + 0.002 * (k // 30), id=f"space-{k:04d}", name_vi=f"Không gian {k}")
        for k in range(900)
    ]
    selection = creative_map.select(creative_map.load(write_json(collection(*grid))))
    fig = draw(selection, boundaries, lang="en")
    assert [t.get_gid() for t in fig.texts if t.get_gid() == "too-many"] == ["too-many"]
    assert number_labels(fig) == [] and read_index(fig) == []
    dots = sum(len(c.get_offsets()) for ax in map_axes(fig) for c in ax.collections if c.get_gid() == "dots")
    assert dots == 900
    assert overlaps_on(fig) == []


def test_a_map_too_crowded_to_number_is_drawn_without_numbers(boundaries, write_json, monkeypatch):
    # Four spaces at one place on a map that allows no shared marker: rather than numbers on each other or
    # one marker for half the city, the page says it cannot number them and draws every dot.
    monkeypatch.setattr(_printpanel, "MAX_GROUP", 1)
    same = [make_space(id=f"cho-{k}", name_vi=f"Không gian {k}") for k in range(4)]
    selection = creative_map.select(creative_map.load(write_json(collection(*same))))
    fig = draw(selection, boundaries, lang="en")
    assert number_labels(fig) == [] and read_index(fig) == []
    assert [t.get_text() for t in fig.texts if t.get_gid() == "too-many"] != []
    assert sum(len(c.get_offsets()) for ax in map_axes(fig) for c in ax.collections if c.get_gid() == "dots") == 4
    assert overlaps_on(fig) == []


def test_number_ranges_and_wrapping():
    assert number_ranges([9, 3, 4, 5]) == "3–5, 9"
    assert number_ranges([1, 2]) == "1, 2"
    assert number_ranges([7]) == "7"
    assert wrap("một hai ba bốn", 7, len) == ["một hai", "ba bốn"]
    assert wrap("abcdefghij", 4, len) == ["abcd", "efgh", "ij"]  # a word longer than a line is broken, not cut


def test_hilbert_order_keeps_neighbours_together():
    x = np.array([0.0, 1.0, 0.0, 1.0, 100.0])
    y = np.array([0.0, 0.0, 1.0, 1.0, 100.0])
    keys = hilbert_keys(x, y)
    assert len(set(keys)) == 5 and keys[4] == max(keys)  # the far point comes last, the four near ones together


# --- the files ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "size"), [("A4", (2338, 1653)), ("A3", (3307, 2338))])
def test_png_print_map_size_and_drawn_content(small, boundaries, tmp_path, page, size):
    selection = creative_map.select(small, Filter(categories=("art_space", "museum")))
    path = export.export(selection, "png", tmp_path / "map.png", boundaries=boundaries, page=page, lang="en", date=DATE)
    raw = path.read_bytes()
    assert raw[:8] == b"\x89PNG\r\n\x1a\n" and raw[12:16] == b"IHDR"  # the header, read by hand
    assert struct.unpack(">II", raw[16:24]) == size
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == size  # landscape at 200 dpi: 297 x 210 mm -> 2338 x 1653 px
        colours = image.convert("RGB").getcolors(maxcolors=1 << 24)
    counts = {rgb: n for n, rgb in colours}
    assert counts.get((255, 255, 255), 0) < size[0] * size[1] * 0.8  # not blank: the base and the spaces are drawn
    for category in ("art_space", "museum"):
        rgb = tuple(int(schema.CATEGORIES[category].colour[i : i + 2], 16) for i in (1, 3, 5))
        assert counts.get(rgb, 0) > 20, f"no {category} marker drawn"
    hidden = tuple(int(schema.CATEGORIES["walking_street"].colour[i : i + 2], 16) for i in (1, 3, 5))
    assert counts.get(hidden, 0) == 0  # filtered out: not drawn
    assert counts.get((0xDF, 0xE8, 0xEE), 0) == 0  # the old pale blue "water" background is gone


@pytest.mark.parametrize(("page", "media_box"), [("A4", (841.89, 595.28)), ("A3", (1190.55, 841.89))])
def test_pdf_print_map_header_and_page_size(small, boundaries, tmp_path, page, media_box):
    path = export.export(creative_map.select(small), "pdf", tmp_path / "map.pdf", boundaries=boundaries, page=page)
    raw = path.read_bytes()
    assert raw.startswith(b"%PDF-1.")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", raw)
    assert len(boxes) == 1  # one page
    assert tuple(round(float(v), 2) for v in boxes[0]) == pytest.approx(media_box, abs=0.05)
    assert b"/FontFile2" in raw  # TrueType embedded: Vietnamese prints without the reader's fonts
    assert b"CreationDate" not in raw


def test_print_map_with_no_space_still_draws(small, boundaries, tmp_path):
    nothing = creative_map.select(small, Filter(search="khong co ten nay"))
    path = export.export(nothing, "png", tmp_path / "map.png", boundaries=boundaries, date=DATE)
    with Image.open(path) as image:
        assert image.size == (2338, 1653)
    fig = draw(nothing, boundaries, lang="en")
    assert t("print_none", "en") in all_text(fig)
    assert overlaps_on(fig) == []


def test_print_map_adds_an_inset_where_many_spaces_crowd(boundaries, write_json, tmp_path):
    # 90 spaces crowd in Hoàn Kiếm, one is 25 km north in Sóc Sơn: the centre gets an inset, and all are numbered.
    crowd = [
        make_space(
            105.845 + 0.0003 * (i % 9),
            21.024 + 0.0004 * (i // 9),
            id=f"space-{i:02d}",
            name_vi=f"Không gian {i}",
            category="art_space",
        )
        for i in range(90)
    ]
    far = make_space(
        105.8525,
        21.2622,
        id="soc-son",
        name_vi="Làng nghề Sóc Sơn",
        category="craft_village",
        district="Huyện Sóc Sơn",
        ward_2025="Xã Sóc Sơn",
    )
    selection = creative_map.select(creative_map.load(write_json(collection(*crowd, far))))
    fig = draw(selection, boundaries)
    assert "inset" in [ax.get_gid() for ax in map_axes(fig)]
    inset = next(ax for ax in map_axes(fig) if ax.get_gid() == "inset")
    numbered = [i for ax, _, ids in number_labels(fig) if ax is inset for i in ids]
    assert sorted(numbered) == sorted(i for i in selection.ids if i != "soc-son")
    assert overlaps_on(fig) == []
    path = export.export(selection, "png", tmp_path / "map.png", boundaries=boundaries, date=DATE)
    assert Path(path).stat().st_size > 0


def test_the_city_map_is_the_same_bytes_each_time(shipped, boundaries, tmp_path):
    selection = creative_map.select(shipped)
    shuffled = creative_map.select(Dataset(shipped.spaces.iloc[::-1], shipped.events))
    first = export.export(selection, "png", tmp_path / "a.png", boundaries=boundaries, date=DATE)
    second = export.export(shuffled, "png", tmp_path / "b.png", boundaries=boundaries, date=DATE)
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font:UserWarning")
@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_characters_the_font_cannot_load_do_not_stop_the_print_map(tmp_path, fmt):
    # Found by tests/test_fuzz.py: a private-use character made FreeType raise "No glyphs have been loaded"
    # while the index measured the name.
    path = tmp_path / "spaces.geojson"
    name = "\U000fc05fě[T\U0002e010?Ĺt\U000edca7 x"
    path.write_text(json.dumps(collection(make_space(name_vi=name, name_en=name))), encoding="utf-8")
    out = export.export(creative_map.select(creative_map.load(path)), fmt, tmp_path / f"map.{fmt}")
    assert out.stat().st_size > 1000
