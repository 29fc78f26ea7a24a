"""The SQL records pipeline (netcluster.sql.aggregate): hand oracles, the pandas path, the CLI."""

from __future__ import annotations

import io
from pathlib import Path

import igraph as ig
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from cli import main
from netcluster import analyze, build_network
from netcluster.errors import InputError, OutputError, SchemaError
from netcluster.metrics import scope_degrees
from netcluster.metrics.groups import group_table
from netcluster.sample_graphs import get_sample
from netcluster.sql.aggregate import TABLES, aggregate_records, network_from_aggregate
from netcluster.sql.engine import DuckDBEngine

EVENTS = """event,org,year
p1,a,2020
p1,b,2020
p1,b,2020
p2,b,2021
p2,c,2021
,c,2021
p3,d,x
p4,e,2019
p4,f,2019
p4,g,2019
p5,a,
"""
ORGS = """org,country,region
a,NO,Vestland
b,NO,Oslo
c,UK,
d,--,
e,DE,Bayern
f,DE, bayern
z,FR,
"""


def _write(folder: Path, events: str = EVENTS, orgs: str = ORGS) -> tuple[Path, Path]:
    (folder / "events.csv").write_text(events)
    (folder / "orgs.csv").write_text(orgs)
    return folder / "events.csv", folder / "orgs.csv"


def _records(frame: pd.DataFrame) -> list[tuple]:
    """Rows as tuples, missing values as None."""
    frame = frame.astype(object).where(frame.notna(), None)
    return [tuple(row) for row in frame.itertuples(index=False, name=None)]


# -- hand-checkable oracles -------------------------------------------------------------------
def test_tiny_records_by_hand(tmp_path):
    events, orgs = _write(tmp_path)
    result = aggregate_records(events, orgs, tmp_path / "out", home="country=NO", max_event_size=2, threads=1)
    assert set(result.tables) == set(TABLES)
    assert all(path.parent == tmp_path / "out" for path in result.tables.values())
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f"{t}.parquet" for t in TABLES)

    organisations = result.read("organisations")
    # codes in id order; UK -> GB; "--" is no country; g is not in the organisations file
    assert _records(organisations[["code", "org", "country", "country_status", "attribute_rows"]]) == [
        (0, "a", "NO", "ok", 1), (1, "b", "NO", "ok", 1), (2, "c", "GB", "ok", 1),
        (3, "d", None, "unreadable", 1), (4, "e", "DE", "ok", 1), (5, "f", "DE", "ok", 1),
        (6, "g", None, "unlisted", 0),
    ]
    assert organisations["region"].tolist()[:2] == ["Vestland", "Oslo"] and organisations["region"][5] == "bayern"
    # p4 has 3 organisations > cap 2: skipped; p3 and p5 have one
    assert _records(result.read("ties")) == [(0, 1, "copatent", 2020, 1.0, 1), (1, 2, "copatent", 2021, 1.0, 1)]
    assert _records(result.read("pairs")) == [
        (0, 1, "copatent", 1.0, 1, 2020, 2020), (1, 2, "copatent", 1.0, 1, 2021, 2021)]
    assert _records(result.read("oversized_events")) == [("copatent", "p4", 3)]
    scopes = result.read("scopes").set_index("code")
    assert scopes["national_degree"].tolist() == [1, 1, 0, 0, 0, 0, 0]
    assert scopes["international_degree"].tolist() == [0, 1, 1, 0, 0, 0, 0]
    # components: {a, b, c} and four single organisations, the largest first
    assert _records(result.read("components")) == [
        (0, 0, 3, 2, 2.0), (1, 3, 1, 0, 0.0), (2, 4, 1, 0, 0.0), (3, 5, 1, 0, 0.0), (4, 6, 1, 0, 0.0)]
    assert organisations["component"].tolist() == [0, 0, 0, 1, 2, 3, 4]

    groups = result.read("groups").set_index("key")
    assert groups["kind"].tolist() == ["country"] * 3 + ["locality"] * 3 + ["home"]
    assert groups.loc["NO", ["organisations", "internal_ties", "density", "national_ties", "international_ties",
                             "share_international"]].tolist() == [2, 1, 1.0, 1, 1, 0.5]
    # "Bayern" and " bayern" are one locality, named by its smallest spelling
    assert groups.loc["DE/bayern", ["name", "organisations", "internal_ties"]].tolist() == ["Bayern", 2, 0]
    assert np.isnan(groups.loc["GB", "density"]) and groups.loc["GB", "share_international"] == 1.0
    assert groups.loc["home", ["organisations", "internal_ties", "international_ties"]].tolist() == [2, 1, 1]

    assert result.summary == {
        "records_read": 11, "records_without_event": 1, "records_without_org": 0, "records_repeated": 1,
        "memberships": 9, "memberships_single": 2, "memberships_oversized": 3, "memberships_projected": 4,
        "unreadable_years": 1, "events": 5, "events_single": 2, "events_oversized": 1,
        "organisations": 7, "organisations_ok": 5, "organisations_missing": 0, "organisations_unreadable": 1,
        "organisations_unlisted": 1, "organisation_rows_read": 7, "organisation_rows_without_org": 0,
        "organisation_rows_unused": 1, "organisation_rows_repeated": 0, "ties": 2, "pairs": 2,
        "components": 5, "component_rounds": 2,
    }
    summary = pq.read_table(result.tables["summary"]).to_pydict()
    assert dict(zip(summary["measure"], summary["value"])) == result.summary


