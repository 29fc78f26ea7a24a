"""Parsing field values: missing-value tokens, numbers, years, kinds, countries.

Readers hand over every column as text; this module turns the canonical
fields into typed columns. A value that cannot be parsed is never silently
turned into a missing value: the row is rejected and the load report names
file, line, column and value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..geography import normalize_country

__all__ = [
    "MISSING_TOKENS", "KINDS", "text", "ids", "numbers", "years", "coordinates", "maybe_numeric", "kinds",
    "countries", "flags",
]

#: Text that means "no value" in real exports. In country columns ``NA`` is
#: Namibia and is not in this set's effect (see :func:`countries`).
MISSING_TOKENS = frozenset(
    {"", "NA", "na", "N/A", "n/a", "N.A.", "#N/A", "NaN", "nan", "null", "Null", "NULL", "None", "none",
     "-", "--", "."}
)

#: The organisation kinds netcluster uses.
KINDS = ("firm", "university", "research", "public", "other")

_KIND_ALIASES = {
    "prc": "firm", "company": "firm", "firm": "firm", "business": "firm", "enterprise": "firm",
    "private": "firm", "industry": "firm", "sme": "firm", "corporate": "firm",
    "hes": "university", "university": "university", "higher education": "university",
    "college": "university",
    "rec": "research", "research": "research", "research institute": "research",
    "research organisation": "research", "research organization": "research",
    "gov non-profit": "research", "rto": "research",
    "pub": "public", "public": "public", "public body": "public", "government": "public",
    "gov": "public", "municipality": "public", "agency": "public",
    "oth": "other", "other": "other", "hospital": "other", "individual": "other",
    "unknown": "other", "ngo": "other", "association": "other",
}

_TRUE = {"true", "yes", "y", "1", "x", "member", "ja", "oui"}
_FALSE = {"false", "no", "n", "0", "nei", "non"}


def text(values: pd.Series) -> pd.Series:
    """Strip whitespace; empty strings and :data:`MISSING_TOKENS` become ``NA``."""
    stripped = values.astype("string").str.strip()
    return stripped.mask(stripped.isin(MISSING_TOKENS))


def ids(values: pd.Series) -> pd.Series:
    """Identifiers: whitespace stripped, only empty cells are missing.

    An organisation may well be called ``NA`` (or have that id), so the
    missing-value tokens of :func:`text` do not apply here.

    Examples
    --------
    >>> ids(pd.Series([" 42 ", "NA", ""])).tolist()
    ['42', 'NA', <NA>]
    """
    stripped = values.astype("string").str.strip()
    return stripped.mask(stripped == "")


def numbers(values: pd.Series, *, integer: bool = False) -> tuple[pd.Series, pd.Series]:
    """Parse finite numbers; accept a decimal comma when no point is present.

    ``1,5`` is one and a half; a comma is never read as a thousands separator.

    Returns
    -------
    parsed : pandas.Series
        Float64 (or Int32 when ``integer``), ``NA`` for missing values.
    bad : pandas.Series of bool
        True where a non-missing value is not a number (or, for integers,
        not a whole number).
    """
    cleaned = text(values)
    candidate = cleaned.str.replace(r"^([+-]?\d+),(\d+)$", r"\1.\2", regex=True)
    parsed: pd.Series = pd.to_numeric(candidate, errors="coerce").astype("Float64")  # Int32 when integer
    parsed = parsed.where(parsed.isna() | np.isfinite(parsed.astype("float64")))
    bad = cleaned.notna() & parsed.isna()
    if integer:
        whole = parsed.isna() | (parsed == parsed.round())
        bad = bad | ~whole.astype(bool)
        parsed = parsed.where(~bad).round().astype("Int32")
    return parsed, bad.astype(bool)


def years(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse years from whole numbers or dates (dd/mm/yyyy, dd.mm.yyyy, yyyy-mm-dd).

    Returns
    -------
    parsed : pandas.Series
        Int32, ``NA`` where missing.
    bad : pandas.Series of bool
        True where a non-missing value is neither a year nor such a date, or
        the year is outside 1800-2200.

    Examples
    --------
    >>> parsed, bad = years(pd.Series(["2019", "2020.0", "03/11/2017", "2016-05-01", "", "soon", "20"]))
    >>> parsed.tolist(), bad.tolist()
    ([2019, 2020, 2017, 2016, <NA>, <NA>, <NA>], [False, False, False, False, False, True, True])
    """
    cleaned = text(values)
    from_date = cleaned.str.extract(
        r"^(?:\d{1,2}[./-]\d{1,2}[./-](\d{4})|(\d{4})-\d{1,2}-\d{1,2})(?:[ T].*)?$"
    )
    date_year = from_date[0].fillna(from_date[1])
    parsed, bad = numbers(cleaned.where(date_year.isna(), date_year), integer=True)
    out_of_range = parsed.notna() & ((parsed < 1800) | (parsed > 2200))
    bad = bad | out_of_range.fillna(False).astype(bool)
    return parsed.where(~bad), bad


