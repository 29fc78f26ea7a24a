"""The report's view model: an AnalysisResult turned into plain, JSON-ready data.

Pure apart from the seeded layout: no HTML here. Organisations appear in the
page under integer ids; names travel only as plain-text ``label`` and
``title`` strings that vis-network draws on a canvas or sets as text.
pyvis's :class:`pyvis.network.Network` holds the node and edge dicts and the
options (filled directly: its ``add_edge`` is quadratic and merges layers).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from pyvis.network import Network

from ..analyze import AnalysisResult
from ..gaps import GAP_KINDS, find_gaps
from ..geography import SCOPES
from ..suggestions import suggest_partners
from .layout import layout_positions

__all__ = ["build_view", "COUNTRY_COLOURS", "LAYER_STYLES"]

#: Colours for the most frequent countries, in order; the rest share OTHER_COLOUR.
COUNTRY_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#aec7e8", "#ffbb78",
)
OTHER_COLOUR = "#c7c7c7"
UNKNOWN_COLOUR = "#ffffff"

#: Edge colour and dash pattern per layer (user-named layers get the default).
LAYER_STYLES = {
    "partnership": {"color": "#5b7a99", "dashes": False},
    "copatent": {"color": "#d98c1f", "dashes": [6, 4]},
    "membership": {"color": "#55a868", "dashes": [2, 4]},
}
_DEFAULT_LAYER_STYLE = {"color": "#999999", "dashes": [1, 3]}

#: Edges drawn at most: beyond this the browser slows down (measured in headless Chromium).
MAX_EDGES = 20_000

#: Findings listed in the gaps table (the count of every kind is shown).
GAP_ROWS = 50

#: Members without a foreign partner the report suggests partners for, and suggestions each.
SUGGESTED_FOR, SUGGESTED = 20, 3

GAP_LABELS = {
    "no_international_tie": "no foreign partner",
    "community_without_bridge": "community without a bridge abroad",
    "single_point_of_failure": "single point of failure",
    "concentration": "foreign ties concentrated",
}

#: Organisations whose names are drawn as labels (the rest show on hover).
LABELLED = 30


def build_view(
    result: AnalysisResult,
    max_edges: int = MAX_EDGES,
    gaps: pd.DataFrame | None = None,
    suggestions: pd.DataFrame | None = None,
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
        From :func:`netcluster.suggest_partners`; by default
        :data:`SUGGESTED` suggestions for each of the :data:`SUGGESTED_FOR`
        members without a foreign partner who are most central locally.

    Returns
    -------
    dict
        ``graph`` (nodes, edges, options for vis-network), ``legend``,
        ``headline``, ``top`` (organisations with most international
        partners), ``scopes``, ``layers``, ``methods``.
    """
    network, nodes = result.network, result.nodes
    seed = int(result.params["seed"])
    positions = layout_positions(network.to_igraph(layer_weights=result.params["layer_weights"]), seed)
    colours, legend = _country_colours(nodes["country"])
    community_colours, community_legend = _community_colours(nodes)
    canvas = Network(directed=False)
    canvas.nodes = _nodes(nodes, positions, colours)
    canvas.edges, total_edges = _edges(result, max_edges)
    canvas.options = {
        "physics": {"enabled": False},
        "edges": {"smooth": False, "color": {"opacity": 0.45}},
        "nodes": {"shape": "dot", "borderWidth": 1, "font": {"size": 14}},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True},
        "layout": {"improvedLayout": False},
    }
    vis_nodes, vis_edges, _, _, _, options = canvas.get_network_data()
    return {
        "graph": {"nodes": vis_nodes, "edges": vis_edges, "options": options},
        "legend": legend,
        "community_legend": community_legend,
        "colours": {"country": colours, "community": community_colours},
        "communities": _communities(result),
        "headline_modularity": float(result.communities.modularity) if result.communities else 0.0,
        "layers": [
            {"name": name, **LAYER_STYLES.get(name, _DEFAULT_LAYER_STYLE), "records": count}
            for name, count in result.summary["tie_records_by_layer"].items()
        ],
        "headline": _headline(result),
        "edge_notice": (
            f"The drawing shows the {max_edges:,} strongest of {total_edges:,} ties (pairs per layer); "
            "all figures and tables count every tie."
            if total_edges > max_edges
            else ""
        ),
        "scopes": _scopes(result),
        "top": _top(nodes),
        "gaps": _gaps(gaps if gaps is not None else find_gaps(result)),
        "suggestions": _suggestions(suggestions if suggestions is not None else _default_suggestions(result)),
        "methods": _methods(result),
    }


