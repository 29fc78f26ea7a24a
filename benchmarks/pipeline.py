"""Time every stage of the netcluster pipeline, and the same pipeline written with networkx, side by side.

    python benchmarks/pipeline.py --size S|M|L|cordis [--networkx] [--workdir DIR] [--seed N]
                                  [--networkx-limit SECONDS] [--networkx-sources N] [--workers N]
                                  [--accuracy | --accuracy-only] [--accuracy-samples K ...]
                                  [--accuracy-seeds N] [--exact-cache DIR] [--exact-workers N]
                                  [--profile [STAGE ...]] [--data DIR] [--smoke]

Results, with the machine and versions: ``docs/benchmarks.md``, section Pipeline.

``--size``: the synthetic records of ``generate.py`` (``XS`` 500, ``S`` 10k,
``M`` 100k, ``L`` 1M organisations; seed ``--seed``, written as Parquet into
``--workdir``, a temporary folder by default, and reused when already there),
or ``cordis``: ``cordis_h2020_participations.csv.gz`` with
``cordis_h2020_organisations_2017.csv.gz`` from ``--data``. No home set: every
organisation with a country is a member and a bridge-centrality source, the
most work the pipeline can be given.

The stages (:data:`STAGES`), each timed for wall time and peak memory:

========================  ==============================================  ==================================================
stage                     netcluster                                      networkx pipeline (``--networkx``)
========================  ==============================================  ==================================================
load                      ``build_network`` reading the files and         pandas reads the same files and joins the
                          making the organisations table                  organisations' attributes
project                   ``build_network`` projecting the events         the bipartite organisation-event ``nx.Graph``
                          (``loaders.build._ties``: codes, the numpy      (events of 2 to 100 organisations, as
                          projection; the network's tables), then         netcluster projects them), then networkx's
                          ``to_csr`` (the graph every later stage         ``bipartite.weighted_projected_graph``
                          reads; the igraph graph is built where first
                          needed, in communities)
scopes                    ``analyze``: selection, scope degrees           one pass over ``G.edges``, counting per node
node measures             ``analyze``: local clustering, brokerage,       ``nx.clustering`` per locality, brokerage by
                          E-I, structural holes, roles                    listing every pair of partners, E-I by
                                                                          neighbours, ``nx.effective_size``,
                                                                          ``nx.constraint``, roles
bridge centrality         ``analyze``: ``bridge_centrality`` (exact at    ``nx.betweenness_centrality_subset`` per source
                          S and below, sampled by default above)          country, doubled (networkx issue 3481); run on
                                                                          ``--networkx-sources`` sources and extrapolated
                                                                          to as many sources as netcluster used
communities               ``analyze``: Leiden, community roles            ``nx.community.louvain_communities`` (networkx
                                                                          has no Leiden of its own), modularity,
                                                                          participation and within-module z
groups                    ``analyze``: group tables (countries,           per country and region: ties, density, E-I,
                          regions), summary                               concentration, external reach within 2 steps
                                                                          (``single_source_shortest_path_length``) and
                                                                          gatekeeper dependency (``restricted_view``);
                                                                          components, assortativity
gaps                      ``find_gaps``                                   the same four findings, searched with networkx
report                    ``write_report`` (suggestions included)         none: networkx has no report
========================  ==============================================  ==================================================

After its last stage the networkx process also times, for reference, the
projection as a networkx user might hand-write it instead of calling
networkx's: a ``Counter`` of ``itertools.combinations`` per event, then one
``nx.Graph`` (printed below the table, as "project, plain Python").

Each pipeline runs in its own fresh process (spawned; ``import netcluster``,
or ``import networkx``, before the first stage and not counted), one after
the other. Memory: before each stage the process resets its kernel
high-water mark of resident memory (``echo 5 > /proc/self/clear_refs``), and
after it reads ``VmHWM`` from ``/proc/self/status``: "peak" is the largest
resident set size during that stage (everything the process holds, earlier
stages' data included), "+peak" is that peak minus the resident size when the
stage began, i.e. the extra memory the stage needed at its worst. Where the
reset is not allowed, peaks fall back to the process-lifetime
``getrusage`` ``ru_maxrss`` and the output says so.

networkx runs only with ``--networkx``, and never at L (its graph of 5M edges
alone would take several GiB of Python objects, and the pure-Python stages
hours). Each networkx stage is stopped after ``--networkx-limit`` seconds
(default 600; a ``SIGALRM`` timer): the table then shows "> limit" and the
ratio as a lower bound; stages that need a stopped stage's output are
skipped, with the reason. Bridge centrality with networkx runs
``--networkx-sources`` randomly chosen sources (default 200) and its time is
scaled to netcluster's number of sources (one breadth-first search over the
whole graph per source: linear in the sources); the table marks it "~".
networkx's whole-graph ``effective_size`` forms a dense n x n array, so above
20,000 organisations it is called node by node (``nodes=list(G)``, Borgatti's
formula on each ego network), as a networkx user would have to.

Checks (not timed): both pipelines save their node measures and the figures
are compared: partner pairs, scope degrees, clustering, brokerage, structural
holes, modularity, findings; and netcluster's ``bridge_centrality`` with the
networkx run's sources as the home set (exact) against networkx's values on
those sources, doubled.

``--workers N``: ``analyze(workers=N)``, bridge centrality's searches in N
forked processes (their largest resident size is printed; the cpu column
counts the main process only).

``--accuracy`` (after the timed run) or ``--accuracy-only`` (instead of it):
in another fresh process, exact bridge centrality (computed by
``--exact-workers`` processes, default 2, each over its share of the sources
as a home set, and cached in ``--exact-cache``, default the work folder)
against the sampled estimate at ``--accuracy-samples``
sources (default: netcluster's default sample size, and 2x and 4x it) for
``--accuracy-seeds`` seeds: Spearman correlation over the organisations with
an exact value above 0 and over the exact top 100, overlap of the top 50 and
top 100, median relative error of the top 20, share of the top 20 within 2
standard errors, time.

``--profile``: after the timed run, the netcluster pipeline once more in a
fresh process with one cProfile profiler per stage (the stages named, or all);
prints each stage's top functions and writes ``<stage>.prof`` files into the
work folder.

``--smoke``: the quick run the test suite makes (size XS, networkx on, 10
networkx bridge sources, 60 s stage limit). Timings never go into tests.

This is a script, not a test: the machine is shared, so read the times as rough.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import math
import multiprocessing
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
SYNTHETIC = ("XS", "S", "M", "L")

#: The benchmark's stages, in pipeline order.
STAGES = ("load", "project", "scopes", "node measures", "bridge centrality", "communities", "groups", "gaps",
          "report")

#: netcluster.analyze's progress stages (ANALYSIS_STAGES) -> benchmark stage.
ANALYZE_STAGE = {
    "selection": "scopes",
    "scope degrees": "scopes",
    "bridge centrality": "bridge centrality",
    "local clustering": "node measures",
    "brokerage": "node measures",
    "structural holes": "node measures",
    "roles": "node measures",
    "communities": "communities",
    "groups": "groups",
    "summary": "groups",
}

#: Targets of issue 9: stage -> least networkx/netcluster ratio at M.
RATIO_TARGETS = {"project": 50, "scopes": 50, "bridge centrality": 30, "communities": 20}
L_SECONDS, L_GIB, CORDIS_SECONDS = 600, 12, 60

MAX_EVENT_SIZE = 100  # build_network's default: larger events are not projected
HOPS, TOP_SHARE, MAX_GROUPS_FOR_REACH = 2, 0.10, 200  # analyze's and group_table's defaults
DENSE_LIMIT = 20_000  # organisations above which networkx's whole-graph effective_size is not called


# -- memory and time per stage --------------------------------------------------------------
def _status_kib(field: str) -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _rss_mib() -> float:
    try:
        return _status_kib("VmRSS") / 1024
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> bool:
    """Reset the kernel's high-water mark of resident memory (Linux >= 4.0); False if not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def _peak_mib() -> float:
    try:
        return _status_kib("VmHWM") / 1024
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Meter:
    """Wall time and peak resident memory per stage (and per named step inside a stage)."""

    def __init__(self, label: str, profile: set[str] | None = None) -> None:
        self.label = label
        self.stages: dict[str, dict[str, Any]] = {}
        self.steps: list[tuple[str, str, float]] = []
        self.peak_reset = True
        self._open: tuple[str, str, float, float, float] | None = None
        self._profile = profile
        self._profiler: Any = None
        self.profiles: dict[str, Any] = {}

    def switch(self, stage: str, step: str | None = None) -> None:
        self.stop()
        self.peak_reset = _reset_peak() and self.peak_reset
        if self._profile is not None and stage in self._profile:
            import cProfile

            self._profiler = self.profiles.setdefault(stage, cProfile.Profile())
            self._profiler.enable()
        self._open = (stage, step or stage, _rss_mib(), time.perf_counter(), time.process_time())
        print(f"  [{self.label} {time.strftime('%H:%M:%S')}] {stage}" + (f": {step}" if step else ""),
              file=sys.stderr, flush=True)

    def stop(self) -> None:
        if self._open is None:
            return
        seconds = time.perf_counter() - self._open[3]
        cpu = time.process_time() - self._open[4]
        if self._profiler is not None:
            self._profiler.disable()
            self._profiler = None
        stage, step, start_mib = self._open[:3]
        peak = max(_peak_mib(), start_mib)
        row = self.stages.setdefault(stage, {"seconds": 0.0, "cpu": 0.0, "peak_mib": 0.0, "start_mib": start_mib})
        row["seconds"] += seconds
        row["cpu"] += cpu
        row["peak_mib"] = max(row["peak_mib"], peak)
        self.steps.append((stage, step, seconds))
        self._open = None

    def mark(self, stage: str, **fields: Any) -> None:
        self.stages.setdefault(stage, {"seconds": 0.0, "cpu": 0.0, "peak_mib": 0.0, "start_mib": 0.0}).update(fields)


