"""International-bridge centrality: who lies on the shortest paths abroad.

Definition
----------
For the home set H (all organisations with a known country when no home set
is given) and country(x) the organisation's country, the ordered pairs are

    P = {(s, t) : s in H, country(s) and country(t) known, country(t) != country(s)}

and organisation v scores

    c(v) = (1 / |P|) * sum over (s, t) in P, s != v != t, of sigma_st(v) / sigma_st

where sigma_st counts the shortest paths between s and t (unweighted: every
tie has length 1) and sigma_st(v) those passing through v. In words: the
share of home-to-abroad shortest paths that run through v, each pair's credit
split evenly over its shortest paths. Conventions:

- pairs are **ordered**: with no home set, (s, t) and (t, s) are two pairs;
  with a home set only s must be a member, so t may be a member abroad too;
- |P| counts every such pair, reachable or not, so c(v) is a share of all
  cross-border pairs and values from networks with several components
  compare on one scale; c(v) is in [0, 1] and 1 means every pair's paths
  pass through v;
- endpoints are excluded, but a source or target of one pair can be an
  intermediary of another;
- organisations without a country are neither sources nor targets but do
  count as intermediaries; home members without a country are ignored;
- when |P| = 0 (one country only, or an empty home set) every value is 0.

Computation
-----------
One igraph ``Graph.betweenness(directed=False, sources=S_c, targets=T_c)`` call
per source country c, with S_c the home members of c and T_c every
organisation with a known country other than c (Brandes' accumulation
restricted to these sources and targets). igraph, like networkx's
``betweenness_centrality_subset``, counts each ordered pair (s in S, t in T)
and **halves** the undirected sum (checked against a brute-force listing of
ordered pairs, also for overlapping S and T; networkx issue 3481), so each
call's result is doubled. Cost: one breadth-first search over the whole graph
per source. The igraph graph is built with its vertices renumbered in reverse
Cuthill-McKee order (``scipy.sparse.csgraph.reverse_cuthill_mckee``), which
puts partners near each other in memory and so keeps each breadth-first
search's memory accesses local; it pays on large graphs whose organisation
codes are in no useful order (those of ``benchmarks/generate.py`` are
random): 1.0-1.4 times faster per source on the synthetic M network (100k
organisations) in two runs on a busy machine (``docs/benchmarks.md``). The
renumbering and the unweighted igraph graph cost 0.3 s at M.

Sampling
--------
When the estimated work |sources| x (n + 2m) exceeds :data:`EXACT_WORK_LIMIT`
(or ``exact=False`` or ``samples`` is given) the sources are sampled, stratified
by country: ``samples`` draws are allocated in proportion to the countries'
home-set sizes N_h, bounded below by min(2, N_h) (two, not one, so that every
sampled stratum yields a variance) and above by N_h; sources are drawn without
replacement within each country by a seeded ``numpy.random.Generator``, in an
order fixed by country name and ``org_id`` (so the sample does not depend on
row order). With y_s(v) the sum over source s's pairs, the Horvitz-Thompson
estimate and its variance are

    Y(v) = sum_h (N_h / n_h) sum_{s in sample_h} y_s(v)
    Var  = sum_h N_h^2 (1 - n_h / N_h) S_h^2(v) / n_h

and ``bridge_centrality_se`` = sqrt(Var) / |P|. Countries drawn completely
add no variance, so sampling every source reproduces the exact result with a
standard error of 0. The between-source variance S_h^2 is estimated by random
groups: the sampled sources of a country go to igraph in groups of at most
b = max(8, ceil(n / 64)) sources, n the sources drawn in all (b = 24 at the
default 1,500), and at least 2 groups per country, and

    S_h^2 = sum_k (Y_k - b_k ybar)^2 / (n_h - sum_k b_k^2 / n_h)

from the group totals Y_k of b_k sources, ybar = sum_k Y_k / n_h (the usual
sample variance when every group has one source). Groups, not single
sources, because every igraph call has a fixed set-up cost: on CORDIS a
one-source call costs 25-30 ms against 7-8 ms per source in a batch, so
per-source calls would take about three times as long for the same estimate.

The group size trades time against the standard error's own precision: the
sources drawn, hence the estimate, do not depend on it (same seed, same
values), but fewer groups give S_h^2 fewer degrees of freedom, so the
standard error itself varies more from one random grouping to another.
Letting b grow with n keeps the number of groups, and so the igraph calls,
near 64 plus two per small country whatever the sample size. On the
synthetic M network (100,000 organisations, 40 countries, 1,500 sources)
groups of at most 8 took 208 calls, at most 24 take 107; with a call's set-up
at about 3 searches (28.6 ms CPU against 9.6 ms per source) that is 14 % less
work, measured as 17.2-18.7 s CPU against 20.6-21.1 s (two runs each). Over
3 seeds and 30 random groupings each, the standard errors of the exact top
20 vary by 18 % between groupings of the same sample instead of 10 %, and
85 % of the top 20 lie within 2 standard errors of the exact value instead
of 88 % (groups of at most 16: 129 calls, 14 %, 87 %; two groups per
country: 80 calls, 29 %, 82 %). Up to 512 sources b stays 8, as before.

Measurements (2-core machine, CPU seconds of one process; H2020 CORDIS
partnership network and random-project subsets of it, home = all):

=====================  =======  =======  =========  ==========  ===============
graph                  n        m        work       exact, s    default, s
=====================  =======  =======  =========  ==========  ===============
ocean_cluster          298      2,015    1.3e6      0.01        (exact)
norway_h2020           2,639    29,945   1.6e8      0.75        (exact)
CORDIS 3 % projects    2,839    27,037   1.6e8      0.43        (exact)
CORDIS 7 %             5,369    65,998   7.4e8      2.5         (exact)
CORDIS 15 %            9,683    128,505  2.6e9      10.2        (exact)
CORDIS 30 %            16,213   259,036  8.7e9      41          5.2 (sampled)
CORDIS H2020, all      35,871   761,463  5.6e10     297         21-23
=====================  =======  =======  =========  ==========  ===============

Exact time follows the work (2.7-5.3 ns per unit above 2,000
organisations, rising with size) better than n alone. :data:`EXACT_WORK_LIMIT`
= 4e9 keeps exact runs under about 20 s; at CORDIS-like density (m/n of
13-21) that is 10,000-12,000 organisations when all are sources, more with a
smaller home set. A sampled run costs about samples x (n + 2m) x 5 ns plus
one igraph call (about 2.5 searches) per group and per country: on the full
CORDIS network (169 countries, 407 calls) 21-23 s with the default 1,500
sources, including the 0.4 s igraph build, measured with groups of at most 8
(319 calls with the groups of at most 24 used now).

Accuracy of sampling against the exact values, mean over seeds (worst seed
in brackets): Spearman correlation over the organisations with an exact
value above 0 (rho>0) and over the exact top 100 (rho100); overlap of the
top 50 and top 100; median relative error of the top 20 (err); share of the
top 20 within 2 standard errors of the exact value (2 SE); CPU seconds:

=============  =====  =====  ======  ===========  ===========  =====  ====  =====
graph          k      rho>0  rho100  top 50       top 100      err    2 SE  CPU s
=============  =====  =====  ======  ===========  ===========  =====  ====  =====
norway_h2020   250    0.957  0.918   0.88 (0.84)  0.90 (0.87)  11 %   87 %  0.2
norway_h2020   500    0.979  0.961   0.94 (0.92)  0.94 (0.92)  5.6 %  95 %  0.3
norway_h2020   1000   0.992  0.981   0.98 (0.94)  0.95 (0.93)  3.3 %  97 %  0.4
norway_h2020   1500   0.996  0.991   0.98 (0.96)  0.97 (0.96)  2.7 %  95 %  0.6
CORDIS 15 %    256    0.937  0.803   0.77 (0.74)  0.82 (0.78)  21 %   88 %  0.8
CORDIS 15 %    500    0.957  0.922   0.88 (0.86)  0.90 (0.86)  8.0 %  95 %  1.1
CORDIS 15 %    1000   0.975  0.952   0.93 (0.92)  0.93 (0.92)  5.8 %  96 %  1.7
CORDIS 15 %    1500   0.982  0.973   0.93 (0.92)  0.96 (0.95)  4.2 %  95 %  2.4
CORDIS, all    500    0.953  0.815   0.81 (0.78)  0.86 (0.86)  13 %   93 %  9.9
CORDIS, all    1000   0.956  0.928   0.87 (0.86)  0.95 (0.92)  6.7 %  95 %  16
CORDIS, all    1500   0.960  0.943   0.91 (0.90)  0.95 (0.94)  4.8 %  95 %  21-23
CORDIS, all    2500   0.968  0.966   0.89 (0.86)  0.96 (0.96)  4.7 %  95 %  30
synthetic M    500    0.983  0.942   0.89         0.87 (0.85)  5.7 %  92 %  7.5
synthetic M    1000   0.980  0.946   0.93         0.91 (0.88)  5.4 %  95 %  14
synthetic M    1500   0.980  0.961   0.94         0.94 (0.93)  6.4 %  88 %  21
synthetic M    3000   0.978  0.983   0.97         0.95 (0.94)  3.3 %  95 %  74
=============  =====  =====  ======  ===========  ===========  =====  ====  =====

(5 seeds for norway_h2020, 4 for CORDIS 15 % and for full CORDIS at 1000
and 1500, 3 for synthetic M, 2 otherwise; synthetic M is the 100,000-organisation
network of ``benchmarks/generate.py``, exact in 936 CPU seconds, wall seconds
on a busy machine; ``benchmarks/pipeline.py --accuracy-only``; the 2 SE
column with groups of at most 8 sources, see above.) At M the
default 1,500 sources keep the top-100 overlap at or above 0.9 for every
seed, 1,000 do not. Accuracy depends mostly on the number of sources, not
on the share sampled (4 % to 57 % above). :data:`DEFAULT_SAMPLES` = 1,500
keeps the full CORDIS network near 20 s, below the 30 s budget with room for
a busy machine, and puts the top 20 within about 5 % of their exact values
with 90 % or more of the top 50 found; 2,500 sources cost 30 s for little
gain. Ranks far down the list, where values are tiny and nearly tied, stay
noisy at any affordable sample size: judge them with the standard errors.

References
----------
Brandes, U. (2008). On variants of shortest-path betweenness centrality and
their generic computation. *Social Networks* 30(2), 136-145.

Brandes, U. & Pich, C. (2007). Centrality estimation in large networks.
*International Journal of Bifurcation and Chaos* 17(7), 2303-2318.

Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed., ch. 5 (stratified
random sampling). Wiley.

Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed., ch. 2
(random groups). Springer.

networkx issue 3481: ``betweenness_centrality_subset`` halves undirected
values. https://github.com/networkx/networkx/issues/3481
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Any

import igraph as ig
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import reverse_cuthill_mckee

from ..errors import InputError
from ..geography import country_codes
from ..home import organisation_mask
from ..network import CollaborationNetwork

__all__ = ["bridge_centrality", "EXACT_WORK_LIMIT", "DEFAULT_SAMPLES"]

#: Above this estimated work (home sources x (organisations + 2 x ties)), the
#: default is to sample sources. See the module notes for the measurements.
EXACT_WORK_LIMIT = 4.0e9

#: Sampled source organisations when ``samples`` is not given.
DEFAULT_SAMPLES = 1500

# Sampled sources of one country sent to igraph in one call: at most
# max(_GROUP_SIZE, samples / _GROUPS) of them. Each call has a fixed set-up
# cost (igraph's adjacency lists) of about 2.5 single-source searches, so one
# call per source would triple the run time; the standard error is estimated
# from these random groups instead (see _stratum_variance). Larger groups mean
# fewer calls but fewer degrees of freedom for the standard error (module notes).
_GROUP_SIZE = 8
_GROUPS = 64


def bridge_centrality(
    network: CollaborationNetwork,
    *,
    home: Any = None,
    exact: bool | None = None,
    samples: int | None = None,
    seed: int | None = 0,
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
    workers: int = 1,
) -> pd.DataFrame:
    """Share of home-to-abroad shortest paths that pass through each organisation.

    c(v) = Σ σ_st(v)/σ_st over the ordered pairs (s, t) with s in the home set,
    t in another country (both countries known) and v ≠ s, t, divided by the
    number of such pairs; σ counts unweighted shortest paths. See the module
    notes for the conventions, the sampling estimator and the measurements
    behind the defaults.

    Parameters
    ----------
    network : CollaborationNetwork
    home : optional
        The sources: a boolean mask by code (numpy array or list of
        ``n_orgs`` booleans, or a boolean Series indexed by ``org_id``), a
        numpy integer array of codes, or any other iterable of ``org_id``
        values (compared as strings). Members without a known country are
        ignored. Default: every organisation with a known country.
    exact : bool, optional
        ``True`` uses every source, ``False`` samples them; by default sources
        are sampled when ``samples`` is given or when the estimated work,
        sources x (organisations + 2 x ties), exceeds :data:`EXACT_WORK_LIMIT`.
    samples : int, optional
        Source organisations to sample (default :data:`DEFAULT_SAMPLES`),
        allocated over countries in proportion to their home members, with at
        least ``min(2, home members)`` per country: the total exceeds
        ``samples`` when the home set spans more than ``samples / 2``
        countries. At or above the number of sources the result is exact.
    seed : int, numpy.random.Generator or None
        Seed of the generator that draws the sample (default 0: repeatable).
    layers, layer_weights : optional
        Which layers to flatten. Paths are unweighted, so layer weights do not
        change the result; they are accepted for a uniform signature.
    workers : int
        Processes sharing the breadth-first searches (default 1: none
        started). With more, the countries are dealt to forked processes
        (POSIX only) that share the graph; the sample drawn and the result
        are the same (up to the order of floating-point sums). igraph holds
        Python's global interpreter lock, so threads would not help.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``org_id``: ``bridge_centrality`` (in [0, 1]) and
        ``bridge_centrality_se`` (standard error of the sampled estimate; 0
        when exact). ``attrs["bridge_centrality"]`` holds ``exact`` (every
        source used), ``sources`` (used), ``source_population``, ``pairs``
        (the normaliser |P|) and ``seed``.

    Raises
    ------
    InputError
        For a home set naming unknown organisations, codes out of range or a
        mask of the wrong length, a ``samples`` or ``workers`` that is not a
        positive whole number, or ``exact=True`` together with ``samples``.

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

    A sampled estimate carries its standard error:

    >>> from netcluster.sample_graphs import load_sample
    >>> ocean = load_sample("ocean_cluster")
    >>> exact = bridge_centrality(ocean)
    >>> estimate = bridge_centrality(ocean, samples=100, seed=1)
    >>> top = exact["bridge_centrality"].idxmax()
    >>> round(float(exact.loc[top, "bridge_centrality"]), 3)
    0.222
    >>> est, se = estimate.loc[top]
    >>> round(float(est), 3), round(float(se), 3)
    (0.224, 0.027)

    References
    ----------
    Brandes, U. (2008). On variants of shortest-path betweenness centrality
    and their generic computation. *Social Networks* 30(2), 136-145.
    """
    if samples is not None:
        if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
            raise InputError("samples must be a positive whole number", value=samples)
        if exact is True:
            raise InputError(
                "give either exact=True or a number of samples, not both", value=samples
            )
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1:
        raise InputError("workers must be a positive whole number", value=workers)
    n = network.n_orgs
    adjacency = network.to_csr(layers, layer_weights)
    country = country_codes(network.orgs)
    known = country >= 0
    sources = _home_mask(network, home) & known

    n_known = int(known.sum())
    country_size = np.bincount(country[known], minlength=int(country.max(initial=-1)) + 1)
    home_size = np.bincount(country[sources], minlength=len(country_size))
    pairs = int((home_size * (n_known - country_size)).sum())
    population = int(sources.sum())
    work = population * float(n + adjacency.nnz)

    if exact is None:
        exact = samples is None and work <= EXACT_WORK_LIMIT
    if not exact and samples is None:
        samples = DEFAULT_SAMPLES

    total = np.zeros(n)
    variance = np.zeros(n)
    used = 0
    if pairs > 0:
        graph, position = _renumbered_graph(adjacency)
        strata = _strata(network, country, sources)
        if exact:
            allocation = [len(members) for _, members in strata]
        else:
            assert samples is not None  # set to DEFAULT_SAMPLES above when not exact
            allocation = _allocate(np.array([len(m) for _, m in strata]), int(samples)).tolist()
        rng = np.random.default_rng(seed)
        group_size = _group_size(sum(allocation))
        jobs: list[_Job] = []
        for (code, members), n_h in zip(strata, allocation):
            used += n_h
            # drawn here, in stratum order, so that the sample does not depend on ``workers``
            chosen = members if n_h == len(members) else rng.choice(members, size=n_h, replace=False)
            groups = 1 if n_h == len(members) else _n_groups(n_h, group_size)
            jobs.append((code, chosen, len(members), n_h, groups))
        context = (graph, position, country, known)
        if workers == 1 or len(jobs) < 2:
            total, variance = _run_strata(context, jobs)
        else:
            total, variance = _in_processes(context, jobs, int(workers))

    scale = 1.0 / pairs if pairs > 0 else 0.0
    table = pd.DataFrame(
        {
            "bridge_centrality": total * scale,
            "bridge_centrality_se": np.sqrt(np.maximum(variance, 0.0)) * scale,
        },
        index=network.org_ids,
    )
    table.attrs["bridge_centrality"] = {
        "exact": bool(pairs == 0 or used == population),
        "sources": used,
        "source_population": population,
        "pairs": pairs,
        "seed": seed,
    }
    return table


#: One country's share of the work: (country code, sources drawn, N_h, n_h, igraph calls).
_Job = tuple[int, np.ndarray, int, int, int]


def _run_strata(
    context: tuple[Any, np.ndarray, np.ndarray, np.ndarray], jobs: list[_Job]
) -> tuple[np.ndarray, np.ndarray]:
    """The estimate's sums and variance over the countries ``jobs`` (see :func:`bridge_centrality`)."""
    graph, position, country, known = context
    total = np.zeros(len(position))
    variance = np.zeros(len(position))
    for code, chosen, N_h, n_h, calls in jobs:
        targets = position[known & (country != code)].tolist()
        if not targets:
            continue  # the only country with known organisations: no pairs
        if n_h == N_h:
            # a census of this country: one call, no sampling error
            total += _ordered_sums(graph, position, chosen, targets)
            continue
        groups = np.array_split(chosen, calls)
        sums = (_ordered_sums(graph, position, group, targets) for group in groups)
        stratum_total, spread = _stratum_variance(sums, [len(g) for g in groups])
        total += (N_h / n_h) * stratum_total
        variance += N_h**2 * (1.0 - n_h / N_h) * spread / n_h
    return total, variance


