"""What's on (`creative_map.events`): the selection's events sorted against a date the caller gives, each with
the selected spaces where it happens."""

from __future__ import annotations

import ast
import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import creative_map
from creative_map import Filter, events, export, load, select
from creative_map.events import Event, date_range_text, phase_of, whats_on

from .conftest import ROOT, collection, make_event, make_space, old_gallery, puppet_theatre

TODAY = dt.date(2026, 1, 10)
D = dt.date


@pytest.fixture
def data(write_json, three_spaces) -> Path:
    """Three spaces in Hoàn Kiếm and events on every side of 10 January 2026."""
    spaces = collection(
        *three_spaces["features"],
        make_space(105.8360, 21.0285, id="van-mieu", name_vi="Văn Miếu – Quốc Tử Giám", name_en="Temple of Literature",
                   district="Quận Đống Đa", ward_2025="Phường Văn Miếu - Quốc Tử Giám", address="58 Quốc Tử Giám",
                   category="heritage"),
    )  # fmt: skip
    at = {"space_ids": ["ho-hoan-kiem"]}
    write_json(
        collection(
            make_event(id="running", start="2026-01-05", end="2026-01-20", **at),
            make_event(id="today-only", start="2026-01-10", end="2026-01-10", **at),
            make_event(id="ends-today", start="2025-12-24", end="2026-01-10", **at),
            make_event(id="ended-yesterday", start="2026-01-09", end="2026-01-09", **at),
            make_event(id="long-ago", start="2021-12-24", end="2022-02-28", **at),
            make_event(id="later-this-month", start="2026-01-25", end="2026-01-26", **at),
            make_event(id="tomorrow", start="2026-01-11", end="2026-03-01", **at),
            make_event(id="next-month", start="2026-02-03", end="2026-02-03", **at),
            make_event(id="next-year", start="2027-01-01", end="2027-01-02", **at),
            make_event(
                id="two-places",
                name_vi="Hội chữ Xuân; thư pháp, “Bính Ngọ”",
                name_en="Spring calligraphy fair",
                start="2026-02-11",
                end="2026-03-01",
                space_ids=["van-mieu", "nha-hat-mua-roi-thang-long"],
                description_vi="Cho chữ đầu xuân.",
            ),
        ),
        "events.geojson",
    )
    return write_json(spaces)


def ids(found: tuple[Event, ...]) -> list[str]:
    return [e.id for e in found]


def test_events_fall_into_now_this_month_upcoming_and_past(data):
    on = whats_on(select(load(data)), today=TODAY)
    assert on.today == TODAY
    assert ids(on.now) == ["ends-today", "today-only", "running"]  # ending soonest first
    assert ids(on.this_month) == ["tomorrow", "later-this-month"]  # soonest first
    assert ids(on.upcoming) == ["next-month", "two-places", "next-year"]
    assert ids(on.past) == ["ended-yesterday", "long-ago"]  # most recent first
    assert ids(on.coming) == ids(on.now) + ids(on.this_month) + ids(on.upcoming)
    assert [p for p, _ in on.groups()] == list(events.PHASES)
    assert [p for p, _ in on.groups(include_past=False)] == ["now", "this_month", "upcoming"]


def test_every_event_is_in_exactly_one_group_and_past_ones_are_kept(data):
    selection = select(load(data))
    for day in (D(2021, 1, 1), D(2022, 1, 31), TODAY, D(2026, 1, 31), D(2026, 12, 31), D(2030, 6, 1)):
        on = whats_on(selection, today=day)
        grouped = [e.id for _, g in on.groups() for e in g]
        assert sorted(grouped) == sorted(selection.events["id"]) and len(on) == len(selection.events)
    everything_past = whats_on(selection, today=D(2030, 6, 1))
    assert len(everything_past.past) == len(selection.events) and everything_past.coming == ()


