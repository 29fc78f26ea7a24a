"""Burt's effective size and constraint: DESIGN oracles, a per-node reference, networkx, igraph.

The reference below mirrors the formulas node by node on plain dicts (no
matrices), so it shares nothing with the sparse triangle-based fast path.

networkx 3.6.1 has two code paths. The per-node one (``nodes=`` given) follows
Burt's definition. The vectorised one (``nodes`` omitted) agrees for
constraint, and for effective size on unweighted undirected graphs, but
normalises m_jq by the wrong node's strongest tie on weighted or directed
graphs (``max(axis=1).toarray()`` is 1-D and broadcasts over columns), e.g.
G 5.515 instead of 5.472 on the weighted Borgatti graph. We follow the per-node
definition, which also matches the DESIGN / UCINET oracle values; weighted
effective sizes are compared with ``nodes=list(G)``.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netcluster import CollaborationNetwork, InputError
from netcluster.metrics.holes import (
    _holes_from_matrix,
    constraint,
    effective_size,
    structural_holes,
)
from netcluster.sample_graphs import load_sample

PROPERTY = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)

BORGATTI = [
    ("A", "B", 2), ("A", "F", 3), ("A", "G", 5), ("A", "E", 2), ("E", "G", 8),
    ("F", "G", 3), ("B", "G", 4), ("B", "D", 1), ("D", "G", 3), ("G", "C", 10),
]


def make_network(ids, edges, layer="partnership") -> CollaborationNetwork:
    """Organisations ``ids``; ``edges`` as (u, v, weight) with u, v ids."""
    position = {org: code for code, org in enumerate(ids)}
    orgs = pd.DataFrame(index=pd.Index(list(ids), name="org_id"))
    ties = pd.DataFrame(
        {
            "source": [position[u] for u, _, _ in edges],
            "target": [position[v] for _, v, _ in edges],
            "layer": layer,
            "weight": [float(w) for _, _, w in edges],
            "year": 2020,
        }
    )
    return CollaborationNetwork(orgs, ties)


# -- the reference: Burt's formulas, node by node ------------------------------------------
def mutual_weights(arcs: dict) -> dict:
    """a_ij = w_ij + w_ji over (directed or undirected) ties, without self-ties."""
    a: dict = {}
    for (i, j), w in arcs.items():
        if i == j:
            continue
        a.setdefault(i, {}).setdefault(j, 0.0)
        a.setdefault(j, {}).setdefault(i, 0.0)
        a[i][j] += w
        a[j][i] += w
    return a


def reference(nodes, arcs: dict) -> tuple[dict, dict]:
    """Effective size and constraint per node, straight from the definitions.

    p_ij = a_ij / sum_k a_ik;  m_jq = a_jq / max_k a_jk
    e_i = sum_{j in N(i)} (1 - sum_q p_iq m_jq)
    c_i = sum_{j in N(i)} (p_ij + sum_q p_iq p_qj)^2
    """
    a = mutual_weights(arcs)

    def p(i, j):
        return a[i].get(j, 0.0) / sum(a[i].values())

    def m(j, q):
        return a[j].get(q, 0.0) / max(a[j].values())

    esize, constr = {}, {}
    for i in nodes:
        partners = list(a.get(i, {}))
        if not partners:
            esize[i] = constr[i] = math.nan
            continue
        esize[i] = sum(1 - sum(p(i, q) * m(j, q) for q in partners) for j in partners)
        constr[i] = sum((p(i, j) + sum(p(i, q) * p(q, j) for q in partners)) ** 2 for j in partners)
    return esize, constr


def undirected_arcs(edges, weighted=True) -> dict:
    return {(u, v): (float(w) if weighted else 1.0) for u, v, w in edges}


def assert_close(ours: pd.Series, theirs: dict, tol=1e-9) -> None:
    expected = pd.Series(theirs, dtype=float).reindex(ours.index)
    assert np.allclose(ours.to_numpy(), expected.to_numpy(), rtol=tol, atol=tol, equal_nan=True)


# -- DESIGN section 7 oracles ------------------------------------------------------------
def test_borgatti_unweighted_oracle():
    net = make_network("ABCDEFG", BORGATTI)
    esize, constr = effective_size(net), constraint(net)
    assert esize.name == "effective_size" and constr.name == "constraint"
    assert esize.index.name == "org_id"
    assert [round(esize[k], 2) for k in "GAC"] == [4.67, 2.50, 1.00]
    assert [round(constr[k], 3) for k in "GAC"] == [0.400, 0.595, 1.000]
    # Borgatti's n - 2t/n: G has 6 partners with 4 ties among them (A-B, A-E, A-F, B-D)
    assert esize["G"] == pytest.approx(6 - 2 * 4 / 6)


def test_borgatti_weighted_oracle():
    net = make_network("ABCDEFG", BORGATTI)
    esize, constr = effective_size(net, weighted=True), constraint(net, weighted=True)
    assert [round(constr[k], 3) for k in "GAC"] == [0.299, 0.795, 1.000]
    assert [round(esize[k], 2) for k in "GAC"] == [5.47, 2.47, 1.00]


def test_directed_oracle_on_the_core():
    # D = {0->1, 0->2, 1->0, 2->1}: mutual weights a01 = 2, a02 = 1, a12 = 1
    arcs = sp.csr_matrix(([1.0] * 4, ([0, 0, 1, 2], [1, 2, 0, 1])), shape=(3, 3))
    esize, constr = _holes_from_matrix(arcs, directed=True)
    assert np.round(esize, 3).tolist() == [1.167, 1.167, 1.0]
    assert np.round(constr, 3).tolist() == [1.003, 1.003, 1.389]
    ref_e, ref_c = reference(range(3), {(0, 1): 1, (0, 2): 1, (1, 0): 1, (2, 1): 1})
    assert np.allclose(esize, [ref_e[i] for i in range(3)])
    assert np.allclose(constr, [ref_c[i] for i in range(3)])
    graph = nx.DiGraph([(0, 1), (0, 2), (1, 0), (2, 1)])
    assert np.allclose(constr, [nx.constraint(graph)[i] for i in range(3)])
    assert np.allclose(esize, [nx.effective_size(graph, nodes=[0, 1, 2])[i] for i in range(3)])


def test_reference_reproduces_the_oracles():
    esize, constr = reference("ABCDEFG", undirected_arcs(BORGATTI))
    assert [round(esize[k], 2) for k in "GAC"] == [5.47, 2.47, 1.00]
    assert [round(constr[k], 3) for k in "GAC"] == [0.299, 0.795, 1.000]


def test_networkx_vectorised_path_is_not_burt_on_weights():
    """Why weighted effective sizes are compared with networkx's per-node path."""
    graph = nx.Graph()
    graph.add_weighted_edges_from(BORGATTI)
    per_node = nx.effective_size(graph, nodes=list(graph), weight="weight")
    assert round(per_node["G"], 3) == 5.472
    ours = effective_size(make_network("ABCDEFG", BORGATTI), weighted=True)
    assert ours["G"] == pytest.approx(per_node["G"])
    vectorised = nx.effective_size(graph, weight="weight")
    if not math.isclose(vectorised["G"], per_node["G"]):  # networkx 3.6.1: 5.515
        # its m_jq is a_jq / max_k a_qk: reproduce that to be sure of the diagnosis
        a = mutual_weights(undirected_arcs(BORGATTI))
        partners = list(a["G"])
        s = sum(a["G"].values())
        wrong = sum(
            1 - sum(a["G"].get(q, 0) / s * a[j].get(q, 0) / max(a[q].values()) for q in partners)
            for j in partners
        )
        assert vectorised["G"] == pytest.approx(wrong)


