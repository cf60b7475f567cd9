// The relationship map's charts (ECharts from json_script data) and htmx feedback.
(function () {
  "use strict";

  var SUPPORT_COLORS = { "-2": "#d63939", "-1": "#f76707", "0": "#9aa0ac", "1": "#74b816", "2": "#2fb344" };
  var charts = [];

  function labels(element) {
    try { return JSON.parse(element.dataset.labels || "{}"); } catch (error) { return {}; }
  }

  function font() { return window.getComputedStyle(document.body).fontFamily; }

  function wheel(element, data) {
    var text = labels(element);
    var chart = echarts.init(element, null, { renderer: "canvas" });
    var rings = [1, 2, 3, 4, 5].map(function (r) {
      return { type: "circle", shape: { r: r }, style: { stroke: "#e6e7e9", fill: "none" } };
    });
    chart.setOption({
      textStyle: { fontFamily: font() },
      tooltip: {
        formatter: function (params) {
          if (params.dataType !== "node") return "";
          var d = params.data;
          return "<b>" + d.name + "</b> " + (d.title || "") + "<br>" +
            (text[d.type] || "") + "<br>" +
            (text.influence || "Influence") + ": " + d.influence + "/5 · " +
            (text.participation || "Participation") + ": " + d.participation + "/5<br>" +
            (text.support || "Support") + ": " + (text[String(d.support)] || d.support);
        },
      },
      legend: {
        bottom: 0,
        data: ["2", "1", "0", "-1", "-2"].map(function (key) { return { name: text[key] || key, itemStyle: { color: SUPPORT_COLORS[key] } }; }),
        selectedMode: false,
      },
      series: [{
        type: "graph",
        layout: "none",
        roam: true,
        categories: ["2", "1", "0", "-1", "-2"].map(function (key) { return { name: text[key] || key, itemStyle: { color: SUPPORT_COLORS[key] } }; }),
        label: { show: true, position: "bottom", fontSize: 11, formatter: "{b}" },
        lineStyle: { color: "#c8ccd4", curveness: 0.15, opacity: 0.9 },
        edgeSymbol: ["none", "arrow"],
        edgeSymbolSize: 6,
        data: [{ id: "centre", name: "", x: 0, y: 0, symbolSize: 10, itemStyle: { color: "#1d4ed8" }, label: { show: false }, tooltip: { show: false } }].concat(
          data.nodes.map(function (node) {
            return Object.assign({}, node, {
              category: ["2", "1", "0", "-1", "-2"].indexOf(String(node.support)),
              symbolSize: 10 + node.participation * 6,
              itemStyle: { color: SUPPORT_COLORS[String(node.support)], borderColor: "#fff", borderWidth: 2 },
            });
          })
        ),
        links: data.links,
      }],
      graphic: [],
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
          if (d.root) return d.name;
          return "<b>" + d.name + "</b> " + (d.title || "") + "<br>" + (text[String(d.support)] || "") +
            (d.active === false ? " · " + (text.inactive || "inactive") : "");
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
