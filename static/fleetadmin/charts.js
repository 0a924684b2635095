// The admin's charts: the dashboard API's statistics, fetched with the staff member's session, drawn by Chart.js.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("fa-charts-config").textContent);
  const errorBox = document.getElementById("fa-charts-error");
  const DOW = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

  function query(params) {
    return new URLSearchParams(params).toString();
  }

  async function fetchData(path, params) {
    const response = await fetch(config.api + path + "?" + query(params), {credentials: "same-origin",
      headers: {Accept: "application/json"}});
    const body = await response.json();
    if (body.code !== 0) {
      throw new Error(path + ": " + (body.message && body.message.text || response.status));
    }
    return body.data;
  }

  function draw(name, type, labels, datasets) {
    const canvas = document.querySelector('canvas[data-chart="' + name + '"]');
    if (!canvas) return;
    const stacked = datasets.some(set => set.stack);
    const chart = new Chart(canvas, {type: type, data: {labels: labels, datasets: datasets},
      options: {animation: false, responsive: true, plugins: {legend: {display: datasets.length > 1}},
                scales: {x: {stacked: stacked}, y: {stacked: stacked, beginAtZero: true}}}});
    canvas.dataset.drawn = String(chart.data.labels.length);  // for the browser tests: drawn, with so many points
  }

  function buckets(rows) {
    const modes = rows.length ? Object.keys(rows[0].counts) : [];
    const labels = rows.map(r => r.max === null ? "≥ " + r.min : r.min + "–" + r.max);
    return [labels, modes.map(mode => ({label: mode, data: rows.map(r => r.counts[mode]), stack: "modes"}))];
  }

  const trips = {networks: config.network, start_date: config.start, end_date: config.end, timezone: config.timezone};
  const jobs = [
    fetchData("/usage-stats", trips).then(rows => draw("usage", "line", rows.map(r => r.date),
      [{label: "Trips", data: rows.map(r => r.trip_count)}, {label: "Riders", data: rows.map(r => r.unique_users)}])),
    fetchData("/usage-stats/dow", trips).then(rows => draw("dow", "bar", rows.map(r => DOW[r.dow]),
      [{label: "Trips", data: rows.map(r => r.trip_count)}])),
    fetchData("/usage-stats/time-of-day", trips).then(rows => draw("hour", "bar", rows.map(r => r.hour + ":00"),
      [{label: "Trips", data: rows.map(r => r.trip_count)}])),
    fetchData("/usage-stats/duration", trips).then(rows => draw("duration", "bar", ...buckets(rows))),
    fetchData("/usage-stats/distance", trips).then(rows => draw("distance", "bar", ...buckets(rows))),
  ];
  if (config.income) {
    jobs.push(fetchData("/income/days", {start_date: config.start, end_date: config.end, timezone: config.timezone,
      currency: config.currency}).then(rows => draw("income", "bar", rows.map(r => r.date),
      [{label: "Net income", data: rows.map(r => r.net_amount)}])));
  }
  Promise.allSettled(jobs).then(results => {
    const failed = results.filter(r => r.status === "rejected").map(r => r.reason.message);
    if (failed.length) {
      errorBox.textContent = "Some charts could not be drawn: " + failed.join("; ");
      errorBox.hidden = false;
    }
    document.body.dataset.chartsDone = "1";
  });
})();
