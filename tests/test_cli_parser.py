"""The command line's shape: the parser is built by calling each command's `register`, in a fixed order, with no
registration on import; every command's help works; errors become messages and exit codes."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys

import pytest

import creative_map.cli
from creative_map.cli import EXIT_DATA, EXIT_OK, EXIT_USAGE, build_parser, common, main
from creative_map.cli import boundaries as cli_boundaries
from creative_map.cli import db as cli_db
from creative_map.cli import export as cli_export
from creative_map.cli import gaps as cli_gaps
from creative_map.cli import history as cli_history
from creative_map.cli import near as cli_near
from creative_map.cli import revert as cli_revert
from creative_map.cli import reviewers as cli_reviewers
from creative_map.cli import site as cli_site
from creative_map.cli import stats as cli_stats
from creative_map.cli import suggest as cli_suggest
from creative_map.cli import suggestions as cli_suggestions
from creative_map.cli import validate as cli_validate

from .conftest import collection, make_event

NAMES = [
    "validate",
    "stats",
    "gaps",
    "near",
    "boundaries",
    "export",
    "site",
    "db",
    "suggest",
    "suggestions",
    "reviewers",
    "history",
    "revert",
]
MODULES = {
    "validate": cli_validate,
    "stats": cli_stats,
    "gaps": cli_gaps,
    "near": cli_near,
    "boundaries": cli_boundaries,
    "export": cli_export,
    "site": cli_site,
    "db": cli_db,
    "suggest": cli_suggest,
    "suggestions": cli_suggestions,
    "reviewers": cli_reviewers,
    "history": cli_history,
    "revert": cli_revert,
}


def commands(parser: argparse.ArgumentParser) -> list[str]:
    """The names of the commands of `parser`, in order."""
    (action,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(action.choices)


def subparsers() -> tuple[argparse.ArgumentParser, common.Subparsers]:
    parser = argparse.ArgumentParser(prog="test")
    return parser, parser.add_subparsers(dest="command")


def test_the_parser_has_every_command_in_a_fixed_order():
    assert commands(build_parser()) == NAMES
    assert [name for name, _ in creative_map.cli.COMMANDS] == NAMES


def test_importing_the_package_again_gives_the_same_commands():
    before = commands(build_parser())
    importlib.reload(creative_map.cli)
    assert commands(creative_map.cli.build_parser()) == before
    assert commands(build_parser()) == before  # the parser is built afresh: nothing accumulates
    assert commands(build_parser()) == before


def test_importing_the_command_modules_registers_nothing():
    # In a fresh interpreter, importing the modules in another order changes neither the commands nor their
    # order; a new subparsers object stays empty until a register function is called.
    code = (
        "import argparse\n"
        "import creative_map.cli.export, creative_map.cli.near, creative_map.cli.validate\n"
        "import creative_map.cli.boundaries, creative_map.cli.gaps, creative_map.cli.stats\n"
        "import creative_map.cli.revert, creative_map.cli.history, creative_map.cli.reviewers\n"
        "import creative_map.cli.suggestions, creative_map.cli.suggest, creative_map.cli.db\n"
        "sub = argparse.ArgumentParser().add_subparsers()\n"
        "assert not sub.choices, sub.choices\n"
        "from creative_map.cli import build_parser\n"
        "action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))\n"
        "print(' '.join(action.choices))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_each_command_module_registers_its_command_only_when_called(name):
    parser, sub = subparsers()
    assert commands(parser) == []
    MODULES[name].register(sub)
    assert commands(parser) == [name]
    args = parser.parse_args(_minimal_args(name))
    assert args.run is MODULES[name].run
    _, other = subparsers()
    MODULES[name].register(other)  # a second parser gets its own command: no state kept between calls
    assert list(other.choices) == [name]


def _minimal_args(name: str) -> list[str]:
    return {
        "near": [name, "105.85", "21.03"],
        "boundaries": [name, "accuracy"],
        "export": [name, "-f", "csv", "-o", "out.csv"],
        "site": [name, "-o", "public"],
        "db": [name, "upgrade"],
        "suggest": [name, "--file", "s.json"],
        "suggestions": [name, "list"],
        "reviewers": [name, "list"],
        "history": [name, "some-space"],
        "revert": [name, "1", "--reviewer", "lan"],
    }.get(name, [name])


@pytest.mark.parametrize("name", NAMES)
def test_every_command_has_help(name, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([name, "--help"])
    assert exit_.value.code == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith(f"usage: creative-map {name} ")
    assert "--data PATH" in out


def test_the_main_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == EXIT_OK
    out = capsys.readouterr().out
    positions = [out.index(f"    {name} ") for name in NAMES]
    assert positions == sorted(positions)


@pytest.mark.parametrize("name", NAMES)
def test_an_unknown_option_is_a_usage_error(name, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([*_minimal_args(name), "--no-such-option"])
    assert exit_.value.code == EXIT_USAGE
    assert "usage: creative-map" in capsys.readouterr().err


def test_the_filter_options_make_one_filter():
    args = build_parser().parse_args(
        [
            "stats",
            "--district",
            "hoan kiem,Ba Đình",
            "--category",
            "museum",
            "--category",
            " art_space ",
            "--search",
            "gốm",
        ]
    )
    flt = common.filter_from_args(args)
    assert flt.districts == ("Quận Hoàn Kiếm", "Quận Ba Đình")  # canonical once, by the Filter
    assert flt.categories == ("museum", "art_space")
    assert flt.search == "gốm"


def test_by_spells_the_levels_of_the_types_module():
    assert common.LEVEL_CHOICES == {"district": "district", "ward": "ward_2025"}
    args = build_parser().parse_args(["gaps", "--by", "ward"])
    assert common.level_from_args(args) == "ward_2025"


def test_the_table_format_comes_from_the_option_else_the_suffix():
    parse = build_parser().parse_args
    assert common.output_format(parse(["stats"])) == "table"
    assert common.output_format(parse(["stats", "-o", "a.CSV"])) == "csv"
    assert common.output_format(parse(["stats", "-o", "a.json"])) == "json"
    assert common.output_format(parse(["stats", "-o", "a.txt"])) == "table"
    assert common.output_format(parse(["stats", "-o", "a.csv", "--format", "json"])) == "json"


def test_bad_data_is_a_message_and_exit_1(write_json, capsys):
    missing = write_json("{}").with_name("missing.geojson")
    assert main(["stats", "--data", str(missing)]) == EXIT_DATA
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "missing.geojson" in err and "Traceback" not in err


def test_an_unknown_unit_is_a_message_with_a_suggestion(write_json, three_spaces, capsys):
    # A usage error (exit 2) since issue 11: the option is named, the closest units suggested.
    with pytest.raises(SystemExit) as exit_:
        main(["near", "105.85", "21.03", "--data", str(write_json(three_spaces)), "--ward", "hoan kiemm"])
    assert exit_.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert "argument --ward:" in err and "did you mean 'Phường Hoàn Kiếm'" in err


def test_every_selecting_command_reads_the_events_beside_the_data(write_json, three_spaces, capsys):
    # An event window selects the spaces hosting an event in it: the events come from creative_map.load.
    data = str(write_json(three_spaces))
    write_json(collection(make_event(space_ids=["nha-hat-mua-roi-thang-long"])), "events.geojson")
    window = ["--events-from", "2024-11-10", "--events-to", "2024-11-10", "--format", "json", "--data", data]
    assert main(["near", "105.8523", "21.0288", *window]) == 0
    assert [row["id"] for row in json.loads(capsys.readouterr().out)] == ["nha-hat-mua-roi-thang-long"]
    assert main(["stats", *window]) == 0
    assert sum(row["total"] for row in json.loads(capsys.readouterr().out)) == 1


def test_validate_checks_a_named_events_file(write_json, three_spaces):
    path = write_json(three_spaces)
    events = write_json(collection(make_event(space_ids=["no-such-space"])), "other_events.geojson")
    result = subprocess.run(
        [sys.executable, "-m", "creative_map", "validate", str(path), "--events", str(events)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "'no-such-space' is the id of no space" in result.stdout
    assert "1 error(s), 0 warning(s) in 1 file(s)" in result.stdout
