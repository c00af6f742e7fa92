"""Every text of the user interface, in Vietnamese (the default) and English.

A text missing in one language falls back to the other, never to a blank: :func:`t` and
:meth:`creative_map.schema.Label.get` both do that. Labels of the data's vocabularies (categories,
statuses, ...) live in `creative_map.schema`; this module holds the interface's own words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from creative_map import admin, schema
from creative_map.query import Filter
from creative_map.schema import Label
from creative_map.types import DEFAULT_LANG, Lang, Level

__all__ = [
    "TEXTS",
    "coerce_lang",
    "describe_filter",
    "label",
    "other_lang",
    "plan_label",
    "space_names",
    "t",
    "unit_label",
    "vocab_label",
]

TEXTS: Final[dict[str, Label]] = {
    # Page
    "page_title": Label("Không gian sáng tạo Hà Nội", "Hanoi creative spaces"),
    "title": Label("Bản đồ không gian sáng tạo Hà Nội", "Map of Hanoi's creative spaces"),
    "intro": Label(
        "Mạng lưới không gian sáng tạo của Hà Nội — Thành phố Sáng tạo (Thiết kế) của UNESCO. "
        "Tìm theo tên, lọc ở thanh bên, chọn một nơi để xem chi tiết.",
        "The creative-space network of Hanoi, UNESCO Creative City of Design. "
        "Search by name, filter in the sidebar, pick a place to read its details.",
    ),
    "language": Label("Ngôn ngữ / Language", "Language / Ngôn ngữ"),
    "lang_name": Label("Tiếng Việt", "English"),
    "search": Label("Tìm theo tên", "Search by name"),
    "search_placeholder": Label("vd. van mieu, Văn Miếu", "e.g. van mieu, Temple of Literature"),
    "search_help": Label(
        "Không phân biệt dấu và chữ hoa; có thể gõ một phần của từ.",
        "Accents and capitals do not matter; parts of words work.",
    ),
    "count": Label("{shown} / {total} không gian", "{shown} of {total} spaces"),
    "share": Label(
        "Đường dẫn của trang ghi lại lựa chọn hiện tại: sao chép để chia sẻ.",
        "The page address records your choices: copy it to share this view.",
    ),
    # Sidebar
    "filters": Label("Bộ lọc", "Filters"),
    "choose": Label("Chọn…", "Choose…"),
    "units": Label("Lọc theo đơn vị hành chính", "Filter by administrative unit"),
    "units_district": Label("Quận/huyện (trước 1/7/2025)", "District (before 1 July 2025)"),
    "units_ward_2025": Label("Phường/xã (từ 1/7/2025)", "Ward or commune (since 1 July 2025)"),
    "districts": Label("Quận/huyện", "Districts"),
    "wards_2025": Label("Phường/xã", "Wards and communes"),
    "categories": Label("Loại không gian", "Kind of space"),
    "statuses": Label("Trạng thái", "Status"),
    "network_members": Label("Mạng lưới không gian sáng tạo", "Creative space network"),
    "plan_items": Label("Mục của Kế hoạch 161/KH-UBND", "Item of plan 161/KH-UBND"),
    "events": Label("Có sự kiện trong khoảng", "Hosting an event between"),
    "event_start": Label("Từ ngày", "From"),
    "event_end": Label("Đến ngày", "To"),
    "display": Label("Hiển thị", "Display"),
    "basemap": Label("Nền bản đồ", "Basemap"),
    "basemap_osm": Label("OpenStreetMap", "OpenStreetMap"),
    "basemap_light": Label("Nền sáng (CARTO)", "Light (CARTO)"),
    "basemap_none": Label("Không có nền (ngoại tuyến)", "No basemap (offline)"),
    "boundaries": Label("Lớp ranh giới", "Boundary layer"),
    "boundaries_none": Label("Không", "None"),
    "boundaries_district": Label("Quận/huyện cũ", "Pre-2025 districts"),
    "boundaries_ward_2025": Label("Phường/xã 2025", "2025 wards and communes"),
    "boundaries_missing": Label(
        "Lớp ranh giới chưa có trong phiên bản này; bản đồ hiển thị không có lớp đó.",
        "The boundary layer is not available in this version; the map is shown without it.",
    ),
    "boundaries_bad": Label(
        "Không dùng được tệp ranh giới {path}: {error}",
        "The boundary file {path} cannot be used: {error}",
    ),
    "approximate": Label("gần đúng", "approximate"),
    "boundary_note_district": Label(
        "Ranh giới quận/huyện (trước 2025): GẦN ĐÚNG, suy ra từ ranh giới phường/xã 2025 qua bảng chuyển đổi "
        "phường/xã cũ sang mới; không phải ranh giới pháp lý.",
        "Pre-2025 district boundaries: APPROXIMATE, derived from the 2025 ward boundaries through the old-to-new "
        "ward mapping; not legal boundaries.",
    ),
    "boundary_note_ward_2025": Label(
        "Ranh giới phường/xã (từ 1/7/2025): ranh giới thật, đơn giản hóa cho web, từ lamngockhuong/vietnam-3d-map "
        "(giấy phép MIT, © 2025 Lam Ngoc Khuong).",
        "2025 ward and commune boundaries: real, simplified for the web, from lamngockhuong/vietnam-3d-map "
        "(MIT licence, © 2025 Lam Ngoc Khuong).",
    ),
    "boundary_note_supplied": Label(
        "{level}: ranh giới do người dùng cung cấp.", "{level}: boundaries supplied by the user."
    ),
    "approximate_note": Label(
        "Ranh giới gần đúng, chỉ để định hướng.",
        "Approximate boundaries, for orientation only.",
    ),
    # Map
    "legend": Label("Chú giải", "Legend"),
    "spaces_layer": Label("Không gian sáng tạo", "Creative spaces"),
    "on_map": Label("{n} không gian trên bản đồ", "{n} spaces on the map"),
    "approx_symbol": Label("Vị trí chưa chính xác", "Position not exact"),
    "popup_more": Label("Chọn để xem chi tiết", "Select for the details"),
    "selected_layer": Label("Không gian đang chọn", "Selected space"),
    # List and details
    "list": Label("Danh sách", "List"),
    "list_limited": Label(
        "Danh sách hiện {limit} không gian đầu tiên trong {total}; bản đồ hiện tất cả. "
        "Thu hẹp bộ lọc hoặc tìm theo tên.",
        "The list shows the first {limit} of {total} spaces; the map shows them all. Narrow the filters or search.",
    ),
    "pick": Label("Chọn một không gian", "Choose a space"),
    "pick_none": Label("— chưa chọn —", "— none —"),
    "no_results": Label("Không có không gian nào khớp với lựa chọn.", "No space matches these choices."),
    "details": Label("Chi tiết", "Details"),
    "details_empty": Label(
        "Chọn một không gian trên bản đồ, trong danh sách hoặc ô chọn để xem chi tiết.",
        "Pick a space on the map, in the list or in the chooser to read its details.",
    ),
    "clear_selection": Label("Bỏ chọn", "Clear selection"),
    # Export
    "export": Label("Tải xuống", "Download"),
    "export_help": Label(
        "Tải đúng các không gian đang hiện (theo bộ lọc và tìm kiếm) cho GIS, Google Earth, bảng tính, "
        "bản đồ ngoại tuyến hoặc bản in.",
        "Download exactly the spaces shown (filters and search applied) for GIS, Google Earth, spreadsheets, "
        "an offline map or print.",
    ),
    "export_format": Label("Định dạng", "Format"),
    "export_prepare": Label("Tạo tệp", "Prepare the file"),
    "export_ready": Label("Tải tệp {name}", "Download {name}"),
    "export_failed": Label("Không tạo được tệp: {error}", "The file could not be made: {error}"),
    "fmt_geojson": Label("GeoJSON (cho phần mềm GIS)", "GeoJSON (GIS)"),
    "fmt_csv": Label("CSV (bảng tính)", "CSV (spreadsheet)"),
    "fmt_kml": Label("KML (cho Google Earth)", "KML (Google Earth)"),
    "fmt_kmz": Label("KMZ (Google Earth, nén)", "KMZ (Google Earth, zipped)"),
    "fmt_gpkg": Label(
        "GeoPackage (GIS, kèm ranh giới và thống kê)", "GeoPackage (GIS, with boundaries and statistics)"
    ),
    "fmt_shp": Label("Shapefile (tệp nén .zip)", "Shapefile (.zip)"),
    "fmt_html": Label("Bản đồ HTML mở ngoại tuyến", "HTML map that opens offline"),
    "fmt_png": Label("Bản đồ in PNG (A4)", "Print map PNG (A4)"),
    "fmt_pdf": Label("Bản đồ in PDF (A4)", "Print map PDF (A4)"),
    "fmt_bundle": Label("Trọn bộ (.zip, mọi định dạng)", "Everything (.zip, every format)"),
    "col_name": Label("Tên", "Name"),
    "col_category": Label("Loại", "Kind"),
    "col_district": Label("Quận/huyện", "District"),
    "col_ward_2025": Label("Phường/xã 2025", "2025 ward"),
    "col_status": Label("Trạng thái", "Status"),
    "col_events": Label("Sự kiện", "Events"),
    # Fields of a space
    "f_category": Label("Loại", "Kind"),
    "f_address": Label("Địa chỉ", "Address"),
    "f_district": Label("Quận/huyện (trước 2025)", "District (before 2025)"),
    "f_ward_2025": Label("Phường/xã (từ 2025)", "Ward or commune (since 2025)"),
    "f_status": Label("Trạng thái", "Status"),
    "f_description": Label("Mô tả", "Description"),
    "f_opening_hours": Label("Giờ mở cửa", "Opening hours"),
    "f_website": Label("Trang web", "Website"),
    "f_lead_agency": Label("Đơn vị chủ trì", "Lead agency"),
    "f_plan_item": Label("Mục kế hoạch", "Plan item"),
    "f_network": Label("Mạng lưới", "Network"),
    "f_position": Label("Vị trí", "Position"),
    "f_events": Label("Sự kiện tại đây", "Events here"),
    "f_no_events": Label("Chưa có sự kiện nào được ghi nhận.", "No event recorded."),
    "f_last_verified": Label("Kiểm tra lần cuối", "Last checked"),
    # Notices
    "data_error": Label("Không đọc được dữ liệu:", "The data could not be read:"),
    "debug_data": Label("Dữ liệu: {path}", "Data: {path}"),
    "param_unknown": Label(
        "Bỏ qua tham số không rõ trong đường dẫn: {param}",
        "Ignored an unknown parameter in the link: {param}",
    ),
    "param_bad": Label(
        "Bỏ qua giá trị không hợp lệ trong đường dẫn: {param}={value}",
        "Ignored an invalid value in the link: {param}={value}",
    ),
    "param_unknown_space": Label(
        "Không tìm thấy không gian “{value}” trong dữ liệu.",
        "No space “{value}” in the data.",
    ),
    # The filter in words (exports, print map, command line)
    "filter_all": Label("tất cả không gian", "all spaces"),
    "filter_districts": Label("Quận/huyện (trước 2025)", "District (pre-2025)"),
    "filter_wards_2025": Label("Phường/xã (từ 2025)", "Ward or commune (2025)"),
    "filter_categories": Label("Loại không gian", "Category"),
    "filter_statuses": Label("Tình trạng", "Status"),
    "filter_network_members": Label("Thành viên mạng lưới", "Network membership"),
    "filter_plan_items": Label("Mục Kế hoạch 161", "Plan 161 item"),
    "filter_search": Label("Tìm theo tên", "Name search"),
    "filter_events": Label("Có sự kiện trong khoảng", "Hosting an event between"),
    # Exports and the print map
    "export_title": Label("Mạng lưới không gian sáng tạo Hà Nội", "Hanoi creative-space network"),
    "export_source": Label("Bản đồ mạng lưới không gian sáng tạo Hà Nội", "Hanoi creative-space network map"),
    "readme_what": Label(
        "Nội dung: {spaces} không gian sáng tạo{of_total} và {events} sự kiện "
        "của mạng lưới không gian sáng tạo Hà Nội\n"
        "(Hà Nội – Thành phố Sáng tạo UNESCO lĩnh vực Thiết kế), theo mục 3.1.2.e Kế hoạch 161/KH-UBND ngày 31/5/2023.",
        "What: {spaces} creative spaces{of_total} and {events} events "
        "of Hanoi's creative-space network (Hanoi is a UNESCO\n"
        "Creative City of Design), for item 3.1.2.e of the city's plan 161/KH-UBND of 31 May 2023.",
    ),
    "readme_of_total": Label(" trên tổng số {total}", " of {total}"),
    "readme_exported": Label("Ngày xuất: {date}{verified}", "Exported: {date}{verified}"),
    "readme_verified": Label(" (dữ liệu kiểm tra lần cuối {span})", " (entries last checked {span})"),
    "readme_verified_between": Label("từ {first} đến {last}", "between {first} and {last}"),
    "readme_verified_on": Label("ngày {day}", "on {day}"),
    "readme_filter": Label("Bộ lọc: {filter}", "Filter: {filter}"),
    "readme_source": Label(
        "Nguồn: {source}; nguồn của từng không gian ở trường `sources`.",
        "Source: {source}; each space's own sources are in its `sources` field.",
    ),
    "readme_licence": Label(
        "Giấy phép: dữ liệu {licence} ({url}) — ghi nguồn khi dùng lại.",
        "Licence: data {licence} ({url}) — credit the source when reusing.",
    ),
    "readme_crs": Label(
        "Hệ tọa độ: WGS 84 (EPSG:4326), kinh độ/vĩ độ; diện tích và khoảng cách trong thống kê đo theo UTM 48N\n"
        "(EPSG:32648).",
        "CRS: WGS 84 (EPSG:4326), longitude/latitude; areas and distances in the statistics are measured in UTM 48N\n"
        "(EPSG:32648).",
    ),
    "readme_boundaries": Label("Ranh giới:", "Boundaries:"),
    "readme_positions": Label(
        "Vị trí: trường `position_precision` cho biết độ chính xác "
        "(exact ~50 m, street ~300 m, ward: chỉ tâm phường/xã).",
        "Positions: the `position_precision` field says how precise each is (exact ~50 m, street ~300 m,\n"
        "ward: the ward's centre only).",
    ),
    "readme_files": Label("Các tệp:", "Files:"),
    "readme_file_geojson": Label("các không gian, GeoJSON (RFC 7946)", "the spaces, GeoJSON (RFC 7946)"),
    "readme_file_csv": Label(
        "bảng tính: một dòng mỗi không gian, lat/lon và WKT", "spreadsheet: one row per space, lat/lon and WKT"
    ),
    "readme_file_kml": Label(
        "Google Earth: thư mục và kiểu theo loại", "Google Earth: a folder and style per category"
    ),
    "readme_file_kmz": Label("như trên, nén (KMZ)", "the same, zipped (KMZ)"),
    "readme_file_gpkg": Label(
        "GeoPackage: lớp spaces, events, districts, wards_2025 (kèm thống kê theo đơn vị)",
        "GeoPackage: layers spaces, events, districts, wards_2025 (with statistics per unit)",
    ),
    "readme_file_shp": Label(
        "Shapefile: một tệp mỗi loại hình học, UTF-8 (.cpg); fields.csv giải nghĩa tên trường rút gọn",
        "Shapefile: one per geometry type, UTF-8 (.cpg); fields.csv explains the shortened field names",
    ),
    "readme_file_html": Label(
        "bản đồ mở được không cần mạng (mở bằng trình duyệt)",
        "a map that opens with no network (open it in a browser)",
    ),
    "readme_file_png": Label("bản đồ in, PNG", "print map, PNG"),
    "readme_file_pdf": Label("bản đồ in, PDF", "print map, PDF"),
    "print_spaces": Label("không gian", "spaces"),
    "print_district": Label("Ranh giới quận/huyện (trước 2025)", "District boundary (pre-2025)"),
    "print_ward": Label("Phường/xã (từ 1/7/2025)", "Ward or commune (since 1 July 2025)"),
    "print_closed": Label("Đã đóng cửa (rỗng)", "Closed (hollow)"),
    "print_planned": Label("Đang quy hoạch (viền đứt)", "Planned (dashed edge)"),
    "print_imprecise": Label("Vị trí gần đúng (nhạt)", "Approximate position (faded)"),
    "print_inset_core": Label(
        "Lõi trung tâm (khung đen trên bản đồ khu trung tâm)", "Heart of the centre (black frame on the centre map)"
    ),
    "print_group": Label(
        "Nhiều không gian gần nhau (các số ghi bên cạnh)", "Several spaces close together (their numbers beside)"
    ),
    "print_city": Label("Ranh giới thành phố Hà Nội", "Hanoi city boundary"),
    "print_outside": Label("Ngoài Hà Nội", "Outside Hanoi"),
    "print_index_order": Label("đánh số theo quận/huyện, rồi theo vị trí", "numbered by district, then by place"),
    "print_no_district": Label("Ngoài các quận/huyện", "Outside the districts"),
    "print_too_many": Label(
        "{count} không gian: quá nhiều để đánh số trên một trang; hãy lọc bớt để có danh mục.",
        "{count} spaces: too many to number on one page; narrow the filter to get an index.",
    ),
    "print_index": Label("Danh mục", "Index"),
    "print_inset": Label(
        "Khu trung tâm (khung đen trên bản đồ thành phố)", "City centre (black frame on the city map)"
    ),
    "print_date": Label("Ngày xuất", "Exported"),
    "print_source": Label("Nguồn", "Source"),
    "print_licence": Label("Dữ liệu", "Data"),
    "print_note_district": Label(
        "Ranh giới quận/huyện (trước 2025): gần đúng, không phải ranh giới pháp lý",
        "District boundaries (pre-2025): approximate, not legal boundaries",
    ),
    "print_note_ward_2025": Label(
        "Phường/xã 2025: lamngockhuong/vietnam-3d-map, MIT, © 2025 Lam Ngoc Khuong",
        "2025 wards: lamngockhuong/vietnam-3d-map, MIT, © 2025 Lam Ngoc Khuong",
    ),
    "print_note_supplied": Label(
        "{level}: ranh giới do người dùng cung cấp", "{level}: boundaries supplied by the user"
    ),
    "print_crs": Label(
        "Hệ tọa độ: WGS 84 (EPSG:4326); vẽ theo UTM 48N (EPSG:32648)",
        "CRS: WGS 84 (EPSG:4326); drawn in UTM 48N (EPSG:32648)",
    ),
    "print_north": Label("B", "N"),
    "print_none": Label("Bộ lọc không chọn không gian nào.", "The filter selects no space."),
}


def coerce_lang(value: object) -> Lang:
    """Return `value` if it is a supported language code, else the default (Vietnamese)."""
    return "en" if value == "en" else DEFAULT_LANG


def other_lang(lang: Lang) -> Lang:
    """Return the other language: ``en`` for ``vi`` and back."""
    return "en" if lang == "vi" else "vi"


def t(key: str, lang: Lang = DEFAULT_LANG, /, **values: Any) -> str:
    """Return the interface text `key` in `lang` (the other language if missing), formatted with `values`.

    Parameters
    ----------
    key
        A key of `TEXTS`.
    lang
        ``"vi"`` or ``"en"``.
    **values
        Replacements for the ``{placeholders}`` of the text.

    Returns
    -------
    str
        Never empty.

    Raises
    ------
    KeyError
        When `key` is not a known text (a programming error, caught by the tests).
    """
    text = TEXTS[key].get(lang) or key
    return text.format(**values) if values else text


def label(value: Label, lang: Lang = DEFAULT_LANG) -> str:
    """Return a schema label in `lang`, falling back to the other language."""
    return value.get(lang)


def vocab_label(vocabulary: Mapping[str, Label | schema.Category], key: str, lang: Lang = DEFAULT_LANG) -> str:
    """Return the label of a vocabulary value (a category, status, precision, plan item ...) in `lang`.

    An unknown value is returned as it is, so that nothing shows blank.
    """
    known = vocabulary.get(key)
    if known is None:
        return key
    return (known.label if isinstance(known, schema.Category) else known).get(lang)


def plan_label(item: str, lang: Lang = DEFAULT_LANG) -> str:
    """Return an item of plan 161/KH-UBND with its title (``3.1.2.b — ...``), the item alone when unknown."""
    if not item:
        return ""
    known = schema.PLAN_ITEMS.get(item)
    return f"{item} — {known.get(lang)}" if known else item


def boundary_note(level: Level, *, shipped: bool, lang: Lang = DEFAULT_LANG) -> str:
    """Return what an output says of the unit boundaries of `level` it shows: the shipped layer's notice
    (approximate districts; the real 2025 wards with their MIT notice), or that a planner supplied them."""
    if shipped:
        return t(f"boundary_note_{level}", lang)
    return t("boundary_note_supplied", lang, level=t(f"boundaries_{level}", lang))


def describe_filter(flt: Filter | None, lang: Lang = DEFAULT_LANG) -> str:
    """Return the filter in words, in `lang` (``"tất cả không gian"``/``"all spaces"`` when it selects all)."""
    if flt is None:
        return t("filter_all", lang)
    values: dict[str, tuple[str, ...]] = {
        "districts": flt.districts,
        "wards_2025": flt.wards_2025,
        "categories": tuple(vocab_label(schema.CATEGORIES, c, lang) for c in flt.categories),
        "statuses": tuple(vocab_label(schema.STATUSES, s, lang) for s in flt.statuses),
        "network_members": tuple(vocab_label(schema.NETWORK_MEMBER, m, lang) for m in flt.network_members),
        "plan_items": flt.plan_items,
        "search": (flt.search.strip(),) if flt.search.strip() else (),
        "events": (f"{flt.event_start or '…'} – {flt.event_end or '…'}",) if flt.event_start or flt.event_end else (),
    }
    parts = [f"{t('filter_' + key, lang)}: {', '.join(vals)}" for key, vals in values.items() if vals]
    return "; ".join(parts) if parts else t("filter_all", lang)


def space_names(space: Mapping[str, Any], lang: Lang = DEFAULT_LANG) -> tuple[str, str]:
    """Return a space's name in `lang` and its name in the other language ("" when the same or missing).

    The first is never blank while either name exists.
    """
    vi = str(space.get(schema.NAME_VI) or "").strip()
    en = str(space.get(schema.NAME_EN) or "").strip()
    first, second = (vi, en) if lang == "vi" else (en, vi)
    if not first:
        first, second = second, ""
    return first, ("" if second == first else second)


def unit_label(name: str, lang: Lang = DEFAULT_LANG) -> str:
    """Return an administrative unit's display name in `lang` (``Hoàn Kiếm District`` in English)."""
    return admin.unit_label(name, lang) if name else ""
