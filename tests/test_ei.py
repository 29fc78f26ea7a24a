"""Krackhardt & Stern's E-I index: the DESIGN toy graph, conventions, a networkx reimplementation."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netcluster import CollaborationNetwork
from netcluster.errors import InputError
from netcluster.metrics.ei import ei_index, group_array, group_ei, network_ei
from netcluster.sample_graphs import load_sample

PROPERTY = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def make_network(n, edges, countries, weights=None, regions=None) -> CollaborationNetwork:
    orgs = pd.DataFrame(
        {"country": list(countries), "region": list(regions) if regions else None},
        index=pd.Index([f"o{i}" for i in range(n)], name="org_id"),
    )
    edges = list(edges)
    ties = pd.DataFrame(
        {
            "source": [u for u, _ in edges],
            "target": [v for _, v in edges],
            "layer": "partnership",
            "weight": weights if weights is not None else 1.0,
            "year": 2020,
        }
    )
    return CollaborationNetwork(orgs, ties)


@pytest.fixture
def toy():
    """DESIGN section 7: modules A = {0, 1, 2, 3} (NO) and B = {4, 5, 6} (DK)."""
    edges = [(0, 1), (0, 2), (0, 3), (1, 2), (4, 5), (5, 6), (4, 6), (0, 4), (3, 5)]
    return make_network(7, edges, ["NO"] * 4 + ["DK"] * 3)


def test_toy_node_values(toy):
    expected = [-0.5, -1, -1, 0, -1 / 3, -1 / 3, -1]
    np.testing.assert_allclose(ei_index(toy).to_numpy(), expected)
    assert ei_index(toy).name == "ei_index"
    assert list(ei_index(toy).index) == list(toy.org_ids)


def test_toy_network_value(toy):
    assert network_ei(toy) == pytest.approx(-0.5556, abs=5e-5)
    assert network_ei(toy) == pytest.approx((2 - 7) / 9)


def test_toy_group_values(toy):
    twice = group_ei(toy)
    once = group_ei(toy, internal="once")
    assert twice.loc["NO", "ei_index"] == pytest.approx(-0.60)
    assert once.loc["NO", "ei_index"] == pytest.approx(-1 / 3, abs=5e-4)
    assert twice.loc["NO", ["organisations", "internal_ties", "external_ties"]].tolist() == [4, 4, 2]
    assert twice.loc["DK", ["organisations", "internal_ties", "external_ties"]].tolist() == [3, 3, 2]
    assert twice.loc["DK", "ei_index"] == pytest.approx((2 - 6) / 8)
    assert twice.index.name == "country"


def test_group_twice_is_the_sum_of_member_partners(toy):
    table = group_ei(toy)
    graph = toy.to_networkx()
    for country, row in table.iterrows():
        members = [v for v in graph if graph.nodes[v]["country"] == country]
        inside = sum(1 for v in members for w in graph[v] if graph.nodes[w]["country"] == country)
        outside = sum(1 for v in members for w in graph[v] if graph.nodes[w]["country"] != country)
        assert row["ei_index"] == pytest.approx((outside - inside) / (outside + inside))


def test_isolates_and_unknown_groups_are_nan():
    # 0 NO - 1 DK, 0 - 2 (unknown), 3 NO isolate, 4 unknown - 5 SE, 6 SE - 2 only
    net = make_network(7, [(0, 1), (0, 2), (4, 5), (6, 2)], ["NO", "DK", None, "NO", None, "SE", "SE"])
    values = ei_index(net)
    assert values["o0"] == 1.0  # the partner of unknown country is not counted
    assert values["o1"] == 1.0
    assert math.isnan(values["o2"])  # unknown group
    assert math.isnan(values["o3"])  # isolate
    assert math.isnan(values["o4"])
    assert math.isnan(values["o5"])  # only partner of unknown group
    assert math.isnan(values["o6"])
    assert network_ei(net) == 1.0
    table = group_ei(net)
    assert list(table.index) == ["NO", "DK", "SE"]
    assert math.isnan(table.loc["SE", "ei_index"])
    assert table["organisations"].tolist() == [2, 1, 2]


def test_no_ties_gives_nan():
    net = make_network(2, [], ["NO", "DK"])
    assert ei_index(net).isna().all()
    assert math.isnan(network_ei(net))
    assert group_ei(net)["ei_index"].isna().all()


def test_weighted():
    net = make_network(3, [(0, 1), (0, 2)], ["NO", "NO", "DK"], weights=[3.0, 1.0])
    assert ei_index(net)["o0"] == 0.0
    assert ei_index(net, weighted=True)["o0"] == pytest.approx((1 - 3) / 4)
    assert network_ei(net, weighted=True) == pytest.approx((1 - 3) / 4)
    table = group_ei(net, weighted=True)
    assert table.loc["NO", "internal_ties"] == 3.0
    assert table.loc["NO", "ei_index"] == pytest.approx((1 - 6) / 7)


def test_layers_are_flattened_first(toy_network):
    # partnership only: a-b, a-c, c-e; all Norwegian or unknown
    assert ei_index(toy_network, layers=["partnership"])["a"] == -1.0
    assert ei_index(toy_network)["a"] == pytest.approx((1 - 2) / 3)
    assert ei_index(toy_network)["d"] == 1.0


def test_grouping_by_locality_and_by_mapping(toy_network):
    by_region = group_ei(toy_network, "region")
    assert list(by_region.index) == ["NO/Vestland", "NO/Oslo", "DK/Syddanmark"]
    assert by_region.index.name == "region"
    assert by_region.loc["NO/Vestland", "internal_ties"] == 1  # a-b, counted once per pair
    mapping = {"a": "cluster", "b": "cluster", "d": "outside"}
    values = ei_index(toy_network, group_by=mapping)
    # a: b inside, d outside, c unknown
    assert values["a"] == 0.0 and math.isnan(values["c"])
    table = group_ei(toy_network, pd.Series(mapping, name="home"))
    assert table.index.name == "home" and list(table.index) == ["cluster", "outside"]
    assert group_array(toy_network, mapping).tolist() == [0, 0, -1, 1, -1]


def test_bad_arguments(toy_network):
    with pytest.raises(InputError):
        group_ei(toy_network, internal="thrice")
    with pytest.raises(InputError):
        ei_index(toy_network, group_by={"nobody": "x"})
    with pytest.raises(InputError):
        ei_index(toy_network, group_by="no_such_column")
    with pytest.raises(InputError):
        ei_index(toy_network, group_by=["a", "b"])


# -- an independent reimplementation on networkx ----------------------------------------------
def networkx_node_ei(graph: nx.Graph) -> dict:
    out = {}
    for v in graph:
        mine = graph.nodes[v].get("country")
        theirs = [graph.nodes[w].get("country") for w in graph[v]]
        theirs = [c for c in theirs if c is not None]
        if mine is None or not theirs:
            out[v] = math.nan
            continue
        e = sum(c != mine for c in theirs)
        i = sum(c == mine for c in theirs)
        out[v] = (e - i) / (e + i)
    return out


@st.composite
def graphs_with_groups(draw):
    n = draw(st.integers(min_value=1, max_value=12))
    pairs = list(itertools.combinations(range(n), 2))
    edges = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    countries = draw(st.lists(st.sampled_from(["NO", "DK", "SE", None]), min_size=n, max_size=n))
    return n, edges, countries


@PROPERTY
@given(graphs_with_groups())
def test_matches_networkx_on_random_graphs(case):
    n, edges, countries = case
    net = make_network(n, edges, countries)
    want = pd.Series(networkx_node_ei(net.to_networkx())).reindex(net.org_ids)
    np.testing.assert_allclose(ei_index(net).to_numpy(), want.to_numpy())
    # network value: ties with both groups known, each once
    known = [(u, v) for u, v in edges if countries[u] is not None and countries[v] is not None]
    e = sum(countries[u] != countries[v] for u, v in known)
    i = len(known) - e
    got = network_ei(net)
    assert (math.isnan(got) and not known) or got == pytest.approx((e - i) / (e + i))
    # group "once" over all groups adds up to the network counts
    table = group_ei(net, internal="once")
    assert table["internal_ties"].sum() == i
    assert table["external_ties"].sum() == 2 * e


@pytest.mark.parametrize("sample", ["ocean_cluster", "norway_h2020"])
def test_matches_networkx_on_samples(sample):
    net = load_sample(sample)
    want = pd.Series(networkx_node_ei(net.to_networkx())).reindex(net.org_ids)
    np.testing.assert_allclose(ei_index(net).to_numpy(), want.to_numpy())
