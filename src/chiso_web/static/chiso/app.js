/* chiso dashboard: ECharts from the page's JSON document, sortable tables, live refresh.
   No inline scripts (CSP): data comes from <script type="application/json" id="chart-data">. */
(function () {
  "use strict";
  var COLORS = {excellent: "#1b7f3b", good: "#2f6fb5", fair: "#16a0a0", average: "#e08a00", weak: "#c62828"};
  var charts = [];
  var TITLE = {left: "center", textStyle: {fontSize: 14}};
  var vn = new Intl.NumberFormat("vi-VN", {maximumFractionDigits: 2});

  function number(p) { return p.value === null || p.value === undefined ? "" : vn.format(p.value); }

  // the class donut: empty classes left out (their labels piled up), names and counts in
  // the legend under it and the count on each slice, so no label is cut at the edge
  function donut(title, distribution, colors) {
    var shown = distribution.filter(function (b) { return b.count > 0; });
    var counts = {};
    shown.forEach(function (b) { counts[b.label] = b.count; });
    return {
      animation: false,
      title: Object.assign({text: title}, TITLE),
      tooltip: {trigger: "item"},
      legend: {bottom: 0, formatter: function (name) { return name + ": " + counts[name]; }},
      series: [{type: "pie", radius: ["35%", "62%"], center: ["50%", "48%"],
        label: {position: "inside", formatter: "{c}", color: "#fff", fontWeight: "bold"},
        data: shown.map(function (b) {
          return {name: b.label, value: b.count, itemStyle: {color: colors[b.grade] || "#888"}};
        })}]
    };
  }
  window.chisoDonut = donut;

  function doc() {
    var node = document.getElementById("chart-data");
    return node ? JSON.parse(node.textContent) : null;
  }

  function make(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    var chart = echarts.init(el, null, {renderer: "canvas"});
    chart.setOption(option);
    charts.push(chart);
  }

  function rankingChart(d) {
    // units without data have no score: they stay out of the bars
    var units = d.units.filter(function (u) { return u.has_data !== false; }).reverse();
    var box = document.getElementById("chart-ranking");
    if (box && !box.classList.contains("tall")) {
      box.style.height = Math.max(360, units.length * 16 + 40) + "px";
    }
    make("chart-ranking", {
      animation: false,
      title: Object.assign({text: "Điểm quy đổi của các đơn vị"}, TITLE),
      grid: {left: 160, right: 50, top: 34, bottom: 40},
      xAxis: {type: "value", max: d.scale || 100, name: "Điểm quy đổi", nameLocation: "middle", nameGap: 24},
      yAxis: {type: "category", data: units.map(function (u) { return u.name; }), axisLabel: {fontSize: 10, interval: 0}},
      tooltip: {trigger: "axis"},
      series: [{type: "bar", name: "Điểm quy đổi", label: {show: true, position: "right", fontSize: 10, formatter: number},
        data: units.map(function (u) {
          return {value: u.converted, itemStyle: {color: COLORS[u["class"]] || "#888"}};
        })}]
    });
    make("chart-distribution", donut("Số đơn vị theo xếp loại", d.distribution, COLORS));
  }

  function unitCharts(d) {
    var trend = d.trend.filter(function (t) { return t.label; });
    make("chart-trend", {
      animation: false,
      title: Object.assign({text: "Điểm quy đổi theo tháng"}, TITLE),
      grid: {left: 50, right: 20, top: 40, bottom: 50},
      xAxis: {type: "category", data: trend.map(function (t) { return t.shown || t.period; }),
        name: "Tháng", nameLocation: "middle", nameGap: 30},
      yAxis: {type: "value", max: 100, name: "Điểm", nameLocation: "middle", nameGap: 34},
      tooltip: {trigger: "axis"},
      series: [{type: "line", name: "Điểm quy đổi", label: {show: true, formatter: number},
        data: trend.map(function (t) { return t.converted; })}]
    });
    var groups = d.groups.filter(function (g) {
      var v = d.unit.groups[g.code]; return v && v.max;
    });
    if (groups.length >= 3) {
      make("chart-radar", {
        animation: false,
        title: Object.assign({text: "Tỷ lệ điểm đạt theo nhóm (%)"}, TITLE),
        radar: {indicator: groups.map(function (g) { return {name: g.short_label || g.label, max: 100}; })},
        series: [{type: "radar", data: [{value: groups.map(function (g) {
          var v = d.unit.groups[g.code]; return v.points === null ? 0 : Math.round(1000 * v.points / v.max) / 10;
        }), name: d.unit.name}]}]
      });
    }
  }

  function draw() {
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    var d = doc();
    if (!d) return;
    if (d.units) rankingChart(d);
    if (d.unit && d.trend) unitCharts(d);  // live fragments carry the trend too
  }

  // data-value holds machine values (dot decimals; the class as its place, best first);
  // an empty one (a unit without data) stays last whichever way the column is sorted.
  function value(row, col) {
    var cell = row.cells[col];
    return (cell && cell.dataset.value) || "";
  }

  function sortable(table) {
    if (table.dataset.sortReady) return;  // init runs again after every htmx swap
    table.dataset.sortReady = "1";
    table.querySelectorAll("th[data-sort]").forEach(function (th, col) {
      th.tabIndex = 0;
      th.addEventListener("click", function () {
        var numeric = th.dataset.sort === "number";
        var asc = th.dataset.dir !== "asc";
        th.dataset.dir = asc ? "asc" : "desc";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = value(a, col), y = value(b, col);
          if (x === "" || y === "") return (x === "") - (y === "");
          var r = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "vi");
          return asc ? r : -r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  function init() {
    draw();
    document.querySelectorAll("table.sortable").forEach(sortable);
  }

  // Live pages poll with hx-trigger="every Ns"; skip the poll while the tab is hidden here,
  // because a filter expression in hx-trigger needs eval, which the CSP forbids.
  document.addEventListener("htmx:beforeRequest", function (e) {
    if (document.visibilityState === "hidden" && e.detail.elt.id === "live") e.preventDefault();
  });
  // Live parts poll with hx-trigger="every Ns"; a hidden tab skips its polls (the CSP
  // forbids htmx's eval-based trigger filters, so the check lives here).
  document.addEventListener("htmx:beforeRequest", function (e) {
    var trigger = e.detail.elt && e.detail.elt.getAttribute("hx-trigger");
    if (document.visibilityState === "hidden" && trigger && trigger.indexOf("every") === 0) {
      e.preventDefault();
    }
  });
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", init);
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
