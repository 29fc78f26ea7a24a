"""The one place where library errors become command-line messages.

A :class:`~netcluster.errors.NetclusterError` (bad input, unwritable output)
is printed as one line, ``Error: <message>``, on standard error with exit
code 1 and no traceback. Usage errors (unknown options, bad option values)
keep click's exit code 2. Any other exception is a bug and shows its
traceback.

The group also gives every command it holds -q/--quiet and -v/--verbose
(see :mod:`._messages`), so a new command gets them without a decorator.
"""

from __future__ import annotations

from typing import Any

import click

from netcluster.errors import NetclusterError

from ._messages import verbosity_parameters

__all__ = ["NetclusterGroup"]


class NetclusterGroup(click.Group):
    """A click group that translates NetclusterError into a one-line error.

    Commands added to it get -q/--quiet and -v/--verbose unless they have them.
    """

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        names = {param.name for param in cmd.params}
        cmd.params.extend(p for p in verbosity_parameters() if p.name not in names)
        super().add_command(cmd, name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NetclusterError as exc:
            raise click.ClickException(str(exc)) from None
