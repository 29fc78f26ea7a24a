"""Writing a command's table: --format and -o, shared by every command that prints rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click
import pandas as pd

from netcluster.export import TABLE_FORMATS, neutralise_formulas, write_table
from netcluster.files import atomic_write

from ._messages import info

__all__ = ["output_options", "emit_table"]

F = TypeVar("F", bound=Callable[..., Any])


def output_options(function: F) -> F:
    """--format table|csv|json|parquet|xlsx and -o FILE."""
    function = click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, metavar="FILE",
                            help="Write to this file (needed for parquet and xlsx); default: standard output.")(function)
    return click.option("--format", "output_format", type=click.Choice(["table", *TABLE_FORMATS]), default="table",
                        show_default=True,
                        help="table prints the top rows for people; the others write every row and column.")(function)


def emit_table(table: pd.DataFrame, output_format: str, output: str | None, *,
               view: list[str] | None = None, rows: int | None = 25, index: bool = True) -> None:
    """Print or write ``table`` as asked; ``view`` and ``rows`` shape the people-readable form."""
    if output_format in ("parquet", "xlsx") and output is None:
        raise click.UsageError(f"--format {output_format} writes a file: give -o FILE")
    if output_format == "table":
        shown = _flat(table if view is None else table[view])
        if not index:
            shown = shown.reset_index(drop=True)
        text = "(no rows)" if shown.empty else (shown if rows is None else shown.head(rows)).to_string(
            float_format=lambda x: f"{x:.3g}", index=index)
        if rows is not None and len(shown) > rows:
            text += (f"\n... {len(shown) - rows} more rows; use --format csv, json, parquet or xlsx "
                     f"for all rows and columns")
        if output is None:
            click.echo(text)
            return
        with atomic_write(output) as handle:
            handle.write(text + "\n")
        info(f"Wrote the table to {output}")
        return
    frame = table if output_format in ("json", "parquet") else _flat(table)
    if output is not None:
        write_table(frame, output, output_format, index=index)
        info(f"Wrote {len(table)} rows to {output}")
        return
    flat = frame.reset_index(drop=not index)
    if output_format == "csv":
        click.echo(neutralise_formulas(flat).to_csv(index=False), nl=False)
    else:
        click.echo(flat.to_json(orient="records", force_ascii=False))


def _flat(table: pd.DataFrame) -> pd.DataFrame:
    """List cells (a finding's organisations) as "a; b; c" text for tables, CSV and spreadsheets."""
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object and out[column].map(lambda v: isinstance(v, list)).any():
            out[column] = out[column].map(lambda v: "; ".join(map(str, v)) if isinstance(v, list) else v)
    return out
