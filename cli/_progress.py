"""A progress display for the slow steps, made from the library's ``progress`` callbacks.

The library prints nothing: :func:`netcluster.analyze` and
:func:`netcluster.build_network` call ``progress(stage)`` as each stage
starts. :func:`stages` gives the command line such a callback and turns the
calls into

- a rich display on standard error (spinner, step, bar, elapsed time), only
  when standard error is a terminal and -q was not given, and only for a step
  still running after :data:`DELAY` seconds; it disappears when the step ends,
  so pipes, files and tests never see it;
- with -v, one line per stage with its time (through :func:`._messages.detail`).

Example::

    with stages("analysis", total=len(ANALYSIS_STAGES)) as progress:
        result = analyze(network, progress=progress)
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ._messages import QUIET, detail, redirect, verbosity

__all__ = ["stages", "step", "DELAY"]

#: Seconds a step runs before a display appears (quicker steps show none).
DELAY = 1.0


@contextmanager
def stages(title: str, total: int | None = None) -> Iterator[Callable[[str], None]]:
    """A ``progress`` callback for a library call, shown as ``title: stage``.

    ``total`` is the number of stages when known (it draws a bar), else the
    bar only pulses.
    """
    tracker = _Stages(title, total)
    try:
        yield tracker.begin
    except BaseException:
        tracker.close(finished=False)
        raise
    tracker.close(finished=True)


@contextmanager
def step(title: str) -> Iterator[None]:
    """A single slow step without stages of its own (writing the report, ...)."""
    with stages(title) as progress:
        progress(title)
        yield


class _Stages:
    """Timings for -v and, on a terminal, a rich display that starts after DELAY seconds."""

    def __init__(self, title: str, total: int | None) -> None:
        self.title = title
        self.total = total
        self.stage: str | None = None
        self.done = 0
        self.started = self.stage_started = time.perf_counter()
        self._lock = threading.Lock()
        self._closed = False
        self._display: _Display | None = _Display(title, total) if _wanted() else None
        self._timer: threading.Timer | None = None
        if self._display is not None:
            self._timer = threading.Timer(DELAY, self._show)
            self._timer.daemon = True
            self._timer.start()

    def begin(self, stage: str) -> None:
        """The library's progress callback: ``stage`` starts now."""
        self._finish_stage()
        self.stage = stage
        if self._display is not None:
            self._display.update(self._label(), self.done)

    def close(self, *, finished: bool) -> None:
        if finished:
            self._finish_stage()
            if self.done > 1:
                detail(f"{self.title}: {time.perf_counter() - self.started:.2f} s in all")
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            self._closed = True
            if self._display is not None:
                self._display.stop()

    def _finish_stage(self) -> None:
        now = time.perf_counter()
        if self.stage is not None:
            label = self.title if self.stage == self.title else f"{self.title}: {self.stage}"
            detail(f"{label}: {now - self.stage_started:.2f} s")
            self.done += 1
        self.stage_started = now

    def _label(self) -> str:
        if self.stage is None or self.stage == self.title:
            return self.title
        return f"{self.title}: {self.stage}"

    def _show(self) -> None:
        with self._lock:
            if not self._closed and self._display is not None:
                self._display.start(self._label(), self.done)


def _wanted() -> bool:
    """A display only on a terminal (whatever FORCE_COLOR says) and not with -q."""
    if verbosity() <= QUIET:
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _Display:
    """The rich progress display on standard error, transient."""

    def __init__(self, title: str, total: int | None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        console = Console(stderr=True)
        self.enabled = console.is_terminal and not console.is_dumb_terminal
        columns: list[ProgressColumn] = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn()]
        if total is not None:
            columns.append(MofNCompleteColumn())
        columns.append(TimeElapsedColumn())
        self.progress = Progress(*columns, console=console, transient=True, redirect_stdout=False)
        self.task = self.progress.add_task(title, total=total)
        self.running = False

    def update(self, label: str, done: int) -> None:
        self.progress.update(self.task, description=label, completed=done)

    def start(self, label: str, done: int) -> None:
        if not self.enabled or self.running:
            return
        self.update(label, done)
        self.progress.start()
        self.running = True
        console = self.progress.console
        redirect(lambda message: console.print(message, markup=False, highlight=False, emoji=False))

    def stop(self) -> None:
        if self.running:
            redirect(None)
            self.progress.stop()
            self.running = False
