"""Local clustering: hand-checked graphs, networkx and igraph per locality, the plain formula, relabelling."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netcluster import CollaborationNetwork
from netcluster.errors import InputError
from netcluster.geography import locality_codes
from netcluster.metrics import scope_degrees
from netcluster.metrics.clustering import _local_adjacency, _triangles, local_clustering
from netcluster.sample_graphs import load_sample

PROPERTY = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def make_network(countries, regions, edges, *, ids=None, layers=None, weights=None) -> CollaborationNetwork:
    n = len(countries)
    orgs = pd.DataFrame(
        {"country": list(countries), "region": list(regions)},
        index=pd.Index(ids if ids is not None else [f"o{i}" for i in range(n)], name="org_id"),
    )
    edges = list(edges)
    ties = pd.DataFrame(
        {
            "source": [u for u, _ in edges],
            "target": [v for _, v in edges],
            "layer": layers if layers is not None else "partnership",
            "weight": weights if weights is not None else 1.0,
            "year": 2020,
        }
    )
    return CollaborationNetwork(orgs, ties)


def values(series: pd.Series) -> list:
    return [None if math.isnan(x) else round(x, 10) for x in series.tolist()]


# -- hand-checked -----------------------------------------------------------------------------
def test_triangle_with_a_tail_inside_one_region():
    # 0-1, 0-2, 1-2 (triangle), 0-3, 3-4: C0 = 1/3, C1 = C2 = 1, C3 = 0, C4 NaN
    net = make_network(["NO"] * 5, ["V"] * 5, [(0, 1), (0, 2), (1, 2), (0, 3), (3, 4)])
    result = local_clustering(net)
    assert result.name == "local_clustering"
    assert list(result.index) == list(net.org_ids)
    assert values(result) == [round(1 / 3, 10), 1.0, 1.0, 0.0, None]


def test_complete_graph_and_star():
    k4 = [(u, v) for u in range(4) for v in range(u + 1, 4)]
    assert values(local_clustering(make_network(["NO"] * 4, ["V"] * 4, k4))) == [1.0] * 4
    star = [(0, v) for v in range(1, 5)]
    assert values(local_clustering(make_network(["NO"] * 5, ["V"] * 5, star))) == [0.0] + [None] * 4


def test_only_ties_inside_the_locality_count():
    # a (V) is tied to b, c (V) and to d, e (Oslo); b-c closed, d-e closed, c-d closed.
    # In Vestland a has 2 local partners, tied to each other: C_a = 1 (globally it would be 3/6).
    net = make_network(
        ["NO"] * 5, ["V", "V", "V", "Oslo", "Oslo"],
        [(0, 1), (0, 2), (0, 3), (0, 4), (1, 2), (3, 4), (2, 3)],
    )
    assert values(local_clustering(net)) == [1.0, 1.0, 1.0, None, None]
    # with the country as locality all five are local: C_a = 3 / 6
    by_country = local_clustering(net, locality="country")
    assert by_country["o0"] == pytest.approx(0.5)
    assert by_country["o2"] == pytest.approx(2 / 3)  # c: partners a, b, d; ties a-b, a-d


def test_same_region_name_in_two_countries_is_two_localities():
    net = make_network(["NO", "NO", "SE", "SE"], ["Vestland"] * 4,
                       [(0, 1), (0, 2), (0, 3), (1, 2), (2, 3)])
    # o0's local partners: only o1 -> NaN; o2's local partners: only o3 -> NaN
    assert values(local_clustering(net)) == [None, None, None, None]


def test_unknown_country_or_locality_is_nan():
    net = make_network(["NO", "NO", "NO", None], ["V", "V", None, "V"],
                       [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3)])
    # o2 has no region, o3 no country: o0 and o1 keep one local partner each
    assert values(local_clustering(net)) == [None, None, None, None]


def test_unweighted_and_layers():
    edges = [(0, 1), (0, 2), (1, 2), (0, 3)]
    plain = local_clustering(make_network(["NO"] * 4, ["V"] * 4, edges))
    heavy = local_clustering(make_network(["NO"] * 4, ["V"] * 4, edges, weights=[5.0, 0.5, 9.0, 2.0]))
    pd.testing.assert_series_equal(plain, heavy)
    layered = make_network(["NO"] * 4, ["V"] * 4, edges + [(1, 3)],
                           layers=["a", "a", "b", "a", "b"])
    assert values(local_clustering(layered, layers=["a"])) == [0.0, None, None, None]
    assert values(local_clustering(layered)) == [round(2 / 3, 10), round(2 / 3, 10), 1.0, 1.0]
    assert values(local_clustering(layered, layer_weights={"a": 3.0})) == values(local_clustering(layered))


def test_city_and_nuts_keys():
    orgs = pd.DataFrame(
        {"country": ["FR"] * 4, "region": ["FR101", "FR102", "FR103", "FR111"],
         "city": ["Paris", "Paris", "Paris", "Lille"]},
        index=pd.Index(list("abcd"), name="org_id"),
    )
    ties = pd.DataFrame({"source": [0, 0, 1, 0], "target": [1, 2, 2, 3], "layer": "partnership",
                         "weight": 1.0, "year": 2020})
    net = CollaborationNetwork(orgs, ties)
    assert values(local_clustering(net, locality="city")) == [1.0, 1.0, 1.0, None]
    assert values(local_clustering(net, locality="nuts2")) == [1.0, 1.0, 1.0, None]
    assert values(local_clustering(net, locality="nuts3")) == [None] * 4
    assert values(local_clustering(net, locality="nuts1")) == [round(1 / 3, 10), 1.0, 1.0, None]


def test_no_ties_and_errors():
    net = make_network(["NO", "NO"], ["V", "V"], [])
    assert values(local_clustering(net)) == [None, None]
    with pytest.raises(InputError, match="unknown locality"):
        local_clustering(net, locality="county")
    with pytest.raises(InputError, match="unknown layer"):
        local_clustering(net, layers=["copatent"])


# -- oracles ---------------------------------------------------------------------------------
def networkx_local_clustering(network: CollaborationNetwork, locality: str, layers=None) -> np.ndarray:
    """Independent version: networkx clustering on each locality's induced subgraph."""
    graph = network.to_networkx(layers)
    codes = locality_codes(network.orgs, locality)
    result = np.full(network.n_orgs, np.nan)
    for code in np.unique(codes[codes >= 0]):
        members = network.org_ids[codes == code]
        sub = graph.subgraph(members)
        coefficients = nx.clustering(sub)
        for org in members:
            if sub.degree(org) >= 2:
                result[network.org_ids.get_loc(org)] = coefficients[org]
    return result


