"""Gould–Fernandez brokerage roles in undirected collaboration data.

An *open two-path* through broker b is an unordered pair of partners {a, c}
of b that are not partners of each other (a - b - c, no tie a - c). With a
grouping of organisations (country by default, or a locality), b's role on
the path is

========================  ===============================================
role                      groups of (a, b, c)
========================  ===============================================
``gf_coordinator``        all three in one group
``gf_itinerant``          a and c in one group, b in another
``gf_gatekeeper``         b shares its group with exactly one of a, c
``gf_liaison``            three different groups
========================  ===============================================

Collaboration ties have no direction, so Gould & Fernandez's *gatekeeper*
(the outsider sends to b's group) and *representative* (b's group sends
out) cannot be told apart: both are counted once, in ``gf_gatekeeper``. Each
unordered pair {a, c} is one path. R's ``sna::brokerage`` walks every
undirected path in both directions, so on the same data its
representative (``b_IO``) and gatekeeper (``b_OI``) columns each equal our
``gf_gatekeeper`` while its coordinator (``w_I``), itinerant (``w_O``),
liaison (``b_O``) and total (``t``) are twice ours. Roles are defined by the
pattern above, not by column labels: the labels of sna's columns disagree
between its help, its source comments and some wrappers, so the comparison
is with the patterns its C code counts (``w_I``: all one group; ``b_IO``:
sender with broker; ``b_OI``: broker with receiver; ``w_O``: sender with
receiver; ``b_O``: three groups).

Counts are computed without enumerating paths: from each broker's
partner counts per group (all pairs of partners, by group pattern) minus
the pairs of partners that are themselves tied (the triangles through b,
by group pattern). Triangles are listed once each by orienting every tie
from the lower- to the higher-degree end (Chiba & Nishizeki 1985; Schank &
Wagner 2005), in chunks of bounded size.

References
----------
Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a formal
approach to brokerage in transaction networks. *Sociological Methodology*
19, 89-126.

Chiba, N. & Nishizeki, T. (1985). Arboricity and subgraph listing
algorithms. *SIAM Journal on Computing* 14(1), 210-223.

Schank, T. & Wagner, D. (2005). Finding, counting and listing all triangles
in large graphs, an experimental study. *WEA 2005*, LNCS 3503, 606-609.

Butts, C. T. (2008). Social network analysis with sna. *Journal of
Statistical Software* 24(6); the ``brokerage`` function of the R package
sna (file ``R/gli.R``, moments; ``src/gli.c``, counts).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..network import CollaborationNetwork
from .orientation import upward_ties
from .ei import group_array

__all__ = ["brokerage", "ROLES"]

#: Brokerage roles, in the order of the output columns.
ROLES = ("coordinator", "itinerant", "gatekeeper", "liaison")

# Two-paths examined at once while listing triangles: small enough for the working
# arrays to stay in cache (measured fastest on CORDIS), and a bound on memory.
_CHUNK = 1 << 16


def brokerage(
    network: CollaborationNetwork,
    *,
    group_by: str | Mapping | pd.Series = "country",
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    r"""Gould–Fernandez brokerage counts per organisation, with a random-graph null.

    Parameters
    ----------
    network : CollaborationNetwork
    group_by : str, mapping or pandas.Series
        ``"country"`` (default) or a locality key (``"region"``, ``"city"``,
        ``"nuts1"``-``"nuts3"`` or an organisation column; see
        :func:`netcluster.geography.group_codes`), or a mapping / Series
        from ``org_id`` to a group label (organisations left out, or mapped
        to a missing value, have an unknown group).
    layers, layer_weights : optional
        Which layers to flatten. Two organisations are partners when their
        flattened weight is positive; weights play no other part.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``org_id``, with columns

        ``gf_coordinator``, ``gf_itinerant``, ``gf_gatekeeper``, ``gf_liaison``
            classified open two-paths through the organisation, by role (int);
        ``gf_total``
            their sum: the classified open two-paths (int);
        ``open_two_paths``
            all open two-paths through the organisation, classified or not,
            C(k, 2) - t with k partners and t triangles (int);
        ``gf_<role>_expected``, ``gf_<role>_z``
            for each role and ``total``: expected count and z-score under
            the null model below (float; NaN for organisations of unknown
            group, and z is NaN where the null variance is 0).

    Notes
    -----
    **Counts.** For broker b of group g, let n_h be the number of b's
    partners in group h (partners of unknown group left out),
    K = Σ_h n_h, s = n_g and O = K - s. The pairs of partners by pattern are

    .. math::

        P_{coord} = \binom{s}{2},\quad
        P_{itin} = \sum_{h \ne g} \binom{n_h}{2},\quad
        P_{gate} = s\,O,\quad
        P_{liai} = \tfrac12\Big(O^2 - \sum_{h \ne g} n_h^2\Big),

    which add up to C(K, 2). Each triangle {b, a, c} with a, c of known
    group closes one such pair, classified the same way; the role count is
    P_role minus the closed pairs of that pattern.

    **Unknown groups.** An open two-path is classified only when the broker
    and both ends have a known group; others are in no role column, so
    ``gf_total`` <= ``open_two_paths``, with equality when the broker and all
    its partners have a known group. Organisations of unknown group get 0 in
    the role columns and NaN expectations and z-scores. The classified counts
    equal the brokerage counts of the subgraph induced by the organisations
    of known group, and the null model is defined on that subgraph.

    **Null model**: the random-graph baseline of Gould & Fernandez (1989)
    with the moments of sna's ``brokerage``, rewritten for unordered pairs. Ties form independently
    with probability p = E / C(M, 2), the density of the subgraph of the M
    organisations of known group (E ties among them), with the observed group
    sizes m_h (sum M). A given pair {a, c} is an open two-path through b with
    probability q = p²(1 - p). For broker b in group g, with r = m_g - 1
    other members of its group and R = M - m_g outsiders, the candidate
    pairs per role are

    .. math::

        N_{coord} = \binom{r}{2},\quad
        N_{itin} = \sum_{h \ne g} \binom{m_h}{2},\quad
        N_{gate} = r R,\quad
        N_{liai} = \sum_{h < h';\ h, h' \ne g} m_h m_{h'},\quad
        N_{total} = \binom{M - 1}{2}.

    Expected count E = N q. Two candidate pairs sharing one organisation
    share one tie to b and have covariance p³(1 - p)³; pairs sharing no
    organisation are independent. So Var = N q (1 - q) + W p³(1 - p)³, where W
    counts the ordered pairs of distinct candidate pairs sharing an
    organisation:

    .. math::

        W_{coord} = r(r-1)(r-2),\quad
        W_{itin} = \sum_{h \ne g} m_h(m_h-1)(m_h-2),\quad
        W_{gate} = rR(R-1) + Rr(r-1),

        W_{liai} = \sum_{h \ne g} m_h (R - m_h)(R - m_h - 1),\quad
        W_{total} = (M-1)(M-2)(M-3).

    z = (count - E) / sqrt(Var). Compared with sna on the same undirected
    data (sna counts ordered paths), sna's expectations and variances for
    coordinator, itinerant, liaison and total are twice these, so its
    z-scores for those roles are sqrt(2) times ours; for gatekeeper and
    representative they equal ours. The expectation depends only on the
    broker's group, not on its number of partners, and the Bernoulli null
    ignores degree heterogeneity: in collaboration networks with hubs, large
    positive z are the rule (up to ~6·10⁴ on CORDIS H2020). Read z as a
    distance from a random network of the same density, not as a
    significance test; within one group it orders organisations exactly as
    the count does.

    Examples
    --------
    A chain a - b - c - d where a, b are Norwegian and c, d Danish:

    >>> import pandas as pd
    >>> from netcluster import CollaborationNetwork
    >>> orgs = pd.DataFrame({"country": ["NO", "NO", "DK", "DK"]},
    ...                     index=pd.Index(list("abcd"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 1, 2], "target": [1, 2, 3],
    ...                      "layer": "partnership", "weight": 1.0, "year": 2020})
    >>> table = brokerage(CollaborationNetwork(orgs, ties))
    >>> table["gf_gatekeeper"].tolist(), table["gf_total"].tolist(), table["open_two_paths"].tolist()
    ([0, 1, 1, 0], [0, 1, 1, 0], [0, 1, 1, 0])
    >>> round(float(table.loc["b", "gf_gatekeeper_expected"]), 4)  # p = 1/2, q = 1/8, N = 1 * 2
    0.25
    """
    groups = group_array(network, group_by)
    adjacency = network.to_csr(layers, layer_weights)
    counts = _role_counts(adjacency, groups)
    null = _null_moments(groups, _known_density(adjacency, groups))
    columns: dict[str, np.ndarray] = {}
    for role in (*ROLES, "total"):
        columns[f"gf_{role}"] = counts[role]
    columns["open_two_paths"] = counts["open"]
    for role in (*ROLES, "total"):
        columns[f"gf_{role}_expected"] = null[role][0]
    for role in (*ROLES, "total"):
        expected, variance = null[role]
        with np.errstate(invalid="ignore", divide="ignore"):
            z = (counts[role] - expected) / np.sqrt(variance)
        columns[f"gf_{role}_z"] = np.where(variance > 0, z, np.nan)
    table = pd.DataFrame(columns, index=network.org_ids)
    return table


# -- counts ------------------------------------------------------------------------------
def _binary(adjacency: sp.csr_matrix) -> sp.csr_matrix:
    """Symmetric 0/1 CSR (int32 indices, sorted) of the positive entries."""
    matrix = sp.csr_matrix(adjacency, copy=True)  # the diagonal is empty (see to_csr)
    matrix.data = (matrix.data > 0).astype(np.int8)
    matrix.eliminate_zeros()
    matrix.sort_indices()
    return matrix


def _role_counts(adjacency: sp.csr_matrix, groups: np.ndarray) -> dict[str, np.ndarray]:
    """Open two-paths per broker, by role, plus the unclassified total."""
    a = _binary(adjacency)
    n = a.shape[0]
    groups = np.asarray(groups, dtype=np.int64)
    degree = np.diff(a.indptr).astype(np.int64)
    rows = np.repeat(np.arange(n, dtype=np.int64), degree)
    cols = a.indices.astype(np.int64)

    # all pairs of partners of known group, by pattern, from partner counts per group
    known = (groups[rows] >= 0) & (groups[cols] >= 0)
    b, h = rows[known], groups[cols[known]]
    n_groups = int(groups.max()) + 1 if groups.size and groups.max() >= 0 else 0
    per_group = sp.csr_matrix(
        (np.ones(b.size, dtype=np.int64), (b, h)), shape=(n, max(n_groups, 1))
    )
    per_group.sum_duplicates()
    pg_rows = np.repeat(np.arange(n), np.diff(per_group.indptr))
    n_h = per_group.data.astype(np.int64)
    total_known = np.bincount(pg_rows, weights=n_h, minlength=n).astype(np.int64)
    squares = np.bincount(pg_rows, weights=n_h * n_h, minlength=n).astype(np.int64)
    own = per_group.indices == groups[pg_rows]
    same = np.bincount(pg_rows[own], weights=n_h[own], minlength=n).astype(np.int64)
    other = total_known - same
    other_squares = squares - same * same
    pairs = {
        "coordinator": same * (same - 1) // 2,
        "itinerant": (other_squares - other) // 2,
        "gatekeeper": same * other,
        "liaison": (other * other - other_squares) // 2,
    }

    del rows, cols, known, b, h, per_group, pg_rows, n_h, own  # before the triangle step
    closed, triangles = _closed_pairs(a, groups)
    result = {}
    broker_known = groups >= 0
    for index, role in enumerate(ROLES):
        result[role] = np.where(broker_known, pairs[role] - closed[:, index], 0)
    result["total"] = np.sum([result[role] for role in ROLES], axis=0)
    result["open"] = degree * (degree - 1) // 2 - triangles
    return result


def _closed_pairs(a: sp.csr_matrix, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Triangles through each organisation: by role pattern (n x 4) and in all.

    Each triangle is found once: ties are oriented from lower to higher
    (degree, code) rank, and a triangle x < y < z is the out-wedge y, z of x
    closed by the tie y -> z. Out-degrees are at most sqrt(2m), so the
    number of wedges examined stays near m^1.5 even with hubs.
    """
    n = a.shape[0]
    rank, rows, cols, up = upward_ties(a)
    order = np.argsort(rank)  # rank -> code
    oriented = sp.csr_matrix(
        (np.ones(int(up.sum()), dtype=np.int8), (rank[rows[up]], rank[cols[up]])), shape=(n, n)
    )
    oriented.sort_indices()
    indptr = oriented.indptr.astype(np.int64)
    heads = oriented.indices.astype(np.int64)
    tails = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    keys = tails * n + heads  # sorted: CSR rows in order, columns sorted

    group_rank = groups[order]  # group of each rank
    by_role: np.ndarray = np.zeros(5 * n, dtype=np.int64)  # 4 roles + "unclassified", per rank

    # wedges at each position p of the oriented CSR: p's head with each later head of its row
    row_end = np.repeat(indptr[1:], np.diff(indptr))
    partners = row_end - np.arange(heads.size) - 1
    starts = np.concatenate([[0], np.cumsum(partners)])
    sentinel_keys = np.append(keys, np.iinfo(np.int64).max)
    position = 0
    while position < heads.size:
        # take positions until the chunk holds about _CHUNK wedges (at least one position)
        stop = int(np.searchsorted(starts, starts[position] + _CHUNK, side="right")) - 1
        stop = min(max(stop, position + 1), heads.size)
        counts = partners[position:stop]
        total = int(starts[stop] - starts[position])
        if total:
            where = np.arange(position, stop, dtype=np.int64)
            first = np.repeat(where, counts)
            second = np.arange(total, dtype=np.int64) + np.repeat(
                where + 1 - (starts[position:stop] - starts[position]), counts
            )
            y, z = heads[first], heads[second]
            query = y * n + z
            closed = sentinel_keys[np.searchsorted(keys, query)] == query
            _add_triangles(tails[first[closed]], y[closed], z[closed], group_rank, by_role)
        position = stop
    # back from ranks to codes
    by_role = by_role.reshape(n, 5)
    in_all = by_role.sum(axis=1)
    codes_by_role = np.empty((n, 4), dtype=np.int64)
    codes_by_role[order] = by_role[:, :4]
    codes_all = np.empty(n, dtype=np.int64)
    codes_all[order] = in_all
    return codes_by_role, codes_all


def _corner_role(one: bool, two: bool, opposite: bool) -> int:
    """Role index (see ROLES) of a triangle corner that shares its group with ``one`` and
    ``two`` of the other corners, which share a group with each other when ``opposite``."""
    if one and two:
        return 0  # coordinator
    if one or two:
        return 2  # gatekeeper
    return 1 if opposite else 3  # itinerant, liaison


def _pattern_table() -> np.ndarray:
    """Role seen by corner x, y, z (rows) for each triangle pattern (columns).

    Pattern = 4 [g_x = g_y] + 2 [g_x = g_z] + [g_y = g_z]; pattern 8 (a group
    unknown) maps to 4, the unclassified column.
    """
    table = np.full((3, 9), 4, dtype=np.int64)
    for pattern in range(8):
        xy, xz, yz = bool(pattern & 4), bool(pattern & 2), bool(pattern & 1)
        for corner, sides in enumerate(((xy, xz, yz), (xy, yz, xz), (xz, yz, xy))):
            table[corner, pattern] = _corner_role(*sides)
    return table


_PATTERN_ROLES = _pattern_table()


def _add_triangles(
    x: np.ndarray, y: np.ndarray, z: np.ndarray, groups: np.ndarray, by_role: np.ndarray
) -> None:
    """Add each triangle to its three corners, in the role column each corner sees."""
    gx, gy, gz = groups[x], groups[y], groups[z]
    pattern = 4 * (gx == gy) + 2 * (gx == gz) + (gy == gz).astype(np.int64)
    pattern[(gx < 0) | (gy < 0) | (gz < 0)] = 8
    keys = np.concatenate([
        corner * 5 + _PATTERN_ROLES[index][pattern] for index, corner in enumerate((x, y, z))
    ])
    by_role += np.bincount(keys, minlength=by_role.size)


# -- null model ----------------------------------------------------------------------------
def _known_density(adjacency: sp.csr_matrix, groups: np.ndarray) -> float:
    """Density p of the subgraph induced by the organisations of known group."""
    known = groups >= 0
    upper = sp.triu(adjacency, k=1).tocoo()
    positive = upper.data > 0
    ties = float((known[upper.row[positive]] & known[upper.col[positive]]).sum())
    size = float(known.sum())
    possible = size * (size - 1) / 2
    return ties / possible if possible > 0 else 0.0


def _null_moments(groups: np.ndarray, p: float) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Expected value and variance per broker and role under the Bernoulli null G(M, p)."""
    groups = np.asarray(groups, dtype=np.int64)
    n = groups.size
    known = groups >= 0
    nan = np.full(n, np.nan)
    if not known.any():
        return {role: (nan, nan) for role in (*ROLES, "total")}
    size = np.bincount(groups[known]).astype(np.float64)  # m_h
    total = float(size.sum())  # M
    q = p * p * (1 - p)
    cov = p**3 * (1 - p) ** 3

    m = size
    r = m - 1
    outside = total - m  # R
    sum_c2 = float((m * (m - 1) / 2).sum())
    sum_c3 = float((m * (m - 1) * (m - 2)).sum())
    t1 = float(m.sum()) - m
    t2 = float((m**2).sum()) - m**2
    t3 = float((m**3).sum()) - m**3
    per_group = {
        "coordinator": (r * (r - 1) / 2, r * (r - 1) * (r - 2)),
        "itinerant": (sum_c2 - m * (m - 1) / 2, sum_c3 - m * (m - 1) * (m - 2)),
        "gatekeeper": (r * outside, r * outside * (outside - 1) + outside * r * (r - 1)),
        "liaison": (
            (outside**2 - t2) / 2,
            # sum over h != g of m_h (R - m_h)(R - m_h - 1), expanded in power sums
            outside**2 * t1 - 2 * outside * t2 + t3 - outside * t1 + t2,
        ),
        "total": (
            np.full_like(m, (total - 1) * (total - 2) / 2),
            np.full_like(m, (total - 1) * (total - 2) * (total - 3)),
        ),
    }
    result = {}
    for role, (candidates, shared) in per_group.items():
        expected = candidates * q
        variance = candidates * q * (1 - q) + shared * cov
        result[role] = (
            np.where(known, expected[np.maximum(groups, 0)], np.nan),
            np.where(known, variance[np.maximum(groups, 0)], np.nan),
        )
    return result
