"""Communities: detection, stability, comparison with given partitions, and roles.

:func:`detect_communities` finds groups of organisations with more ties among
themselves than the flattened graph would give at random, by maximising the
(generalised) modularity of Newman & Girvan with resolution γ::

    Q = Σ_c [ w_c / W  -  γ (s_c / 2W)² ]

where W is the total tie weight, w_c the weight of ties inside community c
and s_c the summed strength of its members. Methods:

``"leiden"`` (default)
    Traag, Waltman & van Eck's Leiden algorithm through igraph's
    ``community_leiden(objective_function="modularity", weights="weight",
    n_iterations=iterations)``. Every iteration (a pass of node moves,
    refinement and aggregation) leaves each community connected. By default
    2 iterations, igraph's and leidenalg's own default: on the graphs of
    ``docs/communities.md`` they reach Q within 0.07-0.8 % of iterating until
    no move improves Q (``iterations=-1``) in 1/6 to 1/10 of the time, and
    above Louvain's Q. With ``multiplex=True`` the layers are
    kept apart and leidenalg's ``find_partition_multiplex`` maximises
    Σ_l λ_l Q_l (``RBConfigurationVertexPartition`` per layer, i.e.
    modularity with resolution γ; λ_l the layer weights).
``"louvain"``
    Blondel et al.'s multilevel algorithm (igraph ``community_multilevel``);
    its communities may be internally disconnected.
``"label_propagation"``
    Raghavan, Albert & Kumara (igraph ``community_label_propagation``): fast,
    no objective and no resolution; tends to one giant community on dense
    graphs.

Every method is random: ``seed`` fixes igraph's random number generator for
the call (the generator is restored to Python's :mod:`random` afterwards) or
is passed to leidenalg. Communities are numbered 0, 1, ... by decreasing
size, ties broken by the smallest ``org_id`` they contain, so the labels do
not depend on the algorithm's internal numbering.

With ``runs=N`` the detection is repeated with seeds ``seed, ...,
seed+N-1``. The **stability** is the mean over the N(N-1)/2 pairs of runs of
their adjusted Rand index and NMI. The **consensus** is the medoid run: the
run whose mean ARI to the other runs is highest (ties: higher modularity,
then earlier seed). Each organisation's **confidence** is the mean over runs
of the share of its consensus community's other members that the run places
with it (for a consensus singleton: the share of runs that leave it alone).

:func:`compare_partitions` scores two partitions on the organisations both
label (the coverage is reported): NMI with arithmetic normalisation,
2 I(X;Y) / (H(X) + H(Y)) (igraph ``compare_communities(method="nmi")`` and
scikit-learn's default; 1 when both are trivial), Hubert & Arabie's adjusted
Rand index, and the variation of information H(X) + H(Y) - 2 I(X;Y) in nats.

:func:`community_roles` gives Guimerà & Amaral's participation coefficient

    P_i = 1 - Σ_s (κ_is / k_i)²,

(κ_is: i's ties into community s, k_i: its degree; NaN for isolates), the
within-module degree z-score z_i = (κ_i - mean_{s_i} κ) / σ_{s_i} with the
**population** standard deviation over the members of i's community (NaN
when σ = 0), and the roles R1-R7 (see :func:`ga_roles`).

References
----------
Traag, V. A., Waltman, L. & van Eck, N. J. (2019). From Louvain to Leiden:
guaranteeing well-connected communities. *Scientific Reports* 9, 5233.

Blondel, V. D., Guillaume, J.-L., Lambiotte, R. & Lefebvre, E. (2008). Fast
unfolding of communities in large networks. *J. Stat. Mech.* P10008.

Raghavan, U. N., Albert, R. & Kumara, S. (2007). Near linear time algorithm to
detect community structures in large-scale networks. *Phys. Rev. E* 76, 036106.

Guimerà, R. & Amaral, L. A. N. (2005). Functional cartography of complex
metabolic networks. *Nature* 433, 895-900.

Vinh, N. X., Epps, J. & Bailey, J. (2010). Information theoretic measures for
clusterings comparison. *JMLR* 11, 2837-2854.

Hubert, L. & Arabie, P. (1985). Comparing partitions. *Journal of
Classification* 2, 193-218.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import igraph as ig
import numpy as np
import pandas as pd
import scipy.sparse as sp

from .capacity import check_capacity, graph_size
from .errors import InputError
from .geography import country_codes
from .network import CollaborationNetwork

__all__ = [
    "Partition",
    "read_partition",
    "detect_communities",
    "modularity",
    "community_quality",
    "compare_partitions",
    "contingency",
    "community_roles",
    "ga_roles",
    "METHODS",
]

#: The community detection methods :func:`detect_communities` knows.
METHODS = ("leiden", "louvain", "label_propagation")


@dataclass
class Partition:
    """Communities found in a network, with how they were found and how good they are.

    Attributes
    ----------
    membership : pandas.Series
        Community id (int) per ``org_id``, named ``community``; communities
        numbered by decreasing size, ties broken by smallest ``org_id``.
    params : dict
        The arguments of the detection (method, layers, layer weights,
        resolution, seed, runs, multiplex).
    modularity : float
        Q of ``membership`` on the flattened graph at the given resolution.
    quality : pandas.DataFrame
        One row per community (see :func:`community_quality`).
    stability : dict, optional
        With ``runs > 1``: ``ari`` and ``nmi`` (means over pairs of runs),
        ``runs`` and the ``seed`` of the consensus run.
    confidence : pandas.Series, optional
        With ``runs > 1``: each organisation's co-assignment confidence.
    """

    membership: pd.Series
    params: dict[str, Any]
    modularity: float
    quality: pd.DataFrame
    stability: dict[str, Any] | None = None
    confidence: pd.Series | None = field(default=None)


def detect_communities(
    network: CollaborationNetwork,
    method: str = "leiden",
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
    resolution: float = 1.0,
    seed: int = 0,
    runs: int = 1,
    multiplex: bool = False,
    memory_budget: int | str | None = None,
    iterations: int = 2,
) -> Partition:
    """Find communities by modularity (Leiden, Louvain) or label propagation.

    Parameters
    ----------
    network : CollaborationNetwork
    method : {"leiden", "louvain", "label_propagation"}
    layers, layer_weights : optional
        Layers to use and their weights. Flattened into one weighted graph,
        unless ``multiplex=True`` (Leiden only), where each layer keeps its
        own graph and the layer weights weigh the layers' modularities.
    resolution : float
        γ in Q; above 1 gives more, smaller communities, below 1 fewer,
        larger ones. Must stay 1 for label propagation.
    seed : int
        Seed of the first run.
    runs : int
        Number of runs (seeds ``seed .. seed+runs-1``); above 1 adds the
        consensus, ``stability`` and ``confidence``.
    multiplex : bool
        Multiplex Leiden through leidenalg.
    memory_budget : int or str, optional
        Memory the graph may use, in bytes or as a size such as ``"12G"``;
        by default ``NETCLUSTER_MEMORY_BUDGET``, else 80 % of the memory
        available. Checked, as :func:`netcluster.analyze` checks it, before
        any graph is built (:func:`netcluster.capacity.check_capacity`).
    iterations : int
        Leiden iterations (also multiplex); -1 iterates until an iteration
        changes nothing. Ignored by Louvain and label propagation, which
        run to their own end.

    Returns
    -------
    Partition

    Raises
    ------
    CapacityError
        When the estimated memory of the graph stages exceeds the budget
        (see ``docs/scaling.md`` for the ways out).

    Examples
    --------
    >>> orgs = pd.DataFrame({"country": ["NO"] * 3 + ["DK"] * 3},
    ...                     index=pd.Index(list("abcdef"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 0, 1, 3, 3, 4, 2], "target": [1, 2, 2, 4, 5, 5, 3],
    ...                      "layer": "partnership", "weight": 1.0, "year": 2020})
    >>> found = detect_communities(CollaborationNetwork(orgs, ties))
    >>> found.membership.tolist(), round(found.modularity, 4)
    ([0, 0, 0, 1, 1, 1], 0.3571)
    """
    _check_args(method, resolution, runs, multiplex, iterations)
    check_capacity(*graph_size(network, layers), limit=memory_budget)
    pairs = network.flat_pairs(layers, layer_weights)
    seeds = list(range(seed, seed + runs))
    graphs, factors, position = _canonical_graphs(network, layers, layer_weights, multiplex)
    labels = [_run(graphs, factors, method, resolution, s, iterations)[position] for s in seeds]
    chosen, stability = _consensus(labels, pairs, resolution) if runs > 1 else (0, None)
    membership = _membership(labels[chosen], network.org_ids)
    params = {
        "method": method,
        "layers": None if layers is None else list(layers),
        "layer_weights": dict(layer_weights or {}),
        "resolution": float(resolution),
        "seed": seed,
        "runs": runs,
        "multiplex": multiplex,
        "iterations": iterations,
    }
    if stability is not None:
        stability["seed"] = seeds[chosen]
    quality = community_quality(network, membership, layers, layer_weights, resolution)
    return Partition(
        membership=membership,
        params=params,
        modularity=float(quality["modularity"].sum()) if len(pairs[0]) else float("nan"),
        quality=quality,
        stability=stability,
        confidence=None if runs == 1 else _confidence(membership, labels),
    )


def _check_args(method: str, resolution: float, runs: int, multiplex: bool, iterations: int) -> None:
    if method not in METHODS:
        raise InputError(f"unknown community method; use one of {', '.join(METHODS)}", value=method)
    if not (isinstance(resolution, (int, float)) and np.isfinite(resolution) and resolution > 0):
        raise InputError("the resolution must be a positive number", value=resolution)
    if method == "label_propagation" and resolution != 1:
        raise InputError("label propagation has no resolution; leave it at 1", value=resolution)
    if multiplex and method != "leiden":
        raise InputError("multiplex detection is available with method='leiden' only", value=method)
    if not (isinstance(runs, int) and runs >= 1):
        raise InputError("runs must be a positive integer", value=runs)
    if not (isinstance(iterations, int) and (iterations >= 1 or iterations == -1)):
        raise InputError("iterations must be a positive integer, or -1 to iterate until nothing changes",
                         value=iterations)


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """Give igraph a private generator for the duration of a call."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def _canonical_graphs(
    network: CollaborationNetwork,
    layers: Iterable[str] | None,
    layer_weights: Mapping[str, float] | None,
    multiplex: bool,
) -> tuple[list[ig.Graph], list[float] | None, np.ndarray]:
    """The graphs to search, vertices renumbered in ``org_id`` order.

    The organisation codes follow the input's row order; renumbering by id
    makes the communities of a seed independent of that order. Returns the
    flattened graph, or for multiplex one graph per layer and the layers'
    weights (None otherwise), and each code's vertex number.
    """
    order = np.argsort(np.asarray(network.org_ids, dtype=str), kind="stable")
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    factors = None
    if multiplex:
        chosen = list(network.layers) if layers is None else list(layers)
        weights = dict(layer_weights or {})
        factors = [float(weights.get(name, 1.0)) for name in chosen]
        originals = [network.to_igraph([name]) for name in chosen]
    else:
        originals = [network.to_igraph(layers, layer_weights)]
    if (order == np.arange(len(order))).all():  # the codes already follow org_id: no copy needed
        return originals, factors, position
    renumber = order.tolist()  # igraph 1.0: new vertex i is old vertex renumber[i]
    return [graph.permute_vertices(renumber) for graph in originals], factors, position


