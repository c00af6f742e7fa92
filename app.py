"""The public map of Hanoi's creative spaces and the public's way to take part (run: scripts/run).

Thin: the page's settings, the shared loads and the navigation between the pages of `app_pages/` (Map,
What's on, Numbers, Suggest, Status, Review). The data (`creative_map.load`, once per file version) and the
store of suggestions (`creative_map.suggestions.open_store`, once per setting) are `st.cache_resource` loads
in `app_pages/_shared.py`, shared by every page and every session. The language switch sits in the sidebar of
every page.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _shared as shared
from creative_map.i18n import t

st.set_page_config(page_title=f"{t('page_title', 'vi')} · {t('page_title', 'en')}", page_icon="🗺️", layout="wide")
shared.vendor_files()
st.html(
    "<style>[data-testid='stMainBlockContainer']{padding-top:2rem}h1{font-size:2rem!important}"
    # Captions in a grey that reads (6.7:1; Streamlit draws them at 60 % opacity: 3.9:1, under WCAG's 4.5:1).
    "[data-testid='stCaptionContainer']{color:#5c5b5a;opacity:1}</style>"
)
lang = shared.language()
page = st.navigation(
    [
        st.Page("app_pages/map.py", title=t("nav_map", lang), icon=":material/map:", default=True),
        st.Page("app_pages/whats_on.py", title=t("nav_whats_on", lang), icon=":material/event:"),
        st.Page("app_pages/numbers.py", title=t("nav_numbers", lang), icon=":material/bar_chart:"),
        st.Page("app_pages/suggest.py", title=t("nav_suggest", lang), icon=":material/edit_location_alt:"),
        st.Page("app_pages/status.py", title=t("nav_status", lang), icon=":material/fact_check:"),
        st.Page("app_pages/review.py", title=t("nav_review", lang), icon=":material/verified_user:"),
    ],
    position="top",
)
page.run()
