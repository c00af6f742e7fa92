/* creative_map: the drawing code of the map of Hanoi's creative spaces.
 *
 * Loaded once per page, after Leaflet and Leaflet.markercluster (served by the app, or inlined in a
 * self-contained HTML map). The page that creative_map.mapping writes only calls into it, one line per
 * element:
 *
 *   creativeMap.spacesLayer(map, data)      every space: clustered markers, lines and areas, lazy popups
 *   creativeMap.legend(map, html)           the legend, a Leaflet control
 *   creativeMap.selectedSpace(layer, data)  the selected space, centred, its full popup opened
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

  /* The spaces, from the compact rows of creative_map.mapping.spaces_payload:
   * D.c categories [colour, label, symbol, pin html]; D.s status labels; D.p precision labels; D.x the index
   * of "exact" in D.p; D.t texts; D.lang; D.f one row per space:
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
      if (full) { box.innerHTML = r[10]; return box; }
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

  root.creativeMap = {spacesLayer: spacesLayer, legend: legend, selectedSpace: selectedSpace};
})(window);
