"""The floor of the app benchmarks: a bare Streamlit page with one ``st.write``. Not part of the product.

`bench_app.py` and `bench_sessions.py` measure the app as ratios against this page in the same run: whatever
Streamlit itself costs on this machine at that moment (its JavaScript, the websocket, one script run).
"""

import streamlit as st

st.write("floor")
