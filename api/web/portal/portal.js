// Cổng cán bộ công đoàn: vẽ biểu đồ của bảng theo dõi bằng SVG thuần (không thư viện, không mạng).
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var COLORS = ["#1f5fa8", "#c0392b", "#2e8b57", "#d68910", "#7d3c98", "#17806d", "#a04000", "#5d6d7e"];

  function el(name, attrs, text) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function svg(width, height, label) {
    return el("svg", { viewBox: "0 0 " + width + " " + height, class: "chart-svg", role: "img", "aria-label": label });
  }

  function empty(figure) {
    var p = document.createElement("p");
    p.className = "empty";
    p.textContent = "Chưa có dữ liệu.";
    figure.appendChild(p);
  }

  // Columns over time: one bar per day, a label every few days.
  function columns(figure, points, label) {
    var total = points.reduce(function (s, p) { return s + p.value; }, 0);
    if (!points.length || total === 0) return empty(figure);
    var w = 640, h = 220, pad = 28, max = Math.max.apply(null, points.map(function (p) { return p.value; }));
    var chart = svg(w, h, label), step = (w - pad * 2) / points.length;
    chart.appendChild(el("line", { x1: pad, y1: h - pad, x2: w - pad, y2: h - pad, class: "axis" }));
    chart.appendChild(el("text", { x: 2, y: pad - 8, class: "tick" }, String(max)));
    points.forEach(function (p, i) {
      var bh = max ? (h - pad * 2) * p.value / max : 0;
      var bar = el("rect", { x: pad + i * step + 1, y: h - pad - bh, width: Math.max(step - 2, 1), height: bh,
                             class: "bar", "data-value": p.value, fill: COLORS[0] });
      bar.appendChild(el("title", {}, p.label + ": " + p.value));
      chart.appendChild(bar);
      if (i % Math.ceil(points.length / 8) === 0) {
        chart.appendChild(el("text", { x: pad + i * step, y: h - 8, class: "tick" }, p.label.slice(5)));
      }
    });
    figure.appendChild(chart);
  }

  // Horizontal bars with their labels, for categories.
  function bars(figure, items, label) {
    items = items.filter(function (i) { return i.value > 0; });
    if (!items.length) return empty(figure);
    var w = 640, row = 26, labelW = 280, h = items.length * row + 10;
    var max = Math.max.apply(null, items.map(function (i) { return i.value; }));
    var chart = svg(w, h, label);
    items.forEach(function (item, i) {
      var y = 5 + i * row, bw = (w - labelW - 60) * item.value / max;
      chart.appendChild(el("text", { x: labelW - 8, y: y + 17, class: "label", "text-anchor": "end" },
                           item.label.length > 38 ? item.label.slice(0, 37) + "…" : item.label));
      var bar = el("rect", { x: labelW, y: y + 3, width: Math.max(bw, 2), height: row - 8, class: "bar",
                             "data-value": item.value, fill: COLORS[i % COLORS.length] });
      bar.appendChild(el("title", {}, item.label + ": " + item.value));
      chart.appendChild(bar);
      chart.appendChild(el("text", { x: labelW + bw + 6, y: y + 17, class: "value" }, String(item.value)));
    });
    figure.appendChild(chart);
  }

  // A ring split between satisfied and unsatisfied ratings.
  function ring(figure, up, down) {
    var total = up + down;
    if (!total) return empty(figure);
    var w = 240, h = 200, r = 70, cx = 120, cy = 100, chart = svg(w, h, "Mức độ hài lòng");
    var parts = [{ v: up, c: COLORS[2], n: "Hài lòng" }, { v: down, c: COLORS[1], n: "Chưa hài lòng" }];
    var angle = -Math.PI / 2;
    parts.forEach(function (p) {
      if (!p.v) return;
      var sweep = 2 * Math.PI * p.v / total, end = angle + sweep;
      var large = sweep > Math.PI ? 1 : 0;
      var d = p.v === total
        ? "M " + cx + " " + (cy - r) + " A " + r + " " + r + " 0 1 1 " + (cx - 0.01) + " " + (cy - r) + " Z"
        : "M " + cx + " " + cy + " L " + (cx + r * Math.cos(angle)) + " " + (cy + r * Math.sin(angle)) +
          " A " + r + " " + r + " 0 " + large + " 1 " + (cx + r * Math.cos(end)) + " " + (cy + r * Math.sin(end)) + " Z";
      var slice = el("path", { d: d, fill: p.c, class: "slice", "data-value": p.v });
      slice.appendChild(el("title", {}, p.n + ": " + p.v));
      chart.appendChild(slice);
      angle = end;
    });
    chart.appendChild(el("circle", { cx: cx, cy: cy, r: r * 0.55, fill: "#fff" }));
    chart.appendChild(el("text", { x: cx, y: cy + 6, "text-anchor": "middle", class: "big" },
                         Math.round(100 * up / total) + "%"));
    figure.appendChild(chart);
  }

  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source) return;
    var data = JSON.parse(source.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (figure) {
      var kind = figure.getAttribute("data-chart");
      if (kind === "questions_per_day") {
        columns(figure, data.questions_per_day.map(function (d) { return { label: d.date, value: d.count }; }),
                "Câu hỏi theo ngày");
      } else if (kind === "satisfaction") {
        ring(figure, data.satisfaction.up, data.satisfaction.down);
      } else if (kind === "cases_by_status") {
        bars(figure, data.cases.by_status.map(function (s) { return { label: s.label, value: s.count }; }),
             "Vụ việc theo trạng thái");
      } else if (kind === "questions_per_unit") {
        bars(figure, data.questions_per_unit.map(function (u) { return { label: u.unit_name, value: u.count }; }),
             "Câu hỏi theo đơn vị");
      } else if (kind === "questions_per_topic") {
        bars(figure, data.questions_per_topic.map(function (t) { return { label: t.topic, value: t.count }; }),
             "Câu hỏi theo chủ đề");
      } else if (kind === "top_citations") {
        bars(figure, data.top_citations.map(function (c) { return { label: c.label, value: c.count }; }),
             "Điều luật được trích dẫn nhiều nhất");
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