def _run(graphs: list[ig.Graph], factors: list[float] | None, method: str, resolution: float, seed: int,
         iterations: int) -> np.ndarray:
    """One run's community label per vertex of ``graphs`` (multiplex when ``factors`` are given)."""
    if factors is not None:
        import leidenalg

        membership, _ = leidenalg.find_partition_multiplex(
            graphs,
            leidenalg.RBConfigurationVertexPartition,
            layer_weights=factors,
            n_iterations=iterations,
            seed=seed,
            weights="weight",
            resolution_parameter=resolution,
        )
        return np.asarray(membership, dtype=np.int64)
    graph = graphs[0]
    with _seeded(seed):
        if method == "leiden":
            found = graph.community_leiden(
                objective_function="modularity", weights="weight", resolution=resolution,
                n_iterations=iterations,
            )
        elif method == "louvain":
            found = graph.community_multilevel(weights="weight", resolution=resolution)
        else:
            found = graph.community_label_propagation(weights="weight")
    return np.asarray(found.membership, dtype=np.int64)


def _membership(labels: np.ndarray, org_ids: pd.Index) -> pd.Series:
    """Renumber communities by decreasing size, then smallest org_id."""
    _, codes = np.unique(labels, return_inverse=True)
    ids = np.asarray(org_ids, dtype=object)
    frame = pd.DataFrame({"code": codes, "org_id": ids})
    summary = frame.groupby("code")["org_id"].agg(["size", "min"])
    order = summary.sort_values(["size", "min"], ascending=[False, True]).index.to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return pd.Series(rank[codes], index=org_ids, name="community")


