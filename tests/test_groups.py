"""Group-level measures: a hand-checked network, direct formulas, networkx brute force, invariants."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netcluster import CollaborationNetwork
from netcluster.errors import InputError
from netcluster.metrics.ei import group_ei
from netcluster.metrics.groups import (
    GROUP_COLUMNS,
    external_reach,
    external_reach_by_member,
    gatekeeper_dependency,
    group_table,
)
from netcluster.metrics.scopes import scope_degrees
from netcluster.sample_graphs import load_sample

PROPERTY = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture
def gate() -> CollaborationNetwork:
    """A Norwegian group whose foreign ties all go through one gatekeeper, a.

    code id country region       name
    0    a  NO      Vestland     Alpha
    1    b  NO      Vestland     Beta
    2    c  NO      Oslo         Gamma
    3    d  NO      Oslo         Delta
    4    e  DK      Hovedstaden  Echo
    5    f  SE      Skåne        Foxtrot
    6    g  DK      Hovedstaden  Golf
    7    h  (none)  (none)       (no name)
    8    k  DE      Bayern       Kilo

    Ties: a-b (partnership w 2 and copatent w 1: one pair), a-c, b-c, c-d,
    a-e, a-f, e-g, d-h, h-k (partnership, w 1).

        b       e - g
        | \\    /
        |  a --- f
        | /
        c - d - h - k
    """
    orgs = pd.DataFrame(
        {
            "name": ["Alpha", "Beta", "Gamma", "Delta", "Echo", "Foxtrot", "Golf", None, "Kilo"],
            "country": ["NO", "NO", "NO", "NO", "DK", "SE", "DK", None, "DE"],
            "region": ["Vestland", "Vestland", "Oslo", "Oslo", "Hovedstaden", "Skåne", "Hovedstaden",
                       None, "Bayern"],
        },
        index=pd.Index(list("abcdefghk"), name="org_id"),
    )
    pairs = [(0, 1), (0, 1), (0, 2), (1, 2), (2, 3), (0, 4), (0, 5), (4, 6), (3, 7), (7, 8)]
    ties = pd.DataFrame(
        {
            "source": [u for u, _ in pairs],
            "target": [v for _, v in pairs],
            "layer": ["partnership", "copatent"] + ["partnership"] * 8,
            "weight": [2.0, 1.0] + [1.0] * 8,
            "year": 2020,
        }
    )
    return CollaborationNetwork(orgs, ties)


def intl_degree(net: CollaborationNetwork) -> pd.Series:
    return scope_degrees(net)["international_degree"]


def mask(net: CollaborationNetwork, ids) -> np.ndarray:
    out = np.zeros(net.n_orgs, dtype=bool)
    out[net.codes(ids)] = True
    return out


NORWAY = ["a", "b", "c", "d"]


# -- external reach by hand ---------------------------------------------------------
def test_reach_one_hop_is_foreign_partners(gate):
    # a: e, f at distance 1 -> 2; b, c, d have no foreign partner (h has no country).
    per = external_reach_by_member(gate, NORWAY, hops=1)
    assert per.to_dict() == {"a": 2.0, "b": 0.0, "c": 0.0, "d": 0.0}
    assert per.name == "external_reach"
    assert external_reach(gate, NORWAY, hops=1) == 2.0


def test_reach_two_hops(gate):
    # a: e, f (1) + g (2: a-e-g)        = 2 + 1/2 = 2.5
    # b: e, f (2: via a)                 = 1
    # c: e, f (2: via a)                 = 1
    # d: k (2: d-h-k; h's country is unknown, so h is a relay but not counted) = 0.5
    per = external_reach_by_member(gate, NORWAY, hops=2)
    assert per.to_dict() == {"a": 2.5, "b": 1.0, "c": 1.0, "d": 0.5}
    assert external_reach(gate, NORWAY) == 5.0


def test_reach_three_hops(gate):
    # a: 2.5 (k is 4 steps away: a-c-d-h-k)
    # b: e, f (2) + g (3)                = 1 + 1/3
    # c: e, f (2) + g (3) + k (3)        = 1 + 2/3
    # d: k (2) + e, f (3: d-c-a-e)       = 1/2 + 2/3
    per = external_reach_by_member(gate, NORWAY, hops=3)
    np.testing.assert_allclose(per.to_numpy(), [2.5, 4 / 3, 5 / 3, 7 / 6])
    assert external_reach(gate, NORWAY, hops=3) == pytest.approx(20 / 3)


def test_reach_with_removed(gate):
    # Without a: b reaches c, d; c reaches b, d, h; d reaches k at 2 -> 0.5 only.
    per = external_reach_by_member(gate, NORWAY, removed=["a"])
    assert per.to_dict() == {"a": 0.0, "b": 0.0, "c": 0.0, "d": 0.5}
    # Removing the relay h cuts d from k.
    assert external_reach(gate, ["d"], removed=["h"]) == 0.0
    # Removing nobody changes nothing; an all-False mask is "nobody".
    assert external_reach(gate, NORWAY, removed=np.zeros(gate.n_orgs, dtype=bool)) == 5.0


def test_reach_member_forms_agree(gate):
    as_mask = mask(gate, NORWAY)
    as_codes = np.array([0, 1, 2, 3])
    as_series = pd.Series(as_mask, index=gate.org_ids)
    values = {external_reach(gate, form) for form in (NORWAY, as_mask, as_codes, as_series)}
    assert values == {5.0}


def test_reach_unknown_country_member_contributes_nothing(gate):
    # h has no country, so it has no foreign organisations.
    assert external_reach(gate, ["h"]) == 0.0


def test_reach_layers(gate):
    # Only the copatent layer: the single pair a-b, no foreign organisation.
    assert external_reach(gate, NORWAY, layers=["copatent"]) == 0.0


# -- gatekeeper dependency by hand ----------------------------------------------------
def test_dependency_one_when_gatekeeper_holds_all_ties_one_hop(gate):
    # Top 10 % of 4 members = ceil(0.4) = 1: a (international degree 2).
    out = gatekeeper_dependency(gate, NORWAY, brokers=intl_degree(gate), hops=1)
    assert out["removed"] == ["a"]
    assert (out["reach_before"], out["reach_after"], out["dependency"]) == (2.0, 0.0, 1.0)
    assert out["members"] == 4 and out["hops"] == 1 and out["top_share"] == 0.1


def test_dependency_two_hops(gate):
    # Before 5.0 (see test_reach_two_hops); without a only d's path d-h-k remains: 0.5.
    # D = (5 - 0.5) / 5 = 0.9.
    out = gatekeeper_dependency(gate, NORWAY, brokers=intl_degree(gate))
    assert (out["reach_before"], out["reach_after"]) == (5.0, 0.5)
    assert out["dependency"] == pytest.approx(0.9)


def test_dependency_three_hops(gate):
    # Before 20/3; without a: c reaches k at 3 (1/3), d reaches k at 2 (1/2): 5/6.
    # D = (20/3 - 5/6) / (20/3) = 35/40.
    out = gatekeeper_dependency(gate, NORWAY, brokers=intl_degree(gate), hops=3)
    assert out["reach_after"] == pytest.approx(5 / 6)
    assert out["dependency"] == pytest.approx(35 / 40)


def test_dependency_ranking_and_shares(gate):
    brokers = pd.Series({"a": 0.0, "b": 0.0, "c": 0.0, "d": 0.0})
    # All tied: the lowest code goes first.
    assert gatekeeper_dependency(gate, NORWAY, brokers=brokers)["removed"] == ["a"]
    # A member without a score ranks below every scored one.
    partial = pd.Series({"b": 0.0, "c": 1.0})
    out = gatekeeper_dependency(gate, NORWAY, brokers=partial, top_share=0.75)
    assert out["removed"] == ["c", "b", "a"]  # ceil(3) = 3: c, b, then unscored a (lower code than d)
    # 0.3 x 10 is 3.0000000000000004 in floating point; still 3 members, not 4.
    ten = ["a", "b", "c", "d", "e", "f", "g", "h", "k"]
    assert len(gatekeeper_dependency(gate, ten, brokers=brokers, top_share=1 / 3)["removed"]) == 3
    # top_share 0 removes nobody: dependency 0.
    none = gatekeeper_dependency(gate, NORWAY, brokers=intl_degree(gate), top_share=0.0)
    assert none["removed"] == [] and none["dependency"] == 0.0 and none["reach_after"] == 5.0
    # Everyone removed: all reach lost.
    assert gatekeeper_dependency(gate, NORWAY, brokers=brokers, top_share=1.0)["dependency"] == 1.0


def test_dependency_nan_without_reach(gate):
    out = gatekeeper_dependency(gate, ["h"], brokers=intl_degree(gate))
    assert out["reach_before"] == 0.0 and math.isnan(out["dependency"])
    assert out["removed"] == ["h"]


def test_dependency_when_a_broker_is_also_a_foreign_target(gate):
    # Home set {a, b, e} spans NO and DK, so removing e also removes a target.
    # Before: a 2.5, b 1.0, e: a (1) + b, c, f (2) = 2.5  -> 6.0.
    # Without e: a: f (1) = 1; b: f (2) = 0.5              -> 1.5;  D = 4.5 / 6 = 0.75.
    home = ["a", "b", "e"]
    out = gatekeeper_dependency(gate, home, brokers=pd.Series({"e": 5.0}))
    assert out["removed"] == ["e"]
    assert (out["reach_before"], out["reach_after"], out["dependency"]) == (6.0, 1.5, 0.75)
    assert external_reach(gate, home, removed=["e"]) == 1.5


# -- group table by hand -------------------------------------------------------------
def test_group_table_by_country(gate):
    clustering = pd.Series({"a": 0.5, "b": 1.0, "c": np.nan, "d": 0.0, "f": 0.25})
    table = group_table(gate, brokers=intl_degree(gate), clustering=clustering)
    assert list(table.columns) == list(GROUP_COLUMNS)
    assert list(table.index) == ["NO", "DK", "SE", "DE"]  # h has no country: in no row
    assert table.index.name == "country"
    expected = {
        # NO = {a, b, c, d}: internal a-b, a-c, b-c, c-d = 4 -> density 2*4 / (4*3) = 2/3.
        # External ties to a known country: a-e, a-f = 2 (d-h is left out, h's country is
        # unknown); both international. E-I with internal ties counted twice:
        # (2 - 2*4) / (2 + 2*4) = -0.6. International degrees a 2, b 0, c 0, d 0:
        # share 1/4; HHI 1; Gini (n-1)/n = 3/4. Clustering mean of 0.5, 1, 0 (c NaN) = 0.5.
        # Reach (hops 2) 5.0, dependency 0.9 (test_dependency_two_hops).
        "NO": dict(organisations=4, internal_ties=4, density=2 / 3, mean_local_clustering=0.5,
                   external_ties=2, international_ties=2, ei_index=-0.6, share_international=0.25,
                   intl_hhi=1.0, intl_gini=0.75, external_reach=5.0, gatekeeper_dependency=0.9,
                   top_brokers="Alpha"),
        # DK = {e, g}: internal e-g = 1, density 1; external a-e = 1; E-I (1 - 2)/(1 + 2).
        # Degrees e 1, g 0: share 1/2, HHI 1, Gini 1/2. Reach: e: a (1) + b, c, f (2) = 2.5;
        # g: a (2) = 0.5 -> 3.0. Removing e (ceil(0.2) = 1) leaves g with nothing: D = 1.
        "DK": dict(organisations=2, internal_ties=1, density=1.0, mean_local_clustering=np.nan,
                   external_ties=1, international_ties=1, ei_index=-1 / 3, share_international=0.5,
                   intl_hhi=1.0, intl_gini=0.5, external_reach=3.0, gatekeeper_dependency=1.0,
                   top_brokers="Echo"),
        # SE = {f}: one member, so no density, reach or dependency; a-f external.
        "SE": dict(organisations=1, internal_ties=0, density=np.nan, mean_local_clustering=0.25,
                   external_ties=1, international_ties=1, ei_index=1.0, share_international=1.0,
                   intl_hhi=1.0, intl_gini=0.0, external_reach=np.nan,
                   gatekeeper_dependency=np.nan, top_brokers="Foxtrot"),
        # DE = {k}: its only tie h-k has an end of unknown country: no counted tie.
        "DE": dict(organisations=1, internal_ties=0, density=np.nan, mean_local_clustering=np.nan,
                   external_ties=0, international_ties=0, ei_index=np.nan, share_international=0.0,
                   intl_hhi=np.nan, intl_gini=np.nan, external_reach=np.nan,
                   gatekeeper_dependency=np.nan, top_brokers=pd.NA),
    }
    for label, row in expected.items():
        for column, value in row.items():
            got = table.loc[label, column]
            if column == "top_brokers":
                assert (got is pd.NA) if value is pd.NA else got == value, (label, column)
            elif isinstance(value, float) and math.isnan(value):
                assert math.isnan(got), (label, column, got)
            else:
                assert got == pytest.approx(value), (label, column, got)
    for column in ("organisations", "internal_ties", "external_ties", "international_ties"):
        assert table[column].dtype == np.int64
    assert table.attrs["group_table"]["reach_groups"] == 2


def test_group_table_by_region(gate):
    table = group_table(gate, by="region", brokers=intl_degree(gate))
    assert list(table.index) == ["NO/Vestland", "NO/Oslo", "DK/Hovedstaden", "SE/Skåne", "DE/Bayern"]
    vest, oslo = table.loc["NO/Vestland"], table.loc["NO/Oslo"]
    # Vestland {a, b}: internal a-b; external a-c, b-c, a-e, a-f = 4, of which 2 abroad;
    # E-I (4 - 2)/(4 + 2) = 1/3. Reach a 2.5 + b 1 = 3.5; without a, b has none: D = 1.
    assert (vest["internal_ties"], vest["external_ties"], vest["international_ties"]) == (1, 4, 2)
    assert vest["ei_index"] == pytest.approx(1 / 3)
    assert (vest["share_international"], vest["intl_gini"]) == (0.5, 0.5)
    assert (vest["external_reach"], vest["gatekeeper_dependency"]) == (3.5, 1.0)
    assert vest["top_brokers"] == "Alpha"
    # Oslo {c, d}: internal c-d; external a-c, b-c (d-h unknown); nothing abroad: E-I 0.
    # Reach c 1 + d 0.5 = 1.5. Scores tie at 0, so c (lower code) is removed: d keeps
    # d-h-k, 0.5: D = 1/1.5 = 2/3. No member has a positive score: no top brokers.
    assert (oslo["internal_ties"], oslo["external_ties"], oslo["international_ties"]) == (1, 2, 0)
    assert oslo["ei_index"] == 0.0
    assert math.isnan(oslo["intl_hhi"]) and math.isnan(oslo["intl_gini"])
    assert oslo["external_reach"] == 1.5
    assert oslo["gatekeeper_dependency"] == pytest.approx(2 / 3)
    assert oslo["top_brokers"] is pd.NA
    # "locality" uses the locality argument.
    same = group_table(gate, by="locality", locality="region", brokers=intl_degree(gate))
    pd.testing.assert_frame_equal(table.drop(columns=[]), same, check_exact=False)


def test_group_table_home(gate):
    # Home {a, b, e}: internal a-b, a-e = 2 -> density 2*2/(3*2) = 2/3. Every non-member is
    # outside: a-c, b-c, a-f, e-g = 4 external; E-I (4 - 4)/(4 + 4) = 0. International
    # pairs touching the home: a-e (both inside), a-f = 2. International degrees a 2
    # (e, f), b 0, e 1 (a): share 2/3, HHI (2/3)^2 + (1/3)^2 = 5/9, Gini
    # 2(1*0 + 2*1 + 3*2)/(3*3) - 4/3 = 4/9. Reach 6.0 (see the dependency test); the
    # top broker a (degree 2) is removed: b and e lose everything -> D = 1.
    home = pd.Series({"a": True, "b": True, "e": True, "c": False})
    table = group_table(gate, by="home", home_mask=home, brokers=intl_degree(gate))
    assert list(table.index) == ["home"]
    row = table.loc["home"]
    assert (row["organisations"], row["internal_ties"], row["external_ties"]) == (3, 2, 4)
    assert row["international_ties"] == 2
    assert row["density"] == pytest.approx(2 / 3) and row["ei_index"] == 0.0
    assert row["share_international"] == pytest.approx(2 / 3)
    assert row["intl_hhi"] == pytest.approx(5 / 9) and row["intl_gini"] == pytest.approx(4 / 9)
    assert (row["external_reach"], row["gatekeeper_dependency"]) == (6.0, 1.0)
    assert row["top_brokers"] == "Alpha; Echo"


def test_group_table_without_brokers(gate):
    table = group_table(gate)
    assert table["external_reach"].isna().all() and table["gatekeeper_dependency"].isna().all()
    assert table["top_brokers"].isna().all() and table["mean_local_clustering"].isna().all()
    assert table.attrs["group_table"]["reach_groups"] == 0


def test_group_table_reach_cap(gate):
    table = group_table(gate, brokers=intl_degree(gate), max_groups_for_reach=1)
    # Only the largest group (NO, 4 members) gets reach and dependency.
    assert table["external_reach"].notna().tolist() == [True, False, False, False]
    assert table.attrs["group_table"]["reach_groups"] == 1


def test_group_table_mapping_groups(gate):
    groups = {"a": "x", "b": "x", "e": "y", "g": "y"}
    table = group_table(gate, by=groups)
    assert list(table.index) == ["x", "y"]
    assert table.loc["x", "internal_ties"] == 1 and table.loc["y", "internal_ties"] == 1


def test_group_table_top_brokers_falls_back_to_ids():
    orgs = pd.DataFrame({"country": ["NO", "NO", "DK", "SE"], "name": [None, "", "D", "S"]},
                        index=pd.Index(["n1", "n2", "d", "s"], name="org_id"))
    ties = pd.DataFrame({"source": [0, 1, 0], "target": [2, 3, 1], "layer": "partnership",
                         "weight": 1.0, "year": 2020})
    net = CollaborationNetwork(orgs, ties)
    table = group_table(net, brokers=pd.Series({"n1": 1.0, "n2": 2.0}))
    assert table.loc["NO", "top_brokers"] == "n2; n1"


def test_errors(gate):
    brokers = intl_degree(gate)
    with pytest.raises(InputError):
        group_table(gate, by="home")
    with pytest.raises(InputError):
        group_table(gate, by="planet")
    with pytest.raises(InputError):
        external_reach(gate, NORWAY, hops=0)
    with pytest.raises(InputError):
        gatekeeper_dependency(gate, NORWAY, brokers=brokers, top_share=1.5)
    with pytest.raises(InputError):
        gatekeeper_dependency(gate, NORWAY, brokers=pd.Series({"zz": 1.0}))
    with pytest.raises(InputError):
        external_reach(gate, np.ones(3, dtype=bool))
    with pytest.raises(InputError):
        external_reach(gate, ["nobody"])
    with pytest.raises(InputError):
        group_table(gate, brokers=brokers, max_groups_for_reach=-1)


# -- the ocean cluster sample: direct formulas and a networkx brute force -------------------
@pytest.fixture(scope="module")
def ocean() -> CollaborationNetwork:
    return load_sample("ocean_cluster")


def brute_reach(graph: nx.Graph, country: dict, members, hops: int) -> dict:
    """Σ over foreign organisations within `hops` of 1/d, by networkx shortest paths."""
    out = {}
    for m in members:
        home = country.get(m)
        total = 0.0
        if home is not None and m in graph:
            for f, d in nx.single_source_shortest_path_length(graph, m, cutoff=hops).items():
                if d > 0 and country.get(f) is not None and country[f] != home:
                    total += 1.0 / d
        out[m] = total
    return out


def ocean_graph(net: CollaborationNetwork) -> tuple[nx.Graph, dict]:
    graph = net.to_networkx()
    country = {k: (None if pd.isna(v) else v) for k, v in net.orgs["country"].items()}
    return graph, country


@pytest.mark.parametrize("hops", [1, 2, 3])
def test_reach_matches_networkx_on_ocean(ocean, hops):
    home = ocean.orgs["member"].fillna(False).to_numpy(dtype=bool)
    graph, country = ocean_graph(ocean)
    ids = list(ocean.org_ids[home])
    expected = brute_reach(graph, country, ids, hops)
    got = external_reach_by_member(ocean, home, hops=hops)
    np.testing.assert_allclose(got.loc[ids].to_numpy(), [expected[m] for m in ids])
    assert external_reach(ocean, home, hops=hops) == pytest.approx(sum(expected.values()))


def test_dependency_matches_networkx_on_ocean(ocean):
    home = ocean.orgs["member"].fillna(False).to_numpy(dtype=bool)
    brokers = intl_degree(ocean)
    out = gatekeeper_dependency(ocean, home, brokers=brokers)
    members = list(ocean.org_ids[home])
    # The removed set: ceil(10 % of the members), highest international degree first,
    # ties by code.
    ranked = sorted(members, key=lambda m: (-brokers[m], ocean.codes([m])[0]))
    assert out["removed"] == ranked[: math.ceil(0.1 * len(members))]
    graph, country = ocean_graph(ocean)
    before = sum(brute_reach(graph, country, members, 2).values())
    pruned = graph.copy()
    pruned.remove_nodes_from(out["removed"])
    kept = [m for m in members if m not in out["removed"]]
    after = sum(brute_reach(pruned, country, kept, 2).values())
    assert out["reach_before"] == pytest.approx(before)
    assert out["reach_after"] == pytest.approx(after)
    assert out["dependency"] == pytest.approx((before - after) / before)
    assert 0 < out["dependency"] < 1


def test_group_table_matches_direct_formulas_on_ocean(ocean):
    brokers = intl_degree(ocean)
    table = group_table(ocean, brokers=brokers)
    degrees = scope_degrees(ocean)
    ei = group_ei(ocean)
    assert table.loc[ei.index, "internal_ties"].tolist() == ei["internal_ties"].astype(int).tolist()
    assert table.loc[ei.index, "external_ties"].tolist() == ei["external_ties"].astype(int).tolist()
    np.testing.assert_allclose(table.loc[ei.index, "ei_index"], ei["ei_index"])
    graph, country = ocean_graph(ocean)
    for label, row in table.iterrows():
        members = [m for m in ocean.org_ids if country.get(m) == label]
        n = len(members)
        x = degrees.loc[members, "international_degree"].to_numpy(dtype=float)
        assert row["organisations"] == n
        assert row["international_ties"] == x.sum()  # every international tie has one end here
        assert row["share_international"] == pytest.approx((x > 0).mean())
        sub = graph.subgraph(members)
        assert row["internal_ties"] == sub.number_of_edges()
        if n >= 2:
            assert row["density"] == pytest.approx(nx.density(sub))
        if x.sum() > 0:
            assert row["intl_hhi"] == pytest.approx(((x / x.sum()) ** 2).sum())
            pairwise = np.abs(x[:, None] - x[None, :]).sum() / (2 * n * n * x.mean())
            assert row["intl_gini"] == pytest.approx(pairwise)
        else:
            assert math.isnan(row["intl_hhi"]) and math.isnan(row["intl_gini"])
    norway = table.loc["NO"]
    no_members = (ocean.orgs["country"] == "NO").fillna(False).to_numpy(dtype=bool)
    direct = gatekeeper_dependency(ocean, no_members, brokers=brokers)
    assert norway["external_reach"] == pytest.approx(direct["reach_before"])
    assert norway["gatekeeper_dependency"] == pytest.approx(direct["dependency"])


def test_home_table_on_ocean(ocean):
    home = ocean.orgs["member"].fillna(False).to_numpy(dtype=bool)
    brokers = intl_degree(ocean)
    row = group_table(ocean, by="home", home_mask=home, brokers=brokers).loc["home"]
    out = gatekeeper_dependency(ocean, home, brokers=brokers)
    assert row["organisations"] == home.sum()
    assert row["external_reach"] == pytest.approx(out["reach_before"])
    assert row["gatekeeper_dependency"] == pytest.approx(out["dependency"])


# -- invariants -------------------------------------------------------------------------
COUNTRIES = ["NO", "DK", "SE", None]


@st.composite
def small_networks(draw):
    n = draw(st.integers(2, 10))
    countries = draw(st.lists(st.sampled_from(COUNTRIES), min_size=n, max_size=n))
    possible = [(u, v) for u in range(n) for v in range(u + 1, n)]
    edges = draw(st.lists(st.sampled_from(possible), unique=True, max_size=min(len(possible), 20)))
    scores = draw(st.permutations(list(range(n))))  # distinct scores: no ties to break
    members = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return n, countries, edges, scores, members


def build(n, countries, edges, order=None) -> CollaborationNetwork:
    """The network with organisation i stored at position order[i] (and id 'o{i}')."""
    order = list(range(n)) if order is None else list(order)
    position = {i: order[i] for i in range(n)}
    at = sorted(range(n), key=lambda i: position[i])
    orgs = pd.DataFrame({"country": [countries[i] for i in at]},
                        index=pd.Index([f"o{i}" for i in at], name="org_id"))
    ties = pd.DataFrame({"source": [position[u] for u, _ in edges],
                         "target": [position[v] for _, v in edges],
                         "layer": "partnership", "weight": 1.0, "year": 2020},
                        columns=["source", "target", "layer", "weight", "year"])
    # CollaborationNetwork puts each pair's endpoints in order itself.
    return CollaborationNetwork(orgs, ties.astype({"source": np.int64, "target": np.int64}))


@PROPERTY
@given(small_networks(), st.randoms(use_true_random=False), st.sampled_from([1, 2, 3]))
def test_relabelling_changes_nothing(data, rnd, hops):
    n, countries, edges, scores, members = data
    order = list(range(n))
    rnd.shuffle(order)
    first, second = build(n, countries, edges), build(n, countries, edges, order)
    brokers = pd.Series({f"o{i}": float(scores[i]) for i in range(n)})
    ids = [f"o{i}" for i in range(n) if members[i]]
    a = gatekeeper_dependency(first, ids, brokers=brokers, hops=hops, top_share=0.3)
    b = gatekeeper_dependency(second, ids, brokers=brokers, hops=hops, top_share=0.3)
    assert a["removed"] == b["removed"]
    for key in ("reach_before", "reach_after", "dependency"):
        assert a[key] == pytest.approx(b[key], nan_ok=True)
    t1 = group_table(first, brokers=brokers, hops=hops)
    t2 = group_table(second, brokers=brokers, hops=hops).loc[t1.index]
    numeric = [c for c in GROUP_COLUMNS if c != "top_brokers"]
    pd.testing.assert_frame_equal(t1[numeric], t2[numeric], check_exact=False)
    assert t1["top_brokers"].fillna("").tolist() == t2["top_brokers"].fillna("").tolist()


@PROPERTY
@given(small_networks(), st.floats(0, 1), st.sampled_from([1, 2, 3]))
def test_dependency_bounds_and_brute_force(data, share, hops):
    n, countries, edges, scores, members = data
    net = build(n, countries, edges)
    brokers = pd.Series({f"o{i}": float(scores[i]) for i in range(n)})
    ids = [f"o{i}" for i in range(n) if members[i]]
    out = gatekeeper_dependency(net, ids, brokers=brokers, hops=hops, top_share=share)
    if out["reach_before"] == 0:
        assert math.isnan(out["dependency"])
    else:
        assert 0.0 <= out["dependency"] <= 1.0
    if ids and share > 0:
        assert len(out["removed"]) >= 1
    graph, country = ocean_graph(net)
    before = sum(brute_reach(graph, country, ids, hops).values())
    pruned = graph.copy()
    pruned.remove_nodes_from(out["removed"])
    after = sum(brute_reach(pruned, country, [m for m in ids if m not in out["removed"]], hops).values())
    assert out["reach_before"] == pytest.approx(before)
    assert out["reach_after"] == pytest.approx(after)


@PROPERTY
@given(small_networks(), st.sampled_from([1, 2, 3]))
def test_removing_nobody_loses_nothing(data, hops):
    n, countries, edges, scores, members = data
    net = build(n, countries, edges)
    brokers = pd.Series({f"o{i}": float(scores[i]) for i in range(n)})
    ids = [f"o{i}" for i in range(n) if members[i]]
    out = gatekeeper_dependency(net, ids, brokers=brokers, hops=hops, top_share=0.0)
    assert out["removed"] == [] and out["reach_after"] == out["reach_before"]
    assert out["dependency"] == 0.0 if out["reach_before"] > 0 else math.isnan(out["dependency"])
    nobody = np.zeros(n, dtype=bool)
    assert external_reach(net, ids, hops=hops, removed=nobody) == external_reach(net, ids, hops=hops)
    # More hops never lose reach.
    assert external_reach(net, ids, hops=hops + 1) >= external_reach(net, ids, hops=hops)


def test_empty_home_set(gate):
    row = group_table(gate, by="home", home_mask=[], brokers=intl_degree(gate)).loc["home"]
    assert (row["organisations"], row["internal_ties"], row["external_ties"]) == (0, 0, 0)
    assert math.isnan(row["ei_index"]) and math.isnan(row["share_international"])
    assert math.isnan(row["external_reach"]) and row["top_brokers"] is pd.NA
