"""Reading record tables from files or DataFrames, every value as text.

Formats, chosen by the file name's ending (case-insensitive):

- ``.csv``, ``.tsv``, ``.txt``, optionally ``.gz``: the delimiter is sniffed
  among ``,`` ``;`` tab and ``|``; fields may be quoted with ``"``.
  Decoding is per line: UTF-8 (a BOM is dropped); in a line that is not valid
  UTF-8 the bytes that are not UTF-8 are read as cp1252, so a file with UTF-8
  names beside latin-1 abstracts (Espacenet) reads without loss and the
  warnings say how many lines needed it. Text with a UTF-16 BOM (Excel's
  "Unicode text") is read as UTF-16. Lines of text before the header
  (Espacenet's preamble) are skipped and reported: the header is the first
  record with the table's width, the number of fields most records have, when
  every record before it is narrower.
- ``.xlsx``, ``.xlsm``: the first worksheet, or the one named by ``sheet``;
  the header is the first non-empty row; integers are written without
  ``.0``, dates as ``yyyy-mm-dd``.
- ``.jsonl``, ``.ndjson``, optionally ``.gz``: one JSON object per line;
  columns are the keys in order of first appearance; numbers, booleans,
  lists and objects are kept as JSON text.
- ``.parquet``, and pandas DataFrames.

Every table keeps, for each row, the line a text editor shows (the row number
for Excel), so that messages can point at it. Blank lines are skipped.
Header names are trimmed; an empty header becomes ``column <n>``, and a
repeated one is an error.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "export.csv"
>>> _ = path.write_text("Search results\\nDate: 2024-05-01\\nid;name\\n1;Société\\n")
>>> table = read_table(path)
>>> table.frame.values.tolist(), table.lines.tolist()
([['1', 'Société']], [4])
>>> table.warnings[0].endswith("skipped 2 lines of text before the header on line 3")
True
"""

from __future__ import annotations

import codecs
import csv
import datetime
import gzip
import io
import json
import os
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError

__all__ = ["Table", "read_table"]

_DELIMITERS = [",", ";", "\t", "|"]
#: File name endings (before an optional ``.gz``) and the formats they name.
_FORMATS = {
    ".csv": "delimited", ".tsv": "delimited", ".txt": "delimited",
    ".jsonl": "json lines", ".ndjson": "json lines",
    ".xlsx": "excel", ".xlsm": "excel",
    ".parquet": "parquet",
}
#: Formats that may come gzip-compressed.
_COMPRESSIBLE = {"delimited", "json lines"}
#: Records read to sniff the delimiter and find the header.
_SAMPLE = 200
#: Codec error handler that reads the bytes that are not UTF-8 as cp1252.
_CP1252_FALLBACK = "netcluster.cp1252-fallback"


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error(_CP1252_FALLBACK, _cp1252_fallback)


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
        For each row, its first line in the file (its row number in a
        workbook), or the row position + 2 for a DataFrame.
    warnings : list of str
        Things the reader had to guess (encoding fallback, skipped preamble).
    sha256 : str or None
        Checksum of the file's bytes.
    """

    frame: pd.DataFrame
    source: str
    lines: pd.Series
    warnings: list[str] = field(default_factory=list)
    sha256: str | None = None


def read_table(source: str | os.PathLike[str] | pd.DataFrame, *, sheet: str | None = None) -> Table:
    """Read a record table as text.

    Parameters
    ----------
    source : path-like or pandas.DataFrame
        A file in one of the formats listed in the module's description.
    sheet : str, optional
        The worksheet of an XLSX/XLSM workbook (default: the first).

    Raises
    ------
    InputError
        When the file does not exist, cannot be read or decompressed, is
        empty, is not text, has a repeated header, a row whose width differs
        from the header's, a malformed JSON line, an unknown sheet, or an
        unsupported format.

    Examples
    --------
    >>> read_table(pd.DataFrame({"org": ["a", None]})).frame["org"].tolist()
    ['a', '']
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
    kind = _format(path)
    if kind is None:
        raise InputError(
            "unsupported file type: use .csv, .tsv, .txt, .jsonl or .ndjson (optionally .gz), "
            ".xlsx, .xlsm or .parquet (save .xls workbooks as .xlsx)",
            file=path,
        )
    if sheet is not None and kind != "excel":
        raise InputError(f"sheet={sheet!r} is given but this is not an Excel workbook", file=path)
    if kind == "excel":
        table = _read_excel(path, sheet)
    else:
        table = {"delimited": _read_delimited, "json lines": _read_json_lines, "parquet": _read_parquet}[kind](path)
    from ..files import sha256_file

    table.sha256 = sha256_file(path)
    return table