# -- modularity and per-community quality -----------------------------------------------
def modularity(
    network: CollaborationNetwork,
    membership: pd.Series | Mapping[str, Any],
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
    resolution: float = 1.0,
) -> float:
    """Weighted modularity Q of a partition of the flattened graph.

    Q = Σ_c [w_c / W - γ (s_c / 2W)²], as igraph ``Graph.modularity`` and
    networkx ``modularity`` compute it; NaN for a graph without ties.
    Organisations the partition leaves out count as singletons.

    Examples
    --------
    >>> orgs = pd.DataFrame(index=pd.Index(list("abcd"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 2], "target": [1, 3], "layer": "partnership",
    ...                      "weight": 1.0, "year": 2020})
    >>> modularity(CollaborationNetwork(orgs, ties), {"a": 0, "b": 0, "c": 1, "d": 1})
    0.5
    """
    pairs = network.flat_pairs(layers, layer_weights)
    if len(pairs[0]) == 0:
        return float("nan")
    codes = _codes(network, membership)
    return float(_contributions(pairs, codes, resolution).sum())


def _codes(network: CollaborationNetwork, membership: pd.Series | Mapping[str, Any]) -> np.ndarray:
    """Community code per organisation code; organisations left out become singletons."""
    labels = _as_series(membership)
    network.codes(labels.index)
    aligned = labels.reindex(network.org_ids)
    codes, _ = pd.factorize(aligned, use_na_sentinel=True)
    missing = codes < 0
    codes[missing] = codes.max(initial=-1) + 1 + np.arange(missing.sum())
    return codes.astype(np.int64)


