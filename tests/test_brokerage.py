"""Gould–Fernandez brokerage: DESIGN oracles, a brute-force reference, sna's conventions, the null.

The reference implementation enumerates every open two-path with networkx;
the fast path (partner counts per group minus triangles) must agree with it
exactly. The null moments are checked three ways: against a brute-force
enumeration of candidate pairs, against the exact distribution over every
graph on six organisations, and against sna's published formulas.
"""

from __future__ import annotations

import importlib
import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netcluster import CollaborationNetwork
from netcluster.metrics.brokerage import ROLES, _null_moments, brokerage
from netcluster.sample_graphs import load_sample

# The package exports the function under the module's name: reach the module itself.
brokerage_module = importlib.import_module("netcluster.metrics.brokerage")

PROPERTY = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)

COUNT_COLUMNS = [f"gf_{role}" for role in ROLES] + ["gf_total", "open_two_paths"]


def make_network(n: int, edges, countries, ids=None) -> CollaborationNetwork:
    """Organisations with the given countries (None = unknown), one partnership layer."""
    ids = [f"o{i}" for i in range(n)] if ids is None else ids
    orgs = pd.DataFrame({"country": list(countries)}, index=pd.Index(ids, name="org_id"))
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


# -- the reference: enumerate every open two-path ------------------------------------------
def role_of(gb, ga, gc) -> str:
    """Gould–Fernandez role of broker b on the undirected path a - b - c (DESIGN section 5)."""
    if ga == gb and gc == gb:
        return "coordinator"
    if ga == gc:
        return "itinerant"
    if ga == gb or gc == gb:
        return "gatekeeper"
    return "liaison"


def reference_counts(graph: nx.Graph, group: dict) -> pd.DataFrame:
    """Brute force: every unordered pair of partners of every broker."""
    rows = {}
    for b in graph.nodes:
        counts = dict.fromkeys(COUNT_COLUMNS, 0)
        for a, c in itertools.combinations(graph.neighbors(b), 2):
            if graph.has_edge(a, c):
                continue
            counts["open_two_paths"] += 1
            if group[a] is None or group[b] is None or group[c] is None:
                continue
            counts[f"gf_{role_of(group[b], group[a], group[c])}"] += 1
            counts["gf_total"] += 1
        rows[b] = counts
    return pd.DataFrame.from_dict(rows, orient="index")[COUNT_COLUMNS]


def reference_moments(group: dict, density: float) -> dict:
    """Brute force null: list the candidate pairs of each broker and role, and the
    ordered pairs of candidate pairs sharing one organisation."""
    q = density**2 * (1 - density)
    cov = density**3 * (1 - density) ** 3
    known = [v for v in group if group[v] is not None]
    out = {}
    for b in known:
        pairs = {role: [] for role in (*ROLES, "total")}
        others = [v for v in known if v != b]
        for a, c in itertools.combinations(others, 2):
            pairs[role_of(group[b], group[a], group[c])].append({a, c})
            pairs["total"].append({a, c})
        for role, chosen in pairs.items():
            shared = sum(
                1 for s, t in itertools.permutations(chosen, 2) if len(s & t) == 1
            )
            out[(b, role)] = (len(chosen) * q, len(chosen) * q * (1 - q) + shared * cov)
    return out


def check_against_reference(network: CollaborationNetwork, moments: bool = True) -> None:
    table = brokerage(network)
    graph = network.to_networkx()
    group = {
        org: (None if pd.isna(c) else c) for org, c in network.orgs["country"].items()
    }
    expected = reference_counts(graph, group).reindex(table.index)
    pd.testing.assert_frame_equal(table[COUNT_COLUMNS], expected, check_dtype=False)
    if not moments:
        return
    known = [v for v in group if group[v] is not None]
    ties = sum(1 for u, v in graph.edges if group[u] is not None and group[v] is not None)
    possible = len(known) * (len(known) - 1) / 2
    density = ties / possible if possible else 0.0
    reference = reference_moments(group, density)
    for org in table.index:
        for role in (*ROLES, "total"):
            got_e = table.loc[org, f"gf_{role}_expected"]
            got_z = table.loc[org, f"gf_{role}_z"]
            if group[org] is None:
                assert math.isnan(got_e) and math.isnan(got_z)
                continue
            want_e, want_var = reference[(org, role)]
            assert got_e == pytest.approx(want_e, abs=1e-12)
            if want_var > 0:
                want_z = (table.loc[org, f"gf_{role}"] - want_e) / math.sqrt(want_var)
                assert got_z == pytest.approx(want_z, rel=1e-9, abs=1e-9)
            else:
                assert math.isnan(got_z)