def _format(path: Path) -> str | None:
    """The format named by the file's ending, or None when unsupported."""
    name = path.name.lower()
    compressed = name.endswith(".gz")
    kind = _FORMATS.get(Path(name.removesuffix(".gz")).suffix)
    return kind if kind and (kind in _COMPRESSIBLE or not compressed) else None


# -- bytes and text ------------------------------------------------------------------------------
def _read_bytes(path: Path) -> bytes:
    """The file's bytes, decompressed when the name ends in ``.gz``."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read this file ({exc.strerror})", file=path) from None
    if path.name.lower().endswith(".gz"):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"cannot decompress this gzip file ({exc})", file=path) from None
    return raw


def _decode(raw: bytes, path: Path) -> tuple[str, list[str]]:
    """Text of a file and the warnings decoding it gave (see the module's rules)."""
    warnings = []
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError("starts like UTF-16 text but is not valid UTF-16", file=path) from None
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("utf-8", errors=_CP1252_FALLBACK)
            bad = [n for n, line in enumerate(raw.split(b"\n"), 1) if not _is_utf8(line)]
            warnings.append(
                f"{path}: {_count(len(bad), 'line')} not valid UTF-8 "
                f"(first: line {bad[0]}); their other bytes were read as cp1252"
            )
    if "\x00" in text:
        raise InputError(
            "does not look like a text table (it contains NUL bytes); save it as CSV or XLSX", file=path
        )
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError("the file is empty", file=path)
    return text, warnings


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _count(n: int, noun: str) -> str:
    """``1 line``, ``2 lines``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _column_names(names: Sequence[str], path: Path, line: int | None) -> list[str]:
    """Trimmed header names; ``column <n>`` for empty ones; a repeated name is an error."""
    cleaned = [name.strip() or f"column {i}" for i, name in enumerate(names, 1)]
    seen: dict[str, int] = {}
    for i, name in enumerate(cleaned, 1):
        if name in seen:
            raise InputError(
                f"the header {name!r} appears twice (columns {seen[name]} and {i}); rename one",
                file=path,
                line=line,
                column=name,
            )
        seen[name] = i
    return cleaned


def _frame(names: list[str], rows: list[list[str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=names, dtype=object).astype("string")


# -- CSV, TSV, TXT -------------------------------------------------------------------------------
def _read_delimited(path: Path) -> Table:
    text, warnings = _decode(_read_bytes(path), path)
    delimiter, header_index = _layout(text, path)
    records = _records(text, delimiter, path)
    preamble = [line for line, _ in islice(records, header_index)]
    header_line, header = next(records)
    if preamble:
        warnings.append(
            f"{path}: skipped {_count(len(preamble), 'line')} of text "
            f"before the header on line {header_line}"
        )
    names = _column_names(header, path, header_line)
    rows: list[list[str]] = []
    lines: list[int] = []
    for line, record in records:
        if len(record) != len(names):
            raise InputError(
                f"this row has {_count(len(record), 'field')} but the header (line {header_line}) "
                f"has {len(names)}; is the delimiter {delimiter!r} right, or is a quote missing?",
                file=path,
                line=line,
            )
        rows.append(record)
        lines.append(line)
    return Table(_frame(names, rows), str(path), pd.Series(lines, dtype="int64"), warnings)


def _records(text: str, delimiter: str, path: Path) -> Iterator[tuple[int, list[str]]]:
    """Non-blank records with the line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    end = 0
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if record and (len(record) > 1 or record[0].strip()):
                yield start, record
    except csv.Error as exc:
        raise InputError(
            f"cannot split this record into fields ({exc}); is a quote missing?", file=path, line=end + 1
        ) from None


def _layout(text: str, path: Path) -> tuple[str, int]:
    """The delimiter, and the position of the header among the non-blank records.

    For each candidate delimiter the first records are split; the table's
    width is the most common number of fields above one, and the header is the
    first record of that width if every record before it is narrower. A
    delimiter that splits records beats one that does not; then the one that
    puts the most sampled records at the table's width (ties: the wider table,
    then the order , ; tab |). A delimiter under which the sample cannot be
    parsed is left out, unless no other one splits any record.
    """
    best: tuple[tuple[bool, int, int], str, int] | None = None
    failures: list[InputError] = []
    for delimiter in _DELIMITERS:
        try:
            widths = [len(r) for _, r in islice(_records(text, delimiter, path), _SAMPLE)]
        except InputError as exc:
            failures.append(exc)
            continue
        if not widths:
            raise InputError("the file is empty (no line has a value)", file=path)
        start = _header_position(widths)
        width = widths[start]
        score = (width > 1, widths[start:].count(width), width)
        if best is None or score > best[0]:
            best = (score, delimiter, start)
    if best is None or (failures and not best[0][0]):
        # A delimiter that splits nothing does not excuse a broken record under another.
        raise failures[0]
    return best[1], best[2]


def _header_position(widths: list[int]) -> int:
    """Position of the header among records of these widths (see :func:`_layout`)."""
    several = Counter(w for w in widths if w > 1)
    if not several:
        return 0
    width = several.most_common(1)[0][0]
    start = widths.index(width)
    return start if all(w < width for w in widths[:start]) else 0


# -- JSON lines ----------------------------------------------------------------------------------
def _read_json_lines(path: Path) -> Table:
    text, warnings = _decode(_read_bytes(path), path)
    objects: list[dict[str, Any]] = []
    lines: list[int] = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"not valid JSON ({exc.msg} at character {exc.colno})", file=path, line=number
            ) from None
        except RecursionError:
            raise InputError("JSON nested too deeply", file=path, line=number) from None
        if not isinstance(value, dict):
            raise InputError(
                f"each line must be a JSON object {{...}}, not {type(value).__name__}",
                file=path,
                line=number,
            )
        objects.append(value)
        lines.append(number)
    keys = list(dict.fromkeys(key for value in objects for key in value))
    names = _column_names(keys, path, None)
    rows = [[_json_text(value.get(key)) for key in keys] for value in objects]
    return Table(_frame(names, rows), str(path), pd.Series(lines, dtype="int64"), warnings)


