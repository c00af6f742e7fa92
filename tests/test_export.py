"""Exports, each read back by a reader that did not write it: json + shapely for the GeoJSON GDAL writes,
csv, ElementTree and GDAL for KML, sqlite3 for the GeoPackage, zipfile + GDAL's /vsizip/ and a hand-made dBASE
reader for the shapefiles, PIL for PNG, the PDF's own header.

Every export takes a `Selection` (`creative_map.select`); every test checks the count against the library's
filter and that Vietnamese text survived. The command line's export is tested in test_cli_export.py.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io as _io
import json
import sqlite3
import struct
import xml.etree.ElementTree as ET
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
from PIL import Image
from shapely.geometry import shape

import creative_map
from creative_map import Dataset, Selection, export, i18n, schema, types
from creative_map.boundaries import load_boundaries
from creative_map.export import vector
from creative_map.export.registry import REGISTRY
from creative_map.query import Filter, filter_spaces

from .conftest import collection, make_space, old_gallery, puppet_theatre

DATE = dt.date(2026, 11, 27)
KML = "{http://www.opengis.net/kml/2.2}"
LONG_VI = ("Không gian trưng bày gốm Bát Tràng, đồ sơn mài và tranh Đông Hồ; " * 8).strip()  # > 254 UTF-8 bytes
TRICKY = "Phòng tranh <b>Cũ</b> & “Mới”"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five spaces in Hoàn Kiếm (a point, a line, a polygon, a closed gallery with markup and long text in its
    name and description, a museum) and one event at two of them."""
    folder = tmp_path_factory.mktemp("data")
    features = [
        make_space(),
        puppet_theatre(website="https://thanglongwaterpuppet.org"),
        old_gallery(
            name_vi=TRICKY,
            name_en="Old <Gallery>",
            description_vi=LONG_VI,
            sources=["https://example.org/gallery", "https://example.org/b"],
        ),
        make_space(
            105.8590,
            21.0245,
            id="1-bao-tang-lich-su",
            name_vi="Bảo tàng Lịch sử Quốc gia",
            name_en="National Museum of Vietnamese History",
            category="museum",
            plan_item="3.1.2.b",
        ),
    ]
    line = make_space(id="pho-di-bo-dinh-liet", name_vi="Phố đi bộ Đinh Liệt", name_en="Dinh Liet walking street")
    line["geometry"] = {"type": "LineString", "coordinates": [[105.8515, 21.0335], [105.8522, 21.0318]]}
    area = make_space(
        id="vuon-hoa-ly-thai-to",
        name_vi="Vườn hoa Lý Thái Tổ",
        name_en="Ly Thai To garden",
        category="public_space",
        plan_item="",
    )
    # Clockwise exterior on purpose: RFC 7946 output must wind it counter-clockwise.
    area["geometry"] = {
        "type": "Polygon",
        "coordinates": [
            [[105.8527, 21.0270], [105.8537, 21.0270], [105.8537, 21.0260], [105.8527, 21.0260], [105.8527, 21.0270]]
        ],
    }
    features += [line, area]
    (folder / "spaces.geojson").write_text(json.dumps(collection(*features), ensure_ascii=False), encoding="utf-8")
    event = {
        "type": "Feature",
        "geometry": None,
        "properties": {
            "id": "festival-thiet-ke",
            "name_vi": "Lễ hội Thiết kế Sáng tạo Hà Nội",
            "name_en": "Hanoi Creative Design Festival",
            "start": "2026-11-09",
            "end": "2026-11-17",
            "space_ids": ["ho-hoan-kiem", "nha-hat-mua-roi-thang-long"],
            "sources": ["https://example.org/festival"],
        },
    }
    (folder / "events.geojson").write_text(json.dumps(collection(event), ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def dataset(data_dir: Path) -> Dataset:
    """The six spaces and the event beside them, loaded once."""
    return creative_map.load(data_dir / "spaces.geojson")


@pytest.fixture(scope="module")
def spaces(dataset: Dataset) -> gpd.GeoDataFrame:
    return dataset.spaces


@pytest.fixture(scope="module")
def boundaries() -> dict[str, gpd.GeoDataFrame]:
    return {level: load_boundaries(level) for level in types.LEVELS}


def expected_ids(dataset: Dataset, flt: Filter | None) -> list[str]:
    """The ids the library's filter selects (what every export must hold)."""
    return sorted(filter_spaces(dataset.spaces, flt, events=dataset.events)[schema.ID])


def run_export(dataset: Dataset, fmt: str, path: Path, flt: Filter | None = None, **kwargs) -> Path:
    """Select with `flt` and export the selection (the export date fixed)."""
    kwargs.setdefault("date", DATE)
    return export.export(creative_map.select(dataset, flt), fmt, path, **kwargs)


FILTERS = [
    pytest.param(None, id="all"),
    pytest.param(Filter(categories=("walking_street", "public_space")), id="categories"),
    pytest.param(Filter(statuses=("closed",)), id="closed"),
    pytest.param(Filter(plan_items=("3.1.2",)), id="plan-item"),
    pytest.param(Filter(search="bao tang"), id="search"),
]


# --- GeoJSON ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("flt", FILTERS)
def test_geojson_rfc7946_read_back_with_json_and_shapely(dataset, spaces, tmp_path, flt):
    path = run_export(dataset, "geojson", tmp_path / "out.geojson", flt=flt)
    data = json.loads(path.read_bytes().decode("utf-8"))
    assert data["type"] == "FeatureCollection"
    assert "crs" not in data
    assert set(data) == {"type", "features"}  # no foreign members (GDAL would add "name" unless told not to)
    ids = [f["properties"]["id"] for f in data["features"]]
    assert ids == expected_ids(dataset, flt)
    for feature in data["features"]:
        assert set(feature["properties"]) == set(schema.SPACE_COLUMNS)
        geom = shape(feature["geometry"])
        assert geom.is_valid
        assert geom.equals(spaces.set_index(schema.ID).geometry[feature["id"]])
        if geom.geom_type == "Polygon":
            assert geom.exterior.is_ccw  # RFC 7946 winding, though the input was clockwise
        lon, lat = geom.representative_point().coords[0]
        assert 105 < lon < 106.1 and 20.5 < lat < 21.5  # longitude first, WGS84


def test_geojson_keeps_vietnamese_lists_and_all_fields(dataset, spaces, tmp_path):
    path = run_export(dataset, "geojson", tmp_path / "out.geojson")
    raw = path.read_bytes()
    assert TRICKY.encode("utf-8") in raw  # UTF-8, not \\u escapes
    props = {f["id"]: f["properties"] for f in json.loads(raw)["features"]}
    assert props["phong-tranh-cu"]["sources"] == ["https://example.org/gallery", "https://example.org/b"]
    assert props["phong-tranh-cu"]["description_vi"] == LONG_VI
    # GDAL reads it too, with the same count.
    assert len(pyogrio.read_dataframe(path)) == len(spaces)


def test_geojson_text_that_looks_like_json_stays_text(write_json, tmp_path):
    # GDAL writes a text like "[1, 2]" as a JSON array unless told not to (AUTODETECT_JSON_STRINGS=NO).
    odd = make_space(name_en="[1, 2]", description_en='{"a": 1}', opening_hours="", sources=["https://x.org/[1]"])
    selection = creative_map.select(creative_map.load(write_json(collection(odd))))
    path = export.export(selection, "geojson", tmp_path / "out.geojson", date=DATE)
    (feature,) = json.loads(path.read_bytes())["features"]
    props = feature["properties"]
    assert (props["name_en"], props["description_en"]) == ("[1, 2]", '{"a": 1}')
    assert props["sources"] == ["https://x.org/[1]"]
    assert props["opening_hours"] == "" and props["website"] == ""  # missing texts are empty strings
    assert feature["id"] == "ho-hoan-kiem"


def test_geojson_rings_are_wound_as_rfc7946_says(write_json, tmp_path):
    # An area with a courtyard, both rings wound the wrong way: exterior clockwise, hole counter-clockwise.
    outer = [[105.8527, 21.0270], [105.8527, 21.0260], [105.8537, 21.0260], [105.8537, 21.0270], [105.8527, 21.0270]]
    hole = [[105.8530, 21.0263], [105.8534, 21.0263], [105.8534, 21.0267], [105.8530, 21.0267], [105.8530, 21.0263]]
    area = make_space(id="san-trong", category="public_space", plan_item="")
    assert not shapely.LinearRing(outer[::-1]).is_ccw and shapely.LinearRing(hole).is_ccw
    area["geometry"] = {"type": "Polygon", "coordinates": [outer[::-1], hole]}
    selection = creative_map.select(creative_map.load(write_json(collection(area))))
    path = export.export(selection, "geojson", tmp_path / "out.geojson", date=DATE)
    (feature,) = json.loads(path.read_bytes())["features"]
    polygon = shape(feature["geometry"])
    assert polygon.exterior.is_ccw and not polygon.interiors[0].is_ccw
    assert polygon.equals(selection.spaces.geometry.iloc[0])


# --- CSV ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("flt", FILTERS)
def test_csv_read_back_with_the_csv_module(dataset, spaces, tmp_path, flt):
    path = run_export(dataset, "csv", tmp_path / "out.csv", flt=flt)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.DictReader(_io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [r["id"] for r in rows] == expected_ids(dataset, flt)
    by_id = spaces.set_index(schema.ID)
    for row in rows:
        geom = shapely.from_wkt(row["wkt"])
        assert geom.equals(by_id.geometry[row["id"]])
        point = shapely.Point(float(row["lon"]), float(row["lat"]))
        assert geom.buffer(1e-9).contains(point)  # the representative point lies on the geometry
        assert row["name_vi"] == by_id.loc[row["id"], schema.NAME_VI]


def test_csv_columns_and_vietnamese(dataset, spaces, tmp_path):
    path = run_export(dataset, "csv", tmp_path / "out.csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    assert header == [*schema.SPACE_COLUMNS, "lat", "lon", "wkt"]
    names = {r[header.index("id")]: r for r in rows}
    assert names["phong-tranh-cu"][header.index("name_vi")] == TRICKY
    assert names["phong-tranh-cu"][header.index("description_vi")] == LONG_VI
    assert names["phong-tranh-cu"][header.index("sources")] == "https://example.org/gallery; https://example.org/b"
    assert b"\r\n" in path.read_bytes()


# --- KML and KMZ --------------------------------------------------------------------------------------------


def _placemarks(root: ET.Element) -> list[ET.Element]:
    return root.findall(f".//{KML}Placemark")


def space_id(placemark: ET.Element) -> str:
    """Return the space id a placemark carries in its ExtendedData (and check its XML id matches)."""
    value = next(d.findtext(f"{KML}value") for d in placemark.iter(f"{KML}Data") if d.get("name") == "id")
    assert placemark.get("id") == f"space-{value}"
    return value


@pytest.mark.parametrize("flt", FILTERS)
def test_kml_read_back_with_elementtree(dataset, spaces, tmp_path, flt):
    path = run_export(dataset, "kml", tmp_path / "out.kml", flt=flt)
    root = ET.parse(path).getroot()
    document = root.find(f"{KML}Document")
    assert document is not None
    styles = {s.get("id") for s in document.findall(f"{KML}Style")}
    assert styles == {f"category-{c}" for c in schema.CATEGORIES}
    selected = filter_spaces(spaces, flt, events=dataset.events)
    folders = document.findall(f"{KML}Folder")
    present = [c for c in schema.CATEGORIES if c in set(selected[schema.CATEGORY])]
    assert [f.findtext(f"{KML}name") for f in folders] == [schema.CATEGORIES[c].label.vi for c in present]
    for folder, category in zip(folders, present, strict=True):
        for placemark in folder.findall(f"{KML}Placemark"):
            assert placemark.findtext(f"{KML}styleUrl") == f"#category-{category}"
    assert sorted(space_id(p) for p in _placemarks(root)) == expected_ids(dataset, flt)


def test_kml_names_descriptions_and_geometry(dataset, spaces, tmp_path):
    path = run_export(dataset, "kml", tmp_path / "out.kml", lang="en")
    root = ET.parse(path).getroot()
    marks = {space_id(p): p for p in _placemarks(root)}
    gallery = marks["phong-tranh-cu"]
    assert gallery.findtext(f"{KML}name") == "Old <Gallery>"  # the name, as plain text
    description = gallery.findtext(f"{KML}description")
    # Bilingual, and the markup in the data is escaped inside the HTML description.
    assert "Old &lt;Gallery&gt;" in description and "Phòng tranh &lt;b&gt;Cũ&lt;/b&gt; &amp; “Mới”" in description
    assert "<b>Cũ</b>" not in description
    assert "Không gian sáng tạo khác" in description and "Other creative space" in description
    theatre = marks["nha-hat-mua-roi-thang-long"].findtext(f"{KML}description")
    assert '<a href="https://thanglongwaterpuppet.org">' in theatre
    data = {d.get("name"): d.findtext(f"{KML}value") for d in gallery.iter(f"{KML}Data")}
    assert data["description_vi"] == LONG_VI and data["category"] == "other"
    coords = marks["ho-hoan-kiem"].findtext(f".//{KML}Point/{KML}coordinates")
    assert coords == "105.8523,21.0288"
    assert marks["pho-di-bo-dinh-liet"].find(f".//{KML}LineString") is not None
    ring = marks["vuon-hoa-ly-thai-to"].findtext(f".//{KML}outerBoundaryIs/{KML}LinearRing/{KML}coordinates")
    assert shapely.LinearRing([tuple(map(float, c.split(","))) for c in ring.split()]).is_ccw


def test_kml_read_by_gdal(dataset, spaces, tmp_path):
    path = run_export(dataset, "kml", tmp_path / "out.kml")
    layers = [name for name, _ in pyogrio.list_layers(path)]
    assert layers == [schema.CATEGORIES[c].label.vi for c in schema.CATEGORIES if c in set(spaces[schema.CATEGORY])]
    total = sum(len(pyogrio.read_dataframe(path, layer=layer)) for layer in layers)
    assert total == len(spaces)


def test_kmz_is_a_zip_with_doc_kml(dataset, spaces, tmp_path):
    flt = Filter(categories=("art_space", "other"))
    path = run_export(dataset, "kmz", tmp_path / "out.kmz", flt=flt)
    with zipfile.ZipFile(path) as zf:
        assert zf.namelist() == ["doc.kml", "files/circle.png"]  # doc.kml first, as Google Earth expects
        root = ET.fromstring(zf.read("doc.kml"))
        with Image.open(_io.BytesIO(zf.read("files/circle.png"))) as icon:
            assert icon.size == (64, 64) and icon.mode == "RGBA"
    hrefs = {h.text for h in root.iter(f"{KML}href")}
    assert hrefs == {"files/circle.png"}  # the icon inside the KMZ: nothing to fetch
    assert sorted(space_id(p) for p in _placemarks(root)) == expected_ids(dataset, flt)
    assert any(p.findtext(f"{KML}name") == TRICKY for p in _placemarks(root))


# --- GeoPackage ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("flt", [FILTERS[0], FILTERS[1], FILTERS[3]])
def test_gpkg_read_back_with_sqlite3(dataset, spaces, boundaries, tmp_path, flt):
    path = run_export(dataset, "gpkg", tmp_path / "out.gpkg", flt=flt, boundaries=boundaries)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # "GPKG"
        contents = dict(db.execute("SELECT table_name, data_type FROM gpkg_contents").fetchall())
        assert contents == {
            "spaces": "features",
            "events": "features",
            "districts": "features",
            "wards_2025": "features",
        }
        ids = [r[0] for r in db.execute("SELECT id FROM spaces ORDER BY fid")]
        assert ids == expected_ids(dataset, flt)
        assert db.execute("SELECT count(*) FROM districts").fetchone()[0] == 30
        assert db.execute("SELECT count(*) FROM wards_2025").fetchone()[0] == 126
        # The statistics are those of the selected spaces: totals add up to the selection.
        assert db.execute("SELECT sum(total) FROM districts").fetchone()[0] == len(ids)
        assert db.execute("SELECT sum(total) FROM wards_2025").fetchone()[0] == len(ids)
        assert db.execute("SELECT total FROM districts WHERE name = 'Quận Hoàn Kiếm'").fetchone()[0] == len(ids)
        assert db.execute("SELECT count(*) FROM districts WHERE approximate = 1").fetchone()[0] == 30
        event_ids = [r[0] for r in db.execute("SELECT id FROM events")]
        with_event = {"ho-hoan-kiem", "nha-hat-mua-roi-thang-long"} & set(ids)
        assert event_ids == (["festival-thiet-ke"] if with_event else [])
        srs = db.execute("SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = 'spaces'").fetchone()[0]
        assert srs == 4326


def test_gpkg_keeps_vietnamese_and_events(dataset, spaces, boundaries, tmp_path):
    path = run_export(dataset, "gpkg", tmp_path / "out.gpkg", boundaries=boundaries)
    with sqlite3.connect(path) as db:
        name, desc, sources = db.execute(
            "SELECT name_vi, description_vi, sources FROM spaces WHERE id = 'phong-tranh-cu'"
        ).fetchone()
        assert (name, desc) == (TRICKY, LONG_VI)
        assert sources == "https://example.org/gallery; https://example.org/b"
        event = db.execute("SELECT name_vi, space_ids, start FROM events").fetchone()
        assert event == ("Lễ hội Thiết kế Sáng tạo Hà Nội", "ho-hoan-kiem; nha-hat-mua-roi-thang-long", "2026-11-09")
        assert db.execute("SELECT name FROM wards_2025 WHERE name LIKE 'Phường Hoàn Kiếm'").fetchone() is not None


def test_event_window_filters_spaces_and_events(dataset, spaces, boundaries, tmp_path):
    flt = Filter(event_start="2026-11-10", event_end="2026-11-12")
    path = run_export(dataset, "gpkg", tmp_path / "out.gpkg", flt=flt, boundaries=boundaries)
    with sqlite3.connect(path) as db:
        assert [r[0] for r in db.execute("SELECT id FROM spaces")] == ["ho-hoan-kiem", "nha-hat-mua-roi-thang-long"]
        assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 1
    empty = run_export(
        dataset, "gpkg", tmp_path / "none.gpkg", flt=Filter(event_start="2027-01-01"), boundaries=boundaries
    )
    with sqlite3.connect(empty) as db:
        assert db.execute("SELECT count(*) FROM spaces").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 0


# --- Shapefile zip ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("flt", FILTERS)
def test_shp_zip_read_back_through_vsizip(dataset, spaces, tmp_path, flt):
    path = run_export(dataset, "shp", tmp_path / "out.zip", flt=flt)
    selected = filter_spaces(spaces, flt, events=dataset.events)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        stems = sorted({Path(n).stem for n in names if n.endswith(".shp")})
        for stem in stems:
            assert {f"{stem}.{ext}" for ext in ("shp", "shx", "dbf", "prj", "cpg")} <= set(names)
            assert zf.read(f"{stem}.cpg").decode().strip().upper() == "UTF-8"
    kinds = {"Point": "points", "LineString": "lines", "Polygon": "polygons"}
    assert stems == sorted({f"spaces_{kinds[g]}" for g in selected.geom_type}) or (
        not len(selected) and stems == ["spaces_points"]
    )
    ids = []
    for stem in stems:
        frame = pyogrio.read_dataframe(f"/vsizip/{path}/{stem}.shp")
        assert frame.crs.to_epsg() == 4326
        ids += list(frame["id"])
    assert sorted(ids) == expected_ids(dataset, flt)


def test_shp_field_table_and_cut_text(dataset, spaces, tmp_path):
    path = run_export(dataset, "shp", tmp_path / "out.zip")
    with zipfile.ZipFile(path) as zf:
        table = list(csv.DictReader(_io.StringIO(zf.read("fields.csv").decode("utf-8-sig"))))
    mapping = {r["full_name"]: r["shapefile_field"] for r in table if r["full_name"]}
    assert list(mapping) == list(schema.SPACE_COLUMNS)
    assert all(len(short) <= 10 for short in mapping.values())
    assert len(set(mapping.values())) == len(mapping)
    points = pyogrio.read_dataframe(f"/vsizip/{path}/spaces_points.shp")
    assert list(points.columns[:-1]) == list(mapping.values())
    gallery = points.set_index("id").loc["phong-tranh-cu"]
    assert gallery[mapping["name_vi"]] == TRICKY
    cut = gallery[mapping["description_vi"]]
    assert LONG_VI.startswith(cut) and len(cut.encode("utf-8")) <= 254 and len(cut) > 100
    by_id = spaces.set_index(schema.ID).geometry
    lines = pyogrio.read_dataframe(f"/vsizip/{path}/spaces_lines.shp")
    assert list(lines["name_vi"]) == ["Phố đi bộ Đinh Liệt"]
    assert lines.geometry[0].equals(by_id["pho-di-bo-dinh-liet"])  # a shapefile reads one-part lines as lines
    polygons = pyogrio.read_dataframe(f"/vsizip/{path}/spaces_polygons.shp")
    assert polygons.geometry[0].equals(by_id["vuon-hoa-ly-thai-to"])


def read_dbf(data: bytes) -> list[dict[str, str]]:
    """A minimal dBASE III reader (header, field descriptors, fixed-width UTF-8 records): not GDAL."""
    count = struct.unpack("<I", data[4:8])[0]
    header_length, record_length = struct.unpack("<HH", data[8:12])
    fields, pos = [], 32
    while data[pos] != 0x0D:
        fields.append((data[pos : pos + 11].split(b"\0")[0].decode("ascii"), data[pos + 16]))
        pos += 32
    rows = []
    for i in range(count):
        record = data[header_length + i * record_length : header_length + (i + 1) * record_length]
        offset, row = 1, {}
        for name, length in fields:
            row[name] = record[offset : offset + length].decode("utf-8").strip()
            offset += length
        rows.append(row)
    return rows


def test_shp_read_without_gdal(dataset, spaces, tmp_path):
    flt = Filter(categories=("other", "walking_street", "public_space"))
    path = run_export(dataset, "shp", tmp_path / "out.zip", flt=flt)
    shape_types = {"spaces_points": (1, 8), "spaces_lines": (3,), "spaces_polygons": (5,)}
    ids = []
    with zipfile.ZipFile(path) as zf:
        for stem, allowed in shape_types.items():
            shp = zf.read(f"{stem}.shp")
            assert struct.unpack(">i", shp[0:4])[0] == 9994  # the shapefile magic number
            assert struct.unpack("<i", shp[32:36])[0] in allowed
            rows = read_dbf(zf.read(f"{stem}.dbf"))
            ids += [r["id"] for r in rows]
            if stem == "spaces_points":
                gallery = next(r for r in rows if r["id"] == "phong-tranh-cu")
                assert gallery["name_vi"] == TRICKY and gallery["sources"].startswith("https://example.org/gallery")
                assert LONG_VI.startswith(gallery["desc_vi"])
    assert sorted(ids) == expected_ids(dataset, flt)


def test_shapefile_field_names_are_unique_even_for_clashing_long_names():
    names = vector.shapefile_field_names(("description_vi", "description_extra", "description_extra2", "id"))
    assert all(len(n) <= 10 for n in names.values())
    assert len(set(names.values())) == 4
    assert names["description_vi"] == "desc_vi" and names["id"] == "id"


# The print map (PNG, PDF) has its own file: tests/test_printmap.py.


# --- bundle -------------------------------------------------------------------------------------------------


def test_bundle_holds_every_format_and_a_bilingual_readme(dataset, boundaries, tmp_path, monkeypatch):
    html = "<!DOCTYPE html><html><body>map</body></html>"
    fake = dataclasses.replace(REGISTRY["html"], writer=lambda s, p, o: p.write_text(html, encoding="utf-8"))
    monkeypatch.setitem(REGISTRY, "html", fake)  # the bundle writes what the registry holds
    flt = Filter(districts=("hoan kiem",), categories=("art_space", "other", "museum"))
    path = run_export(dataset, "bundle", tmp_path / "bundle.zip", flt=flt, boundaries=boundaries, page="A3")
    with zipfile.ZipFile(path) as zf:
        names = sorted(zf.namelist())
        assert names == sorted(
            f"creative_map/{n}"
            for n in (
                "README.txt",
                "spaces.geojson",
                "spaces.csv",
                "spaces.kml",
                "spaces.kmz",
                "creative_map.gpkg",
                "spaces_shp.zip",
                "map.html",
                "map_A3.png",
                "map_A3.pdf",
                "events.ics",
                "LICENSE-vietnam-3d-map.txt",  # the shipped 2025 ward polygons travel with their MIT notice
            )
        )
        assert "Lam Ngoc Khuong" in zf.read("creative_map/LICENSE-vietnam-3d-map.txt").decode("utf-8")
        readme = zf.read("creative_map/README.txt").decode("utf-8")
        geojson = json.loads(zf.read("creative_map/spaces.geojson"))
        inner = zipfile.ZipFile(_io.BytesIO(zf.read("creative_map/spaces_shp.zip")))
        assert "spaces_points.shp" in inner.namelist()
        assert zf.read("creative_map/map_A3.pdf").startswith(b"%PDF-")
        assert zf.read("creative_map/map.html").decode("utf-8") == html
        assert zf.read("creative_map/events.ics").startswith(b"BEGIN:VCALENDAR\r\n")
    ids = expected_ids(dataset, flt)
    assert sorted(f["id"] for f in geojson["features"]) == ids
    for text in (
        "Nội dung: 3 không gian sáng tạo trên tổng số 6",
        "What: 3 creative spaces of 6",
        "Ngày xuất: 2026-11-27",
        "Exported: 2026-11-27",
        "Quận Hoàn Kiếm",
        "Bảo tàng",
        "Museum",
        "CC BY 4.0",
        "EPSG:4326",
        "GẦN ĐÚNG",
        "APPROXIMATE",
        "vietnam-3d-map",
        "MIT",
        "spaces_shp.zip",
    ):
        assert text in readme, text


def test_readme_is_the_template_filled_in_both_languages(dataset, tmp_path):
    path = run_export(Dataset(dataset.spaces), "bundle", tmp_path / "bundle.zip", page="A3")  # no events file
    with zipfile.ZipFile(path) as zf:
        readme = zf.read("creative_map/README.txt").decode("utf-8")
    vi, en = readme.split("\n\n" + i18n.t("export_title", "en").upper())
    assert vi.startswith("MẠNG LƯỚI KHÔNG GIAN SÁNG TẠO HÀ NỘI\n====") and "\n=====" in en
    assert "Nội dung: 6 không gian sáng tạo trên tổng số 6 và 0 sự kiện" in vi
    assert "(dữ liệu kiểm tra lần cuối ngày 2026-11-27)" in vi and "(entries last checked on 2026-11-27)" in en
    assert "Bộ lọc: tất cả không gian" in vi and "Filter: all spaces" in en
    for lang, part in (("vi", vi), ("en", en)):
        for fmt in REGISTRY.values():
            if fmt.member is not None:
                line = f"  {fmt.member.name.format(page='A3')}: {i18n.t(fmt.member.label_key, lang)}"
                assert line in part, line
        assert "$" not in part  # every placeholder of the template was filled


# --- atomic writes, --force, determinism, purity -----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["geojson", "csv", "kml", "kmz", "shp", "gpkg", "png", "pdf", "bundle"])
def test_failure_leaves_no_file(dataset, tmp_path, monkeypatch, fmt):
    def half_then_fail(s, p, o):
        p.write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setitem(REGISTRY, fmt, dataclasses.replace(REGISTRY[fmt], writer=half_then_fail))
    with pytest.raises(OSError, match="disk full"):
        run_export(dataset, fmt, tmp_path / f"out{export.SUFFIXES[fmt]}")
    assert list(tmp_path.iterdir()) == []


def test_a_real_failure_inside_a_writer_leaves_no_file(dataset, boundaries, tmp_path):
    # A district layer without Hoàn Kiếm: the statistics of the GeoPackage cannot place the spaces.
    districts = boundaries["district"]
    partial = {"district": districts.loc[districts["name"] != "Quận Hoàn Kiếm"], "ward_2025": boundaries["ward_2025"]}
    with pytest.raises(ValueError, match="Quận Hoàn Kiếm"):
        run_export(dataset, "gpkg", tmp_path / "out.gpkg", boundaries=partial)
    assert list(tmp_path.iterdir()) == []


def test_existing_output_needs_force(dataset, tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError, match="--force"):
        run_export(dataset, "csv", path)
    assert path.read_text(encoding="utf-8") == "keep me"
    run_export(dataset, "csv", path, force=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfid,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_bad_arguments_are_refused_before_writing(dataset, tmp_path):
    for kwargs, message in (
        ({"fmt": "xls"}, "fmt"),
        ({"fmt": "csv", "lang": "fr"}, "lang"),
        ({"fmt": "png", "page": "A5"}, "page"),
    ):
        fmt = kwargs.pop("fmt")
        with pytest.raises(ValueError, match=message):
            run_export(dataset, fmt, tmp_path / "out", **kwargs)
    # A unit that does not exist is refused when the filter is made, before anything is selected or written.
    with pytest.raises(ValueError, match="did you mean"):
        run_export(dataset, "csv", tmp_path / "out.csv", flt=Filter(districts=("hoan kiemm",)))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["geojson", "csv", "kml", "kmz", "shp", "gpkg", "html", "png", "pdf", "bundle"])
def test_same_data_and_filter_give_the_same_bytes(dataset, spaces, boundaries, tmp_path, fmt):
    flt = Filter(statuses=("active",))
    first = run_export(dataset, fmt, tmp_path / f"a{export.SUFFIXES[fmt]}", flt=flt, boundaries=boundaries)
    shuffled = Dataset(spaces.iloc[::-1], dataset.events)  # order in the file does not matter either
    second = run_export(shuffled, fmt, tmp_path / f"b{export.SUFFIXES[fmt]}", flt=flt, boundaries=boundaries)
    assert first.read_bytes() == second.read_bytes()


def test_gpkg_content_is_deterministic(dataset, boundaries, tmp_path):
    def dump(path: Path) -> list[str]:
        with sqlite3.connect(path) as db:
            return list(db.iterdump())

    a = run_export(dataset, "gpkg", tmp_path / "a.gpkg", boundaries=boundaries)
    b = run_export(dataset, "gpkg", tmp_path / "b.gpkg", boundaries=boundaries)
    assert dump(a) == dump(b)
    assert any("2026-11-27T00:00:00" in line for line in dump(a))  # the export date, not the clock
    with sqlite3.connect(a) as db:
        assert {r[0] for r in db.execute("SELECT last_change FROM gpkg_contents")} == {"2026-11-27T00:00:00Z"}


def test_export_does_not_change_its_input(dataset, spaces, tmp_path):
    before = spaces.copy()
    selection = creative_map.select(dataset, Filter(categories=("museum",)))
    chosen = selection.spaces.copy()
    export.export(selection, "geojson", tmp_path / "out.geojson", date=DATE)
    assert spaces.equals(before) and list(spaces.index) == list(before.index)
    assert selection.spaces.equals(chosen) and list(selection.spaces.columns) == list(chosen.columns)


def test_the_export_never_filters_the_selection_again(dataset, tmp_path):
    # A selection is exported as it is: here one whose filter, were it applied again, would select nothing.
    selection = creative_map.select(dataset)
    relabelled = Selection(selection.spaces, selection.events, Filter(search="khong co ten nay"), selection.total)
    path = export.export(relabelled, "csv", tmp_path / "out.csv", date=DATE)
    with path.open(encoding="utf-8-sig", newline="") as f:
        assert sorted(r["id"] for r in csv.DictReader(f)) == expected_ids(dataset, None)


def test_download_bytes_match_export(dataset, tmp_path):
    flt = Filter(categories=("museum", "other"))
    data = export.download(creative_map.select(dataset, flt), "kml", date=DATE, lang="en").data
    assert data == run_export(dataset, "kml", tmp_path / "out.kml", flt=flt, lang="en").read_bytes()


def test_download_for_the_app_holds_what_the_filter_selects(dataset):
    flt = Filter(categories=("museum", "art_space"))
    result = export.download(creative_map.select(dataset, flt), "geojson", lang="en", date=DATE)
    assert (result.file_name, result.mime) == ("creative_map.geojson", "application/geo+json")
    assert sorted(f["id"] for f in json.loads(result.data)["features"]) == expected_ids(dataset, flt)
    everything = creative_map.select(dataset)
    assert export.download(everything, "pdf", page="A3", date=DATE).file_name == "creative_map_A3.pdf"


def test_download_names_and_media_types_cover_every_format():
    assert set(export.MIME_TYPES) == set(export.FORMATS) == set(REGISTRY) == set(export.SUFFIXES)
    names = {fmt: export.file_name(fmt, page="A3") for fmt in export.FORMATS}
    assert names["pdf"] == "creative_map_A3.pdf" and names["shp"] == "creative_map_shp.zip"
    assert names["bundle"] == "creative_map_bundle.zip" and names["geojson"] == "creative_map.geojson"
    assert len(set(names.values())) == len(names)
    with pytest.raises(ValueError, match="fmt"):
        export.file_name("xls")


def test_describe_filter_in_both_languages():
    # The filter in words (README, KML, print map) is i18n's; an export never resolves unit names again.
    flt = Filter(districts=("hoan kiem",), categories=("museum",), statuses=("active",))
    assert i18n.describe_filter(flt, "vi") == (
        "Quận/huyện (trước 2025): Quận Hoàn Kiếm; Loại không gian: Bảo tàng; Tình trạng: Đang hoạt động"
    )
    assert i18n.describe_filter(flt, "en") == ("District (pre-2025): Quận Hoàn Kiếm; Category: Museum; Status: Active")
    assert i18n.describe_filter(None, "en") == i18n.describe_filter(Filter(), "en") == "all spaces"


# --- the registry -------------------------------------------------------------------------------------------


def test_the_registry_has_one_entry_per_format_in_the_shared_order():
    assert tuple(REGISTRY) == types.FORMATS == export.FORMATS
    for name, fmt in REGISTRY.items():
        assert fmt.name == name
        assert fmt.suffix.startswith(".") and "/" in fmt.mime
        assert callable(fmt.writer)


def test_every_format_but_the_bundle_is_a_bundle_member_with_a_readme_line():
    members = {name: fmt.member for name, fmt in REGISTRY.items() if fmt.member is not None}
    assert set(members) == set(types.FORMATS) - {"bundle"}
    files = [m.name.format(page="A4") for m in members.values()]
    assert len(set(files)) == len(files)
    for name, member in members.items():
        assert Path(member.name).suffix == export.SUFFIXES[name]
        for lang in types.LANGS:
            assert i18n.TEXTS[member.label_key].get(lang).strip()


# --- GDAL options: per write, never process-wide ------------------------------------------------------------

WATCHED_GDAL_OPTIONS = (
    "OGR_CURRENT_DATE",
    *vector.GEOJSON_LAYER_OPTIONS,
    "IDENTIFIER",
    "DBF_DATE_LAST_UPDATE",
    "LIBKML_USE_SIMPLEFIELD",
    "LIBKML_USE_DOC.KML",
)
"""The options the exports pass with their writes, and those the KML via GDAL would need process-wide."""


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "shp", "kml", "bundle"])
def test_no_process_wide_gdal_option_is_changed_by_an_export(dataset, boundaries, tmp_path, monkeypatch, fmt):
    def refuse(options):
        raise AssertionError(f"an export set process-wide GDAL options: {options}")

    monkeypatch.setattr(pyogrio, "set_gdal_config_options", refuse)
    monkeypatch.setattr(pyogrio.core, "set_gdal_config_options", refuse)
    before = {k: pyogrio.get_gdal_config_option(k) for k in WATCHED_GDAL_OPTIONS}
    run_export(dataset, fmt, tmp_path / f"out{export.SUFFIXES[fmt]}", boundaries=boundaries)
    assert {k: pyogrio.get_gdal_config_option(k) for k in WATCHED_GDAL_OPTIONS} == before


def test_geopackages_written_at_once_in_threads_each_carry_their_own_date(dataset, boundaries, tmp_path):
    # The app serves several people at once: a date set process-wide would leak from one export into another.
    dates = [dt.date(2026, 1, d) for d in range(1, 5)]

    def write(date: dt.date) -> Path:
        return run_export(dataset, "gpkg", tmp_path / f"{date}.gpkg", boundaries=boundaries, date=date)

    with ThreadPoolExecutor(max_workers=4) as pool:
        paths = list(pool.map(write, dates))
    for date, path in zip(dates, paths, strict=True):
        with sqlite3.connect(path) as db:
            stamps = {r[0] for r in db.execute("SELECT last_change FROM gpkg_contents")}
        assert stamps == {f"{date.isoformat()}T00:00:00Z"}


# --- official boundaries ------------------------------------------------------------------------------------


def test_boundary_files_are_recognised_by_level_and_used(dataset, data_dir, tmp_path):
    districts = tmp_path / "official_districts.gpkg"
    load_boundaries("district").drop(columns="approximate").to_crs("EPSG:32648").to_file(
        districts, driver="GPKG", engine="pyogrio"
    )
    layers = export.load_boundary_files([districts])
    assert set(layers) == {"district"} and len(layers["district"]) == 30
    path = run_export(dataset, "gpkg", tmp_path / "out.gpkg", boundaries=layers)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM districts WHERE approximate = 0").fetchone()[0] == 30
        assert (
            db.execute("SELECT count(*) FROM wards_2025 WHERE approximate = 0").fetchone()[0] == 126
        )  # the real layer


def test_a_file_of_no_level_or_two_of_one_are_refused(data_dir, tmp_path):
    with pytest.raises(ValueError, match="neither the 30 districts nor the 126 units of 2025"):
        export.load_boundary_files([data_dir / "spaces.geojson"])
    districts = tmp_path / "districts.geojson"
    load_boundaries("district").to_file(districts, driver="GeoJSON", engine="pyogrio")
    with pytest.raises(ValueError, match="two boundary files hold the district units"):
        export.load_boundary_files([districts, districts])
