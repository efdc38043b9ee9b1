// The situation room's map: village polygons as the base, the viewer's TPS as clustered pins
// coloured by the chosen layer (GeoJSON from the server, already scoped to the viewer), reloaded
// every data-refresh-seconds. The counts, alerts and timeline beside it refresh through htmx.
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

  var villages = L.geoJSON(null, {
    style: function () { return { color: "#12355b", weight: 1, fillColor: "#dbe7f3", fillOpacity: 0.5 }; },
    onEachFeature: function (feature, layer) {
      layer.bindTooltip(escapeHtml(feature.properties.kind + " " + feature.properties.name), { sticky: true });
    }
  }).addTo(map);
  var clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 });
  map.addLayer(clusters);

  var loading = 0;
  function load(fitToPoints) {
    if (!select || !select.value) { return; }
    var option = select.options[select.selectedIndex];
    var kind = select.value;
    var ticket = ++loading;
    getJSON(option.dataset.url).then(function (data) {
      if (ticket !== loading) { return; }  // a newer choice is on its way
      var markers = data.features.map(function (f) {
        var p = f.properties;
        var c = f.geometry.coordinates;
        var icon = L.divIcon({ className: "tps-pin tps-" + String(p.value).replace(/[^a-z0-9_]/g, ""), iconSize: [14, 14] });
        var marker = L.marker([c[1], c[0]], { icon: icon, title: p.label, alt: p.label });
        if (p.tip) { marker.bindTooltip(escapeHtml(p.tip)); }
        marker.bindPopup("<strong>" + escapeHtml(p.label) + "</strong>" + (p.tip ? "<br>" + escapeHtml(p.tip) : "") +
          "<br><a href=\"" + encodeURI(p.url) + "\">" + escapeHtml(d.labelOpen) + "</a>");
        return marker;
      });
      clusters.clearLayers();
      clusters.addLayers(markers);
      if (fitToPoints && !villages.getBounds().isValid() && markers.length) {
        map.fitBounds(L.featureGroup(markers).getBounds(), { padding: [10, 10], animate: false });
      }
      el.dataset.layer = kind;
      el.dataset.loaded = String(markers.length);
      if (legend) { legend.textContent = legend.dataset["legend" + kind.charAt(0).toUpperCase() + kind.slice(1)] || ""; }
      if (status) { status.textContent = markers.length + " TPS"; }
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
