// The satisfaction trend of the survey results page: one point per campaign (oldest first),
// NPS and role-weighted NPS on the left axis (-100..100 points), the CSAT averages per
// dimension on the right (1-5). Data from Django's json_script:
// <div data-chart="survey-trend" data-chart-source="<json_script id>">.
(function () {
  "use strict";

  var charts = [];

  function escape(value) {
    return window.OpenKAM.escapeHtml(value);
  }

  function value(item) {
    return item.value === null || item.value === undefined ? "—" : item.value;
  }

  function trend(element, data) {
    var chart = echarts.init(element, null, { renderer: "canvas" });
    var lines = data.series.map(function (line) {
      return {
        name: line.name, type: "line", yAxisIndex: line.axis, data: line.values,
        connectNulls: true, symbolSize: 7,
        lineStyle: line.axis ? { type: "dashed", width: 1.5 } : { width: 2.5 },
      };
    });
    chart.setOption({
      tooltip: {
        trigger: "axis",
        formatter: function (items) {
          var index = items[0].dataIndex;
          var out = [escape(data.labels[index]) + " · " + escape(data.periods[index])];
          items.forEach(function (item) {
            out.push(item.marker + escape(item.seriesName) + ": " + escape(value(item)));
          });
          return out.join("<br>");
        },
      },
      legend: { top: 0, type: "scroll" },
      grid: { left: 48, right: 40, top: 40, bottom: 28 },
      xAxis: { type: "category", data: data.labels },
      yAxis: [
        { type: "value", name: data.axes[0], min: -100, max: 100, interval: 50 },
        { type: "value", name: data.axes[1], min: 1, max: 5, interval: 1, splitLine: { show: false } },
      ],
      series: lines,
    });
    charts.push(chart);
  }

  function draw() {
    document.querySelectorAll("[data-chart='survey-trend']").forEach(function (element) {
      var source = document.getElementById(element.dataset.chartSource || "");
      if (!source || typeof echarts === "undefined") { return; }
      trend(element, JSON.parse(source.textContent));
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
