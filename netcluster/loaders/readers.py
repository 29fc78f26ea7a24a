"""Reading record tables from files or DataFrames, every value as text.

Supported: CSV and TSV (optionally gzip-compressed; the delimiter is sniffed
among ``,`` ``;`` tab and ``|``; UTF-8 with or without BOM, falling back to
cp1252 with a warning in the load report), Parquet, and pandas DataFrames.
Each row keeps the line number a text editor would show, for messages.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError

__all__ = ["Table", "read_table"]

_DELIMITERS = [",", ";", "\t", "|"]


@dataclass
class Table:
    """A record table read as text, with where it came from.

    Attributes
    ----------
    frame : pandas.DataFrame
        Every column as pandas ``string``; empty cells as empty strings.
    source : str
        File path, or ``"<DataFrame>"``.
    lines : pandas.Series
        For each row, its first line in the file (header = line 1), or the
        row position + 2 for a DataFrame.
    warnings : list of str
        Things the reader had to guess (encoding fallback).
    sha256 : str or None
        Checksum of the file's bytes.
    """

    frame: pd.DataFrame
    source: str
    lines: pd.Series
    warnings: list[str] = field(default_factory=list)
    sha256: str | None = None


def read_table(source: str | os.PathLike[str] | pd.DataFrame) -> Table:
    """Read a record table as text.

    Parameters
    ----------
    source : path-like or pandas.DataFrame

    Raises
    ------
    InputError
        When the file does not exist, is empty, has no header, or has an
        unsupported format.
    """
    if isinstance(source, pd.DataFrame):
        frame = source.reset_index(drop=True)
        frame = frame.astype("string").fillna("")
        frame.columns = [str(c) for c in frame.columns]
        lines = pd.Series(range(2, len(frame) + 2), dtype="int64")
        return Table(frame, "<DataFrame>", lines)
    path = Path(source)
    if not path.is_file():
        raise InputError("no such file", file=path)
    name = path.name.lower()
    if name.endswith(".parquet"):
        return _read_parquet(path)
    if name.endswith((".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz", ".txt.gz")):
        return _read_delimited(path)
    raise InputError(
        "unsupported file type: use .csv, .tsv, .txt (optionally .gz) or .parquet", file=path
    )


def _read_parquet(path: Path) -> Table:
    from ..files import sha256_file

    try:
        frame = pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read this Parquet file ({exc})", file=path) from None
    frame = frame.astype("string").fillna("")
    lines = pd.Series(range(2, len(frame) + 2), dtype="int64")
    return Table(frame, str(path), lines, sha256=sha256_file(path))


def _read_delimited(path: Path) -> Table:
    from ..files import sha256_file

    raw = path.read_bytes()
    if path.name.lower().endswith(".gz"):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise InputError(f"cannot decompress this gzip file ({exc})", file=path) from None
    warnings: list[str] = []
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        content = raw.decode("cp1252", errors="replace")
        warnings.append(
            f"{path}: not valid UTF-8 (first bad byte at offset {exc.start}); read as cp1252"
        )
    if not content.strip():
        raise InputError("the file is empty", file=path)
    header = content.splitlines()[0]
    delimiter = max(_DELIMITERS, key=header.count)
    lines = _record_lines(content, delimiter, path)
    frame = pd.read_csv(
        io.StringIO(content),
        sep=delimiter,
        dtype="string",
        keep_default_na=False,
        na_filter=False,
        quotechar='"',
        engine="c",
    )
    frame.columns = [str(c).strip() for c in frame.columns]
    if len(frame) != len(lines):
        raise InputError(
            f"read {len(frame)} rows but counted {len(lines)} records; check the quoting",
            file=path,
        )
    return Table(frame, str(path), lines, warnings, sha256_file(path))


def _record_lines(content: str, delimiter: str, path: Path) -> pd.Series:
    """First line of each data record; checks every record has the header's width."""
    reader = csv.reader(io.StringIO(content), delimiter=delimiter, quotechar='"')
    starts: list[int] = []
    width = None
    previous_end = 0
    for record in reader:
        start, previous_end = previous_end + 1, reader.line_num
        if not record or (len(record) == 1 and not record[0].strip()):
            continue
        if width is None:
            width = len(record)
            continue
        if len(record) != width:
            raise InputError(
                f"this row has {len(record)} fields but the header has {width}; "
                f"is the delimiter {delimiter!r} right, or is a quote missing?",
                file=path,
                line=start,
            )
        starts.append(start)
    return pd.Series(starts, dtype="int64")
