"""The static site without a browser: its files, its data, determinism, escaping, atomic writing, the command, the
folding tables, the static URL under a base path, and the nginx configuration of deploy/."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import shapely

import creative_map
from creative_map import Filter, assets, mapping, schema
from creative_map.cli import main
from creative_map.site import GENERATOR, PAGES, is_site, site_files, units_data, write_site
from creative_map.site import build as site_build
from creative_map.site.data import EVENT_COLUMNS, ROW_COLUMNS, TEXT_KEYS, site_data
from creative_map.site.folding import fold_tables

from .conftest import ROOT, collection, make_event, make_space, old_gallery, puppet_theatre

HOSTILE_VI = '<img src=x onerror="alert(1)"><b>Xưởng</b>'
HOSTILE_EN = "</script><script>alert('pwned')</script>Workshop"


def _data(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    spaces = collection(
        make_space(),
        puppet_theatre(website="https://example.org/roi"),
        old_gallery(),
        make_space(105.85, 21.027, id="html-name", name_vi=HOSTILE_VI, name_en=HOSTILE_EN, category="museum"),
        make_space(
            105.8356,
            21.0286,
            id="van-mieu",
            name_vi="Văn Miếu – Quốc Tử Giám",
            name_en="Temple of Literature",
            category="heritage",
            district="Quận Đống Đa",
            ward_2025="Phường Văn Miếu - Quốc Tử Giám",
            last_verified="2026-12-01",
        ),
    )
    events = collection(
        make_event(),
        make_event(id="hoi-van-mieu", name_vi="Hội", name_en="Fair", start="2026-01-10", end="2026-01-10",
                   space_ids=["van-mieu", "ho-hoan-kiem"], website="https://example.org/fair"),
    )  # fmt: skip
    (folder / "spaces.geojson").write_text(json.dumps(spaces, ensure_ascii=False), encoding="utf-8")
    (folder / "events.geojson").write_text(json.dumps(events, ensure_ascii=False), encoding="utf-8")
    return folder / "spaces.geojson"


@pytest.fixture
def data_path(tmp_path: Path) -> Path:
    return _data(tmp_path / "data")


@pytest.fixture
def selection(data_path: Path) -> creative_map.Selection:
    return creative_map.select(creative_map.load(data_path))


def _payload(files: dict[str, bytes], prefix: str, name: str) -> dict[str, Any]:
    (path,) = (p for p in files if re.fullmatch(rf"assets/{prefix}\.[0-9a-f]{{10}}\.js", p))
    text = files[path].decode("utf-8")
    assert text.startswith(f"window.{name}=") and text.endswith(";\n")
    value: dict[str, Any] = json.loads(text[len(f"window.{name}=") : -2])
    return value


# --------------------------------------------------------------------------------------------- structure


def test_the_site_has_a_page_per_language_linking_to_each_other(selection):
    files = site_files(selection)
    vi, en = files["index.html"].decode(), files["en/index.html"].decode()
    assert '<html lang="vi">' in vi and '<html lang="en">' in en
    assert 'id="cm-lang" href="en/index.html"' in vi and 'id="cm-lang" href="../index.html"' in en
    assert GENERATOR in vi and GENERATOR in en
    assert "<title>Bản đồ không gian sáng tạo Hà Nội</title>" in vi
    assert "<title>Map of Hanoi&#x27;s creative spaces</title>" in en
    assert "5 không gian; dữ liệu kiểm tra lần cuối ngày 2026-12-01" in vi  # the data's date and count
    assert "5 spaces; data last checked on 2026-12-01" in en


def test_every_file_a_page_loads_is_in_the_site_and_nothing_comes_from_elsewhere(selection):
    files = site_files(selection)
    for lang, page_path in PAGES.items():
        page = files[page_path].decode()
        refs = re.findall(r'<(?:script|link)[^>]* (?:src|href)="([^"]+)"', page)
        assert len(refs) >= 8, refs  # leaflet, markercluster, the map's and the site's css; 5 scripts
        base = Path(page_path).parent
        for ref in refs:
            assert "://" not in ref and not ref.startswith("/"), ref  # relative: works from disk and any path
            if ref.endswith(("index.html",)):
                continue
            target = os.path.normpath(base / ref).replace(os.sep, "/")
            assert target in files, (lang, ref)
        scripts = re.findall(r'<script src="([^"]+)"', page)
        assert [Path(s).name.split(".")[0] for s in scripts] == ["leaflet", "leaflet", "units", "data", "site"]


def test_leaflet_and_markercluster_are_copied_from_the_installed_packages(selection):
    files = site_files(selection)
    for asset in assets.VENDOR_FILES:
        src = assets.source_dir(asset)
        for name in (*asset.js, *asset.css, *asset.extra):
            (path,) = (p for p in files if re.fullmatch(rf"assets/{asset.name}\.[0-9a-f]{{10}}/{re.escape(name)}", p))
            assert files[path] == (src / name).read_bytes()


def test_assets_are_named_by_their_content(selection, data_path):
    one = site_files(selection)
    other = site_files(creative_map.select(creative_map.load(data_path), Filter(categories=("museum",))))
    changed = sorted(set(one) - set(other))
    assert [p for p in changed if not p.endswith(".gz")] == [p for p in one if p.startswith("assets/data.")][:1]
    for path, content in one.items():
        match = re.fullmatch(r"assets/[a-z_]+\.([0-9a-f]{10})\.(js|css)", path)
        if match:
            assert match.group(1) == site_build._digest(content)


def test_the_data_rows_follow_the_selection(selection):
    data = _payload(site_files(selection), "data", "CREATIVE_MAP_DATA")
    assert data == site_data(selection)
    assert data["n"] == len(data["f"]) == 5 and data["total"] == 5
    assert [row[ROW_COLUMNS.index("id")] for row in data["f"]] == selection.ids
    assert data["c"] == list(schema.CATEGORIES) and data["s"] == list(schema.STATUSES)
    by_id = {row[0]: row for row in data["f"]}
    theatre = by_id["nha-hat-mua-roi-thang-long"]
    assert data["c"][theatre[ROW_COLUMNS.index("category")]] == "art_space"
    assert data["d"][theatre[ROW_COLUMNS.index("district")]] == ["Quận Hoàn Kiếm", "Hoàn Kiếm District"]
    assert theatre[ROW_COLUMNS.index("website")] == "https://example.org/roi"
    assert [theatre[ROW_COLUMNS.index("lat")], theatre[ROW_COLUMNS.index("lon")]] == [21.0318, 105.8535]
    fair = next(ev for ev in data["e"] if ev[0] == "hoi-van-mieu")
    assert len(fair) == len(EVENT_COLUMNS)
    assert sorted(data["f"][i][0] for i in fair[EVENT_COLUMNS.index("spaces")]) == ["ho-hoan-kiem", "van-mieu"]


def test_a_website_that_may_not_be_a_link_stays_text():
    assert site_data.__module__  # the rule is mapping.safe_url's, applied once in Python
    from creative_map.site.data import _website

    assert _website("https://example.org/a") == "https://example.org/a"
    assert _website("javascript:alert(1)") == ["javascript:alert(1)"]
    assert _website('http://x.org/"onmouseover=alert(1)') == ['http://x.org/"onmouseover=alert(1)']
    assert _website("  ") == ""
    assert mapping.safe_url("javascript:alert(1)") is None


def test_the_filter_options_choose_what_the_site_shows(data_path):
    selection = creative_map.select(creative_map.load(data_path), Filter(categories=("heritage",)))
    data = site_data(selection)
    assert [row[0] for row in data["f"]] == ["van-mieu"] and data["total"] == 5
    assert [ev[0] for ev in data["e"]] == ["hoi-van-mieu"]  # only the events held at the spaces shown
    assert [data["f"][i][0] for i in data["e"][0][-1]] == ["van-mieu"]


def _decoded(polygons: list[list[list[int]]], scale: int) -> list[list[list[tuple[float, float]]]]:
    """The script's decoding of a unit's rings (first point, then differences, in 1/scale degrees)."""
    out = []
    for polygon in polygons:
        rings = []
        for flat in polygon:
            x = y = 0
            ring = []
            for k in range(0, len(flat), 2):
                x += flat[k]
                y += flat[k + 1]
                ring.append((x / scale, y / scale))
            rings.append(ring)
        out.append(rings)
    return out


def test_the_boundaries_decode_to_the_shipped_layers():
    units = units_data()
    for level in ("district", "ward_2025"):
        layer = creative_map.boundaries.load_boundaries(level)
        assert [u[0] for u in units[level]["u"]] == layer["name"].tolist()
        for (_name, _label, polygons), geom in zip(units[level]["u"], layer.geometry, strict=True):
            parts = [shapely.Polygon(rings[0], rings[1:]) for rings in _decoded(polygons, units["scale"])]
            decoded = shapely.MultiPolygon(parts) if geom.geom_type == "MultiPolygon" else parts[0]
            assert decoded.equals_exact(geom, tolerance=1e-5 + 1e-9)
    assert units["district"]["approximate"] is True and units["ward_2025"]["approximate"] is False
    assert units["ward_2025"]["u"][0][1].endswith("Ward")  # the English label


def test_every_text_the_script_shows_is_in_the_catalogue(selection):
    for key in TEXT_KEYS:
        assert key in creative_map.i18n.TEXTS, key
    config = site_files(selection)["en/index.html"].decode()
    payload = json.loads(re.search(r'<script type="application/json" id="cm-config">(.*?)</script>', config).group(1))
    assert payload["lang"] == "en" and payload["t"]["f_events"] == "Events here"
    assert payload["other"] == "../index.html"


# --------------------------------------------------------------------------------------------- escaping


def test_hostile_names_cannot_leave_their_strings(selection):
    files = site_files(selection)
    data_js = next(v for k, v in files.items() if k.startswith("assets/data.") and k.endswith(".js")).decode()
    assert "<" not in data_js and ">" not in data_js  # every < and > is \u003c / \u003e: no </script> anywhere
    assert json.loads(data_js[len("window.CREATIVE_MAP_DATA=") : -2])["f"][1][1:3] == [HOSTILE_VI, HOSTILE_EN]
    for page in PAGES.values():
        html_text = files[page].decode()
        assert "Workshop" not in html_text and "Xưởng" not in html_text  # data reaches pages only via the script
        config = re.search(r'<script type="application/json" id="cm-config">(.*?)</script>', html_text, re.S)
        assert config and "<" not in config.group(1)


def test_an_app_address_is_escaped_in_the_pages(selection):
    page = site_files(selection, app_url='/app/"><script>x</script>')["index.html"].decode()
    assert 'href="/app/&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in page
    assert "<script>x" not in page


# ------------------------------------------------------------------------------------------ determinism


def test_the_same_data_gives_the_same_bytes(selection, data_path):
    again = creative_map.select(creative_map.load(data_path))
    assert site_files(selection) == site_files(again)


def test_the_same_data_gives_the_same_files_in_other_processes(tmp_path, data_path):
    """Two runs of the command with different hash seeds (set and dict orders) write identical folders."""
    trees = []
    for seed in ("1", "2"):
        out = tmp_path / f"site{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-m", "creative_map", "--data", str(data_path), "site", "-o", str(out)],
            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=240, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        trees.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1]
    assert len(trees[0]) > 15


def test_precompressed_files_hold_the_same_bytes(selection):
    files = site_files(selection)
    gz = [p for p in files if p.endswith(".gz")]
    assert "index.html.gz" in gz and any(p.startswith("assets/data.") for p in gz)
    for path in gz:
        assert gzip.decompress(files[path]) == files[path[:-3]]
    assert not any(p.endswith(".gz") for p in site_files(selection, precompress=False))


# ---------------------------------------------------------------------------------------------- writing


def test_write_site_refuses_to_replace_without_force(selection, tmp_path):
    out = tmp_path / "web" / "public"
    summary = write_site(selection, out)
    assert summary.spaces == 5 and summary.events == 2 and is_site(out)
    assert summary.data_gzip_bytes < summary.data_bytes
    with pytest.raises(FileExistsError, match="--force"):
        write_site(selection, out)
    write_site(selection, out, force=True)
    assert sorted(p.name for p in out.parent.iterdir()) == ["public"]  # no temporary or old folder left
    assert oct(out.stat().st_mode & 0o777) == "0o755"  # a web server's user can read it


def test_force_never_replaces_a_folder_that_is_not_a_site(selection, tmp_path):
    out = tmp_path / "home"
    out.mkdir()
    (out / "thesis.txt").write_text("years of work")
    with pytest.raises(FileExistsError, match="not a site"):
        write_site(selection, out, force=True)
    assert (out / "thesis.txt").read_text() == "years of work"
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileExistsError, match="not a folder"):
        write_site(selection, tmp_path / "file", force=True)


def test_an_empty_folder_is_filled(selection, tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    write_site(selection, out)
    assert (out / "index.html").is_file()


def test_a_failure_leaves_the_previous_site_whole_and_no_temporary_folder(selection, tmp_path, monkeypatch):
    out = tmp_path / "web" / "public"
    write_site(selection, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    written = []
    real = Path.write_bytes

    def failing(self: Path, data: bytes) -> int:
        written.append(self)
        if len(written) == 6:
            raise OSError("disk full")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(OSError, match="disk full"):
        write_site(selection, out, force=True)
    monkeypatch.undo()
    assert written and all(out not in p.parents for p in written)  # never written in place
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["public"]


# ---------------------------------------------------------------------------------------------- command


def test_the_command_writes_the_site(data_path, tmp_path, capsys):
    out = tmp_path / "public"
    assert main(["--data", str(data_path), "site", "-o", str(out), "--app-url", "/app/"]) == 0
    printed = capsys.readouterr().out
    assert "5 of 5 spaces and 2 events" in printed and "gzipped" in printed
    assert 'id="cm-app" href="/app/"' in (out / "index.html").read_text(encoding="utf-8")
    assert main(["--data", str(data_path), "site", "-o", str(out)]) == 1
    assert "exists; use --force" in capsys.readouterr().err
    assert main(["--data", str(data_path), "site", "-o", str(out), "--force", "--category", "museum"]) == 0
    assert "1 of 5 spaces" in capsys.readouterr().out


def test_the_command_says_what_is_wrong_with_the_data(tmp_path, capsys):
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature"}]}', encoding="utf-8")
    assert main(["--data", str(bad), "site", "-o", str(tmp_path / "out")]) == 1
    assert "error:" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_command_refuses_a_non_site_before_reading_the_data(tmp_path, capsys):
    out = tmp_path / "docs"
    out.mkdir()
    (out / "a.txt").write_text("x")
    assert main(["--data", str(tmp_path / "missing.geojson"), "site", "-o", str(out), "--force"]) == 1
    assert "not a site" in capsys.readouterr().err


# -------------------------------------------------------------------------------------------- folding


def test_lower_casing_plus_the_table_is_case_folding_for_every_character():
    """What the script does after the browser's toLowerCase, checked against Python for every code point."""
    table = fold_tables()
    cf = table["cf"]
    assert isinstance(cf, dict) and cf["ß"] == "ss" and cf["ς"] == "σ"
    differ = [cp for cp in range(0x110000) if cf.get(chr(cp).lower(), chr(cp).lower()) != chr(cp).casefold()]
    assert differ == []


