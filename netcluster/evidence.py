"""Evidence: are local, national and international partners associated with an innovation outcome?

:func:`estimate_tie_effects` regresses an organisation-level outcome (a
member survey's "introduced a new product", revenue, the number of later
projects or patents) on the organisation's numbers of distinct local,
national and international partners, with controls, after Fitjar &
Rodríguez-Pose (2013). The model follows the outcome: logit for yes/no,
Poisson (negative binomial when overdispersed) for counts, OLS for
continuous values; standard errors are heteroskedasticity-robust (HC1) or
clustered by locality. Every estimate comes from statsmodels.

Outcomes come from a user file (:func:`read_outcomes`) or from the records
themselves with a time split that cannot leak (:func:`derive_outcomes`).

The result is an association in observational data: organisations that
have foreign partners may differ in ways no control captures, and
innovating organisations may attract partners rather than the reverse.
Read every coefficient as "is associated with", never as "causes".

References
----------
Fitjar, R. D. & Rodríguez-Pose, A. (2013). Firm collaboration and modes of
innovation in Norway. *Research Policy* 42(1), 128-138.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import stats

from .analyze import AnalysisResult
from .errors import InputError
from .geography import SCOPES, country_codes, local_pairs, locality_codes, pair_scopes
from .network import CollaborationNetwork

__all__ = ["TieEffects", "estimate_tie_effects", "derive_outcomes", "read_outcomes", "organisation_outcome",
           "MODELS", "SCIENCE_KINDS"]

#: Models :func:`estimate_tie_effects` accepts besides ``"auto"``.
MODELS = ("logit", "probit", "poisson", "negbin", "ols")

#: Partner kinds counted as science-based when ``by_kind=True`` (Fitjar & Rodríguez-Pose's
#: universities and research institutes); every other kind is "other".
SCIENCE_KINDS = ("university", "research")

_SCOPES3 = ("local", "national", "international")
_SMALL_SAMPLE = 50
_CONDITION_LIMIT = 1000.0
_TRUE = {"1", "true", "yes", "y", "t"}
_FALSE = {"0", "false", "no", "n", "f"}


@dataclass
class TieEffects:
    """What :func:`estimate_tie_effects` found.

    Attributes
    ----------
    coefficients : pandas.DataFrame
        One row per term: ``term``, ``estimate``, ``std_error``, ``ci_low``,
        ``ci_high``, ``p_value`` (on the model's scale: log-odds for logit,
        log rate for Poisson and negative binomial, units of the outcome for OLS).
    marginal_effects : pandas.DataFrame
        Average marginal effects of every term but the intercept, on the
        outcome's own scale (probability, count or unit), same columns.
    ratio : dict
        The headline: the international partner effect divided by the local
        one (``estimate``, ``ci_low``, ``ci_high``, ``std_error``, ``method``,
        ``numerator``, ``denominator``). The ratio of coefficients equals the
        ratio of average marginal effects for logit, Poisson and OLS.
    ratios : pandas.DataFrame
        The ratio per partner kind (one row ``all``, or ``science`` and
        ``other`` with ``by_kind=True``; the headline is then ``other``).
    model : str
        The model fitted: logit, probit, poisson, negbin or ols.
    outcome : str
        The outcome column.
    counts : dict
        ``considered`` (organisations in the analysed population),
        ``used``, ``missing_outcome`` (dropped: no outcome),
        ``dropped_other`` (dropped: a missing control),
        ``not_in_network`` (outcome rows whose id is not in the network).
    warnings : list of str
        Small sample, separation, collinearity, dropped rows and columns.
    params : dict
        The arguments the estimate ran with.
    """

    coefficients: pd.DataFrame
    marginal_effects: pd.DataFrame
    ratio: dict[str, Any]
    ratios: pd.DataFrame
    model: str
    outcome: str
    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Everything as JSON-ready Python values (NaN becomes None).

        Examples
        --------
        >>> from netcluster.sample_graphs import load_sample
        >>> from netcluster import analyze
        >>> net = load_sample("ocean_cluster")
        >>> before, outcomes = derive_outcomes(net, until=2021)
        >>> fit = estimate_tie_effects(analyze(before), outcomes, outcome="any_after")
        >>> sorted(fit.to_dict()["ratio"])[:3]
        ['ci_high', 'ci_low', 'denominator']
        """
        return _jsonable({
            "outcome": self.outcome,
            "model": self.model,
            "coefficients": self.coefficients.to_dict(orient="records"),
            "marginal_effects": self.marginal_effects.to_dict(orient="records"),
            "ratio": dict(self.ratio),
            "ratios": self.ratios.reset_index().to_dict(orient="records"),
            "counts": dict(self.counts),
            "warnings": list(self.warnings),
            "params": dict(self.params),
        })

    def summary_lines(self) -> list[str]:
        """Plain-language sentences: the headline ratio, the sample, the warnings.

        Examples
        --------
        >>> from netcluster.sample_graphs import load_sample
        >>> from netcluster import analyze
        >>> before, outcomes = derive_outcomes(load_sample("ocean_cluster"), until=2021)
        >>> fit = estimate_tie_effects(analyze(before), outcomes, outcome="any_after")
        >>> fit.summary_lines()[0].startswith("Model: logit")
        True
        """
        r = self.ratio
        lines = [f"Model: {self.model} of {self.outcome!r} on {self.counts['used']} organisations "
                 f"({self.counts['missing_outcome']} without an outcome, {self.counts['dropped_other']} "
                 "dropped for a missing control)."]
        if r.get("estimate") is not None and np.isfinite(r["estimate"]):
            lines.append(
                f"International partners are associated with {r['estimate']:.2f} times the outcome "
                f"difference that local partners are associated with (ratio of the two coefficients, "
                f"95 % CI {r['ci_low']:.2f} to {r['ci_high']:.2f}, {r['method']}). An association, "
                "not proof of cause.")
        else:
            lines.append("The international/local ratio could not be estimated.")
        lines += [f"Warning: {w}" for w in self.warnings]
        return lines