# -- against networkx and igraph ---------------------------------------------------------
def random_graph(seed: int, n: int = 30, p: float = 0.2) -> nx.Graph:
    rng = np.random.default_rng(seed)
    graph = nx.gnp_random_graph(n, p, seed=seed)
    for u, v in graph.edges:
        graph[u][v]["weight"] = float(rng.integers(1, 10))
    return graph


def network_from_graph(graph: nx.Graph) -> CollaborationNetwork:
    ids = [f"o{i}" for i in graph.nodes]
    edges = [(f"o{u}", f"o{v}", d["weight"]) for u, v, d in graph.edges(data=True)]
    return make_network(ids, edges)


@pytest.mark.parametrize("seed", range(12))
def test_matches_networkx_on_random_graphs(seed):
    graph = random_graph(seed, n=25 + seed, p=0.08 + 0.03 * seed)
    net = network_from_graph(graph)
    relabel = {f"o{i}": i for i in graph.nodes}
    table = structural_holes(net).rename(index=relabel)
    assert_close(table["constraint"], nx.constraint(graph))
    assert_close(table["effective_size"], nx.effective_size(graph))
    weighted = structural_holes(net, weighted=True).rename(index=relabel)
    assert_close(weighted["constraint"], nx.constraint(graph, weight="weight"))
    per_node = nx.effective_size(graph, nodes=list(graph), weight="weight")
    assert_close(weighted["effective_size"], per_node)


