"""SparkEngine: the package's SQL files on Apache Spark, with DuckDBEngine's interface.

:class:`SparkEngine` has the methods and semantics of
:class:`~netcluster.sql.engine.DuckDBEngine` (both are subclasses of
:class:`~netcluster.sql.engine.Engine`), so a relational stage written for
one runs on the other. It only registers inputs, runs the package's SQL files,
byte for byte the text DuckDB runs, and materialises results:

- table placeholders become temporary views private to the engine (several
  engines can share one session); value placeholders become Spark's named
  parameter markers (``:name``), bound through ``spark.sql(text, args=...)``;
- DataFrames and Arrow tables go to Spark through Arrow; Spark DataFrames are
  used as they are; files are read by Spark, never through pandas: CSV with a
  header line, every column as text and empty fields as NULL (DuckDB's
  ``all_varchar``), rows with more or fewer fields than the header refused;
  Parquet with its own types;
- results come back as Arrow (``DataFrame.toArrow``) in the order of the
  query's ``ORDER BY``, or are written as one Parquet file (Spark writes its
  partitions, which are then joined in order into one file, atomically);
- errors raised while reading a user's file become one-line
  :class:`~netcluster.errors.InputError` naming the file (and, for a CSV row
  with the wrong number of fields, the line).

Differences from DuckDB that remain: Spark replaces bytes that are not UTF-8
by U+FFFD instead of refusing the file, and it cannot read ``.zst`` CSV files
without Hadoop's native library. Weights that the SQL sums as DECIMAL(38, 18)
can differ from DuckDB's in the 17th significant digit, because the two
engines round a double to 18 decimals differently.

Spark needs Java 17 (Debian: ``apt-get install openjdk-17-jre-headless``) and
pyspark 4 (``pip install 'netcluster[spark]'``).
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import tempfile
import uuid
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from py4j.protocol import Py4JJavaError
from pyspark.errors import PySparkException
from pyspark.sql import DataFrame as SparkFrame
from pyspark.sql import SparkSession

from ..errors import InputError, SchemaError
from ..files import atomic_write
from .engine import Engine, Value, _check_identifier, _csv_dialect, _file_kind, _open_text, bind_script

__all__ = ["SparkEngine", "spark_session"]

_LOG_CONFIG = "spark-log4j2.properties"
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]i?b?|b)?\s*", re.IGNORECASE)
_T = TypeVar("_T")


def spark_session(
    master: str = "local[2]",
    *,
    memory_limit: str | None = None,
    temp_dir: str | os.PathLike[str] | None = None,
    shuffle_partitions: int | None = None,
) -> SparkSession:
    """Start a quiet Spark session for netcluster (or return the running one).

    The session logs errors only (no banner, no progress bars, no web UI),
    exchanges data with Python through Arrow and keeps times in UTC.

    Parameters
    ----------
    master : str
        Master URL: ``local[N]`` (N worker threads on this machine),
        ``spark://host:7077``, ``yarn``, ``k8s://...``.
    memory_limit : str, optional
        The driver's memory, as DuckDB writes it (``"4GB"``, ``"512MiB"``);
        in local mode it is the memory of the whole computation.
    temp_dir : path-like, optional
        ``spark.local.dir``: where shuffles and spills go.
    shuffle_partitions : int, optional
        ``spark.sql.shuffle.partitions`` (Spark's default is 200; a few per
        core suit small data on one machine).

    Returns
    -------
    pyspark.sql.SparkSession
        Stop it with ``session.stop()`` when done. When a session is already
        running in this process, that session is returned and the options
        are not applied.

    Raises
    ------
    InputError
        When Java is not installed or an option cannot be read.

    Examples
    --------
    >>> session = spark_session("local[1]", shuffle_partitions=2)
    >>> session.sql("SELECT 1 + 1 AS two").toArrow().to_pydict()
    {'two': [2]}
    """
    running = _running_session()
    if running is not None:
        return running
    if not _java_found():
        raise InputError("Spark needs Java 17: install it (Debian: apt-get install openjdk-17-jre-headless) "
                         "or set JAVA_HOME")
    config = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.session.timeZone": "UTC",
        # A driver out of memory would otherwise hang (its scheduler thread dies): exit instead.
        "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={_log_config().as_uri()} "
                                         "-XX:+ExitOnOutOfMemoryError",
    }
    if memory_limit is not None:
        config["spark.driver.memory"] = _spark_memory(memory_limit)
    if temp_dir is not None:
        config["spark.local.dir"] = os.fspath(temp_dir)
    if shuffle_partitions is not None:
        config["spark.sql.shuffle.partitions"] = str(int(shuffle_partitions))
    builder = SparkSession.builder.master(master).appName("netcluster")
    for key, value in config.items():
        builder = builder.config(key, value)
    with _quiet():
        try:
            session = builder.getOrCreate()
        except (PySparkException, Py4JJavaError) as exc:
            raise InputError(f"Spark did not start: {_reason(_error_text(exc))}", value=master) from exc
    session.sparkContext.setLogLevel("ERROR")
    return session


class SparkEngine(Engine):
    """A Spark session that runs the package's SQL files, like :class:`DuckDBEngine`.

    Use it as a context manager (or call :meth:`close`); one engine can run
    several queries over the same registered inputs. Tables live as
    temporary views named privately for this engine, so several engines may
    share a session.

    Parameters
    ----------
    spark : pyspark.sql.SparkSession, optional
        The session to run in, left running by :meth:`close`. When omitted,
        the session already running in this process is used if there is
        one; otherwise a new one is started with :func:`spark_session` and
        stopped by :meth:`close`.
    master : str
        Master URL for a new session (``local[2]`` by default).
    memory_limit : str, optional
        Driver memory for a new session (``"4GB"``).
    temp_dir : path-like, optional
        Folder for Parquet output being assembled and, for a new session,
        Spark's shuffle and spill files; a fresh temporary folder, removed by
        :meth:`close`, when omitted.

    Raises
    ------
    InputError
        When Java is missing or an option cannot be read.

    Examples
    --------
    >>> events = pd.DataFrame({"event": ["p", "p", "q"], "org": [0, 1, 1],
    ...                        "layer": "partnership", "year": [2020, 2020, 2021]})
    >>> with SparkEngine(master="local[1]") as engine:
    ...     engine.register("events", events)
    ...     sizes = engine.to_pandas("oversized_events.sql", tables={"events": "events"},
    ...                              params={"max_event_size": 1})
    >>> sizes.to_dict("records")
    [{'layer': 'partnership', 'event': 'p', 'size': 2}]
    """

    def __init__(
        self,
        spark: SparkSession | None = None,
        *,
        master: str = "local[2]",
        memory_limit: str | None = None,
        temp_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        super().__init__()
        self._scratch = None
        if temp_dir is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="netcluster-spark-")
            temp_dir = self._scratch.name
        self._temp = Path(temp_dir)
        self._owned = False
        if spark is None:
            spark = _running_session()
        if spark is None:
            try:
                spark = spark_session(master, memory_limit=memory_limit, temp_dir=self._temp)
            except BaseException:
                self._cleanup()
                raise
            self._owned = True
        self._spark = spark
        self._prefix = f"netcluster_{uuid.uuid4().hex[:8]}_"
        self._csv: dict[str, str] = {}  # path -> delimiter, for CSV files

    @property
    def spark(self) -> SparkSession:
        """The Spark session the engine runs in."""
        return self._spark

    def close(self) -> None:
        """Forget every table of this engine, stop a session it started, remove its temporary folder."""
        for name in list(self._kinds):
            self.drop(name)
        if self._owned:
            self._spark.stop()
        self._cleanup()

    def _cleanup(self) -> None:
        if self._scratch is not None:
            self._scratch.cleanup()

    # -- inputs ---------------------------------------------------------------------------
    def register(
        self,
        name: str,
        source: pd.DataFrame | pa.Table | SparkFrame | str | os.PathLike[str],
        *,
        columns: Iterable[str] | None = None,
    ) -> None:
        """Make a DataFrame, an Arrow table, a Spark DataFrame or a file available as table ``name``.

        Parameters
        ----------
        name : str
            Lower-case SQL identifier; an earlier table of that name is replaced.
        source : pandas.DataFrame, pyarrow.Table, pyspark.sql.DataFrame or path-like
            pandas and Arrow data are handed to Spark through Arrow
            (categoricals as plain values); a Spark DataFrame is used as it
            is. Paths are read by Spark, lazily: CSV (``.csv``, ``.tsv``,
            ``.txt``, optionally ``.gz``) with a header line and every column
            as text, or Parquet (a file, or a folder of Parquet files). URIs
            such as ``s3a://...`` or ``hdfs://...`` are passed to Spark as given.
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
        if isinstance(source, SparkFrame):
            source.createOrReplaceTempView(self._view(name))
            self._kinds[name] = "object"
            return
        if isinstance(source, (pd.DataFrame, pa.Table)):
            table = pa.Table.from_pandas(source, preserve_index=False) if isinstance(source, pd.DataFrame) \
                else source
            with _quiet():
                frame = self._spark.createDataFrame(_plain(table))
            frame.createOrReplaceTempView(self._view(name))
            self._kinds[name] = "object"
            return
        path = os.fspath(source)
        remote = "://" in path
        if not remote and not Path(path).exists():
            raise InputError("file not found", file=path)
        frame = self._guard(lambda: self._read_file(path), [path])
        if columns is not None:
            columns = list(columns)
            missing = [c for c in columns if c not in frame.columns]
            if missing:
                raise SchemaError("the file has no such column", file=path, column=missing[0])
            frame = frame.select(*(f"`{c}`" for c in columns))
        frame.createOrReplaceTempView(self._view(name))
        self._kinds[name] = "view"
        self._files[name] = path

    def drop(self, name: str) -> None:
        """Forget table ``name`` (registered or created).

        Raises
        ------
        InputError
            When no such table is registered.
        """
        self._kind(name)
        self._spark.catalog.dropTempView(self._view(name))
        del self._kinds[name]
        self._files.pop(name, None)

    def table(self, name: str) -> pa.Table:
        """The whole of table ``name`` as an Arrow table (in its stored order)."""
        self._kind(name)
        frame = self._spark.table(self._view(name))
        return self._guard(lambda: _arrow(frame), self._files_of([name]))

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

        The result is computed now and kept by Spark's executors (memory,
        then disk: a local checkpoint, which also cuts the query's lineage
        so that iterated queries do not grow), so later queries on it do not
        repeat the work.
        """
        _check_identifier(name)
        if tables and name in tables.values():
            raise InputError("a query's result cannot replace one of its own inputs", value=name)
        frame, files = self._query(script, tables, params)
        kept = self._guard(lambda: frame.localCheckpoint(eager=True), files)
        if name in self._kinds:
            self.drop(name)
        kept.createOrReplaceTempView(self._view(name))
        self._kinds[name] = "table"

    def to_arrow(
        self,
        script: str,
        *,
        tables: Mapping[str, str] | None = None,
        params: Mapping[str, Value] | None = None,
    ) -> pa.Table:
        """Run ``script`` and return its result as an Arrow table, collected on the driver."""
        frame, files = self._query(script, tables, params)
        return self._guard(lambda: _arrow(frame), files)

    def to_parquet(
        self,
        script: str,
        path: str | os.PathLike[str],
        *,
        tables: Mapping[str, str] | None = None,
        params: Mapping[str, Value] | None = None,
    ) -> None:
        """Run ``script`` and write its result as one Parquet file, in the query's order.

        With a local master, Spark writes its partitions into the engine's
        temporary folder and they are joined, in order and batch by batch,
        into ``path``, atomically (see :func:`netcluster.files.atomic_write`).
        With a cluster, a URI such as ``s3a://bucket/ties.parquet`` is
        written by Spark as a folder of Parquet files (part files in the
        query's order); a local path is collected on the driver and written
        from there.

        Raises
        ------
        OutputError
            When the file cannot be written.
        """
        frame, files = self._query(script, tables, params)
        target = os.fspath(path)
        if "://" in target:
            self._guard(lambda: frame.write.mode("overwrite").parquet(target), files)
            return
        if not (self._spark.conf.get("spark.master") or "").startswith("local"):
            table = self._guard(lambda: _arrow(frame), files)
            with atomic_write(target, "wb") as handle:
                pq.write_table(table, handle)
            return
        staging = self._temp / f"parts-{uuid.uuid4().hex}"
        try:
            self._guard(lambda: frame.write.parquet(staging.as_uri()), files)
            parts = sorted(staging.glob("part-*.parquet"))
            schema = _nullable(pq.read_schema(parts[0]) if parts else frame.limit(0).toArrow().schema)
            with atomic_write(target, "wb") as handle, pq.ParquetWriter(handle, schema) as out:
                for part in parts:
                    for batch in pq.ParquetFile(part).iter_batches():
                        out.write_batch(pa.RecordBatch.from_arrays(batch.columns, schema=schema))
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    # -- helpers --------------------------------------------------------------------------
    def _view(self, name: str) -> str:
        return self._prefix + name

    def _read_file(self, path: str) -> SparkFrame:
        kind = _file_kind(path)
        if kind == "csv":
            delimiter, _ = _csv_dialect(path)
            self._csv[path] = delimiter
            reader = self._spark.read.options(
                header=True, inferSchema=False, mode="FAILFAST", sep=delimiter, quote='"', escape='"',
                multiLine=True, encoding="UTF-8",
            )
            return reader.csv(_uri(path))
        if kind == "parquet":
            return self._spark.read.parquet(_uri(path))
        raise InputError(
            "unknown file type: use .csv, .tsv or .txt (optionally .gz), or .parquet",
            file=path,
        )

    def _query(
        self,
        script: str,
        tables: Mapping[str, str] | None,
        params: Mapping[str, Value] | None,
    ) -> tuple[SparkFrame, list[str]]:
        tables, params = dict(tables or {}), dict(params or {})
        views = {key: self._view(value) for key, value in tables.items()}
        text = bind_script(script, views, params, marker=":")
        for table in tables.values():
            self._kind(table)
        files = self._files_of(tables.values())
        frame = self._guard(lambda: self._spark.sql(text, args=params or None), files)
        return frame, files

    def _guard(self, action: Callable[[], _T], files: list[str]) -> _T:
        """Run ``action``; Spark errors coming from the user's files or from memory become InputError."""
        try:
            return action()
        except (PySparkException, Py4JJavaError) as exc:
            text = _error_text(exc)
            if "OutOfMemoryError" in text:
                raise InputError(
                    "Spark ran out of memory: give the driver more (memory_limit, spark.driver.memory) "
                    "or run on a cluster"
                ) from exc
            named = [f for f in files if _mentions(text, f)]
            if not named:
                raise
            raise self._input_error(exc, text, named[0]) from exc

    def _input_error(self, exc: BaseException, text: str, path: str) -> InputError:
        """One-line InputError naming the file (and, for a CSV row of the wrong width, its line)."""
        if "PATH_NOT_FOUND" in text:
            return InputError("file not found", file=path)
        if "CANNOT_READ_FILE_FOOTER" in text or "is not a Parquet file" in text:
            return InputError("cannot read the file: not a Parquet file, or a damaged one", file=path)
        if "Malformed" in text or "MALFORMED_RECORD" in text:
            line, reason = _bad_csv_line(path, self._csv.get(path, ","))
            return InputError(f"cannot read the file: {reason}", file=path, line=line)
        return InputError(f"cannot read the file: {_reason(text)}", file=path)


def _running_session() -> SparkSession | None:
    """The session active in this thread, else the one running in this process, if any."""
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    instantiated: SparkSession | None = getattr(SparkSession, "_instantiatedSession", None)
    return instantiated


def _java_found() -> bool:
    home = os.environ.get("JAVA_HOME")
    if home and Path(home, "bin", "java").is_file():
        return True
    return shutil.which("java") is not None


def _log_config() -> Path:
    """The quiet log4j2 configuration shipped with the package, as a file."""
    return Path(str(resources.files(__package__).joinpath(_LOG_CONFIG))).resolve()


def _spark_memory(limit: str) -> str:
    """A DuckDB-style size ("4GB", "512MiB") as Spark's mebibytes ("3814m")."""
    match = _SIZE.fullmatch(str(limit))
    if match is None:
        raise InputError("cannot read the memory limit: write it as 4GB or 512MB", value=limit)
    unit = (match[2] or "b").lower()
    power = "bkmgt".index(unit[0])
    base = 1024 if "i" in unit or len(unit) == 1 and unit != "b" else 1000
    megabytes = int(float(match[1]) * base**power // 2**20)
    if megabytes < 1:
        raise InputError("the memory limit is below one megabyte", value=limit)
    return f"{megabytes}m"


@contextmanager
def _quiet() -> Iterator[None]:
    """Hide pyspark's warning that it does not fully support pandas 3 (data goes through Arrow)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas",
                                category=FutureWarning)
        yield


def _plain(table: pa.Table) -> pa.Table:
    """Dictionary-encoded columns (pandas categoricals) as plain values, which Spark reads."""
    fields = [
        pa.field(f.name, f.type.value_type, f.nullable) if pa.types.is_dictionary(f.type) else f
        for f in table.schema
    ]
    return table.cast(pa.schema(fields))


def _nullable(schema: pa.Schema) -> pa.Schema:
    """Every field nullable and no Spark metadata, as DuckDB's results are."""
    return pa.schema([pa.field(f.name, f.type) for f in schema])


def _arrow(frame: SparkFrame) -> pa.Table:
    with _quiet():
        table = frame.toArrow()
    return table.cast(_nullable(table.schema))


def _uri(path: str) -> str:
    return path if "://" in path else Path(path).resolve().as_uri()


def _error_text(exc: BaseException) -> str:
    """The whole message of a Spark error, Java causes included."""
    if isinstance(exc, Py4JJavaError):
        parts: list[str] = []
        cause = exc.java_exception
        while cause is not None and len(parts) < 20:
            parts.append(str(cause.toString()))
            cause = cause.getCause()
        return "\n".join(parts)
    return str(exc)


def _reason(text: str) -> str:
    """The first line of a Spark error without Java class, error class and SQLSTATE."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    line = lines[0] if lines else "unknown error"
    line = re.sub(r"^(?:[\w.$]+(?:Exception|Error): )+", "", line)
    line = re.sub(r"^\[[A-Z_.]+\] ", "", line)
    return re.sub(r"\s*SQLSTATE: \w+\s*$", "", line)


def _mentions(text: str, path: str) -> bool:
    if "://" in path:
        return path in text
    absolute = str(Path(path).resolve())
    return absolute in text or Path(absolute).as_uri() in text


def _bad_csv_line(path: str, delimiter: str) -> tuple[int | None, str]:
    """The first line of a CSV file whose record has more or fewer fields than the header.

    Spark says only that a record is malformed; the file is read again here,
    on the error path only, to name the line as DuckDB does.
    """
    reason = "a row has more or fewer fields than the header"
    if "://" in path:
        return None, reason
    try:
        with _open_text(path) as handle:
            reader = csv.reader(handle, delimiter=delimiter, quotechar='"', doublequote=True)
            width = len(next(reader, []))
            for record in reader:
                if record and len(record) != width:
                    return reader.line_num, f"{len(record)} fields where the header has {width}"
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return None, f"{reason} ({exc})"
    return None, reason
