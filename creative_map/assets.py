"""The files the map page loads, taken from installed packages: never from a CDN, never copied into the repository.

Leaflet 1.9.4 comes from the PyPI package ``django-js-lib-leaflet`` (plain files, no Django needed),
Leaflet.markercluster 1.4.1 from ``xstatic-leaflet-markercluster``, and the map's own script and style sheet
from this package (``creative_map/resources/map/``, package data). The app serves them through Streamlit's
static serving: :func:`ensure_static` copies them into ``<the app's static folder>/vendor/`` (git-ignored) at
startup; :func:`js_urls` and :func:`css_urls` give the URLs a map points at. A self-contained HTML file inlines
them instead (:func:`inline_js`, :func:`inline_css`, with the CSS images as data URIs). Every file is found
with `importlib.resources`, so an installed wheel works as well as the source tree.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlencode

__all__ = [
    "ASSETS",
    "DEFAULT_STATIC_URL",
    "MAP_ASSET",
    "STATIC_ROOT_URL",
    "VENDOR_FILES",
    "Asset",
    "css_urls",
    "ensure_static",
    "inline_css",
    "inline_js",
    "js_urls",
    "prefetch_url",
    "source_dir",
    "static_root_url",
    "static_url",
]

logger = logging.getLogger(__name__)

VENDOR = "vendor"
"""The folder under the app's static folder that holds the copies."""

STATIC_ROOT_URL = "/app/static"
"""Where Streamlit serves the app's ``static/`` folder (``[server] enableStaticServing = true``)."""
DEFAULT_STATIC_URL = f"{STATIC_ROOT_URL}/{VENDOR}"
"""Where Streamlit serves ``static/vendor/``."""


PREFETCH_JS = "prefetch.js"


@dataclass(frozen=True)
class Asset:
    """One library served to the browser: where its files are installed and which of them the page loads."""

    name: str
    """Folder name under ``static/vendor/``."""
    package: str
    """The importable package that carries the files."""
    subdir: str
    """Folder inside the package that holds the files."""
    js: tuple[str, ...]
    css: tuple[str, ...]
    extra: tuple[str, ...] = ()
    """Other files the CSS refers to (images)."""


VENDOR_FILES: tuple[Asset, ...] = (
    Asset(
        "leaflet",
        "js_lib_leaflet",
        "static/js_lib_leaflet",
        js=("leaflet.js",),
        css=("leaflet.css",),
        extra=(
            "images/layers.png",
            "images/layers-2x.png",
            "images/marker-icon.png",
            "images/marker-icon-2x.png",
            "images/marker-shadow.png",
        ),
    ),
    Asset(
        "markercluster",
        "xstatic.pkg.leaflet_markercluster",
        "data",
        js=("leaflet.markercluster.js",),
        css=("MarkerCluster.css", "MarkerCluster.Default.css"),
    ),
)
"""The third-party libraries, in load order: Leaflet first, then the plugins."""

MAP_ASSET = Asset(
    "creative_map",
    "creative_map",
    "resources/map",
    js=("creative_map.js",),
    css=("creative_map.css",),
    extra=(PREFETCH_JS,),
)
"""The map's own script (``creativeMap.spacesLayer`` ...) and style sheet, package data of `creative_map`; the app's
map also loads ``prefetch.js`` first (`prefetch_url`), which starts fetching its data file."""

ASSETS: tuple[Asset, ...] = (*VENDOR_FILES, MAP_ASSET)
"""Everything the map page loads, in load order (the map's script needs Leaflet and markercluster)."""


def source_dir(asset: Asset) -> Path:
    """Return the installed folder holding `asset`'s files.

    Raises
    ------
    FileNotFoundError
        When the package is not installed or lacks a file (with the command that fixes it).
    """
    try:
        base = Path(str(resources.files(asset.package))) / asset.subdir
    except ModuleNotFoundError as exc:
        raise FileNotFoundError(
            f"the package carrying {asset.name} ({asset.package}) is not installed; run scripts/setup"
        ) from exc
    for name in (*asset.js, *asset.css, *asset.extra):
        if not (base / name).is_file():
            raise FileNotFoundError(f"{base / name} is missing: reinstall {asset.package} (scripts/setup)")
    return base


