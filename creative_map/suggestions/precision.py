"""How precise a suggested position may claim to be, from what its source supports.

The rule (the README's "Taking part" explains it to reviewers), for a suggestion that sets or moves a position:

* the people who run the space (source ``operator``) place their own building: ``exact``;
* a map link that pins the place supports ``exact``: an OpenStreetMap element (``/node/``, ``/way/``,
  ``/relation/``) or marker (``?mlat=..&mlon=..``), a Google Maps place (``/maps/place/``) or query pin
  (``?q=LAT,LON``); when the link states coordinates, only if the suggested position is within
  ``PRECISION_METRES["exact"]`` (50 m) of them (farther: ``street``, with a warning);
* any other public page (a newspaper, the space's site) states an address, not a position: ``street``;
* the sender may claim less (say ``ward``), never more; the reviewer may set any precision on approval.

A map *view* (``#map=``, ``@lat,lon`` without a place) pins nothing and counts as any other page.
"""

from __future__ import annotations

import math
import re
from typing import Final

from creative_map import schema
from creative_map.patterns import is_http_url

__all__ = ["RANK", "clamp", "distance_m", "pinned_position", "supported_precision"]

RANK: Final[dict[str, int]] = {"ward": 0, "street": 1, "exact": 2}
"""Precisions from the vaguest to the most precise."""

_NUMBER = r"(-?\d{1,3}(?:\.\d+)?)"
_OSM_ELEMENT = re.compile(r"^https?://(?:www\.)?openstreetmap\.org/(?:node|way|relation)/\d+", re.IGNORECASE)
_OSM_MARKER = re.compile(
    rf"^https?://(?:www\.)?openstreetmap\.org/[^#]*[?&]mlat={_NUMBER}&mlon={_NUMBER}", re.IGNORECASE
)
_GOOGLE = r"^https?://(?:www\.|maps\.)?google\.[a-z.]{2,6}/maps"
_GOOGLE_PLACE = re.compile(rf"{_GOOGLE}/place/", re.IGNORECASE)
_GOOGLE_PLACE_PIN = re.compile(rf"!3d{_NUMBER}!4d{_NUMBER}")
_GOOGLE_QUERY = re.compile(rf"{_GOOGLE}[^#]*[?&](?:q|query)={_NUMBER},\s*(?:%20)?{_NUMBER}", re.IGNORECASE)
_EARTH_RADIUS_M = 6_371_008.8


def pinned_position(url: str) -> tuple[bool, tuple[float, float] | None]:
    """Return whether `url` is a map link that pins a place, and the pin's (lon, lat) when the link states it."""
    url = url.strip()
    if not is_http_url(url):
        return False, None
    if m := _OSM_MARKER.match(url):
        return True, (float(m.group(2)), float(m.group(1)))
    if _OSM_ELEMENT.match(url):
        return True, None
    if m := _GOOGLE_QUERY.match(url):
        return True, (float(m.group(2)), float(m.group(1)))
    if _GOOGLE_PLACE.match(url):
        pin = _GOOGLE_PLACE_PIN.search(url)
        return True, ((float(pin.group(2)), float(pin.group(1))) if pin else None)
    return False, None


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the great-circle distance in metres between two (lon, lat) points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * _EARTH_RADIUS_M * math.asin(math.sqrt(h))


def supported_precision(source: str, *, from_operator: bool, position: tuple[float, float] | None) -> tuple[str, str]:
    """Return the precision a source supports for a suggested position, and why (for the reviewer).

    Parameters
    ----------
    source
        The suggestion's public address (ignored when `from_operator`).
    from_operator
        Whether the people who run the space sent it.
    position
        The suggested position (lon, lat): a point of the geometry (its representative point for an area).

    Returns
    -------
    tuple of str
        The precision (``exact`` or ``street``) and a sentence saying why.
    """
    if from_operator:
        return "exact", "placed by the people who run the space"
    pinned, pin = pinned_position(source)
    if not pinned:
        return "street", "the source is a page, not a map pin: it supports the street, not the building"
    if pin is None or position is None:
        return "exact", "the source is a map link that pins the place"
    apart = distance_m(pin, position)
    limit = schema.PRECISION_METRES["exact"]
    if apart <= limit:
        return "exact", f"the source pins the place {apart:.0f} m from the suggested position"
    return "street", f"the source pins a point {apart:.0f} m from the suggested position (more than {limit:.0f} m)"


def clamp(supported: str, claimed: object) -> str:
    """Return `claimed` when it is a precision no better than `supported`, else `supported`."""
    if isinstance(claimed, str) and claimed in RANK and RANK[claimed] < RANK[supported]:
        return claimed
    return supported
