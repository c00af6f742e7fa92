"""The Suggest page: anyone, with no account, suggests a correction, a new space, a new event, that a space has
closed, or that it is a network member ("Góp ý / Suggest").

A link chooses the kind and the space (``suggest?space=ID``: a correction of that space, its marker ready to
be dragged; ``&kind=closed`` ...). The position is picked on the map (a click, or a drag of the marker) or
typed; the other fields are a form, sent at once to `creative_map.suggestions.submit`, which checks the record
against the data's schema: its messages are shown next to the fields. A sender sees the reference number and
that the suggestion awaits review. A hidden field catches bots (the library drops what fills it).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages import _drafts as drafts
from app_pages import _positions as positions
from app_pages import _shared as shared
from creative_map import admin, schema, suggestions
from creative_map.errors import DataError, Problem
from creative_map.i18n import TEXTS, plan_label, space_names, t, unit_choice_label, vocab_label
from creative_map.suggestions import SOURCE_OPERATOR, Draft, Kind
from creative_map.text import name_key
from creative_map.types import Lang

KINDS: tuple[Kind, ...] = suggestions.KINDS
TARGETED = ("correction", "closed", "member")
SENT, PROBLEMS, FAILURE, NO_POSITION, NOTHING = "sg_sent", "sg_problems", "sg_failure", "sg_no_position", "sg_nothing"
POSITION, COORDS, TARGET, LINK = "sg_at", "sg_coords", "sg_target", "sg_link"
HONEYPOT = "sg_hp"
EXAMPLE_SOURCE = "https://www.openstreetmap.org/node/…"  # the kind of address that pins a place (any language)
EXAMPLE_POSITION = "21.028500, 105.854200"
# The honeypot: off-screen for people, hidden from screen readers (aria-hidden, inert), out of the tab order.
TRAP_CSS = (
    "<style>.st-key-sg_trap{position:absolute!important;left:-10000px!important;top:auto!important;"
    "width:1px!important;height:1px!important;overflow:hidden!important}</style>"
)
TRAP_JS = """<script>
(function () {
  function hide() {
    document.querySelectorAll(".st-key-sg_trap").forEach(function (box) {
      box.setAttribute("aria-hidden", "true");
      box.inert = true;
      box.querySelectorAll("input").forEach(function (i) {
        i.setAttribute("tabindex", "-1");
        i.setAttribute("autocomplete", "off");
      });
    });
  }
  hide();
  if (!window.cmTrapWatch) {
    window.cmTrapWatch = new MutationObserver(hide);
    window.cmTrapWatch.observe(document.body, {childList: true, subtree: true});
  }
})();
</script>"""


def field_key(name: str, slug: str) -> str:
    """A field's widget key: one per kind and space, so that another space starts from its own values."""
    return f"sg_{name}_{slug}"


def set_position(position: drafts.LatLon | None) -> None:
    st.session_state[POSITION] = position
    st.session_state[COORDS] = drafts.format_position(position) if position else ""
    st.session_state.pop("sg_coords_error", None)


def on_map() -> None:
    clicked = (st.session_state.get("sg_map") or {}).get("last_clicked")
    if isinstance(clicked, dict) and isinstance(clicked.get("lat"), int | float):
        set_position((round(float(clicked["lat"]), 7), round(float(clicked["lng"]), 7)))


def on_coords() -> None:
    try:
        st.session_state[POSITION] = drafts.parse_position(st.session_state.get(COORDS) or "")
        st.session_state.pop("sg_coords_error", None)
    except ValueError as exc:
        st.session_state["sg_coords_error"] = str(exc)


def forget_outcome() -> None:
    for key in (SENT, PROBLEMS, FAILURE, NO_POSITION, NOTHING):
        st.session_state.pop(key, None)


def start_again() -> None:
    forget_outcome()
    set_position(None)


def send(
    store: suggestions.Store,
    kind: Kind,
    space_id: str | None,
    slug: str,
    current: dict[str, Any] | None,
    current_position: drafts.LatLon | None,
) -> None:
    """Send the form (the submit button's callback): store the reference, or the problems to show."""
    forget_outcome()
    values = {name: st.session_state.get(field_key(name, slug)) for name in drafts.FORM_FIELDS[kind]}
    position = st.session_state.get(POSITION)
    if kind == "new_space" and position is None:
        st.session_state[NO_POSITION] = True
        return
    changes = drafts.changes_for(
        kind,
        values,
        current=current,
        current_position=current_position,
        position=position,
        extra_sources=str(st.session_state.get(f"sg_more_{slug}") or ""),
        precision_claim=str(st.session_state.get(f"sg_claim_{slug}") or ""),
    )
    if kind == "correction" and not changes:
        st.session_state[NOTHING] = True
        return
    operator = st.session_state.get("sg_source_kind") == "operator"
    draft = Draft(
        kind=kind,
        changes=changes,
        source=SOURCE_OPERATOR if operator else str(st.session_state.get("sg_source") or ""),
        space_id=space_id,
        note=str(st.session_state.get("sg_note") or ""),
        contact=str(st.session_state.get("sg_contact") or ""),
        honeypot=str(st.session_state.get(HONEYPOT) or ""),
    )
    try:
        status = suggestions.submit(store, draft, sender=shared.sender(), data=shared.data_path())
    except suggestions.InvalidSuggestionError as exc:
        st.session_state[PROBLEMS] = exc.problems
    except suggestions.LimitExceededError as exc:
        st.session_state[FAILURE] = (f"limit_{exc.limit}", str(exc))
    except (suggestions.SuggestionError, DataError, OSError) as exc:
        st.session_state[FAILURE] = ("send_failed", str(exc))
    else:
        st.session_state[SENT] = status