# -- DESIGN section 7: the chain 0 - 1 - 2 ---------------------------------------------------
@pytest.mark.parametrize(
    "countries, role",
    [
        (("NO", "NO", "NO"), "coordinator"),
        (("NO", "DK", "NO"), "itinerant"),
        (("NO", "NO", "DK"), "gatekeeper"),  # sna: representative (directed 0 -> 1 -> 2)
        (("NO", "DK", "DK"), "gatekeeper"),  # sna: gatekeeper
        (("NO", "DK", "SE"), "liaison"),
    ],
)
def test_chain_roles(countries, role):
    table = brokerage(make_network(3, [(0, 1), (1, 2)], countries))
    broker = table.loc["o1"]
    for other in ROLES:
        assert broker[f"gf_{other}"] == (1 if other == role else 0)
    assert broker["gf_total"] == broker["open_two_paths"] == 1
    assert (table.loc[["o0", "o2"], COUNT_COLUMNS] == 0).all().all()


def test_closed_triangle_is_no_brokerage():
    table = brokerage(make_network(3, [(0, 1), (1, 2), (0, 2)], ("NO", "DK", "SE")))
    assert (table[COUNT_COLUMNS] == 0).all().all()


def test_star_counts_by_hand():
    # hub 0 (NO) with partners 1, 2 (NO), 3, 4 (DK), 5 (SE); tie 1-2 closes one pair
    net = make_network(6, [(0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (1, 2)],
                       ("NO", "NO", "NO", "DK", "DK", "SE"))
    hub = brokerage(net).loc["o0"]
    # pairs: NO-NO 1 (closed), DK-DK 1, NO-DK 4, NO-SE 2, DK-SE 2
    assert hub[[f"gf_{r}" for r in ROLES]].tolist() == [0, 1, 6, 2]
    assert hub["gf_total"] == 9 and hub["open_two_paths"] == 9


# -- the reference on random graphs and on a sample -------------------------------------------
@st.composite
def graphs_with_groups(draw):
    n = draw(st.integers(min_value=1, max_value=11))
    pairs = list(itertools.combinations(range(n), 2))
    edges = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    countries = draw(st.lists(st.sampled_from(["NO", "DK", "SE", "FI", None]), min_size=n, max_size=n))
    return n, edges, countries


@PROPERTY
@given(graphs_with_groups())
def test_matches_brute_force_on_random_graphs(case):
    n, edges, countries = case
    check_against_reference(make_network(n, edges, countries))


@PROPERTY
@given(graphs_with_groups(), st.randoms(use_true_random=False))
def test_relabelling_organisations_changes_nothing(case, rnd):
    n, edges, countries = case
    original = brokerage(make_network(n, edges, countries))
    perm = list(range(n))
    rnd.shuffle(perm)  # organisation i gets code perm[i]
    ids = [None] * n
    moved_countries = [None] * n
    for i in range(n):
        ids[perm[i]] = f"o{i}"
        moved_countries[perm[i]] = countries[i]
    # other country codes too: group numbering must not matter either
    rename = {"NO": "IS", "DK": "EE", "SE": "LT", "FI": "LV", None: None}
    moved = make_network(
        n, [(perm[u], perm[v]) for u, v in edges], [rename[c] for c in moved_countries], ids
    )
    pd.testing.assert_frame_equal(brokerage(moved).loc[original.index], original)


@PROPERTY
@given(graphs_with_groups())
def test_invariants(case):
    n, edges, countries = case
    table = brokerage(make_network(n, edges, countries))
    roles = table[[f"gf_{role}" for role in ROLES]]
    assert (roles >= 0).all().all()
    assert (roles.sum(axis=1) == table["gf_total"]).all()
    assert (table["gf_total"] <= table["open_two_paths"]).all()
    expected = table[[f"gf_{role}_expected" for role in ROLES]].sum(axis=1)
    known = [c is not None for c in countries]
    np.testing.assert_allclose(expected[known], table["gf_total_expected"][known])
    # with every organisation known, every open two-path is classified
    all_known = make_network(n, edges, [c or "NO" for c in countries])
    full = brokerage(all_known)
    assert (full["gf_total"] == full["open_two_paths"]).all()


@PROPERTY
@given(graphs_with_groups())
def test_one_group_is_all_coordination(case):
    n, edges, _ = case
    table = brokerage(make_network(n, edges, ["NO"] * n))
    for role in ("itinerant", "gatekeeper", "liaison"):
        assert (table[f"gf_{role}"] == 0).all()
        assert (table[f"gf_{role}_expected"] == 0).all()
    assert (table["gf_coordinator"] == table["open_two_paths"]).all()


def test_matches_brute_force_on_ocean_cluster():
    check_against_reference(load_sample("ocean_cluster"), moments=False)


@pytest.mark.parametrize("chunk", [1, 3, 1000])
def test_chunking_does_not_change_counts(monkeypatch, chunk):
    network = load_sample("ocean_cluster")
    whole = brokerage(network)
    monkeypatch.setattr(brokerage_module, "_CHUNK", chunk)
    pd.testing.assert_frame_equal(brokerage(network), whole)


def test_layers_and_grouping_options():
    network = load_sample("ocean_cluster")
    layer = network.layers[0]
    pd.testing.assert_frame_equal(
        brokerage(network, layers=[layer]), brokerage(network.select(layers=[layer]))
    )
    by_region = brokerage(network, group_by="region")
    by_country = brokerage(network)
    assert (by_region["open_two_paths"] == by_country["open_two_paths"]).all()
    # a finer grouping can only move paths out of coordination
    assert by_region["gf_coordinator"].sum() <= by_country["gf_coordinator"].sum()
    mapping = network.orgs["country"].astype(object).to_dict()
    pd.testing.assert_frame_equal(brokerage(network, group_by=mapping), by_country)


def test_unknown_groups():
    # chain 0 - 1 - 2 - 3 with 2 of unknown country
    table = brokerage(make_network(4, [(0, 1), (1, 2), (2, 3)], ("NO", "DK", None, "DK")))
    assert table.loc["o1", "open_two_paths"] == 1 and table.loc["o1", "gf_total"] == 0
    assert table.loc["o2", "open_two_paths"] == 1 and table.loc["o2", "gf_total"] == 0
    assert table.loc["o2", [f"gf_{r}_expected" for r in ROLES]].isna().all()
    assert table.loc["o2", [f"gf_{r}_z" for r in ROLES]].isna().all()
    # null on the 3 known organisations: ties 0-1 only, p = 1/3
    p = 1 / 3
    q = p * p * (1 - p)
    # o1 (DK): one other DK (o3) and one outsider (o0): one candidate gatekeeper pair
    assert table.loc["o1", "gf_gatekeeper_expected"] == pytest.approx(q)
    assert table.loc["o1", "gf_itinerant_expected"] == 0
    # o0 (NO): the two DK organisations make one candidate itinerant pair
    assert table.loc["o0", "gf_itinerant_expected"] == pytest.approx(q)
    assert table.loc["o0", "gf_gatekeeper_expected"] == 0
    assert table.loc["o3", "gf_total_expected"] == pytest.approx(q)


def test_z_is_nan_without_variance():
    complete = make_network(4, itertools.combinations(range(4), 2), ("NO", "NO", "DK", "DK"))
    table = brokerage(complete)  # p = 1: no open two-path can exist
    assert (table[[f"gf_{r}_expected" for r in (*ROLES, "total")]] == 0).all().all()
    assert table[[f"gf_{r}_z" for r in (*ROLES, "total")]].isna().all().all()


def test_empty_and_isolated_networks():
    assert brokerage(make_network(0, [], [])).empty
    table = brokerage(make_network(3, [], ("NO", None, "DK")))
    assert (table[COUNT_COLUMNS] == 0).all().all()


# -- the null model -----------------------------------------------------------------------
def exact_moments(groups: list[int], p: float) -> dict:
    """Mean and variance of each broker's role counts over all graphs on len(groups) nodes."""
    n = len(groups)
    pairs = list(itertools.combinations(range(n), 2))
    configs = np.array(list(itertools.product([0, 1], repeat=len(pairs))), dtype=np.int64)
    adj = np.zeros((len(configs), n, n), dtype=np.int64)
    for k, (u, v) in enumerate(pairs):
        adj[:, u, v] = adj[:, v, u] = configs[:, k]
    ties = configs.sum(axis=1)
    prob = p**ties * (1 - p) ** (len(pairs) - ties)
    out = {}
    for b in range(n):
        counts = {role: np.zeros(len(configs)) for role in (*ROLES, "total")}
        for a, c in itertools.combinations([v for v in range(n) if v != b], 2):
            path = adj[:, b, a] * adj[:, b, c] * (1 - adj[:, a, c])
            counts[role_of(groups[b], groups[a], groups[c])] += path
            counts["total"] += path
        for role, x in counts.items():
            mean = float((prob * x).sum())
            out[(b, role)] = (mean, float((prob * (x - mean) ** 2).sum()))
    return out


@pytest.mark.parametrize("groups", [[0, 0, 0, 1, 1, 2], [0, 1, 2, 3, 0, 1], [0, 0, 0, 0, 0, 1]])
@pytest.mark.parametrize("p", [0.3, 0.75])
def test_null_moments_are_exact(groups, p):
    exact = exact_moments(groups, p)
    ours = _null_moments(np.array(groups), p)
    for (b, role), (mean, variance) in exact.items():
        assert ours[role][0][b] == pytest.approx(mean, rel=1e-12, abs=1e-12)
        assert ours[role][1][b] == pytest.approx(variance, rel=1e-12, abs=1e-12)


def sna_group_moments(n: np.ndarray, d: float) -> tuple[np.ndarray, np.ndarray]:
    """sna::brokerage's expectations and variances per broker class (R/gli.R, transcribed).

    Columns w_I, w_O, b_IO, b_OI, b_O, t. ``n`` are class sizes, ``d`` the density.
    """
    N = n.sum()
    comb2 = lambda x: x * (x - 1) / 2  # noqa: E731
    k = d * d * (1 - d)
    c3 = d**3 * (1 - d) ** 3
    e = np.zeros((len(n), 6))
    v = np.zeros((len(n), 6))
    for i in range(len(n)):
        rest = np.delete(n, i)
        e[i, 0] = k * (n[i] - 1) * (n[i] - 2)
        v[i, 0] = e[i, 0] * (1 - k) + 2 * (n[i] - 1) * (n[i] - 2) * (n[i] - 3) * c3
        e[i, 1] = k * (rest * (rest - 1)).sum()
        v[i, 1] = e[i, 1] * (1 - k) + 2 * (rest * (rest - 1) * (rest - 2)).sum() * c3
        e[i, 2] = k * (N - n[i]) * (n[i] - 1)
        v[i, 2] = e[i, 2] * (1 - k) + 2 * ((n[i] - 1) * comb2(N - n[i]) + (N - n[i]) * comb2(n[i] - 1)) * c3
        e[i, 3], v[i, 3] = e[i, 2], v[i, 2]
        e[i, 4] = k * (np.outer(rest, rest).sum() - (rest**2).sum())
        v[i, 4] = e[i, 4] * (1 - k) + 4 * (rest * comb2(N - rest - n[i])).sum() * c3
        e[i, 5] = k * (N - 1) * (N - 2)
        v[i, 5] = e[i, 5] * (1 - k) + 2 * (N - 1) * (N - 2) * (N - 3) * c3
    return e, v


@pytest.mark.parametrize("sizes", [[5, 3, 2], [1, 7], [4, 4, 4, 1]])
def test_null_matches_sna_up_to_ordered_pairs(sizes):
    """sna counts ordered paths: its moments are twice ours, except gatekeeper/representative."""
    groups = np.repeat(np.arange(len(sizes)), sizes)
    d = 0.2
    e, v = sna_group_moments(np.array(sizes, dtype=float), d)
    ours = _null_moments(groups, d)
    factor = {"coordinator": (0, 2), "itinerant": (1, 2), "gatekeeper": (2, 1),
              "liaison": (4, 2), "total": (5, 2)}
    for role, (column, times) in factor.items():
        for g in range(len(sizes)):
            b = int(np.flatnonzero(groups == g)[0])
            assert times * ours[role][0][b] == pytest.approx(e[g, column])
            assert times * ours[role][1][b] == pytest.approx(v[g, column])


# -- sna's count conventions --------------------------------------------------------------
def sna_counts(arcs, groups: dict) -> dict:
    """Brute force of sna's brokerage_R (src/gli.c) on a digraph.

    For each two-path i -> j -> k with no arc i -> k, broker j is w_I (all one
    class), b_IO (representative: i with j, k outside), b_OI (gatekeeper: j
    with k, i outside), w_O (itinerant: i with k, j outside), b_O (liaison).
    """
    graph = nx.DiGraph(list(arcs))
    out = {v: dict.fromkeys(["w_I", "w_O", "b_IO", "b_OI", "b_O"], 0) for v in graph.nodes}
    for j in graph.nodes:
        for i in graph.predecessors(j):
            for k in graph.successors(j):
                if k == i or graph.has_edge(i, k):
                    continue
                ci, cj, ck = groups[i], groups[j], groups[k]
                if cj == ci:
                    out[j]["w_I" if cj == ck else "b_IO"] += 1
                elif cj == ck:
                    out[j]["b_OI"] += 1
                elif ci == ck:
                    out[j]["w_O"] += 1
                else:
                    out[j]["b_O"] += 1
    return out


def test_sna_reference_reproduces_the_directed_design_example():
    arcs = [("A", "B"), ("A", "C"), ("B", "C"), ("B", "D"), ("C", "D"), ("D", "A")]
    counts = sna_counts(arcs, {"A": 1, "B": 1, "C": 2, "D": 2})
    nonzero = {v: {k: c for k, c in row.items() if c} for v, row in counts.items()}
    assert nonzero == {
        "A": {"w_O": 1, "b_OI": 1},
        "B": {"b_IO": 1},
        "C": {"b_OI": 1},
        "D": {"w_O": 1, "b_IO": 1},
    }
    # the directed chain 0 -> 1 -> 2
    for groups, column in [((1, 1, 1), "w_I"), ((1, 2, 1), "w_O"), ((1, 1, 2), "b_IO"),
                           ((1, 2, 2), "b_OI"), ((1, 2, 3), "b_O")]:
        row = sna_counts([(0, 1), (1, 2)], dict(enumerate(groups)))[1]
        assert {k for k, c in row.items() if c} == {column}


@PROPERTY
@given(graphs_with_groups())
def test_sna_on_symmetric_data_is_twice_ours_except_gatekeeping(case):
    n, edges, countries = case
    countries = [c or "NO" for c in countries]  # sna has no unknown class
    table = brokerage(make_network(n, edges, countries))
    arcs = [(u, v) for u, v in edges] + [(v, u) for u, v in edges]
    sna = sna_counts(arcs, dict(enumerate(countries)))
    for code, org in enumerate(table.index):
        row = sna.get(code, dict.fromkeys(["w_I", "w_O", "b_IO", "b_OI", "b_O"], 0))
        ours = table.loc[org]
        assert row["w_I"] == 2 * ours["gf_coordinator"]
        assert row["w_O"] == 2 * ours["gf_itinerant"]
        assert row["b_IO"] == ours["gf_gatekeeper"] == row["b_OI"]
        assert row["b_O"] == 2 * ours["gf_liaison"]
