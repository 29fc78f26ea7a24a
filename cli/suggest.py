"""netcluster suggest: foreign organisations each member could call, with the evidence."""

from __future__ import annotations

from typing import Any

import click

from netcluster.suggestions import suggest_partners

from ._options import (
    analysis_from_options,
    analysis_options,
    network_from_options,
    record_options,
    suggestion_keywords,
    suggestion_options,
)
from ._output import emit_table, output_options
from ._progress import step


@click.command()
@record_options
@analysis_options
@click.option("--member", "members", multiple=True, metavar="ORG_ID",
              help="Suggest for this organisation only. Repeatable (default: every member of the home set).")
@click.option("-k", "--top", "k", type=click.IntRange(min=1), default=10, show_default=True,
              help="Suggestions per member.")
@suggestion_options
@output_options
def suggest(members: tuple[str, ...], k: int, output_format: str, output: str | None, **options: Any) -> None:
    """Suggest foreign partners for members, ranked, with the evidence in words.

    The twin of netcluster.suggest_partners. Candidates are organisations of
    other countries not yet tied to the member, ranked by Adamic-Adar, common
    partners and resource allocation on each layer, then by their number of
    partners; the evidence says which of the member's partners they work
    with.

    \b
    Examples:
      netcluster suggest --home member
      netcluster suggest --sample norway_h2020 --home country=NO --member 917398453 -k 5
      netcluster suggest --home member --kind university --country DE --country NL --format csv
    """
    keywords = suggestion_keywords(options)
    network, _ = network_from_options(options)
    result = analysis_from_options(network, options)
    with step("suggesting partners"):
        table = suggest_partners(result, list(members) or None, k=k, **keywords)
    emit_table(table, output_format, output,
               view=["member_name", "rank", "partner_name", "partner_country", "score", "evidence"], index=False,
               rows=None if members else 25)
