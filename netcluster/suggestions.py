"""Partner suggestions: foreign organisations a member could call, ranked by link prediction.

For a member m and a candidate f (an organisation of another country, not yet
tied to m, with at least one tie), three classic link-prediction signals are
computed on each layer ℓ of the network, over the common neighbours
Γ_ℓ(m) ∩ Γ_ℓ(f) (the partners they share on that layer):

* common partners  CN_ℓ(m, f) = |Γ_ℓ(m) ∩ Γ_ℓ(f)|
* Adamic-Adar      AA_ℓ(m, f) = Σ_z 1 / ln k_ℓ(z)
* resource alloc.  RA_ℓ(m, f) = Σ_z 1 / k_ℓ(z)

where k_ℓ(z) is the number of partners of z on layer ℓ (a common neighbour
has k ≥ 2, so ln k > 0). Each signal is divided by its largest value over the
member's candidates, so that it lies in [0, 1], and the score is

    score(m, f) = Σ_ℓ w_ℓ · (0.5 · AA_ℓ + 0.3 · CN_ℓ + 0.2 · RA_ℓ)  [normalised]
                  + s · similarity(m, f)

with layer weights w_ℓ (1 by default), signal weights as shown (a parameter)
and, when attributes are named in ``similarity``, s times the share of those
attributes (kind, sector, a technology column...) on which f equals m
(similarity re-ranks the candidates that share partners with m; the list
filled by preferential attachment is not re-ranked).
Candidates are ranked by score, then by their number of partners
(preferential attachment), then by ``org_id``; when fewer than k candidates
share a partner with m, the list is filled with the best-connected remaining
candidates, and their evidence says so.

The weights were chosen on the CORDIS back-test (see ``docs/gaps.md``):
there Adamic-Adar and common partners each beat preferential attachment on
precision@10 by about 30 %; resource allocation alone gains less on that
hub-heavy data, so it weighs least. With little history (one training year)
preferential attachment can win: back-test on your own data.

References
----------
Liben-Nowell, D. & Kleinberg, J. (2007). The link-prediction problem for
social networks. *JASIST* 58(7), 1019-1031.

Adamic, L. A. & Adar, E. (2003). Friends and neighbors on the Web. *Social
Networks* 25(3), 211-230.

Zhou, T., Lü, L. & Zhang, Y.-C. (2009). Predicting missing links via local
information. *European Physical Journal B* 71, 623-630.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .errors import InputError
from .geography import country_codes
from .home import organisation_mask
from .network import CollaborationNetwork

__all__ = ["suggest_partners", "SIGNAL_WEIGHTS"]

#: Default weight of each normalised signal in the score.
SIGNAL_WEIGHTS = {"adamic_adar": 0.5, "common_partners": 0.3, "resource_allocation": 0.2}

_VERBS = {
    "partnership": "works with",
    "copatent": "co-patents with",
    "membership": "shares a cluster or association with",
}
_CHUNK_ENTRIES = 4_000_000
_SHOWN = 3


def suggest_partners(
    result: Any,
    member: Any = None,
    *,
    k: int = 10,
    countries: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    include_own_country: bool = False,
    similarity: Iterable[str] = (),
    similarity_weight: float = 0.25,
    signal_weights: Mapping[str, float] | None = None,
    layer_weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Suggest foreign partners for each home member, with the evidence in words.

    Parameters
    ----------
    result : AnalysisResult
        An analysis (its network and home set are used).
    member : org_id or list of org_id, optional
        Suggest for these organisations only; by default every member of the
        home set (every organisation when the analysis had no home set).
    k : int
        Suggestions per member (default 10).
    countries : iterable of str, optional
        Only suggest organisations of these countries (ISO codes).
    kinds : iterable of str, optional
        Only suggest organisations of these kinds (``firm``, ``university``...).
    include_own_country : bool
        Also suggest organisations of the member's own country (default False:
        only foreign ones; organisations of unknown country are never
        suggested).
    similarity : iterable of str
        Organisation columns (``kind``, ``sector``, a technology column...)
        whose equality with the member adds to the score.
    similarity_weight : float
        Weight s of the similarity share in the score (default 0.25).
    signal_weights : mapping, optional
        Weights of ``adamic_adar``, ``common_partners`` and
        ``resource_allocation`` (default :data:`SIGNAL_WEIGHTS`).
    layer_weights : mapping, optional
        Weight per layer (1 by default); the analysis' layer weights when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per suggestion: ``member``, ``member_name``, ``rank``,
        ``partner``, ``partner_name``, ``partner_country``, ``partner_kind``,
        ``score``, ``common_partners``, ``adamic_adar``,
        ``resource_allocation`` (raw, summed over layers), ``partner_degree``
        and ``evidence``.

    Examples
    --------
    Norwegian a works with Norwegian b and Swedish d, who both work with Danish c:

    >>> from netcluster import CollaborationNetwork, analyze
    >>> orgs = pd.DataFrame({"name": ["A", "B", "C", "D"], "country": ["NO", "NO", "DK", "SE"]},
    ...                     index=pd.Index(list("abcd"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 1, 2, 0], "target": [1, 2, 3, 3],
    ...                      "layer": "partnership", "weight": 1.0, "year": 2020})
    >>> result = analyze(CollaborationNetwork(orgs, ties), home={"country": "NO"})
    >>> table = suggest_partners(result, "a")
    >>> table[["partner", "common_partners", "evidence"]].values.tolist()
    [['c', 2, 'works with 2 of your partners: B (a cluster member) and D']]
    """
    network = result.network
    if member is None:
        home = result.nodes["home"].to_numpy(dtype=bool)
        members = np.flatnonzero(home) if home.any() else np.arange(network.n_orgs)
    else:
        members = np.flatnonzero(organisation_mask(network, member, "member"))
    ranker = PartnerRanker(
        network,
        countries=countries,
        kinds=kinds,
        include_own_country=include_own_country,
        similarity=similarity,
        similarity_weight=similarity_weight,
        signal_weights=signal_weights,
        layer_weights=layer_weights if layer_weights is not None else result.params.get("layer_weights"),
    )
    ranking = ranker.rank(members, k)
    return ranker.describe(ranking, home=result.nodes["home"].to_numpy(dtype=bool))


