"""Graph exports: round trips through networkx's readers, the GEXF schema, hostile names, types."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netcluster import CollaborationNetwork, analyze
from netcluster.errors import InputError, OutputError
from netcluster.graph_formats import GRAPH_FORMATS, export_graph, tie_table, write_graph, xml_safe
from netcluster.sample_graphs import load_sample

from .hostile import HOSTILE_NAMES, hostile_network

SCHEMA_DIR = Path(__file__).resolve().parent / "data" / "gexf"
SUFFIX = {"graphml": "graphml", "gexf": "gexf", "node-link": "json"}

#: Characters XML 1.0 cannot hold, next to ones it can, in names and ids.
CONTROL_NAMES = ["vertical\x0btab", "null\x00byte", "escape\x1b[31mred", "bell\x07 & <b>", "tab\tnewline\nok"]


def read(path: Path, format: str) -> nx.Graph:
    """The file read back with networkx's own reader (GEXF edge ids dropped)."""
    if format == "graphml":
        return nx.read_graphml(path)
    if format == "gexf":
        graph = nx.read_gexf(path)
        for _, _, data in graph.edges(data=True):
            data.pop("id")  # the reader keeps GEXF's edge ids
        return graph
    return nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")


@pytest.fixture(scope="module")
def gexf_schema(tmp_path_factory):
    """The official GEXF 1.2 schema (tests/data/gexf) for networkx's 1.2draft namespace.

    The files are unmodified copies of gephi/gexf 1.2; the schema is the same
    as the 1.2draft one networkx writes apart from the namespace URI, which is
    substituted here (see tests/data/gexf/README.md).
    """
    etree = pytest.importorskip("lxml.etree")
    folder = tmp_path_factory.mktemp("gexf-schema")
    for source in SCHEMA_DIR.glob("*.xsd"):
        text = source.read_text(encoding="utf-8")
        (folder / source.name).write_text(text.replace("http://www.gexf.net/1.2", "http://www.gexf.net/1.2draft"),
                                          encoding="utf-8")
    return etree.XMLSchema(etree.parse(str(folder / "gexf.xsd")))


def assert_valid_gexf(schema, path: Path) -> None:
    from lxml import etree

    document = etree.parse(str(path))
    assert schema.validate(document), str(schema.error_log)


@pytest.fixture(scope="module")
def ocean_result():
    return analyze(load_sample("ocean_cluster"), home={"member": True}, seed=0)


@pytest.fixture(scope="module")
def mixed_network() -> CollaborationNetwork:
    """Missing values of every kind, an extra categorical, object and list column, a reserved name."""
    orgs = pd.DataFrame(
        {
            "name": ["Alpha AS", None, "Gamma <&> \"AS\"", "Delta ApS"],
            "country": ["NO", "NO", None, "DK"],
            "member": pd.array([True, None, False, True], dtype="boolean"),
            "lat": [60.1, np.nan, 59.9, np.inf],
            "employees": pd.array([10, None, 300, 7], dtype="Int64"),
            "cluster": pd.Categorical(["ocean", "ocean", None, "energy"]),
            "founded": [1990, 2001.5, None, "unknown"],
            "tags": [["a", "b"], None, ["c"], []],
            "label": ["x", "y", "z", "w"],
        },
        index=pd.Index(["a", "b", "c", "d"], name="org_id"),
    )
    ties = pd.DataFrame(
        {
            "source": [0, 0, 0, 1, 2],
            "target": [1, 1, 2, 3, 3],
            "layer": ["partnership", "copatent", "partnership", "membership", "partnership"],
            "weight": [2.0, 1.0, 1.0, 1.0, 0.5],
            "year": pd.array([2019, 2020, None, 2018, 2021], dtype="Int32"),
        }
    )
    return CollaborationNetwork(orgs, ties)


