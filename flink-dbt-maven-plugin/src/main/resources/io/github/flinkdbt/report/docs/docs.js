/* flink-dbt docs: the lineage graph, the selection syntax, column lineage and one page per node.
   Plain browser JavaScript, no libraries, works opened from disk. The data is window.FLINK_DBT_DOCS
   (data.js), the layout is computed when the site is written. */
(function () {
  "use strict";

  var DATA = window.FLINK_DBT_DOCS;
  var SVG = "http://www.w3.org/2000/svg";
  var WIDTH = 240, HEIGHT = 30;
  var byId = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; });

  var state = { showTests: false, view: { x: 0, y: 0, k: 1 }, lit: null, matches: null, drawn: false };
  var svg = document.getElementById("graph");
  var viewport = document.getElementById("viewport");

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function svgEl(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function link(id, label) {
    var a = el("a", { href: "#!/node/" + encodeURIComponent(id) }, label || (byId[id] ? byId[id].name : id));
    return a;
  }
  function visible(n) { return n.type !== "test" || state.showTests; }
  function pos(n) { return state.showTests ? { x: n.tx, y: n.ty } : { x: n.x, y: n.y }; }
  function kindOf(n) { return n.type === "model" ? n.materialized : n.type; }

  /* ---------- the graph ---------- */

  function draw() {
    var edges = document.getElementById("edges"), nodes = document.getElementById("nodes");
    edges.textContent = "";
    nodes.textContent = "";
    var edgeFrag = document.createDocumentFragment(), nodeFrag = document.createDocumentFragment();
    DATA.nodes.forEach(function (n) {
      if (!visible(n)) return;
      var p = pos(n);
      n.parents.forEach(function (parentId) {
        var parent = byId[parentId];
        if (!parent || !visible(parent)) return;
        var q = pos(parent);
        var x1 = q.x + WIDTH / 2, y1 = q.y, x2 = p.x - WIDTH / 2, y2 = p.y, mid = (x1 + x2) / 2;
        var path = svgEl("path", { d: "M" + x1 + "," + y1 + " C" + mid + "," + y1 + " " + mid + "," + y2 + " " + x2 + "," + y2,
          "class": "edge", "marker-end": "url(#arrow)", "data-from": parentId, "data-to": n.id });
        edgeFrag.appendChild(path);
      });
      var classes = ["node", "type-" + n.type];
      if (n.materialized) classes.push("mat-" + n.materialized);
      if (n.verdict) classes.push("verdict-" + n.verdict);
      if (n.result) classes.push("test-" + n.result);
      var g = svgEl("g", { "class": classes.join(" "), "data-id": n.id, transform: "translate(" + (p.x - WIDTH / 2) + "," + (p.y - HEIGHT / 2) + ")" });
      g.appendChild(svgEl("rect", { width: WIDTH, height: HEIGHT, rx: n.type === "source" || n.type === "exposure" ? 15 : 4 }));
      var label = svgEl("text", { x: 10, y: 19 });
      var room = 25 - shortKind(n).length;
      label.textContent = n.name.length > room ? n.name.slice(0, room - 1) + "…" : n.name;
      g.appendChild(label);
      var kind = svgEl("text", { x: WIDTH - 8, y: 19, "text-anchor": "end", "class": "kind" });
      kind.textContent = shortKind(n);
      g.appendChild(kind);
      var title = svgEl("title", {});
      title.textContent = n.name + " (" + kindOf(n) + ")" + (n.verdict ? "\nstate: " + n.verdict : "") + (n.result ? "\nlast result: " + n.result : "");
      g.appendChild(title);
      nodeFrag.appendChild(g);
    });
    edges.appendChild(edgeFrag);
    nodes.appendChild(nodeFrag);
    state.drawn = true;
    highlight();
  }

  function shortKind(n) {
    var k = kindOf(n);
    return { streaming_table: "streaming", incremental: "incr.", ephemeral: "ephem." }[k] || k;
  }

  function applyView() {
    var v = state.view;
    viewport.setAttribute("transform", "translate(" + v.x + "," + v.y + ") scale(" + v.k + ")");
  }

  function fit(ids) {
    var list = (ids && ids.length ? ids.map(function (id) { return byId[id]; }) : DATA.nodes).filter(function (n) { return n && visible(n); });
    if (!list.length) return;
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    list.forEach(function (n) {
      var p = pos(n);
      minX = Math.min(minX, p.x - WIDTH / 2); maxX = Math.max(maxX, p.x + WIDTH / 2);
      minY = Math.min(minY, p.y - HEIGHT / 2); maxY = Math.max(maxY, p.y + HEIGHT / 2);
    });
    var box = svg.getBoundingClientRect();
    var w = Math.max(box.width, 200), h = Math.max(box.height, 200), pad = 40;
    var k = Math.min((w - 2 * pad) / (maxX - minX), (h - 2 * pad) / (maxY - minY), 1.6);
    k = Math.max(k, 0.04);
    state.view = { k: k, x: (w - (maxX - minX) * k) / 2 - minX * k, y: (h - (maxY - minY) * k) / 2 - minY * k };
    applyView();
  }

  function highlight() {
    var focus = state.lit || state.matches;
    Array.prototype.forEach.call(document.querySelectorAll("#nodes .node"), function (g) {
      var id = g.getAttribute("data-id");
      g.classList.toggle("dim", !!focus && !focus.has(id));
      g.classList.toggle("match", !!state.matches && state.matches.has(id));
    });
    Array.prototype.forEach.call(document.querySelectorAll("#edges .edge"), function (p) {
      var both = focus && focus.has(p.getAttribute("data-from")) && focus.has(p.getAttribute("data-to"));
      p.classList.toggle("dim", !!focus && !both);
      p.classList.toggle("lit", !!state.lit && !!both);
    });
  }

  function setStatus(text) { document.getElementById("status").textContent = text; }

  function installPanZoom() {
    var drag = null;
    svg.addEventListener("wheel", function (e) {
      e.preventDefault();
      var box = svg.getBoundingClientRect(), v = state.view;
      var mx = e.clientX - box.left, my = e.clientY - box.top;
      var k = Math.min(4, Math.max(0.03, v.k * Math.exp(-e.deltaY * 0.0015)));
      v.x = mx - (mx - v.x) * k / v.k; v.y = my - (my - v.y) * k / v.k; v.k = k;
      applyView();
    }, { passive: false });
    svg.addEventListener("mousedown", function (e) {
      e.preventDefault(); // no text selection, no native drag and drop of the drawing: a drag pans
      drag = { x: e.clientX, y: e.clientY, vx: state.view.x, vy: state.view.y, moved: false };
      svg.classList.add("panning");
    });
    window.addEventListener("mousemove", function (e) {
      if (!drag) return;
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      state.view.x = drag.vx + dx; state.view.y = drag.vy + dy;
      applyView();
    });
    window.addEventListener("mouseup", function (e) {
      if (drag && !drag.moved) {
        var g = e.target.closest && e.target.closest(".node");
        if (g) location.hash = "#!/node/" + encodeURIComponent(g.getAttribute("data-id"));
      }
      drag = null;
      svg.classList.remove("panning");
    });
  }

  /* ---------- dbt's selection syntax ---------- */

  function ancestors(id, depth, out) {
    (byId[id] ? byId[id].parents : []).forEach(function (p) {
      if (depth === 0 || out.has(p)) return;
      out.add(p);
      ancestors(p, depth - 1, out);
    });
    return out;
  }
  function descendants(id, depth, out) {
    (byId[id] ? byId[id].children : []).forEach(function (c) {
      if (depth === 0 || out.has(c)) return;
      out.add(c);
      descendants(c, depth - 1, out);
    });
    return out;
  }
  function glob(pattern) {
    return new RegExp("^" + pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$", "i");
  }

  /** The nodes one selector method names: name (with * wildcards), tag:, source:, path:, resource_type:, config.materialized:, state:, test_type:. */
  function method(text) {
    var colon = text.indexOf(":");
    var name = colon < 0 ? "" : text.slice(0, colon), value = colon < 0 ? text : text.slice(colon + 1);
    var re = glob(value);
    return DATA.nodes.filter(function (n) {
      switch (name) {
        case "": return re.test(n.name) || re.test(n.id);
        case "tag": return (n.tags || []).some(function (t) { return re.test(t); });
        case "source": return n.type === "source" && (re.test(n.name) || re.test(n.name.split(".")[0]));
        case "exposure": return n.type === "exposure" && re.test(n.name);
        case "path": return (n.path || "").indexOf(value) === 0 || re.test(n.path || "");
        case "resource_type": return re.test(n.type);
        case "config.materialized": case "materialized": return re.test(n.materialized || "");
        case "state": case "verdict": return re.test(n.verdict || "");
        case "test_type": return n.type === "test" && re.test(n.testName ? "generic" : "singular");
        default: return false;
      }
    }).map(function (n) { return n.id; });
  }

  function atom(text) {
    var m = /^(@)?(\d*\+)?(.+?)(\+\d*)?$/.exec(text);
    if (!m) return new Set();
    var seeds = method(m[3]);
    var out = new Set(seeds);
    seeds.forEach(function (id) {
      if (m[1]) {
        descendants(id, -1, new Set()).forEach(function (d) { out.add(d); ancestors(d, -1, out); });
      }
      if (m[2]) ancestors(id, m[2].length > 1 ? parseInt(m[2], 10) : -1, out);
      if (m[4]) descendants(id, m[4].length > 1 ? parseInt(m[4].slice(1), 10) : -1, out);
    });
    return out;
  }

  /** A whole selection: space-separated unions of comma-separated intersections; column:model.col traces a column. */
  function select(text) {
    var result = new Set();
    text.trim().split(/\s+/).filter(Boolean).forEach(function (union) {
      var sets = union.split(",").filter(Boolean).map(function (part) {
        return part.indexOf("column:") === 0 ? columnLineage(part.slice(7)).nodes : atom(part);
      });
      var inter = sets.reduce(function (a, b) { return new Set(Array.from(a).filter(function (x) { return b.has(x); })); });
      inter.forEach(function (x) { result.add(x); });
    });
    return result;
  }

  /* ---------- column lineage ---------- */

  function findNode(name) {
    if (byId[name]) return byId[name];
    var hits = DATA.nodes.filter(function (n) { return n.name === name && n.type !== "test"; });
    return hits[0];
  }

  /**
   * Where a column comes from: its origins as the planner traced them, followed through each model
   * they name; the views it was traced through (ancestors of the column's model, descendants of an
   * origin, reading that origin's column) are part of the way.
   */
  function columnLineage(spec) {
    var dot = spec.lastIndexOf(".");
    var start = findNode(spec.slice(0, dot)), column = spec.slice(dot + 1);
    var nodes = new Set(), steps = [];
    if (!start) return { nodes: nodes, steps: steps, start: null, column: column };
    var seen = new Set();
    function walk(node, col, depth) {
      var key = node.id + "." + col;
      if (seen.has(key)) return;
      seen.add(key);
      nodes.add(node.id);
      var c = (node.columns || []).filter(function (x) { return x.name === col; })[0];
      if (!c || !c.lineage) return;
      c.lineage.forEach(function (o) {
        var origin = o.node && byId[o.node];
        var step = { depth: depth, node: node, column: col, origin: o, via: [] };
        steps.push(step);
        if (!origin) return;
        var up = ancestors(node.id, -1, new Set());
        var down = descendants(origin.id, -1, new Set());
        up.forEach(function (v) {
          if (!down.has(v)) return;
          var via = byId[v];
          var reads = (via.columns || []).some(function (vc) {
            return (vc.lineage || []).some(function (l) { return l.node === origin.id && l.column === o.column; });
          });
          if (reads) { nodes.add(v); step.via.push(via.name); }
        });
        step.via.sort();
        walk(origin, o.column, depth + 1);
      });
    }
    walk(start, column, 0);
    return { nodes: nodes, steps: steps, start: start, column: column };
  }

  function showLineagePanel(trace) {
    var panel = document.getElementById("lineage-panel");
    panel.textContent = "";
    if (!trace) { panel.hidden = true; return; }
    panel.hidden = false;
    panel.appendChild(el("h4", null, "Where " + (trace.start ? trace.start.name : "?") + "." + trace.column + " comes from"));
    if (!trace.start) { panel.appendChild(el("p", null, "No such node.")); return; }
    if (!trace.steps.length) { panel.appendChild(el("p", null, "No column the planner traced (a literal, or an unknown column).")); }
    var ul = el("ul", { id: "lineage-steps" });
    trace.steps.forEach(function (s) {
      var li = el("li", { style: "margin-left:" + (s.depth * 14) + "px", "class": "lineage-step" });
      li.appendChild(document.createTextNode(s.node.name + "." + s.column + " \u2190 "));
      if (s.origin.node) li.appendChild(link(s.origin.node, (byId[s.origin.node] ? byId[s.origin.node].name : s.origin.node) + "." + s.origin.column));
      else li.appendChild(document.createTextNode(s.origin.relation + "." + s.origin.column));
      if (s.origin.derived) li.appendChild(document.createTextNode(" (computed from it)"));
      if (s.via.length) li.appendChild(el("div", { "class": "meta" }, "through " + s.via.join(", ")));
      ul.appendChild(li);
    });
    panel.appendChild(ul);
  }

  /* ---------- pages ---------- */

  function section(page, title) { page.appendChild(el("h2", null, title)); }

  function table(headers, rows) {
    var t = el("table"), head = el("tr");
    headers.forEach(function (h) { head.appendChild(el("th", null, h)); });
    t.appendChild(head);
    rows.forEach(function (cells) {
      var tr = el("tr");
      cells.forEach(function (c) {
        var td = el("td");
        if (c instanceof Node) td.appendChild(c); else td.textContent = c === undefined || c === null ? "" : String(c);
        tr.appendChild(td);
      });
      t.appendChild(tr);
    });
    return t;
  }

  function html(markup) { var d = el("div"); d.innerHTML = markup; return d; }
  function badge(text, cls) { return el("span", { "class": "badge " + (cls || text) }, text); }

  function nodePage(n) {
    var page = document.getElementById("page");
    page.textContent = "";
    page.appendChild(el("h1", null, n.name));
    var badges = el("div", { "class": "meta" });
    badges.appendChild(badge(n.type));
    if (n.materialized) badges.appendChild(badge(n.materialized));
    if (n.verdict) badges.appendChild(badge(n.verdict));
    if (n.result) badges.appendChild(badge("last result: " + n.result, n.result));
    (n.tags || []).forEach(function (t) { badges.appendChild(badge("#" + t, "tag")); });
    var show = el("a", { href: "#!/graph/" + encodeURIComponent("+" + n.name + "+") }, "show in graph");
    badges.appendChild(show);
    page.appendChild(badges);
    var meta = el("div", { "class": "meta" });
    if (n.relation) { meta.appendChild(document.createTextNode("relation ")); meta.appendChild(el("code", null, n.relation)); meta.appendChild(document.createTextNode("  ")); }
    if (n.path) { meta.appendChild(document.createTextNode("file ")); meta.appendChild(el("code", null, n.path)); }
    if (n.url && /^https?:\/\//.test(n.url)) {
      meta.appendChild(document.createTextNode("  "));
      meta.appendChild(el("a", { href: n.url, rel: "noopener noreferrer", target: "_blank" }, n.url));
    }
    page.appendChild(meta);

    section(page, "Description");
    var d = html(n.description || "");
    d.className = "description" + (n.description ? "" : " empty");
    if (!n.description) d.textContent = "No description. Describe it in a schema .yml file (description:) or a {% docs %} block.";
    page.appendChild(d);

    if (n.verdict || n.plan) stateSection(page, n);
    if (n.deployments) {
      section(page, "Deploy history");
      page.appendChild(table(["deployment", "when", "who", "action", "outcome", "job", "savepoint"], n.deployments.map(function (x) {
        var when = (x.at || "").replace(/\.\d+Z$/, "Z").replace("T", " ");
        return ["#" + x.deployment, when, x.who, x.action, badge(x.outcome || "?", (x.outcome || "").replace(" ", "-")), x.job || "", x.savepoint || ""];
      })));
    }
    if (n.columns && n.columns.length) {
      section(page, "Columns");
      page.appendChild(table(["column", "type", "description", "comes from", "tests"], n.columns.map(function (c) {
        var from = el("div");
        (c.lineage || []).forEach(function (o, i) {
          if (i) from.appendChild(document.createTextNode(", "));
          if (o.node) from.appendChild(link(o.node, (byId[o.node] ? byId[o.node].name : o.node) + "." + o.column));
          else from.appendChild(document.createTextNode(o.relation + "." + o.column));
          if (o.derived) from.appendChild(el("span", { title: "computed from it" }, "*"));
        });
        if (c.lineage && n.type !== "source") {
          from.appendChild(el("a", { "class": "lineage-link", href: "#!/lineage/" + encodeURIComponent(n.id) + "/" + encodeURIComponent(c.name) }, "trace"));
        }
        var tests = el("div");
        (c.tests || []).forEach(function (t) {
          var test = byId[t];
          tests.appendChild(link(t, test ? test.testName || test.name : t));
          if (test && test.result) tests.appendChild(badge(test.result));
          tests.appendChild(el("br"));
        });
        var name = el("code", null, c.name);
        return [name, c.type, html(c.description || ""), from, tests];
      })));
    }
    var tests = n.children.map(function (id) { return byId[id]; }).filter(function (x) { return x && x.type === "test"; });
    if (tests.length) {
      section(page, "Tests");
      page.appendChild(table(["test", "column", "severity", "last result"], tests.map(function (t) {
        return [link(t.id, t.name), t.column || "", t.severity || "", t.result ? badge(t.result) : "not run"];
      })));
    }
    section(page, "Upstream and downstream");
    page.appendChild(table(["upstream", "downstream"], [[list(n.parents), list(n.children.filter(function (id) { return !byId[id] || byId[id].type !== "test"; }))]]));
    if (n.config && Object.keys(n.config).length) {
      section(page, "Config");
      page.appendChild(el("pre", null, JSON.stringify(n.config, null, 2)));
    }
    if (n.raw || n.compiled) code(page, n);
    if (n.resultMessage) { section(page, "Last result"); page.appendChild(el("pre", null, n.resultMessage)); }
    page.scrollTop = 0;
  }

  function list(ids) {
    var d = el("div");
    if (!ids.length) d.textContent = "none";
    ids.forEach(function (id) { d.appendChild(link(id)); d.appendChild(el("br")); });
    return d;
  }

  function code(page, n) {
    section(page, "Code");
    var tabs = el("div", { "class": "tabs" }), pre = el("pre", { id: "code" });
    var variants = [];
    if (n.raw) variants.push(["source", n.raw]);
    if (n.compiled) variants.push(["compiled", n.compiled]);
    if (n.compiledIncremental) variants.push(["compiled (is_incremental)", n.compiledIncremental]);
    variants.forEach(function (v, i) {
      var b = el("button", { type: "button" }, v[0]);
      b.addEventListener("click", function () {
        Array.prototype.forEach.call(tabs.children, function (x) { x.classList.remove("on"); });
        b.classList.add("on");
        pre.textContent = v[1];
      });
      tabs.appendChild(b);
      if (i === 0) { b.classList.add("on"); pre.textContent = v[1]; }
    });
    page.appendChild(tabs);
    page.appendChild(pre);
  }

  function stateSection(page, n) {
    section(page, "State");
    if (n.verdict) {
      var p = el("p");
      p.appendChild(document.createTextNode("Against " + (DATA.project.baseline || "the baseline") + ": "));
      p.appendChild(badge(n.verdict));
      if (n.policy) p.appendChild(document.createTextNode(" on_state_incompatible: " + n.policy));
      page.appendChild(p);
      if (n.verdictReasons && n.verdictReasons.length) {
        var ul = el("ul");
        n.verdictReasons.forEach(function (r) { ul.appendChild(el("li", null, r)); });
        page.appendChild(ul);
      }
    } else {
      page.appendChild(el("p", { "class": "meta" }, "No verdict: run check-state-compat (or docs with a baseline) to compare with what is deployed."));
    }
    if (!n.plan) return;
    var stateful = n.plan.operators.filter(function (o) { return o.stateful; });
    page.appendChild(table(["operator", "UID", "state", "size (last savepoint)"], stateful.map(function (o) {
      return [o.role + " (" + o.type + ")", el("code", null, o.uid), (o.state || []).join(", "), o.stateSize || "–"];
    })));
    var scroll = el("div", { "class": "scroll" });
    scroll.appendChild(operatorGraph(n.plan.operators));
    page.appendChild(scroll);
  }

  function operatorGraph(ops) {
    var w = 190, h = 34, minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity, at = {};
    ops.forEach(function (o) {
      var x = o.x * 0.75, y = o.y;
      at[o.id] = { x: x, y: y };
      minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
    });
    var s = svgEl("svg", { "class": "operators", width: maxX - minX + w + 40, height: maxY - minY + h + 30 });
    var dx = -minX + w / 2 + 20, dy = -minY + h / 2 + 15;
    ops.forEach(function (o) {
      (o.inputs || []).forEach(function (i) {
        if (!at[i]) return;
        s.appendChild(svgEl("path", { "class": "edge", d: "M" + (at[i].x + dx + w / 2) + "," + (at[i].y + dy) + " L" + (at[o.id].x + dx - w / 2) + "," + (at[o.id].y + dy), "marker-end": "url(#arrow)" }));
      });
    });
    ops.forEach(function (o) {
      var g = svgEl("g", { "class": o.stateful ? "stateful" : "", transform: "translate(" + (at[o.id].x + dx - w / 2) + "," + (at[o.id].y + dy - h / 2) + ")" });
      g.appendChild(svgEl("rect", { width: w, height: h, rx: 3 }));
      var t1 = svgEl("text", { x: 6, y: 14 }); t1.textContent = o.role.length > 30 ? o.role.slice(0, 29) + "…" : o.role; g.appendChild(t1);
      var t2 = svgEl("text", { x: 6, y: 28 }); t2.textContent = o.stateful ? (o.stateSize ? "state " + o.stateSize : "stateful") : o.type.replace("stream-exec-", ""); g.appendChild(t2);
      var title = svgEl("title", {}); title.textContent = o.type + (o.uid ? "\nUID " + o.uid : ""); g.appendChild(title);
      s.appendChild(g);
    });
    return s;
  }

  function problemsPage() {
    var page = document.getElementById("page");
    page.textContent = "";
    page.appendChild(el("h1", null, "Documentation problems"));
    page.appendChild(el("p", { "class": "meta" }, "The site was built; these would make it better."));
    var ul = el("ul", { "class": "problems" });
    DATA.problems.forEach(function (p) { ul.appendChild(el("li", null, p)); });
    page.appendChild(ul);
  }

  /* ---------- sidebar, routing ---------- */

  function sidebar() {
    var nav = document.getElementById("sidebar");
    var groups = [["Sources", function (n) { return n.type === "source"; }, function (n) { return n.name.split(".")[0]; }],
      ["Models", function (n) { return n.type === "model"; }, function (n) { return (n.path || "").split("/").slice(0, -1).join("/"); }],
      ["Seeds", function (n) { return n.type === "seed"; }, null],
      ["Snapshots", function (n) { return n.type === "snapshot"; }, null],
      ["Exposures", function (n) { return n.type === "exposure"; }, null]];
    groups.forEach(function (g) {
      var members = DATA.nodes.filter(g[1]);
      if (!members.length) return;
      nav.appendChild(el("h3", null, g[0] + " (" + members.length + ")"));
      if (!g[2]) { members.forEach(function (n) { nav.appendChild(link(n.id)); }); return; }
      var folders = {};
      members.forEach(function (n) { (folders[g[2](n)] = folders[g[2](n)] || []).push(n); });
      Object.keys(folders).sort().forEach(function (f) {
        var d = el("details");
        d.open = members.length <= 60;
        d.appendChild(el("summary", null, (f || "/") + " (" + folders[f].length + ")"));
        folders[f].forEach(function (n) { d.appendChild(link(n.id)); });
        nav.appendChild(d);
      });
    });
  }

  function route() {
    var hash = location.hash.replace(/^#!?\/?/, "");
    var parts = hash.split("/").map(decodeURIComponent);
    var graphView = document.getElementById("graph-view"), page = document.getElementById("page");
    Array.prototype.forEach.call(document.querySelectorAll("#sidebar a.current"), function (a) { a.classList.remove("current"); });
    if (parts[0] === "node" && byId[parts.slice(1).join("/")]) {
      var n = byId[parts.slice(1).join("/")];
      graphView.hidden = true; page.hidden = false;
      nodePage(n);
      document.title = n.name + " · flink-dbt docs";
      var a = document.querySelector('#sidebar a[href="#!/node/' + encodeURIComponent(n.id) + '"]');
      if (a) a.classList.add("current");
      return;
    }
    if (parts[0] === "problems") { graphView.hidden = true; page.hidden = false; problemsPage(); return; }
    graphView.hidden = false; page.hidden = true;
    document.title = DATA.project.name + " · flink-dbt docs";
    if (!state.drawn) { draw(); fit(); }
    var trace = null;
    if (parts[0] === "lineage" && parts.length >= 3) {
      trace = columnLineage(parts[1] + "." + parts.slice(2).join("/"));
      state.lit = trace.nodes;
      document.getElementById("select").value = "column:" + (trace.start ? trace.start.name : parts[1]) + "." + trace.column;
    } else if (parts[0] === "graph" && parts[1]) {
      document.getElementById("select").value = parts.slice(1).join("/");
      state.lit = select(parts.slice(1).join("/"));
      if (document.getElementById("select").value.indexOf("column:") === 0) {
        var spec = document.getElementById("select").value.split(/\s+/)[0].slice(7);
        trace = columnLineage(spec);
      }
    } else {
      state.lit = null;
      document.getElementById("select").value = "";
    }
    showLineagePanel(trace);
    highlight();
    if (state.lit) { fit(Array.from(state.lit)); setStatus(state.lit.size + " selected"); } else { setStatus(""); }
  }

  function legend() {
    var box = document.getElementById("legend");
    [["source", "#d8f0de"], ["seed", "#cdeccf"], ["view", "#e4f0fd"], ["table", "#bcd8fb"], ["incremental", "#b5e3dd"],
      ["streaming_table", "#ffdcaa"], ["ephemeral", "#eef0f3"], ["snapshot", "#e6cdf0"], ["exposure", "#fbd9e0"]].forEach(function (x) {
      var s = el("span", { style: "--fill:" + x[1] }, x[0]); box.appendChild(s);
    });
    [["state kept", "#2e7d32"], ["state lost", "#c62828"], ["new (no state)", "#1565c0"], ["unchanged", "#607d8b"]].forEach(function (x) {
      var s = el("span", { "class": "ring", style: "--ring:" + x[1] }, x[0]); box.appendChild(s);
    });
  }

  function init() {
    document.getElementById("project-name").textContent = DATA.project.name;
    if (DATA.problems.length) {
      var pl = document.getElementById("problems-link");
      pl.hidden = false;
      pl.textContent = DATA.problems.length + " doc problem" + (DATA.problems.length === 1 ? "" : "s");
    }
    legend();
    sidebar();
    installPanZoom();
    document.getElementById("fit").addEventListener("click", function () { fit(state.lit ? Array.from(state.lit) : null); });
    document.getElementById("show-tests").addEventListener("change", function (e) {
      state.showTests = e.target.checked;
      draw();
      fit(state.lit ? Array.from(state.lit) : null);
    });
    var search = document.getElementById("search");
    search.addEventListener("input", function () {
      var q = search.value.trim().toLowerCase();
      if (location.hash.indexOf("#!/node/") === 0 || location.hash === "#!/problems") location.hash = "#!/graph";
      state.matches = q ? new Set(DATA.nodes.filter(function (n) { return visible(n) && n.name.toLowerCase().indexOf(q) >= 0; }).map(function (n) { return n.id; })) : null;
      highlight();
      setStatus(state.matches ? state.matches.size + " match" + (state.matches.size === 1 ? "" : "es") : "");
    });
    search.addEventListener("keydown", function (e) {
      if (e.key !== "Enter" || !state.matches) return;
      if (state.matches.size === 1) location.hash = "#!/node/" + encodeURIComponent(Array.from(state.matches)[0]);
      else fit(Array.from(state.matches));
    });
    document.getElementById("select").addEventListener("keydown", function (e) {
      if (e.key !== "Enter") return;
      var v = e.target.value.trim();
      location.hash = v ? "#!/graph/" + encodeURIComponent(v) : "#!/graph";
    });
    window.addEventListener("hashchange", route);
    window.addEventListener("resize", function () { if (!document.getElementById("graph-view").hidden && !state.lit) fit(); });
    route();
    requestAnimationFrame(function () {
      if (window.performance && performance.mark) performance.mark("flink-dbt-graph-painted");
      document.body.setAttribute("data-ready", "true");
    });
  }

  init();
})();