def test_the_combining_class_matches_python():
    comb = str(fold_tables()["comb"])
    assert "\\u{300}-\\u{34e}" in comb  # the Vietnamese accents among them
    pattern = re.compile("[" + re.sub(r"\\u\{([0-9a-f]+)\}", lambda m: "\\U" + m.group(1).zfill(8), comb) + "]")
    import unicodedata

    assert [cp for cp in range(0x110000) if bool(pattern.match(chr(cp))) != bool(unicodedata.combining(chr(cp)))] == []


# -------------------------------------------------------------------------------------- the app's URLs


@pytest.mark.parametrize(
    ("base", "url"),
    [("", "/app/static/vendor"), ("app", "/app/app/static/vendor"), ("/app/", "/app/app/static/vendor"),
     ("maps/hanoi", "/maps/hanoi/app/static/vendor")],
)  # fmt: skip
def test_static_url_follows_streamlits_base_path(base, url):
    assert assets.static_url(base) == url


def test_the_map_loads_its_files_from_the_base_path(selection):
    page = mapping.build_map(selection, static_url=assets.static_url("app")).get_root().render()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert "/app/app/static/vendor/leaflet/leaflet.js" in scripts
    assert "/app/app/static/vendor/creative_map/creative_map.js" in scripts
    assert not any(s.startswith("/app/static/") for s in scripts)


