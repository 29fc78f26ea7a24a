"""analyze(): run the measures on a network and gather them in an AnalysisResult.

The result carries everything later stages need (network, parameters,
measures, provenance) so that the report and the exports compute nothing.
"""

from __future__ import annotations

import platform
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .geography import SCOPES, country_codes, locality_codes, pair_scopes
from .metrics import scope_degrees
from .network import CollaborationNetwork

__all__ = ["AnalysisResult", "analyze"]

_LIBRARIES = ("numpy", "scipy", "pandas", "igraph", "networkx", "pyvis", "jinja2", "pyarrow")


@dataclass
class AnalysisResult:
    """Everything an analysis produced.

    Attributes
    ----------
    network : CollaborationNetwork
        The network analysed (after layer and year selection).
    nodes : pandas.DataFrame
        One row per organisation (indexed by ``org_id``): its attributes and
        every node measure.
    summary : dict
        Network-level figures: sizes, tie records per layer, partner pairs
        per scope.
    params : dict
        The parameters the analysis ran with, seed included.
    provenance : dict
        Inputs with checksums, load options, library versions, creation time.
    """

    network: CollaborationNetwork
    nodes: pd.DataFrame
    summary: dict[str, Any]
    params: dict[str, Any]
    provenance: dict[str, Any] = field(default_factory=dict)


def analyze(
    network: CollaborationNetwork,
    *,
    locality: str = "region",
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
    years: int | tuple[int, int] | Iterable[int] | None = None,
    seed: int = 0,
) -> AnalysisResult:
    """Measure a collaboration network.

    Parameters
    ----------
    network : CollaborationNetwork
    locality : str
        What "local" means: ``"region"`` (default), ``"city"``,
        ``"nuts1"``-``"nuts3"`` or an organisation column.
    layers : iterable of str, optional
        Layers to analyse (all by default).
    layer_weights : mapping, optional
        Weight per layer when layers are flattened (1 by default).
    years : int, (first, last) or iterable of int, optional
        Restrict to ties and events of these years.
    seed : int
        Seed for every random step (recorded, and used by the report layout).

    Returns
    -------
    AnalysisResult

    Examples
    --------
    >>> from netcluster.sample_graphs import load_sample
    >>> result = analyze(load_sample("ocean_cluster"), seed=1)
    >>> sorted(result.summary["pairs_by_scope"]) == sorted(SCOPES)
    True
    """
    chosen_layers = None if layers is None else list(layers)
    selected = network if years is None and chosen_layers is None else network.select(chosen_layers, years)
    measures = scope_degrees(selected, locality=locality, layer_weights=layer_weights)
    attributes = selected.orgs[["name", "country", "region", "city", "kind", "sector", "member"]]
    nodes = attributes.join(measures)
    params = {
        "locality": locality,
        "layers": list(selected.layers) if chosen_layers is None else chosen_layers,
        "layer_weights": dict(layer_weights or {}),
        "years": _years_param(years),
        "seed": int(seed),
    }
    return AnalysisResult(
        network=selected,
        nodes=nodes,
        summary=_summary(selected, locality, layer_weights, nodes),
        params=params,
        provenance=_provenance(selected),
    )


def _years_param(years: int | tuple[int, int] | Iterable[int] | None) -> Any:
    if years is None or isinstance(years, (int, np.integer)):
        return None if years is None else int(years)
    return [int(y) for y in years]


def _summary(
    network: CollaborationNetwork,
    locality: str,
    layer_weights: Mapping[str, float] | None,
    nodes: pd.DataFrame,
) -> dict[str, Any]:
    upper = sp.triu(network.to_csr(layer_weights=layer_weights), k=1).tocoo()
    scopes = pair_scopes(
        upper.row, upper.col, country_codes(network.orgs), locality_codes(network.orgs, locality)
    )
    counts = np.bincount(scopes, minlength=len(SCOPES))
    years = network.ties["year"].dropna()
    return {
        "organisations": network.n_orgs,
        "countries": int(network.orgs["country"].nunique()),
        "isolates": int((nodes["degree"] == 0).sum()),
        "partner_pairs": int(upper.nnz),
        "tie_records_by_layer": {
            str(k): int(v) for k, v in network.ties["layer"].value_counts(sort=False).items()
        },
        "pairs_by_scope": {name: int(c) for name, c in zip(SCOPES, counts)},
        "with_international_tie": int((nodes["international_degree"] > 0).sum()),
        "first_year": None if years.empty else int(years.min()),
        "last_year": None if years.empty else int(years.max()),
    }


def _provenance(network: CollaborationNetwork) -> dict[str, Any]:
    versions = {"python": platform.python_version()}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        **network.provenance,
        "load_report": network.load_report,
        "versions": versions,
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }
