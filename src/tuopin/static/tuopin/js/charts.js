// Draws every chart of the page from the JSON beside it ({% chart %}, core/charts.py) with the
// vendored ECharts (ADR 0007). Each chart's box keeps its size from the start (nothing moves
// when it is drawn); the same figures are in the folded table under it. Without JavaScript the
// box is not shown (site.css, `scripting: none`) and the table opens with a tap, as always; if
// drawing fails, the box goes and its table opens.
(function () {
  "use strict";
  if (!window.echarts) return;
  var FONT = 13; // px, on a phone and a desktop alike
  var INK = "#222", BAR = "#c0392b", DOT = "#c0392b", DOT_FILL = "rgba(192,57,43,.6)";
  var ZERO = "#b8b8b8";
  var lang = document.documentElement.lang || "zh-hans";
  var english = lang.indexOf("en") === 0;
  var number = new Intl.NumberFormat(english ? "en" : "zh-CN");
  var colon = english ? ": " : "：";
  var family = window.getComputedStyle(document.body).fontFamily;

  function withUnit(value, unit) {
    return number.format(value) + (unit ? " " + unit : "");
  }

  function linked(items) {
    return items.some(function (i) { return i.url; });
  }

  function escape(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function base(spec) {
    return {
      animation: false,
      textStyle: { fontSize: FONT, fontFamily: family, color: INK },
      tooltip: {
        confine: true,
        textStyle: { fontSize: FONT, fontFamily: family, color: INK },
        formatter: function (p) {
          var name = p.data && p.data.fullName ? p.data.fullName : p.name;
          var value = Array.isArray(p.value) ? p.value[2] : p.value;
          return escape(name) + colon + escape(withUnit(value, spec.unit));
        },
      },
    };
  }

  function barOption(spec) {
    var option = base(spec);
    option.grid = { left: 8, right: 64, top: 8, bottom: 8, containLabel: true };
    option.xAxis = { type: "value", show: false };
    option.yAxis = {
      type: "category",
      inverse: true, // the first row at the top, as in the table
      data: spec.rows.map(function (r) { return r.label; }),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: "#ccc" } },
      axisLabel: { fontSize: FONT, color: INK, interval: 0, width: 120, overflow: "truncate" },
    };
    option.series = [{
      type: "bar",
      barMaxWidth: 24,
      itemStyle: { color: BAR, borderRadius: [0, 3, 3, 0] },
      label: {
        show: true, position: "right", fontSize: FONT, color: INK,
        formatter: function (p) { return number.format(p.value); },
      },
      data: spec.rows.map(function (r) {
        return { value: r.value, url: r.url };
      }),
      cursor: linked(spec.rows) ? "pointer" : "default",
    }];
    return option;
  }

  // The extent from the server fitted to the box: the longer side of the data fills the box
  // and a degree of longitude stays kx times a degree of latitude (no stretched country).
  function fitted(extent, width, height) {
    var kx = extent.kx || 1;
    var dx = (extent.lng[1] - extent.lng[0]) * kx, dy = extent.lat[1] - extent.lat[0];
    var cx = (extent.lng[0] + extent.lng[1]) / 2, cy = (extent.lat[0] + extent.lat[1]) / 2;
    if (width <= 0 || height <= 0) return extent;
    if (dx / dy > width / height) dy = dx * height / width;
    else dx = dy * width / height;
    return { lng: [cx - dx / kx / 2, cx + dx / kx / 2], lat: [cy - dy / 2, cy + dy / 2] };
  }

  var MAP_PAD = 16; // px around the plot, so that a dot on the edge is whole

  function mapOption(spec, el) {
    var option = base(spec);
    var top = 1;
    spec.points.forEach(function (p) { if (p.value > top) top = p.value; });
    var box = fitted(spec.extent, el.clientWidth - 2 * MAP_PAD, el.clientHeight - 2 * MAP_PAD);
    option.grid = { left: MAP_PAD, right: MAP_PAD, top: MAP_PAD, bottom: MAP_PAD };
    option.xAxis = { type: "value", show: false, min: box.lng[0], max: box.lng[1] };
    option.yAxis = { type: "value", show: false, min: box.lat[0], max: box.lat[1] };
    function dot(p) {
      return {
        name: p.label, fullName: p.name, url: p.url, value: [p.lng, p.lat, p.value],
      };
    }
    var some = spec.points.filter(function (p) { return p.value > 0; });
    var none = spec.points.filter(function (p) { return p.value <= 0; });
    option.series = [
      { // areas with nothing: small, grey, no label (their name on hover or tap)
        type: "scatter", symbolSize: 6, itemStyle: { color: ZERO }, data: none.map(dot),
        emphasis: { scale: 1.6 }, cursor: linked(none) ? "pointer" : "default",
      },
      {
        type: "scatter",
        data: some.map(dot),
        cursor: linked(some) ? "pointer" : "default",
        symbolSize: function (v) { return 8 + 22 * Math.sqrt(v[2] / top); },
        itemStyle: { color: DOT_FILL, borderColor: "#fff", borderWidth: 1 },
        label: {
          show: true, position: "top", distance: 3, fontSize: FONT, color: INK, formatter: "{b}",
          textBorderColor: "#fff", textBorderWidth: 3, // readable over a neighbour's dot
        },
        labelLayout: { hideOverlap: true }, // the larger dot keeps its label
        emphasis: { label: { show: true }, itemStyle: { color: DOT } },
      },
    ];
    return option;
  }

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    var build = spec.kind === "map" ? function () { return mapOption(spec, el); }
      : function () { return barOption(spec); };
    chart.setOption(build());
    chart.on("click", function (p) {
      if (p.data && p.data.url) window.location.assign(p.data.url);
    });
    if (window.ResizeObserver) {
      var size = el.clientWidth + "x" + el.clientHeight;
      new ResizeObserver(function () {
        var now = el.clientWidth + "x" + el.clientHeight;
        if (now === size) return; // the first call, on observing: already drawn at this size
        size = now;
        chart.resize();
        if (spec.kind === "map") chart.setOption(build()); // the extent fitted to the new box
      }).observe(el);
    }
    el.setAttribute("data-drawn", "true");
  }

  function drawAll() {
    if (window.performance && performance.mark) performance.mark("tuopin:charts-start");
    var boxes = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < boxes.length; i++) {
      try {
        draw(boxes[i]);
      } catch (e) {
        boxes[i].hidden = true; // the figures are still in the table: open it
        var table = boxes[i].parentNode.querySelector("details.chart-data");
        if (table) table.open = true;
        if (window.console) window.console.error(e);
      }
    }
    if (window.performance && performance.mark) performance.mark("tuopin:charts-drawn");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();
