"""DuckDBEngine: register inputs, run the package's SQL files, fetch results.

A SQL file of this package is a template holding one query. Two kinds of
``{name}`` placeholder occur in it, and :class:`DuckDBEngine` fills each
without ever splicing user text into SQL:

tables
    ``tables={"events": "my_events"}`` replaces ``{events}`` by the name of a
    table registered in this engine. Names must match ``[a-z_][a-z0-9_]*``
    and be registered, so no other text can reach the query.
values
    ``params={"max_event_size": 100}`` binds ``{max_event_size}`` as a
    prepared-statement parameter (DuckDB ``$max_event_size``; a Spark
    adapter binds ``:max_event_size`` through ``spark.sql(text, args)``).
    Values are ``bool``, ``int``, ``float``, ``str`` or ``None`` (SQL NULL).

Every placeholder must be given and every given name must occur, so a typo
fails loudly instead of running another query.

Files are read by DuckDB itself, never through pandas: CSV (also ``.tsv``,
``.txt`` and their ``.gz``/``.zst`` forms) with a header line and every column
as VARCHAR, so that codes such as ``NA`` (Namibia) or ``007`` survive as
written and empty fields become NULL; Parquet with its own types. Reading is
lazy: a file is scanned when a query uses it. An error in a file, when
registering it or when a query reads it, is raised as
:class:`~netcluster.errors.InputError` naming the file (and the line, for CSV
errors), on one line.
"""

from __future__ import annotations

import abc
import contextlib
import csv
import functools
import gzip
import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any, Callable, TypeVar, Union

import duckdb
import pandas as pd
import pyarrow as pa

from ..errors import InputError, SchemaError
from ..files import atomic_path

__all__ = [
    "DuckDBEngine", "Engine", "open_engine", "using_engine", "scripts", "load_script", "bind_script",
    "DEFAULT_MEMORY_LIMIT",
]

#: What a query parameter may be.
Value = Union[bool, int, float, str, None]

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_SCRIPT = re.compile(r"[a-z_][a-z0-9_]*\.sql")
_CSV = (".csv", ".tsv", ".txt")
_DELIMITERS = (",", "\t", ";", "|")
_PARQUET = (".parquet", ".pq")
_COMPRESSED = (".gz", ".zst")
# DuckDB errors that, in a query reading a user's file, come from that file.
_FILE_ERRORS = (duckdb.IOException, duckdb.InvalidInputException, duckdb.ConversionException)

#: DuckDB's memory limit when none is given: a share of the physical memory (DuckDB also
#: honours a container's limit). The resident memory goes above it: at 100 million rows
#: on a 23.5 GiB machine, a 10.8 GiB peak under this 9.4 GiB limit (docs/benchmarks.md).
DEFAULT_MEMORY_LIMIT = "40%"

_T = TypeVar("_T")
_E = TypeVar("_E", bound="Engine")


def scripts() -> tuple[str, ...]:
    """Names of the SQL files this package holds, sorted.

    Examples
    --------
    >>> "project_events.sql" in scripts()
    True
    """
    folder = resources.files(__package__)
    return tuple(sorted(p.name for p in folder.iterdir() if _SCRIPT.fullmatch(p.name)))


