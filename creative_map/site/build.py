"""Write the public map as a static site: any web server, a CDN, or a folder opened from disk.

The site::

    index.html                 the map in Vietnamese (links to en/index.html)
    en/index.html              the map in English (links back)
    assets/data.<hash>.js      the spaces and events, one compact file (creative_map.site.data.site_data)
    assets/units.<hash>.js     the boundaries of the districts and the 2025 wards
    assets/site.<hash>.js      the page's script, with the folding tables of creative_map.site.folding
    assets/site.<hash>.css     the page's style sheet (and creative_map.<hash>/ the map's, shared with the app)
    assets/leaflet.<hash>/, assets/markercluster.<hash>/   copied from the installed packages

Every file under ``assets/`` is named by a hash of its content, so a server may let browsers keep it for a
year; only the two pages change name-less (serve them with a short cache). The data is loaded with
``<script src>`` setting a global, not ``fetch``, so the site works from ``file://`` too, where browsers
refuse to fetch local files. Each text file above 1 KB also gets a ``.gz`` beside it (gzip, level 9, no
time stamp) for servers that send precompressed files (nginx ``gzip_static``).

Nothing depends on the clock or on the order of a set: the same data and options give the same bytes. The
site is written into a temporary folder beside the target and renamed into place, so a failure leaves
nothing half-written and a server never serves a half-replaced site.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import html
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from string import Template
from typing import Final

from creative_map import assets
from creative_map.dataset import Selection
from creative_map.i18n import other_lang, t
from creative_map.site.data import data_date, page_config, site_data, units_data
from creative_map.site.folding import fold_tables
from creative_map.types import LANGS, Lang

__all__ = ["GENERATOR", "PAGES", "SiteSummary", "check_target", "is_site", "site_files", "write_site"]

logger = logging.getLogger(__name__)

GENERATOR: Final = '<meta name="generator" content="creative_map site">'
"""The line every page of a site carries: `write_site` replaces only a folder whose index.html has it."""
PAGES: Final[dict[Lang, str]] = {"vi": "index.html", "en": "en/index.html"}
"""Where each language's page is, relative to the site's folder."""
GZIP_MIN_BYTES: Final = 1024
_GZIP_SUFFIXES: Final = (".html", ".js", ".css")
_HASH_CHARS: Final = 10
_SITE_FILES = resources.files("creative_map") / "resources" / "site"


def _read(name: str) -> str:
    return (_SITE_FILES / name).read_text(encoding="utf-8")


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()[:_HASH_CHARS]


def _hashed(name: str, content: bytes) -> str:
    """Return ``assets/<stem>.<hash><suffix>`` for a file of `content`."""
    path = PurePosixPath(name)
    return f"assets/{path.stem}.{_digest(content)}{path.suffix}"


def _json(value: object) -> str:
    """Return `value` as compact JSON, safe inside a ``<script>`` element and as JavaScript source."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@dataclass(frozen=True)
class _Assets:
    """What the pages load, as paths relative to the site's folder, in load order."""

    styles: tuple[str, ...]
    scripts: tuple[str, ...]


def _vendor_files(files: dict[str, bytes]) -> tuple[list[str], list[str]]:
    """Copy Leaflet, markercluster and the map's style sheet into `files`; return their styles and scripts."""
    styles: list[str] = []
    scripts: list[str] = []
    for asset in (*assets.VENDOR_FILES, assets.MAP_ASSET):
        src = assets.source_dir(asset)
        names = (*asset.js, *asset.css, *asset.extra) if asset is not assets.MAP_ASSET else asset.css
        contents = {n: (src / n).read_bytes() for n in names}
        digest = _digest(*(part for n in names for part in (n.encode(), contents[n])))
        folder = f"assets/{asset.name}.{digest}"
        for name, content in contents.items():
            files[f"{folder}/{name}"] = content
        styles += [f"{folder}/{n}" for n in asset.css]
        if asset is not assets.MAP_ASSET:
            scripts += [f"{folder}/{n}" for n in asset.js]
    return styles, scripts


def _page(lang: Lang, selection: Selection, found: _Assets, *, app_url: str | None) -> bytes:
    """Return the page of `lang` (its links relative to where `PAGES` puts it)."""
    depth = PAGES[lang].count("/")
    up = "../" * depth
    other = other_lang(lang)
    other_href = up + PAGES[other]
    config = page_config(lang, other_href=other_href, app_url=app_url)
    date = data_date(selection)
    info = t("site_data", lang, n=len(selection), date=date) if date else t("on_map", lang, n=len(selection))
    app_link = ""
    if app_url:
        app_link = f' <a id="cm-app" href="{html.escape(app_url)}">{html.escape(t("site_app", lang))}</a>'
    values = {
        "lang": lang,
        "title": t("title", lang),
        "intro": t("intro_site", lang),
        "other_lang": other,
        "other_href": other_href,
        "other_name": t("lang_name", other),
        "data_info": info,
        "search": t("search", lang),
        "search_placeholder": t("search_placeholder", lang),
        "search_help": t("search_help", lang),
        "categories": t("categories", lang),
        "units": t("units", lang),
        "all_units": t("site_all_units", lang),
        "units_district": t("units_district", lang),
        "units_ward_2025": t("units_ward_2025", lang),
        "reset": t("site_reset", lang),
        "whats_on": t("site_whats_on", lang),
        "noscript": t("site_noscript", lang),
    }
    escaped = {k: html.escape(v) for k, v in values.items()}
    page = Template(_read("index.html")).substitute(
        escaped,
        app_link=app_link,
        config=_json(config),
        styles="\n".join(f'<link rel="stylesheet" href="{up}{s}">' for s in found.styles),
        scripts="\n".join(f'<script src="{up}{s}"></script>' for s in found.scripts),
    )
    return page.encode("utf-8")