@dataclass
class Ranking:
    """Top candidates per member: parallel arrays, rows grouped by member in rank order."""

    member: np.ndarray
    candidate: np.ndarray
    rank: np.ndarray
    score: np.ndarray


class PartnerRanker:
    """Scores candidates for members on one network (shared by suggestions and the back-test).

    Parameters are those of :func:`suggest_partners`; ``order`` replaces
    the preferential-attachment order used to break ties and fill short lists
    (the back-test's random baseline passes a random one).
    """

    def __init__(
        self,
        network: CollaborationNetwork,
        *,
        countries: Iterable[str] | None = None,
        kinds: Iterable[str] | None = None,
        include_own_country: bool = False,
        similarity: Iterable[str] = (),
        similarity_weight: float = 0.25,
        signal_weights: Mapping[str, float] | None = None,
        layer_weights: Mapping[str, float] | None = None,
    ) -> None:
        self.network = network
        self.weights = _signal_weights(signal_weights)
        self.layer_weights = {layer: float((layer_weights or {}).get(layer, 1.0)) for layer in network.layers}
        self.include_own_country = bool(include_own_country)
        self.country = country_codes(network.orgs)
        self.similarity = _similarity_codes(network, similarity)
        self.similarity_weight = float(similarity_weight)
        flat = network.to_csr()
        # scipy-stubs type sparse != as object.__ne__ (a bool); scipy returns a sparse matrix
        self.adjacency = (flat != 0).astype(np.float64).tocsr()  # type: ignore[attr-defined]
        self.degree = np.diff(self.adjacency.indptr).astype(np.int64)
        self.allowed = (self.degree > 0) & (self.country >= 0)
        if countries is not None:
            wanted = {str(c).strip().upper() for c in ([countries] if isinstance(countries, str) else countries)}
            self.allowed &= network.orgs["country"].isin(wanted).fillna(False).to_numpy(dtype=bool)
        if kinds is not None:
            wanted = {str(c).strip().lower() for c in ([kinds] if isinstance(kinds, str) else kinds)}
            self.allowed &= network.orgs["kind"].str.lower().isin(wanted).fillna(False).to_numpy(dtype=bool)
        rank_of_id = np.argsort(np.argsort(network.org_ids.to_numpy(dtype=str), kind="stable"), kind="stable")
        self.id_rank = rank_of_id
        # preferential attachment order: most partners first, then org_id
        self.order = np.lexsort((rank_of_id, -self.degree))
        self.layers = [self._layer(layer) for layer in network.layers if self.layer_weights[layer] != 0]

    # -- scoring --------------------------------------------------------------------
    def _layer(self, layer: str) -> tuple[str, float, sp.csr_matrix, np.ndarray, np.ndarray]:
        # scipy-stubs type sparse != as object.__ne__ (a bool); scipy returns a sparse matrix
        matrix = (self.network.to_csr(layers=[layer]) != 0).astype(np.float64).tocsr()  # type: ignore[attr-defined]
        degree = np.diff(matrix.indptr).astype(np.float64)
        inverse = np.divide(1.0, degree, out=np.zeros_like(degree), where=degree > 0)
        logs = np.log(degree, out=np.zeros_like(degree), where=degree > 1)
        inverse_log = np.divide(1.0, logs, out=np.zeros_like(logs), where=degree > 1)
        return layer, self.layer_weights[layer], matrix, inverse, inverse_log

    def signals(self, rows: np.ndarray) -> dict[str, sp.csr_matrix]:
        """Raw CN, AA and RA of ``rows`` against every organisation, summed over layers."""
        out: dict[str, sp.csr_matrix] = {}
        for _, _, matrix, inverse, inverse_log in self.layers:
            block = matrix[rows]
            for name, scale in (("common_partners", None), ("adamic_adar", inverse_log),
                                ("resource_allocation", inverse)):
                value = block @ matrix if scale is None else (block @ sp.diags(scale)) @ matrix
                out[name] = value.tocsr() if name not in out else (out[name] + value).tocsr()
        return out

    def _scores(self, rows: np.ndarray) -> sp.csr_matrix:
        """Combined score of ``rows`` against their candidates (non-candidates removed)."""
        total = sp.csr_matrix((rows.size, self.network.n_orgs))
        for _, weight, matrix, inverse, inverse_log in self.layers:
            block = matrix[rows]
            for name, scale in (("common_partners", None), ("adamic_adar", inverse_log),
                                ("resource_allocation", inverse)):
                if self.weights[name] == 0:
                    continue
                value = block @ matrix if scale is None else (block @ sp.diags(scale)) @ matrix
                value = self._keep_candidates(rows, value.tocsr())
                total = total + (weight * self.weights[name]) * _row_normalised(value)
        total = total.tocsr()
        if self.similarity is not None and self.similarity_weight:
            total = self._add_similarity(rows, total)
        return total

    def _keep_candidates(self, rows: np.ndarray, matrix: sp.csr_matrix) -> sp.csr_matrix:
        row_of = np.repeat(rows, np.diff(matrix.indptr))
        keep = self.candidate_entries(row_of, matrix.indices)
        matrix.data[~keep] = 0
        matrix.eliminate_zeros()
        return matrix

    def candidate_entries(self, members: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        """Whether each (member, candidate) pair is a valid suggestion."""
        keep = self.allowed[candidates] & (candidates != members)
        if not self.include_own_country:
            keep &= self.country[candidates] != self.country[members]
        if keep.any():
            keep[keep] = ~self.already_partners(members[keep], candidates[keep])
        return keep

    def already_partners(self, members: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        """Whether each (member, candidate) pair has a tie in this network."""
        if members.size == 0:
            return np.zeros(0, dtype=bool)
        n = np.int64(self.network.n_orgs)
        rows = np.unique(members)
        block = self.adjacency[rows]
        existing = np.repeat(rows.astype(np.int64), np.diff(block.indptr)) * n + block.indices
        return np.isin(members.astype(np.int64) * n + candidates, existing)

    def _add_similarity(self, rows: np.ndarray, total: sp.csr_matrix) -> sp.csr_matrix:
        codes = self.similarity
        assert codes is not None  # called only when similarity columns were given
        row_of = np.repeat(rows, np.diff(total.indptr))
        same = (codes[row_of] == codes[total.indices]) & (codes[row_of] >= 0)
        total.data = total.data + self.similarity_weight * same.mean(axis=1)
        return total

    # -- ranking --------------------------------------------------------------------
    def rank(self, members: np.ndarray, k: int, order: np.ndarray | None = None,
             use_signals: bool = True) -> Ranking:
        """Top ``k`` candidates per member (members without candidates get none)."""
        if not isinstance(k, (int, np.integer)) or k < 1:
            raise InputError("the number of suggestions k must be a whole number of at least 1", value=k)
        members = np.asarray(members, dtype=np.int64)
        fill_order = self.order if order is None else order
        position = np.empty(self.network.n_orgs, dtype=np.int64)
        position[fill_order] = np.arange(fill_order.size)
        parts: list[tuple[np.ndarray, ...]] = []
        for rows in self._chunks(members):
            if use_signals:
                scores = self._scores(rows)
                row_of = np.repeat(np.arange(rows.size), np.diff(scores.indptr))
                cols, values = scores.indices, scores.data
            else:
                row_of = cols = np.zeros(0, dtype=np.int64)
                values = np.zeros(0)
            chosen = np.lexsort((position[cols], -values, row_of))
            row_of, cols, values = row_of[chosen], cols[chosen], values[chosen]
            within = np.arange(row_of.size) - np.searchsorted(row_of, row_of)
            top = within < k
            row_of, cols, values = row_of[top], cols[top], values[top]
            counts = np.bincount(row_of, minlength=rows.size)
            parts.append((rows[row_of], cols, values))
            for i in np.flatnonzero(counts < k):
                extra = self._fill(rows[i], k - counts[i], set(cols[row_of == i].tolist()), fill_order)
                parts.append((np.full(extra.size, rows[i]), extra, np.zeros(extra.size)))
        member = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
        candidate = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
        score = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0)
        by_member = np.argsort(member, kind="stable")  # scored first, then fill, per member
        member, candidate, score = member[by_member], candidate[by_member], score[by_member]
        rank = np.arange(member.size) - np.searchsorted(member, member) + 1
        return Ranking(member, candidate, rank, score)

    def _fill(self, member: int, needed: int, taken: set[int], order: np.ndarray) -> np.ndarray:
        """The next candidates of ``order`` not yet taken (preferential attachment by default)."""
        found: list[int] = []
        step = max(256, 4 * needed)
        for start in range(0, order.size, step):
            block = order[start:start + step]
            ok = self.candidate_entries(np.full(block.size, member), block)
            for code in block[ok].tolist():
                if code not in taken:
                    found.append(code)
                    if len(found) == needed:
                        return np.array(found, dtype=np.int64)
        return np.array(found, dtype=np.int64)

    def _chunks(self, members: np.ndarray) -> list[np.ndarray]:
        if members.size == 0:
            return []
        two_hop = self.adjacency @ self.degree.astype(np.float64)  # bound on each row's two-step reach
        cost = np.cumsum(two_hop[members] * max(len(self.layers), 1)) // _CHUNK_ENTRIES
        cuts = np.flatnonzero(np.diff(cost)) + 1
        return [piece for piece in np.split(members, cuts) if piece.size]

    # -- words ----------------------------------------------------------------------
    def describe(self, ranking: Ranking, home: np.ndarray) -> pd.DataFrame:
        """The ranking as a table with raw signals and evidence in words."""
        orgs = self.network.orgs
        names = orgs["name"].fillna(pd.Series(orgs.index, index=orgs.index)).astype(str).to_numpy()
        raw = {name: np.zeros(ranking.member.size) for name in SIGNAL_WEIGHTS}
        for rows in self._chunks(np.unique(ranking.member)):
            signals = self.signals(rows)
            lookup = np.searchsorted(rows, ranking.member)
            inside = (lookup < rows.size) & (rows[np.minimum(lookup, rows.size - 1)] == ranking.member)
            for name, matrix in signals.items():
                raw[name][inside] = np.asarray(matrix[lookup[inside], ranking.candidate[inside]]).ravel()
        evidence = [self._evidence(m, f, names, home) for m, f in zip(ranking.member, ranking.candidate)]
        ids = self.network.org_ids
        return pd.DataFrame({
            "member": ids[ranking.member].astype(str),
            "member_name": names[ranking.member],
            "rank": ranking.rank.astype(np.int64),
            "partner": ids[ranking.candidate].astype(str),
            "partner_name": names[ranking.candidate],
            "partner_country": orgs["country"].to_numpy()[ranking.candidate],
            "partner_kind": orgs["kind"].to_numpy()[ranking.candidate],
            "score": ranking.score,
            "common_partners": raw["common_partners"].round().astype(np.int64),
            "adamic_adar": raw["adamic_adar"],
            "resource_allocation": raw["resource_allocation"],
            "partner_degree": self.degree[ranking.candidate],
            "evidence": evidence,
        })

    def _evidence(self, member: int, candidate: int, names: np.ndarray, home: np.ndarray) -> str:
        phrases = []
        for layer, _, matrix, _, _ in self.layers:
            mine = matrix.indices[matrix.indptr[member]:matrix.indptr[member + 1]]
            theirs = matrix.indices[matrix.indptr[candidate]:matrix.indptr[candidate + 1]]
            shared = np.intersect1d(mine, theirs)
            if shared.size == 0:
                continue
            # fellow members first, then the best-connected partners, then by id
            shared = shared[np.lexsort((self.id_rank[shared], -self.degree[shared], ~home[shared]))]
            verb = _VERBS.get(layer, f"is linked on the {layer} layer with")
            shown = [str(names[z]) + (" (a cluster member)" if home[z] else "") for z in shared[:_SHOWN]]
            listing = _join(shown + ([f"{shared.size - _SHOWN} more"] if shared.size > _SHOWN else []))
            if shared.size == 1:
                phrases.append(f"{verb} your partner {listing}")
            else:
                phrases.append(f"{verb} {shared.size} of your partners: {listing}")
        if phrases:
            return "; ".join(phrases)
        partners = self.degree[candidate]
        return (f"no shared partner yet; one of the best-connected candidates "
                f"({partners} partner{'' if partners == 1 else 's'})")


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _row_normalised(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Divide each row by its largest entry (rows without entries stay empty)."""
    if matrix.nnz == 0:
        return matrix
    largest = np.asarray(matrix.max(axis=1).todense()).ravel()
    scale = np.divide(1.0, largest, out=np.zeros_like(largest), where=largest > 0)
    return (sp.diags(scale) @ matrix).tocsr()


def _signal_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    chosen = dict(SIGNAL_WEIGHTS if weights is None else weights)
    unknown = set(chosen) - set(SIGNAL_WEIGHTS)
    if unknown:
        raise InputError(f"unknown signal; choose among {', '.join(SIGNAL_WEIGHTS)}", value=sorted(unknown)[0])
    out = {name: float(chosen.get(name, 0.0)) for name in SIGNAL_WEIGHTS}
    if any(w < 0 or not np.isfinite(w) for w in out.values()):
        raise InputError("signal weights must be finite and not negative", value=out)
    return out


def _similarity_codes(network: CollaborationNetwork, columns: Iterable[str]) -> np.ndarray | None:
    chosen = [columns] if isinstance(columns, str) else list(columns)
    if not chosen:
        return None
    missing = [c for c in chosen if c not in network.orgs.columns]
    if missing:
        raise InputError("no such organisation column for similarity", column=missing[0])
    codes = [
        pd.Categorical(network.orgs[c].astype("string").str.strip().str.lower()).codes.astype(np.int64)
        for c in chosen
    ]
    return np.column_stack(codes)