def test_counting_rules_and_the_cap(tmp_path):
    events, orgs = _write(tmp_path)
    fractional = aggregate_records(events, orgs, tmp_path / "f", counting="fractional", max_event_size=None)
    pairs = fractional.read("pairs")
    # p4 (e, f, g) projected with 1/(3-1) per pair
    assert _records(pairs[["source", "target", "weight"]]) == [
        (0, 1, 1.0), (1, 2, 1.0), (4, 5, 0.5), (4, 6, 0.5), (5, 6, 0.5)]
    down = aggregate_records(events, orgs, tmp_path / "d", max_event_size=2, oversized="downweight")
    assert down.read("pairs")["weight"].tolist() == [1.0, 1.0, 0.5, 0.5, 0.5]
    assert down.summary["events_oversized"] == 1 and down.summary["memberships_oversized"] == 3
    groups = down.read("groups").set_index("key")
    assert groups.loc["DE", ["organisations", "internal_ties", "unknown_ties", "density"]].tolist() == [2, 1, 2, 1.0]


def test_components_on_a_long_path_by_hand(tmp_path):
    # a path of 40 organisations (event i joins i and i+1), numbered so that the
    # smallest label has to travel the whole path, and a separate triangle
    n = 40
    order = [f"o{(7 * i) % n:02d}" for i in range(n)]
    lines = ["event,org,year"]
    lines += [f"e{i},{order[i]},2020\ne{i},{order[i + 1]},2020" for i in range(n - 1)]
    lines += ["t,x1,2020", "t,x2,2020", "t,x3,2020"]
    (tmp_path / "events.csv").write_text("\n".join(lines) + "\n")
    result = aggregate_records(tmp_path / "events.csv", out=tmp_path / "out")
    components = result.read("components")
    assert _records(components[["component", "organisations", "ties"]]) == [(0, 40, 39), (1, 3, 3)]
    organisations = result.read("organisations")
    assert (organisations["component"] == np.where(organisations["org"].str.startswith("x"), 1, 0)).all()
    # the first round leaves 21 labels on the path (o00 -> o07 -> o14 -> ... numbered against
    # the grain), joined by 19 contracted pairs; propagation with pointer jumping over that
    # path of labels changes labels in 8 more rounds and confirms in one: 10 rounds, against
    # the 39 steps plain propagation needs from o00 at one end (a model of the rules in plain
    # Python, run on this path, gives the same 21 labels, 19 pairs and 10 rounds)
    assert result.summary["component_rounds"] == 10
    assert result.summary["organisations_unlisted"] == 43


