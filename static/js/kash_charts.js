// Draws the KASH radar and trend charts from the numbers the page also shows as tables.
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const colours = { current: "#0d6efd", target: "#198754", previous: "#adb5bd" };
  const radar = document.getElementById("radar");
  if (radar) {
    new Chart(radar, {
      type: "radar",
      data: {
        labels: data.labels,
        datasets: ["current", "target", "previous"].map((key) => ({
          label: data.series[key],
          data: data[key],
          borderColor: colours[key],
          backgroundColor: key === "current" ? "rgba(13,110,253,.15)" : "transparent",
          borderDash: key === "target" ? [6, 4] : [],
          spanGaps: true,
        })),
      },
      options: { scales: { r: { min: 0, max: 5, ticks: { stepSize: 1 } } }, animation: false },
    });
  }
  const trend = document.getElementById("trend");
  if (trend) {
    const palette = ["#0d6efd", "#dc3545", "#198754", "#fd7e14"];
    new Chart(trend, {
      type: "line",
      data: {
        labels: data.months,
        datasets: data.dimensions.map((d, i) => ({ label: d.label, data: d.values, borderColor: palette[i], spanGaps: true })),
      },
      options: { scales: { y: { min: 0, max: 5, ticks: { stepSize: 1 } } }, animation: false },
    });
  }
})();
