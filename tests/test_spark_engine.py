"""The Spark engine: DuckDBEngine's interface on Spark, and the same tables from both engines.

All Spark tests share the session-scoped ``spark`` fixture (tests/conftest.py): one local JVM
with two threads for the whole run.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from netcluster import InputError, OutputError, SchemaError
from netcluster.geography import country_codes, locality_codes
from netcluster.sample_graphs import get_sample, load_sample
from netcluster.sql import DuckDBEngine, Engine, merge_pairs_sql, open_engine, project_events_sql, scope_counts_sql
from netcluster.sql.spark import SparkEngine, _spark_memory, spark_session

from .test_sql import BAD_PLACEHOLDERS

PARAMS = {"max_event_size": None, "fractional": False, "downweight": False}
EVENTS = pa.table({"event": ["p", "p", "p", "q", "q"], "org": pa.array([0, 1, 2, 0, 1], pa.int64()),
                   "layer": ["membership"] * 5, "year": pa.array([2020, 2020, None, 2021, 2021], pa.int32())})


@pytest.fixture
def engine(spark):
    with SparkEngine(spark) as instance:
        yield instance


# -- the adapter ---------------------------------------------------------------------------
def test_inputs_from_pandas_arrow_spark_and_parquet_and_output_to_parquet(engine, spark, tmp_path):
    out = tmp_path / "ties.parquet"
    engine.register("events", EVENTS)
    engine.to_parquet("project_events.sql", out, tables={"events": "events"}, params=PARAMS)
    assert pq.read_table(out).to_pydict() == {
        "source": [0, 0, 1, 0], "target": [1, 2, 2, 1], "layer": ["membership"] * 4,
        "year": [2020, 2020, 2020, 2021], "weight": [1.0, 1.0, 1.0, 1.0], "records": [1, 1, 1, 1]}
    assert [p.name for p in tmp_path.iterdir()] == ["ties.parquet"]
    engine.register("again", out)
    engine.create_table("merged", "merge_pairs.sql", tables={"ties": "again"}, params={"unit_weights": True})
    merged = engine.table("merged")
    assert merged.column("weight").to_pylist() == [2.0, 1.0, 1.0]
    assert merged.column("first_year").to_pylist() == [2020, 2020, 2020]
    engine.register("from_pandas", EVENTS.to_pandas(types_mapper={pa.int32(): pd.Int32Dtype()}.get)
                    .astype({"layer": "category"}))
    engine.register("from_spark", spark.createDataFrame(EVENTS))
    for name in ("from_pandas", "from_spark"):
        frame = engine.to_pandas("project_events.sql", tables={"events": name}, params=PARAMS)
        assert frame["records"].tolist() == [1, 1, 1, 1] and str(frame["year"].dtype) == "Int32", name


def test_results_have_duckdb_types_and_nullability(engine):
    engine.register("events", EVENTS)
    got = engine.to_arrow("project_events.sql", tables={"events": "events"}, params=PARAMS)
    with DuckDBEngine(threads=1) as duck:
        duck.register("events", EVENTS)
        expected = duck.to_arrow("project_events.sql", tables={"events": "events"}, params=PARAMS)
    assert got.schema == expected.schema and got.equals(expected)


def test_csv_columns_stay_text_and_empty_fields_become_null(engine, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text('pic,country,year,name\n007,NA,2020,"A, B"\n008,,NA,""\n', encoding="utf-8")
    engine.register("orgs", path)
    assert engine.table("orgs").to_pydict() == {"pic": ["007", "008"], "country": ["NA", None],
                                                "year": ["2020", "NA"], "name": ["A, B", None]}
    tabs = tmp_path / "orgs.tsv"
    tabs.write_text("pic\tcountry\n007\tNA\n", encoding="utf-8")
    engine.register("tabs", tabs, columns=["country"])
    assert engine.table("tabs").to_pydict() == {"country": ["NA"]}


def test_parameters_bind_nulls_booleans_and_numbers(engine):
    engine.register("events", EVENTS)
    listed = engine.to_pandas("oversized_events.sql", tables={"events": "events"}, params={"max_event_size": 2})
    assert listed.to_dict("records") == [{"layer": "membership", "event": "p", "size": 3}]
    none = engine.to_pandas("oversized_events.sql", tables={"events": "events"}, params={"max_event_size": None})
    assert none.empty and list(none.columns) == ["layer", "event", "size"]
    params = {"max_event_size": 2, "fractional": True, "downweight": True}
    ties = engine.to_pandas("project_events.sql", tables={"events": "events"}, params=params)
    assert ties["weight"].tolist() == [0.5, 0.5, 0.5, 1.0]


def test_a_broken_csv_row_is_an_input_error_naming_file_and_line(engine, tmp_path):
    path = tmp_path / "events.csv"
    body = "".join(f"e{i},{i % 7},partnership,2020\n" for i in range(3_000))
    path.write_text("event,org,layer,year\n" + body + "e1,2,partnership,2020,surplus\n", encoding="utf-8")
    engine.register("events", path)
    with pytest.raises(InputError) as caught:
        engine.to_pandas("oversized_events.sql", tables={"events": "events"}, params={"max_event_size": 2})
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}:3002: ")
    assert caught.value.file == str(path) and caught.value.line == 3_002
    assert "5 fields where the header has 4" in message


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [("missing.csv", None, "file not found"), ("data.xlsx", b"x", "unknown file type"),
     ("broken.parquet", b"not parquet", "not a Parquet file"), ("short.csv", b"a,b\n1,2\n3\n", "cannot read")],
)
def test_unreadable_files_are_input_errors(engine, tmp_path, name, content, match):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=match) as caught:
        engine.register("data", path)
        engine.table("data")
    assert caught.value.file == str(path) and "\n" not in str(caught.value)


def test_a_missing_column_is_a_schema_error(engine, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("event,org\np,0\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="year") as caught:
        engine.register("events", path, columns=["event", "year"])
    assert caught.value.file == str(path)


@pytest.mark.parametrize(("tables", "params", "match"), BAD_PLACEHOLDERS)
def test_placeholders_are_checked(engine, tables, params, match):
    engine.register("events", EVENTS)
    with pytest.raises(InputError, match=match):
        engine.to_pandas("oversized_events.sql", tables=tables, params=params)


def test_event_values_are_data_not_sql(engine):
    hostile = "x'); DROP TABLE netcluster_events; -- {events} :max_event_size"
    events = pd.DataFrame({"event": [hostile] * 3 + ["7"] * 2, "org": [0, 1, 2, 1, 2],
                           "layer": ["a{b}"] * 3 + ["l'1"] * 2, "year": 2020})
    ties, oversized = project_events_sql(events, max_event_size=2, engine=engine)
    assert ties["layer"].astype(str).tolist() == ["l'1"]
    assert oversized.to_dict("records") == [{"layer": "a{b}", "event": hostile, "size": 3}]


def test_names_drops_and_outputs_are_checked(engine, tmp_path):
    engine.register("ties", pd.DataFrame({"source": [0], "target": [1], "layer": ["a"], "weight": [1.0],
                                          "records": [1], "year": [2020]}))
    with pytest.raises(InputError, match="own inputs"):
        engine.create_table("ties", "merge_pairs.sql", tables={"ties": "ties"})
    with pytest.raises(InputError, match="identifier"):
        engine.register("Events x", pd.DataFrame({"a": [1]}))
    with pytest.raises(InputError, match="no such SQL file"):
        engine.to_pandas("../engine.py")
    engine.drop("ties")
    with pytest.raises(InputError, match="registered"):
        engine.drop("ties")
    with pytest.raises(InputError, match="registered"):
        engine.table("ties")
    engine.register("events", EVENTS)
    with pytest.raises(OutputError):
        engine.to_parquet("oversized_events.sql", tmp_path / "no" / "x.parquet",
                          tables={"events": "events"}, params={"max_event_size": 2})


def test_engines_sharing_a_session_keep_their_tables_apart_and_the_session_running(spark):
    before = {t.name for t in spark.catalog.listTables()}
    with SparkEngine(spark) as first, SparkEngine() as second:
        assert second.spark is spark  # the running session is reused, not replaced
        first.register("events", EVENTS)
        second.register("events", EVENTS.slice(0, 2))
        assert first.table("events").num_rows == 5 and second.table("events").num_rows == 2
        second.drop("events")
        assert first.table("events").num_rows == 5
    assert spark.sql("SELECT 1 AS one").toArrow().to_pydict() == {"one": [1]}
    assert {t.name for t in spark.catalog.listTables()} == before


def test_open_engine_picks_and_checks_the_engine(spark):
    with open_engine("spark", spark=spark) as on_spark, open_engine() as on_duckdb:
        assert isinstance(on_spark, SparkEngine) and isinstance(on_duckdb, DuckDBEngine)
        assert isinstance(on_spark, Engine) and isinstance(on_duckdb, Engine)
    with pytest.raises(InputError, match="unknown SQL engine"):
        open_engine("polars")
    with pytest.raises(InputError, match="local\\[N\\]"):
        open_engine("spark", spark=spark, threads=2)
    with pytest.raises(InputError, match="engine='spark'"):
        open_engine("duckdb", spark=spark)


def test_missing_pyspark_or_java_are_one_line_errors(monkeypatch):
    monkeypatch.setitem(sys.modules, "netcluster.sql.spark", None)
    with pytest.raises(InputError, match=r"pip install 'netcluster\[spark\]'"):
        open_engine("spark")
    monkeypatch.undo()
    monkeypatch.setattr("netcluster.sql.spark._running_session", lambda: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(InputError, match="Java 17") as caught:
        spark_session()
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(("limit", "spark_size"), [("4GB", "3814m"), ("512MiB", "512m"), ("2g", "2048m"),
                                                    ("1.5 GiB", "1536m")])
def test_memory_limits_are_read_as_duckdb_writes_them(limit, spark_size):
    assert _spark_memory(limit) == spark_size


@pytest.mark.parametrize("limit", ["plenty", "12", "0.5KB"])
def test_unreadable_memory_limits_are_input_errors(limit):
    with pytest.raises(InputError, match="memory limit"):
        _spark_memory(limit)


# -- the same tables from both engines -------------------------------------------------------
def _assert_same_frames(duck: pd.DataFrame, spark: pd.DataFrame) -> None:
    """Same columns, dtypes, rows and order; counts equal; weights within 1e-9."""
    assert list(spark.columns) == list(duck.columns)
    assert spark.dtypes.astype(str).tolist() == duck.dtypes.astype(str).tolist()
    assert len(duck) > 0 and len(spark) == len(duck)
    assert (spark.index == duck.index).all()
    for column in duck.columns:
        if duck[column].dtype == np.float64:
            np.testing.assert_allclose(spark[column], duck[column], rtol=0, atol=1e-9, err_msg=column)
        else:
            pd.testing.assert_series_equal(spark[column], duck[column], obj=column)


def _sample_events(name: str) -> pd.DataFrame:
    """A bundled sample's event records (participations, co-patents, memberships) with integer codes."""
    files = get_sample(name).paths()
    frames = []
    for layer, path, columns in (
        ("partnership", files.get("partnerships"), ("rcn", "pic", "start_year")),
        ("copatent", files.get("copatents"), ("event", "org", "year")),
        ("membership", files.get("memberships"), ("group", "org", "year")),
    ):
        if path is None or not set(columns) <= set(pd.read_csv(path, nrows=0).columns):
            continue
        records = pd.read_csv(path, dtype=str, usecols=list(columns))
        frames.append(pd.DataFrame({"event": records[columns[0]], "org": records[columns[1]], "layer": layer,
                                    "year": pd.to_numeric(records[columns[2]]).astype("Int32")}))
    events = pd.concat(frames, ignore_index=True)
    events["org"] = pd.factorize(events["org"])[0]
    return events