def _json_text(value: Any) -> str:
    """A JSON value as text: strings as they are, null as "", anything else as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


# -- Excel -------------------------------------------------------------------------------------
def _read_excel(path: Path, sheet: str | None) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            worksheet = _worksheet(workbook, sheet, path)
            worksheet.reset_dimensions()  # some writers record wrong sizes
            cells = [
                [_cell_text(value) for value in row]
                for row in worksheet.iter_rows(min_row=1, min_col=1, values_only=True)
            ]
        finally:
            workbook.close()
    except InputError:
        raise
    except Exception as exc:  # a damaged workbook fails anywhere in openpyxl, zipfile or XML
        raise InputError(
            f"cannot read this Excel workbook ({type(exc).__name__}: {exc})", file=path
        ) from None
    filled = [n for n, row in enumerate(cells) if any(value.strip() for value in row)]
    if not filled:
        raise InputError(f"the sheet {worksheet.title!r} is empty", file=path)
    header, data = filled[0], filled[1:]
    width = max(_used_width(cells[n]) for n in filled)
    names = _column_names(_padded(cells[header], width), path, header + 1)
    rows = [_padded(cells[n], width) for n in data]
    lines = pd.Series([n + 1 for n in data], dtype="int64")
    return Table(_frame(names, rows), str(path), lines)


def _worksheet(workbook: Any, sheet: str | None, path: Path) -> Any:
    worksheets = {ws.title: ws for ws in workbook.worksheets}
    if sheet is None:
        if not worksheets:
            raise InputError("this workbook has no worksheet", file=path)
        return workbook.worksheets[0]
    if sheet not in worksheets:
        listed = ", ".join(repr(name) for name in worksheets) or "none"
        raise InputError(f"no sheet {sheet!r} in this workbook (sheets: {listed})", file=path)
    return worksheets[sheet]


def _cell_text(value: Any) -> str:
    """A cell value as text: whole numbers without ``.0``, dates as ``yyyy-mm-dd``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _used_width(row: list[str]) -> int:
    return max((i + 1 for i, value in enumerate(row) if value.strip()), default=0)


def _padded(row: list[str], width: int) -> list[str]:
    return (row + [""] * width)[:width]


# -- Parquet -----------------------------------------------------------------------------------
def _read_parquet(path: Path) -> Table:
    try:
        frame = pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read this Parquet file ({exc})", file=path) from None
    frame = frame.astype("string").fillna("")
    frame.columns = [str(c) for c in frame.columns]
    lines = pd.Series(range(2, len(frame) + 2), dtype="int64")
    return Table(frame, str(path), lines)
