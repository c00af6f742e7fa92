"""The app's files that never change while it runs, laid out for the web server in front of it (deploy/).

A new visitor's browser asks a Streamlit process for about 110 files before the map appears: Streamlit's own
scripts and styles, the map component's page and script, Leaflet and the map's script. Each costs that Python
process a few milliseconds of CPU (the files alone cost more than the page's script runs; see
`benchmarks/RESULTS.md`, "Many visitors (issue 13)"), and the component's files are compressed again on every
request. None of them changes while the processes run: they come from installed packages. So
:func:`write_app_files` copies them once into a folder laid out like their URLs under the app's base path, with
a ``.gz`` beside each text file, and nginx sends them from there (``gzip_static``; deploy/configure
``--app-files``), leaving the app processes the websocket and the page runs. Anything not in the folder (the
data file, which an app process writes when it loads the data) still goes to the app processes.

Run as ``python -m creative_map.appfiles DIR [--base-path app]`` (deploy/run does, at every start, so the copies
always match the installed packages the app processes run).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import assets

__all__ = ["COMPONENTS", "MARKER", "AppFiles", "AppFilesError", "main", "write_app_files"]

MARKER = ".creative-map-app-files"
"""The file that marks a folder this module wrote (only such a folder is ever replaced)."""

COMPONENTS: tuple[tuple[str, str, str], ...] = (
    # (the component's name in its URL, the package that carries it, its build folder inside the package)
    ("streamlit_folium.st_folium", "streamlit_folium", "frontend/build"),
)
"""The Streamlit components the pages use, served at ``/<base>/component/<name>/``."""

COMPRESSED = frozenset({".js", ".css", ".html", ".json", ".svg", ".txt", ".map", ".ttf", ".woff"})
"""The suffixes given a ``.gz`` beside them (woff2 and images are compressed already)."""

_BASE = "app"


class AppFilesError(ValueError):
    """The folder cannot be written as asked: the message says what and where."""


@dataclass(frozen=True)
class AppFiles:
    """What :func:`write_app_files` wrote."""

    root: Path
    files: int
    """Files copied (not counting the ``.gz`` beside them)."""
    bytes: int
    gzipped: int
    """``.gz`` files written."""


def _package_dir(package: str) -> Path:
    """The folder of the installed package `package`, found without importing it (no Streamlit in the library)."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise AppFilesError(f"the package {package!r} is not installed: run scripts/setup")
    return Path(spec.origin).parent


def _sources(base: str) -> list[tuple[Path, Path]]:
    """(installed folder, folder under the output) for every tree to copy."""
    streamlit = _package_dir("streamlit") / "static" / "static"
    trees = [(streamlit, Path(base) / "static")]
    for name, package, build in COMPONENTS:
        trees.append((_package_dir(package) / build, Path(base) / "component" / name))
    for tree, _ in trees:
        if not tree.is_dir():
            raise AppFilesError(f"{tree} is missing: the installed package looks broken, reinstall it")
    return trees


def _copy_tree(src: Path, dest: Path) -> None:
    for path in sorted(src.rglob("*")):
        if path.is_file() and path.suffix != ".gz":
            target = dest / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def _gzip_beside(root: Path) -> tuple[int, int, int]:
    """Write a ``.gz`` beside every text file under `root`; return (files, their bytes, .gz written)."""
    files = size = gzipped = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".gz" and p.name != MARKER):
        files += 1
        size += path.stat().st_size
        if path.suffix in COMPRESSED:
            with path.open("rb") as raw, gzip.GzipFile(path.with_name(path.name + ".gz"), "wb", 9, mtime=0) as gz:
                shutil.copyfileobj(raw, gz)
            gzipped += 1
    return files, size, gzipped


def write_app_files(out: str | os.PathLike[str], *, base_path: str = _BASE) -> AppFiles:
    """Write the app's unchanging files into `out`, laid out like their URLs under `base_path`.

    ``out/<base>/static/`` holds Streamlit's own files, ``out/<base>/component/<name>/`` each component's,
    ``out/<base>/app/static/vendor/`` Leaflet, markercluster and the map's script (what the app copies into its
    own ``static/vendor/`` at startup). The folder is built beside `out` and renamed into place, so nginx never
    sees half of it; an existing `out` is replaced only if this module wrote it (it holds `MARKER`).

    Raises
    ------
    AppFilesError
        When `base_path` is not a plain path, `out` exists and is not such a folder, or a package is missing.
    """
    base = base_path.strip("/")
    if not base or not all(part.replace("_", "").replace("-", "").isalnum() for part in base.split("/")):
        raise AppFilesError(f"--base-path must be a path of letters, digits, '-' and '_' (got {base_path!r})")
    target = Path(out).absolute()
    if target.exists() and not (target / MARKER).is_file():
        raise AppFilesError(f"{target} exists and was not written by creative_map.appfiles: choose an empty path")
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for src, dest in _sources(base):
            _copy_tree(src, work / dest)
        assets.ensure_static(work / base / "app" / "static")
        files, size, gzipped = _gzip_beside(work)
        (work / MARKER).write_text("written by creative_map.appfiles; replaced whole at every deploy/run\n")
        for path in (work, *work.rglob("*")):  # readable by nginx's workers (another user): mkdtemp makes 0700
            path.chmod(0o755 if path.is_dir() else 0o644)
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old.{os.getpid()}")
            target.rename(old)
        work.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return AppFiles(target, files, size, gzipped)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m creative_map.appfiles", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("out", help="the folder to write (replaced whole if this command wrote it before)")
    parser.add_argument("--base-path", default=_BASE, help="the app's --server.baseUrlPath (default: app)")
    args = parser.parse_args(argv)
    try:
        written = write_app_files(args.out, base_path=args.base_path)
    except AppFilesError as error:
        print(f"appfiles: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"appfiles: cannot write {args.out}: {error.strerror or error}", file=sys.stderr)
        return 2
    print(f"{written.root}: {written.files} files, {written.bytes / 1e6:.1f} MB, {written.gzipped} .gz beside them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
