"""International-bridge centrality: hand oracles, brute force, networkx, sampling."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netcluster import CollaborationNetwork, InputError
from netcluster.geography import country_codes
from netcluster.metrics.bridges import _allocate, _group_size, _n_groups, _stratum_variance, bridge_centrality
from netcluster.sample_graphs import load_sample


def _network(countries, edges, ids=None) -> CollaborationNetwork:
    ids = ids or [f"o{i}" for i in range(len(countries))]
    orgs = pd.DataFrame({"country": countries}, index=pd.Index(ids, name="org_id"))
    edges = list(edges)
    ties = pd.DataFrame(
        {
            "source": [u for u, _ in edges],
            "target": [v for _, v in edges],
            "layer": "partnership",
            "weight": 1.0,
            "year": 2020,
        }
    )
    return CollaborationNetwork(orgs, ties)


def _values(table: pd.DataFrame) -> list[float]:
    return table["bridge_centrality"].tolist()


def _brute_force(network: CollaborationNetwork, home_codes=None) -> np.ndarray:
    """Ordered pairs (s in home, t abroad), all shortest paths listed by networkx."""
    n = network.n_orgs
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    upper = network.to_csr().tocoo()
    graph.add_edges_from((int(u), int(v)) for u, v in zip(upper.row, upper.col) if u < v)
    country = country_codes(network.orgs)
    home = set(range(n)) if home_codes is None else set(int(h) for h in home_codes)
    total, pairs = np.zeros(n), 0
    for s, t in itertools.permutations(range(n), 2):
        if s not in home or country[s] < 0 or country[t] < 0 or country[s] == country[t]:
            continue
        pairs += 1
        if not nx.has_path(graph, s, t):
            continue
        paths = list(nx.all_shortest_paths(graph, s, t))
        for path in paths:
            for v in path[1:-1]:
                total[v] += 1.0 / len(paths)
    return total / pairs if pairs else total


def _networkx_subset(network: CollaborationNetwork) -> np.ndarray:
    """networkx subset betweenness per source country, doubled (networkx issue 3481)."""
    graph = nx.Graph()
    graph.add_nodes_from(range(network.n_orgs))
    upper = network.to_csr().tocoo()
    graph.add_edges_from((int(u), int(v)) for u, v in zip(upper.row, upper.col) if u < v)
    country = country_codes(network.orgs)
    known = country >= 0
    total, pairs = np.zeros(network.n_orgs), 0
    for code in np.unique(country[known]):
        sources = np.flatnonzero(country == code).tolist()
        targets = np.flatnonzero(known & (country != code)).tolist()
        pairs += len(sources) * len(targets)
        values = nx.betweenness_centrality_subset(graph, sources, targets, normalized=False)
        total += 2 * np.array([values[i] for i in range(network.n_orgs)])
    return total / pairs


# -- hand-checkable oracles ------------------------------------------------------------
def test_path_no_no_dk():
    # a(NO) - b(NO) - c(DK): ordered cross pairs a->c, b->c, c->a, c->b; b is inside two
    net = _network(["NO", "NO", "DK"], [(0, 1), (1, 2)])
    table = bridge_centrality(net)
    assert _values(table) == [0.0, 0.5, 0.0]
    assert table["bridge_centrality_se"].tolist() == [0.0, 0.0, 0.0]
    assert table.attrs["bridge_centrality"]["pairs"] == 4
    # from a only: one pair, a->c, through b
    assert _values(bridge_centrality(net, home=["o0"])) == [0.0, 1.0, 0.0]
    # from c only: c->a through b, c->b with b as an endpoint
    assert _values(bridge_centrality(net, home=["o2"])) == [0.0, 0.5, 0.0]


def test_single_bridge_carries_every_cross_pair():
    # Norway {a, b} and Denmark {c, d} meet only through x, whose country is unknown:
    # x is no endpoint, and all 8 ordered cross pairs pass through it
    net = _network(["NO", "NO", "DK", "DK", None], [(0, 1), (0, 4), (1, 4), (2, 3), (2, 4), (3, 4)])
    table = bridge_centrality(net)
    assert _values(table) == [0.0, 0.0, 0.0, 0.0, 1.0]
    assert table.attrs["bridge_centrality"]["pairs"] == 8


def test_a_bridge_that_is_also_an_endpoint():
    # star: x (NO) in the middle of a, b (NO) and c (DK), d (SE)
    net = _network(["NO", "NO", "NO", "DK", "SE"], [(0, 1), (0, 2), (0, 3), (0, 4)])
    # ordered cross pairs: NO->{DK,SE} 3*2, DK->{NO,SE} 4, SE->{NO,DK} 4 = 14
    # x is inside all except those with x as an endpoint (x->c, x->d, c->x, d->x): 10
    table = bridge_centrality(net)
    assert table.attrs["bridge_centrality"]["pairs"] == 14
    assert _values(table) == pytest.approx([10 / 14, 0, 0, 0, 0])


def test_two_shortest_paths_share_the_credit():
    # square a(NO) - b - c(DK) - d - a with b and d of unknown country
    net = _network(["NO", None, "DK", None], [(0, 1), (1, 2), (2, 3), (3, 0)])
    assert _values(bridge_centrality(net)) == [0.0, 0.5, 0.0, 0.5]


def test_unreachable_pairs_count_in_the_normaliser():
    # a(NO)-b(SE)-c(DK) plus an isolated e(FI)
    net = _network(["NO", "SE", "DK", "FI"], [(0, 1), (1, 2)])
    table = bridge_centrality(net)
    assert table.attrs["bridge_centrality"]["pairs"] == 12
    assert table.loc["o1", "bridge_centrality"] == pytest.approx(2 / 12)


def test_organisations_without_country_are_only_intermediaries():
    net = _network(["NO", None, "DK", None], [(0, 1), (1, 2), (2, 3)])
    table = bridge_centrality(net)
    assert table.attrs["bridge_centrality"]["pairs"] == 2
    assert _values(table) == [0.0, 1.0, 0.0, 0.0]
    # a home set of only unknown-country organisations has no pairs
    assert _values(bridge_centrality(net, home=["o1", "o3"])) == [0.0] * 4


# -- home set forms ---------------------------------------------------------------------------
def test_home_as_mask_codes_ids_and_series_agree():
    net = load_sample("ocean_cluster")
    norway = (net.orgs["country"] == "NO").fillna(False).to_numpy(dtype=bool)
    by_mask = bridge_centrality(net, home=norway)
    by_codes = bridge_centrality(net, home=np.flatnonzero(norway))
    by_ids = bridge_centrality(net, home=list(net.org_ids[norway]))
    by_series = bridge_centrality(net, home=pd.Series(norway, index=net.org_ids))
    by_list = bridge_centrality(net, home=norway.tolist())
    for other in (by_codes, by_ids, by_series, by_list):
        pd.testing.assert_frame_equal(by_mask, other)
    everyone = bridge_centrality(net)["bridge_centrality"]
    assert not np.allclose(by_mask["bridge_centrality"], everyone)


def test_bad_arguments_are_refused(toy_network):
    with pytest.raises(InputError):
        bridge_centrality(toy_network, home=np.array([True, False]))
    with pytest.raises(InputError):
        bridge_centrality(toy_network, home=["a", "nobody"])
    with pytest.raises(InputError):
        bridge_centrality(toy_network, home=np.array([0, 7]))
    with pytest.raises(InputError):
        bridge_centrality(toy_network, exact=True, samples=3)
    for bad in (0, -1, 2.5, True):
        with pytest.raises(InputError):
            bridge_centrality(toy_network, samples=bad)
        with pytest.raises(InputError):
            bridge_centrality(toy_network, workers=bad)


def test_layers_are_flattened_as_chosen(toy_network):
    # all layers: b(NO) reaches d(DK) directly, a(NO) too; c(NO) and e(unknown) are leaves
    # through a: c->d and d->c; pairs: NO(3)->DK(1) and back = 6
    everything = bridge_centrality(toy_network)
    assert everything.loc["a", "bridge_centrality"] == pytest.approx(2 / 6)
    # partnership only: a-b, a-c, c-e; d is isolated, nothing crosses a border
    assert _values(bridge_centrality(toy_network, layers=["partnership"])) == [0.0] * 5


def test_empty_network():
    orgs = pd.DataFrame(
        {"country": pd.Series([], dtype="string")}, index=pd.Index([], name="org_id")
    )
    table = bridge_centrality(CollaborationNetwork(orgs))
    assert list(table.columns) == ["bridge_centrality", "bridge_centrality_se"] and len(table) == 0


def test_default_is_exact_below_the_work_limit_and_sampled_above(monkeypatch):
    import netcluster.metrics.bridges as bridges

    net = load_sample("norway_h2020")
    exact = bridge_centrality(net)
    assert exact.attrs["bridge_centrality"]["exact"]
    assert exact.attrs["bridge_centrality"]["sources"] == net.n_orgs
    # exact=False with the default sample size covers all 298 sources of ocean_cluster
    ocean = load_sample("ocean_cluster")
    census = bridge_centrality(ocean, exact=False)
    assert census.attrs["bridge_centrality"]["exact"]
    np.testing.assert_allclose(
        census["bridge_centrality"], bridge_centrality(ocean)["bridge_centrality"], atol=1e-15
    )
    monkeypatch.setattr(bridges, "EXACT_WORK_LIMIT", 1.0)
    monkeypatch.setattr(bridges, "DEFAULT_SAMPLES", 300)
    sampled = bridge_centrality(net)
    info = sampled.attrs["bridge_centrality"]
    assert not info["exact"] and info["sources"] == 300 and info["source_population"] == net.n_orgs
    assert info["pairs"] == exact.attrs["bridge_centrality"]["pairs"]
    assert (sampled["bridge_centrality_se"] > 0).sum() > 100
    assert bridge_centrality(net, exact=True).attrs["bridge_centrality"]["exact"]


# -- references ---------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(12))
def test_matches_brute_force_and_networkx_on_random_graphs(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 13))
    graph = nx.gnp_random_graph(n, float(rng.uniform(0.15, 0.45)), seed=seed)
    countries = list(rng.choice(["NO", "DK", "SE", None], size=n, p=[0.4, 0.25, 0.2, 0.15]))
    net = _network(countries, graph.edges())
    got = bridge_centrality(net)["bridge_centrality"].to_numpy()
    np.testing.assert_allclose(got, _brute_force(net), atol=1e-12)
    if (country_codes(net.orgs) >= 0).any() and len(set(c for c in countries if c)) > 1:
        np.testing.assert_allclose(got, _networkx_subset(net), atol=1e-12)
    home = np.flatnonzero(rng.random(n) < 0.5)
    got_home = bridge_centrality(net, home=home)["bridge_centrality"].to_numpy()
    np.testing.assert_allclose(got_home, _brute_force(net, home), atol=1e-12)


def test_matches_networkx_on_ocean_cluster():
    net = load_sample("ocean_cluster")
    table = bridge_centrality(net)
    assert table.attrs["bridge_centrality"]["exact"]
    np.testing.assert_allclose(table["bridge_centrality"], _networkx_subset(net), atol=1e-12)
    assert (table["bridge_centrality_se"] == 0).all()
    assert table["bridge_centrality"].max() > 0.05


# -- invariants ----------------------------------------------------------------------------
@st.composite
def networks(draw, countries=st.sampled_from(["NO", "DK", "SE", None])):
    n = draw(st.integers(2, 10))
    pairs = list(itertools.combinations(range(n), 2))
    edges = draw(st.lists(st.sampled_from(pairs), max_size=2 * n, unique=True))
    return draw(st.lists(countries, min_size=n, max_size=n)), edges


@settings(max_examples=60, deadline=None)
@given(networks(countries=st.sampled_from(["NO", None])))
def test_zero_when_everyone_shares_one_country(case):
    countries, edges = case
    table = bridge_centrality(_network(countries, edges))
    assert (table["bridge_centrality"] == 0).all() and (table["bridge_centrality_se"] == 0).all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.randoms(use_true_random=False))
def test_unchanged_when_organisations_are_relabelled(case, random):
    countries, edges = case
    n = len(countries)
    net = _network(countries, edges)
    order = list(range(n))
    random.shuffle(order)  # new row position of each organisation
    position = {old: new for new, old in enumerate(order)}
    moved = _network(
        [countries[old] for old in order],
        [(position[u], position[v]) for u, v in edges],
        ids=[f"x{old}" for old in order],
    )
    before = bridge_centrality(net)["bridge_centrality"].to_numpy()
    after = bridge_centrality(moved)["bridge_centrality"].to_numpy()
    np.testing.assert_allclose(after, before[order], atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(networks(), st.integers(1, 12), st.integers(0, 2**32 - 1))
def test_sampling_is_reproducible(case, samples, seed):
    net = _network(*case)
    first = bridge_centrality(net, samples=samples, seed=seed)
    second = bridge_centrality(net, samples=samples, seed=seed)
    pd.testing.assert_frame_equal(first, second)


@settings(max_examples=40, deadline=None)
@given(networks())
def test_sampling_every_source_is_exact(case):
    net = _network(*case)
    exact = bridge_centrality(net, exact=True)
    sources = int((country_codes(net.orgs) >= 0).sum())
    census = bridge_centrality(net, exact=False, samples=max(sources, 1))
    np.testing.assert_allclose(census["bridge_centrality"], exact["bridge_centrality"], atol=1e-12)
    assert (census["bridge_centrality_se"] == 0).all()


@pytest.mark.parametrize("options", [{"samples": 150, "seed": 4}, {"exact": True}])
def test_workers_share_the_searches_without_changing_the_result(options):
    net = load_sample("norway_h2020")
    alone = bridge_centrality(net, **options)
    shared = bridge_centrality(net, workers=3, **options)
    assert alone.attrs == shared.attrs
    assert (alone["bridge_centrality"] > 0).sum() > 100
    if not options.get("exact"):
        assert (alone["bridge_centrality_se"] > 0).sum() > 100
    np.testing.assert_allclose(shared.to_numpy(), alone.to_numpy(), rtol=1e-9, atol=1e-15)


def test_sample_does_not_depend_on_row_order():
    net = load_sample("ocean_cluster")
    order = np.random.default_rng(3).permutation(net.n_orgs)
    position = np.empty_like(order)
    position[order] = np.arange(net.n_orgs)
    ties = net.ties.assign(source=position[net.ties["source"]], target=position[net.ties["target"]])
    moved = CollaborationNetwork(net.orgs.iloc[order], ties)
    a = bridge_centrality(net, samples=40, seed=5)
    b = bridge_centrality(moved, samples=40, seed=5).loc[a.index]
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), atol=1e-12)


# -- allocation and variance -------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 500), min_size=1, max_size=40), st.integers(1, 5000))
def test_allocation_is_bounded_and_proportional(sizes, total):
    sizes = np.array(sizes)
    alloc = _allocate(sizes, total)
    floor = np.minimum(sizes, 2)
    assert (alloc >= floor).all() and (alloc <= sizes).all()
    assert alloc.sum() == min(max(total, floor.sum()), sizes.sum())
    free = np.flatnonzero((alloc > floor) & (alloc < sizes))
    # strata away from their bounds get within one draw of lambda * N_h, for one lambda
    rate = alloc[free] / sizes[free]
    slack = 1 / sizes[free]
    for i, j in itertools.combinations(range(len(free)), 2):
        assert abs(rate[i] - rate[j]) <= slack[i] + slack[j] + 1e-12


def test_random_group_variance():
    values = np.random.default_rng(0).random((8, 3)) + 1e6
    total, spread = _stratum_variance(iter(values), [1] * 8)
    np.testing.assert_allclose(total, values.sum(axis=0))
    np.testing.assert_allclose(spread, values.var(axis=0, ddof=1), rtol=1e-6)
    # unequal groups: E sum (Y_k - b_k ybar)^2 = S^2 (n - sum b_k^2 / n)
    sizes = [3, 3, 2]
    groups = [values[:3].sum(axis=0), values[3:6].sum(axis=0), values[6:].sum(axis=0)]
    ybar = values.sum(axis=0) / 8
    expected = sum((g - b * ybar) ** 2 for g, b in zip(groups, sizes)) / (8 - 22 / 8)
    _, got = _stratum_variance(iter(groups), sizes)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    # equal group totals: no spread, exactly
    _, none = _stratum_variance(iter([np.full(3, 0.3)] * 4), [2] * 4)
    assert (none == 0).all()


def test_group_size_grows_with_the_sample():
    # at most 8 sources per igraph call up to 512 sources, then about 64 groups in all
    assert [_group_size(n) for n in (1, 150, 512, 513, 1500, 3000)] == [8, 8, 8, 9, 24, 47]
    # at least 2 groups per sampled country (1 source: 1 group), at most group_size sources each
    assert [_n_groups(n, 24) for n in (1, 2, 3, 24, 48, 49, 351)] == [1, 2, 2, 2, 2, 3, 15]


def test_grouping_changes_the_standard_error_only(monkeypatch):
    import netcluster.metrics.bridges as bridges

    net = load_sample("norway_h2020")
    calls = []
    ordered_sums = bridges._ordered_sums

    def counted(graph, position, sources, targets):
        calls.append(len(sources))
        return ordered_sums(graph, position, sources, targets)

    monkeypatch.setattr(bridges, "_ordered_sums", counted)
    larger = bridge_centrality(net, samples=1200, seed=2)  # groups of at most 19 sources
    assert max(calls) == 19 and sum(calls) == 1200
    larger_calls, calls[:] = len(calls), []
    monkeypatch.setattr(bridges, "_GROUPS", 10**9)  # groups of at most 8, as before
    small = bridge_centrality(net, samples=1200, seed=2)
    assert max(calls) == 8 and sum(calls) == 1200 and len(calls) > larger_calls + 50
    # the same sources, hence the same estimate; only the standard error moves
    np.testing.assert_allclose(larger["bridge_centrality"], small["bridge_centrality"], rtol=1e-9, atol=1e-15)
    se_large, se_small = larger["bridge_centrality_se"], small["bridge_centrality_se"]
    assert (se_large > 0).sum() > 100 and (se_small > 0).sum() > 100
    assert not np.allclose(se_large, se_small)
    top = small["bridge_centrality"].nlargest(20).index
    assert 0.5 < float(np.median(se_large[top] / se_small[top])) < 2


# -- sampling accuracy on real data ---------------------------------------------------------------
def test_sampled_estimate_is_close_to_exact_on_norway_h2020():
    net = load_sample("norway_h2020")
    exact = bridge_centrality(net, exact=True)["bridge_centrality"]
    top = exact.nlargest(20).index
    zs = []
    for seed in range(3):
        table = bridge_centrality(net, samples=600, seed=seed)
        assert not table.attrs["bridge_centrality"]["exact"]
        assert table.attrs["bridge_centrality"]["sources"] == 600
        est, se = table.loc[top, "bridge_centrality"], table.loc[top, "bridge_centrality_se"]
        assert (se > 0).all()
        zs.append(((est - exact[top]) / se).abs().to_numpy())
        sampled_top = set(table["bridge_centrality"].nlargest(50).index)
        overlap = len(sampled_top & set(exact.nlargest(50).index))
        assert overlap >= 40
    zs = np.concatenate(zs)
    assert np.mean(zs <= 2) >= 0.8 and np.mean(zs <= 3) >= 0.9 and zs.max() <= 5
