"""Projecting events (projects, patents, groups) onto organisation pairs.

An event shared by k organisations gives each of its k(k-1)/2 pairs a tie:

full counting
    weight 1 per pair and event;
fractional counting
    weight 1/(k-1) per pair and event (Newman 2001), so that each
    organisation's strength from one event is 1 whatever the event's size.

Repeated (event, organisation) rows count once. An organisation's year in an
event is the earliest year of its rows there; a pair's year is the later of
its two organisations' years (for projects and patents all rows share one
year; in a group it is the year the later of the two joined). Events with one
organisation give no pair; events with more than ``max_event_size``
organisations are *oversized* (a 186-partner project alone makes 17,205
pairs): they are left out (``"skip"``) or projected with fractional weights
whatever the counting rule (``"downweight"``), and listed either way.

:func:`project_events` runs in memory on integer arrays (numpy): the
(event, organisation) rows are sorted once, each event's pairs are generated
by index arithmetic, and the pairs are sorted and counted per (layer, year,
source, target). ``build_network`` uses it. The same projection as portable
SQL (``netcluster/sql/project_events.sql``, run by
:func:`netcluster.sql.project_events_sql`) serves ``netcluster aggregate`` on
DuckDB, which spills to disk when memory runs short, or on Spark; the two give
the same ties, counts and oversized events (weights equal to 1e-12; exactly
equal under full counting).

References
----------
Newman, M. E. J. (2001). Scientific collaboration networks. II. Shortest
paths, weighted networks, and centrality. *Physical Review E* 64, 016132.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .sql.relational import COUNTING, OVERSIZED, check_projection_options

__all__ = ["COUNTING", "OVERSIZED", "project_events"]

_INT64_MAX = np.iinfo(np.int64).max


def project_events(
    events: pd.DataFrame,
    *,
    counting: str = "full",
    max_event_size: int | None = 100,
    oversized: str = "skip",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn event records into pair ties.

    Parameters
    ----------
    events : pandas.DataFrame
        Columns ``event`` (any values; compared as text), ``org`` (integer
        code), ``layer`` and ``year`` (integer, may be missing). Repeated
        (layer, event, org) rows count once; an organisation's year in an
        event is the earliest among its rows. Rows missing an event,
        organisation or layer are ignored.
    counting : {"full", "fractional"}
        Weight 1 per pair and event, or 1/(k-1) for an event of k
        organisations (Newman 2001).
    max_event_size : int or None
        Events with more organisations are listed in ``oversized`` and
        handled by the ``oversized`` policy; ``None`` for no cap.
    oversized : {"skip", "downweight"}
        Leave events above the cap out, or project them with the fractional
        weight 1/(k-1) whatever ``counting`` says.

    Returns
    -------
    ties : pandas.DataFrame
        ``source`` < ``target`` (int32), ``layer`` (categorical, in the
        input's categories when its ``layer`` is categorical, else in order
        of first appearance), ``weight`` (float64, summed over the events),
        ``records`` (int64, events behind the row), ``year`` (Int32): one row
        per pair, layer and year, ordered by layer name, year (missing last),
        source, target.
    oversized : pandas.DataFrame
        ``layer``, ``event`` (text), ``size`` (int64) of the events above the
        cap, ordered by layer and event, whichever the policy.

    Raises
    ------
    InputError
        For an unknown counting rule or policy, or a cap below 2.

    Notes
    -----
    The same input gives the same bits whatever its row order: each row's
    weight is the number of its events of each size times that size's
    weight, summed in order of size. Under full counting the weights are
    whole numbers, exactly; under fractional counting they equal the exact
    sums (those of ``project_events.sql``) to 1e-12.

    Examples
    --------
    >>> events = pd.DataFrame({"event": ["p1"] * 3 + ["p2"] * 2, "org": [0, 1, 2, 0, 1],
    ...                        "layer": "partnership", "year": 2020})
    >>> ties, _ = project_events(events)
    >>> list(ties[["source", "target", "weight", "records"]].itertuples(index=False, name=None))
    [(0, 1, 2.0, 2), (0, 2, 1.0, 1), (1, 2, 1.0, 1)]
    >>> ties, big = project_events(events, max_event_size=2, oversized="downweight")
    >>> ties["weight"].tolist(), big["size"].tolist()
    ([1.5, 0.5, 0.5], [3])
    """
    projected = project(events, counting=counting, max_event_size=max_event_size, oversized=oversized)
    return projected.ties, projected.oversized


