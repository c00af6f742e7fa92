/* creative_map: the drawing code of the map of Hanoi's creative spaces.
 *
 * Loaded once per page, after Leaflet and Leaflet.markercluster (served by the app, or inlined in a
 * self-contained HTML map). The page that creative_map.mapping writes only calls into it, one line per
 * element:
 *
 *   creativeMap.spacesLayer(map, data)      every space: clustered markers, lines and areas, lazy popups
 *   creativeMap.legend(map, html)           the legend, a Leaflet control
 *   creativeMap.selectedSpace(layer, data)  the selected space, centred, its full popup opened
 *   creativeMap.positionPicker(layer, data) one space's current and proposed positions (Suggest, Review)
 *
 * Text from the data is only ever set with textContent; innerHTML receives nothing but HTML that the
 * server escaped (a space's full details, the legend). Plain ES5, so that every browser runs it.
 */
(function (root) {
  "use strict";

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

  /* The spaces, from the compact rows of creative_map.mapping.spaces_payload:
   * D.c categories [colour, label, symbol, pin html]; D.s status labels; D.p precision labels; D.x the index
   * of "exact" in D.p; D.t texts; D.u the app's Suggest page ("{id}" for the space's id; "" outside the app:
   * then no invitation to suggest the exact position); D.lang; D.f one row per space:
   * [id, name_vi, name_en, category, status, precision, address, lat, lon, geometry or 0(, details html)].
   * Every layer carries feature.properties.id (a click reports the space's id to the app), and the map's
   * container gets the number of spaces drawn in its data-cm-count attribute. Returns the layer, on the map. */
  function spacesLayer(map, D) {
    var cats = D.c, full = D.f.length && D.f[0].length > 10;
    var points = L.markerClusterGroup({chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 45,
      spiderfyOnMaxZoom: true, disableClusteringAtZoom: 19});
    var shapes = L.featureGroup();
    var icons = {}, markers = [];
    function icon(ci, exact) {
      var k = ci + (exact ? "e" : "a");
      if (!icons[k]) {
        icons[k] = L.divIcon({className: "cm-pin" + (exact ? "" : " cm-approx"), html: cats[ci][3],
          iconSize: [24, 24], iconAnchor: [12, 12], popupAnchor: [0, -10]});
      }
      return icons[k];
    }
    function names(r) {
      var a = D.lang === "en" ? (r[2] || r[1]) : (r[1] || r[2]);
      var b = D.lang === "en" ? r[1] : r[2];
      return [a, b && b !== a ? b : ""];
    }
    function popup(r) {
      var box = el("div", "cm-popup");
      if (full) { box.innerHTML = r[10]; fixAppLinks(box); return box; }
      var n = names(r), exact = r[5] === D.x;
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
      box.appendChild(el("div", "cm-hint", D.t.more));
      return box;
    }
    D.f.forEach(function (r) {
      var feature = {type: "Feature", properties: {id: r[0]}}, layer, exact = r[5] === D.x, colour = cats[r[3]][0];
      if (r[9]) {
        feature.geometry = r[9];
        layer = L.geoJSON(feature, {style: {color: colour, weight: 5, opacity: exact ? 0.9 : 0.6,
          dashArray: exact ? null : "8 6", fillColor: colour, fillOpacity: exact ? 0.25 : 0.12,
          className: "cm-shape"}});
        shapes.addLayer(layer);
      } else {
        var title = names(r)[0];
        layer = L.marker([r[7], r[8]], {icon: icon(r[3], exact), title: title, alt: title, riseOnHover: true});
        layer.feature = feature;
        markers.push(layer);
      }
      layer.bindPopup(function () { return popup(r); }, {maxWidth: 320, minWidth: 200});
    });
    points.addLayers(markers);
    var group = L.featureGroup([shapes, points]);
    group.cmCount = D.f.length;
    map.getContainer().setAttribute("data-cm-count", String(D.f.length));
    group.addTo(map);
    return group;
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

  /* The selected space, above the others, added to `layer` (the map or a feature group). Once added, the map
   * centres on it, zooms in to at least S.zoom and opens its full popup (S.html, escaped by the server).
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
      if (!marker._map) { return; }
      marker._map.setView(marker.getLatLng(), Math.max(marker._map.getZoom(), S.zoom), {animate: false});
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

  root.creativeMap = {spacesLayer: spacesLayer, legend: legend, selectedSpace: selectedSpace,
    positionPicker: positionPicker};
})(window);