#: What forked workers inherit (set just before forking, cleared after): not pickled.
_SHARED: dict[str, Any] = {}


def _shared_strata(jobs: list[_Job]) -> tuple[np.ndarray, np.ndarray]:
    return _run_strata(_SHARED["context"], jobs)


def _in_processes(
    context: tuple[Any, np.ndarray, np.ndarray, np.ndarray], jobs: list[_Job], workers: int,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_run_strata` over ``workers`` forked processes, countries dealt by their searches.

    The largest countries first, each to the process with the fewest sources
    so far; the processes inherit the graph (copy-on-write) and send back two
    vectors each.
    """
    import multiprocessing

    shares: list[list[_Job]] = [[] for _ in range(workers)]
    load = np.zeros(workers)
    for job in sorted(jobs, key=lambda j: -(j[3] + 2.5 * j[4])):
        lightest = int(np.argmin(load))
        shares[lightest].append(job)
        load[lightest] += job[3] + 2.5 * job[4]  # about 2.5 searches of set-up per igraph call
    shares = [share for share in shares if share]
    _SHARED["context"] = context
    try:
        with multiprocessing.get_context("fork").Pool(len(shares)) as pool:
            parts = pool.map(_shared_strata, shares)
    finally:
        _SHARED.clear()
    return np.sum([p[0] for p in parts], axis=0), np.sum([p[1] for p in parts], axis=0)


def _ordered_sums(graph: Any, position: np.ndarray, sources: np.ndarray, targets: list[int]) -> np.ndarray:
    """Σ over ordered pairs (s in sources, t in targets, s ≠ t) of σ_st(v)/σ_st, by organisation code.

    ``sources`` are organisation codes, ``targets`` already vertices of
    ``graph`` (see :func:`_renumbered_graph`). igraph's undirected subset
    betweenness counts every ordered pair and halves the sum (as networkx
    does), hence the factor 2.
    """
    values = graph.betweenness(
        vertices=None, directed=False, cutoff=None, weights=None, sources=position[sources].tolist(),
        targets=targets,
    )
    return 2.0 * np.asarray(values, dtype=np.float64)[position]


def _renumbered_graph(adjacency: sp.csr_matrix) -> tuple[Any, np.ndarray]:
    """The unweighted igraph graph of ``adjacency`` with its vertices in reverse Cuthill-McKee order.

    Returns the graph and ``position``, the vertex of each organisation code.
    Numbering neighbours close to each other keeps the breadth-first
    searches' memory accesses local (see the module notes).
    """
    n = adjacency.shape[0]
    order = reverse_cuthill_mckee(adjacency, symmetric_mode=True) if n else np.zeros(0, dtype=np.int64)
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n, dtype=np.int64)
    upper = sp.triu(adjacency, k=1).tocoo()
    graph = ig.Graph(n=n, edges=list(zip(position[upper.row].tolist(), position[upper.col].tolist())))
    return graph, position


def _home_mask(network: CollaborationNetwork, home: Any) -> np.ndarray:
    if home is None:
        return np.ones(network.n_orgs, dtype=bool)
    return organisation_mask(network, home, "home set")


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


def _group_size(samples: int) -> int:
    """Most sources per igraph call when ``samples`` sources are drawn in all: max(8, ⌈samples / 64⌉)."""
    return max(_GROUP_SIZE, -(-samples // _GROUPS))


def _n_groups(n_h: int, group_size: int) -> int:
    """Random groups for a stratum with ``n_h`` sampled sources: groups of at most ``group_size``, at least 2."""
    return int(min(n_h, max(2, -(-n_h // group_size))))


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
    pairs = iter(zip(sums, sizes))
    head = next(pairs, None)
    if head is None:
        raise ValueError("no groups")
    shift = head[0] / float(head[1])
    total, sum_d, sum_bd, sum_bdd = (np.zeros_like(head[0]) for _ in range(4))
    n = sum_b2 = 0.0
    for group, size in itertools.chain([head], pairs):
        b = float(size)
        d = group / b - shift
        total += group
        sum_d += b * d
        sum_bd += b * b * d
        sum_bdd += b * b * d * d
        n += b
        sum_b2 += b * b
    mean_d = sum_d / n
    squares = sum_bdd - 2.0 * mean_d * sum_bd + mean_d**2 * sum_b2
    denominator = n - sum_b2 / n
    spread = squares / denominator if denominator > 0 else np.zeros_like(total)
    return total, np.maximum(spread, 0.0)
