"""The portable SQL stages: dialect subset, projection, merging, scope counts, engine."""

from __future__ import annotations

import gzip
import re
import tempfile

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from netcluster import InputError, OutputError, scope_degrees
from netcluster.geography import SCOPES, country_codes, locality_codes
from netcluster.sample_graphs import load_sample
from netcluster.sql import DuckDBEngine, merge_pairs_sql, project_events_sql, scope_counts_sql, scripts
from netcluster.sql.engine import load_script

KEY = ["layer", "year", "source", "target"]


# -- (a) the portable subset ---------------------------------------------------------------
_DENIED_FUNCTIONS = re.compile(
    r"\b(list_\w*|struct_\w*|regexp_\w*|array_\w*|map_\w*|json_\w*|str_split\w*|string_split\w*"
    r"|string_agg|group_concat|strftime|strptime|epoch\w*|date_diff|datediff|date_part|date_trunc"
    r"|if|iff|ifnull|nvl2?|any_value|arg_min|arg_max|min_by|max_by|count_if|median|quantile\w*"
    r"|percentile\w*|approx_\w*|unnest|explode\w*|generate_series|range|sequence|try_\w*|hash"
    r"|split_part|printf|format|read_\w*|columns|typeof)\s*\(",
    re.IGNORECASE,
)
_DENIED_WORDS = re.compile(
    r"\b(QUALIFY|EXCLUDE|REPLACE|ASOF|POSITIONAL|PIVOT|UNPIVOT|SAMPLE|TABLESAMPLE|FILTER|ILIKE"
    r"|GLOB|SIMILAR|LATERAL|ANTI|SEMI|CREATE|INSERT|DROP|SET|PRAGMA|BY\s+ALL)\b",
    re.IGNORECASE,
)


def _code(text: str) -> str:
    """SQL text without comments and with string literals emptied."""
    text = re.sub(r"--[^\n]*", "", text)
    return re.sub(r"'(?:[^']|'')*'", "''", text)


def _order_items(code: str) -> list[str]:
    """Every item of every ORDER BY clause (window or query)."""
    items = []
    for match in re.finditer(r"\bORDER\s+BY\b", code, re.IGNORECASE):
        depth, item, rest = 0, "", code[match.end():]
        for char in rest:
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    break
                depth -= 1
            if char == "," and depth == 0:
                items.append(item)
                item = ""
                continue
            item += char
        tail = re.split(r"\b(?:LIMIT|OFFSET)\b", item, flags=re.IGNORECASE)[0]
        items.append(tail)
    return [i.strip() for i in items]


def _portability_problems(text: str) -> list[str]:
    code = _code(text)
    problems = []
    if '"' in code or "`" in code:
        problems.append("quoted identifier")
    without_casts = re.sub(r"CAST\(\s*\d+(?:\.\d*)?\s+AS\s+DOUBLE\s*\)", "", code, flags=re.IGNORECASE)
    if re.search(r"(?<![\w.])(\d+\.\d*|\.\d+)(?!\w)", without_casts):
        problems.append("decimal literal outside CAST(... AS DOUBLE)")
    for item in _order_items(code):
        if not re.search(r"\bNULLS\s+(FIRST|LAST)\s*$", item, re.IGNORECASE):
            problems.append(f"ORDER BY item without NULLS FIRST/LAST: {item!r}")
    for token, what in (("//", "integer division"), ("::", ":: cast"), ("[", "array literal"),
                        ("^", "^ (power in DuckDB, xor in Spark)"), (";", "more than one statement")):
        if token in code:
            problems.append(what)
    if re.search(r"[{}]", re.sub(r"\{[a-z_][a-z0-9_]*\}", "", code)):
        problems.append("braces other than {placeholder}")
    problems += [f"engine-specific function {m[1]}" for m in _DENIED_FUNCTIONS.finditer(code)]
    problems += [f"engine-specific syntax {m[1]}" for m in _DENIED_WORDS.finditer(code)]
    if not re.match(r"\s*(WITH|SELECT)\b", code, re.IGNORECASE):
        problems.append("not a single query")
    for slash in re.finditer("/", code):
        before = code[: slash.start()]
        depth = len(re.findall(r"\bCASE\b", before, re.I)) - len(re.findall(r"\bEND\b", before, re.I))
        if depth <= 0:
            problems.append("division outside a CASE that guards its divisor")
    return problems


