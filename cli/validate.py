"""netcluster validate: load records and print the load report, building nothing else."""

from __future__ import annotations

import json
from typing import Any

import click

from netcluster.export import write_csv
from netcluster.loaders import LoadReport

from ._messages import info
from ._options import network_from_options, record_options


@click.command()
@record_options
@click.option("--rejects", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Write every rejected row (file, line, field, value, reason) to this CSV file.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Print the load report as sentences or as JSON.")
def validate(rejects: str | None, output_format: str, **record: Any) -> None:
    """Check record files and print the load report.

    Every input row is accounted for: loaded, merged as a duplicate, or
    rejected with its line, field, value and reason. With --strict, any
    rejected row is an error (exit code 1). With --network, the load report
    saved in the network file by netcluster build is printed.

    \b
    Examples:
      netcluster validate --copatents patents.csv --map copatents.org=psn_name
      netcluster validate --partnerships projects.csv --rejects rejected.csv
      netcluster validate --network network.zip
    """
    network, _ = network_from_options(record, describe_load=False)
    report = LoadReport.from_dict(network.load_report)
    if rejects:
        write_csv(report.rejections_frame(), rejects)
        info(f"Wrote {len(report.rejections)} rejected rows to {rejects}")
    if output_format == "json":
        click.echo(json.dumps(report.to_dict(), indent=1, ensure_ascii=False))
        return
    for line in report.summary_lines():
        click.echo(line)
    click.echo(
        f"network: {network.n_orgs} organisations, {len(network.ties)} tie records, "
        f"{network.events['event'].nunique() if len(network.events) else 0} events, "
        f"layers: {', '.join(network.layers) or 'none'}"
    )
