/* netcluster report: draws the embedded network with vis-network.
   Data comes from the JSON block #nc-graph; nothing from the data is ever
   written as HTML (labels and titles are plain text). */
(function () {
  "use strict";
  var graph = JSON.parse(document.getElementById("nc-graph").textContent);
  var hidden = {};
  var nodes = new vis.DataSet(graph.nodes);
  var edges = new vis.DataSet(graph.edges.map(function (edge, i) { edge.id = i; return edge; }));
  var visibleEdges = new vis.DataView(edges, {
    filter: function (edge) { return !hidden[edge.layer]; }
  });
  var container = document.getElementById("nc-network");
  var network = new vis.Network(container, { nodes: nodes, edges: visibleEdges }, graph.options);
  var state = { network: network, nodes: nodes, edges: edges, drawn: false };
  network.once("afterDrawing", function () {
    state.drawn = true;
    document.body.setAttribute("data-drawn", "true");
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[data-layer]"), function (box) {
    box.addEventListener("change", function () {
      hidden[box.getAttribute("data-layer")] = !box.checked;
      visibleEdges.refresh();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[name='nc-colour']"), function (radio) {
    radio.addEventListener("change", function () {
      var key = radio.value;
      nodes.update(graph.colours[key].map(function (colour, id) { return { id: id, color: colour }; }));
      document.getElementById("nc-legend-countries").hidden = key !== "country";
      document.getElementById("nc-legend-communities").hidden = key !== "community";
      state.colourBy = key;
    });
  });
  state.colourBy = "country";
  window.netcluster = state;
})();
