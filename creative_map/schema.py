"""The one definition of a creative space, an event and their vocabularies.

Everything that reads, checks, shows or documents the data takes its field names, vocabularies and
labels from here: the loader and validator (`creative_map.validation`), the map, the exports and the
field table in ``data/README.md`` (tested against :func:`field_table_markdown`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from creative_map.types import Lang

__all__ = [
    "CATEGORIES",
    "EVENT_FIELDS",
    "HANOI_BBOX",
    "MAX_ID_CHARS",
    "MAX_LIST_ITEMS",
    "MAX_LONG_TEXT_CHARS",
    "MAX_OPENING_HOURS_CHARS",
    "MAX_TEXT_CHARS",
    "NETWORK_MEMBER",
    "PLAN_ITEMS",
    "PRECISIONS",
    "SPACE_FIELDS",
    "STATUSES",
    "Category",
    "Field",
    "Label",
    "field_table_markdown",
]

# Column names of the spaces frame (the GeoJSON properties, plus the derived columns added at load).
ID: Final = "id"
NAME_VI: Final = "name_vi"
NAME_EN: Final = "name_en"
CATEGORY: Final = "category"
ADDRESS: Final = "address"
DISTRICT: Final = "district"
WARD_2025: Final = "ward_2025"
STATUS: Final = "status"
DESCRIPTION_VI: Final = "description_vi"
DESCRIPTION_EN: Final = "description_en"
WEBSITE: Final = "website"
OPENING_HOURS: Final = "opening_hours"
PLAN_ITEM: Final = "plan_item"
LEAD_AGENCY: Final = "lead_agency"
NETWORK_MEMBER_COL: Final = "network_member"
SOURCES: Final = "sources"
LAST_VERIFIED: Final = "last_verified"
POSITION_PRECISION: Final = "position_precision"
POSITION_NOTE: Final = "position_note"
GEOMETRY: Final = "geometry"

# Derived columns, added once at load (see `creative_map.io.load_spaces`).
NAME_FOLDED: Final = "name_folded"
"""Both names (and the address) folded for accent- and case-insensitive search."""
REP_LON: Final = "rep_lon"
REP_LAT: Final = "rep_lat"
"""A point inside the geometry (the point itself for a venue): what joins, distances and CSV use."""

# Event columns.
START: Final = "start"
END: Final = "end"
SPACE_IDS: Final = "space_ids"

CRS: Final = "EPSG:4326"
CRS_PROJECTED: Final = "EPSG:32648"
"""UTM zone 48N: where lengths and areas are measured."""

HANOI_BBOX: Final = (105.28, 20.56, 106.02, 21.39)
"""(min lon, min lat, max lon, max lat) of Hanoi's territory, with a small margin."""


@dataclass(frozen=True)
class Label:
    """A text in Vietnamese and English."""

    vi: str
    en: str

    def get(self, lang: Lang) -> str:
        """Return the text in `lang`, falling back to the other language when it is empty."""
        first, second = (self.vi, self.en) if lang == "vi" else (self.en, self.vi)
        return first or second


@dataclass(frozen=True)
class Category:
    """A kind of creative space, with its labels and how the map draws it."""

    id: str
    label: Label
    colour: str
    icon: str
    """A short symbol name (Font Awesome 4 icon name, as folium's default icon set uses)."""
    plan_item: str
    """Where the category comes from: the 2023 inventory (``inventory``) or an item of plan 161."""
    inventory_count: int | None
    """How many spaces of this kind the city's 2023 inventory counted (None: not an inventory kind)."""
    shapes: tuple[str, ...] = ("Point",)
    """Geometry types allowed for this category."""


_AREA_SHAPES: Final = ("Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon")

CATEGORIES: Final[dict[str, Category]] = {
    c.id: c
    for c in (
        Category(
            "public_space",
            Label("Không gian công cộng", "Public space"),
            "#3c8454",
            "tree",
            "inventory",
            6,
            _AREA_SHAPES,
        ),
        Category(
            "heritage",
            Label("Không gian sáng tạo di sản, văn hóa", "Heritage and cultural space"),
            "#5a3c30",
            "university",
            "inventory",
            21,
            _AREA_SHAPES,
        ),
        Category("education", Label("Giáo dục", "Education"), "#126cfc", "graduation-cap", "inventory", 10),
        Category("museum", Label("Bảo tàng", "Museum"), "#4e06a8", "bank", "inventory", 10),
        Category(
            "craft_village", Label("Làng nghề", "Craft village"), "#782a00", "home", "inventory", 11, _AREA_SHAPES
        ),
        Category(
            "creative_business",
            Label("Doanh nghiệp sáng tạo", "Creative business"),
            "#24605a",
            "lightbulb-o",
            "inventory",
            16,
        ),
        Category("art_space", Label("Không gian nghệ thuật", "Art space"), "#d806ae", "paint-brush", "inventory", 24),
        Category("online", Label("Không gian trực tuyến", "Online space"), "#303c5a", "globe", "inventory", 4),
        Category(
            "other",
            Label(
                "Không gian sáng tạo khác (thư viện, phòng tranh, cà phê, co-working)",
                "Other creative space (library, gallery, café, co-working)",
            ),
            "#6c787e",
            "book",
            "inventory",
            24,
        ),
        Category(
            "walking_street", Label("Phố đi bộ", "Walking street"), "#de3042", "male", "3.1.2.a", None, _AREA_SHAPES
        ),
        Category(
            "design_centre",
            Label("Trung tâm thiết kế sáng tạo", "Design centre"),
            "#905400",
            "star",
            "3.1.1",
            None,
            _AREA_SHAPES,
        ),
    )
}

