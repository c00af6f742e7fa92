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
from creative_map.text import unaccent
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
    "unit_choice_label",
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
    "data_as_of": Label(
        "Dữ liệu gồm {n} không gian, cập nhật đến ngày {date}.", "The data holds {n} spaces, checked up to {date}."
    ),
    "data_undated": Label("(chưa rõ ngày)", "(date unknown)"),
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
    "units_carried_ward_2025": Label(
        "Bộ lọc {n} quận/huyện cũ đã chuyển sang các phường/xã 2025 đã nhận phường của chúng:",
        "The filter of {n} pre-2025 district(s) now names the 2025 wards and communes that took in their wards:",
    ),
    "units_carried_district": Label(
        "Bộ lọc {n} phường/xã 2025 đã chuyển sang quận/huyện cũ của chúng:",
        "The filter of {n} 2025 ward(s) and commune(s) now names their pre-2025 districts:",
    ),
    "units_carried_nothing": Label("không còn đơn vị nào", "no unit left"),
    "units_dropped": Label(
        "Bỏ khỏi bộ lọc (gồm phường của nhiều quận/huyện cũ, không chuyển được):",
        "Dropped from the filter (made of wards of several pre-2025 districts, so no single district):",
    ),
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
    "dir_osm": Label("Chỉ đường (OpenStreetMap)", "Directions (OpenStreetMap)"),
    "dir_google": Label("Chỉ đường (Google Maps)", "Directions (Google Maps)"),
    "copy_link": Label("Sao chép liên kết", "Copy link"),
    "copied": Label("Đã sao chép liên kết.", "Link copied."),
    "copy_manual": Label(
        "Liên kết đã được chọn: nhấn Ctrl+C (⌘C) để sao chép.", "The link is selected: press Ctrl+C (⌘C) to copy it."
    ),
    "attr_boundaries": Label(
        "Ranh giới: vietnam-3d-map © 2025 Lam Ngoc Khuong (MIT)",
        "Boundaries: vietnam-3d-map © 2025 Lam Ngoc Khuong (MIT)",
    ),
    "attr_boundaries_supplied": Label(
        "Ranh giới: tệp chính thức do cán bộ quy hoạch cung cấp", "Boundaries: the planners' official file"
    ),
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
    # What's on, the calendar export and classed scales (issue 14): creative_map.events, export.calendar,
    # export.webmap's events list, creative_map.classes and analysis.MEASURES.
    "fmt_ics": Label("Lịch sự kiện iCalendar (.ics)", "Events calendar, iCalendar (.ics)"),
    "readme_file_ics": Label(
        "các sự kiện, tệp lịch iCalendar (RFC 5545) để nhập vào ứng dụng lịch",
        "the events, an iCalendar file (RFC 5545) to import into a calendar program",
    ),
    "ics_calendar_name": Label("Sự kiện tại các không gian sáng tạo Hà Nội", "Events at Hanoi's creative spaces"),
    "ics_sources": Label("Nguồn", "Sources"),
    "ics_plan_item": Label("Kế hoạch 161/KH-UBND, mục {item}", "Plan 161/KH-UBND, item {item}"),
    "events_title": Label("Sự kiện", "What's on"),
    "events_as_of": Label("Tính đến ngày {date}", "As of {date}"),
    "events_now": Label("Đang diễn ra", "On now"),
    "events_this_month": Label("Sắp diễn ra trong tháng này", "Later this month"),
    "events_upcoming": Label("Sắp tới", "Coming up"),
    "events_past": Label("Đã diễn ra", "Past events"),
    "events_none": Label("Không có sự kiện nào tại các không gian được chọn.", "No event at the spaces selected."),
    "events_at": Label("Tại", "At"),
    "events_more_places": Label("và {n} nơi khác", "and {n} other places"),
    "classes_quantiles": Label(
        "Phân vị (số đơn vị mỗi lớp gần bằng nhau)", "Quantiles (about as many units in each class)"
    ),
    "classes_natural_breaks": Label("Ngắt tự nhiên (Jenks)", "Natural breaks (Jenks)"),
    "classes_no_data": Label("Không có số liệu", "No data"),
    "measure_spaces_per_km2": Label("Số không gian trên km²", "Spaces per km²"),
    "measure_share_500m": Label(
        "Tỉ lệ diện tích cách một không gian đang hoạt động không quá 500 m",
        "Share of the area within 500 m of an active space",
    ),
    "measure_share_1km": Label(
        "Tỉ lệ diện tích cách một không gian đang hoạt động không quá 1 km",
        "Share of the area within 1 km of an active space",
    ),
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
    "param_more": Label(
        "Bỏ qua thêm {value} tham số hoặc giá trị không hợp lệ khác trong đường dẫn.",
        "Ignored {value} more unknown parameters or invalid values in the link.",
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
    # The static site (`creative-map site`, creative_map.site)
    "intro_site": Label(
        "Mạng lưới không gian sáng tạo của Hà Nội — Thành phố Sáng tạo (Thiết kế) của UNESCO. "
        "Tìm theo tên, lọc theo loại hoặc đơn vị hành chính, chọn một nơi để xem chi tiết.",
        "The creative-space network of Hanoi, UNESCO Creative City of Design. "
        "Search by name, filter by kind or administrative unit, pick a place to read its details.",
    ),
    "site_data": Label(
        "{n} không gian; dữ liệu kiểm tra lần cuối ngày {date}", "{n} spaces; data last checked on {date}"
    ),
    "site_all_units": Label("Toàn thành phố", "The whole city"),
    "site_reset": Label("Xem tất cả", "Show all"),
    "site_more": Label(
        "… và {n} không gian khác trên bản đồ; thu hẹp tìm kiếm để liệt kê.",
        "… and {n} more on the map; narrow the search to list them.",
    ),
    "site_whats_on": Label("Sắp diễn ra", "What's on"),
    "site_no_upcoming": Label("Chưa có sự kiện sắp tới nào được ghi nhận.", "No upcoming event recorded."),
    "site_app": Label("Ứng dụng cho cán bộ quy hoạch", "App for planners"),
    "site_noscript": Label(
        "Bản đồ cần JavaScript. Dữ liệu mở có trong kho mã của dự án.",
        "The map needs JavaScript. The open data is in the project's repository.",
    ),
    # Taking part (issue 12): the pages, the Suggest form, the Status page, the Review page, the position maps
    "nav_map": Label("Bản đồ", "Map"),
    "nav_suggest": Label("Góp ý", "Suggest"),
    "nav_status": Label("Tra cứu góp ý", "Suggestion status"),
    "nav_review": Label("Duyệt góp ý (cán bộ)", "Review (staff)"),
    "nav_numbers": Label("Số liệu", "Numbers"),
    "nav_whats_on": Label("Đang diễn ra", "What's on"),
    # The Numbers page (planners): statistics per unit, a classed choropleth, the gaps.
    "nb_title": Label("Số liệu theo đơn vị hành chính", "Numbers by administrative unit"),
    "nb_intro": Label(
        "Thống kê các không gian đang chọn trên trang Bản đồ theo quận/huyện cũ hoặc phường/xã 2025: số lượng, "
        "mật độ, độ phủ và những nơi còn thiếu. Bấm một đơn vị trên bản đồ hoặc chọn một dòng của bảng để xem "
        "đơn vị đó trên trang Bản đồ.",
        "Statistics of the spaces selected on the Map page, by pre-2025 district or 2025 ward: counts, density, "
        "coverage and the gaps. Click a unit on the map or pick a row of the table to see that unit on the Map "
        "page.",
    ),
    "nb_filter": Label("Bộ lọc của trang Bản đồ: {filter}", "The Map page's filter: {filter}"),
    "nb_level": Label("Thống kê theo", "Statistics by"),
    "nb_measure": Label("Chỉ số trên bản đồ", "Measure mapped"),
    "nb_method": Label("Cách chia lớp", "Classes by"),
    "nb_k": Label("Số lớp", "Number of classes"),
    "nb_map_label": Label("Bản đồ {measure} theo {level}, chia lớp", "Map of {measure} by {level}, in classes"),
    "nb_units_count": Label("đơn vị", "units"),
    "nb_table": Label("Bảng theo đơn vị", "Table by unit"),
    "nb_table_help": Label(
        "Chọn một dòng để xem đơn vị đó trên trang Bản đồ. Tệp CSV giữ mọi cột, tên cột như lệnh creative-map stats.",
        "Pick a row to see that unit on the Map page. The CSV file keeps every column, named as by creative-map stats.",
    ),
    "nb_gaps": Label("Nơi còn thiếu", "Gaps"),
    "nb_gaps_intro": Label(
        "Các đơn vị mà trong vòng {distance} m quanh tâm không có không gian nào đang hoạt động, xa nhất trước.",
        "The units with no active space within {distance} m of their centre, the farthest first.",
    ),
    "nb_gap_distance": Label("Khoảng cách tới không gian gần nhất (m)", "Distance to the nearest space (m)"),
    "nb_no_gaps": Label("Không có đơn vị nào.", "None."),
    "nb_download_stats": Label("Tải bảng (CSV)", "Download the table (CSV)"),
    "nb_download_gaps": Label("Tải danh sách nơi còn thiếu (CSV)", "Download the gaps (CSV)"),
    "nb_col_name": Label("Đơn vị", "Unit"),
    "nb_col_code": Label("Mã", "Code"),
    "nb_col_rank": Label("Hạng", "Rank"),
    "nb_col_total": Label("Tổng số", "Total"),
    "nb_col_active": Label("Đang hoạt động", "Active"),
    "nb_col_area_km2": Label("Diện tích (km²)", "Area (km²)"),
    "nb_col_spaces_per_km2": Label("Số không gian/km²", "Spaces per km²"),
    "nb_col_share_500m": Label("Diện tích trong 500 m (%)", "Area within 500 m (%)"),
    "nb_col_share_1km": Label("Diện tích trong 1 km (%)", "Area within 1 km (%)"),
    "nb_col_nearest_active_m": Label("Từ tâm tới không gian gần nhất (m)", "Centre to nearest space (m)"),
    "nb_col_nearest_active_id": Label("Không gian gần nhất", "Nearest space"),
    # The What's on page (the public).
    "wo_title": Label("Đang diễn ra và sắp tới", "What's on"),
    "wo_intro": Label(
        "Sự kiện tại các không gian sáng tạo đang chọn trên trang Bản đồ: đang diễn ra, trong tháng này, sắp tới. "
        "Bấm tên một không gian để xem nó trên bản đồ.",
        "Events at the creative spaces selected on the Map page: on now, later this month, coming up. Click a "
        "space's name to see it on the map.",
    ),
    "wo_today": Label("Hôm nay ở Hà Nội: {date}", "Today in Hanoi: {date}"),
    "wo_none_coming": Label(
        "Chưa có sự kiện nào sắp diễn ra tại các không gian được chọn.", "No event is coming up at the spaces selected."
    ),
    "wo_past": Label("Sự kiện đã diễn ra ({n})", "Past events ({n})"),
    "wo_on_map": Label("Xem {name} trên bản đồ", "Show {name} on the map"),
    "wo_website": Label("Trang của sự kiện", "The event's page"),
    "wo_new_tab": Label("(mở thẻ mới)", "(opens a new tab)"),
    "wo_ics": Label("Tải lịch sự kiện (.ics)", "Download the events (.ics)"),
    "wo_ics_help": Label(
        "Tệp iCalendar nhập được vào Google Calendar, Outlook, Lịch của Apple; tải lại sau sẽ cập nhật các sự "
        "kiện chứ không nhân đôi.",
        "An iCalendar file for Google Calendar, Outlook or Apple Calendar; importing a newer one updates the "
        "events instead of doubling them.",
    ),
    "store_error": Label(
        "Không mở được kho góp ý; hãy báo cho người quản trị trang.",
        "The store of suggestions cannot be opened; please tell the site's administrator.",
    ),
    "time_hanoi": Label("{time} (giờ Hà Nội)", "{time} (Hanoi time)"),
    "suggest_ask": Label("Bạn biết chính xác nơi này ở đâu?", "Know where this is?"),
    "suggest_exact": Label("Góp ý vị trí chính xác", "Suggest the exact position"),
    "pos_current": Label("Vị trí hiện tại", "Current position"),
    "pos_proposed": Label("Vị trí đề xuất", "Proposed position"),
    "field_id": Label("Mã định danh", "Identifier"),
    "field_name_vi": Label("Tên tiếng Việt", "Name in Vietnamese"),
    "field_name_en": Label("Tên tiếng Anh", "Name in English"),
    "field_category": Label("Loại không gian", "Kind of space"),
    "field_address": Label("Địa chỉ", "Address"),
    "field_district": Label("Quận/huyện (trước 2025)", "District (before 2025)"),
    "field_ward_2025": Label("Phường/xã (từ 2025)", "Ward or commune (since 2025)"),
    "field_status": Label("Trạng thái", "Status"),
    "field_description_vi": Label("Mô tả tiếng Việt", "Description in Vietnamese"),
    "field_description_en": Label("Mô tả tiếng Anh", "Description in English"),
    "field_website": Label("Trang web", "Website"),
    "field_opening_hours": Label("Giờ mở cửa", "Opening hours"),
    "field_plan_item": Label("Mục của Kế hoạch 161", "Item of plan 161"),
    "field_lead_agency": Label("Đơn vị chủ trì hoặc vận hành", "Lead agency or operator"),
    "field_network_member": Label("Thành viên Mạng lưới", "Network membership"),
    "field_sources": Label("Nguồn", "Sources"),
    "field_last_verified": Label("Kiểm tra lần cuối", "Last checked"),
    "field_position_precision": Label("Độ chính xác của vị trí", "Precision of the position"),
    "field_position_note": Label("Ghi chú về vị trí", "Note on the position"),
    "field_geometry": Label("Vị trí", "Position"),
    "field_start": Label("Ngày bắt đầu", "First day"),
    "field_end": Label("Ngày kết thúc", "Last day"),
    "field_space_ids": Label("Tổ chức tại", "Held at"),
    "field_source": Label("Nguồn thông tin", "Source"),
    "field_contact": Label("Liên hệ", "Contact"),
    "field_note": Label("Ghi chú", "Note"),
    "field_space_id": Label("Không gian", "Space"),
    "field_kind": Label("Loại góp ý", "Kind of suggestion"),
    "field_changes": Label("Nội dung góp ý", "Changes"),
    "sg_title": Label("Góp ý cho bản đồ", "Suggest a change to the map"),
    "sg_intro": Label(
        "Không cần tài khoản. Mỗi góp ý được cán bộ kiểm tra trước khi lên bản đồ; bạn nhận một mã số để theo dõi.",
        "No account needed. Staff check every suggestion before it reaches the map; you get a reference number "
        "to follow it.",
    ),
    "sg_kind": Label("Bạn muốn góp ý gì?", "What would you like to suggest?"),
    "sg_kind_correction": Label("Sửa thông tin một không gian", "A correction to a space"),
    "sg_kind_new_space": Label("Một không gian mới", "A new space"),
    "sg_kind_new_event": Label("Một sự kiện mới", "A new event"),
    "sg_kind_closed": Label("Không gian này đã đóng cửa", "This space has closed"),
    "sg_kind_member": Label(
        "Tôi điều hành không gian này / không gian là thành viên Mạng lưới",
        "I run this space / it is a network member",
    ),
    "sg_space": Label("Không gian", "Space"),
    "sg_space_first": Label("Hãy chọn không gian bạn muốn góp ý.", "Choose the space your suggestion is about."),
    "sg_not_exact": Label(
        "Vị trí của không gian này chưa chính xác ({precision}). Nếu bạn biết, hãy kéo điểm đánh dấu tới đúng "
        "tòa nhà hoặc bấm vào đó trên bản đồ.",
        "This space's position is not exact ({precision}). If you know where it is, drag its marker onto the "
        "building or click there on the map.",
    ),
    "sg_position": Label("Vị trí", "Position"),
    "sg_position_help_move": Label(
        "Kéo điểm đánh dấu (hình thoi) tới đúng chỗ, hoặc bấm vào đúng chỗ trên bản đồ. Vòng tròn nét đứt là vị trí "
        "hiện tại. Không đổi vị trí thì cứ để nguyên.",
        "Drag the marker (the diamond) to the right place, or click the right place on the map. The dashed ring is "
        "the current position. To keep the position, leave it.",
    ),
    "sg_position_help_new": Label(
        "Bấm vào bản đồ tại vị trí của không gian; kéo điểm đánh dấu để chỉnh.",
        "Click the map where the space is; drag the marker to adjust it.",
    ),
    "sg_coords": Label("Hoặc nhập tọa độ (vĩ độ, kinh độ)", "Or type the coordinates (latitude, longitude)"),
    "sg_coords_bad": Label("Không đọc được tọa độ:", "These coordinates cannot be read:"),
    "sg_position_missing": Label(
        "Hãy bấm vào bản đồ (hoặc nhập tọa độ) để đặt vị trí của không gian mới.",
        "Click the map (or type the coordinates) to place the new space.",
    ),
    "sg_shape_note": Label(
        "Không gian này được vẽ thành đường hoặc vùng; vị trí góp ý sẽ thay bằng một điểm.",
        "This space is drawn as a line or an area; a suggested position replaces it with a point.",
    ),
    "sg_fields_space": Label("Thông tin không gian", "About the space"),
    "sg_fields_event": Label("Thông tin sự kiện", "About the event"),
    "sg_fields_help": Label(
        "Sửa những ô sai; các ô giữ nguyên sẽ không thay đổi.", "Change what is wrong; fields left as they are stay."
    ),
    "sg_help_name_vi": Label("Tên có dấu, như người Hà Nội vẫn gọi.", "With its accents, as people in Hanoi say it."),
    "sg_help_website": Label("Bắt đầu bằng http:// hoặc https://", "Starting with http:// or https://"),
    "sg_help_opening_hours": Label(
        "Theo cú pháp OpenStreetMap, vd. Tu-Su 08:00-17:00", "In OpenStreetMap syntax, e.g. Tu-Su 08:00-17:00"
    ),
    "sg_none": Label("— không —", "— none —"),
    "sg_claim": Label("Vị trí bạn đưa ra chính xác đến mức nào?", "How precise is the position you give?"),
    "sg_claim_source": Label("Như nguồn của tôi cho thấy", "As precise as my source shows"),
    "sg_claim_street": Label("Chỉ đúng tuyến phố", "Only the street is right"),
    "sg_claim_ward": Label("Chỉ đúng phường/xã", "Only the ward is right"),
    "sg_more_sources": Label(
        "Trang công khai khác về nơi này (mỗi dòng một địa chỉ)", "Other public pages about it (one address a line)"
    ),
    "sg_more_help": Label("Sẽ được thêm vào danh sách nguồn.", "They are added to its sources."),
    "sg_closed_help": Label(
        "Cho biết nguồn thông tin cho thấy không gian đã đóng cửa.", "Say where it is known that the space has closed."
    ),
    "sg_member_help": Label(
        "Không gian sẽ được ghi là thành viên Mạng lưới không gian sáng tạo Hà Nội. Nếu bạn điều hành không gian, "
        "hãy chọn “Tôi điều hành không gian này” và để lại cách liên hệ.",
        "The space will be marked a member of the Hanoi Creative Space Network. If you run the space, choose "
        "“I run this space” and leave a way to reach you.",
    ),
    "sg_source_title": Label("Nguồn thông tin", "Where this comes from"),
    "sg_source_kind": Label("Thông tin này đến từ", "This information comes from"),
    "sg_source_page": Label("Một trang công khai (địa chỉ web)", "A public page (a web address)"),
    "sg_source_operator": Label("Tôi điều hành không gian này", "I run this space"),
    "sg_source": Label(
        "Địa chỉ trang công khai (vd. một điểm trên OpenStreetMap, một bài báo)",
        "Address of the public page (e.g. an OpenStreetMap node, a news article)",
    ),
    "sg_contact": Label(
        "Liên hệ của bạn (bắt buộc nếu bạn điều hành không gian)",
        "How to reach you (required if you run the space)",
    ),
    "sg_contact_help": Label(
        "Thư điện tử hoặc số điện thoại. Chỉ cán bộ duyệt nhìn thấy; không bao giờ hiện công khai.",
        "An e-mail address or a phone number. Only reviewers see it; it is never shown to the public.",
    ),
    "sg_note": Label("Ghi chú cho người duyệt (không bắt buộc)", "A note for the reviewers (optional)"),
    "sg_trap": Label("Để trống ô này", "Leave this field empty"),
    "sg_send": Label("Gửi góp ý", "Send the suggestion"),
    "sg_privacy": Label(
        "Chúng tôi không lưu địa chỉ IP của bạn, chỉ lưu một mã băm có muối để giới hạn số lần gửi.",
        "Your address is not stored: only a salted hash of it, to limit how many suggestions are sent.",
    ),
    "sg_fix_here": Label("Cần sửa:", "To fix:"),
    "sg_nothing": Label(
        "Chưa có gì thay đổi: hãy sửa một ô hoặc đổi vị trí trước khi gửi.",
        "Nothing has changed: change a field or the position before sending.",
    ),
    "sg_not_sent": Label(
        "Góp ý chưa được gửi: hãy sửa những chỗ được đánh dấu.", "The suggestion was not sent: fix what is marked."
    ),
    "sg_sent": Label(
        "Đã nhận góp ý. Mã số của bạn: {reference}. Góp ý đang chờ cán bộ duyệt.",
        "Thank you. Your reference number: {reference}. The suggestion awaits review.",
    ),
    "sg_sent_next": Label(
        "Hãy giữ mã số này: với nó, trang **Tra cứu góp ý** cho biết góp ý đang chờ, đã được duyệt hay bị từ chối "
        "(và lý do).",
        "Keep this number: with it, the **Suggestion status** page tells whether it is waiting, approved or "
        "rejected (and why).",
    ),
    "sg_follow": Label("Theo dõi góp ý này", "Follow this suggestion"),
    "sg_again": Label("Gửi góp ý khác", "Send another suggestion"),
    "send_failed": Label("Chưa gửi được góp ý:", "The suggestion could not be sent:"),
    "limit_max_suggestion_bytes": Label("Góp ý quá dài.", "The suggestion is too long."),
    "limit_max_text_chars": Label("Một ô có nội dung quá dài.", "One of the texts is too long."),
    "limit_per_sender_per_hour": Label(
        "Bạn đã gửi nhiều góp ý trong một giờ qua. Cảm ơn bạn! Hãy gửi tiếp sau.",
        "You have sent many suggestions in the last hour. Thank you! Please send more later.",
    ),
    "limit_per_hour": Label(
        "Bản đồ đã nhận đủ số góp ý cho một giờ; hãy thử lại sau.",
        "The map has received as many suggestions as it takes in an hour; please try again later.",
    ),
    "limit_max_pending": Label(
        "Có quá nhiều góp ý đang chờ duyệt; hãy thử lại sau vài ngày.",
        "Too many suggestions are waiting for review; please try again in a few days.",
    ),
    "st_title": Label("Tra cứu góp ý", "Suggestion status"),
    "st_intro": Label(
        "Nhập mã số bạn nhận được khi gửi góp ý. Trang này chỉ cho biết trạng thái, lý do từ chối và các ngày.",
        "Enter the reference number you got when you sent a suggestion. This page shows only its status, the "
        "reason of a rejection and the dates.",
    ),
    "st_reference": Label("Mã số", "Reference number"),
    "st_not_found": Label("Không có góp ý nào với mã số này.", "No suggestion has this reference number."),
    "st_status_pending": Label("Đang chờ duyệt", "Awaiting review"),
    "st_status_approved": Label("Đã được duyệt và đưa lên bản đồ", "Approved: it is on the map"),
    "st_status_rejected": Label("Không được chấp nhận", "Rejected"),
    "st_kind": Label("Loại góp ý", "Kind of suggestion"),
    "st_sent_at": Label("Gửi lúc", "Sent"),
    "st_decided_at": Label("Quyết định lúc", "Decided"),
    "st_reason": Label("Lý do", "Reason"),
    "rv_title": Label("Duyệt góp ý", "Review suggestions"),
    "rv_login_intro": Label(
        "Dành cho cán bộ. Tài khoản người duyệt được tạo trên máy chủ (creative-map reviewers add).",
        "For staff. Reviewers are created on the server (creative-map reviewers add).",
    ),
    "rv_name": Label("Tên người duyệt", "Reviewer name"),
    "rv_password": Label("Mật khẩu", "Password"),
    "rv_login": Label("Đăng nhập", "Log in"),
    "rv_login_failed": Label("Sai tên hoặc mật khẩu.", "Wrong name or password."),
    "rv_login_wait": Label(
        "Đăng nhập sai quá nhiều lần; hãy thử lại sau {seconds} giây.",
        "Too many failed logins; try again in {seconds} s.",
    ),
    "rv_login_other": Label("Không đăng nhập được: {error}", "The login failed: {error}"),
    "rv_logged_in": Label("Đang đăng nhập: {name}", "Logged in as {name}"),
    "rv_logout": Label("Đăng xuất", "Log out"),
    "rv_queue": Label("Hàng chờ", "Queue"),
    "rv_history": Label("Lịch sử và hoàn tác", "History and undo"),
    "rv_status_filter": Label("Trạng thái", "Status"),
    "rv_kind_filter": Label("Loại góp ý", "Kind of suggestion"),
    "rv_all_kinds": Label("Mọi loại", "All kinds"),
    "rv_empty": Label("Không có góp ý nào ở đây.", "No suggestion here."),
    "rv_count": Label("{n} góp ý, cũ nhất trước", "{n} suggestions, oldest first"),
    "rv_pick": Label("Góp ý", "Suggestion"),
    "rv_sent_at": Label("Gửi lúc {time}", "Sent {time}"),
    "rv_conflict": Label(
        "Xung đột: bản ghi đã thay đổi sau khi góp ý được gửi. Các trường đã đổi:",
        "Conflict: the record changed after the suggestion was sent. Fields that changed:",
    ),
    "rv_conflict_now": Label("Xung đột: không áp dụng được.", "Conflict: nothing was applied."),
    "rv_rebase": Label(
        "Tôi đã xem lại: áp dụng góp ý lên bản ghi như hiện tại",
        "I have looked again: apply it to the record as it is now (re-base)",
    ),
    "rv_errors": Label("Lỗi (không thể duyệt khi còn lỗi):", "Errors (approving is not possible while they remain):"),
    "rv_valid": Label("Hợp lệ theo lược đồ dữ liệu.", "Valid against the data's schema."),
    "rv_warnings": Label("Cần xem:", "Worth a look:"),
    "rv_changes": Label("Những gì thay đổi", "What approving changes"),
    "rv_no_changes": Label("Không trường nào thay đổi.", "No field changes."),
    "rv_all_fields": Label("Mọi trường", "Every field"),
    "rv_col_field": Label("Trường", "Field"),
    "rv_col_current": Label("Hiện tại", "Now"),
    "rv_col_proposed": Label("Đề xuất", "Proposed"),
    "rv_col_meanwhile": Label("Đã đổi sau khi gửi", "Changed since"),
    "rv_positions": Label("Hai vị trí", "Both positions"),
    "rv_positions_key": Label(
        "Vòng tròn nét đứt: vị trí hiện tại. Hình thoi đặc: vị trí đề xuất.",
        "Dashed ring: the current position. Solid diamond: the proposed position.",
    ),
    "rv_precision_rule": Label("Độ chính xác theo quy tắc: {precision}", "Precision by the rule: {precision}"),
    "rv_source": Label("Nguồn", "Source"),
    "rv_source_operator": Label(
        "Người điều hành không gian (xem liên hệ bên dưới)", "The people who run the space (see the contact below)"
    ),
    "rv_note": Label("Ghi chú của người gửi", "The sender's note"),
    "rv_contact": Label("Liên hệ (chỉ người duyệt thấy)", "Contact (reviewers only)"),
    "rv_edit": Label("Sửa trước khi duyệt", "Edit before approving"),
    "rv_edit_help": Label(
        "Nội dung góp ý (JSON, như trong tệp dữ liệu; vị trí là geometry GeoJSON)",
        "The suggestion's changes (JSON, as in the data files; the position as a GeoJSON geometry)",
    ),
    "rv_edit_bad": Label("Nội dung sửa không phải JSON hợp lệ:", "The edit is not valid JSON:"),
    "rv_precision": Label("Độ chính xác của vị trí", "Precision of the position"),
    "rv_precision_auto": Label("Theo quy tắc (theo nguồn)", "By the rule (from the source)"),
    "rv_approve": Label("Duyệt và đưa lên bản đồ", "Approve: put it on the map"),
    "rv_approve_blocked": Label(
        "Chưa thể duyệt: hãy sửa lỗi, hoặc xác nhận áp dụng lên bản ghi hiện tại.",
        "Not yet: fix the errors, or confirm applying it to the record as it is now.",
    ),
    "rv_reason": Label("Lý do từ chối (người gửi sẽ đọc được)", "Reason for rejecting (the sender reads it)"),
    "rv_reject": Label("Từ chối", "Reject"),
    "rv_approved": Label(
        "Đã duyệt: bản sửa đổi {revision}. Bản đồ công khai đã hiển thị thay đổi.",
        "Approved: revision {revision}. The public map shows it now.",
    ),
    "rv_rejected": Label("Đã từ chối; người gửi đọc được lý do.", "Rejected; the sender can read the reason."),
    "rv_reverted": Label(
        "Đã hoàn tác bản sửa đổi {revision} (bản sửa đổi mới {new}).",
        "Revision {revision} undone (new revision {new}).",
    ),
    "rv_invalid": Label("Không hợp lệ; không có gì được ghi:", "Not valid; nothing was written:"),
    "rv_failed": Label("Không thực hiện được:", "This could not be done:"),
    "rv_history_of": Label("Lịch sử của", "History of"),
    "rv_event": Label("sự kiện", "event"),
    "rv_history_none": Label("Chưa có thay đổi nào được ghi lại.", "No change recorded yet."),
    "rv_revision": Label("Bản sửa đổi {revision}", "Revision {revision}"),
    "rv_rev_suggestion": Label("theo góp ý {reference}", "from suggestion {reference}"),
    "rv_rev_reverts": Label("hoàn tác bản sửa đổi {revision}", "undoes revision {revision}"),
    "rv_rev_fields": Label("Các trường đã đổi: {fields}", "Fields changed: {fields}"),
    "rv_undo": Label("Hoàn tác bản sửa đổi {revision}", "Undo revision {revision}"),
    # The map for many visitors (issue 13): the data fetched once, the list a page at a time
    "map_failed": Label(
        "Không tải được dữ liệu bản đồ; hãy tải lại trang.", "The map's data could not be loaded; reload the page."
    ),
    "list_page": Label(
        "Không gian {first}–{last} trong {total} · trang {page}/{pages}",
        "Spaces {first}–{last} of {total} · page {page} of {pages}",
    ),
    "list_prev": Label("← Trang trước", "← Previous page"),
    "list_next": Label("Trang sau →", "Next page →"),
    "pick_help": Label(
        "Các không gian của trang danh sách đang xem; tìm theo tên ở trên để thu hẹp.",
        "The spaces on the list's current page; search by name above to narrow them down.",
    ),
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


def unit_choice_label(name: str, lang: Lang = DEFAULT_LANG) -> str:
    """Return a unit's name as a chooser lists it: `unit_label`, then its short name without accents when that
    differs (``Quận Hoàn Kiếm · Hoan Kiem``), so that typing ``hoan kiem`` finds it (a chooser's own search
    matches the label's letters, accents included). The value chosen stays the canonical name."""
    shown = unit_label(name, lang)
    plain = unaccent(admin.short_name(name))
    return shown if not name or plain in shown else f"{shown} · {plain}"