def igraph_local_clustering(network: CollaborationNetwork, locality: str, layers=None) -> np.ndarray:
    """igraph's transitivity_local_undirected on each locality's induced subgraph."""
    graph = network.to_igraph(layers)
    codes = locality_codes(network.orgs, locality)
    result = np.full(network.n_orgs, np.nan)
    for code in np.unique(codes[codes >= 0]):
        members = np.flatnonzero(codes == code)
        sub = graph.induced_subgraph(members.tolist())
        result[members] = sub.transitivity_local_undirected(mode="nan")
    return result


def plain_formula(network: CollaborationNetwork, locality: str, layers=None) -> np.ndarray:
    """The readable reference: t = rowsum((A @ A) ⊙ A) / 2 on the same-locality adjacency."""
    dense = network.to_csr(layers).toarray() > 0
    codes = locality_codes(network.orgs, locality)
    same = (codes[:, None] == codes[None, :]) & (codes[:, None] >= 0)
    a = (dense & same).astype(np.int64)
    k = a.sum(axis=1)
    t = ((a @ a) * a).sum(axis=1) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        c = 2 * t / (k * (k - 1))
    c[k < 2] = np.nan
    return c


@pytest.mark.parametrize("locality", ["region", "city", "country"])
def test_ocean_cluster_against_networkx_and_igraph(locality):
    net = load_sample("ocean_cluster")
    got = local_clustering(net, locality=locality).to_numpy()
    np.testing.assert_allclose(got, networkx_local_clustering(net, locality), rtol=0, atol=1e-12)
    np.testing.assert_allclose(got, igraph_local_clustering(net, locality), rtol=0, atol=1e-12)
    np.testing.assert_allclose(got, plain_formula(net, locality), rtol=0, atol=1e-12)
    assert np.isfinite(got).sum() > 150


def test_ocean_cluster_one_layer():
    net = load_sample("ocean_cluster")
    got = local_clustering(net, layers=["copatent"]).to_numpy()
    np.testing.assert_allclose(got, networkx_local_clustering(net, "region", ["copatent"]), atol=1e-12)


