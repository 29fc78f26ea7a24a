"""Writing tables for spreadsheets: atomic, and safe against formula injection.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return can run as a formula when a spreadsheet opens the file (CSV injection,
OWASP). Such text cells get a leading apostrophe, which spreadsheets show as
text. Numbers are written as numbers.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from .files import atomic_write

__all__ = ["TABLE_FORMATS", "neutralise_formulas", "write_csv", "write_table"]

#: Formats :func:`write_table` writes.
TABLE_FORMATS = ("csv", "json", "parquet", "xlsx")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix an apostrophe to text cells that a spreadsheet would run as formulas.

    Examples
    --------
    >>> neutralise_formulas(pd.DataFrame({"a": ["=1+1", "ok", "-x"], "b": [-1, 2, 3]})).values.tolist()
    [["'=1+1", -1], ['ok', 2], ["'-x", 3]]
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            values = out[column]
            risky = values.map(lambda v: isinstance(v, str) and v.startswith(_FORMULA_START))
            out[column] = values.where(~risky.astype(bool), "'" + values.astype(str))
    out.columns = [("'" + c) if isinstance(c, str) and c.startswith(_FORMULA_START) else c for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str], *, index: bool = False) -> Path:
    """Write a table as UTF-8 CSV, atomically and formula-safe.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = write_csv(pd.DataFrame({"name": ["=cmd()", "Acme"], "ties": [1, 2]}), Path(folder) / "t.csv")
    ...     print(path.read_text(encoding="utf-8"), end="")
    name,ties
    '=cmd(),1
    Acme,2
    """
    target = Path(path)
    with atomic_write(target) as handle:
        neutralise_formulas(frame).to_csv(handle, index=index, lineterminator="\n")
    return target


def write_table(
    frame: pd.DataFrame, path: str | os.PathLike[str], format: str = "csv", *, index: bool = True
) -> Path:
    """Write a table atomically as CSV, JSON (records), Parquet or XLSX.

    CSV and XLSX cells are neutralised against formula injection; the index
    is written as the first column (named after the index) unless ``index``
    is False.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "t.json"
    >>> _ = write_table(pd.DataFrame({"a": [1]}, index=pd.Index(["x"], name="org_id")), out, "json")
    >>> out.read_text()
    '[{"org_id":"x","a":1}]'
    """
    if format not in TABLE_FORMATS:
        from .errors import InputError

        raise InputError(f"unknown table format; use {', '.join(TABLE_FORMATS)}", value=format)
    target = Path(path)
    table = frame.reset_index(drop=not index)
    if format == "csv":
        return write_csv(table, target)
    if format == "json":
        with atomic_write(target) as handle:
            handle.write(table.to_json(orient="records", force_ascii=False, date_format="iso"))
        return target
    with atomic_write(target, "wb") as handle:
        if format == "parquet":
            _categorical_as_text(table).to_parquet(handle, index=False)
        else:
            neutralise_formulas(_categorical_as_text(table)).to_excel(handle, index=False, engine="openpyxl")
    return target


def _categorical_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.CategoricalDtype):
            out[column] = out[column].astype("string")
    return out