def test_components_without_any_pair(tmp_path):
    # only single-organisation events: the first round changes nothing and is the last
    events, _ = _write(tmp_path, events="event,org,year\np1,b,2020\np2,a,2020\np3,c,\n")
    result = aggregate_records(events, out=tmp_path / "out")
    assert result.summary["pairs"] == 0 and result.summary["component_rounds"] == 1
    assert _records(result.read("components")) == [(0, 0, 1, 0, 0.0), (1, 1, 1, 0, 0.0), (2, 2, 1, 0, 0.0)]
    assert result.read("organisations")["component"].tolist() == [0, 1, 2]


def test_home_set_as_ids_and_region(tmp_path):
    events, orgs = _write(tmp_path)
    by_ids = aggregate_records(events, orgs, tmp_path / "i", home=["a", "c", "nobody"]).read("groups")
    home = by_ids.set_index("key").loc["home"]
    assert home[["organisations", "internal_ties", "national_ties", "international_ties"]].tolist() == [2, 0, 1, 1]
    by_region = aggregate_records(events, orgs, tmp_path / "r", home="region= BAYERN").read("groups")
    assert by_region.set_index("key").loc["home", "organisations"] == 2
    empty = aggregate_records(events, orgs, tmp_path / "e").read("groups").set_index("key").loc["home"]
    assert empty["organisations"] == 0 and np.isnan(empty["share_international"])
    # p4's three ties all inside the home set: e-f local (Bayern), e-g and f-g unknown (g unlisted)
    inside = aggregate_records(events, orgs, tmp_path / "p4", home=["e", "f", "g"])
    row = inside.read("groups").set_index("key").loc["home"]
    assert row[["organisations", "internal_ties", "local_ties", "national_ties", "international_ties",
                "unknown_ties", "density"]].tolist() == [3, 3, 1, 0, 0, 2, 1.0]
    _assert_groups_count_the_pairs(inside, ["e", "f", "g"])


def test_parquet_inputs_with_integer_ids_and_no_organisations_file(tmp_path):
    pd.DataFrame({"event": [10, 10, 11, 11, 11], "org": [3, 20, 20, 100, 3],
                  "year": [2001, 2001, 2002, 2002, 2002]}).to_parquet(tmp_path / "e.parquet")
    result = aggregate_records(tmp_path / "e.parquet", out=tmp_path / "out")
    # integer ids sort as numbers: 3, 20, 100
    assert result.read("organisations")["org"].tolist() == [3, 20, 100]
    assert _records(result.read("pairs")[["source", "target", "weight", "first_year", "last_year"]]) == [
        (0, 1, 2.0, 2001, 2002), (0, 2, 1.0, 2002, 2002), (1, 2, 1.0, 2002, 2002)]
    assert result.summary["organisations_unlisted"] == 3
    assert result.read("groups")["kind"].tolist() == ["home"]


def test_tables_in_memory_as_inputs(tmp_path):
    events = pd.read_csv(io.StringIO(EVENTS), dtype=str, keep_default_na=False).replace("", None)
    orgs = pa.Table.from_pandas(pd.read_csv(io.StringIO(ORGS), dtype=str, keep_default_na=False).replace("", None))
    in_memory = aggregate_records(events, orgs, tmp_path / "memory", home="country=NO", max_event_size=2)
    from_files = aggregate_records(*_write(tmp_path), tmp_path / "files", home="country=NO", max_event_size=2)
    assert in_memory.summary == from_files.summary
    for name in TABLES:
        assert in_memory.read(name).equals(from_files.read(name)), name
    with pytest.raises(SchemaError, match="no such column") as error:
        aggregate_records(events.drop(columns="year"), out=tmp_path / "bad")
    assert error.value.column == "year"


