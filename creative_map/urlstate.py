"""The view in the page address: filters, language, search, selected space and display choices.

``parse_params`` turns query parameters (each a list of values, as ``st.query_params.get_all`` gives
them) into a :class:`ViewState`, ignoring what it does not understand and saying so in a :class:`Notice`
(at most `MAX_NOTICES`, then one that counts the rest); ``notice_text`` is a notice as a sentence ready for
Streamlit's Markdown, the link's text in it cut and escaped;
``to_params`` writes a state back, leaving defaults out, so that opening the link reproduces the view.
``widget_values`` and ``state_from_widgets`` map the state to the app's widget values and back (the widget
keys are the parameter names). No Streamlit here: the app passes plain mappings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from creative_map import admin, schema
from creative_map.i18n import t
from creative_map.patterns import is_iso_date, is_slug
from creative_map.query import Filter, plan_item_known
from creative_map.text import clip, escape_markdown
from creative_map.types import BASEMAPS, BOUNDARY_LAYERS, DEFAULT_LANG, LANGS, Basemap, BoundaryLayer, Lang, Level

__all__ = [
    "MAX_LIST_VALUES",
    "MAX_NOTICES",
    "MAX_SEARCH",
    "MAX_VALUE",
    "PARAMS",
    "Notice",
    "ViewState",
    "notice_text",
    "parse_params",
    "state_from_widgets",
    "to_params",
    "widget_values",
]

LANG: Final = "lang"
SEARCH: Final = "q"
UNITS: Final = "units"
DISTRICT: Final = "district"
WARD: Final = "ward"
CATEGORY: Final = "cat"
STATUS: Final = "status"
MEMBER: Final = "member"
PLAN: Final = "plan"
EVENT_FROM: Final = "from"
EVENT_TO: Final = "to"
SELECTED: Final = "sel"
BASEMAP: Final = "basemap"
LAYER: Final = "layer"

PARAMS: Final = (
    LANG,
    SEARCH,
    UNITS,
    DISTRICT,
    WARD,
    CATEGORY,
    STATUS,
    MEMBER,
    PLAN,
    EVENT_FROM,
    EVENT_TO,
    SELECTED,
    BASEMAP,
    LAYER,
)
"""Every parameter the app reads; anything else in a link is ignored with a notice."""

MAX_SEARCH: Final = 200
"""The longest search a link sets (a longer one is cut, with a notice)."""
MAX_VALUE: Final = 200
"""The longest value of any other parameter that is looked at; a longer one is ignored unread, with a notice."""
MAX_LIST_VALUES: Final = 200
"""How many values of one list parameter (``district``, ``cat`` ...) are read; the rest are ignored at once,
with one notice (no list has more choices than this: there are 126 wards)."""
MAX_NOTICES: Final = 10
"""How many notices `parse_params` returns; past it, one notice of kind ``more`` counts the others."""


@dataclass(frozen=True)
class ViewState:
    """What a person sees: the filter, the language, the selected space and the display choices."""

    filter: Filter = field(default_factory=Filter)
    lang: Lang = DEFAULT_LANG
    selected: str | None = None
    units: Level = "district"
    """Which set of units the person filters by (the other set's choices are not used)."""
    basemap: Basemap = "osm"
    layer: BoundaryLayer = "none"


@dataclass(frozen=True)
class Notice:
    """A parameter that was ignored: `kind` is ``unknown`` (not a parameter), ``bad`` (a bad value),
    ``unknown_space`` (a selected id that is no space) or ``more`` (`value` counts the notices left out).

    `param` and `value` are what the link held, as they were (they may be long or hostile: see `notice_text`).
    """

    kind: Literal["unknown", "bad", "unknown_space", "more"]
    param: str
    value: str = ""


_NOTICE_KEYS: Final = {
    "unknown": "param_unknown",
    "bad": "param_bad",
    "unknown_space": "param_unknown_space",
    "more": "param_more",
}


def notice_text(notice: Notice, lang: Lang = DEFAULT_LANG) -> str:
    """Return the notice as a sentence in `lang`, as Streamlit Markdown (for ``st.warning``, ``st.markdown``).

    The parameter's name and value come from whoever made the link: each is cut to its first 80 characters
    (`creative_map.text.clip`) and escaped (`creative_map.text.escape_markdown`), so the sentence shows them as
    they were typed and holds no link, image, HTML or formatting they made. Do not escape it again; for plain
    text (a log, a terminal) use the notice's fields.
    """
    return t(
        _NOTICE_KEYS[notice.kind],
        lang,
        param=escape_markdown(clip(notice.param)),
        value=escape_markdown(clip(notice.value)),
    )


def _values(params: Mapping[str, str | Sequence[str]], name: str, notices: list[Notice]) -> list[str]:
    """Return the values of list parameter `name` that are worth reading (at most `MAX_LIST_VALUES`, each at
    most `MAX_VALUE` long); a notice says what was left."""
    raw = params.get(name, [])
    items = [raw] if isinstance(raw, str) else list(raw)
    out: list[str] = []
    for item in items:
        out += [part.strip() for part in str(item).split(",") if part.strip()]
    if len(out) > MAX_LIST_VALUES:
        notices.append(Notice("bad", name, ",".join(out[MAX_LIST_VALUES : MAX_LIST_VALUES + 10])))
        out = out[:MAX_LIST_VALUES]
    notices += [Notice("bad", name, value) for value in out if len(value) > MAX_VALUE]
    return [value for value in out if len(value) <= MAX_VALUE]


def _single(params: Mapping[str, str | Sequence[str]], name: str) -> str | None:
    raw = params.get(name)
    if raw is None:
        return None
    items = [raw] if isinstance(raw, str) else list(raw)
    return str(items[-1]).strip() if items else None


def _date(value: str | None, name: str, notices: list[Notice]) -> str | None:
    if not value:
        return None
    if is_iso_date(value):
        return value
    notices.append(Notice("bad", name, value))
    return None


def _resolved(values: list[str], name: str, resolve: Any, notices: list[Notice]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        try:
            canonical = resolve(value).name
        except ValueError:
            notices.append(Notice("bad", name, value))
            continue
        if canonical not in out:
            out.append(canonical)
    return tuple(out)


def _vocab(values: list[str], name: str, vocab: Mapping[str, Any], notices: list[Notice]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        if value in vocab:
            if value not in out:
                out.append(value)
        else:
            notices.append(Notice("bad", name, value))
    return tuple(out)


def parse_params(
    params: Mapping[str, str | Sequence[str]], *, space_ids: AbstractSet[str] | None = None
) -> tuple[ViewState, list[Notice]]:
    """Read the view from query parameters; never raises on what a link holds.

    Parameters
    ----------
    params
        Parameter name -> its values (a list, or one string). Several values of a list parameter may also
        be given comma-separated.
    space_ids
        The ids of the loaded spaces: a selected id that is none of them is dropped with a notice.

    Returns
    -------
    tuple
        The state, and one `Notice` per parameter or value that was ignored (at most `MAX_NOTICES`, then one
        of kind ``more`` that counts the others).
    """
    notices: list[Notice] = [Notice("unknown", name) for name in params if name not in PARAMS]

    lang_value = _single(params, LANG)
    lang: Lang = DEFAULT_LANG
    if lang_value in LANGS:
        lang = lang_value
    elif lang_value is not None:
        notices.append(Notice("bad", LANG, lang_value))

    units: Level = "district"
    units_value = _single(params, UNITS)
    if units_value == "ward_2025":
        units = "ward_2025"
    elif units_value not in (None, "district"):
        notices.append(Notice("bad", UNITS, str(units_value)))

    districts = _resolved(_values(params, DISTRICT, notices), DISTRICT, admin.resolve_district, notices)
    wards = _resolved(_values(params, WARD, notices), WARD, admin.resolve_ward_2025, notices)
    if units == "district" and wards:
        notices += [Notice("bad", WARD, w) for w in wards]
        wards = ()
    if units == "ward_2025" and districts:
        notices += [Notice("bad", DISTRICT, d) for d in districts]
        districts = ()

    search = _single(params, SEARCH) or ""
    if len(search) > MAX_SEARCH:
        notices.append(Notice("bad", SEARCH, search))
        search = search[:MAX_SEARCH]

    plan_items: list[str] = []
    for value in _values(params, PLAN, notices):
        if plan_item_known(value):
            plan_items.append(value)
        else:
            notices.append(Notice("bad", PLAN, value))

    start = _date(_single(params, EVENT_FROM), EVENT_FROM, notices)
    end = _date(_single(params, EVENT_TO), EVENT_TO, notices)
    if start and end and start > end:
        notices.append(Notice("bad", EVENT_TO, end))
        end = None

    flt = Filter(
        districts=districts,
        wards_2025=wards,
        categories=_vocab(_values(params, CATEGORY, notices), CATEGORY, schema.CATEGORIES, notices),
        statuses=_vocab(_values(params, STATUS, notices), STATUS, schema.STATUSES, notices),
        network_members=_vocab(_values(params, MEMBER, notices), MEMBER, schema.NETWORK_MEMBER, notices),
        plan_items=tuple(dict.fromkeys(plan_items)),
        search=search,
        event_start=start,
        event_end=end,
    )

    selected = _single(params, SELECTED) or None
    if selected is not None and (len(selected) > MAX_VALUE or not is_slug(selected)):
        notices.append(Notice("bad", SELECTED, selected))
        selected = None
    elif selected is not None and space_ids is not None and selected not in space_ids:
        notices.append(Notice("unknown_space", SELECTED, selected))
        selected = None

    basemap_value = _single(params, BASEMAP) or "osm"
    basemap: Basemap = "osm"
    if basemap_value in BASEMAPS:
        basemap = basemap_value
    else:
        notices.append(Notice("bad", BASEMAP, basemap_value))
    layer_value = _single(params, LAYER) or "none"
    layer: BoundaryLayer = "none"
    if layer_value in BOUNDARY_LAYERS:
        layer = layer_value
    else:
        notices.append(Notice("bad", LAYER, layer_value))

    state = ViewState(filter=flt, lang=lang, selected=selected, units=units, basemap=basemap, layer=layer)
    if len(notices) > MAX_NOTICES:
        notices = [*notices[:MAX_NOTICES], Notice("more", "", str(len(notices) - MAX_NOTICES))]
    return state, notices


def to_params(state: ViewState) -> dict[str, str | list[str]]:
    """Return the query parameters of `state`, defaults left out (an empty dict for the default view)."""
    flt = state.filter
    out: dict[str, str | list[str]] = {}
    if state.lang != DEFAULT_LANG:
        out[LANG] = state.lang
    if flt.search.strip():
        out[SEARCH] = flt.search.strip()
    if state.units != "district":
        out[UNITS] = state.units
    for name, values in (
        (DISTRICT, flt.districts),
        (WARD, flt.wards_2025),
        (CATEGORY, flt.categories),
        (STATUS, flt.statuses),
        (MEMBER, flt.network_members),
        (PLAN, flt.plan_items),
    ):
        if values:
            out[name] = list(values)
    if flt.event_start:
        out[EVENT_FROM] = flt.event_start
    if flt.event_end:
        out[EVENT_TO] = flt.event_end
    if state.selected:
        out[SELECTED] = state.selected
    if state.basemap != "osm":
        out[BASEMAP] = state.basemap
    if state.layer != "none":
        out[LAYER] = state.layer
    return out


def widget_values(state: ViewState) -> dict[str, Any]:
    """Return the value of each app widget (keyed by parameter name) that shows `state`."""
    flt = state.filter
    return {
        LANG: state.lang,
        SEARCH: flt.search,
        UNITS: state.units,
        DISTRICT: list(flt.districts),
        WARD: list(flt.wards_2025),
        CATEGORY: list(flt.categories),
        STATUS: list(flt.statuses),
        MEMBER: list(flt.network_members),
        PLAN: list(flt.plan_items),
        EVENT_FROM: dt.date.fromisoformat(flt.event_start) if flt.event_start else None,
        EVENT_TO: dt.date.fromisoformat(flt.event_end) if flt.event_end else None,
        SELECTED: state.selected,
        BASEMAP: state.basemap,
        LAYER: state.layer,
    }


def _iso(value: object) -> str | None:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if value else None


def state_from_widgets(values: Mapping[str, Any]) -> ViewState:
    """Return the state the app's widgets show (the inverse of `widget_values`; missing keys: defaults)."""
    units: Level = "ward_2025" if values.get(UNITS) == "ward_2025" else "district"
    start, end = _iso(values.get(EVENT_FROM)), _iso(values.get(EVENT_TO))
    if start and end and start > end:
        start, end = end, start
    flt = Filter(
        districts=tuple(values.get(DISTRICT) or ()) if units == "district" else (),
        wards_2025=tuple(values.get(WARD) or ()) if units == "ward_2025" else (),
        categories=tuple(values.get(CATEGORY) or ()),
        statuses=tuple(values.get(STATUS) or ()),
        network_members=tuple(values.get(MEMBER) or ()),
        plan_items=tuple(values.get(PLAN) or ()),
        search=str(values.get(SEARCH) or "")[:MAX_SEARCH],
        event_start=start,
        event_end=end,
    )
    lang: Lang = values[LANG] if values.get(LANG) in LANGS else DEFAULT_LANG
    basemap: Basemap = values[BASEMAP] if values.get(BASEMAP) in BASEMAPS else "osm"
    layer: BoundaryLayer = values[LAYER] if values.get(LAYER) in BOUNDARY_LAYERS else "none"
    return ViewState(
        filter=flt,
        lang=lang,
        selected=values.get(SELECTED) or None,
        units=units,
        basemap=basemap,
        layer=layer,
    )
