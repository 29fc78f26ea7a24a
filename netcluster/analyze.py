"""analyze(): run the measures on a network and gather them in an AnalysisResult.

The result carries everything later stages need (network, parameters,
measures, provenance) so that the report and the exports compute nothing.
Each measure lives in its own module under :mod:`netcluster.metrics`; this
module only calls them and joins their tables.
"""

from __future__ import annotations

import platform
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .capacity import check_capacity, graph_size
from .communities import Partition, community_roles, detect_communities
from .geography import SCOPES, country_codes, local_pairs, pair_scopes
from .home import describe_home, home_set
from .metrics import (
    bridge_centrality,
    brokerage,
    ei_index,
    gb_roles,
    group_table,
    local_clustering,
    network_ei,
    outside_openness,
    scope_degrees,
    structural_holes,
)
from .network import CollaborationNetwork

__all__ = ["AnalysisResult", "analyze", "ANALYSIS_STAGES"]

_LIBRARIES = ("numpy", "scipy", "pandas", "igraph", "networkx", "pyvis", "jinja2", "pyarrow", "duckdb")

#: The stages :func:`analyze` reports to its ``progress`` callback, in order.
ANALYSIS_STAGES = ("selection", "scope degrees", "bridge centrality", "local clustering", "brokerage",
                   "structural holes", "roles", "communities", "groups", "summary")


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
    groups : pandas.DataFrame
        One row per group: the home set (``home``), each country
        (``country:XX``) and each locality (``locality:XX/...``; none for a
        distance locality such as ``"km:50"``, which is not a partition).
    summary : dict
        Network-level figures: sizes, tie records per layer, partner pairs
        per scope, E-I, assortativity by country, components.
    params : dict
        The parameters the analysis ran with, seed included.
    provenance : dict
        Inputs with checksums, load options, library versions, creation time.
    communities : Partition
        The Leiden communities behind the node table's ``community``,
        ``participation``, ``within_module_z`` and ``ga_role`` columns.
    """

    network: CollaborationNetwork
    nodes: pd.DataFrame
    summary: dict[str, Any]
    params: dict[str, Any]
    groups: pd.DataFrame = field(default_factory=pd.DataFrame)
    provenance: dict[str, Any] = field(default_factory=dict)
    communities: Partition | None = None

    def _repr_html_(self) -> str:
        """A short summary for Jupyter: the headline figures and the top gatekeepers.

        For the full interactive report in a notebook, display
        ``netcluster.report.Report(result)``.
        """
        from html import escape

        summary = self.summary
        figures = [
            ("organisations", f"{summary['organisations']:,}"),
            ("partner pairs", f"{summary['partner_pairs']:,}"),
            *((f"{scope} pairs", f"{count:,}") for scope, count in summary["pairs_by_scope"].items()),
            ("with a foreign partner", f"{summary['with_international_tie']:,}"),
            ("communities", f"{summary.get('communities', 0):,}"),
            ("home set", str(self.params.get("home") or "none")),
        ]
        if "home" in self.groups.index:
            home = self.groups.loc["home"]
            figures += [("home: density", f"{home['density']:.3f}"),
                        ("home: gatekeeper dependency", f"{home['gatekeeper_dependency']:.3f}")]
        rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in figures)
        top = self.nodes.sort_values("bridge_centrality", ascending=False, kind="stable").head(10)
        brokers = "".join(
            f"<tr><td>{escape(str(name if isinstance(name, str) else org_id))}</td>"
            f"<td>{escape(str(country if isinstance(country, str) else ''))}</td>"
            f"<td>{bridge:.3g}</td><td>{int(foreign)}</td></tr>"
            for org_id, name, country, bridge, foreign in zip(
                top.index, top["name"], top["country"], top["bridge_centrality"], top["international_degree"])
        )
        return (f"<div><b>netcluster AnalysisResult</b><table>{rows}</table>"
                "<p>Top international bridges</p><table><tr><th>organisation</th><th>country</th>"
                f"<th>bridge centrality</th><th>foreign partners</th></tr>{brokers}</table></div>")


def analyze(
    network: CollaborationNetwork,
    *,
    locality: str = "region",
    group_by: str = "country",
    home: Any = None,
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
    years: int | tuple[int, int] | Iterable[int] | None = None,
    exact: bool | None = None,
    samples: int | None = None,
    hops: int = 2,
    top_share: float = 0.10,
    gb_thresholds: tuple[float | str | None, float | str | None] = (None, None),
    resolution: float = 1.0,
    seed: int = 0,
    memory_budget: int | str | None = None,
    workers: int = 1,
    progress: Callable[[str], None] | None = None,
) -> AnalysisResult:
    """Measure a collaboration network.

    Parameters
    ----------
    network : CollaborationNetwork
    locality : str
        What "local" means: ``"region"`` (default), ``"city"``,
        ``"nuts1"``-``"nuts3"``, an organisation column, or a distance such
        as ``"km:50"`` (organisations within 50 km of each other).
    group_by : str
        Groups for brokerage and E-I: ``"country"`` (default) or a locality key.
    home : optional
        The focal cluster (see :func:`netcluster.home.home_set`):
        ``{"group": "..."}``, ``{"country": "NO"}``, ``{"region": "..."}``,
        ``{"member": True}``, a list of org ids, ... Without one, bridge
        centrality counts paths from every organisation and there is no
        ``home`` row in the group table.
    layers : iterable of str, optional
        Layers to analyse (all by default).
    layer_weights : mapping, optional
        Weight per layer when layers are flattened (1 by default).
    years : int, (first, last) or iterable of int, optional
        Restrict to ties and events of these years.
    exact : bool, optional
        Bridge centrality exactly (True), sampled (False), or chosen by size (None).
    samples : int, optional
        Source organisations sampled for bridge centrality (default 1,500).
    hops : int
        Path length for external reach and gatekeeper dependency.
    top_share : float
        Share of a group's members, ranked by bridge centrality, removed to
        measure gatekeeper dependency (default the top 10 %).
    gb_thresholds : (local, openness)
        Thresholds of the Giuliani-Bell roles on ``local_degree`` and
        ``openness``: numbers, ``"mean"`` or ``"median"``; ``None`` is the mean
        over the organisations considered (the home set, or all with a
        country).
    resolution : float
        Resolution of the Leiden communities (1 = plain modularity).
    seed : int
        Seed for every random step (bridge-centrality sampling, the report layout).
    memory_budget : int or str, optional
        Memory the graph stages may use, in bytes or as a size such as
        ``"12G"``; by default ``NETCLUSTER_MEMORY_BUDGET``, else 80 % of the
        memory available. Checked before any graph is built
        (:func:`netcluster.capacity.check_capacity`).
    workers : int
        Processes sharing bridge centrality's breadth-first searches (default
        1; see :func:`netcluster.metrics.bridge_centrality`). The results do
        not depend on it.
    progress : callable, optional
        Called with the name of each stage as it starts, in the order of
        :data:`ANALYSIS_STAGES`, every stage every time; the analysis is done
        when ``analyze`` returns. The command line turns these calls into a
        progress display; the library itself prints nothing.

    Returns
    -------
    AnalysisResult

    Raises
    ------
    CapacityError
        When the estimated memory of the graph stages exceeds the budget
        (see ``docs/scaling.md`` for the ways out).

    Examples
    --------
    >>> from netcluster.sample_graphs import load_sample
    >>> result = analyze(load_sample("ocean_cluster"), home={"member": True}, seed=1)
    >>> sorted(result.summary["pairs_by_scope"]) == sorted(SCOPES)
    True
    >>> int(result.groups.loc["home", "organisations"])
    118
    """
    step = progress or _no_progress
    step("selection")
    chosen_layers = None if layers is None else list(layers)
    selected = network if years is None and chosen_layers is None else network.select(chosen_layers, years)
    check_capacity(*graph_size(selected), limit=memory_budget)
    mask = home_set(selected, home)
    step("scope degrees")
    scopes = scope_degrees(selected, locality=locality, layer_weights=layer_weights)
    openness = (outside_openness(selected, mask, layer_weights=layer_weights) if mask is not None
                else pd.Series(np.nan, index=selected.org_ids, name="outside_openness"))
    layer_degrees = _layer_degrees(selected)
    step("bridge centrality")
    bridges = bridge_centrality(selected, home=mask, exact=exact, samples=samples, seed=seed,
                                layer_weights=layer_weights, workers=workers)
    step("local clustering")
    clustering = local_clustering(selected, locality=locality, layer_weights=layer_weights)
    step("brokerage")
    broker_roles = brokerage(selected, group_by=group_by, layer_weights=layer_weights)
    ei = ei_index(selected, group_by=group_by, layer_weights=layer_weights)
    step("structural holes")
    holes = structural_holes(selected, layer_weights=layer_weights)
    nodes = selected.orgs[["name", "country", "region", "city", "kind", "sector", "member"]].join(
        [scopes, openness.to_frame(), layer_degrees, clustering.to_frame(), bridges, broker_roles, ei.to_frame(),
         holes]
    )
    nodes.insert(7, "home", mask if mask is not None else False)  # after the attributes
    step("roles")
    considered = nodes["home"] if mask is not None else nodes["country"].notna()
    roles = gb_roles(
        nodes.loc[considered, "local_degree"],
        nodes.loc[considered, "openness"],
        local_threshold=gb_thresholds[0],
        openness_threshold=gb_thresholds[1],
    )
    nodes = nodes.join(roles)
    step("communities")
    partition = detect_communities(selected, layer_weights=layer_weights, resolution=resolution, seed=seed)
    nodes = nodes.join(community_roles(selected, partition, layer_weights=layer_weights))
    step("groups")
    groups = _groups(selected, locality, group_by, mask, nodes, hops, top_share, layer_weights)
    step("summary")
    params = {
        "locality": locality,
        "group_by": group_by,
        "home": describe_home(home, selected) if home is not None else None,
        "layers": list(selected.layers),
        "layer_weights": dict(layer_weights or {}),
        "years": _years_param(years),
        "hops": int(hops),
        "top_share": float(top_share),
        "exact": bridges.attrs.get("bridge_centrality", {}).get("exact"),
        "bridge_sources": bridges.attrs.get("bridge_centrality", {}).get("sources"),
        "gb_thresholds": {
            "local_degree": _first(roles, "gb_local_threshold"),
            "openness": _first(roles, "gb_openness_threshold"),
        },
        "resolution": float(resolution),
        "seed": int(seed),
    }
    return AnalysisResult(
        network=selected,
        nodes=nodes,
        summary={**_summary(selected, locality, group_by, layer_weights, nodes),
                 "modularity": float(partition.modularity)},
        params=params,
        groups=groups,
        provenance=_provenance(selected),
        communities=partition,
    )


def _no_progress(stage: str) -> None:
    pass


def _layer_degrees(network: CollaborationNetwork) -> pd.DataFrame:
    # partners per layer: the row lengths of the layer's adjacency matrix (whose diagonal is
    # empty), as scope_degrees counts them; one layer is the whole network's matrix, already cached
    def partners(layer: str) -> np.ndarray:
        adjacency = network.to_csr(None if len(network.layers) == 1 else [layer])
        return np.diff(adjacency.indptr).astype(np.int64)

    return pd.DataFrame({f"{layer}_degree": partners(layer) for layer in network.layers}, index=network.org_ids)


def _groups(
    network: CollaborationNetwork,
    locality: str,
    group_by: str,
    mask: np.ndarray | None,
    nodes: pd.DataFrame,
    hops: int,
    top_share: float,
    layer_weights: Mapping[str, float] | None,
) -> pd.DataFrame:
    common: dict[str, Any] = {
        "top_share": top_share,
        "locality": locality,
        "brokers": nodes["bridge_centrality"],
        "clustering": nodes["local_clustering"],
        "hops": hops,
        "layer_weights": layer_weights,
    }
    tables = []
    if mask is not None:
        tables.append(group_table(network, by="home", home_mask=mask, **common).rename(index=lambda _: "home"))
    partitions = [("country", "country")] + ([] if locality.startswith("km:") else [(locality, "locality")])
    for by, prefix in partitions:
        table = group_table(network, by=by, **common)
        tables.append(table.rename(index=f"{prefix}:{{}}".format))
    combined = pd.concat(tables)
    combined.index.name = "group"
    return combined


def _years_param(years: int | tuple[int, int] | Iterable[int] | None) -> Any:
    if years is None or isinstance(years, (int, np.integer)):
        return None if years is None else int(years)
    return [int(y) for y in years]


def _first(frame: pd.DataFrame, column: str) -> float | None:
    values = frame[column].dropna()
    return None if values.empty else float(values.iloc[0])


def _summary(
    network: CollaborationNetwork,
    locality: str,
    group_by: str,
    layer_weights: Mapping[str, float] | None,
    nodes: pd.DataFrame,
) -> dict[str, Any]:
    upper = sp.triu(network.to_csr(layer_weights=layer_weights), k=1).tocoo()
    countries = country_codes(network.orgs)
    local = local_pairs(network.orgs, upper.row, upper.col, locality)
    scopes = pair_scopes(upper.row, upper.col, countries, local)
    counts = np.bincount(scopes, minlength=len(SCOPES))
    years = network.ties["year"].dropna()
    graph = network.to_igraph(layer_weights=layer_weights)
    components = graph.connected_components()
    known = np.flatnonzero(countries >= 0).tolist()
    sub = graph.induced_subgraph(known)
    assortativity = (
        float(sub.assortativity_nominal(countries[known].tolist(), directed=False))
        if sub.ecount()
        else None
    )
    return {
        "organisations": network.n_orgs,
        "countries": int(network.orgs["country"].nunique()),
        "isolates": int((nodes["degree"] == 0).sum()),
        "partner_pairs": int(upper.nnz),
        "tie_records_by_layer": {
            str(k): int(v) for k, v in network.ties["layer"].value_counts(sort=False).items()
        },
        "pairs_by_layer": {
            layer: int(nodes[f"{layer}_degree"].sum() // 2) for layer in network.layers
        },
        "pairs_by_scope": {name: int(c) for name, c in zip(SCOPES, counts)},
        "scope_shares": {
            name: (float(c / counts.sum()) if counts.sum() else None) for name, c in zip(SCOPES, counts)
        },
        "with_international_tie": int((nodes["international_degree"] > 0).sum()),
        "ei_index": _finite(network_ei(network, groups=group_by, layer_weights=layer_weights)),
        "assortativity_country": _finite(assortativity),
        "communities": int(nodes["community"].nunique()),
        "components": len(components),
        "largest_component": max(components.sizes()) if network.n_orgs else 0,
        "first_year": None if years.empty else int(years.min()),
        "last_year": None if years.empty else int(years.max()),
    }


def _finite(value: float | None) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)


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
