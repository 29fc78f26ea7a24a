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

The work runs as portable SQL (``netcluster/sql/project_events.sql``) in
DuckDB, which spills to disk when memory runs short, and which a Spark engine
can run unchanged.

References
----------
Newman, M. E. J. (2001). Scientific collaboration networks. II. Shortest
paths, weighted networks, and centrality. *Physical Review E* 64, 016132.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from .sql.engine import DuckDBEngine

__all__ = ["COUNTING", "OVERSIZED", "project_events"]

#: The counting rules.
COUNTING = ("full", "fractional")

#: What happens to events above the size cap: left out, or projected fractionally.
OVERSIZED = ("skip", "downweight")


def project_events(
    events: pd.DataFrame,
    *,
    counting: str = "full",
    max_event_size: int | None = 100,
    oversized: str = "skip",
    engine: DuckDBEngine | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn event records into pair ties.

    Parameters
    ----------
    events : pandas.DataFrame
        Columns ``event``, ``org`` (integer code), ``layer`` and ``year``.
    counting : {"full", "fractional"}
    max_event_size : int or None
        Events with more organisations are oversized; ``None``: none is.
    oversized : {"skip", "downweight"}
    engine : netcluster.sql.DuckDBEngine, optional
        An engine with a memory limit or temporary folder of your choice.

    Returns
    -------
    ties : pandas.DataFrame
        ``source < target`` (int32), ``layer``, ``year``, ``weight``,
        ``records`` (events behind the row): one row per pair, layer and year.
    oversized : pandas.DataFrame
        ``layer``, ``event``, ``size`` of the events above the cap.

    Examples
    --------
    >>> events = pd.DataFrame({"event": ["p1"] * 3 + ["p2"] * 2, "org": [0, 1, 2, 0, 1],
    ...                        "layer": "partnership", "year": 2020})
    >>> ties, _ = project_events(events)
    >>> [tuple(row) for row in ties[["source", "target", "weight", "records"]].itertuples(index=False)]
    [(0, 1, 2.0, 2), (0, 2, 1.0, 1), (1, 2, 1.0, 1)]
    >>> ties, _ = project_events(events, counting="fractional")
    >>> ties["weight"].tolist()
    [1.5, 0.5, 0.5]
    """
    from .sql.relational import project_events_sql

    return project_events_sql(
        events, counting=counting, max_event_size=max_event_size, oversized=oversized, engine=engine
    )
