/* creative_map: the drawing code of the map of Hanoi's creative spaces.
 *
 * Loaded once per page, after Leaflet (and Leaflet.markercluster; served by the app, or inlined in a
 * self-contained HTML map). The page that creative_map.mapping writes only calls into it, one line per
 * element:
 *
 *   creativeMap.spacesLayer(map, data)      every space of a self-contained map: points, lines and areas
 *   creativeMap.legend(map, html)           the legend, a Leaflet control
 *   creativeMap.appLayer(map, data)         the app's map: the spaces fetched once from a static data file
 *   creativeMap.appView(group, view)        what one rerun of the app shows (swapped without a new frame)
 *   creativeMap.selectedSpace(layer, data)  the selected space, centred, its full popup opened
 *   creativeMap.positionPicker(layer, data) one space's current and proposed positions (Suggest, Review)
 *
 * Points are circles drawn on one canvas (a space's symbol inside its category's colour; hollow and dashed
 * when the position is not exact), clustered only when many are shown; lines and areas are paths. One popup
 * serves every space. Text from the data is only ever set with textContent; innerHTML receives nothing but
 * HTML that the server escaped (a space's full details, the legend). Plain ES5 syntax (fetch and
 * DecompressionStream are used where the browser has them), so that every browser runs it.
 */
