"""International-bridge centrality: who lies on the shortest paths abroad.

DOCSTRING PLACEHOLDER
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..geography import country_codes
from ..network import CollaborationNetwork

__all__ = ["bridge_centrality", "EXACT_WORK_LIMIT", "DEFAULT_SAMPLES"]

#: Above this estimated work (home sources x (organisations + 2 x ties)), the
#: default is to sample sources. See the module notes for the measurements.
EXACT_WORK_LIMIT = 2.0e9

#: Sampled source organisations when ``samples`` is not given.
DEFAULT_SAMPLES = 1500

# Sampled sources of one country sent to igraph in one call. Each call costs a
# fixed adjacency-list build of about 2.5 single-source searches, so one call
# per source would triple the run time; the standard error is estimated from
# these random groups instead (see _stratum_variance).
_GROUP_SIZE = 8


def bridge_centrality(
    network: CollaborationNetwork,
    *,
    home: Any = None,
    exact: bool | None = None,
    samples: int | None = None,
    seed: int | None = 0,
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Share of home-to-abroad shortest paths that pass through each organisation.

    Parameters
    ----------
    network : CollaborationNetwork
    home : optional
        The sources: a numpy boolean array of length ``n_orgs`` (a mask by
        code), a numpy integer array of codes, or any other iterable of
        ``org_id`` values (compared as strings). Members without a known
        country are ignored. Default: every organisation with a known country.
    exact : bool, optional
        ``True`` computes over all sources, ``False`` samples them; by default
        sources are sampled when ``samples`` is given or when the estimated
        work exceeds :data:`EXACT_WORK_LIMIT`.
    samples : int, optional
        Number of source organisations to sample (default
        :data:`DEFAULT_SAMPLES`). Each country of the home set gets at least
        ``min(2, its home members)``, so the total can exceed ``samples``
        when the home set spans many countries. A value at or above the number
        of sources gives the exact result.
    seed : int, optional
        Seed of the numpy random generator that draws the sample.
    layers, layer_weights : optional
        Which layers to flatten. Paths are unweighted, so layer weights only
        matter through the layers they select.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``org_id``: ``bridge_centrality`` and
        ``bridge_centrality_se`` (standard error of a sampled estimate; 0 when
        exact). ``attrs["bridge_centrality"]`` records ``exact``,
        ``sources`` used, ``source_population``, ``pairs`` (the
        normaliser), ``seed`` and ``seconds``.

    Raises
    ------
    InputError
        For a home set that names unknown organisations or has the wrong
        length, a non-positive ``samples``, or ``exact=True`` with ``samples``.

    Examples
    --------
    Two Norwegian organisations reach a Danish one through a Swedish broker:

    >>> orgs = pd.DataFrame({"country": ["NO", "NO", "SE", "DK"]},
    ...                     index=pd.Index(list("abcd"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 1, 2], "target": [2, 2, 3],
    ...                      "layer": "partnership", "weight": 1.0, "year": 2020})
    >>> net = CollaborationNetwork(orgs, ties)
    >>> table = bridge_centrality(net)
    >>> table["bridge_centrality"].round(4).tolist()
    [0.0, 0.0, 0.4, 0.0]

    Of the 10 ordered pairs of organisations in different countries, c lies
    inside the 4 between {a, b} and d (a-b is not a cross-country pair).
    From Norway only, c lies inside 2 of the 4 pairs (a, b to c and d):

    >>> bridge_centrality(net, home=["a", "b"])["bridge_centrality"].tolist()
    [0.0, 0.0, 0.5, 0.0]
    """
    import time

    started = time.perf_counter()
    n = network.n_orgs
    graph = network.to_igraph(layers, layer_weights)
    country = country_codes(network.orgs)
    known = country >= 0
    sources = _home_mask(network, home) & known
    if exact is True and samples is not None:
        raise InputError("give either exact=True or a number of samples, not both", value=samples)
    if samples is not None:
        if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
            raise InputError("samples must be a positive whole number", value=samples)

    n_known = int(known.sum())
    country_size = np.bincount(country[known], minlength=int(country.max(initial=-1)) + 1)
    home_size = np.bincount(country[sources], minlength=len(country_size))
    pairs = int((home_size * (n_known - country_size)).sum())
    population = int(sources.sum())
    work = population * float(n + 2 * graph.ecount())

    if exact is None:
        exact = samples is None and work <= EXACT_WORK_LIMIT
    if not exact and samples is None:
        samples = DEFAULT_SAMPLES

    total = np.zeros(n)
    variance = np.zeros(n)
    used = 0
    if pairs > 0:
        strata = _strata(network, country, sources)
        if exact:
            allocation = [len(members) for _, members in strata]
        else:
            allocation = _allocate(np.array([len(m) for _, m in strata]), int(samples)).tolist()
        rng = np.random.default_rng(seed)
        for (code, members), n_h in zip(strata, allocation):
            targets = np.flatnonzero(known & (country != code)).tolist()
            N_h = len(members)
            used += n_h
            if n_h == N_h:
                # a census of this country: one call, no sampling error
                total += _ordered_sums(graph, members.tolist(), targets)
                continue
            chosen = rng.choice(members, size=n_h, replace=False)
            groups = np.array_split(chosen, _n_groups(n_h))
            sums = (_ordered_sums(graph, group.tolist(), targets) for group in groups)
            stratum_total, spread = _stratum_variance(sums, [len(g) for g in groups])
            total += (N_h / n_h) * stratum_total
            variance += N_h**2 * (1.0 - n_h / N_h) * spread / n_h

    scale = 1.0 / pairs if pairs > 0 else 0.0
    table = pd.DataFrame(
        {
            "bridge_centrality": total * scale,
            "bridge_centrality_se": np.sqrt(np.maximum(variance, 0.0)) * scale,
        },
        index=network.org_ids,
    )
    table.attrs["bridge_centrality"] = {
        "exact": bool(used == population),
        "sources": used,
        "source_population": population,
        "pairs": pairs,
        "seed": seed,
        "seconds": round(time.perf_counter() - started, 3),
    }
    return table


