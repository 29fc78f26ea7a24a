"""Time reading and projecting the CORDIS H2020 participations three ways.

    python benchmarks/load_cordis.py [DATA_DIR] [--repeat N] [--counting full|fractional]
                                     [--max-event-size N|none]

Each method reads ``cordis_h2020_participations.csv.gz`` (rcn = event, pic =
organisation, start_year = year), codes the organisations and projects the
projects onto organisation pairs, one row per pair and year:

duckdb-sql
    DuckDB reads the CSV itself (all columns VARCHAR), pyarrow codes the
    organisations, :func:`netcluster.sql.project_events_sql` projects.
scipy
    pandas reads the CSV, :func:`netcluster.projection.project_events`
    projects with sparse products (the current loader path).
pandas
    pandas reads the CSV and projects by a self-merge on the event and a
    group-by: the baseline.

Every method runs in its own fresh process, ``--repeat`` times; the table
shows the best and median wall time, the ratio of the best time to the
pandas baseline's, and the process's peak resident memory
(``resource.getrusage``), beside its resident memory after imports.
This is a script, not a test.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import multiprocessing
import resource
import statistics
import sys
import time
from pathlib import Path

FILE = "cordis_h2020_participations.csv.gz"
COLUMNS = ["rcn", "pic", "start_year"]


def duckdb_sql(path: Path, counting: str, cap: int | None) -> tuple[int, float]:
    import pandas as pd
    import pyarrow.compute as pc

    from netcluster.sql import DuckDBEngine, project_events_sql

    with DuckDBEngine() as engine:
        engine.register("participations", path, columns=COLUMNS)
        table = engine.table("participations")
        orgs = pc.dictionary_encode(table["pic"]).combine_chunks()
        events = pd.DataFrame(
            {
                "event": table["rcn"].to_pandas(),
                "org": orgs.indices.to_numpy(zero_copy_only=False),
                "layer": "partnership",
                "year": pd.to_numeric(table["start_year"].to_pandas(), errors="coerce").astype("Int32"),
            }
        )
        ties, _ = project_events_sql(events, counting=counting, max_event_size=cap, engine=engine)
    return len(ties), float(ties["weight"].sum())


def scipy_sparse(path: Path, counting: str, cap: int | None) -> tuple[int, float]:
    import pandas as pd

    from netcluster.projection import project_events

    raw = _read_with_pandas(path)
    codes, uniques = pd.factorize(raw["pic"])
    events = pd.DataFrame(
        {"event": raw["rcn"], "org": codes, "layer": "partnership", "year": _years(raw)}
    )
    ties, _ = project_events(events, len(uniques), counting=counting, max_event_size=cap)
    return len(ties), float(ties["weight"].sum())


def pandas_merge(path: Path, counting: str, cap: int | None) -> tuple[int, float]:
    import numpy as np
    import pandas as pd

    raw = _read_with_pandas(path)
    codes, _ = pd.factorize(raw["pic"])
    members = pd.DataFrame({"event": raw["rcn"], "org": codes, "year": _years(raw)})
    members = members.groupby(["event", "org"], as_index=False)["year"].min()
    per_event = members.groupby("event")
    members["size"] = per_event["org"].transform("size")
    members["year"] = per_event["year"].transform("min")
    members = members[members["size"] >= 2]
    if cap is not None:
        members = members[members["size"] <= cap]
    pairs = members.merge(members[["event", "org"]], on="event", suffixes=("", "_partner"))
    pairs = pairs[pairs["org"] < pairs["org_partner"]]
    weight = 1.0 / (pairs["size"] - 1.0) if counting == "fractional" else np.ones(len(pairs))
    ties = (
        pairs.assign(weight=weight)
        .groupby(["year", "org", "org_partner"], dropna=False)["weight"]
        .agg(["sum", "size"])
    )
    return len(ties), float(ties["sum"].sum())


METHODS = {"duckdb-sql": duckdb_sql, "scipy": scipy_sparse, "pandas": pandas_merge}


def _read_with_pandas(path: Path):
    import pandas as pd

    return pd.read_csv(path, usecols=COLUMNS, dtype=str, keep_default_na=False)


def _years(raw):
    import pandas as pd

    return pd.to_numeric(raw["start_year"], errors="coerce").astype("Int32")


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _measure(method: str, path: Path, counting: str, cap: int | None, repeat: int) -> dict:
    """Run in a fresh process: import, then time ``repeat`` runs."""
    import netcluster  # noqa: F401  (imports counted in the baseline, not the timing)

    function = METHODS[method]
    after_imports = _rss_mib()
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(path, counting, cap)
        times.append(time.perf_counter() - start)
    return {"times": times, "ties": result[0], "weight": result[1], "imports_mib": after_imports,
            "peak_mib": _rss_mib()}


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

    baseline = min(results["pandas"]["times"])
    print(f"{path.name}: counting={args.counting}, max_event_size={cap}, best and median of "
          f"{args.repeat} runs, each method in a fresh process")
    header = f"{'method':<11} {'best s':>7} {'median s':>9} {'vs pandas':>10} {'peak RSS MiB':>13} " \
             f"{'after imports':>14} {'ties':>9} {'weight sum':>12}"
    print(header)
    print("-" * len(header))
    for method, r in results.items():
        best = min(r["times"])
        print(f"{method:<11} {best:>7.3f} {statistics.median(r['times']):>9.3f} {best / baseline:>9.2f}x "
              f"{r['peak_mib']:>13.0f} {r['imports_mib']:>14.0f} {r['ties']:>9,} {r['weight']:>12,.2f}")
    agree = len({(r["ties"], round(r["weight"], 6)) for r in results.values()}) == 1
    print("all methods give the same ties and total weight" if agree else "METHODS DISAGREE")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
