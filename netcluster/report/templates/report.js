/* netcluster report: draws the embedded network with vis-network and runs the
   switches, the search, the profiles and the sortable tables.
   Data comes from the JSON block #nc-graph. Nothing from the data is ever
   written as HTML: every text is set with textContent, every id is an integer. */
(function () {
  "use strict";
  var graph = JSON.parse(document.getElementById("nc-graph").textContent);
  var profiles = graph.profiles;
  var aggregated = graph.mode === "aggregated";
  var hidden = {};
  var nodes = new vis.DataSet(graph.nodes);
  var edges = new vis.DataSet(graph.edges.map(function (edge, i) { edge.id = i; return edge; }));
  var visibleEdges = new vis.DataView(edges, {
    filter: function (edge) { return !hidden[edge.layer]; }
  });
  var container = document.getElementById("nc-network");
  var network = new vis.Network(container, { nodes: nodes, edges: visibleEdges }, graph.options);
  var colourKeys = Object.keys(graph.colours);
  var sizeKeys = Object.keys(graph.sizes);
  var home = {};
  graph.home.forEach(function (id) { home[id] = true; });
  var state = {
    network: network, nodes: nodes, edges: edges, visibleEdges: visibleEdges, drawn: false, mode: graph.mode,
    colourBy: colourKeys[0], sizeBy: sizeKeys[0], highlight: true, profile: null
  };

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  function each(selector, callback) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), callback);
  }

  /* -- colours, sizes, layers, members -------------------------------------------------- */
  function paint() {
    var colours = graph.colours[state.colourBy];
    nodes.update(colours.map(function (colour, id) {
      if (aggregated) { return { id: id, color: colour }; }
      var ring = state.highlight && home[id];
      return { id: id, color: { background: colour, border: ring ? "#111111" : "#4a5560" }, borderWidth: ring ? 3 : 1 };
    }));
    each("[data-legend]", function (legend) {
      legend.hidden = legend.getAttribute("data-legend") !== state.colourBy;
    });
  }

  function resize() {
    var sizes = graph.sizes[state.sizeBy];
    if (sizes) { nodes.update(sizes.map(function (size, id) { return { id: id, size: size }; })); }
  }

  each("input[name='nc-colour']", function (radio) {
    radio.addEventListener("change", function () { state.colourBy = radio.value; paint(); });
  });
  each("input[name='nc-size']", function (radio) {
    radio.addEventListener("change", function () { state.sizeBy = radio.value; resize(); });
  });
  each("input[data-layer]", function (box) {
    box.addEventListener("change", function () {
      hidden[box.getAttribute("data-layer")] = !box.checked;
      visibleEdges.refresh();
    });
  });
  var highlight = document.getElementById("nc-highlight");
  if (highlight) {
    highlight.addEventListener("change", function () { state.highlight = highlight.checked; paint(); });
  }

  /* -- profiles -------------------------------------------------------------------------- */
  function partnerButton(code) {
    var button = element("button", profiles.names[code], "link");
    button.type = "button";
    button.addEventListener("click", function () { showProfile(code, true); });
    return button;
  }

  function list(items, render) {
    var ul = element("ul");
    items.forEach(function (item) { var li = element("li"); render(li, item); ul.appendChild(li); });
    return ul;
  }

  function showProfile(code, focus) {
    var box = document.getElementById("nc-profile");
    box.replaceChildren();
    box.appendChild(element("h3", profiles.names[code]));
    var place = profiles.places[code];
    box.appendChild(element("p", "id " + profiles.ids[code] + (place ? " · " + place : "") +
      (profiles.home[code] ? " · member" : ""), "note"));
    var measures = element("dl");
    profiles.measures.forEach(function (measure) {
      measures.appendChild(element("dt", measure.label));
      measures.appendChild(element("dd", measure.values[code]));
    });
    box.appendChild(measures);
    var partners = profiles.partners[String(code)];
    if (partners) {
      box.appendChild(element("h4", "Strongest partners"));
      profiles.scopes.forEach(function (scope, s) {
        var chosen = partners.filter(function (p) { return p[1] === s; });
        if (!chosen.length) { return; }
        box.appendChild(element("p", scope, "note"));
        box.appendChild(list(chosen, function (li, p) { li.appendChild(partnerButton(p[0])); }));
      });
    } else if (aggregated) {
      box.appendChild(element("p", "Partners are listed for the members and the best-connected organisations.", "note"));
    }
    var gaps = profiles.gaps[String(code)];
    if (gaps) {
      box.appendChild(element("h4", "Gaps"));
      box.appendChild(list(gaps, function (li, text) { li.textContent = text; }));
    }
    var suggestions = profiles.suggestions[String(code)];
    if (suggestions) {
      box.appendChild(element("h4", "Suggested partners"));
      box.appendChild(list(suggestions, function (li, s) {
        li.appendChild(partnerButton(s[0]));
        li.appendChild(document.createTextNode(": " + s[1]));
      }));
    }
    state.profile = code;
    if (!aggregated && focus) {
      network.selectNodes([code]);
      network.focus(code, { scale: 1.2, animation: false });
    }
  }

  network.on("click", function (params) {
    if (!params.nodes.length) { return; }
    var id = params.nodes[0];
    if (aggregated) {
      var details = document.querySelector("details[data-community='" + Number(id) + "']");
      if (details) { details.open = true; details.scrollIntoView({ block: "nearest" }); }
    } else {
      showProfile(id, false);
    }
  });
  each("button[data-code]", function (button) {
    button.addEventListener("click", function () { showProfile(Number(button.getAttribute("data-code")), true); });
  });

  /* -- search ---------------------------------------------------------------------------- */
  var folded = profiles.names.map(function (name) { return name.toLowerCase(); });
  function search(query) {
    var wanted = query.trim().toLowerCase();
    var found = [];
    if (wanted.length < 2) { return found; }
    for (var code = 0; code < folded.length && found.length < 10; code++) {
      if (folded[code].indexOf(wanted) !== -1) { found.push(code); }
    }
    return found;
  }
  var searchBox = document.getElementById("nc-search");
  var results = document.getElementById("nc-search-results");
  searchBox.addEventListener("input", function () {
    results.replaceChildren();
    var found = search(searchBox.value);
    found.forEach(function (code) {
      var li = element("li");
      li.appendChild(partnerButton(code));
      if (profiles.places[code]) { li.appendChild(document.createTextNode(" · " + profiles.places[code])); }
      results.appendChild(li);
    });
    if (searchBox.value.trim().length >= 2 && !found.length) { results.appendChild(element("li", "no organisation found")); }
  });

  /* -- sortable tables ------------------------------------------------------------------- */
  function sortKey(cell) {
    var raw = cell.getAttribute("data-sort");
    var text = raw === null ? cell.textContent : raw;
    var number = parseFloat(String(text).replace(/[,\s%+]/g, "").replace("\u2212", "-"));
    return { text: String(text).toLowerCase(), number: isNaN(number) ? null : number };
  }
  each("table.sortable", function (table) {
    var heads = table.querySelectorAll("thead th");
    Array.prototype.forEach.call(heads, function (th, column) {
      th.addEventListener("click", function () {
        var descending = th.getAttribute("aria-sort") !== "descending";
        Array.prototype.forEach.call(heads, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
          return { row: row, key: sortKey(row.cells[column]), i: i };
        });
        var numeric = rows.every(function (r) { return r.key.number !== null || r.key.text === "" || r.key.text === "–"; });
        rows.sort(function (a, b) {
          var x, y;
          if (numeric) {
            x = a.key.number === null ? -Infinity : a.key.number;
            y = b.key.number === null ? -Infinity : b.key.number;
          } else { x = a.key.text; y = b.key.text; }
          if (x === y) { return a.i - b.i; }
          return (x < y ? -1 : 1) * (descending ? -1 : 1);
        });
        rows.forEach(function (r) { body.appendChild(r.row); });
      });
    });
  });

  network.once("afterDrawing", function () {
    state.drawn = true;
    document.body.setAttribute("data-drawn", "true");
  });
  state.showProfile = showProfile;
  state.search = search;
  window.netcluster = state;
})();
