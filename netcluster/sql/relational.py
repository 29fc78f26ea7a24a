"""The relational stages of loading, run as the package's SQL files.

pandas in, pandas out: each function registers its inputs with an engine
(any :class:`~netcluster.sql.engine.Engine`: a
:class:`~netcluster.sql.engine.DuckDBEngine`, a fresh one unless given, or a
:class:`~netcluster.sql.spark.SparkEngine`), runs one or two SQL files and
returns typed DataFrames, the same from either engine.

:func:`project_events_sql`
    events -> ties per pair, layer and year (``project_events.sql``) and the
    events above the size cap (``oversized_events.sql``); the same contract as
    :func:`netcluster.projection.project_events`, which ``build_network`` uses
    in memory (numpy), while this one serves ``netcluster aggregate`` and Spark.
:func:`merge_pairs_sql`
    ties -> one row per pair and layer over all years (``merge_pairs.sql``).
:func:`scope_counts_sql`
    ties and per-organisation geography -> degree and strength by scope
    (``pair_weights.sql`` merges the rows of each pair, then ``scope_counts.sql``),
    as in :func:`netcluster.metrics.scope_degrees`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from ..errors import InputError
from ..geography import SCOPES
from .engine import Engine, using_engine

__all__ = ["COUNTING", "OVERSIZED", "check_projection_options", "project_events_sql", "merge_pairs_sql", "scope_counts_sql"]

#: The counting rules of the projection.
COUNTING = ("full", "fractional")

#: What happens to events above the size cap: left out, or projected fractionally.
OVERSIZED = ("skip", "downweight")

# Weights are summed exactly as DECIMAL(38, 18) in SQL, which holds magnitudes below 1e20.
_MAX_WEIGHT = 1e20

_EVENTS = "netcluster_events"
_TIES = "netcluster_ties"
_PAIRS = "netcluster_pairs"
_MERGED = "netcluster_merged_pairs"
_ORGS = "netcluster_orgs"


def check_projection_options(counting: str, max_event_size: int | None, oversized: str) -> None:
    """Check the projection's counting rule, size cap and policy for oversized events.

    Raises
    ------
    InputError
        When one of them is not one the SQL files know.

    Examples
    --------
    >>> check_projection_options("full", 100, "skip")
    >>> check_projection_options("full", 1, "skip")
    Traceback (most recent call last):
    ...
    netcluster.errors.InputError: value 1: the event size cap must be at least 2
    """
    if counting not in COUNTING:
        raise InputError("unknown counting rule: use full or fractional", value=counting)
    if oversized not in OVERSIZED:
        raise InputError("unknown policy for oversized events: use skip or downweight", value=oversized)
    if max_event_size is not None and max_event_size < 2:
        raise InputError("the event size cap must be at least 2", value=max_event_size)


def project_events_sql(
    events: pd.DataFrame,
    *,
    counting: str = "full",
    max_event_size: int | None = 100,
    oversized: str = "skip",
    engine: Engine | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn event records into pair ties with ``project_events.sql``.

    Parameters
    ----------
    events : pandas.DataFrame
        Columns ``event`` (any values; compared as text), ``org`` (integer
        code), ``layer`` and ``year`` (integer, may be missing). Repeated
        (layer, event, org) rows count once; an event's year is the earliest
        among its rows. Rows missing an event, organisation or layer are
        ignored.
    counting : {"full", "fractional"}
        Weight 1 per pair and event, or 1/(k-1) for an event of k
        organisations (Newman 2001).
    max_event_size : int or None
        Events with more organisations are listed in ``oversized`` and
        handled by the ``oversized`` policy; ``None`` for no cap.
    oversized : {"skip", "downweight"}
        Leave events above the cap out, or project them with the fractional
        weight 1/(k-1) whatever ``counting`` says.
    engine : Engine, optional
        Where to run: a :class:`~netcluster.sql.engine.DuckDBEngine` or a
        :class:`~netcluster.sql.spark.SparkEngine` (see
        :func:`~netcluster.sql.engine.open_engine`); a fresh DuckDB engine
        with default settings when omitted.

    Returns
    -------
    ties : pandas.DataFrame
        ``source`` < ``target`` (int32), ``layer`` (categorical, in the
        input's categories when its ``layer`` is categorical, else in order of first
        appearance),
        ``weight`` (float64, summed over the events), ``records`` (int64,
        events behind the row), ``year`` (Int32): one row per pair, layer and
        year, ordered by layer, year (missing last), source, target.
    oversized : pandas.DataFrame
        ``layer``, ``event``, ``size`` (int64) of the events above the cap,
        ordered by layer and event, whichever the policy.

    Raises
    ------
    InputError
        For an unknown counting rule or policy, or a cap below 2.

    Notes
    -----
    Weights are summed exactly (as SQL decimals with 18 places) and only then
    turned into floats, so the same events give the same bits whatever the
    number of threads.

    Examples
    --------
    >>> events = pd.DataFrame({"event": ["p1"] * 3 + ["p2"] * 2, "org": [0, 1, 2, 0, 1],
    ...                        "layer": "partnership", "year": 2020})
    >>> ties, _ = project_events_sql(events)
    >>> list(ties[["source", "target", "weight", "records"]].itertuples(index=False, name=None))
    [(0, 1, 2.0, 2), (0, 2, 1.0, 1), (1, 2, 1.0, 1)]
    >>> ties, big = project_events_sql(events, max_event_size=2, oversized="downweight")
    >>> ties["weight"].tolist(), big["size"].tolist()
    ([1.5, 0.5, 0.5], [3])
    """
    check_projection_options(counting, max_event_size, oversized)
    layer_dtype = _layer_dtype(events["layer"])
    table = pa.table(
        {
            "event": pa.array(events["event"].astype("string"), type=pa.string()),
            "org": pa.array(events["org"].astype("Int64").array, type=pa.int64()),
            "layer": pa.array(events["layer"].astype("string"), type=pa.string()),
            "year": pa.array(events["year"].astype("Int32").array, type=pa.int32()),
        }
    )
    cap = None if max_event_size is None else int(max_event_size)
    with using_engine(engine) as run:
        run.register(_EVENTS, table)
        try:
            result = run.to_arrow(
                "project_events.sql",
                tables={"events": _EVENTS},
                params={
                    "max_event_size": cap,
                    "fractional": counting == "fractional",
                    "downweight": oversized == "downweight",
                },
            )
            big = run.to_pandas(
                "oversized_events.sql", tables={"events": _EVENTS}, params={"max_event_size": cap}
            )
        finally:
            run.drop(_EVENTS)
    ties = pd.DataFrame(
        {
            "source": _codes(result["source"]),
            "target": _codes(result["target"]),
            "layer": _layers(result["layer"], layer_dtype),
            "weight": result["weight"].to_numpy(),
            "records": result["records"].to_numpy(),
            "year": _years(result["year"]),
        }
    )
    big["size"] = big["size"].to_numpy(dtype=np.int64)
    return ties, big


