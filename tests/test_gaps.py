"""Gaps: one hand-built graph per kind of finding, argument checks, a networkx oracle for single points."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netcluster import CollaborationNetwork, analyze
from netcluster.errors import InputError
from netcluster.gaps import GAP_KINDS, find_gaps

COLUMNS = ["kind", "severity", "organisations", "names", "affected", "evidence"]


def build(orgs: list[tuple[str, str | None, str | None]], edges: list[tuple[str, str]]) -> CollaborationNetwork:
    """Organisations (org_id, country, region), named by their upper-cased id; partnership ties of 2020."""
    ids = [o[0] for o in orgs]
    frame = pd.DataFrame(
        {"name": [i.upper() for i in ids], "country": [o[1] for o in orgs], "region": [o[2] for o in orgs]},
        index=pd.Index(ids, name="org_id"),
    )
    code = {org_id: i for i, org_id in enumerate(ids)}
    ties = pd.DataFrame({"source": [code[u] for u, _ in edges], "target": [code[v] for _, v in edges],
                         "layer": "partnership", "weight": 1.0, "year": 2020})
    return CollaborationNetwork(frame, ties)


def rows(table: pd.DataFrame) -> list[tuple]:
    """(kind, severity rounded, organisations) per row, in table order."""
    triples = table[["kind", "severity", "organisations"]].itertuples(index=False)
    return [(k, round(s, 9), list(o)) for k, s, o in triples]


def communities_of(result) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for org_id, label in result.communities.membership.items():
        out.setdefault(label, set()).add(org_id)
    return out


@pytest.fixture(scope="module")
def isolated_locals():
    """Norwegian a..e; a (Vestland) and d (Oslo) have no foreign partner, every other member has two.

        x1  x2        y1  y2        z1  z2
          \\ /          \\ /          \\ /
           b --- a --- c            e
           |                        |
           d -----------------------'

    a-b, a-c are local (Vestland); d-e local (Oslo); d-b national. Each foreign
    partner pair belongs to one member, so every member reaches abroad by two
    disjoint routes and no member holds half the foreign partnerships.
    """
    orgs = [("a", "NO", "Vestland"), ("b", "NO", "Vestland"), ("c", "NO", "Vestland"), ("d", "NO", "Oslo"),
            ("e", "NO", "Oslo"), ("x1", "DK", "Hovedstaden"), ("x2", "DK", "Hovedstaden"),
            ("y1", "SE", "Skåne"), ("y2", "SE", "Skåne"), ("z1", "DE", "Bayern"), ("z2", "DE", "Bayern")]
    edges = [("a", "b"), ("a", "c"), ("d", "e"), ("d", "b"), ("b", "x1"), ("b", "x2"), ("c", "y1"), ("c", "y2"),
             ("e", "z1"), ("e", "z2")]
    return analyze(build(orgs, edges), home={"country": "NO"})


@pytest.fixture(scope="module")
def two_cliques():
    """Two Norwegian 4-cliques joined by the single tie a1-b1; only the b's have foreign partners.

    a1..a4 (Vestland) have no foreign partner; b1..b4 (Oslo) each work with f1 (DK) and f2 (SE).
    """
    a = [f"a{i}" for i in range(1, 5)]
    b = [f"b{i}" for i in range(1, 5)]
    orgs = [(x, "NO", "Vestland") for x in a] + [(x, "NO", "Oslo") for x in b] + [("f1", "DK", "H"), ("f2", "SE", "S")]
    clique = [(u, v) for group in (a, b) for i, u in enumerate(group) for v in group[i + 1:]]
    edges = clique + [(x, f) for x in b for f in ("f1", "f2")] + [("a1", "b1")]
    return analyze(build(orgs, edges), home={"country": "NO"})


@pytest.fixture(scope="module")
def chain():
    """A chain c - m - b - F to one foreign organisation, plus p and q with two foreign partners each.

    Members (NO): c, m, b (Vestland), p, q (Oslo, no local partner). F is Danish; p works with
    g1, g2 (SE), q with h1, h2 (DE).
    """
    orgs = [("c", "NO", "Vestland"), ("m", "NO", "Vestland"), ("b", "NO", "Vestland"), ("p", "NO", "Oslo"),
            ("q", "NO", "Oslo"), ("F", "DK", "H"), ("g1", "SE", "S"), ("g2", "SE", "S"), ("h1", "DE", "B"),
            ("h2", "DE", "B")]
    edges = [("c", "m"), ("m", "b"), ("b", "F"), ("p", "g1"), ("p", "g2"), ("q", "h1"), ("q", "h2")]
    return analyze(build(orgs, edges), home={"country": "NO"})


@pytest.fixture(scope="module")
def concentrated():
    """Members p, q, r, s (NO, each its own region); p has 6 foreign partners, q, r, s two each.

    Foreign pool f1..f6 (DK): p works with all six, q, r and s with f1 and f2. Total foreign
    partnerships of the members: 6 + 2 + 2 + 2 = 12.
    """
    pool = [f"f{i}" for i in range(1, 7)]
    orgs = [(x, "NO", region) for x, region in zip("pqrs", ["Oslo", "Vestland", "Rogaland", "Agder"])]
    orgs += [(f, "DK", "Hovedstaden") for f in pool]
    edges = [("p", f) for f in pool] + [(x, f) for x in "qrs" for f in ("f1", "f2")]
    return analyze(build(orgs, edges), home={"country": "NO"})


# -- the table ---------------------------------------------------------------------------
def test_docstring_example_all_kinds_in_order():
    # Norwegian a, b, c, d; only b has a foreign partner (Danish e); ties a-b, a-c, b-e, c-d.
    orgs = [("a", "NO", None), ("b", "NO", None), ("c", "NO", None), ("d", "NO", None), ("e", "DK", None)]
    result = analyze(build(orgs, [("a", "b"), ("a", "c"), ("b", "e"), ("c", "d")]), home={"country": "NO"})
    gaps = find_gaps(result)
    assert list(gaps.columns) == COLUMNS
    assert [k for k, *_ in rows(gaps)] == sorted((k for k, *_ in rows(gaps)), key=GAP_KINDS.index)
    assert [(k, o) for k, _, o in rows(gaps)] == [
        ("no_international_tie", ["a"]), ("no_international_tie", ["c"]), ("no_international_tie", ["d"]),
        ("community_without_bridge", ["c", "d"]),
        ("single_point_of_failure", ["e", "a", "b"]), ("single_point_of_failure", ["b", "a"]),
        ("concentration", ["b"]),
    ]
    assert gaps["names"].tolist()[4] == ["E", "A", "B"]
    assert gaps["affected"].tolist() == [1, 1, 1, 2, 2, 1, 1]
    assert gaps.loc[4, "evidence"] == ("without E (a foreign organisation), 2 members would have no foreign "
                                       "organisation within 2 steps: A and B")
    assert ((gaps["severity"] >= 0) & (gaps["severity"] <= 1)).all()


# -- no_international_tie ------------------------------------------------------------------
def test_members_without_foreign_partner_only(isolated_locals):
    gaps = find_gaps(isolated_locals)
    # Local degrees of the members a..e: 2, 1, 1, 1, 1. Percentiles, ties averaged:
    # a = 5/5 = 1.0; the four 1s share ranks 1..4 -> 2.5/5 = 0.5 (d is one of them).
    assert rows(gaps) == [("no_international_tie", 1.0, ["a"]), ("no_international_tie", 0.5, ["d"])]
    assert gaps["names"].tolist() == [["A"], ["D"]]
    assert gaps["affected"].tolist() == [1, 1]
    assert "2 local partners and 0 other domestic partners, no foreign partner" in gaps.loc[0, "evidence"]
    assert "1 local partner and 1 other domestic partner, no foreign partner" in gaps.loc[1, "evidence"]


def test_other_kinds_are_absent_for_a_reason(isolated_locals):
    # Not vacuous: every community holding two or more members has one with a foreign partner...
    foreign = isolated_locals.nodes["international_degree"]
    home = set(isolated_locals.nodes.index[isolated_locals.nodes["home"]])
    for members in communities_of(isolated_locals).values():
        inside = members & home
        if len(inside) >= 2:
            assert foreign[list(inside)].max() > 0
    # ... and the top member (ceil(0.1 * 5) = 1) holds 2 of the 6 foreign partnerships, under 0.5.
    assert foreign[list(home)].sum() == 6
    # Lowering the threshold to 1/3 makes it a finding: b (2 partners, lowest id among the 2s).
    low = find_gaps(isolated_locals, concentration_threshold=1 / 3)
    assert rows(low)[-1] == ("concentration", round(2 / 6, 9), ["b"])


def test_member_without_any_partner():
    orgs = [("a", "NO", "Vestland"), ("b", "NO", "Vestland"), ("i", "NO", "Oslo"),
            ("x1", "DK", "H"), ("x2", "DK", "H"), ("y1", "SE", "S"), ("y2", "SE", "S")]
    edges = [("a", "b"), ("a", "x1"), ("a", "x2"), ("b", "y1"), ("b", "y2")]
    # (concentration_threshold 0.6: a and b hold 2 of the 4 foreign partnerships each, a 0.5 share.)
    gaps = find_gaps(analyze(build(orgs, edges), home={"country": "NO"}), concentration_threshold=0.6)
    # The isolated member is the only finding; with no local partner its severity is 0.
    assert rows(gaps) == [("no_international_tie", 0.0, ["i"])]
    assert gaps.loc[0, "evidence"].endswith("no partners at all in these records")


# -- community_without_bridge ---------------------------------------------------------------
def test_community_without_bridge(two_cliques):
    groups = communities_of(two_cliques)
    a = {"a1", "a2", "a3", "a4"}
    # Leiden separates the cliques: the a's form one community without any b.
    (label,) = {two_cliques.communities.membership[x] for x in a}
    assert groups[label] == a
    # hops=1: the a's have no foreign organisation within one step, so no point of failure either.
    gaps = find_gaps(two_cliques, hops=1)
    # Local degree is 3 for all eight members: percentile 4.5/8 = 0.5625. a1 first (one national partner).
    assert rows(gaps) == [("no_international_tie", 0.5625, [x]) for x in ["a1", "a2", "a3", "a4"]] + [
        ("community_without_bridge", 0.5, ["a1", "a2", "a3", "a4"])  # 4 of the 8 members
    ]
    community = gaps.iloc[-1]
    assert community["affected"] == 4 and community["names"] == ["A1", "A2", "A3", "A4"]
    assert community["evidence"] == f"community {label}: 4 members (A1, A2, A3 and A4), none with a foreign partner"


def test_community_size_threshold(two_cliques):
    kinds = find_gaps(two_cliques, hops=1, min_community=4)["kind"].tolist()
    assert kinds.count("community_without_bridge") == 1
    kinds = find_gaps(two_cliques, hops=1, min_community=5)["kind"].tolist()
    assert "community_without_bridge" not in kinds and kinds.count("no_international_tie") == 4


def test_community_with_two_hops_adds_the_bridge_tie(two_cliques):
    # Within two steps a1 reaches f1 and f2 only through b1: b1 cuts off 1 of the 5 reaching members.
    gaps = find_gaps(two_cliques, hops=2)
    assert rows(gaps)[-1] == ("single_point_of_failure", 0.2, ["b1", "a1"])
    assert "(a domestic broker)" in gaps.iloc[-1]["evidence"]


# -- single_point_of_failure ------------------------------------------------------------------
def test_sole_foreign_partner_is_a_point_of_failure_one_hop(chain):
    gaps = find_gaps(chain, hops=1)
    # Reaching abroad within 1 step: b, p, q. Without F, b is cut off: 1/3.
    # No concentration: top ceil(0.1*5) = 1 member (p) holds 2 of 5 foreign partnerships.
    # No community finding: c, m, b share a community with b's foreign partner F.
    assert rows(gaps) == [
        ("no_international_tie", 1.0, ["m"]),  # local degrees c 1, m 2, b 1, p 0, q 0 -> m 5/5
        ("no_international_tie", 0.7, ["c"]),  # the 1s share ranks 3, 4 -> 3.5/5
        ("single_point_of_failure", round(1 / 3, 9), ["F", "b"]),
    ]
    assert gaps.iloc[-1]["affected"] == 1
    assert gaps.iloc[-1]["evidence"] == ("without F (a foreign organisation), 1 member would have no foreign "
                                         "organisation within 1 step: B")


def test_broker_found_with_two_hops(chain):
    gaps = find_gaps(chain, hops=2)
    # Reaching within 2: m, b, p, q (4). F cuts m and b; the broker b cuts m.
    assert rows(gaps) == [("no_international_tie", 1.0, ["m"]), ("no_international_tie", 0.7, ["c"]),
                          ("single_point_of_failure", 0.5, ["F", "m", "b"]),
                          ("single_point_of_failure", 0.25, ["b", "m"])]
    spof = gaps.query("kind == 'single_point_of_failure'")
    assert spof["affected"].tolist() == [2, 1]
    assert "without B (a domestic broker), 1 member would have" in spof.iloc[1]["evidence"]


def test_three_hops_reaches_the_end_of_the_chain(chain):
    gaps = find_gaps(chain, hops=3)
    assert [k for k, *_ in rows(gaps)] == ["no_international_tie"] * 2 + ["single_point_of_failure"] * 3
    spof = gaps.query("kind == 'single_point_of_failure'")
    # All five members reach abroad; F cuts c, m, b; b cuts c, m; m cuts c.
    assert rows(spof) == [("single_point_of_failure", 0.6, ["F", "c", "m", "b"]),
                          ("single_point_of_failure", 0.4, ["b", "c", "m"]),
                          ("single_point_of_failure", 0.2, ["m", "c"])]
    assert spof["names"].tolist()[0] == ["F", "C", "M", "B"]


def test_two_independent_routes_give_no_finding():
    # r reaches abroad through s1 (to x1, x2) and through s2 (to y1, y2): no single removal cuts it off.
    orgs = [("r", "NO", "Oslo"), ("s1", "NO", "Oslo"), ("s2", "NO", "Oslo"),
            ("x1", "DK", "H"), ("x2", "DK", "H"), ("y1", "SE", "S"), ("y2", "SE", "S")]
    edges = [("r", "s1"), ("r", "s2"), ("s1", "x1"), ("s1", "x2"), ("s2", "y1"), ("s2", "y2")]
    result = analyze(build(orgs, edges), home={"country": "NO"})
    for hops in (1, 2, 3):
        assert "single_point_of_failure" not in find_gaps(result, hops=hops)["kind"].tolist()


def test_two_routes_to_the_same_foreign_organisation_share_it():
    # r -> s1 -> F and r -> s2 -> F: the brokers are interchangeable, F is not; F also cuts s1 and s2.
    orgs = [("r", "NO", "Oslo"), ("s1", "NO", "Oslo"), ("s2", "NO", "Oslo"), ("F", "DK", "H"), ("G", "SE", "S")]
    edges = [("r", "s1"), ("r", "s2"), ("s1", "F"), ("s2", "F")]
    spof = find_gaps(analyze(build(orgs, edges), home={"country": "NO"})).query("kind == 'single_point_of_failure'")
    assert rows(spof) == [("single_point_of_failure", 1.0, ["F", "r", "s1", "s2"])]
    # s1 also works with G: s1 has two foreign partners (never cut off), r keeps G through s1 without F,
    # and only s2, whose sole foreign partner is F, depends on F (1 of the 3 reaching members).
    spof = find_gaps(analyze(build(orgs, edges + [("s1", "G")]), home={"country": "NO"}))
    assert rows(spof.query("kind == 'single_point_of_failure'")) == [
        ("single_point_of_failure", round(1 / 3, 9), ["F", "s2"])]


def test_sole_foreign_partner_with_a_backup_route():
    # b's only foreign partner is F, but within two steps b also reaches G through c: F is not critical.
    orgs = [("b", "NO", "Oslo"), ("c", "NO", "Oslo"), ("F", "DK", "H"), ("G", "SE", "S"), ("H", "DE", "B")]
    edges = [("b", "F"), ("b", "c"), ("c", "G"), ("c", "H")]
    result = analyze(build(orgs, edges), home={"country": "NO"})
    assert rows(find_gaps(result, hops=1).query("kind == 'single_point_of_failure'")) == [
        ("single_point_of_failure", 0.5, ["F", "b"])]
    assert rows(find_gaps(result, hops=2).query("kind == 'single_point_of_failure'")) == []


def test_relay_of_unknown_country_is_not_called_foreign():
    # m reaches D only through h, whose country is unknown: h is a point of failure, but not "foreign".
    orgs = [("m", "NO", "Oslo"), ("h", None, None), ("D", "DK", "H"), ("E", "DK", "H"), ("n", "NO", "Oslo"),
            ("S1", "SE", "S"), ("S2", "SE", "S")]
    edges = [("m", "h"), ("h", "D"), ("h", "E"), ("n", "S1"), ("n", "S2")]
    spof = find_gaps(analyze(build(orgs, edges), home={"country": "NO"})).query("kind == 'single_point_of_failure'")
    assert rows(spof) == [("single_point_of_failure", 0.5, ["h", "m"])]
    assert "a foreign organisation" not in spof.iloc[0]["evidence"]


# -- concentration ------------------------------------------------------------------------------
def test_concentration_at_threshold(concentrated):
    gaps = find_gaps(concentrated)
    # Top ceil(0.1 * 4) = 1 member: p with 6 of 12 -> 0.5, "at least" the threshold 0.5. Nothing else:
    # every member has two or more foreign partners.
    assert rows(gaps) == [("concentration", 0.5, ["p"])]
    assert gaps.loc[0, "affected"] == 1 and gaps.loc[0, "names"] == ["P"]
    assert "1 of 4 members hold 50% of the members' 12 foreign partnerships: P" in gaps.loc[0, "evidence"]


def test_concentration_below_threshold(concentrated):
    assert len(find_gaps(concentrated, concentration_threshold=0.51)) == 0


def test_concentration_top_share(concentrated):
    # top_share 0.5 -> 2 members: p (6), then q (2, lowest id among the 2s) -> 8/12.
    gaps = find_gaps(concentrated, top_share=0.5, concentration_threshold=0.6)
    assert rows(gaps) == [("concentration", round(8 / 12, 9), ["p", "q"])]
    assert len(find_gaps(concentrated, top_share=0.5, concentration_threshold=0.7)) == 0
    # top_share 1: everyone holds everything.
    assert rows(find_gaps(concentrated, top_share=1.0, concentration_threshold=1.0)) == [
        ("concentration", 1.0, ["p", "q", "r", "s"])]


def test_concentration_top_share_float_noise():
    # 25 members: p with 40 foreign partners, the 24 others with two each (88 in all).
    # 0.28 x 25 is 7.000000000000001 in floating point: the top 28 % is still 7 members, not 8
    # (netcluster.metrics.groups forgives this noise too): p, m01..m06 -> (40 + 6*2)/88.
    pool = [f"f{i:02d}" for i in range(40)]
    others = [f"m{i:02d}" for i in range(1, 25)]
    orgs = [("p", "NO", "R0")] + [(m, "NO", f"R{i}") for i, m in enumerate(others, 1)] + [(f, "DK", "H") for f in pool]
    edges = [("p", f) for f in pool] + [(m, f) for m in others for f in pool[:2]]
    gaps = find_gaps(analyze(build(orgs, edges), home={"country": "NO"}), top_share=0.28)
    assert rows(gaps) == [("concentration", round(52 / 88, 9), ["p"] + others[:6])]
    # 0.32 x 25 = 8 exactly: eight members.
    gaps = find_gaps(analyze(build(orgs, edges), home={"country": "NO"}), top_share=0.32)
    assert rows(gaps) == [("concentration", round(54 / 88, 9), ["p"] + others[:7])]


# -- without a home set ---------------------------------------------------------------------------
def test_members_are_all_organisations_of_known_country():
    # Path u - a - b - x - y: a, b Norwegian, x, y Danish, u of unknown country. No home set:
    # the members are a, b, x, y (not u), each judged against its own country.
    orgs = [("a", "NO", "Vestland"), ("b", "NO", "Vestland"), ("x", "DK", "H"), ("y", "DK", "H"), ("u", None, None)]
    result = analyze(build(orgs, [("a", "b"), ("b", "x"), ("a", "u"), ("x", "y")]))
    assert not result.nodes["home"].any()
    gaps = find_gaps(result)
    # Local degrees a, b, x, y all 1 -> percentile 2.5/4. a and y have no foreign partner.
    # Everyone reaches abroad within 2 steps, only through the single pipeline b-x:
    # removing b cuts a, x, y; removing x cuts a, b, y -> 3/4 each.
    # Top ceil(0.1 * 4) = 1 member: b (1 of 2 foreign partnerships, lowest id) -> 0.5.
    assert rows(gaps) == [
        ("no_international_tie", 0.625, ["a"]), ("no_international_tie", 0.625, ["y"]),
        ("single_point_of_failure", 0.75, ["b", "a", "x", "y"]),
        ("single_point_of_failure", 0.75, ["x", "a", "b", "y"]),
        ("concentration", 0.5, ["b"]),
    ]
    # With Norway as the home set, x and y are no longer members.
    # Members a, b (local degree 1 each -> 1.5/2); x cuts both, b cuts a; b holds all foreign partnerships.
    homed = find_gaps(analyze(build(orgs, [("a", "b"), ("b", "x"), ("a", "u"), ("x", "y")]), home={"country": "NO"}))
    assert rows(homed) == [
        ("no_international_tie", 0.75, ["a"]),
        ("single_point_of_failure", 1.0, ["x", "a", "b"]),
        ("single_point_of_failure", 0.5, ["b", "a"]),
        ("concentration", 1.0, ["b"]),
    ]


# -- arguments --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, column",
    [
        ({"hops": 0}, "hops"),
        ({"hops": -1}, "hops"),
        ({"hops": 1.5}, "hops"),
        ({"hops": True}, "hops"),
        ({"hops": "2"}, "hops"),
        ({"min_community": 0}, "min_community"),
        ({"top_share": 1.5}, "top_share"),
        ({"top_share": -0.1}, "top_share"),
        ({"top_share": "a lot"}, "top_share"),
        ({"top_share": None}, "top_share"),
        ({"concentration_threshold": 2}, "concentration_threshold"),
        ({"concentration_threshold": float("nan")}, "concentration_threshold"),
    ],
)
def test_bad_arguments(isolated_locals, kwargs, column):
    with pytest.raises(InputError) as caught:
        find_gaps(isolated_locals, **kwargs)
    assert caught.value.column == column
    assert column in str(caught.value)
    expected = "whole number of at least 1" if column in ("hops", "min_community") else "between 0 and 1"
    assert expected in str(caught.value)


def test_numpy_integers_are_accepted(chain):
    assert rows(find_gaps(chain, hops=np.int64(2))) == rows(find_gaps(chain, hops=2))


# -- networkx oracle for single points of failure -------------------------------------------------------
def random_network(seed: int, n: int = 28) -> CollaborationNetwork:
    rng = np.random.default_rng(seed)
    countries = rng.choice(np.array(["NO", "NO", "NO", "DK", "SE", ""], dtype=object), size=n)
    orgs = [(f"o{i:02d}", c or None, "R" + str(rng.integers(2))) for i, c in enumerate(countries)]
    pairs = [(u, v) for u in range(n) for v in range(u + 1, n) if rng.random() < 0.09]
    return build(orgs, [(orgs[u][0], orgs[v][0]) for u, v in pairs])


def oracle(network: CollaborationNetwork, members: list[str], hops: int) -> tuple[set[tuple[str, str]], int]:
    """(point of failure, member) pairs by removing each organisation in networkx, and the reaching count."""
    graph = network.to_networkx()
    country = network.orgs["country"]

    def reaches(g: nx.Graph, m: str) -> bool:
        near = nx.single_source_shortest_path_length(g, m, cutoff=hops)
        return any(pd.notna(country[v]) and country[v] != country[m] for v in near if v != m)

    pairs, reaching = set(), 0
    for m in members:
        if not reaches(graph, m):
            continue
        reaching += 1
        for b in graph.nodes:
            if b != m and not reaches(nx.restricted_view(graph, [b], []), m):
                pairs.add((b, m))
    return pairs, reaching


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("home", [{"country": "NO"}, None], ids=["home", "no-home"])
def test_single_points_match_networkx(seed, home):
    network = random_network(seed)
    result = analyze(network, home=home)
    nodes = result.nodes
    members = list(nodes.index[nodes["home"]]) if home else list(nodes.index[nodes["country"].notna()])
    found_any = False
    for hops in (1, 2, 3):
        expected, reaching = oracle(network, members, hops)
        table = find_gaps(result, hops=hops).query("kind == 'single_point_of_failure'")
        got = {(orgs[0], m) for orgs in table["organisations"] for m in orgs[1:]}
        assert got == expected, (seed, hops)
        for orgs, severity, affected in table[["organisations", "severity", "affected"]].itertuples(index=False):
            assert affected == len(orgs) - 1
            assert severity == pytest.approx(affected / reaching)
        assert table["severity"].is_monotonic_decreasing
        found_any |= bool(expected)
    assert found_any  # the random graphs do have points of failure
