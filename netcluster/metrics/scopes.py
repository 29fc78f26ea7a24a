"""Degrees, strengths and openness by tie scope.

For organisation i in the flattened graph (chosen layers summed with their
layer weights):

- ``degree`` = number of distinct partners; ``strength`` = sum of tie weights;
- ``<scope>_degree`` and ``<scope>_strength`` for scope in local, national,
  international, unknown (see :mod:`netcluster.geography`), which add up to
  ``degree`` and ``strength``;
- ``openness`` = international_degree / (degree - unknown_degree): the share
  of partners abroad among the partners whose scope is known, after Giuliani
  & Bell's external openness; NaN when no partner's scope is known
  (isolates, organisations without a country).

Counted with one numpy ``bincount`` per column kind over the distinct pairs (the upper
triangle of the CSR matrix, :meth:`~netcluster.network.CollaborationNetwork.flat_pairs`),
binned by organisation and scope.

References
----------
Giuliani, E. & Bell, M. (2005). The micro-determinants of meso-level learning
and innovation: evidence from a Chilean wine cluster. *Research Policy* 34(1),
47-68.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..geography import SCOPES, country_codes, local_pairs, pair_scopes
from ..network import CollaborationNetwork

__all__ = ["scope_degrees", "tie_scopes", "outside_openness"]


def scope_degrees(
    network: CollaborationNetwork,
    locality: str = "region",
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Each organisation's partners and tie weight by scope.

    Parameters
    ----------
    network : CollaborationNetwork
    locality : str
        Locality key for ``local`` (see :func:`netcluster.geography.local_pairs`):
        ``"region"``, ``"city"``, ``"nuts1"``-``"nuts3"``, a column, or a
        distance such as ``"km:50"``.
    layers, layer_weights : optional
        Which layers to flatten and how to weight them.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``org_id``; columns ``degree``, ``strength``,
        ``<scope>_degree``, ``<scope>_strength`` for each scope, ``openness``.

    Examples
    --------
    >>> orgs = pd.DataFrame({"country": ["NO", "NO", "NO", "DK"],
    ...                      "region": ["Vestland", "Vestland", "Oslo", "Syddanmark"]},
    ...                     index=pd.Index(list("abcd"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 0, 0], "target": [1, 2, 3], "layer": "partnership",
    ...                      "weight": [1.0, 2.0, 4.0], "year": 2020})
    >>> table = scope_degrees(CollaborationNetwork(orgs, ties))
    >>> table.loc["a", ["degree", "local_degree", "national_degree", "international_degree"]].tolist()
    [3, 1, 1, 1]
    >>> float(table.loc["a", "international_strength"]), round(float(table.loc["a", "openness"]), 3)
    (4.0, 0.333)
    """
    u, v, w = network.flat_pairs(layers, layer_weights)
    scope = pair_scopes(u, v, country_codes(network.orgs), local_pairs(network.orgs, u, v, locality))
    n, kinds = network.n_orgs, len(SCOPES)
    # one bin per (scope, organisation); each pair counts at both ends
    bins = np.tile(scope, 2).astype(np.int64) * n + np.concatenate([u, v])
    degrees = np.bincount(bins, minlength=kinds * n).reshape(kinds, n)
    strengths = np.bincount(bins, weights=np.tile(w, 2), minlength=kinds * n).reshape(kinds, n)
    columns: dict[str, np.ndarray] = {}
    for code, name in enumerate(SCOPES):
        columns[f"{name}_degree"] = degrees[code].astype(np.int64)
        columns[f"{name}_strength"] = strengths[code]
    degree = sum(columns[f"{s}_degree"] for s in SCOPES)
    strength = sum(columns[f"{s}_strength"] for s in SCOPES)
    known = degree - columns["unknown_degree"]
    with np.errstate(invalid="ignore", divide="ignore"):
        openness = np.where(known > 0, columns["international_degree"] / known, np.nan)
    return pd.DataFrame({"degree": degree, "strength": strength, **columns, "openness": openness},
                        index=network.org_ids)


def tie_scopes(network: CollaborationNetwork, locality: str = "region") -> pd.Series:
    """The scope of every row of ``network.ties``, as a categorical Series.

    Examples
    --------
    >>> orgs = pd.DataFrame({"country": ["NO", "DK", None]}, index=pd.Index(list("abc"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 0], "target": [1, 2], "layer": "copatent",
    ...                      "weight": 1.0, "year": 2020})
    >>> tie_scopes(CollaborationNetwork(orgs, ties)).tolist()
    ['international', 'unknown']
    """
    u, v = network.ties["source"].to_numpy(), network.ties["target"].to_numpy()
    codes = pair_scopes(u, v, country_codes(network.orgs), local_pairs(network.orgs, u, v, locality))
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(SCOPES)), name="scope")


def outside_openness(
    network: CollaborationNetwork,
    home: np.ndarray,
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
) -> pd.Series:
    """Share of each organisation's partners that lie outside the home set.

    Giuliani & Bell's external openness counts ties outside the cluster; this
    is that measure with the home set as the cluster (:func:`scope_degrees`'
    ``openness`` counts ties abroad instead). NaN for isolates.

    Parameters
    ----------
    network : CollaborationNetwork
    home : numpy.ndarray of bool
        The home-set mask by organisation code.

    Examples
    --------
    >>> orgs = pd.DataFrame(index=pd.Index(list("abc"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 0], "target": [1, 2], "layer": "partnership",
    ...                      "weight": 1.0, "year": 2020})
    >>> outside_openness(CollaborationNetwork(orgs, ties), np.array([True, True, False])).tolist()
    [0.5, 0.0, 0.0]
    """
    adjacency = network.to_csr(layers, layer_weights)
    binary = sp.csr_matrix((np.ones(adjacency.nnz), adjacency.indices, adjacency.indptr), shape=adjacency.shape)
    degree = np.diff(adjacency.indptr)
    outside = binary @ (~np.asarray(home, dtype=bool)).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(degree > 0, outside / degree, np.nan)
    return pd.Series(share, index=network.org_ids, name="outside_openness")