# -- outcomes -------------------------------------------------------------------------------
def read_outcomes(source: Any) -> pd.DataFrame:
    """Read organisation outcomes from a file: an id column, then numeric outcome columns.

    Any format of :func:`netcluster.loaders.read_table` (CSV, TSV, XLSX,
    Parquet, JSON lines) or a DataFrame. The first column holds the
    organisation id, the others are outcomes or controls: numbers, or
    yes/no, true/false (read as 1/0). Empty cells are missing values.

    Parameters
    ----------
    source : path-like or pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
        Float columns indexed by ``org_id``.

    Raises
    ------
    InputError
        For fewer than two columns, an empty or repeated id, or a value that
        is not a number, naming the file, line and column.

    Examples
    --------
    >>> read_outcomes(pd.DataFrame({"org": ["a", "b"], "new_product": ["yes", "0"]}))["new_product"].tolist()
    [1.0, 0.0]
    """
    from .loaders.readers import read_table

    table = read_table(source)
    frame = table.frame
    if frame.shape[1] < 2:
        raise InputError("an outcomes file needs an organisation id column and at least one outcome column",
                         file=table.source)
    ids = frame.iloc[:, 0].str.strip()
    for bad, message in ((ids == "", "no organisation id"),
                         (ids.duplicated() & (ids != ""), "this organisation is given twice")):
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(message, file=table.source, line=int(table.lines.iloc[row]),
                             column=str(frame.columns[0]), value=ids.iloc[row])
    columns: dict[str, np.ndarray] = {}
    for name in frame.columns[1:]:
        text = frame[name].str.strip()
        lowered = text.str.lower()
        values = pd.to_numeric(text.where(~lowered.isin(_TRUE | _FALSE), None), errors="coerce")
        values = values.where(~lowered.isin(_TRUE), 1.0).where(~lowered.isin(_FALSE), 0.0)
        bad = (values.isna() & (text != "")) | np.isinf(values.astype(float).fillna(0.0))
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError("not a number (write numbers, or yes/no, true/false, 1/0)", file=table.source,
                             line=int(table.lines.iloc[row]), column=str(name), value=text.iloc[row])
        columns[str(name)] = values.to_numpy(dtype=float)
    return pd.DataFrame(columns, index=pd.Index(ids.to_numpy(dtype=object), name="org_id"))


