"""netcluster report: records in, one offline HTML report out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from netcluster.report import write_report

from ._messages import info, warn
from ._options import analysis_from_options, analysis_options, network_from_options, record_options
from ._progress import step


@click.command()
@record_options
@analysis_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="report.html",
              show_default=True, help="Where to write the HTML report.")
@click.option("--title", default=None, help="Title of the report.")
def report(output: str, title: str | None, **options: Any) -> None:
    """Write an interactive HTML report of the collaboration network.

    Without record files it runs on the bundled synthetic sample
    (ocean_cluster). The report is one self-contained file that works offline.

    \b
    Examples:
      netcluster report -o report.html
      netcluster report --partnerships pairs.csv --organisations orgs.csv -o report.html
    """
    network, attribution = network_from_options(options)
    rejected = len(network.load_report.get("rejections", []))
    if rejected:
        warn(f"{rejected} input rows were rejected; the report lists them "
             "(or run 'netcluster validate' with the same inputs).")
    result = analysis_from_options(network, options)
    with step("writing the report"):
        path = write_report(result, output, title=title, attribution=attribution)
    summary = result.summary
    info(f"Report written to {Path(path).resolve()} ({summary['organisations']} organisations, "
         f"{summary['partner_pairs']} partner pairs).")
