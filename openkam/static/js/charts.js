// ECharts from data embedded with Django's json_script: <div data-chart="monthly-revenue"
// data-chart-source="<id of the json_script>" data-label-*="translated series names">.
(function () {
  "use strict";

  var charts = [];

  function money(value) {
    return new Intl.NumberFormat(document.documentElement.lang || "zh-hans", {
      maximumFractionDigits: 0,
    }).format(value);
  }

  function compact(value) {
    var lang = (document.documentElement.lang || "").toLowerCase();
    return new Intl.NumberFormat(lang.indexOf("zh") === 0 ? "zh-CN" : "en", {
      notation: "compact",
      maximumFractionDigits: 1,
    }).format(value);
  }

  function monthlyRevenue(element, data) {
    var chart = echarts.init(element, null, { renderer: "canvas" });
    var revenue = element.dataset.labelRevenue || "Revenue";
    var margin = element.dataset.labelMargin || "Gross margin";
    chart.setOption({
      textStyle: { fontFamily: window.getComputedStyle(document.body).fontFamily },
      color: ["#206bc4", "#2fb344"],
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, data: [revenue, margin] },
      tooltip: {
        trigger: "axis",
        valueFormatter: function (value) { return money(value); },
      },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", axisLabel: { formatter: compact } },
      series: [
        { name: revenue, type: "bar", barMaxWidth: 18, itemStyle: { borderRadius: [3, 3, 0, 0] }, data: data.revenue },
        { name: margin, type: "line", symbolSize: 5, data: data.margin },
      ],
    });
    return chart;
  }

  // P(alive) in % on the right axis, revenue of the last 12 months and CLV on the left one.
  function snapshotTrend(element, data) {
    var chart = echarts.init(element, null, { renderer: "canvas" });
    var pAlive = element.dataset.labelPAlive || "P(alive)";
    var revenue = element.dataset.labelRevenue || "Revenue, last 12 months";
    var clv = element.dataset.labelClv || "CLV";
    chart.setOption({
      textStyle: { fontFamily: window.getComputedStyle(document.body).fontFamily },
      color: ["#206bc4", "#ae3ec9", "#f76707"],
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, data: [revenue, clv, pAlive] },
      tooltip: {
        trigger: "axis",
        valueFormatter: function (value) { return value == null ? "—" : money(value); },
      },
      xAxis: { type: "category", data: data.dates },
      yAxis: [
        { type: "value", axisLabel: { formatter: compact } },
        { type: "value", min: 0, max: 100, splitLine: { show: false }, axisLabel: { formatter: "{value}%" } },
      ],
      series: [
        { name: revenue, type: "line", symbolSize: 5, data: data.revenue },
        { name: clv, type: "line", symbolSize: 5, connectNulls: false, data: data.clv },
        {
          name: pAlive, type: "line", yAxisIndex: 1, symbolSize: 5, lineStyle: { type: "dashed" },
          tooltip: { valueFormatter: function (value) { return value == null ? "—" : value + "%"; } },
          data: data.p_alive,
        },
      ],
    });
    return chart;
  }

  var builders = { "monthly-revenue": monthlyRevenue, "snapshot-trend": snapshotTrend };

  function render() {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var build = builders[element.dataset.chart];
      var source = document.getElementById(element.dataset.chartSource);
      if (!build || !source || element.dataset.rendered) return;
      element.dataset.rendered = "1";
      charts.push(build(element, JSON.parse(source.textContent)));
    });
  }

  function resize() {
    charts.forEach(function (chart) { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", render);
  window.addEventListener("resize", resize);
  document.addEventListener("shown.bs.tab", resize);
})();
