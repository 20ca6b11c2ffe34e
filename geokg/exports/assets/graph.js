/* geokg graph page. Data comes from the JSON block; all text goes on screen through
   textContent, never as HTML. Exposes window.geokg = {nodes, edges, network, ...}. */
(function () {
  "use strict";

  var api = { ready: false, timing: { start: performance.now() } };
  window.geokg = api;
  var data = JSON.parse(document.getElementById("geokg-data").textContent);
  api.timing.parsed = performance.now();
  var SVG = "http://www.w3.org/2000/svg";
  var QUAD_NAMES = {};
  var QUAD_COLOURS = {};
  data.legend.quad.forEach(function (q) {
    QUAD_NAMES[String(q.quad)] = q.name;
    QUAD_COLOURS[String(q.quad)] = q.colour;
  });
  var TYPE_COLOURS = {};
  data.legend.types.forEach(function (t) { TYPE_COLOURS[t.type] = t.colour; });

  var VIEW = data.view || { top_labels: 20, edge_labels: 80 };
  var NODE_FONT = data.options.nodes.font;
  var EDGE_FONT = data.options.edges.font;
  // Labels are off until the label pass (relabel) places them where they do not collide.
  data.options.nodes.font = Object.assign({}, NODE_FONT, { size: 0 });
  data.options.edges.font = Object.assign({}, EDGE_FONT, { size: 0 });
  var edgeFontBase = {};
  data.edges.forEach(function (e) { edgeFontBase[e.id] = e.font || {}; });
  var typeColour = {};
  data.nodes.forEach(function (n) { typeColour[n.id] = n.color; });
  var byRank = data.nodes.map(function (n) { return n.id; });
  var rankOf = {};
  data.nodes.forEach(function (n) { rankOf[n.id] = n.geokg.rank; });
  byRank.sort(function (a, b) { return rankOf[a] - rankOf[b]; });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);

  var state = {
    types: {},
    quads: {},
    plover: "",
    from: "",
    to: "",
    undated: true,
    pinned: null,
    focus: null,
    colour: "type"
  };
  var history = [];
  var hood = null;
  var forced = {};
  data.legend.types.forEach(function (t) { state.types[t.type] = true; });
  data.legend.quad.forEach(function (q) { state.quads[String(q.quad)] = true; });

  // ---------------------------------------------------------------- small DOM helpers
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }
  function safeHref(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }
  function link(text, url) {
    var href = safeHref(url);
    if (!href) { return el("span", null, text); }
    var a = el("a", null, text);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function chip(text, colour, cls) {
    var c = el("span", "chip" + (cls ? " " + cls : ""));
    if (colour) {
      var d = el("span", "dot");
      d.style.background = colour;
      c.appendChild(d);
    }
    c.appendChild(document.createTextNode(String(text)));
    return c;
  }
  function svgEl(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }
  function shapeIcon(shape, fill, stroke) {
    var s = svgEl("svg", { width: 16, height: 16, viewBox: "0 0 16 16" });
    var a = { fill: fill, stroke: stroke, "stroke-width": 1.2 };
    var pts = {
      hexagon: "8,1.5 13.6,4.7 13.6,11.3 8,14.5 2.4,11.3 2.4,4.7",
      triangle: "8,2 14.5,13.5 1.5,13.5",
      triangleDown: "1.5,2.5 14.5,2.5 8,14",
      diamond: "8,1.5 14.5,8 8,14.5 1.5,8"
    };
    var shp;
    if (shape === "square") {
      shp = svgEl("rect", Object.assign({ x: 2.5, y: 2.5, width: 11, height: 11 }, a));
    } else if (pts[shape]) {
      shp = svgEl("polygon", Object.assign({ points: pts[shape] }, a));
    } else {
      shp = svgEl("circle", Object.assign({ cx: 8, cy: 8, r: 6 }, a));
    }
    s.appendChild(shp);
    return s;
  }
  function lineIcon(colour, dashes) {
    var s = svgEl("svg", { width: 30, height: 10, viewBox: "0 0 30 10" });
    var attrs = { x1: 1, y1: 5, x2: 29, y2: 5, stroke: colour, "stroke-width": 2.5 };
    if (dashes && dashes.length) { attrs["stroke-dasharray"] = dashes.join(" "); }
    s.appendChild(svgEl("line", attrs));
    return s;
  }
  function labelOf(id) {
    var n = nodes.get(id);
    if (n) { return n.label; }
    return Object.prototype.hasOwnProperty.call(data.labels, id) ? data.labels[id] : id;
  }

  // ---------------------------------------------------------------- filtering
  function edgePasses(e) {
    var g = e.geokg;
    if (!state.quads[String(g.quad_class)]) { return false; }
    if (state.plover === "\u0000none") {
      if (g.plover) { return false; }
    } else if (state.plover && g.plover !== state.plover) {
      return false;
    }
    if (state.from || state.to) {
      if (!g.dates.length) { return state.undated; }
      var hit = g.dates.some(function (d) {
        var day = d.slice(0, 10);
        return (!state.from || day >= state.from) && (!state.to || day <= state.to);
      });
      if (!hit) { return false; }
    }
    return true;
  }
  function edgeFilterActive() {
    var allQuads = Object.keys(state.quads).every(function (k) { return state.quads[k]; });
    return Boolean(state.plover || state.from || state.to || !allQuads);
  }
  var touched = null;
  function computeTouched() {
    touched = null;
    if (!edgeFilterActive()) { return; }
    touched = {};
    edges.forEach(function (e) {
      if (edgePasses(e) && typeOk(e.from) && typeOk(e.to)) {
        touched[e.from] = true;
        touched[e.to] = true;
      }
    });
  }
  function typeOk(id) {
    var n = nodes.get(id);
    return Boolean(n && state.types[n.geokg.type]);
  }
  function nodeVisible(n) {
    if (!state.types[n.geokg.type]) { return false; }
    if (hood !== null && !hood[n.id]) { return false; }
    return touched === null || Boolean(touched[n.id]);
  }
  function edgeVisible(e) {
    if (hood !== null && !(hood[e.from] && hood[e.to])) { return false; }
    return typeOk(e.from) && typeOk(e.to) && edgePasses(e);
  }
  // The neighbourhood of state.focus: actors within state.focus.hops relations that pass the
  // filters (Neo4j Bloom style), the focus included.
  function computeHood() {
    hood = null;
    if (!state.focus || !nodes.get(state.focus.id)) { return; }
    var adjacent = {};
    edges.forEach(function (e) {
      if (!(typeOk(e.from) && typeOk(e.to) && edgePasses(e))) { return; }
      (adjacent[e.from] = adjacent[e.from] || []).push(e.to);
      (adjacent[e.to] = adjacent[e.to] || []).push(e.from);
    });
    var found = {};
    found[state.focus.id] = true;
    var ring = [state.focus.id];
    for (var hop = 0; hop < state.focus.hops; hop += 1) {
      var next = [];
      ring.forEach(function (id) {
        (adjacent[id] || []).forEach(function (other) {
          if (!found[other]) { found[other] = true; next.push(other); }
        });
      });
      ring = next;
    }
    hood = found;
  }

  var nodeView = new vis.DataView(nodes, { filter: nodeVisible });
  var edgeView = new vis.DataView(edges, { filter: edgeVisible });

  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: [], edges: [] }, data.options);
  var physics = Boolean(data.options.physics && data.options.physics.enabled && data.nodes.length);
  var settledOnce = false;
  function settled() {
    if (settledOnce) { return; }
    settledOnce = true;
    if (physics) { network.setOptions({ physics: { enabled: false } }); }
    fitView();
    relabel();
    var overlay = document.getElementById("layout-progress");
    if (overlay) { overlay.hidden = true; }
    api.timing.labels = performance.now();
    network.once("afterDrawing", function () {
      api.readyAt = api.timing.ready = performance.now();
      api.ready = true;
    });
    network.body.emitter.emit("_requestRedraw");
  }
  if (physics) {
    network.once("stabilizationIterationsDone", settled);
    network.on("stabilizationProgress", function (p) {
      var overlay = document.getElementById("layout-progress");
      overlay.hidden = false;
      overlay.textContent = "Laying out " + data.nodes.length + " actors… " +
        Math.round(100 * p.iterations / p.total) + "%";
    });
  }
  api.timing.network = performance.now();
  network.setData({ nodes: nodeView, edges: edgeView });
  api.timing.data = performance.now();

  // Every change of filter or view ends here: the views are filtered again, the graph is
  // fitted to what is left (so a filter never leaves a few dots in an empty canvas) and the
  // labels are placed again.
  function refresh(keepView) {
    computeTouched();
    computeHood();
    nodeView.refresh();
    edgeView.refresh();
    updateStatus();
    updateFocusBar();
    if (!keepView) { fitView(); }
    relabel();
  }
  function fitView() {
    if (!nodeView.length) { return; }
    network.fit({ animation: false });
    if (nodeView.length > 1) {
      network.moveTo({ scale: network.getScale() * 0.92, animation: false });
    } else {
      network.moveTo({ scale: 1.2, animation: false });
    }
    if (state.focus) {
      // leave room for the neighbourhood bar over the top of the graph
      var scale = network.getScale() * 0.94;
      var centre = network.getViewPosition();
      network.moveTo({
        position: { x: centre.x, y: centre.y - 22 / scale }, scale: scale, animation: false
      });
    }
  }
  function updateStatus() {
    var status = document.getElementById("status");
    var shown = nodeView.length + " actors · " + edgeView.length + " relations";
    if (nodeView.length !== nodes.length || edgeView.length !== edges.length) {
      shown += " (of " + nodes.length + " · " + edges.length + ")";
    }
    status.textContent = shown;
  }

  // ---------------------------------------------------------------- labels
  // A greedy pass in rank order (weighted degree): the top actors get a label at a legible size
  // on screen whatever the zoom; the others get one once the zoom makes it 10 px or more; a
  // label that would cover one already placed is not drawn. Relation labels follow, only when
  // few relations are in view, and never over another label.
  var measure = document.createElement("canvas").getContext("2d");
  var widths = {};
  function textWidth(text, px) {
    var key = px + "\u0000" + text;
    if (!Object.prototype.hasOwnProperty.call(widths, key)) {
      measure.font = px + "px " + NODE_FONT.face;
      widths[key] = measure.measureText(text).width;
    }
    return widths[key];
  }
  var nodeFontSize = {};
  var edgeFontSize = {};
  var labelled = { nodes: [], edges: 0, edgesInView: 0, hiddenEdges: false };
  var MAX_LABELS = 400;
  function collides(box, boxes) {
    for (var i = 0; i < boxes.length; i += 1) {
      var b = boxes[i];
      if (box.x < b.x + b.w && b.x < box.x + box.w && box.y < b.y + b.h && b.y < box.y + box.h) {
        return true;
      }
    }
    return false;
  }
  function relabel() {
    var scale = network.getScale();
    var view = network.getViewPosition();
    var width = container.clientWidth;
    var height = container.clientHeight;
    var visible = {};
    nodeView.getIds().forEach(function (id) { visible[id] = true; });
    var pos = network.getPositions(Object.keys(visible));
    function dom(p) {
      return { x: (p.x - view.x) * scale + width / 2, y: (p.y - view.y) * scale + height / 2 };
    }
    // In a neighbourhood or a small view every actor may get a label, where there is room.
    var generous = (hood !== null && nodeView.length <= 300) || nodeView.length <= 60;
    var boxes = [];
    var nodeSizes = {};
    var shown = [];
    var order = Object.keys(forced).sort().concat(byRank);
    var done = {};
    for (var i = 0; i < order.length; i += 1) {
      var id = order[i];
      if (done[id] || !visible[id] || !pos[id]) { continue; }
      done[id] = true;
      var n = nodes.get(id);
      var px;
      if (forced[id] || rankOf[id] < VIEW.top_labels) {
        px = Math.min(Math.max(rankOf[id] < 5 ? 16 : 14, 14 * scale), 22);
      } else if ((generous || 14 * scale >= 10) && shown.length < MAX_LABELS) {
        px = Math.min(Math.max(12, 14 * scale), 22);
      } else {
        continue;
      }
      var c = dom(pos[id]);
      if (c.x < -200 || c.x > width + 200 || c.y < -60 || c.y > height + 60) { continue; }
      var w = textWidth(n.label, px) + 6;
      // vis-network hangs a label 3 units below the shape, its box about 0.55 em lower
      // (its box about 0.55 em lower); where the place below is taken, try above the shape.
      var box = { x: c.x - w / 2, y: c.y + (n.size + 3) * scale + 0.5 * px, w: w, h: px * 1.2 };
      var lift = 0;
      if (!forced[id] && collides(box, boxes)) {
        lift = -2 * (n.size + 3) * scale - 1.8 * px;
        box = { x: box.x, y: box.y + lift, w: box.w, h: box.h };
        if (collides(box, boxes)) { continue; }
      }
      boxes.push(box);
      shown.push(id);
      nodeSizes[id] = { size: px / scale, vadjust: lift / scale };
    }
    // Sizes go to the drawn bodies, not the DataSet: a DataSet update makes vis-network go
    // over every node and edge again (half a second at 2,000 actors).
    Object.keys(nodeFontSize).forEach(function (id) {
      if (!nodeSizes[id] && network.body.nodes[id]) {
        network.body.nodes[id].setOptions({ font: { size: 0, vadjust: 0 } });
      }
    });
    Object.keys(nodeSizes).forEach(function (id) {
      network.body.nodes[id].setOptions({ font: nodeSizes[id] });
    });
    nodeFontSize = nodeSizes;

    var candidates = [];
    edgeView.forEach(function (e) {
      var a = pos[e.from];
      var b = pos[e.to];
      if (!a || !b) { return; }
      var m = dom({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
      if (m.x >= 0 && m.x <= width && m.y >= 0 && m.y <= height) { candidates.push([e, m]); }
    });
    var edgeSizes = {};
    var edgeCount = 0;
    if (candidates.length <= VIEW.edge_labels) {
      candidates.sort(function (p, q) {
        return (q[0].geokg.weight - p[0].geokg.weight) || (p[0].id < q[0].id ? -1 : 1);
      });
      var epx = Math.min(Math.max(11, 12 * scale), 16);
      candidates.forEach(function (pair) {
        var e = pair[0];
        var m = pair[1];
        var w = textWidth(e.label, epx) + 4;
        var box = { x: m.x - w / 2, y: m.y - epx * 0.65, w: w, h: epx * 1.3 };
        if (collides(box, boxes)) { return; }
        boxes.push(box);
        edgeSizes[e.id] = epx / scale;
        edgeCount += 1;
      });
    }
    Object.keys(edgeFontSize).forEach(function (id) {
      if (!edgeSizes[id] && network.body.edges[id]) {
        network.body.edges[id].setOptions({ font: Object.assign({}, edgeFontBase[id], { size: 0 }) });
      }
    });
    Object.keys(edgeSizes).forEach(function (id) {
      network.body.edges[id].setOptions({
        font: Object.assign({}, edgeFontBase[id], { size: edgeSizes[id] })
      });
    });
    edgeFontSize = edgeSizes;
    network.body.emitter.emit("_requestRedraw");
    labelled = {
      nodes: shown,
      edges: edgeCount,
      edgesInView: candidates.length,
      hiddenEdges: candidates.length > VIEW.edge_labels
    };
    api.labelled = labelled;
    updateNote();
  }
  var relabelTimer = null;
  function relabelSoon() {
    if (relabelTimer !== null) { clearTimeout(relabelTimer); }
    relabelTimer = setTimeout(function () { relabelTimer = null; relabel(); }, 90);
  }
  // Above a size threshold the page says what it hides and how to see it.
  function updateNote() {
    var note = document.getElementById("view-note");
    var bits = [];
    var total = nodeView.length;
    if (total > VIEW.top_labels && labelled.nodes.length < total) {
      bits.push("Labels on " + labelled.nodes.length + " of " + total +
        " actors (the most mentioned first); zoom in, search or click an actor to see the others.");
    }
    if (labelled.hiddenEdges) {
      bits.push("Relation labels are hidden with " + labelled.edgesInView +
        " relations in view (more than " + VIEW.edge_labels +
        "); zoom in, click an actor, or hover a relation to read it.");
    }
    note.textContent = bits.join(" ");
    note.hidden = !bits.length;
  }
  network.on("zoom", relabelSoon);
  network.on("dragEnd", relabelSoon);
  network.on("animationFinished", relabelSoon);
  window.addEventListener("resize", relabelSoon);

  // ---------------------------------------------------------------- neighbourhood
  function focusOn(id, hops) {
    if (!nodes.get(id)) { return; }
    history.push({
      focus: state.focus,
      position: network.getViewPosition(),
      scale: network.getScale()
    });
    state.focus = { id: id, hops: hops || 1 };
    forced = {};
    forced[id] = true;
    refresh();
  }
  function setHops(hops) {
    if (!state.focus) { return; }
    state.focus = { id: state.focus.id, hops: hops };
    refresh();
  }
  function back() {
    if (!history.length) { return; }
    var previous = history.pop();
    state.focus = previous.focus;
    forced = {};
    if (state.focus) { forced[state.focus.id] = true; }
    refresh(true);
    network.moveTo({ position: previous.position, scale: previous.scale, animation: false });
    relabel();
  }
  function updateFocusBar() {
    var bar = document.getElementById("focus-bar");
    if (!state.focus) {
      bar.hidden = true;
      return;
    }
    bar.hidden = false;
    document.getElementById("focus-name").textContent = labelOf(state.focus.id);
    document.getElementById("focus-count").textContent =
      (nodeView.length - 1) + " actor" + (nodeView.length === 2 ? "" : "s") + " within " +
      state.focus.hops + " relation" + (state.focus.hops === 1 ? "" : "s");
    Array.prototype.forEach.call(bar.querySelectorAll("button[data-hops]"), function (b) {
      b.setAttribute("aria-pressed", String(Number(b.dataset.hops) === state.focus.hops));
    });
  }
  function buildFocusBar() {
    var bar = document.getElementById("focus-bar");
    Array.prototype.forEach.call(bar.querySelectorAll("button[data-hops]"), function (b) {
      b.addEventListener("click", function () { setHops(Number(b.dataset.hops)); });
    });
    document.getElementById("focus-back").addEventListener("click", back);
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && state.focus && document.activeElement.id !== "search") { back(); }
    });
  }

  // ---------------------------------------------------------------- colours
  function colourBy(mode) {
    state.colour = mode;
    var palette = {};
    data.communities.forEach(function (c) { palette[String(c.community)] = c.colour; });
    var other = data.communities.length ? data.communities[data.communities.length - 1] : null;
    var grey = other && other.community === null ? other.colour : "#D9D9D9";
    var updates = data.nodes.map(function (n) {
      if (mode !== "community") { return { id: n.id, color: typeColour[n.id] }; }
      var c = n.geokg.community;
      var fill = c !== null && palette[String(c)] ? palette[String(c)] : grey;
      return {
        id: n.id,
        color: {
          background: fill,
          border: "#4A4F57",
          highlight: { background: fill, border: "#1F2933" },
          hover: { background: fill, border: "#1F2933" }
        }
      };
    });
    nodes.update(updates);
    document.getElementById("community-legend").hidden = mode !== "community";
  }
  function buildColours() {
    var legend = document.getElementById("community-legend");
    data.communities.forEach(function (c) {
      var row = el("div", "row static");
      var dot = el("span", "swatch");
      dot.style.background = c.colour;
      row.appendChild(dot);
      row.appendChild(el("span", null, c.top === null ? "other communities" : "around " + c.top));
      row.appendChild(el("span", "count", c.size));
      legend.appendChild(row);
    });
    Array.prototype.forEach.call(document.querySelectorAll("input[name=colour]"), function (r) {
      r.addEventListener("change", function () { if (r.checked) { colourBy(r.value); } });
    });
    if (!data.communities.length) {
      document.getElementById("colour-community").disabled = true;
    }
  }

  // ---------------------------------------------------------------- time histogram
  // Relations per day, month or year (by the span of the dates); dragging over the bars sets
  // the date filter, a click on the histogram's clear link removes it.
  var histogram = { bins: [], select: null };
  function lastDay(year, month) {
    return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
  }
  var DAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}/;
  function buildHistogram() {
    var box = document.getElementById("histogram");
    var days = [];
    edges.forEach(function (e) {
      e.geokg.dates.forEach(function (d) {
        if (DAY.test(d) && !isNaN(Date.parse(d.slice(0, 10)))) { days.push(d.slice(0, 10)); }
      });
    });
    if (!days.length) {
      box.hidden = true;
      return;
    }
    days.sort();
    var first = days[0];
    var last = days[days.length - 1];
    var span = (Date.parse(last) - Date.parse(first)) / 86400000;
    var unit = span <= 62 ? "day" : span <= 3660 ? "month" : "year";
    var bins = [];
    var index = {};
    var y = Number(first.slice(0, 4));
    var m = Number(first.slice(5, 7));
    var cursor = first;
    while (cursor <= last && bins.length < 400) {
      var key;
      var start;
      var end;
      if (unit === "day") {
        key = start = end = cursor;
        cursor = new Date(Date.parse(cursor) + 86400000).toISOString().slice(0, 10);
      } else if (unit === "month") {
        key = String(y) + "-" + (m < 10 ? "0" : "") + m;
        start = key + "-01";
        end = lastDay(y, m);
        m += 1;
        if (m > 12) { m = 1; y += 1; }
        cursor = String(y) + "-" + (m < 10 ? "0" : "") + m + "-01";
      } else {
        key = String(y);
        start = key + "-01-01";
        end = key + "-12-31";
        y += 1;
        cursor = String(y) + "-01-01";
      }
      index[key] = bins.length;
      bins.push({ key: key, start: start, end: end, count: 0 });
    }
    var keyLength = unit === "day" ? 10 : unit === "month" ? 7 : 4;
    edges.forEach(function (e) {
      var seen = {};
      e.geokg.dates.forEach(function (d) {
        var k = d.slice(0, keyLength);
        if (DAY.test(d) && Object.prototype.hasOwnProperty.call(index, k) && !seen[k]) {
          seen[k] = true;
          bins[index[k]].count += 1;
        }
      });
    });
    histogram.bins = bins;
    var W = 220;
    var H = 56;
    var top = Math.max.apply(null, bins.map(function (b) { return b.count; })) || 1;
    var bw = W / bins.length;
    var svg = svgEl("svg", {
      width: W, height: H + 2, viewBox: "0 0 " + W + " " + (H + 2), class: "histogram-chart"
    });
    svg.setAttribute("aria-label", "Relations per " + unit + "; drag to filter by date");
    var brush = svgEl("rect", { x: 0, y: 0, width: 0, height: H, class: "brush" });
    svg.appendChild(brush);
    bins.forEach(function (b, i) {
      var h = Math.max(b.count ? 1.5 : 0, (H - 2) * b.count / top);
      var bar = svgEl("rect", {
        x: (i * bw + 0.5).toFixed(2), y: (H - h).toFixed(2),
        width: Math.max(0.5, bw - 1).toFixed(2), height: h.toFixed(2), class: "bar"
      });
      bar.dataset.key = b.key;
      var tip = svgEl("title", {});
      tip.textContent = b.key + ": " + b.count + " relation" + (b.count === 1 ? "" : "s");
      bar.appendChild(tip);
      svg.appendChild(bar);
    });
    svg.appendChild(svgEl("line", { x1: 0, y1: H + 0.5, x2: W, y2: H + 0.5, class: "axis" }));
    box.appendChild(svg);
    var scaleRow = el("div", "histogram-scale");
    scaleRow.appendChild(el("span", null, bins[0].key));
    scaleRow.appendChild(el("span", null, "per " + unit));
    scaleRow.appendChild(el("span", null, bins[bins.length - 1].key));
    box.appendChild(scaleRow);
    var range = el("div", "histogram-range", "drag over the bars to filter by date");
    box.appendChild(range);

    function binAt(clientX) {
      var r = svg.getBoundingClientRect();
      var i = Math.floor((clientX - r.left) / (r.width / bins.length));
      return Math.max(0, Math.min(bins.length - 1, i));
    }
    function paint(a, b) {
      var lo = Math.min(a, b);
      var hi = Math.max(a, b);
      brush.setAttribute("x", (lo * bw).toFixed(2));
      brush.setAttribute("width", ((hi - lo + 1) * bw).toFixed(2));
      Array.prototype.forEach.call(svg.querySelectorAll(".bar"), function (bar, i) {
        bar.classList.toggle("out", i < lo || i > hi);
      });
    }
    var anchor = null;
    svg.addEventListener("pointerdown", function (ev) {
      anchor = binAt(ev.clientX);
      svg.setPointerCapture(ev.pointerId);
      paint(anchor, anchor);
      ev.preventDefault();
    });
    svg.addEventListener("pointermove", function (ev) {
      if (anchor !== null) { paint(anchor, binAt(ev.clientX)); }
    });
    svg.addEventListener("pointerup", function (ev) {
      if (anchor === null) { return; }
      var end = binAt(ev.clientX);
      var lo = Math.min(anchor, end);
      var hi = Math.max(anchor, end);
      anchor = null;
      setDates(bins[lo].start, bins[hi].end);
    });
    histogram.paint = function () {
      var from = state.from || bins[0].start;
      var to = state.to || bins[bins.length - 1].end;
      if (!state.from && !state.to) {
        brush.setAttribute("width", 0);
        Array.prototype.forEach.call(svg.querySelectorAll(".bar"), function (bar) {
          bar.classList.remove("out");
        });
        range.textContent = "drag over the bars to filter by date";
        return;
      }
      var lo = 0;
      var hi = bins.length - 1;
      while (lo < hi && bins[lo].end < from) { lo += 1; }
      while (hi > lo && bins[hi].start > to) { hi -= 1; }
      paint(lo, hi);
      range.textContent = (state.from || "…") + " – " + (state.to || "…");
    };
  }
  function setDates(from, to) {
    state.from = from;
    state.to = to;
    document.getElementById("date-from").value = from;
    document.getElementById("date-to").value = to;
    if (histogram.paint) { histogram.paint(); }
    refresh();
  }

  // ---------------------------------------------------------------- legend and filters
  function buildFilters() {
    var typeCounts = {};
    nodes.forEach(function (n) { typeCounts[n.geokg.type] = (typeCounts[n.geokg.type] || 0) + 1; });
    var typeBox = document.getElementById("type-filters");
    data.legend.types.forEach(function (t) {
      var row = el("label", "row");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.type = t.type;
      box.addEventListener("change", function () { state.types[t.type] = box.checked; refresh(); });
      row.appendChild(box);
      row.appendChild(shapeIcon(t.shape, t.colour, t.border));
      row.appendChild(el("span", null, t.type));
      row.appendChild(el("span", "count", typeCounts[t.type] || 0));
      typeBox.appendChild(row);
    });

    var quadCounts = {};
    edges.forEach(function (e) {
      var k = String(e.geokg.quad_class);
      quadCounts[k] = (quadCounts[k] || 0) + 1;
    });
    var quadBox = document.getElementById("quad-filters");
    data.legend.quad.forEach(function (q) {
      var key = String(q.quad);
      var row = el("label", "row");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.quad = key;
      box.addEventListener("change", function () { state.quads[key] = box.checked; refresh(); });
      row.appendChild(box);
      row.appendChild(lineIcon(q.colour, null));
      row.appendChild(el("span", null, q.name));
      row.appendChild(el("span", "count", quadCounts[key] || 0));
      quadBox.appendChild(row);
    });

    var dashBox = document.getElementById("dash-legend");
    var solid = el("div", "row static");
    solid.appendChild(lineIcon("#55606b", null));
    solid.appendChild(el("span", null, "asserted"));
    dashBox.appendChild(solid);
    data.legend.dashes.forEach(function (d) {
      var row = el("div", "row static");
      row.appendChild(lineIcon("#55606b", d.dashes));
      row.appendChild(el("span", null, d.style === "negated" ? "negated (label “not …”)" : d.style));
      dashBox.appendChild(row);
    });

    var ploverCounts = {};
    var uncoded = 0;
    edges.forEach(function (e) {
      if (e.geokg.plover) {
        ploverCounts[e.geokg.plover] = (ploverCounts[e.geokg.plover] || 0) + 1;
      } else {
        uncoded += 1;
      }
    });
    var select = document.getElementById("plover");
    var all = el("option", null, "All event types (" + edges.length + ")");
    all.value = "";
    select.appendChild(all);
    Object.keys(ploverCounts).sort().forEach(function (p) {
      var o = el("option", null, p + " (" + ploverCounts[p] + ")");
      o.value = p;
      select.appendChild(o);
    });
    if (uncoded) {
      var none = el("option", null, "Not coded (" + uncoded + ")");
      none.value = "\u0000none";
      select.appendChild(none);
    }
    select.addEventListener("change", function () { state.plover = select.value; refresh(); });

    var from = document.getElementById("date-from");
    var to = document.getElementById("date-to");
    var undated = document.getElementById("undated");
    if (data.dates) {
      from.min = to.min = data.dates[0].slice(0, 10);
      from.max = to.max = data.dates[1].slice(0, 10);
    }
    from.addEventListener("change", function () { setDates(from.value, state.to); });
    to.addEventListener("change", function () { setDates(state.from, to.value); });
    undated.addEventListener("change", function () { state.undated = undated.checked; refresh(); });

    document.getElementById("reset").addEventListener("click", function () {
      Array.prototype.forEach.call(document.querySelectorAll(".side input[type=checkbox]"),
        function (b) { b.checked = true; });
      Object.keys(state.types).forEach(function (k) { state.types[k] = true; });
      Object.keys(state.quads).forEach(function (k) { state.quads[k] = true; });
      state.plover = state.from = state.to = "";
      state.undated = true;
      select.value = "";
      from.value = to.value = "";
      if (histogram.paint) { histogram.paint(); }
      refresh();
    });
  }

  // ---------------------------------------------------------------- search
  function buildSearch() {
    var input = document.getElementById("search");
    var list = document.getElementById("actor-names");
    var count = document.getElementById("search-count");
    nodes.get({ order: "label" }).forEach(function (n) {
      var o = el("option");
      o.value = n.label;
      list.appendChild(o);
    });
    function matches(q) {
      q = q.trim().toLowerCase();
      if (!q) { return []; }
      return nodeView.get().filter(function (n) {
        if (n.label.toLowerCase().indexOf(q) >= 0) { return true; }
        return n.geokg.aliases.some(function (a) { return a.toLowerCase().indexOf(q) >= 0; });
      }).map(function (n) { return n.id; }).sort();
    }
    function run(focus) {
      var ids = matches(input.value);
      if (!input.value.trim()) {
        count.textContent = "";
        network.unselectAll();
        forced = {};
        if (state.focus) { forced[state.focus.id] = true; }
        relabel();
        return;
      }
      count.textContent = ids.length === 1 ? "1 match" : ids.length + " matches";
      network.selectNodes(ids, false);
      forced = {};
      if (state.focus) { forced[state.focus.id] = true; }
      ids.slice(0, 30).forEach(function (id) { forced[id] = true; });
      if (ids.length === 1 || (focus && ids.length)) {
        // Zoom to the actor every time, close enough for the labels around it to show.
        if (ids.length === 1) {
          network.focus(ids[0], { scale: Math.max(network.getScale(), 1.1), animation: false });
        } else {
          network.fit({ nodes: ids, animation: false });
        }
        showNode(ids[0], false);
      }
      relabel();
    }
    input.addEventListener("input", function () { run(false); });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { run(true); }
      if (ev.key === "Escape") { input.value = ""; run(false); }
    });
  }

  // ---------------------------------------------------------------- details panel
  var panel = document.getElementById("details");
  function emptyPanel() {
    clear(panel);
    panel.appendChild(el("h2", null, "Details"));
    var p = el("p", "empty", "Hover over or click a relation to read its source sentences, " +
      "dates, documents, modality and speaker; click an actor to see its relations.");
    panel.appendChild(p);
    panel.dataset.kind = "";
    panel.dataset.id = "";
  }
  function header(kind, id, pinned) {
    clear(panel);
    panel.dataset.kind = kind;
    panel.dataset.id = id;
    var h = el("h2", null, kind === "edge" ? "Relation" : "Actor");
    if (pinned) { h.appendChild(el("span", "pinned", "pinned · click background to release")); }
    panel.appendChild(h);
  }
  function fact(dl, term, value) {
    if (value === null || value === undefined || value === "" ||
        (Array.isArray(value) && !value.length)) { return; }
    dl.appendChild(el("dt", null, term));
    var dd = el("dd");
    if (value instanceof Node) {
      dd.appendChild(value);
    } else {
      dd.textContent = Array.isArray(value) ? value.join(", ") : String(value);
    }
    dl.appendChild(dd);
  }
  function documentLine(prov) {
    var meta = el("div", "meta");
    var doc = Object.prototype.hasOwnProperty.call(data.documents, prov.doc_id) ?
      data.documents[prov.doc_id] : null;
    var title = doc && doc.title ? doc.title : prov.doc_id;
    if (title) { meta.appendChild(link(title, doc ? doc.url : null)); }
    var bits = [];
    var date = prov.date || (doc && doc.published);
    if (date) {
      bits.push(date + (prov.date_source === "text" ? " (date in the text)" :
        prov.date_source === "article" ? " (article's date)" : ""));
    }
    if (prov.speaker) { bits.push("speaker: " + labelOf(prov.speaker)); }
    if (bits.length) { meta.appendChild(document.createTextNode((title ? " · " : "") + bits.join(" · "))); }
    return meta;
  }
  function showEdge(id, pinned) {
    var e = edges.get(id);
    if (!e) { return; }
    var g = e.geokg;
    header("edge", id, pinned);
    var h = el("h3");
    h.appendChild(document.createTextNode(labelOf(e.from) + " "));
    h.appendChild(el("span", "rel" + (g.negated ? " neg" : ""), e.label));
    h.appendChild(document.createTextNode(" → " + labelOf(e.to)));
    panel.appendChild(h);
    var chips = el("div", "chips");
    chips.appendChild(chip(QUAD_NAMES[String(g.quad_class)], QUAD_COLOURS[String(g.quad_class)]));
    chips.appendChild(chip(g.modality, null, g.modality === "negated" ? "neg" : ""));
    if (g.negated && g.modality !== "negated") { chips.appendChild(chip("negated", null, "neg")); }
    panel.appendChild(chips);
    var dl = el("dl", "facts");
    fact(dl, "Event", [g.plover, g.cameo ? "CAMEO " + g.cameo : null].filter(Boolean).join(" · "));
    fact(dl, "Goldstein", g.goldstein === null ? null : g.goldstein.toFixed(1));
    fact(dl, "Confidence", g.confidence === null ? null : g.confidence.toFixed(2));
    fact(dl, "Mentions", g.weight);
    fact(dl, "Dates", g.dates);
    var speakers = g.speakers.map(labelOf);
    if (g.more_speakers) { speakers.push("and " + g.more_speakers + " more"); }
    fact(dl, "Speaker", speakers);
    fact(dl, "Documents", g.documents);
    panel.appendChild(dl);
    panel.appendChild(el("h2", null, "Sources (" + g.sources + ")"));
    g.provenance.forEach(function (p) {
      var box = el("div", "source");
      box.appendChild(el("blockquote", "sentence", p.sentence || ""));
      box.appendChild(documentLine(p));
      panel.appendChild(box);
    });
    var more = g.sources - g.provenance.length;
    if (more > 0) {
      panel.appendChild(el("p", "hint", "and " + more + " more source" +
        (more === 1 ? "" : "s") + " in triples.jsonl"));
    }
  }
  function showNode(id, pinned) {
    var n = nodes.get(id);
    if (!n) { return; }
    var g = n.geokg;
    header("node", id, pinned);
    panel.appendChild(el("h3", null, n.label));
    var chips = el("div", "chips");
    chips.appendChild(chip(g.type, TYPE_COLOURS[g.type]));
    if (g.country) { chips.appendChild(chip(g.country)); }
    panel.appendChild(chips);
    var dl = el("dl", "facts");
    fact(dl, "Roles", g.roles);
    fact(dl, "Also called", g.aliases);
    if (g.wikidata && /^Q[0-9]+$/.test(g.wikidata)) {
      fact(dl, "Wikidata", link(g.wikidata, "https://www.wikidata.org/wiki/" + g.wikidata));
    }
    fact(dl, "Mentions", g.mentions);
    fact(dl, "Relations", g.shown_degree === g.degree ? g.degree :
      g.shown_degree + " shown of " + g.degree);
    fact(dl, "Documents", g.documents || null);
    fact(dl, "Id", n.id);
    panel.appendChild(dl);
    var connected = edgeView.get({
      filter: function (e) { return e.from === id || e.to === id; }
    });
    connected.sort(function (a, b) {
      return (b.geokg.weight - a.geokg.weight) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    if (!connected.length) { return; }
    panel.appendChild(el("h2", null, "Relations (" + connected.length + ")"));
    var ul = el("ul", "links");
    connected.slice(0, 60).forEach(function (e) {
      var li = el("li");
      var a = el("a", null, labelOf(e.from) + " " + e.label + " → " + labelOf(e.to));
      a.addEventListener("click", function () {
        state.pinned = { kind: "edge", id: e.id };
        network.selectEdges([e.id]);
        showEdge(e.id, true);
      });
      li.appendChild(a);
      if (e.geokg.weight > 1) { li.appendChild(el("span", "muted", " ×" + e.geokg.weight)); }
      ul.appendChild(li);
    });
    panel.appendChild(ul);
    if (connected.length > 60) {
      panel.appendChild(el("p", "hint", (connected.length - 60) + " more not listed."));
    }
  }

  network.on("hoverEdge", function (p) { if (!state.pinned) { showEdge(p.edge, false); } });
  network.on("hoverNode", function (p) { if (!state.pinned) { showNode(p.node, false); } });
  network.on("click", function (p) {
    if (p.nodes.length) {
      state.pinned = { kind: "node", id: p.nodes[0] };
      if (!state.focus || state.focus.id !== p.nodes[0]) {
        focusOn(p.nodes[0], state.focus ? state.focus.hops : 1);
      }
      showNode(p.nodes[0], true);
    } else if (p.edges.length) {
      state.pinned = { kind: "edge", id: p.edges[0] };
      showEdge(p.edges[0], true);
    } else {
      state.pinned = null;
      emptyPanel();
    }
  });

  function edgeMidpoint(id) {
    var body = network.body && network.body.edges ? network.body.edges[id] : null;
    var point = null;
    if (body && body.edgeType && typeof body.edgeType.getPoint === "function") {
      point = body.edgeType.getPoint(0.5);
    }
    if (!point) {
      var e = edges.get(id);
      var pos = network.getPositions([e.from, e.to]);
      point = { x: (pos[e.from].x + pos[e.to].x) / 2, y: (pos[e.from].y + pos[e.to].y) / 2 };
    }
    var dom = network.canvasToDOM(point);
    var box = container.getBoundingClientRect();
    return { x: box.left + dom.x, y: box.top + dom.y };
  }

  buildFilters();
  buildSearch();
  buildFocusBar();
  buildColours();
  buildHistogram();
  emptyPanel();
  updateStatus();

  api.nodes = nodes;
  api.edges = edges;
  api.network = network;
  api.nodeView = nodeView;
  api.edgeView = edgeView;
  api.counts = data.counts;
  api.notice = data.notice;
  api.showEdge = showEdge;
  api.showNode = showNode;
  api.edgeMidpoint = edgeMidpoint;
  api.focusOn = focusOn;
  api.back = back;
  api.relabel = relabel;
  api.colourBy = colourBy;
  api.labelled = labelled;
  if (!physics) { settled(); }
})();
