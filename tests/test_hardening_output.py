"""Issue 11, the argument, output and display side: strict arguments, escaped notices, CSV cells that run no
formula, and no leftover of an interrupted write.

The Markdown checks model what Streamlit's renderer (react-markdown with remark-gfm, remark-directive,
remark-math and remark-emoji, as in ``streamlit/static``) turns into a link, an image or a format: a construct
that starts at an unescaped punctuation character, and GFM's literal links, which it finds in the text *after*
the backslash escapes are read (so escaping alone does not stop them). The browser test at the end shows the
same notices in the real renderer.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import creative_map
from creative_map import atomic, boundaries, urlstate
from creative_map import export as exports
from creative_map.cli import EXIT_DATA, EXIT_USAGE, main
from creative_map.cli.common import render, terminal_text
from creative_map.query import Filter
from creative_map.text import clip, csv_cell, escape_markdown

from .conftest import ROOT, collection, make_space

# ------------------------------------------------------------------------------------------------ helpers

LONG = "ĐỐNG" + "x" * 5_000  # a long value: messages quote only its start
ACTIVE = set("[]()<>!*_`~&$:@#|^{}\\")
"""Punctuation that starts an inline construct in Streamlit's Markdown when it is not escaped (a ``:`` only
when a name, a shortcode or ``//`` follows it: the sentences around a value end in ``: ``)."""
AUTOLINKS = (
    re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.IGNORECASE),  # remark-gfm, after escapes
    re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)"),
)
SHORTCODE = re.compile(r":[\w+-]+:")  # remark-emoji, and Streamlit's :material_icon:
HOSTILE = [
    "[official document: click here](https://evil.example)",
    "![x](https://evil.example/x.png)",
    "<img src=https://evil.example/x.png onerror=alert(1)>",
    "<a href='https://evil.example'>official</a>",
    "**bold** __strong__ *em* _em_ ~~gone~~ ~gone~",
    "`code` ``code``",
    "https://evil.example/login www.evil.example contact@evil.example",
    "[ref]: https://evil.example",
    "[click][ref] [^1]",
    "\n\n# Heading\n\n> quote\n\n- item\n1. item\n    code\n---",
    ":red[coloured] :material/warning: :smile: $E=mc^2$ $$x$$",
    "&lt;b&gt; &#x5B;link&#x5D;(https://evil.example) &amp;",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "line\u2028break\u202eevil\u200b\x00\x1b[31m\ud800",
    "<https://evil.example> <mailto:a@evil.example>",
    "x" * 10_000,
]


def unescape(markdown: str) -> str:
    """The text CommonMark reads from `markdown` (backslash escapes of ASCII punctuation resolved)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def markdown_problems(markdown: str) -> list[str]:
    """What in `markdown` Streamlit's renderer could make into a link, an image, HTML or a format."""
    problems = []
    i = 0
    while i < len(markdown):
        ch = markdown[i]
        if ch == "\\" and i + 1 < len(markdown):
            i += 2
            continue
        if ch in ACTIVE and not (ch == ":" and markdown[i + 1 : i + 2] in ("", " ", "\u2060")):
            problems.append(f"unescaped {ch!r} at {i}: {markdown[max(0, i - 20) : i + 20]!r}")
        i += 1
    if any(unicodedata.category(c) in ("Cc", "Cs") or c in "\u2028\u2029\u202e" for c in markdown):
        problems.append("a line break or control character")
    text = unescape(markdown)
    problems += [f"literal link {m[0]!r}" for pattern in AUTOLINKS for m in pattern.finditer(text)]
    problems += [f"shortcode {m[0]!r}" for m in SHORTCODE.finditer(text)]
    return problems


def shown(markdown: str) -> str:
    """What a reader sees of `markdown` (escapes resolved, the invisible word joiners gone)."""
    return unescape(markdown).replace("\u2060", "")


def usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run the command line, expect a usage error (exit 2); return what it printed on stderr."""
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert "usage: creative-map" in err and "Traceback" not in err
    return err


@pytest.fixture
def data(write_json: Any, three_spaces: dict[str, Any]) -> str:
    return str(write_json(three_spaces))


# ---------------------------------------------------------------------------------- arguments, strictly


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["stats", "--events-from", "notadate"], "--events-from"),
        (["stats", "--events-from", "2025-1-5"], "--events-from"),  # not another date: an error
        (["gaps", "--events-to", "2025-02-30"], "--events-to"),
        (["near", "105.85", "21.03", "--events-to", "20250105"], "--events-to"),
        (["export", "-f", "csv", "-o", "x.csv", "--date", "20250105"], "--date"),  # fromisoformat takes it
        (["export", "-f", "csv", "-o", "x.csv", "--date", "2025-W01-1"], "--date"),
        (["gaps", "--distance", "nan"], "--distance"),
        (["gaps", "--distance", "inf"], "--distance"),
        (["gaps", "--distance", "1e999"], "--distance"),
        (["gaps", "--distance", "-5"], "--distance"),
        (["gaps", "--distance", "0"], "--distance"),
        (["near", "105.85", "21.03", "--radius", "nan"], "--radius"),
        (["near", "105.85", "21.03", "--radius", "-inf"], "--radius"),
        (["near", "nan", "21.03"], "LON"),
        (["near", "105.85", "inf"], "LAT"),
        (["near", "105.85", "north"], "LAT"),
        (["stats", "--category", "spaceship"], "--category"),
        (["stats", "--category", "museum,spaceship"], "--category"),
        (["stats", "--status", "open"], "--status"),
        (["stats", "--member", "maybe"], "--member"),
        (["stats", "--plan-item", "9.9"], "--plan-item"),
        (["stats", "--plan-item", "3.1.2.z"], "--plan-item"),
        (["stats", "--district", "Quận Atlantis"], "--district"),
        (["validate", "--max-bytes", "-1"], "--max-bytes"),
        (["validate", "--max-bytes", "1e3"], "--max-bytes"),
        (["stats", "-o", ""], "-o/--output"),
        (["export", "-f", "csv", "-o", ""], "-o/--output"),
    ],
)
def test_a_bad_argument_is_a_usage_error_naming_it(argv: list[str], named: str, data: str, capsys: Any) -> None:
    err = usage_error(["--data", data, *argv], capsys)
    assert f"argument {named}:" in err


@pytest.mark.parametrize(
    ("option", "known"),
    [
        ("--category", "heritage, education, museum"),
        ("--status", "active, planned"),
        ("--member", "yes, no"),
        ("--plan-item", "3.1.1.a, 3.1.1.b"),
    ],
)
def test_an_unknown_filter_value_lists_the_known_ones(option: str, known: str, capsys: Any) -> None:
    err = usage_error(["stats", option, "nope"], capsys)
    assert f"argument {option}: 'nope' is not known; known: " in err and known in err


@pytest.mark.parametrize(
    "argv",
    [
        ["stats", "--district", LONG],
        ["stats", "--category", LONG],
        ["stats", "--search", LONG],
        ["stats", "--events-from", LONG],
        ["gaps", "--distance", LONG],
        ["near", LONG, "21"],
        ["stats", "--by", LONG],  # argparse's own "invalid choice" message
        ["stats", LONG],  # argparse's "unrecognized arguments"
        ["export", "-f", LONG, "-o", "x.csv"],
    ],
)
def test_a_message_quotes_at_most_80_characters_of_a_value(argv: list[str], capsys: Any) -> None:
    err = usage_error(argv, capsys)
    assert LONG[:40] in err  # the value is named ...
    assert LONG[:81] not in err and len(err) < 2_000  # ... by its start only


def test_a_reversed_event_window_is_a_usage_error(data: str, capsys: Any) -> None:
    err = usage_error(["stats", "--data", data, "--events-from", "2026-05-01", "--events-to", "2026-01-01"], capsys)
    assert "--events-from 2026-05-01 is after --events-to 2026-01-01" in err
    assert main(["stats", "--data", data, "--events-from", "2026-01-01", "--events-to", "2026-01-01"]) == 0


def test_near_with_the_latitude_first_says_so(data: str, capsys: Any) -> None:
    err = usage_error(["near", "21.02", "105.85", "--data", data], capsys)
    assert "the first number looks like a latitude" in err and "did you mean near 105.85 21.02?" in err
    err = usage_error(["near", "200", "21", "--data", data], capsys)
    assert "LON LAT: 200.0 21.0 is not a longitude (-180 to 180) and a latitude (-90 to 90)" in err
    assert main(["near", "105.85", "21.02", "--radius", "3000", "--data", data, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("force", [[], ["--force"]])
@pytest.mark.parametrize("command", [["stats"], ["export", "-f", "csv"]])
def test_an_output_that_is_a_folder_is_refused_clearly(
    command: list[str], force: list[str], data: str, tmp_path: Path, capsys: Any
) -> None:
    err = usage_error([*command, "--data", data, "-o", str(tmp_path), *force], capsys)
    assert "argument -o/--output:" in err and "is a folder: give the name of a file in it" in err
    assert "exists" not in err  # not the confusing "exists; use --force"
    err = usage_error([*command, "--data", data, "-o", f"{tmp_path}/new/", *force], capsys)
    assert "is a folder" in err
    assert [p.name for p in tmp_path.iterdir()] == [Path(data).name]  # nothing written


def test_an_output_under_a_file_or_where_nothing_can_be_written_fails_before_any_work(
    data: str, tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    err = usage_error(["stats", "--data", data, "-o", f"{data}/stats.csv"], capsys)
    assert "is a file, not a folder" in err
    if not Path("/proc/self").exists():
        pytest.skip("needs /proc, where no file can be created even by root")

    def no_work(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the command did its work before checking its output")

    monkeypatch.setattr(creative_map, "load", no_work)
    for argv in (["stats", "-o", "/proc/stats.csv"], ["export", "-f", "gpkg", "-o", "/proc/out/x.gpkg"]):
        assert main([*argv, "--data", data]) == EXIT_DATA
        err = capsys.readouterr().err
        assert err.startswith("error: -o /proc/") and "no file can be created in /proc" in err


def test_boundaries_build_checks_out_before_computing(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    def no_build(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the layers were computed before --out was checked")

    monkeypatch.setattr(boundaries, "build_layers", no_build)
    a_file = tmp_path / "a_file"
    a_file.write_text("not a folder", encoding="utf-8")
    for place in (a_file, a_file / "sub"):
        err = usage_error(["boundaries", "build", "--out", str(place)], capsys)
        assert "argument --out:" in err and "is a file" in err
    usage_error(["boundaries", "build", "--out", ""], capsys)
    with pytest.raises(NotADirectoryError):  # the library checks first too
        boundaries.build_boundaries(a_file)
    if Path("/proc/self").exists():
        assert main(["boundaries", "build", "--out", "/proc/creative_map_layers"]) == EXIT_DATA
        assert "--out /proc/creative_map_layers: no file can be created in /proc" in capsys.readouterr().err
        with pytest.raises(PermissionError, match="no file can be created in /proc"):
            boundaries.build_boundaries("/proc/creative_map_layers")


def test_what_the_command_line_prints_cannot_drive_the_terminal(capsys: Any) -> None:
    assert terminal_text("a\x1b[31mb\rc\n\td\u202ee\ud800 Đống") == "a\\x1b[31mb\\rc\n\td\\u202ee\\ud800 Đống"
    assert main(["stats", "--data", "missing\x1b]0;pwned\x07.geojson"]) == EXIT_DATA
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "missing\\x1b]0;pwned\\x07.geojson" in err
    err = usage_error(["stats", "\x1b]0;pwned\x07"], capsys)  # argparse's "unrecognized arguments"
    assert "\x1b" not in err and "\\x1b]0;pwned\\x07" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["stats", "--boundaries", "{fifo}"],
        ["gaps", "--by", "ward", "--boundaries", "/dev/zero"],
        ["export", "-f", "gpkg", "-o", "x.gpkg", "--boundaries", "{fifo}"],
        ["boundaries", "check", "{fifo}"],
    ],
)
def test_a_boundary_file_that_is_a_fifo_or_a_device_is_refused_unread(
    argv: list[str], tmp_path: Path, capsys: Any
) -> None:
    fifo = tmp_path / "boundaries.geojson"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    err = usage_error([a.format(fifo=fifo) for a in argv], capsys)
    assert "is not a regular file (a FIFO, a device or a socket cannot be read)" in err


def test_boundaries_check_without_a_file_is_a_usage_error(capsys: Any) -> None:
    assert "boundaries check needs a FILE" in usage_error(["boundaries", "check"], capsys)


def test_the_filter_refuses_unknown_plan_items_and_dates_that_are_not_iso() -> None:
    assert Filter(plan_items=("3.1", "3.1.2", "3.1.2.a", "1")).plan_items == ("3.1", "3.1.2", "3.1.2.a", "1")
    with pytest.raises(ValueError, match=r"`plan_items` has unknown value '9\.9'; expected one of: 3\.1\.1\.a"):
        Filter(plan_items=("9.9",))
    with pytest.raises(ValueError, match=r"`plan_items` has unknown value '3\.1\.'"):
        Filter(plan_items=("3.1.",))
    with pytest.raises(ValueError, match="`event_start` must be a date written YYYY-MM-DD, not '2025-1-5'"):
        Filter(event_start="2025-1-5")
    with pytest.raises(ValueError, match="`event_end` must be a date"):
        Filter(event_end="notadate")
    with pytest.raises(ValueError, match="`event_start` 2026-05-01 is after `event_end` 2026-01-01"):
        Filter(event_start="2026-05-01", event_end="2026-01-01")
    with pytest.raises(ValueError) as refused:
        Filter(categories=(LONG,))
    assert LONG[:81] not in str(refused.value)


# ------------------------------------------------------------------------------------ notices, escaped


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_makes_no_link_image_html_or_format(text: str) -> None:
    escaped = escape_markdown(text)
    assert markdown_problems(escaped) == []
    visible = " ".join("".join(" " if c.isspace() or c in "\u2028\u2029" else c for c in text).split())
    visible = "".join("\ufffd" if unicodedata.category(c) in ("Cc", "Cf", "Cs") else c for c in visible)
    assert shown(escaped) == visible  # and it shows the text as it was (lines joined)


@pytest.mark.parametrize("start", ["- a", "+ a", "= a", "1. a", "12) a", "# a", "> a", "* a"])
def test_text_that_would_start_a_block_is_escaped_there(start: str) -> None:
    escaped = escape_markdown(start)
    assert escaped[0] == "\\" or escaped[escaped.index(" ") - 2] == "\\"
    assert shown(escaped) == start
    assert escape_markdown("gone-space") == "gone-space"  # a hyphen inside is left alone


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_hostile_parameter_names_and_values_give_escaped_notices(lang: str) -> None:
    params: dict[str, list[str]] = {payload: ["1"] for payload in HOSTILE[:5]}  # names
    params |= {"cat": [HOSTILE[0]], "district": [HOSTILE[1]], "q": ["x" * 300], "from": [HOSTILE[2]]}
    params |= {"sel": [HOSTILE[6]], "lang": [HOSTILE[10]], "plan": [HOSTILE[9]], "basemap": [HOSTILE[3]]}
    state, notices = urlstate.parse_params(params)
    assert state.filter == Filter(search="x" * urlstate.MAX_SEARCH)
    assert len(notices) == urlstate.MAX_NOTICES + 1 and notices[-1].kind == "more"
    for notice in notices:
        text = urlstate.notice_text(notice, lang)  # type: ignore[arg-type]
        assert markdown_problems(text) == [], text
        assert len(shown(text)) < 200  # at most 80 characters of the name and of the value
        if notice.kind != "more":
            assert clip(" ".join(notice.value.split()))[:40] in shown(text)


def test_notices_are_capped_and_counted() -> None:
    _, notices = urlstate.parse_params({f"p{i}": ["1"] for i in range(50)})
    assert notices[: urlstate.MAX_NOTICES] == [urlstate.Notice("unknown", f"p{i}") for i in range(10)]
    assert notices[-1] == urlstate.Notice("more", "", "40")
    assert (
        urlstate.notice_text(notices[-1], "en") == "Ignored 40 more unknown parameters or invalid values in the link."
    )


def test_a_link_with_very_many_or_very_long_values_reads_a_bounded_part(monkeypatch: pytest.MonkeyPatch) -> None:
    looked_up: list[int] = []

    def resolve(name: str) -> Any:
        looked_up.append(len(name))
        return admin_resolve(name)

    admin_resolve = urlstate.admin.resolve_district
    monkeypatch.setattr(urlstate.admin, "resolve_district", resolve)
    state, notices = urlstate.parse_params(
        {"district": ["không có " * 10_000, ",".join(["Quận Atlantis"] * 20_000)], "sel": ["a" * 100_000]}
    )
    assert len(looked_up) == urlstate.MAX_LIST_VALUES - 1  # the long one is not looked up, nor those past 200
    assert max(looked_up) <= urlstate.MAX_VALUE
    assert state.filter.districts == () and state.selected is None
    assert len(notices) == urlstate.MAX_NOTICES + 1


def test_the_app_shows_hostile_parameters_as_plain_text(write_json: Any, monkeypatch: Any) -> None:
    from streamlit.testing.v1 import AppTest

    from .e2e.conftest import e2e_events, e2e_spaces

    path = write_json(e2e_spaces())
    write_json(e2e_events(), "events.geojson")
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params[HOSTILE[0]] = "1"
    at.query_params["cat"] = HOSTILE[1]
    at.query_params["district"] = HOSTILE[6]
    at.query_params["sel"] = "<img src=https://evil.example/x.png>"
    at.run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 4
    for body in warnings:
        assert markdown_problems(body) == [], body
    assert any("official document: click here" in shown(w) for w in warnings)


# ------------------------------------------------------------------------------------------ CSV cells


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("https://evil.example","x")', '\'=HYPERLINK("https://evil.example","x")'),
        ("+84 24 3826 1234", "'+84 24 3826 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("Văn Miếu = Quốc Tử Giám", "Văn Miếu = Quốc Tử Giám"),
        ("", ""),
        (-5, -5),
        (-105.85, -105.85),
        (None, None),
    ],
)
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(value: object, cell: object) -> None:
    assert csv_cell(value) == cell


def test_the_csv_export_writes_formula_text_as_text(write_json: Any, tmp_path: Path) -> None:
    hostile = make_space(
        id="formula",
        name_vi='=HYPERLINK("https://evil.example","Bấm vào đây")',
        name_en="+cmd|' /C calc'!A0",
        address="-2+3",
        lead_agency="@SUM(1+1)*cmd|' /C calc'!A0",
    )
    selection = creative_map.select(creative_map.load(write_json(collection(hostile))))
    out = exports.export(selection, "csv", tmp_path / "spaces.csv")
    (row,) = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))
    assert row["name_vi"] == '\'=HYPERLINK("https://evil.example","Bấm vào đây")'
    assert row["name_en"] == "'+cmd|' /C calc'!A0"
    assert row["address"] == "'-2+3"
    assert row["lead_agency"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values())
    assert float(row["lon"]) == pytest.approx(105.8523) and row["wkt"].startswith("POINT")


def test_the_cli_csv_prefixes_text_cells_only() -> None:
    table = pd.DataFrame({"name": ["=1+1", "Quận Ba Đình"], "error_pct": [-5.0, 3.0], "total": [-1, 2]})
    rows = list(csv.DictReader(io.StringIO(render(table, "csv"))))
    assert [r["name"] for r in rows] == ["'=1+1", "Quận Ba Đình"]
    assert [r["error_pct"] for r in rows] == ["-5.0", "3.0"] and rows[0]["total"] == "-1"


# ---------------------------------------------------------------------------- leftovers of a killed write


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_temporaries_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    target = tmp_path / "out.gpkg"
    dead, live = _dead_pid(), os.getpid()
    stale = [f".out.{dead}-0123456789ab.part.gpkg", f".out.{dead}-0123456789ab.part.gpkg-journal"]
    old = f".out.{live}-aaaaaaaaaaaa.part.gpkg"
    kept = [
        f".out.{live}-bbbbbbbbbbbb.part.gpkg",  # a write running now
        f".other.{dead}-0123456789ab.part.gpkg",  # another target's
        f".out.{dead}-0123456789ab.part.csv",
        f".out.1.{dead}-0123456789ab.part.gpkg",  # the target out.1.gpkg's
        "out.gpkg.part",
        ".out.gpkg",
        "notes.txt",
    ]
    for name in [*stale, old, *kept]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / f".out.{dead}-cccccccccccc.part.gpkg").mkdir()  # a writer that made a folder
    hours_ago = time.time() - atomic.STALE_AFTER_S - 60
    os.utime(tmp_path / old, (hours_ago, hours_ago))
    removed = atomic.remove_stale_temporaries(target)
    assert sorted(p.name for p in removed) == sorted([*stale, old, f".out.{dead}-cccccccccccc.part.gpkg"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kept)


def test_each_write_cleans_the_leftovers_of_interrupted_ones(tmp_path: Path) -> None:
    leftover = tmp_path / f".a.{_dead_pid()}-0123456789ab.part.txt"
    leftover.write_text("half", encoding="utf-8")
    with atomic.atomic_path(tmp_path / "a.txt") as tmp:
        assert re.fullmatch(rf"\.a\.{os.getpid()}-[0-9a-f]{{12}}\.part\.txt", tmp.name)
        assert not leftover.exists()
        tmp.write_text("whole", encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_a_folder_is_never_a_target(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError, match="is a folder"), atomic.atomic_path(tmp_path, force=True):
        pass


@pytest.mark.parametrize("fmt", ["gpkg"])
def test_an_export_killed_midway_leaves_the_target_and_the_next_one_cleans(fmt: str, tmp_path: Path) -> None:
    from benchmarks.synthetic import write_synthetic

    data = write_synthetic(tmp_path / "data" / "spaces.geojson", 1500)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / f"spaces.{fmt}"
    target.write_bytes(b"the previous export")
    argv = [sys.executable, "-m", "creative_map", "export", "--data", str(data), "-f", fmt, "-o", str(target)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = tmp_path / "killed.log"
    with log.open("wb") as err:  # the child keeps its own copy of the file descriptor
        proc = subprocess.Popen([*argv, "--force"], env=env, stdout=subprocess.DEVNULL, stderr=err)
    deadline = time.monotonic() + 240
    parts: list[Path] = []
    while not parts and proc.poll() is None and time.monotonic() < deadline:
        parts = [p for p in out_dir.iterdir() if ".part" in p.name]
        time.sleep(0.001)  # polling for the temporary file, to kill the writer while it writes
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert parts, f"the export ended before it was seen writing: {log.read_text(errors='replace')}"
    assert proc.returncode == -signal.SIGKILL
    assert target.read_bytes() == b"the previous export"  # unchanged
    assert [p.name for p in out_dir.iterdir() if ".part" in p.name], "the kill left nothing to clean"
    result = subprocess.run([*argv, "--force"], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out_dir.iterdir()) == [target.name]  # only the target: leftovers removed
    assert target.read_bytes()[:16] == b"SQLite format 3\x00"


# ---------------------------------------------------------------------------------------- in a browser


@pytest.mark.e2e
def test_the_browser_shows_hostile_notices_as_text(browser: Any, tmp_path: Path, write_json: Any) -> None:
    from urllib.parse import urlencode

    from .e2e.conftest import Blocked, _guard, e2e_events, e2e_spaces, start_app, stop_app

    path = write_json(e2e_spaces())
    write_json(e2e_events(), "events.geojson")
    proc, url = start_app(path, tmp_path / "streamlit.log")
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        blocked = Blocked()
        _guard(page, blocked)
        query = [(HOSTILE[0], "1"), ("cat", HOSTILE[1]), ("district", HOSTILE[6]), ("lang", HOSTILE[10])]
        query += [("sel", "<img src=https://evil.example/y.png>"), ("basemap", "none"), ("plan", HOSTILE[4])]
        page.goto(f"{url}/?{urlencode(query)}")
        alerts = page.get_by_test_id("stAlertContainer")
        alerts.first.wait_for(timeout=60_000)
        page.get_by_test_id("stApp").wait_for(timeout=60_000)
        from playwright.sync_api import expect

        expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=60_000)
        assert alerts.count() == 6, [alerts.nth(i).inner_text() for i in range(alerts.count())]
        for i in range(alerts.count()):
            alert = alerts.nth(i)
            for tag in ("a", "img", "strong", "em", "code", "del", "h1", "h2", "blockquote", "li", "table", ".katex"):
                assert alert.locator(tag).count() == 0, (tag, alert.inner_html())
        text = " ".join(alerts.nth(i).inner_text() for i in range(alerts.count())).replace("\u2060", "")
        assert "[official document: click here](https://evil.example)" in text
        assert "![x](https://evil.example/x.png)" in text
        assert list(blocked) == []  # with basemap=none nothing at all left the machine (no image of evil.example)
        context.close()
    finally:
        stop_app(proc)
