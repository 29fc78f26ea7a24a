"""Projection of events onto pairs: full and fractional counting, cap, years.

The enumeration oracle below walks every event's pairs in plain Python; the
property test compares the numpy projection with the SQL one
(``project_events.sql`` on DuckDB), which ``netcluster aggregate`` runs.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netcluster import InputError, build_network
from netcluster.projection import COUNTING, OVERSIZED, _distinct_rows, project_events
from netcluster.sql import DuckDBEngine, project_events_sql


def _events(rows):
    return pd.DataFrame(rows, columns=["event", "org", "layer", "year"]).astype({"year": "Int32"})


def test_full_counting_by_hand():
    events = _events([("P", 0, "copatent", 2020), ("P", 1, "copatent", 2020), ("P", 2, "copatent", 2020),
                      ("Q", 0, "copatent", 2020), ("Q", 1, "copatent", 2020)])
    ties, oversized = project_events(events)
    got = [tuple(r) for r in ties[["source", "target", "weight", "records"]].itertuples(index=False)]
    assert got == [(0, 1, 2.0, 2), (0, 2, 1.0, 1), (1, 2, 1.0, 1)]
    assert oversized.empty and set(ties["layer"]) == {"copatent"}


def test_fractional_counting_gives_each_org_strength_one_per_event():
    events = _events([(e, o, "partnership", 2019) for e, members in (("A", [0, 1, 2, 3]), ("B", [1, 2]))
                      for o in members])
    ties, _ = project_events(events, counting="fractional")
    weights = {(s, t): w for s, t, w in ties[["source", "target", "weight"]].itertuples(index=False)}
    assert weights[(0, 1)] == pytest.approx(1 / 3)
    assert weights[(1, 2)] == pytest.approx(1 / 3 + 1)
    strength = np.bincount(np.r_[ties["source"], ties["target"]], weights=np.r_[ties["weight"], ties["weight"]])
    assert strength.tolist() == pytest.approx([1.0, 2.0, 2.0, 1.0])


def test_pair_year_is_the_later_organisations_year_and_repeats_count_once():
    events = _events([("A", 0, "copatent", 2019), ("A", 1, "copatent", 2019), ("A", 1, "copatent", 2019),
                      ("club", 0, "membership", 2015), ("club", 1, "membership", 2023),
                      ("club", 2, "membership", 2018)])
    ties, _ = project_events(events)
    got = [(str(l), s, t, int(y)) for l, s, t, y in ties[["layer", "source", "target", "year"]].itertuples(index=False)]
    assert sorted(got) == [("copatent", 0, 1, 2019), ("membership", 0, 1, 2023),
                           ("membership", 0, 2, 2018), ("membership", 1, 2, 2023)]
    assert ties.loc[ties["layer"] == "copatent", "records"].tolist() == [1]


def test_cap_skips_or_downweights_large_events_and_lists_them():
    events = _events([("big", o, "membership", 2020) for o in range(5)] + [("small", 0, "membership", 2020),
                                                                          ("small", 1, "membership", 2020)])
    ties, oversized = project_events(events, max_event_size=4)
    assert len(ties) == 1
    assert oversized.to_dict("records") == [{"layer": "membership", "event": "big", "size": 5}]
    ties, oversized = project_events(events, max_event_size=None)
    assert len(ties) == 10 and oversized.empty
    ties, _ = project_events(events, max_event_size=4, oversized="downweight")
    assert sorted(ties["weight"].tolist()) == pytest.approx([0.25] * 9 + [1.25])


def test_projection_equals_pair_enumeration_on_random_events():
    rng = np.random.default_rng(7)
    rows = []
    for event in range(200):
        size = int(rng.integers(1, 8))
        for org in rng.choice(60, size=size, replace=False):
            rows.append((f"e{event}", int(org), "partnership", int(rng.integers(2015, 2018))))
    events = _events(rows)
    ties, _ = project_events(events, counting="fractional")
    expected: dict[tuple[int, int, int], float] = {}
    for _, group in events.groupby("event"):
        years = dict(zip(group["org"], group["year"]))
        members = sorted(years)
        for a, b in itertools.combinations(members, 2):
            key = (a, b, max(int(years[a]), int(years[b])))
            expected[key] = expected.get(key, 0.0) + 1.0 / (len(members) - 1)
    got = {(s, t, int(y)): w for s, t, y, w in ties[["source", "target", "year", "weight"]].itertuples(index=False)}
    assert got.keys() == expected.keys()
    for key, weight in expected.items():
        assert got[key] == pytest.approx(weight)


def test_bad_options():
    events = _events([("A", 0, "copatent", 2019)])
    with pytest.raises(InputError, match="counting"):
        project_events(events, counting="half")
    with pytest.raises(InputError):
        project_events(events, max_event_size=1)
    with pytest.raises(InputError):
        project_events(events, oversized="drop")


# -- the numpy projection against the SQL one (project_events.sql on DuckDB) -------------------------
_LAYERS = ("partnership", "copatent", "membership")


@st.composite
def _event_tables(draw):
    """Event rows over 3 layers, 12 events, 10 organisations and 4 years (some missing), repeats included."""
    row = st.tuples(st.integers(0, 11), st.integers(0, 9), st.sampled_from(_LAYERS),
                    st.one_of(st.none(), st.integers(2015, 2018)))
    rows = draw(st.lists(row, min_size=2, max_size=80))
    rows += draw(st.lists(st.sampled_from(rows), max_size=10))  # repeated rows, maybe with another year
    rows += [(99, 0, "copatent", 2016), (99, 1, "copatent", None)]  # an event of 2: always one pair
    frame = pd.DataFrame(rows, columns=["event", "org", "layer", "year"])
    return frame.assign(event="e" + frame["event"].astype(str), year=frame["year"].astype("Int32"))


@pytest.fixture(scope="module")
def duckdb_engine():
    with DuckDBEngine() as engine:
        yield engine


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_event_tables(), st.sampled_from(COUNTING), st.sampled_from([None, 2, 3, 5]), st.sampled_from(OVERSIZED),
       st.randoms(use_true_random=False))
def test_projection_equals_the_sql_projection(duckdb_engine, events, counting, cap, policy, random):
    options = {"counting": counting, "max_event_size": cap, "oversized": policy}
    ties, oversized = project_events(events, **options)
    sql_ties, sql_oversized = project_events_sql(events, engine=duckdb_engine, **options)
    assert len(ties) > 0
    # the same rows in the same order: pair, layer, year, events behind each
    keys = ["source", "target", "layer", "year", "records"]
    pd.testing.assert_frame_equal(ties[keys].astype({"layer": str}), sql_ties[keys].astype({"layer": str}))
    assert set(ties["layer"].cat.categories) == set(sql_ties["layer"].cat.categories)
    assert ties.dtypes.to_dict() == sql_ties.dtypes.to_dict()
    weight, exact = ties["weight"].to_numpy(), sql_ties["weight"].to_numpy()
    if counting == "full" and (policy == "skip" or oversized.empty):
        assert (weight == exact).all()
    np.testing.assert_allclose(weight, exact, rtol=1e-12, atol=0)
    pd.testing.assert_frame_equal(oversized, sql_oversized)
    # the row order of the input does not change a bit of the output (only the layers' categories,
    # which follow the input's order of first appearance)
    shuffled = events.iloc[random.sample(range(len(events)), len(events))].reset_index(drop=True)
    again, again_oversized = project_events(shuffled, **options)
    pd.testing.assert_frame_equal(again.astype({"layer": str}), ties.astype({"layer": str}), check_exact=True)
    pd.testing.assert_frame_equal(again_oversized, oversized)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 4)), min_size=1, max_size=40))
def test_distinct_rows_packed_and_unpacked_agree(rows):
    columns = [np.array(c, dtype=np.int64) for c in zip(*rows)]
    packed, packed_count = _distinct_rows(columns, [4, 3, 5])
    unpacked, unpacked_count = _distinct_rows(columns, [2**40, 2**40, 2**40])  # too wide to pack into int64
    expected = sorted(set(rows))
    for got, count in ((packed, packed_count), (unpacked, unpacked_count)):
        assert list(zip(*(c.tolist() for c in got))) == expected
        assert count.tolist() == [rows.count(r) for r in expected]


def test_build_network_reports_single_and_oversized_events():
    events = pd.DataFrame({"project": ["P", "P", "P", "Q", "R", "R"], "org": ["a", "b", "c", "a", "b", "c"],
                           "year": 2020})
    network = build_network(partnerships=events, max_event_size=2)
    assert [(s, t) for s, t in network.ties[["source", "target"]].itertuples(index=False)] == [(1, 2)]
    assert network.load_report["oversized_events"] == [
        {"layer": "partnership", "event": "P", "size": 3, "handled": "not projected"}]
    assert "1 events have a single organisation and give no tie" in network.load_report["notes"]