def test_package_holds_the_sql_files():
    loading = {
        "project_events.sql", "oversized_events.sql", "merge_pairs.sql", "pair_weights.sql", "scope_counts.sql",
    }
    records = {  # netcluster.sql.aggregate
        "records_summary.sql", "organisation_codes.sql", "attribute_summary.sql", "memberships.sql",
        "event_sizes.sql", "event_summary.sql", "oversized_sizes.sql", "project_memberships.sql", "merge_years.sql",
        "components_first.sql", "components_contract.sql", "components_roots.sql", "components_step.sql",
        "components_changes.sql", "components_expand.sql",
        "components_summary.sql",
        "organisations_table.sql", "organisation_status.sql", "group_aggregates.sql", "table_rows.sql",
        "table_size.sql",
    }
    neighbourhood = {"neighbourhood.sql", "neighbourhood_pairs.sql"}  # netcluster.neighbourhood
    assert set(scripts()) == loading | records | neighbourhood


@pytest.mark.parametrize("name", scripts())
def test_sql_files_keep_to_the_portable_subset(name):
    assert _portability_problems(load_script(name)) == []


@pytest.mark.parametrize(
    ("snippet", "problem"),
    [
        ('SELECT "x" FROM t', "quoted identifier"),
        ("SELECT 1.0 * x FROM t", "decimal literal"),
        ("SELECT x FROM t ORDER BY x, y NULLS LAST", "ORDER BY item"),
        ("SELECT ROW_NUMBER() OVER (ORDER BY x) FROM t", "ORDER BY item"),
        ("SELECT x // 2 FROM t", "integer division"),
        ("SELECT x::DOUBLE FROM t", ":: cast"),
        ("SELECT [1, 2] FROM t", "array literal"),
        ("SELECT list_sum(x) FROM t", "engine-specific function"),
        ("SELECT regexp_matches(x, 'a') FROM t", "engine-specific function"),
        ("SELECT * EXCLUDE (x) FROM t", "engine-specific syntax"),
        ("SELECT x, COUNT(*) FROM t GROUP BY ALL", "engine-specific syntax"),
        ("SELECT x / y FROM t", "division outside"),
        ("SELECT 1; SELECT 2", "more than one statement"),
    ],
)
def test_portability_check_catches(snippet, problem):
    assert any(problem in p for p in _portability_problems(snippet))


def test_portability_check_accepts_the_allowed_forms():
    good = ("SELECT CAST(1 AS DOUBLE) AS one, CASE WHEN k > 1 THEN x / CAST(k - 1 AS DOUBLE) END AS w "
            "FROM {events} UNION ALL SELECT 1, 2 FROM t ORDER BY a NULLS LAST, b DESC NULLS FIRST")
    assert _portability_problems(good) == []


# -- (b) projection against pandas and scipy -----------------------------------------------
def _random_events(seed: int) -> pd.DataFrame:
    """Events over three layers with repeated rows, single-organisation events,
    missing years (some events without any year) and ids shared across layers."""
    rng = np.random.default_rng(seed)
    rows = []
    for number in range(400):
        event, layer = f"e{number % 250}", str(rng.choice(["partnership", "copatent", "membership"]))
        size = int(rng.integers(1, 10))
        year = int(rng.integers(2014, 2020))
        no_year = rng.random() < 0.05
        for org in rng.choice(90, size=size, replace=False):
            row_year = None if no_year or rng.random() < 0.1 else year + int(rng.integers(0, 2))
            rows.append((event, int(org), layer, row_year))
            if rng.random() < 0.2:
                rows.append((event, int(org), layer, year))
    frame = pd.DataFrame(rows, columns=["event", "org", "layer", "year"])
    return frame.sample(frac=1.0, random_state=seed).astype({"year": "Int32"}).reset_index(drop=True)


