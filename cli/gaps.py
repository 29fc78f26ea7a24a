"""netcluster gaps: members without global ties and the cluster's fragile points."""

from __future__ import annotations

from typing import Any

import click

from netcluster.gaps import find_gaps

from ._messages import info
from ._options import analysis_from_options, analysis_options, network_from_options, record_options
from ._output import emit_table, output_options
from ._progress import step


@click.command()
@record_options
@analysis_options
@click.option("--concentration-threshold", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="Report concentration when the top --top-share of members hold at least this share "
                   "of the members' foreign partnerships.")
@click.option("--min-community", type=click.IntRange(min=1), default=2, show_default=True,
              help="Smallest community (in members) reported as having no international bridge.")
@output_options
def gaps(concentration_threshold: float, min_community: int, output_format: str, output: str | None,
         **options: Any) -> None:
    """List members without foreign partners and the cluster's fragile points.

    The twin of netcluster.find_gaps. One row per finding: members with no
    international tie (locally central ones first), communities of members
    none of whom has a foreign partner, single points of failure (an
    organisation whose removal leaves members with no foreign organisation
    within --hops steps), and concentration of foreign partnerships in a few
    members. Severity runs from 0 to 1.

    \b
    Examples:
      netcluster gaps --home member
      netcluster gaps --sample norway_h2020 --home country=NO --format csv -o gaps.csv
    """
    network, _ = network_from_options(options)
    result = analysis_from_options(network, options)
    with step("finding gaps"):
        table = find_gaps(result, hops=options["hops"], top_share=options["top_share"],
                          concentration_threshold=concentration_threshold, min_community=min_community)
    emit_table(table, output_format, output, view=["kind", "severity", "evidence"], index=False)
    counts = table["kind"].value_counts()
    info("; ".join(f"{kind}: {count}" for kind, count in counts.items()) or "no gaps found")
