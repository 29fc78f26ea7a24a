"""The exceptions netcluster raises.

Every error that a user can cause derives from :class:`NetclusterError`; errors
caused by bad input data or bad arguments also derive from :class:`ValueError`
so that generic ``except ValueError`` code keeps working. Any other exception
escaping the library is a bug.

::

    NetclusterError
     ├── InputError (also ValueError)       bad records, arguments or files
     │    ├── SchemaError                   a required column is missing or ambiguous
     │    ├── NetworkFileError              a saved network file cannot be read
     │    └── StrictModeError               rows were rejected and strict=True was asked
     ├── OutputError                        an output cannot be written
     └── CapacityError                      the graph stages would not fit in the memory budget

Each error carries, where known, the ``file``, ``line``, ``column`` and
``value`` that caused it; ``str(error)`` is a one-line message meant for a
person, and the command line prints exactly that line.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = [
    "NetclusterError",
    "InputError",
    "SchemaError",
    "NetworkFileError",
    "StrictModeError",
    "OutputError",
    "CapacityError",
]


class NetclusterError(Exception):
    """Root of every error netcluster raises on purpose.

    Parameters
    ----------
    message : str
        What went wrong and, where possible, what to do about it.
    file, line, column, value : optional
        Where the problem was found. ``line`` counts from 1 and includes the
        header line, as a text editor shows it.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | os.PathLike[str] | None = None,
        line: int | None = None,
        column: str | None = None,
        value: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = None if file is None else os.fspath(file) if isinstance(file, os.PathLike) else str(file)
        self.line = line
        self.column = column
        self.value = value

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(self.file if self.line is None else f"{self.file}:{self.line}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.value is not None:
            where.append(f"value {self.value!r}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class InputError(NetclusterError, ValueError):
    """Records, arguments or files that netcluster cannot use as given."""


class SchemaError(InputError):
    """A record file's headers do not give a required field, or give it twice."""


class NetworkFileError(InputError):
    """A saved network file is missing, damaged or of an unknown format."""


class StrictModeError(InputError):
    """Rows were rejected while loading with ``strict=True``."""


class OutputError(NetclusterError):
    """An output file or folder cannot be written."""


class CapacityError(NetclusterError):
    """The graph stages of an analysis would need more memory than the budget allows.

    Raised by :func:`netcluster.capacity.check_capacity` before any graph is
    built. ``estimate`` and ``limit`` hold the estimated need and the budget,
    in bytes; the message names both and the ways out (see
    ``docs/scaling.md``).
    """

    def __init__(self, message: str, *, estimate: int, limit: int) -> None:
        super().__init__(message)
        self.estimate = estimate
        self.limit = limit