# -- round trips ---------------------------------------------------------------------
@pytest.mark.parametrize("format", GRAPH_FORMATS)
def test_result_round_trips_with_every_measure(ocean_result, tmp_path, format):
    path = write_graph(ocean_result, tmp_path / f"ocean.{SUFFIX[format]}", format)
    graph = read(path, format)
    expected = export_graph(ocean_result, xml=format != "node-link")
    nodes = ocean_result.nodes
    assert graph.number_of_nodes() == len(nodes) == expected.number_of_nodes()
    assert graph.number_of_edges() == expected.number_of_edges() == ocean_result.summary["partner_pairs"]
    assert set(graph.nodes) == set(nodes.index)
    # every node measure is an attribute of some node, with the same value everywhere
    names = set().union(*(data.keys() for _, data in graph.nodes(data=True)))
    assert set(nodes.columns) <= names
    for org_id, data in graph.nodes(data=True):
        assert data == expected.nodes[org_id]
    for u, v, data in graph.edges(data=True):
        assert data == expected.edges[u, v]
    sample = nodes.loc["NO-144"]
    attributes = graph.nodes["NO-144"]
    assert attributes["label"] == sample["name"]
    assert attributes["bridge_centrality"] == float(sample["bridge_centrality"])
    assert attributes["gf_gatekeeper"] == int(sample["gf_gatekeeper"])
    assert attributes["home"] is True and attributes["member"] is True
    assert attributes["gb_role"] == str(sample["gb_role"])


@pytest.mark.parametrize("format", GRAPH_FORMATS)
def test_edges_carry_every_layer_and_the_years(toy_network, tmp_path, format):
    result = analyze(toy_network, layer_weights={"copatent": 2.0})
    graph = read(write_graph(result, tmp_path / f"toy.{SUFFIX[format]}", format), format)
    assert graph.number_of_edges() == 5
    ab = graph.edges["a", "b"]
    assert ab["weight"] == pytest.approx(2.0 + 2 * 1.0)  # flattened with the analysis' layer weights
    assert (ab["weight_partnership"], ab["weight_copatent"], ab["weight_membership"]) == (2.0, 1.0, 0.0)
    assert ab["layers"] == "partnership;copatent" and ab["records"] == 2
    assert (ab["first_year"], ab["last_year"]) == (2019, 2020)
    flat = toy_network.to_networkx(layer_weights={"copatent": 2.0})
    for u, v, data in flat.edges(data=True):
        assert graph.edges[u, v]["weight"] == pytest.approx(data["weight"])
        for key, value in data.items():
            assert graph.edges[u, v][key] == pytest.approx(value)


@pytest.mark.parametrize("format", GRAPH_FORMATS)
def test_plain_network_has_the_organisation_attributes_only(tmp_path, format):
    network = load_sample("ocean_cluster")
    graph = read(write_graph(network, tmp_path / f"net.{SUFFIX[format]}", format), format)
    names = set().union(*(data.keys() for _, data in graph.nodes(data=True)))
    assert names == {"label", *network.orgs.columns}
    assert graph.number_of_nodes() == network.n_orgs
    assert graph.nodes["NO-144"]["lat"] == float(network.orgs.loc["NO-144", "lat"])


@pytest.mark.parametrize("format", GRAPH_FORMATS)
def test_missing_values_are_left_out_and_types_stay_one_per_attribute(mixed_network, tmp_path, format):
    graph = read(write_graph(mixed_network, tmp_path / f"mixed.{SUFFIX[format]}", format), format)
    a, b, c, d = (graph.nodes[k] for k in "abcd")
    assert b["label"] == "b" and "name" not in b  # no name: the id is the label
    assert "country" not in c and "member" not in b and "lat" not in b
    assert "lat" not in d  # infinite: left out like NaN
    assert a["member"] is True and c["member"] is False
    assert a["employees"] == 10 and isinstance(a["employees"], int) and "employees" not in b
    assert a["cluster"] == "ocean" and "cluster" not in c
    assert a["founded"] == "1990" and b["founded"] == "2001.5" and d["founded"] == "unknown"  # mixed: text
    assert a["tags"] == "a; b" and d["tags"] == "" and "tags" not in b
    assert a["label_"] == "x" and a["label"] == "Alpha AS"  # a column named like a reserved key is renamed
    assert c["name"] == 'Gamma <&> "AS"'
    for attribute in ("lat", "employees", "member", "founded", "name"):
        kinds = {type(data[attribute]) for _, data in graph.nodes(data=True) if attribute in data}
        assert len(kinds) == 1, (attribute, kinds)
    ac = graph.edges["a", "c"]
    assert "first_year" not in ac and "last_year" not in ac  # no year known
    assert graph.edges["a", "b"]["first_year"] == 2019


