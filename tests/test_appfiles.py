"""creative_map.appfiles: the app's unchanging files laid out for nginx (deploy/), read back as installed."""

from __future__ import annotations

import gzip
import importlib.util
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from creative_map import appfiles, assets

from .conftest import ROOT


def _installed(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> appfiles.AppFiles:
    return appfiles.write_app_files(tmp_path_factory.mktemp("af") / "app-files")


def test_every_file_sits_where_its_url_says_as_installed(written):
    root = written.root / "app"
    streamlit = _installed("streamlit") / "static" / "static"
    for installed in sorted(streamlit.rglob("*.js"))[:20] + sorted(streamlit.rglob("*.css")):
        assert (root / "static" / installed.relative_to(streamlit)).read_bytes() == installed.read_bytes()
    build = _installed("streamlit_folium") / "frontend" / "build"
    component = root / "component" / "streamlit_folium.st_folium"
    assert (component / "index.html").read_bytes() == (build / "index.html").read_bytes()
    for asset in assets.ASSETS:
        for name in (*asset.js, *asset.css):
            copied = root / "app" / "static" / "vendor" / asset.name / name
            assert copied.read_bytes() == (assets.source_dir(asset) / name).read_bytes()
    assert written.files > 100 and written.gzipped > 100 and written.bytes > 1_000_000


def test_each_text_file_has_its_gz_and_everything_is_readable_by_another_user(written):
    texts = [p for p in written.root.rglob("*") if p.suffix in {".js", ".css", ".html"}]
    assert texts
    for path in texts:
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == path.read_bytes()
    for path in (written.root, *written.root.rglob("*")):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o755 if path.is_dir() else 0o644), path
    assert not [p for p in written.root.rglob("*.gz.gz")]


def test_writing_again_replaces_the_whole_folder(tmp_path):
    out = tmp_path / "app-files"
    appfiles.write_app_files(out)
    stale = out / "app" / "static" / "js" / "gone.js"
    stale.write_text("an older package's file")
    appfiles.write_app_files(out)
    assert not stale.exists() and (out / appfiles.MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app-files"]  # no temporary or old folder left behind


def test_a_folder_it_did_not_write_is_left_alone(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(appfiles.AppFilesError, match=r"was not written by creative_map\.appfiles"):
        appfiles.write_app_files(out)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


@pytest.mark.parametrize("base", ["", "../up", "a b", "app;x"])
def test_a_base_path_that_is_not_plain_is_refused(tmp_path, base):
    with pytest.raises(appfiles.AppFilesError, match="--base-path"):
        appfiles.write_app_files(tmp_path / "out", base_path=base)
    assert not (tmp_path / "out").exists()


def test_the_command_says_what_went_wrong_without_a_traceback(tmp_path):
    (tmp_path / "taken").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "creative_map.appfiles", str(tmp_path / "taken")],
        capture_output=True, text=True, timeout=120, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"appfiles: {tmp_path / 'taken'} exists") and "Traceback" not in done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "creative_map.appfiles", str(tmp_path / "fresh"), "--base-path", "app"],
        capture_output=True, text=True, timeout=120, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 0 and done.stdout.startswith(f"{tmp_path / 'fresh'}: ") and "MB" in done.stdout
