"""Graph files for Gephi, Cytoscape, yEd, networkx and the web: GraphML, GEXF, node-link JSON.

:func:`write_graph` writes the collaboration network, or an analysis of it,
as one graph file: organisations are nodes (their ``org_id`` as the node
id), partner pairs are undirected edges. :func:`export_graph` returns the
networkx graph that is written, for use in Python.

Node attributes
    For an :class:`~netcluster.analyze.AnalysisResult`: every column of its
    node table (every measure), then the organisation columns the node table
    lacks (``lat``, ``lon`` and any extra columns of the records). For a
    plain :class:`~netcluster.network.CollaborationNetwork`: the organisation
    columns. Each node also gets a ``label``: the organisation's name, or its
    id when it has no name.
Edge attributes
    ``weight`` (the layers flattened, with the analysis' layer weights),
    ``weight_<layer>`` for every layer (the summed raw weight of that layer,
    0.0 when the pair has no tie in it), ``layers`` (the layers the pair is
    tied in, joined by ``;``), ``records`` (tie records or shared events
    behind the pair), and ``first_year`` and ``last_year`` (omitted when no
    record of the pair has a year).

Each attribute keeps one type across all nodes or edges, as Gephi needs:
booleans stay booleans, integer columns integers, float columns floats,
and text, categorical and mixed columns become text (list cells are joined
with ``"; "``). A missing value (NA, NaN, an infinite number) is left out
for that node, so the attribute is absent rather than holding a sentinel;
a reader gets no key for it (networkx) or an empty cell (Gephi).

XML 1.0 cannot hold most control characters (U+0000-U+001F except tab,
line feed and carriage return), U+FFFE, U+FFFF or lone surrogates. In
GraphML and GEXF files each of them, in ids, names and attribute values, is
replaced by U+FFFD (the replacement character); everything else, ``<``,
``&`` and quotes included, is escaped by the XML writer and read back
unchanged. Node-link JSON keeps every character. A note on line breaks:
XML readers turn a carriage return in element text, alone or before a line
feed, into a line feed, so GraphML text values written with ``\\r\\n``
come back with ``\\n``; GEXF keeps them.

Every file is written atomically (see :func:`netcluster.files.atomic_write`).
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from networkx.readwrite.gexf import GEXFWriter
from networkx.readwrite.graphml import write_graphml_xml

from ._version import __version__
from .analyze import AnalysisResult
from .errors import InputError, OutputError
from .files import atomic_write
from .network import CollaborationNetwork

__all__ = ["GRAPH_FORMATS", "export_graph", "tie_table", "write_graph", "xml_safe"]

#: Formats :func:`write_graph` writes.
GRAPH_FORMATS = ("graphml", "gexf", "node-link")

#: The format a file name's suffix implies when ``format`` is not given.
_SUFFIXES = {".graphml": "graphml", ".gexf": "gexf", ".json": "node-link"}

# Characters XML 1.0 cannot hold (https://www.w3.org/TR/xml/#charsets).
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# Node and edge data keys the networkx writers treat specially (GEXF ids,
# labels, time spells and viz; node-link ids, sources and targets): a
# column with one of these names is written with a trailing underscore.
_RESERVED_NODE = frozenset({"id", "label", "pid", "start", "end", "viz", "key", "networkx_key"})

Source = AnalysisResult | CollaborationNetwork


def xml_safe(text: str) -> str:
    """Replace each character XML 1.0 cannot hold by U+FFFD.

    Examples
    --------
    >>> xml_safe("Acme\\x0b AS <&>")
    'Acme\\ufffd AS <&>'
    >>> xml_safe("tab\\tand\\nnewline")
    'tab\\tand\\nnewline'
    """
    return _NOT_XML.sub("\ufffd", text)


def export_graph(source: Source, *, xml: bool = False) -> nx.Graph[str]:
    """The networkx graph :func:`write_graph` writes, with every attribute normalised.

    Parameters
    ----------
    source : AnalysisResult or CollaborationNetwork
        An analysis (node attributes: its node table, then the organisation
        columns the table lacks; edge weights flattened with its layer
        weights) or a network (node attributes: its organisation columns).
    xml : bool
        Replace characters XML 1.0 cannot hold by U+FFFD, in ids, attribute
        names and text values (what GraphML and GEXF need).

    Returns
    -------
    networkx.Graph
        Nodes keyed by ``org_id`` (text), in the network's order; attributes
        as described in the module documentation. Values are plain Python
        ``bool``, ``int``, ``float`` or ``str``; missing values are absent.

    Raises
    ------
    InputError
        When ``source`` is neither an analysis nor a network.
    OutputError
        When ``xml`` is set and two organisation ids differ only in
        characters XML cannot hold.

    Examples
    --------
    >>> from netcluster.sample_graphs import load_sample
    >>> graph = export_graph(load_sample("ocean_cluster"))
    >>> graph.number_of_nodes(), graph.number_of_edges()
    (298, 2015)
    >>> edge = graph.edges["CA-002", "NO-003"]
    >>> edge["weight"], edge["weight_partnership"], edge["weight_copatent"], edge["weight_membership"]
    (7.0, 5.0, 1.0, 1.0)
    >>> edge["layers"], edge["records"], edge["first_year"], edge["last_year"]
    ('partnership;copatent;membership', 5, 2017, 2022)
    """
    network = _network_of(source)
    if isinstance(source, AnalysisResult):
        extra = [c for c in network.orgs.columns if c not in source.nodes.columns]
        table = source.nodes.join(network.orgs[extra]) if extra else source.nodes
        layer_weights = dict(source.params.get("layer_weights") or {})
    else:
        table = network.orgs
        layer_weights = {}
    text: Callable[[str], str] = xml_safe if xml else _same
    ids = [text(str(org_id)) for org_id in network.org_ids]
    if xml and len(set(ids)) < len(ids):
        raise OutputError(
            "cannot write this network as XML: two organisation ids differ only in characters "
            "XML cannot hold (control characters); write node-link JSON instead"
        )
    graph: nx.Graph[str] = nx.Graph(creator=f"netcluster {__version__}")
    graph.add_nodes_from(zip(ids, _node_attributes(table, ids, text)))
    graph.add_edges_from(_edges(network, ids, layer_weights, text))
    return graph


def write_graph(source: Source, path: str | os.PathLike[str], format: str | None = None) -> Path:
    """Write an analysis or a network as GraphML, GEXF or node-link JSON.

    Parameters
    ----------
    source : AnalysisResult or CollaborationNetwork
        With an analysis, every node measure becomes a node attribute; with
        a network, the organisation attributes do.
    path : path-like
        The file to write (atomically; its folder must exist).
    format : {"graphml", "gexf", "node-link"}, optional
        Chosen from the suffix (``.graphml``, ``.gexf``, ``.json``) when
        omitted. GEXF is written as version 1.2 (namespace
        ``http://www.gexf.net/1.2draft``), which Gephi opens;
        node-link JSON is networkx's :func:`~networkx.node_link_data` layout
        with ``"nodes"`` and ``"edges"``.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    InputError
        For an unknown format, or a suffix that implies none.
    OutputError
        When the file cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import networkx as nx
    >>> from netcluster import analyze
    >>> from netcluster.sample_graphs import load_sample
    >>> result = analyze(load_sample("ocean_cluster"), home={"member": True})
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> path = write_graph(result, folder / "cluster.gexf")
    >>> graph = nx.read_gexf(path)
    >>> graph.nodes["NO-144"]["label"], graph.nodes["NO-144"]["gb_role"]
    ('Fjordvik Subsea AS', 'technological gatekeeper')
    >>> graph.nodes["NO-144"]["bridge_centrality"] == float(result.nodes.loc["NO-144", "bridge_centrality"])
    True
    >>> write_graph(result, folder / "cluster.json").suffix
    '.json'
    """
    target = Path(path)
    chosen = format if format is not None else _SUFFIXES.get(target.suffix.lower())
    if chosen is None:
        raise InputError(
            f"cannot tell the graph format from the file name; give a format ({', '.join(GRAPH_FORMATS)}) "
            "or use .graphml, .gexf or .json",
            file=target,
        )
    if chosen not in GRAPH_FORMATS:
        raise InputError(f"unknown graph format; use {', '.join(GRAPH_FORMATS)}", value=chosen)
    graph = export_graph(source, xml=chosen != "node-link")
    if chosen == "graphml":
        with atomic_write(target, "wb") as handle:
            write_graphml_xml(graph, handle, encoding="utf-8", prettyprint=True)
    elif chosen == "gexf":
        _write_gexf(graph, target)
    else:
        data = nx.node_link_data(graph, edges="edges")
        with atomic_write(target) as handle:
            json.dump(data, handle, ensure_ascii=False, allow_nan=False)
    return target


def tie_table(source: Source) -> pd.DataFrame:
    """The ties as a table: one row per partner pair and layer, organisations by ``org_id``.

    Columns ``source`` and ``target`` (``org_id``, ``source`` first in the
    network's order), ``source_name``, ``target_name``, ``layer``, ``weight``
    (summed raw weight), ``records``, ``first_year`` and ``last_year``: the
    pairs of :meth:`CollaborationNetwork.pairs` with ids and names, ready for
    :func:`netcluster.export.write_table`. For an analysis, the ties of the
    layers and years it analysed.

    Examples
    --------
    >>> from netcluster.sample_graphs import load_sample
    >>> table = tie_table(load_sample("ocean_cluster"))
    >>> table.columns.tolist()
    ['source', 'target', 'source_name', 'target_name', 'layer', 'weight', 'records', 'first_year', 'last_year']
    >>> table["layer"].value_counts().to_dict()
    {'membership': 827, 'partnership': 805, 'copatent': 803}
    """
    network = _network_of(source)
    pairs = network.pairs()
    ids = network.org_ids.to_numpy()
    names = network.orgs["name"].to_numpy()
    source_codes = pairs["source"].to_numpy()
    target_codes = pairs["target"].to_numpy()
    table = pd.DataFrame(
        {
            "source": pd.array(ids[source_codes], dtype="string"),
            "target": pd.array(ids[target_codes], dtype="string"),
            "source_name": pd.array(names[source_codes], dtype="string"),
            "target_name": pd.array(names[target_codes], dtype="string"),
            "layer": pairs["layer"],
            "weight": pairs["weight"],
            "records": pairs["records"],
            "first_year": pairs["first_year"],
            "last_year": pairs["last_year"],
        }
    )
    return table.sort_values(["source", "target", "layer"], kind="stable").reset_index(drop=True)


def _network_of(source: Source) -> CollaborationNetwork:
    if isinstance(source, AnalysisResult):
        return source.network
    if isinstance(source, CollaborationNetwork):
        return source
    raise InputError(
        "a graph file is written from an AnalysisResult or a CollaborationNetwork, "
        f"not a {type(source).__name__}"
    )


# -- nodes -----------------------------------------------------------------------------
def _same(text: str) -> str:
    return text


def _node_attributes(table: pd.DataFrame, ids: list[str], text: Callable[[str], str]) -> list[dict[str, Any]]:
    attributes: list[dict[str, Any]] = [{} for _ in ids]
    labels = table["name"] if "name" in table.columns else pd.Series(pd.NA, index=table.index)
    for row, (label, org_id) in zip(attributes, zip(_python_values(labels, text), ids)):
        row["label"] = label if label is not None else org_id
    for column in table.columns:
        name = text(str(column))
        if name in _RESERVED_NODE:
            name += "_"
        for row, value in zip(attributes, _python_values(table[column], text)):
            if value is not None:
                row[name] = value
    return attributes


def _python_values(column: pd.Series, text: Callable[[str], str]) -> list[Any]:
    """The column as plain Python values of one type (bool, int, float or str), None when missing."""
    dtype = column.dtype
    values = column.to_numpy(dtype=object)
    kind = _kind(column)
    if kind == "bool":
        return [None if _missing(v) else bool(v) for v in values]
    if kind == "int":
        return [None if _missing(v) else int(v) for v in values]
    if kind == "float":
        return [None if _missing(v) or not math.isfinite(float(v)) else float(v) for v in values]
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return [None if _missing(v) else text(pd.Timestamp(v).isoformat()) for v in values]
    return [None if _missing(v) else text(_as_text(v)) for v in values]


def _kind(column: pd.Series) -> str:
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return "text"
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if dtype == object:
        inferred = pd.api.types.infer_dtype(column, skipna=True)
        return {"boolean": "bool", "integer": "int", "floating": "float", "mixed-integer-float": "float"}.get(
            inferred, "text"
        )
    return "text"


def _as_text(value: Any) -> str:
    if isinstance(value, (list, tuple, set, np.ndarray)):
        return "; ".join(str(item) for item in value)
    return str(value)


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)):
        return bool(np.isnan(value))
    return False


# -- edges -----------------------------------------------------------------------------
def _edges(
    network: CollaborationNetwork,
    ids: list[str],
    layer_weights: dict[str, float],
    text: Callable[[str], str],
) -> list[tuple[str, str, dict[str, Any]]]:
    pairs = network.pairs()
    if pairs.empty:
        return []
    layers = [str(layer) for layer in network.layers]
    pairs = pairs.assign(layer=pairs["layer"].astype(str))
    per_layer = pairs.pivot(index=["source", "target"], columns="layer", values="weight").reindex(columns=layers)
    present = per_layer.notna().to_numpy()
    per_layer = per_layer.fillna(0.0)
    factors = np.array([float(layer_weights.get(layer, 1.0)) for layer in layers])
    flat = per_layer.to_numpy(dtype=np.float64) @ factors
    grouped = pairs.groupby(["source", "target"], sort=True)
    records = grouped["records"].sum().reindex(per_layer.index).astype("int64").tolist()
    first = _python_values(grouped["first_year"].min().reindex(per_layer.index), text)
    last = _python_values(grouped["last_year"].max().reindex(per_layer.index), text)
    names = [f"weight_{text(layer)}" for layer in layers]
    labels = [text(layer) for layer in layers]
    columns = [per_layer[layer].astype(float).tolist() for layer in layers]
    sources = per_layer.index.get_level_values("source").tolist()
    targets = per_layer.index.get_level_values("target").tolist()
    edges = []
    for i, (u, v) in enumerate(zip(sources, targets)):
        data: dict[str, Any] = {"weight": float(flat[i])}
        for name, column in zip(names, columns):
            data[name] = column[i]
        data["layers"] = ";".join(label for label, flag in zip(labels, present[i]) if flag)
        data["records"] = int(records[i])
        if first[i] is not None:
            data["first_year"] = first[i]
        if last[i] is not None:
            data["last_year"] = last[i]
        edges.append((ids[u], ids[v], data))
    return edges


# -- GEXF ------------------------------------------------------------------------------
def _write_gexf(graph: nx.Graph[str], target: Path) -> None:
    """networkx's GEXF 1.2 writer, made schema-valid and signed.

    networkx writes a ``name`` attribute on ``<graph>`` that the GEXF 1.2
    schema does not allow (Gephi ignores it); it is removed. The ``<meta>``
    creator names netcluster and networkx.
    """
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(graph)
    root = writer.xml
    graph_element = root.find("graph")
    if graph_element is not None:
        graph_element.attrib.pop("name", None)
    creator = root.find("meta/creator")
    if creator is not None:
        creator.text = f"netcluster {__version__} (NetworkX {nx.__version__})"
    with atomic_write(target, "wb") as handle:
        writer.write(handle)
