"""netcluster backtest: would the suggestions have named the partners members actually found?"""

from __future__ import annotations

import json
from typing import Any

import click

from netcluster.backtest import backtest as run_backtest

from ._messages import info
from ._options import (
    home_from_options,
    home_options,
    network_from_options,
    record_options,
    suggestion_keywords,
    suggestion_options,
)
from ._progress import step


@click.command()
@record_options
@home_options
@click.option("--until", type=int, required=True, metavar="YEAR",
              help="Learn from ties dated before YEAR; score on new international ties from YEAR on.")
@click.option("-k", "k", type=click.IntRange(min=1), multiple=True, metavar="K",
              help="Cut-off for precision, recall and MRR. Repeatable (default 5, 10 and 20).")
@suggestion_options
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the random baseline.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="How to print the scores.")
def backtest(until: int, k: tuple[int, ...], seed: int, output_format: str, **options: Any) -> None:
    """Back-test partner suggestions against the ties members really formed later.

    The twin of netcluster.backtest. Learns from ties dated before --until,
    suggests partners for every member (of --home, or every organisation),
    and scores the suggestions against the new international ties formed
    from --until on: precision@k, recall@k and MRR@k, next to preferential
    attachment (suggest the best-connected) and random baselines.

    \b
    Examples:
      netcluster backtest --sample norway_h2020 --until 2016
      netcluster backtest --partnerships participations.csv.gz --until 2018 --home country=NO --format json
    """
    keywords = suggestion_keywords(options)
    network, _ = network_from_options(options)
    home = home_from_options(options)
    with step("back-test"):
        result = run_backtest(network, until=until, home=home, k=k or (5, 10, 20), seed=seed, **keywords)
    if output_format == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    click.echo(result.table.to_string(float_format=lambda x: f"{x:.4f}"))
    counts = result.counts
    info(f"{counts['evaluated']} of {counts['members']} members evaluated on "
         f"{counts['new_international_ties']} new international ties from {until} on "
         f"({counts['excluded_new_organisations']} ties to organisations new after {until - 1} not scored)")