@pytest.mark.parametrize("seed", range(12))
def test_random_graphs_against_networkx_and_igraph(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 80))
    p = float(rng.choice([0.05, 0.2, 0.6, 0.95]))
    graph = nx.gnp_random_graph(n, p, seed=seed)
    countries = rng.choice(["NO", "SE", None], size=n, p=[0.6, 0.3, 0.1])
    regions = rng.choice(["A", "B", "C", None], size=n, p=[0.4, 0.3, 0.2, 0.1])
    net = make_network(countries, regions, graph.edges())
    got = local_clustering(net).to_numpy()
    np.testing.assert_allclose(got, networkx_local_clustering(net, "region"), atol=1e-12)
    np.testing.assert_allclose(got, igraph_local_clustering(net, "region"), atol=1e-12)
    np.testing.assert_allclose(got, plain_formula(net, "region"), atol=1e-12)


@pytest.mark.parametrize("budget", [1, 3, 50, 1 << 24])
def test_blocks_of_any_size_give_the_same_triangles(budget):
    graph = nx.powerlaw_cluster_graph(300, 4, 0.5, seed=7)  # hubs and many triangles
    a = sp.csr_matrix(nx.to_scipy_sparse_array(graph, nodelist=range(300), dtype=np.int32))
    expected = [nx.triangles(graph, v) for v in range(300)]
    assert _triangles(a, budget).tolist() == expected


def test_local_adjacency_mask():
    matrix = sp.csr_matrix(np.array([[0, 2, 1, 0], [2, 0, 0, 1], [1, 0, 0, 3], [0, 1, 3, 0]], dtype=float))
    orgs = pd.DataFrame({"country": ["NO", "NO", "NO", "NO"], "region": ["A", "A", "B", None]})
    local = _local_adjacency(matrix, orgs, "region")
    assert local.toarray().tolist() == [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]


def test_distance_locality():
    # Bergen, Voss (about 75 km) and Oslo (about 305 km from Bergen); Bergen-Voss-Oslo triangle
    orgs = pd.DataFrame({"country": ["NO", "NO", "NO"], "lat": [60.39, 60.63, 59.91],
                         "lon": [5.32, 6.42, 10.75]}, index=pd.Index(list("abc"), name="org_id"))
    ties = pd.DataFrame({"source": [0, 0, 1], "target": [1, 2, 2], "layer": "partnership",
                         "weight": 1.0, "year": 2020})
    net = CollaborationNetwork(orgs, ties)
    near = scope_degrees(net, locality="km:100")
    assert near["local_degree"].tolist() == [1, 1, 0] and near["national_degree"].tolist() == [1, 1, 2]
    assert scope_degrees(net, locality="km:400")["local_degree"].tolist() == [2, 2, 2]
    assert local_clustering(net, locality="km:400").tolist() == [1.0, 1.0, 1.0]
    assert local_clustering(net, locality="km:100").isna().all()
    with pytest.raises(InputError, match="lat and lon"):
        scope_degrees(CollaborationNetwork(orgs[["country"]], ties), locality="km:50")


# -- invariants -------------------------------------------------------------------------------
@st.composite
def located_graphs(draw):
    n = draw(st.integers(min_value=1, max_value=14))
    pairs = [(u, v) for u in range(n) for v in range(u + 1, n)]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs))) if pairs else []
    countries = draw(st.lists(st.sampled_from(["NO", "SE", None]), min_size=n, max_size=n))
    regions = draw(st.lists(st.sampled_from(["A", "B", None]), min_size=n, max_size=n))
    permutation = draw(st.permutations(range(n)))
    return n, edges, countries, regions, permutation


@PROPERTY
@given(located_graphs())
def test_unchanged_under_relabelling(case):
    n, edges, countries, regions, permutation = case
    ids = [f"org{i}" for i in range(n)]
    net = make_network(countries, regions, edges, ids=ids)
    # organisation i gets code permutation[i]
    inverse = np.argsort(permutation)
    relabelled = make_network(
        [countries[i] for i in inverse], [regions[i] for i in inverse],
        [(permutation[u], permutation[v]) for u, v in edges], ids=[ids[i] for i in inverse],
    )
    first = local_clustering(net)
    second = local_clustering(relabelled).reindex(first.index)
    pd.testing.assert_series_equal(first, second)
    np.testing.assert_allclose(first.to_numpy(), plain_formula(net, "region"), atol=1e-12)
    finite = first.dropna()
    assert ((finite >= 0) & (finite <= 1)).all()


# -- real data ---------------------------------------------------------------------------------
def test_cordis_by_country_against_igraph(shared_data):
    from netcluster import build_network

    net = build_network(partnerships=shared_data / "cordis_h2020_participations.csv.gz", organisations=None)
    assert net.orgs["region"].isna().all()  # no regions without the organisation table
    got = local_clustering(net, locality="country")
    np.testing.assert_allclose(got.to_numpy(), igraph_local_clustering(net, "country"), atol=1e-12)
    assert got.notna().sum() > 10_000