def _ordered_sums(graph: Any, sources: list[int], targets: list[int]) -> np.ndarray:
    """Σ over ordered pairs (s in sources, t in targets, s ≠ t) of σ_st(v)/σ_st.

    igraph's undirected subset betweenness counts every ordered pair and
    halves the sum (as networkx does), hence the factor 2.
    """
    values = graph.betweenness(
        vertices=None, directed=False, cutoff=None, weights=None, sources=sources, targets=targets
    )
    return 2.0 * np.asarray(values, dtype=np.float64)


def _home_mask(network: CollaborationNetwork, home: Any) -> np.ndarray:
    n = network.n_orgs
    if home is None:
        return np.ones(n, dtype=bool)
    if isinstance(home, pd.Series) and pd.api.types.is_bool_dtype(home.dtype):
        if not home.index.equals(network.org_ids):
            if set(home.index) - set(network.org_ids):
                raise InputError("the home mask names organisations not in the network")
            home = home.reindex(network.org_ids, fill_value=False)
        return home.to_numpy(dtype=bool)
    if isinstance(home, np.ndarray) and home.dtype == bool:
        if home.shape != (n,):
            raise InputError(
                f"a boolean home mask needs one value per organisation ({n})", value=home.shape
            )
        return home.copy()
    if isinstance(home, np.ndarray) and np.issubdtype(home.dtype, np.integer):
        codes = home.ravel().astype(np.int64)
        if codes.size and (codes.min() < 0 or codes.max() >= n):
            raise InputError("a home organisation code is out of range", value=int(codes[(codes < 0) | (codes >= n)][0]))
        mask = np.zeros(n, dtype=bool)
        mask[codes] = True
        return mask
    if isinstance(home, (str, bytes)):
        home = [home]
    mask = np.zeros(n, dtype=bool)
    mask[network.codes(str(x) for x in home)] = True
    return mask