def _pandas_projection(events: pd.DataFrame, counting: str, cap: int | None = None,
                       policy: str = "skip") -> pd.DataFrame:
    """Independent computation: de-duplicate, self-merge on the event, group."""
    members = events.groupby(["layer", "event", "org"], as_index=False)["year"].min()
    sizes = members.groupby(["layer", "event"], as_index=False).agg(size=("org", "size"))
    pairs = members.merge(members, on=["layer", "event"])
    pairs = pairs[pairs["org_x"] < pairs["org_y"]].merge(sizes, on=["layer", "event"])
    pairs["pair_year"] = pairs[["year_x", "year_y"]].max(axis=1)  # the later organisation's year
    big = pairs["size"] > cap if cap is not None else pd.Series(False, index=pairs.index)
    if policy == "skip":
        pairs, big = pairs[~big], big[~big]
    fractional = (counting == "fractional") | big
    pairs = pairs.assign(weight=np.where(fractional, 1.0 / (pairs["size"] - 1), 1.0))
    out = (
        pairs.rename(columns={"org_x": "source", "org_y": "target", "pair_year": "year"})
        .groupby(KEY, dropna=False)["weight"]
        .agg(weight="sum", records="size")
        .reset_index()
    )
    return out


def _by_key(ties: pd.DataFrame) -> dict:
    return {
        (str(r.layer), None if pd.isna(r.year) else int(r.year), int(r.source), int(r.target)):
            (float(r.weight), int(r.records) if "records" in ties else None)
        for r in ties.itertuples(index=False)
    }


