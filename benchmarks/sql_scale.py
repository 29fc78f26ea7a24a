"""Project and aggregate a synthetic co-patent set of up to 100 million rows with SQL engines.

    python benchmarks/sql_scale.py generate ROWS WORKDIR [--seed N]
    python benchmarks/sql_scale.py run WORKDIR [--engine duckdb|spark] [--memory-limit 4GB]
                                   [--threads N] [--spark-master local[2]]
    python benchmarks/sql_scale.py compare OUT_A OUT_B
    python benchmarks/sql_scale.py suite WORKDIR [--rows 100M] [--spark-rows 5M 20M] [--keep]

``suite`` is the whole benchmark of docs/benchmarks.md ("SQL engines"),
each step in a fresh process so that its peak memory is its own: generate
``--rows``, run DuckDB on it with no limit and under ``memory_limit=4GB``
(spilling into ``WORKDIR``), then for each of ``--spark-rows`` generate,
run DuckDB and Spark (``local[2]``, driver memory 8GB: in local mode the
whole computation's heap; Spark's default of 1g is too small at 20M rows)
and compare their outputs; the
generated data is deleted afterwards (unless ``--keep``). One JSON line per
step on standard output.

``generate`` writes ``WORKDIR/applicants.parquet`` (ROWS rows, such as
``100M``, ``20M`` or ``5M``) and ``WORKDIR/organisations.parquet`` with
DuckDB itself, in seconds, never through pandas. The data is not committed:
delete the folder afterwards. The model (every draw a hash of the row number
and the seed, so the same seed gives the same rows on every run and any
number of threads):

1. patents 0, 1, ... with k applicants: 1 with probability 0.69, otherwise
   2 + floor(X), X ~ Lomax(alpha 3, scale 1.6), at most 1,000; calibrated
   on the PATSTAT extract of the data README (mean k 1.447, 69 % single,
   2.43 applicants per multi-applicant patent, 0.45 pairs per row): here
   mean k 1.446, 2.44 and 0.55 pairs per row, with a longer tail (the
   largest patents have a few hundred applicants; about 1 in a million
   exceeds the cap of 100). Patents are added until ROWS applicant rows
   exist (the last patent is cut).
2. applicants: organisation ``floor(N v^2.5)`` for a uniform v, N = ROWS/10
   organisations (10 million at 100M rows), so a few organisations hold very
   many patents (the top one about 160,000 rows at 100M) and most hold a
   few; the same organisation drawn twice for a patent makes a repeated row.
3. years 1980-2019 per patent; organisations get one of the 40 countries
   of ``generate.py`` with Zipf shares and one of 8 regions within it.

``run`` calls :func:`netcluster.sql.aggregate.aggregate_records` in this
process on ``WORKDIR`` (full counting, cap 100, home ``country=DE``)
and prints one JSON line: engine, rows, wall seconds, peak resident memory
of the process (``ru_maxrss``: for Spark the driver only; the JVM is a
child process and is measured as ``children_maxrss``), the seconds of each
stage (as reported to the ``progress`` callback: reading records with
codes and de-duplication, projecting with merging years and writing ties
and pairs, scopes, components, groups with the summary), the summary and, for
comparison across engines, the row counts of every table and a checksum of
the pair weights (sum of weight and of weight times source, rounded to 1e-6).

``compare`` checks that two output folders hold the same tables: same rows
(sorted), counts equal and weights within 1e-9.

Run it under ``flock /work/notes/heavy.lock`` on the shared machine: at
100M rows DuckDB takes several GiB unless limited.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow.parquet as pq

from generate import COUNTRIES  # the 40 ISO codes of the CORDIS-shaped generator

from netcluster.sql.aggregate import TABLES, aggregate_records

REGIONS = 8

# One uniform draw in (0, 1) from a hash of (value, salt, seed): the same on every run and thread count.
_UNIFORM = "((CAST(hash({value}, {salt}, {seed}) >> 11 AS DOUBLE) + 0.5) / 9007199254740992.0)"


def _uniform(value: str, salt: int, seed: int) -> str:
    return _UNIFORM.format(value=value, salt=salt, seed=seed)


def parse_rows(text: str) -> int:
    """``100M`` -> 100_000_000, ``5M``, ``250k``, ``1000``."""
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1].lower(), 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def generate(rows: int, workdir: Path, seed: int = 0, threads: int | None = None) -> dict[str, float]:
    """Write applicants.parquet and organisations.parquet; return timings and counts."""
    workdir.mkdir(parents=True, exist_ok=True)
    orgs = max(rows // 10, 10)
    patents = int(rows / 1.40) + 1000  # more than enough: mean size about 1.446
    con = duckdb.connect(config={"threads": str(threads)} if threads else {})
    start = time.perf_counter()
    size = (f"CASE WHEN {_uniform('p', 1, seed)} < 0.69 THEN 1 ELSE CAST(LEAST(1000, 2 + "
            f"FLOOR(1.6 * (POWER({_uniform('p', 2, seed)}, -1.0 / 3) - 1))) AS BIGINT) END")
    con.execute(f"""
        CREATE TABLE patents AS
        SELECT p, k, SUM(k) OVER (ORDER BY p ROWS UNBOUNDED PRECEDING) - k AS first_row,
               1980 + CAST(FLOOR(40 * {_uniform('p', 3, seed)}) AS INTEGER) AS year
        FROM (SELECT range AS p, {size} AS k FROM range({patents}))
    """)
    con.execute(f"""
        COPY (
            SELECT p.p AS event,
                   CAST(FLOOR({orgs} * POWER({_uniform('p.p * 1000 + j.j', 4, seed)}, 2.5)) AS BIGINT) AS org,
                   p.year
            FROM patents p, LATERAL (SELECT range AS j FROM range(p.k)) j
            WHERE p.first_row + j.j < {rows}
            ORDER BY p.p, j.j
        ) TO '{workdir / "applicants.parquet"}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)
    """)
    # country rank c with P(c) proportional to 1/(c + 1) (Zipf), region R0-R7 within it
    rank = f"CAST(FLOOR(POWER({len(COUNTRIES) + 1}, {_uniform('range', 5, seed)})) AS INTEGER)"
    names = "[" + ", ".join(f"'{code}'" for code in COUNTRIES) + "]"
    con.execute(f"""
        COPY (
            SELECT range AS org, {names}[c] AS country,
                   {names}[c] || 'R' || CAST(FLOOR({REGIONS} * {_uniform('range', 6, seed)}) AS INTEGER) AS region
            FROM (SELECT range, LEAST({len(COUNTRIES)}, {rank}) AS c FROM range({orgs}))
        ) TO '{workdir / "organisations.parquet"}' (FORMAT parquet)
    """)
    seconds = time.perf_counter() - start
    written = con.sql(f"SELECT COUNT(*) FROM '{workdir / 'applicants.parquet'}'").fetchall()[0][0]
    con.close()
    return {"rows": written, "organisations": orgs, "seconds": round(seconds, 1)}


def run(workdir: Path, *, engine: str = "duckdb", memory_limit: str | None = None,
        threads: int | None = None, spark_master: str = "local[2]", out: Path | None = None) -> dict:
    """Aggregate WORKDIR's records once; wall time, peak memory, summary and checksums."""
    out = out or workdir / f"out-{engine}"
    marks: list[tuple[str, float]] = []
    start = time.perf_counter()
    result = aggregate_records(
        workdir / "applicants.parquet", workdir / "organisations.parquet", out,
        counting="full", max_event_size=100, home="country=DE", engine=engine,
        memory_limit=memory_limit, temp_dir=workdir / "spill" if memory_limit else None,
        threads=threads, spark_master=spark_master,
        progress=lambda stage: marks.append((stage, time.perf_counter())),
    )
    seconds = time.perf_counter() - start
    ends = [moment for _, moment in marks[1:]] + [start + seconds]
    stages = {stage: round(end - moment, 1) for (stage, moment), end in zip(marks, ends)}
    pairs = pq.read_table(result.tables["pairs"], columns=["source", "weight"])
    weight = pairs["weight"].to_numpy()
    return {
        "engine": engine,
        "memory_limit": memory_limit,
        "rows": result.summary["records_read"],
        "seconds": round(seconds, 1),
        "stage_seconds": stages,
        "maxrss_gib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2),
        "children_maxrss_gib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20, 2),
        "table_rows": {name: pq.read_metadata(path).num_rows for name, path in result.tables.items()},
        "output_gib": round(sum(path.stat().st_size for path in result.tables.values()) / 2**30, 2),
        "input_gib": round(sum(p.stat().st_size for p in workdir.glob("*.parquet")) / 2**30, 2),
        "weight_sum": round(float(weight.sum()), 6),
        "weight_source_sum": round(float((weight * pairs["source"].to_numpy().astype(np.float64)).sum()), 6),
        "summary": result.summary,
    }


