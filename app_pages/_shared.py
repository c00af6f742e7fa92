"""What every page shares: the data and the store (loaded once per process), the language, who is asking.

The data is loaded once per file version (`map_data`, keyed by the files' mtimes, so an approved change is on
the public map at the next run) and the store is opened once per setting (`open_store`): both are
`st.cache_resource`, one object shared by every session, read-only for the pages (no `st.cache_data`: that
would unpickle a copy of the frames on every run of every session).

Loading goes through the dataset cache (`creative_map.cache`: GeoParquet under ``var/cache/``, keyed by the
files' content), so a restart on unchanged files does not validate them again. The pages keep in memory only
the columns the map, the filters and the list use (`MAP_COLUMNS`); the full record of a space (the selected
one, the spaces of an export) is read from the cache when it is asked for (`space_record`, `full_selection`).
The map's data file (the spaces' compact rows) is written once per data version into ``static/cm/``, which
Streamlit serves, and each map fetches it once.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import secrets
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal
from urllib.parse import quote, urlencode

import geopandas as gpd
import pandas as pd
import streamlit as st

import creative_map
from creative_map import assets, boundaries, cache, io, mapfile, mapping, schema, suggestions, urlstate
from creative_map.classes import format_number
from creative_map.dataset import data_date
from creative_map.errors import DataError
from creative_map.events import date_range_text
from creative_map.i18n import TEXTS, coerce_lang, t
from creative_map.listing import by_name
from creative_map.mapping import DataUrls
from creative_map.query import Filter
from creative_map.suggestions.settings import ENV_NAMES
from creative_map.types import LANGS, Lang, Level

logger = logging.getLogger(__name__)

ROOT: Final = Path(__file__).resolve().parent.parent
STATIC_DIR: Final = ROOT / "static"
"""Streamlit serves static/ beside app.py at /app/static/ (``enableStaticServing``)."""
MAP_FILES: Final = "cm"
"""The folder of static/ that holds the map's data files (git-ignored, written by the app)."""
CACHE_DIR: Final = ROOT / "var" / "cache"
"""The dataset cache (git-ignored) unless ``CREATIVE_MAP_CACHE`` names another folder."""
ISOLATE_FROM_BYTES: Final = 8 * 1024 * 1024
"""Data files at least this large (about 10,000 spaces) are validated in a child process on a cache miss, so
the server never holds their parsed GeoJSON."""
MAP_COLUMNS: Final = (
    schema.ID,
    schema.NAME_VI,
    schema.NAME_EN,
    schema.CATEGORY,
    schema.ADDRESS,
    schema.DISTRICT,
    schema.WARD_2025,
    schema.STATUS,
    schema.PLAN_ITEM,
    schema.NETWORK_MEMBER_COL,
    schema.POSITION_PRECISION,
    schema.NAME_FOLDED,
    schema.REP_LON,
    schema.REP_LAT,
    schema.LAST_VERIFIED,
)
"""The columns of the spaces the pages keep in memory: what the filters, the map's rows, the list and the data's
date read (the geometry too). The rest (descriptions, hours, website, sources ...) is read per space when it is
shown."""
LANG: Final = "lang"
"""The language's widget key and URL parameter (the same as `creative_map.urlstate.LANG`)."""
SESSION: Final = "cm_session"
HANOI: Final = dt.timezone(dt.timedelta(hours=7), "ICT")
VIEW: Final = "map_view"
"""The Map page's view as link parameters, kept while the person is on another page (its widgets are forgotten
there): the Numbers and What's on pages read their filter from it and set it to open the map on a unit."""
MAP_PAGE: Final = "app_pages/map.py"
DB_ENV: Final = "CREATIVE_MAP_DB"


@st.cache_resource(show_spinner=False)
def vendor_files() -> Path:
    """Copy Leaflet, its plugins and the map's script from the installed packages into static/vendor/, once."""
    return assets.ensure_static(STATIC_DIR)


@dataclass(frozen=True, eq=False)
class MapData:
    """The data as every session shares it (read-only): the dataset, the full records, the map's data file."""

    dataset: creative_map.Dataset
    """The spaces with `MAP_COLUMNS` only (and every event)."""
    entry: cache.Entry | None
    """Where the full records are (None when the cache could not be written: then `full` holds them)."""
    full: creative_map.Dataset | None
    file: mapfile.StaticFile
    """The map's data file (its rows ordered by id, as every selection is)."""
    urls: DataUrls
    bounds: tuple[float, float, float, float] | None
    """(min lon, min lat, max lon, max lat) of every space."""
    space_ids: frozenset[str]
    """Every space's id (what a link may select), built once rather than on every run."""
    date: dt.date | None
    """The data's date (`creative_map.dataset.data_date`), found once rather than on every run."""


