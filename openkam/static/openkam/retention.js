// Charts of the retention pages, from data embedded with Django's json_script:
// <div data-chart="lost-by-quarter|lifecycle-movement" data-chart-source="<json_script id>">.
(function () {
  "use strict";

  var charts = [];

  function escape(value) {
    return window.OpenKAM.escapeHtml(value);
  }

  function money(value) {
    return window.OpenKAM.money(value);
  }

  // Stacked bars of the revenue lost per quarter, one series per cause; the tooltip adds the
  // number of accounts.
  function lostByQuarter(element, data) {
    var chart = echarts.init(element, null, { renderer: "canvas" });
    var accounts = element.dataset.labelCount || "Accounts";
    chart.setOption({
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: function (items) {
          var lines = [escape(items[0].axisValue)];
          items.forEach(function (item) {
            var count = data.series[item.seriesIndex].count[item.dataIndex];
            if (!count) { return; }
            lines.push(item.marker + escape(item.seriesName) + ": " + escape(money(item.value)) +
              " (" + escape(accounts) + " " + escape(count) + ")");
          });
          return lines.join("<br>");
        },
      },
      legend: { top: 0, type: "scroll" },
      grid: { left: 60, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: data.quarters },
      yAxis: { type: "value", axisLabel: { formatter: window.OpenKAM.moneyAxis } },
      series: data.series.map(function (cause) {
        return { name: cause.name, type: "bar", stack: "lost", barMaxWidth: 36, data: cause.revenue };
      }),
    });
    charts.push(chart);
  }

  // Accounts per lifecycle stage on the two dates, side by side.
  function lifecycleMovement(element, data) {
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: function (items) {
          var lines = [escape(items[0].axisValue)];
          items.forEach(function (item) {
            lines.push(item.marker + escape(item.seriesName) + ": " + escape(item.value));
          });
          return lines.join("<br>");
        },
      },
      legend: { top: 0 },
      grid: { left: 150, right: 24, top: 32, bottom: 20 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: data.stages },
      series: [
        { name: data.labels[0], type: "bar", barMaxWidth: 14, itemStyle: { color: "#adb5bd" }, data: data.start },
        { name: data.labels[1], type: "bar", barMaxWidth: 14, itemStyle: { color: "#206bc4" }, data: data.end },
      ],
    });
    charts.push(chart);
  }

  var kinds = { "lost-by-quarter": lostByQuarter, "lifecycle-movement": lifecycleMovement };

  function draw() {
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var kind = kinds[element.dataset.chart];
      var source = document.getElementById(element.dataset.chartSource || "");
      if (!kind || !source || typeof echarts === "undefined") { return; }
      kind(element, JSON.parse(source.textContent));
    });
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
