"""Messages for people on standard error, and -q/--quiet and -v/--verbose that tune them.

Data goes to standard output; every other line a command prints goes through
this module to standard error, at one of three levels::

    warn()    always: something about the input or result the user must know
    info()    unless -q: one-line summaries ("Report written to ...", "Wrote 12 rows to ...")
    detail()  only with -v: time per stage, the load report

Errors are not messages: they are raised (see :mod:`._errors`) and always shown.

``-q`` and ``-v`` are options of the ``netcluster`` group and of every command,
so ``netcluster -q report`` and ``netcluster report -q`` both work; the
command's own option wins over the group's. The level lives in ``ctx.meta``,
which click shares between the group's context and the command's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

__all__ = [
    "QUIET", "NORMAL", "VERBOSE", "verbosity", "warn", "info", "detail", "verbosity_options",
    "verbosity_parameters", "redirect",
]

QUIET, NORMAL, VERBOSE = 0, 1, 2

_LEVEL = "netcluster.verbosity"
_SET_BY = "netcluster.verbosity.context"

F = TypeVar("F", bound=Callable[..., Any])

#: Where messages go while a progress display is on screen (see :mod:`._progress`).
_sink: Callable[[str], None] | None = None


def verbosity() -> int:
    """QUIET, NORMAL or VERBOSE for the running command (NORMAL outside one)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return NORMAL
    level = ctx.meta.get(_LEVEL, NORMAL)
    return int(level)


def warn(message: str) -> None:
    """Print a warning: shown even with -q."""
    _emit(message)


def info(message: str) -> None:
    """Print a one-line summary or note: hidden by -q."""
    if verbosity() >= NORMAL:
        _emit(message)


def detail(message: str) -> None:
    """Print detail (timings, the load report): shown only with -v."""
    if verbosity() >= VERBOSE:
        _emit(message)


def redirect(sink: Callable[[str], None] | None) -> None:
    """Send messages to ``sink`` (a progress display's console) instead; None to stop."""
    global _sink
    _sink = sink


def _emit(message: str) -> None:
    sink = _sink
    if sink is not None:
        sink(message)
    else:
        click.echo(message, err=True)


def _setter(level: int) -> Callable[[click.Context, click.Parameter, bool], None]:
    def set_level(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if not value:
            return
        if ctx.meta.get(_SET_BY) is ctx and ctx.meta.get(_LEVEL) != level:
            raise click.UsageError("give either -q/--quiet or -v/--verbose, not both", ctx=ctx)
        ctx.meta[_LEVEL] = level
        ctx.meta[_SET_BY] = ctx

    return set_level


_OPTIONS: list[tuple[tuple[str, ...], dict[str, Any]]] = [
    (("-q", "--quiet"), {"callback": _setter(QUIET),
                         "help": "Print no messages but warnings and errors (data still goes to standard output)."}),
    (("-v", "--verbose"), {"callback": _setter(VERBOSE),
                           "help": "Also print detail: the time of each stage, the load report."}),
]


def verbosity_parameters() -> list[click.Parameter]:
    """New -q/--quiet and -v/--verbose options, to add to a command's params."""
    return [click.Option(list(names), is_flag=True, default=False, expose_value=False, **settings)
            for names, settings in _OPTIONS]


def verbosity_options(function: F) -> F:
    """Decorator adding -q/--quiet and -v/--verbose to a click command or group."""
    for names, settings in reversed(_OPTIONS):
        function = click.option(*names, is_flag=True, default=False, expose_value=False, **settings)(function)
    return function
