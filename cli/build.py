"""netcluster build: records in, one saved network file out."""

from __future__ import annotations

from typing import Any

import click

from ._options import build_options, network_from_options


@click.command()
@build_options
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="network.zip", show_default=True,
              metavar="FILE", help="Where to save the network (a zip of Parquet tables and JSON metadata).")
def build(output: str, **options: Any) -> None:
    """Build the collaboration network from record files and save it to one file.

    The twin of netcluster.build_network followed by CollaborationNetwork.save.
    Loading and projecting large record files is done once; every other
    command then reads the saved file with --network, which gives the same
    results as building again. The file keeps the load report (netcluster
    validate --network prints it) and the provenance of the inputs.

    \b
    Examples:
      netcluster build --partnerships projects.csv.gz --organisations orgs.csv -o network.zip
      netcluster analyze --network network.zip --home country=NO
      netcluster report --network network.zip -o report.html
    """
    network, attribution = network_from_options(options)
    if attribution is not None:
        network.provenance["attribution"] = attribution
    network.save(output)
    rejected = len(network.load_report.get("rejections", []))
    click.echo(
        f"Saved the network to {output}: {network.n_orgs} organisations, {len(network.ties)} tie records, "
        f"layers {', '.join(network.layers) or 'none'}; {rejected} input rows rejected"
        + (" (netcluster validate --network lists them)." if rejected else "."),
        err=True,
    )
