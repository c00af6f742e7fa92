import json
import os
import shutil
import subprocess
import sys

import pytest

from creative_map.cli import build_parser, main

from .conftest import collection, make_event, make_space


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "creative_map", *args], capture_output=True, text=True, env=env)


def test_validate_valid_file_exits_0(write_json, three_spaces):
    path = write_json(three_spaces)
    result = run("validate", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid, 3 spaces" in result.stdout
    assert "0 error(s), 0 warning(s) in 1 file(s)" in result.stdout


def test_validate_lists_every_problem_and_exits_1(write_json):
    path = write_json(collection(make_space(category="x"), make_space(105.85, 21.03, id="b", status="y")))
    result = run("validate", str(path))
    assert result.returncode == 1
    assert "feature 0 (id 'ho-hoan-kiem'): field 'category'" in result.stdout
    assert "feature 1 (id 'b'): field 'status'" in result.stdout
    assert "2 error(s)" in result.stdout


def test_validate_several_files(write_json, three_spaces):
    good = write_json(three_spaces, "good.geojson")
    bad = write_json("{", "bad.geojson")
    result = run("validate", str(good), str(bad))
    assert result.returncode == 1
    assert "valid, 3 spaces" in result.stdout and "truncated" in result.stdout


def test_validate_checks_the_events_beside(write_json, three_spaces):
    path = write_json(three_spaces)
    event = make_event(space_ids=["ho-hoan-kiem", "nha-hat-mua-roi"])
    write_json(collection(event), "events.geojson")
    result = run("validate", str(path))
    assert result.returncode == 1
    assert "'nha-hat-mua-roi' is the id of no space (did you mean 'nha-hat-mua-roi-thang-long'?)" in result.stdout


def test_data_option_and_environment(write_json, three_spaces, monkeypatch, capsys):
    path = write_json(three_spaces)
    assert main(["validate", "--data", str(path)]) == 0
    assert main(["--data", str(path), "validate"]) == 0
    monkeypatch.setenv("CREATIVE_MAP_DATA", str(path))
    assert main(["validate"]) == 0
    assert "valid, 3 spaces" in capsys.readouterr().out


def test_usage_error_exits_2():
    result = run("validate", "--no-such-option")
    assert result.returncode == 2
    assert "usage:" in result.stderr and "Traceback" not in result.stderr
    assert run().returncode == 2


def test_console_script_is_the_same_cli(write_json, three_spaces):
    exe = shutil.which("creative-map", path=str(__import__("pathlib").Path(sys.executable).parent))
    if exe is None:
        pytest.fail("the creative-map console script is not installed: run scripts/setup")
    result = subprocess.run([exe, "validate", str(write_json(three_spaces))], capture_output=True, text=True)
    assert result.returncode == 0 and "valid, 3 spaces" in result.stdout
    assert build_parser().prog == "creative-map"


def test_bad_json_on_stdout_not_traceback(write_json):
    path = write_json(json.dumps(collection(make_space()))[:-3])
    result = run("validate", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_a_reader_that_goes_away_is_no_error(monkeypatch, capsys):
    # `creative-map stats --by ward | head -1`: head closes the pipe. Here the pipe is closed before anything is
    # written, so the first write fails with EPIPE whatever the size of the output.
    read_end, write_end = os.pipe()
    os.close(read_end)
    with capsys.disabled(), os.fdopen(write_end, "w", buffering=1) as closed_pipe:
        saved = os.dup(1)
        try:
            monkeypatch.setattr(sys, "stdout", closed_pipe)
            code = main(["stats", "--by", "ward"])
        finally:
            os.dup2(saved, 1)
            os.close(saved)
    assert code == 0