def test_user_mistakes_are_one_line_errors(tmp_path):
    events, orgs = _write(tmp_path)
    with pytest.raises(InputError, match="file not found"):
        aggregate_records(tmp_path / "missing.csv", out=tmp_path / "out")
    (tmp_path / "wrong.csv").write_text("event,organisation,year\np,a,2020\n")
    with pytest.raises(SchemaError) as error:
        aggregate_records(tmp_path / "wrong.csv", out=tmp_path / "out")
    assert error.value.column == "org" and "wrong.csv" in str(error.value)
    with pytest.raises(InputError, match="unknown SQL engine"):
        aggregate_records(events, orgs, tmp_path / "out", engine="polars")
    with pytest.raises(InputError, match="home set"):
        aggregate_records(events, orgs, tmp_path / "out", home="city=Oslo")
    with pytest.raises(InputError, match="at least 2"):
        aggregate_records(events, orgs, tmp_path / "out", max_event_size=1)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_outputs_replaced_only_when_all_are_written(tmp_path):
    events, orgs = _write(tmp_path)
    out = tmp_path / "out"
    first = aggregate_records(events, orgs, out)
    before = {name: path.read_bytes() for name, path in first.tables.items()}

    class Failing(DuckDBEngine):
        def to_parquet(self, script, path, **kwargs):
            if script == "group_aggregates.sql":
                raise OutputError("disk full", file=str(path))
            super().to_parquet(script, path, **kwargs)

    with Failing() as engine, pytest.raises(OutputError, match="disk full"):
        aggregate_records(events, orgs, out, counting="fractional", engine=engine)
    assert {name: path.read_bytes() for name, path in first.tables.items()} == before
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.parquet" for t in TABLES)


def test_given_engine_is_left_open_and_tables_are_dropped(tmp_path):
    events, orgs = _write(tmp_path)
    with DuckDBEngine(threads=1) as engine:
        first = aggregate_records(events, orgs, tmp_path / "a", engine=engine)
        second = aggregate_records(events, orgs, tmp_path / "b", engine=engine)
        assert engine._kinds == {}
    assert first.summary == second.summary


# -- the pandas path --------------------------------------------------------------------------
def _export(network, layer: str, folder: Path) -> tuple[Path, Path]:
    """The network's events of one layer and its organisations as the pipeline's input files."""
    events = network.events[network.events["layer"] == layer]
    ids = network.org_ids.to_numpy()
    pd.DataFrame({"event": events["event"].astype(str).to_numpy(), "org": ids[events["org"].to_numpy()],
                  "year": events["year"].astype("Int64").astype("string").to_numpy()}
                 ).to_csv(folder / "events.csv", index=False)
    pd.DataFrame({"org": ids, "country": network.orgs["country"].to_numpy(),
                  "region": network.orgs["region"].to_numpy()}).to_parquet(folder / "orgs.parquet")
    return folder / "events.csv", folder / "orgs.parquet"


def _by_ids(ties: pd.DataFrame, ids: np.ndarray, columns: list[str]) -> pd.DataFrame:
    frame = ties[columns].copy()
    frame["source"], frame["target"] = ids[ties["source"].to_numpy()], ids[ties["target"].to_numpy()]
    swap = frame["source"] > frame["target"]
    frame.loc[swap, ["source", "target"]] = frame.loc[swap, ["target", "source"]].to_numpy()
    return frame.sort_values(["source", "target", *columns[2:3]]).reset_index(drop=True)


