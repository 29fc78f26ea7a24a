"""netcluster analyze: records in, the node table (or the group table) out."""

from __future__ import annotations

from typing import Any

import click

from ._options import analysis_from_options, analysis_options, network_from_options, record_options
from ._output import emit_table, output_options

#: Columns the human-readable table shows (every column goes to files).
_NODE_VIEW = ["name", "country", "region", "degree", "local_degree", "international_degree", "openness",
              "bridge_centrality", "gf_gatekeeper", "gb_role"]
_GROUP_VIEW = ["organisations", "internal_ties", "density", "international_ties", "ei_index",
               "share_international", "gatekeeper_dependency", "top_brokers"]


@click.command()
@record_options
@analysis_options
@click.option("--groups", "group_table", is_flag=True, default=False,
              help="Write the group table (home set, countries, localities) instead of the node table.")
@output_options
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
    if group_table:
        emit_table(result.groups, output_format, output, view=_GROUP_VIEW)
    else:
        nodes = result.nodes
        if output_format == "table":
            nodes = nodes.sort_values(["bridge_centrality", "international_degree"], ascending=False, kind="stable")
        emit_table(nodes, output_format, output, view=_NODE_VIEW)