def test_gexf_and_graphml_declare_one_type_per_attribute(ocean_result, tmp_path):
    gexf = write_graph(ocean_result, tmp_path / "o.gexf").read_text(encoding="utf-8")
    titles = re.findall(r'<attribute id="\d+" title="([^"]+)" type="(\w+)"', gexf)
    assert len(titles) == len({title for title, _ in titles})
    types = dict(titles)
    assert types["bridge_centrality"] == "double" and types["degree"] == "long"
    assert types["home"] == "boolean" and types["gb_role"] == "string" and types["weight_copatent"] == "double"
    graphml = write_graph(ocean_result, tmp_path / "o.graphml").read_text(encoding="utf-8")
    keys = re.findall(r'<key [^>]*for="(node|edge)"[^>]*attr\.name="([^"]+)"', graphml)
    keys += re.findall(r'<key [^>]*attr\.name="([^"]+)"[^>]*for="(node|edge)"', graphml)
    assert keys and len(keys) == len(set(keys))


# -- the GEXF schema -------------------------------------------------------------------
def test_gexf_is_schema_valid(gexf_schema, ocean_result, mixed_network, tmp_path):
    assert_valid_gexf(gexf_schema, write_graph(ocean_result, tmp_path / "result.gexf"))
    assert_valid_gexf(gexf_schema, write_graph(load_sample("norway_h2020"), tmp_path / "network.gexf"))
    assert_valid_gexf(gexf_schema, write_graph(mixed_network, tmp_path / "mixed.gexf"))
    assert_valid_gexf(gexf_schema, write_graph(analyze(hostile_network()), tmp_path / "hostile.gexf"))
    empty = CollaborationNetwork(pd.DataFrame(index=pd.Index(["only"], name="org_id")))
    assert_valid_gexf(gexf_schema, write_graph(empty, tmp_path / "empty.gexf"))


def test_the_schema_rejects_what_it_should(gexf_schema, tmp_path):
    """The vendored schema is strict: networkx's raw output (a name on <graph>) fails it."""
    graph = nx.Graph()
    graph.add_edge("a", "b")
    raw = tmp_path / "raw.gexf"
    nx.write_gexf(graph, raw)
    from lxml import etree

    assert not gexf_schema.validate(etree.parse(str(raw)))
    assert "name" in str(gexf_schema.error_log)


# -- hostile names ---------------------------------------------------------------------
@pytest.mark.parametrize("format", GRAPH_FORMATS)
def test_hostile_names_survive_as_text(tmp_path, format):
    network = hostile_network()
    path = write_graph(analyze(network), tmp_path / f"hostile.{SUFFIX[format]}", format)
    graph = read(path, format)
    names = sorted(data["name"] for _, data in graph.nodes(data=True))
    assert names == sorted(network.orgs["name"].tolist())
    assert {HOSTILE_NAMES[0], HOSTILE_NAMES[1], '" onmouseover="window.__pwned = 4'} <= set(names)
    assert graph.nodes["<iframe src=//evil>"]["region"] == "<b onclick=alert(1)>Vestland</b>"
    if format != "node-link":
        raw = path.read_text(encoding="utf-8")
        assert "<script>" not in raw and "<iframe" not in raw  # escaped by the XML writer


@pytest.mark.parametrize("format", GRAPH_FORMATS)
def test_control_characters_are_replaced_in_xml_and_kept_in_json(tmp_path, gexf_schema, format):
    n = len(CONTROL_NAMES)
    orgs = pd.DataFrame({"name": CONTROL_NAMES, "country": "NO"},
                        index=pd.Index([f"id{i}\x0b" for i in range(n)], name="org_id"))
    ties = pd.DataFrame({"source": range(n - 1), "target": range(1, n), "layer": "partnership", "weight": 1.0,
                         "year": 2020})
    network = CollaborationNetwork(orgs, ties)
    path = write_graph(network, tmp_path / f"control.{SUFFIX[format]}", format)
    graph = read(path, format)
    names = {data["name"] for _, data in graph.nodes(data=True)}
    if format == "node-link":
        assert names == set(CONTROL_NAMES) and "id0\x0b" in graph
    else:
        assert names == {xml_safe(name) for name in CONTROL_NAMES}
        assert "vertical\ufffdtab" in names and "null\ufffdbyte" in names and "bell\ufffd & <b>" in names
        assert "id0\ufffd" in graph and graph.number_of_edges() == len(CONTROL_NAMES) - 1
    if format == "gexf":
        assert_valid_gexf(gexf_schema, path)
    tabbed = next(data for _, data in graph.nodes(data=True) if data["name"].startswith("tab"))
    assert tabbed["name"] == "tab\tnewline\nok"  # tab and line feed are legal XML and survive


