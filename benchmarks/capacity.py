"""Memory of netcluster's analysis as a function of organisations n and ties m.

    python benchmarks/capacity.py GRAPH [GRAPH ...] [--workdir DIR] [--seed N] [--samples K]
                                  [--data DIR] [--json FILE]

``GRAPH`` is a synthetic size of ``generate.py`` (``XS``, ``S``, ``M``, ``L``;
records generated with ``--seed`` into ``--workdir``, reused when already
there, and loaded with :func:`netcluster.build_network`), ``cordis`` (the
CORDIS H2020 participations with the 2017 organisation table from ``--data``),
or ``random:N:M`` (a network of N organisations with M distinct random ties,
built directly as a :class:`~netcluster.CollaborationNetwork`: 40 countries
of Zipf shares, 4 regions each; it varies the density that the generated
sizes keep near 5 ties per organisation).

Each graph runs in its own fresh process, which reads the resident memory
(``VmRSS``) after ``import netcluster``, after building the network, and the
peak (``VmHWM``, reset through ``/proc/self/clear_refs`` before each stage)
while building and during every stage of :func:`netcluster.analyze` (no home
set, bridge centrality on ``--samples`` sampled sources, 64 by default: a
breadth-first search reuses the same arrays whatever the number of sources,
so the peak does not depend on it; the time does). Printed per graph:

- ``network``: resident memory after building minus after the imports (the
  three tables of the network);
- ``analysis``: the peak during ``analyze`` minus the resident memory when it
  began (what the graph stages need on top of the loaded network: the CSR
  matrices, the igraph graphs, the measure tables, temporaries);
- the same per stage.

``--json FILE`` appends one JSON object per graph to FILE. The figures feed
the model in :mod:`netcluster.capacity` and ``docs/scaling.md``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SYNTHETIC = ("XS", "S", "M", "L")
MIB = 1024 * 1024


def _status(field: str) -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")


def _random_network(n: int, m: int, seed: int):
    import numpy as np
    import pandas as pd

    from netcluster import CollaborationNetwork

    rng = np.random.default_rng(seed)
    share = 1.0 / np.arange(1, 41)
    country = rng.choice(40, size=n, p=share / share.sum())
    region = rng.integers(0, 4, size=n)
    codes = np.array([f"C{i:02d}" for i in range(40)])
    orgs = pd.DataFrame(
        {"name": [f"org {i}" for i in range(n)], "country": codes[country],
         "region": np.char.add(codes[country], region.astype(str))},
        index=pd.Index([f"o{i}" for i in range(n)], name="org_id"),
    )
    keys = np.empty(0, dtype=np.int64)
    while len(keys) < m:  # distinct unordered pairs, drawn until there are m
        u = rng.integers(0, n, size=2 * m)
        v = rng.integers(0, n, size=2 * m)
        keep = u != v
        lo, hi = np.minimum(u[keep], v[keep]), np.maximum(u[keep], v[keep])
        keys = np.unique(np.concatenate([keys, lo * n + hi]))
    keys = rng.permutation(keys)[:m]
    ties = pd.DataFrame({"source": keys // n, "target": keys % n, "layer": "partnership",
                         "weight": 1.0, "year": 2020})
    return CollaborationNetwork(orgs, ties)


def _build(graph: str, data: Path, workdir: Path, seed: int):
    import netcluster

    if graph == "cordis":
        return netcluster.build_network(
            partnerships=data / "cordis_h2020_participations.csv.gz",
            organisations=data / "cordis_h2020_organisations_2017.csv.gz")
    if graph.startswith("random:"):
        _, n, m = graph.split(":")
        return _random_network(int(n), int(m), seed)
    return netcluster.build_network(partnerships=workdir / "participations.parquet",
                                    organisations=workdir / "organisations.parquet")


def _measure(graph: str, data: Path, workdir: Path, seed: int, samples: int) -> dict:
    """In a fresh process: build the network, then analyze it stage by stage."""
    import gc

    import netcluster

    out: dict = {"graph": graph, "samples": samples}
    imports = _status("VmRSS")
    _reset_peak()
    start = time.perf_counter()
    network = _build(graph, data, workdir, seed)
    gc.collect()
    out["build_s"] = round(time.perf_counter() - start, 2)
    out["build_peak_mib"] = round((_status("VmHWM") - imports) / MIB, 1)
    loaded = _status("VmRSS")
    out["imports_mib"] = round(imports / MIB, 1)
    out["network_mib"] = round((loaded - imports) / MIB, 1)
    out["orgs"] = network.n_orgs
    out["tie_records"] = len(network.ties)
    out["event_records"] = len(network.events)

    stages: dict[str, float] = {}
    current: list = [None, 0]  # the stage running and the resident memory when it began
    peak = 0

    def progress(stage: str) -> None:
        nonlocal peak
        high = _status("VmHWM")
        peak = max(peak, high)
        if current[0] is not None:
            stages[current[0]] = round((high - current[1]) / MIB, 1)
        current[0], current[1] = stage, _status("VmRSS")
        _reset_peak()

    start = time.perf_counter()
    result = netcluster.analyze(network, samples=samples, seed=seed, progress=progress)
    progress("")
    out["analyze_s"] = round(time.perf_counter() - start, 1)
    out["pairs"] = int(result.summary["partner_pairs"])
    out["analysis_mib"] = round((peak - loaded) / MIB, 1)
    out["process_peak_mib"] = round(peak / MIB, 1)
    out["stages_mib"] = stages
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graphs", nargs="+", help="XS, S, M, L, cordis or random:N:M")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/nc_capacity"))
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--samples", type=int, default=64)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    context = multiprocessing.get_context("spawn")
    for graph in args.graphs:
        workdir = args.workdir / f"{graph}-seed{args.seed}"
        if graph in SYNTHETIC and not (workdir / "organisations.parquet").is_file():
            sys.path.insert(0, str(HERE))
            import generate

            generate.main([graph, str(workdir), "--seed", str(args.seed)])
        with context.Pool(1) as pool:
            result = pool.apply(_measure, (graph, args.data, workdir, args.seed, args.samples))
        print(json.dumps(result), flush=True)
        if args.json is not None:
            with open(args.json, "a") as handle:
                handle.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
