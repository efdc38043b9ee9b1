// Clusters of TPS pins coloured like the legend: a cluster takes the colour of the most urgent pin
// inside it (by the layer's order of urgency), not markercluster's colour-by-size, which told
// nothing and clashed with the status colours. Each marker carries its value as options.pinValue;
// the colour is the pin's own CSS class (sinergi.css), so pins and clusters always agree.
(function () {
  "use strict";
  // severity: the layer's values, most urgent first (unknown values count as least urgent).
  function iconFor(severity) {
    return function (cluster) {
      var best = null;
      var bestRank = Infinity;
      var children = cluster.getAllChildMarkers();
      for (var i = 0; i < children.length; i++) {
        var value = children[i].options.pinValue;
        var rank = severity ? severity.indexOf(value) : -1;
        if (rank < 0) { rank = 1000; }
        if (rank < bestRank) { bestRank = rank; best = value; }
        if (rank === 0) { break; }  // nothing is more urgent
      }
      var colour = best ? " tps-" + String(best).replace(/[^a-z0-9_]/g, "") : "";
      return L.divIcon({
        html: "<div class=\"tps-pin" + colour + "\"><span>" + cluster.getChildCount() + "</span></div>",
        className: "marker-cluster tps-cluster",
        iconSize: L.point(40, 40)
      });
    };
  }
  window.SinergiClusters = {
    // A cluster group whose colour follows `holder.severity` (read at each redraw, so a layer
    // switch only has to change it and call refreshClusters()).
    group: function (holder) {
      return L.markerClusterGroup({
        showCoverageOnHover: false,
        maxClusterRadius: 45,
        iconCreateFunction: function (cluster) { return iconFor(holder.severity)(cluster); }
      });
    }
  };
})();