# ---------------------------------------------------------------------------------------------- deploy

DEPLOY = ROOT / "deploy"


def _nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        message = "nginx is not installed: run scripts/setup --dev (installs Debian's nginx)"
        if os.environ.get("CREATIVE_MAP_SKIP_NGINX") == "1":
            pytest.skip(message)
        pytest.fail(message)
    return found


def _configure(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(DEPLOY / "configure"), *args], capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("with_app_files", [False, True], ids=["app-sends-its-files", "nginx-sends-app-files"])
def test_the_rendered_configuration_is_valid_nginx(tmp_path, with_app_files):
    nginx = _nginx()
    prefix = tmp_path / "nginx"
    site = tmp_path / "site"
    site.mkdir()
    app_files = tmp_path / "app-files"
    extra: list[str] = []
    if with_app_files:
        (app_files / "app").mkdir(parents=True)
        (app_files / ".creative-map-app-files").write_text("")  # what creative_map.appfiles leaves (tested there)
        extra = ["--app-files", str(app_files)]
    done = _configure(
        "--site", str(site), "--listen", "127.0.0.1:8080", "--app", "127.0.0.1:8501", "--app", "127.0.0.1:8502",
        *extra, "--prefix", str(prefix),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"nginx -c {prefix}/nginx.conf -p {prefix}"
    conf = (prefix / "creative-map.conf").read_text()
    assert "server 127.0.0.1:8501" in conf and "server 127.0.0.1:8502" in conf
    assert f"root {site};" in conf and "@" not in conf.replace("@...@", "").replace("@creative_map_app", "")
    assert conf.count(f"root {app_files};") == (3 if with_app_files else 0)
    assert ("location /app/static/" in conf) is with_app_files
    main_conf = (prefix / "nginx.conf").read_text()
    assert "daemon off;" in main_conf and f"pid {prefix}/nginx.pid;" in main_conf
    test = subprocess.run(
        [nginx, "-t", "-c", str(prefix / "nginx.conf"), "-p", str(prefix)], capture_output=True, text=True, timeout=60
    )
    assert test.returncode == 0, test.stderr


def test_the_service_snippet_is_printed(tmp_path):
    done = _configure("--site", "/srv/creative-map/site", "--listen", "80", "--app", "127.0.0.1:8501")
    assert done.returncode == 0, done.stderr
    assert "listen 80;" in done.stdout and "root /srv/creative-map/site;" in done.stdout
    assert "hash $creative_map_route consistent;" in done.stdout
    assert "daemon" not in done.stdout  # an http-context file, for /etc/nginx/conf.d/


@pytest.mark.parametrize(
    "args",
    [
        ["--site", "/srv/site; include /etc/passwd", "--listen", "80", "--app", "127.0.0.1:8501"],
        ["--site", "relative/site", "--listen", "80", "--app", "127.0.0.1:8501"],
        ["--site", "/srv/../etc", "--listen", "80", "--app", "127.0.0.1:8501"],
        ["--site", "/srv/site", "--listen", "80;", "--app", "127.0.0.1:8501"],
        ["--site", "/srv/site", "--listen", "80", "--app", "127.0.0.1:8501; }"],
        ["--site", "/srv/site", "--listen", "80"],
        ["--site", "/srv/site", "--listen", "80", "--app", "127.0.0.1:8501", "--server-name", "a;b"],
        ["--site", "/srv/site", "--listen", "80", "--app", "127.0.0.1:8501", "--app-files", "/srv/f; include /x"],
        ["--site", "/srv/site", "--listen", "80", "--app", "127.0.0.1:8501", "--app-files", "/tmp"],
    ],
    ids=[
        "site-injection",
        "site-relative",
        "site-dots",
        "listen",
        "app",
        "no-app",
        "server-name",
        "app-files-injection",
        "app-files-not-written-by-appfiles",
    ],
)
def test_configure_refuses_values_that_would_break_the_configuration(args):
    done = _configure(*args)
    assert done.returncode == 2
    assert done.stderr.startswith("configure: ") and done.stdout == ""
