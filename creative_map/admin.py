"""Hanoi's administrative units: the 30 districts and their wards before 1 July 2025, the 126 units since.

Names, codes, centroids, bounding boxes and areas come from the PyPI package `vietnamadminunits`
(MIT licence): its ``data/dataset.db`` and ``data/converter_2025.json``. The resolvers accept what people
type (``hoan kiem``, ``Q. Hoàn Kiếm``, ``Hoan Kiem District``) and answer the canonical full name.
"""

from __future__ import annotations

import difflib
import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from creative_map.text import fold, name_key

__all__ = [
    "CarriedUnits",
    "District",
    "OldWard",
    "Unit2025",
    "UnknownUnitError",
    "carry_units",
    "districts",
    "districts_of_unit_2025",
    "is_district_name",
    "old_wards",
    "resolve_district",
    "resolve_old_ward",
    "resolve_ward_2025",
    "short_name",
    "split_kind",
    "unit_label",
    "units_2025",
    "units_2025_for_old_ward",
    "units_2025_of_district",
]

HANOI_CODE = "01"
HANOI_KEY = "thanhphohanoi"

BBox = tuple[float, float, float, float]
"""(min lon, min lat, max lon, max lat)."""


class UnknownUnitError(ValueError):
    """A name that is none of Hanoi's units; `suggestions` holds the closest real ones."""

    def __init__(self, kind: str, name: str, suggestions: list[str]) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(f"unknown {kind} {name!r}{hint}")


@dataclass(frozen=True)
class District:
    """A pre-2025 district (quận, huyện or thị xã)."""

    code: str
    name: str
    short: str
    kind: str
    lat: float
    lon: float
    bbox: BBox
    key: str


@dataclass(frozen=True)
class OldWard:
    """A pre-2025 ward, commune or township (phường, xã, thị trấn)."""

    code: str
    name: str
    short: str
    kind: str
    district: str
    """Full name of its district."""
    lat: float
    lon: float
    bbox: BBox
    key: str
    """The converter's key, ``thanhphohanoi_<district key>_<ward key>``."""


@dataclass(frozen=True)
class Unit2025:
    """A ward (phường) or commune (xã) since 1 July 2025."""

    code: str
    name: str
    short: str
    kind: str
    lat: float
    lon: float
    area_km2: float
    key: str


_KIND_EN = {
    "Quận": "District",
    "Huyện": "District",
    "Thị xã": "Town",
    "Phường": "Ward",
    "Xã": "Commune",
    "Thị trấn": "Township",
}
_DISTRICT_AFFIXES = ("quan", "q", "huyen", "h", "thi xa", "tx", "district", "urban district", "rural district", "town")
_WARD_AFFIXES = ("phuong", "p", "xa", "x", "thi tran", "tt", "ward", "commune", "township")
_PUNCT = re.compile(r"[^a-z0-9 ]+")


def _dataset_dir() -> Path:
    return Path(str(resources.files("vietnamadminunits") / "data"))


def _parse_bounds(text: str) -> BBox:
    # "21.016004,105.801279 – 21.053565,105.857015": south-west and north-east corners as lat,lon.
    (lat1, lon1), (lat2, lon2) = (map(float, part.split(",")) for part in re.split(r"\s*[–-]\s+", text.strip()))
    return (min(lon1, lon2), min(lat1, lat2), max(lon1, lon2), max(lat1, lat2))


@cache
def _legacy_rows() -> tuple[sqlite3.Row, ...]:
    with sqlite3.connect(f"file:{_dataset_dir() / 'dataset.db'}?mode=ro", uri=True) as con:
        con.row_factory = sqlite3.Row
        return tuple(
            con.execute(
                "SELECT * FROM admin_units_legacy WHERE provinceCode = ? ORDER BY districtCode, wardCode", (HANOI_CODE,)
            )
        )


@cache
def districts() -> tuple[District, ...]:
    """Return Hanoi's 30 pre-2025 districts, ordered by code."""
    seen: dict[str, District] = {}
    for r in _legacy_rows():
        if r["districtCode"] not in seen:
            seen[r["districtCode"]] = District(
                code=r["districtCode"],
                name=r["district"],
                short=r["districtShort"],
                kind=r["districtType"],
                lat=r["districtLat"],
                lon=r["districtLon"],
                bbox=_parse_bounds(r["districtBounds"]),
                key=r["districtKey"],
            )
    return tuple(seen.values())


@cache
def old_wards() -> tuple[OldWard, ...]:
    """Return Hanoi's pre-2025 wards, communes and townships (526 in the dataset), ordered by code."""
    return tuple(
        OldWard(
            code=r["wardCode"],
            name=r["ward"],
            short=r["wardShort"],
            kind=r["wardType"],
            district=r["district"],
            lat=r["wardLat"],
            lon=r["wardLon"],
            bbox=_parse_bounds(r["wardBounds"]),
            key=f"{HANOI_KEY}_{r['districtKey']}_{r['wardKey']}",
        )
        for r in _legacy_rows()
    )


