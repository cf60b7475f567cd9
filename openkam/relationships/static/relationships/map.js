// The relationship map's charts (ECharts from json_script data) and htmx feedback.
(function () {
  "use strict";

  var SUPPORT_COLORS = { "-2": "#d63939", "-1": "#f76707", "0": "#9aa0ac", "1": "#74b816", "2": "#2fb344" };
  var charts = [];

  // Tooltips are HTML: names and titles go through the one shared escape (openkam.js).
  function escape(value) {
    return window.OpenKAM.escapeHtml(value);
  }

  function labels(element) {
    try { return JSON.parse(element.dataset.labels || "{}"); } catch (error) { return {}; }
  }

  function font() { return window.getComputedStyle(document.body).fontFamily; }

  // Polar: the angle holds the influence-type sectors, the radius 6 - influence (the most
  // influential in the middle), colour the support, size the participation.
  function wheel(element, data) {
    var text = labels(element);
    var chart = echarts.init(element, null, { renderer: "canvas" });
    var levels = ["2", "1", "0", "-1", "-2"];
    var series = levels.map(function (level) {
      return {
        name: text[level] || level,
        type: "scatter",
        coordinateSystem: "polar",
        itemStyle: { color: SUPPORT_COLORS[level], borderColor: "#fff", borderWidth: 1.5, opacity: 0.95 },
        label: { show: true, position: "right", fontSize: 11, color: "#49505e", formatter: function (p) { return p.data.name; } },
        symbolSize: function (value, params) { return 10 + params.data.participation * 5; },
        data: data.nodes.filter(function (node) { return String(node.support) === level; }).map(function (node) {
          return Object.assign({ value: [node.radius, node.angle] }, node);
        }),
      };
    });
    series.push({
      type: "scatter",
      coordinateSystem: "polar",
      silent: true,
      symbolSize: 0,
      label: { show: true, fontWeight: "bold", color: "#1d4ed8", fontSize: 12, formatter: function (p) { return p.data.label; } },
      data: data.sectors.map(function (sector) {
        return { value: [5.6, sector.start + data.width / 2], label: text[sector.code] || sector.code };
      }),
      tooltip: { show: false },
    });
    chart.setOption({
      textStyle: { fontFamily: font() },
      legend: { bottom: 0, data: levels.map(function (level) { return text[level] || level; }) },
      polar: { center: ["50%", "47%"], radius: "78%" },
      angleAxis: {
        type: "value", min: 0, max: 360, startAngle: 90, clockwise: true,
        interval: data.width, axisLabel: { show: false }, axisTick: { show: false },
        splitLine: { show: true, lineStyle: { color: "#dce1e7" } }, axisLine: { lineStyle: { color: "#dce1e7" } },
      },
      radiusAxis: {
        min: 0, max: 6, interval: 1, axisLine: { show: false }, axisTick: { show: false },
        axisLabel: { show: false },
        splitLine: { show: true, lineStyle: { color: "#eef0f3", type: "dashed" } },
      },
      tooltip: {
        formatter: function (p) {
          var d = p.data;
          return "<b>" + escape(d.name) + "</b> " + escape(d.title) + "<br>" + escape(text[d.type]) + "<br>" +
            escape(text.influence || "Influence") + ": " + escape(d.influence) + "/5 · " +
            escape(text.participation || "Participation") + ": " + escape(d.participation) + "/5<br>" +
            escape(text.support || "Support") + ": " + escape(text[String(d.support)] || d.support);
        },
      },
      series: series,
    });
    return chart;
  }

  function org(element, data) {
    var text = labels(element);
    var chart = echarts.init(element, null, { renderer: "canvas" });
    function decorate(node) {
      var color = node.root ? "#1d4ed8" : SUPPORT_COLORS[String(node.support)];
      node.itemStyle = { color: color, borderColor: color };
      node.symbolSize = node.root ? 14 : 8 + (node.influence || 1) * 2;
      node.label = node.root ? { fontWeight: "bold" } : (node.active === false ? { color: "#9aa0ac" } : {});
      (node.children || []).forEach(decorate);
      return node;
    }
    chart.setOption({
      textStyle: { fontFamily: font() },
      tooltip: {
        formatter: function (params) {
          var d = params.data;
          if (d.root) return escape(d.name);
          return "<b>" + escape(d.name) + "</b> " + escape(d.title) + "<br>" + escape(text[String(d.support)]) +
            (d.active === false ? " · " + escape(text.inactive || "inactive") : "");
        },
      },
      series: [{
        type: "tree",
        data: [decorate(data)],
        orient: "TB",
        top: 30, bottom: 60, left: 20, right: 20,
        expandAndCollapse: true,
        initialTreeDepth: 4,
        roam: true,
        label: { position: "top", fontSize: 11, formatter: function (p) { return p.data.root ? p.name : p.name + "\n" + (p.data.title || ""); } },
        leaves: { label: { position: "bottom", rotate: 0, verticalAlign: "top", align: "center" } },
        lineStyle: { color: "#c8ccd4", width: 1.2, curveness: 0.4 },
      }],
    });
    return chart;
  }

  var builders = { wheel: wheel, org: org };

  function render() {
    if (typeof echarts === "undefined") return;
    charts = charts.filter(function (chart) { return !chart.isDisposed() && document.body.contains(chart.getDom()); });
    document.querySelectorAll("[data-map-chart]").forEach(function (element) {
      var build = builders[element.dataset.mapChart];
      var source = document.getElementById(element.dataset.chartSource);
      if (!build || !source || element.dataset.rendered) return;
      element.dataset.rendered = "1";
      charts.push(build(element, JSON.parse(source.textContent)));
    });
  }

  function toast(kind) {
    var box = document.getElementById("okam-toast");
    if (!box || typeof bootstrap === "undefined") return;
    var body = box.querySelector(".toast-body");
    body.textContent = body.dataset[kind] || "";
    bootstrap.Toast.getOrCreateInstance(box).show();
  }

  document.addEventListener("DOMContentLoaded", render);
  document.addEventListener("htmx:afterSettle", render);
  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
  document.addEventListener("htmx:responseError", function (event) {
    toast(event.detail.xhr.status === 403 ? "refused" : "failed");
  });
  // Escape leaves an inline editor without saving.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var editor = event.target.closest && event.target.closest(".okam-cell-editor");
    var cancel = editor && editor.querySelector("[hx-get]");
    if (cancel) cancel.click();
  });
})();