def organisation_outcome(network: CollaborationNetwork, column: str) -> pd.DataFrame:
    """An outcome column of the organisations table, read as :func:`read_outcomes` reads a file.

    Parameters
    ----------
    network : CollaborationNetwork
    column : str
        A column of ``network.orgs``: numbers, or yes/no, true/false, 1/0;
        empty cells are missing values.

    Returns
    -------
    pandas.DataFrame
        One float column ``column`` indexed by ``org_id``.

    Raises
    ------
    InputError
        When the column does not exist, or holds a value that is not a number.

    Examples
    --------
    >>> from netcluster.sample_graphs import load_sample
    >>> table = organisation_outcome(load_sample("ocean_cluster"), "new_product")
    >>> sorted(set(table["new_product"]))
    [0.0, 1.0]
    """
    orgs = network.orgs
    if column not in orgs.columns:
        raise InputError(f"no outcome column {column!r} in the organisations table", value=column)
    text = orgs[column].astype("string").fillna("").astype(str)
    frame = pd.DataFrame({"org": np.asarray(network.org_ids, dtype=object), column: text.to_numpy(dtype=object)})
    try:
        return read_outcomes(frame)
    except InputError as error:
        raise InputError(f"the organisations' column {column!r}: {error}") from None


def derive_outcomes(
    network: CollaborationNetwork,
    until: int,
    *,
    layers: Iterable[str] | None = None,
) -> tuple[CollaborationNetwork, pd.DataFrame]:
    """Split a network in time: ties before ``until`` as predictors, activity from ``until`` on as outcome.

    Activity counts, per organisation, the distinct events (projects,
    patent applications) of the layers that have events, plus the tie
    records of the layers that only have pairs (pairwise partnerships).
    Nothing dated ``until`` or later is in the returned network, so the
    partner counts an analysis of it measures cannot leak the outcome;
    records without a year are left out of both sides.

    Parameters
    ----------
    network : CollaborationNetwork
    until : int
        First year of the outcome period.
    layers : iterable of str, optional
        Layers to use (all by default), for the predictors and the outcome.

    Returns
    -------
    (CollaborationNetwork, pandas.DataFrame)
        The network restricted to the years before ``until`` (analyse it with
        :func:`netcluster.analyze`), and a table indexed by ``org_id`` for the
        organisations active before ``until``: ``events_after`` (activity from
        ``until`` on), ``any_after`` (1 when any) and ``prior_events``
        (activity before ``until``, the control ``prior_activity``).
        Organisations first active from ``until`` on have no row: they have
        no past to predict from.

    Raises
    ------
    InputError
        When no dated record falls before ``until``, or none from it on.

    Examples
    --------
    >>> from netcluster.sample_graphs import load_sample
    >>> before, outcomes = derive_outcomes(load_sample("ocean_cluster"), until=2021)
    >>> int(before.ties["year"].max())
    2020
    >>> list(outcomes.columns)
    ['events_after', 'any_after', 'prior_events']
    """
    chosen = None if layers is None else list(layers)
    selected = network if chosen is None else network.select(chosen)
    years = pd.concat([selected.ties["year"], selected.events["year"]]).dropna().astype(int)
    if years.empty or years.min() >= until:
        raise InputError(f"no dated tie or event before {until}: nothing to measure partners on")
    if years.max() < until:
        raise InputError(f"no dated tie or event in {until} or later: nothing to measure the outcome on")
    before = selected.select(years=(int(years.min()), int(until) - 1))
    prior = _activity(selected, lambda y: y < until)
    after = _activity(selected, lambda y: y >= until)
    active = prior > 0
    table = pd.DataFrame({"events_after": after[active], "any_after": (after[active] > 0).astype(float),
                          "prior_events": prior[active]}, index=selected.org_ids[active])
    table.index.name = "org_id"
    table.attrs["until"] = int(until)
    return before, table


def _activity(network: CollaborationNetwork, when: Any) -> np.ndarray:
    """Distinct events plus tie records of event-less layers per organisation; ``when`` filters years
    (None: every record, undated ones included)."""
    n = network.n_orgs
    counts = np.zeros(n, dtype=float)
    events = network.events
    event_layers = set(events["layer"].astype(str).unique())
    if len(events):
        chosen = events[_when(events["year"], when)].drop_duplicates(["org", "event"])
        counts += np.bincount(chosen["org"].to_numpy(dtype=np.int64), minlength=n)
    ties = network.ties[~network.ties["layer"].astype(str).isin(event_layers)]
    if len(ties):
        chosen = ties[_when(ties["year"], when)]
        counts += np.bincount(chosen["source"].to_numpy(dtype=np.int64), minlength=n)
        counts += np.bincount(chosen["target"].to_numpy(dtype=np.int64), minlength=n)
    return counts


