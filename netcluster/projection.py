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

from .sql.relational import COUNTING, OVERSIZED
from .sql.relational import project_events_sql as project_events

__all__ = ["COUNTING", "OVERSIZED", "project_events"]