class StageTimeout(Exception):
    """A networkx stage ran past --networkx-limit."""


def _alarm(signum: int, frame: Any) -> None:
    raise StageTimeout


# -- inputs -------------------------------------------------------------------------------------
def _files(size: str, data: Path, workdir: Path) -> dict[str, Path]:
    if size == "cordis":
        return {"partnerships": data / "cordis_h2020_participations.csv.gz",
                "organisations": data / "cordis_h2020_organisations_2017.csv.gz"}
    return {"partnerships": workdir / "participations.parquet",
            "organisations": workdir / "organisations.parquet"}


def _generate(size: str, outdir: Path, seed: int) -> float:
    """Run generate.py's main in this (separate) process; returns its wall time."""
    sys.path.insert(0, str(HERE))
    import generate

    start = time.perf_counter()
    generate.main([size, str(outdir), "--seed", str(seed)])
    return time.perf_counter() - start


def bridge_subset(ids: list[str], n: int, seed: int) -> list[str]:
    """``n`` organisations drawn at random from ``ids`` (as strings): networkx's bridge sources.

    Both pipelines call this with the ids of the organisations of known country,
    so that the check runs netcluster on the same sources.
    """
    import numpy as np

    pool = sorted(set(ids))
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(pool), size=min(n, len(pool)), replace=False)
    return sorted(pool[i] for i in pick)