def cache_dir() -> Path:
    """The dataset cache: ``CREATIVE_MAP_CACHE``, else ``var/cache/`` of the project."""
    return Path(os.environ.get(cache.ENV_CACHE, "") or CACHE_DIR)


@st.cache_resource(show_spinner=False, max_entries=4)
def load_map_data(path: str, stamp: tuple[float, float], base_url: str) -> MapData:
    """Load the spaces and their events once per file version (`stamp`: the files' mtimes) and write the map's
    data file; `base_url`: Streamlit's base path (where the file is served).

    One object shared by every session, read-only: nothing here changes it (`select` returns new frames).
    """
    spaces_path = Path(path)
    entry: cache.Entry | None = None
    full: creative_map.Dataset | None = None
    try:
        isolate = spaces_path.is_file() and spaces_path.stat().st_size >= ISOLATE_FROM_BYTES
        entry = cache.entry(spaces_path, cache_dir=cache_dir(), isolate=isolate)
        dataset = entry.dataset(MAP_COLUMNS)
    except OSError as exc:  # the cache cannot be written or read: the same data, validated here, all in memory
        logger.log(logging.WARNING, "the dataset cache at %s cannot be used (%s): loading without it", cache_dir(), exc)
        full = creative_map.load(spaces_path)
        dataset = creative_map.Dataset(
            full.spaces[[*MAP_COLUMNS, schema.GEOMETRY]], full.events, full.path, full.events_path
        )
    file = mapfile.data_file(dataset.spaces)
    folder = STATIC_DIR / MAP_FILES
    mapfile.write(file, folder)
    mapfile.remove_old(folder, keep=[file])
    root = f"{assets.static_root_url(base_url)}/{MAP_FILES}"
    bounds = tuple(float(v) for v in dataset.spaces.total_bounds) if len(dataset.spaces) else None
    return MapData(
        dataset,
        entry,
        full,
        file,
        DataUrls(f"{root}/{file.gz_name}", f"{root}/{file.name}"),
        bounds,  # type: ignore[arg-type]  # four floats
        frozenset(dataset.spaces[schema.ID].tolist()),
        data_date(dataset),
    )


def page_names(namespace: dict[str, object]) -> frozenset[str]:
    """The names a page script has defined so far (its imports, functions and constants): what `forget_run` keeps."""
    return frozenset(namespace) | {"PAGE_NAMES"}


def forget_run(namespace: dict[str, object], *, keep: frozenset[str]) -> None:
    """Remove from a page's globals (`namespace`) every name its run set, except `keep` and the language.

    Call it last in a page. Streamlit keeps each widget's callback and label function in the session's state for
    as long as the session lives, and a closed session two minutes more (``server.disconnectedSessionTTL``, for a
    reconnection); a function defined in the page holds the page's globals, so without this every session keeps
    its last run's objects: at 10,000 spaces the selection's frame (about 3 MB) and what was built from it.
    ``lang`` stays: the label functions read it when Streamlit labels a value between runs (a language switch).
    A run cut short (a rerun, a closed page) keeps its objects until the session's next run or its end.
    """
    for name in set(namespace) - keep - {"lang"}:
        del namespace[name]


def mtime(path: Path) -> float:
    """The file's modification time (0 when it does not exist)."""
    return path.stat().st_mtime if path.exists() else 0.0


def data_path() -> Path:
    """The spaces file (``CREATIVE_MAP_DATA``, else the shipped data); the events file lies beside it."""
    return io.data_path()


def map_data() -> MapData:
    """The data as the files hold it now; on bad data, a message naming the problem, and the page stops."""
    path = data_path()
    try:
        return load_map_data(str(path), (mtime(path), mtime(io.events_path_for(path))), base_url())
    except (DataError, OSError) as exc:
        st.error(f"{t('data_error', 'vi')} / {t('data_error', 'en')}")
        st.code(str(exc), language=None)
        st.stop()


def dataset() -> creative_map.Dataset:
    """The dataset every page filters (the spaces with `MAP_COLUMNS` only; see `space_record` for the rest)."""
    return map_data().dataset


