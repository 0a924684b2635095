// A route on a Leaflet map: a trip's (points given with the page) or a vehicle's last 24 hours, read from the API's
// listVehicleTelemetry and read again every `refresh` seconds, with its battery chart and its live position.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("fa-route-config").textContent);
  const element = document.getElementById("fa-route");
  const status = document.getElementById("fa-route-status");
  const map = L.map(element);
  L.tileLayer(config.tiles, {maxZoom: 19, attribution: config.attribution}).addTo(map);
  const drawn = L.featureGroup().addTo(map);
  let chart = null;

  function draw(points) {  // points: [[latitude, longitude, battery, time], ...], oldest first
    drawn.clearLayers();
    element.dataset.points = String(points.length);  // for the browser tests
    if (!points.length) {
      map.setView(config.center, 15);
      status.textContent = "No reported position " + (config.live ? "in the last 24 hours." : "during this trip.");
      return;
    }
    L.polyline(points.map(p => [p[0], p[1]]), {color: "#2874a6", weight: 4}).addTo(drawn);
    const last = points[points.length - 1];
    L.circleMarker([last[0], last[1]], {radius: 8, color: "#c0392b"}).bindTooltip(
      (config.live ? "Now: " : "End: ") + last[3]).addTo(drawn);
    L.circleMarker([points[0][0], points[0][1]], {radius: 6, color: "#27ae60"}).bindTooltip(
      "From: " + points[0][3]).addTo(drawn);
    map.fitBounds(drawn.getBounds(), {padding: [20, 20], maxZoom: 17});
    status.textContent = points.length + " positions" + (config.live ? ", last at " + last[3] : "") + ".";
    const canvas = document.getElementById("fa-battery");
    if (!canvas || !window.Chart) return;
    const charged = points.filter(p => p[2] !== null);
    const data = {labels: charged.map(p => p[3].slice(11, 16)),
                  datasets: [{label: "Battery %", data: charged.map(p => p[2]), pointRadius: 0, borderWidth: 2}]};
    if (chart) { chart.data = data; chart.update(); return; }
    chart = new Chart(canvas, {type: "line", data: data,
                               options: {animation: false, scales: {y: {min: 0, max: 100}}}});
  }

  async function refresh() {
    const now = new Date();
    const query = new URLSearchParams({vehicle_id: config.live.vehicle, limit: "20000",
                                       from: new Date(now - 86400000).toISOString(), to: now.toISOString()});
    const response = await fetch(config.live.api + "/vehicle-telemetry?" + query,
                                 {credentials: "same-origin", headers: {Accept: "application/json"}});
    const body = await response.json();
    if (body.code !== 0) { status.textContent = "Could not read the telemetry: " + body.message.text; return; }
    draw(body.data.filter(m => m.latitude !== null).map(m => [m.latitude, m.longitude, m.battery, m.recorded_at]));
  }

  if (config.live) {
    refresh();
    setInterval(refresh, config.live.refresh * 1000);
  } else {
    draw(config.points);
  }
})();
