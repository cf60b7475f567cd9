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
  // influential in the middle), colour the support, size the participation. Names are one
  // series of their own drawn above every bubble, on the outer side of their bubble (right on
  // the right half, left on the left), with a white halo, and shifted apart when two would
  // overlap; the sector headings sit in a ring of their own outside the contacts (radius 6.5).
  function bubbleSize(node) { return 10 + node.participation * 5; }

  function wheel(element, data) {
    var text = labels(element);
    var chart = echarts.init(element, null, { renderer: "canvas" });
    var levels = ["2", "1", "0", "-1", "-2"];
    var series = levels.map(function (level) {
      return {
        name: text[level] || level,
        type: "scatter",
        coordinateSystem: "polar",
        z: 2,
        itemStyle: { color: SUPPORT_COLORS[level], borderColor: "#fff", borderWidth: 1.5, opacity: 0.95 },
        label: { show: false },
        symbolSize: function (value, params) { return bubbleSize(params.data); },
        data: data.nodes.filter(function (node) { return String(node.support) === level; }).map(function (node) {
          return Object.assign({ value: [node.radius, node.angle] }, node);
        }),
      };
    });
    series.push({
      type: "scatter",
      coordinateSystem: "polar",
      silent: true,
      z: 5,
      symbolSize: 0,
      tooltip: { show: false },
      data: data.nodes.map(function (node) {
        var right = node.angle % 360 < 180;
        return {
          value: [node.radius, node.angle],
          label: {
            show: true, position: right ? "right" : "left", distance: bubbleSize(node) / 2 + 3,
            fontSize: 11, color: "#3a4150", textBorderColor: "#fff", textBorderWidth: 3,
            formatter: node.name,
          },
        };
      }),
    });
    series.push({
      type: "scatter",
      coordinateSystem: "polar",
      silent: true,
      z: 4,
      symbolSize: 0,
      label: { show: true, fontWeight: "bold", color: "#1d4ed8", fontSize: 12, textBorderColor: "#fff", textBorderWidth: 3, formatter: function (p) { return p.data.label; } },
      data: data.sectors.map(function (sector) {
        return { value: [6.5, sector.start + data.width / 2], label: text[sector.code] || sector.code };
      }),
      tooltip: { show: false },
    });
    chart.setOption({
      textStyle: { fontFamily: font() },
      legend: { type: "scroll", bottom: 0, data: levels.map(function (level) { return text[level] || level; }) },
      polar: { center: ["50%", "46%"], radius: "80%" },
      angleAxis: {
        type: "value", min: 0, max: 360, startAngle: 90, clockwise: true,
        interval: data.width, axisLabel: { show: false }, axisTick: { show: false },
        splitLine: { show: true, lineStyle: { color: "#dce1e7" } }, axisLine: { lineStyle: { color: "#dce1e7" } },
      },
      radiusAxis: {
        min: 0, max: 7, interval: 1, axisLine: { show: false }, axisTick: { show: false },
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
    placeNames(chart, data.nodes, series.length - 2, data.sectors.map(function (sector) {
      return { angle: sector.start + data.width / 2, text: text[sector.code] || sector.code };
    }));
    return chart;
  }

  // Each name on the first side of its bubble (outer side first, then the other, below,
  // above) where it covers no other bubble and no name placed before it, in pixels once the
  // chart is laid out; the most influential are placed first.
  var SIDES = ["right", "left", "bottom", "top"];

  function placeNames(chart, nodes, namesIndex, headings) {
    var measure = document.createElement("canvas").getContext("2d");
    var placed = headings.map(function (heading) {
      measure.font = "bold 12px " + font();
      var at = chart.convertToPixel({ polarIndex: 0 }, [6.5, heading.angle]);
      var w = measure.measureText(heading.text).width + 6;
      return { x: at[0] - w / 2, y: at[1] - 9, w: w, h: 18 };
    });
    measure.font = "11px " + font();
    var circles = nodes.map(function (node) {
      var at = chart.convertToPixel({ polarIndex: 0 }, [node.radius, node.angle]);
      return { x: at[0], y: at[1], r: bubbleSize(node) / 2 };
    });
    function box(i, side) {
      var c = circles[i], w = measure.measureText(nodes[i].name).width + 4, h = 14, gap = c.r + 3;
      if (side === "right") return { x: c.x + gap, y: c.y - h / 2, w: w, h: h };
      if (side === "left") return { x: c.x - gap - w, y: c.y - h / 2, w: w, h: h };
      if (side === "bottom") return { x: c.x - w / 2, y: c.y + gap, w: w, h: h };
      return { x: c.x - w / 2, y: c.y - gap - h, w: w, h: h };
    }
    function hitsCircle(b, c) {
      var nx = Math.max(b.x, Math.min(c.x, b.x + b.w)), ny = Math.max(b.y, Math.min(c.y, b.y + b.h));
      return (nx - c.x) * (nx - c.x) + (ny - c.y) * (ny - c.y) < c.r * c.r;
    }
    function hitsBox(a, b) {
      return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    }
    function cost(i, b) {
      var n = 0;
      circles.forEach(function (c, j) { if (j !== i && hitsCircle(b, c)) n += 2; });
      placed.forEach(function (other) { if (hitsBox(b, other)) n += 3; });
      return n;
    }
    var order = nodes.map(function (node, i) { return i; }).sort(function (a, b) { return nodes[b].influence - nodes[a].influence; });
    var sides = new Array(nodes.length);
    order.forEach(function (i) {
      var outer = nodes[i].angle % 360 < 180 ? ["right", "left"] : ["left", "right"];
      var tries = outer.concat(["bottom", "top"]);
      var best = tries[0], bestCost = Infinity;
      tries.forEach(function (side) {
        var c = cost(i, box(i, side));
        if (c < bestCost) { best = side; bestCost = c; }
      });
      sides[i] = best;
      placed.push(box(i, best));
    });
    var names = chart.getOption().series[namesIndex];
    chart.setOption({
      series: chart.getOption().series.map(function (item, index) {
        if (index !== namesIndex) return {};
        return {
          data: names.data.map(function (datum, i) {
            return Object.assign({}, datum, { label: Object.assign({}, datum.label, { position: sides[i] }) });
          }),
        };
      }),
    });
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
        // Right-angled edges (down from the parent, along, down to the child); each name under
        // its node on a white card, so the edge on to the node's own reports runs behind its
        // card, never through another's text.
        top: 20, bottom: 55, left: 40, right: 40,
        edgeShape: "polyline",
        expandAndCollapse: true,
        initialTreeDepth: 4,
        roam: true,
        label: {
          position: "bottom", distance: 4, align: "center", verticalAlign: "top", fontSize: 11, lineHeight: 14,
          color: "#3a4150", backgroundColor: "#fff", padding: [1, 3],
          formatter: function (p) { return p.data.root ? p.name : p.name + "\n" + (p.data.title || ""); },
        },
        lineStyle: { color: "#c8ccd4", width: 1.2 },
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
