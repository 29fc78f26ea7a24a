"""Time loading and projecting the CORDIS H2020 participations three ways.

    python benchmarks/load_cordis.py [DATA_DIR] [--repeat N] [--counting full|fractional]
                                     [--max-event-size N|none]

Each method reads ``cordis_h2020_participations.csv.gz`` (rcn = event, pic =
organisation, start_year = year), codes the organisations and projects the
projects onto organisation pairs, one row per pair and year:

duckdb-sql
    DuckDB reads the CSV itself (all columns VARCHAR), pyarrow codes the
    organisations, :func:`netcluster.sql.project_events_sql` projects.
build_network
    the whole loader as a user runs it: :func:`netcluster.build_network` reads
    the file, maps headers, parses and normalises every field, accounts for
    every row and projects in memory (:mod:`netcluster.projection`, numpy)
    (shown as one "read" figure).
pandas
    pandas reads the CSV and projects by a self-merge on the event and a
    group-by: the baseline.

Every method runs in its own fresh process (which imports netcluster first),
``--repeat`` times; the table shows the best wall time split into reading
(file to coded events) and projecting, the median, the ratio of the best time
to the pandas baseline's, and the process's peak resident memory
(``resource.getrusage``) beside its resident memory after the imports.
The last line checks that all methods found the same ties and total weight.
This is a script, not a test.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import multiprocessing
import resource
import statistics
import sys
import time
from pathlib import Path

FILE = "cordis_h2020_participations.csv.gz"
COLUMNS = ["rcn", "pic", "start_year"]


def read_with_duckdb(path: Path, engine):
    """DuckDB reads the CSV (VARCHAR), pyarrow codes the organisations."""
    import pandas as pd
    import pyarrow.compute as pc

    engine.register("participations", path, columns=COLUMNS)
    table = engine.table("participations")
    orgs = pc.dictionary_encode(table["pic"]).combine_chunks()
    return pd.DataFrame(
        {
            "event": table["rcn"].to_pandas(),
            "org": orgs.indices.to_numpy(zero_copy_only=False),
            "layer": "partnership",
            "year": pd.to_numeric(table["start_year"].to_pandas(), errors="coerce").astype("Int32"),
        }
    ), len(orgs.dictionary)


def read_with_pandas(path: Path, engine):
    """pandas reads the CSV (as text), factorize codes the organisations."""
    import pandas as pd

    raw = pd.read_csv(path, usecols=COLUMNS, dtype=str, keep_default_na=False)
    codes, uniques = pd.factorize(raw["pic"])
    return pd.DataFrame(
        {
            "event": raw["rcn"],
            "org": codes,
            "layer": "partnership",
            "year": pd.to_numeric(raw["start_year"], errors="coerce").astype("Int32"),
        }
    ), len(uniques)


def project_with_sql(events, n_orgs, counting, cap, engine):
    from netcluster.sql import project_events_sql

    return project_events_sql(events, counting=counting, max_event_size=cap, engine=engine)[0]


def build_with_netcluster(path: Path, engine, counting: str, cap: int | None):
    """The whole loader; returns its ties (already projected) and the organisation count."""
    import netcluster

    network = netcluster.build_network(partnerships=path, counting=counting, max_event_size=cap)
    return network.ties, network.n_orgs


def already_projected(ties, n_orgs, counting, cap, engine):
    return ties


def project_with_pandas(events, n_orgs, counting, cap, engine):
    """The baseline: de-duplicate, self-merge on the event, group by pair and year."""
    import numpy as np

    members = events.groupby(["event", "org"], as_index=False)["year"].min()
    per_event = members.groupby("event")
    members["size"] = per_event["org"].transform("size")
    members["year"] = per_event["year"].transform("min")
    members = members[members["size"] >= 2]
    if cap is not None:
        members = members[members["size"] <= cap]
    pairs = members.merge(members[["event", "org"]], on="event", suffixes=("", "_partner"))
    pairs = pairs[pairs["org"] < pairs["org_partner"]]
    weight = 1.0 / (pairs["size"] - 1.0) if counting == "fractional" else np.ones(len(pairs))
    return (
        pairs.assign(weight=weight)
        .groupby(["year", "org", "org_partner"], dropna=False)["weight"]
        .agg(weight="sum", records="size")
        .reset_index()
    )


#: method -> (reader, projector)
METHODS = {
    "duckdb-sql": (read_with_duckdb, project_with_sql),
    "build_network": (build_with_netcluster, already_projected),
    "pandas": (read_with_pandas, project_with_pandas),
}


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _measure(method: str, path: Path, counting: str, cap: int | None, repeat: int) -> dict:
    """Run in a fresh process: import, then time ``repeat`` runs of reading and projecting."""
    import netcluster.sql.relational  # noqa: F401  (imports count in the baseline memory, not the times)
    from netcluster.sql import DuckDBEngine

    read, project = METHODS[method]
    after_imports = _rss_mib()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        with DuckDBEngine() if method == "duckdb-sql" else contextlib.nullcontext() as engine:
            if read is build_with_netcluster:
                events, n_orgs = read(path, engine, counting, cap)
            else:
                events, n_orgs = read(path, engine)
            middle = time.perf_counter()
            ties = project(events, n_orgs, counting, cap, engine)
        end = time.perf_counter()
        runs.append((end - start, middle - start, end - middle))
    return {"runs": runs, "ties": len(ties), "weight": float(ties["weight"].sum()),
            "imports_mib": after_imports, "peak_mib": _rss_mib()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "data",
                        help="folder holding cordis_h2020_participations.csv.gz (default ../shared/data)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--counting", choices=["full", "fractional"], default="full")
    parser.add_argument("--max-event-size", default="100", help="an integer, or 'none' for no cap")
    args = parser.parse_args(argv)
    path = args.data / FILE
    if not path.is_file():
        print(f"{path}: not found", file=sys.stderr)
        return 1
    cap = None if args.max_event_size.lower() == "none" else int(args.max_event_size)

    results = {}
    context = multiprocessing.get_context("spawn")
    for method in METHODS:
        with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            results[method] = pool.submit(_measure, method, path, args.counting, cap, args.repeat).result()

    baseline = min(results["pandas"]["runs"])[0]
    print(f"{path.name}: counting={args.counting}, max_event_size={cap}; best run of {args.repeat} "
          "(read and project: that run's parts), median, each method in a fresh process")
    header = (f"{'method':<13} {'best s':>7} {'read s':>7} {'project s':>10} {'median s':>9} "
              f"{'vs pandas':>10} {'peak RSS MiB':>13} {'after imports':>14} {'ties':>9} {'weight sum':>12}")
    print(header)
    print("-" * len(header))
    for method, r in results.items():
        best, reading, projecting = min(r["runs"])
        median = statistics.median(run[0] for run in r["runs"])
        print(f"{method:<13} {best:>7.3f} {reading:>7.3f} {projecting:>10.3f} {median:>9.3f} "
              f"{best / baseline:>9.2f}x {r['peak_mib']:>13.0f} {r['imports_mib']:>14.0f} "
              f"{r['ties']:>9,} {r['weight']:>12,.2f}")
    agree = len({(r["ties"], round(r["weight"], 6)) for r in results.values()}) == 1
    print("all methods give the same ties and total weight" if agree else "METHODS DISAGREE")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
