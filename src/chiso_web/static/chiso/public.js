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

  var vn = new Intl.NumberFormat("vi-VN", {maximumFractionDigits: 2});

  function line(labels, values, name, scale) {
    return {
      animation: false,
      grid: {left: 50, right: 20, top: 40, bottom: 50},
      title: {text: "Điểm quy đổi theo tháng: " + name, left: "center", textStyle: {fontSize: 13}},
      xAxis: {type: "category", data: labels, name: "Tháng", nameLocation: "middle", nameGap: 30},
      yAxis: {type: "value", max: scale || 100, name: "Điểm", nameLocation: "middle", nameGap: 34},
      tooltip: {trigger: "axis"},
      series: [{type: "line", connectNulls: false, data: values, name: name,
        label: {show: true, formatter: function (p) { return p.value === null ? "" : vn.format(p.value); }}}]
    };
  }

  function distribution(d) {
    // the same donut as the staff ranking (app.js): empty classes out, counts on slices
    draw("public-distribution", window.chisoDonut("Số đơn vị theo xếp loại", d.distribution, COLORS));
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
