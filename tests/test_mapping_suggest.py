"""The map's part in taking part: a space drawn as not exact invites a suggestion of its position (only in the
app: an exported map has no app behind it), and the maps that place one space or compare its two positions.
Rendered HTML and the script's arguments, no browser (tests/e2e/test_take_part_e2e.py drags the marker)."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pytest

from creative_map import Dataset, io, mapping, select
from creative_map.dataset import empty_events
from creative_map.mapping import build_map, details_html, position_layer, position_map, spaces_payload

from .conftest import collection, ward_space

URL = "suggest?space={id}&lang=en"


@pytest.fixture
def spaces(three_spaces, write_json) -> gpd.GeoDataFrame:
    odd = ward_space(id="gom-2", name_vi="Gốm <b>2</b>")
    return io.load_spaces(write_json(collection(*three_spaces["features"], ward_space(), odd)))


def row(spaces: gpd.GeoDataFrame, space_id: str):
    return spaces.loc[spaces["id"] == space_id].iloc[0]


def rendered(m) -> str:
    return m.get_root().render()


@pytest.mark.parametrize(("space_id", "invites"), [("xuong-gom-ba-trieu", True), ("phong-tranh-cu", True),
                                                   ("ho-hoan-kiem", False)])  # fmt: skip
def test_details_invite_a_position_only_when_it_is_not_exact(spaces, space_id: str, invites: bool) -> None:
    html = details_html(row(spaces, space_id), lang="en", suggest_url=URL)
    link = f'<a class="cm-suggest-link" href="suggest?space={space_id}&amp;lang=en">Suggest the exact position</a>'
    assert (link in html) is invites
    assert ("Know where this is?" in html) is invites
    assert "cm-suggest" not in details_html(row(spaces, space_id), lang="en")  # no app, no link


def test_the_link_quotes_the_id_and_escapes_everything(spaces) -> None:
    assert mapping.suggest_link("a b&c", URL) == "suggest?space=a%20b%26c&lang=en"
    html = details_html(row(spaces, "gom-2"), lang="vi", suggest_url="suggest?space={id}")
    assert "Gốm &lt;b&gt;2&lt;/b&gt;" in html and 'href="suggest?space=gom-2"' in html
    assert "Góp ý vị trí chính xác" in html


def test_the_app_map_carries_the_template_and_an_exported_map_does_not(spaces) -> None:
    selection = select(Dataset(spaces, empty_events()))
    payload = spaces_payload(selection, lang="en", suggest_url=URL)
    assert payload["u"] == URL and payload["t"]["suggest"] == "Suggest the exact position"
    assert spaces_payload(selection)["u"] == ""
    app_page = rendered(build_map(selection, lang="en", suggest_url=URL, selected_id="xuong-gom-ba-trieu"))
    assert '"u":"suggest?space={id}\\u0026lang=en"' in app_page
    assert "cm-suggest-link" in app_page  # in the selected space's popup
    exported = rendered(build_map(selection, lang="en", assets="inline"))  # what `export --format html` writes
    assert '"u":""' in exported
    assert not any("cm-suggest" in r[10] for r in spaces_payload(selection, lang="en", popups="full")["f"])


def layer_data(group) -> dict:
    script = rendered_group(group)
    return json.loads(re.search(r"creativeMap\.positionPicker\(\w+, (\{.*\})\);", script).group(1))


def rendered_group(group) -> str:
    m = position_map()
    m.add_child(group)
    return rendered(m)


def test_a_position_layer_holds_both_positions_and_their_labels() -> None:
    data = layer_data(position_layer(current=(21.02, 105.851), proposed=(21.020951234, 105.85013), lang="en"))
    assert data["current"] == [21.02, 105.851] and data["proposed"] == [21.0209512, 105.85013]
    assert data["texts"] == {"current": "Current position", "proposed": "Proposed position"}
    assert data["draggable"] is False and data["shapes"] == {"current": None, "proposed": None}
    line = {"type": "LineString", "coordinates": [[105.85, 21.03], [105.853, 21.029]]}
    placing = layer_data(position_layer(current=(21.03, 105.851), current_shape=line, draggable=True, lang="vi"))
    assert placing["draggable"] is True and placing["proposed"] is None and placing["shapes"]["current"] == line
    assert placing["texts"]["current"] == "Vị trí hiện tại"


def test_a_position_map_loads_leaflet_and_the_map_script_only_and_frames_its_points() -> None:
    m = position_map([(21.02, 105.851)])
    assert m.location == [21.02, 105.851] and m.options["zoom"] == mapping.POSITION_ZOOM
    names = [name for name, _ in m.default_js]
    assert names == ["leaflet_0", "creative_map_0"]
    both = rendered(position_map([(21.02, 105.851), (21.03, 105.86)]))
    assert "fitBounds" in both and "[[21.02, 105.851], [21.03, 105.86]]" in both
    assert rendered(position_map([], basemap="none")).count("L.tileLayer") == 0
    with pytest.raises(ValueError, match="basemap"):
        position_map(basemap="satellite")  # type: ignore[arg-type]


def test_the_script_exposes_the_picker_and_fires_a_click_after_a_drag() -> None:
    script = (mapping.vendor.source_dir(mapping.vendor.MAP_ASSET) / "creative_map.js").read_text(encoding="utf-8")
    assert "positionPicker: positionPicker" in script
    assert 'map.fire("click", {latlng: proposed.getLatLng(), cmDrag: true})' in script
    assert 'a.target = "_blank"' in script and 'a.rel = "noopener"' in script