@functools.lru_cache(maxsize=None)
def load_script(name: str) -> str:
    """The text of one of the package's SQL files, exactly as stored.

    Raises
    ------
    InputError
        When no such file exists.
    """
    if name not in scripts():
        raise InputError("no such SQL file in netcluster.sql", value=name)
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def bind_script(
    script: str,
    tables: Mapping[str, str],
    params: Mapping[str, Value],
    *,
    marker: str,
) -> str:
    """The text of ``script`` with its placeholders filled, ready for an engine.

    Table placeholders become the given table names (already checked as
    registered by the caller); value placeholders become ``marker`` + name
    (``$name`` for DuckDB, ``:name`` for Spark SQL), to be bound by the engine.

    Raises
    ------
    InputError
        When the given placeholders differ from the file's, a name is given
        both as a table and as a value, or a value is not a number, a string,
        a boolean or None.

    Examples
    --------
    >>> text = bind_script("oversized_events.sql", {"events": "ev"}, {"max_event_size": 2}, marker=":")
    >>> "FROM ev" in text and "> :max_event_size" in text
    True
    """
    template = load_script(script)
    wanted = set(_PLACEHOLDER.findall(template))
    both = tables.keys() & params.keys()
    if both:
        raise InputError(f"{script}: placeholders given as tables and as values", value=sorted(both))
    given = tables.keys() | params.keys()
    if wanted != given:
        raise InputError(f"{script} needs placeholders {sorted(wanted)}, got {sorted(given)}")
    for key, value in params.items():
        if not isinstance(value, (bool, int, float, str, type(None))):
            raise InputError(f"{script}: parameter {key} must be a number, a string or None",
                             value=value)
    return _PLACEHOLDER.sub(lambda m: tables[m[1]] if m[1] in tables else f"{marker}{m[1]}", template)


class Engine(abc.ABC):
    """What :class:`DuckDBEngine` and :class:`~netcluster.sql.spark.SparkEngine` both offer: their base class.

    Code that runs the package's SQL files takes any ``Engine``, so the same
    stage runs embedded (DuckDB) or on a Spark cluster. Table names are
    lower-case identifiers local to the engine; ``tables=`` maps a file's
    table placeholders to registered names and ``params=`` binds its value
    placeholders. Results come back in the order of the query's ``ORDER BY``.

    Examples
    --------
    >>> with open_engine("duckdb", threads=1) as engine:
    ...     isinstance(engine, Engine)
    True
    """

    def __init__(self) -> None:
        self._kinds: dict[str, str] = {}  # name -> "object", "view" or "table"
        self._files: dict[str, str] = {}  # name -> path, for tables read from files

    def __enter__(self: _E) -> _E:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @abc.abstractmethod
    def close(self) -> None:
        """Release the engine and everything registered in it."""

    @abc.abstractmethod
    def register(
        self,
        name: str,
        source: Any,
        *,
        columns: Iterable[str] | None = None,
    ) -> None:
        """Make a table or a file available as table ``name``."""

    @abc.abstractmethod
    def drop(self, name: str) -> None:
        """Forget table ``name``."""

    @abc.abstractmethod
    def table(self, name: str) -> pa.Table:
        """The whole of table ``name`` as an Arrow table."""

    @abc.abstractmethod
    def create_table(
        self,
        name: str,
        script: str,
        *,
        tables: Mapping[str, str] | None = None,
        params: Mapping[str, Value] | None = None,
    ) -> None:
        """Run ``script`` and keep its result in the engine as table ``name``."""

    @abc.abstractmethod
    def to_arrow(
        self,
        script: str,
        *,
        tables: Mapping[str, str] | None = None,
        params: Mapping[str, Value] | None = None,
    ) -> pa.Table:
        """Run ``script`` and return its result as an Arrow table."""

    def to_pandas(
        self,
        script: str,
        *,
        tables: Mapping[str, str] | None = None,
        params: Mapping[str, Value] | None = None,
    ) -> pd.DataFrame:
        """Run ``script`` and return its result as a DataFrame, through Arrow.

        Integer columns become pandas nullable integers (``Int64``, ``Int32``,
        ...), so that SQL NULLs survive; other columns take pandas' defaults.
        """
        return self.to_arrow(script, tables=tables, params=params).to_pandas(
            types_mapper=_NULLABLE_INTEGERS.get
        )

    @abc.abstractmethod
    def to_parquet(
        self,
        script: str,
        path: str | os.PathLike[str],
        *,
        tables: Mapping[str, str] | None = None,
        params: Mapping[str, Value] | None = None,
    ) -> None:
        """Run ``script`` and write its result into a Parquet file, atomically."""

    def _kind(self, name: str) -> str:
        if name not in self._kinds:
            raise InputError("no table of this name is registered in the engine", value=name)
        return self._kinds[name]

    def _files_of(self, names: Iterable[str]) -> list[str]:
        return [self._files[n] for n in names if n in self._files]