def _assert_same_ties(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    got_map, expected_map = _by_key(got), _by_key(expected)
    assert got_map.keys() == expected_map.keys()
    for key, (weight, records) in expected_map.items():
        assert got_map[key][0] == pytest.approx(weight, rel=1e-12, abs=1e-12), key
        if records is not None:
            assert got_map[key][1] == records, key


@pytest.mark.parametrize("counting", ["full", "fractional"])
@pytest.mark.parametrize("seed", [1, 2])
def test_projection_equals_a_pandas_self_merge(counting, seed):
    events = _random_events(seed)
    assert events.duplicated(["layer", "event", "org"]).any() and events["year"].isna().any()
    ties, oversized = project_events_sql(events, counting=counting, max_event_size=None)
    assert oversized.empty
    _assert_same_ties(ties, _pandas_projection(events, counting))
    assert ties["year"].isna().any()
    assert (ties["source"] < ties["target"]).all()
    assert ties.dtypes.astype(str).to_dict() == {
        "source": "int32", "target": "int32", "layer": "category", "weight": "float64",
        "records": "int64", "year": "Int32"}
    order = ties.assign(layer=ties["layer"].astype(str)).sort_values(KEY, na_position="last", kind="stable")
    assert order.index.tolist() == list(range(len(ties)))


@pytest.mark.parametrize("counting", ["full", "fractional"])
@pytest.mark.parametrize(("cap", "policy"), [(5, "skip"), (5, "downweight")])
def test_projection_with_a_cap_equals_a_pandas_self_merge(counting, cap, policy):
    events = _random_events(3)
    ties, oversized = project_events_sql(events, counting=counting, max_event_size=cap, oversized=policy)
    _assert_same_ties(ties, _pandas_projection(events, counting, cap, policy))
    sizes = events.drop_duplicates(["layer", "event", "org"]).groupby(["layer", "event"]).size()
    assert sorted(oversized["size"]) == sorted(sizes[sizes > cap])


def test_projection_by_hand():
    events = pd.DataFrame(
        [("A", 0, "copatent", 2019), ("A", 1, "copatent", 2019), ("A", 1, "copatent", 2019),
         ("B", 0, "copatent", 2021), ("B", 1, "copatent", 2022), ("C", 2, "copatent", 2020),
         ("D", 0, "copatent", None), ("D", 1, "copatent", None)],
        columns=["event", "org", "layer", "year"],
    )
    ties, _ = project_events_sql(events)
    columns = ties[["source", "target", "year", "weight", "records"]]
    got = [(s, t, None if pd.isna(y) else y, w, r) for s, t, y, w, r in columns.itertuples(index=False)]
    assert got == [(0, 1, 2019, 1.0, 1), (0, 1, 2022, 1.0, 1), (0, 1, None, 1.0, 1)]


def test_event_values_are_data_not_sql():
    hostile = "x'); DROP TABLE netcluster_events; -- {events}"
    events = pd.DataFrame({"event": [hostile] * 3 + [7] * 2, "org": [0, 1, 2, 1, 2],
                           "layer": ["a{b}"] * 3 + ["l'1"] * 2, "year": 2020})
    ties, oversized = project_events_sql(events, max_event_size=2)
    assert ties["layer"].astype(str).tolist() == ["l'1"]
    assert oversized.to_dict("records") == [{"layer": "a{b}", "event": hostile, "size": 3}]


# -- (c) events above the cap --------------------------------------------------------------
@pytest.mark.parametrize("counting", ["full", "fractional"])
@pytest.mark.parametrize("policy", ["skip", "downweight"])
def test_oversized_policies(counting, policy):
    events = _random_events(4)
    ties, oversized = project_events_sql(events, counting=counting, max_event_size=4, oversized=policy)
    _assert_same_ties(ties, _pandas_projection(events, counting, cap=4, policy=policy))
    sizes = events.groupby(["layer", "event"])["org"].nunique()
    expected = sizes[sizes > 4].reset_index(name="size").sort_values(["layer", "event"])
    assert oversized.to_dict("records") == expected.to_dict("records")
    assert oversized["size"].dtype == np.int64


def test_downweight_gives_big_events_fractional_weights_under_full_counting():
    events = pd.DataFrame({"event": ["big"] * 5 + ["small"] * 2, "org": [0, 1, 2, 3, 4, 0, 1],
                           "layer": "membership", "year": 2020})
    skipped, listed = project_events_sql(events, max_event_size=4)
    assert skipped[["source", "target", "weight"]].values.tolist() == [[0, 1, 1.0]]
    assert listed.to_dict("records") == [{"layer": "membership", "event": "big", "size": 5}]
    kept, listed_again = project_events_sql(events, max_event_size=4, oversized="downweight")
    assert len(kept) == 10 and listed_again.equals(listed)
    weights = {(s, t): w for s, t, w in kept[["source", "target", "weight"]].itertuples(index=False)}
    assert weights[(0, 1)] == 1.25 and weights[(2, 3)] == 0.25
    everything, none = project_events_sql(events, max_event_size=None)
    assert len(everything) == 10 and everything["weight"].sum() == 11.0 and none.empty


@pytest.mark.parametrize(
    ("options", "match"),
    [({"counting": "half"}, "counting"), ({"oversized": "drop"}, "policy"),
     ({"max_event_size": 1}, "cap")],
)
def test_bad_projection_options(options, match):
    events = pd.DataFrame({"event": ["A"], "org": [0], "layer": "copatent", "year": [2019]})
    with pytest.raises(InputError, match=match):
        project_events_sql(events, **options)


# -- (d) merging ties over years -----------------------------------------------------------
def test_merge_pairs_equals_a_pandas_groupby():
    ties, _ = project_events_sql(_random_events(5), counting="fractional")
    merged = merge_pairs_sql(ties)
    expected = (
        ties.assign(layer=ties["layer"].astype(str))
        .groupby(["layer", "source", "target"])
        .agg(weight=("weight", "sum"), records=("records", "sum"), first_year=("year", "min"),
             last_year=("year", "max"))
        .reset_index()
    )
    assert merged[["layer", "source", "target"]].astype({"layer": str}).values.tolist() == \
        expected[["layer", "source", "target"]].values.tolist()
    np.testing.assert_allclose(merged["weight"], expected["weight"], rtol=1e-12)
    assert merged["records"].tolist() == expected["records"].tolist()
    for column in ("first_year", "last_year"):
        assert merged[column].astype("Int32").equals(expected[column].astype("Int32")), column
    assert merged.dtypes.astype(str).to_dict() == {
        "source": "int32", "target": "int32", "layer": "category", "weight": "float64",
        "records": "int64", "first_year": "Int32", "last_year": "Int32"}


def test_merge_pairs_by_hand_and_without_records(toy_network):
    merged = merge_pairs_sql(toy_network.ties)
    rows = [(str(r.layer), r.source, r.target, r.weight, r.records, r.first_year, r.last_year)
            for r in merged.itertuples(index=False)]
    assert rows == [
        ("copatent", 0, 1, 1.0, 1, 2020, 2020), ("copatent", 0, 3, 3.0, 1, 2021, 2021),
        ("membership", 1, 3, 1.0, 1, 2018, 2018), ("partnership", 0, 1, 2.0, 1, 2019, 2019),
        ("partnership", 0, 2, 1.0, 1, 2020, 2020), ("partnership", 2, 4, 1.0, 1, 2019, 2019),
    ]
    ties = pd.DataFrame({"source": [0, 0], "target": [1, 1], "layer": "copatent", "weight": [1.0, 1.0],
                         "year": pd.array([None, None], dtype="Int32")})
    merged = merge_pairs_sql(ties)
    assert merged["records"].tolist() == [2] and merged["first_year"].isna().all()


@pytest.mark.parametrize("counting", ["full", "fractional"])
def test_merge_years_equals_merge_pairs_for_one_layer(counting):
    # merge_years.sql (aggregate_records, one layer) leaves the layer out of the grouping
    ties, _ = project_events_sql(_random_events(7).assign(layer="copatent"), counting=counting)
    unit = counting == "full"
    with DuckDBEngine(threads=2) as engine:
        engine.register("ties", pa.Table.from_pandas(ties.astype({"layer": str}), preserve_index=False))
        by_layer = engine.to_arrow("merge_pairs.sql", tables={"ties": "ties"}, params={"unit_weights": unit})
        one_layer = engine.to_arrow("merge_years.sql", tables={"ties": "ties"},
                                    params={"layer": "copatent", "unit_weights": unit})
    assert len(by_layer) > 100 and ties["year"].notna().any()
    assert one_layer.equals(by_layer)


# -- (e) scope counts ----------------------------------------------------------------------
_SCOPE_COLUMNS = [f"{s}_degree" for s in SCOPES] + [f"{s}_strength" for s in SCOPES]


def _assert_scope_counts_match(network, locality="region"):
    reference = scope_degrees(network, locality=locality)
    by_codes = scope_counts_sql(network.ties, country_codes(network.orgs),
                                locality_codes(network.orgs, locality))
    by_labels = scope_counts_sql(network.ties, network.orgs["country"].to_numpy(),
                                 network.orgs[locality].to_numpy())
    for got in (by_codes, by_labels):
        assert got.columns.tolist() == _SCOPE_COLUMNS
        assert got.index.tolist() == list(range(network.n_orgs))
        for column in _SCOPE_COLUMNS:
            if column.endswith("_degree"):
                assert got[column].tolist() == reference[column].tolist(), column
            else:
                np.testing.assert_allclose(got[column], reference[column], rtol=1e-12, atol=1e-12)


def test_scope_counts_on_the_toy_network(toy_network):
    _assert_scope_counts_match(toy_network)
    counts = scope_counts_sql(toy_network.ties, country_codes(toy_network.orgs),
                              locality_codes(toy_network.orgs))
    assert counts.loc[0, ["local_degree", "national_degree", "international_degree"]].tolist() == [1, 1, 1]
    assert counts.loc[0, "local_strength"] == 3.0 and counts.loc[4, "unknown_degree"] == 1


def test_scope_counts_keep_isolates(toy_network):
    only = toy_network.select(layers=["membership"])
    counts = scope_counts_sql(only.ties, country_codes(only.orgs), locality_codes(only.orgs))
    assert len(counts) == 5 and counts.loc[0].sum() == 0
    assert counts.loc[1, "international_degree"] == 1


@pytest.mark.parametrize("sample", ["ocean_cluster", "norway_h2020"])
def test_scope_counts_on_the_samples(sample):
    network = load_sample(sample)
    assert len(network.ties) > 100
    _assert_scope_counts_match(network)


def test_scope_counts_check_their_inputs():
    pairs = pd.DataFrame({"source": [0], "target": [1], "weight": [1.0]})
    with pytest.raises(InputError, match="one entry"):
        scope_counts_sql(pairs, np.array([0, 1]), np.array([0]))
    with pytest.raises(InputError, match="organisation code"):
        scope_counts_sql(pairs.assign(target=2), np.array([0, 1]), np.array([0, 1]))
    for weight in (np.nan, np.inf, 1e21):
        with pytest.raises(InputError, match="weight"):
            scope_counts_sql(pairs.assign(weight=weight), np.array([0, 1]), np.array([0, 1]))
        with pytest.raises(InputError, match="weight"):
            merge_pairs_sql(pairs.assign(weight=weight, layer="copatent", year=2020))


# -- (f) real data: every CORDIS H2020 project -----------------------------------------------
@pytest.fixture(scope="module")
def cordis_events(shared_data) -> pd.DataFrame:
    with DuckDBEngine() as engine:
        engine.register("participations", shared_data / "cordis_h2020_participations.csv.gz",
                        columns=["rcn", "pic", "start_year"])
        table = engine.table("participations")
    assert all(t == pa.string() for t in table.schema.types)
    orgs = pc.dictionary_encode(table["pic"]).combine_chunks()
    return pd.DataFrame({
        "event": table["rcn"].to_pandas(),
        "org": orgs.indices.to_numpy(zero_copy_only=False),
        "layer": "partnership",
        "year": pd.to_numeric(table["start_year"].to_pandas(), errors="coerce").astype("Int32"),
    })


def test_cordis_projection(cordis_events, shared_data):
    ties, oversized = project_events_sql(cordis_events, max_event_size=None)
    assert ties["weight"].sum() == 1_089_509 and ties["records"].sum() == 1_089_509
    assert oversized.empty
    raw = pd.read_csv(shared_data / "cordis_h2020_participations.csv.gz", usecols=["rcn", "pic"],
                      dtype=str, keep_default_na=False).drop_duplicates()
    pairs = raw.merge(raw, on="rcn")
    pairs = pairs[pairs["pic_x"] < pairs["pic_y"]]
    assert len(pairs) == 1_089_509
    distinct = len(pairs.drop_duplicates(["pic_x", "pic_y"]))
    assert len(merge_pairs_sql(ties)) == distinct
    assert len(ties[["source", "target"]].drop_duplicates()) == distinct


def test_cordis_fractional_weights_are_the_same_bits_on_every_run(cordis_events):
    runs = []
    for _ in range(3):
        with DuckDBEngine(threads=2) as engine:
            runs.append(project_events_sql(cordis_events, counting="fractional", max_event_size=None,
                                           engine=engine)[0])
    for other in runs[1:]:
        assert other["weight"].to_numpy().tobytes() == runs[0]["weight"].to_numpy().tobytes()
    strength = np.bincount(np.r_[runs[0]["source"], runs[0]["target"]],
                           weights=np.r_[runs[0]["weight"], runs[0]["weight"]])
    sizes = cordis_events.groupby("event")["org"].nunique()
    assert strength.sum() == pytest.approx(sizes[sizes > 1].sum(), rel=1e-12)  # each event gives k


def test_cordis_cap_lists_the_largest_project(cordis_events):
    _, oversized = project_events_sql(cordis_events, max_event_size=100)
    assert oversized["size"].max() == 186 and (oversized["size"] > 100).all()


# -- the engine ----------------------------------------------------------------------------
def test_csv_columns_stay_text_and_empty_fields_become_null(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("pic,country,year\n007,NA,2020\n008,,NA\n", encoding="utf-8")
    with DuckDBEngine() as engine:
        engine.register("orgs", path)
        table = engine.table("orgs")
    assert table.to_pydict() == {"pic": ["007", "008"], "country": ["NA", None], "year": ["2020", "NA"]}


def test_inputs_from_arrow_and_parquet_and_output_to_parquet(tmp_path):
    events = pa.table({"event": ["p", "p", "p", "q", "q"], "org": pa.array([0, 1, 2, 0, 1], pa.int64()),
                       "layer": ["membership"] * 5, "year": pa.array([2020] * 5, pa.int32())})
    out = tmp_path / "ties.parquet"
    params = {"max_event_size": None, "fractional": False, "downweight": False}
    with DuckDBEngine(threads=1, memory_limit="256MB", temp_dir=tmp_path / "spill") as engine:
        engine.register("events", events)
        engine.to_parquet("project_events.sql", out, tables={"events": "events"}, params=params)
        engine.register("again", out)
        engine.create_table("merged", "merge_pairs.sql", tables={"ties": "again"}, params={"unit_weights": True})
        merged = engine.table("merged")
        from_arrow = engine.to_pandas("project_events.sql", tables={"events": "events"}, params=params)
    assert merged.column("weight").to_pylist() == [2.0, 1.0, 1.0]
    assert from_arrow["records"].tolist() == [2, 1, 1] and str(from_arrow["year"].dtype) == "Int32"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_broken_csv_row_is_an_input_error_naming_file_and_line(tmp_path):
    path = tmp_path / "events.csv"
    body = "".join(f"e{i},{i % 7},partnership,2020\n" for i in range(30_000))
    path.write_text("event,org,layer,year\n" + body + "e1,2,partnership,2020,surplus\n", encoding="utf-8")
    with DuckDBEngine() as engine:
        engine.register("events", path)
        with pytest.raises(InputError) as caught:
            engine.to_pandas("oversized_events.sql", tables={"events": "events"},
                             params={"max_event_size": 2})
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}:30002: ")
    assert caught.value.file == str(path) and caught.value.line == 30_002


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [("missing.csv", None, "file not found"), ("data.xlsx", b"x", "unknown file type"),
     ("broken.parquet", b"not parquet", "cannot read"), ("latin.csv", b"a,b\n1,\xe9\xff\n", "cannot read")],
)
def test_unreadable_files_are_input_errors(tmp_path, name, content, match):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with DuckDBEngine() as engine, pytest.raises(InputError, match=match) as caught:
        engine.register("data", path)
        engine.table("data")
    assert caught.value.file == str(path) and "\n" not in str(caught.value)


