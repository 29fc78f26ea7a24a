"""Burt's structural holes: effective size and constraint.

For organisation i in the flattened graph (chosen layers summed with their
layer weights) with partners N(i), let a_ij be the tie weight (1 for every
tie when ``weighted=False``), s_i = sum_k a_ik the strength and
x_j = max_k a_jk the strongest tie of j. Following Burt (1992) and the
networkx / UCINET convention,

- proportional tie strength (normalised mutual weight)
  ``p_ij = (a_ij + a_ji) / sum_k (a_ik + a_ki) = a_ij / s_i`` and
  ``m_jq = (a_jq + a_qj) / max_k (a_jk + a_kj) = a_jq / x_j``
  (ties are undirected, so the mutual weight is twice the tie weight and the
  factor cancels);
- ``effective_size`` e_i = sum_{j in N(i)} (1 - sum_q p_iq m_jq): the number
  of partners minus their redundancy. Without weights it equals Borgatti's
  n - 2t/n (n partners, t ties among them);
- ``constraint`` c_i = sum_{j in N(i)} (p_ij + sum_q p_iq p_qj)^2: how much
  i's time and energy is invested in partners who are invested in each other.
  Each term lies in (0, 1] and the terms add up to less than 2, so c_i lies
  in [1/n, 2) for n partners: 1/n when no partner is tied to another (and
  ties are equally strong), 1 for a single partner; without weights at most
  1.125, reached with two partners tied to each other.

Both are NaN for isolates (no partner), as in networkx.

How it is computed. With A the symmetric weighted adjacency matrix,
D = diag(s) and P = D^-1 A, both measures need the two-step products only on
existing ties::

    T = (A A) o [A > 0]           T_ij = sum_q a_iq a_jq
    B = (A D^-1 A) o [A > 0]      B_ij = sum_q a_iq a_jq / s_q

so that (P P)_ij = B_ij / s_i and sum_q p_iq m_jq = T_ij / (s_i x_j), giving::

    c_i = sum_{j in N(i)} ((a_ij + B_ij) / s_i)^2
    e_i = |N(i)| - (1 / s_i) sum_{j in N(i)} T_ij / x_j.

T and B are computed without forming A A, which fills in densely around hubs
(6.8e8 products on the CORDIS network): both are sums over the common partners
q of i and j, i.e. over the triangles {i, j, q}, and each triangle adds one
term to each of its three ties. Organisations are numbered by ascending
degree; for every tie (u, v) with u < v, the partners w > v of u (a tail of
u's sorted row) are looked up among the partners of v in a reusable dense
position table. Each triangle is then found once, from its lowest-degree
corner, with sum_u C(d+(u), 2) lookups, d+(u) the number of partners of u
with higher degree (1.7e7 on CORDIS, where the largest d+ is 171 while hubs
have over 6,000 partners). The work runs in chunks of bounded size, so memory
is O(ties) plus fixed buffers; no n x n array is formed.

References
----------
Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition.*
Harvard University Press.

Burt, R. S. (2004). Structural holes and good ideas. *American Journal of
Sociology* 110(2), 349-399.

Borgatti, S. P. (1997). Structural holes: unpacking Burt's redundancy
measures. *Connections* 20(1), 35-38.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..errors import InputError
from ..network import CollaborationNetwork
from .orientation import degree_rank

__all__ = ["constraint", "effective_size", "structural_holes"]

#: Candidate partner lookups per chunk (bounds the temporary arrays: ~100 bytes each).
_MAX_CANDIDATES = 1 << 19
#: Entries of the dense position table (rows x organisations).
_MAX_LOOKUP = 1 << 23


def effective_size(
    network: CollaborationNetwork,
    *,
    weighted: bool = False,
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
) -> pd.Series:
    r"""Burt's effective size of each organisation's ego network.

    .. math::

       e_i = \sum_{j \in N(i)} \Bigl(1 - \sum_{q} p_{iq}\, m_{jq}\Bigr),
       \qquad p_{iq} = \frac{a_{iq}}{\sum_k a_{ik}}, \quad
       m_{jq} = \frac{a_{jq}}{\max_k a_{jk}}

    where :math:`a` is the tie weight (1 for every tie when
    ``weighted=False``, which gives Borgatti's :math:`n - 2t/n` with n
    partners and t ties among them). Effective size runs from 1 (all
    partners tied to each other as strongly as possible) to the number of
    partners (no partner tied to another).

    Parameters
    ----------
    network : CollaborationNetwork
    weighted : bool
        Use the flattened tie weights; otherwise every tie counts 1.
    layers, layer_weights : optional
        Which layers to flatten and how to weight them (layer weights only
        matter when ``weighted=True``).

    Returns
    -------
    pandas.Series
        Named ``effective_size``, indexed by ``org_id``; NaN for isolates.

    Raises
    ------
    InputError
        When ``weighted=True`` and a flattened tie weight is negative or not
        finite.

    Notes
    -----
    Follows networkx's per-node definition (``nx.effective_size(G,
    nodes=list(G), weight="weight")``). networkx 3.6.1's fast path (no
    ``nodes=``) divides :math:`a_{jq}` by :math:`\max_k a_{qk}` instead of
    :math:`\max_k a_{jk}` and so gives other values on weighted and on
    directed graphs; it agrees on unweighted undirected graphs.

    Examples
    --------
    A star: three partners not tied to each other, then two of them tied.

    >>> orgs = pd.DataFrame(index=pd.Index(list("abcde"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 0, 0], "target": [1, 2, 3],
    ...                      "layer": "partnership", "weight": 1.0, "year": 2020})
    >>> effective_size(CollaborationNetwork(orgs, ties)).tolist()
    [3.0, 1.0, 1.0, 1.0, nan]
    >>> closed = pd.concat([ties, ties.iloc[[0]].assign(source=1, target=2)])
    >>> round(float(effective_size(CollaborationNetwork(orgs, closed))["a"]), 3)
    2.333

    References
    ----------
    Burt (1992), ch. 1; Borgatti (1997). See :mod:`netcluster.metrics.holes`.
    """
    table = structural_holes(network, weighted=weighted, layers=layers, layer_weights=layer_weights)
    return table["effective_size"]


def constraint(
    network: CollaborationNetwork,
    *,
    weighted: bool = False,
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
) -> pd.Series:
    r"""Burt's constraint on each organisation.

    .. math::

       c_i = \sum_{j \in N(i)} \Bigl(p_{ij} + \sum_{q} p_{iq}\, p_{qj}\Bigr)^2,
       \qquad p_{ij} = \frac{a_{ij}}{\sum_k a_{ik}}

    where :math:`a` is the tie weight (1 for every tie when
    ``weighted=False``). Low constraint means ties into otherwise
    disconnected groups (brokerage opportunities): 1/n with n equally
    strong partners not tied to each other, 1 with a single partner, 1.125
    with two partners tied to each other (the unweighted maximum); weighted
    values stay below 2.

    Parameters
    ----------
    network : CollaborationNetwork
    weighted : bool
        Use the flattened tie weights; otherwise every tie counts 1.
    layers, layer_weights : optional
        Which layers to flatten and how to weight them (layer weights only
        matter when ``weighted=True``).

    Returns
    -------
    pandas.Series
        Named ``constraint``, indexed by ``org_id``; NaN for isolates.

    Raises
    ------
    InputError
        When ``weighted=True`` and a flattened tie weight is negative or not
        finite.

    Notes
    -----
    Same values as ``networkx.constraint(G, weight=...)`` and igraph's
    ``Graph.constraint(weights=...)`` on undirected graphs.

    Examples
    --------
    >>> orgs = pd.DataFrame(index=pd.Index(list("abcd"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 0, 0, 1], "target": [1, 2, 3, 2],
    ...                      "layer": "partnership", "weight": [1.0, 1.0, 1.0, 4.0],
    ...                      "year": 2020})
    >>> net = CollaborationNetwork(orgs, ties)
    >>> constraint(net).round(3).tolist()
    [0.611, 1.007, 1.007, 1.0]
    >>> constraint(net, weighted=True).round(3).tolist()
    [0.831, 0.881, 0.881, 1.0]

    References
    ----------
    Burt (1992), ch. 2; Burt (2004). See :mod:`netcluster.metrics.holes`.
    """
    table = structural_holes(network, weighted=weighted, layers=layers, layer_weights=layer_weights)
    return table["constraint"]


def structural_holes(
    network: CollaborationNetwork,
    *,
    weighted: bool = False,
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Effective size and constraint together, computed in one pass.

    Same parameters and definitions as :func:`effective_size` and
    :func:`constraint`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``org_id``; columns ``effective_size`` and ``constraint``.

    Examples
    --------
    >>> orgs = pd.DataFrame(index=pd.Index(list("abc"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0], "target": [1], "layer": "partnership",
    ...                      "weight": 1.0, "year": 2020})
    >>> structural_holes(CollaborationNetwork(orgs, ties)).loc["a"].tolist()
    [1.0, 1.0]
    """
    matrix = network.to_csr(layers, layer_weights)
    if weighted:
        data = matrix.data
        bad = ~np.isfinite(data) | (data < 0)
        if bad.any():
            raise InputError(
                "structural-holes measures need non-negative, finite tie weights; "
                "use weighted=False to count ties only",
                column="weight",
                value=float(data[bad][0]),
            )
    else:
        matrix = matrix.copy()
        matrix.eliminate_zeros()
        matrix.data = np.ones_like(matrix.data)
    esize, constr = _holes_from_matrix(matrix, directed=False)
    return pd.DataFrame({"effective_size": esize, "constraint": constr}, index=network.org_ids)


