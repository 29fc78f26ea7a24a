"""Writing files atomically and fingerprinting inputs.

Every file netcluster writes goes through :func:`atomic_write` (or
:func:`atomic_path`, for writers that take a file name): the content is
written to a temporary file in the destination folder and renamed over the
destination only when complete, so an interrupted run never leaves a
half-written output behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import OutputError

__all__ = ["atomic_path", "atomic_write", "sha256_file"]


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path that replaces ``path`` when the block succeeds.

    For writers that take a file name rather than a handle (such as DuckDB's
    Parquet writer); :func:`atomic_write` opens this path for Python code.

    Parameters
    ----------
    path : path-like
        The destination. Its folder must exist.

    Raises
    ------
    OutputError
        When the folder does not exist or is not writable.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as temporary:
    ...     _ = temporary.write_text("hello")
    >>> target.read_text()
    'hello'
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"cannot write {target}: the folder {folder} does not exist")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror}") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO]:
    """Open a temporary file that replaces ``path`` when the block succeeds.

    Parameters
    ----------
    path : path-like
        The destination. Its folder must exist.
    mode : {"w", "wb"}
        Text mode writes UTF-8 with ``\\n`` line endings.

    Raises
    ------
    OutputError
        When the folder does not exist or is not writable.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(target) as handle:
    ...     _ = handle.write("hello")
    >>> target.read_text()
    'hello'
    """
    with atomic_path(path) as tmp:
        if "b" in mode:
            handle: IO = open(tmp, mode)
        else:
            handle = open(tmp, mode, encoding="utf-8", newline="\n")
        with handle:
            yield handle


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Return the hexadecimal SHA-256 digest of a file's bytes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x"
    >>> _ = p.write_bytes(b"abc")
    >>> sha256_file(p)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
