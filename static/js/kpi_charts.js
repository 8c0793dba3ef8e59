// Draws the KPI trend charts from the numbers the page also shows as tables: every <canvas data-chart="id">
// reads the JSON of <script id="id"> ({labels, series: [{label, values}]}).
(function () {
  const palette = ["#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#6c757d", "#d63384"];
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    const data = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: data.series.map((s, i) => ({
          label: s.label,
          data: s.values,
          borderColor: palette[i % palette.length],
          backgroundColor: palette[i % palette.length],
          spanGaps: true,
        })),
      },
      options: {
        animation: false,
        aspectRatio: window.innerWidth < 576 ? 1.1 : 2, // a phone gets a taller chart
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: { y: { ticks: { callback: (v) => v + "%" } } },
      },
    });
  });
})();