(function (root) {
  "use strict";

  var RADIUS = 9;            // px: a point's circle
  var CLUSTER_ABOVE = 2000;  // more points than this are clustered (below CLUSTER_UNTIL_ZOOM) ...
  var CLUSTER_UNTIL_ZOOM = 16;  // ... and drawn one by one from this zoom on
  var FONT = "bold 11px 'DejaVu Sans', sans-serif";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }
    return e;
  }

  /* A link to another page of the app ("suggest?space=..", relative to the app's address). In the app the map
   * sits in a sandboxed frame that may not navigate the page: the link resolves against the app's page and
   * opens in a new tab. */
  function appLink(a, href) {
    var base = document.baseURI;
    try {
      if (window.parent !== window) { base = window.parent.location.href; }
    } catch (e) { /* a page of another origin: keep this document's address */ }
    a.href = new URL(href, base).href;
    a.target = "_blank";
    a.rel = "noopener";
  }

  function fixAppLinks(box) {
    var links = box.querySelectorAll("a.cm-suggest-link");
    for (var i = 0; i < links.length; i++) { appLink(links[i], links[i].getAttribute("href")); }
  }

  /* A circle on the canvas with the category's symbol inside (Leaflet draws the circle; the symbol follows). */
  var Pin = root.L && L.CircleMarker.extend({
    _updatePath: function () {
      var renderer = this._renderer;
      renderer._updateCircle(this);
      if (!renderer._drawing || !renderer._ctx || this._empty() || !this.options.glyph) { return; }
      var ctx = renderer._ctx, p = this._point;
      ctx.globalAlpha = 1;
      ctx.fillStyle = this.options.glyphColor;
      ctx.font = FONT;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(this.options.glyph, p.x, p.y + 0.5);
    }
  });

  /* The spaces, from the compact rows of creative_map.mapping.space_rows and the labels of payload_meta:
   * D.c categories [colour, label, symbol]; D.s status labels; D.p precision labels; D.x the index of "exact"
   * in D.p; D.t texts; D.u the app's Suggest page ("{id}" for the space's id; "" outside the app: then no
   * invitation to suggest the exact position); D.lang. A row: [id, name_vi, name_en, category, status,
   * precision, address, lat, lon, geometry or 0(, details html)]. Layers are made when first shown; each
   * carries feature.properties.id (a click reports the space's id to the app). */
  function Spaces(map, D) {
    var self = this;
    root.creativeMap.maps.push(map);
    this.map = map;
    this.D = D;
    this.rows = [];
    this.layers = [];
    this.shown = 0;
    if (!map.getPane("cmPoints")) { map.createPane("cmPoints").style.zIndex = 450; }
    this.renderer = L.canvas({pane: "cmPoints", padding: 0.2, tolerance: 3});
    this.points = L.featureGroup().addTo(map);
    this.shapes = L.featureGroup().addTo(map);
    // On the map before any marker is added: addLayers on a group not on the map is quadratic.
    this.cluster = L.markerClusterGroup ? L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 45,
      spiderfyOnMaxZoom: true, disableClusteringAtZoom: CLUSTER_UNTIL_ZOOM, chunkedLoading: false}).addTo(map) : null;
    this.popup = L.popup({maxWidth: 320, minWidth: 200, offset: [0, -4]});
    this.tooltip = L.tooltip({direction: "top", offset: [0, -RADIUS], className: "cm-tip"});
    function open(e) { self.open(e); }
    function hover(e) { self.hover(e); }
    function leave() { map.closeTooltip(self.tooltip); }
    var groups = [this.points, this.shapes, this.cluster];
    for (var g = 0; g < groups.length; g++) {
      if (groups[g]) { groups[g].on("click", open).on("mouseover", hover).on("mouseout", leave); }
    }
  }

  Spaces.prototype.names = function (r) {
    var D = this.D;
    var a = D.lang === "en" ? (r[2] || r[1]) : (r[1] || r[2]);
    var b = D.lang === "en" ? r[1] : r[2];
    return [a, b && b !== a ? b : ""];
  };

  Spaces.prototype.layer = function (i) {
    if (this.layers[i]) { return this.layers[i]; }
    var D = this.D, r = this.rows[i], exact = r[5] === D.x, colour = D.c[r[3]][0], layer;
    var feature = {type: "Feature", properties: {id: r[0]}};
    if (r[9]) {
      feature.geometry = r[9];
      layer = L.geoJSON(feature, {style: {color: colour, weight: 5, opacity: exact ? 0.9 : 0.6,
        dashArray: exact ? null : "8 6", fillColor: colour, fillOpacity: exact ? 0.25 : 0.12, className: "cm-shape"},
        onEachFeature: function (f, part) { part.cmIndex = i; }});
    } else {
      layer = new Pin([r[7], r[8]], exact
        ? {renderer: this.renderer, radius: RADIUS, color: "#ffffff", weight: 2, opacity: 1, fillColor: colour,
          fillOpacity: 1, glyph: D.c[r[3]][2], glyphColor: "#ffffff"}
        : {renderer: this.renderer, radius: RADIUS, color: colour, weight: 2, opacity: 0.9, dashArray: "3 3",
          fillColor: "#ffffff", fillOpacity: 0.85, glyph: D.c[r[3]][2], glyphColor: colour});
      layer.feature = feature;
    }
    layer.cmIndex = i;
    this.layers[i] = layer;
    return layer;
  };

  Spaces.prototype.popupContent = function (r) {
    var D = this.D, cats = D.c, box = el("div", "cm-popup");
    if (r.length > 10) { box.innerHTML = r[10]; fixAppLinks(box); return box; }
    var n = this.names(r), exact = r[5] === D.x;
    box.appendChild(el("p", "cm-name", n[0]));
    if (n[1]) { box.appendChild(el("p", "cm-alt", n[1])); }
    var meta = el("div", "cm-meta"), sym = el("span", "cm-sym" + (exact ? "" : " cm-approx"), cats[r[3]][2]);
    sym.style.background = cats[r[3]][0]; sym.style.borderColor = cats[r[3]][0];
    if (!exact) { sym.style.color = cats[r[3]][0]; }
    meta.appendChild(sym);
    meta.appendChild(document.createTextNode(cats[r[3]][1] + " · " + D.s[r[4]]));
    box.appendChild(meta);
    if (r[6]) { box.appendChild(el("div", "cm-addr", r[6])); }
    if (!exact) { box.appendChild(el("div", "cm-prec", D.p[r[5]])); }
    if (!exact && D.u) {
      var ask = el("p", "cm-suggest", D.t.ask + " "), link = el("a", "cm-suggest-link", D.t.suggest);
      appLink(link, D.u.replace("{id}", encodeURIComponent(r[0])));
      ask.appendChild(link);
      box.appendChild(ask);
    }
    if (D.t.more) { box.appendChild(el("div", "cm-hint", D.t.more)); }
    return box;
  };

  Spaces.prototype.indexOf = function (e) {
    var layer = e.layer || e.propagatedFrom;
    return layer && typeof layer.cmIndex === "number" ? layer.cmIndex : -1;
  };

  Spaces.prototype.open = function (e) {
    var i = this.indexOf(e);
    if (i < 0) { return; }
    var r = this.rows[i], at = r[9] ? e.latlng : L.latLng(r[7], r[8]);
    this.map.closeTooltip(this.tooltip);
    this.popup.setLatLng(at).setContent(this.popupContent(r)).openOn(this.map);
  };

  Spaces.prototype.hover = function (e) {
    var i = this.indexOf(e);
    if (i < 0 || this.map.hasLayer(this.popup)) { return; }
    var r = this.rows[i];
    this.tooltip.setLatLng(r[9] ? e.latlng : L.latLng(r[7], r[8])).setContent(el("span", "", this.names(r)[0]));
    this.map.openTooltip(this.tooltip);
  };

  /* Draw the rows `idx` (indexes into this.rows), and only those; returns how many layers are on the map. */
  Spaces.prototype.show = function (idx) {
    var points = [], shapes = [], i, layer;
    for (i = 0; i < idx.length; i++) {
      layer = this.layer(idx[i]);
      (this.rows[idx[i]][9] ? shapes : points).push(layer);
    }
    this.map.closePopup(this.popup);
    this.shapes.clearLayers();
    for (i = 0; i < shapes.length; i++) { this.shapes.addLayer(shapes[i]); }
    this.points.clearLayers();
    if (this.cluster) { this.cluster.clearLayers(); }
    if (this.cluster && points.length > CLUSTER_ABOVE) {
      this.cluster.addLayers(points);  // the group is on the map: linear
    } else {
      for (i = 0; i < points.length; i++) { this.points.addLayer(points[i]); }
    }
    this.shown = points.length + shapes.length;
    this.map.getContainer().setAttribute("data-cm-drawn", String(this.shown));
    return this.shown;
  };

  /* The bounds of the rows `idx`, or null when there is none. */
  Spaces.prototype.bounds = function (idx) {
    var b = null, i, r;
    for (i = 0; i < idx.length; i++) {
      r = this.rows[idx[i]];
      if (r[9]) {
        var shape = this.layer(idx[i]).getBounds();
        b = b ? b.extend(shape) : L.latLngBounds(shape.getSouthWest(), shape.getNorthEast());
      } else {
        b = b ? b.extend([r[7], r[8]]) : L.latLngBounds([r[7], r[8]], [r[7], r[8]]);
      }
    }
    return b;
  };

  /* Whether any of the rows `idx` lies in the map's current view. */
  Spaces.prototype.anyInView = function (idx) {
    var view = this.map.getBounds();
    for (var i = 0; i < idx.length; i++) {
      var r = this.rows[idx[i]];
      if (view.contains([r[7], r[8]])) { return true; }
    }
    return false;
  };

  function now() {
    return root.performance ? root.performance.now() : new Date().getTime();
  }

  function allRows(n) {
    var idx = new Array(n);
    for (var i = 0; i < n; i++) { idx[i] = i; }
    return idx;
  }

  /* A self-contained map's spaces, every row shown. The map's container gets the number of spaces in its
   * data-cm-count attribute (and data-cm-drawn, the layers drawn). Returns the Spaces. */
  function spacesLayer(map, D) {
    var spaces = new Spaces(map, D);
    spaces.rows = D.f;
    map.getContainer().setAttribute("data-cm-count", String(D.f.length));
    spaces.show(allRows(D.f.length));
    return spaces;
  }

  /* The legend (html: its inner HTML, escaped by the server), folded on a small map. Returns the control. */
  function legend(map, html) {
    var control = L.control({position: "bottomleft"});
    control.onAdd = function (m) {
      var box = L.DomUtil.create("details", "cm-legend");
      box.innerHTML = html;
      box.open = m.getSize().x >= 600;
      box.style.maxHeight = Math.max(120, m.getSize().y - 90) + "px";
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
    return control;
  }

  /* Fetch a static data file of the app: src.gz (sent as it lies on disk, decompressed here) when the browser
   * can decompress, else src.json. Resolves to the parsed JSON. */
  function fetchJSON(src) {
    var early = root.cmPrefetch || {};
    function get(url) {  // the response prefetch.js asked for already, else a new request
      var started = early[url];
      delete early[url];
      return started || fetch(url);
    }
    function plain() {
      return get(src.json).then(function (response) {
        if (!response.ok) { throw new Error(response.status + " " + src.json); }
        return response.json();
      });
    }
    if (!src.gz || typeof root.DecompressionStream === "undefined" || typeof root.Response === "undefined") {
      return plain();
    }
    return get(src.gz).then(function (response) {
      if (!response.ok || !response.body) { throw new Error(response.status + " " + src.gz); }
      return new Response(response.body.pipeThrough(new root.DecompressionStream("gzip"))).json();
    })["catch"](plain);
  }

  /* Which rows a view shows (creative_map.mapfile.shown_code): "a" all; "r" + runs of hidden and shown rows
   * (base 36, "."-separated, starting with hidden); "b" + base64 of one bit per row. */
  function readShown(code, n) {
    var idx = [], i, k, at = 0;
    if (code === "a") { return allRows(n); }
    if (code.charAt(0) === "r") {
      var runs = code.slice(1).split(".");
      for (k = 0; k < runs.length; k++) {
        var run = parseInt(runs[k], 36);
        if (k % 2) { for (i = at; i < at + run && i < n; i++) { idx.push(i); } }
        at += run;
      }
      return idx;
    }
    var bytes = root.atob(code.slice(1));
    for (i = 0; i < n; i++) {
      if (bytes.charCodeAt(i >> 3) & (1 << (i & 7))) { idx.push(i); }
    }
    return idx;
  }

  /* The app's map. A: {data: {gz, json} (the spaces' rows, fetched once), n (rows expected), meta
   * (payload_meta)}. Nothing is drawn until the first appView arrives and the rows are there. The map's
   * container says what it shows: data-cm-state (loading, ready, failed), data-cm-count (spaces the app
   * selected), data-cm-drawn (layers drawn). Returns the app's state (also map.cmApp). */
  function appLayer(map, A) {
    var container = map.getContainer();
    if (!map.getPane("cmUnits")) { map.createPane("cmUnits").style.zIndex = 350; }
    var app = map.cmApp = {A: A, spaces: new Spaces(map, A.meta), loaded: false, view: null, shownCode: null,
      first: true, focused: null, units: {}, unitsKey: "", unitsLayer: null,
      legend: legend(map, "<summary>" + "</summary>"), times: {start: now()}};
    container.setAttribute("data-cm-state", "loading");
    fetchJSON(A.data).then(function (body) {
      app.times.loaded = now();
      if (!body || body.v !== 1 || body.f.length !== A.n) { throw new Error("unexpected data file"); }
      app.spaces.rows = body.f;
      app.loaded = true;
      container.setAttribute("data-cm-state", "ready");
      if (app.view) { applyView(map, app.view); }
    })["catch"](function (err) {
      container.setAttribute("data-cm-state", "failed");
      var box = app.legend.getContainer();
      if (box) { box.open = true; box.appendChild(el("p", "cm-failed", A.meta.t.failed)); }
      if (root.console) { root.console.error("creative_map: the spaces could not be loaded", err); }
    });
    return app;
  }

  function unitsLayer(data, approximate) {
    return L.geoJSON(data, {pane: "cmUnits", style: {color: "#37474f", weight: 1.2, opacity: 0.8, fillColor: "#90a4ae",
      fillOpacity: 0.06, dashArray: approximate ? "4 3" : null},
      onEachFeature: function (feature, part) {
        var text = feature.properties && feature.properties.label;
        if (text) {
          part.bindTooltip(function () { return el("span", "", text); }, {sticky: true});
        }
        part.on("mouseover", function () { part.setStyle({weight: 2.5, fillOpacity: 0.15}); });
        part.on("mouseout", function () { part.setStyle({weight: 1.2, fillOpacity: 0.06}); });
      }});
  }

  function showUnits(map, app, B) {
    var key = B ? B.json : "";
    if (app.unitsKey === key) { return; }
    app.unitsKey = key;
    if (app.unitsLayer) { map.removeLayer(app.unitsLayer); app.unitsLayer = null; }
    if (!B) { return; }
    if (!app.units[key]) {
      app.units[key] = fetchJSON(B).then(function (data) { return unitsLayer(data, B.approx); });
    }
    app.units[key].then(function (layer) {
      if (app.unitsKey === key && !app.unitsLayer) { app.unitsLayer = layer.addTo(map); }
    })["catch"](function (err) {
      if (root.console) { root.console.error("creative_map: the boundaries could not be loaded", err); }
    });
  }

  function applyView(map, V) {
    var app = map.cmApp, container = map.getContainer();
    app.view = V;
    var box = app.legend.getContainer();
    if (box && box.cmHtml !== V.l) {
      var open = box.open;
      box.innerHTML = V.l;
      box.open = open;
      box.cmHtml = V.l;
    }
    showUnits(map, app, V.b);
    if (!V.s) { app.focused = null; }
    container.setAttribute("data-cm-count", String(V.n));
    if (!app.loaded) { return; }
    var spaces = app.spaces, idx = readShown(V.m, spaces.rows.length);
    if (app.shownCode !== V.m) {
      var started = now();
      spaces.show(idx);
      app.shownCode = V.m;
      app.times.drawn = now();
      app.times.draw = app.times.drawn - started;
    }
    // The view stays as the person left it; only the first view, or one with nothing shown in sight, fits.
    if (!V.s && idx.length && (app.first || !spaces.anyInView(idx))) {
      var b = spaces.bounds(idx);
      if (b) { map.fitBounds(b, {maxZoom: 16, padding: [20, 20], animate: false}); }
    }
    app.first = false;
  }

  /* What one rerun of the app shows. V: {n (spaces selected), m (readShown code), l (the legend's HTML,
   * escaped by the server), b ({gz, json, approx} of the boundary layer, or null), s (the selected id, or
   * null)}. Applied when `group` is added to the map (st_folium adds it, and removes the previous one). */
  function appView(group, V) {
    group.on("add", function () {
      var map = group._map;
      if (map && map.cmApp) { applyView(map, V); }
    });
    return group;
  }

  /* The selected space, above the others, added to `layer` (the map or a feature group). Once added, the map
   * centres on it, zooms in to at least S.zoom and opens its full popup (S.html, escaped by the server) - in
   * the app only the first time it is selected, so a later filter change keeps the view as it is.
   * S: {location: [lat, lon], symbol, colour, exact, title, id, html, zoom}. Returns the marker. */
  function selectedSpace(layer, S) {
    var span = document.createElement("span");
    span.textContent = S.symbol;
    span.style.setProperty("--cm", S.colour);
    var marker = L.marker(S.location, {zIndexOffset: 10000, title: S.title, alt: S.title,
      icon: L.divIcon({className: "cm-pin cm-selected" + (S.exact ? "" : " cm-approx"), html: span,
        iconSize: [34, 34], iconAnchor: [17, 17], popupAnchor: [0, -14]})});
    marker.feature = {type: "Feature", properties: {id: S.id}};
    var box = document.createElement("div");
    box.className = "cm-popup cm-popup-full";
    box.innerHTML = S.html;
    fixAppLinks(box);
    marker.bindPopup(box, {maxWidth: 340, minWidth: 220, maxHeight: 300, autoPanPadding: [20, 20]});
    function focus() {
      var map = marker._map;
      if (!map) { return; }
      if (map.cmApp) {
        if (map.cmApp.focused === S.id) { return; }
        map.cmApp.focused = S.id;
      }
      map.setView(marker.getLatLng(), Math.max(map.getZoom(), S.zoom), {animate: false});
      marker.openPopup();
    }
    marker.on("add", function () {
      // Once the code that added it has finished: centre on the space, zoom in, open its popup.
      setTimeout(focus, 0);
    });
    marker.addTo(layer);
    return marker;
  }

  /* One space's positions, added to `layer` (the map, or the feature group the app hands to st_folium).
   * P: {current: [lat, lon] or null, proposed: [lat, lon] or null, shapes: {current, proposed} (GeoJSON of a
   * line or an area, or null), draggable, texts: {current, proposed}}.
   * The current position is a hollow dashed ring, the proposed one a solid diamond, each with its label (told
   * apart by shape and words, not only colour), joined by a dashed line. When P.draggable the proposed marker
   * (at the current position until one is proposed) can be dragged, a click on the map moves it, and a drag
   * ends with a "click" fired on the map at the marker's new place: st_folium reports map clicks to the app
   * as last_clicked, so a drag reaches Python exactly like a click. Returns the group. */
  function positionPicker(layer, P) {
    var group = L.featureGroup(), map = null, line = null, proposed = null;
    function label(marker, text, side) {
      marker.bindTooltip(text, {permanent: true, direction: side, offset: [side === "left" ? -14 : 14, 0],
        className: "cm-pos-label"});
      marker.on("add", function () {
        // Before Leaflet's style sheet has loaded a tooltip is as wide as the map, and a label on the left is
        // placed that far off: size it to its text now, then place it again.
        var tip = marker.getTooltip(), box = tip && tip.getElement();
        if (box) { box.style.position = "absolute"; box.style.whiteSpace = "nowrap"; tip.update(); }
      });
    }
    if (P.shapes && P.shapes.current) {
      group.addLayer(L.geoJSON(P.shapes.current, {interactive: false, style: {color: "#37474f", weight: 4,
        dashArray: "6 6", fillOpacity: 0.05, className: "cm-pos-shape-now"}}));
    }
    if (P.shapes && P.shapes.proposed) {
      group.addLayer(L.geoJSON(P.shapes.proposed, {interactive: false, style: {color: "#c2185b", weight: 4,
        fillOpacity: 0.15, className: "cm-pos-shape-new"}}));
    }
    if (P.current) {
      var now = L.marker(P.current, {interactive: false, keyboard: false, title: P.texts.current,
        icon: L.divIcon({className: "cm-pos cm-pos-now", html: "<span></span>", iconSize: [26, 26],
          iconAnchor: [13, 13]})});
      label(now, P.texts.current, "left");
      group.addLayer(now);
    }
    function join() {
      if (!P.current || !proposed) { return; }
      var points = [P.current, proposed.getLatLng()];
      if (line) { line.setLatLngs(points); return; }
      line = L.polyline(points, {interactive: false, color: "#263238", weight: 2, dashArray: "3 6"});
      group.addLayer(line);
    }
    function place(latlng) {
      if (proposed) { proposed.setLatLng(latlng); join(); return; }
      proposed = L.marker(latlng, {draggable: !!P.draggable, autoPan: true, zIndexOffset: 1000,
        title: P.texts.proposed, alt: P.texts.proposed, keyboard: !!P.draggable,
        icon: L.divIcon({className: "cm-pos cm-pos-new" + (P.draggable ? " cm-pos-drag" : ""),
          html: "<span></span>", iconSize: [24, 24], iconAnchor: [12, 12]})});
      label(proposed, P.texts.proposed, "right");
      proposed.on("drag", join);
      proposed.on("dragend", function () {
        if (map) { map.fire("click", {latlng: proposed.getLatLng(), cmDrag: true}); }
      });
      group.addLayer(proposed);
      join();
    }
    var start = P.proposed || (P.draggable ? P.current : null);
    if (start) { place(start); }
    function onMapClick(e) {
      if (!e.cmDrag) { place(e.latlng); }
    }
    group.on("add", function () {
      map = group._map;
      if (P.draggable) { map.on("click", onMapClick); }
      if (proposed && !map.getBounds().contains(proposed.getLatLng())) { map.panTo(proposed.getLatLng()); }
    });
    group.on("remove", function () {
      if (map && P.draggable) { map.off("click", onMapClick); }
      map = null;
    });
    group.addTo(layer);
    return group;
  }

  root.creativeMap = {spacesLayer: spacesLayer, legend: legend, appLayer: appLayer, appView: appView,
    selectedSpace: selectedSpace, positionPicker: positionPicker, readShown: readShown, maps: []};
})(window);
