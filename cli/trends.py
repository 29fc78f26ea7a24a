"""netcluster trends: the cluster's measures per year window, and what changed."""

from __future__ import annotations

from typing import Any

import click

from netcluster.trends import trend_sentences, trends as trends_table

from ._messages import info
from ._options import home_from_options, home_options, network_from_options, record_options
from ._output import emit_table, output_options
from ._progress import step


@click.command()
@record_options
@home_options
@click.option("--locality", default="region", show_default=True,
              help="What 'local' means and which localities are followed: region, city, nuts1-3 or a column.")
@click.option("--window", type=int, default=3, show_default=True, help="Years per window.")
@click.option("--step", "step_years", type=int, default=1, show_default=True,
              help="Years between the starts of rolling windows.")
@click.option("--fixed", is_flag=True, default=False,
              help="Consecutive windows that do not overlap instead of rolling ones (--step is ignored).")
@click.option("--first-year", type=int, default=None, metavar="YEAR", help="First year of the windows.")
@click.option("--last-year", type=int, default=None, metavar="YEAR", help="Last year of the windows.")
@click.option("--hops", type=click.IntRange(min=1), default=2, show_default=True,
              help="Path length for external reach and gatekeeper dependency.")
@click.option("--top-share", type=click.FloatRange(0, 1), default=0.10, show_default=True,
              help="Share of a group's members, ranked by international degree in the window, removed to "
                   "measure gatekeeper dependency.")
@output_options
def trends(locality: str, window: int, step_years: int, fixed: bool, first_year: int | None,
           last_year: int | None, hops: int, top_share: float, output_format: str, output: str | None,
           **options: Any) -> None:
    """Measure the cluster per year window: active organisations, pairs by scope, openness, dependency.

    The twin of netcluster.trends. One row per window and group: the home
    set (or all organisations without --home) and the 10 largest
    localities of its countries. Measures: organisations active, partner
    pairs by scope, density, share of members with a foreign partner, E-I,
    concentration of international ties (Gini), gatekeeper dependency
    (brokers ranked by international degree in the window) and new
    international partners. Standard error gets one sentence per measure
    for the home set (first window against the last).

    \b
    Examples:
      netcluster trends --home member
      netcluster trends --sample norway_h2020 --home country=NO --window 1 --format csv -o trends.csv
    """
    network, _ = network_from_options(options)
    home = home_from_options(options)
    years = None
    if first_year is not None or last_year is not None:
        dated = network.ties["year"].dropna()
        low = first_year if first_year is not None else (int(dated.min()) if len(dated) else 0)
        high = last_year if last_year is not None else (int(dated.max()) if len(dated) else 0)
        years = (low, high)
    with step("trends"):
        table = trends_table(network, window=window, step=step_years, home=home, locality=locality, years=years,
                             mode="fixed" if fixed else "rolling", hops=hops, top_share=top_share)
    emit_table(table, output_format, output, index=False, rows=None)
    sentences = trend_sentences(table)
    first_group = table["group"].iloc[0]
    for sentence in sentences.loc[sentences["group"] == first_group, "sentence"]:
        info(f"{first_group}: {sentence}")
