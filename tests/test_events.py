"""What's on (`creative_map.events`): the selection's events sorted against a date the caller gives, each with
the selected spaces where it happens."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

import creative_map
from creative_map import Filter, events, load, select
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
