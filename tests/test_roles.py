"""Giuliani & Bell roles: exact thresholds, boundaries, NaN, errors, the planted sample structure."""

from __future__ import annotations

import statistics

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netcluster.errors import InputError
from netcluster.home import home_set
from netcluster.metrics import scope_degrees
from netcluster.metrics.roles import GB_ROLES, gb_roles
from netcluster.sample_graphs import load_sample

PROPERTY = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
TG, ES, MLS, ISO = GB_ROLES


def series(values, ids=None) -> pd.Series:
    return pd.Series(values, index=ids if ids is not None else [f"o{i}" for i in range(len(values))])


def test_four_quadrants_with_mean_thresholds():
    c = series([10, 2, 8, 0])  # mean 5
    o = series([0.5, 0.7, 0.0, 0.2])  # mean 0.35
    table = gb_roles(c, o)
    assert table["gb_role"].tolist() == [TG, ES, MLS, ISO]
    assert list(table.columns) == [
        "gb_role", "gb_local_centrality", "gb_openness", "gb_local_threshold", "gb_openness_threshold"]
    assert table["gb_local_threshold"].tolist() == [5.0] * 4
    assert table["gb_openness_threshold"].tolist() == [0.35] * 4
    assert table["gb_local_centrality"].tolist() == [10.0, 2.0, 8.0, 0.0]
    assert table["gb_openness"].tolist() == [0.5, 0.7, 0.0, 0.2]
    assert isinstance(table["gb_role"].dtype, pd.CategoricalDtype)
    assert list(table["gb_role"].cat.categories) == list(GB_ROLES)
    assert list(table.index) == list(c.index)


def test_value_at_the_threshold_is_high():
    c = series([1.0, 2.0, 3.0])  # mean 2
    o = series([0.2, 0.1, 0.3])  # mean 0.2 exactly (computed exactly, rounded once)
    table = gb_roles(c, o)
    assert table["gb_local_threshold"].iloc[0] == 2.0
    assert table["gb_openness_threshold"].iloc[0] == 0.2
    assert table["gb_role"].tolist() == [ES, MLS, TG]
    # just below each threshold is low
    below = gb_roles(series([np.nextafter(2.0, 0), 2.0]), series([0.5, np.nextafter(0.5, 0)]),
                     local_threshold=2.0, openness_threshold=0.5)
    assert below["gb_role"].tolist() == [ES, MLS]


def test_equal_values_are_all_high():
    # np.mean([0.1] * 3) is 0.10000000000000002: the exact mean keeps 0.1 at the threshold
    table = gb_roles(series([3, 3, 3]), series([0.1, 0.1, 0.1]))
    assert table["gb_openness_threshold"].iloc[0] == 0.1
    assert table["gb_role"].tolist() == [TG] * 3
    zero = gb_roles(series([1, 2]), series([0.0, 0.0]))  # nobody open: everybody is at the mean 0
    assert zero["gb_role"].tolist() == [ES, TG]


def test_given_thresholds_and_median():
    c = series([0, 1, 2, 3, 100])
    o = series([0.0, 0.0, 0.0, 0.5, 1.0])
    assert gb_roles(c, o)["gb_local_threshold"].iloc[0] == 21.2
    median = gb_roles(c, o, local_threshold="median", openness_threshold="median")
    assert median["gb_local_threshold"].iloc[0] == 2.0
    assert median["gb_openness_threshold"].iloc[0] == 0.0  # the zero-inflation trap: everyone "open"
    assert median["gb_role"].tolist() == [ES, ES, TG, TG, TG]
    given_ = gb_roles(c, o, local_threshold=3, openness_threshold=0.5)
    assert given_["gb_role"].tolist() == [ISO, ISO, ISO, TG, TG]
    assert given_["gb_local_threshold"].tolist() == [3.0] * 5
    assert gb_roles(c, o, local_threshold="mean")["gb_role"].tolist() == gb_roles(c, o)["gb_role"].tolist()


def test_nan_inputs_give_nan_roles_and_do_not_move_the_threshold():
    c = series([10.0, 0.0, np.nan, 4.0, 6.0])
    o = series([1.0, 0.0, 0.9, np.nan, 0.0])
    table = gb_roles(c, o)
    # thresholds over o0, o1, o4 only: (10 + 0 + 6) / 3 and 1/3
    assert table["gb_local_threshold"].iloc[0] == pytest.approx(16 / 3)
    assert table["gb_openness_threshold"].iloc[0] == pytest.approx(1 / 3)
    assert table["gb_role"].tolist()[:2] == [TG, ISO]
    assert table["gb_role"].tolist()[4] == MLS
    assert table["gb_role"].isna().tolist() == [False, False, True, True, False]
    assert np.isnan(table.loc["o2", "gb_local_centrality"]) and table.loc["o2", "gb_openness"] == 0.9


def test_pandas_missing_values_and_integer_dtypes():
    c = pd.Series([3, None, 1], index=list("abc"), dtype="Int64")
    o = pd.Series([0.5, 0.5, pd.NA], index=list("abc"), dtype="Float64")
    table = gb_roles(c, o)
    assert table["gb_role"].isna().tolist() == [False, True, True]
    assert table["gb_local_threshold"].iloc[0] == 3.0 and table["gb_role"].iloc[0] == TG


def test_all_missing_and_empty():
    table = gb_roles(series([np.nan, 1.0]), series([0.5, np.nan]))
    assert table["gb_role"].isna().all()
    assert np.isnan(table["gb_local_threshold"]).all() and np.isnan(table["gb_openness_threshold"]).all()
    fixed = gb_roles(series([np.nan, 1.0]), series([0.5, np.nan]), local_threshold=1, openness_threshold=0)
    assert fixed["gb_local_threshold"].tolist() == [1.0, 1.0] and fixed["gb_role"].isna().all()
    empty = gb_roles(pd.Series([], dtype=float), pd.Series([], dtype=float))
    assert empty.empty and list(empty.columns)[0] == "gb_role"


