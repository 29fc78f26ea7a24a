"""Colours and sizes of the organisations in the drawing, one scheme per switch.

Each colour scheme gives one colour per organisation and a legend (label,
colour, count); each size scheme one size per organisation. The page only
switches between precomputed arrays.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "PALETTE", "OTHER_COLOUR", "UNKNOWN_COLOUR", "ROLE_COLOURS", "LAYER_STYLES", "DEFAULT_LAYER_STYLE",
    "SIZE_SCHEMES", "colour_schemes", "size_schemes", "categorical", "edge_width",
]

#: Colours for the most frequent values, in order; the rest share OTHER_COLOUR.
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#aec7e8", "#ffbb78",
)
OTHER_COLOUR = "#c7c7c7"
UNKNOWN_COLOUR = "#ffffff"

#: Giuliani-Bell roles, in the order of the legend.
ROLE_COLOURS = {
    "technological gatekeeper": "#d62728",
    "external star": "#ff7f0e",
    "mutually linked star": "#1f77b4",
    "isolated": "#9aa5b1",
}

#: Edge colour and dash pattern per layer (user-named layers get the default).
LAYER_STYLES: dict[str, dict[str, Any]] = {
    "partnership": {"color": "#5b7a99", "dashes": False},
    "copatent": {"color": "#d98c1f", "dashes": [6, 4]},
    "membership": {"color": "#55a868", "dashes": [2, 4]},
}
DEFAULT_LAYER_STYLE: dict[str, Any] = {"color": "#999999", "dashes": [1, 3]}

#: (key, label of the switch, node column, words for the rest, words for missing)
_COLOUR_SCHEMES = (
    ("country", "country", "country", "other countries", "country unknown"),
    ("community", "community", "community", "smaller communities", "no community"),
    ("locality", "locality", None, "other localities", "locality unknown"),
    ("kind", "kind", "kind", "other kinds", "kind unknown"),
    ("role", "Giuliani-Bell role", "gb_role", "", "not ranked (outside the home set)"),
)

#: (key, label of the switch, node column)
SIZE_SCHEMES = (
    ("international", "foreign partners", "international_degree"),
    ("bridge", "bridge centrality", "bridge_centrality"),
    ("degree", "partners", "degree"),
    ("openness", "openness", "openness"),
)


def categorical(values: pd.Series, *, rest: str, missing: str, limit: int = len(PALETTE),
                fixed: dict[str, str] | None = None, label: Any = str) -> tuple[list[str], list[dict[str, Any]]]:
    """Colour the ``limit`` most frequent values, grey for the rest, white for missing values.

    Examples
    --------
    >>> colours, legend = categorical(pd.Series(["NO", "NO", "SE", None]), rest="others", missing="unknown")
    >>> colours, [(item["label"], item["count"]) for item in legend]
    (['#1f77b4', '#1f77b4', '#ff7f0e', '#ffffff'], [('NO', 2), ('SE', 1), ('unknown', 1)])
    """
    present = values.notna().to_numpy()
    text = values.astype(object).where(values.notna(), None)
    counts = text[present].value_counts(sort=False)
    counts = counts.sort_values(ascending=False, kind="stable")
    if fixed is not None:
        palette = {key: colour for key, colour in fixed.items() if key in counts.index}
    else:
        ordered = sorted(counts.index, key=lambda v: (-counts[v], str(v)))
        palette = dict(zip(ordered[:limit], PALETTE))
    colours = [palette.get(v, OTHER_COLOUR) if ok else UNKNOWN_COLOUR for v, ok in zip(text, present)]
    legend = [{"label": label(key), "color": colour, "count": int(counts[key])} for key, colour in palette.items()]
    others = counts[~counts.index.isin(list(palette))]
    if len(others):
        legend.append({"label": f"{len(others)} {rest}", "color": OTHER_COLOUR, "count": int(others.sum())})
    if (~present).any():
        legend.append({"label": missing, "color": UNKNOWN_COLOUR, "count": int((~present).sum())})
    return colours, legend


def colour_schemes(nodes: pd.DataFrame, locality: pd.Series) -> list[dict[str, Any]]:
    """Every colour scheme: ``key``, ``label``, ``colours`` (one per organisation) and ``legend``."""
    schemes = []
    for key, label, column, rest, missing in _COLOUR_SCHEMES:
        if column is None:
            values = locality
        elif column in nodes:
            values = nodes[column]
        else:
            continue
        options: dict[str, Any] = {}
        if key == "community":
            options["label"] = lambda c: f"community {c}"
            values = values.astype("Int64")
        if key == "role":
            options["fixed"] = ROLE_COLOURS
        colours, legend = categorical(values, rest=rest, missing=missing, **options)
        schemes.append({"key": key, "label": label, "colours": colours, "legend": legend})
    return schemes


def size_schemes(nodes: pd.DataFrame) -> list[dict[str, Any]]:
    """Every size scheme: ``key``, ``label`` and ``sizes`` (5 to 30, by the square root of the value)."""
    schemes = []
    for key, label, column in SIZE_SCHEMES:
        if column not in nodes:
            continue
        values = pd.to_numeric(nodes[column], errors="coerce").fillna(0).clip(lower=0).to_numpy(dtype=float)
        largest = float(values.max()) if values.size else 0.0
        scale = np.sqrt(values / largest) if largest > 0 else np.zeros_like(values)
        schemes.append({"key": key, "label": label, "sizes": [round(5 + 25 * float(s), 2) for s in scale]})
    return schemes


def edge_width(weight: float) -> float:
    """Width of a drawn edge from its summed weight."""
    return round(1 + math.log1p(weight), 2)
