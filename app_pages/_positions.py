"""The maps of one space's position: to place it (the Suggest page) and to compare two (the Review page).

Both are `creative_map.mapping.position_map` with a `position_layer`: the current position a hollow dashed
ring, the proposed one a solid diamond, each labelled. To place a space, the layer goes to ``st_folium`` as
``feature_group_to_add``: a click, or a drag of the marker (which the map's script reports as a click at the
drop point), comes back as ``last_clicked``; the layer is then swapped without reloading the map.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import shapely
from shapely.geometry import shape
from streamlit_folium import st_folium

from app_pages import _shared as shared
from creative_map import mapping
from creative_map.types import Lang

LatLon = tuple[float, float]


def geometry_point(geometry: Mapping[str, Any] | None) -> LatLon | None:
    """(lat, lon) of a GeoJSON geometry: the point itself, or a point inside a line or an area; None if unusable."""
    if not geometry:
        return None
    try:
        found = shape(geometry).representative_point()
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, shapely.errors.ShapelyError):
        return None
    return None if found.is_empty else (float(found.y), float(found.x))


def geometry_shape(geometry: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """The geometry when it is a line or an area (drawn as such beside its marker), else None."""
    if not geometry or geometry.get("type") in (None, "Point"):
        return None
    return geometry


def picker(
    *,
    key: str,
    current: LatLon | None,
    proposed: LatLon | None,
    current_shape: Mapping[str, Any] | None,
    lang: Lang,
    on_change: Callable[[], None],
) -> None:
    """A map to place a space: the marker can be dragged, a click moves it; `on_change` hears both.

    The map itself depends only on the current position (so it is not reloaded while the person places the
    space); the markers are the layer handed beside it.
    """
    st_folium(
        mapping.position_map([current] if current else [], lang=lang, static_url=shared.static_url()),
        key=key,
        height=420,
        use_container_width=True,
        returned_objects=["last_clicked"],
        on_change=on_change,
        feature_group_to_add=mapping.position_layer(
            current=current, proposed=proposed, current_shape=current_shape, draggable=True, lang=lang
        ),
    )


def compare(
    *,
    key: str,
    current: Mapping[str, Any] | None,
    proposed: Mapping[str, Any] | None,
    lang: Lang,
) -> None:
    """One map with both positions of a record (GeoJSON geometries; None: that one does not exist)."""
    now, new = geometry_point(current), geometry_point(proposed)
    m = mapping.position_map([p for p in (now, new) if p is not None], lang=lang, static_url=shared.static_url())
    m.add_child(
        mapping.position_layer(
            current=now,
            proposed=new,
            current_shape=geometry_shape(current),
            proposed_shape=geometry_shape(proposed),
            lang=lang,
        )
    )
    st_folium(m, key=key, height=360, use_container_width=True, returned_objects=[])
