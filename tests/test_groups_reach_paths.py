"""External reach and gatekeeper dependency on random hub-heavy graphs against a networkx brute force.

The reach engine of :mod:`netcluster.metrics.groups` has several paths that must give the same
numbers: every organisation's reach found once per foreign pair (``_pair_reach``, with and
without removed organisations), the member-by-member search in chunks (over every column, or
over the foreign columns only in its last step), and all groups' searches after removal in one
pass (each row without its own group's brokers). Each is checked here against shortest paths
by networkx, on 160 random graphs with hubs, several countries, organisations of unknown
country and regions. Reach within 2 steps is a sum of halves, so it is compared exactly.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netcluster import CollaborationNetwork
from netcluster.metrics import groups as groups_module
from netcluster.metrics.groups import _ReachGraph, external_reach_by_member, group_table

SEEDS = range(160)
COUNTRIES = np.array(["NO", "DK", "SE", "DE", None], dtype=object)


def random_network(seed: int) -> CollaborationNetwork:
    """Preferential attachment (hubs) plus random extra ties; countries, a few unknown; regions."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 70))
    graph = nx.barabasi_albert_graph(n, int(rng.integers(1, 4)), seed=seed)
    extra = rng.integers(0, n, size=(int(rng.integers(0, n)), 2))
    edges = {(min(u, v), max(u, v)) for u, v in [*graph.edges(), *extra.tolist()] if u != v}
    country = COUNTRIES[rng.choice(COUNTRIES.size, size=n, p=[0.35, 0.25, 0.2, 0.1, 0.1])]
    region = [None if c is None else f"{c}{rng.integers(0, 3)}" for c in country]
    orgs = pd.DataFrame({"country": country, "region": region},
                        index=pd.Index([f"o{i:03d}" for i in range(n)], name="org_id"))
    pairs = sorted(edges)
    ties = pd.DataFrame({"source": np.array([u for u, _ in pairs], dtype=np.int64),
                         "target": np.array([v for _, v in pairs], dtype=np.int64),
                         "layer": "partnership", "weight": 1.0, "year": 2020})
    return CollaborationNetwork(orgs, ties)


def brute_reach(net: CollaborationNetwork, members, removed=(), hops: int = 2) -> dict:
    """Each member's Σ 1/d over foreign organisations within ``hops``, ``removed`` deleted."""
    graph = nx.Graph()
    graph.add_nodes_from(range(net.n_orgs))
    graph.add_edges_from(zip(net.ties["source"], net.ties["target"]))
    graph.remove_nodes_from(removed)
    country = [None if pd.isna(c) else c for c in net.orgs["country"]]
    out = {}
    for m in members:
        total = 0.0
        if m in graph and country[m] is not None:
            for f, d in nx.single_source_shortest_path_length(graph, m, cutoff=hops).items():
                if d > 0 and country[f] is not None and country[f] != country[m]:
                    total += 1.0 / d
        out[m] = total
    return out


def brokers_of(net: CollaborationNetwork, seed: int) -> pd.Series:
    """Distinct random scores, so that the removed brokers need no tie-breaking."""
    scores = np.random.default_rng(seed + 1000).permutation(net.n_orgs).astype(float)
    return pd.Series(scores, index=net.org_ids)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_path_of_the_reach_engine_matches_networkx(seed, monkeypatch):
    net = random_network(seed)
    n = net.n_orgs
    rng = np.random.default_rng(seed + 2000)
    removed = rng.random(n) < 0.15
    known = net.orgs["country"].notna().to_numpy()
    monkeypatch.setattr(groups_module, "_CHUNK_ENTRIES", int(rng.integers(5, 200)))  # several chunks
    graph = _ReachGraph(net, None, None)
    everyone = np.flatnonzero(known)
    kept = np.flatnonzero(known & ~removed)
    expected = brute_reach(net, range(n))
    expected_without = brute_reach(net, range(n), np.flatnonzero(removed))
    assert graph._pair_reach(None).tolist() == [expected[m] for m in range(n)]
    pruned = graph._pair_reach(removed)
    assert pruned[kept].tolist() == [expected_without[m] for m in kept]
    assert not pruned[removed].any()
    # the search in chunks, over all columns and over the foreign columns only
    monkeypatch.setattr(graph, "_pairs_pay", lambda rows, mask: False)
    restricted = _ReachGraph._foreign_columns
    for foreign_columns in (lambda self, country, work: restricted(self, country, math.inf),
                            lambda self, country, work: None):
        monkeypatch.setattr(_ReachGraph, "_foreign_columns", foreign_columns)
        graph._foreign = None
        assert graph.reach(everyone, 2, None).tolist() == [expected[m] for m in everyone]
        assert graph.reach(kept, 2, removed).tolist() == [expected_without[m] for m in kept]
    # batched searches after removal: row i without the organisations its group removes
    group = rng.integers(0, 3, size=n)
    removed_by = np.where(rng.random(n) < 0.2, group, -1)
    rows = everyone[removed_by[everyone] < 0]
    got = graph.reach(rows, 2, removed_by, group[rows])
    for g in range(3):
        mine = rows[group[rows] == g]
        reference = brute_reach(net, mine, np.flatnonzero(removed_by == g))
        assert got[group[rows] == g].tolist() == [reference[m] for m in mine]


@pytest.mark.parametrize("seed", SEEDS)
def test_group_tables_match_the_definitions(seed):
    net = random_network(seed)
    brokers = brokers_of(net, seed)
    score = brokers.to_numpy()
    communities = pd.Series(np.random.default_rng(seed + 3000).integers(0, 4, size=net.n_orgs).astype(str),
                            index=net.org_ids)
    home = np.random.default_rng(seed + 4000).random(net.n_orgs) < 0.5
    tables = {"country": group_table(net, by="country", brokers=brokers),
              "region": group_table(net, by="region", brokers=brokers),
              "mapping": group_table(net, by=communities, brokers=brokers),
              "home": group_table(net, by="home", home_mask=home, brokers=brokers)}
    labels = {"country": net.orgs["country"].astype(object).to_numpy(na_value=None),
              "region": (net.orgs["country"] + "/" + net.orgs["region"]).astype(object).to_numpy(na_value=None),
              "mapping": communities.to_numpy(dtype=object),
              "home": np.where(home, "home", None)}
    everyone = brute_reach(net, range(net.n_orgs))
    for kind, table in tables.items():
        for label, row in table.iterrows():
            members = np.flatnonzero(labels[kind] == label)
            if members.size < 2:
                assert math.isnan(row["external_reach"]) and math.isnan(row["gatekeeper_dependency"])
                continue
            before = sum(everyone[m] for m in members)
            assert row["external_reach"] == before
            k = max(1, math.ceil(0.1 * members.size - 1e-9))
            removed = members[np.argsort(-score[members], kind="stable")[:k]]
            after = sum(brute_reach(net, [m for m in members if m not in removed], removed).values())
            if before == 0:
                assert math.isnan(row["gatekeeper_dependency"])
            else:
                assert row["gatekeeper_dependency"] == (before - after) / before


@pytest.mark.parametrize("seed", range(0, 160, 8))
def test_three_hops_match_networkx(seed):
    net = random_network(seed)
    known = np.flatnonzero(net.orgs["country"].notna().to_numpy())
    expected = brute_reach(net, known, hops=3)
    got = external_reach_by_member(net, net.org_ids[known], hops=3)
    np.testing.assert_allclose(got.to_numpy(), [expected[m] for m in known], rtol=1e-12)