@dataclass(frozen=True)
class Projection:
    """What :func:`project` gives: the ties, the oversized events and the number of single events."""

    ties: pd.DataFrame
    oversized: pd.DataFrame
    single_events: int


def project(
    events: pd.DataFrame,
    *,
    counting: str = "full",
    max_event_size: int | None = 100,
    oversized: str = "skip",
) -> Projection:
    """:func:`project_events`, also counting the events of a single organisation (for the load report).

    Examples
    --------
    >>> events = pd.DataFrame({"event": ["p1", "p1", "p2"], "org": [0, 1, 0], "layer": "copatent",
    ...                        "year": 2020})
    >>> project(events).single_events
    1
    """
    check_projection_options(counting, max_event_size, oversized)
    layer_dtype = _layer_dtype(events["layer"])
    layer_code, layer_names = _text_codes(events["layer"])
    event_code, event_names = _text_codes(events["event"])
    org_values = events["org"]
    org_known = org_values.notna().to_numpy()
    year_values = events["year"].astype("Int32").array
    valid = (layer_code >= 0) & (event_code >= 0) & org_known
    # layers numbered in text order, as the SQL sorts them
    by_text = np.argsort(np.asarray(layer_names, dtype=object))
    layer_names = layer_names[by_text]
    layer_rank = np.argsort(by_text)[layer_code[valid]]
    event_code = event_code[valid]
    org = org_values[valid].to_numpy(dtype=np.int64)
    org_low = int(org.min(initial=0))
    org = org - org_low
    n_org = int(org.max(initial=-1)) + 1
    year_known = ~year_values[valid].isna()
    year = year_values[valid].to_numpy(dtype=np.int64, na_value=0)
    year_low = int(year[year_known].min(initial=0))
    span = int(year[year_known].max(initial=year_low)) - year_low + 1
    year = np.where(year_known, year - year_low, span)  # missing: after every year

    # members: one row per (layer, event, org), with the organisation's earliest year there
    (m_layer, m_event, m_org, m_year), _ = _distinct_rows(
        [layer_rank, event_code, org, year], [len(layer_names), len(event_names), n_org, span + 1]
    )
    first = _starts(m_layer, m_event, m_org)
    m_layer, m_event, m_org, m_year = m_layer[first], m_event[first], m_org[first], m_year[first]

    # events: runs of members
    starts = _starts(m_layer, m_event)
    size = np.diff(np.append(starts, len(m_org)))
    cap = np.inf if max_event_size is None else int(max_event_size)
    big = size > cap
    listed = pd.DataFrame(
        {
            "layer": pd.Series(np.asarray(layer_names, dtype=object)[m_layer[starts[big]]], dtype="str"),
            "event": pd.Series(np.asarray(event_names, dtype=object)[m_event[starts[big]]], dtype="str"),
            "size": size[big].astype(np.int64),
        }
    ).sort_values(["layer", "event"], ignore_index=True)
    kept = (size > 1) & (~big | (oversized == "downweight"))
    fractional = counting == "fractional" or big
    weight_class = np.where(fractional, size - 1, 0)[kept]  # weight 1/(k-1), or 1 for class 0

    # pairs: each kept event's members are sorted by organisation; member i pairs with i+1 .. k-1
    in_kept = np.repeat(kept, size)
    m_layer, m_org, m_year = m_layer[in_kept], m_org[in_kept], m_year[in_kept]
    k = size[kept]
    within = np.arange(len(m_org)) - np.repeat(np.cumsum(k) - k, k)
    later = np.repeat(k, k) - 1 - within
    a = np.repeat(np.arange(len(m_org)), later)
    b = a + 1 + (np.arange(len(a)) - np.repeat(np.cumsum(later) - later, later))
    m_year = np.where(m_year == span, -1, m_year)  # missing: before every year, so the later year wins
    pair_year = np.maximum(m_year[a], m_year[b])
    pair_year[pair_year < 0] = span  # missing only when both are missing; sorted last
    classes = int(weight_class.max(initial=0)) + 1
    (t_layer, t_year, source, target, t_class), count = _distinct_rows(
        [m_layer[a], pair_year, m_org[a], m_org[b], np.repeat(weight_class, k)[a]],
        [len(layer_names), span + 1, n_org, n_org, classes],
    )
    del a, b, pair_year

    # rows: runs of (layer, year, source, target) over the weight classes
    rows = _starts(t_layer, t_year, source, target)
    records = np.add.reduceat(count, rows) if len(rows) else np.zeros(0, dtype=np.int64)
    if classes == 1:
        weight = records.astype(np.float64)
    else:
        table = np.ones(classes)
        table[1:] = 1.0 / np.arange(1, classes)
        weight = np.add.reduceat(count * table[t_class], rows) if len(rows) else np.zeros(0)
    category = layer_dtype.categories.get_indexer(pd.Index(layer_names, dtype=object))
    year_out = t_year[rows]
    missing = year_out == span
    ties = pd.DataFrame(
        {
            "source": (source[rows] + org_low).astype(np.int32),
            "target": (target[rows] + org_low).astype(np.int32),
            "layer": pd.Categorical.from_codes(category[t_layer[rows]], dtype=layer_dtype),
            "weight": weight,
            "records": records.astype(np.int64),
            "year": pd.arrays.IntegerArray(np.where(missing, 0, year_out + year_low).astype(np.int32), missing),
        }
    )
    return Projection(ties, listed, int(np.count_nonzero(size == 1)))