def test_a_missing_column_is_an_input_error(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("event,org\np,0\n", encoding="utf-8")
    with DuckDBEngine() as engine, pytest.raises(InputError, match="year") as caught:
        engine.register("events", path, columns=["event", "year"])
    assert caught.value.file == str(path)


#: Placeholders wrongly given, and the error each must raise, on every engine (test_spark_engine.py too).
BAD_PLACEHOLDERS = [
    ({"events": "events; DROP TABLE events"}, {"max_event_size": 2}, "registered"),
    ({"events": "nothing"}, {"max_event_size": 2}, "registered"),
    ({"events": "events"}, {}, "placeholders"),
    ({"events": "events"}, {"max_event_size": 2, "extra": 1}, "placeholders"),
    ({"events": "events"}, {"max_event_size": [2]}, "number"),
    ({"events": "events", "max_event_size": "events"}, {"max_event_size": 2}, "tables and as values"),
]


@pytest.mark.parametrize(("tables", "params", "match"), BAD_PLACEHOLDERS)
def test_placeholders_are_checked(tables, params, match):
    events = pd.DataFrame({"event": ["p"], "org": [0], "layer": ["a"], "year": [2020]})
    with DuckDBEngine() as engine:
        engine.register("events", events)
        with pytest.raises(InputError, match=match):
            engine.to_pandas("oversized_events.sql", tables=tables, params=params)


def test_engine_refuses_bad_names_and_options(tmp_path):
    with DuckDBEngine() as engine:
        engine.register("ties", pd.DataFrame({"source": [0], "target": [1], "layer": ["a"], "weight": [1.0],
                                              "records": [1], "year": [2020]}))
        with pytest.raises(InputError, match="own inputs"):
            engine.create_table("ties", "merge_pairs.sql", tables={"ties": "ties"})
        with pytest.raises(InputError, match="identifier"):
            engine.register("Events x", pd.DataFrame({"a": [1]}))
        with pytest.raises(InputError, match="no such SQL file"):
            engine.to_pandas("../engine.py")
        with pytest.raises(InputError, match="registered"):
            engine.drop("never")
        engine.register("events", pd.DataFrame({"event": ["p"], "org": [0], "layer": ["a"], "year": [1]}))
        with pytest.raises(OutputError):
            engine.to_parquet("oversized_events.sql", tmp_path / "no" / "x.parquet",
                              tables={"events": "events"}, params={"max_event_size": 2})
    with pytest.raises(InputError, match="option"):
        DuckDBEngine(memory_limit="plenty")


def test_a_memory_limited_engine_gives_the_same_ties_and_cleans_its_spill_folder(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    sizes = rng.integers(1, 12, 60_000)
    events = pd.DataFrame({"event": np.repeat(np.arange(len(sizes)), sizes).astype(str),
                           "org": rng.integers(0, 20_000, sizes.sum()), "layer": "copatent",
                           "year": pd.array(rng.integers(2000, 2020, sizes.sum()), dtype="Int32")})
    free, _ = project_events_sql(events, counting="fractional")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with DuckDBEngine(memory_limit="160MB", threads=1) as engine:
        limited, _ = project_events_sql(events, counting="fractional", engine=engine)
        assert len(list(tmp_path.glob("netcluster-duckdb-*"))) == 1
    assert list(tmp_path.iterdir()) == []
    pd.testing.assert_frame_equal(free, limited)
    with DuckDBEngine(memory_limit="1MB") as engine, pytest.raises(InputError, match="memory_limit"):
        project_events_sql(events, engine=engine)


def test_a_given_engine_is_reused_and_left_clean():
    events = _random_events(6)
    with DuckDBEngine(threads=1) as engine:
        first, _ = project_events_sql(events, engine=engine)
        second, _ = project_events_sql(events, engine=engine)
        with pytest.raises(InputError, match="registered"):
            engine.drop("netcluster_events")
    pd.testing.assert_frame_equal(first, second)


def test_a_stray_quote_is_an_input_error_naming_the_line_not_a_file_of_one_column(tmp_path):
    # DuckDB's sniffer read such a file as one column (the CORDIS 2017 organisation table);
    # with the dialect given, the strict reader stops at the line instead
    path = tmp_path / "orgs.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write('pic,name,country\n1,"ACME",DE\n2,"ASSOCIATION "NATIONAL CENTRE"",BG\n')
    with DuckDBEngine() as engine:
        engine.register("orgs", path)
        with pytest.raises(InputError) as caught:
            engine.table("orgs")
    assert caught.value.line == 3 and "unterminated quote" in str(caught.value)


def test_the_cordis_2017_organisation_table_stops_at_its_first_stray_quote(shared_data):
    path = shared_data / "cordis_h2020_organisations_2017.csv.gz"
    with DuckDBEngine() as engine:
        engine.register("orgs", path)
        with pytest.raises(InputError, match=r"\.csv\.gz:281: ") as caught:
            engine.table("orgs")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(("suffix", "delimiter"), [(".csv", ";"), (".txt", "|"), (".tsv", "\t"), (".csv", ",")])
def test_the_dialect_is_read_from_the_header_line(tmp_path, suffix, delimiter):
    path = tmp_path / f"orgs{suffix}"
    rows = [["pic", "name", "note"], ["1", '"A, B; C|D"', '"say ""hi"""'], ["2", "", "x"]]
    path.write_text("\ufeff" + "\r\n".join(delimiter.join(r) for r in rows) + "\r\n", encoding="utf-8")
    with DuckDBEngine() as engine:
        engine.register("orgs", path)
        assert engine.table("orgs").to_pydict() == {
            "pic": ["1", "2"], "name": ["A, B; C|D", None], "note": ['say "hi"', "x"]}


def test_projected_layers_keep_the_order_of_first_appearance():
    events = pd.DataFrame({"event": ["p", "p", "q", "q"], "org": [0, 1, 0, 1],
                           "layer": ["partnership", "partnership", "copatent", "copatent"], "year": 2020})
    ties, _ = project_events_sql(events)
    assert list(ties["layer"].cat.categories) == ["partnership", "copatent"]
    given = events.assign(layer=pd.Categorical(events["layer"], categories=["membership", "copatent", "partnership"]))
    assert list(project_events_sql(given)[0]["layer"].cat.categories) == ["membership", "copatent", "partnership"]