def _contributions(pairs: tuple[np.ndarray, np.ndarray, np.ndarray], codes: np.ndarray,
                   resolution: float) -> np.ndarray:
    """Each community's term of Q, from the distinct pairs (:meth:`CollaborationNetwork.flat_pairs`)."""
    source, target, weight = pairs
    total = weight.sum()
    k = codes.max(initial=-1) + 1
    cs, ct = codes[source], codes[target]
    same = cs == ct
    inside = np.bincount(cs[same], weights=weight[same], minlength=k)
    strength = np.bincount(cs, weights=weight, minlength=k) + np.bincount(ct, weights=weight, minlength=k)
    return inside / total - resolution * (strength / (2 * total)) ** 2


def community_quality(
    network: CollaborationNetwork,
    membership: pd.Series | Mapping[str, Any],
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
    resolution: float = 1.0,
) -> pd.DataFrame:
    """One row per community: size, ties, density, geography and bridges.

    Columns: ``size``; ``internal_ties`` (distinct pairs inside);
    ``density`` = 2 E_int / (n(n-1)) (NaN for singletons);
    ``external_ties``, the ties to other communities (bridges), and
    ``linked_communities``, how many other communities they reach;
    ``countries`` (distinct known countries among members);
    ``international_share``, the share of internal ties that join two
    countries among those whose two ends have a known country (NaN when
    none); ``modularity``, the community's term of Q (they sum to Q).

    Examples
    --------
    >>> orgs = pd.DataFrame({"country": ["NO", "DK", "NO", "NO"]},
    ...                     index=pd.Index(list("abcd"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 1, 2], "target": [1, 2, 3], "layer": "partnership",
    ...                      "weight": 1.0, "year": 2020})
    >>> table = community_quality(CollaborationNetwork(orgs, ties), {"a": 0, "b": 0, "c": 1, "d": 1})
    >>> table[["size", "internal_ties", "external_ties", "countries", "international_share"]].values.tolist()
    [[2.0, 1.0, 1.0, 2.0, 1.0], [2.0, 1.0, 1.0, 1.0, 0.0]]
    """
    pairs = network.flat_pairs(layers, layer_weights)
    labels = _as_series(membership).reindex(network.org_ids)
    codes, uniques = pd.factorize(labels, use_na_sentinel=True)
    known = codes >= 0
    k = len(uniques)
    u, v, _ = pairs
    cu, cv = codes[u], codes[v]
    inside = (cu == cv) & (cu >= 0)
    size = np.bincount(codes[known], minlength=k)
    internal = np.bincount(cu[inside], minlength=k)
    crossing = (cu != cv) & (cu >= 0) & (cv >= 0)
    external = np.bincount(np.concatenate([cu[crossing], cv[crossing]]), minlength=k)
    country = country_codes(network.orgs)
    both_known = inside & (country[u] >= 0) & (country[v] >= 0)
    abroad = both_known & (country[u] != country[v])
    with np.errstate(invalid="ignore", divide="ignore"):
        density = np.where(size > 1, 2 * internal / (size * (size - 1.0)), np.nan)
        share = np.bincount(cu[abroad], minlength=k) / np.bincount(cu[both_known], minlength=k)
    table = pd.DataFrame(
        {
            "size": size,
            "internal_ties": internal,
            "density": density,
            "external_ties": external,
            "linked_communities": _linked(cu[crossing], cv[crossing], k),
            "countries": _distinct(codes[known & (country >= 0)], country[known & (country >= 0)], k),
            "international_share": share,
            "modularity": _quality_terms(pairs, codes, k, resolution),
        },
        index=pd.Index(uniques, name="community"),
    )
    return table.sort_index()


