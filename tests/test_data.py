"""The shipped data: valid, without duplicates, keeping what the plan names, honest about precision."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import Point

from creative_map import admin, load, load_events, load_spaces, schema
from creative_map.io import check_file
from creative_map.suggestions import canonical
from creative_map.text import fold

DATA = Path(__file__).resolve().parent.parent / "data"
SPACES = DATA / "spaces.geojson"
EVENTS = DATA / "events.geojson"

# The spaces plan 161/KH-UBND names (items 3.1.1 and 3.1.2): id -> (category, plan item, lead agency contains).
PLAN_NAMED = {
    "pho-di-bo-ho-hoan-kiem": ("walking_street", "3.1.2.a", "Hoàn Kiếm"),
    "ho-thien-quang-cong-vien-thong-nhat": ("walking_street", "3.1.2.a", "Hai Bà Trưng"),
    "pho-am-thuc-dao-ngoc-ngu-xa": ("walking_street", "3.1.2.a", "Ba Đình"),
    "pho-di-bo-trinh-cong-son": ("walking_street", "3.1.2.a", "Tây Hồ"),
    "thanh-co-son-tay": ("walking_street", "3.1.2.a", "Sơn Tây"),
    "khu-do-thi-bac-an-khanh": ("walking_street", "3.1.2.a", "Sovico"),
    "pho-di-bo-kdt-nam-vanh-dai-3": ("walking_street", "3.1.2.a", "Hoàng Mai"),
    "bao-tang-ha-noi": ("museum", "3.1.2.b", "Sở Văn hóa và Thể thao"),
    "van-mieu-quoc-tu-giam": ("heritage", "3.1.2.b", "Sở Văn hóa và Thể thao"),
    "nha-hat-mua-roi-thang-long": ("art_space", "3.1.2.b", "Sở Văn hóa và Thể thao"),
    "trung-tam-thiet-ke-sang-tao-ha-noi": ("design_centre", "3.1.1.a", "Sở Văn hóa và Thể thao"),
    "trung-tam-dieu-phoi-hoat-dong-sang-tao-ha-noi": ("design_centre", "3.1.1.a", "Sở Văn hóa và Thể thao"),
    "trung-tam-thiet-ke-sang-tao-lang-nghe-phu-xuyen": ("design_centre", "3.1.1.b", "Phú Xuyên"),
    "trung-tam-cong-nghiep-van-hoa-song-hong": ("design_centre", "3.1.1.a", "Sở Văn hóa và Thể thao"),
}


@pytest.fixture(scope="module")
def spaces():
    return load_spaces(SPACES)


@pytest.fixture(scope="module")
def events(spaces):
    return load_events(EVENTS, spaces=spaces)


def test_data_validates_without_errors_or_warnings():
    checked = check_file(SPACES)
    assert not checked.errors, "\n".join(map(str, checked.errors))
    ids = {r[schema.ID] for r in checked.records}
    event_check = check_file(EVENTS, kind="events", space_ids=ids)
    assert not event_check.errors, "\n".join(map(str, event_check.errors))
    duplicates = [str(w) for w in load(SPACES).warnings if "a duplicate?" in w.message]
    assert not duplicates


def test_at_least_100_real_spaces_each_with_a_source(spaces):
    assert len(spaces) >= 100
    assert all(len(s) >= 1 for s in spaces[schema.SOURCES])
    assert not spaces[schema.SOURCES].map(lambda s: any("example.org" in u for u in s)).any()


def test_no_duplicate_places(spaces):
    names = Counter(fold(n) for n in spaces[schema.NAME_VI])
    assert [n for n, c in names.items() if c > 1] == []
    names_en = Counter(fold(n) for n in spaces[schema.NAME_EN])
    assert [n for n, c in names_en.items() if c > 1] == []


@pytest.mark.parametrize(("space_id", "expected"), PLAN_NAMED.items(), ids=list(PLAN_NAMED))
def test_plan_named_spaces_are_kept(spaces, space_id, expected):
    row = spaces.loc[spaces[schema.ID] == space_id]
    assert len(row) == 1, f"{space_id} is missing from the data"
    category, plan_item, lead = expected
    row = row.iloc[0]
    assert row[schema.CATEGORY] == category
    assert row[schema.PLAN_ITEM] == plan_item
    assert lead in row[schema.LEAD_AGENCY]


def test_craft_villages_cover_districts(spaces):
    villages = spaces[spaces[schema.CATEGORY] == "craft_village"]
    assert len(villages) >= 15
    assert villages[schema.DISTRICT].nunique() >= 8
    assert any("Bát Tràng" in n for n in villages[schema.NAME_VI])
    assert any("Vạn Phúc" in n for n in villages[schema.NAME_VI])


def test_closed_spaces_are_kept(spaces):
    closed = spaces[spaces[schema.STATUS] == "closed"]
    assert len(closed) >= 1
    assert all(len(d) > 20 for d in closed[schema.DESCRIPTION_EN])  # says what happened


def test_both_languages_are_filled(spaces):
    for column in (schema.NAME_VI, schema.NAME_EN, schema.DESCRIPTION_VI, schema.DESCRIPTION_EN):
        assert spaces[column].str.strip().str.len().gt(0).all(), column


def test_every_position_says_where_it_came_from(spaces):
    assert spaces[schema.POSITION_NOTE].str.strip().str.len().gt(0).all()
    placed = spaces[spaces[schema.POSITION_PRECISION] != "ward"]
    # the page or file that gave an exact or street position is the first source, and it can be opened
    first = placed[schema.SOURCES].map(lambda s: s[0])
    assert first.str.match(r"https?://").all(), list(placed.loc[~first.str.match(r"https?://"), schema.ID])


def test_ward_positions_are_ward_centres_not_guesses(spaces):
    """A space placed only to its ward stands exactly at that ward's centre, so the map can say so."""
    centres = np.array([(w.lon, w.lat) for w in admin.old_wards()])
    ward_level = spaces[spaces[schema.POSITION_PRECISION] == "ward"]
    for space_id, geom in zip(ward_level[schema.ID], ward_level.geometry, strict=True):
        metres = np.hypot((centres[:, 0] - geom.x) * 104_000, (centres[:, 1] - geom.y) * 111_000).min()
        assert metres < 5, f"{space_id} is at ward precision but {metres:.0f} m from any ward centre"


