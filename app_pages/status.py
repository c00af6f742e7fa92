"""The Status page: a reference number gives the suggestion's status, the reason of a rejection and its dates.

Nothing else: never the contact, the note, the source or the changes (`creative_map.suggestions.public_status`
returns no more). ``status?ref=CM-...`` looks one up directly.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _shared as shared
from creative_map import suggestions
from creative_map.i18n import t

EXAMPLE = "CM-7KQ4-M2XD-9PTA"  # what a reference number looks like (the same in both languages)

lang = shared.current_lang()
store = shared.store(lang)

st.title(t("st_title", lang))
st.caption(t("st_intro", lang))
if "st_ref" not in st.session_state or st.session_state.get("st_link") != st.query_params.get("ref"):
    st.session_state["st_link"] = st.query_params.get("ref")
    st.session_state["st_ref"] = st.query_params.get("ref") or ""
reference = st.text_input(t("st_reference", lang), key="st_ref", placeholder=EXAMPLE, max_chars=40)
params = {"ref": reference.strip()} if reference.strip() else {}
st.query_params.from_dict(params | ({"lang": lang} if lang != "vi" else {}))
st.session_state["st_link"] = params.get("ref")
if reference.strip():
    found = suggestions.public_status(store, reference)
    if found is None:
        shared.box("warning", t("st_not_found", lang))
    else:
        st.subheader(t(f"st_status_{found.status}", lang))
        rows = [
            (t("st_reference", lang), found.reference),
            (t("st_kind", lang), t(f"sg_kind_{found.kind}", lang)),
            (t("st_sent_at", lang), shared.when(found.created_at, lang)),
        ]
        if found.decided_at is not None:
            rows.append((t("st_decided_at", lang), shared.when(found.decided_at, lang)))
        for name, value in rows:
            st.text(f"{name}: {value}")
        if found.status == "rejected":
            st.markdown(f"**{t('st_reason', lang)}**")
            st.text(found.reason)