def _gaps(table: pd.DataFrame, limit: int = GAP_ROWS) -> dict[str, Any]:
    counts = table["kind"].value_counts()
    return {
        "counts": [{"kind": GAP_LABELS.get(kind, kind), "count": int(counts.get(kind, 0))} for kind in GAP_KINDS],
        "rows": [
            {"kind": GAP_LABELS.get(row.kind, row.kind), "severity": f"{row.severity:.0%}", "evidence": row.evidence}
            for row in table.head(limit).itertuples()
        ],
        "more": max(0, len(table) - limit),
    }


def _default_suggestions(result: AnalysisResult) -> pd.DataFrame:
    nodes = result.nodes
    members = nodes["home"] if nodes["home"].any() else nodes["country"].notna()
    lacking = nodes[members & (nodes["international_degree"] == 0) & (nodes["degree"] > 0)]
    chosen = lacking.sort_values(["local_degree", "national_degree"], ascending=False, kind="stable")
    if chosen.empty:
        return pd.DataFrame(columns=["member_name", "rank", "partner_name", "partner_country", "evidence"])
    return suggest_partners(result, list(chosen.index[:SUGGESTED_FOR]), k=SUGGESTED)


def _suggestions(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {"member": row.member_name, "rank": int(row.rank), "partner": row.partner_name,
         "country": "" if pd.isna(row.partner_country) else row.partner_country, "evidence": row.evidence}
        for row in table.itertuples()
    ]


def _country_colours(country: pd.Series) -> tuple[list[str], list[dict[str, Any]]]:
    counts = country.value_counts()
    palette = dict(zip(counts.index[: len(COUNTRY_COLOURS)], COUNTRY_COLOURS))
    colours = [
        palette.get(c, OTHER_COLOUR) if isinstance(c, str) else UNKNOWN_COLOUR
        for c in country.astype(object).where(country.notna(), None)
    ]
    legend = [{"label": str(c), "color": palette[c], "count": int(counts[c])} for c in palette]
    others = int(counts.iloc[len(COUNTRY_COLOURS):].sum())
    if others:
        legend.append(
            {"label": f"{len(counts) - len(palette)} other countries", "color": OTHER_COLOUR, "count": others}
        )
    unknown = int(country.isna().sum())
    if unknown:
        legend.append({"label": "country unknown", "color": UNKNOWN_COLOUR, "count": unknown})
    return colours, legend


def _community_colours(nodes: pd.DataFrame) -> tuple[list[str], list[dict[str, Any]]]:
    """Colours for the largest communities (numbered by size), grey for the rest."""
    if "community" not in nodes:
        return [OTHER_COLOUR] * len(nodes), []
    community = nodes["community"].to_numpy()
    palette = {c: COUNTRY_COLOURS[c] for c in range(len(COUNTRY_COLOURS))}
    colours = [palette.get(int(c), OTHER_COLOUR) for c in community]
    counts = pd.Series(community).value_counts().sort_index()
    legend = [{"label": f"community {c}", "color": palette[c], "count": int(counts[c])}
              for c in counts.index if c in palette]
    rest = int(counts[~counts.index.isin(list(palette))].sum())
    if rest:
        smaller = int((~counts.index.isin(list(palette))).sum())
        label = f"{smaller} smaller communit{'y' if smaller == 1 else 'ies'}"
        legend.append({"label": label, "color": OTHER_COLOUR, "count": rest})
    return colours, legend


def _communities(result: AnalysisResult, limit: int = 20) -> list[dict[str, Any]]:
    partition = result.communities
    if partition is None:
        return []
    records = partition.quality.head(limit).reset_index().to_dict("records")
    return [{k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()} for row in records]