class DuckDBEngine(Engine):
    """An embedded DuckDB database that runs the package's SQL files.

    Use it as a context manager (or call :meth:`close`); one engine can run
    several queries over the same registered inputs.

    Parameters
    ----------
    memory_limit : str, optional
        DuckDB's memory limit, such as ``"4GB"`` or ``"60%"`` (of the
        physical memory); above it, joins and aggregations spill to
        ``temp_dir``. :data:`DEFAULT_MEMORY_LIMIT` when omitted, rather than
        DuckDB's own 80 %, which let 100 million records take 13 GiB of a
        23.5 GiB machine (docs/benchmarks.md, "SQL engines").
    temp_dir : path-like, optional
        Folder for spilled data; when omitted, a fresh folder in the system's
        temporary folder, removed by :meth:`close` (DuckDB's own default
        would be ``.tmp`` in the current folder).
    threads : int, optional
        Worker threads (all cores when omitted).

    Raises
    ------
    InputError
        When DuckDB refuses an option.

    Examples
    --------
    >>> events = pd.DataFrame({"event": ["p", "p", "q"], "org": [0, 1, 1],
    ...                        "layer": "partnership", "year": [2020, 2020, 2021]})
    >>> with DuckDBEngine(threads=1) as engine:
    ...     engine.register("events", events)
    ...     sizes = engine.to_pandas("oversized_events.sql", tables={"events": "events"},
    ...                              params={"max_event_size": 1})
    >>> sizes.to_dict("records")
    [{'layer': 'partnership', 'event': 'p', 'size': 2}]
    """

    def __init__(
        self,
        *,
        memory_limit: str | None = None,
        temp_dir: str | os.PathLike[str] | None = None,
        threads: int | None = None,
    ) -> None:
        super().__init__()
        memory_limit = DEFAULT_MEMORY_LIMIT if memory_limit is None else memory_limit
        options = {"memory_limit": memory_limit, "temp_directory": temp_dir, "threads": threads}
        config = {key: str(value) for key, value in options.items() if value is not None}
        self._spill = None
        if temp_dir is None:
            self._spill = tempfile.TemporaryDirectory(prefix="netcluster-duckdb-")
        spill = {} if self._spill is None else {"temp_directory": self._spill.name}
        try:
            self._con = duckdb.connect(":memory:", config={**config, **spill})
        except duckdb.Error as exc:
            self._cleanup()
            raise InputError(f"DuckDB refused an option: {_first_line(exc)}", value=config) from exc

    def close(self) -> None:
        """Release the database, everything registered in it and the spill folder."""
        self._con.close()
        self._cleanup()

    def _cleanup(self) -> None:
        if self._spill is not None:
            self._spill.cleanup()

    # -- inputs ---------------------------------------------------------------------------
    def register(
        self,
        name: str,
        source: pd.DataFrame | pa.Table | str | os.PathLike[str],
        *,
        columns: Iterable[str] | None = None,
    ) -> None:
        """Make a DataFrame, an Arrow table or a file available as table ``name``.

        Parameters
        ----------
        name : str
            Lower-case SQL identifier; an earlier table of that name is replaced.
        source : pandas.DataFrame, pyarrow.Table or path-like
            DataFrames and Arrow tables are scanned in place (pandas
            categoricals become DuckDB enums, which sort by category: pass
            plain strings where a query orders by the column). Paths are read
            by DuckDB: CSV with every column as VARCHAR, or Parquet.
        columns : iterable of str, optional
            For a file: read only these columns.

        Raises
        ------
        InputError
            When the name is not an identifier, or the file does not exist,
            is of an unknown type or cannot be read.
        SchemaError
            When the file lacks one of ``columns``.
        """
        _check_identifier(name)
        if name in self._kinds:
            self.drop(name)
        if isinstance(source, (pd.DataFrame, pa.Table)):
            self._con.register(name, source)
            self._kinds[name] = "object"
            return
        path = str(source)
        if not Path(path).is_file():
            raise InputError("file not found", file=path)
        try:
            relation = self._read_file(path)
        except duckdb.Error as exc:
            raise _input_error(exc, [path]) from exc
        if columns is not None:
            columns = list(columns)
            missing = [c for c in columns if c not in relation.columns]
            if missing:
                raise SchemaError("the file has no such column", file=path, column=missing[0])
            relation = relation.select(*(duckdb.ColumnExpression(c) for c in columns))
        relation.create_view(name)
        self._kinds[name] = "view"
        self._files[name] = path

    def drop(self, name: str) -> None:
        """Forget table ``name`` (registered or created).

        Raises
        ------
        InputError
            When no such table is registered.
        """
        kind = self._kind(name)
        if kind == "object":
            self._con.unregister(name)
        else:
            self._con.execute(f"DROP {kind.upper()} {name}")
        del self._kinds[name]
        self._files.pop(name, None)

    def table(self, name: str) -> pa.Table:
        """The whole of table ``name`` as an Arrow table."""
        self._kind(name)
        relation = self._con.table(name)
        return self._guard(relation.to_arrow_table, self._files_of([name]))

    # -- running the package's SQL files --------------------------------------------------
    def create_table(
        self,
        name: str,
        script: str,
        *,
        tables: Mapping[str, str] | None = None,
        params: Mapping[str, Value] | None = None,
    ) -> None:
        """Run ``script`` and keep its result in the engine as table ``name``.

        The result is computed now (spilling to ``temp_dir`` when large), so
        later queries on it do not repeat the work.
        """
        _check_identifier(name)
        if tables and name in tables.values():
            raise InputError("a query's result cannot replace one of its own inputs", value=name)
        relation, files = self._query(script, tables, params)
        if name in self._kinds:
            self.drop(name)
        self._guard(lambda: relation.to_table(name), files)
        self._kinds[name] = "table"

    def to_arrow(
        self,
        script: str,
        *,
        tables: Mapping[str, str] | None = None,
        params: Mapping[str, Value] | None = None,
    ) -> pa.Table:
        """Run ``script`` and return its result as an Arrow table."""
        relation, files = self._query(script, tables, params)
        return self._guard(relation.to_arrow_table, files)

    def to_parquet(
        self,
        script: str,
        path: str | os.PathLike[str],
        *,
        tables: Mapping[str, str] | None = None,
        params: Mapping[str, Value] | None = None,
    ) -> None:
        """Run ``script`` and write its result into a Parquet file, in the query's order.

        DuckDB's own Parquet writer writes the file (in parallel, without
        passing the rows through Python), atomically (see
        :func:`netcluster.files.atomic_path`).

        Raises
        ------
        OutputError
            When the file cannot be written.
        """
        relation, files = self._query(script, tables, params)

        def write() -> None:
            with atomic_path(path) as temporary:
                relation.to_parquet(str(temporary))

        self._guard(write, files)

    # -- helpers --------------------------------------------------------------------------
    def _read_file(self, path: str) -> duckdb.DuckDBPyRelation:
        kind = _file_kind(path)
        if kind == "csv":
            delimiter, columns = _csv_dialect(path)
            if columns is None:
                return self._con.read_csv(path, header=True, all_varchar=True)
            return self._con.read_csv(path, header=True, auto_detect=False, sep=delimiter, quotechar='"',
                                      escapechar='"', columns=dict.fromkeys(columns, "VARCHAR"))
        if kind == "parquet":
            return self._con.read_parquet(path)
        raise InputError(
            "unknown file type: use .csv, .tsv or .txt (optionally .gz or .zst), or .parquet",
            file=path,
        )

    def _query(
        self,
        script: str,
        tables: Mapping[str, str] | None,
        params: Mapping[str, Value] | None,
    ) -> tuple[duckdb.DuckDBPyRelation, list[str]]:
        tables, params = dict(tables or {}), dict(params or {})
        text = bind_script(script, tables, params, marker="$")
        for table in tables.values():
            self._kind(table)
        files = self._files_of(tables.values())
        return self._guard(lambda: self._con.sql(text, params=params or None), files), files

    @staticmethod
    def _guard(action: Callable[[], _T], files: list[str]) -> _T:
        """Run ``action``; DuckDB errors coming from the user's files or from the
        memory limit become InputError."""
        try:
            return action()
        except duckdb.OutOfMemoryException as exc:
            raise InputError(
                f"DuckDB ran out of memory ({_first_line(exc)}): raise memory_limit, use fewer threads "
                "or give a temp_dir with more room"
            ) from exc
        except _FILE_ERRORS as exc:
            if not files:
                raise
            raise _input_error(exc, files) from exc