def _assert_same_as_pandas(network, layer: str, result, *, counting: str = "full",
                           home: list[str] | None = None) -> None:
    ids_sql = result.read("organisations")["org"].astype(str).to_numpy()
    expected = network.ties[network.ties["layer"] == layer]
    got = result.read("ties")
    assert len(got) == len(expected) > 0
    keys = ["source", "target", "year"]
    a = _by_ids(expected.assign(year=expected["year"].astype("Int64")), network.org_ids.to_numpy(),
                [*keys, "weight"])
    b = _by_ids(got.assign(year=got["year"].astype("Int64")), ids_sql, [*keys, "weight"])
    pd.testing.assert_frame_equal(a[keys], b[keys], check_dtype=False)
    np.testing.assert_allclose(a["weight"], b["weight"], rtol=0, atol=1e-9)

    # the graph stages on the driver, and the SQL scopes, groups and components against pandas
    rebuilt = network_from_aggregate(result.out)
    scopes = scope_degrees(rebuilt)
    sql = result.read("scopes").set_index("code")
    for scope in ("local", "national", "international", "unknown"):
        np.testing.assert_array_equal(sql[f"{scope}_degree"], scopes[f"{scope}_degree"])
        np.testing.assert_allclose(sql[f"{scope}_strength"], scopes[f"{scope}_strength"], rtol=0, atol=1e-9)
    groups = result.read("groups")
    for kind, by in (("country", "country"), ("locality", "region")):
        reference = group_table(rebuilt, by=by)
        mine = groups[groups["kind"] == kind]
        assert len(mine) == len(reference) and (kind == "locality" or len(mine) > 0)
        for column in ("organisations", "internal_ties", "international_ties"):
            assert sorted(mine[column]) == sorted(reference[column]), (kind, column)
        for column in ("density", "share_international"):
            np.testing.assert_allclose(np.sort(mine[column].to_numpy(dtype=float)),
                                       np.sort(reference[column].to_numpy(dtype=float)), atol=1e-12)
    _assert_groups_count_the_pairs(result, home)
    graph = rebuilt.to_igraph()
    sizes = sorted(graph.connected_components().sizes(), reverse=True)
    assert result.read("components")["organisations"].tolist() == sizes
    membership = np.asarray(graph.connected_components().membership)
    component = result.read("organisations")["component"].to_numpy()
    assert len(set(zip(membership, component))) == len(sizes)  # the same partition


def _assert_groups_count_the_pairs(result, home: list[str] | None) -> None:
    """Every groups row against a count over the pairs themselves (group_aggregates.sql counts
    from the organisations' degrees by scope): each pair once per group it touches."""
    orgs = result.read("organisations").set_index("code").sort_index()
    pairs = result.read("pairs")
    source, target = pairs["source"].to_numpy(), pairs["target"].to_numpy()
    country = orgs["country"].astype(object).where(orgs["country"].notna(), None).to_numpy()
    region = orgs["region"].astype(object).where(orgs["region"].notna(), None).to_numpy()
    place = np.array([f"{c}/{r.strip().lower()}" if c is not None and r is not None else None
                      for c, r in zip(country, region)], dtype=object)
    known = (country[source] != None) & (country[target] != None)  # noqa: E711 (elementwise)
    scope = np.select(
        [~known, country[source] != country[target], (place[source] != None) & (place[source] == place[target])],  # noqa: E711
        ["unknown", "international", "local"], "national")
    home_key = np.where(orgs["org"].astype(str).isin(home or []).to_numpy(), "home", None)
    rows = []
    for kind, keys in (("country", country), ("locality", place), ("home", home_key)):
        ends_s, ends_t = keys[source], keys[target]
        inside = (ends_s != None) & (ends_s == ends_t)  # noqa: E711
        rows.append(pd.DataFrame({"kind": kind, "key": ends_s, "scope": scope, "inside": inside})
                    .loc[ends_s != None])  # noqa: E711
        rows.append(pd.DataFrame({"kind": kind, "key": ends_t, "scope": scope, "inside": False})
                    .loc[(ends_t != None) & ~inside])  # noqa: E711
    ends = pd.concat(rows)
    counts = pd.crosstab([ends["kind"], ends["key"]], ends["scope"]).add_suffix("_ties")
    counts["internal_ties"] = ends.groupby(["kind", "key"])["inside"].sum()
    groups = result.read("groups").set_index(["kind", "key"])
    assert len(groups) > 2 and groups.index[-1] == ("home", "home")
    columns = ["internal_ties", "local_ties", "national_ties", "international_ties", "unknown_ties"]
    expected = counts.reindex(columns=columns).reindex(groups.index).fillna(0).astype(int)
    pd.testing.assert_frame_equal(groups[columns].astype(int), expected, check_names=False)