@cache
def units_2025() -> tuple[Unit2025, ...]:
    """Return Hanoi's 126 wards and communes in force since 1 July 2025, ordered by code."""
    with sqlite3.connect(f"file:{_dataset_dir() / 'dataset.db'}?mode=ro", uri=True) as con:
        rows = con.execute(
            "SELECT wardCode, ward, wardShort, wardType, wardLat, wardLon, wardAreaKm2, wardKey "
            "FROM admin_units WHERE provinceCode = ? ORDER BY wardCode",
            (HANOI_CODE,),
        ).fetchall()
    return tuple(Unit2025(*row) for row in rows)


@cache
def _old_to_new() -> dict[str, tuple[str, ...]]:
    """Old ward key -> keys of the 2025 units it went into (the default unit first)."""
    with (_dataset_dir() / "converter_2025.json").open(encoding="utf-8") as f:
        data = json.load(f)
    mapping: dict[str, list[str]] = {}
    for new_key, old_keys in data["DICT_PROVINCE_WARD_NO_DIVIDED"][HANOI_KEY].items():
        for old_key in old_keys:
            mapping.setdefault(old_key, []).append(new_key)
    for old_key, parts in data["DICT_PROVINCE_WARD_DIVIDED"][HANOI_KEY].items():
        ordered = sorted(parts, key=lambda p: not p["isDefaultNewWard"])
        mapping.setdefault(old_key, []).extend(p["newWardKey"] for p in ordered)
    return {k: tuple(dict.fromkeys(v)) for k, v in mapping.items()}


def units_2025_for_old_ward(ward: OldWard) -> tuple[Unit2025, ...]:
    """Return the 2025 units that `ward` went into, the official default first."""
    by_key = {u.key: u for u in units_2025()}
    return tuple(by_key[k] for k in _old_to_new().get(ward.key, ()) if k in by_key)


@cache
def units_2025_of_district(district_name: str) -> frozenset[str]:
    """Return the names of the 2025 units that took in at least one ward of the district `district_name`."""
    district = resolve_district(district_name)
    return frozenset(u.name for w in old_wards() if w.district == district.name for u in units_2025_for_old_ward(w))


@cache
def _districts_by_default_unit() -> dict[str, frozenset[str]]:
    """2025 unit name -> the districts whose old wards went, by the official default, into it."""
    found: dict[str, set[str]] = {}
    for ward in old_wards():
        units = units_2025_for_old_ward(ward)
        if units:
            found.setdefault(units[0].name, set()).add(ward.district)
    return {name: frozenset(ds) for name, ds in found.items()}


def districts_of_unit_2025(name: str) -> frozenset[str]:
    """Return the pre-2025 districts whose wards went into the 2025 unit `name` (by each old ward's official
    default unit: a ward split between several units counts for its default one only).

    One district for most units (111 of 126); two or more for a unit made of wards of several districts.
    """
    return _districts_by_default_unit().get(resolve_ward_2025(name).name, frozenset())


@dataclass(frozen=True)
class CarriedUnits:
    """A unit filter carried to the other set of units: what it became and what could not be carried."""

    carried: tuple[str, ...]
    """Canonical names in the target set, in its chooser's order (districts by code, 2025 units by name)."""
    dropped: tuple[str, ...]
    """Names of the source set that have no single counterpart (a 2025 unit made of several districts)."""


def carry_units(names: Iterable[str], *, to: Literal["district", "ward_2025"]) -> CarriedUnits:
    """Return the units of the other set that a filter on `names` becomes when the person switches sets.

    Parameters
    ----------
    names
        Districts (when `to` is ``"ward_2025"``) or 2025 units (when `to` is ``"district"``), as any resolver
        accepts them.
    to
        ``"ward_2025"``: each district becomes every 2025 unit that took in one of its wards
        (`units_2025_of_district`), so no space of the district is lost (a unit that also took wards of
        another district brings those in). ``"district"``: each 2025 unit becomes its district when all of its
        wards came from one (`districts_of_unit_2025`); a unit made of several districts is dropped, and said.

    Raises
    ------
    UnknownUnitError
        When a name is no unit of the source set.
    """
    if to == "ward_2025":
        wanted = {u for d in names for u in units_2025_of_district(d)}
        return CarriedUnits(tuple(sorted(wanted, key=name_key)), ())
    if to != "district":
        raise ValueError(f"`to` must be 'district' or 'ward_2025', not {to!r}")
    found: set[str] = set()
    dropped: list[str] = []
    for name in names:
        unit = resolve_ward_2025(name).name
        ds = districts_of_unit_2025(unit)
        if len(ds) == 1:
            found |= ds
        else:
            dropped.append(unit)
    return CarriedUnits(tuple(d.name for d in districts() if d.name in found), tuple(dropped))


