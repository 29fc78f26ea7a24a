"""netcluster report: records in, one offline HTML report out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from netcluster.loaders.build import KINDS
from netcluster.report import write_report
from netcluster.sample_graphs import get_sample

from ._messages import info, warn
from ._options import (
    analysis_from_options, analysis_options, network_from_options, outcome_options, record_options,
)
from ._progress import step


@click.command()
@record_options
@analysis_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="report.html",
              show_default=True, help="Where to write the HTML report.")
@click.option("--title", default=None, help="Title of the report.")
@outcome_options
def report(output: str, title: str | None, outcomes_file: str | None, outcome: str | None, until: int | None,
           **options: Any) -> None:
    """Write an interactive HTML report of the collaboration network.

    Without record files it runs on the bundled synthetic sample
    (ocean_cluster). The report is one self-contained file that works offline.
    With an outcome (--outcome, --outcomes or --until, as for 'netcluster
    evidence') it shows whether international ties are associated with it;
    on the bundled sample the outcome column new_product is used by default.

    \b
    Examples:
      netcluster report -o report.html
      netcluster report --partnerships pairs.csv --organisations orgs.csv -o report.html
      netcluster report --organisations orgs.csv --partnerships pairs.csv --outcomes survey.csv --outcome new_product
    """
    if outcomes_file is not None and until is not None:
        raise click.UsageError("give either --outcomes FILE or --until YEAR, not both")
    if outcomes_file is None and until is None and outcome is None:
        outcome = _sample_outcome(options)
    network, attribution = network_from_options(options)
    rejected = len(network.load_report.get("rejections", []))
    if rejected:
        warn(f"{rejected} input rows were rejected; the report lists them "
             "(or run 'netcluster validate' with the same inputs).")
    result = analysis_from_options(network, options)
    with step("writing the report"):
        path = write_report(result, output, title=title, attribution=attribution, outcomes=outcomes_file,
                            outcome=outcome, until=until, memory_budget=options["memory_budget"])
    summary = result.summary
    info(f"Report written to {Path(path).resolve()} ({summary['organisations']} organisations, "
         f"{summary['partner_pairs']} partner pairs).")


def _sample_outcome(options: dict[str, Any]) -> str | None:
    """The outcome column a bundled sample declares, when the report runs on that sample."""
    if options.get("network") or any(options[kind] for kind in KINDS):
        return None
    return get_sample(options["sample"] or "ocean_cluster").outcome
