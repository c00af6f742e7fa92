"""Synthetic spaces for benchmarks: valid under the schema, spread over Hanoi's wards, deterministic.

Not for tests of behaviour (those use hand-made fixtures) and never shipped as data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from creative_map import admin, schema


def synthetic_features(n: int, *, seed: int = 0) -> list[dict[str, Any]]:
    """Return `n` valid space Features, each near the centre of a random pre-2025 ward."""
    rng = np.random.default_rng(seed)
    wards = admin.old_wards()
    units = {w.code: admin.units_2025_for_old_ward(w)[0].name for w in wards}
    categories = list(schema.CATEGORIES)
    statuses = list(schema.STATUSES)
    members = list(schema.NETWORK_MEMBER)
    picks = rng.integers(0, len(wards), n)
    offsets = rng.normal(0, 0.002, (n, 2))
    features = []
    for i in range(n):
        w = wards[picks[i]]
        lon = float(np.clip(w.lon + offsets[i, 0], *schema.HANOI_BBOX[0::2]))
        lat = float(np.clip(w.lat + offsets[i, 1], *schema.HANOI_BBOX[1::2]))
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                "properties": {
                    "id": f"synthetic-{i}",
                    "name_vi": f"Không gian sáng tạo {i}",
                    "name_en": f"Creative space {i}",
                    "category": categories[i % len(categories)],
                    "address": f"{i} phố {w.short}",
                    "district": w.district,
                    "ward_2025": units[w.code],
                    "status": statuses[i % len(statuses)],
                    "description_vi": "Không gian tổng hợp để đo hiệu năng.",
                    "description_en": "A synthetic space for benchmarks.",
                    "website": "",
                    "opening_hours": "",
                    "plan_item": "",
                    "lead_agency": "",
                    "network_member": members[i % len(members)],
                    "sources": ["https://example.org/synthetic"],
                    "last_verified": "2026-11-27",
                    "position_precision": "ward",
                },
            }
        )
    return features


def write_synthetic(path: str | Path, n: int, *, seed: int = 0) -> Path:
    """Write `n` synthetic spaces to `path` as a GeoJSON FeatureCollection and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": synthetic_features(n, seed=seed)}, ensure_ascii=False),
        encoding="utf-8",
    )
    return path
