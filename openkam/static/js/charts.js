// ECharts from data embedded with Django's json_script: <div data-chart="monthly-revenue"
// data-chart-source="<id of the json_script>" data-label-*="translated series names">.
(function () {
  "use strict";

  var charts = [];

  // Tooltips are HTML: names and labels go through the one shared escape (openkam.js).
  function escape(value) {
    return window.OpenKAM.escapeHtml(value);
  }

  function money(value) {
    return window.OpenKAM.money(value);
  }

  function compact(value) {
    return window.OpenKAM.moneyAxis(value);
  }

  // Bars of revenue, a line of gross margin, orders on the right axis; on an account page,
  // the purchase model's expected revenue for the next months with its band.
  function monthlyRevenue(element, data) {
    var chart = echarts.init(element, null, { renderer: "canvas" });
    var revenue = element.dataset.labelRevenue || "Revenue";
    var margin = element.dataset.labelMargin || "Gross margin";
    var orders = element.dataset.labelOrders;
    var forecastName = element.dataset.labelForecast || "Forecast";
    var bandName = element.dataset.labelBand || "Band";
    var forecastSource = document.getElementById(element.dataset.forecastSource || "");
    var forecast = forecastSource ? JSON.parse(forecastSource.textContent) : null;
    var months = data.months.slice();
    var pad = [];
    var future = [];
    if (forecast) {
      months = months.concat(forecast.months);
      pad = forecast.months.map(function () { return null; });
      future = data.months.map(function () { return null; });
      future[future.length - 1] = data.revenue[data.revenue.length - 1];
    }
    var legend = [revenue, margin];
    // The month not over yet is month to date: a paler bar, "to date" under its month on the
    // axis (a label over the bar was crossed by the orders line).
    var partialAt = data.partial ? data.months.indexOf(data.partial) : -1;
    var toDate = element.dataset.labelToDate || "to date";
    var step = Math.max(1, Math.ceil(months.length / 12));
    var anchor = partialAt >= 0 ? partialAt : months.length - 1;
    var bars = data.revenue.map(function (value, index) {
      if (index !== partialAt) return value;
      return { value: value, itemStyle: { opacity: 0.45 } };
    });
    var series = [
      { name: revenue, type: "bar", barMaxWidth: 18, itemStyle: { borderRadius: [3, 3, 0, 0] }, data: bars.concat(pad) },
      { name: margin, type: "line", symbolSize: 5, data: data.margin.concat(pad) },
    ];
    if (orders && data.orders) {
      legend.push(orders);
      series.push({ name: orders, type: "line", yAxisIndex: 1, symbolSize: 3, lineStyle: { width: 1, color: "#868e96" }, itemStyle: { color: "#868e96" }, data: data.orders.concat(pad) });
    }
    if (forecast) {
      legend.push(forecastName, bandName);
      var flat = function (value) { return future.concat(forecast.months.map(function () { return value; })); };
      var lows = future.map(function () { return null; }).concat(forecast.months.map(function () { return forecast.low; }));
      series.push(
        { name: bandName, type: "line", stack: "band", symbol: "none", lineStyle: { opacity: 0 }, itemStyle: { color: "rgba(174,62,201,0.35)" }, data: lows, tooltip: { show: false } },
        { name: bandName, type: "line", stack: "band", symbol: "none", lineStyle: { opacity: 0 }, itemStyle: { color: "rgba(174,62,201,0.35)" }, areaStyle: { color: "rgba(174,62,201,0.15)" },
          data: lows.map(function (low) { return low == null ? null : forecast.high - forecast.low; }),
          tooltip: { valueFormatter: function () { return money(forecast.low) + " – " + money(forecast.high); } } },
        { name: forecastName, type: "line", symbol: "none", lineStyle: { type: "dashed", color: "#ae3ec9" }, itemStyle: { color: "#ae3ec9" }, data: flat(forecast.mean) }
      );
    }
    chart.setOption({
      textStyle: { fontFamily: window.getComputedStyle(document.body).fontFamily },
      color: ["#206bc4", "#2fb344"],
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, type: "scroll", data: legend },
      tooltip: {
        trigger: "axis",
        valueFormatter: function (value) { return value == null ? "—" : money(value); },
      },
      xAxis: {
        type: "category",
        data: months,
        axisLabel: {
          // Every step-th month counted from the month to date, so its label is always shown.
          interval: function (index) { return (index - anchor) % step === 0; },
          formatter: function (value, index) { return index === partialAt ? value + "\n" + toDate : value; },
        },
      },
      yAxis: [
        { type: "value", axisLabel: { formatter: compact } },
        { type: "value", show: !!(orders && data.orders), minInterval: 1, splitLine: { show: false } },
      ],
      series: series,
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
      legend: { top: 0, type: "scroll", data: [revenue, clv, pAlive] },
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

  function labels() {
    var source = document.getElementById("dashboard-labels");
    return source ? JSON.parse(source.textContent) : {};
  }

  function fontFamily() {
    return window.getComputedStyle(document.body).fontFamily;
  }

  // Cumulative share of revenue over the share of accounts, with the ABC cut-offs.
  function paretoCurve(element, data) {
    var chart = echarts.init(element, null, { renderer: "canvas" });
    var names = labels();
    var percent = function (value) { return Math.round(value) + "%"; };
    var cut = function (share, text, color) {
      return {
        yAxis: share * 100, lineStyle: { color: color, type: "dashed" },
        label: { formatter: (text || "").replace("%(share)s", Math.round(share * 100) + "%"), position: "insideEndTop", color: color },
      };
    };
    chart.setOption({
      textStyle: { fontFamily: fontFamily() },
      grid: { left: 8, right: 16, top: 16, bottom: 28, containLabel: true },
      tooltip: {
        trigger: "axis",
        formatter: function (items) {
          var point = items[0].data;
          return escape(names.accounts) + " " + escape(point[0]) + "%<br>" + escape(names.revenue) + " <b>" + escape(point[1]) + "%</b>";
        },
      },
      xAxis: { type: "value", min: 0, max: 100, name: names.accounts, nameLocation: "middle", nameGap: 24, axisLabel: { formatter: percent } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: percent } },
      series: [{
        type: "line", showSymbol: false, smooth: false, data: data.points,
        lineStyle: { color: "#206bc4", width: 2 }, areaStyle: { color: "rgba(32,107,196,0.08)" },
        markLine: { symbol: "none", silent: true, data: [cut(data.a_cut, names.class_a, "#2fb344"), cut(data.b_cut, names.class_b, "#4299e1")] },
      }],
    });
    return chart;
  }

  var QUADRANT_COLORS = {
    star: "#2fb344", volume: "#f59f00", niche: "#4299e1", marginal: "#868e96",
    core_value: "#2fb344", speculative: "#d63939", cultivate: "#4299e1", low_priority: "#868e96",
    key_account: "#2fb344", maintenance: "#4299e1", key_development: "#ae3ec9", opportunistic: "#868e96",
  };

  // One series per quadrant; hover names the account, a click opens it.
  function quadrantScatter(element, data) {
    var chart = echarts.init(element, null, { renderer: "canvas" });
    var names = labels();
    var quadrantNames = names.quadrants || {};
    var groups = {};
    data.points.forEach(function (point) {
      (groups[point[3]] = groups[point[3]] || []).push(point);
    });
    var logX = element.dataset.logX === "1";
    var xName = names[element.dataset.x] || "";
    var yName = names[element.dataset.y] || "";
    var axisFormat = function (value) { return compact(value); };
    // Scores (0-100, the quadrant cuts drawn) are numbers; otherwise the axes carry money.
    var value = data.x_cut != null ? window.OpenKAM.number : money;
    var series = Object.keys(groups).map(function (code) {
      return {
        name: quadrantNames[code] || code, type: "scatter", symbolSize: 7, data: groups[code],
        itemStyle: { color: QUADRANT_COLORS[code] || "#206bc4", opacity: 0.75 },
      };
    });
    if (data.x_cut != null && series.length) {
      series[0].markLine = {
        symbol: "none", silent: true, lineStyle: { color: "#adb5bd", type: "dashed" }, label: { show: false },
        data: [{ xAxis: data.x_cut }, { yAxis: data.y_cut }],
      };
    }
    chart.setOption({
      textStyle: { fontFamily: fontFamily() },
      grid: { left: 8, right: 16, top: 44, bottom: 24, containLabel: true },
      legend: { top: 0, type: "scroll", itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 11 } },
      tooltip: {
        trigger: "item",
        formatter: function (item) {
          var point = item.data;
          return "<b>" + escape(point[4]) + "</b><br>" + escape(item.seriesName) + "<br>" + escape(xName) + ": " +
            value(point[0]) + "<br>" + escape(yName) + ": " + value(point[1]) +
            "<br><span style='color:#868e96'>" + escape(names.open) + "</span>";
        },
      },
      xAxis: {
        type: logX ? "log" : "value", name: xName, nameLocation: "middle", nameGap: 26, scale: data.x_cut == null,
        min: data.x_cut != null ? 0 : null, max: data.x_cut != null ? 100 : null,
        axisLabel: { formatter: axisFormat }, splitLine: { show: false },
      },
      yAxis: { type: "value", name: yName, nameGap: 8, nameTextStyle: { align: "left", fontSize: 11 }, scale: !data.x_cut, min: data.x_cut != null ? 0 : null, max: data.x_cut != null ? 100 : null, axisLabel: { formatter: axisFormat } },
      series: series,
    });
    var url = element.dataset.url;
    chart.on("click", function (item) {
      if (url && item.data) window.location.href = url.replace("/0/", "/" + item.data[2] + "/");
    });
    element.style.cursor = "pointer";
    return chart;
  }

  // The lifecycle stages in order as a funnel of centred bars (a bar's width is its count,
  // so empty stages stay visible as a gap); a click lists the stage's accounts.
  function lifecycleFunnel(element, data) {
    var chart = echarts.init(element, null, { renderer: "canvas" });
    var stageNames = labels().stages || {};
    var colors = ["#adb5bd", "#17a2b8", "#2fb344", "#206bc4", "#f76707", "#f59f00", "#d63939"];
    var max = Math.max.apply(null, data.map(function (item) { return item.count; }).concat([1]));
    chart.setOption({
      textStyle: { fontFamily: fontFamily() },
      grid: { left: 8, right: 8, top: 8, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "item",
        formatter: function (item) { return escape(item.name) + ": <b>" + window.OpenKAM.number(data[item.dataIndex].count) + "</b>"; },
      },
      xAxis: { type: "value", show: false, max: max },
      yAxis: {
        type: "category", inverse: true, axisTick: { show: false }, axisLine: { show: false },
        data: data.map(function (item) { return stageNames[item.stage] || item.stage; }),
        axisLabel: { fontSize: 11, width: 110, overflow: "truncate" },
      },
      series: [
        { type: "bar", stack: "funnel", silent: true, itemStyle: { color: "transparent" }, tooltip: { show: false },
          data: data.map(function (item) { return (max - item.count) / 2; }) },
        { type: "bar", stack: "funnel", barCategoryGap: "18%",
          label: { show: true, position: "inside", color: "#fff", fontSize: 11, formatter: function (item) { return window.OpenKAM.number(data[item.dataIndex].count); } },
          data: data.map(function (item, index) {
            return { value: item.count, stage: item.stage, itemStyle: { color: colors[index % colors.length], borderRadius: 3 } };
          }) },
      ],
    });
    var url = element.dataset.url;
    chart.on("click", function (item) {
      if (url && item.data && item.data.stage) window.location.href = url + item.data.stage;
    });
    return chart;
  }

  var builders = {
    "monthly-revenue": monthlyRevenue,
    "snapshot-trend": snapshotTrend,
    pareto: paretoCurve,
    quadrant: quadrantScatter,
    funnel: lifecycleFunnel,
  };

  function render() {
    if (typeof echarts === "undefined") return;
    charts = charts.filter(function (chart) {
      if (chart.getDom().isConnected) return true;
      chart.dispose();
      return false;
    });
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
  document.addEventListener("htmx:afterSettle", render);
  window.addEventListener("resize", resize);
  document.addEventListener("shown.bs.tab", resize);
})();
