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
 *   creativeMap.unitsLayer(map, data)       a self-contained map's unit boundaries, labelled where they fit
 *
 * Without basemap tiles (none chosen, or none loaded within TILE_WAIT_MS) the map says so on its container
 * (data-cm-tiles="none"), drops the tiles' attribution, and the app draws its default unit layer; units are
 * labelled where a label fits inside its unit on screen, and never over another label. Spaces at (nearly) the
 * same place, which no zoom separates, are spread around their place from SPREAD_ZOOM on, each on a thin leg.
 * Popups are sized to the map (a phone's too), and a popup offers directions and a link to the space.
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
  var TILE_WAIT_MS = 4000;   // no tile loaded by then: the map is drawn as one without tiles
  var SPREAD_PX = 34;        // px: spaces no zoom separates are spread on a circle this far from their place ...
  var SPREAD_ZOOM = 16;      // ... from this zoom on
  var SAME_PLACE_M = 3;      // m: spaces closer than this are "at the same place"
  var LABEL_FONT = "600 11px 'DejaVu Sans', sans-serif";

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

  /* Popup options that fit the map: no wider than the map less the zoom buttons and margins, no taller than
   * the map, and kept clear of the zoom buttons (left) and the attribution (bottom) when panned into view. */
  function popupOptions(map, wide) {
    var size = map.getSize(), left = 10, top = 10, bottom = 10;
    var zoom = map.zoomControl && map.zoomControl.getContainer();
    if (zoom && zoom.offsetWidth) { left = Math.min(zoom.offsetLeft + zoom.offsetWidth + 8, 70); }
    var corner = map.getContainer().querySelector(".leaflet-top.leaflet-right");  // the layer switch
    if (corner && corner.offsetHeight) { top = Math.min(corner.offsetTop + corner.offsetHeight + 6, 80); }
    var attr = map.attributionControl && map.attributionControl.getContainer();
    if (attr && attr.offsetHeight) { bottom = Math.min(attr.offsetHeight + 8, 80); }
    // Leaflet's popup: content margins 20 + 24 px, wrapper 1 + 1 px; its tip and offset about 30 px.
    var maxWidth = Math.max(120, Math.min(wide ? 340 : 320, size.x - left - 10 - 46));
    return {maxWidth: maxWidth, minWidth: Math.min(200, maxWidth), maxHeight: Math.max(120, size.y - top - bottom - 60),
      autoPan: true, autoPanPaddingTopLeft: L.point(left, top), autoPanPaddingBottomRight: L.point(10, bottom),
      keepInView: false};
  }

  /* Whether Leaflet's style sheet applies yet (before it does, controls and popups are as wide as the map). */
  function styled(map) {
    var corner = map.getContainer().querySelector(".leaflet-top");
    return !corner || root.getComputedStyle(corner).position === "absolute";
  }

  /* Watch the basemap's tiles: once one loads, data-cm-tiles="ok"; when the map has no tile layer, or none has
   * loaded within TILE_WAIT_MS (or they fail), data-cm-tiles="none", the tiles' attribution is removed (the map
   * names only what it shows) and every callback of map.cmOnNoTiles runs (the app then draws its unit layer). */
  function watchTiles(map) {
    if (map.cmTiles) { return; }
    var container = map.getContainer(), tiles = [], timer = null;
    map.cmTiles = "wait";
    map.cmOnNoTiles = map.cmOnNoTiles || [];
    map.eachLayer(function (l) { if (l instanceof L.TileLayer) { tiles.push(l); } });
    function attribution(on) {
      var control = map.attributionControl;
      for (var i = 0; control && i < tiles.length; i++) {
        var text = tiles[i].getAttribution && tiles[i].getAttribution();
        if (text) { (on ? control.addAttribution : control.removeAttribution).call(control, text); }
      }
    }
    function none() {
      if (map.cmTiles !== "wait") { return; }
      map.cmTiles = "none";
      container.setAttribute("data-cm-tiles", "none");
      attribution(false);
      for (var i = 0; i < map.cmOnNoTiles.length; i++) { map.cmOnNoTiles[i](); }
    }
    function loaded() {
      var was = map.cmTiles;
      map.cmTiles = "ok";
      container.setAttribute("data-cm-tiles", "ok");
      if (was === "none") { attribution(true); }
    }
    for (var i = 0; i < tiles.length; i++) {
      tiles[i].on("tileload", loaded);
      tiles[i].on("tileerror", function () {
        if (map.cmTiles === "wait" && !timer) { timer = setTimeout(none, 1000); }
      });
    }
    if (!tiles.length) { none(); } else { setTimeout(none, TILE_WAIT_MS); }
  }

  function onNoTiles(map, callback) {
    watchTiles(map);
    map.cmOnNoTiles.push(callback);
    if (map.cmTiles === "none") { callback(); }
  }

  function fixed(x) { return (Math.round(x * 1e5) / 1e5).toString(); }

  /* The directions links and the "copy link" button of a space at (lat, lon) (ids and texts set as text). */
  function linksBox(id, lat, lon, T) {
    var box = el("p", "cm-links"), to = fixed(lat) + "," + fixed(lon);
    function add(cls, href, text) {
      var a = el("a", cls, text);
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      box.appendChild(a);
      box.appendChild(document.createTextNode(" "));
    }
    add("cm-dir cm-dir-osm", "https://www.openstreetmap.org/directions?to=" + to, T.dir_osm);
    add("cm-dir cm-dir-google", "https://www.google.com/maps/dir/?api=1&destination=" + to,
      T.dir_google);
    var b = el("button", "cm-copy", T.copy_link);
    b.type = "button";
    b.setAttribute("data-cm-id", id);
    box.appendChild(b);
    return box;
  }

  /* The address of a space: in the app, its page with ?sel=<id> (the other parameters kept); elsewhere (the
   * offline map) this page with #sel=<id>. */
  function spaceLink(id) {
    var here = null;
    try {
      if (window.parent !== window) { here = new URL(window.parent.location.href); }
    } catch (e) { here = null; }
    if (here) {
      here.searchParams.set("sel", id);
      return here.href;
    }
    return location.href.replace(/#.*$/, "") + "#sel=" + encodeURIComponent(id);
  }

  /* Copy `text` to the clipboard; when the browser refuses, show it selected in a field to copy by hand. */
  function copyText(button, text, T) {
    var box = button.parentNode, note = box.querySelector(".cm-copied");
    if (!note) { note = el("span", "cm-copied"); note.setAttribute("role", "status"); box.appendChild(note); }
    function manual() {
      var field = box.querySelector("input.cm-copy-field");
      if (!field) {
        field = el("input", "cm-copy-field");
        field.type = "text";
        field.readOnly = true;
        field.setAttribute("aria-label", T.copy_link);
        box.appendChild(field);
      }
      field.value = text;
      field.focus();
      field.select();
      var done = false;
      try { done = document.execCommand && document.execCommand("copy"); } catch (e) { done = false; }
      note.textContent = done ? T.copied : T.copy_manual;
    }
    try {
      if (!navigator.clipboard || !navigator.clipboard.writeText) { manual(); return; }
      navigator.clipboard.writeText(text).then(function () { note.textContent = T.copied; }, manual);
    } catch (e) { manual(); }
  }

  /* Wire the "copy link" buttons of every popup the map opens. */
  function wireCopy(map, T) {
    if (map.cmCopyWired) { return; }
    map.cmCopyWired = true;
    map.on("popupopen", function (e) {
      var box = e.popup.getElement(), buttons = box ? box.querySelectorAll("button.cm-copy") : [];
      for (var i = 0; i < buttons.length; i++) {
        if (buttons[i].cmWired) { continue; }
        buttons[i].cmWired = true;
        L.DomEvent.on(buttons[i], "click", function (ev) {
          L.DomEvent.stop(ev);
          copyText(this, spaceLink(this.getAttribute("data-cm-id")), T);
        });
      }
    });
  }

  /* A circle on the canvas with the category's symbol inside (Leaflet draws the circle; the symbol follows). */
  var Pin = root.L && L.CircleMarker.extend({
    _project: function () {
      this._point = this._map.latLngToLayerPoint(this._latlng);
      this._true = this._point;
      if (this.cmSpread && this._map.getZoom() >= SPREAD_ZOOM) {
        this._point = this._point.add(this.cmSpread);
      }
      this._updateBounds();
    },
    _updateBounds: function () {
      L.CircleMarker.prototype._updateBounds.call(this);
      if (this._true && this._true !== this._point && this._pxBounds) { this._pxBounds.extend(this._true); }
    },
    _updatePath: function () {
      var renderer = this._renderer;
      if (renderer._drawing && renderer._ctx && this._true && this._true !== this._point && !this._empty()) {
        var c = renderer._ctx;  // the leg from the space's place to its spread circle
        if (c.setLineDash) { c.setLineDash([]); }  // a solid leg, whatever the last circle drawn used
        c.beginPath();
        c.moveTo(this._true.x, this._true.y);
        c.lineTo(this._point.x, this._point.y);
        c.globalAlpha = 1;
        c.lineWidth = 1.5;
        c.strokeStyle = "#263238";
        c.stroke();
        c.beginPath();
        c.arc(this._true.x, this._true.y, 2.5, 0, Math.PI * 2);
        c.fillStyle = "#263238";
        c.fill();
      }
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
    watchTiles(map);
    wireCopy(map, D.t);
    map.on("resize", function () {  // an open popup is sized to the map again
      var open = map._popup;
      if (open && map.hasLayer(open)) { L.setOptions(open, popupOptions(map, open.options.maxWidth > 320)); open.update(); }
    });
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
    box.appendChild(linksBox(r[0], r[7], r[8], D.t));
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
    var r = this.rows[i], at = r[9] ? e.latlng : this.shownAt(i);
    this.map.closeTooltip(this.tooltip);
    L.setOptions(this.popup, popupOptions(this.map, r.length > 10));
    this.popup.setLatLng(at).setContent(this.popupContent(r)).openOn(this.map);
  };

  Spaces.prototype.hover = function (e) {
    var i = this.indexOf(e);
    if (i < 0 || this.map.hasLayer(this.popup)) { return; }
    var r = this.rows[i];
    this.tooltip.setLatLng(r[9] ? e.latlng : this.shownAt(i)).setContent(el("span", "", this.names(r)[0]));
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
    this.spread(points);
    this.shown = points.length + shapes.length;
    this.map.getContainer().setAttribute("data-cm-drawn", String(this.shown));
    return this.shown;
  };

  /* Where the point layer `i` is drawn now: its place, or its place in the circle it is spread on. */
  Spaces.prototype.shownAt = function (i) {
    var r = this.rows[i], layer = this.layers[i];
    if (layer && layer.cmSpread && layer._map && this.map.getZoom() >= SPREAD_ZOOM) {
      return this.map.layerPointToLatLng(this.map.latLngToLayerPoint([r[7], r[8]]).add(layer.cmSpread));
    }
    return L.latLng(r[7], r[8]);
  };

  /* Spread the points `layers` that lie within SAME_PLACE_M of another (no zoom would separate them) on a
   * circle around their place (see Pin), so that each can be seen and clicked. A grid of SAME_PLACE_M cells:
   * linear in the number of points. */
  Spaces.prototype.spread = function (layers) {
    var cell = {}, i, k, key, groups = [], group_of = [], deg = SAME_PLACE_M / 111320;
    for (i = 0; i < layers.length; i++) {
      var ll = layers[i].getLatLng(), gx = Math.floor(ll.lng / deg), gy = Math.floor(ll.lat / deg), found = -1;
      layers[i].cmSpread = null;
      for (var dx = -1; dx <= 1 && found < 0; dx++) {
        for (var dy = -1; dy <= 1 && found < 0; dy++) {
          var near = cell[(gx + dx) + ":" + (gy + dy)];
          for (k = 0; near && k < near.length && found < 0; k++) {
            if (this.map.distance(ll, layers[near[k]].getLatLng()) < SAME_PLACE_M) { found = group_of[near[k]]; }
          }
        }
      }
      if (found < 0) { found = groups.length; groups.push([]); }
      groups[found].push(i);
      group_of[i] = found;
      key = gx + ":" + gy;
      (cell[key] = cell[key] || []).push(i);
    }
    for (k = 0; k < groups.length; k++) {
      var g = groups[k];
      if (g.length < 2) { continue; }
      var radius = Math.max(SPREAD_PX, g.length * (RADIUS * 2 + 4) / (2 * Math.PI));
      for (i = 0; i < g.length; i++) {
        var angle = 2 * Math.PI * i / g.length;  // two: right and left, clear of a popup above
        layers[g[i]].cmSpread = L.point(Math.round(radius * Math.cos(angle)), Math.round(radius * Math.sin(angle)));
      }
    }
  };  // (each path projects itself again on zoomend: the offsets start and stop at SPREAD_ZOOM)

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
    var wanted = /[#&]sel=([^&]+)/.exec(location.hash || "");
    if (wanted) {
      var id = decodeURIComponent(wanted[1]);
      for (var i = 0; i < D.f.length; i++) {
        if (D.f[i][0] === id && !D.f[i][9]) {
          map.setView([D.f[i][7], D.f[i][8]], Math.max(map.getZoom(), 16), {animate: false});
          spaces.open({layer: spaces.layer(i)});
          break;
        }
      }
    }
    return spaces;
  }

  /* The legend (html: its inner HTML, escaped by the server), folded on a small map. Returns the control. */
  function legend(map, html) {
    var control = L.control({position: "bottomleft"});
    control.onAdd = function (m) {
      var box = L.DomUtil.create("details", "cm-legend");
      box.innerHTML = html;
      box.open = false;  // closed on every screen: it would hide markers and popups (opened by a click)
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
      first: true, settled: false, focused: null, units: {}, unitsLayerKey: "", unitsLayer: null, hlLayerKey: "",
      hlLayer: null,
      legend: legend(map, "<summary>" + "</summary>"), times: {start: now()}};
    container.setAttribute("data-cm-state", "loading");
    onNoTiles(map, function () { if (app.view) { showAppUnits(map, app, app.view); } });
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

  /* ---------------------------------------------------------------------------------------------- units */

  var measure = null;
  function textWidth(text) {
    measure = measure || document.createElement("canvas").getContext("2d");
    measure.font = LABEL_FONT;
    return Math.ceil(measure.measureText(text).width);
  }

  /* Label the units of every unit layer on `map` where a label fits: inside its unit's box on screen, in view,
   * and over no other label (highlighted units first, then the largest). Called after every move and zoom. */
  function placeLabels(map) {
    var group = map.cmLabels;
    if (!group) { return; }
    group.clearLayers();
    var items = [], i, k, layers = map.cmUnitLayers || [];
    for (i = 0; i < layers.length; i++) { items = items.concat(layers[i].items); }
    var view = map.getPixelBounds(), taken = [], seen = {}, placed = 0;
    for (i = 0; i < items.length; i++) {
      var b = items[i].bounds, sw = map.project(b.getSouthWest()), ne = map.project(b.getNorthEast());
      items[i].w = ne.x - sw.x;
      items[i].h = sw.y - ne.y;
    }
    items.sort(function (a, b) { return (b.hl - a.hl) || (b.w * b.h - a.w * a.h); });
    for (i = 0; i < items.length; i++) {
      var it = items[i], key = it.text + "|" + it.at.lat + "|" + it.at.lng;
      if (seen[key]) { continue; }
      var tw = textWidth(it.text) + 8, th = 16;
      // A name that does not fit in its unit at this zoom waits for a closer zoom (a highlighted unit's never).
      if (!it.hl && (it.w < tw * 1.15 || it.h < th * 2)) { continue; }
      var p = map.project(it.at), r = [p.x - tw / 2, p.y - th / 2, p.x + tw / 2, p.y + th / 2];
      if (r[0] < view.min.x || r[2] > view.max.x || r[1] < view.min.y || r[3] > view.max.y) { continue; }  // whole
      var free = true;
      for (k = 0; k < taken.length && free; k++) {
        var o = taken[k];
        free = r[2] + 4 < o[0] || r[0] > o[2] + 4 || r[3] + 2 < o[1] || r[1] > o[3] + 2;
      }
      if (!free) { continue; }
      taken.push(r);
      seen[key] = true;
      var span = el("span", "", it.text);
      group.addLayer(L.marker(it.at, {pane: "cmLabels", interactive: false, keyboard: false,
        icon: L.divIcon({className: "cm-unit-label" + (it.hl ? " cm-unit-hl" : ""), html: span,
          iconSize: [tw, th], iconAnchor: [tw / 2, th / 2]})}));
      placed++;
    }
    map.getContainer().setAttribute("data-cm-labels", String(placed));
  }

  var UNIT_STYLE = {color: "#37474f", weight: 1.2, opacity: 0.8, fillColor: "#90a4ae", fillOpacity: 0.06};
  var UNIT_HL = {color: "#0d47a1", weight: 3.5, opacity: 1, fillColor: "#1976d2", fillOpacity: 0.1, dashArray: null};

  /* A unit layer: the boundaries (dashed when approximate), the highlighted units outlined, every unit named by
   * a label where it fits (placeLabels) and by a tooltip, and the boundaries' source in the attribution while
   * it is on the map. U: {approx, attribution (HTML escaped by the server), highlight: [names] or null, only:
   * draw the highlighted units alone}. `data`: GeoJSON, each unit's properties label, short (its name for
   * the label), name (canonical), lp ([lat, lon] where its label goes). Returns the group. */
  function Units(data, U) {
    var hl = {}, names = U.highlight || [], items = [], map = null, i;
    for (i = 0; i < names.length; i++) { hl[names[i]] = true; }
    function style(feature) {
      var base = {dashArray: U.approx ? "4 3" : null};
      var on = feature.properties && hl[feature.properties.name];
      return L.extend(base, on ? UNIT_HL : UNIT_STYLE, {className: on ? "cm-unit cm-unit-hl" : "cm-unit"});
    }
    var polys = L.geoJSON(data, {pane: "cmUnits", style: style,
      filter: function (feature) { return !U.only || !!(feature.properties && hl[feature.properties.name]); },
      onEachFeature: function (feature, part) {
        var props = feature.properties || {}, text = props.label, on = !!hl[props.name];
        if (text) { part.bindTooltip(function () { return el("span", "", text); }, {sticky: true}); }
        part.on("mouseover", function () { part.setStyle({weight: on ? 4.5 : 2.5, fillOpacity: 0.15}); });
        part.on("mouseout", function () { part.setStyle(style(feature)); });
        var at = props.lp ? L.latLng(props.lp[0], props.lp[1]) : part.getBounds().getCenter();
        items.push({text: props.short || text || "", at: at, bounds: part.getBounds(), hl: on ? 1 : 0});
      }});
    var group = L.featureGroup([polys]);
    group.items = items;
    function place() { if (map) { placeLabels(map); } }
    group.beforeAdd = function (m) {  // the panes, before the boundaries are drawn into them
      if (!m.getPane("cmUnits")) { m.createPane("cmUnits").style.zIndex = 350; }
      if (!m.getPane("cmLabels")) {
        var pane = m.createPane("cmLabels");
        pane.style.zIndex = 430;
        pane.style.pointerEvents = "none";
      }
    };
    group.on("add", function () {
      map = group._map;
      if (!map.cmLabels) { map.cmLabels = L.layerGroup().addTo(map); }
      map.cmUnitLayers = (map.cmUnitLayers || []).concat([group]);
      if (U.attribution && map.attributionControl) { map.attributionControl.addAttribution(U.attribution); }
      map.on("moveend resize", place);
      placeLabels(map);
    });
    group.on("remove", function () {
      if (!map) { return; }
      map.cmUnitLayers = (map.cmUnitLayers || []).filter(function (g) { return g !== group; });
      if (U.attribution && map.attributionControl) { map.attributionControl.removeAttribution(U.attribution); }
      map.off("moveend resize", place);
      placeLabels(map);
      map = null;
    });
    return group;
  }

  /* A self-contained map's unit layer (U as Units, with U.data and U.name): on the map, with a switch to hide
   * it. Returns the group. */
  function unitsLayer(map, U) {
    var group = Units(U.data, U).addTo(map), layers = {};
    layers[U.name] = group;
    L.control.layers(null, layers, {collapsed: true}).addTo(map);
    return group;
  }

  /* Show the unit layer B ({gz, json, approx} of a static file, or null) as app[slot], labelled; `extra`: the
   * Units options besides approx (attribution, highlight, only). */
  function showUnits(map, app, slot, B, extra) {
    var key = B ? B.json + "|" + JSON.stringify(extra) : "";
    if (app[slot + "Key"] === key) { return; }
    app[slot + "Key"] = key;
    if (app[slot]) { map.removeLayer(app[slot]); app[slot] = null; }
    if (!B) { return; }
    if (!app.units[B.json]) { app.units[B.json] = fetchJSON(B); }
    app.units[B.json].then(function (data) {
      if (app[slot + "Key"] === key && !app[slot]) {
        app[slot] = Units(data, L.extend({approx: B.approx}, extra)).addTo(map);
      }
    })["catch"](function (err) {
      if (root.console) { root.console.error("creative_map: the boundaries could not be loaded", err); }
    });
  }

  /* The app's unit layers of view V: the one chosen (or, with no tiles to show, the default one), and the
   * highlighted units of the filter. */
  function showAppUnits(map, app, V) {
    var B = V.b || (map.cmTiles === "none" ? V.d : null), H = V.h;
    var names = H && H.names.length ? H.names : null;
    var same = !!(B && H && names && H.b.json === B.json);
    showUnits(map, app, "unitsLayer", B, {attribution: V.a, highlight: same ? names : null});
    showUnits(map, app, "hlLayer", names && !same ? H.b : null, {attribution: V.a, highlight: names, only: true});
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
    showAppUnits(map, app, V);
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
      app.settled = true;
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
    marker.on("popupopen", function () {
      var map = marker._map;
      var popup = marker.getPopup(), o = map && popupOptions(map, true);
      if (o && (o.maxWidth !== popup.options.maxWidth || o.maxHeight !== popup.options.maxHeight)) {
        L.setOptions(popup, o);  // the map changed size since: fit it again
        popup.update();
      }
    });
    function focus() {
      var map = marker._map, app = map && map.cmApp;
      if (!map || (app && app.focused === S.id)) { return; }
      var box = map.getContainer();
      if (box.clientWidth < 50 || box.clientHeight < 50 || !styled(map)) {  // not laid out yet
        setTimeout(focus, 100);
        return;
      }
      if (map.getSize().x !== box.clientWidth || map.getSize().y !== box.clientHeight) {
        map.invalidateSize({pan: false});  // the frame was resized: Leaflet learns it a frame later
      }
      if (app) { app.focused = S.id; }
      L.setOptions(marker.getPopup(), popupOptions(map, true));
      if (app && app.settled) {
        // A space picked on a map the person has seen: their zoom stays; the map pans only when the space is
        // out of sight (and the popup pans itself into view).
        if (!map.getBounds().contains(marker.getLatLng())) { map.panTo(marker.getLatLng(), {animate: false}); }
      } else {
        map.setView(marker.getLatLng(), Math.max(map.getZoom(), S.zoom), {animate: false});
      }
      if (app) { app.settled = true; }
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
    selectedSpace: selectedSpace, positionPicker: positionPicker, unitsLayer: unitsLayer, readShown: readShown,
    popupOptions: popupOptions, linksBox: linksBox, wireCopy: wireCopy, watchTiles: watchTiles, maps: []};
})(window);