def ensure_static(static_dir: str | os.PathLike[str]) -> Path:
    """Copy the files of `ASSETS` into ``<static_dir>/vendor/`` unless they are already there and current.

    Parameters
    ----------
    static_dir
        The app's static folder: ``static/`` beside the app's script, which Streamlit serves at
        ``/app/static/`` (the app passes it; the library does not guess where the app is).

    Returns
    -------
    pathlib.Path
        The vendor folder. Each library is copied to a temporary folder and renamed into place, so a
        crash never leaves half a library behind.
    """
    vendor = Path(static_dir) / VENDOR
    vendor.mkdir(parents=True, exist_ok=True)
    for asset in ASSETS:
        src = source_dir(asset)
        dest = vendor / asset.name
        names = (*asset.js, *asset.css, *asset.extra)
        if all(_same_file(src / n, dest / n) for n in names):
            continue
        tmp = Path(tempfile.mkdtemp(prefix=f".{asset.name}.", dir=vendor))
        for name in names:
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src / name, tmp / name)
        if dest.exists():
            shutil.rmtree(dest)
        tmp.rename(dest)
        logger.info("copied %s from %s to %s", asset.name, src, dest)
    return vendor


def _same_file(a: Path, b: Path) -> bool:
    return b.is_file() and a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


def static_root_url(base_url_path: str = "") -> str:
    """Return where Streamlit serves the app's ``static/`` folder under the base path `base_url_path` (see
    `static_url`): ``/app/static``, or ``/app/app/static`` behind nginx at ``/app/``."""
    base = base_url_path.strip().strip("/")
    return f"/{base}{STATIC_ROOT_URL}" if base else STATIC_ROOT_URL


def static_url(base_url_path: str = "") -> str:
    """Return where Streamlit serves ``static/vendor/`` for an app run with ``--server.baseUrlPath`` `base_url_path`.

    Streamlit serves the app's ``static/`` folder at ``/app/static/``, under the base path when there is one:
    ``static_url("app") == "/app/app/static/vendor"`` (behind nginx at ``/app/``, see ``deploy/``). Under the
    base path ``app``, ``/app/static/`` is Streamlit's own frontend: the map would get its HTML page instead
    of Leaflet, and draw nothing.

    Parameters
    ----------
    base_url_path
        Streamlit's ``server.baseUrlPath`` option (``st.get_option("server.baseUrlPath")``); "" for none.
        Slashes around it do not matter.
    """
    return f"{static_root_url(base_url_path)}/{VENDOR}"


def js_urls(base_url: str = DEFAULT_STATIC_URL, *, names: tuple[str, ...] = ("leaflet",)) -> list[tuple[str, str]]:
    """Return ``(name, url)`` pairs of the scripts of the assets named `names`, as folium's `default_js` wants."""
    return [
        (f"{a.name}_{i}", f"{base_url}/{a.name}/{js}") for a in ASSETS if a.name in names for i, js in enumerate(a.js)
    ]


def css_urls(base_url: str = DEFAULT_STATIC_URL, *, names: tuple[str, ...] = ("leaflet",)) -> list[tuple[str, str]]:
    """Return ``(name, url)`` pairs of the style sheets of the assets named `names`."""
    return [
        (f"{a.name}_css_{i}", f"{base_url}/{a.name}/{css}")
        for a in ASSETS
        if a.name in names
        for i, css in enumerate(a.css)
    ]


def prefetch_url(base_url: str, *, gz: str, json: str) -> str:
    """Return the address of the map's ``prefetch.js`` carrying a data file's addresses (``?gz=...&json=...``):
    loaded before Leaflet, it starts the download while the other scripts load."""
    return f"{base_url}/{MAP_ASSET.name}/{PREFETCH_JS}?{urlencode({'gz': gz, 'json': json})}"


def _asset(name: str) -> Asset:
    for asset in ASSETS:
        if asset.name == name:
            return asset
    raise ValueError(f"unknown asset {name!r}; expected one of: {', '.join(a.name for a in ASSETS)}")


@cache
def inline_js(name: str) -> str:
    """Return the script text of asset `name`, safe to put between ``<script>`` tags."""
    asset = _asset(name)
    src = source_dir(asset)
    text = "\n".join((src / js).read_text(encoding="utf-8") for js in asset.js)
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


_CSS_URL = re.compile(r"url\((['\"]?)(images/[^)'\"]+)\1\)")


@cache
def inline_css(name: str) -> str:
    """Return the style sheets of asset `name`, with the images they use embedded as data URIs."""
    asset = _asset(name)
    src = source_dir(asset)

    def embed(match: re.Match[str]) -> str:
        image = src / match.group(2)
        if not image.is_file():
            return match.group(0)
        data = base64.b64encode(image.read_bytes()).decode("ascii")
        return f'url("data:image/png;base64,{data}")'

    text = "\n".join(_CSS_URL.sub(embed, (src / css).read_text(encoding="utf-8")) for css in asset.css)
    return re.sub(r"</(style)", r"<\\/\1", text, flags=re.IGNORECASE)