@pytest.mark.parametrize("weighted", [False, True])
def test_ocean_cluster_against_networkx_igraph_and_reference(weighted):
    network = load_sample("ocean_cluster")
    table = structural_holes(network, weighted=weighted)
    weight = "weight" if weighted else None
    graph = network.to_networkx()
    assert_close(table["constraint"], nx.constraint(graph, weight=weight))
    if weighted:
        # networkx's per-node path costs ~deg^3 per node (minutes for the hubs):
        # check every fourth organisation with at most 25 partners against it,
        # and all of them against the reference below
        degree = dict(graph.degree())
        some = [v for v in list(graph)[::4] if degree[v] <= 25]
        assert len(some) > 50
        nx_esize = nx.effective_size(graph, nodes=some, weight="weight")
        assert_close(table.loc[some, "effective_size"], nx_esize)
    else:
        assert_close(table["effective_size"], nx.effective_size(graph))
    igraph_constraint = network.to_igraph().constraint(weights=weight)
    assert np.allclose(table["constraint"], igraph_constraint, atol=1e-12, equal_nan=True)

    upper = sp.triu(network.to_csr(), k=1).tocoo()
    ids = network.org_ids
    arcs = {
        (ids[u], ids[v]): (w if weighted else 1.0)
        for u, v, w in zip(upper.row.tolist(), upper.col.tolist(), upper.data.tolist())
    }
    ref_e, ref_c = reference(ids, arcs)
    assert_close(table["effective_size"], ref_e)
    assert_close(table["constraint"], ref_c)
    assert table["effective_size"].notna().sum() > 250


# -- properties ---------------------------------------------------------------------------
@st.composite
def weighted_graphs(draw, max_nodes=14):
    n = draw(st.integers(1, max_nodes))
    pairs = [(u, v) for u in range(n) for v in range(u + 1, n)]
    chosen = (
        draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs))) if pairs else []
    )
    weights = draw(st.lists(st.integers(1, 9), min_size=len(chosen), max_size=len(chosen)))
    return n, [(u, v, float(w)) for (u, v), w in zip(chosen, weights)]


@PROPERTY
@given(weighted_graphs(), st.randoms(use_true_random=False), st.booleans())
def test_relabelling_organisations_changes_nothing(graph, random, weighted):
    n, edges = graph
    ids = [f"org{i}" for i in range(n)]
    shuffled = ids[:]
    random.shuffle(shuffled)
    named = [(ids[u], ids[v], w) for u, v, w in edges]
    first = structural_holes(make_network(ids, named), weighted=weighted)
    second = structural_holes(make_network(shuffled, named), weighted=weighted)
    pd.testing.assert_frame_equal(first, second.loc[first.index], check_exact=False, rtol=1e-12)


