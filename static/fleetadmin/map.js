// The admin's fleet map and geofencing editor (Leaflet). Shapes are drawn as vector layers, so they show even
// when the tile server cannot be reached (closed networks).
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("fa-map-config").textContent);
  const layers = config.layers;
  const element = document.getElementById("fa-map");
  const map = L.map(element, {preferCanvas: false});
  L.tileLayer(config.tiles, {maxZoom: 19, attribution: config.attribution}).addTo(map);
  const drawn = L.featureGroup().addTo(map);
  const moving = L.featureGroup().addTo(map);  // clusters' counts, vehicles and alerts: read again every `refresh` s
  const counts = {};

  function polygon(points, style, label, kind) {
    const shape = L.polygon(points, style).addTo(drawn);
    if (label) shape.bindTooltip(label);
    counts[kind] = (counts[kind] || 0) + 1;
    return shape;
  }
  function dot(latitude, longitude, style, label, kind) {
    L.circleMarker([latitude, longitude], style).bindTooltip(label).addTo(moving);
    counts[kind] = (counts[kind] || 0) + 1;
  }
  function drawMoving(live) {
    moving.clearLayers();
    ["cluster", "vehicle", "alert"].forEach(kind => { counts[kind] = 0; });
    live.clusters.forEach(c => dot(c.latitude, c.longitude, {radius: 7, color: "#2874a6"},
                                   c.name + ": " + c.docked_vehicle_count + " / " + c.spot_count, "cluster"));
    live.vehicles.forEach(v => dot(v.latitude, v.longitude, {radius: 4, color: "#7d3c98"},
                                   v.serial_number + (v.battery_level !== null ? " (" + v.battery_level + " %)" : ""),
                                   "vehicle"));
    live.alerts.forEach(a => dot(a.latitude, a.longitude, {radius: 9, color: "#e67e22", fill: false},
                                 a.type + " (" + a.severity + ")", "alert"));
    element.dataset.layers = JSON.stringify(counts);  // what was drawn, for the browser tests
  }

  if (layers.border) polygon(layers.border, {color: "#1b4f72", weight: 3, fill: false}, "Border", "border");
  layers.speed_zones.forEach(z => polygon(z.shape, {color: "#c0392b", weight: 1}, z.max_speed + " km/h", "speed_zone"));
  layers.parkings.forEach(p => polygon(p.shape, {color: "#27ae60", weight: 1}, "Parking, " + p.capacity + " places",
                                         "parking"));
  drawMoving(layers);
  const bounds = drawn.getBounds().extend(moving.getBounds());
  if (bounds.isValid()) map.fitBounds(bounds, {padding: [20, 20]}); else map.setView(config.center, 12);
  if (config.live) {
    setInterval(async () => {
      const response = await fetch(config.live, {credentials: "same-origin", headers: {Accept: "application/json"}});
      if (response.ok) drawMoving(await response.json());
    }, config.refresh * 1000);
  }

  if (!config.editable) return;
  // The border editor: corners clicked on the map, saved with the API's PUT /geofencing/border/shape.
  const corners = [];
  let sketch = null;
  const save = document.getElementById("fa-draw-save");
  const status = document.getElementById("fa-draw-status");
  function redraw() {
    if (sketch) sketch.remove();
    sketch = corners.length ? L.polygon(corners, {color: "#f1c40f", dashArray: "4"}).addTo(map) : null;
    save.disabled = corners.length < 3;
  }
  map.on("click", event => {
    corners.push([Number(event.latlng.lat.toFixed(6)), Number(event.latlng.lng.toFixed(6))]);
    redraw();
  });
  document.getElementById("fa-draw-clear").addEventListener("click", () => { corners.length = 0; redraw(); });
  save.addEventListener("click", async () => {
    status.textContent = "Saving…";
    const response = await fetch(config.api + "/geofencing/border/shape", {
      method: "PUT", credentials: "same-origin",
      headers: {"Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": config.csrf},
      body: JSON.stringify({network_id: config.network, shape: corners})});
    const body = await response.json();
    if (body.code === 0) {
      status.textContent = "Saved.";
      window.location.reload();
    } else {
      status.textContent = "Refused: " + (body.message && body.message.text || response.status);
    }
  });
})();
