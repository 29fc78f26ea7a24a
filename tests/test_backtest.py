"""Back-test: no leakage from the test years, metrics by hand for the three methods, counts, errors, the sample."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import netcluster.suggestions
from netcluster import CollaborationNetwork, analyze
from netcluster.backtest import METHODS, backtest
from netcluster.errors import InputError
from netcluster.sample_graphs import load_sample
from netcluster.suggestions import suggest_partners


def build(orgs: list[tuple[str, str]], ties: list[tuple]) -> CollaborationNetwork:
    """Organisations (org_id, country) named by their upper-cased id; partnership ties (u, v, year)."""
    ids = [o[0] for o in orgs]
    frame = pd.DataFrame({"name": [i.upper() for i in ids], "country": [c for _, c in orgs]},
                         index=pd.Index(ids, name="org_id"))
    code = {org_id: i for i, org_id in enumerate(ids)}
    return CollaborationNetwork(frame, pd.DataFrame({
        "source": [code[u] for u, _, _ in ties], "target": [code[v] for _, v, _ in ties],
        "layer": "partnership", "weight": 1.0, "year": pd.array([y for *_, y in ties], dtype="Int32"),
    }))


@pytest.fixture(scope="module")
def history() -> CollaborationNetwork:
    """Norwegian members m1, m2, m3; foreign p (SE), a (DK), b (DE), h (FR), x, y (IT), z (ES), n (BE).

    Before 2020:  m1-p, p-a, p-b, m2-x, h-x, h-y, h-z, h-a, m3-z
                  degrees h 4, p 3, a 2, x 2, z 2, then b, m1, m2, m3, y 1; n 0.
    Undated:      m2-b (left out of both sides).
    From 2020:    m1-a (new, scored), m1-n (n had no tie before: excluded), m1-p (not new),
                  m1-m2 (domestic), m2-y (new, scored), and h-b in 2021 (no member involved).
    """
    orgs = [("m1", "NO"), ("m2", "NO"), ("m3", "NO"), ("p", "SE"), ("a", "DK"), ("b", "DE"), ("h", "FR"),
            ("x", "IT"), ("y", "IT"), ("z", "ES"), ("n", "BE")]
    ties = [("m1", "p", 2019), ("p", "a", 2019), ("p", "b", 2019), ("m2", "x", 2019), ("h", "x", 2019),
            ("h", "y", 2019), ("h", "z", 2019), ("h", "a", 2019), ("m3", "z", 2019),
            ("m2", "b", None),
            ("m1", "a", 2020), ("m1", "n", 2020), ("m1", "p", 2020), ("m1", "m2", 2020), ("m2", "y", 2020),
            ("h", "b", 2021)]
    return build(orgs, ties)


#: Candidates per member before 2020 (foreign, with a tie, not yet a partner).
CANDIDATES = {"m1": {"a", "b", "h", "x", "y", "z"}, "m2": {"p", "a", "b", "h", "y", "z"}}
#: The new international ties scored.
TRUTH = {"m1": {"a"}, "m2": {"y"}}


@pytest.fixture(scope="module")
def leaky() -> CollaborationNetwork:
    """m (NO) works with p (SE) before 2020; p works with c1 (DK); c2 (DE) works with z1, z2 (FI).

    In 2020 m forms ties with z1, z2 and c2. If the 2020 ties m-z1, m-z2 were visible in training,
    z1 and z2 would be partners of m shared with c2 (two common partners against c1's one), and c2
    would top the list; trained on 2019 alone, c1 (one common partner, through p) comes first.
    """
    orgs = [("m", "NO"), ("p", "SE"), ("c1", "DK"), ("c2", "DE"), ("z1", "FI"), ("z2", "FI")]
    ties = [("m", "p", 2019), ("p", "c1", 2019), ("c2", "z1", 2019), ("c2", "z2", 2019),
            ("m", "z1", 2020), ("m", "z2", 2020), ("m", "c2", 2020)]
    return build(orgs, ties)


@pytest.fixture(scope="module")
def norway():
    return load_sample("norway_h2020")


def metrics(rankings: dict[str, list[str]], truth: dict[str, set[str]], k: int) -> tuple[float, float, float]:
    """precision@k, recall@k, mrr@k by the module docstring's definitions."""
    p = r = mrr = 0.0
    for member, wanted in truth.items():
        top = rankings[member][:k]
        hits = [i for i, f in enumerate(top, 1) if f in wanted]
        p += len(hits) / k
        r += len(hits) / len(wanted)
        mrr += 1 / hits[0] if hits else 0.0
    return p / len(truth), r / len(truth), mrr / len(truth)


def expect(rankings, truth, cutoffs) -> dict[str, float]:
    out = {}
    for k in cutoffs:
        out[f"precision@{k}"], out[f"recall@{k}"], out[f"mrr@{k}"] = metrics(rankings, truth, k)
    return out


# -- leakage ------------------------------------------------------------------------------------
def test_no_tie_from_the_test_years_is_seen(leaky, monkeypatch):
    seen, rankings = [], []
    ranker = netcluster.suggestions.PartnerRanker
    original_init, original_rank = ranker.__init__, ranker.rank

    def spy_init(self, network, **kwargs):
        seen.append(network)
        original_init(self, network, **kwargs)

    def spy_rank(self, *args, **kwargs):
        out = original_rank(self, *args, **kwargs)
        rankings.append(out)
        return out

    monkeypatch.setattr(ranker, "__init__", spy_init)
    monkeypatch.setattr(ranker, "rank", spy_rank)
    out = backtest(leaky, until=2020, home={"country": "NO"}, k=[1, 3])
    (train,) = seen
    assert int(train.ties["year"].max()) == 2019 and train.ties["year"].notna().all()
    expected = leaky.select(years=(2019, 2019)).ties
    pd.testing.assert_frame_equal(train.ties.reset_index(drop=True), expected.reset_index(drop=True))
    # The first ranking is netcluster's: for m (code 0), c1 then the fill c2, z1 (by degree, then id).
    ids = leaky.org_ids
    first = rankings[0]
    assert [ids[c] for c in first.candidate[first.member == 0]] == ["c1", "c2", "z1"]
    # The same as suggestions on the network restricted to the years before 2020.
    before = suggest_partners(analyze(leaky.select(years=(2019, 2019)), home={"country": "NO"}), "m", k=3)
    assert before["partner"].tolist() == ["c1", "c2", "z1"]
    # Hence precision@1 is 0 for netcluster (c1 is no new partner); a training set that saw m-z1 and
    # m-z2 would have put c2, a new partner, first (next test).
    assert out.table.loc["netcluster", "precision@1"] == 0.0
    assert out.table.loc["preferential_attachment", "precision@1"] == 1.0  # c2: 2 partners before 2020
    assert out.counts["new_international_ties"] == 3 and out.counts["training_tie_records"] == 4


def test_leaked_network_would_change_the_answer(leaky):
    # The counterfactual the previous test rules out: with the 2020 ties m-z1, m-z2 visible (all but
    # the m-c2 tie to predict), c2 shares two partners with m and comes first.
    code = {org_id: i for i, org_id in enumerate(leaky.org_ids)}
    ties = leaky.ties
    keep = ~((ties["source"] == code["m"]) & (ties["target"] == code["c2"]))
    visible = CollaborationNetwork(leaky.orgs, ties[keep].reset_index(drop=True))
    table = suggest_partners(analyze(visible, home={"country": "NO"}), "m", k=1)
    assert table["partner"].tolist() == ["c2"] and table.loc[0, "common_partners"] == 2


# -- metrics by hand ------------------------------------------------------------------------------
def test_counts(history):
    out = backtest(history, until=2020, home={"country": "NO"}, k=[1, 2, 6])
    assert out.counts == {
        "training_tie_records": 9,
        "test_tie_records": 6,  # dated 2020 or 2021
        "undated_tie_records": 1,
        "members": 3,  # m1, m2, m3 all had a tie before 2020
        "evaluated": 2,  # m3 formed no new international tie
        "new_international_ties": 2,  # m1-a, m2-y
        "excluded_new_organisations": 1,  # m1-n
    }
    assert out.params["until"] == 2020 and out.params["k"] == [1, 2, 6] and out.params["seed"] == 0
    assert "Norway" in out.params["home"]


def test_netcluster_and_preferential_attachment_by_hand(history):
    out = backtest(history, until=2020, home={"country": "NO"}, k=[6, 1, 2, 2])
    assert list(out.table.index) == list(METHODS) and out.table.index.name == "method"
    assert list(out.table.columns) == [f"{m}@{k}" for k in (1, 2, 6) for m in ("precision", "recall", "mrr")]
    # netcluster: m1 shares p with a and b (tied; a has more partners), then the fill by partners;
    # m2 shares x with h, then the fill. The undated m2-b tie is not a partnership here.
    netcluster = {"m1": ["a", "b", "h", "x", "z", "y"], "m2": ["h", "p", "a", "z", "b", "y"]}
    # Preferential attachment: h 4, p 3, a, x, z 2, b, y 1 (ties by id), skipping partners.
    preferential = {"m1": ["h", "a", "x", "z", "b", "y"], "m2": ["h", "p", "a", "z", "b", "y"]}
    assert out.table.loc["netcluster"].to_dict() == pytest.approx(expect(netcluster, TRUTH, [1, 2, 6]))
    assert out.table.loc["preferential_attachment"].to_dict() == pytest.approx(expect(preferential, TRUTH, [1, 2, 6]))
    # The same numbers written out: m1's hit a at rank 1 (netcluster) or 2 (PA), m2's y at rank 6.
    assert out.table.loc["netcluster", ["precision@1", "recall@1", "mrr@1"]].tolist() == [0.5, 0.5, 0.5]
    assert out.table.loc["netcluster", ["precision@6", "recall@6", "mrr@6"]].tolist() == pytest.approx(
        [1 / 6, 1.0, (1 + 1 / 6) / 2])
    assert out.table.loc["preferential_attachment", ["precision@1", "recall@1", "mrr@1"]].tolist() == [0, 0, 0]
    assert out.table.loc["preferential_attachment", ["precision@2", "recall@2", "mrr@2"]].tolist() == pytest.approx(
        [0.25, 0.5, 0.25])


@pytest.mark.parametrize("seed", [0, 1, 7, 2024])
def test_random_baseline_by_hand(history, seed):
    out = backtest(history, until=2020, home={"country": "NO"}, k=[1, 3, 6], seed=seed)
    ids = list(history.org_ids)
    order = [ids[i] for i in np.random.default_rng(seed).permutation(history.n_orgs)]
    rankings = {m: [f for f in order if f in CANDIDATES[m]] for m in CANDIDATES}
    assert out.table.loc["random"].to_dict() == pytest.approx(expect(rankings, TRUTH, [1, 3, 6]))
    assert out.params["seed"] == seed
    again = backtest(history, until=2020, home={"country": "NO"}, k=[1, 3, 6], seed=seed)
    pd.testing.assert_frame_equal(out.table, again.table)


def test_seed_moves_only_the_random_row(norway):
    one = backtest(norway, until=2016, home={"country": "NO"}, k=[10], seed=1)
    two = backtest(norway, until=2016, home={"country": "NO"}, k=[10], seed=2)
    pd.testing.assert_frame_equal(one.table.loc[["netcluster", "preferential_attachment"]],
                                  two.table.loc[["netcluster", "preferential_attachment"]])
    assert not one.table.loc["random"].equals(two.table.loc["random"])


def test_every_method_ranks_the_same_candidates(history, monkeypatch):
    rankings = []
    original = netcluster.suggestions.PartnerRanker.rank

    def spy(self, *args, **kwargs):
        rankings.append(original(self, *args, **kwargs))
        return rankings[-1]

    monkeypatch.setattr(netcluster.suggestions.PartnerRanker, "rank", spy)
    backtest(history, until=2020, home={"country": "NO"}, k=[20])
    ids = history.org_ids
    assert len(rankings) == 3
    for ranking in rankings:
        for code, member in enumerate(ids[:2]):
            assert {ids[c] for c in ranking.candidate[ranking.member == code]} == CANDIDATES[member]


def test_home_defaults_to_every_organisation(history):
    out = backtest(history, until=2020, k=[1])
    # Every organisation with a tie before 2020 is a member (10: all but n). Both ends of m1-a, m2-y
    # and h-b (2021) are now members with a new international partner: 6 scored, for 6 members;
    # m1-n is excluded (n is no member either: it had no tie before 2020).
    assert out.counts["members"] == 10
    assert out.counts["new_international_ties"] == 6 and out.counts["evaluated"] == 6
    assert out.counts["excluded_new_organisations"] == 1
    assert out.params["home"] is None


def test_filters_restrict_the_targets(history):
    # Only Italian candidates: m2-y is still scored, m1-a (Danish) is not.
    out = backtest(history, until=2020, home={"country": "NO"}, k=[1], countries=["IT"])
    assert out.counts["new_international_ties"] == 1 and out.counts["evaluated"] == 1
    assert out.params["countries"] == ["IT"]


# -- errors ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("until", [2019, 2018, 2022, 3000])
def test_until_outside_the_years(history, until):
    with pytest.raises(InputError) as caught:
        backtest(history, until=until)
    message = str(caught.value)
    assert "ties are dated 2019 to 2021, so choose a year from 2020 to 2021" in message
    assert caught.value.value == until


@pytest.mark.parametrize("until", ["next year", None, [2020], float("nan")])
def test_until_not_a_number(history, until):
    with pytest.raises(InputError, match="the back-test year must be a whole number"):
        backtest(history, until=until)


def test_until_with_a_fraction_is_refused(history):
    # 2020.5 is not a year; truncating it silently to 2020 moves the split without telling.
    with pytest.raises(InputError, match="whole number"):
        backtest(history, until=2020.5)


def test_until_bounds_are_accepted(history):
    assert backtest(history, until=2021, k=[1]).counts["test_tie_records"] == 1  # h-b only
    assert backtest(history, until=np.int64(2020), k=[1]).params["until"] == 2020


def test_no_dated_ties(history):
    undated = CollaborationNetwork(history.orgs, history.ties.assign(year=pd.array([None] * len(history.ties),
                                                                                  dtype="Int32")))
    with pytest.raises(InputError, match="no tie has a year"):
        backtest(undated, until=2020)


@pytest.mark.parametrize("k", [[], [0], [5, -1], [2.5], "10"])
def test_bad_cutoffs(history, k):
    with pytest.raises(InputError, match="k must be whole numbers of at least 1"):
        backtest(history, until=2020, k=k)


# -- the bundled sample -------------------------------------------------------------------------------
def test_sample_table(norway):
    out = backtest(norway, until=2016, home={"country": "NO"})
    assert out.table.shape == (3, 9)
    assert list(out.table.index) == ["netcluster", "preferential_attachment", "random"]
    assert list(out.table.columns) == [f"{m}@{k}" for k in (5, 10, 20) for m in ("precision", "recall", "mrr")]
    values = out.table.to_numpy()
    assert np.isfinite(values).all() and (values >= 0).all() and (values <= 1).all()
    counts = out.counts
    assert 0 < counts["evaluated"] <= counts["members"]
    assert counts["training_tie_records"] + counts["test_tie_records"] + counts["undated_tie_records"] == len(
        norway.ties)
    assert out.to_dict()["methods"]["random"]["precision@5"] == out.table.loc["random", "precision@5"]


def test_cordis_netcluster_beats_both_baselines(shared_data):
    """The acceptance check on real history: Norway's organisations in CORDIS H2020, until 2018."""
    from netcluster import build_network

    network = build_network(partnerships=shared_data / "cordis_h2020_participations.csv.gz",
                            organisations=shared_data / "cordis_h2020_organisations_2017.csv.gz")
    out = backtest(network, until=2018, home={"country": "NO"}, k=[10])
    precision = out.table["precision@10"]
    assert out.counts["evaluated"] == 122 and out.counts["new_international_ties"] == 6224
    assert precision["netcluster"] == pytest.approx(0.1844, abs=1e-4)
    assert precision["netcluster"] > 1.1 * precision["preferential_attachment"]
    assert precision["preferential_attachment"] > 10 * precision["random"]


def test_sample_preferential_attachment_wins_on_one_year_of_history(norway):
    """Documented in docs/gaps.md: with one training year few candidates share partners."""
    table = backtest(norway, until=2016, home={"country": "NO"}, k=[10]).table
    assert table.loc["netcluster", "precision@10"] == pytest.approx(0.0806, abs=1e-4)
    assert table.loc["preferential_attachment", "precision@10"] == pytest.approx(0.125, abs=1e-4)


def test_sample_matches_an_independent_computation(norway):
    """The sample's numbers recomputed with networkx and the module docstrings' definitions."""
    until = 2016
    ties = norway.ties
    graph = nx.Graph()
    graph.add_nodes_from(range(norway.n_orgs))
    before = ties[ties["year"] < until]
    graph.add_edges_from(zip(before["source"].tolist(), before["target"].tolist()))
    country = norway.orgs["country"].to_numpy(dtype=object)
    ids = np.array([str(x) for x in norway.org_ids])
    degree = dict(graph.degree())
    members = {i for i in range(norway.n_orgs) if country[i] == "NO" and degree[i] > 0}
    truth: dict[int, set[int]] = {}
    excluded = set()
    after = ties[ties["year"] >= until]
    for u, v in zip(after["source"].tolist(), after["target"].tolist()):
        for m, f in ((u, v), (v, u)):
            if m not in members or pd.isna(country[f]) or country[f] == "NO" or graph.has_edge(m, f):
                continue
            if degree[f] > 0:
                truth.setdefault(m, set()).add(f)
            else:
                excluded.add((m, f))
    popular = sorted(range(norway.n_orgs), key=lambda i: (-degree[i], ids[i]))
    netcluster_lists, popular_lists = {}, {}
    for m in truth:
        candidates = {f for f in range(norway.n_orgs) if f != m and degree[f] > 0 and pd.notna(country[f])
                      and country[f] != "NO" and not graph.has_edge(m, f)}
        signals: dict[int, tuple[int, float, float]] = {}
        for z in graph[m]:
            for f in graph[z]:
                if f in candidates:
                    cn, aa, ra = signals.get(f, (0, 0.0, 0.0))
                    signals[f] = (cn + 1, aa + 1 / math.log(degree[z]), ra + 1 / degree[z])
        if signals:
            top = [max(s[i] for s in signals.values()) for i in range(3)]
            score = {f: 0.3 * cn / top[0] + 0.5 * aa / top[1] + 0.2 * ra / top[2]
                     for f, (cn, aa, ra) in signals.items()}
        else:
            score = {}
        scored = sorted(score, key=lambda f: (-round(score[f], 9), -degree[f], ids[f]))
        popular_lists[m] = [f for f in popular if f in candidates][:20]
        netcluster_lists[m] = (scored + [f for f in popular if f in candidates and f not in score])[:20]
    out = backtest(norway, until=until, home={"country": "NO"})
    assert out.counts["evaluated"] == len(truth)
    assert out.counts["new_international_ties"] == sum(map(len, truth.values()))
    assert out.counts["excluded_new_organisations"] == len(excluded)
    assert out.table.loc["netcluster"].to_dict() == pytest.approx(expect(netcluster_lists, truth, [5, 10, 20]))
    assert out.table.loc["preferential_attachment"].to_dict() == pytest.approx(
        expect(popular_lists, truth, [5, 10, 20]))