def compare(first: Path, second: Path) -> list[str]:
    """Differences between two output folders (empty when equal)."""
    problems = []
    for name in TABLES:
        a = pq.read_table(first / f"{name}.parquet").to_pandas()
        b = pq.read_table(second / f"{name}.parquet").to_pandas()
        if list(a.columns) != list(b.columns) or len(a) != len(b):
            problems.append(f"{name}: columns or row counts differ ({len(a)} vs {len(b)})")
            continue
        floats = [c for c in a.columns if a[c].dtype.kind == "f"]
        keys = [c for c in a.columns if c not in floats]
        a = a.sort_values(keys).reset_index(drop=True)
        b = b.sort_values(keys).reset_index(drop=True)
        if not a[keys].astype(str).equals(b[keys].astype(str)):
            problems.append(f"{name}: rows differ")
        for column in floats:
            if not np.allclose(a[column], b[column], rtol=0, atol=1e-9, equal_nan=True):
                problems.append(f"{name}.{column}: values differ by more than 1e-9")
    return problems


def suite(workdir: Path, rows: str, spark_rows: list[str], keep: bool = False) -> int:
    """Run every step in a fresh process, printing one JSON line each; 0 when all outputs agree."""
    script = [sys.executable, str(Path(__file__).resolve())]

    def step(*arguments: str) -> int:
        start = time.perf_counter()
        done = subprocess.run([*script, *arguments], capture_output=True, text=True)
        lines = done.stdout.strip().splitlines()
        last = lines[-1] if lines else ""
        try:
            record = json.loads(last)
        except json.JSONDecodeError:
            record = {"output": last, "error": done.stderr.strip().splitlines()[-1:] if done.returncode else []}
        if isinstance(record, dict):
            record.pop("summary", None)
        print(json.dumps({"step": " ".join(arguments), "exit": done.returncode,
                          "process_seconds": round(time.perf_counter() - start, 1), "result": record}), flush=True)
        return done.returncode

    failures = 0
    big = workdir / f"rows-{rows}"
    failures += step("generate", rows, str(big)) != 0
    failures += step("run", str(big), "--out", str(big / "out")) != 0
    failures += step("run", str(big), "--memory-limit", "4GB", "--out", str(big / "out-4gb")) != 0
    failures += step("compare", str(big / "out"), str(big / "out-4gb")) != 0
    if not keep:
        shutil.rmtree(big, ignore_errors=True)
    for size in spark_rows:
        folder = workdir / f"rows-{size}"
        failures += step("generate", size, str(folder)) != 0
        failures += step("run", str(folder), "--out", str(folder / "duckdb")) != 0
        failures += step("run", str(folder), "--engine", "spark", "--memory-limit", "8GB",
                         "--out", str(folder / "spark")) != 0
        failures += step("compare", str(folder / "duckdb"), str(folder / "spark")) != 0
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("generate")
    make.add_argument("rows", type=parse_rows)
    make.add_argument("workdir", type=Path)
    make.add_argument("--seed", type=int, default=0)
    make.add_argument("--threads", type=int, default=None)
    once = commands.add_parser("run")
    once.add_argument("workdir", type=Path)
    once.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    once.add_argument("--memory-limit", default=None)
    once.add_argument("--threads", type=int, default=None)
    once.add_argument("--spark-master", default="local[2]")
    once.add_argument("--out", type=Path, default=None)
    check = commands.add_parser("compare")
    check.add_argument("first", type=Path)
    check.add_argument("second", type=Path)
    every = commands.add_parser("suite")
    every.add_argument("workdir", type=Path)
    every.add_argument("--rows", default="100M")
    every.add_argument("--spark-rows", nargs="*", default=["5M", "20M"])
    every.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "suite":
        return suite(args.workdir, args.rows, args.spark_rows, args.keep)
    if args.command == "generate":
        print(json.dumps(generate(args.rows, args.workdir, args.seed, args.threads)), flush=True)
    elif args.command == "run":
        print(json.dumps(run(args.workdir, engine=args.engine, memory_limit=args.memory_limit,
                             threads=args.threads, spark_master=args.spark_master, out=args.out)), flush=True)
    else:
        problems = compare(args.first, args.second)
        print("\n".join(problems) or "same tables", flush=True)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
