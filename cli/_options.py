"""Option groups shared by commands; each option maps 1:1 to a keyword argument."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from netcluster.loaders.build import build_network
from netcluster.network import CollaborationNetwork
from netcluster.projection import COUNTING
from netcluster.sample_graphs import get_sample, list_samples

__all__ = ["record_options", "analysis_options", "network_from_options"]

F = TypeVar("F", bound=Callable[..., Any])

_RECORD_KINDS = ("partnerships", "copatents", "memberships", "organisations")


def _compose(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    def apply(function: F) -> F:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


record_options = _compose(
    click.option("--partnerships", multiple=True, metavar="FILE",
                 help="Partnership records: organisation pairs (source, target) or project participations (event, org). Repeatable."),
    click.option("--copatents", multiple=True, metavar="FILE",
                 help="Co-patent records, one row per patent and applicant (event, org). Repeatable."),
    click.option("--memberships", multiple=True, metavar="FILE",
                 help="Membership records (org, group). Repeatable."),
    click.option("--organisations", multiple=True, metavar="FILE",
                 help="Organisation records (org, name, country, region, ...). Repeatable."),
    click.option("--sample", type=click.Choice([s.name for s in list_samples()]), default=None,
                 help="Use a bundled sample instead of files (default when no file is given: ocean_cluster)."),
    click.option("--counting", type=click.Choice(COUNTING), default="full", show_default=True,
                 help="How an event with k organisations weights each pair: 1 (full) or 1/(k-1) (fractional)."),
    click.option("--max-event-size", type=click.IntRange(min=0), default=100, show_default=True,
                 help="Events with more organisations are not projected (listed in the load report); 0 for no cap."),
)

analysis_options = _compose(
    click.option("--locality", default="region", show_default=True,
                 help="What 'local' means: region, city, nuts1, nuts2, nuts3 or an organisation column."),
    click.option("--layer", "layers", multiple=True, metavar="NAME",
                 help="Analyse only this layer (partnership, copatent, membership, ...). Repeatable."),
    click.option("--seed", type=int, default=0, show_default=True, help="Seed for every random step."),
)


def network_from_options(options: dict[str, Any]) -> tuple[CollaborationNetwork, str | None]:
    """Build the network the record options describe; return it with its data attribution.

    Without any record file, the ``--sample`` (default ``ocean_cluster``) is used.
    """
    files = {kind: list(options[kind]) for kind in _RECORD_KINDS if options[kind]}
    if files and options["sample"]:
        raise click.UsageError("give either record files or --sample, not both")
    attribution = None
    if not files:
        sample = get_sample(options["sample"] or "ocean_cluster")
        files = {kind: [str(path)] for kind, path in sample.paths().items()}
        attribution = sample.attribution
    cap = options["max_event_size"] or None
    network = build_network(**files, counting=options["counting"], max_event_size=cap)
    return network, attribution