@pytest.mark.parametrize("sample", ["ocean_cluster", "norway_h2020"])
@pytest.mark.parametrize(
    ("counting", "cap", "policy"),
    [("full", None, "skip"), ("fractional", None, "skip"), ("full", 5, "skip"), ("full", 5, "downweight")],
)
def test_projection_on_the_samples_is_the_same_on_both_engines(spark, sample, counting, cap, policy):
    events = _sample_events(sample)
    assert len(events) > 1_000 and events["layer"].nunique() == (2 if sample == "ocean_cluster" else 1)
    options = {"counting": counting, "max_event_size": cap, "oversized": policy}
    duck, duck_big = project_events_sql(events, **options)
    with SparkEngine(spark) as engine:
        on_spark, spark_big = project_events_sql(events, engine=engine, **options)
    _assert_same_frames(duck, on_spark)
    if cap is not None:
        _assert_same_frames(duck_big, spark_big)


@pytest.mark.parametrize("sample", ["ocean_cluster", "norway_h2020"])
def test_merge_and_scope_counts_on_the_samples_are_the_same_on_both_engines(spark, sample):
    network = load_sample(sample)
    country, place = country_codes(network.orgs), locality_codes(network.orgs, "city")
    with SparkEngine(spark) as engine:
        merged = merge_pairs_sql(network.ties, engine=engine)
        scopes = scope_counts_sql(network.ties, country, place, engine=engine)
    _assert_same_frames(merge_pairs_sql(network.ties), merged)
    _assert_same_frames(scope_counts_sql(network.ties, country, place), scopes)
    assert scopes["international_degree"].sum() > 0 and scopes["local_degree"].sum() > 0