def test_hoan_kiem_walking_space_is_the_area_round_the_lake(spaces):
    by_id = spaces.set_index(schema.ID).geometry
    area = by_id["pho-di-bo-ho-hoan-kiem"]
    assert area.geom_type == "Polygon"
    assert area.distance(by_id["nha-hat-mua-roi-thang-long"]) < 0.0003  # the puppet theatre, on its edge
    assert area.contains(Point(105.8525, 21.02889))  # the lake itself (Humazur authority record)
    assert not area.contains(by_id["van-mieu-quoc-tu-giam"])


def test_file_is_nfc_utf8_one_feature_per_line():
    text = SPACES.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    lines = text.splitlines()
    assert lines[0].startswith('{"type": "FeatureCollection"') and lines[-1] == "]}"
    assert len(lines) == len(json.loads(text)["features"]) + 2


def test_required_events(events):
    by_start = {(e[schema.START], e[schema.END]): e for _, e in events.iterrows()}
    festival_2023 = by_start[("2023-11-17", "2023-11-28")]
    assert "nha-may-xe-lua-gia-lam" in festival_2023[schema.SPACE_IDS]
    assert ("2024-11-09", "2024-11-17") in by_start
    forum = [e for _, e in events.iterrows() if e[schema.START] == "2023-11-18"]
    assert forum and "bao-tang-ha-noi" in forum[0][schema.SPACE_IDS]
    assert any(e[schema.START] == "2025-12-10" for _, e in events.iterrows())


def test_every_event_place_exists(spaces, events):
    ids = set(spaces[schema.ID])
    assert all(set(s) <= ids and s for s in events[schema.SPACE_IDS])


def test_data_readme_field_table_is_the_schema():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert schema.field_table_markdown(schema.SPACE_FIELDS) in readme
    assert schema.field_table_markdown(schema.EVENT_FIELDS) in readme
    assert schema.category_table_markdown() in readme


def test_data_readme_coverage_and_precision_counts(spaces):
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    counts = spaces[schema.CATEGORY].value_counts()
    for cat in schema.CATEGORIES.values():
        inventory = cat.inventory_count if cat.inventory_count is not None else "—"
        row = f"| `{cat.id}` | {cat.label.en} | {int(counts.get(cat.id, 0))} | {inventory} |"
        assert row in readme, row
    precision = spaces[schema.POSITION_PRECISION].value_counts()
    for level in schema.PRECISIONS:
        row = f"| `{level}` | {int(precision.get(level, 0))} |"
        assert row in readme, row
    assert re.search(rf"\*\*{len(spaces)} spaces\*\*", readme)
    inventory_kinds = [c.id for c in schema.CATEGORIES.values() if c.inventory_count is not None]
    in_kinds = int(spaces[schema.CATEGORY].isin(inventory_kinds).sum())
    assert f"The file holds {in_kinds} spaces of the inventory's nine kinds" in readme


