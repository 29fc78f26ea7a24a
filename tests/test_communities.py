"""Communities: published oracles, igraph/networkx cross-checks, determinism and stability."""

from __future__ import annotations

import math

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from networkx.algorithms.community import modularity as nx_modularity

from netcluster import CollaborationNetwork, InputError
from netcluster.communities import (
    _confidence,
    _consensus,
    community_quality,
    community_roles,
    compare_partitions,
    contingency,
    detect_communities,
    ga_roles,
    modularity,
)


def network_from(graph: nx.Graph, countries: dict | None = None) -> CollaborationNetwork:
    """A single-layer network whose org_ids are the networkx node labels as strings."""
    nodes = list(graph.nodes)
    position = {node: i for i, node in enumerate(nodes)}
    orgs = pd.DataFrame(
        {"country": [None if countries is None else countries[n] for n in nodes]},
        index=pd.Index([str(n) for n in nodes], name="org_id"),
    )
    edges = list(graph.edges(data="weight", default=1.0))
    ties = pd.DataFrame(
        {
            "source": [position[u] for u, _, _ in edges],
            "target": [position[v] for _, v, _ in edges],
            "layer": "partnership",
            "weight": [float(w) for _, _, w in edges],
            "year": 2020,
        }
    )
    return CollaborationNetwork(orgs, ties)


@pytest.fixture(scope="module")
def karate():
    graph = nx.karate_club_graph()
    for _, _, data in graph.edges(data=True):
        data.pop("weight")  # the oracles are for weight=None
    return graph


