"""Back-test partner suggestions on real history: learn before a year, score on the ties formed after.

The network is split at a year T. The *training* network keeps only the tie
records dated before T (undated records are left out, since they cannot be
placed in time); suggestions are made from it alone. The *test* set holds,
for each member m of the home set, the organisations f with which m formed a
new international tie from T on: a tie dated T or later, f of another
(known) country than m, no tie between m and f before T, and f active before
T (at least one tie in the training network: an organisation that did not
exist yet cannot be suggested by any method, so these ties are counted and
reported as ``excluded_new_organisations`` but not scored). Members with at
least one such test partner are *evaluated*.

For each method and k, with S_k(m) the top-k suggestions and N(m) the test
partners of m:

* precision@k = mean over evaluated members of |S_k(m) ∩ N(m)| / k
* recall@k    = mean over evaluated members of |S_k(m) ∩ N(m)| / |N(m)|
* MRR@k       = mean over evaluated members of 1 / (rank of the first hit),
  0 when no hit is among the top k.

Methods: ``netcluster`` (the score of :mod:`netcluster.suggestions`),
``preferential_attachment`` (candidates by their number of partners before T,
the classic baseline that suggests the hubs to everyone) and ``random`` (one
seeded random order of the candidates). All three rank the same candidates.

References
----------
Liben-Nowell, D. & Kleinberg, J. (2007). The link-prediction problem for
social networks. *JASIST* 58(7), 1019-1031.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputError
from .geography import country_codes
from .home import describe_home, home_set
from .network import CollaborationNetwork
from .suggestions import PartnerRanker, Ranking

__all__ = ["backtest", "BacktestResult", "METHODS"]

#: The methods compared, in the order of the table.
METHODS = ("netcluster", "preferential_attachment", "random")


@dataclass
class BacktestResult:
    """Scores per method and the counts behind them.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per method (:data:`METHODS`), columns ``precision@k``,
        ``recall@k`` and ``mrr@k`` for each k.
    counts : dict
        ``training_tie_records``, ``test_tie_records``, ``undated_tie_records``,
        ``members`` (home members active before T), ``evaluated``,
        ``new_international_ties`` (scored), ``excluded_new_organisations``.
    params : dict
        ``until``, ``k``, ``home``, ``seed`` and the suggestion options.
    """

    table: pd.DataFrame
    counts: dict[str, int]
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain types, ready for JSON."""
        return {
            "params": self.params,
            "counts": self.counts,
            "methods": {
                method: {column: float(value) for column, value in row.items()}
                for method, row in self.table.iterrows()
            },
        }


