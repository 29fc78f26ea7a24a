"""netcluster samples: list the bundled samples, or copy one out."""

from __future__ import annotations

import click

from netcluster.sample_graphs import copy_sample, get_sample, list_samples

from ._messages import info


@click.command()
@click.argument("name", required=False)
@click.option("--copy-to", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="Copy the sample's files and README into DIR/NAME.")
def samples(name: str | None, copy_to: str | None) -> None:
    """List the bundled samples, or show and copy one.

    \b
    Examples:
      netcluster samples
      netcluster samples ocean_cluster --copy-to .
    """
    if name is None:
        if copy_to:
            raise click.UsageError("name the sample to copy, for example: netcluster samples ocean_cluster --copy-to .")
        for sample in list_samples():
            click.echo(f"{sample.name}\t{sample.title}")
        return
    sample = get_sample(name)
    if copy_to is None:
        click.echo(f"{sample.name}: {sample.title}")
        for kind, path in sample.paths().items():
            click.echo(f"  --{kind} {path}")
        return
    target = copy_sample(name, copy_to)
    info(f"Copied {name} to {target}")