def test_carriage_returns(tmp_path):
    """GraphML text comes back with line feeds for carriage returns (XML end-of-line handling); GEXF keeps them."""
    orgs = pd.DataFrame({"name": ["a\r\nb", "c\rd"]}, index=pd.Index(["p", "q"], name="org_id"))
    network = CollaborationNetwork(orgs)
    graphml = read(write_graph(network, tmp_path / "cr.graphml"), "graphml")
    gexf = read(write_graph(network, tmp_path / "cr.gexf"), "gexf")
    assert [graphml.nodes[k]["name"] for k in "pq"] == ["a\nb", "c\nd"]
    assert [gexf.nodes[k]["name"] for k in "pq"] == ["a\r\nb", "c\rd"]


def test_ids_that_collide_once_cleaned_are_refused(tmp_path):
    orgs = pd.DataFrame({"name": ["A", "B"]}, index=pd.Index(["x\x01", "x\x02"], name="org_id"))
    network = CollaborationNetwork(orgs)
    with pytest.raises(OutputError, match="node-link"):
        write_graph(network, tmp_path / "clash.gexf")
    assert not (tmp_path / "clash.gexf").exists()
    assert read(write_graph(network, tmp_path / "clash.json"), "node-link").number_of_nodes() == 2


# -- files and errors -------------------------------------------------------------------
def test_format_from_the_suffix_and_bad_formats(ocean_result, tmp_path):
    assert read(write_graph(ocean_result, tmp_path / "a.GEXF"), "gexf").number_of_nodes() == 298
    with pytest.raises(InputError, match="cannot tell the graph format"):
        write_graph(ocean_result, tmp_path / "a.txt")
    with pytest.raises(InputError, match="unknown graph format"):
        write_graph(ocean_result, tmp_path / "a.gexf", "dot")
    with pytest.raises(InputError, match="AnalysisResult or a CollaborationNetwork"):
        write_graph(nx.Graph(), tmp_path / "a.gexf")  # type: ignore[arg-type]


@pytest.mark.parametrize("format", GRAPH_FORMATS)
def test_writes_are_atomic(ocean_result, tmp_path, monkeypatch, format):
    path = tmp_path / f"keep.{SUFFIX[format]}"
    path.write_text("the old file")
    import netcluster.graph_formats as module

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    if format == "graphml":
        monkeypatch.setattr(module, "write_graphml_xml", boom)
    elif format == "gexf":
        monkeypatch.setattr(module.GEXFWriter, "write", boom)
    else:
        monkeypatch.setattr(module.json, "dump", boom)
    with pytest.raises(RuntimeError):
        write_graph(ocean_result, path, format)
    assert path.read_text() == "the old file"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind
    monkeypatch.undo()
    with pytest.raises(OutputError, match="does not exist"):
        write_graph(ocean_result, tmp_path / "missing" / f"x.{SUFFIX[format]}", format)


def test_node_link_json_is_strict_json(mixed_network, tmp_path):
    text = write_graph(mixed_network, tmp_path / "m.json").read_text(encoding="utf-8")
    data = json.loads(text, parse_constant=lambda name: pytest.fail(f"non-standard JSON constant {name}"))
    assert set(data) >= {"nodes", "edges", "graph"} and data["graph"]["creator"].startswith("netcluster")
    assert not any(isinstance(v, float) and not math.isfinite(v) for node in data["nodes"] for v in node.values())


def test_tie_table(toy_network):
    table = tie_table(toy_network)
    assert len(table) == 6 and table["source"].tolist()[:2] == ["a", "a"]
    row = table[(table["source"] == "a") & (table["target"] == "b") & (table["layer"] == "partnership")].iloc[0]
    assert (row["source_name"], row["target_name"]) == ("Alpha AS", "Beta AS")
    assert (row["weight"], row["first_year"]) == (2.0, 2019)
    result = analyze(toy_network, layers=["copatent"])
    assert set(tie_table(result)["layer"]) == {"copatent"}
