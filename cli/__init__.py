"""The netcluster command line (installed as ``netcluster.cli``).

Every command is a thin twin of one library call with the same parameter
names; library errors become one-line messages in :mod:`._errors`.
"""

from __future__ import annotations

import click

from netcluster import __version__

from ._errors import NetclusterGroup
from ._messages import verbosity_options
from .aggregate import aggregate
from .analyze import analyze
from .backtest import backtest
from .build import build
from .communities import communities
from .evidence import evidence
from .export import export
from .gaps import gaps
from .report import report
from .samples import samples
from .suggest import suggest
from .trends import trends
from .validate import validate

__all__ = ["main"]


@click.group(cls=NetclusterGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="netcluster")
@verbosity_options
def main() -> None:
    """netcluster: local buzz or global pipelines? Analyse an innovation cluster's
    collaboration network from partnership, co-patent and membership records.

    Data goes to standard output, messages to standard error. -q/--quiet
    keeps only warnings and errors; -v/--verbose adds detail (the time of
    each stage, the load report). Both work before or after the command
    name: netcluster -q report, netcluster report -q. While a slow step
    runs, a progress display shows on standard error when it is a terminal
    (never in pipes or files, and not with -q).
    """


main.add_command(aggregate)
main.add_command(analyze)
main.add_command(backtest)
main.add_command(build)
main.add_command(communities)
main.add_command(evidence)
main.add_command(export)
main.add_command(gaps)
main.add_command(report)
main.add_command(samples)
main.add_command(suggest)
main.add_command(trends)
main.add_command(validate)