def site_files(selection: Selection, *, app_url: str | None = None, precompress: bool = True) -> dict[str, bytes]:
    """Return every file of the site of `selection`, by path relative to the site's folder.

    Parameters
    ----------
    selection
        The spaces (and their events) the site shows: `creative_map.select`'s result.
    app_url
        The address of the app for planners (e.g. ``/app/``); the pages link to it. None: no link.
    precompress
        Also return a ``.gz`` of every page, script and style sheet above `GZIP_MIN_BYTES`.

    Returns
    -------
    dict
        Path (``/``-separated) to content, sorted by path. The same arguments give the same bytes.
    """
    files: dict[str, bytes] = {}
    styles, scripts = _vendor_files(files)
    data = ("window.CREATIVE_MAP_DATA=" + _json(site_data(selection)) + ";\n").encode("utf-8")
    units = ("window.CREATIVE_MAP_UNITS=" + _json(units_data()) + ";\n").encode("utf-8")
    script = ("window.CREATIVE_MAP_FOLD=" + _json(fold_tables()) + ";\n" + _read("site.js")).encode("utf-8")
    style = _read("site.css").encode("utf-8")
    own = {
        _hashed("units.js", units): units,
        _hashed("data.js", data): data,
        _hashed("site.js", script): script,
        _hashed("site.css", style): style,
    }
    files.update(own)
    found = _Assets(
        styles=(*styles, _hashed("site.css", style)),
        scripts=(*scripts, *(p for p in own if p.endswith(".js"))),
    )
    for lang in LANGS:
        files[PAGES[lang]] = _page(lang, selection, found, app_url=app_url)
    if precompress:
        for path, content in list(files.items()):
            if path.endswith(_GZIP_SUFFIXES) and len(content) >= GZIP_MIN_BYTES:
                files[path + ".gz"] = gzip.compress(content, compresslevel=9, mtime=0)
    return dict(sorted(files.items()))


@dataclass(frozen=True)
class SiteSummary:
    """What `write_site` wrote."""

    path: Path
    files: int
    bytes: int
    spaces: int
    events: int
    data_file: str
    """The data file's path in the site (``assets/data.<hash>.js``)."""
    data_bytes: int
    data_gzip_bytes: int


def is_site(folder: str | os.PathLike[str]) -> bool:
    """Return whether `folder` holds a site that `write_site` wrote (its index.html carries `GENERATOR`)."""
    index = Path(folder) / PAGES["vi"]
    try:
        with index.open(encoding="utf-8", errors="replace") as f:
            return GENERATOR in f.read(4096)
    except OSError:
        return False


def check_target(out_dir: str | os.PathLike[str], *, force: bool) -> None:
    """Refuse, before any work, a target `write_site` would refuse.

    Raises
    ------
    FileExistsError
        When `out_dir` is a file; holds files and `force` is not set; or holds something else than a site.
    """
    final = Path(out_dir)
    if not final.exists():
        return
    if not final.is_dir():
        raise FileExistsError(f"{final} exists and is not a folder")
    if not any(final.iterdir()):
        return
    if not force:
        raise FileExistsError(f"{final} exists; use --force to replace it")
    if not is_site(final):
        raise FileExistsError(
            f"{final} exists and is not a site written by `creative-map site` (its index.html lacks "
            f"{GENERATOR}); --force replaces only such a site: remove the folder yourself"
        )


def write_site(
    selection: Selection,
    out_dir: str | os.PathLike[str],
    *,
    force: bool = False,
    app_url: str | None = None,
    precompress: bool = True,
) -> SiteSummary:
    """Write the static site of `selection` into the folder `out_dir`, atomically.

    Parameters
    ----------
    selection
        `creative_map.select`'s result.
    out_dir
        The site's folder. Written to a temporary folder beside it, then renamed into place.
    force
        Replace an existing site (a folder whose index.html `write_site` wrote). Any other non-empty folder
        is refused, even with `force`.
    app_url, precompress
        See `site_files`.

    Returns
    -------
    SiteSummary

    Raises
    ------
    FileExistsError
        When `out_dir` exists, holds files and `force` is not set, or is not a site.
    """
    final = Path(out_dir)
    check_target(final, force=force)
    files = site_files(selection, app_url=app_url, precompress=precompress)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent))
    old: Path | None = None
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; a web server's user must read the site
        for rel, content in files.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        check_target(final, force=force)  # again: something may have appeared meanwhile
        if final.exists():
            old = final.with_name(f".{final.name}.{os.getpid()}.old")
            final.rename(old)
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and not final.exists():
            with contextlib.suppress(OSError):
                old.rename(final)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    data_file = next(p for p in files if p.startswith("assets/data.") and p.endswith(".js"))
    logger.info("wrote the site of %d spaces to %s", len(selection), final)
    return SiteSummary(
        path=final,
        files=sum(1 for p in files if not p.endswith(".gz")),
        bytes=sum(len(c) for c in files.values()),
        spaces=len(selection),
        events=len(selection.events),
        data_file=data_file,
        data_bytes=len(files[data_file]),
        data_gzip_bytes=len(files.get(data_file + ".gz") or gzip.compress(files[data_file], 9, mtime=0)),
    )
