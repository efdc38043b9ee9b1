// The TPS map: village polygons as the base layer (shipped data, no tile server needed),
// clustered TPS markers on top, an online tile layer only when the server sets one.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var d = el.dataset;
  var status = document.getElementById("map-status");
  // maxZoom must be set on the map itself: with no tile layer, the cluster plugin needs it.
  var map = L.map(el, { maxZoom: 18 }).setView([-8.6, 115.45], 11);
  if (d.tileUrl) {
    L.tileLayer(d.tileUrl, { maxZoom: 19, attribution: d.tileAttribution || "" }).addTo(map);
  }

  function escapeHtml(text) {
    var span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span.innerHTML;
  }

  var villages = L.geoJSON(null, {
    style: function () { return { color: "#12355b", weight: 1, fillColor: "#dbe7f3", fillOpacity: 0.55 }; },
    onEachFeature: function (feature, layer) {
      var p = feature.properties;
      layer.bindTooltip(escapeHtml(p.kind + " " + p.name) + "<br>" + escapeHtml(p.kecamatan), { sticky: true });
    }
  }).addTo(map);

  var clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 });
  map.addLayer(clusters);

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }

  Promise.all([getJSON(d.boundariesUrl), getJSON(d.stationsUrl)]).then(function (results) {
    villages.addData(results[0]);
    var markers = results[1].stations.map(function (s) {
      var html = "<strong>" + escapeHtml(s.label) + "</strong><br>" + escapeHtml(s.place) +
        "<br>" + escapeHtml(s.voters) + " " + escapeHtml(d.labelVoters) +
        (s.estimated ? "<br><em>" + escapeHtml(d.labelEstimated) + "</em>" : "") +
        "<br><a href=\"" + encodeURI(s.url) + "\">" + escapeHtml(d.labelOpen) + "</a>";
      return L.marker([s.lat, s.lon], { title: s.label, alt: s.label }).bindPopup(html);
    });
    clusters.addLayers(markers);
    var bounds = villages.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [10, 10], animate: false }); }
    el.dataset.loaded = String(markers.length);
    if (status) { status.textContent = markers.length + " TPS"; }
  }).catch(function (error) {
    if (status) { status.textContent = String(error); }
  });
})();