@dataclass(frozen=True, eq=False)
class View:
    """What a filter shows, as the Map page draws it (shared read-only when it comes from `_everything`)."""

    selection: creative_map.Selection
    shown: str
    """Which rows of the map's data file are shown (`creative_map.mapfile.shown_code`)."""


@st.cache_resource(show_spinner=False, max_entries=2)
def _everything(key: str) -> View:
    """The view with no filter of the data version `key` (`load_map_data`'s): what most new visitors see first,
    found once instead of once per visitor (the selection, its events and its code: 25 ms at 10,000 spaces)."""
    data = map_data()
    selection = creative_map.select(data.dataset, Filter())
    return View(selection, mapfile.shown_code(data.file, selection))


def view(data: MapData, flt: Filter) -> View:
    """What `flt` selects from `data` and which rows of the map's data file that is.

    With no filter, one `View` shared by every session (read-only, like the data); otherwise this run's own.
    """
    if flt == Filter():
        return _everything(data.file.stem)
    selection = creative_map.select(data.dataset, flt)
    return View(selection, mapfile.shown_code(data.file, selection))


@st.cache_resource(show_spinner=False, max_entries=64)
def _list_page(
    key: str, flt: str, lang: Lang, page: int, size: int, _selection: creative_map.Selection
) -> pd.DataFrame:
    """The list's page `page` of `size` rows for the filter `flt` (its repr) of the data version `key`."""
    ordered = by_name(_selection, lang, limit=(page + 1) * size)  # by name in `lang`, up to this page
    return mapping.list_frame(ordered, lang=lang, limit=size, offset=page * size)


def list_page(data: MapData, selection: creative_map.Selection, lang: Lang, page: int, size: int) -> pd.DataFrame:
    """The rows of the list's page `page` (`size` rows, by name in `lang`: `creative_map.mapping.list_frame`).

    Shared by the sessions that show the same filter, page and language (read-only): ordering 10,000 names costs
    about 20 ms, a new visitor most often asks for the first page with no filter.
    """
    return _list_page(data.file.stem, repr(selection.filter), lang, page, size, selection)


@st.cache_resource(show_spinner=False, max_entries=256)
def _records(key: str, ids: tuple[str, ...]) -> gpd.GeoDataFrame:
    """The full records of `ids` (in file order) of the data version `key` (`load_map_data`'s)."""
    data = map_data()
    if data.entry is not None:
        return data.entry.spaces(ids)
    assert data.full is not None, "MapData holds the full records when it has no cache entry"
    spaces = data.full.spaces
    return spaces.loc[spaces[schema.ID].isin(set(ids))].reset_index(drop=True)


def space_record(space_id: str | None) -> pd.Series | None:
    """The full record of one space (every field, for its details or a suggestion), or None when unknown."""
    if not space_id:
        return None
    data = map_data()
    found = _records(data.file.stem, (space_id,))
    return found.iloc[0] if len(found) else None


def full_selection(selection: creative_map.Selection) -> creative_map.Selection:
    """`selection` with the full records of its spaces (every field: what an export writes)."""
    data = map_data()
    if data.entry is not None:
        spaces = data.entry.spaces(selection.ids)
    else:
        assert data.full is not None, "MapData holds the full records when it has no cache entry"
        spaces = data.full.spaces.loc[data.full.spaces[schema.ID].isin(set(selection.ids))]
    spaces = spaces.sort_values(schema.ID, kind="stable").reset_index(drop=True)
    return creative_map.Selection(spaces, selection.events, selection.filter, selection.total)


@dataclass(frozen=True)
class Units:
    """A boundary layer as the map fetches it: its file's addresses, whether approximate, the legend's line."""

    urls: DataUrls
    approximate: bool
    label: str


@st.cache_resource(show_spinner=False, max_entries=16)
def load_boundaries(level: Level, path: str | None, stamp: float = 0.0) -> gpd.GeoDataFrame:
    """The shipped layer of `level`, or the official file at `path` (`stamp`: its mtime, so edits reload).

    Shared by every session, read-only (callers draw or export it; nothing changes it).
    """
    return boundaries.load_boundaries(level, path or None)


