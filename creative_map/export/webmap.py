"""The HTML export: the app's map as one self-contained page that opens from disk with no network.

The map is `creative_map.mapping.build_map` with Leaflet and its plugins inlined (``assets="inline"``); only
basemap tiles would come from the network, and the page draws without them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from creative_map import mapping
from creative_map.dataset import Selection
from creative_map.export._common import ExportOptions
from creative_map.types import Level

__all__ = ["html_text", "write_html"]


def _html_level(selection: Selection) -> Level:
    """Return the unit layer the HTML map draws: 2025 wards when the filter picks wards, else the districts."""
    flt = selection.filter
    return "ward_2025" if flt.wards_2025 and not flt.districts else "district"


_FOLIUM_ID: Final = re.compile(r"\b([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*?)_([0-9a-f]{32})(?![0-9a-f])")


def _stable_ids(page: str) -> str:
    """Return `page` with folium's random element ids (``map_<32 hex>``) renumbered in order of appearance.

    folium names every element with 16 random bytes, so two renders of the same map differ; renaming them
    consistently (``map_0001``, ``marker_cluster_0002``, ...) keeps the page working and makes it deterministic.
    """
    seen: dict[str, str] = {}

    def rename(match: re.Match[str]) -> str:
        key = match.group(2)
        if key not in seen:
            seen[key] = f"{len(seen) + 1:032d}"
        return f"{match.group(1)}_{seen[key]}"

    return _FOLIUM_ID.sub(rename, page)


def html_text(selection: Selection, options: ExportOptions) -> str:
    """Return the map as one self-contained HTML page (Leaflet and plugins inlined: no network needed)."""
    m = mapping.build_map(
        selection, lang=options.lang, boundaries=options.units[_html_level(selection)], assets="inline"
    )
    return _stable_ids(str(m.get_root().render()))


def write_html(selection: Selection, path: Path, options: ExportOptions) -> None:
    """Write the self-contained HTML map (see `html_text`)."""
    path.write_text(html_text(selection, options), encoding="utf-8")