@pytest.mark.parametrize("sample, kind, layer", [
    ("norway_h2020", "partnerships", "partnership"),
    ("ocean_cluster", "copatents", "copatent"),
    ("ocean_cluster", "memberships", "membership"),
])
@pytest.mark.parametrize("counting", ["full", "fractional"])
def test_samples_equal_the_pandas_path(sample, kind, layer, counting, tmp_path):
    paths = get_sample(sample).paths()
    network = build_network(**{kind: paths[kind]}, organisations=paths["organisations"], counting=counting)
    events, orgs = _export(network, layer, tmp_path)
    # a home set of every third organisation, with and without a known country
    home = [str(org) for org in network.org_ids[::3]] + ["nobody"]
    result = aggregate_records(events, orgs, tmp_path / "out", layer=layer, counting=counting, home=home)
    _assert_same_as_pandas(network, layer, result, counting=counting, home=home)
    assert result.read("groups").set_index("key").loc["home", "internal_ties"] > 0
    assert result.summary["memberships"] == int((network.events["layer"] == layer).sum())


def test_cordis_equals_the_pandas_path(shared_data, tmp_path):
    network = build_network(partnerships=shared_data / "cordis_h2020_participations.csv.gz")
    events, orgs = _export(network, "partnership", tmp_path)
    result = aggregate_records(events, orgs, tmp_path / "out", layer="partnership", home="country=NO")
    organisations = result.read("organisations")
    norway = organisations.loc[organisations["country"] == "NO", "org"].astype(str).tolist()
    _assert_same_as_pandas(network, "partnership", result, home=norway)
    summary = result.summary
    assert summary["records_read"] == summary["memberships"] == 144_726
    assert summary["organisations"] == 35_871 and summary["events"] == 31_451
    assert summary["events_single"] == 19_050
    assert summary["events_oversized"] == len(network.load_report["oversized_events"])
    components = result.read("components")
    assert components["organisations"].sum() == 35_871
    # minimum-label propagation with pointer jumping converges on CORDIS in a handful of rounds
    assert summary["component_rounds"] <= 10


# -- DuckDB and Spark -----------------------------------------------------------------------
def _assert_same_tables(first, second) -> None:
    """Same rows (in any order), counts equal, floats within 1e-9, for every output table."""
    for name in TABLES:
        a, b = first.read(name), second.read(name)
        assert list(a.columns) == list(b.columns), name
        assert len(a) == len(b), name
        floats = [c for c in a.columns if a[c].dtype.kind == "f"]
        keys = [c for c in a.columns if c not in floats]
        a = a.astype({c: "string" for c in keys}).sort_values(keys).reset_index(drop=True)
        b = b.astype({c: "string" for c in keys}).sort_values(keys).reset_index(drop=True)
        pd.testing.assert_frame_equal(a[keys], b[keys], obj=name)
        for column in floats:
            np.testing.assert_allclose(a[column], b[column], rtol=0, atol=1e-9, equal_nan=True,
                                       err_msg=f"{name}.{column}")
    assert first.summary == second.summary


def test_spark_equals_duckdb_on_tiny_records(spark, tmp_path):
    events, orgs = _write(tmp_path)
    options = {"home": "country=NO", "max_event_size": 2, "counting": "fractional", "oversized": "downweight"}
    duck = aggregate_records(events, orgs, tmp_path / "duckdb", **options)
    sparked = aggregate_records(events, orgs, tmp_path / "spark", engine="spark", spark=spark, **options)
    _assert_same_tables(duck, sparked)
    assert sparked.summary["records_read"] == 11 and sparked.read("groups")["kind"].tolist()[-1] == "home"
    # records already in Spark: a Spark DataFrame as the events
    frame = spark.read.csv(str(events), header=True)
    in_spark = aggregate_records(frame, orgs, tmp_path / "frame", engine="spark", spark=spark, **options)
    _assert_same_tables(duck, in_spark)


@pytest.mark.parametrize("sample, kind, layer", [
    ("norway_h2020", "partnerships", "partnership"),
    ("ocean_cluster", "copatents", "copatent"),
])
def test_spark_equals_duckdb_on_samples(spark, sample, kind, layer, tmp_path):
    paths = get_sample(sample).paths()
    network = build_network(**{kind: paths[kind]}, organisations=paths["organisations"])
    events, orgs = _export(network, layer, tmp_path)
    options = {"layer": layer, "counting": "fractional", "home": "country=NO"}
    duck = aggregate_records(events, orgs, tmp_path / "duckdb", **options)
    sparked = aggregate_records(events, orgs, tmp_path / "spark", engine="spark", spark=spark, **options)
    _assert_same_tables(duck, sparked)
    assert duck.summary["pairs"] > 0


