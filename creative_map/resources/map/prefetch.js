/* creative_map: start fetching the app map's data file while Leaflet and the map's script load.
 *
 * The app's map loads this tiny script first, with the data file's addresses in its own query
 * (prefetch.js?gz=...&json=...): the download then runs beside the loading of the other scripts, and
 * creativeMap.appLayer takes the response from window.cmPrefetch instead of asking again. */
(function (root) {
  "use strict";
  var script = document.currentScript;
  if (!script || !root.fetch || !root.URL) { return; }
  var query = new URL(script.src).searchParams, gz = query.get("gz"), json = query.get("json");
  var store = root.cmPrefetch = root.cmPrefetch || {};
  if (gz && typeof root.DecompressionStream !== "undefined") {
    store[gz] = root.fetch(gz);
  } else if (json) {
    store[json] = root.fetch(json);
  }
})(window);