# -- real data: CORDIS H2020 ------------------------------------------------------------------
_CORDIS_FILES = ["cordis_h2020_participations.csv.gz", "cordis_organization_current_schema_sample.csv.gz",
                 "lf_consortium_memberships.csv.gz", "patstat_copatent_fr_de_it_sample.csv.gz"]


@pytest.mark.parametrize("name", _CORDIS_FILES)
def test_real_csv_files_read_the_same_on_both_engines(spark, shared_data, name):
    with DuckDBEngine() as duck:
        duck.register("records", shared_data / name)
        expected = duck.table("records")
    with SparkEngine(spark) as engine:
        engine.register("records", shared_data / name)
        got = engine.table("records")
    assert got.num_rows == expected.num_rows > 1_000
    assert got.equals(expected)


@pytest.fixture(scope="module")
def cordis(spark, shared_data) -> dict[str, pd.DataFrame]:
    """Every CORDIS H2020 participation as an event, projected by both engines (fractional)."""
    with SparkEngine(spark) as engine:
        engine.register("participations", shared_data / "cordis_h2020_participations.csv.gz",
                        columns=["rcn", "pic", "start_year", "country"])
        table = engine.table("participations")
    pics = pc.dictionary_encode(table["pic"]).combine_chunks()
    events = pd.DataFrame({
        "event": table["rcn"].to_pandas(),
        "org": pics.indices.to_numpy(zero_copy_only=False),
        "layer": "partnership",
        "year": pd.to_numeric(table["start_year"].to_pandas(), errors="coerce").astype("Int32"),
    })
    country = pd.Series(table["country"].to_pandas()).groupby(events["org"]).min()
    options = {"counting": "fractional", "max_event_size": 100, "oversized": "downweight"}
    duck, duck_big = project_events_sql(events, **options)
    with SparkEngine(spark) as engine:
        on_spark, spark_big = project_events_sql(events, engine=engine, **options)
    return {"events": events, "country": country.reindex(range(len(pics.dictionary))).to_numpy(),
            "duck": duck, "spark": on_spark, "duck_big": duck_big, "spark_big": spark_big}