def merge_pairs_sql(ties: pd.DataFrame, *, engine: Engine | None = None) -> pd.DataFrame:
    """Merge ties over years with ``merge_pairs.sql``.

    Parameters
    ----------
    ties : pandas.DataFrame
        ``source``, ``target``, ``layer``, ``weight``, ``year`` and optionally
        ``records`` (as from :func:`project_events_sql`); without ``records``
        each row counts as one record. Weights are summed exactly (to 18
        decimals), so that the result does not depend on row order.
    engine : Engine, optional
        DuckDB or Spark (see :func:`project_events_sql`); a fresh DuckDB
        engine when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per (source, target, layer): ``source``, ``target`` (int32),
        ``layer`` (categorical), ``weight`` (sum), ``records`` (int64, sum),
        ``first_year`` and ``last_year`` (Int32), ordered by layer, source,
        target.

    Raises
    ------
    InputError
        When a weight is not finite or not below 1e20 in magnitude.

    Examples
    --------
    >>> ties = pd.DataFrame({"source": [0, 0, 0], "target": [1, 1, 2], "layer": "copatent",
    ...                      "weight": [1.0, 2.0, 1.0], "year": [2019, 2021, 2020]})
    >>> merge_pairs_sql(ties)[["weight", "records", "first_year", "last_year"]].values.tolist()
    [[3.0, 2, 2019, 2021], [1.0, 1, 2020, 2020]]
    """
    layer_dtype = _layer_dtype(ties["layer"])
    records = ties["records"] if "records" in ties else pd.Series(1, index=ties.index)
    table = pa.table(
        {
            "source": pa.array(ties["source"].to_numpy(dtype=np.int64)),
            "target": pa.array(ties["target"].to_numpy(dtype=np.int64)),
            "layer": pa.array(ties["layer"].astype("string"), type=pa.string()),
            "weight": _weights(ties),
            "records": pa.array(records.to_numpy(dtype=np.int64)),
            "year": pa.array(ties["year"].astype("Int32").array, type=pa.int32()),
        }
    )
    with using_engine(engine) as run:
        run.register(_TIES, table)
        try:
            result = run.to_arrow("merge_pairs.sql", tables={"ties": _TIES}, params={"unit_weights": False})
        finally:
            run.drop(_TIES)
    return pd.DataFrame(
        {
            "source": _codes(result["source"]),
            "target": _codes(result["target"]),
            "layer": _layers(result["layer"], layer_dtype),
            "weight": result["weight"].to_numpy(),
            "records": result["records"].to_numpy(),
            "first_year": _years(result["first_year"]),
            "last_year": _years(result["last_year"]),
        }
    )