@PROPERTY
@given(weighted_graphs(), st.booleans(), st.integers(1, 6), st.integers(1, 40))
def test_core_matches_reference_for_any_chunking(graph, weighted, max_candidates, max_lookup):
    n, edges = graph
    rows = [u for u, _, _ in edges] + [v for _, v, _ in edges]
    cols = [v for _, v, _ in edges] + [u for u, _, _ in edges]
    data = [w if weighted else 1.0 for _, _, w in edges] * 2
    matrix = sp.csr_matrix((data, (rows, cols)), shape=(n, n))
    esize, constr = _holes_from_matrix(matrix, max_candidates=max_candidates, max_lookup=max_lookup)
    ref_e, ref_c = reference(range(n), undirected_arcs(edges, weighted))
    assert np.allclose(esize, [ref_e[i] for i in range(n)], equal_nan=True)
    assert np.allclose(constr, [ref_c[i] for i in range(n)], equal_nan=True)


@PROPERTY
@given(weighted_graphs(), st.integers(1, 40))
def test_directed_core_matches_reference(graph, max_lookup):
    n, edges = graph
    # orient each pair by the parity of its weight, some both ways
    arcs = {}
    for u, v, w in edges:
        if w % 3 != 1:
            arcs[(u, v)] = w
        if w % 3 != 2:
            arcs[(v, u)] = w + 1
    rows, cols = zip(*arcs) if arcs else ((), ())
    matrix = sp.csr_matrix((list(arcs.values()), (rows, cols)), shape=(n, n))
    esize, constr = _holes_from_matrix(
        matrix, directed=True, max_candidates=3, max_lookup=max_lookup
    )
    ref_e, ref_c = reference(range(n), arcs)
    assert np.allclose(esize, [ref_e[i] for i in range(n)], equal_nan=True)
    assert np.allclose(constr, [ref_c[i] for i in range(n)], equal_nan=True)


@PROPERTY
@given(weighted_graphs(max_nodes=18), st.booleans())
def test_bounds(graph, weighted):
    n, edges = graph
    ids = [f"o{i}" for i in range(n)]
    net = make_network(ids, [(ids[u], ids[v], w) for u, v, w in edges])
    table = structural_holes(net, weighted=weighted)
    degree = pd.Series(np.diff(net.to_csr().indptr), index=net.org_ids)
    has_partner = degree > 0
    assert table[~has_partner].isna().all().all()
    c = table.loc[has_partner, "constraint"]
    e = table.loc[has_partner, "effective_size"]
    d = degree[has_partner]
    eps = 1e-12
    assert (c >= 1 / d - eps).all()  # Cauchy-Schwarz: sum_j p_ij^2 >= 1/n
    assert (c <= (1.125 if not weighted else 2.0) + eps).all()
    assert (c[d == 1] == 1.0).all()
    assert ((e >= 1 - eps) & (e <= d + eps)).all()


# -- edge cases and options ----------------------------------------------------------------
def test_isolates_and_empty_networks_are_nan():
    net = make_network(["a", "b", "c", "d"], [("a", "b", 1.0)])
    table = structural_holes(net)
    assert table.loc[["a", "b"]].to_numpy().tolist() == [[1.0, 1.0], [1.0, 1.0]]
    assert table.loc[["c", "d"]].isna().all().all()
    empty = make_network(["x", "y"], [])
    assert effective_size(empty).isna().all() and constraint(empty, weighted=True).isna().all()
    esize, constr = _holes_from_matrix(sp.csr_matrix((0, 0)))
    assert esize.size == 0 and constr.size == 0


