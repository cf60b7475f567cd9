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

  // A KPI's twelve months as a small line; the tooltip names the month and the value.
  function sparkline(element, months, values) {
    var chart = echarts.init(element, null, { renderer: "canvas" });
    var escape = window.OpenKAM.escapeHtml;
    var unit = element.dataset.unit;
    function shown(value) {
      if (value === null || value === undefined) { return "—"; }
      if (unit === "money") { return window.OpenKAM.money(value); }
      if (unit === "rate") { return (value * 100).toFixed(1) + "%"; }
      return Number(value).toFixed(2);
    }
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: "axis",
        confine: true,
        formatter: function (items) {
          return escape(items[0].axisValue) + ": " + escape(shown(items[0].value));
        },
      },
      grid: { left: 2, right: 2, top: 4, bottom: 4 },
      xAxis: { type: "category", data: months, show: false },
      yAxis: { type: "value", show: false, scale: true },
      series: [{ type: "line", data: values, connectNulls: true, symbolSize: 3, lineStyle: { width: 1.5 } }],
    });
    charts.push(chart);
  }

  function init() {
    var trend = document.getElementById("kpi-trend-data");
    if (trend) {
      var data = JSON.parse(trend.textContent);
      document.querySelectorAll('[data-chart="kpi-spark"]').forEach(function (element) {
        sparkline(element, data.months, data[element.dataset.kpi] || []);
      });
    }
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
