"""The one place where library errors become command-line messages.

A :class:`~netcluster.errors.NetclusterError` (bad input, unwritable output)
is printed as one line, ``Error: <message>``, on standard error with exit
code 1 and no traceback. Usage errors (unknown options, bad option values)
keep click's exit code 2. Any other exception is a bug and shows its
traceback.
"""

from __future__ import annotations

from typing import Any

import click

from netcluster.errors import NetclusterError

__all__ = ["NetclusterGroup"]


class NetclusterGroup(click.Group):
    """A click group that translates NetclusterError into a one-line error."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NetclusterError as exc:
            raise click.ClickException(str(exc)) from None
