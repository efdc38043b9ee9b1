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

  // A cluster takes the colour of its most urgent pin (clusters.js); each layer's values, most
  // urgent first, as the situation room's (situation/layers.py SEVERITY). Delivery: the latest
  // arrival day is the tightest.
  var SEVERITY = {
    variables: ["v4", "v3", "v2", "v1", "v0"],
    level: ["sangat_rawan", "khusus", "rawan", "kurang_rawan"],
    post: ["sangat_rawan", "khusus", "rawan", "kurang_rawan"],
    coverage: ["sebagian", "belum", "lengkap"],
    status: ["belum", "sebagian", "lengkap"],
    delivery: ["h0", "h1", "h2", "h3", "h4"]
  };
  var colours = { severity: null };
  var clusters = window.SinergiClusters.group(colours);
  map.addLayer(clusters);
  var byId = {};
  var layerCache = {};

  // Thematic layers recolour every TPS pin from a layer endpoint (station id -> values).
  // The pin's colour is its CSS class tps-<value>; the value is kept on the marker for its cluster.
  function pin(marker, value) {
    marker.options.pinValue = String(value);
    return L.divIcon({ className: "tps-pin tps-" + value, iconSize: [14, 14] });
  }
  function applyLayer(kind, data) {
    colours.severity = kind ? SEVERITY[kind] || null : null;
    Object.keys(byId).forEach(function (id) {
      var marker = byId[id];
      var value = data ? data[id] : null;
      marker.options.pinValue = null;
      if (!kind || !value) {
        marker.setIcon(new L.Icon.Default());
        marker.unbindTooltip();
        return;
      }
      if (kind === "variables") {
        marker.setIcon(pin(marker, "v" + Math.min(value.variables, 4)));
        marker.bindTooltip(value.variables + " " + d.labelVariables);
      } else if (kind === "level") {
        marker.setIcon(pin(marker, value.level));
      } else if (kind === "coverage") {
        marker.setIcon(pin(marker, value.incidents ? "sebagian" : (value.reported ? "lengkap" : "belum")));
      } else if (kind === "delivery") {
        marker.setIcon(pin(marker, "h" + value.h));
        marker.bindTooltip(value.label);
      } else if (kind === "status") {
        marker.setIcon(pin(marker, value.status));
        marker.bindTooltip(value.detail);
      } else if (kind === "post") {
        marker.setIcon(pin(marker, value.level));
        marker.bindTooltip(d.labelPost + " " + value.post);
      }
    });
    clusters.refreshClusters();
    var legend = document.getElementById("map-legend-extra");
    if (legend) { legend.textContent = kind ? (legend.dataset["legend" + kind.charAt(0).toUpperCase() + kind.slice(1)] || "") : ""; }
    el.dataset.layer = kind || "";
  }
  var layerSelect = document.getElementById("map-layer");
  if (layerSelect) {
    layerSelect.addEventListener("change", function () {
      var option = layerSelect.options[layerSelect.selectedIndex];
      var kind = layerSelect.value;
      if (!kind) { applyLayer("", null); return; }
      var url = option.dataset.url;
      var load = layerCache[url] ? Promise.resolve(layerCache[url]) : getJSON(url).then(function (data) { layerCache[url] = data; return data; });
      load.then(function (data) { applyLayer(kind, data); }).catch(function (error) {
        if (status) { status.textContent = String(error); }
      });
    });
  }

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
    results[1].stations.forEach(function (s, i) { byId[String(s.id)] = markers[i]; });
    var bounds = villages.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [10, 10], animate: false }); }
    el.dataset.loaded = String(markers.length);
    if (status) { status.textContent = markers.length + " TPS"; }
    // A link may open the map on a layer: ?lapisan=status
    var wanted = new URLSearchParams(window.location.search).get("lapisan");
    if (layerSelect && wanted && layerSelect.querySelector("option[value='" + wanted.replace(/[^a-z]/g, "") + "']")) {
      layerSelect.value = wanted.replace(/[^a-z]/g, "");
      layerSelect.dispatchEvent(new Event("change"));
    }
  }).catch(function (error) {
    if (status) { status.textContent = String(error); }
  });
})();