# -- the sparse core ---------------------------------------------------------------------
def _holes_from_matrix(
    weights: sp.spmatrix | sp.sparray,
    directed: bool = False,
    *,
    max_candidates: int = _MAX_CANDIDATES,
    max_lookup: int = _MAX_LOOKUP,
) -> tuple[np.ndarray, np.ndarray]:
    """Effective size and constraint of every node of a weighted adjacency matrix.

    ``weights[i, j]`` is the weight of the tie (or, when ``directed``, the
    arc) from i to j. Ties are combined into mutual weights
    ``a_ij = w_ij + w_ji`` as in networkx; for an undirected (symmetric)
    matrix the factor 2 cancels, so ``a = w`` is used directly. The diagonal
    is ignored. Returns two float arrays with NaN for nodes without a
    partner.
    """
    m, rank = _by_degree(weights, directed)
    n = m.shape[0]
    indptr = m.indptr.astype(np.int64)
    indices = m.indices.astype(np.int64)
    data = m.data
    degree = np.diff(indptr)
    row = np.repeat(np.arange(n, dtype=np.int64), degree)
    strength = np.bincount(row, weights=data, minlength=n)
    strongest = np.zeros(n)
    nonempty = np.flatnonzero(degree > 0)
    strongest[nonempty] = np.maximum.reduceat(data, indptr[nonempty]) if data.size else 0.0

    two_step, two_step_scaled = _triangle_sums(
        indptr, indices, row, data, strength, max_candidates=max_candidates, max_lookup=max_lookup
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        # c_i = sum_j ((a_ij + B_ij) / s_i)^2 ; e_i = deg_i - sum_j T_ij / (s_i x_j)
        local = ((data + two_step_scaled) / strength[row]) ** 2
        constr = np.bincount(row, weights=local, minlength=n).astype(np.float64)
        redundancy = np.bincount(row, weights=two_step / strongest[indices], minlength=n) / strength
        esize = (degree - redundancy).astype(np.float64)
    isolate = degree == 0
    constr[isolate] = np.nan
    esize[isolate] = np.nan
    return esize[rank], constr[rank]


def _by_degree(
    weights: sp.spmatrix | sp.sparray, directed: bool
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Mutual weights without self-ties, nodes renumbered by ascending degree.

    Returns the canonical CSR matrix (sorted indices, no zeros) and ``rank``,
    the new number of each node. Numbering by degree lets every triangle be
    found once, from its lowest-degree corner, scanning only partners of
    higher degree.
    """
    # scipy-stubs models spmatrix/sparray as mixins its constructors do not accept with a
    # dtype; scipy itself accepts any sparse matrix or array here.
    a = sp.csr_matrix(weights, dtype=np.float64)  # type: ignore[call-overload]
    if a.shape[0] != a.shape[1]:
        raise ValueError("the adjacency matrix must be square")
    n = a.shape[0]
    if directed:
        a = (a + a.T).tocsr()
    elif a.nnz and abs(a - a.T).max() > 1e-12 * max(1.0, abs(a).max()):
        raise ValueError("an undirected adjacency matrix must be symmetric; pass directed=True")
    a = a.tocoo()
    keep = (a.row != a.col) & (a.data != 0)
    if (a.data[keep] < 0).any() or not np.isfinite(a.data[keep]).all():
        raise ValueError("tie weights must be non-negative and finite")
    row, col = a.row[keep].astype(np.int64), a.col[keep].astype(np.int64)
    rank = degree_rank(np.bincount(row, minlength=n))
    m = sp.csr_matrix((a.data[keep], (rank[row], rank[col])), shape=(n, n))
    m.sum_duplicates()
    m.sort_indices()
    return m, rank


def _triangle_sums(
    indptr: np.ndarray,
    indices: np.ndarray,
    row: np.ndarray,
    data: np.ndarray,
    strength: np.ndarray,
    *,
    max_candidates: int,
    max_lookup: int,
) -> tuple[np.ndarray, np.ndarray]:
    """T_ij = sum_q a_iq a_jq and B_ij = sum_q a_iq a_jq / s_q on every stored (i, j).

    The CSR matrix (``row`` is the row of each stored entry) must be
    symmetric with sorted indices, and its nodes numbered by ascending
    degree. Both sums run over the common partners q of i and j, that is over
    the triangles {i, j, q}. Each triangle u < v < w is found once: for every
    tie (v, u) with u < v, the partners w > v of u (the tail of u's sorted
    row) are looked up among the partners of v in a reusable dense table
    ``lookup[v, w] = 1 + position of (v, w)``, filled and cleared row by row
    for a chunk of v's. With degree ordering the number of lookups is
    sum_u C(d+(u), 2), d+(u) the number of partners of higher degree, which
    stays small even around hubs. Each triangle then adds to its three ties.
    """
    n = indptr.size - 1
    nnz = indices.size
    two_step = np.zeros(nnz)
    two_step_scaled = np.zeros(nnz)
    lower = np.flatnonzero(indices < row)  # (v, u) with u < v, grouped by v
    if lower.size == 0:
        return two_step, two_step_scaled
    mirror = _mirror_positions(indptr, indices)
    upper = mirror[lower]
    v_of = row[lower]
    u_of = indices[lower]
    n_candidates = indptr[u_of + 1] - upper - 1  # partners w of u with w > v
    upper_start = indptr[:-1] + np.bincount(v_of, minlength=n)
    first = np.empty(lower.size, dtype=bool)
    first[0] = True
    first[1:] = v_of[1:] != v_of[:-1]
    group = np.cumsum(first) - 1
    cumulative = np.cumsum(n_candidates)

    lookup_rows = max(1, min(int(group[-1]) + 1, max_lookup // max(n, 1)))
    lookup = np.zeros(lookup_rows * n, dtype=np.int32 if nnz < 2**31 - 1 else np.int64)
    strength_of_col = strength[indices]
    pending: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    n_pending = 0
    flush_at = nnz  # a flush costs O(nnz): amortised over at least as many entries

    start = 0
    while start < lower.size:
        done = cumulative[start - 1] if start else 0
        end = min(
            int(np.searchsorted(cumulative, done + max_candidates, side="right")),
            int(np.searchsorted(group, group[start] + lookup_rows, side="left")),
        )
        end = max(end, start + 1)
        chunk = slice(start, end)
        local_row = group[chunk] - group[start]
        rows = v_of[chunk][first[chunk] | (np.arange(end - start) == 0)]

        filled, which = _expand(upper_start[rows], indptr[rows + 1] - upper_start[rows])
        slots = which * n + indices[filled]
        lookup[slots] = filled + 1

        candidate, tie = _expand(upper[chunk] + 1, n_candidates[chunk])
        found = lookup[local_row[tie] * n + indices[candidate]]
        hit = found > 0
        tie = tie[hit]
        uw = candidate[hit]  # position of (u, w)
        vw = found[hit].astype(np.int64) - 1  # position of (v, w)
        uv = upper[chunk][tie]  # position of (u, v)
        a_uv, a_uw, a_vw = data[uv], data[uw], data[vw]
        s_u = strength[u_of[chunk]][tie]
        s_v = strength[v_of[chunk]][tie]
        s_w = strength_of_col[uw]
        t_uv, t_uw, t_vw = a_uw * a_vw, a_uv * a_vw, a_uv * a_uw  # middle node w, v, u
        pending += [(uv, t_uv, t_uv / s_w), (uw, t_uw, t_uw / s_v), (vw, t_vw, t_vw / s_u)]
        n_pending += 3 * tie.size
        lookup[slots] = 0
        if n_pending >= flush_at:
            _flush(pending, two_step, two_step_scaled)
            n_pending = 0
        start = end
    _flush(pending, two_step, two_step_scaled)

    upper_entries = np.flatnonzero(indices > row)
    two_step[mirror[upper_entries]] = two_step[upper_entries]
    two_step_scaled[mirror[upper_entries]] = two_step_scaled[upper_entries]
    return two_step, two_step_scaled


def _flush(pending: list, two_step: np.ndarray, two_step_scaled: np.ndarray) -> None:
    if not pending:
        return
    positions = np.concatenate([p for p, _, _ in pending])
    two_step += np.bincount(positions, np.concatenate([t for _, t, _ in pending]), two_step.size)
    two_step_scaled += np.bincount(
        positions, np.concatenate([b for _, _, b in pending]), two_step.size
    )
    pending.clear()


def _mirror_positions(indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """For each stored (i, j) of a symmetric CSR pattern, the position of (j, i)."""
    n = indptr.size - 1
    positions = sp.csr_matrix(
        (np.arange(indices.size, dtype=np.float64), indices, indptr), shape=(n, n)
    )
    return positions.T.tocsr().data.astype(np.int64)


def _expand(starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate ``arange(start, start + length)`` and say which range each came from."""
    lengths = lengths.astype(np.int64)
    which = np.repeat(np.arange(lengths.size, dtype=np.int64), lengths)
    offsets = np.cumsum(lengths) - lengths
    positions = np.arange(which.size, dtype=np.int64) + (starts.astype(np.int64) - offsets)[which]
    return positions, which
