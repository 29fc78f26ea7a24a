"""The report's view model: an AnalysisResult turned into plain, JSON-ready data.

Pure apart from the seeded layout: no HTML here. Organisations appear in the
page under integer ids; names travel only as plain-text ``label`` and
``title`` strings that vis-network draws on a canvas or sets as text, and as
JSON strings the page's script sets with ``textContent``. pyvis's
:class:`pyvis.network.Network` holds the node and edge dicts and the options
(filled directly: its ``add_edge`` is quadratic and merges layers).

Up to :data:`~netcluster.report.aggregate.AGGREGATE_ABOVE` organisations
every organisation is drawn; above, communities are drawn as super-nodes
(:mod:`netcluster.report.aggregate`).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
from pyvis.network import Network

from ..analyze import AnalysisResult, analyze
from ..errors import InputError
from ..evidence import derive_outcomes, estimate_tie_effects, organisation_outcome, read_outcomes
from ..gaps import find_gaps
from ..geography import SCOPES, locality_codes
from ..suggestions import suggest_partners
from ..trends import trends as compute_trends
from . import panels
from .aggregate import AGGREGATE_ABOVE, aggregated_graph
from .layout import layout_positions
from .palette import DEFAULT_LAYER_STYLE, LAYER_STYLES, colour_schemes, edge_width, size_schemes
from .profiles import profiles

__all__ = ["build_view", "MAX_EDGES", "LABELLED"]

#: Edges drawn at most: beyond this the browser slows down (measured in headless Chromium).
MAX_EDGES = 20_000

#: Organisations whose names are drawn as labels (the rest show on hover).
LABELLED = 30

#: Members without a foreign partner the suggestions table covers, and suggestions each.
SUGGESTED_FOR, SUGGESTED = 20, 3

#: Up to this many members, every member's profile carries its own suggestions.
PROFILE_SUGGESTIONS_UP_TO = 2_000

#: In the aggregated view, profiles list partners for the home set and this many best-connected organisations.
DETAILED_PROFILES = 5_000

_OPTIONS = {
    "physics": {"enabled": False},
    "edges": {"smooth": False, "color": {"opacity": 0.45}},
    "nodes": {"shape": "dot", "borderWidth": 1, "font": {"size": 14}},
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True},
    "layout": {"improvedLayout": False},
}
#: The report charts trends when the analysed network's dated ties span at least this many years.
TREND_MIN_YEARS = 3
_HOME_BORDER, _BORDER = "#111111", "#4a5560"


def build_view(
    result: AnalysisResult,
    max_edges: int = MAX_EDGES,
    gaps: pd.DataFrame | None = None,
    suggestions: pd.DataFrame | None = None,
    aggregate_above: int = AGGREGATE_ABOVE,
    trends: pd.DataFrame | bool | None = None,
    outcomes: pd.DataFrame | Any = None,
    outcome: str | None = None,
    until: int | None = None,
) -> dict[str, Any]:
    """Everything the template shows, as plain Python data.

    Parameters
    ----------
    result : AnalysisResult
    max_edges : int
        Draw at most this many edges (the strongest); every figure and table
        still counts all ties, and the page says how many edges are drawn.
    gaps : pandas.DataFrame, optional
        From :func:`netcluster.find_gaps`; computed with its defaults when omitted.
    suggestions : pandas.DataFrame, optional
        From :func:`netcluster.suggest_partners`; by default 3 suggestions
        for each of the 20 locally most central members without a foreign
        partner (and, up to 2,000 members, 3 in each member's profile).
    aggregate_above : int
        Draw communities instead of organisations above this many organisations.
    trends : pandas.DataFrame or bool, optional
        From :func:`netcluster.trends`. When omitted (or True), computed with
        its defaults for the home set (or the whole network) when the
        analysed network's dated ties span at least 3 years; False leaves
        the trends panel out.
    outcomes, outcome, until
        The outcome of the evidence panel, as :func:`netcluster.report.write_report` takes it.

    Returns
    -------
    dict
        ``graph`` (what the script draws), ``mode`` (``"organisations"`` or
        ``"aggregated"``), the panels (``headline``, ``scopes``,
        ``gatekeepers``, ``top``, ``groups``, ``gaps``, ``suggestions``,
        ``communities``, ``quadrant``, ``drill_down``, ``trends``,
        ``evidence``) and ``methods``.
    """
    nodes = result.nodes
    seed = int(result.params["seed"])
    gaps = gaps if gaps is not None else find_gaps(result)
    table, per_member = _suggestions(result, suggestions)
    aggregated = result.network.n_orgs > aggregate_above and result.communities is not None
    if aggregated:
        drawing = aggregated_graph(result, seed)
        graph: dict[str, Any] = {"nodes": drawing["nodes"], "edges": drawing["edges"], "options": dict(_OPTIONS),
                                 "sizes": [], "home": []}
        schemes, sizes, layers, total_edges = drawing["colour_schemes"], [], [], len(drawing["edges"])
        detailed = nodes["home"].to_numpy(dtype=bool).copy()
        detailed[np.argsort(-nodes["degree"].to_numpy(), kind="stable")[:DETAILED_PROFILES]] = True
        notice = (f"This network has {result.network.n_orgs:,} organisations, too many to draw one by one: "
                  f"the drawing shows its {drawing['drawn']} largest communities (of {drawing['communities']:,}) "
                  "as circles sized by their number of members, linked by the partner pairs between them. "
                  "The tables below the drawing list each community's best-connected members; search finds "
                  "any organisation.")
    else:
        drawing = {}
        schemes = colour_schemes(nodes, _locality_labels(result))
        sizes = size_schemes(nodes)
        graph, total_edges = _organisation_graph(result, schemes[0]["colours"], sizes[0]["sizes"], max_edges)
        layers = [
            {"name": name, **LAYER_STYLES.get(name, DEFAULT_LAYER_STYLE), "records": count}
            for name, count in result.summary["tie_records_by_layer"].items()
        ]
        detailed = np.ones(len(nodes), dtype=bool)
        notice = (f"The drawing shows the {max_edges:,} strongest of {total_edges:,} ties (pairs per layer); "
                  "all figures and tables count every tie." if total_edges > max_edges else "")
    graph["mode"] = "aggregated" if aggregated else "organisations"
    graph["colours"] = {scheme["key"]: scheme["colours"] for scheme in schemes}
    graph["sizes"] = {scheme["key"]: scheme["sizes"] for scheme in sizes}
    graph["profiles"] = profiles(result, gaps, per_member, detailed)
    return {
        "graph": graph,
        "mode": graph["mode"],
        "colour_schemes": [{k: s[k] for k in ("key", "label", "legend")} for s in schemes],
        "size_schemes": [{k: s[k] for k in ("key", "label")} for s in sizes],
        "layers": layers,
        "has_home": bool(nodes["home"].any()),
        "notice": notice,
        "headline": panels.headline(result),
        "scopes": panels.scopes(result),
        "gatekeepers": panels.top_gatekeepers(nodes),
        "top": panels.top_international(nodes),
        "groups": panels.group_rows(result.groups),
        "gaps": panels.gap_rows(gaps),
        "suggestions": panels.suggestion_rows(table),
        "communities": _communities(result),
        "modularity": float(result.communities.modularity) if result.communities else 0.0,
        "quadrant": panels.quadrant(nodes, result.params.get("gb_thresholds", {})),
        "drill_down": drawing.get("tables", []),
        "methods": panels.methods(result),
        "scope_names": list(SCOPES),
        "trends": panels.trend_charts(_trends(result, trends)),
        "evidence": _evidence(result, outcomes, outcome, until),
    }


def _evidence(result: AnalysisResult, outcomes: pd.DataFrame | Any, outcome: str | None,
              until: int | None) -> dict[str, Any]:
    """The evidence panel: an estimate of :func:`netcluster.estimate_tie_effects`, or why there is none.

    A missing outcome column or an unreadable outcomes file is the user's
    mistake and raises :class:`~netcluster.errors.InputError`; an outcome the
    model cannot use (one value only, too few organisations) is explained in
    the panel instead.
    """
    if outcomes is None and outcome is None and until is None:
        return panels.evidence_absent(
            "No outcome was given, so this report cannot say whether international ties go with "
            "innovation. Give one to see the estimate here: a yes/no or numeric column of the "
            "organisations table (--outcome COLUMN), a file of organisation outcomes such as a member "
            "survey (--outcomes FILE --outcome COLUMN), or an outcome derived from the records "
            "(--until YEAR: partners counted before YEAR, activity from YEAR on). In Python, pass "
            "outcomes=, outcome= or until= to write_report.")
    if outcomes is not None and until is not None:
        raise InputError("give either outcomes or until for the evidence panel, not both")
    analysed = result
    if until is not None:
        before, table = derive_outcomes(result.network, int(until))
        outcome = outcome or "events_after"
        home = result.nodes.index[result.nodes["home"].to_numpy(dtype=bool)]
        params = result.params
        analysed = analyze(before, home=list(home) if len(home) else None, locality=str(params["locality"]),
                           group_by=str(params["group_by"]), layer_weights=params.get("layer_weights") or None,
                           hops=int(params["hops"]), top_share=float(params["top_share"]),
                           resolution=float(params["resolution"]), seed=int(params["seed"]))
        source = (f"derived from the records: {outcome!r} counts each organisation's activity (projects, "
                  f"patent applications, partnerships) from {until} on; partners are counted on the ties "
                  f"before {until} only, so the outcome cannot leak into them")
    elif outcomes is not None:
        table = outcomes if isinstance(outcomes, pd.DataFrame) else read_outcomes(outcomes)
        outcome = outcome or (str(table.columns[0]) if table.shape[1] else None)
        where = "the outcomes table given" if isinstance(outcomes, pd.DataFrame) else f"the file {outcomes}"
        source = f"column {outcome!r} of {where}"
    else:
        table = organisation_outcome(result.network, str(outcome))
        source = f"column {outcome!r} of the organisations table"
    if outcome is None or outcome not in table.columns:
        raise InputError(f"no outcome column {outcome!r} in the outcomes", value=outcome)
    try:
        fit = estimate_tie_effects(analysed, table, outcome, seed=int(result.params["seed"]))
    except InputError as error:
        return panels.evidence_absent(f"The outcome {outcome!r} ({source}) could not be used: {error}.")
    return panels.evidence(fit, source)


def _trends(result: AnalysisResult, given: pd.DataFrame | bool | None) -> pd.DataFrame | None:
    """The trends table to chart: the given one, or the defaults when the data span 3 years or more."""
    if isinstance(given, pd.DataFrame):
        return given
    if given is False:
        return None
    years = result.network.ties["year"].dropna()
    if years.empty or int(years.max()) - int(years.min()) + 1 < TREND_MIN_YEARS:
        return None
    home = result.nodes["home"].to_numpy(dtype=bool)
    return compute_trends(result.network, home=home if home.any() else None,
                          locality=str(result.params.get("locality", "region")),
                          hops=int(result.params.get("hops", 2)), top_share=float(result.params.get("top_share", 0.1)),
                          layer_weights=result.params.get("layer_weights") or None, max_localities=0)


def _suggestions(result: AnalysisResult, given: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The suggestions table, and the suggestions shown in members' profiles."""
    if given is not None:
        return given, given
    nodes = result.nodes
    members = nodes["home"] if nodes["home"].any() else nodes["country"].notna()
    lacking = nodes[members & (nodes["international_degree"] == 0) & (nodes["degree"] > 0)]
    chosen = lacking.sort_values(["local_degree", "national_degree"], ascending=False, kind="stable")
    empty = pd.DataFrame(columns=["member", "member_name", "rank", "partner", "partner_name", "partner_country",
                                  "evidence"])
    table = suggest_partners(result, list(chosen.index[:SUGGESTED_FOR]), k=SUGGESTED) if len(chosen) else empty
    if 0 < int(members.sum()) <= PROFILE_SUGGESTIONS_UP_TO:
        return table, suggest_partners(result, list(nodes.index[members.to_numpy(dtype=bool)]), k=SUGGESTED)
    return table, table


def _locality_labels(result: AnalysisResult) -> pd.Series:
    orgs = result.network.orgs
    locality = str(result.params.get("locality", "region"))
    key = "region" if locality.startswith("km:") else locality
    codes = locality_codes(orgs, key)
    match = re.fullmatch(r"nuts([123])", key)
    values = (orgs["region"].astype("string").str.strip().str.upper().str[: 2 + int(match[1])] if match
              else orgs[key].astype("string"))
    labels = orgs["country"].astype("string").fillna("?") + " · " + values
    return labels.where(values.notna() & (codes >= 0))


def _organisation_graph(result: AnalysisResult, colours: list[str], sizes: list[float],
                        max_edges: int) -> tuple[dict[str, Any], int]:
    nodes = result.nodes
    positions = layout_positions(result.network.to_igraph(layer_weights=result.params["layer_weights"]),
                                 int(result.params["seed"]))
    canvas = Network(directed=False)
    canvas.nodes = _nodes(nodes, positions, colours, sizes)
    canvas.edges, total = _edges(result, max_edges)
    canvas.options = _OPTIONS
    vis_nodes, vis_edges, _, _, _, options = canvas.get_network_data()
    home = np.flatnonzero(nodes["home"].to_numpy(dtype=bool)).tolist()
    return {"nodes": vis_nodes, "edges": vis_edges, "options": options, "home": home}, total


def _nodes(nodes: pd.DataFrame, positions: np.ndarray, colours: list[str], sizes: list[float]) -> list[dict[str, Any]]:
    labelled = set(nodes["degree"].to_numpy().argsort(kind="stable")[::-1][:LABELLED].tolist())
    names = nodes["name"].astype(object).where(nodes["name"].notna(), None)
    home = nodes["home"].to_numpy(dtype=bool)
    records = []
    for code, (org_id, row) in enumerate(zip(nodes.index, nodes.itertuples(index=False))):
        name = names.iloc[code] or str(org_id)
        records.append(
            {
                "id": code,
                "label": name if code in labelled else "",
                "title": _tooltip(name, org_id, row),
                "x": round(float(positions[code, 0]), 2),
                "y": round(float(positions[code, 1]), 2),
                "color": {"background": colours[code], "border": _HOME_BORDER if home[code] else _BORDER},
                "borderWidth": 3 if home[code] else 1,
                "size": sizes[code],
            }
        )
    return records


def _tooltip(name: str, org_id: str, row: Any) -> str:
    place = ", ".join(str(x) for x in (row.city, row.region, row.country) if isinstance(x, str))
    lines = [
        name,
        f"id {org_id}" + (f" · {place}" if place else "") + (" · member" if row.home else ""),
        f"partners: {int(row.degree)}",
        "  " + ", ".join(f"{scope} {int(getattr(row, f'{scope}_degree'))}" for scope in SCOPES),
    ]
    if isinstance(row.gb_role, str):
        lines.append(f"role: {row.gb_role}")
    if row.bridge_centrality > 0:
        lines.append(f"bridge centrality: {row.bridge_centrality:.3g}")
    lines.append("click for the profile")
    return "\n".join(lines)


def _edges(result: AnalysisResult, max_edges: int) -> tuple[list[dict[str, Any]], int]:
    """The drawn edges (one per pair and layer), the strongest ``max_edges`` of them, and the total."""
    ties = result.network.ties
    per_layer = ties.groupby(["layer", "source", "target"], observed=True)["weight"].sum().reset_index()
    total = len(per_layer)
    if total > max_edges:
        per_layer = per_layer.sort_values("weight", ascending=False, kind="stable").head(max_edges)
        per_layer = per_layer.sort_values(["layer", "source", "target"], kind="stable")
    edges = []
    for layer, group in per_layer.groupby("layer", observed=True, sort=False):
        style = LAYER_STYLES.get(str(layer), DEFAULT_LAYER_STYLE)
        for source, target, weight in zip(group["source"].tolist(), group["target"].tolist(),
                                          group["weight"].tolist()):
            edges.append({"from": source, "to": target, "layer": str(layer), "width": edge_width(weight),
                          "color": style["color"], "dashes": style["dashes"]})
    return edges, total


def _communities(result: AnalysisResult, limit: int = 20) -> list[dict[str, Any]]:
    partition = result.communities
    if partition is None:
        return []
    records = partition.quality.head(limit).reset_index().to_dict("records")
    return [{str(k): round(v, 3) if isinstance(v, float) else v for k, v in row.items()} for row in records]