# -- the netcluster pipeline ------------------------------------------------------------------------
def run_netcluster(size: str, files: dict[str, Path], outdir: Path, seed: int, nx_sources: int | None,
                   profile: list[str] | None = None, workers: int = 1) -> dict:
    """In a fresh process: the whole netcluster pipeline, stage by stage."""
    import pandas as pd

    import netcluster
    import netcluster.loaders.build as build_module
    from netcluster.analyze import ANALYSIS_STAGES
    from netcluster.metrics import bridge_centrality

    missing = set(ANALYSIS_STAGES) ^ set(ANALYZE_STAGE)
    if missing:
        raise RuntimeError(f"analyze's stages changed ({sorted(missing)}): update ANALYZE_STAGE")
    after_imports = _rss_mib()
    meter = Meter("netcluster", None if profile is None else set(profile))

    def build_step(name: str) -> None:
        meter.switch("load", "organisations table" if name == "building the network" else name)

    # build_network's "building the network" step makes the organisations table, then projects
    # (loaders.build._ties): the projection is timed as "project" by wrapping that function
    original_ties = build_module._ties

    def projecting(*args: Any, **kwargs: Any) -> Any:
        meter.switch("project", "project events (build_network)")
        return original_ties(*args, **kwargs)

    build_module._ties = projecting
    meter.switch("load", "start")
    try:
        network = netcluster.build_network(partnerships=files["partnerships"],
                                           organisations=files["organisations"], progress=build_step)
    finally:
        build_module._ties = original_ties
    meter.switch("project", "to_csr")
    network.to_csr()  # the igraph graph (to_igraph) is built where first needed: in communities
    parallel = {"workers": workers} if workers != 1 else {}
    result = netcluster.analyze(network, seed=seed, progress=lambda name: meter.switch(ANALYZE_STAGE[name], name),
                                **parallel)
    meter.switch("gaps", "find_gaps")
    gaps = netcluster.find_gaps(result)
    meter.switch("report", "write_report")
    report = netcluster.write_report(result, outdir / "report.html", gaps=gaps)
    meter.stop()

    out: dict[str, Any] = {"stages": meter.stages, "steps": meter.steps, "after_imports_mib": after_imports,
                           "peak_reset": meter.peak_reset, "workers": workers,
                           "children_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}
    if profile is not None:
        _print_profiles(meter.profiles, outdir)
        return out
    nodes, params = result.nodes, result.params
    out.update({
        "orgs": network.n_orgs,
        "pairs": int(result.summary["partner_pairs"]),
        "tie_records": len(network.ties),
        "events": int(network.events["event"].nunique()),
        "communities": int(result.summary["communities"]),
        "modularity": float(result.summary["modularity"]),
        "bridge_exact": bool(params["exact"]),
        "bridge_sources": int(params["bridge_sources"]),
        "gaps": {str(k): int(v) for k, v in gaps["kind"].value_counts().items()},
        "report_mb": report.stat().st_size / 1e6,
        "report_mode": "aggregated" if network.n_orgs > 5000 else "organisations",
    })
    table = pd.DataFrame({
        "org_id": nodes.index.astype(str),
        **{c: nodes[c].to_numpy() for c in ("degree", "strength", "local_degree", "national_degree",
                                           "international_degree", "unknown_degree", "local_clustering",
                                           "gf_total", "effective_size", "constraint", "bridge_centrality",
                                           "participation")},
    })
    if nx_sources:
        known = nodes.index[nodes["country"].notna()].astype(str).tolist()
        subset = bridge_subset(known, nx_sources, seed)
        check = bridge_centrality(network, home=subset, exact=True)
        table["bridge_subset"] = check["bridge_centrality"].to_numpy()
        out["bridge_subset_pairs"] = int(check.attrs["bridge_centrality"]["pairs"])
    table.to_parquet(outdir / "netcluster_nodes.parquet")
    out["gap_organisations"] = sorted(set(map(str, gaps.loc[gaps["kind"] == "single_point_of_failure",
                                                              "organisations"].str[0])))
    return out


def _print_profiles(profiles: dict[str, Any], outdir: Path) -> None:
    import io
    import pstats

    for stage, profiler in profiles.items():
        path = outdir / f"{stage.replace(' ', '_')}.prof"
        profiler.dump_stats(path)
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(30)
        print(f"\n===== cProfile: {stage} ({path}) =====")
        print(text.getvalue())
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(15)
        print(text.getvalue())


# -- the networkx pipeline ------------------------------------------------------------------------------
def run_networkx(size: str, files: dict[str, Path], outdir: Path, seed: int, limit: float, n_sources: int,
                 nc_sources: int) -> dict:
    """In a fresh process: the same pipeline written with networkx (and pandas for reading)."""
    import signal

    import networkx as nx  # noqa: F401  (imported before the first stage, like netcluster)
    import numpy as np  # noqa: F401
    import pandas as pd

    after_imports = _rss_mib()
    meter = Meter("networkx")
    state: dict[str, Any] = {"seed": seed}
    done: set[str] = set()
    signal.signal(signal.SIGALRM, _alarm)
    plan: list[tuple[str, Callable[[dict], None], tuple[str, ...]]] = [
        ("load", lambda s: _nx_load(s, size, files), ()),
        ("project", _nx_project, ("load",)),
        ("scopes", _nx_scopes, ("project",)),
        ("node measures", _nx_node_measures, ("scopes",)),
        ("bridge centrality", lambda s: _nx_bridges(s, n_sources, nc_sources), ("project",)),
        ("communities", _nx_communities, ("project",)),
        ("groups", _nx_groups, ("scopes", "bridge centrality")),
        ("gaps", _nx_gaps, ("scopes", "communities")),
        (PYTHON_PROJECT, _python_project, ("load",)),
    ]
    for stage, work, needs in plan:
        lacking = [n for n in needs if n not in done]
        if lacking:
            meter.mark(stage, skipped=f"needs {', '.join(lacking)}")
            continue
        state["meter"], state["stage"] = meter, stage
        meter.switch(stage)
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            work(state)
        except StageTimeout:
            meter.stop()
            meter.mark(stage, stopped=limit)
            continue
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        meter.stop()
        done.add(stage)
    meter.mark("report", skipped="networkx has no report")
    if "bridge centrality" in state.get("extrapolated", {}):
        meter.mark("bridge centrality", **state["extrapolated"]["bridge centrality"])

    columns = {k: v for k, v in state.get("columns", {}).items()}
    if columns:
        frame = pd.DataFrame(columns)
        frame.index = frame.index.astype(str)
        frame.index.name = "org_id"
        frame.reset_index().to_parquet(outdir / "networkx_nodes.parquet")
    return {"stages": meter.stages, "steps": meter.steps, "after_imports_mib": after_imports,
            "peak_reset": meter.peak_reset, **state.get("figures", {})}


def _step(state: dict, name: str) -> None:
    state["meter"].switch(state["stage"], name)


def _nx_load(state: dict, size: str, files: dict[str, Path]) -> None:
    import pandas as pd

    if size == "cordis":
        parts = pd.read_csv(files["partnerships"], usecols=["rcn", "pic", "country", "start_year"], dtype=str,
                            keep_default_na=False, na_values=[""])
        parts = parts.rename(columns={"rcn": "event", "pic": "org", "start_year": "year"})
        orgs = pd.read_csv(files["organisations"], usecols=["orgId", "name", "country"], dtype=str,
                           keep_default_na=False, na_values=[""])
        orgs = orgs.rename(columns={"orgId": "org"}).drop_duplicates("org").assign(region=None)
    else:
        parts = pd.read_parquet(files["partnerships"], columns=["project_id", "org_id", "country", "year"])
        parts = parts.rename(columns={"project_id": "event", "org_id": "org"})
        orgs = pd.read_parquet(files["organisations"], columns=["org_id", "name", "country", "region"])
        orgs = orgs.rename(columns={"org_id": "org"})
    # every organisation named in the participations, with the organisation table's attributes,
    # the participations' country where the table has none
    carried = parts.groupby("org", sort=False)["country"].first()
    table = orgs.set_index("org").reindex(carried.index)
    table["country"] = table["country"].fillna(carried)
    state["parts"], state["orgs"] = parts[["event", "org", "year"]], table


def _nx_project(state: dict) -> None:
    """networkx's own projection: the bipartite organisation-event graph, ``weighted_projected_graph``."""
    import networkx as nx
    import pandas as pd
    from networkx.algorithms import bipartite

    parts, orgs = state["parts"], state["orgs"]
    members = parts[["event", "org"]].drop_duplicates()
    size = members.groupby("event", sort=False)["org"].transform("size")
    kept = members[(size >= 2) & (size <= MAX_EVENT_SIZE)]
    _step(state, "bipartite graph")
    events = pd.unique(kept["event"]).tolist()
    two_mode = nx.Graph()
    two_mode.add_nodes_from(orgs.index, bipartite=0)
    two_mode.add_nodes_from((("event", e) for e in events), bipartite=1)
    two_mode.add_edges_from(zip(kept["org"], (("event", e) for e in kept["event"])))
    _step(state, "weighted_projected_graph")
    graph = bipartite.weighted_projected_graph(two_mode, orgs.index)
    del two_mode
    _step(state, "attributes")
    nx.set_node_attributes(graph, {org: c for org, c in zip(orgs.index, orgs["country"]) if isinstance(c, str)},
                           "country")
    nx.set_node_attributes(graph, {org: r for org, r in zip(orgs.index, orgs["region"]) if isinstance(r, str)},
                           "region")
    state["graph"] = graph
    state.setdefault("figures", {}).update(orgs=graph.number_of_nodes(), pairs=graph.number_of_edges())


def _python_project(state: dict) -> None:
    """For reference, not networkx: a ``Counter`` of ``itertools.combinations`` per event, then ``nx.Graph``."""
    import itertools
    from collections import Counter

    import networkx as nx

    parts, orgs = state["parts"], state["orgs"]
    per_event = parts[["event", "org"]].drop_duplicates().groupby("event", sort=False)["org"].agg(list)
    pairs: Counter = Counter()
    for group in per_event:
        if 2 <= len(group) <= MAX_EVENT_SIZE:
            pairs.update(itertools.combinations(sorted(group), 2))
    graph = nx.Graph()
    graph.add_nodes_from(orgs.index)
    graph.add_weighted_edges_from((u, v, w) for (u, v), w in pairs.items())
    state.setdefault("figures", {})["python_pairs"] = graph.number_of_edges()


#: Not a stage of the table: the projection written as plain Python (a Counter of pairs), for reference.
PYTHON_PROJECT = "project, plain Python"

SCOPE_NAMES = ("local", "national", "international", "unknown")


def _nx_scopes(state: dict) -> None:
    graph = state["graph"]
    country = dict(graph.nodes(data="country"))
    region = dict(graph.nodes(data="region"))
    degree = {v: [0, 0, 0, 0] for v in graph}
    strength = {v: [0.0, 0.0, 0.0, 0.0] for v in graph}
    for u, v, w in graph.edges(data="weight"):
        cu, cv = country[u], country[v]
        if cu is None or cv is None:
            scope = 3
        elif cu != cv:
            scope = 2
        elif region[u] is not None and region[u] == region[v]:
            scope = 0
        else:
            scope = 1
        degree[u][scope] += 1
        degree[v][scope] += 1
        strength[u][scope] += w
        strength[v][scope] += w
    openness = {}
    for v, counts in degree.items():
        known = counts[0] + counts[1] + counts[2]
        openness[v] = counts[2] / known if known else math.nan
    state.update(country=country, region=region, scope_degree=degree, scope_strength=strength,
                 openness=openness)
    columns = state.setdefault("columns", {})
    columns["degree"] = {v: sum(c) for v, c in degree.items()}
    for i, name in enumerate(SCOPE_NAMES):
        columns[f"{name}_degree"] = {v: c[i] for v, c in degree.items()}


def _nx_node_measures(state: dict) -> None:
    import itertools
    from collections import defaultdict

    import networkx as nx
    import numpy as np

    graph, country, region = state["graph"], state["country"], state["region"]
    columns = state["columns"]
    _step(state, "local clustering")
    localities: dict[tuple, list] = defaultdict(list)
    for v in graph:
        if country[v] is not None and region[v] is not None:
            localities[(country[v], region[v])].append(v)
    clustering: dict[Any, float] = {}
    for members in localities.values():
        sub = graph.subgraph(members)
        coefficients = nx.clustering(sub)
        for v in members:
            clustering[v] = coefficients[v] if sub.degree(v) >= 2 else math.nan
    columns["local_clustering"] = clustering

    _step(state, "brokerage")
    roles = {}
    for b in graph:
        adjacency = graph[b]
        counts = [0, 0, 0, 0, 0]  # open two-paths; coordinator, itinerant, gatekeeper, liaison
        gb = country[b]
        for a, c in itertools.combinations(adjacency, 2):
            if c in graph[a]:
                continue
            counts[0] += 1
            ga, gc = country[a], country[c]
            if ga is None or gb is None or gc is None:
                continue
            if ga == gb == gc:
                counts[1] += 1
            elif ga == gc:
                counts[2] += 1
            elif ga == gb or gc == gb:
                counts[3] += 1
            else:
                counts[4] += 1
        roles[b] = counts
    columns["gf_total"] = {v: sum(c[1:]) for v, c in roles.items()}

    _step(state, "E-I index")
    ei = {}
    for v in graph:
        if country[v] is None:
            ei[v] = math.nan
            continue
        inside = outside = 0
        for w in graph[v]:
            if country[w] is None:
                continue
            if country[w] == country[v]:
                inside += 1
            else:
                outside += 1
        ei[v] = (outside - inside) / (outside + inside) if inside + outside else math.nan
    columns["ei_index"] = ei

    _step(state, "structural holes")
    whole = graph.number_of_nodes() <= DENSE_LIMIT
    columns["effective_size"] = nx.effective_size(graph) if whole else nx.effective_size(graph, nodes=list(graph))
    columns["constraint"] = nx.constraint(graph)

    _step(state, "roles")
    local = np.array([state["scope_degree"][v][0] for v in graph], dtype=float)
    openness = np.array([state["openness"][v] for v in graph], dtype=float)
    known = np.array([country[v] is not None for v in graph])
    hi_local = local >= np.nanmean(local[known])
    hi_open = openness >= np.nanmean(openness[known])
    labels = np.where(hi_local, np.where(hi_open, "star", "local star"),
                      np.where(hi_open, "external star", "isolated"))
    columns["gb_role"] = dict(zip(graph, labels.tolist()))


def _nx_bridges(state: dict, n_sources: int, nc_sources: int) -> None:
    from collections import Counter, defaultdict

    import networkx as nx

    graph = state["graph"]
    country = {v: c for v, c in graph.nodes(data="country") if c is not None}
    by_id = {str(v): v for v in country}
    sources = [by_id[s] for s in bridge_subset(list(by_id), n_sources, state["seed"])]
    size = Counter(country.values())
    n_known = len(country)
    grouped = defaultdict(list)
    for s in sources:
        grouped[country[s]].append(s)
    start = time.perf_counter()
    partial: dict[Any, float] = defaultdict(float)
    for code, chosen in grouped.items():
        targets = [v for v, c in country.items() if c != code]
        values = nx.betweenness_centrality_subset(graph, chosen, targets, normalized=False)
        for v, x in values.items():
            partial[v] += 2.0 * x  # networkx halves undirected subset values (issue 3481)
    seconds = time.perf_counter() - start
    pairs_subset = sum(n_known - size[country[s]] for s in sources)
    pairs_all = sum(size[c] * (n_known - size[c]) for c in size)
    columns = state["columns"]
    columns["bridge_subset"] = {v: partial.get(v, 0.0) / pairs_subset if pairs_subset else 0.0 for v in graph}
    # Horvitz-Thompson estimate over all sources from this uniform sample
    scale = n_known / len(sources) / pairs_all if sources and pairs_all else 0.0
    state["bridge"] = {v: partial.get(v, 0.0) * scale for v in graph}
    columns["bridge_centrality"] = state["bridge"]
    if len(sources) < nc_sources:
        state.setdefault("extrapolated", {})["bridge centrality"] = {
            "measured_seconds": seconds, "measured_sources": len(sources),
            "seconds_extrapolated": seconds * nc_sources / len(sources), "sources": nc_sources}


def _nx_communities(state: dict) -> None:
    import numpy as np

    import networkx as nx

    graph = state["graph"]
    found = nx.community.louvain_communities(graph, weight="weight", seed=state["seed"])
    _step(state, "modularity")
    modularity = nx.community.modularity(graph, found, weight="weight")
    _step(state, "community roles")
    community = {v: i for i, members in enumerate(found) for v in members}
    participation, own = {}, {}
    for v in graph:
        k = graph.degree(v)
        per: dict[int, int] = {}
        for w in graph[v]:
            per[community[w]] = per.get(community[w], 0) + 1
        participation[v] = 1.0 - sum((c / k) ** 2 for c in per.values()) if k else math.nan
        own[v] = per.get(community[v], 0)
    z = {}
    for members in found:
        values = np.array([own[v] for v in members], dtype=float)
        mean, std = values.mean(), values.std()
        for v, x in zip(members, values):
            z[v] = (x - mean) / std if std > 0 else 0.0
    state["community"] = community
    state["columns"]["participation"] = participation
    state["columns"]["community"] = community
    state.setdefault("figures", {}).update(communities=len(found), modularity=float(modularity))


def _nx_reach(graph: Any, start: Any, country: dict) -> float:
    import networkx as nx

    home = country[start]
    if home is None:
        return 0.0
    total = 0.0
    for other, d in nx.single_source_shortest_path_length(graph, start, cutoff=HOPS).items():
        c = country[other]
        if d and c is not None and c != home:
            total += 1.0 / d
    return total


def _nx_groups(state: dict) -> None:
    from collections import defaultdict

    import networkx as nx

    graph, country, region = state["graph"], state["country"], state["region"]
    bridge = state["bridge"]
    foreign = {v: c[2] for v, c in state["scope_degree"].items()}
    _step(state, "ties, density, E-I, concentration")
    partitions = {
        "country": {v: c for v, c in country.items() if c is not None},
        "region": {v: (country[v], region[v]) for v in graph if country[v] is not None and region[v] is not None},
    }
    rows = {}
    for kind, label in partitions.items():
        members: dict[Any, list] = defaultdict(list)
        for v, g in label.items():
            members[g].append(v)
        internal: dict[Any, int] = defaultdict(int)
        external: dict[Any, int] = defaultdict(int)
        for u, v in graph.edges():
            gu, gv = label.get(u), label.get(v)
            if gu is None or gv is None:
                continue
            if gu == gv:
                internal[gu] += 1
            else:
                external[gu] += 1
                external[gv] += 1
        for g, vs in members.items():
            n = len(vs)
            x = sorted(foreign[v] for v in vs)
            total = sum(x)
            rows[(kind, g)] = {
                "organisations": n,
                "density": 2 * internal[g] / (n * (n - 1)) if n > 1 else math.nan,
                "ei_index": ((external[g] - 2 * internal[g]) / (external[g] + 2 * internal[g])
                             if external[g] + internal[g] else math.nan),
                "share_international": sum(1 for y in x if y) / n,
                "intl_hhi": sum((y / total) ** 2 for y in x) if total else math.nan,
                "intl_gini": (2 * sum((i + 1) * y for i, y in enumerate(x)) / (n * total) - (n + 1) / n
                              if total else math.nan),
            }
    _step(state, "external reach")
    reach = {v: _nx_reach(graph, v, country) for v in graph}
    _step(state, "gatekeeper dependency")
    for kind, label in partitions.items():
        members = defaultdict(list)
        for v, g in label.items():
            members[g].append(v)
        largest = sorted((g for g, vs in members.items() if len(vs) >= 2), key=lambda g: -len(members[g]))
        for g in largest[:MAX_GROUPS_FOR_REACH]:
            vs = members[g]
            k = math.ceil(TOP_SHARE * len(vs) - 1e-9)
            removed = sorted(vs, key=lambda v: (-bridge[v], str(v)))[:k]
            before = sum(reach[v] for v in vs)
            view = nx.restricted_view(graph, removed, [])
            gone = set(removed)
            after = sum(_nx_reach(view, v, country) for v in vs if v not in gone)
            rows[(kind, g)].update(external_reach=before,
                                   gatekeeper_dependency=(before - after) / before if before else math.nan)
    _step(state, "summary")
    components = nx.number_connected_components(graph)
    known = graph.subgraph([v for v in graph if country[v] is not None])
    assortativity = nx.attribute_assortativity_coefficient(known, "country")
    state.setdefault("figures", {}).update(groups=len(rows), components=components,
                                           assortativity=float(assortativity))


def _nx_gaps(state: dict) -> None:
    import networkx as nx

    graph, country, community = state["graph"], state["country"], state["community"]
    foreign = {v: c[2] for v, c in state["scope_degree"].items()}
    members = [v for v in graph if country[v] is not None]
    findings = {"no_international_tie": sum(1 for v in members if foreign[v] == 0)}
    _step(state, "communities without a bridge")
    groups: dict[int, list] = {}
    for v in members:
        groups.setdefault(community[v], []).append(v)
    findings["community_without_bridge"] = sum(
        1 for vs in groups.values() if len(vs) >= 2 and not any(foreign[v] for v in vs))
    _step(state, "single points of failure")

    def abroad(v: Any, home: str) -> bool:
        return country[v] is not None and country[v] != home

    cut: dict[Any, list] = {}
    for m in members:
        home = country[m]
        parent = {m: None}
        frontier, path = [m], None
        for _ in range(HOPS):
            found = []
            for node in frontier:
                for nxt in graph[node]:
                    if nxt not in parent:
                        parent[nxt] = node
                        found.append(nxt)
            hits = [x for x in found if abroad(x, home)]
            if hits:
                node, path = min(hits, key=str), []
                while node != m:
                    path.append(node)
                    node = parent[node]
                break
            frontier = found
        if path is None or foreign[m] > 1:
            continue
        for broker in path:
            view = nx.restricted_view(graph, [broker], [])
            reach = nx.single_source_shortest_path_length(view, m, cutoff=HOPS)
            if not any(abroad(x, home) for x in reach):
                cut.setdefault(broker, []).append(m)
    findings["single_point_of_failure"] = len(cut)
    _step(state, "concentration")
    counts = sorted(((foreign[v], str(v)) for v in members), key=lambda t: (-t[0], t[1]))
    k = max(1, math.ceil(TOP_SHARE * len(members) - 1e-9))
    total = sum(c for c, _ in counts)
    held = sum(c for c, _ in counts[:k]) / total if total else 0.0
    findings["concentration"] = int(held >= 0.5)
    state.setdefault("figures", {}).update(gaps=findings, gap_organisations=sorted(map(str, cut)))


# -- accuracy of sampled bridge centrality -------------------------------------------------------------
def _exact_part(files: dict[str, Path], home: list[int]) -> tuple[Any, int, float]:
    """In a worker process: the exact sum over the sources ``home`` (organisation codes), and its pairs."""
    import netcluster
    from netcluster.metrics import bridge_centrality

    network = netcluster.build_network(partnerships=files["partnerships"], organisations=files["organisations"])
    start = time.perf_counter()
    table = bridge_centrality(network, home=network.org_ids[home].tolist(), exact=True)
    pairs = int(table.attrs["bridge_centrality"]["pairs"])
    return table["bridge_centrality"].to_numpy() * pairs, pairs, time.perf_counter() - start


def exact_bridges(files: dict[str, Path], network: Any, workers: int) -> tuple[Any, float, float]:
    """Exact bridge centrality over every source, the sources split among ``workers`` processes.

    The known organisations are dealt round-robin (in a seeded random order) to
    the workers; each computes the exact sums over its sources (a home set) and
    their pairs; c(v) = sum of the sums / sum of the pairs, as over all sources
    at once. Returns the values, the wall time and the CPU seconds of the
    workers' ``bridge_centrality`` calls.
    """
    import numpy as np

    from netcluster.geography import country_codes

    known = np.flatnonzero(country_codes(network.orgs) >= 0)
    shuffled = np.random.default_rng(0).permutation(known)
    parts = [np.sort(shuffled[i::workers]).tolist() for i in range(workers)]
    start = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        done = list(pool.map(_exact_part, [files] * workers, parts))
    wall = time.perf_counter() - start
    total = sum(d[0] for d in done)
    pairs = sum(d[1] for d in done)
    return (total / pairs if pairs else total), wall, sum(d[2] for d in done)


def run_accuracy(files: dict[str, Path], cache_dir: Path, tag: str, samples: list[int], seeds: int,
                 workers: int) -> dict:
    """In a fresh process: exact against sampled bridge centrality."""
    import numpy as np
    import pandas as pd
    from scipy.stats import spearmanr

    import netcluster
    from netcluster.metrics import bridge_centrality
    from netcluster.metrics.bridges import DEFAULT_SAMPLES

    network = netcluster.build_network(partnerships=files["partnerships"], organisations=files["organisations"])
    cache = cache_dir / f"bridge_exact_{tag}_netcluster{netcluster.__version__}.parquet"
    out: dict[str, Any] = {"default_samples": DEFAULT_SAMPLES, "rows": [], "workers": workers}
    if cache.is_file():
        exact = pd.read_parquet(cache)["bridge_centrality"].to_numpy()
        out["exact_seconds"] = None
    else:
        exact, out["exact_seconds"], out["exact_cpu"] = exact_bridges(files, network, workers)
        pd.DataFrame({"org_id": network.org_ids.astype(str), "bridge_centrality": exact}).to_parquet(cache)
    out["cache"] = str(cache)
    positive = exact > 0
    order = np.argsort(-exact, kind="stable")
    top = {k: set(order[:k].tolist()) for k in (20, 50, 100)}
    top100 = order[:100]
    for k in samples:
        for s in range(seeds):
            start = time.perf_counter()
            table = bridge_centrality(network, exact=False, samples=k, seed=s)
            seconds = time.perf_counter() - start
            est, se = table["bridge_centrality"].to_numpy(), table["bridge_centrality_se"].to_numpy()
            est_order = np.argsort(-est, kind="stable")
            top20 = order[:20]
            out["rows"].append({
                "samples": k, "seed": s, "seconds": seconds,
                "sources": int(table.attrs["bridge_centrality"]["sources"]),
                "rho_positive": float(spearmanr(exact[positive], est[positive]).statistic),
                "rho_top100": float(spearmanr(exact[top100], est[top100]).statistic),
                "top50": len(top[50] & set(est_order[:50].tolist())) / 50,
                "top100": len(top[100] & set(est_order[:100].tolist())) / 100,
                "err_top20": float(np.median(np.abs(est[top20] - exact[top20]) / exact[top20])),
                "within_2se": float(np.mean(np.abs(est[top20] - exact[top20]) <= 2 * se[top20])),
            })
    out["orgs"], out["positive"] = network.n_orgs, int(positive.sum())
    return out


# -- printing ---------------------------------------------------------------------------------------------------
def _seconds(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.2f}" if value < 10 else f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _mib(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}"


def _nx_cell(row: dict | None) -> tuple[str, float | None, str]:
    """(shown time, seconds to compare, note) of a networkx stage row."""
    if row is None:
        return "", None, ""
    if "skipped" in row:
        return "—", None, f"skipped: {row['skipped']}"
    if "stopped" in row:
        return f"> {row['stopped']:,.0f}", row["stopped"], f"stopped after {row['stopped']:,.0f} s (--networkx-limit)"
    if "seconds_extrapolated" in row:
        note = (f"~: {row['measured_seconds']:.1f} s for {row['measured_sources']} sources, "
                f"scaled to {row['sources']:,}")
        return f"~{_seconds(row['seconds_extrapolated'])}", row["seconds_extrapolated"], note
    return _seconds(row["seconds"]), row["seconds"], ""


def ratio_text(nc: float, nx_row: dict | None) -> tuple[str, float | None]:
    """The networkx / netcluster ratio as shown ('> 30x' for a stopped stage, '~12x' extrapolated)."""
    shown, seconds, _ = _nx_cell(nx_row)
    if seconds is None or nc <= 0:
        return ("n/a" if nx_row is not None else "", None)
    value = seconds / nc
    prefix = "> " if "stopped" in nx_row else "~" if "seconds_extrapolated" in nx_row else ""
    return f"{prefix}{value:,.1f}x" if value < 100 else f"{prefix}{value:,.0f}x", value


def print_table(nc: dict, nx: dict | None, nx_note: str | None) -> dict[str, float | None]:
    """The per-stage table (Markdown); returns the networkx / netcluster ratio per stage."""
    ratios: dict[str, float | None] = {}
    print("| stage | netcluster s | cpu s | peak MiB | +peak MiB | networkx s | cpu s | peak MiB | +peak MiB | "
          "networkx / netcluster | note |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    total_nc = cpu_nc = total_nx = compared_nc = 0.0
    bound = False
    empty = {"seconds": 0.0, "cpu": 0.0, "peak_mib": 0.0, "start_mib": 0.0}
    for stage in STAGES:
        row = nc["stages"].get(stage, empty)
        total_nc += row["seconds"]
        cpu_nc += row["cpu"]
        nx_row = nx["stages"].get(stage) if nx else None
        shown, nx_seconds, note = _nx_cell(nx_row)
        ratio, value = ratio_text(row["seconds"], nx_row)
        ratios[stage] = value
        nx_cpu = nx_peak = nx_delta = ""
        if nx_row and "skipped" not in nx_row:
            nx_peak = _mib(nx_row["peak_mib"])
            nx_delta = _mib(nx_row["peak_mib"] - nx_row["start_mib"])
            if "seconds_extrapolated" not in nx_row:
                nx_cpu = _seconds(nx_row["cpu"])
        if nx_row is not None and nx_seconds is not None:
            total_nx += nx_seconds
            compared_nc += row["seconds"]
            bound = bound or "stopped" in nx_row or "seconds_extrapolated" in nx_row
        print(f"| {stage} | {_seconds(row['seconds'])} | {_seconds(row['cpu'])} | {_mib(row['peak_mib'])} | "
              f"{_mib(row['peak_mib'] - row['start_mib'])} | {shown} | {nx_cpu} | {nx_peak} | {nx_delta} | "
              f"{ratio} | {note} |")
    peak = max(r["peak_mib"] for r in nc["stages"].values())
    line = f"| **total** | **{_seconds(total_nc)}** | {_seconds(cpu_nc)} | **{_mib(peak)}** | | "
    if nx and compared_nc:
        nx_peak = max((r.get("peak_mib", 0.0) for r in nx["stages"].values()), default=0.0)
        line += (f"{'≥ ' if bound else ''}{_seconds(total_nx)} | | {_mib(nx_peak)} | | "
                 f"{'≥ ' if bound else ''}{total_nx / compared_nc:,.1f}x | over the stages both ran "
                 f"(netcluster {_seconds(compared_nc)} s there) |")
    else:
        line += f"| | | | | {nx_note or ''} |"
    print(line)
    return ratios


def print_steps(label: str, result: dict) -> None:
    merged: dict[tuple[str, str], float] = {}
    for stage, step, seconds in result["steps"]:
        merged[(stage, step)] = merged.get((stage, step), 0.0) + seconds
    print(f"\n{label} steps (s): " + "; ".join(
        f"{stage}/{step} {seconds:.2f}" if step != stage else f"{stage} {seconds:.2f}"
        for (stage, step), seconds in merged.items()))


def compare(outdir: Path, nc: dict, nx: dict) -> list[str]:
    """Checks that the two pipelines computed the same things (lines to print)."""
    import numpy as np
    import pandas as pd

    lines = [f"partner pairs: netcluster {nc['pairs']:,}, networkx {nx.get('pairs', 0):,}"
             + (" (same)" if nc["pairs"] == nx.get("pairs") else " (DIFFERENT)")]
    a_path, b_path = outdir / "netcluster_nodes.parquet", outdir / "networkx_nodes.parquet"
    if not b_path.is_file():
        return lines
    a = pd.read_parquet(a_path).set_index("org_id")
    b = pd.read_parquet(b_path).set_index("org_id").reindex(a.index)

    def differ(column: str, tolerance: float = 1e-9) -> str | None:
        if column not in b or b[column].isna().all():
            return None
        x, y = a[column].to_numpy(dtype=float), b[column].to_numpy(dtype=float)
        both = ~np.isnan(x) & ~np.isnan(y)
        agree = both & (np.abs(x - y) <= tolerance * np.maximum(1.0, np.abs(x)))
        nan_agree = np.isnan(x) & np.isnan(y)
        share = (agree | nan_agree).mean()
        return f"{column} equal for {share:.2%} of organisations (max difference {np.nanmax(np.abs(x - y)):.3g})"

    for column in ("degree", "local_degree", "national_degree", "international_degree", "local_clustering",
                   "gf_total", "effective_size", "constraint", "bridge_subset"):
        text = differ(column, 1e-6)
        if text:
            lines.append(text)
    if "bridge_centrality" in b and not b["bridge_centrality"].isna().all():
        from scipy.stats import spearmanr

        x, y = a["bridge_centrality"].to_numpy(), b["bridge_centrality"].to_numpy()
        top = lambda v: set(np.argsort(-v, kind="stable")[:100].tolist())  # noqa: E731
        lines.append(f"bridge centrality, netcluster's estimate ({nc['bridge_sources']:,} sources"
                     f"{', exact' if nc['bridge_exact'] else ''}) against networkx's from its "
                     f"{nx['stages']['bridge centrality'].get('measured_sources', 'all')} sources: Spearman "
                     f"{spearmanr(x, y).statistic:.3f}, top-100 overlap {len(top(x) & top(y)) / 100:.2f}")
    if "modularity" in nx:
        lines.append(f"communities: netcluster Leiden {nc['communities']:,} (Q {nc['modularity']:.4f}), "
                     f"networkx Louvain {nx['communities']:,} (Q {nx['modularity']:.4f})")
    if "gaps" in nx:
        lines.append("findings (netcluster / networkx): " + ", ".join(
            f"{k} {nc['gaps'].get(k, 0):,} / {v:,}" for k, v in nx["gaps"].items()))
        if nx.get("gap_organisations") is not None:
            same = nx["gap_organisations"] == nc["gap_organisations"]
            lines.append(f"single points of failure: {'the same organisations' if same else 'DIFFERENT organisations'}")
    return lines


def _versions() -> str:
    from importlib import metadata

    names = ("numpy", "scipy", "pandas", "pyarrow", "duckdb", "igraph", "leidenalg", "networkx")
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    import netcluster

    return f"Python {platform.python_version()}, netcluster {netcluster.__version__}, " + ", ".join(found)


def _machine() -> str:
    cpu = "unknown CPU"
    memory = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                memory = f", MemTotal {int(line.split()[1]) / 1024**2:.1f} GiB"
                break
    except OSError:
        pass
    load = ", load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores ({cpu}){memory}{load}; {platform.platform()}"


def _in_fresh_process(context: Any, function: Callable, *args: Any) -> Any:
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(function, *args).result()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=[*SYNTHETIC, "cordis"], help="S, M, L, cordis (XS for the smoke run)")
    parser.add_argument("--networkx", action="store_true", help="also run the networkx pipeline (not at L)")
    parser.add_argument("--workdir", type=Path, help="synthetic records, node tables, report (default: temporary)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed, and analysis seed")
    parser.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data",
                        help="folder with the CORDIS files (default ../shared/data)")
    parser.add_argument("--networkx-limit", type=float, default=600.0,
                        help="stop a networkx stage after this many seconds (default 600)")
    parser.add_argument("--networkx-sources", type=int, default=200,
                        help="bridge-centrality sources networkx runs, time scaled to netcluster's (default 200)")
    parser.add_argument("--workers", type=int, default=1,
                        help="analyze(workers=): processes sharing bridge centrality's searches (default 1)")
    parser.add_argument("--accuracy", action="store_true", help="sampled against exact bridge centrality")
    parser.add_argument("--accuracy-samples", type=int, nargs="+", help="sample sizes (default: d, 2d, 4d)")
    parser.add_argument("--accuracy-seeds", type=int, default=3, help="seeds per sample size (default 3)")
    parser.add_argument("--accuracy-only", action="store_true", help="--accuracy without the timed pipelines")
    parser.add_argument("--exact-cache", type=Path, help="folder caching the exact values (default: --workdir)")
    parser.add_argument("--exact-workers", type=int, default=2,
                        help="processes sharing the exact computation (default 2)")
    parser.add_argument("--profile", nargs="*", metavar="STAGE", help="cProfile these stages (all if none named)")
    parser.add_argument("--smoke", action="store_true", help="quick run for the tests: XS, networkx on, small limits")
    args = parser.parse_args(argv)
    if args.smoke:
        args.size = args.size or "XS"
        args.networkx, args.networkx_sources, args.networkx_limit = True, 10, 60.0
    if args.size is None:
        parser.error("give --size S, M, L or cordis")
    if args.profile is not None:
        unknown = set(args.profile) - set(STAGES)
        if unknown:
            parser.error(f"unknown stage {sorted(unknown)[0]!r}: the stages are {', '.join(STAGES)}")

    print(f"machine: {_machine()}")
    print(f"versions: {_versions()}")
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="netcluster-pipeline-") as scratch:
        root = args.workdir or Path(scratch)
        tag = f"{args.size}-seed{args.seed}"
        workdir = root / tag
        workdir.mkdir(parents=True, exist_ok=True)
        files = _files(args.size, args.data, workdir)
        if args.size in SYNTHETIC and not files["organisations"].is_file():
            seconds = _in_fresh_process(context, _generate, args.size, workdir, args.seed)
            print(f"generated {args.size} records in {seconds:.1f} s (not counted)")
        for path in files.values():
            if not path.is_file():
                print(f"{path}: not found", file=sys.stderr)
                return 1
        nx_note = None
        run_nx = args.networkx
        if run_nx and args.size == "L":
            run_nx = False
            nx_note = ("networkx not run at L: the nx.Graph of 5M edges alone takes several GiB of Python "
                       "objects and its pure-Python stages would take hours")
        elif not run_nx:
            nx_note = "networkx not run (give --networkx)"

        if not args.accuracy_only:
            nc = _in_fresh_process(context, run_netcluster, args.size, files, workdir, args.seed,
                                   args.networkx_sources if run_nx else None, None, args.workers)
            print(f"\n{args.size}: {nc['orgs']:,} organisations, {nc['pairs']:,} partner pairs "
                  f"({nc['tie_records']:,} tie records, {nc['events']:,} events); bridge centrality "
                  f"{'exact' if nc['bridge_exact'] else 'sampled'} from {nc['bridge_sources']:,} sources"
                  + (f" in {nc['workers']} forked processes (largest peak resident size of one: "
                     f"{nc['children_peak_mib']:,.0f} MiB, pages shared with the parent included; the cpu "
                     f"column counts the parent only)" if nc["workers"] > 1 else "") + "; "
                  f"{nc['communities']:,} communities (Q {nc['modularity']:.4f}); report {nc['report_mb']:.1f} MB "
                  f"({nc['report_mode']} view)")
            nx = None
            if run_nx:
                nx = _in_fresh_process(context, run_networkx, args.size, files, workdir, args.seed,
                                       args.networkx_limit, args.networkx_sources, nc["bridge_sources"])
            method = ("peak: VmHWM after resetting it (clear_refs) at each stage start"
                      if nc["peak_reset"] else "peak: process-lifetime ru_maxrss (the reset was not allowed)")
            print(f"memory: {method}; +peak: peak minus resident memory at the stage start; after imports: "
                  f"netcluster {nc['after_imports_mib']:,.0f} MiB"
                  + (f", networkx {nx['after_imports_mib']:,.0f} MiB" if nx else ""))
            print()
            ratios = print_table(nc, nx, nx_note)
            if nx and PYTHON_PROJECT in nx["stages"]:
                row = nx["stages"][PYTHON_PROJECT]
                shown, _, note = _nx_cell(row)
                ratio, _ = ratio_text(nc["stages"]["project"]["seconds"], row)
                print(f"\nproject without networkx's projection (a Counter of itertools.combinations per event, then "
                      f"nx.Graph, as a hand-written baseline): {shown} s, {ratio} netcluster's project"
                      + (f"; {note}" if note else ""))
            print_steps("netcluster", nc)
            if nx:
                print_steps("networkx", nx)
                print("\nchecks:")
                for line in compare(workdir, nc, nx):
                    print(f"  {line}")
            _print_targets(args.size, nc, ratios)

        if args.accuracy or args.accuracy_only:
            from netcluster.metrics.bridges import DEFAULT_SAMPLES

            samples = args.accuracy_samples or [DEFAULT_SAMPLES, 2 * DEFAULT_SAMPLES, 4 * DEFAULT_SAMPLES]
            acc = _in_fresh_process(context, run_accuracy, files, args.exact_cache or root, tag, samples,
                                    args.accuracy_seeds, args.exact_workers)
            _print_accuracy(acc)
        if args.profile is not None:
            print("\nprofiling (a separate, untimed run):")
            _in_fresh_process(context, run_netcluster, args.size, files, workdir, args.seed, None,
                              args.profile or list(STAGES), args.workers)
    return 0