def _when(year: pd.Series, when: Any) -> np.ndarray:
    if when is None:
        return np.ones(len(year), dtype=bool)
    return np.asarray(year.notna().to_numpy() & when(year.fillna(0).to_numpy(dtype=int)), dtype=bool)


# -- estimation -----------------------------------------------------------------------------
def estimate_tie_effects(
    result: AnalysisResult,
    outcomes: pd.DataFrame | Any = None,
    outcome: str | None = None,
    *,
    controls: Sequence[str] = ("prior_activity", "kind"),
    model: str = "auto",
    transform: str | None = "log1p",
    by_kind: bool = False,
    cluster_by: str | None = None,
    seed: int = 0,
    bootstrap: int = 0,
) -> TieEffects:
    """Regress an organisation outcome on its numbers of local, national and international partners.

    The population is the home set of the analysis (every organisation
    with a country when it has none). The predictors are the numbers of
    distinct partners by scope from ``result.nodes`` (``local_degree``,
    ``national_degree``, ``international_degree``), as ``log(1 + n)`` by
    default. The estimate is an association in observational data, not a
    causal effect.

    Parameters
    ----------
    result : AnalysisResult
        The analysis that measured the partners (for derived outcomes, of the
        network :func:`derive_outcomes` returned).
    outcomes : pandas.DataFrame, path-like, optional
        Outcomes indexed by ``org_id`` (a file is read with :func:`read_outcomes`).
        Without it, ``outcome`` is a column of ``result.nodes`` or of the
        organisations table (``result.network.orgs``, for example the
        ``new_product`` column of the ``ocean_cluster`` sample; yes/no read
        as 1/0), and numeric controls are columns of ``result.nodes``.
    outcome : str, optional
        The outcome column (default: the first column of ``outcomes``).
    controls : sequence of str
        ``"prior_activity"`` (``prior_events`` of the outcomes when present,
        else the organisation's events and tie records in the analysed network;
        ``log(1 + n)``), ``"locality"`` (fixed effects of the analysis
        locality), a numeric column of ``outcomes`` or ``result.nodes``, or a
        text column of ``result.nodes`` (``kind``, ``sector``, ``region``,
        ...) as fixed effects. Empty text becomes the category ``unknown``.
    model : str
        ``"auto"`` (0/1 outcome: logit; non-negative whole numbers: Poisson,
        or negative binomial when the Pearson dispersion exceeds 1.5; else
        OLS) or one of :data:`MODELS`.
    transform : "log1p" or None
        Transformation of the partner counts.
    by_kind : bool
        Split each scope by partner kind: science-based (:data:`SCIENCE_KINDS`)
        and other, as Fitjar & Rodríguez-Pose do.
    cluster_by : str, optional
        Cluster the standard errors by this organisation column
        (``"locality"`` for the analysis locality); HC1 robust errors otherwise.
    seed : int
        Seed of the bootstrap.
    bootstrap : int
        With a positive number, the ratio's confidence interval is the
        percentile interval of this many resamples of organisations (of
        clusters with ``cluster_by``) instead of the delta method.

    Returns
    -------
    TieEffects

    Raises
    ------
    InputError
        For an unknown outcome, control or model, an outcome with a single
        value, or fewer organisations than terms.

    Examples
    --------
    >>> from netcluster.sample_graphs import load_sample
    >>> from netcluster import analyze
    >>> before, outcomes = derive_outcomes(load_sample("ocean_cluster"), until=2021)
    >>> fit = estimate_tie_effects(analyze(before), outcomes, outcome="events_after")
    >>> fit.model in ("poisson", "negbin")
    True
    >>> list(fit.coefficients["term"][:4])
    ['const', 'local', 'national', 'international']
    """
    import statsmodels.api as sm  # noqa: F401  (fail early when the dependency is missing)

    if model != "auto" and model not in MODELS:
        raise InputError(f"unknown model {model!r}: use auto or one of {', '.join(MODELS)}")
    if transform not in ("log1p", None):
        raise InputError(f"unknown transform {transform!r}: use 'log1p' or None")
    nodes = result.nodes
    table = read_outcomes(outcomes) if outcomes is not None and not isinstance(outcomes, pd.DataFrame) \
        else outcomes
    if table is None and outcome is not None and outcome not in nodes.columns \
            and outcome in result.network.orgs.columns:
        table = organisation_outcome(result.network, outcome)
    if table is not None:
        table = table.copy()
        table.index = table.index.astype(str)
    source = table if table is not None else nodes
    if outcome is None:
        if table is None or table.shape[1] == 0:
            raise InputError("name the outcome column")
        outcome = str(table.columns[0])
    if outcome not in source.columns:
        raise InputError(f"no outcome column {outcome!r}", value=outcome)
    locality = str(result.params.get("locality") or "region")
    has_home = bool(nodes["home"].any()) if "home" in nodes else False
    population = nodes.index[nodes["home"].astype(bool)] if has_home else nodes.index[nodes["country"].notna()]
    not_in_network = 0 if table is None else int((~table.index.isin(nodes.index)).sum())

    # predictors
    if by_kind:
        counts = _kind_scope_degrees(result, locality)
    else:
        counts = nodes[[f"{s}_degree" for s in _SCOPES3]].set_axis(list(_SCOPES3), axis=1)
    predictors = counts.loc[population].astype(float)
    if transform == "log1p":
        predictors = predictors.apply(np.log1p)
    y = pd.to_numeric(source[outcome].reindex(population), errors="coerce").astype(float)
    design = [predictors]
    notes: list[str] = []
    for name in controls:
        design.append(_control(name, result, table, population, locality))
    X = pd.concat(design, axis=1)
    missing_outcome = y.isna()
    missing_other = ~missing_outcome & X.isna().any(axis=1)
    keep = ~(missing_outcome | missing_other)
    y, X = y[keep], X[keep]
    counts_out = {"considered": int(len(population)), "used": int(keep.sum()),
                  "missing_outcome": int(missing_outcome.sum()), "dropped_other": int(missing_other.sum()),
                  "not_in_network": not_in_network}
    if missing_outcome.any():
        until = None if table is None else table.attrs.get("until")
        reason = f"no activity before {until}, so no outcome row" if until is not None else f"no value of {outcome!r}"
        notes.append(f"{int(missing_outcome.sum())} organisations dropped: {reason}")
    if missing_other.any():
        notes.append(f"{int(missing_other.sum())} organisations dropped: a control is missing")
    if not_in_network:
        notes.append(f"{not_in_network} outcome rows name organisations that are not in the network")
    if y.nunique() < 2:
        raise InputError(f"the outcome {outcome!r} has fewer than two distinct values among the "
                         f"{len(y)} organisations used: nothing to explain")
    X = X.astype(float)
    X, dropped = _drop_degenerate(X, list(predictors.columns))
    notes += dropped
    X.insert(0, "const", 1.0)
    if len(y) <= X.shape[1]:
        raise InputError(f"{len(y)} organisations for {X.shape[1]} terms: too few to estimate")
    if len(y) < _SMALL_SAMPLE:
        notes.append(f"small sample: {len(y)} organisations (fewer than {_SMALL_SAMPLE}); "
                     "intervals are unreliable")
    condition = _condition(X)
    if condition > _CONDITION_LIMIT:
        notes.append(f"nearly collinear predictors (condition number {condition:.0f} > {_CONDITION_LIMIT:.0f}); "
                     "single coefficients are imprecise")
    chosen = _choose_model(y) if model == "auto" else model
    groups = None
    if cluster_by is not None:
        column = locality if cluster_by == "locality" else cluster_by
        network = result.network
        if column in ("nuts1", "nuts2", "nuts3") or column in network.orgs.columns:
            codes = pd.Series(locality_codes(network.orgs, column), index=network.org_ids)
            groups = codes.loc[X.index].to_numpy()
        elif column in nodes.columns:
            groups = pd.factorize(nodes.loc[X.index, column].astype("string").fillna("unknown"))[0]
        else:
            raise InputError(f"no organisation column {column!r} to cluster by", value=cluster_by)
    if chosen == "poisson" and model == "auto":
        chosen = _poisson_or_negbin(y, X)
    try:
        fitted, fit_notes = _fit(chosen, y, X, groups)
    except np.linalg.LinAlgError:
        if chosen != "negbin":
            raise InputError(f"the {chosen} model could not be fitted (singular matrix): drop a control "
                             "or use --model ols") from None
        fitted, fit_notes = _fit("poisson", y, X, groups)
        fit_notes.insert(0, "the negative binomial fit failed (singular Hessian); fell back to Poisson with "
                            "robust errors, which is consistent for the mean but less efficient")
        chosen = "poisson"
    notes += fit_notes
    if chosen in ("logit", "probit"):
        notes += _separation(y, X, fitted)
    coefficients = _coef_table(fitted)
    effects = _margeff(fitted, chosen, coefficients)
    kinds = ["science", "other"] if by_kind else ["all"]
    ratio_rows = {}
    for kind in kinds:
        suffix = "" if kind == "all" else f"_{kind}"
        ratio_rows[kind] = _ratio(fitted, f"international{suffix}", f"local{suffix}", chosen, y, X, groups,
                                  bootstrap, seed)
    ratios = pd.DataFrame.from_dict(ratio_rows, orient="index")
    ratios.index.name = "partners"
    headline = dict(ratio_rows["other" if by_kind else "all"])
    low = headline.get("denominator_p_value")
    if low is not None and np.isfinite(low) and low > 0.05:
        notes.append("the local partner effect is not distinguishable from zero (p = "
                     f"{low:.2f}): the ratio's interval is wide or meaningless")
    params = {"outcome": outcome, "controls": list(controls), "model": model, "transform": transform,
              "by_kind": by_kind, "cluster_by": cluster_by, "seed": int(seed), "bootstrap": int(bootstrap),
              "locality": locality, "population": "home set" if has_home else "organisations with a country"}
    return TieEffects(coefficients, effects, headline, ratios, chosen, outcome, counts_out, notes, params)


