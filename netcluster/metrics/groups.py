"""Group-level measures: cohesion, openness, external reach and gatekeeper dependency.

A *group* is a set of organisations: a country, a locality (region, city,
NUTS level, any organisation column), the home set (cluster members), or any
labelling given as a mapping such as communities. All measures use the
flattened graph of the chosen layers; reach is computed on its unweighted
version (layer weights only matter through the layers they select).

Distance-weighted external reach
    For a group G, with d(m, f) the number of steps on a shortest path
    between m and f and h the number of hops,

        R(G) = Σ_{m ∈ G} Σ_{f foreign to m, d(m, f) ≤ h} 1 / d(m, f),

    where f is *foreign to m* when both countries are known and differ. The
    organisations of a ``removed`` set are deleted from the graph first: they
    are neither intermediaries nor counted as foreign organisations, and
    removed members contribute nothing. Members of unknown country reach no
    foreign organisation (they contribute 0). "Foreign" means another
    *country* for every kind of group, so the reach of a region counts
    international partners, not partners in other regions of its country.
    After the distance-weighted external reach of cities in Breschi & Lenzi
    (2017), with countries in place of cities.

Gatekeeper dependency
    The share of a group's external reach lost when its top brokers are
    removed:

        D(G) = (R(G) - R_{-B}(G)) / R(G),

    where B is the ``ceil(top_share × |G|)`` members of G with the highest
    broker score (at least one member when ``top_share > 0``; ties broken by
    ``org_id``, in sort order, so that the result does not depend on the
    order in which organisations were read; a member without a score ranks below
    every scored member) and R_{-B} is the reach with B removed. D is in
    [0, 1]; NaN when R(G) = 0. Breschi & Lenzi rank their top 10 % of
    gatekeepers by each one's own removal impact; here the ranking is by any
    given score (bridge centrality, international degree, Gould-Fernandez
    gatekeeper counts), so the measure answers "how much of the group's reach
    abroad hangs on its top brokers by this score".

Computation
    Reach is a multi-source breadth-first search written as sparse boolean
    matrix products: with Â = A + I the closed adjacency matrix and X the
    members' rows of Â (the balls of radius 1), the balls of radius k are
    X Â^(k-1), and the foreign organisations first reached at step k add
    1/k. Members are processed in chunks, grouped by country, so that memory
    stays bounded, and for large chunks the last step keeps only the foreign
    columns of Â.
    Within 2 steps, when the members carry more than half of the work, the
    reach of every organisation is found at once and kept with the network
    for the next group table: a pair of organisations of different countries
    within 2 steps counts for both, so each such pair is found only once,
    from the country that comes first (half the products, and no domestic
    organisation is ever put in a ball). The cost grows with the squared
    degrees of the hubs (at 100,000 synthetic organisations, 1 % of them
    carry 90 % of Σ degree²), which is why finding each pair once matters.
    For dependency, only members within h - 1 steps of a removed broker (h
    steps when a broker could itself be a foreign organisation for some
    member) can lose reach, so only they are searched again: those of every
    group of a table in one pass, each without its own group's brokers.

References
----------
Breschi, S. & Lenzi, C. (2017). Chapter 14 in J. Glückler, E. Lazega &
I. Hammer (eds.), *Knowledge and Networks*, Knowledge and Space 11. Cham:
Springer, doi:10.1007/978-3-319-45023-0_14 (distance-weighted external reach
of cities in co-invention networks; share of it mediated by gatekeepers; the
reach lost when the top 10 % of gatekeepers are removed).

Breschi, S. & Lenzi, C. (2015). The role of external linkages and
gatekeepers for the renewal and expansion of US cities' knowledge base,
1990-2004. *Regional Studies* 49(5), 782-797.

Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational
crises: an experimental simulation. *Social Psychology Quarterly* 51(2),
123-140 (the E-I index).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..errors import InputError
from ..geography import country_codes
from ..home import organisation_mask
from ..network import CollaborationNetwork
from .ei import _groups, group_ei

__all__ = [
    "external_reach",
    "external_reach_by_member",
    "gatekeeper_dependency",
    "group_table",
    "GROUP_COLUMNS",
]

#: Columns of :func:`group_table`, in order.
GROUP_COLUMNS = (
    "organisations",
    "internal_ties",
    "density",
    "mean_local_clustering",
    "external_ties",
    "international_ties",
    "ei_index",
    "share_international",
    "intl_hhi",
    "intl_gini",
    "external_reach",
    "gatekeeper_dependency",
    "top_brokers",
)

# Budget per chunk of members, in the estimate Σ_m Σ_{v ∈ N[m]} |N[v]| (an
# upper bound on the chunk's entries within 2 steps; about 3 times the actual
# count on CORDIS). Chunks of 5e6 ran fastest there (1e6-6e7 tried: smaller
# chunks stay in cache) and keep each product to a few tens of MB.
_CHUNK_ENTRIES = 5_000_000


# -- public functions ---------------------------------------------------------------
def external_reach(
    network: CollaborationNetwork,
    members: Any,
    *,
    hops: int = 2,
    removed: Any = None,
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
) -> float:
    """Distance-weighted external reach of a group: Σ over members of Σ 1/d to foreign organisations.

    R(G) = Σ_{m ∈ G \\ X} Σ_{f} 1 / d_X(m, f) over the organisations f whose
    country is known and differs from m's and with d_X(m, f) ≤ ``hops``,
    where X is the ``removed`` set and d_X the number of steps on a shortest
    path in the unweighted flattened graph with X deleted (X are neither
    intermediaries nor counted). Members of unknown country contribute 0.

    Parameters
    ----------
    network : CollaborationNetwork
    members : array-like
        The group: a numpy boolean mask of length ``n_orgs`` (by code), a
        boolean Series indexed by ``org_id``, a numpy integer array of codes,
        or an iterable of ``org_id`` values.
    hops : int
        Largest distance counted, h ≥ 1 (default 2: partners and partners of
        partners).
    removed : array-like, optional
        Organisations deleted from the graph first (same forms as
        ``members``).
    layers, layer_weights : optional
        Which layers to flatten.

    Returns
    -------
    float

    See Also
    --------
    external_reach_by_member : the same per member.

    Examples
    --------
    Norwegian a, b, c; b works with Danish d and Swedish e:

    >>> orgs = pd.DataFrame({"country": ["NO", "NO", "NO", "DK", "SE"]},
    ...                     index=pd.Index(list("abcde"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 0, 1, 1], "target": [1, 2, 3, 4],
    ...                      "layer": "partnership", "weight": 1.0, "year": 2020})
    >>> net = CollaborationNetwork(orgs, ties)
    >>> norway = (net.orgs["country"] == "NO").to_numpy()
    >>> external_reach(net, norway)  # b: 1 + 1; a: 1/2 + 1/2 (via b); c: d, e are 3 steps away
    3.0
    >>> round(external_reach(net, norway, hops=3), 4)  # c: 1/3 + 1/3
    3.6667
    >>> external_reach(net, norway, removed=["b"])
    0.0
    """
    return float(
        external_reach_by_member(
            network, members, hops=hops, removed=removed, layers=layers, layer_weights=layer_weights
        ).sum()
    )


def external_reach_by_member(
    network: CollaborationNetwork,
    members: Any,
    *,
    hops: int = 2,
    removed: Any = None,
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
) -> pd.Series:
    """Each member's distance-weighted external reach Σ_f 1/d(m, f) (see :func:`external_reach`).

    Returns
    -------
    pandas.Series
        Named ``external_reach``, indexed by the members' ``org_id`` in code
        order; 0 for removed members and members of unknown country.

    Examples
    --------
    >>> orgs = pd.DataFrame({"country": ["NO", "NO", "NO", "DK", "SE"]},
    ...                     index=pd.Index(list("abcde"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 0, 1, 1], "target": [1, 2, 3, 4],
    ...                      "layer": "partnership", "weight": 1.0, "year": 2020})
    >>> net = CollaborationNetwork(orgs, ties)
    >>> external_reach_by_member(net, ["a", "b", "c"]).to_dict()
    {'a': 1.0, 'b': 2.0, 'c': 0.0}
    """
    hops = _check_hops(hops)
    member_mask = organisation_mask(network, members, "members")
    removed_mask = None if removed is None else organisation_mask(network, removed, "removed")
    graph = _ReachGraph.of(network, layers, layer_weights)
    rows = np.flatnonzero(member_mask & (graph.country >= 0))
    if removed_mask is not None:
        rows = rows[~removed_mask[rows]]
    values = np.zeros(network.n_orgs)
    if removed_mask is not None and not removed_mask.any():
        removed_mask = None
    values[rows] = graph.reach(rows, hops, removed_mask)
    codes = np.flatnonzero(member_mask)
    return pd.Series(values[codes], index=network.org_ids[codes], name="external_reach")


def gatekeeper_dependency(
    network: CollaborationNetwork,
    members: Any,
    *,
    brokers: pd.Series,
    top_share: float = 0.10,
    hops: int = 2,
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """Share of a group's external reach lost when its top brokers are removed.

    D(G) = (R(G) - R_{-B}(G)) / R(G), with R the distance-weighted external
    reach of :func:`external_reach` and B the top brokers: the
    k = ceil(top_share × |G|) members with the highest ``brokers`` score
    (k ≥ 1 when ``top_share > 0`` and the group has members; k = 0 when
    ``top_share = 0``). Ties in the score are broken by ``org_id`` (in sort
    order); members without a score (missing from ``brokers`` or
    NaN) rank below all scored members. Removing B deletes them from the
    graph: they stop contributing their own reach and stop relaying the
    other members' paths. D lies in [0, 1]; NaN when R(G) = 0.

    Follows the "top 10 % of gatekeepers removed" exercise of Breschi &
    Lenzi (2017, *Knowledge and Networks*, ch. 14), who rank gatekeepers by
    each one's own removal impact and count only gatekeeper-mediated reach;
    here brokers are ranked by the given score and the whole reach is used.

    Parameters
    ----------
    network : CollaborationNetwork
    members : array-like
        The group (forms as in :func:`external_reach`).
    brokers : pandas.Series
        A score per ``org_id`` (for instance bridge centrality or
        international degree); ids not in the network are refused.
    top_share : float
        Share of members removed, in [0, 1] (default 0.10).
    hops : int
        Largest distance counted (default 2).
    layers, layer_weights : optional
        Which layers to flatten.

    Returns
    -------
    dict
        ``dependency`` (float), ``reach_before``, ``reach_after``,
        ``removed`` (list of the removed ``org_id``, highest score first),
        ``members`` (group size), ``hops`` and ``top_share``.

    Examples
    --------
    b holds every foreign tie of the Norwegian group:

    >>> orgs = pd.DataFrame({"country": ["NO", "NO", "NO", "DK", "SE"]},
    ...                     index=pd.Index(list("abcde"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 0, 1, 1], "target": [1, 2, 3, 4],
    ...                      "layer": "partnership", "weight": 1.0, "year": 2020})
    >>> net = CollaborationNetwork(orgs, ties)
    >>> score = pd.Series([0, 2, 0, 1, 1], index=net.org_ids)  # international degree
    >>> out = gatekeeper_dependency(net, ["a", "b", "c"], brokers=score)
    >>> out["removed"], out["reach_before"], out["reach_after"], out["dependency"]
    (['b'], 3.0, 0.0, 1.0)
    """
    hops = _check_hops(hops)
    share = _check_share(top_share)
    member_mask = organisation_mask(network, members, "members")
    score = _scores(network, brokers, "brokers")
    graph = _ReachGraph.of(network, layers, layer_weights)
    codes = np.flatnonzero(member_mask)
    k = _removal_count(codes.size, share)
    order = np.lexsort((_id_rank(network)[codes], _descending_key(score[codes])))
    removed = codes[order[:k]]
    before = np.zeros(network.n_orgs)
    rows = codes[graph.country[codes] >= 0]
    before[rows] = graph.reach(rows, hops, None)
    reach_before = float(before[codes].sum())
    affected = _affected(graph, codes, removed, reach_before, hops)
    removed_mask = np.zeros(network.n_orgs, dtype=bool)
    removed_mask[removed] = True
    after = graph.reach(affected, hops, removed_mask)
    reach_after, dependency = _dependency(before, removed, affected, after, reach_before)
    return {
        "dependency": dependency,
        "reach_before": reach_before,
        "reach_after": reach_after,
        "removed": [str(x) for x in network.org_ids[removed]],
        "members": int(codes.size),
        "hops": hops,
        "top_share": share,
    }


def group_table(
    network: CollaborationNetwork,
    *,
    by: str | Mapping | pd.Series = "country",
    home_mask: Any = None,
    locality: str = "region",
    brokers: pd.Series | None = None,
    clustering: pd.Series | None = None,
    hops: int = 2,
    top_share: float = 0.10,
    max_groups_for_reach: int | None = 200,
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """One row per group: size, cohesion, openness, concentration, reach and dependency.

    For a group G of n members, on the flattened graph (each pair of
    partners counted once, whatever its weight or number of records):

    ``organisations``
        n.
    ``internal_ties``
        I = number of distinct pairs of partners with both ends in G.
    ``density``
        2 I / (n (n - 1)); NaN when n < 2.
    ``mean_local_clustering``
        Mean of ``clustering`` over the members, skipping missing values;
        NaN when ``clustering`` is not given or no member has a value.
    ``external_ties``
        E = number of distinct pairs with one end in G and the other in
        another *known* group: a partner of unknown country or locality (or
        one the mapping leaves out) is left out, as in
        :func:`netcluster.metrics.ei.group_ei`; for the home set every
        non-member is outside.
    ``international_ties``
        Distinct pairs with at least one end in G whose two countries are
        known and differ (for country and locality groups: pairs from a
        member to another country).
    ``ei_index``
        Krackhardt & Stern's (E - 2I) / (E + 2I): internal ties counted
        **twice**, once from each member's side, as UCINET reports it (see
        :func:`~netcluster.metrics.ei.group_ei`); NaN for a group without
        ties.
    ``share_international``
        Share of the n members with at least one international tie
        (international degree x_i ≥ 1; members of unknown country have
        x_i = 0).
    ``intl_hhi``
        Herfindahl index Σ_i s_i² of the members' shares s_i = x_i / Σ_j x_j
        of the group's international ties, from 1/n (spread evenly) to 1
        (one member holds them all); NaN when Σ_j x_j = 0. For country and
        locality groups Σ_j x_j = ``international_ties``; in a home set
        spanning several countries a tie between two members counts for
        both.
    ``intl_gini``
        Gini coefficient of the members' international degrees, zeros
        included: Σ_i Σ_j |x_i - x_j| / (2 n² x̄) = 2 Σ_i i x_(i) / (n Σ x)
        - (n + 1) / n with x_(1) ≤ … ≤ x_(n); 0 when all are equal, (n - 1)/n
        when one member holds all; NaN when Σ x = 0.
    ``external_reach``
        Distance-weighted external reach R(G) within ``hops`` (see
        :func:`external_reach`).
    ``gatekeeper_dependency``
        (R(G) - R_{-B}(G)) / R(G) after removing the top ``top_share`` of
        members by ``brokers`` (see :func:`gatekeeper_dependency`).
    ``top_brokers``
        Up to three members with the highest positive ``brokers`` score
        (ties by ``org_id``), by name (``org_id`` when the name is missing),
        joined with ``"; "``; missing when none.

    ``external_reach`` and ``gatekeeper_dependency`` are computed only when
    ``brokers`` is given, and then only for groups of at least 2 members,
    at most the ``max_groups_for_reach`` largest of them (ties by group
    order); other groups get NaN. ``top_brokers`` is missing without
    ``brokers``. The other columns come from one pass of numpy
    ``bincount`` over the upper triangle of the adjacency matrix (E and E-I
    from :func:`~netcluster.metrics.ei.group_ei`). Every organisation's reach
    is searched once (and kept with the network for the next table), then
    only the members near each group's removed brokers again, all groups in
    one pass (see the module notes).

    Parameters
    ----------
    network : CollaborationNetwork
    by : str, mapping or pandas.Series
        ``"country"`` (default); ``"locality"`` (the ``locality`` key);
        any locality key of :func:`netcluster.geography.locality_codes`
        (``"region"``, ``"city"``, ``"nuts2"``, a column); ``"home"`` (one
        row, ``"home"``, for ``home_mask``); or a mapping / Series from
        ``org_id`` to a group label (for instance communities).
        Organisations of unknown group are in no row.
    home_mask : array-like, optional
        The home set for ``by="home"`` (forms as ``members`` in
        :func:`external_reach`).
    locality : str
        Locality key used by ``by="locality"``.
    brokers : pandas.Series, optional
        Broker score per ``org_id`` for dependency and ``top_brokers``.
    clustering : pandas.Series, optional
        Local clustering per ``org_id`` for ``mean_local_clustering``.
    hops : int
        Largest distance counted by reach (default 2).
    top_share : float
        Share of members removed for dependency (default 0.10).
    max_groups_for_reach : int or None
        Largest number of groups for which reach and dependency are computed
        (the largest groups first); None for all.
    layers, layer_weights : optional
        Which layers to flatten.

    Returns
    -------
    pandas.DataFrame
        Indexed by group label (a country code, ``"country/locality"``, the
        mapping's labels, or ``"home"``) in order of the group codes, with
        the columns of :data:`GROUP_COLUMNS`. ``attrs["group_table"]``
        records ``by``, ``hops``, ``top_share``, ``reach_groups`` (how many
        groups got reach) and ``seconds``.

    Raises
    ------
    InputError
        For ``by="home"`` without ``home_mask``, an unknown grouping key, or
        scores naming organisations not in the network.

    Examples
    --------
    >>> orgs = pd.DataFrame({"name": ["A", "B", "C", "D", "E"],
    ...                      "country": ["NO", "NO", "NO", "DK", "SE"]},
    ...                     index=pd.Index(list("abcde"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 0, 1, 1], "target": [1, 2, 3, 4],
    ...                      "layer": "partnership", "weight": 1.0, "year": 2020})
    >>> net = CollaborationNetwork(orgs, ties)
    >>> intl = pd.Series([0, 2, 0, 1, 1], index=net.org_ids)
    >>> table = group_table(net, brokers=intl)
    >>> table.loc["NO", ["organisations", "internal_ties", "external_ties", "international_ties"]].tolist()
    [3, 2, 2, 2]
    >>> round(float(table.loc["NO", "ei_index"]), 4)  # (2 - 2·2) / (2 + 2·2)
    -0.3333
    >>> table.loc["NO", ["intl_hhi", "external_reach", "gatekeeper_dependency"]].astype(float).tolist()
    [1.0, 3.0, 1.0]
    >>> table.loc["NO", "top_brokers"]
    'B'
    """
    started = time.perf_counter()
    hops = _check_hops(hops)
    share = _check_share(top_share)
    if max_groups_for_reach is not None and (
        isinstance(max_groups_for_reach, bool)
        or not isinstance(max_groups_for_reach, (int, np.integer))
        or max_groups_for_reach < 0
    ):
        raise InputError(
            "max_groups_for_reach must be a whole number ≥ 0 or None", value=max_groups_for_reach
        )
    n = network.n_orgs
    codes, labels, ei_groups, ei_label = _table_groups(network, by, home_mask, locality)
    n_groups = len(labels)
    country = country_codes(network.orgs)

    # Per-pair aggregates over the upper triangle of the flattened graph.
    upper = sp.triu(network.to_csr(layers, layer_weights), k=1).tocoo()
    keep = upper.data != 0
    u, v = upper.row[keep].astype(np.int64), upper.col[keep].astype(np.int64)
    gu, gv = codes[u], codes[v]
    inside = (gu >= 0) & (gu == gv)
    internal = np.bincount(gu[inside], minlength=n_groups).astype(np.int64)
    intl = (country[u] >= 0) & (country[v] >= 0) & (country[u] != country[v])
    intl_groups = np.concatenate([gu[intl & (gu >= 0)], gv[intl & (gv >= 0) & (gv != gu)]])
    international = np.bincount(intl_groups, minlength=n_groups).astype(np.int64)
    x = np.bincount(np.concatenate([u[intl], v[intl]]), minlength=n).astype(np.float64)

    member = codes >= 0
    size = np.bincount(codes[member], minlength=n_groups).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        density = np.where(size >= 2, 2.0 * internal / (size * (size - 1.0)), np.nan)
        total = np.bincount(codes[member], weights=x[member], minlength=n_groups)
        has_intl = np.bincount(codes[member], weights=(x[member] > 0) * 1.0, minlength=n_groups)
        share_intl = np.where(size > 0, has_intl / size, np.nan)
        squares = np.bincount(codes[member], weights=x[member] ** 2, minlength=n_groups)
        hhi = np.where(total > 0, squares / total**2, np.nan)
    gini = _group_gini(codes, x, size, total)

    ei = group_ei(network, ei_groups, layers=layers, layer_weights=layer_weights).reindex(ei_label)
    external = ei["external_ties"].fillna(0).to_numpy().astype(np.int64)
    ei_values = ei["ei_index"].to_numpy(dtype=np.float64)

    if clustering is None:
        mean_clustering = np.full(n_groups, np.nan)
    else:
        values = _scores(network, clustering, "clustering")
        ok = member & ~np.isnan(values)
        sums = np.bincount(codes[ok], weights=values[ok], minlength=n_groups)
        counts = np.bincount(codes[ok], minlength=n_groups)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_clustering = np.where(counts > 0, sums / counts, np.nan)

    reach = np.full(n_groups, np.nan)
    dependency = np.full(n_groups, np.nan)
    top = pd.array([pd.NA] * n_groups, dtype="string")
    reach_groups = 0
    if brokers is not None:
        score = _scores(network, brokers, "brokers")
        top = _top_brokers(network, codes, score, n_groups)
        eligible = np.flatnonzero(size >= 2)
        eligible = eligible[np.lexsort((eligible, -size[eligible]))]
        if max_groups_for_reach is not None:
            eligible = eligible[:max_groups_for_reach]
        reach_groups = int(eligible.size)
        if eligible.size:
            chosen = np.zeros(n_groups, dtype=bool)
            chosen[eligible] = True
            graph = _ReachGraph.of(network, layers, layer_weights)
            in_chosen = member & chosen[np.maximum(codes, 0)]
            rows = np.flatnonzero(in_chosen & (graph.country >= 0))
            before = np.zeros(n)
            before[rows] = graph.reach(rows, hops, None)
            summed = np.bincount(codes[in_chosen], weights=before[in_chosen], minlength=n_groups)
            reach = np.where(chosen, summed, np.nan)
            # Rank every chosen member: group, then score (highest first), then org_id.
            everyone = np.flatnonzero(in_chosen)
            ids = _id_rank(network)[everyone]
            order = everyone[np.lexsort((ids, _descending_key(score[everyone]), codes[everyone]))]
            grouped = codes[order]
            # every group's members near its removed brokers, then all of them searched in one pass
            # (each without its own group's brokers), then each group's dependency
            searches = []
            removed_by = np.full(n, -1, dtype=np.int64)
            for g in eligible:
                lo = np.searchsorted(grouped, g, side="left")
                hi = np.searchsorted(grouped, g, side="right")
                group_members = order[lo:hi]
                removed = group_members[: _removal_count(group_members.size, share)]
                removed_by[removed] = g
                searches.append((g, removed, _affected(graph, group_members, removed, float(reach[g]), hops)))
            rows = np.concatenate([affected for _, _, affected in searches])
            owner = np.repeat([g for g, _, _ in searches], [affected.size for _, _, affected in searches])
            after = np.zeros(n)
            after[rows] = graph.reach(rows, hops, removed_by, owner)
            for g, removed, affected in searches:
                _, dependency[g] = _dependency(before, removed, affected, after[affected], float(reach[g]))

    table = pd.DataFrame(
        {
            "organisations": size,
            "internal_ties": internal,
            "density": density,
            "mean_local_clustering": mean_clustering,
            "external_ties": external,
            "international_ties": international,
            "ei_index": ei_values,
            "share_international": share_intl,
            "intl_hhi": hhi,
            "intl_gini": gini,
            "external_reach": reach,
            "gatekeeper_dependency": dependency,
            "top_brokers": top,
        },
        index=labels,
    )
    table.attrs["group_table"] = {
        "by": by if isinstance(by, str) else "mapping",
        "hops": hops,
        "top_share": share,
        "reach_groups": reach_groups,
        "max_groups_for_reach": max_groups_for_reach,
        "seconds": time.perf_counter() - started,
    }
    return table


# -- reach engine ------------------------------------------------------------------
class _ReachGraph:
    """The closed unweighted adjacency Â = A + I with what chunking needs."""

    @classmethod
    def of(
        cls,
        network: CollaborationNetwork,
        layers: Iterable[str] | None,
        layer_weights: Mapping[str, float] | None,
    ) -> _ReachGraph:
        """The network's reach graph for these layers, kept in the network's cache (with every
        organisation's reach once computed) so that each group table does not search again."""
        key = ("reach graph", *network._view_key(layers, layer_weights))
        if key not in network._cache:
            network._cache[key] = cls(network, layers, layer_weights)
        graph: _ReachGraph = network._cache[key]
        return graph

    def __init__(
        self,
        network: CollaborationNetwork,
        layers: Iterable[str] | None,
        layer_weights: Mapping[str, float] | None,
    ) -> None:
        matrix = network.to_csr(layers, layer_weights)
        n = network.n_orgs
        # scipy-stubs type sparse != as object.__ne__ (a bool); scipy returns a sparse matrix
        adjacency = (matrix != 0).astype(bool)  # type: ignore[attr-defined]
        closed = (adjacency + sp.identity(n, dtype=bool, format="csr")).tocsr()
        closed.sort_indices()
        self.n = n
        self.closed = closed
        self.country = country_codes(network.orgs)
        self.closed_degree = np.diff(closed.indptr).astype(np.int64)
        # Σ of closed degrees over each ball of radius 1: an upper bound on the
        # size of the ball of radius 2, used to size the chunks.
        self.second = closed @ self.closed_degree
        self.everyone: np.ndarray | None = None  # every organisation's reach within 2 steps
        self._foreign: tuple[int, sp.csr_matrix] | None = None  # see _foreign_columns

    def reach(
        self, rows: np.ndarray, hops: int, removed: np.ndarray | None = None, owner: np.ndarray | None = None
    ) -> np.ndarray:
        """Σ_f 1/d(m, f) for each m in ``rows`` (known country, not removed).

        Without ``owner``, ``removed`` is a mask of the organisations deleted from the graph.
        With ``owner`` (a group code per row), ``removed`` is a group code per organisation
        (-1 for none) and row i is searched with the organisations of code ``owner[i]``
        deleted: several groups' searches after removal in one pass.
        """
        out = np.zeros(rows.size)
        if rows.size == 0:
            return out
        if removed is not None and owner is None:
            removed, owner = np.where(removed, 0, -1), np.zeros(rows.size, dtype=np.int64)
        # the search from everyone may pay when every row has the same deleted set (or none)
        single, mask = True, None
        if removed is not None and owner is not None:
            single = bool((owner == owner[0]).all())
            if single and (removed == owner[0]).any():
                mask = removed == owner[0]
        if hops == 2 and single and mask is None and self.everyone is not None:
            return self.everyone[rows]
        if hops == 2 and single and self._pairs_pay(rows, mask):
            every = self._pair_reach(mask)
            if mask is None:
                self.everyone = every
            return every[rows]
        estimate = self.closed_degree[rows] if hops == 1 else self.second[rows]
        row_cap = max(1, _CHUNK_ENTRIES // max(self.n, 1)) if hops > 2 else rows.size
        order = np.argsort(self.country[rows], kind="stable")
        sorted_rows = rows[order]
        countries = self.country[sorted_rows]
        cuts = np.flatnonzero(np.diff(countries)) + 1
        for block in np.split(np.arange(rows.size), cuts):
            country = countries[block[0]]
            foreign = (self.country >= 0) & (self.country != country)
            last = self._foreign_columns(country, float(estimate[order[block]].sum()))
            # whether a row's deleted organisations can be foreign to it (else they need no
            # dropping from the foreign columns of the last step: brokers of one-country groups)
            abroad = removed is not None and owner is not None and bool(
                np.isin(removed[foreign & (removed >= 0)], owner[order[block]]).any())
            for chunk in _chunks(block, estimate[order[block]], row_cap):
                owners = None if owner is None else owner[order[chunk]]
                out[order[chunk]] = self._chunk_reach(sorted_rows[chunk], foreign, hops, removed, owners, last,
                                                      abroad)
        return out

    def _foreign_columns(self, country: int, work: float) -> sp.csr_matrix | None:
        """Â with only the columns of known countries other than ``country`` (the last one kept),
        for the last step of searches of about ``work`` entries; None when making it costs more
        (a pass over Â) than it would save."""
        if work <= self.closed.nnz:
            return None
        if self._foreign is None or self._foreign[0] != country:
            keep = (self.country >= 0) & (self.country != country)
            self._foreign = (country, _columns_where(self.closed, keep[self.closed.indices]))
        return self._foreign[1]

    def _pairs_pay(self, rows: np.ndarray, removed: np.ndarray | None) -> bool:
        """Whether searching from ``rows`` costs more than :meth:`_pair_reach` (half the search
        from every organisation that counts), in the estimate that sizes the chunks."""
        counted = self.country >= 0 if removed is None else (self.country >= 0) & ~removed
        return 2 * float(self.second[rows].sum()) > float(self.second[counted].sum())

    def _pair_reach(self, removed: np.ndarray | None) -> np.ndarray:
        """Every organisation's reach within 2 steps (0 for removed ones and unknown countries).

        A pair (m, f) of different countries within 2 steps adds to both m's and f's count, so
        it is found once, from the member of the country that comes first: the organisations
        are renumbered by country, and the balls of radius 2 of one country's members are taken
        only over the columns of the later countries (Â_c Â[:, later]). That is half the work
        of searching from everyone, and the domestic organisations are never put in a ball.
        The order of the countries does not change the result.
        """
        n = self.n
        closed = self.closed
        # countries ranked largest first, so that the columns of later countries shrink fastest
        known = self.country >= 0
        sizes = np.bincount(self.country[known])
        rank = np.empty(sizes.size, dtype=np.int64)
        rank[np.argsort(-sizes, kind="stable")] = np.arange(sizes.size)
        key = np.where(known, rank[np.maximum(self.country, 0)], -1)
        if removed is not None:
            key[removed] = -1  # neither counted nor searched from
            closed = _columns_where(closed, ~(removed[closed.indices] | np.repeat(removed, np.diff(closed.indptr))))
        order = np.argsort(key, kind="stable")
        closed = closed.tocsr()[order][:, order].tocsr()
        closed.sort_indices()
        key = key[order]
        estimate = self.second[order]
        row_of = np.repeat(np.arange(n), np.diff(closed.indptr))
        target = key[closed.indices]
        one = np.bincount(row_of, weights=(target >= 0) & (target != key[row_of]), minlength=n)
        two = np.zeros(n, dtype=np.int64)
        later = closed
        for country in np.unique(key[key >= 0]):
            lo, hi = np.searchsorted(key, country, side="left"), np.searchsorted(key, country, side="right")
            later = _columns_from(later, hi)
            if later.nnz == 0:
                break
            for chunk in _chunks(np.arange(lo, hi), estimate[lo:hi], hi - lo):
                ball = closed[chunk[0] : chunk[-1] + 1] @ later
                two[chunk[0] : chunk[-1] + 1] += np.diff(ball.indptr)
                two[hi:] += np.bincount(ball.indices - hi, minlength=n - hi)
        reach = np.where(key >= 0, one + (two - one) / 2, 0.0)
        out = np.zeros(n)
        out[order] = reach
        return out

    def _chunk_reach(
        self,
        rows: np.ndarray,
        foreign: np.ndarray,
        hops: int,
        removed: np.ndarray | None,
        owner: np.ndarray | None,
        last: sp.csr_matrix | None,
        abroad: bool,
    ) -> np.ndarray:
        ball = _drop_columns(self.closed[rows], removed, owner)
        reach = np.zeros(rows.size)
        previous = np.zeros(rows.size, dtype=np.int64)
        for step in range(1, hops + 1):
            if step > 1 and step == hops and last is not None:  # only foreign columns: count them all
                grown = ball @ last
                counts = np.diff((_drop_columns(grown, removed, owner) if abroad else grown).indptr)
                reach += (counts - previous) / step
                break
            if step > 1:
                grown = _drop_columns(ball @ self.closed, removed, owner)
                if grown.nnz == ball.nnz:  # every ball stopped growing
                    break
                ball = grown
            counts = _row_counts(ball, foreign)
            reach += (counts - previous) / step
            previous = counts
        return reach

    def within(self, sources: np.ndarray, radius: int) -> np.ndarray:
        """Mask of the organisations at most ``radius`` steps from ``sources``."""
        reached = np.zeros(self.n, dtype=bool)
        reached[sources] = True
        frontier = sources
        for _ in range(radius):
            if frontier.size == 0:
                break
            found = self.closed[frontier].indices
            found = np.unique(found[~reached[found]])
            reached[found] = True
            frontier = found
        return reached


def _chunks(block: np.ndarray, estimate: np.ndarray, row_cap: int) -> list[np.ndarray]:
    """Split ``block`` into runs whose summed estimate stays under the chunk budget."""
    if block.size == 0:
        return []
    bins = np.cumsum(estimate, dtype=np.float64) // _CHUNK_ENTRIES
    cuts = np.flatnonzero(np.diff(bins)) + 1
    pieces = []
    for piece in np.split(block, cuts):
        pieces.extend(np.split(piece, range(row_cap, piece.size, row_cap)))
    return [p for p in pieces if p.size]


def _columns_from(matrix: sp.csr_matrix, first: int) -> sp.csr_matrix:
    """``matrix`` with the entries of columns before ``first`` left out (same shape)."""
    return _columns_where(matrix, matrix.indices >= first)


def _columns_where(matrix: sp.csr_matrix, keep: np.ndarray) -> sp.csr_matrix:
    """``matrix`` with only the stored entries flagged in ``keep`` (same shape)."""
    indptr = np.concatenate([[0], np.cumsum(keep)])[matrix.indptr]
    return sp.csr_matrix((matrix.data[keep], matrix.indices[keep], indptr), shape=matrix.shape)


def _drop_columns(matrix: sp.csr_matrix, removed: np.ndarray | None, owner: np.ndarray | None) -> sp.csr_matrix:
    """Leave out the entries (i, j) whose column j is removed by row i's group (``owner[i]``)."""
    if removed is None or owner is None:
        return matrix
    gone = removed[matrix.indices] == np.repeat(owner, np.diff(matrix.indptr))
    return _columns_where(matrix, ~gone) if gone.any() else matrix


def _row_counts(matrix: sp.csr_matrix, wanted: np.ndarray) -> np.ndarray:
    """Number of stored columns of each row that are flagged in ``wanted``."""
    flags = wanted[matrix.indices]
    starts = matrix.indptr[:-1]
    empty = starts == matrix.indptr[1:]
    if flags.size == 0:
        return np.zeros(starts.size, dtype=np.int64)
    # reduceat is ~20x faster than a cumsum here; it needs in-range starts and
    # returns the element at the start for an empty row, so those are zeroed.
    counts = np.add.reduceat(flags, np.minimum(starts, flags.size - 1), dtype=np.int64)
    counts[empty] = 0
    return counts


def _affected(
    graph: _ReachGraph, codes: np.ndarray, removed: np.ndarray, reach_before: float, hops: int
) -> np.ndarray:
    """The members of the group ``codes`` whose reach can change when ``removed`` are deleted.

    A member keeps its reach unless a removed organisation lies within h - 1 steps (a relay)
    or, when removed organisations can be foreign to some member, within h steps (a target);
    only those members are searched again. None when the group has no reach or nobody is
    removed.
    """
    if reach_before <= 0 or removed.size == 0:
        return np.zeros(0, dtype=np.int64)
    country = graph.country
    removed_mask = np.zeros(graph.n, dtype=bool)
    removed_mask[removed] = True
    known = np.unique(country[codes][country[codes] >= 0])
    radius = hops - 1 if known.size <= 1 else hops
    near = graph.within(removed, radius)
    return codes[near[codes] & ~removed_mask[codes] & (country[codes] >= 0)]


def _dependency(
    before: np.ndarray, removed: np.ndarray, affected: np.ndarray, after: np.ndarray, reach_before: float
) -> tuple[float, float]:
    """A group's reach once ``removed`` are deleted, and its dependency, from every member's reach
    ``before`` and the reach ``after`` of the ``affected`` members (see :func:`_affected`)."""
    if reach_before <= 0:
        return 0.0, float("nan")
    if removed.size == 0:
        return reach_before, 0.0
    lost = float(before[removed].sum()) + float((before[affected] - after).sum())
    dependency = min(1.0, max(0.0, lost / reach_before))
    return max(0.0, reach_before - lost), dependency


# -- helpers ----------------------------------------------------------------------
def _table_groups(
    network: CollaborationNetwork, by: Any, home_mask: Any, locality: str
) -> tuple[np.ndarray, pd.Index, Any, list]:
    """Group code per organisation, labels, and the grouping to hand to group_ei."""
    if isinstance(by, str) and by == "home":
        if home_mask is None:
            raise InputError("by='home' needs a home_mask (the home set)", column="home_mask")
        mask = organisation_mask(network, home_mask, "home_mask")
        codes = np.where(mask, 0, -1).astype(np.int64)
        ei_groups = pd.Series(np.where(mask, "home", "outside"), index=network.org_ids, dtype=object)
        return codes, pd.Index(["home"], name="group"), ei_groups, ["home"]
    if isinstance(by, str):
        key = locality if by == "locality" else by
        codes, labels = _groups(network, key)  # InputError for an unknown key
        return codes, labels, key, list(labels)
    codes, labels = _groups(network, by)
    return codes, labels, by, list(labels)


def _group_gini(codes: np.ndarray, x: np.ndarray, size: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Gini of x within each group (zeros included), by the sorted-rank formula."""
    n_groups = size.size
    member = np.flatnonzero(codes >= 0)
    order = member[np.lexsort((x[member], codes[member]))]
    group = codes[order]
    start = np.concatenate([[0], np.cumsum(size)])[:-1]
    rank = np.arange(order.size) - start[group] + 1.0  # 1 … n within each group
    weighted = np.bincount(group, weights=rank * x[order], minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        gini = 2.0 * weighted / (size * total) - (size + 1.0) / size
    gini[~(total > 0)] = np.nan
    return np.clip(gini, 0.0, None, where=~np.isnan(gini), out=gini)


def _top_brokers(network: CollaborationNetwork, codes: np.ndarray, score: np.ndarray, n_groups: int) -> Any:
    ok = np.flatnonzero((codes >= 0) & (score > 0))
    out = pd.array([pd.NA] * n_groups, dtype="string")
    if ok.size == 0:
        return out
    order = ok[np.lexsort((_id_rank(network)[ok], -score[ok], codes[ok]))]
    group = codes[order]
    first = np.r_[True, group[1:] != group[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(order.size), 0))
    top = order[np.arange(order.size) - start < 3]
    names = network.orgs["name"].astype("string").str.strip()
    ids = pd.Series(network.org_ids.astype(str), index=network.orgs.index)
    label = names.where(names.notna() & (names != ""), ids)
    frame = pd.DataFrame({"group": codes[top], "label": label.to_numpy(dtype=object)[top]})
    joined = frame.groupby("group", sort=True)["label"].agg("; ".join)
    out[joined.index.to_numpy()] = joined.to_numpy()
    return out


def _id_rank(network: CollaborationNetwork) -> np.ndarray:
    """Each organisation's rank in org_id order: ties in scores are broken by org_id, so that
    results do not depend on the order in which organisations were read."""
    ranks = np.empty(network.n_orgs, dtype=np.int64)
    ranks[np.argsort(network.org_ids.to_numpy(dtype=str), kind="stable")] = np.arange(network.n_orgs)
    return ranks


def _descending_key(score: np.ndarray) -> np.ndarray:
    """Sort key putting the highest score first and missing scores last."""
    return np.where(np.isnan(score), np.inf, -score)


def _removal_count(size: int, share: float) -> int:
    """ceil(share × size), at least 1 when share > 0 and size > 0 (float noise forgiven)."""
    if size == 0 or share == 0:
        return 0
    return int(min(size, max(1, math.ceil(share * size - 1e-9))))


def _check_hops(hops: Any) -> int:
    if isinstance(hops, bool) or not isinstance(hops, (int, np.integer)) or hops < 1:
        raise InputError("hops must be a whole number ≥ 1", column="hops", value=hops)
    return int(hops)


def _check_share(share: Any) -> float:
    numeric = isinstance(share, (int, float, np.integer, np.floating)) and not isinstance(share, bool)
    if not (numeric and 0.0 <= float(share) <= 1.0):
        raise InputError("top_share must be a number from 0 to 1", column="top_share", value=share)
    return float(share)


def _scores(network: CollaborationNetwork, values: Any, what: str) -> np.ndarray:
    """A float per organisation code from a Series indexed by org_id (NaN where absent)."""
    if isinstance(values, Mapping) and not isinstance(values, pd.Series):
        values = pd.Series(dict(values), dtype=object)
    if not isinstance(values, pd.Series):
        raise InputError(f"{what} must be a pandas Series indexed by org_id", column=what,
                         value=type(values).__name__)
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    if values.index.equals(network.org_ids) and network.org_ids.inferred_type == "string":
        return numbers  # already one value per organisation, in code order (analyze's node table)
    series = pd.Series(numbers, index=[str(k) for k in values.index])
    if not series.index.is_unique:
        raise InputError(f"{what} gives an organisation two values", column=what,
                         value=series.index[series.index.duplicated()][0])
    unknown = series.index.difference(network.org_ids)
    if len(unknown):
        raise InputError(f"{what} names an organisation that is not in the network", column=what,
                         value=unknown[0])
    return series.reindex(network.org_ids).to_numpy(dtype=np.float64)
