"""Time Leiden community detection on CORDIS and on synthetic graphs, against igraph called directly.

    python benchmarks/communities.py [--graphs cordis L ...] [--data DIR] [--workdir DIR]
                                     [--seed N] [--c-rng] [--profile]

Graphs: ``cordis`` is the CORDIS H2020 projected network, built exactly as
``analyze_cordis.py`` builds it (``cordis_h2020_participations.csv.gz`` with
the 2017 organisation table); ``XS``, ``S``, ``M``, ``L`` are synthetic
networks from ``generate.py`` (seed ``--seed``), written as Parquet into
``--workdir`` (a temporary folder by default; files already there for the
same size and seed are reused) and loaded with :func:`netcluster.build_network`.

Each graph runs in its own fresh process (so that the peak resident memory,
``resource.getrusage`` ru_maxrss, is that graph's), which:

1. builds the network (``build`` time; for a synthetic graph the generation
   runs beforehand in another process and is not counted);
2. runs :func:`netcluster.detect_communities` (``method="leiden"``, seed 0)
   on the fresh network: ``netcluster`` time, which includes turning the ties
   into the CSR matrix and the igraph graph;
3. calls igraph's ``community_leiden(objective_function="modularity",
   weights="weight", n_iterations=2)`` directly on ``network.to_igraph()``
   (cached by step 2) with its vertices in ``org_id`` order, as netcluster
   searches them, and igraph's generator set to ``random.Random(0)`` as
   netcluster sets it: ``igraph`` time, the baseline (the partition must be
   netcluster's);
4. runs :func:`netcluster.detect_communities` again, now with the igraph
   graph cached: ``netcluster warm``;
5. runs it with ``iterations=-1`` (Leiden until an iteration changes
   nothing): ``converged`` time and modularity;
6. with ``--c-rng``, the igraph call of step 3 again with igraph's own C
   generator (``set_random_number_generator(None)``; unseeded).

The ratios netcluster/igraph show netcluster's overhead. With ``--profile``
step 4 runs under cProfile and the top functions by cumulative time are
printed. This is a script, not a test: the machines are shared, so read the
times as rough.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SYNTHETIC = ("XS", "S", "M", "L")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _generate(size: str, outdir: Path, seed: int) -> float:
    """Run generate.py's main in this (separate) process; returns its wall time."""
    sys.path.insert(0, str(HERE))
    import generate

    start = time.perf_counter()
    generate.main([size, str(outdir), "--seed", str(seed)])
    return time.perf_counter() - start


def _build(graph: str, data: Path, workdir: Path):
    import netcluster

    if graph == "cordis":
        return netcluster.build_network(
            partnerships=data / "cordis_h2020_participations.csv.gz",
            organisations=data / "cordis_h2020_organisations_2017.csv.gz")
    return netcluster.build_network(partnerships=workdir / "participations.parquet",
                                    organisations=workdir / "organisations.parquet")


def _measure(graph: str, data: Path, workdir: Path, c_rng: bool, profile: bool) -> dict:
    """In a fresh process: build, then time netcluster's and igraph's Leiden."""
    import random

    import igraph as ig
    import numpy as np

    import netcluster
    from netcluster.communities import _canonical_graphs

    out: dict = {"graph": graph, "after_imports_mib": _peak_mib()}
    start = time.perf_counter()
    network = _build(graph, data, workdir)
    out["build_s"] = time.perf_counter() - start
    out["build_peak_mib"] = _peak_mib()
    out["orgs"] = network.n_orgs
    out["tie_records"] = len(network.ties)

    start = time.perf_counter()
    found = netcluster.detect_communities(network, method="leiden", seed=0)
    out["netcluster_s"] = time.perf_counter() - start
    out["pairs"] = network.to_csr().nnz // 2
    out["communities"] = int(found.membership.max()) + 1
    out["modularity"] = found.modularity
    out["largest"] = int((found.membership == 0).sum())

    # the graph netcluster searches: vertices in org_id order; position[code] is the code's vertex
    (graph_ig,), _, position = _canonical_graphs(network, None, None, False)
    ig.set_random_number_generator(random.Random(0))
    try:
        start = time.perf_counter()
        direct = graph_ig.community_leiden(objective_function="modularity", weights="weight", n_iterations=2)
        out["igraph_s"] = time.perf_counter() - start
    finally:
        ig.set_random_number_generator(random)
    out["igraph_communities"] = len(set(direct.membership))
    out["igraph_modularity"] = graph_ig.modularity(direct.membership, weights="weight")
    by_code = np.asarray(direct.membership)[position]
    same = np.unique(np.stack([by_code, found.membership.to_numpy()]), axis=1).shape[1]
    out["same_partition"] = same == out["communities"] == out["igraph_communities"]

    if profile:
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        netcluster.detect_communities(network, method="leiden", seed=0)
        profiler.disable()
        out["warm_s"] = time.perf_counter() - start
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(25)
        out["profile"] = text.getvalue()
    else:
        start = time.perf_counter()
        netcluster.detect_communities(network, method="leiden", seed=0)
        out["warm_s"] = time.perf_counter() - start

    start = time.perf_counter()
    converged = netcluster.detect_communities(network, method="leiden", seed=0, iterations=-1)
    out["converged_s"] = time.perf_counter() - start
    out["converged_modularity"] = converged.modularity
    out["converged_communities"] = int(converged.membership.max()) + 1

    if c_rng:
        ig.set_random_number_generator(None)
        try:
            start = time.perf_counter()
            fast = graph_ig.community_leiden(objective_function="modularity", weights="weight", n_iterations=2)
            out["igraph_c_rng_s"] = time.perf_counter() - start
        finally:
            ig.set_random_number_generator(random)
        out["igraph_c_rng_modularity"] = graph_ig.modularity(fast.membership, weights="weight")
        out["igraph_c_rng_communities"] = len(set(fast.membership))
    out["peak_mib"] = _peak_mib()
    return out