def coordinates(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Split ``"lat,lon"`` cells (CORDIS ``geolocation``) into two numbers.

    Returns
    -------
    lat, lon : pandas.Series of float
    bad : pandas.Series of bool
        True where a non-missing cell is not two numbers within range.

    Examples
    --------
    >>> lat, lon, bad = coordinates(pd.Series(["59.91,10.75", "", "north"]))
    >>> lat.tolist()[0], lon.tolist()[0], bad.tolist()
    (59.91, 10.75, [False, False, True])
    """
    cleaned = text(values)
    parts = cleaned.str.extract(r"^\s*([+-]?\d+(?:\.\d+)?)\s*[,;]\s*([+-]?\d+(?:\.\d+)?)\s*$")
    lat = pd.to_numeric(parts[0], errors="coerce").astype("float64")
    lon = pd.to_numeric(parts[1], errors="coerce").astype("float64")
    valid = lat.between(-90, 90) & lon.between(-180, 180)
    bad = cleaned.notna() & ~valid
    return lat.where(valid), lon.where(valid), bad.astype(bool)


def maybe_numeric(values: pd.Series) -> pd.Series:
    """Numbers when every non-missing value is one (decimal comma accepted), else text.

    Whole numbers become integers; a column with a leading zero anywhere
    (``007``) stays text, since it is an identifier or a code.

    Used for the extra columns a table carries beyond the canonical fields.

    Examples
    --------
    >>> maybe_numeric(pd.Series(["771225,1", "10", ""])).tolist()
    [771225.1, 10.0, nan]
    >>> maybe_numeric(pd.Series(["5", "12"])).tolist(), maybe_numeric(pd.Series(["007", "12"])).tolist()
    ([5, 12], ['007', '12'])
    >>> maybe_numeric(pd.Series(["a", "1"])).tolist()
    ['a', '1']
    """
    parsed, bad = numbers(values)
    if bad.any() or parsed.notna().sum() == 0:
        return values
    if text(values).str.match(r"^[+-]?0\d").fillna(False).any():
        return values  # leading zeros: an identifier or code, not a quantity
    if (parsed.dropna() == parsed.dropna().round()).all():
        return parsed.round().astype("Int64")
    return parsed.astype("float64")


def kinds(values: pd.Series) -> pd.Series:
    """Map organisation types (CORDIS codes, PATSTAT sectors, words) onto :data:`KINDS`.

    Unrecognised non-empty values become ``"other"``; the original text is
    kept by the loader in the ``kind_original`` column.

    Examples
    --------
    >>> kinds(pd.Series(["HES", "PRC", "Research institute", "", "charity"])).tolist()
    ['university', 'firm', 'research', <NA>, 'other']
    """
    cleaned = text(values)
    key = cleaned.str.casefold().str.replace(r"\s+", " ", regex=True)
    mapped = key.map(lambda v: _KIND_ALIASES.get(v, "other") if isinstance(v, str) else v)
    return mapped.astype("string")


def countries(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Normalise countries to ISO alpha-2 (``NA`` is Namibia here).

    Returns
    -------
    codes : pandas.Series
        Alpha-2 codes, ``NA`` where empty or not recognised.
    unknown : pandas.Series of bool
        True where a non-empty value named no known country.
    """
    stripped = values.astype("string").str.strip()
    empty = stripped.isna() | stripped.isin(MISSING_TOKENS - {"NA"})
    unique = pd.unique(stripped[~empty].to_numpy(dtype=object))
    lookup = {value: normalize_country(value) for value in unique}
    codes = stripped.map(lambda v: lookup.get(v) if isinstance(v, str) else None)
    codes = codes.astype("string").mask(empty)
    unknown = ~empty & codes.isna()
    return codes, unknown.astype(bool)


def flags(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse yes/no flags (true/false, yes/no, 1/0, x).

    Returns
    -------
    parsed : pandas.Series
        Nullable boolean.
    bad : pandas.Series of bool
        True where a non-empty value is neither yes nor no.
    """
    cleaned = text(values).str.casefold()
    parsed = pd.Series(pd.NA, index=values.index, dtype="boolean")
    parsed[cleaned.isin(_TRUE).fillna(False).astype(bool)] = True
    parsed[cleaned.isin(_FALSE).fillna(False).astype(bool)] = False
    bad = cleaned.notna() & parsed.isna()
    return parsed, bad.astype(bool)
