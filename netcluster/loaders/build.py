"""build_network: from record files to one multilayer CollaborationNetwork.

Layers: ``partnership`` (organisation pairs, or project participations in
the long shape, which are projected), ``copatent`` (patents and applicants,
projected) and ``membership`` (organisations and groups, projected).

Organisations come from every id the records mention; the organisations
table gives their attributes and wins over attributes carried by record rows.
Organisations-table rows that no record mentions are kept when they are
members (``member`` true) or when no records were given at all, since a
member without ties is a finding; the others are counted in the load report.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import Union

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._version import __version__
from ..errors import InputError, StrictModeError
from ..network import ORG_COLUMNS, CollaborationNetwork
from ..projection import COUNTING, OVERSIZED, project
from .names import match_key, merge_similar
from .records import (
    ATTRIBUTES,
    Records,
    read_copatents,
    read_memberships,
    read_organisations,
    read_partnerships,
)
from .report import LoadReport

__all__ = ["build_network", "RecordSource", "KINDS"]

#: A record input: a path, a DataFrame, already read :class:`Records`, or a list of them.
RecordSource = Union[
    str, "os.PathLike[str]", pd.DataFrame, Records,
    Iterable[Union[str, "os.PathLike[str]", pd.DataFrame, Records]],
]

#: Record kinds, the reader of each, and the layer its events make.
KINDS = {
    "partnerships": (read_partnerships, "partnership"),
    "copatents": (read_copatents, "copatent"),
    "memberships": (read_memberships, "membership"),
    "organisations": (read_organisations, None),
}


def build_network(
    partnerships: RecordSource | None = None,
    copatents: RecordSource | None = None,
    memberships: RecordSource | None = None,
    organisations: RecordSource | None = None,
    *,
    counting: str = "full",
    max_event_size: int | None = 100,
    oversized: str = "skip",
    columns: Mapping[str, Mapping[str, str]] | None = None,
    strict: bool = False,
    merge_names: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> CollaborationNetwork:
    """Load record files into one multilayer network.

    Parameters
    ----------
    partnerships, copatents, memberships, organisations : optional
        Each a path (CSV/TSV/XLSX/Parquet/JSON lines, optionally gzip), a
        pandas DataFrame, :class:`~netcluster.loaders.Records` from a
        ``read_*`` function, or a list of these. See
        :func:`~netcluster.loaders.read_partnerships` and its siblings for
        the accepted columns.
    counting : {"full", "fractional"}
        How an event with k organisations weights each pair: 1, or 1/(k-1).
    max_event_size : int or None
        Events with more organisations are handled by ``oversized``; ``None``
        for no cap.
    oversized : {"skip", "downweight"}
        Leave oversized events out of the projection, or project them with
        fractional weights whatever ``counting`` says. Either way they are
        listed in the load report.
    columns : mapping, optional
        Explicit header choices per record kind, e.g.
        ``{"copatents": {"org": "psn_name"}}``.
    strict : bool
        Raise :class:`~netcluster.errors.StrictModeError` if any row is rejected.
    merge_names : float, optional
        Merge organisations whose names are near-identical within a country
        (rapidfuzz score at least this, 0-100; identical matching keys always
        merge). Off by default; every merge is listed in the load report.
    progress : callable, optional
        Called with the name of each stage as it starts: ``"reading KIND"``
        for each record kind given (``"reading partnerships"``, ...), then
        ``"merging names"`` when ``merge_names`` is given, then
        ``"building the network"``. The command line shows these as a
        progress display; the library itself prints nothing.

    Returns
    -------
    CollaborationNetwork
        With ``load_report`` (a :class:`~netcluster.loaders.LoadReport` as a
        dict) and ``provenance`` (inputs with SHA-256 checksums, options).

    Raises
    ------
    InputError
        No records, an unreadable file, a missing or ambiguous column
        (:class:`~netcluster.errors.SchemaError`), or rejected rows under
        ``strict``.

    Examples
    --------
    >>> pairs = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "year": [2020, 2021]})
    >>> orgs = pd.DataFrame({"org": ["a", "b", "c"], "country": ["NO", "Norway", "UK"]})
    >>> net = build_network(partnerships=pairs, organisations=orgs)
    >>> net.orgs["country"].tolist()
    ['NO', 'NO', 'GB']
    >>> len(net.ties), [(f["kind"], f["loaded"]) for f in net.load_report["files"]]
    (2, [('partnerships', 2), ('organisations', 3)])
    """
    if counting not in COUNTING:
        raise InputError("unknown counting rule: use full or fractional", value=counting)
    if oversized not in OVERSIZED:
        raise InputError("unknown policy for oversized events: use skip or downweight", value=oversized)
    given = {"partnerships": partnerships, "copatents": copatents, "memberships": memberships,
             "organisations": organisations}
    unknown_kinds = set(columns or {}) - set(KINDS)
    if unknown_kinds:
        raise InputError(f"column mappings are per record kind: {', '.join(KINDS)}", value=sorted(unknown_kinds)[0])
    loaded: list[Records] = []
    for kind, source in given.items():
        if source is not None and progress is not None:
            progress(f"reading {kind}")
        loaded.extend(_read_all(kind, source, (columns or {}).get(kind)))
    if not loaded:
        raise InputError("no records given: pass partnerships, copatents, memberships or organisations")
    report = _combined_report(loaded)
    if strict and report.rejections:
        first = report.rejections[0]
        raise StrictModeError(
            f"{len(report.rejections)} rows rejected (strict mode); first: {first.reason}",
            file=first.source, line=first.line, column=first.field, value=first.value,
        )
    pairs = [r.frame for r in loaded if r.shape == "pairs"]
    event_records = [r for r in loaded if r.shape == "events"]
    # one categorical layer column for all event records (layers in order of first appearance)
    event_layers = pd.CategoricalDtype(list(dict.fromkeys(KINDS[r.kind][1] for r in event_records)))
    events = [
        r.frame.assign(layer=pd.Categorical.from_codes(
            np.full(len(r.frame), event_layers.categories.get_loc(KINDS[r.kind][1])), dtype=event_layers))
        for r in event_records
    ]
    declared = [r.frame for r in loaded if r.kind == "organisations"]
    pair_frame = pd.concat(pairs, ignore_index=True) if pairs else None
    event_frame = pd.concat(events, ignore_index=True) if events else None
    if merge_names is not None:
        if progress is not None:
            progress("merging names")
        pair_frame, event_frame, declared = _merge_names(pair_frame, event_frame, declared, merge_names, report)
    if progress is not None:
        progress("building the network")
    orgs = _organisations(declared, pair_frame, event_frame, report)
    ties, event_codes = _ties(orgs, pair_frame, event_frame, counting, max_event_size, oversized, report)
    provenance = {
        "netcluster_version": __version__,
        "inputs": [{"kind": f.kind, "source": f.source, "sha256": f.sha256, "rows": f.rows} for f in report.files],
        "options": {"counting": counting, "max_event_size": max_event_size, "oversized": oversized,
                    "merge_names": merge_names},
    }
    return CollaborationNetwork(orgs, ties, event_codes, load_report=report.to_dict(), provenance=provenance)


def _read_all(kind: str, source: RecordSource | None, mapping: Mapping[str, str] | None) -> list[Records]:
    if source is None:
        return []
    items = [source] if isinstance(source, (str, os.PathLike, pd.DataFrame, Records)) else list(source)
    reader = KINDS[kind][0]
    out = []
    for item in items:
        if isinstance(item, Records):
            if item.kind != kind:
                raise InputError(f"these are {item.kind} records, given as {kind}")
            out.append(item)
        else:
            out.append(reader(item, columns=mapping))
    return out


def _combined_report(loaded: list[Records]) -> LoadReport:
    report = LoadReport()
    for records in loaded:
        part = records.report
        report.files.extend(part.files)
        report.rejections.extend(part.rejections)
        report.notes.extend(part.notes)
        for value, count in part.unknown_countries.items():
            report.unknown_countries[value] = report.unknown_countries.get(value, 0) + count
    return report


def _merge_names(
    pairs: pd.DataFrame | None,
    events: pd.DataFrame | None,
    declared: list[pd.DataFrame],
    threshold: float,
    report: LoadReport,
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, list[pd.DataFrame]]:
    """Map near-identical organisations onto one id, reporting every merge."""
    candidates = _organisations(declared, pairs, events, LoadReport())
    ids = pd.Series(candidates.index, index=candidates.index, dtype="string")
    names = candidates["name"].astype("string") if "name" in candidates else ids
    countries = candidates["country"] if "country" in candidates else pd.Series(pd.NA, index=candidates.index)
    table = pd.DataFrame({"org_id": candidates.index, "name": names.fillna(ids), "country": countries})
    if table["country"].isna().all():
        report.notes.append("names were not merged: merging works within a country, and no country is known")
        return pairs, events, declared
    merges = merge_similar(table, threshold=threshold)
    if merges.empty:
        report.notes.append("no near-identical organisation names to merge")
        return pairs, events, declared
    target = dict(zip(merges["org_id"], merges["merged_into"]))
    for row in merges.itertuples(index=False):
        report.notes.append(
            f"merged {row.org_id!r} ({row.name}) into {row.merged_into!r} ({row.canonical_name}), "
            f"{row.country}, {row.rule}, score {row.score:.0f}"
        )

    def remap(column: pd.Series) -> pd.Series:
        return column.map(lambda v: target.get(v, v)).astype(column.dtype)

    if pairs is not None:
        pairs = pairs.assign(source=remap(pairs["source"]), target=remap(pairs["target"]))
        inside = pairs["source"] == pairs["target"]
        if inside.any():
            report.notes.append(
                f"{int(inside.sum())} partnership records joined two organisations that were merged "
                "into one; they give no tie"
            )
        pairs = pairs[~inside]
    if events is not None:
        events = events.assign(org=remap(events["org"]))
        repeated = events.duplicated(["layer", "event", "org"])
        if repeated.any():
            report.notes.append(
                f"{int(repeated.sum())} event rows named two organisations that were merged into one; "
                "each such event counts the merged organisation once"
            )
        events = events[~repeated]
    declared = [d[~d["org"].isin(list(target))] for d in declared]
    return pairs, events, declared


def _organisations(
    declared: list[pd.DataFrame],
    pairs: pd.DataFrame | None,
    events: pd.DataFrame | None,
    report: LoadReport,
) -> pd.DataFrame:
    table = (
        pd.concat(declared, ignore_index=True).drop_duplicates("org", keep="first").drop(columns="line")
        if declared
        else pd.DataFrame({"org": pd.Series([], dtype=object)})
    )
    table = table.set_index(pd.Index(table["org"].astype(object), name="org_id")).drop(columns="org")
    mentioned_parts = []
    if pairs is not None:
        mentioned_parts += [pairs["source"], pairs["target"]]
    if events is not None:
        mentioned_parts.append(events["org"])
    if mentioned_parts:
        mentioned: pd.Index = pd.Index(pd.unique(pd.concat(mentioned_parts, ignore_index=True).astype(object)))
        members = table.index[table["member"].fillna(False).astype(bool)] if "member" in table else table.index[:0]
        unlinked = table.index.difference(mentioned).difference(members)
        if len(unlinked):
            report.notes.append(
                f"{len(unlinked)} organisations in the organisations table appear in no record and are "
                "not members; they are left out of the network"
            )
        if declared:
            unknown = mentioned.difference(table.index)
            if len(unknown):
                report.notes.append(
                    f"{len(unknown)} organisations appear in the records but not in the organisations table"
                )
        kept = table.index[table.index.isin(mentioned) | table.index.isin(members)]
        ids = kept.append(mentioned.difference(table.index, sort=False))
    else:
        ids = table.index
    orgs = table.reindex(ids)
    if events is not None:
        carried = events.groupby("org", sort=False)[[c for c in (*ATTRIBUTES, "kind_original") if c in events]].first()
        for column in carried.columns:
            filler = carried[column].reindex(orgs.index)
            orgs[column] = orgs[column].fillna(filler) if column in orgs else filler
    if "name" in orgs:
        orgs["name_key"] = match_key(orgs["name"].astype("string"))
    first = [c for c in ORG_COLUMNS if c in orgs]
    return orgs[first + [c for c in orgs.columns if c not in first]]


def _ties(
    orgs: pd.DataFrame,
    pairs: pd.DataFrame | None,
    events: pd.DataFrame | None,
    counting: str,
    max_event_size: int | None,
    oversized: str,
    report: LoadReport,
) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    index = pd.Index(orgs.index)
    parts = []
    if pairs is not None:
        parts.append(
            pd.DataFrame(
                {
                    "source": _codes(index, pairs["source"]),
                    "target": _codes(index, pairs["target"]),
                    "layer": "partnership",
                    "weight": pairs["weight"].to_numpy(dtype=np.float64),
                    "year": pairs["year"].array,
                    "records": 1,
                }
            )
        )
    event_codes = None
    if events is not None:
        extra = [c for c in events.columns if c not in ("event", "org", "layer", "year", "line", *ATTRIBUTES,
                                                          "kind_original")]
        event_codes = pd.DataFrame(
            {
                # numbered once here; the projection and the network's events table reuse the numbers
                "event": pd.Categorical.from_codes(*pd.factorize(events["event"])),
                "org": _codes(index, events["org"]),
                "layer": events["layer"].array,
                "year": events["year"].array,
                **{c: events[c].to_numpy() for c in extra},
            }
        )
        projected = project(
            event_codes[["event", "org", "layer", "year"]],
            counting=counting, max_event_size=max_event_size, oversized=oversized,
        )
        parts.append(projected.ties)
        handled = "not projected" if oversized == "skip" else "projected with fractional weights"
        big = projected.oversized
        report.oversized_events = [
            {"layer": str(layer), "event": str(event), "size": int(size), "handled": handled}
            for layer, event, size in zip(big["layer"], big["event"], big["size"])
        ]
        if projected.single_events:
            report.notes.append(f"{projected.single_events} events have a single organisation and give no tie")
    if not parts:
        return None, event_codes
    # layers in order of first appearance over the rows
    names = list(dict.fromkeys(str(name) for t in parts for name in t["layer"].unique()))
    ties = pd.concat([t.assign(layer=t["layer"].astype("category").cat.set_categories(names)) for t in parts],
                     ignore_index=True)
    return ties, event_codes


def _codes(index: pd.Index, ids: pd.Series) -> np.ndarray:
    """Each id's position in ``index`` (-1 when absent or missing); ids and index are text.

    One hash lookup per row in Arrow (``pyarrow.compute.index_in``): at 427,239
    ids against 100,000 organisations 14 ms, against 42 ms for pandas'
    factorize and ``get_indexer``.
    """
    values = pa.array(ids.array, type=pa.large_string())
    known = pa.array(index.array, type=pa.large_string())
    return pc.index_in(values, value_set=known).fill_null(-1).to_numpy().astype(np.int64)
