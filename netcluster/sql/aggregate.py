"""The records pipeline at scale: event and organisation files in, Parquet tables out.

:func:`aggregate_records` runs every relational stage as the package's SQL
files on one engine (DuckDB embedded by default, or Apache Spark), reading
the record files with the engine itself, never through pandas:

1. count the event rows and what is wrong with them (``records_summary.sql``);
2. give every organisation an integer code, in the order of its id, with its
   country and region from the organisations file (``organisation_codes.sql``;
   the rows of that file are counted by ``attribute_summary.sql``);
3. merge repeated (event, organisation) rows into memberships
   (``memberships.sql``), count events by size (``event_sizes.sql``,
   ``event_summary.sql``);
4. project the memberships onto pairs per year (``project_memberships.sql``:
   the rules of ``project_events.sql``, without its grouping of rows into
   memberships and sizes, done in step 3), merge the years
   (``merge_years.sql``: ``merge_pairs.sql`` for ties of one layer), list
   oversized events (``oversized_sizes.sql``);
5. count each organisation's partners by scope (``scope_counts.sql``);
6. connected components by minimum-label propagation with pointer jumping:
   a first round straight from the pairs (``components_first.sql``), then the
   pairs contracted onto the labels (``components_contract.sql``, on the
   labels of ``components_roots.sql``) and one ``components_step.sql``
   statement per round over them, repeated from Python until
   ``components_changes.sql`` finds no change; each organisation takes its
   label's component (``components_expand.sql``); ``components_summary.sql``
   sizes them;
7. aggregates per country, per locality and for the home set
   (``group_aggregates.sql``).

The graph stages that need the whole graph (bridge centrality, brokerage,
communities) are not relational: :func:`network_from_aggregate` loads the
output into a :class:`~netcluster.network.CollaborationNetwork` on this
machine for :func:`netcluster.analyze`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import InputError, OutputError, SchemaError
from ..files import atomic_write
from ..home import parse_home
from ..network import CollaborationNetwork
from .engine import Engine, using_engine
from .relational import check_projection_options

__all__ = ["aggregate_records", "network_from_aggregate", "Aggregate", "TABLES", "ENGINES"]

#: The Parquet files :func:`aggregate_records` writes, in this order.
TABLES = (
    "organisations", "ties", "pairs", "scopes", "groups", "components", "oversized_events", "summary",
)

#: The engines :func:`aggregate_records` runs on.
ENGINES = ("duckdb", "spark")

#: Home-set keys the pipeline understands when the home set is given as text.
HOME_KEYS = ("country", "region")

# Rounds of connected components before giving up: pointer jumping needs about
# log2 of the longest shortest path, so this is never reached by a real graph.
_MAX_ROUNDS = 200

_EVENT_COLUMNS = ("event", "org", "year")
_ORG_COLUMNS = ("org", "country", "region")

HomeSpec = Union[str, Mapping[str, str], Iterable[str], None]

#: A record input: a file path (or a URI the engine reads, such as ``s3a://`` for Spark), or a
#: table the engine registers as it is (pandas or Arrow; a Spark DataFrame for the Spark engine).
Source = Union[str, "os.PathLike[str]", pd.DataFrame, pa.Table, Any]


@dataclass(frozen=True)
class Aggregate:
    """What :func:`aggregate_records` wrote.

    Attributes
    ----------
    out : pathlib.Path
        The output folder.
    tables : dict of str to pathlib.Path
        Path of each Parquet file, keyed by the names in :data:`TABLES`.
    summary : dict of str to int
        The ``summary`` table as a mapping from measure to value.
    """

    out: Path
    tables: dict[str, Path] = field(default_factory=dict)
    summary: dict[str, int] = field(default_factory=dict)

    def read(self, name: str) -> pd.DataFrame:
        """One output table as a DataFrame (for small outputs; use the Parquet file otherwise)."""
        if name not in self.tables:
            raise InputError(f"no such output table; use one of {', '.join(TABLES)}", value=name)
        return pq.read_table(self.tables[name]).to_pandas()


def aggregate_records(
    events: Source,
    organisations: Source | None = None,
    out: str | os.PathLike[str] = "aggregate",
    *,
    layer: str = "copatent",
    counting: str = "full",
    max_event_size: int | None = 100,
    oversized: str = "skip",
    home: HomeSpec = None,
    engine: str | Engine = "duckdb",
    spark: Any = None,
    spark_master: str = "local[2]",
    memory_limit: str | None = None,
    temp_dir: str | os.PathLike[str] | None = None,
    threads: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> Aggregate:
    """Project and aggregate event records with SQL on DuckDB or Spark; write Parquet tables.

    Parameters
    ----------
    events : path-like or table
        CSV (``.csv``, ``.tsv``, ``.txt``, optionally ``.gz``/``.zst``) or
        Parquet (for Spark also a folder of Parquet files, or an ``hdfs://``
        or ``s3a://`` URI), or a table already in memory (pandas, Arrow; a
        Spark DataFrame with ``engine="spark"``), with columns ``event`` (patent, project, group), ``org``
        (organisation id) and ``year`` (may be empty); other columns are not
        read. Ids are compared exactly as the file types them (CSV: text as
        written, not trimmed). Rows without an event or organisation are
        counted and left out; repeated (event, organisation) rows count once
        and are counted.
    organisations : path-like or table, optional
        As ``events``, with columns ``org``, ``country`` (ISO 3166-1 alpha-2)
        and ``region`` (may be empty); ids match the events' ids as text.
        Without it every organisation's country is unknown.
    out : path-like
        Folder for the Parquet files of :data:`TABLES` (created if needed;
        files of those names are replaced, each only once all are written).
    layer : str
        The layer name of the ties (``copatent``, ``partnership``, ``membership``, ...).
    counting : {"full", "fractional"}
        Weight 1 per pair and event, or 1/(k-1) for an event of k
        organisations (Newman 2001), as in :func:`netcluster.projection.project_events`.
    max_event_size : int or None
        Events with more organisations are oversized; ``None`` for no cap.
    oversized : {"skip", "downweight"}
        Leave oversized events out, or project them fractionally.
    home : str, mapping or iterable of str, optional
        The home set for the ``home`` row of ``groups``: ``"country=NO"`` or
        ``"region=Vestland"`` (or the mapping ``{"country": "NO"}``), or the
        organisation ids themselves.
    engine : {"duckdb", "spark"} or engine object
        Where the SQL runs: DuckDB in this process (default), Spark
        (``spark`` session or a new one on ``spark_master``), or an engine
        object such as :class:`~netcluster.sql.engine.DuckDBEngine`, which is
        left open.
    spark : pyspark.sql.SparkSession, optional
        An existing session for ``engine="spark"`` (left running).
    spark_master : str
        Master URL of a new Spark session (``local[2]``, ``spark://host:7077``, ``yarn``).
    memory_limit : str, optional
        DuckDB memory limit such as ``"4GB"`` or ``"60%"`` (40 % of the
        physical memory when omitted: see
        :data:`~netcluster.sql.engine.DEFAULT_MEMORY_LIMIT`); above it DuckDB
        spills to ``temp_dir``. For a new Spark session, the driver's memory.
    temp_dir : path-like, optional
        Folder for spilled data (DuckDB) or Spark's staged output and local
        directory (see :func:`netcluster.sql.open_engine`).
    threads : int, optional
        DuckDB worker threads (all cores when omitted); not for Spark.
    progress : callable, optional
        Called with the name of each stage as it starts ("reading records",
        "projecting", "scopes", "components", "groups").

    Returns
    -------
    Aggregate
        The output folder, the path of every table and the summary.

    Raises
    ------
    InputError
        When a file is missing, unreadable or lacks a column (naming the
        file and column), or an option is invalid.
    OutputError
        When the output folder cannot be written.

    Notes
    -----
    Output tables (codes are the organisations' ``code``):

    ``organisations``
        code, org, country (NULL when unknown), region, country_status (ok,
        missing, unreadable, unlisted), attribute_rows, component.
    ``ties``
        source < target, layer, year, weight, records: one row per pair and
        year (``project_memberships.sql``, the rules of ``project_events.sql``).
    ``pairs``
        source, target, layer, weight, records, first_year, last_year.
    ``scopes``
        code and degree and strength by scope (local, national,
        international, unknown).
    ``groups``
        kind (country, locality, home), key, name, organisations,
        internal_ties, density, local/national/international/unknown_ties,
        share_international.
    ``components``
        component (0 = largest), smallest_code, organisations, ties, weight.
    ``oversized_events``
        layer, event, size of the events above the cap.
    ``summary``
        measure, value: every event row is accounted for (``records_read`` =
        ``records_without_event`` + ``records_without_org`` +
        ``records_repeated`` + ``memberships``; ``memberships`` =
        ``memberships_single`` + ``memberships_oversized`` +
        ``memberships_projected``), and so is every organisations-file row.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "events.csv").write_text(
    ...     "event,org,year\\np1,a,2020\\np1,b,2020\\np1,b,2020\\np2,b,2021\\np2,c,2021\\n,c,2021\\n")
    >>> _ = (folder / "orgs.csv").write_text("org,country,region\\na,NO,Vestland\\nb,NO,Oslo\\nc,UK,\\n")
    >>> result = aggregate_records(folder / "events.csv", folder / "orgs.csv", folder / "out",
    ...                            home="country=NO", threads=1)
    >>> pairs = result.read("pairs")
    >>> list(zip(pairs["source"], pairs["target"], pairs["weight"]))
    [(0, 1, 1.0), (1, 2, 1.0)]
    >>> {k: result.summary[k] for k in ("records_read", "records_without_event", "records_repeated")}
    {'records_read': 6, 'records_without_event': 1, 'records_repeated': 1}
    >>> result.read("groups").set_index("key").loc["home", ["organisations", "international_ties"]].tolist()
    [2, 1]
    """
    check_projection_options(counting, max_event_size, oversized)
    if not isinstance(layer, str) or not layer.strip():
        raise InputError("the layer name must be non-empty text", value=layer)
    home_ids, home_country, home_region = _home(home)
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".netcluster-aggregate-", dir=folder))
    except OSError as exc:
        raise OutputError(f"cannot create the output folder: {exc.strerror}", file=str(folder)) from exc
    try:
        with using_engine(engine, spark=spark, spark_master=spark_master, memory_limit=memory_limit,
                          temp_dir=temp_dir, threads=threads) as run:
            summary = _run(
                run, staging, events=events, organisations=organisations, layer=layer.strip(),
                counting=counting, max_event_size=max_event_size, oversized=oversized,
                home_ids=home_ids, home_country=home_country, home_region=home_region,
                progress=progress or _silent,
            )
        tables = {}
        for name in TABLES:
            target = folder / f"{name}.parquet"
            os.replace(staging / f"{name}.parquet", target)
            tables[name] = target
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Aggregate(out=folder, tables=tables, summary=summary)


def network_from_aggregate(out: str | os.PathLike[str]) -> CollaborationNetwork:
    """Load the output of :func:`aggregate_records` as a CollaborationNetwork on this machine.

    The graph stages (bridge centrality, brokerage, communities; see
    :func:`netcluster.analyze`) need the whole graph in memory: this reads
    ``organisations.parquet`` and ``ties.parquet`` into pandas. Organisation
    ids become text (``org_id``); codes are kept, so code ``i`` of the output
    is row ``i`` of the network.

    Parameters
    ----------
    out : path-like
        A folder written by :func:`aggregate_records`.

    Returns
    -------
    CollaborationNetwork
        Organisations with ``country`` and ``region``; one tie row per pair,
        layer and year, as :func:`netcluster.build_network` makes for
        projected records (the events themselves are not kept).

    Raises
    ------
    InputError
        When the folder lacks the tables.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "events.csv").write_text("event,org,year\\np1,a,2020\\np1,b,2020\\np2,b,2021\\np2,c,2021\\n")
    >>> _ = aggregate_records(folder / "events.csv", out=folder / "out", threads=1)
    >>> network = network_from_aggregate(folder / "out")
    >>> network.n_orgs, len(network.ties), network.layers
    (3, 2, ('copatent',))
    """
    folder = Path(out)
    paths = {name: folder / f"{name}.parquet" for name in ("organisations", "ties")}
    for path in paths.values():
        if not path.is_file():
            raise InputError("not an output folder of netcluster aggregate: a table is missing", file=str(path))
    orgs = pq.read_table(paths["organisations"], columns=["code", "org", "country", "region"]).to_pandas()
    orgs = orgs.sort_values("code")
    frame = pd.DataFrame(
        {"country": orgs["country"].astype("string").to_numpy(),
         "region": orgs["region"].astype("string").to_numpy()},
        index=pd.Index(orgs["org"].astype(str).to_numpy(), name="org_id"),
    )
    ties = pq.read_table(paths["ties"], columns=["source", "target", "layer", "weight", "year"]).to_pandas()
    ties["year"] = ties["year"].astype("Int32")
    return CollaborationNetwork(frame, ties, provenance={"aggregate": str(folder)})


# -- the stages ------------------------------------------------------------------------------
def _run(
    run: Engine,
    staging: Path,
    *,
    events: Source,
    organisations: Source | None,
    layer: str,
    counting: str,
    max_event_size: int | None,
    oversized: str,
    home_ids: list[str],
    home_country: str | None,
    home_region: str | None,
    progress: Callable[[str], None],
) -> dict[str, int]:
    raw, attributes, orgs, memberships = "nc_raw_events", "nc_raw_orgs", "nc_orgs", "nc_memberships"
    sizes = "nc_sizes"
    ties, pairs, scopes, home, components = "nc_ties", "nc_pairs", "nc_scopes", "nc_home", "nc_components"
    cap = None if max_event_size is None else int(max_event_size)

    progress("reading records")
    _register(run, raw, events, _EVENT_COLUMNS)
    if organisations is None:
        empty = pa.array([], type=pa.string())
        run.register(attributes, pa.table({name: empty for name in _ORG_COLUMNS}))
    else:
        _register(run, attributes, organisations, _ORG_COLUMNS)
    run.register(home, pa.table({"org": pa.array(home_ids, type=pa.string())}))

    years = {"integer_years": _integer_years(events)}
    counts = _one_row(run, "records_summary.sql", tables={"events": raw}, params=years)
    run.create_table(orgs, "organisation_codes.sql", tables={"events": raw, "attributes": attributes})
    counts |= _one_row(run, "attribute_summary.sql", tables={"attributes": attributes, "organisations": orgs},
                       prefix="attribute_")
    run.create_table(memberships, "memberships.sql", tables={"events": raw}, params=years)
    run.drop(raw)
    run.create_table(sizes, "event_sizes.sql", tables={"events": memberships})
    counts |= _one_row(run, "event_summary.sql", tables={"sizes": sizes}, params={"max_event_size": cap})
    run.to_parquet("oversized_sizes.sql", staging / "oversized_events.parquet", tables={"sizes": sizes},
                   params={"layer": layer, "max_event_size": cap})
    progress("projecting")
    fractional, downweight = counting == "fractional", oversized == "downweight" and cap is not None
    run.create_table(
        ties, "project_memberships.sql",
        tables={"events": memberships, "sizes": sizes, "organisations": orgs},
        params={"layer": layer, "max_event_size": cap, "fractional": fractional, "downweight": downweight},
    )
    run.drop(memberships)
    run.drop(sizes)
    run.to_parquet("table_rows.sql", staging / "ties.parquet", tables={"table": ties})
    run.create_table(pairs, "merge_years.sql", tables={"ties": ties},
                     params={"layer": layer, "unit_weights": not (fractional or downweight)})
    counts["ties"] = _count(run, ties)
    run.drop(ties)
    run.to_parquet("table_rows.sql", staging / "pairs.parquet", tables={"table": pairs})
    counts["pairs"] = _count(run, pairs)

    progress("scopes")
    run.create_table(scopes, "scope_counts.sql", tables={"pairs": pairs, "orgs": orgs})
    run.to_parquet("table_rows.sql", staging / "scopes.parquet", tables={"table": scopes})

    progress("components")
    labels, rounds = _components(run, orgs, pairs)
    counts["component_rounds"] = rounds
    run.create_table(components, "components_summary.sql", tables={"labels": labels, "pairs": pairs})
    run.to_parquet("table_rows.sql", staging / "components.parquet", tables={"table": components})
    counts["components"] = _count(run, components)
    run.to_parquet("organisations_table.sql", staging / "organisations.parquet",
                   tables={"organisations": orgs, "labels": labels, "components": components})
    progress("groups")
    run.to_parquet(
        "group_aggregates.sql", staging / "groups.parquet",
        tables={"pairs": pairs, "organisations": orgs, "scopes": scopes, "home": home},
        params={"home_country": home_country, "home_region": home_region},
    )
    status = run.to_arrow("organisation_status.sql", tables={"organisations": orgs}).to_pylist()
    counts |= {f"organisations_{row['country_status']}": int(row["organisations"]) for row in status}
    counts["organisations"] = sum(int(row["organisations"]) for row in status)
    for name in (labels, components, scopes, pairs, orgs, attributes, home):
        run.drop(name)
    summary = _summary(counts)
    _write_summary(summary, staging / "summary.parquet")
    return summary


def _register(run: Engine, name: str, source: Source, columns: tuple[str, ...]) -> None:
    """Register a file (reading only ``columns``) or an in-memory table (checking it has them)."""
    if isinstance(source, (str, os.PathLike)):
        run.register(name, source, columns=columns)
        return
    names = source.column_names if isinstance(source, pa.Table) else [str(c) for c in source.columns]
    missing = [c for c in columns if c not in names]
    if missing:
        raise SchemaError("the table has no such column", column=missing[0])
    run.register(name, source)


def _integer_years(source: Source) -> bool:
    """Whether the events' year column is typed as integers (local Parquet, pandas, Arrow, Spark).

    Then the SQL uses it as it is; otherwise (CSV, or a type not known here) each value is
    checked as text, which costs a few seconds per 10 million rows.
    """
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if path.suffix.lower() not in (".parquet", ".pq") or not path.is_file():
            return False
        try:
            schema = pq.read_schema(path)
        except (OSError, pa.ArrowException):
            return False  # the engine reports the unreadable file
        index = schema.get_field_index("year")
        return index >= 0 and pa.types.is_integer(schema.field(index).type)
    if isinstance(source, pa.Table):
        return "year" in source.column_names and pa.types.is_integer(source.schema.field("year").type)
    if isinstance(source, pd.DataFrame):
        return "year" in source.columns and pd.api.types.is_integer_dtype(source["year"].dtype)
    types = dict(getattr(source, "dtypes", []))  # a Spark DataFrame: [(name, type name), ...]
    return types.get("year") in ("tinyint", "smallint", "int", "bigint")


def _silent(stage: str) -> None:
    """The progress callback when none is given."""


def _components(run: Engine, orgs: str, pairs: str) -> tuple[str, int]:
    """Converged component labels (table name: code, label) and the rounds it took.

    The first round reads the pairs (``components_first.sql``); the graph is
    then contracted onto its labels (``components_contract.sql``,
    ``components_roots.sql``), far fewer rows with the same components, and
    ``components_step.sql`` runs over that graph until a round changes
    nothing; each organisation takes its label's label (``components_expand.sql``).
    """
    first, contracted, converged = "nc_labels", "nc_label_pairs", "nc_components_labels"
    names = ("nc_roots_a", "nc_roots_b")
    run.create_table(first, "components_first.sql", tables={"organisations": orgs, "pairs": pairs})
    if _one_row(run, "components_changes.sql", tables={"labels": first})["changed"] == 0:
        return first, 1
    run.create_table(contracted, "components_contract.sql", tables={"labels": first, "pairs": pairs})
    run.create_table(names[0], "components_roots.sql", tables={"labels": first})
    for rounds in range(2, _MAX_ROUNDS + 1):
        before, after = names[rounds % 2], names[(rounds + 1) % 2]
        run.create_table(after, "components_step.sql", tables={"labels": before, "pairs": contracted})
        run.drop(before)
        if _one_row(run, "components_changes.sql", tables={"labels": after})["changed"] == 0:
            run.create_table(converged, "components_expand.sql", tables={"labels": first, "roots": after})
            for name in (first, contracted, after):
                run.drop(name)
            return converged, rounds
    raise InputError(f"connected components did not converge in {_MAX_ROUNDS} rounds")  # pragma: no cover


def _summary(counts: dict[str, int]) -> dict[str, int]:
    """The summary measures in their published order, checked to account for every row."""
    memberships = counts["memberships"]
    summary = {
        "records_read": counts["row_count"],
        "records_without_event": counts["rows_without_event"],
        "records_without_org": counts["rows_without_org"],
        "records_repeated": counts["repeated_rows"],
        "memberships": memberships,
        "memberships_single": counts["single_memberships"],
        "memberships_oversized": counts["oversized_memberships"],
        "memberships_projected": memberships - counts["single_memberships"] - counts["oversized_memberships"],
        "unreadable_years": counts["unreadable_years"],
        "events": counts["events"],
        "events_single": counts["single_events"],
        "events_oversized": counts["oversized_events"],
        "organisations": counts["organisations"],
        "organisations_ok": counts.get("organisations_ok", 0),
        "organisations_missing": counts.get("organisations_missing", 0),
        "organisations_unreadable": counts.get("organisations_unreadable", 0),
        "organisations_unlisted": counts.get("organisations_unlisted", 0),
        "organisation_rows_read": counts["attribute_row_count"],
        "organisation_rows_without_org": counts["attribute_rows_without_org"],
        "organisation_rows_unused": counts["attribute_rows_unused"],
        "organisation_rows_repeated": counts["attribute_rows_repeated"],
        "ties": counts["ties"],
        "pairs": counts["pairs"],
        "components": counts["components"],
        "component_rounds": counts["component_rounds"],
    }
    accounted = (summary["records_without_event"] + summary["records_without_org"]
                 + summary["records_repeated"] + memberships)
    used = summary["organisations"] - summary["organisations_unlisted"]
    listed = (summary["organisation_rows_without_org"] + summary["organisation_rows_unused"]
              + summary["organisation_rows_repeated"] + used)
    if accounted != summary["records_read"] or listed != summary["organisation_rows_read"]:
        raise AssertionError(f"the summary does not account for every row: {summary}")  # pragma: no cover
    return summary


def _write_summary(summary: dict[str, int], path: Path) -> None:
    table = pa.table({"measure": pa.array(list(summary), type=pa.string()),
                      "value": pa.array(list(summary.values()), type=pa.int64())})
    with atomic_write(path, "wb") as handle:
        pq.write_table(table, handle)


def _one_row(run: Engine, script: str, *, tables: Mapping[str, str], params: Mapping[str, Any] | None = None,
             prefix: str = "") -> dict[str, int]:
    row = run.to_arrow(script, tables=tables, params=params).to_pylist()[0]
    return {f"{prefix}{key}": int(value or 0) for key, value in row.items()}


def _count(run: Engine, table: str) -> int:
    return _one_row(run, "table_size.sql", tables={"table": table})["row_count"]


def _home(home: HomeSpec) -> tuple[list[str], str | None, str | None]:
    """The home set as (ids, country, region)."""
    if home is None:
        return [], None, None
    if isinstance(home, str):
        home = parse_home(home)
    if isinstance(home, Mapping):
        unknown = [key for key in home if key not in HOME_KEYS]
        if unknown or len(home) != 1:
            raise InputError(f"the SQL pipeline takes a home set as country=CODE, region=NAME or a list of "
                             f"organisation ids", value=dict(home))
        return [], home.get("country"), home.get("region")
    ids = [str(value) for value in home]
    return ids, None, None


