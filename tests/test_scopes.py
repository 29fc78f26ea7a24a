"""Ties by scope: a hand-computed fixture and a plain networkx reimplementation."""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netcluster import scope_degrees
from netcluster.metrics import tie_scopes
from netcluster.sample_graphs import load_sample


def test_hand_computed_fixture(toy_network):
    table = scope_degrees(toy_network)
    # partners: a-b local, a-c national, a-d international, b-d international, c-e unknown
    expected = {
        "a": (3, 1, 1, 1, 0),
        "b": (2, 1, 0, 1, 0),
        "c": (2, 0, 1, 0, 1),
        "d": (2, 0, 0, 2, 0),
        "e": (1, 0, 0, 0, 1),
    }
    got = table[["degree", "local_degree", "national_degree", "international_degree", "unknown_degree"]]
    assert {k: tuple(v) for k, v in got.iterrows()} == expected
    assert table.loc["a", "strength"] == 3.0 + 1.0 + 3.0
    assert table.loc["a", "local_strength"] == 3.0
    assert table.loc["d", "international_strength"] == 4.0
    assert table.loc["a", "openness"] == pytest.approx(1 / 3)
    assert table.loc["d", "openness"] == 1.0


def test_isolates_have_nan_openness(toy_network):
    table = scope_degrees(toy_network.select(layers=["membership"]))
    assert table.loc["a", "degree"] == 0 and math.isnan(table.loc["a", "openness"])


def test_layer_choice_and_city_locality(toy_network):
    table = scope_degrees(toy_network, layers=["copatent"])
    assert table["degree"].tolist() == [2, 1, 0, 1, 0]
    orgs = toy_network.orgs.copy()
    orgs["city"] = ["Bergen", "Voss", "Oslo", "Odense", None]
    from netcluster import CollaborationNetwork

    by_city = scope_degrees(CollaborationNetwork(orgs, toy_network.ties), locality="city")
    assert by_city.loc["a", "local_degree"] == 0 and by_city.loc["a", "national_degree"] == 2


def test_tie_scopes_per_record(toy_network):
    assert tie_scopes(toy_network).tolist() == [
        "local", "local", "national", "international", "international", "unknown"]


def _networkx_scope_counts(network, locality="region") -> pd.DataFrame:
    """Independent reimplementation: a plain loop over a networkx graph."""
    graph = network.to_networkx()
    rows = {}
    for node in graph.nodes:
        counts = {"local": 0, "national": 0, "international": 0, "unknown": 0}
        mine = graph.nodes[node]
        for other in graph.neighbors(node):
            theirs = graph.nodes[other]
            if "country" not in mine or "country" not in theirs:
                counts["unknown"] += 1
            elif mine["country"] != theirs["country"]:
                counts["international"] += 1
            elif locality in mine and locality in theirs and mine[locality] == theirs[locality]:
                counts["local"] += 1
            else:
                counts["national"] += 1
        rows[node] = counts
    return pd.DataFrame.from_dict(rows, orient="index")


@pytest.mark.parametrize("sample", ["ocean_cluster", "norway_h2020"])
def test_matches_networkx_reimplementation_on_samples(sample):
    network = load_sample(sample)
    ours = scope_degrees(network)
    theirs = _networkx_scope_counts(network).reindex(ours.index)
    for scope in ("local", "national", "international", "unknown"):
        assert ours[f"{scope}_degree"].tolist() == theirs[scope].tolist(), scope
    assert ours["degree"].sum() == 2 * network.to_networkx().number_of_edges()
    assert ours["international_degree"].sum() > 0


def test_openness_ignores_partners_of_unknown_scope(toy_network):
    table = scope_degrees(toy_network)
    # c: partners a (national) and e (no country): openness over the one known partner
    assert table.loc["c", "openness"] == 0.0
    # e has no country: no partner's scope is known
    assert math.isnan(table.loc["e", "openness"])


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    edges=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=40),
    countries=st.lists(st.sampled_from(["NO", "DK", "SE", None]), min_size=12, max_size=12),
)
def test_openness_is_a_share_and_degrees_add_up(edges, countries):
    from netcluster import CollaborationNetwork

    pairs = [(a, b) for a, b in edges if a != b]
    orgs = pd.DataFrame({"country": countries, "region": ["r"] * 12},
                        index=pd.Index([f"o{i}" for i in range(12)], name="org_id"))
    ties = pd.DataFrame({"source": [a for a, _ in pairs], "target": [b for _, b in pairs],
                         "layer": "partnership", "weight": 1.0, "year": 2020})
    table = scope_degrees(CollaborationNetwork(orgs, ties))
    known = table["openness"].dropna()
    assert ((known >= 0) & (known <= 1)).all()
    parts = table[["local_degree", "national_degree", "international_degree", "unknown_degree"]].sum(axis=1)
    assert (parts == table["degree"]).all()
