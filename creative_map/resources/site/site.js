/* creative_map static site: the public map of Hanoi's creative spaces, with no server behind it.
 *
 * Loaded after Leaflet, Leaflet.markercluster and three globals the site's other files set:
 *   CREATIVE_MAP_FOLD   the folding tables (creative_map.site.folding), prepended to this file
 *   CREATIVE_MAP_UNITS  the boundaries of the districts and 2025 wards (creative_map.site.data.units_data)
 *   CREATIVE_MAP_DATA   the spaces and events (creative_map.site.data.site_data)
 * and the page's own settings, <script type="application/json" id="cm-config"> (page_config): texts and
 * labels in the page's language.
 *
 * What the page shows is kept in the address after "#": map=zoom/lat/lon, q (search), cat (categories),
 * district or ward (one unit), layer (boundaries), basemap, sel (the selected space). It is read on load and
 * when it changes, and rewritten (without a new history entry) on every change, so a link shares the view.
 *
 * Text from the data only ever reaches the page through textContent or attributes set by the DOM; the only
 * HTML strings are built here from the page's own settings (colours, symbols) and the tiles' attribution.
 */
(function (root) {
  "use strict";

  var C = JSON.parse(document.getElementById("cm-config").textContent);
  var D = root.CREATIVE_MAP_DATA, U = root.CREATIVE_MAP_UNITS || {}, F = root.CREATIVE_MAP_FOLD, T = C.t;
  var lang = C.lang, other = lang === "en" ? "vi" : "en";
  var LIST_MAX = 200, EVENTS_MAX = 6;
  // Columns of a space's row (creative_map.site.data.ROW_COLUMNS) and of an event's (EVENT_COLUMNS).
  var ID = 0, NVI = 1, NEN = 2, CAT = 3, ST = 4, PR = 5, LAT = 6, LON = 7, DIS = 8, WAR = 9, MEM = 10, VER = 11,
    GEO = 12, ADDR = 13, DVI = 14, DEN = 15, HRS = 16, WEB = 17, LEAD = 18, PLAN = 19;
  var E_ID = 0, E_NVI = 1, E_NEN = 2, E_START = 3, E_END = 4, E_WEB = 5, E_SPACES = 6;

  // ------------------------------------------------------------------------------------------- folding

  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  var COMB = new RegExp("[" + F.comb + "]", "gu"), WS = new RegExp("[" + F.ws + "]+", "gu");
  var EDGES = new RegExp("^[" + F.ws + "]+|[" + F.ws + "]+$", "gu");
  var CF = new RegExp(Object.keys(F.cf).sort(function (a, b) { return b.length - a.length || (a < b ? -1 : 1); })
    .map(escapeRe).join("|"), "gu");

  /* Exactly creative_map.text.fold: đ as d, accents dropped, dashes as "-", case folded, spaces collapsed. */
  function fold(text) {
    var s = String(text).replace(/[đĐðÐ]/g, "d").normalize("NFD").replace(COMB, "")
      .replace(/[\u2010-\u2015\u2212]/g, "-").toLowerCase().replace(CF, function (c) { return F.cf[c]; });
    return s.replace(WS, " ").replace(/^ | $/g, "");
  }
  /* Python's str.strip(). */
  function strip(text) { return String(text || "").replace(EDGES, ""); }

  // ------------------------------------------------------------------------------------------- helpers

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }
    return e;
  }
  function fmt(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? String(values[k]) : m; });
  }
  function esc(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function col(r, k) { return r[k] === undefined ? "" : r[k]; }
  function pick(vi, en) {
    var a = lang === "en" ? en : vi, b = lang === "en" ? vi : en;
    return a || b;
  }
  /* creative_map.i18n.space_names: [name in this language, the other name or ""]. */
  function names(vi, en) {
    vi = strip(vi); en = strip(en);
    var first = lang === "en" ? en : vi, second = lang === "en" ? vi : en;
    if (!first) { first = second; second = ""; }
    return [first, second === first ? "" : second];
  }
  function unitLabel(units, i) { return i >= 0 && units[i] ? (lang === "en" ? units[i][1] : units[i][0]) : ""; }
  function catId(r) { return D.c[r[CAT]]; }
  function isExact(r) { return D.p[r[PR]] === "exact"; }
  function symbol(cat, exact) {
    var c = C.cat[cat], s = el("span", "cm-sym" + (exact ? "" : " cm-approx"), c[2]);
    s.style.background = c[0]; s.style.borderColor = c[0];
    if (!exact) { s.style.color = c[0]; }
    s.setAttribute("aria-hidden", "true");
    return s;
  }
  function link(url, text) {
    var a = el("a", "", text);
    a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
    return a;
  }

  // ---------------------------------------------------------------------------------------------- data

  var spaces = D.f.map(function (r, i) {
    return {i: i, r: r, id: r[ID], folded: fold(r[NVI]) + " | " + fold(r[NEN]), name: names(r[NVI], r[NEN])[0],
      layer: null, shown: false, events: []};
  });
  var byId = {}, collator = new Intl.Collator(lang);
  spaces.forEach(function (s) { byId[s.id] = s; });
  // The list's order, by name in the page's language, sorted once.
  var byName = spaces.slice().sort(function (a, b) {
    return collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1);
  });
  D.e.forEach(function (ev) { ev[E_SPACES].forEach(function (i) { spaces[i].events.push(ev); }); });
  spaces.forEach(function (s) {
    s.events.sort(function (a, b) { return a[E_START] < b[E_START] ? -1 : a[E_START] > b[E_START] ? 1 :
      a[E_END] < b[E_END] ? -1 : a[E_END] > b[E_END] ? 1 : 0; });
  });

  /* The details of a space: the same fragment as creative_map.mapping.details_html. */
  function details(s) {
    var r = s.r, n = names(r[NVI], r[NEN]), exact = isExact(r), box = el("div", "cm-details");
    box.lang = lang;
    box.appendChild(el("p", "cm-name", n[0]));
    if (n[1]) { var alt = el("p", "cm-alt", n[1]); alt.lang = other; box.appendChild(alt); }
    var desc = pick(strip(col(r, DVI)), strip(col(r, DEN)));
    if (desc) { box.appendChild(el("p", "cm-desc", desc)); }
    var dl = el("dl");
    function row(name, value) {
      if (!value) { return; }
      dl.appendChild(el("dt", "", name));
      var dd = el("dd");
      if (typeof value === "string") {
        dd.textContent = value;
      } else {
        value.forEach(function (v) { dd.appendChild(v); });
      }
      dl.appendChild(dd);
    }
    var cat = catId(r), web = col(r, WEB), plan = col(r, PLAN), member = D.m[r[MEM]];
    row(T.f_category, [symbol(cat, exact), document.createTextNode(C.cat[cat][1])]);
    row(T.f_address, col(r, ADDR));
    row(T.f_district, unitLabel(D.d, r[DIS]));
    row(T.f_ward_2025, unitLabel(D.w, r[WAR]));
    row(T.f_status, C.s[D.s[r[ST]]]);
    row(T.f_opening_hours, col(r, HRS));
    if (typeof web === "string") { row(T.f_website, web ? [link(web, web)] : ""); } else { row(T.f_website, web[0]); }
    row(T.f_lead_agency, col(r, LEAD));
    row(T.f_plan_item, plan ? (C.plan[plan] ? plan + " — " + C.plan[plan] : plan) : "");
    row(T.f_network, member ? C.m[member] : "");
    row(T.f_position, C.p[D.p[r[PR]]]);
    row(T.f_last_verified, r[VER]);
    box.appendChild(dl);
    var head = el("p", "cm-events-title");
    head.appendChild(el("b", "", T.f_events));
    box.appendChild(head);
    if (!s.events.length) {
      box.appendChild(el("p", "cm-no-events", T.f_no_events));
    } else {
      var ul = el("ul");
      s.events.forEach(function (ev) {
        var li = el("li"), name = names(ev[E_NVI], ev[E_NEN])[0], web = ev[E_WEB];
        li.appendChild(typeof web === "string" && web ? link(web, name) : document.createTextNode(name));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("span", "cm-when", "(" + when(ev) + ")"));
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    return box;
  }
  function when(ev) { return ev[E_START] === ev[E_END] ? ev[E_START] : ev[E_START] + " – " + ev[E_END]; }

  /* Directions to a space (OpenStreetMap, Google Maps: new tabs, no opener) and "copy link" (this page's
   * address, which names the selected space after #...&sel=). The same links as creative_map.mapping.links_html. */
  function links(s) {
    var box = el("p", "cm-links"), to = String(s.r[LAT]) + "," + String(s.r[LON]);
    function add(cls, href, text) {
      var a = el("a", cls, text);
      a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer";
      box.appendChild(a);
      box.appendChild(document.createTextNode(" "));
    }
    add("cm-dir cm-dir-osm", "https://www.openstreetmap.org/directions?to=" + to, T.dir_osm);
    add("cm-dir cm-dir-google", "https://www.google.com/maps/dir/?api=1&destination=" + to,
      T.dir_google);
    var b = el("button", "cm-copy", T.copy_link), note = el("span", "cm-copied");
    b.type = "button";
    b.setAttribute("data-cm-id", s.id);
    note.setAttribute("role", "status");
    b.addEventListener("click", function (ev) {
      ev.preventDefault();
      var url = location.href;
      function manual() {
        var field = box.querySelector("input.cm-copy-field");
        if (!field) {
          field = el("input", "cm-copy-field");
          field.type = "text"; field.readOnly = true;
          field.setAttribute("aria-label", T.copy_link);
          box.appendChild(field);
        }
        field.value = url;
        field.focus();
        field.select();
        var done = false;
        try { done = document.execCommand && document.execCommand("copy"); } catch (e) { done = false; }
        note.textContent = done ? T.copied : T.copy_manual;
      }
      try {
        if (!navigator.clipboard || !navigator.clipboard.writeText) { manual(); return; }
        navigator.clipboard.writeText(url).then(function () { note.textContent = T.copied; }, manual);
      } catch (e) { manual(); }
    });
    box.appendChild(b);
    box.appendChild(note);
    return box;
  }

  // ----------------------------------------------------------------------------------------------- map

  var container = document.getElementById("cm-map");
  var map = L.map(container, {maxZoom: C.view.max, zoomControl: true, worldCopyJump: false});
  map.attributionControl.setPrefix(false);
  L.control.scale({imperial: false}).addTo(map);
  var basemaps = {}, baseNames = {};
  Object.keys(C.tiles).forEach(function (key) {
    var tiles = C.tiles[key];
    basemaps[key] = tiles ? L.tileLayer(tiles[0], {attribution: tiles[1], maxZoom: C.view.max, maxNativeZoom: 19})
      : L.layerGroup();
    baseNames[T["basemap_" + key]] = basemaps[key];
  });

  var unitLayers = {}, unitPolys = {district: {}, ward_2025: {}}, overlayNames = {};
  ["district", "ward_2025"].forEach(function (level) {
    var group = L.featureGroup(), info = U[level];
    unitLayers[level] = group;
    overlayNames[T["boundaries_" + level] + (info && info.approximate ? " (" + T.approximate + ")" : "")] = group;
    if (!info) { return; }
    info.u.forEach(function (u) {
      var latlngs = u[2].map(function (polygon) {
        return polygon.map(function (ring) {
          var out = [], x = 0, y = 0;
          for (var k = 0; k < ring.length; k += 2) {
            x += ring[k]; y += ring[k + 1];
            out.push([y / U.scale, x / U.scale]);
          }
          return out;
        });
      });
      var poly = L.polygon(latlngs, {color: "#37474f", weight: 1.2, opacity: 0.8, fillColor: "#90a4ae",
        fillOpacity: 0.06, dashArray: info.approximate ? "4 3" : null, className: "cm-unit"});
      var tip = (lang === "en" ? u[1] : u[0]) + (info.approximate ? " (" + T.approximate + ")" : "");
      poly.bindTooltip(el("span", "", tip), {sticky: true});  // an element: Leaflet reads a string as HTML
      unitPolys[level][u[0]] = poly;
      group.addLayer(poly);
    });
  });
  L.control.layers(baseNames, overlayNames, {collapsed: true}).addTo(map);

  // The attribution names only what is shown: a basemap's once one of its tiles has loaded, the boundaries'
  // source while a unit layer is drawn. (creative_map.css keeps it clear of the scale bar.)
  Object.keys(basemaps).forEach(function (key) {
    var layer = basemaps[key], text = layer.getAttribution && layer.getAttribution();
    if (!text) { return; }
    layer.options.attribution = null;  // not added with the layer: only once a tile shows
    var credited = false;
    layer.on("tileload", function () {
      if (!credited && map.hasLayer(layer)) { credited = true; map.attributionControl.addAttribution(text); }
    });
    layer.on("remove", function () {
      if (credited) { credited = false; map.attributionControl.removeAttribution(text); }
    });
  });
  ["district", "ward_2025"].forEach(function (level) {
    unitLayers[level].on("add", function () { map.attributionControl.addAttribution(esc(T.attr_boundaries)); });
    unitLayers[level].on("remove", function () {
      map.attributionControl.removeAttribution(esc(T.attr_boundaries));
    });
  });

  var icons = {};
  function icon(cat, exact) {
    var k = cat + (exact ? "e" : "a");
    if (!icons[k]) {
      var c = C.cat[cat];
      icons[k] = L.divIcon({className: "cm-pin" + (exact ? "" : " cm-approx"),
        html: '<span aria-hidden="true" style="--cm:' + esc(c[0]) + '">' + esc(c[2]) + "</span>",
        iconSize: [24, 24], iconAnchor: [12, 12], popupAnchor: [0, -10]});
    }
    return icons[k];
  }

  // The cluster group goes on the map before its markers (markercluster's addLayers is quadratic otherwise).
  // Not chunked: a filter change during a chunked load would let the old chunks go on adding markers.
  var points = L.markerClusterGroup({chunkedLoading: false, showCoverageOnHover: false, maxClusterRadius: 45,
    spiderfyOnMaxZoom: true, disableClusteringAtZoom: 19});
  var shapes = L.featureGroup();
  shapes.addTo(map);
  points.addTo(map);
  spaces.forEach(function (s) {
    var r = s.r, exact = isExact(r), colour = C.cat[catId(r)][0];
    if (r[GEO]) {
      s.layer = L.geoJSON({type: "Feature", properties: {id: s.id}, geometry: r[GEO]}, {style: {color: colour,
        weight: 5, opacity: exact ? 0.9 : 0.6, dashArray: exact ? null : "8 6", fillColor: colour,
        fillOpacity: exact ? 0.25 : 0.12, className: "cm-shape"}});
    } else {
      s.layer = L.marker([r[LAT], r[LON]], {icon: icon(catId(r), exact), title: s.name, alt: s.name,
        riseOnHover: true});
    }
    s.layer.feature = {type: "Feature", properties: {id: s.id}};
    s.layer.on("click", function () { select(s.id, {view: false}); });
  });

  // ------------------------------------------------------------------------------------------- legend

  var legendBox = null;
  var legend = L.control({position: "bottomleft"});
  legend.onAdd = function (m) {
    legendBox = L.DomUtil.create("details", "cm-legend");
    legendBox.open = false;  // closed on every screen: it would hide markers and popups (opened by a click)
    legendBox.style.maxHeight = Math.max(120, m.getSize().y - 90) + "px";
    L.DomEvent.disableClickPropagation(legendBox);
    L.DomEvent.disableScrollPropagation(legendBox);
    return legendBox;
  };
  legend.addTo(map);

  function drawLegend(shown) {
    var counts = {};
    shown.forEach(function (s) { var c = catId(s.r); counts[c] = (counts[c] || 0) + 1; });
    var open = legendBox.open;
    legendBox.textContent = "";
    legendBox.appendChild(el("summary", "", T.legend));
    legendBox.appendChild(el("p", "cm-count", fmt(T.on_map, {n: shown.length})));
    var ul = el("ul");
    D.c.forEach(function (cat) {
      var n = counts[cat] || 0, li = el("li", n ? "" : "cm-zero");
      li.setAttribute("data-category", cat);
      li.appendChild(symbol(cat, true));
      li.appendChild(document.createTextNode(C.cat[cat][1] + " (" + n + ")"));
      ul.appendChild(li);
    });
    var approx = el("li");
    approx.appendChild(symbol("other", false));
    approx.appendChild(document.createTextNode(T.approx_symbol));
    ul.appendChild(approx);
    legendBox.appendChild(ul);
    if (state.layer !== "none") { legendBox.appendChild(el("p", "cm-bnd", C.bnd[state.layer])); }
    legendBox.open = open;
  }

  // -------------------------------------------------------------------------------------------- state

  var state = {q: "", cats: null, level: "", unit: "", layer: "district", basemap: "osm", sel: ""};
  var search = document.getElementById("cm-search"), levelSelect = document.getElementById("cm-level");
  var unitSelect = document.getElementById("cm-unit"), catBox = document.getElementById("cm-cats");
  var countEl = document.getElementById("cm-count"), results = document.getElementById("cm-results");
  var langLink = document.getElementById("cm-lang");
  var catInputs = {};

  D.c.forEach(function (cat) {
    var n = spaces.filter(function (s) { return catId(s.r) === cat; }).length;
    if (!n) { return; }
    var lab = el("label", "cm-cat"), input = el("input");
    input.type = "checkbox"; input.value = cat; input.checked = true;
    input.addEventListener("change", function () {
      var chosen = D.c.filter(function (c) { return catInputs[c] && catInputs[c].checked; });
      state.cats = chosen.length === Object.keys(catInputs).length ? null : chosen;
      update({fit: false});
    });
    catInputs[cat] = input;
    lab.appendChild(input);
    lab.appendChild(symbol(cat, true));
    lab.appendChild(document.createTextNode(C.cat[cat][1] + " (" + n + ")"));
    catBox.appendChild(lab);
  });

  function fillUnits() {
    var units = state.level === "district" ? D.d : state.level === "ward_2025" ? D.w : [];
    var key = state.level === "district" ? DIS : WAR;
    unitSelect.textContent = "";
    var none = el("option", "", T.choose);
    none.value = "";
    unitSelect.appendChild(none);
    units.map(function (u, i) {
      return {u: u, n: spaces.filter(function (s) { return s.r[key] === i; }).length};
    }).sort(function (a, b) {
      var x = lang === "en" ? a.u[1] : a.u[0], y = lang === "en" ? b.u[1] : b.u[0];
      return collator.compare(x, y);
    }).forEach(function (item) {
      var o = el("option", "", (lang === "en" ? item.u[1] : item.u[0]) + " (" + item.n + ")");
      o.value = item.u[0];
      unitSelect.appendChild(o);
    });
    unitSelect.disabled = !state.level;
    unitSelect.value = state.unit;
    if (unitSelect.value !== state.unit) { state.unit = ""; unitSelect.value = ""; }
  }

  function unitIndex() {
    if (!state.level || !state.unit) { return -1; }
    var units = state.level === "district" ? D.d : D.w;
    for (var i = 0; i < units.length; i++) { if (units[i][0] === state.unit) { return i; } }
    return -2;  // a unit the data has no space in: nothing matches
  }

  /* The spaces the choices select: the same rule as creative_map.query.filter_spaces. */
  function matching() {
    var words = fold(state.q).replace(/\|/g, " ").split(" ").filter(Boolean);
    var ui = unitIndex(), key = state.level === "district" ? DIS : WAR;
    return spaces.filter(function (s) {
      if (state.cats && state.cats.indexOf(catId(s.r)) < 0) { return false; }
      if (ui !== -1 && s.r[key] !== ui) { return false; }
      for (var k = 0; k < words.length; k++) { if (s.folded.indexOf(words[k]) < 0) { return false; } }
      return true;
    });
  }

  // ---------------------------------------------------------------------------------------- the address

  var writtenHash = null;
  function enc(v) { return encodeURIComponent(v).replace(/%2C/g, ",").replace(/%2F/g, "/").replace(/%3A/g, ":"); }
  function readHash() {
    var out = {}, h = location.hash.replace(/^#/, "");
    if (!h) { return out; }
    h.split("&").forEach(function (part) {
      var k = part.indexOf("="), key = k < 0 ? part : part.slice(0, k), value = k < 0 ? "" : part.slice(k + 1);
      try { out[key] = decodeURIComponent(value.replace(/\+/g, " ")); } catch (e) { /* a broken value is ignored */ }
    });
    return out;
  }
  function hashOf() {
    var c = map.getCenter(), parts = ["map=" + map.getZoom() + "/" + c.lat.toFixed(5) + "/" + c.lng.toFixed(5)];
    if (state.q) { parts.push("q=" + enc(state.q)); }
    if (state.cats) { parts.push("cat=" + enc(state.cats.join(","))); }
    if (state.level && state.unit) {
      parts.push((state.level === "district" ? "district" : "ward") + "=" + enc(state.unit));
    } else if (state.level) {
      parts.push("units=" + state.level);
    }
    if (state.layer !== (state.level || "district")) { parts.push("layer=" + state.layer); }
    if (state.basemap !== "osm") { parts.push("basemap=" + state.basemap); }
    if (state.sel) { parts.push("sel=" + enc(state.sel)); }
    return parts.join("&");
  }
  function writeHash() {
    if (!ready) { return; }
    var h = hashOf();
    langLink.href = C.other + "#" + h;
    if (h === writtenHash) { return; }
    writtenHash = h;
    try { history.replaceState(null, "", "#" + h); } catch (e) { location.replace("#" + h); }
  }

  function applyHash(h) {
    state.q = h.q || "";
    var cats = (h.cat || "").split(",").filter(function (c) { return D.c.indexOf(c) >= 0; });
    // cat= (empty): none; unknown categories only: ignored, as the app ignores a bad parameter.
    state.cats = h.cat === undefined ? null : h.cat === "" ? [] : cats.length ? cats : null;
    state.level = h.district !== undefined ? "district" : h.ward !== undefined ? "ward_2025" :
      (h.units === "district" || h.units === "ward_2025" ? h.units : "");
    state.unit = h.district !== undefined ? h.district : h.ward !== undefined ? h.ward : "";
    state.layer = ["district", "ward_2025", "none"].indexOf(h.layer) >= 0 ? h.layer : state.level || "district";
    state.basemap = C.tiles.hasOwnProperty(h.basemap) ? h.basemap : "osm";
    search.value = state.q;
    Object.keys(catInputs).forEach(function (c) { catInputs[c].checked = !state.cats || state.cats.indexOf(c) >= 0; });
    levelSelect.value = state.level;
    fillUnits();
  }

  // ------------------------------------------------------------------------------------------ drawing

  var shownList = [];
  function update(opts) {
    var shown = matching();
    shownList = shown;
    if (opts && opts.fit) { fit(shown); }  // before the markers are added: clustered once, at the new zoom
    var pointLayers = [], shapeLayers = [];
    spaces.forEach(function (s) { s.shown = false; });
    shown.forEach(function (s) { s.shown = true; (s.r[GEO] ? shapeLayers : pointLayers).push(s.layer); });
    points.clearLayers();
    shapes.clearLayers();
    points.addLayers(pointLayers, true);
    shapeLayers.forEach(function (l) { shapes.addLayer(l); });
    if (state.sel && !byId[state.sel].shown) { clearSelection(); }
    var drawn = points.getLayers().length + shapes.getLayers().length;
    container.setAttribute("data-cm-count", String(drawn));
    countEl.textContent = fmt(T.count, {shown: shown.length, total: D.n});
    drawLegend(shown);
    drawList(shown);
    showLayer();
    if (!performance.getEntriesByName("cm-drawn").length) { performance.mark("cm-drawn"); }  // for benchmarks
    writeHash();
  }

  function fit(shown) {
    var poly = state.unit && unitPolys[state.level] && unitPolys[state.level][state.unit];
    if (poly) { map.fitBounds(poly.getBounds(), {padding: [20, 20], animate: false}); return; }
    var bounds = L.latLngBounds([]);
    shown.forEach(function (s) { bounds.extend(s.r[GEO] ? s.layer.getBounds() : s.layer.getLatLng()); });
    if (bounds.isValid()) {
      map.fitBounds(bounds, {padding: [20, 20], maxZoom: C.view.focus, animate: false});
    } else {
      map.setView(C.view.centre, 11, {animate: false});
    }
  }

  function showLayer() {
    ["district", "ward_2025"].forEach(function (level) {
      var on = state.layer === level;
      if (on && !map.hasLayer(unitLayers[level])) { unitLayers[level].addTo(map); unitLayers[level].bringToBack(); }
      if (!on && map.hasLayer(unitLayers[level])) { map.removeLayer(unitLayers[level]); }
      Object.keys(unitPolys[level]).forEach(function (name) {
        var chosen = level === state.level && name === state.unit;
        unitPolys[level][name].setStyle({weight: chosen ? 3 : 1.2, fillOpacity: chosen ? 0.12 : 0.06});
      });
    });
    Object.keys(basemaps).forEach(function (key) {
      var on = state.basemap === key;
      if (on && !map.hasLayer(basemaps[key])) { basemaps[key].addTo(map); }
      if (!on && map.hasLayer(basemaps[key])) { map.removeLayer(basemaps[key]); }
    });
  }

  function drawList(shown) {
    results.textContent = "";
    if (!shown.length) { results.appendChild(el("li", "cm-none", T.no_results)); return; }
    var sorted = byName.filter(function (s) { return s.shown; });
    sorted.slice(0, LIST_MAX).forEach(function (s) {
      var li = el("li"), b = el("button", "cm-item");
      b.type = "button";
      b.setAttribute("data-id", s.id);
      b.appendChild(symbol(catId(s.r), isExact(s.r)));
      b.appendChild(document.createTextNode(s.name));
      b.addEventListener("click", function () { select(s.id, {view: true}); });
      li.appendChild(b);
      results.appendChild(li);
    });
    if (sorted.length > LIST_MAX) {
      results.appendChild(el("li", "cm-more", fmt(T.site_more, {n: sorted.length - LIST_MAX})));
    }
  }

  // ---------------------------------------------------------------------------------------- selection

  var selMarker = null;
  function clearSelection() {
    var marker = selMarker;
    state.sel = "";
    selMarker = null;
    if (marker) { map.removeLayer(marker); }
    writeHash();
  }

  /* Popup options that fit the map (a phone's too): no wider than the map less the zoom buttons, no taller
   * than the map, panned clear of the zoom buttons and the attribution. */
  function popupOptions(autoPan) {
    var size = map.getSize(), zoom = map.zoomControl.getContainer(), attr = map.attributionControl.getContainer();
    var corner = container.querySelector(".leaflet-top.leaflet-right");  // the layer switch
    var left = zoom.offsetWidth ? Math.min(zoom.offsetLeft + zoom.offsetWidth + 8, 70) : 10;
    var top = corner && corner.offsetHeight ? Math.min(corner.offsetTop + corner.offsetHeight + 6, 80) : 10;
    var bottom = attr.offsetHeight ? Math.min(attr.offsetHeight + 8, 80) : 10;
    var maxWidth = Math.max(120, Math.min(340, size.x - left - 10 - 46));
    return {maxWidth: maxWidth, minWidth: Math.min(200, maxWidth), maxHeight: Math.max(120, Math.min(360,
      size.y - top - bottom - 60)), autoPan: autoPan, autoPanPaddingTopLeft: L.point(left, top),
      autoPanPaddingBottomRight: L.point(10, bottom)};
  }

  /* Select a space: a marker above the others, its full details in an open popup, its id in the address.
   * opts.view: centre on it (and zoom in to at least C.view.focus); opts.autoPan: false keeps the view as is. */
  function select(id, opts) {
    var s = byId[id];
    opts = opts || {};
    if (!s) { return false; }
    if (!s.shown) { resetChoices(); }
    if (selMarker) { clearSelection(); }
    var r = s.r, c = C.cat[catId(r)], exact = isExact(r), ll = L.latLng(r[LAT], r[LON]);
    state.sel = id;
    selMarker = L.marker(ll, {zIndexOffset: 10000, title: s.name, alt: s.name, keyboard: true,
      icon: L.divIcon({className: "cm-pin cm-selected" + (exact ? "" : " cm-approx"),
        html: '<span aria-hidden="true" style="--cm:' + esc(c[0]) + '">' + esc(c[2]) + "</span>", iconSize: [34, 34],
        iconAnchor: [17, 17], popupAnchor: [0, -14]})});
    var box = el("div", "cm-popup cm-popup-full");
    box.setAttribute("data-id", id);
    box.appendChild(details(s));
    box.appendChild(links(s));
    selMarker.bindPopup(box, popupOptions(opts.autoPan !== false));
    var marker = selMarker;
    marker.on("popupclose", function () { if (selMarker === marker) { clearSelection(); } });
    marker.addTo(map);
    if (opts.view) { map.setView(ll, Math.max(map.getZoom(), C.view.focus), {animate: false}); }
    marker.openPopup();
    writeHash();
    return true;
  }

  function resetChoices() {
    state.q = ""; state.cats = null; state.level = ""; state.unit = "";
    search.value = "";
    Object.keys(catInputs).forEach(function (c) { catInputs[c].checked = true; });
    levelSelect.value = "";
    fillUnits();
    update({fit: false});
  }

  // -------------------------------------------------------------------------------------- what's on

  function whatsOn() {
    var list = document.getElementById("cm-events"), d = new Date();
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    var today = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
    var upcoming = D.e.filter(function (ev) { return ev[E_END] >= today; }).sort(function (a, b) {
      return a[E_START] < b[E_START] ? -1 : a[E_START] > b[E_START] ? 1 : a[E_ID] < b[E_ID] ? -1 : 1;
    }).slice(0, EVENTS_MAX);
    list.textContent = "";
    if (!upcoming.length) { list.appendChild(el("li", "cm-none", T.site_no_upcoming)); return; }
    upcoming.forEach(function (ev) {
      var li = el("li"), web = ev[E_WEB], name = names(ev[E_NVI], ev[E_NEN])[0];
      li.setAttribute("data-event", ev[E_ID]);
      li.appendChild(el("span", "cm-when", when(ev)));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(typeof web === "string" && web ? link(web, name) : el("span", "cm-ev-name", name));
      ev[E_SPACES].forEach(function (i) {
        var b = el("button", "cm-place", spaces[i].name);
        b.type = "button";
        b.setAttribute("data-id", spaces[i].id);
        b.addEventListener("click", function () { select(spaces[i].id, {view: true}); });
        li.appendChild(document.createTextNode(" "));
        li.appendChild(b);
      });
      list.appendChild(li);
    });
  }

  // ------------------------------------------------------------------------------------------ wiring

  var ready = false, typing = null;
  search.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { state.q = search.value; update({fit: false}); }, 120);
  });
  levelSelect.addEventListener("change", function () {
    state.level = levelSelect.value;
    state.unit = "";
    if (state.level) { state.layer = state.level; }
    fillUnits();
    update({fit: false});
  });
  unitSelect.addEventListener("change", function () {
    state.unit = unitSelect.value;
    update({fit: true});
  });
  document.getElementById("cm-reset").addEventListener("click", function () {
    resetChoices();
    fit(shownList);
  });
  map.on("moveend", writeHash);
  map.on("overlayadd", function (e) {
    state.layer = e.layer === unitLayers.ward_2025 ? "ward_2025" : "district";
    showLayer(); drawLegend(shownList); writeHash();
  });
  map.on("overlayremove", function (e) {
    if (e.layer === unitLayers[state.layer]) { state.layer = "none"; drawLegend(shownList); writeHash(); }
  });
  map.on("baselayerchange", function (e) {
    Object.keys(basemaps).forEach(function (key) { if (basemaps[key] === e.layer) { state.basemap = key; } });
    writeHash();
  });

  /* Show what the address holds: the choices, then the view (or a fit), then the selection. */
  function restore() {
    var h = readHash();
    ready = false;
    if (selMarker) { var m = selMarker; selMarker = null; state.sel = ""; map.removeLayer(m); }
    applyHash(h);
    // The view first, then the spaces: markercluster then clusters them once, at the zoom they are seen at.
    var shown = matching(), sel = h.sel && byId[h.sel] && shown.indexOf(byId[h.sel]) >= 0 ? byId[h.sel] : null;
    var view = /^(\d{1,2})\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec(h.map || "");
    if (view) {
      map.setView([parseFloat(view[2]), parseFloat(view[3])], Math.min(parseInt(view[1], 10), C.view.max),
        {animate: false});
    } else if (sel) {
      map.setView([sel.r[LAT], sel.r[LON]], C.view.focus, {animate: false});
    } else {
      fit(shown);
    }
    update({fit: false});
    ready = true;
    if (sel) { select(sel.id, {view: false, autoPan: !view}); }  // a shared view is kept as it was
    writeHash();
  }
  window.addEventListener("hashchange", function () {
    if (location.hash.replace(/^#/, "") !== writtenHash) { restore(); }
  });

  whatsOn();
  restore();

  root.creativeMapSite = {
    map: map, fold: fold, state: state,
    shownIds: function () { return shownList.map(function (s) { return s.id; }); },
    drawnIds: function () {
      var ids = [];
      points.getLayers().concat(shapes.getLayers()).forEach(function (l) { ids.push(l.feature.properties.id); });
      return ids.sort();
    },
    details: function (id) { return byId[id] ? details(byId[id]) : null; },
    select: select
  };
})(window);