def test_data_readme_says_the_data_s_own_counts(spaces, events):
    """The numbers the README's first lines and sections give are the data's, so they cannot drift."""
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    status = spaces[schema.STATUS].value_counts()
    line = (
        f"**{len(spaces)} spaces** ({int(status.get('active', 0))} active, {int(status.get('planned', 0))} planned, "
        f"{int(status.get('closed', 0))} closed) in {spaces[schema.DISTRICT].nunique()} of the 30 pre-2025 districts"
    )
    assert line in " ".join(readme.split()), line
    in_2026 = int(((events[schema.START] <= "2026-12-31") & (events[schema.END] >= "2026-01-01")).sum())
    assert f"**{len(events)} events**, {in_2026} of them running in 2026" in " ".join(readme.split())
    members = int((spaces[schema.NETWORK_MEMBER_COL] == "yes").sum())
    assert f"Known members of the Hanoi Creative Space Network: **{members}**" in " ".join(readme.split())
    from_osm = int(spaces[schema.POSITION_NOTE].str.contains("OpenStreetMap").sum())
    assert f"{from_osm} positions are taken from OpenStreetMap data" in " ".join(readme.split())


# ------------------------------------------------------------------- the inventory, online spaces, 2026 (issue 15)


def test_every_inventory_kind_is_at_or_above_its_2023_count(spaces):
    counts = spaces[schema.CATEGORY].value_counts()
    short = {
        cat.id: (int(counts.get(cat.id, 0)), cat.inventory_count)
        for cat in schema.CATEGORIES.values()
        if cat.inventory_count is not None and counts.get(cat.id, 0) < cat.inventory_count
    }
    assert short == {}, short


def test_at_least_the_inventory_s_124_spaces(spaces):
    assert len(spaces) >= 124
    inventory_kinds = [c.id for c in schema.CATEGORIES.values() if c.inventory_count is not None]
    assert spaces[schema.CATEGORY].isin(inventory_kinds).sum() >= sum(
        schema.CATEGORIES[k].inventory_count or 0 for k in inventory_kinds
    )


ONLINE_NOTE = "Online platform; drawn at its operator's address"


def test_online_platforms_are_drawn_at_their_operator_s_address(spaces):
    """An online platform has no position of its own: it stands on its operator's point and says so."""
    online = spaces[spaces[schema.CATEGORY] == "online"]
    assert len(online) >= 1
    placed = spaces[spaces[schema.CATEGORY] != "online"]
    for _, row in online.iterrows():
        assert row[schema.POSITION_NOTE].startswith(ONLINE_NOTE), row[schema.ID]
        assert re.match(r"https?://", row[schema.WEBSITE]), row[schema.ID]
        assert row[schema.ADDRESS].startswith("Trực tuyến:"), row[schema.ID]
        assert row.geometry.geom_type == "Point", row[schema.ID]
        # where the operator (its lead agency) has a record of its own, the platform stands on that very point
        operator = row[schema.LEAD_AGENCY].split(";")[0].strip()
        for point in placed.loc[placed[schema.NAME_VI] == operator].geometry:
            assert point.equals(row.geometry), f"{row[schema.ID]} is not at its operator's point"
    assert ONLINE_NOTE in " ".join((DATA / "README.md").read_text(encoding="utf-8").split())


def test_no_platform_outside_the_online_kind_claims_the_online_rule(spaces):
    others = spaces[spaces[schema.CATEGORY] != "online"]
    assert not others[schema.POSITION_NOTE].str.startswith(ONLINE_NOTE).any()


def test_events_of_2026_exist_and_every_event_source_can_be_opened(events):
    assert (events[schema.START].str.startswith("2026-")).sum() >= 1
    for _, event in events.iterrows():
        assert event[schema.SOURCES], event[schema.ID]
        assert all(re.match(r"https?://", s) for s in event[schema.SOURCES]), event[schema.ID]


def test_every_event_names_existing_spaces(spaces, events):
    ids = set(spaces[schema.ID])
    for _, event in events.iterrows():
        assert event[schema.SPACE_IDS], event[schema.ID]
        assert set(event[schema.SPACE_IDS]) <= ids, (event[schema.ID], set(event[schema.SPACE_IDS]) - ids)


