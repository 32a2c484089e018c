// Draws every <canvas data-chart="ID"> from the Chart.js configuration in <script id="ID"
// type="application/json"> (written by the server with json_script). No inline scripts needed.
(function () {
  function draw(root) {
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      const source = document.getElementById(canvas.dataset.chart);
      if (!source || typeof Chart === "undefined") return;
      new Chart(canvas, JSON.parse(source.textContent));
      canvas.dataset.drawn = "1";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
