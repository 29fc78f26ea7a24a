"""netcluster aggregate: event and organisation files in, Parquet tables out, with SQL on DuckDB or Spark."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from netcluster.errors import InputError
from netcluster.sql.aggregate import ENGINES, aggregate_records
from netcluster.sql.relational import COUNTING, OVERSIZED

from ._messages import info
from ._progress import stages


@click.command()
@click.option("--events", required=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="Event records (CSV or Parquet) with columns event, org and year.")
@click.option("--organisations", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Organisations (CSV or Parquet) with columns org, country (ISO alpha-2) and region.")
@click.option("-o", "--out", type=click.Path(file_okay=False), default="aggregate", show_default=True,
              metavar="DIR", help="Folder for the Parquet tables.")
@click.option("--layer", default="copatent", show_default=True,
              help="Layer name of the ties (copatent, partnership, membership, ...).")
@click.option("--counting", type=click.Choice(COUNTING), default="full", show_default=True,
              help="How an event with k organisations weights each pair: 1 (full) or 1/(k-1) (fractional).")
@click.option("--max-event-size", type=click.IntRange(min=0), default=100, show_default=True,
              help="Events with more organisations are oversized (counted in the summary); 0 for no cap.")
@click.option("--oversized", type=click.Choice(OVERSIZED), default="skip", show_default=True,
              help="Leave oversized events out (skip) or project them with fractional weights (downweight).")
@click.option("--home", "home_text", default=None, metavar="KEY=VALUE",
              help="The home set for the home row of groups.parquet: country=NO or region=NAME.")
@click.option("--home-file", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="The home set as a file of organisation ids, one per line.")
@click.option("--engine", type=click.Choice(ENGINES), default="duckdb", show_default=True,
              help="Where the SQL runs: DuckDB in this process, or Apache Spark.")
@click.option("--spark-master", default="local[2]", show_default=True, metavar="URL",
              help="Master of the Spark session: local[N], spark://HOST:7077, yarn, ...")
@click.option("--memory-limit", default=None, metavar="SIZE",
              help="DuckDB memory limit such as 4GB or 60% (default 40% of the physical memory); "
                   "above it DuckDB spills to --temp-dir.")
@click.option("--temp-dir", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="Folder for spilled data (DuckDB) or Spark's local files (default: a fresh temporary folder).")
@click.option("--threads", type=click.IntRange(min=1), default=None, metavar="N",
              help="DuckDB worker threads (default: all cores).")
def aggregate(home_text: str | None, home_file: str | None, max_event_size: int, **options: Any) -> None:
    """Project and aggregate large event records with SQL; write Parquet tables.

    The twin of netcluster.sql.aggregate.aggregate_records. The files are
    read by the engine itself, never loaded into memory as a whole, so this
    handles records far larger than netcluster build does (100 million rows
    on one machine with DuckDB). Writes organisations, ties, pairs, scopes,
    groups, components, oversized_events and summary as Parquet files into
    --out; the summary accounts for every input row and is printed. Continue
    with the graph stages on this machine through
    netcluster.sql.aggregate.network_from_aggregate. See docs/scaling.md.

    \b
    Examples:
      netcluster aggregate --events applicants.parquet --organisations orgs.parquet -o out
      netcluster aggregate --events patents.csv.gz --home country=NO --memory-limit 4GB --temp-dir /scratch
      netcluster aggregate --events applicants.parquet --engine spark --spark-master spark://head:7077
    """
    if home_text and home_file:
        raise click.UsageError("give either --home or --home-file, not both")
    home: Any = home_text
    if home_file:
        home = _read_ids(home_file)
    with stages("aggregating records", total=5) as progress:
        result = aggregate_records(home=home, max_event_size=max_event_size or None, progress=progress, **options)
    for measure, value in result.summary.items():
        click.echo(f"{measure}\t{value}")
    info(f"Wrote {len(result.tables)} tables to {result.out}: {result.summary['organisations']} organisations, "
         f"{result.summary['pairs']} pairs, {result.summary['components']} components.")


def _read_ids(path: str) -> list[str]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the home-set file: {exc.strerror}", file=path) from None
    except UnicodeDecodeError:
        raise InputError("the home-set file is not UTF-8 text", file=path) from None
    return [line.strip() for line in text.splitlines() if line.strip()]
