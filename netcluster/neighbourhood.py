"""Restrict a network to the home set and its k-hop neighbourhood.

When the whole graph does not fit in memory for the graph stages (see
:mod:`netcluster.capacity` and ``docs/scaling.md``), the questions about a
home set can still be answered on the part of the network around it: the
home set, every organisation within ``hops`` ties of a member, and the ties
among them. With ``hops=1`` the members' partners by scope, openness, local
clustering, brokerage counts, E-I index and effective size come out as on the
whole network, and so do the home set's density, ties and E-I; constraint and
external reach within 2 steps need ``hops=2``. Bridge centrality (paths inside
the neighbourhood only), what is ranked by it, the expected brokerage counts,
the communities and the country and locality groups describe the
neighbourhood. A restricted network says so: a note in its load report (shown
by the command line and in the report's methods) and a ``restriction`` entry
in its provenance, carried into :attr:`netcluster.AnalysisResult.provenance`.

:func:`restrict_to_neighbourhood`
    in memory, on a :class:`~netcluster.CollaborationNetwork`;
:func:`neighbourhood_sql`
    the same on a pairs table too large for memory, with the SQL files
    ``neighbourhood.sql`` (one hop, run ``hops`` times) and
    ``neighbourhood_pairs.sql``, on any engine with the methods of
    :class:`~netcluster.sql.engine.DuckDBEngine`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputError
from .home import describe_home, home_set
from .network import CollaborationNetwork
from .sql.engine import DuckDBEngine

__all__ = ["restrict_to_neighbourhood", "neighbourhood_mask", "neighbourhood_sql"]

_PAIRS = "netcluster_neighbourhood_pairs"
_REACHED = "netcluster_neighbourhood_reached"


def neighbourhood_mask(
    network: CollaborationNetwork,
    home: Any,
    hops: int,
    *,
    layers: Iterable[str] | None = None,
) -> np.ndarray:
    """Organisations within ``hops`` ties of the home set, as a boolean mask over codes.

    Parameters
    ----------
    network : CollaborationNetwork
    home : any
        The home set, in any form :func:`netcluster.home.home_set` takes.
    hops : int
        0 for the home set alone, 1 to add its partners, 2 their partners, ...
    layers : iterable of str, optional
        Follow ties of these layers only (all by default).

    Returns
    -------
    numpy.ndarray of bool

    Raises
    ------
    InputError
        Without a home set, for a negative ``hops`` or an unknown layer.

    Examples
    --------
    >>> orgs = pd.DataFrame(index=pd.Index(list("abcde"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 1, 2], "target": [1, 2, 3], "layer": "partnership",
    ...                      "weight": 1.0, "year": 2020})
    >>> net = CollaborationNetwork(orgs, ties)
    >>> neighbourhood_mask(net, ["a"], 2).tolist()
    [True, True, True, False, False]
    """
    steps = _hops(hops)
    mask = home_set(network, home)
    if mask is None:
        raise InputError("a neighbourhood needs a home set: give one (--home, --home-file or home=...)")
    ties = network.ties if layers is None else network.select(layers=layers).ties
    source = ties["source"].to_numpy(dtype=np.int64)
    target = ties["target"].to_numpy(dtype=np.int64)
    reached = mask.copy()
    for _ in range(steps):
        grown = reached.copy()
        grown[target[reached[source]]] = True
        grown[source[reached[target]]] = True
        if np.array_equal(grown, reached):
            break
        reached = grown
    return reached


def restrict_to_neighbourhood(
    network: CollaborationNetwork,
    home: Any,
    hops: int = 1,
    *,
    layers: Iterable[str] | None = None,
) -> CollaborationNetwork:
    """The network of the home set, the organisations within ``hops`` ties of it, and their ties.

    Parameters
    ----------
    network : CollaborationNetwork
    home : any
        The home set, in any form :func:`netcluster.home.home_set` takes.
    hops : int
        How far from the home set to keep organisations (default 1: the
        members and their partners).
    layers : iterable of str, optional
        Follow ties of these layers only when growing the neighbourhood; the
        ties kept are those of every layer among the organisations kept.

    Returns
    -------
    CollaborationNetwork
        The organisations kept (in their original order, with new codes),
        every tie record between two of them and every event record of one
        of them. Its load report gains a note saying how many organisations
        and tie records were kept and left out, and its provenance a
        ``restriction`` entry with the same figures.

    Raises
    ------
    InputError
        Without a home set, for a negative ``hops`` or an unknown layer.

    Examples
    --------
    >>> from netcluster.sample_graphs import load_sample
    >>> ocean = load_sample("ocean_cluster")
    >>> near = restrict_to_neighbourhood(ocean, {"member": True}, hops=1)
    >>> near.n_orgs < ocean.n_orgs
    True
    >>> near.provenance["restriction"]["hops"]
    1
    >>> near.load_report["notes"][-1].startswith("restricted to the home set")
    True
    """
    steps = _hops(hops)
    keep = neighbourhood_mask(network, home, steps, layers=layers)
    kept = np.flatnonzero(keep)
    code = np.full(network.n_orgs, -1, dtype=np.int64)
    code[kept] = np.arange(len(kept))
    ties, events = network.ties, network.events
    source = ties["source"].to_numpy(dtype=np.int64)
    target = ties["target"].to_numpy(dtype=np.int64)
    inside = keep[source] & keep[target]
    ties = ties[inside].assign(source=code[source[inside]], target=code[target[inside]])
    org = events["org"].to_numpy(dtype=np.int64)
    events = events[keep[org]].assign(org=code[org[keep[org]]])
    members = int(home_set(network, home).sum())  # type: ignore[union-attr]  # not None: checked above
    restriction = {
        "home": describe_home(home, network),
        "home_organisations": members,
        "hops": steps,
        "layers": None if layers is None else list(layers),
        "organisations_kept": int(len(kept)),
        "organisations_left_out": int(network.n_orgs - len(kept)),
        "tie_records_kept": int(inside.sum()),
        "tie_records_left_out": int(len(inside) - inside.sum()),
    }
    report = dict(network.load_report)
    report["notes"] = [*report.get("notes", []), _note(restriction)]
    return CollaborationNetwork(
        network.orgs.iloc[kept],
        ties.reset_index(drop=True),
        events.reset_index(drop=True),
        load_report=report,
        provenance={**network.provenance, "restriction": restriction},
    )


def _note(restriction: dict[str, Any]) -> str:
    """The sentence a restricted network carries in its load report.

    Examples
    --------
    >>> _note({"home_organisations": 3, "hops": 1, "organisations_kept": 10,
    ...                   "organisations_left_out": 90, "tie_records_kept": 12, "tie_records_left_out": 300})
    'restricted to the home set (3 organisations) and its 1-hop neighbourhood: kept 10 of 100 organisations and 12 of 312 tie records; left out 90 organisations and 300 tie records'
    """
    orgs = restriction["organisations_kept"] + restriction["organisations_left_out"]
    ties = restriction["tie_records_kept"] + restriction["tie_records_left_out"]
    return (
        f"restricted to the home set ({restriction['home_organisations']:,} organisations) and its "
        f"{restriction['hops']}-hop neighbourhood: kept {restriction['organisations_kept']:,} of {orgs:,} "
        f"organisations and {restriction['tie_records_kept']:,} of {ties:,} tie records; left out "
        f"{restriction['organisations_left_out']:,} organisations and "
        f"{restriction['tie_records_left_out']:,} tie records"
    )


def neighbourhood_sql(
    pairs: pd.DataFrame | str | os.PathLike[str],
    home: Iterable[int],
    hops: int,
    *,
    engine: Any = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The k-hop neighbourhood of a home set in a pairs table, as SQL.

    Runs ``neighbourhood.sql`` ``hops`` times from the home set, then
    ``neighbourhood_pairs.sql``; only the engine's ``register``,
    ``create_table``, ``table``, ``to_pandas`` and ``drop`` are used, so a Spark engine
    with the same methods runs the same files.

    Parameters
    ----------
    pairs : pandas.DataFrame or path-like
        Integer ``source`` and ``target`` organisation codes (either
        direction) and any other columns; or a CSV or Parquet file of them
        (read by the engine, never through pandas).
    home : iterable of int
        Organisation codes of the home set.
    hops : int
        How many hops to grow the home set by.
    engine : optional
        An engine such as :class:`~netcluster.sql.engine.DuckDBEngine`; a
        fresh DuckDB engine when omitted.

    Returns
    -------
    reached : pandas.DataFrame
        ``org`` and ``hop`` (fewest ties from the home set), ordered by org.
    kept : pandas.DataFrame
        The rows of ``pairs`` with both ends reached, ordered by source and
        target.

    Examples
    --------
    >>> pairs = pd.DataFrame({"source": [0, 1, 2, 5], "target": [1, 2, 3, 6]})
    >>> reached, kept = neighbourhood_sql(pairs, [0], 2)
    >>> reached.values.tolist(), kept.values.tolist()
    ([[0, 0], [1, 1], [2, 2]], [[0, 1], [1, 2]])
    """
    steps = _hops(hops)
    codes = np.unique(np.asarray(list(home), dtype=np.int64))
    if not len(codes):
        raise InputError("a neighbourhood needs a home set of at least one organisation")
    own = engine is None
    run = DuckDBEngine() if own else engine
    names: list[str] = []
    try:
        run.register(_PAIRS, pairs)
        names.append(_PAIRS)
        start = f"{_REACHED}_0"
        run.register(start, pd.DataFrame({"org": codes, "hop": np.zeros(len(codes), dtype=np.int32)}))
        names.append(start)
        for hop in range(steps):
            name = f"{_REACHED}_{hop + 1}"
            run.create_table(name, "neighbourhood.sql", tables={"reached": names[-1], "pairs": _PAIRS},
                             params={"hop": hop})
            names.append(name)
            run.drop(names.pop(-2))
        kept = run.to_pandas("neighbourhood_pairs.sql", tables={"pairs": _PAIRS, "reached": names[-1]})
        reached = run.table(names[-1]).to_pandas()
    finally:
        for name in names:
            run.drop(name)
        if own:
            run.close()
    reached = reached.astype({"org": np.int64, "hop": np.int64}).sort_values("org", kind="stable")
    kept = kept.sort_values(["source", "target"], kind="stable")
    return reached.reset_index(drop=True), kept.reset_index(drop=True)


def _hops(hops: int) -> int:
    if isinstance(hops, bool) or not isinstance(hops, (int, np.integer)) or hops < 0:
        raise InputError("hops must be a whole number of at least 0", value=hops)
    return int(hops)