def _print_targets(size: str, nc: dict, ratios: dict[str, float | None]) -> None:
    total = sum(r["seconds"] for r in nc["stages"].values())
    peak = max(r["peak_mib"] for r in nc["stages"].values())
    print("\ntargets (issue 9):")
    if size == "L":
        print(f"  whole pipeline at L within {L_SECONDS} s: {total:,.0f} s, "
              f"{'met' if total <= L_SECONDS else 'MISSED'}")
        print(f"  peak memory at L within {L_GIB} GiB: {peak / 1024:.2f} GiB, "
              f"{'met' if peak <= L_GIB * 1024 else 'MISSED'}")
    elif size == "cordis":
        print(f"  CORDIS end-to-end report within {CORDIS_SECONDS} s: {total:.1f} s, "
              f"{'met' if total <= CORDIS_SECONDS else 'MISSED'}")
    elif size == "M":
        for stage, target in RATIO_TARGETS.items():
            value = ratios.get(stage)
            verdict = "not measured (give --networkx)" if value is None else (
                f"{value:,.1f}x, {'met' if value >= target else 'MISSED'}")
            print(f"  {stage}: at least {target}x faster than networkx: {verdict}")
    else:
        print(f"  none at {size} (targets are set for M, L and cordis)")


def _print_accuracy(acc: dict) -> None:
    import statistics

    exact = (f"exact in {acc['exact_seconds']:.0f} s wall time over {acc['workers']} processes "
             f"({acc['exact_cpu']:.0f} s of their bridge_centrality calls)" if acc["exact_seconds"] is not None
             else f"exact values reused from {acc['cache']}")
    print(f"\naccuracy of sampled bridge centrality ({acc['orgs']:,} organisations, {acc['positive']:,} with an "
          f"exact value above 0; {exact}; default sample size {acc['default_samples']:,}):")
    print("| samples | sources | seeds | rho>0 | rho top 100 | top 50 | top 100 (worst) | err top 20 | "
          "2 SE | seconds |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    by_k: dict[int, list[dict]] = {}
    for row in acc["rows"]:
        by_k.setdefault(row["samples"], []).append(row)
    for k, rows in by_k.items():
        mean = lambda key: statistics.fmean(r[key] for r in rows)  # noqa: E731
        print(f"| {k:,} | {rows[0]['sources']:,} | {len(rows)} | {mean('rho_positive'):.3f} | "
              f"{mean('rho_top100'):.3f} | {mean('top50'):.2f} | {mean('top100'):.2f} "
              f"({min(r['top100'] for r in rows):.2f}) | {mean('err_top20'):.1%} | {mean('within_2se'):.0%} | "
              f"{mean('seconds'):.1f} |")
    default = by_k.get(acc["default_samples"])
    if default:
        worst = min(r["top100"] for r in default)
        mean = statistics.fmean(r["top100"] for r in default)
        print(f"top-100 overlap at the default {acc['default_samples']:,} sources: mean {mean:.2f}, worst {worst:.2f}: "
              f"{'at least 0.9' if worst >= 0.9 else 'BELOW 0.9' if mean < 0.9 else 'mean at least 0.9, worst seed below'}")


if __name__ == "__main__":
    sys.exit(main())
