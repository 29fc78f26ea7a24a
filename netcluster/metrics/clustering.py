"""Local clustering: how closely an organisation's local partners work with each other.

For organisation i with a known locality L(i) (same country and same
locality key, see :func:`netcluster.geography.locality_codes`), let G_L be
the subgraph induced by the organisations of that locality in the flattened,
unweighted graph (an edge wherever the chosen layers give a positive
weight). Then

    k_i = number of partners of i in its locality,
    t_i = number of ties among those partners (triangles through i in G_L),
    local_clustering(i) = 2 t_i / (k_i (k_i - 1)),

the ordinary (Watts & Strogatz) clustering coefficient of i inside G_L.
Partners elsewhere, and ties among them, do not count. The value is NaN when
k_i < 2 (no pair of local partners to be tied) or when i's locality or
country is unknown. networkx's ``clustering`` gives 0 instead of NaN when
k_i < 2; igraph's ``transitivity_local_undirected(mode="nan")`` gives NaN,
as here.

Computed on sparse matrices: the adjacency A is restricted to the ties whose
ends share a known locality (a mask on the CSR entries where
``loc[row] == loc[col] >= 0``) and binarised; the triangles are
t = diag(A³) / 2 = rowsum((A @ A) ⊙ A) / 2. Forming A @ A costs Σ_j k_j²
two-paths, which hubs make large, so the products are taken on the ties
oriented from lower- to higher-degree end (each triangle counted once, then
credited to its three corners; Chiba & Nishizeki 1985), a block of rows at a
time with at most about :data:`CHUNK_WORK` two-paths per block. On the full
CORDIS H2020 graph taken as one locality (36k organisations, 761k ties,
largest degree 6,621) this took 0.8 s against 5.1 s for the plain product.
The tests keep the plain formula as the reference.

References
----------
Watts, D. J. & Strogatz, S. H. (1998). Collective dynamics of 'small-world'
networks. *Nature* 393, 440-442.

Chiba, N. & Nishizeki, T. (1985). Arboricity and subgraph listing
algorithms. *SIAM Journal on Computing* 14(1), 210-223.

Bathelt, H., Malmberg, A. & Maskell, P. (2004). Clusters and knowledge: local
buzz, global pipelines and the process of knowledge creation. *Progress in
Human Geography* 28(1), 31-56.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..geography import country_codes, local_pairs
from ..network import CollaborationNetwork
from .orientation import upward_ties

__all__ = ["local_clustering", "CHUNK_WORK"]

#: Upper bound on the two-paths (entries of A @ A before merging) formed per block of rows.
CHUNK_WORK = 1 << 24


def local_clustering(
    network: CollaborationNetwork,
    *,
    locality: str = "region",
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
) -> pd.Series:
    """Clustering coefficient of each organisation inside its own locality.

    C_i = 2 t_i / (k_i (k_i - 1)), where k_i counts i's partners in its
    locality and t_i the ties among them (see the module docstring).

    Parameters
    ----------
    network : CollaborationNetwork
    locality : str
        Locality key: ``"region"`` (default), ``"city"``, ``"nuts1"`` to
        ``"nuts3"``, ``"country"`` or another organisation column (see
        :func:`netcluster.geography.locality_codes`). Localities are always
        compared within a country.
    layers, layer_weights : optional
        Which layers to flatten. Ties are unweighted, so layer weights only
        matter through the layers they select.

    Returns
    -------
    pandas.Series
        Named ``local_clustering``, indexed by ``org_id``, float in [0, 1];
        NaN for organisations with fewer than two partners in their locality
        or with an unknown locality or country.

    Raises
    ------
    InputError
        For an unknown locality key or layer.

    Notes
    -----
    Layers projected from events (co-patents, projects, memberships) turn
    every event into a clique, so organisations whose local ties come from
    shared events score high by construction: on the CORDIS H2020 projects
    with the country as locality, 61 % of the defined values are exactly 1.
    Choose ``layers`` accordingly (e.g. leave ``membership`` out).

    Examples
    --------
    In Vestland, a is tied to b, c and d, and b-c is the only tie among
    them: C_a = 2·1 / (3·2) = 1/3. The tie a-e leaves the region and does
    not count; d has one local partner, so its value is NaN.

    >>> orgs = pd.DataFrame({"country": ["NO"] * 4 + ["DK"],
    ...                      "region": ["Vestland"] * 4 + ["Syddanmark"]},
    ...                     index=pd.Index(list("abcde"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 0, 0, 1, 0], "target": [1, 2, 3, 2, 4],
    ...                      "layer": "partnership", "weight": 1.0, "year": 2020})
    >>> local_clustering(CollaborationNetwork(orgs, ties)).round(4).tolist()
    [0.3333, 1.0, 1.0, nan, nan]
    """
    adjacency = _local_adjacency(network.to_csr(layers, layer_weights), network.orgs, locality)
    degree = np.diff(adjacency.indptr).astype(np.int64)
    triangles = _triangles(adjacency)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = 2.0 * triangles / (degree * (degree - 1.0))
    value[degree < 2] = np.nan
    return pd.Series(value, index=network.org_ids, name="local_clustering")


def _local_adjacency(adjacency: sp.csr_matrix, orgs: pd.DataFrame, locality: str) -> sp.csr_matrix:
    """0/1 CSR (int32, sorted indices) of the positive entries joining two organisations of one locality."""
    n = adjacency.shape[0]
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(adjacency.indptr))
    cols = adjacency.indices.astype(np.int64)
    countries = country_codes(orgs)
    same_country = (countries[rows] >= 0) & (countries[rows] == countries[cols])
    keep = (adjacency.data > 0) & (rows != cols) & same_country
    keep[keep] = local_pairs(orgs, rows[keep], cols[keep], locality)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows[keep], minlength=n), out=indptr[1:])
    local = sp.csr_matrix(
        (np.ones(int(keep.sum()), dtype=np.int32), cols[keep].astype(np.int32), indptr), shape=(n, n)
    )
    local.sort_indices()
    return local


def _triangles(a: sp.csr_matrix, chunk_work: int = CHUNK_WORK) -> np.ndarray:
    """Triangles through each node of a symmetric 0/1 CSR, diag(A³) / 2, by degree orientation.

    With L the ties oriented from lower to higher (degree, code) rank, a
    triangle x < y < z (by rank) has the ties x→y, x→z and y→z, and

    - P = (L @ L) ⊙ L counts it once, at (x, z): row sums give the
      triangles where a node is lowest, column sums those where it is highest;
    - Q = (Lᵀ @ L) ⊙ L counts it once, at (y, z): row sums give the
      triangles where a node is in the middle.

    Out-degrees in L are at most sqrt(2m), so the two-paths formed stay near
    m^1.5 however large the hubs; rows are taken in blocks of at most about
    ``chunk_work`` two-paths.
    """
    n = a.shape[0]
    result = np.zeros(n, dtype=np.float64)
    if a.nnz == 0:
        return result.astype(np.int64)
    _, rows, cols, up = upward_ties(a)
    lower = sp.csr_matrix(
        (np.ones(int(up.sum()), dtype=np.int32), (rows[up], cols[up])), shape=(n, n)
    )
    lower.sort_indices()
    upper = lower.T.tocsr()
    upper.sort_indices()
    out_degree = np.diff(lower.indptr).astype(np.float64)
    for left, sums in ((lower, ("row", "col")), (upper, ("row",))):
        work = np.asarray(left @ out_degree).ravel()  # two-paths formed per row
        for block in _blocks(work, chunk_work):
            closed = (left[block] @ lower).multiply(lower[block]).tocoo()
            if "row" in sums:
                result += np.bincount(block[closed.row], weights=closed.data, minlength=n)
            if "col" in sums:
                result += np.bincount(closed.col, weights=closed.data, minlength=n)
    return np.rint(result).astype(np.int64)


def _blocks(work: np.ndarray, budget: int) -> Iterable[np.ndarray]:
    """Consecutive blocks of the rows with work, each within the budget (or one heavy row)."""
    rows = np.flatnonzero(work > 0)
    ends = np.cumsum(work[rows])
    start = 0
    while start < rows.size:
        base = ends[start - 1] if start else 0.0
        stop = max(int(np.searchsorted(ends, base + budget, side="right")), start + 1)
        yield rows[start:stop]
        start = stop
