// The contract page: execution against the contract (ECharts, data from json_script):
// bars of what was bought each month, the running total, and the straight pro-rata line of
// what is due; and a confirmation before a form marked data-confirm is sent.
(function () {
  "use strict";

  function money(value) {
    return window.OpenKAM.money(value);
  }

  function compact(value) {
    return window.OpenKAM.moneyAxis(value);
  }

  function execution(element) {
    var source = document.getElementById(element.dataset.chartSource || "");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var escape = window.OpenKAM.escapeHtml;
    var labels = {
      actual: element.dataset.labelActual || "Bought",
      cumulative: element.dataset.labelCumulative || "To date",
      due: element.dataset.labelDue || "Due",
    };
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      textStyle: { fontFamily: window.getComputedStyle(document.body).fontFamily },
      color: ["#74b9ff", "#206bc4", "#d63939"],
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, data: [labels.actual, labels.cumulative, labels.due] },
      tooltip: {
        trigger: "axis",
        formatter: function (items) {
          var lines = [escape(items[0].axisValue)];
          items.forEach(function (item) {
            lines.push(item.marker + escape(item.seriesName) + ": " + (item.value == null ? "—" : money(item.value)));
          });
          return lines.join("<br>");
        },
      },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", axisLabel: { formatter: compact } },
      series: [
        { name: labels.actual, type: "bar", barMaxWidth: 18, data: data.actual },
        { name: labels.cumulative, type: "line", symbolSize: 5, data: data.cumulative },
        { name: labels.due, type: "line", symbol: "none", lineStyle: { type: "dashed" }, data: data.due },
      ],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-contract-chart]").forEach(execution);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
