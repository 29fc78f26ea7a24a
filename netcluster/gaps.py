"""Gaps: which members lack global ties, and where the cluster's global access is fragile.

:func:`find_gaps` turns an analysis into a list of findings, one row each,
of four kinds (in this order in the table):

``no_international_tie``
    A member without any partner in another country. Severity is the
    member's percentile of local centrality (``local_degree``) among the
    members, ties averaged (0 for a member without local partners): locally
    central but globally isolated members (Giuliani & Bell's "mutually linked
    stars") come first.
``community_without_bridge``
    A community (of the analysis' Leiden partition) with at least
    ``min_community`` members of the home set, none of whom has a foreign
    partner: the whole group depends on others for any global knowledge.
    Severity is the community's share of the members.
``single_point_of_failure``
    An organisation b whose removal leaves members with no foreign
    organisation within ``hops`` steps, although they have one now (b may
    be a domestic broker or a member's only foreign contact). Severity is
    the share of the members with foreign reach that b's removal would cut
    off. Searched exactly: for each member with at most one foreign partner,
    one shortest path to the nearest foreign organisation is found, and each
    organisation on it is removed in turn (a point of failure must lie on
    every such path).
``concentration``
    The top ``top_share`` of members by number of foreign partners (at least
    one member) hold at least ``concentration_threshold`` of all the members'
    foreign partnerships. Severity is the share they hold.

The members are the home set of the analysis, or every organisation of known
country when it had none. Distances are counted on the flattened graph of all
layers, unweighted, as in :func:`netcluster.metrics.external_reach`.

References
----------
Giuliani, E. & Bell, M. (2005). The micro-determinants of meso-level learning
and innovation: evidence from a Chilean wine cluster. *Research Policy* 34(1),
47-68.

Bathelt, H., Malmberg, A. & Maskell, P. (2004). Clusters and knowledge: local
buzz, global pipelines and the process of knowledge creation. *Progress in
Human Geography* 28(1), 31-56.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .errors import InputError
from .geography import country_codes

__all__ = ["find_gaps", "GAP_KINDS"]

#: The kinds of finding, in table order.
GAP_KINDS = ("no_international_tie", "community_without_bridge", "single_point_of_failure", "concentration")

_SHOWN = 5


def find_gaps(
    result: Any,
    *,
    hops: int = 2,
    top_share: float = 0.10,
    concentration_threshold: float = 0.5,
    min_community: int = 2,
) -> pd.DataFrame:
    """List the members lacking global ties and the cluster's fragile points.

    Parameters
    ----------
    result : AnalysisResult
    hops : int
        Steps within which a foreign organisation counts as reachable, for
        single points of failure (default 2: a partner's partner).
    top_share : float
        Share of members, by number of foreign partners, tested for
        concentration (default 0.10).
    concentration_threshold : float
        Share of foreign partnerships above which those top members are a
        finding (default 0.5).
    min_community : int
        Smallest number of members for a community to be a finding (default 2).

    Returns
    -------
    pandas.DataFrame
        Columns ``kind``, ``severity`` (0 to 1), ``organisations`` (list of
        ``org_id``: the member, the community's members, the point of failure
        followed by the members it cuts off, or the concentrating members),
        ``names``, ``affected`` (how many organisations the finding is about)
        and ``evidence`` (a sentence). Sorted by kind, then severity.

    Examples
    --------
    Norwegian a, b, c, d; only b has a foreign partner (Danish e):

    >>> from netcluster import CollaborationNetwork, analyze
    >>> orgs = pd.DataFrame({"name": list("ABCDE"), "country": ["NO"] * 4 + ["DK"]},
    ...                     index=pd.Index(list("abcde"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 0, 1, 2], "target": [1, 2, 4, 3],
    ...                      "layer": "partnership", "weight": 1.0, "year": 2020})
    >>> result = analyze(CollaborationNetwork(orgs, ties), home={"country": "NO"})
    >>> gaps = find_gaps(result)
    >>> gaps[["kind", "organisations"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['no_international_tie', ['a']], ['no_international_tie', ['c']], ['no_international_tie', ['d']],
     ['community_without_bridge', ['c', 'd']],
     ['single_point_of_failure', ['e', 'a', 'b']], ['single_point_of_failure', ['b', 'a']],
     ['concentration', ['b']]]
    >>> print(gaps.loc[4, "evidence"])
    without E (a foreign organisation), 2 members would have no foreign organisation within 2 steps: A and B
    """
    hops = _positive_int(hops, "hops")
    min_community = _positive_int(min_community, "min_community")
    top_share = _share(top_share, "top_share")
    concentration_threshold = _share(concentration_threshold, "concentration_threshold")
    network, nodes = result.network, result.nodes
    country = country_codes(network.orgs)
    home = nodes["home"].to_numpy(dtype=bool)
    members = np.flatnonzero((home if home.any() else np.ones(network.n_orgs, dtype=bool)) & (country >= 0))
    names = network.orgs["name"].fillna(pd.Series(network.org_ids, index=network.org_ids)).astype(str).to_numpy()
    foreign = nodes["international_degree"].to_numpy(dtype=np.int64)
    adjacency = (network.to_csr(layer_weights=result.params.get("layer_weights")) != 0).tocsr()
    rows = (
        _without_international(nodes, members, names)
        + _communities_without_bridge(result, members, foreign, names, min_community)
        + _single_points(adjacency, country, members, foreign, names, hops, network.org_ids)
        + _concentration(members, foreign, names, network.org_ids, top_share, concentration_threshold)
    )
    table = pd.DataFrame(rows, columns=["kind", "severity", "organisations", "names", "affected", "evidence"])
    order = {kind: i for i, kind in enumerate(GAP_KINDS)}
    table["_kind"] = table["kind"].map(order)
    table = table.sort_values(["_kind", "severity", "affected"], ascending=[True, False, False], kind="stable")
    return table.drop(columns="_kind").reset_index(drop=True)


# -- the four kinds ------------------------------------------------------------------
def _without_international(nodes: pd.DataFrame, members: np.ndarray, names: np.ndarray) -> list[tuple]:
    local = nodes["local_degree"].to_numpy(dtype=np.int64)[members]
    national = nodes["national_degree"].to_numpy(dtype=np.int64)[members]
    foreign = nodes["international_degree"].to_numpy(dtype=np.int64)[members]
    percentile = pd.Series(local).rank(method="average", pct=True).to_numpy()
    ids = nodes.index.to_numpy()
    order = np.lexsort((ids[members], -national, -local))
    rows = []
    for i in order[foreign[order] == 0]:
        code = members[i]
        if local[i] + national[i] == 0:
            evidence = f"{names[code]}: no partners at all in these records"
        else:
            evidence = (f"{names[code]}: {_count(local[i], 'local partner')} and "
                        f"{_count(national[i], 'other domestic partner')}, no foreign partner")
        rows.append(("no_international_tie", float(percentile[i]) if local[i] else 0.0, [str(ids[code])],
                     [names[code]], 1, evidence))
    return rows


def _communities_without_bridge(
    result: Any, members: np.ndarray, foreign: np.ndarray, names: np.ndarray, min_community: int
) -> list[tuple]:
    if result.communities is None:
        return []
    ids = result.network.org_ids
    community = result.communities.membership.reindex(ids).to_numpy()
    rows = []
    labels = pd.Series(community[members])
    # each community's members in member order, found in one pass (not one scan per community)
    where = labels.groupby(labels.to_numpy(), sort=False, dropna=True).indices
    for label in sorted(labels.dropna().unique(), key=lambda x: (str(type(x)), x)):
        inside = members[where[label]]
        if inside.size < min_community or (foreign[inside] > 0).any():
            continue
        listing = _listing(names[inside])
        rows.append(("community_without_bridge", inside.size / members.size, [str(x) for x in ids[inside]],
                     list(names[inside]), int(inside.size),
                     f"community {label}: {inside.size} members ({listing}), none with a foreign partner"))
    return rows


def _single_points(
    adjacency: sp.csr_matrix,
    country: np.ndarray,
    members: np.ndarray,
    foreign_degree: np.ndarray,
    names: np.ndarray,
    hops: int,
    ids: pd.Index,
) -> list[tuple]:
    reaching, cut = (_cut_two_hops(adjacency, country, members, foreign_degree) if hops == 2
                     else _cut_by_search(adjacency, country, members, foreign_degree, hops))
    rows = []
    for broker, affected in cut.items():
        listing = _listing(names[affected])
        if country[broker] < 0:
            kind_of = "a broker of unknown country"
        elif country[broker] != country[affected[0]]:
            kind_of = "a foreign organisation"
        else:
            kind_of = "a domestic broker"
        rows.append((
            "single_point_of_failure", len(affected) / max(reaching, 1),
            [str(ids[broker])] + [str(ids[m]) for m in affected],
            [names[broker]] + [names[m] for m in affected],
            len(affected),
            f"without {names[broker]} ({kind_of}), {_count(len(affected), 'member')} would have no foreign "
            f"organisation within {_count(hops, 'step')}: {listing}",
        ))
    return rows


def _cut_by_search(
    adjacency: sp.csr_matrix, country: np.ndarray, members: np.ndarray, foreign_degree: np.ndarray, hops: int
) -> tuple[int, dict[int, list[int]]]:
    """Members with a foreign organisation within ``hops``, and the points of failure: searched one by one.

    Returns the number of members that reach a foreign organisation and, for
    each point of failure (in order of discovery), the members it cuts off.
    """
    search = _Search(adjacency, country)
    reaching = 0
    cut: dict[int, list[int]] = {}
    for m in members.tolist():
        path = search.path_to_foreign(m, hops)
        if path is None:
            continue
        reaching += 1
        if foreign_degree[m] > 1:
            continue  # two foreign partners: no single removal cuts m off
        for broker in path:
            if not search.reaches_foreign(m, hops, removed=broker):
                cut.setdefault(broker, []).append(m)
    return reaching, cut


def _cut_two_hops(
    adjacency: sp.csr_matrix, country: np.ndarray, members: np.ndarray, foreign_degree: np.ndarray
) -> tuple[int, dict[int, list[int]]]:
    """:func:`_cut_by_search` for two hops, for all members at once with array operations.

    For member m of country c, "foreign" meaning a known country other than c:

    - m with two or more foreign partners reaches abroad and cannot be cut off;
    - m with one foreign partner f is cut off by removing f unless another
      partner w of m has a foreign partner other than f (no other
      organisation lies on m's path [f]);
    - m without a foreign partner reaches abroad when some partner w has a
      foreign partner x. Its path is [w0, x] with x the lowest-coded such
      organisation (all at two steps); removing w0 cuts m off when w0 is the
      only partner of m with a foreign partner, removing x when x is the only
      foreign organisation two steps away.

    The same points of failure, members and order of discovery as the search
    (``tests/test_gaps_two_hops.py`` compares the two on random graphs). On
    the synthetic M network (100k organisations, ``benchmarks/generate.py``)
    ``find_gaps`` takes 0.6 s with it and 8.2 s with the search.
    """
    n = adjacency.shape[0]
    indptr, indices = adjacency.indptr, adjacency.indices.astype(np.int64)
    row = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    known_edge = country[indices] >= 0
    foreign_edge = known_edge & (country[indices] != country[row])
    # partners of each organisation per known country, count[w, c], looked up by the sorted keys w * k + c
    k = int(country.max(initial=-1)) + 1
    keys, counts = np.unique(row[known_edge] * k + country[indices[known_edge]], return_counts=True)
    known_partners = np.bincount(row[known_edge], minlength=n)

    def foreign_partners(w: np.ndarray, c: np.ndarray) -> np.ndarray:
        """Partners of each w in a known country other than c."""
        if keys.size == 0:
            return known_partners[w]
        key = w * k + c
        at = np.minimum(np.searchsorted(keys, key), keys.size - 1)
        return known_partners[w] - np.where(keys[at] == key, counts[at], 0)

    is_member = np.zeros(n, dtype=bool)
    is_member[members] = True
    order = np.zeros(n, dtype=np.int64)
    order[members] = np.arange(members.size)
    direct = np.bincount(row[foreign_edge], minlength=n)  # foreign partners in this adjacency
    testable = is_member & (foreign_degree <= 1)  # more than one foreign partner: never cut off
    records: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (member order, place on path, broker)

    # one foreign partner f (the path [f]): is another partner w tied to a foreign x other than f?
    one = testable & (direct == 1)
    lone = np.full(n, -1, dtype=np.int64)
    lone[row[foreign_edge & one[row]]] = indices[foreign_edge & one[row]]
    on = one[row] & ~foreign_edge
    m_on, w_on = row[on], indices[on]
    if on.any():
        edge_keys = row * n + indices  # sorted: CSR rows in order, indices sorted within a row
        wanted = w_on * n + lone[m_on]
        at = np.minimum(np.searchsorted(edge_keys, wanted), edge_keys.size - 1)
        tied_to_f = (edge_keys[at] == wanted).astype(np.int64)
        others = foreign_partners(w_on, country[m_on]) - tied_to_f
    else:
        others = np.zeros(0, dtype=np.int64)
    saved = np.zeros(n, dtype=bool)
    saved[m_on[others > 0]] = True
    lost = np.flatnonzero(one & ~saved)
    records.append((order[lost], np.zeros(lost.size, dtype=np.int64), lone[lost]))

    # no foreign partner: the partners w ("carriers") with a foreign partner x, two steps from m
    none = is_member & (direct == 0)
    on = none[row]
    m_on, w_on = row[on], indices[on]
    carry = foreign_partners(w_on, country[m_on]) > 0
    m_on, w_on = m_on[carry], w_on[carry]
    carriers = np.bincount(m_on, minlength=n)
    reaching = int(np.count_nonzero(is_member & (direct > 0))) + int(np.count_nonzero(none & (carriers > 0)))
    candidates = np.flatnonzero(none & testable & (carriers > 0))
    only_carrier = np.full(n, -1, dtype=np.int64)
    only_carrier[m_on] = w_on  # read only where a member has one carrier
    alone = candidates[carriers[candidates] == 1]
    records.append((order[alone], np.zeros(alone.size, dtype=np.int64), only_carrier[alone]))
    lowest, highest = _foreign_extremes(indices, row, country, known_edge, m_on, w_on, n)
    single_x = candidates[lowest[candidates] == highest[candidates]]
    records.append((order[single_x], np.ones(single_x.size, dtype=np.int64), lowest[single_x]))

    member_order = np.concatenate([r[0] for r in records])
    place = np.concatenate([r[1] for r in records])
    broker = np.concatenate([r[2] for r in records])
    ranked = np.lexsort((place, member_order))
    cut: dict[int, list[int]] = {}
    for b, m in zip(broker[ranked].tolist(), members[member_order[ranked]].tolist()):
        cut.setdefault(b, []).append(m)
    return reaching, cut


def _foreign_extremes(
    indices: np.ndarray, row: np.ndarray, country: np.ndarray, known_edge: np.ndarray,
    m: np.ndarray, w: np.ndarray, n: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Per member, the lowest and highest code of a foreign partner of its partners w (pairs m, w given).

    For each organisation w, its lowest partner of known country (a1) and its
    lowest partner of known country outside a1's country (a2) give the lowest
    partner outside any country c (a1 unless a1 is in c, then a2); likewise
    for the highest. -1 where there is none.
    """
    def first_per_row(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        found = np.full(n, -1, dtype=np.int64)
        present, at = np.unique(rows, return_index=True)  # the first occurrence of each row
        found[present] = cols[at]
        return found

    def extremes(reverse: bool) -> tuple[np.ndarray, np.ndarray]:
        rows, cols = row[known_edge], indices[known_edge]  # columns ascending within a row
        if reverse:
            rows, cols = rows[::-1], cols[::-1]
        first = first_per_row(rows, cols)
        other = country[cols] != country[first[rows]]
        return first, first_per_row(rows[other], cols[other])

    c = country[m]
    low1, low2 = extremes(False)
    high1, high2 = extremes(True)
    low = np.where(country[np.maximum(low1[w], 0)] != c, low1[w], low2[w])
    high = np.where(country[np.maximum(high1[w], 0)] != c, high1[w], high2[w])
    lowest = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(lowest, m, np.where(low >= 0, low, np.iinfo(np.int64).max))
    highest = np.full(n, -1, dtype=np.int64)
    np.maximum.at(highest, m, high)
    return lowest, highest


def _concentration(
    members: np.ndarray, foreign: np.ndarray, names: np.ndarray, ids: pd.Index, top_share: float, threshold: float
) -> list[tuple]:
    counts = foreign[members]
    total = int(counts.sum())
    if total == 0 or members.size == 0:
        return []
    k = max(1, math.ceil(top_share * members.size - 1e-9))  # 0.28 * 25 is 7.000000000000001
    order = np.lexsort((ids[members].to_numpy(dtype=str), -counts))[:k]
    top = members[order][counts[order] > 0]
    held = int(foreign[top].sum()) / total
    if held < threshold:
        return []
    listing = _listing(names[top])
    return [("concentration", held, [str(x) for x in ids[top]], list(names[top]), int(top.size),
             f"{top.size} of {members.size} members hold {held:.0%} of the members' {total} foreign "
             f"partnerships: {listing}")]


# -- bounded breadth-first search ----------------------------------------------------------
class _Search:
    """Breadth-first searches of at most h steps on a CSR adjacency."""

    def __init__(self, adjacency: sp.csr_matrix, country: np.ndarray) -> None:
        self.indptr, self.indices = adjacency.indptr, adjacency.indices
        self.country = country
        self.seen = np.zeros(adjacency.shape[0], dtype=bool)

    def _neighbours(self, frontier: np.ndarray) -> np.ndarray:
        if frontier.size == 1:
            f = frontier[0]
            return self.indices[self.indptr[f]:self.indptr[f + 1]]
        return np.concatenate([self.indices[self.indptr[f]:self.indptr[f + 1]] for f in frontier.tolist()])

    def path_to_foreign(self, start: int, hops: int) -> list[int] | None:
        """The organisations after ``start`` on one shortest path to a nearest foreign one."""
        home = self.country[start]
        parent = {start: -1}
        frontier = np.array([start])
        for _ in range(hops):
            found = []
            for node in frontier.tolist():
                for nxt in self.indices[self.indptr[node]:self.indptr[node + 1]].tolist():
                    if nxt not in parent:
                        parent[nxt] = node
                        found.append(nxt)
            if not found:
                return None
            hits = [x for x in found if self.country[x] >= 0 and self.country[x] != home]
            if hits:
                path, node = [], min(hits)
                while node != start:
                    path.append(node)
                    node = parent[node]
                return path[::-1]
            frontier = np.array(found)
        return None

    def reaches_foreign(self, start: int, hops: int, removed: int) -> bool:
        """Whether a foreign organisation lies within ``hops`` of ``start`` once ``removed`` is gone."""
        home = self.country[start]
        seen = self.seen
        touched = [start, removed]
        seen[start] = seen[removed] = True
        frontier = np.array([start])
        try:
            for _ in range(hops):
                nxt = np.unique(self._neighbours(frontier))
                nxt = nxt[~seen[nxt]]
                if nxt.size == 0:
                    return False
                c = self.country[nxt]
                if ((c >= 0) & (c != home)).any():
                    return True
                seen[nxt] = True
                touched.append(nxt)
                frontier = nxt
            return False
        finally:
            for t in touched:
                seen[t] = False


# -- words and checks -------------------------------------------------------------------------
def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _listing(names: Any) -> str:
    shown = [str(x) for x in list(names)[:_SHOWN]]
    more = len(names) - len(shown)
    if more:
        shown.append(f"{more} more")
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise InputError(f"{name} must be a whole number of at least 1", column=name, value=value)
    return int(value)


def _share(value: Any, name: str) -> float:
    try:
        share = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number between 0 and 1", column=name, value=value) from None
    if not 0 <= share <= 1:
        raise InputError(f"{name} must be a number between 0 and 1", column=name, value=value)
    return share