def test_cordis_projection_is_the_same_on_both_engines(cordis):
    _assert_same_frames(cordis["duck"], cordis["spark"])
    _assert_same_frames(cordis["duck_big"], cordis["spark_big"])
    assert cordis["spark"]["records"].sum() == cordis["duck"]["records"].sum() > 1_000_000
    assert cordis["spark_big"]["size"].max() == 186


def test_cordis_full_counting_is_the_same_on_both_engines(spark, cordis):
    events = cordis["events"]
    duck, _ = project_events_sql(events, counting="full", max_event_size=None)
    with SparkEngine(spark) as engine:
        on_spark, _ = project_events_sql(events, counting="full", max_event_size=None, engine=engine)
    _assert_same_frames(duck, on_spark)
    assert on_spark["weight"].sum() == 1_089_509


def test_cordis_merge_and_scope_counts_are_the_same_on_both_engines(spark, cordis):
    ties, country = cordis["duck"], cordis["country"]
    locality = np.full(len(country), None, dtype=object)
    with SparkEngine(spark) as engine:
        merged = merge_pairs_sql(ties, engine=engine)
        scopes = scope_counts_sql(ties, country, locality, engine=engine)
    _assert_same_frames(merge_pairs_sql(ties), merged)
    _assert_same_frames(scope_counts_sql(ties, country, locality), scopes)
    assert scopes["international_degree"].sum() > 0 and scopes["national_degree"].sum() > 0