def test_alignment_follows_local_centrality():
    c = series([10, 0], ids=["a", "b"])
    o = series([0.0, 1.0], ids=["b", "a"])  # a: 1.0, b: 0.0
    table = gb_roles(c, o)
    assert list(table.index) == ["a", "b"]
    assert table["gb_openness"].tolist() == [1.0, 0.0]
    assert table["gb_role"].tolist() == [TG, ISO]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"local_threshold": "max"}, "local_threshold must be a finite number"),
        ({"openness_threshold": float("nan")}, "openness_threshold must be a finite number"),
        ({"openness_threshold": float("inf")}, "openness_threshold must be a finite number"),
        ({"local_threshold": True}, "local_threshold must be a finite number"),
    ],
)
def test_bad_thresholds(kwargs, message):
    with pytest.raises(InputError, match=message):
        gb_roles(series([1, 2]), series([0.1, 0.2]), **kwargs)


def test_bad_inputs():
    with pytest.raises(InputError, match="same organisations"):
        gb_roles(series([1, 2], ids=["a", "b"]), series([0.1, 0.2], ids=["a", "c"]))
    with pytest.raises(InputError, match="twice"):
        gb_roles(series([1, 2], ids=["a", "a"]), series([0.1, 0.2], ids=["a", "b"]))
    with pytest.raises(InputError, match="must be numbers"):
        gb_roles(series(["x", "y"]), series([0.1, 0.2]))
    with pytest.raises(InputError, match="must be numbers"):
        gb_roles(series([True, False]), series([0.1, 0.2]))
    with pytest.raises(InputError, match="finite"):
        gb_roles(series([1.0, np.inf]), series([0.1, 0.2]))
    with pytest.raises(InputError, match="pandas Series"):
        gb_roles([1, 2], series([0.1, 0.2]))


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
maybe = st.one_of(finite, st.just(float("nan")), st.sampled_from([0.0, 0.1, 0.2, 1.0]))


@PROPERTY
@given(
    st.lists(st.tuples(maybe, maybe), min_size=1, max_size=30),
    st.one_of(st.none(), finite, st.sampled_from(["mean", "median"])),
    st.one_of(st.none(), finite, st.sampled_from(["mean", "median"])),
)
def test_roles_follow_the_thresholds_exactly(rows, local_threshold, openness_threshold):
    c = series([r[0] for r in rows])
    o = series([r[1] for r in rows])
    table = gb_roles(c, o, local_threshold=local_threshold, openness_threshold=openness_threshold)
    known = c.notna() & o.notna()
    for given_, column, values in ((local_threshold, "gb_local_threshold", c),
                                   (openness_threshold, "gb_openness_threshold", o)):
        thresholds = table[column].to_numpy()
        assert np.all(thresholds == thresholds[0]) or np.isnan(thresholds).all()
        if isinstance(given_, float):
            assert thresholds[0] == given_
        elif known.any():
            expected = (statistics.mean(values[known].tolist()) if given_ in (None, "mean")
                        else float(np.median(values[known])))
            assert thresholds[0] == expected
    theta_c = table["gb_local_threshold"].to_numpy()
    theta_o = table["gb_openness_threshold"].to_numpy()
    for i, role in enumerate(table["gb_role"].tolist()):
        if not known.iloc[i]:
            assert pd.isna(role)
            continue
        high_c, high_o = c.iloc[i] >= theta_c[i], o.iloc[i] >= theta_o[i]
        assert role == {(True, True): TG, (False, True): ES, (True, False): MLS, (False, False): ISO}[
            (bool(high_c), bool(high_o))]


@PROPERTY
@given(st.lists(st.sampled_from([0.0, 0.1, 0.2, 0.3, 1 / 3, 0.7]), min_size=1, max_size=12))
def test_a_value_equal_to_the_exact_mean_is_high(values):
    # when the exact mean of the values is one of them, that value is high
    table = gb_roles(series(values), series(values))
    exact = statistics.mean(values)
    for value, role in zip(values, table["gb_role"]):
        if value == exact:
            assert role == TG


def test_planted_gatekeepers_and_external_stars_of_the_sample():
    """The sample README plants 5 gatekeepers and 2 external stars among the 118 members."""
    net = load_sample("ocean_cluster")
    layers = ["partnership", "copatent"]
    home = home_set(net, {"group": "NorOcean Technology Cluster"})
    adjacency = (net.to_csr(layers) > 0).astype(np.int64)
    partners_in_cluster = pd.Series(np.asarray(adjacency[:, home].sum(axis=1)).ravel(), index=net.org_ids)
    openness = scope_degrees(net, layers=layers)["openness"]
    table = gb_roles(partners_in_cluster[home], openness[home])
    assert len(table) == 118
    # README: partners in cluster of NO-003 and NO-016
    assert partners_in_cluster["NO-003"] == 37 and partners_in_cluster["NO-016"] == 7
    gatekeepers = set(table.index[table["gb_role"] == TG])
    stars = set(table.index[table["gb_role"] == ES])
    assert {"NO-003", "NO-033", "NO-143", "NO-144", "NO-174"} <= gatekeepers
    assert {"NO-016", "NO-166"} <= stars
    # thresholds over the members whose openness is known (isolates have none)
    considered = openness[home].notna()
    assert int(considered.sum()) == 113 and int(table["gb_role"].isna().sum()) == 5
    assert table["gb_local_threshold"].iloc[0] == pytest.approx(partners_in_cluster[home][considered].mean())