def _nodes(nodes: pd.DataFrame, positions: np.ndarray, colours: list[str]) -> list[dict[str, Any]]:
    largest = max(int(nodes["international_degree"].max()), 1) if len(nodes) else 1
    labelled = set(nodes["degree"].to_numpy().argsort(kind="stable")[::-1][:LABELLED].tolist())
    names = nodes["name"].astype(object).where(nodes["name"].notna(), None)
    records = []
    for code, (org_id, row) in enumerate(zip(nodes.index, nodes.itertuples(index=False))):
        name = names.iloc[code] or str(org_id)
        international = int(row.international_degree)
        records.append(
            {
                "id": code,
                "label": name if code in labelled else "",
                "title": _tooltip(name, org_id, row),
                "x": round(float(positions[code, 0]), 2),
                "y": round(float(positions[code, 1]), 2),
                "color": colours[code],
                "size": round(5 + 25 * math.sqrt(international / largest), 2),
            }
        )
    return records


def _tooltip(name: str, org_id: str, row: Any) -> str:
    place = ", ".join(str(x) for x in (row.city, row.region, row.country) if isinstance(x, str))
    return "\n".join(
        [
            name,
            f"id {org_id}" + (f" · {place}" if place else ""),
            f"partners: {int(row.degree)}",
            "  "
            + ", ".join(f"{scope} {int(getattr(row, f'{scope}_degree'))}" for scope in SCOPES),
        ]
    )


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
        style = LAYER_STYLES.get(str(layer), _DEFAULT_LAYER_STYLE)
        widths = 1 + np.log1p(group["weight"].to_numpy())
        for source, target, width in zip(group["source"].tolist(), group["target"].tolist(), widths):
            edges.append(
                {
                    "from": source,
                    "to": target,
                    "layer": str(layer),
                    "width": round(float(width), 2),
                    "color": style["color"],
                    "dashes": style["dashes"],
                }
            )
    return edges, total


def _headline(result: AnalysisResult) -> list[dict[str, str]]:
    summary = result.summary
    n = summary["organisations"]
    pairs = summary["partner_pairs"]
    international = summary["pairs_by_scope"]["international"]
    with_tie = summary["with_international_tie"]
    return [
        {"figure": f"{n:,}", "label": "organisations", "sentence": f"in {summary['countries']} countries."},
        {"figure": f"{pairs:,}", "label": "partner pairs", "sentence": "pairs of organisations with at least one tie in the chosen layers."},
        {
            "figure": _percent(international, pairs),
            "label": "of ties are international",
            "sentence": "share of partner pairs whose two organisations are in different countries.",
        },
        {
            "figure": _percent(with_tie, n),
            "label": "have a foreign partner",
            "sentence": f"{with_tie:,} of {n:,} organisations have at least one partner in another country.",
        },
    ]


def _scopes(result: AnalysisResult) -> list[dict[str, Any]]:
    counts = result.summary["pairs_by_scope"]
    total = sum(counts.values())
    return [{"scope": s, "pairs": counts[s], "share": _percent(counts[s], total)} for s in SCOPES]


def _top(nodes: pd.DataFrame, limit: int = 20) -> list[dict[str, Any]]:
    order = nodes.sort_values(["international_degree", "degree"], ascending=False, kind="stable")
    rows = []
    for org_id, row in order.head(limit).iterrows():
        if row["international_degree"] == 0:
            break
        rows.append(
            {
                "name": row["name"] if isinstance(row["name"], str) else str(org_id),
                "country": row["country"] if isinstance(row["country"], str) else "",
                "region": row["region"] if isinstance(row["region"], str) else "",
                "degree": int(row["degree"]),
                "local": int(row["local_degree"]),
                "national": int(row["national_degree"]),
                "international": int(row["international_degree"]),
                "openness": "–" if pd.isna(row["openness"]) else f"{100 * row['openness']:.0f} %",
            }
        )
    return rows


def _methods(result: AnalysisResult) -> dict[str, Any]:
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


def _percent(part: float, whole: float) -> str:
    return "–" if not whole else f"{100 * part / whole:.0f} %"
