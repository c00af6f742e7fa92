"""The What's on page (the public): the events at the Map page's spaces, what is on now and what comes first.

`creative_map.events.whats_on` sorts the selection's events against today in Hanoi (`events.hanoi_today`): on
now, later this month, coming up; past events below, folded. Each event names its spaces, each a link that
opens the Map page on that space (its popup open, the filter kept); the events download as an iCalendar file
(`creative_map.export.download(selection, "ics")`). The selection is the Map page's, as on the Numbers page.
"""

from __future__ import annotations

import html

import streamlit as st

import creative_map
from app_pages import _shared as shared
from creative_map import events, export, schema, urlstate
from creative_map.errors import DataError
from creative_map.events import Event
from creative_map.i18n import describe_filter, t
from creative_map.text import clip
from creative_map.types import Lang

STYLE = (
    "<style>.cm-event{margin:0 0 1rem;padding:.6rem .8rem;border-left:4px solid #8a1c4a;background:#faf7f8}"
    ".cm-event h3{font-size:1.1rem;margin:0 0 .2rem;padding:0}.cm-event p{margin:.2rem 0}"
    ".cm-event .cm-when{font-weight:600;color:#3d3d3d}.cm-event ul{margin:.2rem 0 0;padding-left:1.2rem}"
    ".cm-event a{color:#0b4f9c}</style>"
)


def event_html(event: Event, state: urlstate.ViewState, lang: Lang) -> str:
    """One event: its name, dates, description, its page (http(s) only) and links to its spaces on the map."""
    places = "".join(
        f'<li><a href="{html.escape(shared.map_link(urlstate.ViewState(**{**state.__dict__, "selected": space.id})))}"'
        f' aria-label="{html.escape(t("wo_on_map", lang, name=space.name(lang)))}">{html.escape(space.name(lang))}</a>'
        + (f" — {html.escape(space.address)}" if space.address else "")
        + "</li>"
        for space in event.spaces
    )
    website = (
        f'<p><a href="{html.escape(event.url)}" target="_blank" rel="noopener noreferrer">'
        f"{html.escape(t('wo_website', lang))}</a> {html.escape(t('wo_new_tab', lang))}</p>"
        if event.url
        else ""
    )
    description = f"<p>{html.escape(clip(event.description(lang), 600))}</p>" if event.description(lang) else ""
    return (
        f'<article class="cm-event" lang="{lang}"><h3>{html.escape(event.name(lang))}</h3>'
        f'<p class="cm-when">{html.escape(event.when(lang))}</p>{description}{website}'
        f"<p>{html.escape(t('events_at', lang))}:</p><ul>{places}</ul></article>"
    )


dataset = shared.dataset()
lang = shared.current_lang()
state = shared.view_state(set(dataset.spaces[schema.ID]))
selection = creative_map.select(dataset, state.filter)
today = events.hanoi_today()
found = events.whats_on(selection, today=today)

st.title(t("wo_title", lang))
st.caption(t("wo_intro", lang))
shared.data_line(dataset, lang)
st.caption(
    t("wo_today", lang, date=events.date_range_text(today, today, lang))
    + " · "
    + t("nb_filter", lang, filter=describe_filter(state.filter, lang))
)

if found.coming:
    for phase, group in found.groups(include_past=False):
        st.subheader(events.phase_label(phase, lang))
        st.html(STYLE + "".join(event_html(e, state, lang) for e in group))
else:
    shared.box("info", t("wo_none_coming", lang))
if found.past:
    with st.expander(t("wo_past", lang, n=len(found.past))):
        st.html(STYLE + "".join(event_html(e, state, lang) for e in found.past))

if len(found):
    try:
        calendar = export.download(selection, "ics", lang=lang, date=today)
    except (DataError, ValueError, OSError) as exc:
        shared.box("error", t("export_failed", lang, error=clip(exc, 300)))
    else:
        st.download_button(
            t("wo_ics", lang),
            calendar.data,
            file_name=calendar.file_name,
            mime=calendar.mime,
            key="wo_ics",
            help=t("wo_ics_help", lang),
        )