@pytest.fixture(scope="module")
def planted():
    # 4 blocks of 50, p_in 0.3, p_out 0.02: expected 14.7 ties inside and 3 outside per
    # organisation, mixing level mu = 3 / 17.7 ~ 0.17.
    graph = nx.planted_partition_graph(4, 50, 0.3, 0.02, seed=7)
    truth = pd.Series({str(n): n // 50 for n in graph.nodes})
    return graph, truth


def karate_split(graph, officer_has_8: bool) -> dict[str, int]:
    labels = {str(n): int(graph.nodes[n]["club"] != "Mr. Hi") for n in graph.nodes}
    if officer_has_8:
        labels["8"] = 1
    return labels


# -- modularity ------------------------------------------------------------------------------
@pytest.mark.parametrize("officer_has_8, expected", [(True, 0.3715), (False, 0.3582)])
def test_karate_modularity_oracles(karate, officer_has_8, expected):
    labels = karate_split(karate, officer_has_8)
    sizes = sorted(pd.Series(labels).value_counts().tolist())
    assert sizes == ([16, 18] if officer_has_8 else [17, 17])
    assert modularity(network_from(karate), labels) == pytest.approx(expected, abs=5e-5)


@pytest.mark.parametrize("resolution", [0.5, 1.0, 2.0])
def test_modularity_equals_igraph_and_networkx(karate, planted, resolution):
    weighted = nx.Graph()
    rng = np.random.default_rng(3)
    weighted.add_weighted_edges_from((u, v, float(rng.integers(1, 5))) for u, v in karate.edges)
    for graph in (karate, weighted, planted[0]):
        net = network_from(graph)
        found = detect_communities(net, resolution=resolution)
        codes = found.membership.reindex([str(n) for n in graph.nodes]).to_numpy()
        groups = [{n for n, c in zip(graph.nodes, codes) if c == k} for k in set(codes)]
        ours = found.modularity
        assert ours == pytest.approx(nx_modularity(graph, groups, weight="weight", resolution=resolution), abs=1e-12)
        graph_ig = net.to_igraph()
        assert ours == pytest.approx(graph_ig.modularity(codes.tolist(), weights="weight", resolution=resolution), abs=1e-12)
        assert ours == pytest.approx(found.quality["modularity"].sum(), abs=1e-12)


def test_leiden_on_karate_is_at_least_the_known_optimum_region(karate):
    found = detect_communities(network_from(karate))
    assert found.modularity >= 0.41  # best known partition: 0.4198
    assert found.params["method"] == "leiden" and found.params["seed"] == 0


# -- detection -------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["leiden", "louvain", "label_propagation"])
def test_planted_partition_is_recovered(planted, method):
    graph, truth = planted
    found = detect_communities(network_from(graph), method=method)
    assert compare_partitions(found, truth)["ari"] >= 0.95


def test_multiplex_leiden_recovers_blocks_split_over_layers(planted):
    graph, truth = planted
    net = network_from(graph)
    ties = net.ties.assign(layer=np.where(np.arange(len(net.ties)) % 2 == 0, "partnership", "copatent"))
    split = CollaborationNetwork(net.orgs, ties)
    found = detect_communities(split, multiplex=True, layer_weights={"partnership": 1.0, "copatent": 2.0})
    assert compare_partitions(found, truth)["ari"] >= 0.95
    assert found.params["multiplex"] and found.params["layer_weights"] == {"partnership": 1.0, "copatent": 2.0}


def test_multiplex_with_one_layer_matches_plain_modularity(karate):
    net = network_from(karate)
    multiplex = detect_communities(net, multiplex=True)
    assert multiplex.modularity == pytest.approx(modularity(net, multiplex.membership))
    assert multiplex.modularity >= 0.41


def test_labels_are_ordered_by_size_then_smallest_org_id(planted):
    found = detect_communities(network_from(planted[0]))
    sizes = found.membership.value_counts().sort_index()
    assert sizes.is_monotonic_decreasing
    firsts = found.membership.groupby(found.membership).apply(lambda s: min(s.index))
    same_size = sizes.groupby(sizes).groups
    for members in same_size.values():
        assert list(firsts.loc[list(members)]) == sorted(firsts.loc[list(members)])
    assert list(found.quality.index) == sorted(found.quality.index)


def test_same_seed_reproduces_and_does_not_leak_into_random(karate):
    net = network_from(karate)
    for method in ("leiden", "louvain", "label_propagation"):
        first = detect_communities(net, method=method, seed=11)
        second = detect_communities(net, method=method, seed=11)
        pd.testing.assert_series_equal(first.membership, second.membership)
    import random

    random.seed(99)
    expected = random.random()
    random.seed(99)
    detect_communities(net, seed=1)
    assert random.random() == expected  # the global generator is left alone


def shuffled_copy(graph: nx.Graph, seed: int) -> nx.Graph:
    """The same graph with its nodes and edges added in another order (other organisation codes)."""
    rng = np.random.default_rng(seed)
    nodes, edges = list(graph.nodes), list(graph.edges(data=True))
    shuffled = nx.Graph()
    shuffled.add_nodes_from(nodes[i] for i in rng.permutation(len(nodes)))
    shuffled.add_edges_from(edges[i] for i in rng.permutation(len(edges)))
    return shuffled


@pytest.mark.parametrize("graph_name", ["planted", "weak"])
@pytest.mark.parametrize("kwargs", [{}, {"iterations": 1}, {"iterations": -1}, {"method": "louvain"},
                                    {"method": "label_propagation"}, {"multiplex": True}])
def test_invariant_to_node_order(planted, graph_name, kwargs):
    # "weak": a random graph with no planted structure, where the partition a seed finds
    # depends on the order in which the algorithm meets the nodes; the vertices are searched
    # in org_id order, so the input order of the organisations does not matter.
    graph = planted[0] if graph_name == "planted" else nx.gnm_random_graph(300, 900, seed=3)
    # zero-padded ids: the unshuffled network's codes already follow org_id order (searched as is),
    # the shuffled one's do not (searched on a renumbered copy)
    graph = nx.relabel_nodes(graph, {n: f"{n:04d}" for n in graph})
    first = detect_communities(network_from(graph), **kwargs).membership
    second = detect_communities(network_from(shuffled_copy(graph, 5)), **kwargs).membership
    # same communities, and the deterministic numbering makes the labels equal too
    pd.testing.assert_series_equal(first.sort_index(), second.sort_index())


def test_more_leiden_iterations_never_lower_modularity():
    net = network_from(nx.gnm_random_graph(2000, 6000, seed=4))
    found = {n: detect_communities(net, iterations=n) for n in (1, 2, -1)}
    assert found[1].modularity <= found[2].modularity <= found[-1].modularity
    assert found[1].modularity < found[-1].modularity  # the iterations are passed on: they differ here
    assert [found[n].params["iterations"] for n in (1, 2, -1)] == [1, 2, -1]


# -- stability and consensus ----------------------------------------------------------------------
def test_stable_partition_has_full_stability_and_confidence(planted):
    found = detect_communities(network_from(planted[0]), runs=4, seed=3)
    assert found.stability["ari"] == pytest.approx(1.0) and found.stability["nmi"] == pytest.approx(1.0)
    assert found.stability["runs"] == 4 and found.stability["seed"] == 3
    assert (found.confidence == 1.0).all()


def test_consensus_on_ties_takes_the_earliest_best_run():
    # On a 6-cycle, a partition and its rotation have the same Q and the same mean ARI.
    pairs = network_from(nx.cycle_graph(6)).flat_pairs()
    a = np.array([0, 0, 0, 1, 1, 1])
    b = np.array([1, 0, 0, 0, 1, 1])
    assert _consensus([a, b, a, b], pairs, 1.0)[0] == 0
    assert _consensus([b, a, b, a], pairs, 1.0)[0] == 0
    assert _consensus([a, b, b], pairs, 1.0)[0] == 1  # b agrees with most runs
    assert _consensus([a, 1 - a], pairs, 1.0)[0] == 0  # relabelled copies tie
    chosen, stability = _consensus([a, b, a, b], pairs, 1.0)
    expected = (2 * 1.0 + 4 * compare_partitions(pd.Series(a), pd.Series(b))["ari"]) / 6
    assert stability["ari"] == pytest.approx(expected) and stability["runs"] == 4


def test_confidence_counts_co_assignment():
    consensus = pd.Series([0, 0, 0, 1], index=list("abcd"))
    runs = [np.array([0, 0, 0, 1]), np.array([0, 0, 1, 2])]
    conf = _confidence(consensus, runs)
    # a: run 1 both partners, run 2 one of two -> 0.75; c: 1 then 0 -> 0.5; d alone in both -> 1
    assert conf.tolist() == [0.75, 0.75, 0.5, 1.0]


# -- comparison -----------------------------------------------------------------------------------
def test_partition_comparison_oracle():
    x = pd.Series([0, 0, 0, 1, 1, 1], index=list("abcdef"))
    y = pd.Series([0, 0, 1, 1, 2, 2], index=list("abcdef"))
    scores = compare_partitions(x, y)
    assert scores["nmi"] == pytest.approx(0.515804, abs=1e-6)
    assert scores["ari"] == pytest.approx(0.242424, abs=1e-6)
    assert scores["vi"] == pytest.approx(0.867563, abs=1e-6)
    assert scores["nmi"] == pytest.approx(ig.compare_communities(x.tolist(), y.tolist(), method="nmi"))
    assert scores["ari"] == pytest.approx(ig.compare_communities(x.tolist(), y.tolist(), method="adjusted_rand"))
    assert scores["vi"] == pytest.approx(ig.compare_communities(x.tolist(), y.tolist(), method="vi"))


@pytest.mark.parametrize("seed", range(5))
def test_comparison_matches_igraph_on_random_labels(seed):
    rng = np.random.default_rng(seed)
    x, y = rng.integers(0, 4, 40), rng.integers(0, 6, 40)
    scores = compare_partitions(pd.Series(x), pd.Series(y))
    for ours, theirs in (("nmi", "nmi"), ("ari", "adjusted_rand"), ("vi", "vi")):
        assert scores[ours] == pytest.approx(ig.compare_communities(x.tolist(), y.tolist(), method=theirs), abs=1e-12)


def test_comparison_uses_common_organisations_and_reports_coverage():
    x = pd.Series({"a": 0, "b": 0, "c": 1, "d": 1, "e": 1})
    y = pd.Series({"a": "NO", "b": "NO", "c": "DK", "d": "DK", "z": "SE", "e": None})
    scores = compare_partitions(x, y)
    assert scores["common"] == 4 and scores["coverage_left"] == 0.8 and scores["coverage_right"] == 0.8
    assert scores["nmi"] == 1.0 and scores["ari"] == 1.0 and scores["vi"] == 0.0
    assert compare_partitions(pd.Series([0, 0]), pd.Series([5, 5]))["nmi"] == 1.0
    with pytest.raises(InputError):
        compare_partitions(pd.Series({"a": 0}), pd.Series({"b": 0}))


def test_quality_and_contingency_on_a_hand_graph():
    graph = nx.Graph([(0, 1), (0, 2), (0, 3), (1, 2), (4, 5), (5, 6), (4, 6), (0, 4), (3, 5)])
    countries = {0: "NO", 1: "NO", 2: "DK", 3: "NO", 4: "SE", 5: "SE", 6: None}
    net = network_from(graph, countries)
    labels = {str(n): 0 if n < 4 else 1 for n in graph.nodes}
    quality = community_quality(net, labels)
    assert quality["size"].tolist() == [4, 3]
    assert quality["internal_ties"].tolist() == [4, 3]
    assert quality["density"].tolist() == pytest.approx([4 / 6, 1.0])
    assert quality["external_ties"].tolist() == [2, 2]
    assert quality["linked_communities"].tolist() == [1, 1]
    assert quality["countries"].tolist() == [2, 1]
    # A: 0-1 NO-NO, 0-2 NO-DK, 0-3 NO-NO, 1-2 NO-DK -> 2/4; B: only 4-5 has two known ends
    assert quality["international_share"].tolist() == [0.5, 0.0]
    assert quality["modularity"].sum() == pytest.approx(modularity(net, labels))
    table = contingency(net, labels)
    assert table.columns.tolist() == ["DK", "NO", "SE", "(unknown)"]
    assert table.values.tolist() == [[1, 3, 0, 0], [0, 0, 2, 1]]


# -- roles ---------------------------------------------------------------------------------------
def toy_roles(**kwargs) -> pd.DataFrame:
    graph = nx.Graph([(0, 1), (0, 2), (0, 3), (1, 2), (4, 5), (5, 6), (4, 6), (0, 4), (3, 5)])
    labels = {str(n): "A" if n < 4 else "B" for n in graph.nodes}
    return community_roles(network_from(graph), labels, **kwargs).loc[[str(i) for i in range(7)]]


def test_participation_oracle():
    roles = toy_roles()
    expected = [0.375, 0, 0, 0.5, 4 / 9, 4 / 9, 0]
    assert roles["participation"].tolist() == pytest.approx(expected)


def test_within_module_z_uses_population_sd_and_nan_for_equal_members():
    roles = toy_roles()
    inside_a = np.array([3, 2, 2, 1.0])  # κ within A
    expected = (inside_a - inside_a.mean()) / inside_a.std(ddof=0)
    assert roles["within_module_z"].iloc[:4].tolist() == pytest.approx(expected.tolist())
    assert roles["within_module_z"].iloc[4:].isna().all()  # κ within B = 2, 2, 2: σ = 0
    assert roles["ga_role"].tolist() == ["R2", "R1", "R1", "R2", "R2", "R2", "R1"]


def test_participation_matches_networkx_reimplementation(planted):
    graph, truth = planted
    roles = community_roles(network_from(graph), truth)
    for node in list(graph.nodes)[:40]:
        k = graph.degree(node)
        per = pd.Series([truth[str(m)] for m in graph.neighbors(node)]).value_counts()
        assert roles.loc[str(node), "participation"] == pytest.approx(1 - ((per / k) ** 2).sum())


def test_isolates_have_no_participation_or_role():
    net = CollaborationNetwork(pd.DataFrame(index=pd.Index(["a", "b", "c"], name="org_id")),
                               pd.DataFrame({"source": [0], "target": [1], "layer": "x", "weight": 1.0, "year": 2020}))
    roles = community_roles(net, {"a": 0, "b": 0, "c": 1})
    assert math.isnan(roles.loc["c", "participation"]) and pd.isna(roles.loc["c", "ga_role"])


def test_ga_role_thresholds_are_parameters():
    p = pd.Series([0.0, 0.05, 0.06, 0.62, 0.63, 0.80, 0.81, 0.30, 0.31, 0.75, 0.76])
    z = pd.Series([0.0] * 7 + [2.5] * 4)
    assert ga_roles(p, z).tolist() == ["R1", "R1", "R2", "R2", "R3", "R3", "R4", "R5", "R6", "R6", "R7"]
    assert ga_roles(p, z, hub_z=3.0).iloc[7:].tolist() == ["R2", "R2", "R3", "R3"]


# -- arguments -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs",
    [
        {"method": "walktrap"},
        {"resolution": 0},
        {"resolution": float("nan")},
        {"method": "label_propagation", "resolution": 2.0},
        {"method": "louvain", "multiplex": True},
        {"runs": 0},
        {"iterations": 0},
        {"iterations": -2},
        {"iterations": 1.5},
        {"layers": ["nope"]},
        {"layer_weights": {"partnership": -1.0}},
    ],
)
def test_bad_arguments_raise_input_error(karate, kwargs):
    with pytest.raises(InputError):
        detect_communities(network_from(karate), **kwargs)


def test_network_without_ties():
    net = CollaborationNetwork(pd.DataFrame(index=pd.Index(["a", "b"], name="org_id")))
    found = detect_communities(net)
    assert found.membership.tolist() == [0, 1] and math.isnan(found.modularity)
