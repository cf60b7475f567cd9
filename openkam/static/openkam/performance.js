// The performance pages' chart: sales target against actual per month, from data embedded with
// Django's json_script: <div data-chart="target-vs-actual" data-chart-source="<json_script id>">.
(function () {
  "use strict";

  var charts = [];

  function targetVsActual(element, data) {
    var chart = echarts.init(element, null, { renderer: "canvas" });
    var escape = window.OpenKAM.escapeHtml;
    var money = window.OpenKAM.money;
    var series = [
      { name: element.dataset.labelActual || "Actual", type: "bar", barMaxWidth: 28, data: data.actual },
    ];
    if (data.target.length) {
      series.push({ name: element.dataset.labelTarget || "Target", type: "line", data: data.target });
    }
    chart.setOption({
      tooltip: {
        trigger: "axis",
        formatter: function (items) {
          var lines = [escape(items[0].axisValue)];
          items.forEach(function (item) {
            lines.push(item.marker + escape(item.seriesName) + ": " + escape(money(item.value)));
          });
          return lines.join("<br>");
        },
      },
      legend: { top: 0 },
      grid: { left: 60, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", axisLabel: { formatter: window.OpenKAM.moneyAxis } },
      series: series,
    });
    charts.push(chart);
  }

  function init() {
    document.querySelectorAll('[data-chart="target-vs-actual"]').forEach(function (element) {
      var source = document.getElementById(element.dataset.chartSource);
      if (!source) { return; }
      targetVsActual(element, JSON.parse(source.textContent));
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
