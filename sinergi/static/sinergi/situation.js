// The situation room's map: village polygons as the base, the viewer's TPS as clustered pins
// coloured by the chosen layer (GeoJSON from the server, already scoped to the viewer), asked
// again every data-refresh-seconds. Each ask carries the layer's last ETag: an unchanged layer
// answers 304 and nothing is sent or redrawn; a changed one updates the pins in place (icon,
// tooltip, popup text), so an open popup stays open. The counts, alerts and timeline beside it
// refresh through htmx.
(function () {
  "use strict";
  var el = document.getElementById("situation-map");
  if (!el || !window.L) { return; }
  var d = el.dataset;
  var select = document.getElementById("situation-layer");
  var status = document.getElementById("situation-map-status");
  var legend = document.getElementById("situation-legend");
  var map = L.map(el, { maxZoom: 18 }).setView([-8.6, 115.45], 11);
  if (d.tileUrl) {
    L.tileLayer(d.tileUrl, { maxZoom: 19, attribution: d.tileAttribution || "" }).addTo(map);
  }

  function escapeHtml(text) {
    var span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span.innerHTML;
  }
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/geo+json, application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }
  // The layer with the ETag of what is on the map: null when the server answers 304.
  function getLayer(url, etag) {
    var headers = { "Accept": "application/geo+json, application/json" };
    if (etag) { headers["If-None-Match"] = etag; }
    // no-store: the browser's cache neither answers nor adds its own validators; we keep ours.
    return fetch(url, { credentials: "same-origin", cache: "no-store", headers: headers }).then(function (r) {
      if (r.status === 304) { return null; }
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      var tag = r.headers.get("ETag");
      return r.json().then(function (data) { return { data: data, etag: tag }; });
    });
  }

  var villages = L.geoJSON(null, {
    style: function () { return { color: "#12355b", weight: 1, fillColor: "#dbe7f3", fillOpacity: 0.5 }; },
    onEachFeature: function (feature, layer) {
      layer.bindTooltip(escapeHtml(feature.properties.kind + " " + feature.properties.name), { sticky: true });
    }
  }).addTo(map);
  var colours = { severity: null };  // the shown layer's values, most urgent first (clusters.js)
  var clusters = window.SinergiClusters.group(colours);
  map.addLayer(clusters);

  var markers = {};  // TPS id -> marker on the map
  var shown = { url: null, etag: null };
  var refreshes = 0;

  function pinIcon(value) {
    return L.divIcon({ className: "tps-pin tps-" + String(value).replace(/[^a-z0-9_]/g, ""), iconSize: [14, 14] });
  }
  function popupHtml(p) {
    return "<strong>" + escapeHtml(p.label) + "</strong>" + (p.tip ? "<br>" + escapeHtml(p.tip) : "") +
      "<br><a href=\"" + encodeURI(p.url) + "\">" + escapeHtml(d.labelOpen) + "</a>";
  }
  function setTip(marker, tip) {
    if (!tip) { marker.unbindTooltip(); return; }
    if (marker.getTooltip()) { marker.setTooltipContent(escapeHtml(tip)); } else { marker.bindTooltip(escapeHtml(tip)); }
  }
  // Bring the pins in line with `data`, touching only what changed.
  function apply(data) {
    var seen = {};
    var added = [];
    var changed = [];
    var removed = [];
    data.features.forEach(function (f) {
      var p = f.properties;
      var id = String(p.id);
      var latlng = L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]);
      var marker = markers[id];
      seen[id] = true;
      if (marker && !marker.getLatLng().equals(latlng)) {  // a moved point: markercluster wants it re-added
        removed.push(marker);
        marker = null;
      }
      if (!marker) {
        marker = L.marker(latlng, { icon: pinIcon(p.value), title: p.label, alt: p.label, pinValue: p.value });
        marker.bindPopup(popupHtml(p));
        setTip(marker, p.tip);
        markers[id] = marker;
        added.push(marker);
        return;
      }
      if (marker.options.pinValue !== p.value) {
        marker.options.pinValue = p.value;
        marker.setIcon(pinIcon(p.value));
        changed.push(marker);
      }
      setTip(marker, p.tip);
      marker.setPopupContent(popupHtml(p));  // an open popup stays open with the new text
    });
    Object.keys(markers).forEach(function (id) {
      if (!seen[id]) { removed.push(markers[id]); delete markers[id]; }
    });
    if (removed.length) { clusters.removeLayers(removed); }
    if (added.length) { clusters.addLayers(added); }
    if (changed.length) { clusters.refreshClusters(changed); }
    return added.length;
  }

  var loading = 0;
  function load(fitToPoints) {
    if (!select || !select.value) { return; }
    var option = select.options[select.selectedIndex];
    var kind = select.value;
    var url = option.dataset.url;
    var ticket = ++loading;
    getLayer(url, url === shown.url ? shown.etag : null).then(function (answer) {
      if (ticket !== loading) { return; }  // a newer choice is on its way
      refreshes += 1;
      el.dataset.refreshes = String(refreshes);
      if (answer === null) { return; }  // 304: the layer has not changed
      var switched = colours.layer !== kind;
      colours.layer = kind;
      colours.severity = answer.data.severity || null;
      apply(answer.data);
      if (switched) { clusters.refreshClusters(); }  // every cluster's colour follows the new layer
      shown.url = url;
      shown.etag = answer.etag;
      var count = Object.keys(markers).length;
      if (fitToPoints && !villages.getBounds().isValid() && count) {
        map.fitBounds(clusters.getBounds(), { padding: [10, 10], animate: false });
      }
      el.dataset.layer = kind;
      el.dataset.loaded = String(count);
      if (legend) { legend.textContent = legend.dataset["legend" + kind.charAt(0).toUpperCase() + kind.slice(1)] || ""; }
      if (status) { status.textContent = count + " TPS"; }
    }).catch(function (error) {
      if (status) { status.textContent = String(error); }
    });
  }

  if (select) { select.addEventListener("change", function () { load(false); }); }
  getJSON(d.boundariesUrl).then(function (data) {
    villages.addData(data);
    var bounds = villages.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [10, 10], animate: false }); }
  }).catch(function (error) {
    if (status) { status.textContent = String(error); }
  }).then(function () { load(true); });

  var seconds = parseInt(d.refreshSeconds, 10);
  if (seconds > 0) {
    window.setInterval(function () {
      if (document.visibilityState === "visible") { load(false); }
    }, seconds * 1000);
  }
})();
