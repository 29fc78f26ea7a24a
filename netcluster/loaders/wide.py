"""The wide co-patent shape: one row per patent, several applicants in one cell.

Patent exports such as Lens.org and Espacenet give one row per patent and put
all its applicants in one cell. :func:`explode_applicants` turns such a table
(already mapped to canonical names: ``event``, ``org``, optionally
``country``, ``year``, ...) into the long shape, one row per patent and
applicant, and :func:`looks_wide` tells whether a table needs it.

Rules, decided once per file from its ``org`` cells, in this order:

1. A line break inside a cell separates applicants (Espacenet).
2. ``;;`` separates applicants (Lens.org). A single ``;`` never splits in such
   a file: it occurs inside names such as ``BACON; RICHARD J.``.
3. ``|`` separates applicants.
4. ``;`` separates applicants only when the file has a ``country`` column and
   every ``org`` cell that contains ``;`` has a country cell with as many
   ``;``-separated parts (``ACME; LAB`` beside ``DE; FR``).
5. Otherwise each cell is one applicant.

A file in the long shape is never split, whatever its cells contain: when
more events are spread over several rows with different applicants than there
are cells holding the separator, the rows already are one per applicant, and
a name such as ``FREC|N|SYS`` in a PATSTAT extract stays whole.

Each entry is trimmed and empty entries (doubled or trailing separators) are
dropped. An entry ending in a bracketed two-letter code, ``SIEMENS AG [DE]``
(Espacenet), is the applicant's name followed by its country: the code is
removed from the name and kept as the applicant's country.

Countries: the row's ``country`` cell, split with the same separator, gives
each applicant's country when it has exactly as many parts as the row has
applicants (an empty part falls back to the bracketed code). When the counts
differ, no part is matched by position: each applicant gets its bracketed
code, or no country. A row whose applicant cell is empty gives one row with an
empty ``org``, so that the caller can report it.

Examples
--------
>>> lens = pd.DataFrame({"event": ["1", "2"], "org": ["ACME;;BACON; RICHARD J.", ""]})
>>> long, lines = explode_applicants(lens, pd.Series([2, 3]), "lens.csv")
>>> long.values.tolist(), lines.tolist()
([['1', 'ACME'], ['1', 'BACON; RICHARD J.'], ['2', '']], [2, 2, 3])
>>> espacenet = pd.DataFrame({"event": ["EP1"], "org": ["SIEMENS AG [DE]\\nTHALES SA [FR]"]})
>>> explode_applicants(espacenet, pd.Series([5]), "espacenet.csv")[0].values.tolist()
[['EP1', 'SIEMENS AG', 'DE'], ['EP1', 'THALES SA', 'FR']]
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..errors import InputError

__all__ = ["explode_applicants", "looks_wide"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_DOUBLE_SEMICOLON = re.compile(";;")
_PIPE = re.compile(r"\|")
_SEMICOLON = re.compile(";")

#: An entry "NAME [CC]": a name, then a two-letter code in brackets at its end.
_CODED_ENTRY = re.compile(r"(?P<name>.*\S)\s*\[(?P<code>[A-Z]{2})\]", re.DOTALL)
#: A cell with at least one coded entry (at the end of the cell or of a line).
_CODED_CELL = re.compile(r"\S\s*\[[A-Z]{2}\]\s*(?:$|[\r\n])")


def looks_wide(frame: pd.DataFrame) -> bool:
    """Whether some ``org`` cells hold several applicants or ``NAME [CC]`` entries.

    Parameters
    ----------
    frame : pandas.DataFrame
        Mapped to canonical names (has ``org``).

    Returns
    -------
    bool
        True when cells hold several applicants, separated by a line break,
        ``;;``, ``|``, or ``;`` with a matching parallel countries cell, in a
        file that is not in the long shape (see the module's rules), or when
        some entry ends in a ``[CC]`` country code.

    Examples
    --------
    >>> looks_wide(pd.DataFrame({"org": ["ACME", "BACON; RICHARD J."]}))
    False
    >>> looks_wide(pd.DataFrame({"org": ["ACME; LAB"], "country": ["DE; FR"]}))
    True
    """
    if "org" not in frame:
        return False
    return _separator(frame) is not None or bool(_cells(frame["org"]).str.contains(_CODED_CELL).any())


def explode_applicants(
    frame: pd.DataFrame, lines: pd.Series, source: str
) -> tuple[pd.DataFrame, pd.Series]:
    """One row per patent and applicant from one row per patent.

    Parameters
    ----------
    frame : pandas.DataFrame
        Mapped to canonical names: ``event``, ``org`` and optionally
        ``country`` and other columns, which are repeated on every applicant
        row of their patent.
    lines : pandas.Series
        The line in the file of each row of ``frame`` (same length and order).
    source : str
        The file name, for error messages.

    Returns
    -------
    frame : pandas.DataFrame
        The long shape, index ``0..n-1``; ``org`` (and ``country`` when the
        input had it or an entry carried a ``[CC]`` code) as ``string``,
        empty where unknown. A patent with no applicant gives one row with an
        empty ``org``.
    lines : pandas.Series
        The line of each long row (its patent's line), int64.

    Raises
    ------
    InputError
        When ``frame`` has no ``org`` column.

    Examples
    --------
    >>> rows = pd.DataFrame({"event": ["P1"], "org": ["ACME | LAB | UNI"], "country": ["DE|FR"]})
    >>> long, _ = explode_applicants(rows, pd.Series([2]), "x.csv")
    >>> long.values.tolist()  # 3 applicants, 2 countries: no country is guessed
    [['P1', 'ACME', ''], ['P1', 'LAB', ''], ['P1', 'UNI', '']]
    """
    if "org" not in frame:
        raise InputError("no applicant column to split: map the headers to 'org' first", file=source)
    separator = _separator(frame)
    entries = [_entries(cell, separator) for cell in _cells(frame["org"])]
    country_cells = _cells(frame["country"]) if "country" in frame else [""] * len(frame)
    countries = [_countries(row, cell, separator) for row, cell in zip(entries, country_cells)]
    with_country = "country" in frame or any(code for row in entries for _, code in row)

    counts = np.array([max(len(row), 1) for row in entries], dtype=np.int64)
    positions = np.repeat(np.arange(len(frame)), counts)
    long = frame.iloc[positions].reset_index(drop=True)
    long["org"] = pd.array([name for row in entries for name, _ in (row or [("", "")])], dtype="string")
    if with_country:
        long["country"] = pd.array([c for row in countries for c in (row or [""])], dtype="string")
    long_lines = pd.Series(np.asarray(lines, dtype=np.int64)[positions], name="line")
    return long, long_lines


def _cells(values: pd.Series) -> pd.Series:
    """Cells as ``string``, missing values as empty text."""
    return values.astype("string").fillna("")


def _separator(frame: pd.DataFrame) -> re.Pattern[str] | None:
    """The file's applicant separator (see the module's rules), or None."""
    cells = _cells(frame["org"])
    candidate = _candidate_separator(frame, cells)
    if candidate is None:
        return None
    split_cells = int(cells.str.contains(candidate).sum())
    return candidate if split_cells > _events_on_several_rows(frame) else None


def _candidate_separator(frame: pd.DataFrame, cells: pd.Series) -> re.Pattern[str] | None:
    for separator in (_LINE_BREAK, _DOUBLE_SEMICOLON, _PIPE):
        if cells.str.contains(separator).any():
            return separator
    if "country" in frame:
        split = cells.str.contains(";", regex=False)
        countries = _cells(frame["country"])[split]
        if split.any() and (cells[split].str.count(";") == countries.str.count(";")).all():
            return _SEMICOLON
    return None


def _events_on_several_rows(frame: pd.DataFrame) -> int:
    """Events whose rows name different applicants: the mark of the long shape."""
    if "event" not in frame:
        return 0
    applicants = frame.groupby(_cells(frame["event"]).to_numpy())["org"].nunique()
    return int((applicants > 1).sum())


def _entries(cell: str, separator: re.Pattern[str] | None) -> list[tuple[str, str]]:
    """(name, bracketed country code or "") for each non-empty entry of a cell."""
    entries = []
    for part in separator.split(cell) if separator else [cell]:
        part = part.strip()
        if not part:
            continue
        coded = _CODED_ENTRY.fullmatch(part)
        entries.append((coded["name"], coded["code"]) if coded else (part, ""))
    return entries


def _countries(entries: list[tuple[str, str]], cell: str, separator: re.Pattern[str] | None) -> list[str]:
    """Each applicant's country: the parallel part when counts match, else its code."""
    parts = [p.strip() for p in (separator.split(cell) if separator else [cell])]
    if len(parts) == len(entries):
        return [part or code for part, (_, code) in zip(parts, entries)]
    return [code for _, code in entries]