_NULLABLE_INTEGERS: dict[pa.DataType, Any] = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.uint8(): pd.UInt8Dtype(),
    pa.uint16(): pd.UInt16Dtype(),
    pa.uint32(): pd.UInt32Dtype(),
    pa.uint64(): pd.UInt64Dtype(),
}


def _check_identifier(name: str) -> None:
    if not isinstance(name, str) or not _IDENTIFIER.fullmatch(name):
        raise InputError("a table name must be a lower-case SQL identifier ([a-z_][a-z0-9_]*)",
                         value=name)


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return re.sub(r"^[A-Za-z ]*Error: ", "", lines[0]) if lines else type(exc).__name__


def _input_error(exc: duckdb.Error, files: list[str]) -> InputError:
    """One-line InputError naming the file (and line) from a DuckDB error."""
    text = str(exc)
    named = [f for f in files if f in text]
    file = named[0] if named else ", ".join(files)
    reason = _first_line(exc)
    line = None
    match = re.fullmatch(r"CSV Error on Line: (\d+)", reason)
    if match:
        line = int(match[1])
        details = [
            row.strip()
            for row in text.splitlines()[1:]
            if row.strip() and not row.strip().startswith(("Original Line", "Possible", "*"))
        ]
        reason = details[0] if details else reason
    return InputError(f"cannot read the file: {reason}", file=file, line=line)


