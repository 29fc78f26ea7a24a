"""Giuliani & Bell's cognitive roles: local centrality against openness.

Each organisation is placed by two measures, its centrality in the local
(cluster) network and its openness to knowledge from outside, each called
*high* when it is at or above a threshold (``value >= threshold``) and *low*
below it:

==============================  ==================  ============
``gb_role``                     local centrality    openness
==============================  ==================  ============
``technological gatekeeper``    high                high
``external star``               low                 high
``mutually linked star``        high                low
``isolated``                    low                 low
==============================  ==================  ============

The role is missing (NaN) where either measure is missing.

Default thresholds: the **mean** of each measure over the organisations
considered, i.e. the rows given in which both measures are known, computed
exactly and rounded once (so that when every value is equal the threshold is
that value, and that value counts as high). Why the mean and not the median:
collaboration measures are zero-inflated. Among the members of the bundled
``ocean_cluster`` sample 89 % have openness 0, so their median openness is 0
and, with ``>=``, every member, even one without a single foreign partner,
would count as open. The mean puts a zero value below the threshold unless
every value is zero. Splitting the cluster's firms at the cluster's average
is also how Giuliani & Bell's classification is usually reproduced.
``"median"`` or a number can be asked for instead.

Which organisations to consider, and which measures to use, is the caller's
choice: pass the members of the home set only to rank them against each
other, as Giuliani & Bell did. Local centrality is typically the number of
partners inside the cluster or locality (``local_degree`` of
:func:`~netcluster.metrics.scope_degrees`), openness the international share
of partners (``openness``). Giuliani & Bell measured knowledge flows
(directed) and openness as links to sources outside the cluster; collaboration
ties are undirected, so the centrality here is whatever undirected measure is
passed in.

Giuliani & Bell's own label for high-local, low-openness firms is, as we
recall it, "active mutual exchangers"; netcluster's design names them
*mutually linked stars*.

References
----------
Giuliani, E. & Bell, M. (2005). The micro-determinants of meso-level learning
and innovation: evidence from a Chilean wine cluster. *Research Policy* 34(1),
47-68.
"""

from __future__ import annotations

import numbers
import statistics

import numpy as np
import pandas as pd

from ..errors import InputError

__all__ = ["GB_ROLES", "gb_roles"]

#: The four roles, in the order of the categorical's categories.
GB_ROLES = ("technological gatekeeper", "external star", "mutually linked star", "isolated")

_STATISTICS = ("mean", "median")


def gb_roles(
    local_centrality: pd.Series,
    openness: pd.Series,
    *,
    local_threshold: float | str | None = None,
    openness_threshold: float | str | None = None,
) -> pd.DataFrame:
    """Giuliani & Bell cognitive role of each organisation.

    With thresholds θ_c and θ_o, organisation i is high on local centrality
    when c_i >= θ_c and open when o_i >= θ_o:

    - technological gatekeeper: c_i >= θ_c and o_i >= θ_o;
    - external star: c_i < θ_c and o_i >= θ_o;
    - mutually linked star: c_i >= θ_c and o_i < θ_o;
    - isolated: c_i < θ_c and o_i < θ_o.

    Parameters
    ----------
    local_centrality, openness : pandas.Series
        Numeric, indexed by ``org_id``; the same organisations in each
        (order may differ: the result follows ``local_centrality``). NaN
        where a measure is unknown.
    local_threshold, openness_threshold : float, "mean" or "median", optional
        The cut-off of each measure. Default (``None``) and ``"mean"``: the
        mean over the organisations whose two measures are both known;
        ``"median"``: their median. A number is used as given.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``local_centrality``: ``gb_role`` (categorical with the
        categories of :data:`GB_ROLES`, NaN where a measure is NaN),
        ``gb_local_centrality`` and ``gb_openness`` (the values used, as
        float), ``gb_local_threshold`` and ``gb_openness_threshold`` (the
        thresholds, the same in every row; NaN when no organisation has both
        measures and the threshold is a statistic).

    Raises
    ------
    InputError
        When the two Series cover different organisations, an index holds
        an id twice, a measure is not numeric, or a threshold is neither a
        finite number nor ``"mean"`` / ``"median"``.

    Examples
    --------
    >>> c = pd.Series([10, 2, 8, 1], index=["a", "b", "c", "d"])
    >>> o = pd.Series([0.5, 0.6, 0.0, 0.1], index=["a", "b", "c", "d"])
    >>> table = gb_roles(c, o)  # thresholds: mean 5.25 and 0.3
    >>> table["gb_role"].tolist()
    ['technological gatekeeper', 'external star', 'mutually linked star', 'isolated']
    >>> float(table["gb_local_threshold"].iloc[0]), float(table["gb_openness_threshold"].iloc[0])
    (5.25, 0.3)
    >>> gb_roles(c, o, local_threshold=8, openness_threshold=0.5)["gb_role"].tolist()
    ['technological gatekeeper', 'external star', 'mutually linked star', 'isolated']
    """
    centrality = _numeric(local_centrality, "local centrality")
    open_share = _numeric(openness, "openness")
    if not centrality.index.equals(open_share.index):
        if set(centrality.index) != set(open_share.index):
            missing = centrality.index.symmetric_difference(open_share.index)
            raise InputError(
                "local centrality and openness must cover the same organisations", value=missing[0]
            )
        open_share = open_share.reindex(centrality.index)
    c = centrality.to_numpy()
    o = open_share.to_numpy()
    both = ~np.isnan(c) & ~np.isnan(o)
    theta_c = _threshold(local_threshold, c[both], "local_threshold")
    theta_o = _threshold(openness_threshold, o[both], "openness_threshold")

    high_c = c >= theta_c
    high_o = o >= theta_o
    codes = np.select(
        [high_c & high_o, ~high_c & high_o, high_c & ~high_o],
        [0, 1, 2],
        default=3,
    )
    codes = np.where(both, codes, -1)
    n = len(c)
    return pd.DataFrame(
        {
            "gb_role": pd.Categorical.from_codes(codes, categories=pd.Index(GB_ROLES)),
            "gb_local_centrality": c,
            "gb_openness": o,
            "gb_local_threshold": np.full(n, theta_c),
            "gb_openness_threshold": np.full(n, theta_o),
        },
        index=centrality.index,
    )


def _numeric(values: pd.Series, what: str) -> pd.Series:
    if not isinstance(values, pd.Series):
        raise InputError(f"the {what} must be a pandas Series indexed by org_id", value=type(values).__name__)
    if not values.index.is_unique:
        raise InputError(f"the {what} gives an organisation twice", value=values.index[values.index.duplicated()][0])
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype) or not (
        pd.api.types.is_numeric_dtype(dtype) or values.isna().all()
    ):
        raise InputError(f"the {what} must be numbers", value=str(dtype))
    numbers_ = values.astype("Float64").astype(np.float64)  # pd.NA -> NaN
    if np.isinf(numbers_.to_numpy()).any():
        raise InputError(f"the {what} must be finite", value=numbers_[np.isinf(numbers_)].index[0])
    return numbers_


def _threshold(given: float | str | None, values: np.ndarray, name: str) -> float:
    if given is None or (isinstance(given, str) and given in _STATISTICS):
        statistic = "mean" if given is None else given
        if values.size == 0:
            return float("nan")
        if statistic == "mean":
            return float(statistics.mean(values.tolist()))  # exact sum, one rounding
        return float(np.median(values))
    if isinstance(given, bool) or not isinstance(given, numbers.Real) or not np.isfinite(given):
        raise InputError(f"{name} must be a finite number, 'mean' or 'median'", column=name, value=given)
    return float(given)