@st.cache_resource(show_spinner=False, max_entries=16)
def units_file(level: Level, path: str | None, stamp: float, lang: Lang, base_url: str) -> Units:
    """The boundary layer `level` (shipped, or the file at `path`) labelled in `lang`, written once as the map's
    static file."""
    file, approximate, label = mapfile.units_file(load_boundaries(level, path, stamp), lang=lang, level=level)
    mapfile.write(file, STATIC_DIR / MAP_FILES)
    root = f"{assets.static_root_url(base_url)}/{MAP_FILES}"
    return Units(DataUrls(f"{root}/{file.gz_name}", f"{root}/{file.name}"), approximate, label)


@st.cache_resource(show_spinner=False, max_entries=4)
def open_store(url: str, settings: tuple[tuple[str, str], ...]) -> suggestions.Store:
    """Open the store of suggestions once per setting (`url`: ``CREATIVE_MAP_DB``; `settings`: the limits)."""
    return suggestions.open_store(url or None)


def store(lang: Lang) -> suggestions.Store:
    """The store; when it cannot be used, a message saying why, and the page stops."""
    settings = tuple((var, os.environ.get(var, "")) for var in ENV_NAMES.values())
    try:
        return open_store(os.environ.get(DB_ENV, ""), settings)
    except (suggestions.StoreError, ValueError, OSError) as exc:
        box("error", t("store_error", lang), [str(exc)])
        st.stop()


def language() -> Lang:
    """The language switch (in the sidebar of every page); a new session takes it from the link (``?lang=en``).

    Switching keeps every choice made on the page (`keep_choices`).
    """
    if SESSION not in st.session_state:  # a new session
        st.session_state[SESSION] = secrets.token_hex(16)
        st.session_state[LANG] = coerce_lang(st.query_params.get(LANG))
    with st.sidebar:
        lang: Lang = st.radio(
            t("language"),
            LANGS,
            key=LANG,
            horizontal=True,
            format_func=lambda code: t("lang_name", code),
            on_change=keep_choices,
        )
    return lang


def kept_value(value: object) -> bool:
    """Whether a session-state value is one `keep_choices` sets again: what a choice, a text or a date widget
    holds (never a button's bool, a table's selection or a map's dict, which Streamlit does not let a script set).
    """
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, list | tuple):
        return all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in value)
    return isinstance(value, str | int | float | dt.date)


def keep_choices() -> None:
    """Set every choice the person made again, before the page is drawn in the other language.

    A radio, a select box or a multiselect tells the server its choice by its label, and the labels change
    with the language: left alone, the server would not recognise the old label, and the radios of the map
    page would show nothing chosen, a multiselect its chips in the old language. This runs before the page
    (a callback of the switch), while the widgets still read the old labels: each value read here is the
    option itself, and setting it makes Streamlit send the widget its label in the new language.
    """
    for key in list(st.session_state):
        if key == LANG or not isinstance(key, str):
            continue
        value = st.session_state[key]
        if kept_value(value):
            st.session_state[key] = value


BEHIND_PROXY = "CREATIVE_MAP_BEHIND_PROXY"
"""Set (to 1) when the app runs behind a reverse proxy that sets ``X-Real-IP`` (``deploy/run`` does): the client's
address is then read from that header. Never set it for an app that clients reach directly: they could claim
any address."""


def sender() -> str:
    """Who is asking, for the limits: the client's IP address when Streamlit knows it, else this session.

    Behind the project's nginx (`BEHIND_PROXY` set) every request comes from the proxy, so the address is the
    one the proxy saw (``X-Real-IP``). Streamlit gives no address for a client on this machine (or when it
    cannot tell): then each browser session counts as one sender, and the limit on everyone together still
    holds. Only the library's salted hash of what this returns is stored.
    """
    address: object = st.context.ip_address
    if os.environ.get(BEHIND_PROXY):
        address = st.context.headers.get("X-Real-IP") or address
    return sender_of(address, str(st.session_state.get(SESSION) or ""))


def base_url() -> str:
    """Streamlit's ``--server.baseUrlPath`` ("" for none): the app's files are served under it."""
    return str(st.get_option("server.baseUrlPath") or "")


def static_url() -> str:
    """Where this server serves the map's files (Leaflet, its plugins, the map's script): under Streamlit's
    ``--server.baseUrlPath`` when there is one (behind nginx at ``/app/``)."""
    return assets.static_url(base_url())


def sender_of(ip_address: object, session: str) -> str:
    """The sender for `ip_address` (None or not a text: unknown) or, failing that, for the browser `session`."""
    if isinstance(ip_address, str) and ip_address.strip():
        return ip_address.strip()
    return f"session:{session}"


