"""Reading one record file of each kind into typed, canonical records.

``read_partnerships``, ``read_copatents``, ``read_memberships`` and
``read_organisations`` each read one file (or DataFrame), map its headers,
parse its fields, and return :class:`Records`: the rows that were loaded plus
a :class:`~netcluster.loaders.LoadReport` that accounts for every input row.
:func:`~netcluster.loaders.build_network` combines any number of them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Union

import pandas as pd

from . import fields
from .columns import FIELDS, map_columns
from .names import repair_mojibake
from .readers import Table, read_table
from .report import FileSummary, LoadReport
from .wide import explode_applicants, looks_wide

__all__ = [
    "Records",
    "RecordInput",
    "read_partnerships",
    "read_copatents",
    "read_memberships",
    "read_organisations",
]

#: What a ``read_*`` function accepts: a path or a DataFrame.
RecordInput = Union[str, "os.PathLike[str]", pd.DataFrame]

#: Organisation attributes that event and membership rows may carry.
ATTRIBUTES = ("name", "country", "region", "city", "kind", "lat", "lon")


@dataclass
class Records:
    """The loaded rows of one input, with its load report.

    Attributes
    ----------
    kind : {"partnerships", "copatents", "memberships", "organisations"}
    shape : {"pairs", "events", "organisations"}
        ``pairs``: ``source``, ``target``, ``year``, ``weight`` (and
        ``type``); ``events``: ``event``, ``org``, ``year`` plus organisation
        attributes and extra columns; ``organisations``: ``org`` plus
        attributes and extra columns.
    frame : pandas.DataFrame
        Typed canonical columns; ``line`` gives each row's line in the file.
    report : LoadReport
        This input's accounting, rejections, unknown countries and notes.
    """

    kind: str
    shape: str
    frame: pd.DataFrame
    report: LoadReport = field(default_factory=LoadReport)


def read_partnerships(
    source: RecordInput, *, columns: Mapping[str, str] | None = None, sheet: str | None = None
) -> Records:
    """Read partnership records: organisation pairs or project participations.

    A file with ``source`` and ``target`` columns (or their synonyms) holds one
    partnership per row; a file with ``event`` and ``org`` columns holds
    project participations (one row per project and organisation), which
    :func:`~netcluster.loaders.build_network` projects onto pairs.

    Parameters
    ----------
    source : path or pandas.DataFrame
        CSV/TSV (optionally gzip), XLSX, Parquet or JSON lines, or a DataFrame.
    columns : mapping of field -> header, optional
        Explicit header choices, e.g. ``{"org": "pic", "event": "rcn"}``.
    sheet : str, optional
        Worksheet of an XLSX file (default: the first).

    Returns
    -------
    Records

    Raises
    ------
    InputError
        Unreadable file; :class:`~netcluster.errors.SchemaError` when the
        headers give neither pairs nor participations.

    Examples
    --------
    >>> rows = pd.DataFrame({"From": ["a", "b", "c"], "To": ["b", "b", ""], "Year": ["2020", "2021", "2022"]})
    >>> records = read_partnerships(rows)
    >>> records.shape, records.frame[["source", "target"]].values.tolist()
    ('pairs', [['a', 'b']])
    >>> [(r.line, r.field, r.reason) for r in records.report.rejections]
    [(3, 'target', 'a partnership of an organisation with itself'), (4, 'target', 'no organisation id')]
    """
    table = read_table(source, sheet=sheet)
    if _gives_pairs(table, columns):
        return _pairs(table, columns)
    return _events(table, "partnerships", "events", columns)


def read_copatents(
    source: RecordInput, *, columns: Mapping[str, str] | None = None, sheet: str | None = None
) -> Records:
    """Read co-patent records: patents and their applicants.

    Both shapes load: long (one row per patent and applicant, as in PATSTAT
    extracts, where rows may repeat) and wide (one row per patent, applicants
    in one cell separated by ``;;``, ``|`` or line breaks as in Lens.org and
    Espacenet exports, with an optional parallel countries cell). Both give
    the same records.

    Parameters and return value as :func:`read_partnerships`.

    Examples
    --------
    >>> long = pd.DataFrame({"appln_id": ["1", "1", "1"], "psn_name": ["ACME", "ACME", "LAB"]})
    >>> wide = pd.DataFrame({"Lens ID": ["1"], "Applicants": ["ACME ;; LAB"]})
    >>> a, b = read_copatents(long), read_copatents(wide)
    >>> a.frame[["event", "org"]].values.tolist() == b.frame[["event", "org"]].values.tolist()
    True
    >>> a.report.files[0].duplicates, b.report.files[0].duplicates
    (1, 0)
    """
    return _events(read_table(source, sheet=sheet), "copatents", "events", columns)


def read_memberships(
    source: RecordInput, *, columns: Mapping[str, str] | None = None, sheet: str | None = None
) -> Records:
    """Read membership records: organisations and the groups they belong to.

    Columns ``org`` and ``group`` (cluster, association or project), optional
    ``role``, ``year`` and organisation attributes. The group becomes the
    event that the membership layer projects.

    Parameters and return value as :func:`read_partnerships`.

    Examples
    --------
    >>> rows = pd.DataFrame({"org": ["a", "b", "b", "c"], "group": ["Ocean Cluster"] * 3 + [""]})
    >>> records = read_memberships(rows)
    >>> records.frame[["org", "event"]].values.tolist()
    [['a', 'Ocean Cluster'], ['b', 'Ocean Cluster']]
    >>> records.report.files[0].duplicates, records.report.rejections[0].reason
    (1, 'no group')
    """
    return _events(read_table(source, sheet=sheet), "memberships", "memberships", columns)


def read_organisations(
    source: RecordInput, *, columns: Mapping[str, str] | None = None, sheet: str | None = None
) -> Records:
    """Read organisation records: ids and attributes.

    Columns ``org`` plus any of ``name``, ``country``, ``region``, ``city``,
    ``lat``, ``lon`` (or ``geolocation`` as ``"lat,lon"``), ``kind``,
    ``sector``, ``member``; other columns are kept (as numbers where every
    value is one). A repeated id keeps its first row and counts the others
    as duplicates.

    Parameters and return value as :func:`read_partnerships`.

    Examples
    --------
    >>> rows = pd.DataFrame({"org": ["a", "b", "a"], "name": ["Acme AS", "Lab", "Acme again"],
    ...                      "country": ["Norway", "DK", "NO"], "member": ["yes", "no", "yes"]})
    >>> records = read_organisations(rows)
    >>> records.frame[["org", "name", "country"]].values.tolist(), records.frame["member"].tolist()
    ([['a', 'Acme AS', 'NO'], ['b', 'Lab', 'DK']], [True, False])
    >>> records.report.files[0].duplicates
    1
    """
    table = read_table(source, sheet=sheet)
    records, summary = _start(table, "organisations", "organisations", columns)
    frame = _require_id(records, summary, records.frame, "org", "no organisation id")
    frame = _attributes(records, summary, _coordinates(records, summary, frame))
    if "member" in frame:
        raw = frame["member"]
        parsed, bad = fields.flags(raw)
        frame = _reject(records, summary, frame.assign(member=parsed), bad, "member",
                        "not yes/no (true/false, 1/0)", raw)
    repeats = frame.duplicated("org", keep="first")
    summary.duplicates = int(repeats.sum())
    frame = _extras_as_numbers(frame[~repeats])
    return _finish(records, summary, frame)


# -- shared steps ---------------------------------------------------------------------------
def _start(
    table: Table, kind: str, shape: str, columns: Mapping[str, str] | None
) -> tuple[Records, FileSummary]:
    frame = map_columns(table.frame, shape, table.source, columns, kind=kind).assign(line=table.lines.to_numpy())
    summary = FileSummary(kind, table.source, table.sha256, len(frame), warnings=list(table.warnings))
    report = LoadReport(files=[summary])
    return Records(kind, "events" if shape == "memberships" else shape, frame, report), summary


def _finish(records: Records, summary: FileSummary, frame: pd.DataFrame) -> Records:
    summary.loaded = summary.rows - summary.duplicates - summary.rejected
    summary.check()
    records.report.rejections.sort(key=lambda r: r.line)
    records.frame = frame.reset_index(drop=True)
    return records


def _gives_pairs(table: Table, columns: Mapping[str, str] | None) -> bool:
    if columns and ("source" in columns or "target" in columns):
        return True
    if columns and ("event" in columns or "org" in columns):
        return False
    from ..errors import SchemaError

    try:
        map_columns(table.frame.iloc[:0], "pairs", table.source)
    except SchemaError:
        return False
    return True


def _reject(
    records: Records,
    summary: FileSummary,
    frame: pd.DataFrame,
    mask: pd.Series,
    field_name: str,
    reason: str,
    raw: pd.Series | None = None,
) -> pd.DataFrame:
    """Record the rows under ``mask`` as rejected and return the others."""
    mask = mask.fillna(False).astype(bool) if mask.dtype != bool else mask
    if mask.any():
        values = (frame[field_name] if raw is None else raw.reindex(frame.index))[mask]
        records.report.reject(summary, frame["line"][mask], values, field_name, reason)
    return frame[~mask]


def _require_id(
    records: Records, summary: FileSummary, frame: pd.DataFrame, name: str, reason: str
) -> pd.DataFrame:
    frame = frame.assign(**{name: fields.ids(frame[name])})
    return _reject(records, summary, frame, frame[name].isna(), name, reason)


def _year(records: Records, summary: FileSummary, frame: pd.DataFrame) -> pd.DataFrame:
    raw = frame["year"] if "year" in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    year, bad = fields.years(raw)
    return _reject(records, summary, frame.assign(year=year), bad, "year",
                   "not a year (a whole number such as 2019, or a date)", raw)


def _weight(records: Records, summary: FileSummary, frame: pd.DataFrame) -> pd.DataFrame:
    if "weight" not in frame:
        return frame.assign(weight=1.0)
    raw = frame["weight"]
    weight, bad = fields.numbers(raw)
    frame = _reject(records, summary, frame.assign(weight=weight.fillna(1.0).astype("float64")), bad,
                    "weight", "the weight is not a number", raw)
    return _reject(records, summary, frame, frame["weight"] <= 0, "weight", "the weight must be positive",
                   raw)


def _coordinates(records: Records, summary: FileSummary, frame: pd.DataFrame) -> pd.DataFrame:
    """Parse ``geolocation`` ("lat,lon"), ``lat`` and ``lon``; reject rows that are not numbers."""
    if "geolocation" in frame:
        raw = frame["geolocation"]
        lat, lon, bad = fields.coordinates(raw)
        frame = _reject(records, summary, frame.assign(lat=lat, lon=lon), bad, "geolocation",
                        "not 'latitude,longitude'", raw).drop(columns="geolocation")
    for column, limit in (("lat", 90), ("lon", 180)):
        if column in frame and frame[column].dtype != "float64":
            raw = frame[column]
            parsed, bad = fields.numbers(raw)
            bad = bad | (parsed.abs() > limit).fillna(False).astype(bool)
            frame = _reject(records, summary, frame.assign(**{column: parsed.astype("float64")}), bad,
                            column, f"not a number between -{limit} and {limit}", raw)
    return frame


def _attributes(records: Records, summary: FileSummary, frame: pd.DataFrame) -> pd.DataFrame:
    """Clean text attributes, repair names, normalise countries and kinds (never rejects)."""
    for column in ("region", "city", "sector"):
        if column in frame:
            frame = frame.assign(**{column: fields.text(frame[column])})
    if "name" in frame:
        repaired, changed = repair_mojibake(fields.text(frame["name"]))
        if changed.any():
            records.report.notes.append(
                f"{summary.source}: {int(changed.sum())} names repaired from mojibake "
                "(UTF-8 text that had been read in another encoding)"
            )
        frame = frame.assign(name=repaired)
    if "country" in frame:
        codes, unknown = fields.countries(frame["country"])
        records.report.count_unknown_countries(frame["country"][unknown])
        frame = frame.assign(country=codes)
    if "kind" in frame:
        frame = frame.assign(kind_original=fields.text(frame["kind"]), kind=fields.kinds(frame["kind"]))
    return frame


def _extras_as_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    canonical = set(FIELDS["organisations"]) | set(FIELDS["events"]) | {"line", "kind_original", "layer"}
    extras = {c: fields.maybe_numeric(frame[c]) for c in frame.columns if c not in canonical}
    return frame.assign(**extras) if extras else frame


# -- the two record shapes ----------------------------------------------------------------------
def _pairs(table: Table, columns: Mapping[str, str] | None) -> Records:
    records, summary = _start(table, "partnerships", "pairs", columns)
    frame = records.frame
    for column in ("source", "target"):
        frame = _require_id(records, summary, frame, column, "no organisation id")
    frame = _reject(records, summary, frame, frame["source"] == frame["target"], "target",
                    "a partnership of an organisation with itself")
    frame = _weight(records, summary, _year(records, summary, frame))
    if "type" in frame:
        frame = frame.assign(type=fields.text(frame["type"]))
    keep = ["source", "target", "year", "weight"] + (["type"] if "type" in frame else []) + ["line"]
    return _finish(records, summary, frame[keep])


def _events(table: Table, kind: str, shape: str, columns: Mapping[str, str] | None) -> Records:
    records, summary = _start(table, kind, shape, columns)
    frame = records.frame
    if shape == "memberships":
        frame = frame.rename(columns={"event": "event (original)"}).rename(columns={"group": "event"})
    group_field = "group" if shape == "memberships" else "event"
    frame = frame.assign(event=fields.ids(frame["event"]))
    frame = _reject(records, summary, frame, frame["event"].isna(), group_field,
                    f"no {'group' if shape == 'memberships' else 'event id'}", frame["event"])
    frame = _coordinates(records, summary, _year(records, summary, frame))
    if kind == "copatents" and looks_wide(frame):
        records.report.notes.append(f"{summary.source}: wide shape, several applicants per row")
        exploded, lines = explode_applicants(frame, frame["line"], summary.source)
        frame = exploded.assign(line=lines.to_numpy())
    frame = _attributes(records, summary, frame.assign(org=fields.ids(frame["org"])))
    empty = frame["org"].isna()
    repeats = frame.duplicated(["event", "org"], keep="first") & ~empty
    frame = _count_rows(records, summary, frame, empty, repeats)
    return _finish(records, summary, _extras_as_numbers(frame))


def _count_rows(
    records: Records, summary: FileSummary, frame: pd.DataFrame, empty: pd.Series, repeats: pd.Series
) -> pd.DataFrame:
    """Account per input line: a line may carry several applicants (wide shape).

    A line is rejected when none of its entries names an organisation, a
    duplicate when all its named entries repeat earlier ones, loaded otherwise.
    """
    per_entry = pd.DataFrame(
        {"line": frame["line"].to_numpy(), "named": (~empty).to_numpy(), "repeat": repeats.to_numpy()}
    )
    counts = per_entry.groupby("line", sort=False).sum()
    rejected = counts.index[counts["named"] == 0].to_series()
    records.report.reject(summary, rejected, pd.Series([""] * len(rejected)), "org", "no organisation id")
    summary.duplicates = int(((counts["named"] > 0) & (counts["repeat"] == counts["named"])).sum())
    return frame[~empty & ~repeats]