@pytest.mark.parametrize(
    "start,end,today,phase",
    [
        (D(2026, 1, 10), D(2026, 1, 10), D(2026, 1, 10), "now"),  # a one-day event on its day
        (D(2026, 1, 1), D(2026, 1, 10), D(2026, 1, 10), "now"),  # its last day
        (D(2026, 1, 1), D(2026, 1, 9), D(2026, 1, 10), "past"),
        (D(2026, 1, 31), D(2026, 2, 2), D(2026, 1, 30), "this_month"),  # the last day of the month
        (D(2026, 2, 1), D(2026, 2, 2), D(2026, 1, 31), "upcoming"),  # tomorrow, but next month
        (D(2027, 1, 1), D(2027, 1, 1), D(2026, 12, 31), "upcoming"),  # across the year
        (D(2027, 1, 5), D(2027, 1, 5), D(2026, 1, 1), "upcoming"),  # same month, next year
    ],
)
def test_phase_edges(start, end, today, phase):
    assert phase_of(start, end, today=today) == phase


@pytest.mark.parametrize("today", [dt.datetime(2026, 1, 10, 12, 0), "2026-01-10", None])
def test_today_must_be_a_day(data, today):
    with pytest.raises(ValueError, match="`today`"):
        whats_on(select(load(data)), today=today)


def test_each_event_carries_its_selected_spaces_for_the_map(data):
    dataset = load(data)
    fair = next(e for e in events.events_of(select(dataset)) if e.id == "two-places")
    assert fair.space_ids == ("van-mieu", "nha-hat-mua-roi-thang-long")
    assert [s.id for s in fair.spaces] == ["van-mieu", "nha-hat-mua-roi-thang-long"]  # the event's order
    temple = fair.spaces[0]
    assert (temple.name("vi"), temple.name("en")) == ("Văn Miếu – Quốc Tử Giám", "Temple of Literature")
    assert temple.address == "58 Quốc Tử Giám" and temple.category == "heritage"
    assert (temple.lon, temple.lat) == pytest.approx((105.8360, 21.0285))
    assert (fair.start, fair.end, fair.days) == (D(2026, 2, 11), D(2026, 3, 1), 19)
    assert fair.name("en") == "Spring calligraphy fair" and fair.description("en") == "Cho chữ đầu xuân."
    # Filtered to Hoàn Kiếm, the event is still there (the theatre is), with only the theatre to link to.
    hoan_kiem = select(dataset, Filter(districts=("Quận Hoàn Kiếm",)))
    fair_hk = next(e for e in events.events_of(hoan_kiem) if e.id == "two-places")
    assert fair_hk.space_ids == fair.space_ids and [s.id for s in fair_hk.spaces] == ["nha-hat-mua-roi-thang-long"]
    assert fair_hk.spaces[0].name("en") == "Thang Long Water Puppet Theatre"


def test_an_events_window_in_the_filter_narrows_what_is_on(data):
    window = select(load(data), Filter(event_start="2026-01-10", event_end="2026-01-31"))
    on = whats_on(window, today=TODAY)
    assert ids(on.past) == [] and "next-month" not in ids(on.upcoming)
    assert ids(on.now) == ["ends-today", "today-only", "running"]


def test_no_event_gives_empty_groups(write_json):
    on = whats_on(select(load(write_json(collection(make_space(), puppet_theatre(), old_gallery())))), today=TODAY)
    assert len(on) == 0 and on.groups() == []


def test_a_website_is_offered_only_when_it_is_http():
    base = {"id": "e", "name_vi": "A", "name_en": "", "start": TODAY, "end": TODAY, "space_ids": (), "spaces": ()}
    assert Event(**base, website="https://example.org/a").url == "https://example.org/a"
    assert Event(**base, website="javascript:alert(1)").url == ""
    assert Event(**base).name("en") == "A" and Event(**base).description("vi") == ""


@pytest.mark.parametrize(
    "start,end,vi,en",
    [
        (D(2026, 1, 9), D(2026, 1, 9), "9/1/2026", "9 Jan 2026"),
        (D(2026, 1, 9), D(2026, 1, 11), "9–11/1/2026", "9–11 Jan 2026"),
        (D(2026, 1, 30), D(2026, 3, 1), "30/1 – 1/3/2026", "30 Jan – 1 Mar 2026"),
        (D(2025, 12, 24), D(2026, 1, 4), "24/12/2025 – 4/1/2026", "24 Dec 2025 – 4 Jan 2026"),
    ],
)
def test_dates_read_as_people_write_them(start, end, vi, en):
    assert (date_range_text(start, end, "vi"), date_range_text(start, end, "en")) == (vi, en)


