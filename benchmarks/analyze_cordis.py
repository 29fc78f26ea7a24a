"""Time each analysis stage on the real CORDIS H2020 network, then the whole analyze().

    python benchmarks/analyze_cordis.py [DATA_DIR] [--home country=NO]

Loads ``cordis_h2020_participations.csv.gz`` with the 2017 organisation table
(35,871 organisations), runs each measure on its own, then
:func:`netcluster.analyze` as ``netcluster analyze`` does, and prints wall time
per stage and the process's peak resident memory. This is a script, not a
test: these machines are shared, so read the times as rough.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--home", default="country=NO", help="home set as on the command line, or 'none'")
    args = parser.parse_args(argv)

    import netcluster
    from netcluster import metrics
    from netcluster.home import home_set, parse_home

    stages: list[tuple[str, float]] = []

    def timed(name, call):
        start = time.perf_counter()
        value = call()
        stages.append((name, time.perf_counter() - start))
        return value

    network = timed("build_network", lambda: netcluster.build_network(
        partnerships=args.data / "cordis_h2020_participations.csv.gz",
        organisations=args.data / "cordis_h2020_organisations_2017.csv.gz"))
    home = None if args.home == "none" else parse_home(args.home)
    mask = home_set(network, home)
    timed("scope_degrees", lambda: metrics.scope_degrees(network))
    timed("local_clustering (country)", lambda: metrics.local_clustering(network, locality="country"))
    bridges = timed("bridge_centrality", lambda: metrics.bridge_centrality(network, home=mask))
    timed("brokerage", lambda: metrics.brokerage(network))
    timed("ei_index", lambda: metrics.ei_index(network))
    timed("structural_holes", lambda: metrics.structural_holes(network))
    timed("group_table (country)", lambda: metrics.group_table(
        network, by="country", brokers=bridges["bridge_centrality"]))
    timed("analyze (all of the above)", lambda: netcluster.analyze(network, home=home))
    print(f"CORDIS: {network.n_orgs:,} organisations, {network.to_csr().nnz // 2:,} partner pairs, "
          f"home {args.home}")
    for name, seconds in stages:
        print(f"{name:<30} {seconds:8.1f} s")
    print(f"{'peak resident memory':<30} {_peak_mib():8.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
