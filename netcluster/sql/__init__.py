"""Relational stages of loading as portable SQL, run by an embedded DuckDB.

The ``.sql`` files in this package are the single source of the relational
work (projection of events onto pairs, merging ties over years, counting ties
by scope). They keep to a subset of SQL that DuckDB and Spark SQL read alike,
so that the same files, byte for byte, can later run on Spark:

- ``CAST(1 AS DOUBLE)``, never ``1.0`` (Spark reads ``1.0`` as a decimal);
- every ``ORDER BY`` item with an explicit ``NULLS LAST`` or ``NULLS FIRST``
  (the engines differ in their default);
- no double-quoted identifiers (Spark reads ``"x"`` as a string), no
  ``::`` casts, no integer ``//``, no array or struct literals;
- every division inside a ``CASE`` that rules out a zero divisor (DuckDB
  gives inf, Spark an error);
- one query per file, no statements, no engine-specific functions.

Each file is a template: ``{name}`` placeholders stand for input tables or
for values, and the engine adapter substitutes them without ever splicing
user text into SQL (see :mod:`netcluster.sql.engine`). Two adapters run the
same files: :class:`~netcluster.sql.engine.DuckDBEngine` (embedded, the
default) and :class:`~netcluster.sql.spark.SparkEngine` (Apache Spark, with
the optional extra ``pip install 'netcluster[spark]'`` and Java 17). Both
are :class:`Engine` subclasses; :func:`open_engine` picks one by name.

:mod:`~netcluster.sql.engine`
    :class:`DuckDBEngine`: inputs in, named queries run, results out;
    :class:`Engine`, :func:`open_engine`.
:mod:`~netcluster.sql.spark`
    :class:`~netcluster.sql.spark.SparkEngine`, the same interface on a
    Spark session; :func:`~netcluster.sql.spark.spark_session`.
:mod:`~netcluster.sql.relational`
    The loading stages as pandas-in, pandas-out functions:
    :func:`project_events_sql`, :func:`merge_pairs_sql`,
    :func:`scope_counts_sql`.
"""

from .engine import DuckDBEngine, Engine, open_engine, scripts
from .relational import merge_pairs_sql, project_events_sql, scope_counts_sql

__all__ = [
    "DuckDBEngine",
    "Engine",
    "open_engine",
    "scripts",
    "project_events_sql",
    "merge_pairs_sql",
    "scope_counts_sql",
]