@pytest.mark.parametrize(
    "now,day",
    [
        (dt.datetime(2026, 1, 9, 16, 59, tzinfo=dt.UTC), D(2026, 1, 9)),
        (dt.datetime(2026, 1, 9, 17, 0, tzinfo=dt.UTC), D(2026, 1, 10)),  # midnight in Hanoi
        (dt.datetime(2026, 1, 9, 17, 30), D(2026, 1, 10)),  # naive: UTC
        (dt.datetime(2026, 1, 10, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=9))), D(2026, 1, 9)),  # Tokyo
    ],
)
def test_today_in_hanoi(now, day):
    assert events.hanoi_today(now) == day


def test_phase_headings_in_both_languages():
    assert [events.phase_label(p, "en") for p in events.PHASES] == ["On now", "Later this month", "Coming up",
                                                                    "Past events"]  # fmt: skip
    assert events.phase_label("now", "vi") == "Đang diễn ra"
    with pytest.raises(ValueError, match="`phase`"):
        events.phase_label("soon")  # type: ignore[arg-type]


def test_only_hanoi_today_reads_the_clock():
    """`whats_on` and the rest take the date they are given; the clock is read in one named place."""
    tree = ast.parse((ROOT / "creative_map" / "events.py").read_text(encoding="utf-8"))
    readers = []
    for func in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        for node in ast.walk(func):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"now", "today", "utcnow", "time", "monotonic"}
            ):
                readers.append(func.name)
    assert readers == ["hanoi_today"]


def test_the_shipped_events_are_all_listed_and_the_latest_comes_first_among_past_ones():
    selection = select(creative_map.load())
    on = whats_on(selection, today=D(2030, 1, 1))
    assert len(on.past) == len(selection.events) > 0
    ends = [e.end for e in on.past]
    assert ends == sorted(ends, reverse=True)
    assert all(e.spaces for e in on.past)  # every shipped event is linked to a space on the map


# --- the offline HTML map lists the events ------------------------------------------------------------------