def _control(name: str, result: AnalysisResult, table: pd.DataFrame | None, population: pd.Index,
             locality: str) -> pd.DataFrame:
    nodes = result.nodes
    if name == "prior_activity":
        if table is not None and "prior_events" in table.columns:
            values = table["prior_events"].reindex(population)
        else:
            network = result.network
            values = pd.Series(_activity(network, None), index=network.org_ids).reindex(population)
        return values.astype(float).apply(np.log1p).to_frame("prior_activity")
    if table is not None and name in table.columns:
        return table[name].reindex(population).astype(float).to_frame(name)
    column = locality if name == "locality" else name
    if name == "locality" and column.lower() in ("nuts1", "nuts2", "nuts3"):
        length = 2 + int(column[-1])
        labels = nodes.loc[population, "region"].astype("string").str.strip().str.upper().str[:length]
        return _dummies(labels, column)
    if column not in nodes.columns:
        raise InputError(f"unknown control {name!r}: use prior_activity, locality, an outcomes column or "
                         "an organisation column", value=name)
    values = nodes.loc[population, column]
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype(float).to_frame(name)
    return _dummies(values, column)


def _dummies(values: pd.Series, column: str) -> pd.DataFrame:
    """Fixed effects of a text column: one 0/1 column per category but the most common one."""
    text = values.astype("string").str.strip().fillna("unknown").replace("", "unknown").str.casefold()
    dummies = pd.get_dummies(text, prefix=column, prefix_sep="=", dtype=float)
    if dummies.shape[1] <= 1:
        return dummies.iloc[:, :0]
    base = text.value_counts().sort_index(kind="stable").idxmax()  # the most common category is the base
    return dummies.drop(columns=f"{column}={base}")


