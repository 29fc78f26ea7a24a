"""What the page shows when an organisation is searched for or clicked: its profile.

Sent as compact JSON: one array per column over all organisations (names,
places, key measures as short text), and, for the organisations that have
them, their strongest partners by scope, the gaps that name them and the
partners suggested to them. Everything is text or integers; the page sets it
with ``textContent``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..analyze import AnalysisResult
from ..geography import SCOPES, country_codes, local_pairs, pair_scopes
from .panels import GAP_LABELS, format_value

__all__ = ["profiles", "PROFILE_MEASURES", "PARTNERS_SHOWN"]

#: (label, node column) of the measures in a profile.
PROFILE_MEASURES = (
    ("partners", "degree"),
    ("local partners", "local_degree"),
    ("other domestic partners", "national_degree"),
    ("foreign partners", "international_degree"),
    ("openness", "openness"),
    ("bridge centrality", "bridge_centrality"),
    ("gatekeeper brokerage (Gould-Fernandez)", "gf_gatekeeper"),
    ("E-I index", "ei_index"),
    ("constraint (Burt)", "constraint"),
    ("community", "community"),
    ("Giuliani-Bell role", "gb_role"),
    ("Guimerà-Amaral role", "ga_role"),
)

#: Strongest partners listed per organisation.
PARTNERS_SHOWN = 12


def profiles(result: AnalysisResult, gaps: pd.DataFrame, suggestions: pd.DataFrame,
             detailed: np.ndarray) -> dict[str, Any]:
    """Profile data; partners only for the organisations flagged in ``detailed``."""
    nodes, network = result.nodes, result.network
    names = nodes["name"].astype(object).where(nodes["name"].notna(), None)
    name_list = [n if isinstance(n, str) else str(i) for n, i in zip(names, nodes.index)]
    place = [
        ", ".join(str(x) for x in (city, region, country) if isinstance(x, str))
        for city, region, country in zip(nodes["city"], nodes["region"], nodes["country"])
    ]
    measures = []
    for label, column in PROFILE_MEASURES:
        if column not in nodes:
            continue
        values = nodes[column]
        if column == "openness":
            text = ["–" if pd.isna(v) else f"{100 * float(v):.0f} %" for v in values]
        else:
            text = [format_value(None if pd.isna(v) else v) for v in values.astype(object)]
        measures.append({"label": label, "values": text})
    code_of = {str(org_id): code for code, org_id in enumerate(nodes.index)}
    return {
        "names": name_list,
        "ids": [str(x) for x in nodes.index],
        "places": place,
        "home": nodes["home"].to_numpy(dtype=bool).astype(int).tolist(),
        "measures": measures,
        "scopes": list(SCOPES),
        "partners": _partners(result, detailed),
        "gaps": _gaps(gaps, code_of),
        "suggestions": _suggestions(suggestions, code_of),
    }


def _partners(result: AnalysisResult, detailed: np.ndarray) -> dict[str, list[list[int]]]:
    """For each detailed organisation: [partner code, scope index] of its strongest partners."""
    network = result.network
    matrix = network.to_csr(layer_weights=result.params.get("layer_weights"))
    rows = np.flatnonzero(detailed)
    if rows.size == 0 or matrix.nnz == 0:
        return {}
    block = sp.csr_matrix(matrix[rows])
    owner = np.repeat(rows, np.diff(block.indptr))
    partner, weight = block.indices, block.data
    country = country_codes(network.orgs)
    locality = result.params.get("locality", "region")
    local = local_pairs(network.orgs, owner, partner, locality)
    scope = pair_scopes(owner, partner, country, local)
    order = np.lexsort((partner, -weight, owner))
    owner, partner, scope = owner[order], partner[order], scope[order]
    position = np.arange(owner.size) - np.searchsorted(owner, owner)
    keep = position < PARTNERS_SHOWN
    out: dict[str, list[list[int]]] = {}
    for o, p, s in zip(owner[keep].tolist(), partner[keep].tolist(), scope[keep].tolist()):
        out.setdefault(str(o), []).append([p, s])
    return out


def _gaps(table: pd.DataFrame, code_of: dict[str, int]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in table.to_dict("records"):
        for org_id in row["organisations"]:
            code = code_of.get(str(org_id))
            if code is not None:
                out.setdefault(str(code), []).append(f"{GAP_LABELS.get(row['kind'], row['kind'])}: {row['evidence']}")
    return out


def _suggestions(table: pd.DataFrame, code_of: dict[str, int]) -> dict[str, list[list[Any]]]:
    out: dict[str, list[list[Any]]] = {}
    for row in table.to_dict("records"):
        code = code_of.get(str(row["member"]))
        partner = code_of.get(str(row["partner"]))
        if code is not None and partner is not None:
            out.setdefault(str(code), []).append([partner, row["evidence"]])
    return out
