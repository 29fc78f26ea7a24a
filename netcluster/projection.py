"""Projecting events (projects, patents, groups) onto organisation pairs.

An event shared by k organisations gives each of its k(k-1)/2 pairs a tie:

full counting
    weight 1 per pair and event;
fractional counting
    weight 1/(k-1) per pair and event (Newman 2001), so that each
    organisation's strength from one event is 1 whatever the event's size.

Events with one organisation give no pair; events with more than
``max_event_size`` organisations are not projected (a 186-partner project
alone makes 17,205 pairs) and are listed so that the load report can show
them. The sum runs as a sparse product ``B.T @ W`` of the event-by-organisation
incidence matrix B and W (B with each event's row divided by k-1 for
fractional counting), one product per layer and year, so each tie keeps its year.

References
----------
Newman, M. E. J. (2001). Scientific collaboration networks. II. Shortest
paths, weighted networks, and centrality. *Physical Review E* 64, 016132.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .errors import InputError

__all__ = ["COUNTING", "OVERSIZED", "project_events"]

#: The counting rules :func:`project_events` knows.
COUNTING = ("full", "fractional")

#: What happens to events above the size cap: left out, or projected fractionally.
OVERSIZED = ("skip", "downweight")


def project_events(
    events: pd.DataFrame,
    n_orgs: int,
    *,
    counting: str = "full",
    max_event_size: int | None = 100,
    oversized: str = "skip",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn event records into pair ties.

    Parameters
    ----------
    events : pandas.DataFrame
        Columns ``event``, ``org`` (integer code), ``layer`` and ``year``.
        Repeated (event, org) rows count once. An event's year is the
        earliest year among its rows.
    n_orgs : int
        Number of organisations (codes run from 0 to ``n_orgs - 1``).
    counting : {"full", "fractional"}
    max_event_size : int or None
        Events with more organisations than this are oversized; ``None``
        means no event is.
    oversized : {"skip", "downweight"}
        Leave oversized events out, or project them with fractional weights.

    Returns
    -------
    ties : pandas.DataFrame
        ``source < target``, ``layer``, ``weight``, ``records`` (events behind
        the tie), ``year``: one row per pair, layer and year, summed over that
        year's events.
    oversized : pandas.DataFrame
        ``layer``, ``event``, ``size`` of the events above the cap.

    Examples
    --------
    >>> events = pd.DataFrame({"event": ["p1"] * 3 + ["p2"] * 2, "org": [0, 1, 2, 0, 1],
    ...                        "layer": "partnership", "year": 2020})
    >>> ties, _ = project_events(events, 3)
    >>> ties[["source", "target", "weight"]].values.tolist()
    [[0.0, 1.0, 2.0], [0.0, 2.0, 1.0], [1.0, 2.0, 1.0]]
    >>> ties, _ = project_events(events, 3, counting="fractional")
    >>> ties["weight"].tolist()
    [1.5, 0.5, 0.5]
    """
    if counting not in COUNTING:
        raise InputError("unknown counting rule: use full or fractional", value=counting)
    if max_event_size is not None and max_event_size < 2:
        raise InputError("the event size cap must be at least 2", value=max_event_size)
    layer_dtype = (
        events["layer"].dtype
        if isinstance(events["layer"].dtype, pd.CategoricalDtype)
        else pd.CategoricalDtype(pd.unique(events["layer"].astype(str)))
    )
    unique = (
        events[["layer", "event", "org", "year"]]
        .astype({"layer": str})
        .groupby(["layer", "event", "org"], sort=True, observed=True)["year"]
        .min()
        .reset_index()
    )
    per_event = unique.groupby(["layer", "event"], sort=False, observed=True)
    unique["size"] = per_event["org"].transform("size")
    unique["year"] = per_event["year"].transform("min")
    too_big = max_event_size is not None
    oversized_rows = unique[unique["size"] > max_event_size] if too_big else unique.iloc[:0]
    listed = oversized_rows.groupby(["layer", "event"], sort=True)["size"].first().reset_index()
    kept = unique[unique["size"] >= 2]
    if oversized == "skip":
        kept = kept[~kept.index.isin(oversized_rows.index)]
    fractional = np.full(len(kept), counting == "fractional") | kept.index.isin(oversized_rows.index)
    kept = kept.assign(share=np.where(fractional, 1.0 / (kept["size"] - 1.0).clip(lower=1), 1.0))
    parts = [
        _project_group(group, n_orgs, layer, year)
        for (layer, year), group in kept.groupby(["layer", "year"], sort=True, dropna=False)
    ]
    ties = pd.concat(parts, ignore_index=True) if parts else _empty()
    ties["layer"] = ties["layer"].astype(str).astype(layer_dtype)
    return ties, listed


def _project_group(group: pd.DataFrame, n_orgs: int, layer: str, year: object) -> pd.DataFrame:
    event_codes, _ = pd.factorize(group["event"])
    shape = (int(event_codes.max()) + 1, n_orgs)
    orgs = group["org"].to_numpy(dtype=np.int64)
    incidence = sp.csr_matrix((np.ones(len(group)), (event_codes, orgs)), shape=shape)
    weighted = sp.csr_matrix((group["share"].to_numpy(dtype=np.float64), (event_codes, orgs)), shape=shape)
    counts = sp.triu(incidence.T @ incidence, k=1, format="csr")
    weights = sp.triu(incidence.T @ weighted, k=1, format="csr")
    counts.sort_indices()
    weights.sort_indices()
    pairs = counts.tocoo()
    return pd.DataFrame(
        {
            "source": pairs.row.astype(np.int32),
            "target": pairs.col.astype(np.int32),
            "layer": layer,
            "weight": weights.data,
            "records": pairs.data.astype(np.int64),
            "year": pd.array([year] * pairs.nnz, dtype="Int32"),
        }
    )


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": np.array([], dtype=np.int32),
            "target": np.array([], dtype=np.int32),
            "layer": pd.Series([], dtype=str),
            "weight": np.array([], dtype=np.float64),
            "records": np.array([], dtype=np.int64),
            "year": pd.array([], dtype="Int32"),
        }
    )
