"""netcluster analyze: records in, the node table (or the group table) out."""

from __future__ import annotations

from typing import Any

import click
import pandas as pd

from netcluster.export import TABLE_FORMATS, write_table

from ._options import analysis_from_options, analysis_options, network_from_options, record_options

#: Columns the human-readable table shows (every column goes to files).
_NODE_VIEW = ["name", "country", "region", "degree", "local_degree", "international_degree", "openness",
              "bridge_centrality", "gf_gatekeeper", "gb_role"]
_GROUP_VIEW = ["organisations", "internal_ties", "density", "international_ties", "ei_index",
               "share_international", "gatekeeper_dependency", "top_brokers"]
_ROWS = 25


@click.command()
@record_options
@analysis_options
@click.option("--groups", "group_table", is_flag=True, default=False,
              help="Write the group table (home set, countries, localities) instead of the node table.")
@click.option("--format", "output_format", type=click.Choice(["table", *TABLE_FORMATS]), default="table",
              show_default=True, help="table prints the top rows for people; the others write every row and column.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Write to this file (needed for parquet and xlsx); default: standard output.")
def analyze(group_table: bool, output_format: str, output: str | None, **options: Any) -> None:
    """Measure local density against international bridges, one row per organisation.

    The node table holds each organisation's partners by scope (local,
    national, international), openness, local clustering, international-bridge
    centrality, Gould-Fernandez brokerage roles, E-I index, structural holes
    and Giuliani-Bell role. --groups gives one row per group instead: the home
    set, each country and each locality, with density, E-I, concentration of
    international ties and gatekeeper dependency.

    \b
    Examples:
      netcluster analyze --home member
      netcluster analyze --partnerships projects.csv --home country=NO --format csv -o nodes.csv
      netcluster analyze --sample norway_h2020 --groups --format xlsx -o groups.xlsx
    """
    if output_format in ("parquet", "xlsx") and output is None:
        raise click.UsageError(f"--format {output_format} writes a file: give -o FILE")
    network, _ = network_from_options(options)
    result = analysis_from_options(network, options)
    table = result.groups if group_table else result.nodes
    if output_format == "table":
        _print_table(table, group_table, output)
        return
    if output is None:
        frame = table.reset_index()
        click.echo(frame.to_csv(index=False) if output_format == "csv"
                   else frame.to_json(orient="records", force_ascii=False), nl=output_format != "csv")
        return
    write_table(table, output, output_format)
    click.echo(f"Wrote {len(table)} rows to {output}", err=True)


def _print_table(table: pd.DataFrame, groups: bool, output: str | None) -> None:
    view = table[_GROUP_VIEW] if groups else table[_NODE_VIEW].sort_values(
        ["bridge_centrality", "international_degree"], ascending=False, kind="stable")
    text = view.head(_ROWS).to_string(float_format=lambda x: f"{x:.3g}")
    if len(view) > _ROWS:
        text += f"\n... {len(view) - _ROWS} more rows; use --format csv, json, parquet or xlsx for all rows and columns"
    if output is None:
        click.echo(text)
        return
    from netcluster.files import atomic_write

    with atomic_write(output) as handle:
        handle.write(text + "\n")
    click.echo(f"Wrote the table to {output}", err=True)
