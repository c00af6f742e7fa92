"""The pages of the app (run by ``st.navigation`` in ``app.py``) and what they share.

Each page is a Streamlit script (``map.py``, ``suggest.py``, ``status.py``, ``review.py``): Streamlit runs it,
nothing imports it. Modules starting with ``_`` are their helpers: ``_shared`` (the data and the store,
loaded once per process; the language; who is asking; messages), ``_drafts`` (a suggestion from the form's
values, no Streamlit in it) and ``_positions`` (the maps that place or compare one space's positions).
UI code lives here; the `creative_map` library never imports Streamlit.
"""
