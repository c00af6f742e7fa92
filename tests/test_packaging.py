"""The package as a wheel: installed outside the repository, it validates, counts and exports the shipped data.

The wheel is built from the working tree and installed into a fresh virtual environment in a temporary folder;
its dependencies come from the test environment's site-packages through a ``.pth`` line (no network, and no
editable install: the interpreter imports the wheel's copy, which the test checks). Every command runs with the
temporary folder as its working directory, on a copy of the shipped data.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

# The fresh environment must import its own copy: no PYTHONPATH pointing at a working tree.
CLEAN_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the fresh environment's bin folder, a working folder outside the repository with a copy of the data)."""
    tmp = tmp_path_factory.mktemp("wheel")
    dist = tmp / "dist"
    source = tmp / "source"  # a copy of what the wheel is built from: the build leaves nothing in the repository
    shutil.copytree(ROOT / "creative_map", source / "creative_map", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(dist),
            str(source),
        ],
        check=True,
        cwd=tmp,
        capture_output=True,
        env=CLEAN_ENV,
    )
    wheel = next(dist.glob("creative_map-*.whl"))
    env = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True, env=CLEAN_ENV)
    python = env / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
            env=CLEAN_ENV,
        ).stdout.strip()
    )
    # The dependencies, not the project: a path line adds the folder without running its .pth files (so the
    # test environment's editable install of creative_map stays out).
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
        env=CLEAN_ENV,  # with a working tree on PYTHONPATH pip would think the package already installed
    )
    work = tmp / "elsewhere"
    (work / "data").mkdir(parents=True)
    for name in ("spaces.geojson", "events.geojson"):
        shutil.copy(ROOT / "data" / name, work / "data" / name)
    return env / "bin", work


def run(bin_dir: Path, work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bin_dir / "creative-map"), *args],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=CLEAN_ENV,
    )


def test_the_wheel_carries_the_package_data(installed):
    bin_dir, work = installed
    where = subprocess.run(
        [
            str(bin_dir / "python"),
            "-c",
            "import creative_map, creative_map.boundaries as b; print(creative_map.__file__); print(b.BOUNDARIES_DIR)",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=work,  # not the repository: `python -c` imports from its working folder first
        env=CLEAN_ENV,
    ).stdout.splitlines()
    assert str(ROOT) not in where[0], where  # the wheel's copy, not the working tree
    folder = Path(where[1])
    for name in ("districts.geojson", "wards_2025.geojson", "LICENSE-vietnam-3d-map.txt"):
        assert (folder / name).is_file(), name
    assert (folder.parent / "map" / "creative_map.js").is_file()
    assert (folder.parent / "export" / "bundle_readme.tmpl").is_file()


def test_validate_stats_and_html_export_work_outside_the_repository(installed):
    bin_dir, work = installed
    checked = run(bin_dir, work, "validate")  # the data of the working folder, found as data/spaces.geojson
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "valid" in checked.stdout and "0 error(s), 0 warning(s)" in checked.stdout
    stats = run(bin_dir, work, "stats", "--by", "ward", "-o", "wards.json")
    assert stats.returncode == 0, stats.stderr
    rows = json.loads((work / "wards.json").read_text(encoding="utf-8"))
    spaces = json.loads((work / "data" / "spaces.geojson").read_text(encoding="utf-8"))["features"]
    assert len(rows) == 126 and sum(r["total"] for r in rows) == len(spaces)
    html = run(bin_dir, work, "export", "--format", "html", "-o", "map.html", "--district", "hoan kiem")
    assert html.returncode == 0, html.stderr
    page = (work / "map.html").read_text(encoding="utf-8")
    assert "creativeMap.spacesLayer" in page and "L.map(" in page and "https://unpkg.com" not in page


def test_the_wheel_holds_no_repository_data(installed):
    # The data is the project's (data/, reviewed like code), not the package's: a wheel carries code and its
    # resources only.
    wheel = next((Path(installed[0]).parent.parent / "dist").glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert not any(n.startswith("data/") or n.endswith("spaces.geojson") for n in names)
    assert any(n.endswith("LICENSE") or "licenses/LICENSE" in n for n in names)