STATUSES: Final[dict[str, Label]] = {
    "active": Label("Đang hoạt động", "Active"),
    "planned": Label("Đang quy hoạch", "Planned"),
    "closed": Label("Đã đóng cửa", "Closed"),
}

NETWORK_MEMBER: Final[dict[str, Label]] = {
    "yes": Label("Thành viên Mạng lưới không gian sáng tạo Hà Nội", "Member of the Hanoi Creative Space Network"),
    "no": Label("Không phải thành viên Mạng lưới", "Not a network member"),
    "unknown": Label("Chưa rõ là thành viên Mạng lưới", "Network membership unknown"),
}

PRECISIONS: Final[dict[str, Label]] = {
    "exact": Label("Vị trí chính xác (sai số khoảng 50 m)", "Exact position (within about 50 m)"),
    "street": Label("Vị trí theo tuyến phố (sai số khoảng 300 m)", "Placed on its street (within about 300 m)"),
    "ward": Label("Chỉ biết phường/xã (vị trí là trung tâm phường/xã)", "Only the ward is known (shown at its centre)"),
}
PRECISION_METRES: Final[dict[str, float]] = {"exact": 50.0, "street": 300.0, "ward": 3000.0}

PLAN_ITEMS: Final[dict[str, Label]] = {
    "3.1.1.a": Label("Trung tâm Thiết kế Sáng tạo Hà Nội", "Hanoi Creative Design Centre"),
    "3.1.1.b": Label(
        "Trung tâm thiết kế sáng tạo và giới thiệu sản phẩm làng nghề phía Nam",
        "Southern craft-village design and showcase centre",
    ),
    "3.1.2.a": Label("Hoạt động sáng tạo trên các tuyến phố đi bộ", "Creative activities on walking streets"),
    "3.1.2.b": Label(
        "Không gian sáng tạo điểm đến của ngành Văn hóa", "Destination creative spaces in cultural institutions"
    ),
    "3.1.2.c": Label("Không gian sáng tạo tại các làng nghề", "Creative spaces in craft villages"),
    "3.1.2.d": Label("Không gian sáng tạo của tổ chức, cá nhân", "Creative spaces of organisations and individuals"),
    "3.1.2.e": Label(
        "Kết nối, nâng cao năng lực mạng lưới không gian sáng tạo",
        "Connecting and strengthening the creative-space network",
    ),
    "3.1.3": Label("Sự kiện, lễ hội thiết kế sáng tạo", "Creative design events and festivals"),
    "1": Label(
        "Hoạt động trong Mạng lưới các Thành phố Sáng tạo UNESCO", "Activities in the UNESCO Creative Cities Network"
    ),
}

PLAN_REFERENCE: Final = "Kế hoạch 161/KH-UBND ngày 31/5/2023 của UBND thành phố Hà Nội"
"""How `sources` cites the city's plan itself (any source text containing ``161/KH-UBND`` is accepted)."""


MAX_TEXT_CHARS: Final = 2_000
"""The longest value of a field, in characters, unless its `Field.max_chars` says otherwise: a name, an address,
an agency, a web address, each source (common web software keeps addresses under 2,048 characters)."""
MAX_LONG_TEXT_CHARS: Final = 20_000
"""The longest description or position note (the longest shipped one is about 1,600 characters)."""
MAX_ID_CHARS: Final = 100
"""The longest id (each of an event's `space_ids` too)."""
MAX_OPENING_HOURS_CHARS: Final = 255
"""The longest opening hours: OpenStreetMap's limit for any tag value."""
MAX_LIST_ITEMS: Final = 1_000
"""The most items a list field (`sources`, `space_ids`) holds."""


@dataclass(frozen=True)
class Field:
    """One property of a space or an event, as the GeoJSON file holds it."""

    name: str
    kind: str
    """text, slug, url, date, category, status, ..., list of url."""
    required: bool
    doc: str
    max_chars: int = MAX_TEXT_CHARS
    """The longest value (each item, for a list), in characters: the limits above, in one place."""


