"""Helpers of the AppTest tests of the app's pages (tests/test_app*.py): the app on a copy of the data and an
SQLite store in `tmp_path`, a page opened as a person would, and what the page shows."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from creative_map.suggestions import Limits, Store, open_store
from creative_map.suggestions.tables import suggestions

from .conftest import ROOT

APP = str(ROOT / "app.py")


def use_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the app at a fresh SQLite store in `tmp_path` (CREATIVE_MAP_DB); return its path."""
    url = str(tmp_path / "var" / "store.sqlite3")
    monkeypatch.setenv("CREATIVE_MAP_DB", url)
    return url


def open_page(
    page: str | None = None, params: dict[str, str] | None = None, *, first: dict[str, str] | None = None
) -> AppTest:
    """Run the app (its first page, with the link parameters `first`), then go to ``app_pages/<page>.py`` with
    the link parameters `params`, as a person following a link would (a ``lang`` there holds from the start: a
    link opens a new session, whose language the link sets)."""
    at = AppTest.from_file(APP, default_timeout=60)
    first = {**({"lang": params["lang"]} if params and "lang" in params else {}), **(first or {})}
    for key, value in first.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    if page is not None:
        at.switch_page(f"app_pages/{page}.py")
        for key in list(at.query_params):
            del at.query_params[key]
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, at.exception
    return at


def boxes(at: AppTest) -> list[str]:
    """The text of each message box (`app_pages._shared.box`), tags removed and entities read."""
    out = []
    for element in at.get("html"):
        body = element.proto.body
        if "cm-box cm-box-" in body:
            inner = body.split("</style>", 1)[-1]
            out.append(html.unescape(re.sub(r"<[^>]+>", " ", inner)).strip())
    return out


def box_html(at: AppTest) -> list[str]:
    """The raw HTML of each message box (to check what was escaped)."""
    return [e.proto.body.split("</style>", 1)[-1] for e in at.get("html") if "cm-box cm-box-" in e.proto.body]


def rows(url: str) -> list[dict[str, Any]]:
    """Every stored suggestion, oldest first."""
    store = open_store(url, limits=Limits())
    try:
        with store.reading() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.select(suggestions).order_by(suggestions.c.id))]
    finally:
        store.close()


def store_at(url: str) -> Store:
    return open_store(url, limits=Limits())


def components(at: AppTest) -> list[dict[str, Any]]:
    """The arguments of each map (st_folium) on the page."""
    return [
        json.loads(c.proto.json_args) for c in at.get("component_instance") if "st_folium" in c.proto.component_name
    ]


def texts(at: AppTest) -> list[str]:
    """Every plain text (st.text) on the page."""
    return [t.value for t in at.text]


def message_after(at: AppTest, key: str) -> str:
    """The HTML of the message box right after the widget with `key` (where a page shows a field's problems),
    or "" when the next element is anything else."""
    nodes = list(at.main)  # every element and block, in page order
    where = next(i for i, n in enumerate(nodes) if getattr(n, "key", None) == key)
    following = nodes[where + 1] if where + 1 < len(nodes) else None
    body = str(getattr(getattr(following, "proto", None), "body", "")) if following is not None else ""
    return body if following is not None and following.type == "html" and "cm-box" in body else ""