def test_openstreetmap_positions_carry_the_odbl_attribution(spaces):
    """A position taken from OpenStreetMap says ODbL in its note, and the README gives the attribution."""
    from_osm = spaces[spaces[schema.POSITION_NOTE].str.contains("OpenStreetMap")]
    assert list(from_osm[~from_osm[schema.POSITION_NOTE].str.contains("ODbL")][schema.ID]) == []
    if len(from_osm):
        readme = " ".join((DATA / "README.md").read_text(encoding="utf-8").split())
        assert "© OpenStreetMap contributors" in readme
        assert "Open Database License (ODbL)" in readme
        cited = " ".join(" ".join(s) for s in from_osm[schema.SOURCES]) + " ".join(from_osm[schema.POSITION_NOTE])
        if "Schultzer/nearby-data" in cited:
            assert "2018 export of Hanoi points `hanoi.geojson` in the public repository Schultzer/nearby-data" in (
                readme
            )


def test_data_files_are_canonical():
    """Both files are byte for byte what the project's canonical writer makes of them (sorted, NFC, key order)."""
    for path, kind in ((SPACES, "space"), (EVENTS, "event")):
        text = path.read_text(encoding="utf-8")
        assert canonical.dumps(json.loads(text)["features"], kind=kind) == text, path.name


def test_spaces_not_reported_lately_say_when_they_were_last_reported(spaces):
    """Kept active without a recent page: the descriptions say so in both languages (issue 15, lead's decision)."""
    for space_id in ("vui-studio", "collective-memory", "mai-gallery", "kilomet109"):
        row = spaces.loc[spaces[schema.ID] == space_id].iloc[0]
        assert re.search(r"last reported in (19|20)\d\d", row[schema.DESCRIPTION_EN]), space_id
        assert re.search(r"nhắc đến lần cuối năm (19|20)\d\d", row[schema.DESCRIPTION_VI]), space_id


# ------------------------------------------------------------------------------ boundaries (issue 15, items 1, 2, 8)
# The shipped boundary layers against the data: the real 2025 wards, the districts derived from them. The block keeps
# its imports here so that it stays apart from the data tests above (move them up when the file is next tidied).

from creative_map import boundaries, spatial_checks  # noqa: E402


@pytest.fixture(scope="module")
def joined(spaces):
    return boundaries.assign_units(spaces)


def test_boundaries_every_ward_polygon_name_resolves_to_one_of_the_126_units():
    data = json.loads((boundaries.BOUNDARIES_DIR / "wards_2025.geojson").read_text(encoding="utf-8"))
    names = Counter(admin.resolve_ward_2025(f["properties"]["name"]).name for f in data["features"])
    assert sorted(names) == sorted(u.name for u in admin.units_2025())
    assert set(names.values()) == {1}


def test_boundaries_the_shipped_wards_are_real_and_the_districts_derived():
    assert not boundaries.is_approximate(boundaries.load_boundaries("ward_2025"))
    assert boundaries.is_approximate(boundaries.load_boundaries("district"))


def test_boundaries_data_validates_without_any_warning():
    """No space lies more than 300 m outside its stated district or 2025 unit (nor any other warning)."""
    assert [str(w) for w in load(SPACES).warnings] == []


def test_boundaries_spaces_units_agree_with_the_real_polygons_or_say_why(spaces, joined):
    differ = joined[joined[schema.WARD_2025] != joined[boundaries.WARD_2025_JOINED]]
    for _, row in differ.iterrows():
        note = row[schema.POSITION_NOTE]
        assert "2025 unit:" in note and row[boundaries.WARD_2025_JOINED] in note, row[schema.ID]
    # a few spaces kept a few metres past a simplified edge (data/boundaries/README.md); never a warning
    assert (differ[boundaries.WARD_2025_DISTANCE_M] <= spatial_checks.JOIN_WARNING_METRES).all()


def test_boundaries_spaces_drawn_at_a_ward_centre_take_the_unit_holding_it(joined):
    at_centre = joined[joined[schema.POSITION_PRECISION] == "ward"]
    assert list(at_centre[at_centre[schema.WARD_2025] != at_centre[boundaries.WARD_2025_JOINED]][schema.ID]) == []


def test_boundaries_stated_districts_agree_with_the_derived_ones_within_the_tolerance(joined):
    differ = joined[joined[schema.DISTRICT] != joined[boundaries.DISTRICT_JOINED]]
    assert (differ[boundaries.DISTRICT_DISTANCE_M] <= spatial_checks.JOIN_WARNING_METRES).all()
