"""The aggregated drawing for large networks: communities as super-nodes.

Above :data:`AGGREGATE_ABOVE` organisations a drawing of every organisation is
neither fluid nor readable, so the report draws the largest communities (at
most :data:`SUPER_NODES`) as one node each, sized by their number of members,
with an edge for the partner pairs between two communities; the remaining
communities are merged into one "other communities" node. Tables below the
drawing list each drawn community's largest members (the drill-down).
"""

from __future__ import annotations

import math
from typing import Any

import igraph as ig
import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..analyze import AnalysisResult
from .layout import layout_positions
from .palette import OTHER_COLOUR, PALETTE, categorical

__all__ = ["aggregated_graph", "AGGREGATE_ABOVE", "SUPER_NODES"]

#: Organisations above which the report draws communities instead of organisations.
AGGREGATE_ABOVE = 5_000

#: Communities drawn as super-nodes at most (the largest); the rest become one node.
SUPER_NODES = 60

#: Members listed per community in the drill-down tables.
MEMBERS_LISTED = 10


def aggregated_graph(result: AnalysisResult, seed: int) -> dict[str, Any]:
    """Super-nodes, super-edges, colour schemes and drill-down tables."""
    nodes = result.nodes
    community = nodes["community"].to_numpy(dtype=np.int64)
    sizes = np.bincount(community)
    order = np.argsort(-sizes, kind="stable")
    drawn = order[: min(SUPER_NODES, sizes.size)]
    slot = np.full(sizes.size, drawn.size, dtype=np.int64)  # the "other" node by default
    slot[drawn] = np.arange(drawn.size)
    has_other = sizes.size > drawn.size
    k = drawn.size + int(has_other)
    member_slot = slot[community]

    adjacency = result.network.to_csr(layer_weights=result.params.get("layer_weights"))
    pairs = sp.triu(adjacency, k=1).tocoo()
    between = sp.coo_matrix((np.ones(pairs.nnz), (member_slot[pairs.row], member_slot[pairs.col])),
                            shape=(k, k)).tocsr()
    between = (between + between.T).tocsr()
    internal = between.diagonal() / 2
    upper = sp.triu(between, k=1).tocoo()

    graph = ig.Graph(n=k, edges=list(zip(upper.row.tolist(), upper.col.tolist())))
    graph.es["weight"] = upper.data.tolist()
    positions = layout_positions(graph, seed)

    counts = np.bincount(member_slot, minlength=k)
    international = nodes["international_degree"].to_numpy(dtype=np.int64)
    degree = nodes["degree"].to_numpy(dtype=np.int64)
    foreign_share = np.bincount(member_slot, weights=international, minlength=k) / np.maximum(
        np.bincount(member_slot, weights=degree, minlength=k), 1)
    countries = nodes["country"].astype(object)
    home = nodes["home"].to_numpy(dtype=bool)
    home_count = np.bincount(member_slot, weights=home, minlength=k).astype(np.int64)
    labels = [f"community {c}" for c in drawn.tolist()] + (["other communities"] if has_other else [])
    largest = max(int(counts.max()), 1)
    super_nodes, tables = [], []
    dominant = []
    for s in range(k):
        members = np.flatnonzero(member_slot == s)
        top_countries = countries.iloc[members].value_counts().head(3)
        mix = ", ".join(f"{c} {n / members.size:.0%}" for c, n in top_countries.items())
        dominant.append(top_countries.index[0] if len(top_countries) else None)
        title = "\n".join([
            labels[s],
            f"{counts[s]:,} organisations" + (f" · {mix}" if mix else ""),
            f"partner pairs inside: {int(internal[s]):,}",
            f"foreign share of partnerships: {foreign_share[s]:.0%}",
            *([f"members of the home set: {home_count[s]:,}"] if home.any() else []),
        ])
        super_nodes.append({
            "id": s, "label": f"{labels[s]} ({counts[s]:,})", "title": title,
            "x": round(float(positions[s, 0]), 2), "y": round(float(positions[s, 1]), 2),
            "size": round(8 + 42 * math.sqrt(counts[s] / largest), 2),
        })
        top = members[np.lexsort((members, -degree[members]))][:MEMBERS_LISTED]
        tables.append({
            "id": s, "label": labels[s], "organisations": int(counts[s]), "mix": mix,
            "foreign_share": f"{foreign_share[s]:.0%}",
            "home": int(home_count[s]) if home.any() else None,
            "members": [{
                "code": int(code),
                "name": nodes["name"].iloc[code] if isinstance(nodes["name"].iloc[code], str) else str(nodes.index[code]),
                "country": nodes["country"].iloc[code] if isinstance(nodes["country"].iloc[code], str) else "",
                "degree": int(degree[code]), "international": int(international[code]),
            } for code in top.tolist()],
        })
    community_colours = [PALETTE[s % len(PALETTE)] if s < drawn.size else OTHER_COLOUR for s in range(k)]
    country_colours, country_legend = categorical(pd.Series(dominant, dtype=object), rest="other countries",
                                                  missing="country unknown")
    super_edges = [
        {"from": int(a), "to": int(b), "width": round(1 + math.log1p(float(w)), 2),
         "title": f"{labels[a]} – {labels[b]}: {int(w):,} partner pairs", "color": "#8796a8"}
        for a, b, w in zip(upper.row.tolist(), upper.col.tolist(), upper.data.tolist())
    ]
    for node, colour in zip(super_nodes, community_colours):
        node["color"] = colour
    return {
        "nodes": super_nodes,
        "edges": super_edges,
        "colour_schemes": [
            {"key": "community", "label": "community", "colours": community_colours,
             "legend": [{"label": label, "color": colour, "count": int(c)}
                        for label, colour, c in zip(labels, community_colours, counts)][:len(PALETTE)]},
            {"key": "country", "label": "main country", "colours": country_colours, "legend": country_legend},
        ],
        "tables": tables,
        "communities": int(sizes.size),
        "drawn": int(drawn.size),
    }
