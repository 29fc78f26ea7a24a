"""build_network: from record tables to one multilayer CollaborationNetwork.

Layers: ``partnership`` (organisation pairs, or project participations in
the long shape event/org, which are projected), ``copatent`` (patent and
applicant rows, projected) and ``membership`` (organisation and group rows,
projected). Organisations come from the organisations table and from every id
the records mention; attributes in the organisations table win over those
carried by record rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Union

import numpy as np
import pandas as pd

from .._version import __version__
from ..errors import InputError
from ..network import ORG_COLUMNS, CollaborationNetwork
from ..projection import project_events
from . import fields
from .columns import map_columns
from .readers import Table, read_table
from .report import FileSummary, LoadReport

__all__ = ["build_network", "RecordSource"]

#: A record input: a path, a DataFrame, or several of them.
RecordSource = Union[str, "os.PathLike[str]", pd.DataFrame, Iterable[Union[str, "os.PathLike[str]", pd.DataFrame]]]

_ATTRIBUTES = ("name", "country", "region", "city", "kind")


def build_network(
    partnerships: RecordSource | None = None,
    copatents: RecordSource | None = None,
    memberships: RecordSource | None = None,
    organisations: RecordSource | None = None,
    *,
    counting: str = "full",
    max_event_size: int | None = 100,
) -> CollaborationNetwork:
    """Load record files or DataFrames into one multilayer network.

    Parameters
    ----------
    partnerships : path, DataFrame or list of them, optional
        Either organisation pairs (``source``, ``target``, optional ``year``,
        ``weight``, ``type``) or project participations in the long shape
        (``event``, ``org``, optional ``year`` and organisation attributes),
        recognised from the headers.
    copatents : path, DataFrame or list of them, optional
        One row per patent and applicant: ``event``, ``org``, optional
        ``year`` and organisation attributes.
    memberships : path, DataFrame or list of them, optional
        ``org``, ``group``, optional ``role``, ``year`` and attributes.
    organisations : path, DataFrame or list of them, optional
        ``org`` plus ``name``, ``country``, ``region``, ``city``, ``lat``,
        ``lon``, ``kind``, ``sector``, ``member`` and any extra columns.
    counting : {"full", "fractional"}
        How events are projected onto pairs (see :mod:`netcluster.projection`).
    max_event_size : int or None
        Events with more organisations are not projected (listed in the load
        report); ``None`` for no cap.

    Returns
    -------
    CollaborationNetwork
        With ``load_report`` (see :class:`~netcluster.loaders.LoadReport`)
        and ``provenance`` (inputs with SHA-256 checksums, options).

    Raises
    ------
    InputError
        When no records are given, a file cannot be read, or a required
        column is missing.

    Examples
    --------
    >>> pairs = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "year": [2020, 2021]})
    >>> orgs = pd.DataFrame({"org": ["a", "b", "c"], "country": ["NO", "Norway", "UK"]})
    >>> net = build_network(partnerships=pairs, organisations=orgs)
    >>> net.orgs["country"].tolist()
    ['NO', 'NO', 'GB']
    >>> len(net.ties), [(f["kind"], f["used"]) for f in net.load_report["files"]]
    (2, [('organisations', 3), ('partnerships', 2)])
    """
    if all(x is None for x in (partnerships, copatents, memberships, organisations)):
        raise InputError("no records given: pass partnerships, copatents, memberships or organisations")
    report = LoadReport()
    org_tables = [_read_organisations(t, report) for t in _tables(organisations)]
    pair_tables: list[pd.DataFrame] = []
    event_tables: list[pd.DataFrame] = []
    for table in _tables(partnerships):
        if _has_pairs(table):
            pair_tables.append(_read_pairs(table, report))
        else:
            event_tables.append(_read_events(table, "partnership", "events", report))
    event_tables += [_read_events(t, "copatent", "events", report) for t in _tables(copatents)]
    event_tables += [_read_events(t, "membership", "memberships", report) for t in _tables(memberships)]

    pairs = pd.concat(pair_tables, ignore_index=True) if pair_tables else None
    events = pd.concat(event_tables, ignore_index=True) if event_tables else None
    orgs = _organisations(org_tables, pairs, events, report)
    index = pd.Index(orgs.index)
    ties = []
    if pairs is not None:
        ties.append(
            pd.DataFrame(
                {
                    "source": index.get_indexer(pairs["source"]),
                    "target": index.get_indexer(pairs["target"]),
                    "layer": "partnership",
                    "weight": pairs["weight"].to_numpy(dtype=np.float64),
                    "year": pairs["year"].array,
                }
            )
        )
    event_codes = None
    if events is not None:
        event_codes = pd.DataFrame(
            {
                "event": events["event"].astype(object).to_numpy(),
                "org": index.get_indexer(events["org"]),
                "layer": events["layer"].to_numpy(),
                "year": events["year"].array,
            }
        )
        projected, oversized = project_events(
            event_codes, len(orgs), counting=counting, max_event_size=max_event_size
        )
        ties.append(projected)
        report.oversized_events = [
            {"layer": str(r.layer), "event": str(r.event), "size": int(r.size)}
            for r in oversized.itertuples(index=False)
        ]
        sizes = event_codes.groupby(["layer", "event"])["org"].nunique()
        single = int((sizes == 1).sum())
        if single:
            report.notes.append(f"{single} events have a single organisation and give no tie")
    tie_frame = pd.concat([t.astype({"layer": str}) for t in ties], ignore_index=True) if ties else None
    provenance = {
        "netcluster_version": __version__,
        "inputs": [
            {"kind": f.kind, "source": f.source, "sha256": f.sha256, "rows": f.rows}
            for f in report.files
        ],
        "options": {"counting": counting, "max_event_size": max_event_size},
    }
    return CollaborationNetwork(
        orgs, tie_frame, event_codes, load_report=report.to_dict(), provenance=provenance
    )


# -- reading each record kind -------------------------------------------------------------
def _tables(source: RecordSource | None) -> list[Table]:
    if source is None:
        return []
    if isinstance(source, (str, os.PathLike, pd.DataFrame)):
        return [read_table(source)]
    return [read_table(item) for item in source]


def _has_pairs(table: Table) -> bool:
    try:
        map_columns(table.frame.iloc[:0], "pairs", table.source)
    except InputError:
        return False
    return True


def _summary(table: Table, kind: str, report: LoadReport) -> FileSummary:
    summary = FileSummary(kind, table.source, table.sha256, len(table.frame), warnings=list(table.warnings))
    report.files.append(summary)
    return summary


def _reject(
    report: LoadReport,
    summary: FileSummary,
    frame: pd.DataFrame,
    mask: pd.Series,
    column: str,
    reason: str,
    raw: pd.Series | None = None,
) -> pd.DataFrame:
    """Record the rows under ``mask`` as rejected and return the others."""
    if mask.any():
        values = (frame[column] if raw is None else raw)[mask]
        report.reject(summary, pd.DataFrame({"line": frame["line"][mask], "value": values}), column, reason)
    return frame[~mask]


def _year_and_weight(
    frame: pd.DataFrame, report: LoadReport, summary: FileSummary
) -> pd.DataFrame:
    raw_year = frame["year"] if "year" in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    year, bad_year = fields.numbers(raw_year, integer=True)
    frame = frame.assign(year=year)
    frame = _reject(report, summary, frame, bad_year, "year", "the year is not a whole number", raw_year)
    if "weight" in frame:
        raw_weight = frame["weight"]
        weight, bad_weight = fields.numbers(raw_weight)
        frame = frame.assign(weight=weight.fillna(1.0))
        frame = _reject(report, summary, frame, bad_weight, "weight", "the weight is not a number", raw_weight)
        nonpositive = frame["weight"] <= 0
        frame = _reject(
            report, summary, frame, nonpositive, "weight", "the weight must be positive", raw_weight
        )
    else:
        frame = frame.assign(weight=1.0)
    return frame


def _read_pairs(table: Table, report: LoadReport) -> pd.DataFrame:
    summary = _summary(table, "partnerships", report)
    frame = map_columns(table.frame, "pairs", table.source).assign(line=table.lines.to_numpy())
    for column in ("source", "target"):
        frame[column] = fields.text(frame[column])
        frame = _reject(report, summary, frame, frame[column].isna(), column, "no organisation id")
    frame = _reject(
        report, summary, frame, frame["source"] == frame["target"], "target",
        "a partnership of an organisation with itself",
    )
    frame = _year_and_weight(frame, report, summary)
    summary.used = len(frame)
    return frame[["source", "target", "year", "weight"]]


def _read_events(table: Table, layer: str, shape: str, report: LoadReport) -> pd.DataFrame:
    kind = {"partnership": "partnerships", "copatent": "copatents", "membership": "memberships"}[layer]
    summary = _summary(table, kind, report)
    frame = map_columns(table.frame, shape, table.source).assign(line=table.lines.to_numpy())
    if shape == "memberships":
        frame = frame.rename(columns={"group": "event"})
    for column in ("event", "org"):
        frame[column] = fields.text(frame[column])
        label = "group" if (column == "event" and shape == "memberships") else column
        reason = "no group" if label == "group" else f"no {'organisation id' if column == 'org' else 'event id'}"
        frame = _reject(report, summary, frame, frame[column].isna(), label, reason)
    frame = _year_and_weight(frame, report, summary)
    repeats = frame.duplicated(["event", "org"], keep="first")
    summary.merged = int(repeats.sum())
    kept = frame[~repeats]
    summary.used = len(kept)
    columns = ["event", "org", "year"] + [c for c in _ATTRIBUTES if c in frame]
    return _normalise_attributes(kept[columns], report).assign(layer=layer)


def _read_organisations(table: Table, report: LoadReport) -> pd.DataFrame:
    summary = _summary(table, "organisations", report)
    frame = map_columns(table.frame, "organisations", table.source).assign(line=table.lines.to_numpy())
    frame["org"] = fields.text(frame["org"])
    frame = _reject(report, summary, frame, frame["org"].isna(), "org", "no organisation id")
    for column in ("lat", "lon"):
        if column in frame:
            raw = frame[column]
            parsed, bad = fields.numbers(raw)
            frame = frame.assign(**{column: parsed.astype("float64")})
            frame = _reject(report, summary, frame, bad, column, "not a number", raw)
    if "member" in frame:
        raw = frame["member"]
        parsed, bad = fields.flags(raw)
        frame = frame.assign(member=parsed)
        frame = _reject(report, summary, frame, bad, "member", "not yes/no (true/false, 1/0)", raw)
    repeats = frame.duplicated("org", keep="first")
    summary.merged = int(repeats.sum())
    if summary.merged:
        report.notes.append(
            f"{table.source}: {summary.merged} repeated organisation rows; the first row of each id is kept"
        )
    frame = frame[~repeats]
    summary.used = len(frame)
    return _normalise_attributes(frame.drop(columns="line"), report)


def _normalise_attributes(frame: pd.DataFrame, report: LoadReport) -> pd.DataFrame:
    """Clean text attributes and normalise countries (unknown ones counted in the report)."""
    frame = frame.copy()
    for column in ("name", "region", "city", "sector"):
        if column in frame:
            frame[column] = fields.text(frame[column])
    if "country" in frame:
        original = frame["country"]
        frame["country"], unknown = fields.countries(original)
        for value, count in original[unknown].astype(str).value_counts().items():
            report.unknown_countries[str(value)] = report.unknown_countries.get(str(value), 0) + int(count)
    return frame


# -- the organisations table ---------------------------------------------------------------
def _organisations(
    org_tables: list[pd.DataFrame],
    pairs: pd.DataFrame | None,
    events: pd.DataFrame | None,
    report: LoadReport,
) -> pd.DataFrame:
    declared = (
        pd.concat(org_tables, ignore_index=True).drop_duplicates("org", keep="first")
        if org_tables
        else pd.DataFrame({"org": pd.Series([], dtype="string")})
    )
    referenced = []
    if pairs is not None:
        referenced += [pairs["source"], pairs["target"]]
    if events is not None:
        referenced.append(events["org"])
    ids = pd.Index(declared["org"].astype(object))
    if referenced:
        mentioned = pd.Index(pd.unique(pd.concat(referenced, ignore_index=True).astype(object)))
        extra = mentioned.difference(ids, sort=False)
        if len(extra) and org_tables:
            report.notes.append(
                f"{len(extra)} organisations appear in the records but not in the organisations table"
            )
        ids = ids.append(extra)
    orgs = declared.set_index(declared["org"].astype(object)).reindex(ids).drop(columns="org")
    orgs.index.name = "org_id"
    if events is not None:
        carried = events.dropna(subset=["org"]).groupby("org", sort=False).first()
        for column in _ATTRIBUTES:
            if column in carried:
                filler = carried[column].reindex(orgs.index)
                orgs[column] = orgs[column].fillna(filler) if column in orgs else filler
    if "kind" in orgs:
        orgs["kind_original"] = fields.text(orgs["kind"])
        orgs["kind"] = fields.kinds(orgs["kind"])
    first = [c for c in ORG_COLUMNS if c in orgs]
    return orgs[first + [c for c in orgs.columns if c not in first]]