Kind = Literal["error", "warning", "info", "success"]
_BOX_STYLE: Final = (
    "<style>.cm-box{border-radius:.5rem;padding:.75rem 1rem;margin:.25rem 0 .5rem;line-height:1.45}"
    ".cm-box p{margin:0}.cm-box ul{margin:.35rem 0 0;padding-left:1.2rem}.cm-box li{overflow-wrap:anywhere}"
    ".cm-box-error{background:#fde8e8;color:#7d1414}.cm-box-warning{background:#fff5d6;color:#6b4a00}"
    ".cm-box-info{background:#e6f0fb;color:#0b3a6e}.cm-box-success{background:#e4f4e8;color:#175a2a}</style>"
)


def box(kind: Kind, lead: str, details: Sequence[str] = ()) -> None:
    """Show a message: `lead` (a text of the catalogue) and `details` (texts from users or the library).

    Everything is escaped: nothing here is read as Markdown or HTML (``st.error`` would read Markdown).
    """
    items = "".join(f"<li>{html.escape(d)}</li>" for d in details)
    role = "alert" if kind == "error" else "status"
    st.html(
        f'{_BOX_STYLE}<div class="cm-box cm-box-{kind}" role="{role}"><p>{html.escape(lead)}</p>'
        + (f"<ul>{items}</ul>" if items else "")
        + "</div>"
    )


def when(moment: dt.datetime | None, lang: Lang) -> str:
    """A moment as Hanoi's local time, ``2026-12-03 15:04``; "" for None."""
    if moment is None:
        return ""
    return t("time_hanoi", lang, time=moment.astimezone(HANOI).strftime("%Y-%m-%d %H:%M"))


def field_label(name: str | None, lang: Lang) -> str:
    """The label of a field of a space or an event (or of a suggestion: source, contact ...), else the name."""
    if not name:
        return ""
    name = name.removeprefix("changes.")
    key = f"field_{name}"
    return t(key, lang) if key in TEXTS else name


def data_line(dataset: creative_map.Dataset, lang: Lang) -> None:
    """Say how many spaces the data holds and how recent it is (the latest date an entry was checked)."""
    data = map_data()
    day = data.date if dataset is data.dataset else data_date(dataset)
    when = date_range_text(day, day, lang) if day else t("data_undated", lang)
    st.caption(t("data_as_of", lang, date=when, n=format_number(dataset.total, lang, decimals=0)))


def view_state(space_ids: AbstractSet[str]) -> urlstate.ViewState:
    """The Map page's view: as this session left it, else as this page's link says (``numbers?cat=museum``).

    The page's address is set to it, so that a link to the page reproduces the same numbers or events.
    """
    params = st.session_state.get(VIEW)
    if params is None:
        params = {name: st.query_params.get_all(name) for name in st.query_params if name in urlstate.PARAMS}
    state, _ = urlstate.parse_params(params, space_ids=space_ids)
    state = urlstate.ViewState(**{**state.__dict__, "lang": current_lang(), "selected": None})
    st.query_params.from_dict(urlstate.to_params(state))
    return state


def view_params(state: urlstate.ViewState) -> dict[str, list[str]]:
    """The link parameters of `state`, each as a list (what `VIEW` holds)."""
    return {k: [v] if isinstance(v, str) else list(v) for k, v in urlstate.to_params(state).items()}


def open_map(state: urlstate.ViewState) -> None:
    """Go to the Map page showing `state` (the view this session keeps, so the map takes it up)."""
    st.session_state[VIEW] = view_params(state)
    st.session_state.setdefault("notices", [])  # the map then takes the view kept, not its empty address
    st.switch_page(MAP_PAGE)


def map_link(state: urlstate.ViewState) -> str:
    """A link (relative to the app) that opens the Map page on `state`, in a new session as in this one."""
    query = urlencode(urlstate.to_params(state), doseq=True, quote_via=quote)
    return "./" + (f"?{query}" if query else "")


def current_lang() -> Lang:
    """The language chosen in the sidebar (`language`, which app.py shows before any page runs)."""
    return coerce_lang(st.session_state.get(LANG))


def suggest_url(lang: Lang) -> str:
    """The Suggest page of a space, ``{id}`` standing for its id, relative to the app's address."""
    return "suggest?space={id}" + ("" if lang == "vi" else f"&lang={lang}")
