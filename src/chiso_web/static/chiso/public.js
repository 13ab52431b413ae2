/* chiso public pages: class distribution and published trends (ECharts).
   No inline scripts (CSP): data comes from <script type="application/json" id="public-data">. */
(function () {
  "use strict";
  var COLORS = {excellent: "#1b7f3b", good: "#2f6fb5", fair: "#16a0a0", average: "#e08a00", weak: "#c62828"};
  var charts = {};

  function data() {
    var node = document.getElementById("public-data");
    return node ? JSON.parse(node.textContent) : null;
  }

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    if (!charts[id]) charts[id] = echarts.init(el, null, {renderer: "canvas"});
    charts[id].setOption(option, true);
  }

  function line(labels, values, name, scale) {
    return {
      animation: false,
      grid: {left: 40, right: 20, top: 30, bottom: 30},
      title: {text: name, textStyle: {fontSize: 13}},
      xAxis: {type: "category", data: labels},
      yAxis: {type: "value", max: scale || 100},
      tooltip: {trigger: "axis"},
      series: [{type: "line", connectNulls: false, data: values, name: name}]
    };
  }

  function distribution(d) {
    draw("public-distribution", {
      animation: false,
      tooltip: {trigger: "item"},
      series: [{type: "pie", radius: ["35%", "70%"], label: {formatter: "{b}: {c}"},
        data: d.distribution.map(function (b) {
          return {name: b.label, value: b.count, itemStyle: {color: COLORS[b.grade] || "#888"}};
        })}]
    });
  }

  function rankingTrend(d) {
    var select = document.getElementById("public-trend-unit");
    if (!select) return;
    function show() {
      var unit = d.trend.units[select.value];
      if (unit) draw("public-trend", line(d.trend.labels, unit.converted, unit.name, d.scale));
    }
    select.addEventListener("change", show);
    show();
  }

  function unitTrend(d) {
    draw("public-unit-trend", line(
      d.trend.map(function (t) { return t.label; }),
      d.trend.map(function (t) { return t.converted; }),
      d.unit.name, d.scale));
  }

  function init() {
    var d = data();
    if (!d) return;
    if (d.distribution && d.units) distribution(d);
    if (d.units && d.trend && d.trend.units) rankingTrend(d);
    if (d.unit && d.trend) unitTrend(d);
  }

  document.addEventListener("DOMContentLoaded", init);
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  });
})();