class _Section(HTMLParser):
    """Reads the events section of a page: its headings and, per item, its text and links (stdlib parser)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.tags: list[str] = []
        self.headings: list[str] = []
        self.items: list[dict[str, Any]] = []
        self.links: list[dict[str, str | None]] = []
        self.seen_map_before = False
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "div" and "folium-map" in (a.get("class") or "") and not self.depth:
            self.seen_map_before = True
        if tag == "section" and a.get("class") == "cm-whats-on":
            self.depth = 1
            return
        if not self.depth:
            return
        self.tags.append(tag)
        if tag in ("h2", "h3"):
            self._heading = []
        elif tag == "li":
            self.items.append({"id": a.get("data-event"), "text": []})
        elif tag == "a":
            self.links.append(a)

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "section":
            self.depth = 0
        elif self.depth and tag in ("h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if not self.depth:
            return
        if self._heading is not None:
            self._heading.append(data)
        elif self.items:
            self.items[-1]["text"].append(data)


def read_section(page: str) -> _Section:
    parser = _Section()
    parser.feed(page)
    return parser


@pytest.fixture
def tricky(write_json, three_spaces) -> Path:
    """An event whose name and description carry markup, one with a link, one at a space not selected."""
    write_json(
        collection(
            make_event(id="markup", name_en="<script>alert(1)</script> & “Tết”", start="2026-01-09",
                       end="2026-01-11", website="https://example.org/?a=1&b=<2>"),
            make_event(id="old", start="2024-11-09", end="2024-11-17",
                       space_ids=["phong-tranh-cu", "nha-hat-mua-roi-thang-long"]),
            make_event(id="soon", start="2026-03-01", end="2026-03-01", space_ids=["nha-hat-mua-roi-thang-long"]),
        ),
        "events.geojson",
    )  # fmt: skip
    return write_json(three_spaces)


def test_the_offline_map_lists_the_events_after_the_map_upcoming_first(data):
    page = export.download(select(load(data)), "html", lang="en", date=TODAY).data.decode("utf-8")
    section = read_section(page)
    assert section.seen_map_before  # below the map in reading order (beside it on a wide screen, by style)
    assert section.headings == ["What's on", "On now", "Later this month", "Coming up", "Past events"]
    assert [i["id"] for i in section.items] == [
        "ends-today", "today-only", "running", "tomorrow", "later-this-month", "next-month", "two-places",
        "next-year", "ended-yesterday", "long-ago",
    ]  # fmt: skip
    texts = {i["id"]: "".join(i["text"]) for i in section.items}
    assert texts["two-places"] == (
        "11 Feb – 1 Mar 2026Spring calligraphy fairAt: Temple of Literature, Thang Long Water Puppet Theatre"
    )
    assert "As of 10 Jan 2026" in page


def test_the_offline_events_are_escaped_and_only_http_links_are_made(tricky):
    dataset = load(tricky)
    page = export.download(select(dataset), "html", lang="en", date=TODAY).data.decode("utf-8")
    section = read_section(page)
    assert [i["id"] for i in section.items] == ["markup", "soon", "old"]
    texts = {i["id"]: "".join(i["text"]) for i in section.items}
    assert "<script>alert(1)</script> & “Tết”" in texts["markup"]  # as text, not as markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; “Tết”" in page and "<script>alert(1)" not in page
    assert section.links == [
        {"href": "https://example.org/?a=1&b=<2>", "target": "_blank", "rel": "noopener noreferrer"}
    ]
    assert "script" not in section.tags
    # Filtered to the theatre, "old" names the one of its two spaces shown and says there is another.
    theatre = select(dataset, Filter(search="mua roi"))
    section = read_section(export.download(theatre, "html", lang="vi", date=TODAY).data.decode("utf-8"))
    texts = {i["id"]: "".join(i["text"]) for i in section.items}
    assert texts["old"] == "9–17/11/2024Lễ hộiTại: Nhà hát Múa rối Thăng Long và 1 nơi khác"


def test_without_events_the_offline_map_has_no_list_and_keeps_the_whole_page(write_json, three_spaces):
    page = export.download(select(load(write_json(three_spaces))), "html", date=TODAY).data.decode("utf-8")
    assert "cm-whats-on" not in page


@pytest.mark.e2e
@pytest.mark.parametrize("width,height,beside", [(1280, 800, True), (390, 844, False)])
def test_the_offline_list_sits_beside_the_map_on_a_desktop_and_below_it_on_a_phone(
    data, tmp_path, browser, width, height, beside
):
    path = export.export(select(load(data)), "html", tmp_path / "map.html", lang="en", date=TODAY)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    try:
        page.goto(path.as_uri())
        page.wait_for_function("document.querySelector('.folium-map').dataset.cmCount === '4'")
        the_map = page.locator(".folium-map").bounding_box()
        listing = page.locator(".cm-whats-on").bounding_box()
        assert the_map and listing
        assert the_map["width"] >= 0.6 * width and the_map["height"] >= 0.6 * height  # the map stays the main thing
        if beside:
            assert the_map["x"] + the_map["width"] <= listing["x"] + 0.5 and listing["x"] + listing["width"] <= width
            assert listing["y"] == 0 and listing["height"] == height  # a column of its own, scrolled alone
        else:
            assert the_map["y"] + the_map["height"] <= listing["y"] + 0.5 and listing["width"] <= width
        heading = page.get_by_role("heading", name="On now")
        heading.scroll_into_view_if_needed()
        assert heading.is_visible()
    finally:
        page.close()


def test_the_offline_page_has_a_title_a_language_and_a_list_a_keyboard_can_scroll(data):
    """axe-core: a page needs a <title> and <html lang>; the events column scrolls on its own on a wide screen,
    so it must take the focus (tests/e2e/test_accessibility_e2e.py runs axe itself)."""
    for lang, title in (("vi", "Mạng lưới không gian sáng tạo Hà Nội"), ("en", "Hanoi creative-space network")):
        page = export.download(select(load(data)), "html", lang=lang, date=TODAY).data.decode("utf-8")
        assert f'<html lang="{lang}">' in page and f"<title>{title}</title>" in page
        assert re.search(r'<section class="cm-whats-on"[^>]* tabindex="0"', page)