def _strata(
    network: CollaborationNetwork, country: np.ndarray, sources: np.ndarray
) -> list[tuple[int, np.ndarray]]:
    """(country code, source codes) per country, ordered by country name and org_id.

    The order makes a seeded sample independent of the organisations' row order.
    """
    codes = np.flatnonzero(sources)
    names = network.orgs["country"].to_numpy(dtype=object)[codes]
    ids = network.org_ids.to_numpy(dtype=object)[codes]
    order = np.lexsort((ids.astype(str), names.astype(str)))
    codes = codes[order]
    strata: list[tuple[int, np.ndarray]] = []
    if codes.size == 0:
        return strata
    cut = np.flatnonzero(np.diff(country[codes])) + 1
    for block in np.split(codes, cut):
        strata.append((int(country[block[0]]), block))
    return strata


def _allocate(sizes: np.ndarray, total: int) -> np.ndarray:
    """Proportional allocation of ``total`` draws over strata of ``sizes``.

    Each stratum gets between ``min(2, size)`` and ``size`` draws; within
    those bounds the allocation is proportional (n_h = λ N_h, found by
    bisection) and rounded by largest remainders to sum to ``total``.
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    low = np.minimum(sizes, 2)
    if total >= sizes.sum():
        return sizes.copy()
    if total <= low.sum():
        return low
    lo, hi = 0.0, 1.0
    for _ in range(100):
        lam = (lo + hi) / 2
        if np.clip(lam * sizes, low, sizes).sum() < total:
            lo = lam
        else:
            hi = lam
    ideal = np.clip(hi * sizes, low, sizes)
    alloc = np.floor(ideal).astype(np.int64)
    alloc = np.clip(alloc, low, sizes)
    short = total - int(alloc.sum())
    if short > 0:
        room = alloc < sizes
        remainder = np.where(room, ideal - alloc, -np.inf)
        for index in np.argsort(-remainder, kind="stable")[:short]:
            if room[index]:
                alloc[index] += 1
    return alloc


def _n_groups(n_h: int) -> int:
    """Random groups for a stratum with ``n_h`` sampled sources (at least 2)."""
    return int(min(n_h, max(2, -(-n_h // _GROUP_SIZE))))


def _stratum_variance(
    sums: Iterable[np.ndarray], sizes: Iterable[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Total and per-source variance S²_h of a stratum from random-group totals.

    For groups of b_k sources drawn at random from the n sampled, with
    per-source variance S², E Σ_k (Y_k − b_k ȳ)² = S² (n − Σ_k b_k²/n), where
    Y_k is a group's total and ȳ = Σ_k Y_k / n. With one source per group this
    is the usual sample variance (ddof 1). Computed in one pass, holding a few
    vectors only, with values shifted by the first group's mean against
    cancellation: Y_k − b_k ȳ = b_k d_k − b_k d̄ with d_k = Y_k/b_k − K.
    """
    shift = total = sum_d = sum_bd = sum_bdd = None
    n = sum_b2 = 0.0
    for group, b in zip(sums, sizes):
        b = float(b)
        if shift is None:
            shift = group / b
            total = np.zeros_like(group)
            sum_d, sum_bd, sum_bdd = (np.zeros_like(group) for _ in range(3))
        d = group / b - shift
        total += group
        sum_d += b * d
        sum_bd += b * b * d
        sum_bdd += b * b * d * d
        n += b
        sum_b2 += b * b
    if shift is None:
        raise ValueError("no groups")
    mean_d = sum_d / n
    squares = sum_bdd - 2.0 * mean_d * sum_bd + mean_d**2 * sum_b2
    denominator = n - sum_b2 / n
    spread = squares / denominator if denominator > 0 else np.zeros_like(total)
    return total, np.maximum(spread, 0.0)
