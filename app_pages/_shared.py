"""What every page shares: the data and the store (loaded once per process), the language, who is asking.

The data is loaded once per file version (`load_dataset`, keyed by the files' mtimes, so an approved change
is on the public map at the next run) and the store is opened once per setting (`open_store`): both are
`st.cache_resource`, shared by every session, read-only for the pages.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Final, Literal
from urllib.parse import quote, urlencode

import streamlit as st

import creative_map
from creative_map import assets, io, suggestions, urlstate
from creative_map.classes import format_number
from creative_map.dataset import data_date
from creative_map.errors import DataError
from creative_map.events import date_range_text
from creative_map.i18n import TEXTS, coerce_lang, t
from creative_map.suggestions.settings import ENV_NAMES
from creative_map.types import LANGS, Lang

ROOT: Final = Path(__file__).resolve().parent.parent
STATIC_DIR: Final = ROOT / "static"
"""Streamlit serves static/ beside app.py at /app/static/ (``enableStaticServing``)."""
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


@st.cache_resource(show_spinner=False, max_entries=4)
def load_dataset(path: str, stamp: tuple[float, float]) -> creative_map.Dataset:
    """Load and validate the spaces and their events once per file version (`stamp`: the files' mtimes).

    One object shared by every session, read-only: nothing here changes it (`select` returns new frames).
    """
    return creative_map.load(path)


def mtime(path: Path) -> float:
    """The file's modification time (0 when it does not exist)."""
    return path.stat().st_mtime if path.exists() else 0.0


def data_path() -> Path:
    """The spaces file (``CREATIVE_MAP_DATA``, else the shipped data); the events file lies beside it."""
    return io.data_path()


def dataset() -> creative_map.Dataset:
    """The data as the files hold it now; on bad data, a message naming the problem, and the page stops."""
    path = data_path()
    try:
        return load_dataset(str(path), (mtime(path), mtime(io.events_path_for(path))))
    except (DataError, OSError) as exc:
        st.error(f"{t('data_error', 'vi')} / {t('data_error', 'en')}")
        st.code(str(exc), language=None)
        st.stop()


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


def static_url() -> str:
    """Where this server serves the map's files (Leaflet, its plugins, the map's script): under Streamlit's
    ``--server.baseUrlPath`` when there is one (behind nginx at ``/app/``)."""
    return assets.static_url(st.get_option("server.baseUrlPath"))


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
    day = data_date(dataset)
    when = date_range_text(day, day, lang) if day else t("data_undated", lang)
    st.caption(t("data_as_of", lang, date=when, n=format_number(dataset.total, lang, decimals=0)))


def view_state(space_ids: set[str]) -> urlstate.ViewState:
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