def _kind_scope_degrees(result: AnalysisResult, locality: str) -> pd.DataFrame:
    network = result.network
    upper = sp.triu(network.to_csr(), k=1).tocoo()
    u, v = upper.row.astype(np.int64), upper.col.astype(np.int64)
    scopes = pair_scopes(u, v, country_codes(network.orgs), local_pairs(network.orgs, u, v, locality))
    kind = network.orgs["kind"].astype("string").str.strip().str.casefold().fillna("")
    science = kind.isin(SCIENCE_KINDS).to_numpy()
    n = network.n_orgs
    columns = {}
    for s, scope in enumerate(SCOPES[:3]):
        for label, wanted in (("science", True), ("other", False)):
            hit = scopes == s
            a = np.bincount(u[hit & (science[v] == wanted)], minlength=n)
            b = np.bincount(v[hit & (science[u] == wanted)], minlength=n)
            columns[f"{scope}_{label}"] = a + b
    order = [f"{scope}_{label}" for label in ("science", "other") for scope in _SCOPES3]
    return pd.DataFrame(columns, index=network.org_ids)[order]


def _drop_degenerate(X: pd.DataFrame, main: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Drop constant columns and columns that are linear combinations of earlier ones (with the intercept)."""
    notes = []
    constant = [c for c in X.columns if X[c].nunique() <= 1]
    if constant:
        what = [c for c in constant if c in main]
        notes.append("dropped, no variation in the sample: " + ", ".join(constant)
                     + (" (so the effect of these partners cannot be estimated)" if what else ""))
        X = X.drop(columns=constant)
    kept: list[str] = []
    matrix = np.ones((len(X), 1))
    rank = 1
    dependent = []
    for column in X.columns:
        trial = np.column_stack([matrix, X[column].to_numpy()])
        new_rank = np.linalg.matrix_rank(trial)
        if new_rank > rank:
            matrix, rank = trial, new_rank
            kept.append(column)
        else:
            dependent.append(column)
    if dependent:
        notes.append("collinear: dropped " + ", ".join(dependent)
                     + " (a linear combination of the other terms)")
    return X[kept], notes


def _condition(X: pd.DataFrame) -> float:
    values = X.to_numpy(dtype=float)
    scaled = values / np.linalg.norm(values, axis=0)
    return float(np.linalg.cond(scaled))


def _choose_model(y: pd.Series) -> str:
    values = y.to_numpy()
    if set(np.unique(values)) <= {0.0, 1.0}:
        return "logit"
    if (values >= 0).all() and np.allclose(values, np.round(values)):
        return "poisson"
    return "ols"


def _poisson_or_negbin(y: pd.Series, X: pd.DataFrame) -> str:
    import statsmodels.api as sm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = sm.Poisson(y, X).fit(disp=0, maxiter=200, start_params=_start("poisson", y, X))
    mu = fitted.predict(X)
    dispersion = float((((y - mu) ** 2) / mu).sum() / max(fitted.df_resid, 1))
    return "negbin" if dispersion > 1.5 else "poisson"


def _model(kind: str, y: pd.Series, X: pd.DataFrame) -> Any:
    import statsmodels.api as sm

    classes = {"logit": sm.Logit, "probit": sm.Probit, "poisson": sm.Poisson,
               "negbin": sm.NegativeBinomial, "ols": sm.OLS}
    return classes[kind](y, X)


def _fit(kind: str, y: pd.Series, X: pd.DataFrame, groups: np.ndarray | None,
         robust: bool = True) -> tuple[Any, list[str]]:
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

    cov: dict[str, Any] = {}
    if robust:
        cov = {"cov_type": "HC1"} if groups is None else {"cov_type": "cluster", "cov_kwds": {"groups": groups}}
    notes = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if kind == "ols":
            fitted = _model(kind, y, X).fit(**cov)
        else:
            fitted = _model(kind, y, X).fit(disp=0, maxiter=300, start_params=_start(kind, y, X), **cov)
    if not np.isfinite(np.asarray(fitted.params, dtype=float)).all():
        raise InputError(f"the {kind} model could not be fitted (the estimates diverged): drop a control "
                         "or choose another model")
    if any(issubclass(w.category, PerfectSeparationWarning) for w in caught):
        notes.append("perfect separation: a combination of predictors predicts the outcome exactly")
    converged = kind == "ols" or bool(fitted.mle_retvals.get("converged", True))
    if not converged or any(issubclass(w.category, ConvergenceWarning) for w in caught):
        notes.append(f"the {kind} fit did not converge; estimates are unreliable")
    return fitted, notes


def _start(kind: str, y: pd.Series, X: pd.DataFrame) -> np.ndarray | None:
    """Start count models from a Poisson GLM fitted by IRLS: Newton from zeros overflows on large counts."""
    if kind not in ("poisson", "negbin"):
        return None
    import statsmodels.api as sm

    try:
        params = np.asarray(sm.GLM(y, X, family=sm.families.Poisson()).fit().params, dtype=float)
    except (np.linalg.LinAlgError, ValueError):
        return None
    if not np.isfinite(params).all():
        return None
    return params if kind == "poisson" else np.append(params, 0.5)


def _separation(y: pd.Series, X: pd.DataFrame, fitted: Any) -> list[str]:
    notes = []
    p = np.asarray(fitted.predict(X), dtype=float)
    exact = int(((p < 1e-6) | (p > 1 - 1e-6)).sum())
    if exact:
        notes.append(f"perfect or quasi-perfect separation: {exact} organisations' outcomes are predicted "
                     "with certainty; coefficients and intervals are unreliable")
    for column in X.columns:
        values = X[column]
        if column != "const" and set(np.unique(values)) <= {0.0, 1.0}:
            inside = y[values == 1]
            if len(inside) and inside.nunique() == 1:
                notes.append(f"separation: every organisation with {column} has outcome {inside.iloc[0]:g}")
    return notes


def _coef_table(fitted: Any) -> pd.DataFrame:
    ci = np.asarray(fitted.conf_int(0.05))
    return pd.DataFrame({
        "term": [str(n) for n in fitted.params.index],
        "estimate": np.asarray(fitted.params, dtype=float),
        "std_error": np.asarray(fitted.bse, dtype=float),
        "ci_low": ci[:, 0],
        "ci_high": ci[:, 1],
        "p_value": np.asarray(fitted.pvalues, dtype=float),
    })


def _margeff(fitted: Any, kind: str, coefficients: pd.DataFrame) -> pd.DataFrame:
    if kind == "ols":
        return coefficients[coefficients["term"] != "const"].reset_index(drop=True)
    with warnings.catch_warnings():  # a degenerate fit gives NaN errors; its warnings are in the notes already
        warnings.simplefilter("ignore", RuntimeWarning)
        frame = fitted.get_margeff(at="overall").summary_frame()
    return pd.DataFrame({
        "term": [str(n) for n in frame.index],
        "estimate": frame["dy/dx"].to_numpy(dtype=float),
        "std_error": frame["Std. Err."].to_numpy(dtype=float),
        "ci_low": frame.iloc[:, 4].to_numpy(dtype=float),
        "ci_high": frame.iloc[:, 5].to_numpy(dtype=float),
        "p_value": frame["Pr(>|z|)"].to_numpy(dtype=float),
    })


def _ratio(fitted: Any, numerator: str, denominator: str, kind: str, y: pd.Series, X: pd.DataFrame,
           groups: np.ndarray | None, bootstrap: int, seed: int) -> dict[str, Any]:
    out: dict[str, Any] = {"estimate": math.nan, "ci_low": math.nan, "ci_high": math.nan, "std_error": math.nan,
                           "method": "delta method (coefficient covariance)", "numerator": numerator,
                           "denominator": denominator, "denominator_p_value": math.nan}
    names = list(fitted.params.index)
    if numerator not in names or denominator not in names:
        out["method"] = "not estimable: a partner count was dropped"
        return out
    b_num, b_den = float(fitted.params[numerator]), float(fitted.params[denominator])
    out["denominator_p_value"] = float(fitted.pvalues[denominator])
    if b_den == 0:
        return out
    cov = np.asarray(fitted.cov_params().loc[[numerator, denominator], [numerator, denominator]], dtype=float)
    gradient = np.array([1 / b_den, -b_num / b_den**2])
    se = float(np.sqrt(max(gradient @ cov @ gradient, 0.0)))
    estimate = b_num / b_den
    z = float(stats.norm.ppf(0.975))
    out.update(estimate=estimate, std_error=se, ci_low=estimate - z * se, ci_high=estimate + z * se)
    if bootstrap > 0:
        draws = _bootstrap(kind, y, X, groups, numerator, denominator, bootstrap, seed)
        if len(draws) >= max(10, bootstrap // 2):
            low, high = np.percentile(draws, [2.5, 97.5])
            out.update(ci_low=float(low), ci_high=float(high), std_error=float(np.std(draws, ddof=1)),
                       method=f"percentile bootstrap ({len(draws)} of {bootstrap} resamples fitted, seed {seed})")
        else:
            out["method"] += f" (bootstrap failed: {len(draws)} of {bootstrap} resamples fitted)"
    return out


def _bootstrap(kind: str, y: pd.Series, X: pd.DataFrame, groups: np.ndarray | None, numerator: str,
               denominator: str, draws: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = len(y)
    units = np.arange(n) if groups is None else np.asarray(groups)
    labels = np.unique(units)
    members = {label: np.flatnonzero(units == label) for label in labels}
    values = []
    for _ in range(draws):
        picked = rng.choice(labels, size=len(labels), replace=True)
        rows = np.concatenate([members[label] for label in picked])
        yb, Xb = y.iloc[rows], X.iloc[rows]
        if yb.nunique() < 2 or (Xb.nunique() <= 1).drop("const").any():
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fitted, _ = _fit(kind, yb.reset_index(drop=True), Xb.reset_index(drop=True), None, robust=False)
            den = float(fitted.params[denominator])
            if den != 0 and np.isfinite(den):
                values.append(float(fitted.params[numerator]) / den)
        except (np.linalg.LinAlgError, ValueError):  # InputError is a ValueError
            continue
    return np.asarray(values, dtype=float)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (float, np.floating)):
        return None if not np.isfinite(value) else float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return value
