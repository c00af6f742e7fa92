"""The view in the address: parameters to state and back, bad parameters ignored with a notice."""

from __future__ import annotations

import datetime as dt

import pytest

from creative_map import types
from creative_map.query import Filter
from creative_map.urlstate import (
    Notice,
    ViewState,
    notice_text,
    parse_params,
    state_from_widgets,
    to_params,
    widget_values,
)

FULL = ViewState(
    filter=Filter(
        districts=("Quận Hoàn Kiếm", "Quận Đống Đa"),
        categories=("museum", "heritage"),
        statuses=("active",),
        network_members=("yes", "unknown"),
        plan_items=("3.1.2", "3.1.1.a"),
        search="Văn Miếu",
        event_start="2026-01-01",
        event_end="2026-12-31",
    ),
    lang="en",
    selected="van-mieu-quoc-tu-giam",
    basemap="light",
    layer="district",
)


def test_default_view_has_no_parameters_and_reads_back() -> None:
    assert to_params(ViewState()) == {}
    assert parse_params({}) == (ViewState(), [])


@pytest.mark.parametrize(
    "state",
    [
        FULL,
        ViewState(filter=Filter(wards_2025=("Phường Hoàn Kiếm", "Xã Bát Tràng")), units="ward_2025"),
        ViewState(filter=Filter(search="van mieu")),
    ],
)
def test_round_trip_through_the_address(state: ViewState) -> None:
    params = to_params(state)
    assert all(isinstance(v, str) or all(isinstance(i, str) for i in v) for v in params.values())
    assert parse_params(params) == (state, [])


def test_round_trip_through_the_widgets() -> None:
    values = widget_values(FULL)
    assert values["from"] == dt.date(2026, 1, 1)
    assert state_from_widgets(values) == FULL


def test_names_are_resolved_to_canonical_and_lists_may_be_comma_separated() -> None:
    state, notices = parse_params({"district": ["hoan kiem,Q. Đống Đa"], "cat": "museum,heritage"})
    assert notices == []
    assert state.filter.districts == ("Quận Hoàn Kiếm", "Quận Đống Đa")
    assert state.filter.categories == ("museum", "heritage")


@pytest.mark.parametrize(
    "params,notice",
    [
        ({"zoom": ["12"]}, Notice("unknown", "zoom")),
        ({"lang": ["fr"]}, Notice("bad", "lang", "fr")),
        ({"cat": ["museum", "spaceship"]}, Notice("bad", "cat", "spaceship")),
        ({"status": ["open"]}, Notice("bad", "status", "open")),
        ({"member": ["maybe"]}, Notice("bad", "member", "maybe")),
        ({"plan": ["9.9"]}, Notice("bad", "plan", "9.9")),
        ({"district": ["Quận Atlantis"]}, Notice("bad", "district", "Quận Atlantis")),
        ({"units": ["ward_2025"], "ward": ["Phường Không Có"]}, Notice("bad", "ward", "Phường Không Có")),
        ({"from": ["2026-13-01"]}, Notice("bad", "from", "2026-13-01")),
        ({"to": ["yesterday"]}, Notice("bad", "to", "yesterday")),
        ({"from": ["2026-05-01"], "to": ["2026-01-01"]}, Notice("bad", "to", "2026-01-01")),
        ({"sel": ["<script>"]}, Notice("bad", "sel", "<script>")),
        ({"basemap": ["satellite"]}, Notice("bad", "basemap", "satellite")),
        ({"layer": ["provinces"]}, Notice("bad", "layer", "provinces")),
        ({"units": ["country"]}, Notice("bad", "units", "country")),
        ({"ward": ["Phường Hoàn Kiếm"]}, Notice("bad", "ward", "Phường Hoàn Kiếm")),  # wards need units=ward_2025
    ],
)
def test_bad_parameters_are_ignored_with_a_notice(params: dict[str, list[str]], notice: Notice) -> None:
    state, notices = parse_params(params)
    assert notice in notices
    assert len(notices) == 1
    cleaned = {
        k: [v for v in values if v != notice.value]
        for k, values in params.items()
        if not (notice.kind == "unknown" and k == notice.param)
    }
    assert state == parse_params(cleaned)[0]
    for lang in ("vi", "en"):
        assert notice.param in notice_text(notice, lang) or notice.kind == "unknown_space"


def test_the_valid_part_of_a_half_bad_list_is_kept() -> None:
    state, _ = parse_params({"cat": ["museum", "spaceship", "museum"]})
    assert state.filter.categories == ("museum",)


def test_selected_space_must_exist_when_the_ids_are_known() -> None:
    state, notices = parse_params({"sel": ["gone-space"]}, space_ids={"van-mieu-quoc-tu-giam"})
    assert state.selected is None
    assert notices == [Notice("unknown_space", "sel", "gone-space")]
    assert "gone-space" in notice_text(notices[0], "en")
    state, notices = parse_params({"sel": ["van-mieu-quoc-tu-giam"]}, space_ids={"van-mieu-quoc-tu-giam"})
    assert (state.selected, notices) == ("van-mieu-quoc-tu-giam", [])


def test_overlong_search_is_cut_with_a_notice() -> None:
    state, notices = parse_params({"q": ["a" * 1000]})
    assert len(state.filter.search) == 200
    assert notices[0].param == "q"


def test_widget_dates_in_the_wrong_order_are_swapped() -> None:
    state = state_from_widgets({"from": dt.date(2026, 5, 1), "to": dt.date(2026, 1, 1)})
    assert (state.filter.event_start, state.filter.event_end) == ("2026-01-01", "2026-05-01")


def test_widgets_of_the_other_unit_set_are_not_used() -> None:
    values = {"units": "district", "district": ["Quận Hoàn Kiếm"], "ward": ["Phường Hoàn Kiếm"]}
    assert state_from_widgets(values).filter == Filter(districts=("Quận Hoàn Kiếm",))
    values["units"] = "ward_2025"
    assert state_from_widgets(values).filter == Filter(wards_2025=("Phường Hoàn Kiếm",))


@pytest.mark.parametrize("basemap", types.BASEMAPS)
@pytest.mark.parametrize("layer", types.BOUNDARY_LAYERS)
@pytest.mark.parametrize("lang", types.LANGS)
def test_every_basemap_layer_and_language_reads_back(basemap: str, layer: str, lang: str) -> None:
    state = ViewState(lang=lang, basemap=basemap, layer=layer)  # type: ignore[arg-type]
    assert parse_params(to_params(state)) == (state, [])
    assert state_from_widgets(widget_values(state)) == state


@pytest.mark.parametrize("sel", ["a", "van-mieu-2", "-a", "a--b", "A", "a_b", "a-"])
def test_a_selected_id_has_the_shape_of_an_id(sel: str) -> None:
    ok = sel in ("a", "van-mieu-2")
    state, notices = parse_params({"sel": [sel]})
    assert (state.selected == sel) is ok and (notices == []) is ok