def test_spark_equals_duckdb_on_cordis(spark, shared_data, tmp_path):
    network = build_network(partnerships=shared_data / "cordis_h2020_participations.csv.gz")
    events, orgs = _export(network, "partnership", tmp_path)
    options = {"layer": "partnership", "counting": "fractional", "home": "country=NO"}
    duck = aggregate_records(events, orgs, tmp_path / "duckdb", **options)
    sparked = aggregate_records(events, orgs, tmp_path / "spark", engine="spark", spark=spark, **options)
    _assert_same_tables(duck, sparked)
    assert sparked.summary["records_read"] == 144_726


# -- the command line -------------------------------------------------------------------------
def test_cli_aggregate_is_the_twin(tmp_path):
    events, orgs = _write(tmp_path)
    runner = CliRunner()
    done = runner.invoke(main, ["aggregate", "--events", str(events), "--organisations", str(orgs),
                                "-o", str(tmp_path / "out"), "--home", "country=NO", "--max-event-size", "2",
                                "--threads", "1", "--memory-limit", "1GB", "--temp-dir", str(tmp_path / "spill")])
    assert done.exit_code == 0, done.output
    printed = dict(line.split("\t") for line in done.stdout.splitlines())
    direct = aggregate_records(events, orgs, tmp_path / "direct", home="country=NO", max_event_size=2)
    assert {k: int(v) for k, v in printed.items()} == direct.summary
    for name in TABLES:
        assert pq.read_table(tmp_path / "out" / f"{name}.parquet").equals(pq.read_table(direct.tables[name]))
    (tmp_path / "home.txt").write_text("a\n\nc\n")
    done = runner.invoke(main, ["aggregate", "--events", str(events), "--organisations", str(orgs),
                                "-o", str(tmp_path / "ids"), "--home-file", str(tmp_path / "home.txt")])
    assert done.exit_code == 0, done.output
    groups = pq.read_table(tmp_path / "ids" / "groups.parquet").to_pandas().set_index("key")
    assert groups.loc["home", "organisations"] == 2


@pytest.mark.parametrize("arguments, message", [
    (["--events", "missing.csv"], "Error: missing.csv: file not found"),
    (["--events", "orgs.csv"], "Error: orgs.csv, column 'event': the file has no such column"),
    (["--events", "events.csv", "--memory-limit", "4XB"], "Error: value {'memory_limit': '4XB'}: DuckDB refused"),
    (["--events", "events.csv", "--home", "city=Oslo"], "Error: "),
])
def test_cli_errors_are_one_line(arguments, message, tmp_path, monkeypatch):
    _write(tmp_path)
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(main, ["aggregate", *arguments, "-o", "out"])
    assert done.exit_code == 1
    assert done.stderr.startswith(message) and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_cli_graph_stages_read_the_aggregate_folder(tmp_path):
    events, orgs = _write(tmp_path)
    out = tmp_path / "out"
    aggregate_records(events, orgs, out, max_event_size=None)
    runner = CliRunner()
    done = runner.invoke(main, ["analyze", "--network", str(out), "--home", "country=NO",
                                "--format", "parquet", "-o", str(tmp_path / "nodes.parquet")])
    assert done.exit_code == 0, done.output
    nodes = pd.read_parquet(tmp_path / "nodes.parquet")
    direct = analyze(network_from_aggregate(out), home={"country": "NO"}).nodes
    assert len(nodes) == 7 and nodes["international_degree"].tolist() == direct["international_degree"].tolist()
    assert nodes["international_degree"].tolist() == [0, 1, 1, 0, 0, 0, 0]
    done = runner.invoke(main, ["analyze", "--network", str(tmp_path)])
    assert done.exit_code == 1 and "not an output folder of netcluster aggregate" in done.stderr
