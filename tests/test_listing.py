"""The list of spaces in name order, folded: "Á Space" with the A's, not after "Z" (issue 14, point 10)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from creative_map import listing, load, select
from creative_map.text import fold, name_key, unaccent

from .conftest import collection, make_space


@pytest.fixture
def selection(tmp_path):
    names = [
        ("to-hop-60s", "Tổ hợp 60S Thổ Quan", "60s Thổ Quan complex"),
        ("a-space", "Á Space", "Á Space"),
        ("282-design", "282 Design", "282 Design"),
        ("dinh-lang", "Đình làng Đông Ngạc", "Đông Ngạc communal house"),
        ("bao-tang", "Bảo tàng Dân tộc học", "Museum of Ethnology"),
        ("zen", "Zen", "Zen"),
    ]
    spaces = collection(*(make_space(id=i, name_vi=vi, name_en=en) for i, vi, en in names))
    path = tmp_path / "spaces.geojson"
    path.write_text(json.dumps(spaces, ensure_ascii=False), encoding="utf-8")
    return select(load(path))


def test_by_name_orders_by_the_folded_name_in_the_language(selection):
    assert selection.ids == sorted(selection.ids)  # select orders by id: "282-design", "a-space", ...
    vi = listing.by_name(selection, "vi")
    assert list(vi.spaces["name_vi"]) == [
        "282 Design", "Á Space", "Bảo tàng Dân tộc học", "Đình làng Đông Ngạc", "Tổ hợp 60S Thổ Quan", "Zen",
    ]  # fmt: skip
    en = listing.by_name(selection, "en")
    assert list(en.spaces["id"]) == ["282-design", "to-hop-60s", "a-space", "dinh-lang", "bao-tang", "zen"]


def test_a_space_without_a_name_in_the_language_is_listed_under_the_other(selection):
    spaces = selection.spaces.copy()
    spaces.loc[spaces["id"] == "zen", "name_en"] = ""  # a frame built in memory (files require both names)
    spaces.loc[spaces["id"] == "zen", "name_folded"] = "zen | "
    spaces.loc[spaces["id"] == "a-space", "name_en"] = None
    order = listing.by_name(dataclasses.replace(selection, spaces=spaces), "en")
    assert list(order.spaces["id"])[-1] == "zen" and list(order.spaces["id"])[2] == "a-space"


def test_by_name_keeps_the_rest_and_cuts_to_the_limit(selection):
    first = listing.by_name(selection, "vi", limit=2)
    assert list(first.spaces["id"]) == ["282-design", "a-space"]
    assert list(first.spaces.index) == [0, 1]
    assert first.total == selection.total and first.filter == selection.filter and first.events is selection.events
    assert list(selection.spaces["id"]) == sorted(selection.ids)  # the selection itself is unchanged


def test_by_name_without_the_folded_column_and_with_a_pipe_in_a_name(selection):
    spaces = selection.spaces.drop(columns=["name_folded"])
    bare = dataclasses.replace(selection, spaces=spaces)
    assert listing.name_order(bare, "vi") == listing.name_order(selection, "vi")
    piped = selection.spaces.copy()
    piped.loc[piped["id"] == "zen", ["name_vi", "name_folded"]] = ["A | B", "a | b | zen"]
    names = list(listing.by_name(dataclasses.replace(selection, spaces=piped), "vi").spaces["name_vi"])
    assert names[1:4] == ["Á Space", "A | B", "Bảo tàng Dân tộc học"]  # "a | b" after "a space", as folded


def test_text_helpers_for_names():
    assert (
        unaccent("Quận Đống Đa") == "Quan Dong Da" and unaccent("Văn Miếu – Quốc Tử Giám") == "Van Mieu – Quoc Tu Giam"
    )
    assert sorted(["Zen", "Á Space", "an", "Đình", "282"], key=name_key) == ["282", "Á Space", "an", "Đình", "Zen"]
    assert name_key("Á") != name_key("A") and name_key("Á")[0] == fold("A")  # equal folds keep one order