def _layer_dtype(layer: pd.Series) -> pd.CategoricalDtype:
    """The input's categories, or its layer names in order of first appearance."""
    if isinstance(layer.dtype, pd.CategoricalDtype):
        return layer.dtype
    return pd.CategoricalDtype(list(pd.unique(layer.dropna().astype(str))))


def _text_codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes of a column's values compared as text (-1 where missing), and the distinct texts.

    Categorical, text and integer columns are numbered first and their
    distinct values turned into text (equal values have equal texts); other
    columns value by value.

    Examples
    --------
    >>> codes, names = _text_codes(pd.Series([7, 8, 7]))
    >>> codes.tolist(), list(names)
    ([0, 1, 0], ['7', '8'])
    >>> codes, names = _text_codes(pd.Series([1, "1", None], dtype=object))
    >>> codes.tolist(), list(names)
    ([0, 0, -1], ['1'])
    """
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        codes, distinct = column.cat.codes.to_numpy(), pd.Index(dtype.categories)
    else:
        by_value = isinstance(dtype, pd.StringDtype) or pd.api.types.is_integer_dtype(dtype)
        codes, distinct = pd.factorize(column if by_value else column.astype("string"))
        distinct = pd.Index(distinct)
    if pd.api.types.infer_dtype(distinct, skipna=False) == "string":  # distinct values, already text
        return codes, pd.Index(distinct, dtype=object)
    text_codes, names = pd.factorize(distinct.astype("string"))
    return np.append(text_codes, -1)[codes], pd.Index(names, dtype=object)


def _distinct_rows(
    columns: Sequence[np.ndarray], ranges: Sequence[int]
) -> tuple[list[np.ndarray], np.ndarray]:
    """The distinct rows of integer columns (column j in [0, ranges[j])), sorted, and how often each occurs.

    The columns are packed into one int64 key and sorted when their ranges
    allow it, else sorted together (``numpy.lexsort``); the result is the
    same.

    Examples
    --------
    >>> rows, count = _distinct_rows([np.array([1, 0, 1]), np.array([2, 5, 2])], [2, 6])
    >>> [r.tolist() for r in rows], count.tolist()
    ([[0, 1], [5, 2]], [1, 2])
    >>> rows, count = _distinct_rows([np.array([1, 0, 1]), np.array([2, 5, 2])], [2**40, 2**40])
    >>> [r.tolist() for r in rows], count.tolist()
    ([[0, 1], [5, 2]], [1, 2])
    """
    length = len(columns[0])
    product = 1
    for size in ranges:
        product *= max(int(size), 1)
    if product <= _INT64_MAX:
        key = np.zeros(length, dtype=np.int64)
        for column, size in zip(columns, ranges):
            key *= max(int(size), 1)
            key += column
        key.sort()
        first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if length else np.zeros(0, dtype=np.int64)
        distinct = key[first]
        rows: list[np.ndarray] = []
        for size in reversed(ranges):
            distinct, part = np.divmod(distinct, max(int(size), 1))
            rows.append(part)
        rows.reverse()
    else:
        order = np.lexsort(list(reversed(columns)))
        ordered = [np.asarray(column)[order] for column in columns]
        first = _starts(*ordered)
        rows = [column[first] for column in ordered]
    count = np.diff(np.append(first, length)).astype(np.int64)
    return rows, count


def _starts(*columns: np.ndarray) -> np.ndarray:
    """Positions where a run of equal rows begins, in sorted columns."""
    length = len(columns[0])
    if length == 0:
        return np.zeros(0, dtype=np.int64)
    change = np.zeros(length, dtype=bool)
    change[0] = True
    for column in columns:
        change[1:] |= column[1:] != column[:-1]
    return np.flatnonzero(change)