#: The engines :func:`open_engine` knows.
ENGINES = ("duckdb", "spark")


def open_engine(
    engine: str = "duckdb",
    *,
    spark: Any = None,
    spark_master: str = "local[2]",
    memory_limit: str | None = None,
    temp_dir: str | os.PathLike[str] | None = None,
    threads: int | None = None,
) -> Engine:
    """An engine to run the package's SQL files: embedded DuckDB or Apache Spark.

    Parameters
    ----------
    engine : {"duckdb", "spark"}
        DuckDB (the default) runs in this process and suits one machine up to
        hundreds of millions of rows; Spark runs the same SQL files on a
        cluster (or locally, ``spark_master="local[N]"``).
    spark : pyspark.sql.SparkSession, optional
        For ``engine="spark"``: an existing session to run in (left running
        by :meth:`~netcluster.sql.spark.SparkEngine.close`). When omitted,
        the active session is used if there is one, else a new one is
        started on ``spark_master`` and stopped by ``close``.
    spark_master : str
        Master URL for a new Spark session: ``local[2]``, ``spark://host:7077``,
        ``yarn``, ...
    memory_limit : str, optional
        DuckDB's memory limit (``"4GB"``, ``"60%"``; :data:`DEFAULT_MEMORY_LIMIT`
        when omitted), above which it spills to ``temp_dir``; for a new Spark session, the driver's memory
        (``spark.driver.memory``, the whole heap in local mode).
    temp_dir : path-like, optional
        DuckDB's spill folder; for Spark, the folder for staged Parquet
        output and, for a new session, ``spark.local.dir`` (shuffle and
        spill files). A fresh temporary folder when omitted.
    threads : int, optional
        DuckDB's worker threads. For Spark, give ``spark_master="local[N]"``
        or size the cluster instead.

    Returns
    -------
    Engine
        A :class:`DuckDBEngine` or a :class:`~netcluster.sql.spark.SparkEngine`;
        use it as a context manager.

    Raises
    ------
    InputError
        For an unknown engine name, options that do not apply to the engine,
        or, for Spark, when pyspark or Java is missing (the message says what
        to install).

    Examples
    --------
    >>> events = pd.DataFrame({"event": ["p", "p", "p"], "org": [0, 1, 2],
    ...                        "layer": "membership", "year": 2020})
    >>> with open_engine("duckdb", threads=1) as engine:
    ...     engine.register("events", events)
    ...     big = engine.to_pandas("oversized_events.sql", tables={"events": "events"},
    ...                            params={"max_event_size": 2})
    >>> big["size"].tolist()
    [3]
    >>> open_engine("polars")
    Traceback (most recent call last):
    ...
    netcluster.errors.InputError: value 'polars': unknown SQL engine: use duckdb or spark
    """
    if engine == "duckdb":
        if spark is not None:
            raise InputError("a Spark session was given but the engine is duckdb: pass engine='spark'")
        return DuckDBEngine(memory_limit=memory_limit, temp_dir=temp_dir, threads=threads)
    if engine == "spark":
        if threads is not None:
            raise InputError("threads applies to DuckDB; for Spark give spark_master='local[N]' "
                             "or size the cluster", value=threads)
        try:
            from .spark import SparkEngine
        except ImportError as exc:
            raise InputError("the Spark engine needs pyspark: pip install 'netcluster[spark]'") from exc
        return SparkEngine(spark, master=spark_master, memory_limit=memory_limit, temp_dir=temp_dir)
    raise InputError("unknown SQL engine: use duckdb or spark", value=engine)