def problems_here(messages: list[str], lang: Lang) -> None:
    if messages:
        shared.box("error", t("sg_fix_here", lang), messages)


def field_widget(name: str, key: str, current: Any, lang: Lang, spaces: pd.DataFrame, *, new: bool) -> None:
    """The widget of one field of a space or an event, holding its current value."""
    label = shared.field_label(name, lang)
    required = any(f.name == name and f.required for f in (*schema.SPACE_FIELDS, *schema.EVENT_FIELDS))
    if required:
        label = f"{label} *"
    value = "" if current is None else current

    def choice(options: list[str], fmt: Any) -> None:
        opts = options if value in options or value == "" else [str(value), *options]
        index = opts.index(value) if value in opts else None
        st.selectbox(label, opts, index=index, key=key, format_func=fmt, placeholder=t("choose", lang))

    if name == schema.CATEGORY:
        choice(list(schema.CATEGORIES), lambda c: vocab_label(schema.CATEGORIES, c, lang))
    elif name == schema.STATUS:
        value = value or "active"
        choice(list(schema.STATUSES), lambda s: vocab_label(schema.STATUSES, s, lang))
    elif name == schema.NETWORK_MEMBER_COL:
        value = value or "unknown"
        choice(list(schema.NETWORK_MEMBER), lambda s: vocab_label(schema.NETWORK_MEMBER, s, lang))
    elif name == schema.DISTRICT:
        choice([d.name for d in admin.districts()], lambda n: unit_choice_label(n, lang))
    elif name == schema.WARD_2025:
        choice(sorted((u.name for u in admin.units_2025()), key=name_key), lambda n: unit_choice_label(n, lang))
    elif name == schema.PLAN_ITEM:
        opts = ["", *schema.PLAN_ITEMS]
        opts = opts if value in opts else [str(value), *opts]
        st.selectbox(
            label,
            opts,
            index=opts.index(value),
            key=key,
            format_func=lambda p: plan_label(p, lang) or t("sg_none", lang),
        )
    elif name in (schema.START, schema.END):
        st.date_input(label, value=None, key=key, format="YYYY-MM-DD")
    elif name == schema.SPACE_IDS:
        ids = spaces[schema.ID].tolist()
        names = dict(zip(ids, (space_names(r, lang)[0] for _, r in spaces.iterrows()), strict=True))
        st.multiselect(
            label,
            ids,
            default=[v for v in (value or []) if v in names],
            key=key,
            format_func=lambda i: names.get(i, i),
            placeholder=t("choose", lang),
        )
    elif name in (schema.DESCRIPTION_VI, schema.DESCRIPTION_EN):
        st.text_area(label, value=str(value), key=key, height=100)
    else:
        hint = f"sg_help_{name}"
        st.text_input(label, value=str(value), key=key, help=t(hint, lang) if new and hint in TEXTS else None)


store = shared.store(shared.current_lang())
dataset = shared.dataset()
lang = shared.current_lang()
spaces = dataset.spaces
space_ids = spaces[schema.ID].tolist()
names = dict(zip(space_ids, (space_names(r, lang)[0] for _, r in spaces.iterrows()), strict=True))

st.title(t("sg_title", lang))
st.caption(t("sg_intro", lang))

link = (st.query_params.get("kind"), st.query_params.get("space"))
if st.session_state.get(LINK) != link:  # a link (or a visit from the menu) chooses the kind and the space
    st.session_state[LINK] = link
    link_kind, link_space = link
    st.session_state["sg_space"] = link_space if link_space in names else None
    st.session_state["sg_kind"] = link_kind if link_kind in KINDS else "correction"
    start_again()

if st.session_state.get(SENT) is not None:
    sent: suggestions.PublicStatus = st.session_state[SENT]
    st.success(t("sg_sent", lang, reference=sent.reference))
    st.markdown(t("sg_sent_next", lang))
    st.page_link("app_pages/status.py", label=t("sg_follow", lang), query_params={"ref": sent.reference})
    st.button(t("sg_again", lang), key="sg_again", on_click=start_again)
    st.stop()

kind: Kind = st.radio(
    t("sg_kind", lang), KINDS, key="sg_kind", format_func=lambda k: t(f"sg_kind_{k}", lang), horizontal=True
)
space_id: str | None = None
row = None
if kind in TARGETED:
    space_id = st.selectbox(
        t("sg_space", lang),
        sorted(space_ids, key=lambda i: name_key(names[i])),
        key="sg_space",
        format_func=lambda i: names.get(i, i),
        placeholder=t("choose", lang),
    )
    if space_id is None:
        st.info(t("sg_space_first", lang))
        st.stop()
    row = shared.space_record(space_id)  # every field (the shared frame holds only what the map needs)
