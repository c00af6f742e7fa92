"""The iCalendar export (`creative-map export --format ics`), read back twice: by `icalendar` (the library that
wrote it) and by a strict reader written here from RFC 5545 (CRLF, lines of at most 75 octets never split inside
a character, folding, BEGIN/END nesting, required properties, TEXT escaping), which did not write it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import icalendar
import pytest

import creative_map
from creative_map import Filter, export, i18n, types
from creative_map.cli import main
from creative_map.export import calendar
from creative_map.export.registry import REGISTRY

from .conftest import collection, make_event, make_space

DATE = dt.date(2026, 11, 27)
TRICKY_VI = "Hội chữ Xuân; thư pháp, “Bính Ngọ” \\ Tết"
TRICKY_DESCRIPTION = "Dòng một: cho chữ, xin chữ; thưởng trà.\nDòng hai – “đầu xuân”."


# --- a strict reader, from RFC 5545 -------------------------------------------------------------------------


@dataclasses.dataclass
class Component:
    name: str
    properties: list[tuple[str, dict[str, str], str]] = dataclasses.field(default_factory=list)
    children: list[Component] = dataclasses.field(default_factory=list)

    def values(self, name: str) -> list[str]:
        return [v for n, _, v in self.properties if n == name]

    def one(self, name: str) -> str:
        found = self.values(name)
        assert len(found) == 1, f"{self.name} has {len(found)} {name}"
        return found[0]

    def params(self, name: str) -> dict[str, str]:
        return next(p for n, p, _ in self.properties if n == name)


_PARAM = r';([A-Za-z0-9-]+)=("[^"]*"|[^";:,]*)'
_CONTENT_LINE = re.compile(rf"^([A-Za-z0-9-]+)((?:{_PARAM})*):(.*)$")


def read_ics(data: bytes) -> Component:
    """Parse an iCalendar stream strictly; fail on anything RFC 5545 does not allow that the export could do."""
    assert data.endswith(b"\r\n"), "the last line must end with CRLF"
    physical = data.split(b"\r\n")[:-1]
    logical: list[bytes] = []
    for number, line in enumerate(physical, 1):
        assert b"\r" not in line and b"\n" not in line, f"line {number}: a bare CR or LF"
        assert len(line) <= 75, f"line {number} is {len(line)} octets long (75 at most)"
        line.decode("utf-8")  # folding must not split a UTF-8 character: each physical line decodes on its own
        if line[:1] in (b" ", b"\t"):
            assert logical, "a continuation before any line"
            logical[-1] += line[1:]
        else:
            assert line, f"line {number} is empty"
            logical.append(line)
    stack: list[Component] = []
    root: Component | None = None
    for raw in logical:
        text = raw.decode("utf-8")
        match = _CONTENT_LINE.match(text)
        assert match, f"not a content line: {text!r}"
        name = match.group(1).upper()
        params = {k.upper(): v.strip('"') for k, v in re.findall(_PARAM, match.group(2))}
        value = match.group(len(match.groups()))
        if name == "BEGIN":
            component = Component(value.upper())
            if stack:
                stack[-1].children.append(component)
            else:
                assert root is None, "two top-level components"
                root = component
            stack.append(component)
        elif name == "END":
            assert stack and stack[-1].name == value.upper(), f"END:{value} does not close {stack[-1].name}"
            stack.pop()
        else:
            assert stack, f"{name} outside a component"
            stack[-1].properties.append((name, params, value))
    assert root is not None and not stack, "unclosed component"
    return root


def unescape_text(value: str, *, multiple: bool = False) -> list[str]:
    """RFC 5545 3.3.11: backslash escapes; an unescaped comma separates values (only where several are allowed),
    an unescaped semicolon is never TEXT."""
    out, current, chars = [], [], iter(value)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            assert nxt in ("\\", ";", ",", "n", "N"), f"bad escape \\{nxt} in {value!r}"
            current.append("\n" if nxt in "nN" else nxt)
        elif ch == ",":
            assert multiple, f"unescaped comma in a single TEXT value: {value!r}"
            out.append("".join(current))
            current = []
        else:
            assert ch != ";", f"unescaped semicolon in TEXT: {value!r}"
            assert ch == "\t" or ord(ch) >= 0x20, f"control character in TEXT: {value!r}"
            current.append(ch)
    out.append("".join(current))
    return out


def text(component: Component, name: str) -> str:
    (value,) = unescape_text(component.one(name))
    return value


def validate_calendar(data: bytes) -> Component:
    """Read `data` strictly and check what RFC 5545 requires of a calendar and of its events."""
    cal = read_ics(data)
    assert cal.name == "VCALENDAR"
    assert cal.one("VERSION") == "2.0" and cal.one("PRODID")
    for event in cal.children:
        assert event.name == "VEVENT"
        assert event.one("UID") and re.fullmatch(r"\d{8}T\d{6}Z", event.one("DTSTAMP"))
        assert event.params("DTSTART") == {"VALUE": "DATE"} == event.params("DTEND")
        start = dt.datetime.strptime(event.one("DTSTART"), "%Y%m%d").date()
        end = dt.datetime.strptime(event.one("DTEND"), "%Y%m%d").date()
        assert end > start  # DTEND is exclusive: at least the day after
        for name in ("SUMMARY", "DESCRIPTION", "LOCATION"):
            for value in event.values(name):
                unescape_text(value)
    return cal


# --- the data -----------------------------------------------------------------------------------------------


@pytest.fixture
def data(write_json, three_spaces) -> Path:
    """Spaces in Hoàn Kiếm and Đống Đa; an event with commas, semicolons, a backslash, a newline and Vietnamese
    at a space in each district, a one-day event, and an event only in Đống Đa."""
    temple = make_space(
        105.8360, 21.0285, id="van-mieu", name_vi="Văn Miếu – Quốc Tử Giám", name_en="Temple of Literature",
        district="Quận Đống Đa", ward_2025="Phường Văn Miếu - Quốc Tử Giám", address="58 Quốc Tử Giám, Đống Đa",
        category="heritage",
    )  # fmt: skip
    write_json(
        collection(
            make_event(
                id="hoi-chu-xuan-2026",
                name_vi=TRICKY_VI,
                name_en="Spring calligraphy fair, 2026; Year of the Horse",
                start="2026-02-11",
                end="2026-03-01",
                space_ids=["van-mieu", "nha-hat-mua-roi-thang-long"],
                description_vi=TRICKY_DESCRIPTION,
                description_en="Calligraphers write New Year wishes.",
                website="https://example.org/hoi-chu?year=2026&lang=vi",
                plan_item="3.1.3",
                sources=["https://example.org/a", "https://example.org/b"],
            ),
            make_event(id="mot-ngay", start="2026-12-31", end="2026-12-31"),
            make_event(id="chi-dong-da", start="2026-05-01", end="2026-05-02", space_ids=["van-mieu"]),
        ),
        "events.geojson",
    )
    return write_json(collection(*three_spaces["features"], temple))


def ics(selection: creative_map.Selection, lang: types.Lang = "vi", date: dt.date = DATE) -> bytes:
    return export.download(selection, "ics", lang=lang, date=date).data


def events_by_uid(cal: Component) -> dict[str, Component]:
    return {e.one("UID"): e for e in cal.children}


def test_one_event_per_event_with_all_day_dates_and_stable_uids(data):
    selection = creative_map.select(creative_map.load(data))
    cal = validate_calendar(ics(selection))
    found = events_by_uid(cal)
    assert sorted(found) == sorted(f"{i}@{calendar.UID_DOMAIN}" for i in selection.events["id"])
    fair = found["hoi-chu-xuan-2026@creative-map.invalid"]
    assert (fair.one("DTSTART"), fair.one("DTEND")) == ("20260211", "20260302")  # last day 1 March: exclusive end
    one_day = found["mot-ngay@creative-map.invalid"]
    assert (one_day.one("DTSTART"), one_day.one("DTEND")) == ("20261231", "20270101")
    assert {e.one("DTSTAMP") for e in cal.children} == {"20261127T000000Z"}  # the export date, not the clock
    assert {e.one("TRANSP") for e in cal.children} == {"TRANSPARENT"}


def test_text_survives_escaping_in_both_readers(data):
    selection = creative_map.select(creative_map.load(data))
    data_vi = ics(selection, "vi")
    fair = events_by_uid(validate_calendar(data_vi))["hoi-chu-xuan-2026@creative-map.invalid"]
    assert text(fair, "SUMMARY") == TRICKY_VI and fair.params("SUMMARY") == {"LANGUAGE": "vi"}
    assert r"\;" in fair.one("SUMMARY") and r"\," in fair.one("SUMMARY") and "\\\\" in fair.one("SUMMARY")
    description = text(fair, "DESCRIPTION")
    assert description.startswith(TRICKY_DESCRIPTION + "\n\n")  # the chosen language first, newline kept
    assert "Spring calligraphy fair, 2026; Year of the Horse: Calligraphers write New Year wishes." in description
    assert "Nguồn: https://example.org/a https://example.org/b" in description
    assert text(fair, "LOCATION") == (
        "Văn Miếu – Quốc Tử Giám (58 Quốc Tử Giám, Đống Đa); Nhà hát Múa rối Thăng Long (57B Đinh Tiên Hoàng)"
    )
    assert unescape_text(fair.one("CATEGORIES"), multiple=True) == [
        "Không gian sáng tạo di sản, văn hóa",
        "Không gian nghệ thuật",
        "Kế hoạch 161/KH-UBND, mục 3.1.3",
    ]
    assert fair.one("GEO") == "21.0285;105.836"  # the first space: the temple
    assert fair.one("URL") == "https://example.org/hoi-chu?year=2026&lang=vi"
    # The library that wrote it reads the same.
    parsed = icalendar.Calendar.from_ical(data_vi)
    (ical_fair,) = [e for e in parsed.walk("VEVENT") if str(e["UID"]).startswith("hoi-chu-xuan")]
    assert str(ical_fair["SUMMARY"]) == TRICKY_VI and str(ical_fair["DESCRIPTION"]) == description
    assert ical_fair.decoded("DTSTART") == dt.date(2026, 2, 11) and ical_fair.decoded("DTEND") == dt.date(2026, 3, 2)
    assert (ical_fair["GEO"].latitude, ical_fair["GEO"].longitude) == (21.0285, 105.836)
    assert [str(c) for c in ical_fair["CATEGORIES"].cats] == unescape_text(fair.one("CATEGORIES"), multiple=True)


def test_the_summary_follows_the_language_and_the_description_has_both(data):
    selection = creative_map.select(creative_map.load(data))
    fair = events_by_uid(validate_calendar(ics(selection, "en")))["hoi-chu-xuan-2026@creative-map.invalid"]
    assert text(fair, "SUMMARY") == "Spring calligraphy fair, 2026; Year of the Horse"
    description = text(fair, "DESCRIPTION")
    assert description.startswith("Calligraphers write New Year wishes.\n\n" + TRICKY_VI + ": " + TRICKY_DESCRIPTION)
    assert "Sources: " in description
    assert unescape_text(fair.one("CATEGORIES"), multiple=True)[-1] == "Plan 161/KH-UBND, item 3.1.3"


def test_the_calendar_holds_the_selections_events_at_the_selected_spaces(data):
    dataset = creative_map.load(data)
    hoan_kiem = creative_map.select(dataset, Filter(districts=("Quận Hoàn Kiếm",)))
    found = events_by_uid(validate_calendar(ics(hoan_kiem)))
    assert sorted(found) == ["hoi-chu-xuan-2026@creative-map.invalid", "mot-ngay@creative-map.invalid"]
    fair = found["hoi-chu-xuan-2026@creative-map.invalid"]
    assert text(fair, "LOCATION").startswith("Nhà hát Múa rối Thăng Long")  # the temple is not selected
    assert fair.one("GEO") == "21.0318;105.8535"


def test_a_website_that_is_not_http_is_left_out(data):
    selection = creative_map.select(creative_map.load(data))
    frame = selection.events.copy()
    frame["website"] = ["javascript:alert(1)", "ftp://example.org/x", "http://example.org/ok"]
    found = events_by_uid(validate_calendar(ics(dataclasses.replace(selection, events=frame))))
    assert [e.values("URL") for e in found.values()] == [[], [], ["http://example.org/ok"]]


def test_the_same_data_gives_the_same_bytes_and_the_date_only_moves_dtstamp(data):
    selection = creative_map.select(creative_map.load(data))
    first, again = ics(selection), ics(selection)
    assert first == again
    later = ics(selection, date=dt.date(2027, 1, 2))
    assert first.replace(b"DTSTAMP:20261127T000000Z", b"DTSTAMP:20270102T000000Z") == later


def test_no_event_gives_an_empty_calendar_that_still_reads(write_json, three_spaces):
    selection = creative_map.select(creative_map.load(write_json(three_spaces)))
    cal = validate_calendar(ics(selection))
    assert cal.children == [] and len(icalendar.Calendar.from_ical(ics(selection)).walk("VEVENT")) == 0


def test_the_shipped_events_make_a_valid_calendar_in_both_languages():
    selection = creative_map.select(creative_map.load())
    for lang in types.LANGS:
        data = ics(selection, lang)
        cal = validate_calendar(data)
        assert len(cal.children) == len(selection.events) > 0
        assert len(icalendar.Calendar.from_ical(data).walk("VEVENT")) == len(selection.events)
        assert max(len(line) for line in data.split(b"\r\n")) == 75  # long Vietnamese lines were folded


def test_the_command_line_writes_the_calendar(data, tmp_path, capsys):
    out = tmp_path / "events.ics"
    args = ["--data", str(data), "export", "--format", "ics", "-o", str(out), "--lang", "en"]
    assert main([*args, "--date", "2026-11-27", "--district", "Quận Đống Đa"]) == 0
    found = events_by_uid(validate_calendar(out.read_bytes()))
    assert sorted(found) == ["chi-dong-da@creative-map.invalid", "hoi-chu-xuan-2026@creative-map.invalid"]
    assert f"{out}: 1 of 4 spaces as ics" in capsys.readouterr().out


def test_ics_is_a_format_everywhere_formats_are_listed():
    assert "ics" in types.FORMATS and REGISTRY["ics"].writer is calendar.write_ics
    assert (export.SUFFIXES["ics"], export.MIME_TYPES["ics"]) == (".ics", "text/calendar")
    assert export.file_name("ics") == "creative_map.ics"
    assert REGISTRY["ics"].member is not None and REGISTRY["ics"].member.name == "events.ics"  # in the bundle
    assert i18n.t("fmt_ics", "en") == "Events calendar, iCalendar (.ics)"  # the app's download list