@contextlib.contextmanager
def using_engine(engine: str | Engine | None = None, **options: Any) -> Iterator[Engine]:
    """The engine a stage runs on: the given one, left open, or a new one closed at the end.

    ``engine`` is an :class:`Engine` (used as it is), an engine name for
    :func:`open_engine` (with ``options``), or None for DuckDB with its
    default settings.

    Examples
    --------
    >>> with using_engine(threads=1) as engine:
    ...     type(engine).__name__
    'DuckDBEngine'
    """
    if isinstance(engine, Engine):
        yield engine
        return
    with open_engine(engine or "duckdb", **options) as made:
        yield made


def _open_text(path: str) -> io.TextIOWrapper:
    raw = gzip.open(path, "rb") if path.lower().endswith(".gz") else open(path, "rb")
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def _suffix(path: str) -> str:
    """The file's type suffix in lower case, under a ``.gz`` or ``.zst`` one (``""`` when none)."""
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] in _COMPRESSED:
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def _file_kind(path: str) -> str | None:
    """``"csv"`` or ``"parquet"`` by the file's suffix (after ``.gz`` or ``.zst``); None otherwise."""
    suffix = _suffix(path)
    return "csv" if suffix in _CSV else "parquet" if suffix in _PARQUET else None


def _csv_dialect(path: str) -> tuple[str, list[str] | None]:
    """The delimiter of a CSV file and its header's column names, from one read of the header line.

    The delimiter is tab for ``.tsv``, else the most frequent of , tab ; | in
    the header line (``,`` when none is there). The column names are None
    when the header cannot be read here (a remote or ``.zst`` file, an
    unreadable one: the engine then reports the problem) or holds an empty
    or repeated name. DuckDB reads a file with known names with this dialect
    instead of sniffing it: its sniffer falls back to a single column for a
    file it cannot parse (the CORDIS 2017 organisation table, whose names
    hold unescaped quotes), where a strict read with a given dialect stops
    at the offending line.
    """
    header = _header_line(path)
    if _suffix(path) == ".tsv":
        delimiter = "\t"
    else:
        counts = {d: (header or "").count(d) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        delimiter = best if counts[best] else ","
    if not header:
        return delimiter, None
    names = next(csv.reader([header], delimiter=delimiter, quotechar='"'), [])
    return delimiter, names if names and len(set(names)) == len(names) and all(names) else None


def _header_line(path: str) -> str | None:
    """The first line of a local CSV file; None when it cannot be read here."""
    if "://" in path or path.lower().endswith(".zst"):
        return None
    try:
        with _open_text(path) as handle:
            return handle.readline()
    except (OSError, UnicodeDecodeError, EOFError, gzip.BadGzipFile):
        return None  # the engine reports the problem when it reads the file