def _linked(a: np.ndarray, b: np.ndarray, k: int) -> np.ndarray:
    """Number of distinct other communities each community has a tie with."""
    return _distinct(np.concatenate([a, b]), np.concatenate([b, a]), k)


def _distinct(groups: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """Number of distinct ``values`` per group 0..k-1 (values are non-negative integers)."""
    if len(groups) == 0:
        return np.zeros(k, dtype=np.int64)
    width = np.int64(values.max()) + 1
    keys = np.unique(groups.astype(np.int64) * width + values.astype(np.int64))  # one integer per pair
    return np.bincount(keys // width, minlength=k)


def _quality_terms(pairs: tuple[np.ndarray, np.ndarray, np.ndarray], codes: np.ndarray, k: int,
                   resolution: float) -> np.ndarray:
    if len(pairs[0]) == 0:
        return np.full(k, np.nan)
    full = codes.copy()
    missing = full < 0
    full[missing] = k + np.arange(missing.sum())
    return _contributions(pairs, full, resolution)[:k]


# -- stability over runs ---------------------------------------------------------------
def _consensus(
    labels: list[np.ndarray], pairs: tuple[np.ndarray, np.ndarray, np.ndarray], resolution: float
) -> tuple[int, dict[str, Any]]:
    """Index of the medoid run (highest mean ARI, then Q, then earliest) and the stability."""
    n = len(labels)
    ari = np.eye(n)
    nmi = np.eye(n)
    for i, j in combinations(range(n), 2):
        scores = _scores(labels[i], labels[j])
        ari[i, j] = ari[j, i] = scores["ari"]
        nmi[i, j] = nmi[j, i] = scores["nmi"]
    mean_ari = (ari.sum(axis=1) - 1) / (n - 1)
    q = [
        float(_contributions(pairs, lab, resolution).sum()) if len(pairs[0]) else 0.0
        for lab in labels
    ]
    chosen = min(range(n), key=lambda r: (-round(mean_ari[r], 12), -round(q[r], 12), r))
    couples = n * (n - 1) / 2
    stability = {
        "ari": float(np.triu(ari, 1).sum() / couples),
        "nmi": float(np.triu(nmi, 1).sum() / couples),
        "runs": n,
    }
    return chosen, stability


def _confidence(membership: pd.Series, labels: list[np.ndarray]) -> pd.Series:
    """Mean share of the consensus community's other members placed with each organisation."""
    consensus = membership.to_numpy()
    size = np.bincount(consensus)[consensus]
    total = np.zeros(len(consensus))
    for run in labels:
        _, codes = np.unique(run, return_inverse=True)
        table = sp.coo_matrix((np.ones(len(codes)), (consensus, codes))).tocsr()
        together = np.asarray(table[consensus, codes]).ravel() - 1
        alone = np.bincount(codes)[codes] == 1
        with np.errstate(invalid="ignore", divide="ignore"):
            total += np.where(size > 1, together / (size - 1), alone)
    return pd.Series(total / len(labels), index=membership.index, name="confidence")


# -- comparison with given partitions -------------------------------------------------
def compare_partitions(
    left: Partition | pd.Series | Mapping[str, Any],
    right: Partition | pd.Series | Mapping[str, Any],
) -> dict[str, float]:
    """NMI, ARI and VI of two partitions over the organisations both label.

    Parameters
    ----------
    left, right : Partition, pandas.Series or mapping
        Labels by ``org_id`` (missing values mean "not covered"), for example
        a :class:`Partition` and ``network.orgs["country"]``.

    Returns
    -------
    dict
        ``nmi`` (arithmetic normalisation; 1 when both are one group),
        ``ari`` (Hubert & Arabie; 1 when both are one group or all singletons
        alike), ``vi`` (nats), ``common`` (organisations both cover),
        ``coverage_left`` and ``coverage_right`` (their share of each side's
        labelled organisations).

    Examples
    --------
    >>> x = pd.Series([0, 0, 0, 1, 1, 1], index=list("abcdef"))
    >>> y = pd.Series([0, 0, 1, 1, 2, 2], index=list("abcdef"))
    >>> {k: round(v, 6) for k, v in compare_partitions(x, y).items()}
    {'nmi': 0.515804, 'ari': 0.242424, 'vi': 0.867563, 'common': 6, 'coverage_left': 1.0, 'coverage_right': 1.0}
    """
    a = _as_series(left).dropna()
    b = _as_series(right).dropna()
    common = a.index.intersection(b.index)
    if len(common) == 0:
        raise InputError("the two partitions share no organisation")
    x, _ = pd.factorize(a.loc[common])
    y, _ = pd.factorize(b.loc[common])
    return {
        **_scores(x, y),
        "common": len(common),
        "coverage_left": len(common) / len(a),
        "coverage_right": len(common) / len(b),
    }


def read_partition(source: Any) -> pd.Series:
    """Read a partition (organisation → group) from a file, to compare communities with.

    The file (CSV, TSV, XLSX, Parquet, JSON lines: any format of
    :func:`netcluster.loaders.read_table`) has the organisation id in its
    first column and the group in its second, under any header; further
    columns are ignored. Rows with an empty group leave the organisation
    uncovered. Ids that are not in a network are simply not covered when
    comparing: :func:`compare_partitions` reports the coverage of each side.

    Parameters
    ----------
    source : path-like or pandas.DataFrame

    Returns
    -------
    pandas.Series
        Group labels (text) indexed by ``org_id``.

    Raises
    ------
    InputError
        For a file with fewer than two columns, an empty id or an id given
        twice, naming the line.

    Examples
    --------
    >>> read_partition(pd.DataFrame({"org": ["a", "b"], "cluster": ["x", "y"]})).to_dict()
    {'a': 'x', 'b': 'y'}
    """
    from .loaders.readers import read_table

    table = read_table(source)
    frame = table.frame
    if frame.shape[1] < 2:
        raise InputError("a partition file needs two columns: organisation id, then group", file=table.source)
    ids = frame.iloc[:, 0].str.strip()
    groups = frame.iloc[:, 1].str.strip()
    problems = [
        (ids == "", "no organisation id", frame.columns[0]),
        (ids.duplicated() & (ids != ""), "this organisation is given twice", frame.columns[0]),
    ]
    for bad, message, column in problems:
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(message, file=table.source, line=int(table.lines.iloc[row]), column=column,
                             value=ids.iloc[row])
    keep = (groups != "").to_numpy()
    return pd.Series(groups[keep].to_numpy(dtype=object), index=pd.Index(ids[keep].to_numpy(dtype=object),
                     name="org_id"), name=str(frame.columns[1]))


def _scores(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """NMI (arithmetic), ARI and VI (nats) of two label arrays of equal length."""
    _, x = np.unique(x, return_inverse=True)
    _, y = np.unique(y, return_inverse=True)
    n = len(x)
    table = sp.coo_matrix((np.ones(n), (x, y))).tocsr()
    table.sum_duplicates()
    joint = table.data / n
    px, py = np.bincount(x) / n, np.bincount(y) / n
    hx, hy = -np.sum(px * np.log(px)), -np.sum(py * np.log(py))
    mutual = np.sum(joint * np.log(joint / (px[table.nonzero()[0]] * py[table.nonzero()[1]])))
    nmi = 1.0 if hx + hy == 0 else 2 * mutual / (hx + hy)
    return {"nmi": float(nmi), "ari": _ari(table, n), "vi": float(max(hx + hy - 2 * mutual, 0.0))}


def _ari(table: sp.csr_matrix, n: int) -> float:
    def pairs(counts: np.ndarray) -> float:
        return float(np.sum(counts * (counts - 1.0)) / 2)

    index = pairs(table.data)
    rows = pairs(np.asarray(table.sum(axis=1)).ravel())
    cols = pairs(np.asarray(table.sum(axis=0)).ravel())
    expected = rows * cols / (n * (n - 1) / 2) if n > 1 else 0.0
    top = (rows + cols) / 2
    return 1.0 if top == expected else float((index - expected) / (top - expected))


def contingency(
    network: CollaborationNetwork,
    membership: Partition | pd.Series | Mapping[str, Any],
    by: str = "country",
) -> pd.DataFrame:
    """Organisations per community (rows) and value of an attribute (columns).

    Organisations without a value of ``by`` are counted in a column
    ``"(unknown)"``, placed last.

    Examples
    --------
    >>> orgs = pd.DataFrame({"country": ["NO", "NO", "DK", None]},
    ...                     index=pd.Index(list("abcd"), name="org_id"))
    >>> table = contingency(CollaborationNetwork(orgs), {"a": 0, "b": 1, "c": 1, "d": 1})
    >>> table.columns.tolist(), table.values.tolist()
    (['DK', 'NO', '(unknown)'], [[0, 1, 0], [1, 1, 1]])
    """
    if by not in network.orgs:
        raise InputError("no such organisation column", value=by)
    labels = _as_series(membership).reindex(network.org_ids)
    values = network.orgs[by].astype(object).where(network.orgs[by].notna(), "(unknown)")
    table = pd.crosstab(labels.rename("community"), values.rename(by))
    return table[[c for c in table.columns if c != "(unknown)"] + [c for c in table.columns if c == "(unknown)"]]


def _as_series(labels: Partition | pd.Series | Mapping[str, Any]) -> pd.Series:
    if isinstance(labels, Partition):
        return labels.membership
    if isinstance(labels, pd.Series):
        return labels
    if isinstance(labels, Mapping):
        return pd.Series(dict(labels), dtype=object)
    raise InputError("a partition must be a Partition, a Series or a mapping from org_id to label")


# -- roles --------------------------------------------------------------------------------
def community_roles(
    network: CollaborationNetwork,
    membership: Partition | pd.Series | Mapping[str, Any],
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
    weighted: bool = False,
    **thresholds: float,
) -> pd.DataFrame:
    """Participation coefficient, within-module z and Guimerà-Amaral role per organisation.

    Parameters
    ----------
    network : CollaborationNetwork
    membership : Partition, pandas.Series or mapping
        Community per ``org_id``; organisations left out are singletons.
    layers, layer_weights : optional
        The flattened graph.
    weighted : bool
        Count tie weights (strengths) instead of partners (Guimerà & Amaral
        count partners).
    **thresholds
        Passed to :func:`ga_roles`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``org_id``: ``community``, ``participation``,
        ``within_module_z``, ``ga_role``.

    Examples
    --------
    >>> orgs = pd.DataFrame(index=pd.Index([str(i) for i in range(7)], name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 0, 0, 1, 4, 5, 4, 0, 3],
    ...                      "target": [1, 2, 3, 2, 5, 6, 6, 4, 5],
    ...                      "layer": "partnership", "weight": 1.0, "year": 2020})
    >>> roles = community_roles(CollaborationNetwork(orgs, ties), dict(zip("0123456", [0] * 4 + [1] * 3)))
    >>> roles["participation"].round(4).tolist()
    [0.375, 0.0, 0.0, 0.5, 0.4444, 0.4444, 0.0]
    """
    adjacency = network.to_csr(layers, layer_weights)
    if not weighted:
        adjacency = sp.csr_matrix(
            (np.ones(adjacency.nnz), adjacency.indices, adjacency.indptr), shape=adjacency.shape
        )
    codes = _codes(network, _as_series(membership))
    indicator = sp.csr_matrix((np.ones(len(codes)), (np.arange(len(codes)), codes)))
    kappa = (adjacency @ indicator).tocsr()
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    squares = np.asarray(kappa.multiply(kappa).sum(axis=1)).ravel()
    own = np.asarray(kappa[np.arange(len(codes)), codes]).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        participation = np.where(degree > 0, 1 - squares / degree**2, np.nan)
    z = _within_z(own, codes)
    table = pd.DataFrame(
        {
            "community": _as_series(membership).reindex(network.org_ids),
            "participation": participation,
            "within_module_z": z,
        },
        index=network.org_ids,
    )
    table["ga_role"] = ga_roles(table["participation"], table["within_module_z"], **thresholds)
    return table


def _within_z(own: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """(κ_i - mean) / population SD within each community; NaN where SD = 0."""
    count = np.bincount(codes)
    mean = np.bincount(codes, weights=own) / count
    var = np.bincount(codes, weights=(own - mean[codes]) ** 2) / count
    sd = np.sqrt(var)[codes]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sd > 1e-12 * np.maximum(1.0, np.abs(mean[codes])), (own - mean[codes]) / sd, np.nan)


def ga_roles(
    participation: pd.Series,
    within_z: pd.Series,
    hub_z: float = 2.5,
    ultra_peripheral: float = 0.05,
    peripheral: float = 0.62,
    connector: float = 0.80,
    provincial_hub: float = 0.30,
    connector_hub: float = 0.75,
) -> pd.Series:
    """Guimerà & Amaral's roles R1-R7 from participation P and within-module z.

    Hubs have z >= ``hub_z`` (2.5). Non-hubs: R1 ultra-peripheral P <= 0.05,
    R2 peripheral P <= 0.62, R3 non-hub connector P <= 0.80, R4 non-hub
    kinless P > 0.80. Hubs: R5 provincial P <= 0.30, R6 connector P <= 0.75,
    R7 kinless P > 0.75. A NaN z (all members of the community equally
    connected inside it) counts as not a hub; a NaN P (isolate) gives no role.

    Examples
    --------
    >>> ga_roles(pd.Series([0.0, 0.5, 0.9, 0.2, 0.8, None]),
    ...          pd.Series([0.0, 1.0, None, 3.0, 2.5, 0.0])).tolist()
    ['R1', 'R2', 'R4', 'R5', 'R7', nan]
    """
    p = participation.to_numpy(dtype=np.float64)
    hub = np.nan_to_num(within_z.to_numpy(dtype=np.float64), nan=-np.inf) >= hub_z
    non_hub_role = np.select(
        [p <= ultra_peripheral, p <= peripheral, p <= connector], ["R1", "R2", "R3"], "R4"
    )
    hub_role = np.select([p <= provincial_hub, p <= connector_hub], ["R5", "R6"], "R7")
    roles = np.where(hub, hub_role, non_hub_role).astype(object)
    roles[np.isnan(p)] = np.nan
    return pd.Series(roles, index=participation.index, name="ga_role")