def _key(text: str, affixes: tuple[str, ...]) -> str:
    words = _PUNCT.sub(" ", fold(text)).split()
    cities = (["thanh", "pho", "ha", "noi"], ["tp", "ha", "noi"], ["ha", "noi"], ["hanoi"])
    suffixes = [c for c in cities] + sorted((a.split() for a in affixes), key=len, reverse=True)
    for _ in range(3):  # "Quận Hoàn Kiếm District, Hà Nội" loses all three
        for affix in suffixes:
            n = len(affix)
            if len(words) > n and words[-n:] == affix:
                words = words[:-n]
            if len(words) > n and words[:n] == affix and affix not in cities:
                words = words[n:]
    return "".join(words)


def _resolve(kind: str, name: str, candidates: dict[str, list[str]]) -> list[str]:
    if not isinstance(name, str) or not name.strip():
        raise UnknownUnitError(kind, str(name), [])
    key = _key(name, _WARD_AFFIXES if kind != "district" else _DISTRICT_AFFIXES)
    if key in candidates:
        return candidates[key]
    close = difflib.get_close_matches(key, list(candidates), n=3, cutoff=0.6)
    raise UnknownUnitError(kind, name, [n for k in close for n in candidates[k]])


@cache
def _district_keys() -> dict[str, list[str]]:
    return {_key(d.name, _DISTRICT_AFFIXES): [d.name] for d in districts()}


@cache
def _unit_keys() -> dict[str, list[str]]:
    return {_key(u.name, _WARD_AFFIXES): [u.name] for u in units_2025()}


@cache
def _old_ward_keys() -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for w in old_wards():
        keys.setdefault(_key(w.name, _WARD_AFFIXES), []).append(w.code)
    return keys


@lru_cache(maxsize=4096)
def resolve_district(name: str) -> District:
    """Return the pre-2025 district that `name` means.

    Parameters
    ----------
    name
        What a person typed: ``Hoàn Kiếm``, ``hoan kiem``, ``Q. Hoàn Kiếm``, ``Quận Hoàn Kiếm``,
        ``Hoan Kiem District``.

    Returns
    -------
    District
        The district; its `name` is the canonical full name (``Quận Hoàn Kiếm``).

    Raises
    ------
    UnknownUnitError
        When `name` is no district, with the closest real names as suggestions.
    """
    (full,) = _resolve("district", name, _district_keys())
    return next(d for d in districts() if d.name == full)


@lru_cache(maxsize=4096)
def resolve_ward_2025(name: str) -> Unit2025:
    """Return the 2025 ward or commune that `name` means (``van mieu quoc tu giam``, ``Xã Bát Tràng``)."""
    (full,) = _resolve("ward or commune (2025)", name, _unit_keys())
    return next(u for u in units_2025() if u.name == full)


def resolve_old_ward(name: str, *, district: str | None = None) -> OldWard:
    """Return the pre-2025 ward `name`; `district` is needed where several districts had a ward of that name."""
    codes = _resolve("pre-2025 ward", name, _old_ward_keys())
    matches = [w for w in old_wards() if w.code in codes]
    if district is not None:
        d = resolve_district(district)
        in_district = [w for w in matches if w.district == d.name]
        if not in_district:
            raise UnknownUnitError(
                f"pre-2025 ward of {d.name}",
                name,
                [
                    w.name
                    for w in old_wards()
                    if w.district == d.name and _key(w.name, _WARD_AFFIXES)[:3] == _key(name, _WARD_AFFIXES)[:3]
                ][:3],
            )
        matches = in_district
    if len(matches) > 1:
        raise UnknownUnitError(
            "pre-2025 ward (ambiguous: name the district)", name, [f"{w.name}, {w.district}" for w in matches]
        )
    return matches[0]


def split_kind(name: str) -> tuple[str, str]:
    """Return (kind, short name) of a unit's full name: ``("Quận", "Hoàn Kiếm")``; ``("", name)`` without a kind."""
    for kind in sorted(_KIND_EN, key=len, reverse=True):
        if name.startswith(kind + " "):
            return kind, name[len(kind) + 1 :]
    return "", name


def short_name(name: str) -> str:
    """Return a unit's name without its kind (``Quận Hoàn Kiếm`` -> ``Hoàn Kiếm``), for labels."""
    return split_kind(name)[1]


def is_district_name(name: str) -> bool:
    """Return whether a full unit name is that of a pre-2025 district (quận, huyện, thị xã)."""
    return split_kind(name)[0] in ("Quận", "Huyện", "Thị xã")


def unit_label(name: str, lang: Literal["vi", "en"]) -> str:
    """Return a unit's name for display: as is in Vietnamese, ``Hoàn Kiếm District`` in English."""
    if lang == "vi":
        return name
    kind, short = split_kind(name)
    return f"{short} {_KIND_EN[kind]}" if kind else name