def scope_counts_sql(
    pairs: pd.DataFrame,
    country: np.ndarray,
    locality: np.ndarray,
    *,
    engine: Engine | None = None,
) -> pd.DataFrame:
    """Degree and strength of every organisation by tie scope, with ``scope_counts.sql``.

    Parameters
    ----------
    pairs : pandas.DataFrame
        ``source`` < ``target`` (organisation codes) and ``weight``; several
        rows of one pair (layers, years) are summed, as
        :meth:`~netcluster.network.CollaborationNetwork.to_csr` does, exactly
        (to 18 decimals), so that the result does not depend on row order.
    country, locality : numpy.ndarray
        One entry per organisation (index = code): either integer codes with
        -1 for unknown (as from :func:`netcluster.geography.country_codes`
        and :func:`~netcluster.geography.locality_codes`) or labels with
        missing values (``None``, NaN, empty text) for unknown. Localities
        count as equal only within a country.
    engine : Engine, optional
        DuckDB or Spark (see :func:`project_events_sql`); a fresh DuckDB
        engine when omitted.

    Returns
    -------
    pandas.DataFrame
        Indexed by organisation code (0 to n-1, isolates included); columns
        ``<scope>_degree`` (int64) for each scope in
        :data:`netcluster.geography.SCOPES`, then ``<scope>_strength``
        (float64), equal to those columns of
        :func:`netcluster.metrics.scope_degrees`.

    Raises
    ------
    InputError
        When ``country`` and ``locality`` differ in length, a pair names an
        organisation code outside them, or a weight is not finite or not
        below 1e20 in magnitude.

    Examples
    --------
    >>> pairs = pd.DataFrame({"source": [0, 0, 0], "target": [1, 2, 3], "weight": [1.0, 2.0, 4.0]})
    >>> country = np.array(["NO", "NO", "NO", "DK"], dtype=object)
    >>> region = np.array(["Vestland", "Vestland", "Oslo", "Syddanmark"], dtype=object)
    >>> table = scope_counts_sql(pairs, country, region)
    >>> table.loc[0, ["local_degree", "national_degree", "international_degree"]].tolist()
    [1, 1, 1]
    >>> float(table.loc[0, "international_strength"]), int(table.loc[3, "unknown_degree"])
    (4.0, 0)
    """
    if len(country) != len(locality):
        raise InputError("country and locality must give one entry per organisation",
                         value=(len(country), len(locality)))
    orgs = pa.table(
        {
            "code": pa.array(np.arange(len(country), dtype=np.int64)),
            "country": _labels(country),
            "locality": _labels(locality),
        }
    )
    source = pairs["source"].to_numpy(dtype=np.int64)
    target = pairs["target"].to_numpy(dtype=np.int64)
    outside = (source < 0) | (target < 0) | (source >= len(country)) | (target >= len(country))
    if outside.any():
        raise InputError("a pair names an organisation code without a country and locality entry",
                         value=(int(source[outside][0]), int(target[outside][0])))
    table = pa.table({"source": pa.array(source), "target": pa.array(target), "weight": _weights(pairs)})
    with using_engine(engine) as run:
        run.register(_PAIRS, table)
        run.register(_ORGS, orgs)
        try:
            run.create_table(_MERGED, "pair_weights.sql", tables={"pairs": _PAIRS})
            try:
                result = run.to_pandas("scope_counts.sql", tables={"pairs": _MERGED, "orgs": _ORGS})
            finally:
                run.drop(_MERGED)
        finally:
            run.drop(_PAIRS)
            run.drop(_ORGS)
    columns = {f"{s}_degree": result[f"{s}_degree"].to_numpy(dtype=np.int64) for s in SCOPES}
    columns |= {f"{s}_strength": result[f"{s}_strength"].to_numpy(dtype=np.float64) for s in SCOPES}
    return pd.DataFrame(columns, index=pd.Index(result["code"].to_numpy(dtype=np.int64), name="code"))


def _codes(column: pa.ChunkedArray) -> np.ndarray:
    return column.to_numpy().astype(np.int32)


def _layers(column: pa.ChunkedArray, dtype: pd.CategoricalDtype) -> pd.Series:
    # not .astype(dtype): pandas 3 keeps a categorical's own category order when the
    # sets are equal (unordered dtypes compare equal), so the input's order would be lost
    return pd.Series(pd.Categorical(column.to_pandas(), dtype=dtype))


def _years(column: pa.ChunkedArray) -> pd.Series:
    return column.to_pandas(types_mapper={pa.int32(): pd.Int32Dtype()}.get)


def _layer_dtype(layer: pd.Series) -> pd.CategoricalDtype:
    """The input's categories, or its layer names in order of first appearance."""
    if isinstance(layer.dtype, pd.CategoricalDtype):
        return layer.dtype
    return pd.CategoricalDtype(list(pd.unique(layer.dropna().astype(str))))


def _weights(frame: pd.DataFrame) -> pa.Array:
    weights = frame["weight"].to_numpy(dtype=np.float64)
    bad = ~(np.abs(weights) < _MAX_WEIGHT)
    if bad.any():
        raise InputError("a tie weight must be a finite number below 1e20 in magnitude", column="weight",
                         value=float(weights[bad][0]))
    return pa.array(weights)


def _labels(values: np.ndarray) -> pa.Array:
    """Per-organisation labels as text, NULL where unknown."""
    values = np.asarray(values)
    if np.issubdtype(values.dtype, np.integer):
        text = pd.Series(values.astype(np.int64)).astype("string").mask(values < 0)
    else:
        text = pd.Series(values, dtype=object).astype("string").str.strip()
        text = text.mask(text == "")
    return pa.array(text, type=pa.string())
