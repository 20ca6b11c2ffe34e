/* geokg graph page. Data comes from the JSON block; all text goes on screen through
   textContent, never as HTML. Exposes window.geokg = {nodes, edges, network, ...}. */
(function () {
  "use strict";

  var api = { ready: false };
  window.geokg = api;
  var data = JSON.parse(document.getElementById("geokg-data").textContent);
  var SVG = "http://www.w3.org/2000/svg";
  var QUAD_NAMES = {};
  var QUAD_COLOURS = {};
  data.legend.quad.forEach(function (q) {
    QUAD_NAMES[String(q.quad)] = q.name;
    QUAD_COLOURS[String(q.quad)] = q.colour;
  });
  var TYPE_COLOURS = {};
  data.legend.types.forEach(function (t) { TYPE_COLOURS[t.type] = t.colour; });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);

  var state = {
    types: {},
    quads: {},
    plover: "",
    from: "",
    to: "",
    undated: true,
    pinned: null
  };
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
    return touched === null || Boolean(touched[n.id]);
  }
  function edgeVisible(e) {
    return typeOk(e.from) && typeOk(e.to) && edgePasses(e);
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
    network.setOptions({ physics: { enabled: false } });
    network.fit({ animation: false });
    network.moveTo({ scale: network.getScale() * 0.92, animation: false });
    var overlay = document.getElementById("layout-progress");
    if (overlay) { overlay.hidden = true; }
    network.once("afterDrawing", function () { api.ready = true; });
    network.redraw();
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
  network.setData({ nodes: nodeView, edges: edgeView });

  function refresh() {
    computeTouched();
    nodeView.refresh();
    edgeView.refresh();
    updateStatus();
  }
  function updateStatus() {
    var status = document.getElementById("status");
    var shown = nodeView.length + " actors · " + edgeView.length + " relations";
    if (nodeView.length !== nodes.length || edgeView.length !== edges.length) {
      shown += " (of " + nodes.length + " · " + edges.length + ")";
    }
    status.textContent = shown;
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
    from.addEventListener("change", function () { state.from = from.value; refresh(); });
    to.addEventListener("change", function () { state.to = to.value; refresh(); });
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
      refresh();
      network.fit({ animation: false });
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
        return;
      }
      count.textContent = ids.length === 1 ? "1 match" : ids.length + " matches";
      network.selectNodes(ids, false);
      if (ids.length === 1 || (focus && ids.length)) {
        if (ids.length === 1) {
          network.focus(ids[0], { scale: Math.max(network.getScale(), 1.1), animation: true });
        } else {
          network.fit({ nodes: ids, animation: true });
        }
        showNode(ids[0], false);
      }
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
    if (date) { bits.push(date); }
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
  if (!physics) { settled(); }
})();
