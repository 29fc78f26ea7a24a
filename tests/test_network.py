"""CollaborationNetwork: tables, selection, flattening, graph views, save/load."""

from __future__ import annotations

import zipfile

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netcluster import CollaborationNetwork, InputError, NetworkFileError


def test_tables_are_columnar_and_typed(toy_network):
    ties = toy_network.ties
    assert ties["source"].dtype == np.int32 and ties["target"].dtype == np.int32
    assert isinstance(ties["layer"].dtype, pd.CategoricalDtype)
    assert str(ties["year"].dtype) == "Int32"
    assert (ties["source"] < ties["target"]).all()
    assert toy_network.layers == ("partnership", "copatent", "membership")
    assert list(toy_network.org_ids) == ["a", "b", "c", "d", "e"]


def test_endpoints_are_ordered_and_self_ties_refused():
    orgs = pd.DataFrame(index=pd.Index(["x", "y"], name="org_id"))
    net = CollaborationNetwork(orgs, pd.DataFrame({"source": [1], "target": [0], "layer": "p", "weight": 1.0, "year": 2020}))
    assert net.ties[["source", "target"]].values.tolist() == [[0, 1]]
    with pytest.raises(InputError, match="itself"):
        CollaborationNetwork(orgs, pd.DataFrame({"source": [1], "target": [1], "layer": "p", "weight": 1.0, "year": 2020}))
    with pytest.raises(InputError, match="out of range"):
        CollaborationNetwork(orgs, pd.DataFrame({"source": [0], "target": [5], "layer": "p", "weight": 1.0, "year": 2020}))


def test_duplicate_org_ids_refused():
    orgs = pd.DataFrame({"name": ["A", "B"]}, index=pd.Index(["x", "x"], name="org_id"))
    with pytest.raises(InputError, match="unique"):
        CollaborationNetwork(orgs)


def test_flatten_sums_layers_and_applies_layer_weights(toy_network):
    dense = toy_network.to_csr().toarray()
    assert dense[0, 1] == dense[1, 0] == 3.0  # partnership 2 + copatent 1
    assert dense[0, 3] == 3.0 and dense[2, 4] == 1.0
    assert np.diag(dense).sum() == 0
    weighted = toy_network.to_csr(layer_weights={"copatent": 2.0}).toarray()
    assert weighted[0, 1] == 4.0 and weighted[0, 3] == 6.0 and weighted[1, 3] == 1.0
    only = toy_network.to_csr(layers=["membership"]).toarray()
    assert only.sum() == 2.0 and only[1, 3] == 1.0


def test_views_are_cached(toy_network):
    assert toy_network.to_csr() is toy_network.to_csr()
    assert toy_network.to_igraph(["copatent"]) is toy_network.to_igraph(("copatent",))
    assert toy_network.to_csr() is not toy_network.to_csr(layer_weights={"copatent": 2.0})


def test_igraph_and_networkx_views_match_csr(toy_network):
    graph = toy_network.to_igraph()
    assert graph.vcount() == 5 and graph.ecount() == 5
    assert graph.vs["org_id"] == ["a", "b", "c", "d", "e"]
    dense = toy_network.to_csr().toarray()
    for edge in graph.es:
        assert edge["weight"] == dense[edge.source, edge.target]
    g = toy_network.to_networkx()
    assert isinstance(g, nx.Graph) and g.number_of_edges() == 5
    assert g.edges["a", "b"] == {"weight": 3.0, "weight_partnership": 2.0, "weight_copatent": 1.0}
    assert g.nodes["a"]["name"] == "Alpha AS" and "country" not in g.nodes["e"]


def test_select_layers_and_years(toy_network):
    part = toy_network.select(layers=["partnership"])
    assert set(part.ties["layer"]) == {"partnership"} and len(part.ties) == 3
    assert part.n_orgs == 5  # organisations and codes are kept
    assert len(toy_network.select(years=2019).ties) == 2
    assert sorted(toy_network.select(years=(2019, 2020)).ties["year"].tolist()) == [2019, 2019, 2020, 2020]
    assert len(toy_network.select(years=[2018, 2021]).ties) == 2
    with pytest.raises(InputError, match="unknown layer"):
        toy_network.select(layers=["patents"])
    with pytest.raises(InputError, match="empty"):
        toy_network.select(years=(2021, 2019))


def test_codes(toy_network):
    assert toy_network.codes(["d", "a"]).tolist() == [3, 0]
    with pytest.raises(InputError, match="no organisation"):
        toy_network.codes(["zz"])


def test_save_and_load_round_trip(tmp_path, toy_network):
    orgs = toy_network.orgs.copy()
    orgs["name"] = ["Ålesund <b>&</b> Co", "Beta \"AS\"", "Γάμμα", "Delta ApS", None]
    orgs["extra"] = [1.5, None, 3.0, 4.0, 5.0]
    events = pd.DataFrame({"event": ["P1", "P1"], "org": [1, 3], "layer": "membership", "year": [2018, None]})
    net = CollaborationNetwork(orgs, toy_network.ties, events,
                               load_report={"files": [{"kind": "x", "rows": 3}]},
                               provenance={"inputs": [{"source": "f.csv", "sha256": "ab"}]})
    path = tmp_path / "net.zip"
    net.save(path)
    back = CollaborationNetwork.load(path)
    pd.testing.assert_frame_equal(back.orgs, net.orgs)
    pd.testing.assert_frame_equal(back.ties, net.ties)
    pd.testing.assert_frame_equal(back.events, net.events)
    assert back.layers == net.layers
    assert back.load_report == net.load_report and back.provenance == net.provenance
    assert (back.to_csr() != net.to_csr()).nnz == 0
    assert not list(tmp_path.glob("*.tmp"))


def test_load_rejects_other_files(tmp_path):
    with pytest.raises(NetworkFileError, match="no such"):
        CollaborationNetwork.load(tmp_path / "missing.zip")
    junk = tmp_path / "junk.zip"
    junk.write_text("not a zip")
    with pytest.raises(NetworkFileError, match="cannot read"):
        CollaborationNetwork.load(junk)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("meta.json", '{"format": "something-else"}')
    with pytest.raises(NetworkFileError, match="not a netcluster network"):
        CollaborationNetwork.load(other)


def test_layer_weights_must_be_positive(toy_network):
    for bad in (0, -1.0, float("nan"), "2"):
        with pytest.raises(InputError, match="positive"):
            toy_network.to_csr(layer_weights={"copatent": bad})
    with pytest.raises(InputError, match="unknown layer"):
        toy_network.to_csr(layer_weights={"patents": 2.0})


def test_select_drops_the_other_layers(toy_network):
    assert toy_network.select(layers=["copatent"]).layers == ("copatent",)
