"""The report's panels as plain data: headline cards, tables and the Giuliani-Bell quadrant.

Every figure comes with one plain-language sentence for a reader who is not
an analyst; every table row holds text and numbers only (the template escapes
them).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..analyze import AnalysisResult
from ..gaps import GAP_KINDS
from ..geography import SCOPES
from .palette import ROLE_COLOURS, UNKNOWN_COLOUR

__all__ = ["headline", "scopes", "top_gatekeepers", "top_international", "group_rows", "gap_rows",
           "suggestion_rows", "quadrant", "trend_charts", "evidence", "evidence_absent", "methods", "format_value",
           "format_estimate", "format_p_value", "GAP_LABELS", "TREND_CHARTS"]

GAP_LABELS = {
    "no_international_tie": "no foreign partner",
    "community_without_bridge": "community without a bridge abroad",
    "single_point_of_failure": "single point of failure",
    "concentration": "foreign ties concentrated",
}

#: Points drawn in the quadrant chart at most (the most connected first).
QUADRANT_POINTS = 2_000

#: The trend charts of the report: measure of netcluster.trends and its title.
TREND_CHARTS = (
    ("share_international", "Share of members with a foreign partner"),
    ("international_pair_share", "International share of partner pairs"),
    ("density", "Density of ties among members"),
    ("ei_index", "E-I index (−1 inward, +1 outward)"),
    ("gatekeeper_dependency", "Dependency on the top gatekeepers"),
    ("new_international_partners", "New international partners"),
)


def headline(result: AnalysisResult) -> list[dict[str, str]]:
    """Cards: figure, label, sentence. For the home set when there is one, else the whole network."""
    summary = result.summary
    if "home" in result.groups.index:
        return _home_cards(result)
    n, pairs = summary["organisations"], summary["partner_pairs"]
    international, with_tie = summary["pairs_by_scope"]["international"], summary["with_international_tie"]
    ei = summary.get("ei_index")
    cards = [
        {"figure": f"{n:,}", "label": "organisations", "sentence": f"in {summary['countries']} countries."},
        {"figure": f"{pairs:,}", "label": "partner pairs",
         "sentence": "pairs of organisations with at least one tie in the chosen layers."},
        {"figure": _percent(international, pairs), "label": "of ties are international",
         "sentence": "share of partner pairs whose two organisations are in different countries."},
        {"figure": _percent(with_tie, n), "label": "have a foreign partner",
         "sentence": f"{with_tie:,} of {n:,} organisations have at least one partner in another country."},
    ]
    if ei is not None:
        cards.append({"figure": f"{ei:+.2f}", "label": "E-I index (by country)",
                      "sentence": _ei_sentence(ei, "organisations", "their own country")})
    return cards


def _home_cards(result: AnalysisResult) -> list[dict[str, str]]:
    home = result.groups.loc["home"].to_dict()
    nodes = result.nodes[result.nodes["home"]]
    n = int(home["organisations"])
    possible = n * (n - 1) // 2
    internal = int(home["internal_ties"])
    degree, foreign = int(nodes["degree"].sum()), int(nodes["international_degree"].sum())
    with_tie = int((nodes["international_degree"] > 0).sum())
    dependency = home["gatekeeper_dependency"]
    hops = result.params.get("hops", 2)
    share = result.params.get("top_share", 0.1)
    cards = [
        {"figure": f"{n:,}", "label": "members",
         "sentence": f"the cluster: {result.params.get('home') or 'the home set'}."},
        {"figure": _percent(internal, possible), "label": "local density",
         "sentence": f"of all possible pairs of members work together ({internal:,} of {possible:,} pairs): "
                     "the local buzz."},
        {"figure": _percent(foreign, degree), "label": "international openness",
         "sentence": "of the members' partnerships are with organisations in other countries: the global pipelines."},
        {"figure": _percent(with_tie, n), "label": "members with a global tie",
         "sentence": f"{with_tie:,} of {n:,} members have at least one partner abroad."},
    ]
    ei = home["ei_index"]
    if pd.notna(ei):
        cards.append({"figure": f"{ei:+.2f}", "label": "E-I index",
                      "sentence": _ei_sentence(float(ei), "members", "one another")})
    if pd.notna(dependency):
        brokers = str(home.get("top_brokers") or "")
        cards.append({
            "figure": _percent(float(dependency), 1.0), "label": "gatekeeper dependency",
            "sentence": f"of the members' reach to foreign organisations within {hops} steps would be lost "
                        f"without the top {share:.0%} brokers" + (f" ({brokers.replace(';', ',')})." if brokers else "."),
        })
    return cards


def _ei_sentence(ei: float, who: str, inside: str) -> str:
    if ei < -0.2:
        lean = f"{who} work mostly with {inside}"
    elif ei > 0.2:
        lean = f"{who} work mostly with outsiders"
    else:
        lean = f"{who} work about as much with {inside} as with outsiders"
    return f"{lean} (−1: only with {inside}; +1: only with outsiders)."


def scopes(result: AnalysisResult) -> list[dict[str, Any]]:
    counts = result.summary["pairs_by_scope"]
    total = sum(counts.values())
    return [{"scope": s, "pairs": counts[s], "share": _percent(counts[s], total)} for s in SCOPES]


def _considered(nodes: pd.DataFrame) -> pd.DataFrame:
    return nodes[nodes["home"]] if nodes["home"].any() else nodes


def _name(row: Any, org_id: Any) -> str:
    return row["name"] if isinstance(row["name"], str) else str(org_id)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def top_gatekeepers(nodes: pd.DataFrame, limit: int = 20) -> list[dict[str, Any]]:
    """The organisations (of the home set when there is one) with the highest bridge centrality."""
    order = _considered(nodes).sort_values(["bridge_centrality", "international_degree"], ascending=False,
                                           kind="stable")
    rows = []
    for org_id, row in order.head(limit).iterrows():
        if not row["bridge_centrality"] > 0:
            break
        rows.append({
            "name": _name(row, org_id), "country": _text(row["country"]), "region": _text(row["region"]),
            "bridge": f"{row['bridge_centrality']:.3g}", "bridge_value": float(row["bridge_centrality"]),
            "gatekeeper": int(row["gf_gatekeeper"]), "international": int(row["international_degree"]),
            "openness": _share_text(row["openness"]), "openness_value": _number(row["openness"]),
            "role": _text(row["gb_role"]),
        })
    return rows


def top_international(nodes: pd.DataFrame, limit: int = 20) -> list[dict[str, Any]]:
    """The organisations with the most partners abroad."""
    order = nodes.sort_values(["international_degree", "degree"], ascending=False, kind="stable")
    rows = []
    for org_id, row in order.head(limit).iterrows():
        if row["international_degree"] == 0:
            break
        rows.append({
            "name": _name(row, org_id), "country": _text(row["country"]), "region": _text(row["region"]),
            "degree": int(row["degree"]), "local": int(row["local_degree"]),
            "national": int(row["national_degree"]), "international": int(row["international_degree"]),
            "openness": _share_text(row["openness"]), "openness_value": _number(row["openness"]),
        })
    return rows


def group_rows(groups: pd.DataFrame, limit: int = 15) -> list[dict[str, Any]]:
    """The home set, then the largest countries and localities."""
    parts = [groups.loc[["home"]]] if "home" in groups.index else []
    for prefix in ("country:", "locality:"):
        chosen = groups[groups.index.str.startswith(prefix)]
        parts.append(chosen.sort_values("organisations", ascending=False, kind="stable").head(limit))
    table = pd.concat(parts) if parts else groups.head(0)
    rows = []
    for label, row in table.iterrows():
        rows.append({
            "group": "home set" if label == "home" else str(label).split(":", 1)[1],
            "kind": "home" if label == "home" else str(label).split(":", 1)[0],
            "organisations": int(row["organisations"]),
            "density": _share_text(row["density"]), "density_value": _number(row["density"]),
            "share_international": _share_text(row["share_international"]),
            "share_value": _number(row["share_international"]),
            "ei": "–" if pd.isna(row["ei_index"]) else f"{row['ei_index']:+.2f}", "ei_value": _number(row["ei_index"]),
            "dependency": _share_text(row["gatekeeper_dependency"]),
            "dependency_value": _number(row["gatekeeper_dependency"]),
            "brokers": _text(row["top_brokers"]).replace(";", ","),
        })
    return rows


def gap_rows(table: pd.DataFrame, limit: int = 50) -> dict[str, Any]:
    counts = table["kind"].value_counts()
    return {
        "counts": [{"kind": GAP_LABELS.get(kind, kind), "count": int(counts.get(kind, 0))} for kind in GAP_KINDS],
        "rows": [
            {"kind": GAP_LABELS.get(row["kind"], row["kind"]), "severity": f"{row['severity']:.0%}",
             "severity_value": float(row["severity"]), "evidence": row["evidence"]}
            for row in table.head(limit).to_dict("records")
        ],
        "more": max(0, len(table) - limit),
    }


def suggestion_rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {"member": row["member_name"], "rank": int(row["rank"]), "partner": row["partner_name"],
         "country": _text(row["partner_country"]), "evidence": row["evidence"]}
        for row in table.to_dict("records")
    ]


def quadrant(nodes: pd.DataFrame, thresholds: dict[str, Any], width: int = 640, height: int = 400) -> dict[str, Any]:
    """Giuliani-Bell chart: local partners (log scale) against openness, for the ranked organisations."""
    ranked = nodes[nodes["gb_role"].notna()]
    if ranked.empty:
        return {}
    shown = ranked.sort_values("degree", ascending=False, kind="stable").head(QUADRANT_POINTS)
    left, right, top, bottom = 56, width - 16, 16, height - 44
    x_max = math.log1p(max(float(shown["gb_local_centrality"].max()), 1.0))

    def x_of(value: float) -> float:
        return round(left + (right - left) * math.log1p(max(value, 0.0)) / x_max, 1)

    pad = 24  # keeps the points at 0 and 100 % clear of the quadrant labels

    def y_of(value: float) -> float:
        return round(bottom - pad - (bottom - top - 2 * pad) * min(max(value, 0.0), 1.0), 1)

    points = []
    for org_id, row in shown.iterrows():
        role = str(row["gb_role"])
        points.append({
            "x": x_of(float(row["gb_local_centrality"])), "y": y_of(float(row["gb_openness"])),
            "color": ROLE_COLOURS.get(role, UNKNOWN_COLOUR),
            "title": f"{_name(row, org_id)}: {int(row['gb_local_centrality'])} local partners, "
                     f"openness {_share_text(row['gb_openness'])}, {role}",
        })
    local_t = thresholds.get("local_degree")
    open_t = thresholds.get("openness")
    ticks = sorted({0, *[v for v in (1, 3, 10, 30, 100, 300, 1000, 3000) if math.log1p(v) <= x_max]})
    return {
        "width": width, "height": height, "left": left, "right": right, "top": top, "bottom": bottom,
        "points": points, "shown": len(points), "total": len(ranked),
        "x_threshold": None if local_t is None else x_of(float(local_t)),
        "y_threshold": None if open_t is None else y_of(float(open_t)),
        "x_ticks": [{"x": x_of(v), "label": str(v)} for v in ticks],
        "y_ticks": [{"y": y_of(v), "label": f"{v:.0%}"} for v in (0, 0.25, 0.5, 0.75, 1.0)],
        "local_threshold": "–" if local_t is None else f"{float(local_t):.3g}",
        "openness_threshold": "–" if open_t is None else _share_text(open_t),
        "counts": {role: int((ranked["gb_role"] == role).sum()) for role in ROLE_COLOURS},
        "colours": ROLE_COLOURS,
    }


def trend_charts(table: pd.DataFrame | None, width: int = 300, height: int = 150) -> dict[str, Any]:
    """Small line charts of the first group of a :func:`netcluster.trends` table, each with its sentence.

    Returns an empty dict without a table. Every label is text that the
    template escapes; the only group drawn is ``home`` or ``all``, so no
    organisation or place name reaches the charts.
    """
    from ..trends import _WORDING, format_value as trend_value, trend_sentences

    if table is None or table.empty:
        return {}
    group = str(table["group"].iloc[0])
    rows = table[table["group"] == group].sort_values(["first_year", "last_year"], kind="stable")
    sentences = trend_sentences(rows, [m for m, _ in TREND_CHARTS]).set_index("measure")["sentence"]
    labels = [str(a) if a == b else f"{a}-{b}" for a, b in zip(rows["first_year"], rows["last_year"])]
    left, right, top, bottom = 48, width - 12, 12, height - 28
    charts = []
    for measure, title in TREND_CHARTS:
        kind = _WORDING[measure][1]
        values = pd.to_numeric(rows[measure], errors="coerce").to_numpy(dtype=np.float64)
        finite = values[np.isfinite(values)]
        if kind == "percent":  # 0 to a round tenth above the largest value, so that small shares show change
            top_value = float(finite.max()) if finite.size else 0.0
            low, high = 0.0, min(1.0, max(0.1, math.ceil(top_value * 1.2 * 10 - 1e-9) / 10))
        elif measure == "ei_index":
            low, high = -1.0, 1.0
        else:
            low, high = 0.0, float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        span = max(len(values) - 1, 1)

        def x_of(i: int) -> float:
            return round(left + (right - left) * (i / span if len(values) > 1 else 0.5), 1)

        def y_of(v: float) -> float:
            return round(bottom - (bottom - top) * (v - low) / (high - low), 1)

        points = [{"x": x_of(i), "y": y_of(float(v)), "title": f"{labels[i]}: {trend_value(float(v), kind)}"}
                  for i, v in enumerate(values) if np.isfinite(v)]
        charts.append({
            "measure": measure, "title": title, "sentence": str(sentences.get(measure, "")),
            "path": " ".join(f"{p['x']},{p['y']}" for p in points), "points": points,
            "y_ticks": [{"y": y_of(v), "label": trend_value(v, kind)} for v in (low, high)],
            "x_ticks": [{"x": x_of(0), "label": labels[0], "anchor": "start"},
                        *([{"x": x_of(len(labels) - 1), "label": labels[-1], "anchor": "end"}]
                          if len(labels) > 1 else [])],
        })
    params = table.attrs.get("trends", {})
    return {
        "group": "the home set" if group == "home" else "all organisations",
        "window": params.get("window"), "step": params.get("step"), "mode": params.get("mode"),
        "windows": len(rows), "width": width, "height": height, "left": left, "right": right, "top": top,
        "bottom": bottom, "charts": charts,
    }


_MODEL_WORDS = {
    "logit": ("logit", "yes/no outcome", "chance of"),
    "probit": ("probit", "yes/no outcome", "chance of"),
    "poisson": ("Poisson regression", "count outcome", "expected number of"),
    "negbin": ("negative binomial regression", "overdispersed count outcome", "expected number of"),
    "ols": ("linear regression (OLS)", "continuous outcome", "expected value of"),
}


def format_estimate(value: Any) -> str:
    """A coefficient, interval bound or ratio with three significant digits ("–" when missing).

    Examples
    --------
    >>> format_estimate(3.5281), format_estimate(-0.000123), format_estimate(float("nan"))
    ('3.53', '-0.000123', '–')
    """
    if value is None or not np.isfinite(float(value)):
        return "–"
    return f"{float(value):.3g}"


def format_p_value(value: Any) -> str:
    """A p-value with three decimals, or "< 0.001".

    Examples
    --------
    >>> format_p_value(0.00002), format_p_value(0.0412)
    ('< 0.001', '0.041')
    """
    if value is None or not np.isfinite(float(value)):
        return "–"
    return "< 0.001" if float(value) < 0.001 else f"{float(value):.3f}"


def _term_label(term: str, transform: str | None) -> str:
    unit = " (log 1 + n)" if transform == "log1p" else ""
    if term == "const":
        return "intercept"
    if term == "prior_activity":
        return "prior activity (log 1 + n)"
    scope, _, kind = term.partition("_")
    if scope in ("local", "national", "international") and kind in ("", "science", "other"):
        kind_words = {"": "", "science": " science-based", "other": " other"}[kind]
        return f"{scope}{kind_words} partners{unit}"
    column, sep, value = term.partition("=")
    return f"{column}: {value}" if sep else term


def evidence(fit: Any, source: str) -> dict[str, Any]:
    """The "Do international ties go with innovation?" panel of a :class:`netcluster.TieEffects`.

    Every number is formatted text for the page (with the raw value for
    sorting and tests); every sentence says "associated with", never that
    ties cause the outcome. ``source`` says where the outcome came from.
    """
    transform = fit.params.get("transform")
    name, outcome_kind, scale = _MODEL_WORDS.get(fit.model, (fit.model, "outcome", "value of"))
    effects = {row["term"]: row for row in fit.marginal_effects.to_dict("records")}
    rows = []
    for row in fit.coefficients.to_dict("records"):
        effect = effects.get(row["term"])
        rows.append({
            "term": str(row["term"]), "label": _term_label(str(row["term"]), transform),
            "estimate": format_estimate(row["estimate"]), "estimate_value": _number(row["estimate"]),
            "ci": f"{format_estimate(row['ci_low'])} to {format_estimate(row['ci_high'])}",
            "p_value": format_p_value(row["p_value"]), "p_value_value": _number(row["p_value"]),
            "marginal": "" if effect is None else format_estimate(effect["estimate"]),
            "partners": str(row["term"]).partition("_")[0] in ("local", "national", "international"),
        })
    sentences = []
    by_term = {row["term"]: row for row in fit.coefficients.to_dict("records")}
    for scope in ("local", "national", "international"):
        terms = [t for t in by_term if t == scope or t.startswith(f"{scope}_")]
        for term in terms:
            row = by_term[term]
            label = _term_label(term, None)
            if row["p_value"] < 0.05 and np.isfinite(row["estimate"]):
                direction = "a higher" if row["estimate"] > 0 else "a lower"
                sentences.append(f"Organisations with more {label} are associated with {direction} {scale} "
                                 f"{fit.outcome!r} (coefficient {format_estimate(row['estimate'])}, 95 % CI "
                                 f"{format_estimate(row['ci_low'])} to {format_estimate(row['ci_high'])}, "
                                 f"p {_p_words(row['p_value'])}).")
            else:
                sentences.append(f"The number of {label} shows no clear association with {fit.outcome!r}: "
                                 "its 95 % interval includes zero.")
    ratio = fit.ratio
    estimate = ratio.get("estimate")
    local_p = ratio.get("denominator_p_value")
    finite = estimate is not None and np.isfinite(estimate)
    meaningful = finite and local_p is not None and np.isfinite(local_p) and local_p <= 0.05
    if meaningful:
        headline = (f"The difference in {fit.outcome!r} associated with more international partners is "
                    f"{estimate:.2f} times the difference associated with as many more local partners "
                    f"(95 % CI {format_estimate(ratio['ci_low'])} to {format_estimate(ratio['ci_high'])}).")
    elif finite:
        headline = (f"The ratio of the international to the local effect is {estimate:.2f}, but it is not "
                    "meaningful here: the local effect cannot be told apart from zero "
                    f"(p {_p_words(local_p)}). Read the coefficients instead.")
    else:
        headline = "The ratio of the international to the local effect could not be estimated."
    counts = fit.counts
    dropped = [f"{counts['missing_outcome']:,} without a value of the outcome",
               f"{counts['dropped_other']:,} with a control missing"]
    if counts.get("not_in_network"):
        dropped.append(f"{counts['not_in_network']:,} outcome rows naming organisations not in the network")
    errors = ("clustered by " + str(fit.params["cluster_by"])) if fit.params.get("cluster_by") else "robust (HC1)"
    return {
        "available": True,
        "outcome": fit.outcome,
        "source": source,
        "model": f"{name}{'' if name == fit.model else f' ({fit.model})'} for a {outcome_kind}",
        "errors": errors,
        "used": counts["used"], "considered": counts["considered"],
        "population": str(fit.params.get("population", "")),
        "dropped": dropped,
        "controls": ", ".join(_term_label(c, None) if c != "prior_activity" else "prior activity"
                              for c in fit.params.get("controls", [])) or "none",
        "rows": rows,
        "ratio": {"estimate": format_estimate(estimate), "estimate_value": _number(estimate),
                  "ci_low": format_estimate(ratio.get("ci_low")), "ci_high": format_estimate(ratio.get("ci_high")),
                  "method": str(ratio.get("method", "")), "meaningful": bool(meaningful)},
        "headline": headline,
        "sentences": sentences,
        "warnings": list(fit.warnings),
        "scale": "log-odds" if fit.model in ("logit", "probit") else
                 ("log of the expected count" if fit.model in ("poisson", "negbin") else "units of the outcome"),
    }


def evidence_absent(reason: str) -> dict[str, Any]:
    """The evidence panel when no estimate can be shown: the reason, and how to get one."""
    return {"available": False, "reason": reason}


def _p_words(value: Any) -> str:
    text = format_p_value(value)
    return text if text.startswith("<") else f"= {text}"


def methods(result: AnalysisResult) -> dict[str, Any]:
    provenance = result.provenance
    report = provenance.get("load_report", {})
    return {
        "params": {k: str(v) for k, v in result.params.items()},
        "inputs": provenance.get("inputs", []),
        "options": {k: str(v) for k, v in provenance.get("options", {}).items()},
        "versions": provenance.get("versions", {}),
        "created": provenance.get("created", ""),
        "load_files": report.get("files", []),
        "rejections": report.get("rejections", [])[:200],
        "rejections_total": len(report.get("rejections", [])),
        "unknown_countries": report.get("unknown_countries", {}),
        "oversized_events": report.get("oversized_events", [])[:50],
        "notes": report.get("notes", []),
    }


def _number(value: Any) -> float | str:
    return "" if pd.isna(value) else round(float(value), 6)


def _share_text(value: Any) -> str:
    return "–" if pd.isna(value) else f"{100 * float(value):.0f} %"


def _percent(part: float, whole: float) -> str:
    return "–" if not whole else f"{100 * part / whole:.0f} %"


def format_value(value: Any) -> str:
    """A measure as short text for the profile panel."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)) or value is pd.NA:
        return "–"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.3g}"
    return str(value)