slug = f"{kind}-{space_id or 'new'}"
params: dict[str, str] = {"kind": kind} if kind != "correction" else {}
params |= {"space": space_id} if space_id else {}
params |= {"lang": lang} if lang != "vi" else {}
st.query_params.from_dict(params)
st.session_state[LINK] = (params.get("kind"), params.get("space"))
if st.session_state.get(TARGET) != slug:  # another kind or space: start from its own position
    st.session_state[TARGET] = slug
    forget_outcome()
    set_position(None)

current: dict[str, Any] | None = None
current_position: drafts.LatLon | None = None
current_shape = None
if row is not None:
    current = {name: row.get(name) for name in drafts.SPACE_FORM}
    current_position = (float(row[schema.REP_LAT]), float(row[schema.REP_LON]))
    current_shape = positions.geometry_shape(row.geometry.__geo_interface__)
    precision = str(row.get(schema.POSITION_PRECISION) or "exact")
    if kind == "correction" and precision != "exact":
        shared.box("info", t("sg_not_exact", lang, precision=vocab_label(schema.PRECISIONS, precision, lang)))

problems: list[Problem] = st.session_state.get(PROBLEMS) or []
shown = [*drafts.FORM_FIELDS[kind], schema.GEOMETRY, "source", "contact", "note", schema.SOURCES]
by_field, others = drafts.problems_by_field(problems, shown)
failure = st.session_state.get(FAILURE)
if st.session_state.get(NOTHING):
    shared.box("error", t("sg_nothing", lang))
if failure:
    shared.box("error", t(failure[0], lang), [failure[1]])
if problems:
    shared.box("error", t("sg_not_sent", lang), [f"{shared.field_label(p.field, lang)}: {p.message}" for p in others])

if kind in drafts.POSITIONED:
    st.subheader(t("sg_position", lang))
    st.caption(t("sg_position_help_move" if kind == "correction" else "sg_position_help_new", lang))
    positions.picker(
        key="sg_map",
        current=current_position,
        proposed=st.session_state.get(POSITION),
        current_shape=current_shape,
        lang=lang,
        on_change=on_map,
    )
    st.text_input(t("sg_coords", lang), key=COORDS, on_change=on_coords, placeholder=EXAMPLE_POSITION)
    if st.session_state.get("sg_coords_error"):
        shared.box("error", t("sg_coords_bad", lang), [st.session_state["sg_coords_error"]])
    if st.session_state.get(NO_POSITION):
        shared.box("error", t("sg_position_missing", lang))
    problems_here(by_field.get(schema.GEOMETRY, []), lang)
    if current_shape is not None:
        st.caption(t("sg_shape_note", lang))

st.html(TRAP_CSS)
st.html(TRAP_JS, unsafe_allow_javascript=True)
with st.form("sg_form", border=True):
    if kind in ("correction", "new_space", "new_event"):
        st.subheader(t("sg_fields_" + ("event" if kind == "new_event" else "space"), lang))
        if kind == "correction":
            st.caption(t("sg_fields_help", lang))
        for name in drafts.FORM_FIELDS[kind]:
            field_widget(
                name,
                field_key(name, slug),
                current.get(name) if current else None,
                lang,
                spaces,
                new=kind != "correction",
            )
            problems_here(by_field.get(name, []), lang)
        if kind in drafts.POSITIONED:
            st.selectbox(
                t("sg_claim", lang),
                ["", "street", "ward"],
                key=f"sg_claim_{slug}",
                format_func=lambda p: t(f"sg_claim_{p or 'source'}", lang),
            )
        st.text_area(t("sg_more_sources", lang), key=f"sg_more_{slug}", height=68, help=t("sg_more_help", lang))
        problems_here(by_field.get(schema.SOURCES, []), lang)
    elif kind == "closed":
        st.markdown(t("sg_closed_help", lang))
    else:
        st.markdown(t("sg_member_help", lang))

    st.subheader(t("sg_source_title", lang))
    st.radio(
        t("sg_source_kind", lang),
        ["page", "operator"],
        key="sg_source_kind",
        format_func=lambda s: t(f"sg_source_{s}", lang),
    )
    st.text_input(t("sg_source", lang), key="sg_source", placeholder=EXAMPLE_SOURCE)
    problems_here(by_field.get("source", []), lang)
    st.text_input(t("sg_contact", lang), key="sg_contact", help=t("sg_contact_help", lang))
    problems_here(by_field.get("contact", []), lang)
    st.text_area(t("sg_note", lang), key="sg_note", height=80)
    problems_here(by_field.get("note", []), lang)
    with st.container(key="sg_trap"):
        st.text_input(t("sg_trap", lang), key=HONEYPOT)
    st.form_submit_button(
        t("sg_send", lang),
        type="primary",
        key="sg_send",
        on_click=send,
        args=(store, kind, space_id, slug, current, current_position),
    )
    st.caption(t("sg_privacy", lang))
