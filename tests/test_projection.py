"""Projection of events onto pairs: full and fractional counting, cap, years.

The enumeration oracle below is independent of the SQL: it walks every event's
pairs in plain Python.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from netcluster import InputError
from netcluster.projection import project_events


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
