"""netcluster export: a graph file for Gephi and friends, or a whole table for spreadsheets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from netcluster.errors import OutputError
from netcluster.export import TABLE_FORMATS
from netcluster.graph_formats import GRAPH_FORMATS, tie_table, write_graph

from ._options import analysis_from_options, analysis_options, network_from_options, record_options
from ._output import emit_table

_TABLES = ("nodes", "groups", "ties")
_SUFFIXES = {".graphml": "graphml", ".gexf": "gexf", ".csv": "csv", ".parquet": "parquet", ".xlsx": "xlsx"}


@click.command()
@record_options
@analysis_options
@click.option("--format", "output_format", type=click.Choice([*GRAPH_FORMATS, *TABLE_FORMATS]), default=None,
              help="graphml, gexf or node-link for a graph file; csv, json, parquet or xlsx for a table "
                   "(default: from the file name, except .json, which could be either).")
@click.option("--table", type=click.Choice(_TABLES), default=None,
              help="The table to write in a table format: nodes (every measure; the default), groups, or "
                   "ties (one row per partner pair and layer).")
@click.option("--analysis/--no-analysis", "run_analysis", default=True, show_default=True,
              help="Run the analysis and write every measure, or write the network as it is "
                   "(organisation attributes only; much faster on large networks).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, metavar="FILE",
              help="The file to write.")
def export(output_format: str | None, table: str | None, run_analysis: bool, output: str, **options: Any) -> None:
    """Write the network and its measures as a graph file or a whole table.

    The twin of netcluster.write_graph (graphml, gexf, node-link) and
    netcluster.export.write_table (csv, json, parquet, xlsx). Graph files
    carry every node measure as a node attribute and, per partner pair, the
    flattened weight, the weight on each layer, the layers, records and the
    first and last year; GraphML and GEXF open in Gephi, Cytoscape and yEd
    (docs/exports.md). CSV and XLSX cells that a spreadsheet would run as
    formulas are written as text. Every file is written atomically.

    \b
    Examples:
      netcluster export --network network.zip --home member -o cluster.gexf
      netcluster export --sample norway_h2020 --home country=NO --format graphml -o norway.graphml
      netcluster export --network network.zip --no-analysis --format node-link -o network.json
      netcluster export --home member --table groups -o groups.xlsx
      netcluster export --network network.zip --no-analysis --table ties -o ties.parquet
    """
    chosen = output_format or _SUFFIXES.get(Path(output).suffix.lower())
    if chosen is None:
        raise click.UsageError("give --format: graphml, gexf or node-link for a graph, csv, json, parquet or xlsx "
                               "for a table (the file name does not tell)")
    if chosen in GRAPH_FORMATS and table is not None:
        raise click.UsageError(f"--table applies to table formats ({', '.join(TABLE_FORMATS)}), not to {chosen}")
    table = table or "nodes"
    if table == "groups" and not run_analysis:
        raise click.UsageError("the groups table comes from the analysis: drop --no-analysis")
    folder = Path(output).parent
    if not folder.is_dir():  # before the analysis, which can take minutes
        raise OutputError(f"cannot write {output}: the folder {folder} does not exist")
    network, _ = network_from_options(options)
    result = analysis_from_options(network, options) if run_analysis else None
    if chosen in GRAPH_FORMATS:
        written = write_graph(result if result is not None else network, output, chosen)
        shown = result.network if result is not None else network
        click.echo(f"Wrote {chosen} with {shown.n_orgs} organisations and {shown.to_csr().nnz // 2} "
                   f"partner pairs to {written}", err=True)
    elif table == "ties":
        emit_table(tie_table(result if result is not None else network), chosen, output, index=False)
    elif table == "groups" and result is not None:
        emit_table(result.groups, chosen, output)
    else:
        emit_table(result.nodes if result is not None else network.orgs, chosen, output)