def _versions() -> str:
    import platform

    import igraph
    import leidenalg

    import netcluster

    return (f"Python {platform.python_version()}, igraph {igraph.__version__}, leidenalg {leidenalg.version}, "
            f"netcluster {netcluster.__version__}")


def _report(r: dict) -> None:
    print(f"\n{r['graph']}: {r['orgs']:,} organisations, {r['pairs']:,} partner pairs "
          f"({r['tie_records']:,} tie records)")
    if "generate_s" in r:
        print(f"  {'generate (separate process)':<34} {r['generate_s']:8.2f} s")
    rows = [
        ("build_network", r["build_s"], ""),
        ("netcluster detect_communities", r["netcluster_s"],
         f"{r['netcluster_s'] / r['igraph_s']:.2f}x igraph"),
        ("igraph community_leiden direct", r["igraph_s"], "1.00x"),
        ("netcluster, igraph graph cached", r["warm_s"], f"{r['warm_s'] / r['igraph_s']:.2f}x igraph"),
        ("netcluster, iterations=-1", r["converged_s"],
         f"{r['converged_s'] / r['warm_s']:.2f}x netcluster cached; Q {r['converged_modularity']:.4f}, "
         f"{r['converged_communities']:,} communities"),
    ]
    if "igraph_c_rng_s" in r:
        rows.append(("igraph direct, C generator", r["igraph_c_rng_s"],
                     f"{r['igraph_c_rng_s'] / r['igraph_s']:.2f}x igraph; Q {r['igraph_c_rng_modularity']:.4f}, "
                     f"{r['igraph_c_rng_communities']:,} communities"))
    for name, seconds, note in rows:
        print(f"  {name:<34} {seconds:8.2f} s  {note}")
    print(f"  communities {r['communities']:,} (largest {r['largest']:,} organisations), "
          f"modularity {r['modularity']:.4f}")
    print(f"  igraph direct: {r['igraph_communities']:,} communities, modularity {r['igraph_modularity']:.4f}, "
          f"{'the same partition' if r['same_partition'] else 'A DIFFERENT PARTITION'}")
    print(f"  peak resident memory {r['peak_mib']:,.0f} MiB (after build {r['build_peak_mib']:,.0f} MiB, "
          f"after imports {r['after_imports_mib']:,.0f} MiB)")
    if "profile" in r:
        print(r["profile"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graphs", nargs="+", default=["cordis", "L"], choices=["cordis", *SYNTHETIC])
    parser.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data",
                        help="folder with the CORDIS files (default ../shared/data)")
    parser.add_argument("--workdir", type=Path, help="where synthetic records go (default: a temporary folder)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed of the synthetic graphs")
    parser.add_argument("--c-rng", action="store_true", help="also time igraph with its own C generator")
    parser.add_argument("--profile", action="store_true", help="cProfile the warm netcluster run")
    args = parser.parse_args(argv)

    print(_versions())
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="netcluster-bench-") as scratch:
        root = args.workdir or Path(scratch)
        for graph in args.graphs:
            workdir = root / f"{graph}-seed{args.seed}"
            generated = None
            if graph in SYNTHETIC and not (workdir / "organisations.parquet").is_file():
                with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                    generated = pool.submit(_generate, graph, workdir, args.seed).result()
            with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                result = pool.submit(_measure, graph, args.data, workdir, args.c_rng, args.profile).result()
            if generated is not None:
                result["generate_s"] = generated
            _report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
