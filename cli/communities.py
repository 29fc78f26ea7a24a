"""netcluster communities: detect communities, print their table and how they match geography."""

from __future__ import annotations

import json
from typing import Any

import click

from netcluster.communities import compare_partitions, detect_communities, read_partition
from netcluster.errors import InputError
from netcluster.files import atomic_write

from ._messages import info
from ._options import memory_budget_option, network_from_options, record_options
from ._output import emit_table, output_options
from ._progress import step

_METHODS = ("leiden", "louvain", "label_propagation")


@click.command()
@record_options
@click.option("--method", type=click.Choice(_METHODS), default="leiden", show_default=True,
              help="leiden (default), louvain, or label_propagation.")
@click.option("--layer", "layers", multiple=True, metavar="NAME",
              help="Use only this layer. Repeatable.")
@click.option("--resolution", type=click.FloatRange(min=0, min_open=True), default=1.0, show_default=True,
              help="Higher values give more, smaller communities (Leiden, Louvain, multiplex).")
@click.option("--iterations", type=click.IntRange(min=-1), default=2, show_default=True,
              help="Leiden iterations; -1 iterates until nothing changes (slower, slightly higher modularity).")
@click.option("--runs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Repeat with seeds seed..seed+runs-1 and report a consensus and its stability.")
@click.option("--multiplex", is_flag=True, default=False,
              help="Multiplex Leiden across layers (leidenalg) instead of the flattened graph.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the first run.")
@click.option("--members", is_flag=True, default=False,
              help="Print each organisation's community instead of the per-community table.")
@click.option("--compare", "compare_file", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Also compare with this partition: a file of organisation id, then group (CSV, XLSX, ...).")
@memory_budget_option
@output_options
def communities(method: str, layers: tuple[str, ...], resolution: float, iterations: int, runs: int, multiplex: bool,
                seed: int, members: bool, compare_file: str | None, memory_budget: str | None, output_format: str,
                output: str | None, **options: Any) -> None:
    """Find communities of organisations and compare them with countries.

    The twin of netcluster.detect_communities. The table gives, per
    community, its size, internal density, countries, international share
    and ties to other communities; a last line compares the communities
    with the organisations' countries (NMI, ARI, VI).

    \b
    Examples:
      netcluster communities
      netcluster communities --sample norway_h2020 --runs 5 --format csv
      netcluster communities --compare clusters.csv
    """
    network, _ = network_from_options(options)
    given = read_partition(compare_file) if compare_file else None
    if given is not None and not given.index.isin(network.org_ids).any():
        raise InputError("no organisation id in this file is in the network (the first column must hold the ids)",
                         file=compare_file)
    with step("communities"):
        partition = detect_communities(network, method=method, layers=layers or None, resolution=resolution,
                                       seed=seed, runs=runs, multiplex=multiplex, memory_budget=memory_budget,
                                       iterations=iterations)
    table = partition.membership.to_frame() if members else partition.quality
    if members and partition.confidence is not None:
        table = table.join(partition.confidence)
    versus = compare_partitions(partition, network.orgs["country"])
    versus_file = compare_partitions(partition, given) if given is not None else None
    if output_format == "json":  # the table with the figures that describe it
        text = json.dumps({
            "modularity": partition.modularity,
            "stability": partition.stability,
            "versus_country": versus,
            **({"versus_file": versus_file} if versus_file else {}),
            "rows": json.loads(table.reset_index().to_json(orient="records", force_ascii=False)),
        }, ensure_ascii=False)
        if output is None:
            click.echo(text)
        else:
            with atomic_write(output) as handle:
                handle.write(text)
            info(f"Wrote {len(table)} rows to {output}")
    else:
        emit_table(table, output_format, output)
    summary = (f"{partition.membership.nunique()} communities, modularity {partition.modularity:.3f}; "
               f"versus countries: NMI {versus['nmi']:.3f}, ARI {versus['ari']:.3f}, VI {versus['vi']:.3f}")
    if versus_file:
        summary += (f"; versus {compare_file}: NMI {versus_file['nmi']:.3f}, ARI {versus_file['ari']:.3f}, "
                    f"VI {versus_file['vi']:.3f} over {versus_file['common']} organisations "
                    f"({versus_file['coverage_left']:.0%} of the network)")
    if partition.stability:
        summary += f"; stability over {runs} runs: ARI {partition.stability['ari']:.3f}, NMI {partition.stability['nmi']:.3f}"
    info(summary)