SPACE_FIELDS: Final[tuple[Field, ...]] = (
    Field(
        ID,
        "slug",
        True,
        "Stable identifier: lowercase ASCII letters, digits and hyphens. Never reused.",
        MAX_ID_CHARS,
    ),
    Field(NAME_VI, "text", True, "Name in Vietnamese, with its accents."),
    Field(NAME_EN, "text", True, "Name in English, as English sources write it."),
    Field(CATEGORY, "category", True, "One of the categories below."),
    Field(ADDRESS, "text", True, "Street address in Vietnamese."),
    Field(DISTRICT, "district", True, "The pre-2025 district (quận/huyện/thị xã), e.g. `Quận Hoàn Kiếm`."),
    Field(
        WARD_2025,
        "ward_2025",
        True,
        "The ward or commune since 1 July 2025, e.g. `Phường Hoàn Kiếm`; must be one the district's old wards "
        "went into.",
    ),
    Field(STATUS, "status", True, "`active`, `planned` or `closed` (closed spaces are kept, never deleted)."),
    Field(
        DESCRIPTION_VI,
        "text",
        True,
        "What the space is and what happens there, in Vietnamese.",
        MAX_LONG_TEXT_CHARS,
    ),
    Field(DESCRIPTION_EN, "text", True, "The same in English.", MAX_LONG_TEXT_CHARS),
    Field(WEBSITE, "url", False, "Official website, `http://` or `https://` only."),
    Field(
        OPENING_HOURS,
        "opening_hours",
        False,
        "Opening hours in OpenStreetMap syntax, e.g. `Tu-Su 08:00-17:00`.",
        MAX_OPENING_HOURS_CHARS,
    ),
    Field(PLAN_ITEM, "plan_item", False, "Item of plan 161/KH-UBND the space falls under, e.g. `3.1.2.a`."),
    Field(LEAD_AGENCY, "text", False, "Lead agency (đơn vị chủ trì) as the plan names it, or the operator."),
    Field(
        NETWORK_MEMBER_COL,
        "network_member",
        True,
        "Member of the Hanoi Creative Space Network launched 10 Dec 2025: `yes`, `no` or `unknown`.",
    ),
    Field(
        SOURCES,
        "list of sources",
        True,
        "One or more public `http(s)` addresses, or the plan (`Kế hoạch 161/KH-UBND ...`).",
    ),
    Field(LAST_VERIFIED, "date", True, "Date the entry was last checked, `YYYY-MM-DD`."),
    Field(
        POSITION_PRECISION,
        "precision",
        True,
        "How far the geometry may be from the truth: `exact` (about 50 m, a source states coordinates or "
        "shows the building), `street` (on its street, about 300 m), `ward` (only the ward's centre).",
    ),
    Field(
        POSITION_NOTE,
        "text",
        False,
        "How the position was obtained (source of the coordinates).",
        MAX_LONG_TEXT_CHARS,
    ),
)

EVENT_FIELDS: Final[tuple[Field, ...]] = (
    Field(ID, "slug", True, "Stable identifier, as for spaces.", MAX_ID_CHARS),
    Field(NAME_VI, "text", True, "Name in Vietnamese."),
    Field(NAME_EN, "text", True, "Name in English."),
    Field(START, "date", True, "First day, `YYYY-MM-DD`."),
    Field(END, "date", True, "Last day, `YYYY-MM-DD` (not before `start`)."),
    Field(SPACE_IDS, "list of space ids", True, "The ids of the spaces where it happens.", MAX_ID_CHARS),
    Field(PLAN_ITEM, "plan_item", False, "Item of plan 161/KH-UBND, if any."),
    Field(DESCRIPTION_VI, "text", False, "What the event is, in Vietnamese.", MAX_LONG_TEXT_CHARS),
    Field(DESCRIPTION_EN, "text", False, "The same in English.", MAX_LONG_TEXT_CHARS),
    Field(WEBSITE, "url", False, "Official website, `http(s)` only."),
    Field(SOURCES, "list of sources", True, "One or more public addresses."),
)

SPACE_COLUMNS: Final = tuple(f.name for f in SPACE_FIELDS)
EVENT_COLUMNS: Final = tuple(f.name for f in EVENT_FIELDS)


def field_table_markdown(fields: tuple[Field, ...] = SPACE_FIELDS) -> str:
    """Return the Markdown table of `fields` that ``data/README.md`` carries.

    Parameters
    ----------
    fields
        The fields to document: `SPACE_FIELDS` or `EVENT_FIELDS`.

    Returns
    -------
    str
        A Markdown table, one row per field.
    """
    rows = ["| field | kind | required | meaning |", "|---|---|---|---|"]
    rows += [f"| `{f.name}` | {f.kind} | {'yes' if f.required else 'no'} | {f.doc} |" for f in fields]
    return "\n".join(rows)


def category_table_markdown() -> str:
    """Return the Markdown table of the categories, their labels and colours."""
    rows = ["| category | Tiếng Việt | English | colour | from |", "|---|---|---|---|---|"]
    rows += [f"| `{c.id}` | {c.label.vi} | {c.label.en} | `{c.colour}` | {c.plan_item} |" for c in CATEGORIES.values()]
    return "\n".join(rows)