def test_star_and_clique():
    star = make_network(list("abcde"), [("a", x, 1.0) for x in "bcde"])
    assert effective_size(star)["a"] == 4.0
    assert constraint(star)["a"] == pytest.approx(0.25)
    clique = make_network(list("abcd"), [(u, v, 1.0) for u in "abcd" for v in "abcd" if u < v])
    assert effective_size(clique).tolist() == pytest.approx([1.0] * 4)
    assert constraint(clique).tolist() == pytest.approx([25 / 27] * 4)  # (2n-1)^2 / n^3 with n = 3


def test_layers_and_layer_weights(toy_network):
    # toy: a-b (partnership 2 + copatent 1), a-c partnership 1, a-d copatent 3,
    # b-d membership 1, c-e partnership 1
    before = toy_network.to_csr().data.tolist()
    only_partnership = structural_holes(toy_network, layers=["partnership"])
    assert only_partnership.loc["d"].isna().all()
    assert only_partnership.loc["a", "effective_size"] == 2.0
    plain = constraint(toy_network, weighted=True)
    doubled = constraint(toy_network, weighted=True, layer_weights={"copatent": 2.0})
    assert plain["a"] != pytest.approx(doubled["a"])
    # unweighted measures ignore weights and layer weights
    pd.testing.assert_series_equal(
        constraint(toy_network), constraint(toy_network, layer_weights={"copatent": 2.0})
    )
    graph = toy_network.to_networkx(layer_weights={"copatent": 2.0})
    assert_close(doubled, nx.constraint(graph, weight="weight"))
    # the cached flattened matrix is left as it was
    assert toy_network.to_csr().data.tolist() == before


def test_negative_weights_are_refused_when_weighted():
    net = make_network(["a", "b", "c"], [("a", "b", -1.0), ("b", "c", 1.0)])
    with pytest.raises(InputError, match="non-negative"):
        constraint(net, weighted=True)
    assert constraint(net).tolist() == [1.0, 0.5, 1.0]


def test_core_rejects_asymmetric_undirected_input():
    with pytest.raises(ValueError, match="symmetric"):
        _holes_from_matrix(sp.csr_matrix(([1.0], ([0], [1])), shape=(2, 2)))


def test_self_ties_in_a_matrix_are_ignored():
    matrix = sp.csr_matrix(([5.0, 1.0, 1.0], ([0, 0, 1], [0, 1, 0])), shape=(2, 2))
    esize, constr = _holes_from_matrix(matrix)
    assert esize.tolist() == [1.0, 1.0] and constr.tolist() == [1.0, 1.0]


def test_hubs_against_igraph_on_a_heavy_tailed_graph():
    """Hubs with many partners of lower degree: the case the degree ordering is for."""
    nx_graph = nx.powerlaw_cluster_graph(600, 4, 0.5, seed=3)
    hub = max(dict(nx_graph.degree).values())
    assert hub > 40
    rng = np.random.default_rng(3)
    edges = [(f"o{u}", f"o{v}", float(rng.integers(1, 5))) for u, v in nx_graph.edges]
    net = make_network([f"o{i}" for i in range(600)], edges)
    for weighted in (False, True):
        ours = constraint(net, weighted=weighted)
        theirs = net.to_igraph().constraint(weights="weight" if weighted else None)
        assert np.allclose(ours, theirs, atol=1e-12)


def test_real_cordis_network_matches_igraph(shared_data):
    """~36k organisations, ~0.76M ties, hubs with over 6,000 partners (a few seconds)."""
    from netcluster import build_network

    network = build_network(partnerships=shared_data / "cordis_h2020_participations.csv.gz")
    table = structural_holes(network, weighted=True)
    degree = np.diff(network.to_csr().indptr)
    assert degree.max() > 3000
    assert table[degree == 0].isna().all().all() and table[degree > 0].notna().all().all()
    theirs = network.to_igraph().constraint(weights="weight")
    assert np.allclose(table["constraint"], theirs, atol=1e-12, equal_nan=True)
    e = table["effective_size"].dropna()
    assert ((e >= 1 - 1e-9) & (e <= degree[degree > 0] + 1e-9)).all()