def backtest(
    network: CollaborationNetwork,
    *,
    until: int,
    home: Any = None,
    k: Iterable[int] = (5, 10, 20),
    seed: int = 0,
    countries: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    similarity: Iterable[str] = (),
    similarity_weight: float = 0.25,
    signal_weights: Mapping[str, float] | None = None,
    layer_weights: Mapping[str, float] | None = None,
) -> BacktestResult:
    """Score partner suggestions made before ``until`` against the ties formed from ``until`` on.

    Parameters
    ----------
    network : CollaborationNetwork
    until : int
        The year T: ties dated before T train, ties dated T or later test.
    home : optional
        The members to suggest for (see :func:`netcluster.home.home_set`);
        every organisation by default.
    k : iterable of int
        Cut-offs (default 5, 10 and 20).
    seed : int
        Seed of the random baseline.
    countries, kinds, similarity, similarity_weight, signal_weights, layer_weights
        As in :func:`netcluster.suggest_partners`.

    Returns
    -------
    BacktestResult

    Examples
    --------
    >>> from netcluster.sample_graphs import load_sample
    >>> out = backtest(load_sample("norway_h2020"), until=2016, home={"country": "NO"}, k=[10])
    >>> list(out.table.index), list(out.table.columns)
    (['netcluster', 'preferential_attachment', 'random'], ['precision@10', 'recall@10', 'mrr@10'])
    """
    cutoffs = _cutoffs(k)
    years = network.ties["year"]
    dated = years.notna().to_numpy(dtype=bool)
    year_values = years.to_numpy(dtype=float, na_value=np.nan)
    if not dated.any():
        raise InputError("the back-test needs dated ties, and no tie has a year")
    until = _year(until, int(np.nanmin(year_values)), int(np.nanmax(year_values)))
    train = network.select(years=range(int(np.nanmin(year_values)), until))
    test_ties = network.ties[dated & (year_values >= until)]

    options: dict[str, Any] = {"countries": countries, "kinds": kinds, "similarity": similarity,
               "similarity_weight": similarity_weight, "signal_weights": signal_weights,
               "layer_weights": layer_weights}
    ranker = PartnerRanker(train, **options)
    mask = home_set(train, home)
    members = np.flatnonzero((mask if mask is not None else np.ones(train.n_orgs, dtype=bool)) & (ranker.degree > 0))
    targets, excluded = _targets(train, ranker, test_ties, members)
    evaluated = np.unique(targets // train.n_orgs)

    top = max(cutoffs)
    rng = np.random.default_rng(seed)
    rankings = {
        "netcluster": ranker.rank(evaluated, top),
        "preferential_attachment": ranker.rank(evaluated, top, use_signals=False),
        "random": ranker.rank(evaluated, top, order=rng.permutation(train.n_orgs), use_signals=False),
    }
    table = pd.DataFrame(
        [_scores(rankings[m], targets, evaluated, cutoffs, train.n_orgs) for m in METHODS], index=list(METHODS)
    )
    table.index.name = "method"
    counts = {
        "training_tie_records": int(len(train.ties)),
        "test_tie_records": int(len(test_ties)),
        "undated_tie_records": int((~dated).sum()),
        "members": int(members.size),
        "evaluated": int(evaluated.size),
        "new_international_ties": int(targets.size),
        "excluded_new_organisations": int(excluded),
    }
    params = {
        "until": until,
        "k": cutoffs,
        "home": describe_home(home, train) if home is not None else None,
        "seed": int(seed),
        **{name: (sorted(value) if isinstance(value, (set, frozenset)) else value)
           for name, value in options.items() if value not in (None, (), [])},
    }
    return BacktestResult(table=table, counts=counts, params=params)


def _targets(
    train: CollaborationNetwork, ranker: PartnerRanker, test_ties: pd.DataFrame, members: np.ndarray
) -> tuple[np.ndarray, int]:
    """Keys member·n + partner of the new international ties to score, and how many were excluded."""
    n = np.int64(train.n_orgs)
    source = test_ties["source"].to_numpy(dtype=np.int64)
    target = test_ties["target"].to_numpy(dtype=np.int64)
    is_member = np.zeros(train.n_orgs, dtype=bool)
    is_member[members] = True
    # both directions: each end may be the member
    member = np.concatenate([source, target])
    partner = np.concatenate([target, source])
    keys = np.unique(member * n + partner)
    member, partner = keys // n, keys % n
    country = country_codes(train.orgs)
    international = (country[member] >= 0) & (country[partner] >= 0) & (country[member] != country[partner])
    wanted = is_member[member] & international
    member, partner = member[wanted], partner[wanted]
    new = ~ranker.already_partners(member, partner)
    member, partner = member[new], partner[new]
    active = ranker.degree[partner] > 0
    valid = ranker.candidate_entries(member[active], partner[active])
    excluded = int((~active).sum())
    member, partner = member[active][valid], partner[active][valid]
    return member * n + partner, excluded


def _scores(
    ranking: Ranking, targets: np.ndarray, evaluated: np.ndarray, cutoffs: list[int], n: int
) -> dict[str, float]:
    hit = np.isin(ranking.member.astype(np.int64) * n + ranking.candidate, targets)
    wanted = np.bincount(np.searchsorted(evaluated, targets // n), minlength=evaluated.size)
    where = np.searchsorted(evaluated, ranking.member)
    out: dict[str, float] = {}
    for k in cutoffs:
        within = hit & (ranking.rank <= k)
        hits = np.bincount(where[within], minlength=evaluated.size)
        first = np.full(evaluated.size, np.inf)
        np.minimum.at(first, where[within], ranking.rank[within].astype(float))
        out[f"precision@{k}"] = float(np.mean(hits / k)) if evaluated.size else float("nan")
        out[f"recall@{k}"] = float(np.mean(hits / wanted)) if evaluated.size else float("nan")
        out[f"mrr@{k}"] = float(np.mean(np.where(np.isfinite(first), 1 / first, 0.0))) if evaluated.size \
            else float("nan")
    return out


def _cutoffs(k: Iterable[int]) -> list[int]:
    values = [k] if isinstance(k, (int, np.integer)) else list(k)
    if not values or any(not isinstance(v, (int, np.integer)) or v < 1 for v in values):
        raise InputError("k must be whole numbers of at least 1", value=values)
    return sorted({int(v) for v in values})


def _year(until: Any, first: int, last: int) -> int:
    try:
        year = int(until)
        whole = year == float(until)
    except (TypeError, ValueError, OverflowError):
        raise InputError("the back-test year must be a whole number", value=until) from None
    if isinstance(until, bool) or not whole:
        raise InputError("the back-test year must be a whole number", value=until)
    if not first < year <= last:
        raise InputError(
            f"the back-test year must leave ties on both sides: ties are dated {first} to {last}, "
            f"so choose a year from {first + 1} to {last}",
            value=until,
        )
    return year
