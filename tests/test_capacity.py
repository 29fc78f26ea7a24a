"""Memory estimate and guard of the graph stages, and the k-hop neighbourhood way out.

Oracles: peak memory measured in a fresh process (VmHWM) for the estimate;
networkx ego_graph(radius=k) and multi-source shortest paths for the
neighbourhood; the in-memory restriction for its SQL twin.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import netcluster
from netcluster import CollaborationNetwork, analyze, detect_communities, write_report
from netcluster.capacity import (
    BUDGET_VARIABLE,
    SAFETY,
    available_memory,
    check_capacity,
    estimate_memory,
    graph_size,
    parse_size,
)
from netcluster.cli import main
from netcluster.errors import CapacityError, InputError, NetclusterError
from netcluster.neighbourhood import neighbourhood_mask, neighbourhood_sql, restrict_to_neighbourhood
from netcluster.sample_graphs import load_sample

ROOT = Path(__file__).resolve().parents[1]
MIB = 2**20


# -- the estimate --------------------------------------------------------------------------------
def test_estimate_grows_with_organisations_and_ties():
    sizes = [0, 1, 1_000, 100_000, 10_000_000]
    for n in sizes:
        analysis = [estimate_memory(n, m).analysis for m in sizes]
        assert analysis == sorted(analysis) and len(set(analysis)) == len(sizes)
    for m in sizes:
        totals = [estimate_memory(n, m).total for n in sizes]
        assert totals == sorted(totals) and len(set(totals)) == len(sizes)
    estimate = estimate_memory(1_000_000, 5_000_000)
    assert estimate.total > estimate.analysis + estimate.network
    assert (estimate.n_orgs, estimate.n_ties) == (1_000_000, 5_000_000)


@pytest.mark.parametrize("bad", [-1, 1.5, True, "10"])
def test_estimate_refuses_sizes_that_are_not_counts(bad):
    with pytest.raises(InputError, match="whole number"):
        estimate_memory(bad, 10)
    with pytest.raises(InputError, match="whole number"):
        estimate_memory(10, bad)


def _measured_table() -> list[dict[str, float]]:
    """The measured rows of docs/scaling.md: organisations, pairs, network MiB, analysis MiB, peak MiB."""
    text = (ROOT / "docs" / "scaling.md").read_text(encoding="utf-8")
    section = text.split("## When the graph does not fit on one machine", 1)[1]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and re.fullmatch(r"[0-9,]+", cells[1]):
            n, m, network, analysis, peak = (float(c.replace(",", "")) for c in cells[1:6])
            rows.append({"graph": cells[0], "n": n, "m": m, "network": network, "analysis": analysis, "peak": peak,
                         "records": cells[6] == "records"})
    return rows


def test_estimate_covers_every_measured_graph_within_the_stated_tolerance():
    # docs/scaling.md states: the estimate is never below a measured figure and at most 1.6 times it
    # from 100,000 organisations up (the total for networks built from records, whose tables it models)
    rows = _measured_table()
    assert len(rows) == 7 and sum(r["records"] for r in rows) == 5 and any(r["n"] == 1_000_000 for r in rows)
    for row in rows:
        estimate = estimate_memory(int(row["n"]), int(row["m"]))
        assert estimate.analysis / MIB >= row["analysis"], row
        assert estimate.total / MIB >= row["peak"], row
        if row["n"] >= 100_000:
            assert estimate.analysis / MIB <= 1.6 * row["analysis"], row
            assert not row["records"] or estimate.total / MIB <= 1.6 * row["peak"], row


_PROBE = textwrap.dedent("""
    import json, sys
    import numpy as np, pandas as pd
    import netcluster

    def status(field):
        with open("/proc/self/status") as handle:
            return next(int(l.split()[1]) * 1024 for l in handle if l.startswith(field + ":"))

    n, m = 20_000, 100_000
    rng = np.random.default_rng(3)
    keys = np.unique(np.sort(rng.integers(0, n, size=(3 * m, 2)), axis=1) @ np.array([n, 1]))
    keys = rng.permutation(keys[keys // n != keys % n])[:m]
    countries = np.array(["NO", "SE", "DK", "DE", "FR"])[rng.integers(0, 5, size=n)]
    orgs = pd.DataFrame({"country": countries, "region": np.char.add(countries, "1")},
                        index=pd.Index([f"o{i}" for i in range(n)], name="org_id"))
    ties = pd.DataFrame({"source": keys // n, "target": keys % n, "layer": "partnership",
                         "weight": 1.0, "year": 2020})
    net = netcluster.CollaborationNetwork(orgs, ties)
    before = status("VmRSS")
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")
    netcluster.analyze(net, samples=16, seed=0)
    print(json.dumps({"n": n, "m": int(len(keys)), "analysis": status("VmHWM") - before}))
""")


def test_estimate_is_above_a_fresh_measurement_and_not_far_above():
    # a live run: a random network of 20,000 organisations and 100,000 ties analysed in a fresh process
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, timeout=300)
    measured = json.loads(done.stdout)
    estimate = estimate_memory(measured["n"], measured["m"]).analysis
    assert measured["analysis"] > 10 * MIB  # the probe measured something
    assert measured["analysis"] <= estimate <= 4 * measured["analysis"]


# -- the budget and the guard --------------------------------------------------------------------
@pytest.mark.parametrize(("text", "size"), [
    ("12G", 12 * 2**30), ("12GiB", 12 * 2**30), ("12 gib", 12 * 2**30), ("1.5G", 3 * 2**29),
    ("500M", 500 * 2**20), ("8GB", 8 * 10**9), ("2T", 2 * 2**40), ("4096", 4096), (4096, 4096), (2.5e9, 2_500_000_000),
])
def test_parse_size(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "G", "12X", "-1G", "0", "twelve", True])
def test_parse_size_refuses_what_is_no_size(text):
    with pytest.raises(InputError, match="memory budget"):
        parse_size(text)


def test_available_memory_reads_memavailable():
    text = Path("/proc/meminfo").read_text()
    kib = int(re.search(r"^MemAvailable:\s+(\d+) kB", text, re.M).group(1))
    free = available_memory()
    assert free is not None and abs(free - kib * 1024) < 2**30  # read a moment apart


def test_guard_raises_capacity_error_naming_estimate_limit_and_ways_out():
    with pytest.raises(CapacityError) as caught:
        check_capacity(1_000_000, 5_000_000, limit="1G")
    error = caught.value
    assert isinstance(error, NetclusterError) and not isinstance(error, ValueError)
    assert error.limit == 2**30 and error.estimate == estimate_memory(1_000_000, 5_000_000).analysis
    message = str(error)
    assert "\n" not in message
    assert f"about {error.estimate / 2**30:.1f} GiB" in message and "1,000,000 organisations" in message
    assert "5,000,000 partner pairs" in message and "budget of 1.0 GiB (the budget given)" in message
    assert "--neighbourhood" in message and "restrict_to_neighbourhood" in message and "--memory-budget" in message


def test_guard_passes_and_returns_the_estimate_when_it_fits():
    assert check_capacity(1_000, 5_000, limit="1G") == estimate_memory(1_000, 5_000)


def test_guard_reads_the_environment_variable_and_prefers_the_argument(monkeypatch):
    monkeypatch.setenv(BUDGET_VARIABLE, "1M")
    with pytest.raises(CapacityError, match=r"budget of 1 MiB \(from NETCLUSTER_MEMORY_BUDGET\)"):
        check_capacity(1_000, 5_000)
    assert check_capacity(1_000, 5_000, limit="1G").n_orgs == 1_000
    monkeypatch.setenv(BUDGET_VARIABLE, "lots")
    with pytest.raises(InputError, match="NETCLUSTER_MEMORY_BUDGET"):
        check_capacity(1_000, 5_000)


def test_default_budget_is_a_share_of_the_available_memory(monkeypatch):
    monkeypatch.delenv(BUDGET_VARIABLE, raising=False)
    monkeypatch.setattr("netcluster.capacity.available_memory", lambda: 100 * 2**20)
    with pytest.raises(CapacityError, match=r"budget of 80 MiB \(80% of the 100 MiB available\)") as caught:
        check_capacity(1_000_000, 0)
    assert caught.value.limit == int(SAFETY * 100 * 2**20)
    monkeypatch.setattr("netcluster.capacity.available_memory", lambda: None)
    assert check_capacity(10**9, 10**9).n_orgs == 10**9  # nothing known, nothing checked


def test_graph_size_counts_distinct_pairs_not_tie_records():
    ocean = load_sample("ocean_cluster")
    assert len(ocean.ties) > graph_size(ocean)[1]
    assert graph_size(ocean) == (ocean.n_orgs, ocean.to_csr().nnz // 2)


def test_analyze_stops_before_any_stage_when_over_budget():
    ocean = load_sample("ocean_cluster")
    stages = []
    with pytest.raises(CapacityError):
        analyze(ocean, memory_budget="1M", progress=stages.append)
    assert stages == ["selection"]
    assert not ocean._cache  # no CSR or igraph graph was built
    assert analyze(ocean, memory_budget="4G").summary["organisations"] == ocean.n_orgs


def test_cli_prints_one_line_and_exits_non_zero_when_over_budget():
    result = CliRunner().invoke(main, ["analyze", "--memory-budget", "10M"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: the graph stages of the analysis need about")
    assert "budget of 10 MiB" in lines[0] and "--neighbourhood" in lines[0] and "Traceback" not in result.output
    assert result.stdout == ""


def test_cli_reads_the_budget_from_the_environment():
    result = CliRunner().invoke(main, ["analyze"], env={BUDGET_VARIABLE: "2M"})
    assert result.exit_code == 1 and "(from NETCLUSTER_MEMORY_BUDGET)" in result.stderr


# -- the neighbourhood -------------------------------------------------------------------------
def _random_network(seed: int, n: int = 60, m: int = 90) -> tuple[CollaborationNetwork, nx.Graph]:
    graph = nx.gnm_random_graph(n, m, seed=seed)
    rng = np.random.default_rng(seed)
    edges = np.array(list(graph.edges()), dtype=np.int64).reshape(-1, 2)
    years = rng.integers(2018, 2021, size=len(edges))
    twice = rng.random(len(edges)) < 0.3  # some pairs with a record in a second year and layer
    ties = pd.concat([
        pd.DataFrame({"source": edges[:, 0], "target": edges[:, 1], "layer": "partnership", "weight": 1.0,
                      "year": years}),
        pd.DataFrame({"source": edges[twice, 1], "target": edges[twice, 0], "layer": "copatent", "weight": 2.0,
                      "year": years[twice] + 1}),
    ], ignore_index=True)
    events = pd.DataFrame({"event": [f"e{i // 3}" for i in range(n)], "org": np.arange(n), "layer": "partnership",
                           "year": 2020})
    orgs = pd.DataFrame({"country": rng.choice(["NO", "SE", "DK"], size=n)},
                        index=pd.Index([f"org{i}" for i in range(n)], name="org_id"))
    return CollaborationNetwork(orgs, ties, events), graph


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("hops", [0, 1, 2, 3])
def test_restriction_equals_the_union_of_networkx_ego_graphs(seed, hops):
    network, graph = _random_network(seed)
    rng = np.random.default_rng(100 + seed)
    home = sorted(rng.choice(network.n_orgs, size=1 + seed % 4, replace=False).tolist())
    expected = set().union(*(nx.ego_graph(graph, h, radius=hops).nodes for h in home))
    restricted = restrict_to_neighbourhood(network, [f"org{h}" for h in home], hops)
    assert set(restricted.org_ids) == {f"org{i}" for i in expected}
    assert list(restricted.org_ids) == [f"org{i}" for i in sorted(expected)]  # original order kept
    ids = restricted.org_ids.to_numpy()
    kept_edges = {frozenset((ids[u], ids[v])) for u, v in zip(restricted.ties["source"], restricted.ties["target"])}
    induced = {frozenset((f"org{u}", f"org{v}")) for u, v in graph.subgraph(expected).edges()}
    assert kept_edges == induced
    codes = network.codes(list(ids))
    inside = np.isin(network.ties["source"], codes) & np.isin(network.ties["target"], codes)
    assert len(restricted.ties) == int(inside.sum())
    assert restricted.ties["weight"].sum() == pytest.approx(network.ties.loc[inside, "weight"].sum())
    assert sorted(restricted.events["event"]) == sorted(network.events["event"][np.isin(network.events["org"], codes)])
    record = restricted.provenance["restriction"]
    assert record["organisations_kept"] == len(expected)
    assert record["organisations_left_out"] == network.n_orgs - len(expected)
    assert record["tie_records_kept"] + record["tie_records_left_out"] == len(network.ties)
    assert record["hops"] == hops and record["home_organisations"] == len(home)


def test_neighbourhood_follows_the_chosen_layers_only():
    network, graph = _random_network(7)
    home = ["org0"]
    everywhere = neighbourhood_mask(network, home, 2)
    copatent = neighbourhood_mask(network, home, 2, layers=["copatent"])
    sub = network.select(layers=["copatent"])
    g = nx.Graph()
    g.add_nodes_from(range(network.n_orgs))
    g.add_edges_from(zip(sub.ties["source"], sub.ties["target"]))
    assert np.flatnonzero(copatent).tolist() == sorted(nx.ego_graph(g, 0, radius=2).nodes)
    assert copatent.sum() <= everywhere.sum()


def test_neighbourhood_errors():
    network, _ = _random_network(1)
    with pytest.raises(InputError, match="needs a home set"):
        restrict_to_neighbourhood(network, None, 1)
    for bad in (-1, 1.5, True):
        with pytest.raises(InputError, match="hops must be a whole number"):
            restrict_to_neighbourhood(network, ["org0"], bad)
    with pytest.raises(InputError, match="unknown layer"):
        neighbourhood_mask(network, ["org0"], 1, layers=["nope"])
    with pytest.raises(InputError, match="at least one organisation"):
        neighbourhood_sql(pd.DataFrame({"source": [0], "target": [1]}), [], 1)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("hops", [0, 1, 2, 4])
def test_sql_neighbourhood_equals_the_in_memory_one(seed, hops):
    network, graph = _random_network(seed, n=80, m=100)
    home_codes = [seed, 40 + seed]
    pairs = network.ties[["source", "target", "layer", "weight"]].assign(layer=lambda t: t["layer"].astype(str))
    reached, kept = neighbourhood_sql(pairs, home_codes, hops)
    mask = neighbourhood_mask(network, [f"org{c}" for c in home_codes], hops)
    assert reached["org"].tolist() == np.flatnonzero(mask).tolist()
    distance = nx.multi_source_dijkstra_path_length(graph, set(home_codes), cutoff=hops)
    assert dict(zip(reached["org"], reached["hop"])) == distance
    inside = pairs[mask[pairs["source"]] & mask[pairs["target"]]].sort_values(["source", "target"], kind="stable")
    assert len(kept) == len(inside)
    assert sorted(map(tuple, kept.astype({"source": int, "target": int}).values.tolist())) == sorted(
        map(tuple, inside.values.tolist()))


def test_sql_neighbourhood_reads_a_parquet_file(tmp_path):
    pairs = pd.DataFrame({"source": [0, 1, 2, 7], "target": [1, 2, 3, 8], "records": [1, 2, 3, 4]})
    path = tmp_path / "pairs.parquet"
    pairs.to_parquet(path)
    reached, kept = neighbourhood_sql(path, [1], 1)
    assert reached.values.tolist() == [[0, 1], [1, 0], [2, 1]]
    assert kept.values.tolist() == [[0, 1, 1], [1, 2, 2]]


def test_restricted_analysis_says_so_in_the_result_and_the_report(tmp_path):
    ocean = load_sample("ocean_cluster")
    near = restrict_to_neighbourhood(ocean, {"member": True}, 0)
    result = analyze(near, home={"member": True}, seed=0)
    record = result.provenance["restriction"]
    assert record["organisations_kept"] == result.summary["organisations"] == 118
    assert record["organisations_left_out"] == ocean.n_orgs - 118
    note = result.provenance["load_report"]["notes"][-1]
    assert note.startswith("restricted to the home set (118 organisations) and its 0-hop neighbourhood: kept 118 of")
    path = netcluster.write_report(result, tmp_path / "report.html")
    assert note in Path(path).read_text(encoding="utf-8")


def test_cli_neighbourhood_reports_what_was_kept_and_left_out(tmp_path):
    out = tmp_path / "nodes.csv"
    result = CliRunner().invoke(main, ["analyze", "--home", "member", "--neighbourhood", "1", "--format", "csv",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    ocean = load_sample("ocean_cluster")
    kept = restrict_to_neighbourhood(ocean, {"member": True}, 1)
    record = kept.provenance["restriction"]
    assert f"kept {record['organisations_kept']:,} of {ocean.n_orgs:,} organisations" in result.stderr
    assert f"left out {record['organisations_left_out']:,} organisations" in result.stderr
    assert len(pd.read_csv(out)) == record["organisations_kept"] < ocean.n_orgs
    refused = CliRunner().invoke(main, ["analyze", "--neighbourhood", "1"])
    assert refused.exit_code == 2 and "--neighbourhood needs a home set" in refused.output


def test_sql_way_out_of_docs_scaling_gives_the_restricted_network(tmp_path):
    # the example of docs/scaling.md: netcluster aggregate, neighbourhood_sql on its ties, a network of
    # what is left; the same organisations and ties as restrict_to_neighbourhood on the whole output
    from netcluster.sql import open_engine
    from netcluster.sql.aggregate import aggregate_records, network_from_aggregate

    rng = np.random.default_rng(5)
    orgs = pd.DataFrame({"org": [f"x{i}" for i in range(120)],
                         "country": rng.choice(["NO", "SE", "DK", "FI"], size=120, p=[0.1, 0.3, 0.3, 0.3]),
                         "region": ""})
    events = pd.DataFrame({"event": [f"p{rng.integers(0, 90)}" for _ in range(300)],
                           "org": rng.choice(orgs["org"], size=300), "year": rng.integers(2015, 2020, size=300)})
    events.drop_duplicates(["event", "org"]).to_csv(tmp_path / "events.csv", index=False)
    orgs.to_csv(tmp_path / "orgs.csv", index=False)
    out = tmp_path / "out"
    aggregate_records(tmp_path / "events.csv", tmp_path / "orgs.csv", out, threads=1)

    import pyarrow.parquet as pq

    table = pq.read_table(out / "organisations.parquet", columns=["code", "org", "country", "region"]).to_pandas()
    home = table.loc[table["country"] == "NO", "code"]
    with open_engine("duckdb") as engine:
        reached, ties = neighbourhood_sql(out / "ties.parquet", home, 1, engine=engine)
    kept = table.set_index("code").loc[reached["org"]]
    code = pd.Series(range(len(kept)), index=reached["org"])
    network = CollaborationNetwork(
        kept.set_index(kept["org"].astype(str).rename("org_id"))[["country", "region"]],
        ties.assign(source=code[ties["source"]].to_numpy(), target=code[ties["target"]].to_numpy())
            [["source", "target", "layer", "weight", "year"]],
    )
    expected = restrict_to_neighbourhood(network_from_aggregate(out), {"country": "NO"}, 1)
    assert 0 < network.n_orgs < len(table) and list(network.org_ids) == list(expected.org_ids)
    assert graph_size(network) == graph_size(expected) and graph_size(network)[1] > 0
    assert (network.to_csr() != expected.to_csr()).nnz == 0


@pytest.mark.parametrize("hops", [1, 3])
def test_sql_neighbourhood_on_spark_equals_duckdb(spark, hops):
    from netcluster.sql import open_engine

    network, _ = _random_network(11, n=150, m=220)
    pairs = network.ties[["source", "target", "weight"]].astype({"source": np.int64, "target": np.int64})
    home = [2, 70, 71]
    duck_reached, duck_kept = neighbourhood_sql(pairs, home, hops)
    with open_engine("spark", spark=spark) as engine:
        spark_reached, spark_kept = neighbourhood_sql(pairs, home, hops, engine=engine)
    pd.testing.assert_frame_equal(spark_reached.astype(duck_reached.dtypes.to_dict()), duck_reached)
    spark_kept = spark_kept.sort_values(["source", "target", "weight"], kind="stable").reset_index(drop=True)
    duck_kept = duck_kept.sort_values(["source", "target", "weight"], kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(spark_kept.astype(duck_kept.dtypes.to_dict()), duck_kept)
    assert len(duck_reached) > len(home) and len(duck_kept) > 0


def test_detect_communities_stops_before_any_graph_when_over_budget():
    ocean = load_sample("ocean_cluster")
    with pytest.raises(CapacityError, match="budget of 1 MiB"):
        detect_communities(ocean, memory_budget="1M")
    assert not ocean._cache  # no CSR or igraph graph was built
    with pytest.raises(CapacityError):  # the layers chosen are what is counted
        detect_communities(ocean, layers=["partnership"], memory_budget="1M")
    assert detect_communities(ocean, memory_budget="4G").membership.equals(detect_communities(ocean).membership)


def test_cli_communities_takes_the_budget_and_prints_one_line():
    result = CliRunner().invoke(main, ["communities", "--memory-budget", "10M"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: the graph stages of the analysis need about")
    assert result.stdout == ""
    assert CliRunner().invoke(main, ["communities", "--memory-budget", "4G"]).exit_code == 0


def test_the_report_counts_its_own_share_before_drawing(tmp_path):
    ocean = load_sample("ocean_cluster")
    n, m = graph_size(ocean)
    estimate = estimate_memory(n, m)
    assert estimate.report > 0
    budget = estimate.analysis + estimate.report // 2  # enough for the analysis, not for the report
    result = analyze(ocean, memory_budget=budget)
    with pytest.raises(CapacityError, match="the analysis and the report need about") as caught:
        write_report(result, tmp_path / "report.html", memory_budget=budget)
    assert caught.value.estimate == estimate.analysis + estimate.report and caught.value.limit == budget
    assert not (tmp_path / "report.html").exists()
    assert write_report(result, tmp_path / "report.html", memory_budget=budget * 2).exists()


def test_cli_report_stops_with_one_line_when_the_report_would_not_fit(tmp_path):
    n, m = graph_size(load_sample("ocean_cluster"))
    estimate = estimate_memory(n, m)
    budget = str(estimate.analysis + estimate.report // 2)
    result = CliRunner().invoke(main, ["report", "-o", str(tmp_path / "r.html"), "--memory-budget", budget])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("Error: the graph stages of the analysis and the report need about")
    assert not (tmp_path / "r.html").exists()


def test_graph_size_of_some_layers_counts_their_pairs_only():
    ocean = load_sample("ocean_cluster")
    assert graph_size(ocean, ["partnership"]) == graph_size(ocean.select(["partnership"]))
    assert graph_size(ocean, ["partnership"])[1] < graph_size(ocean)[1]


def test_graph_size_is_the_same_before_and_after_the_graph_is_built():
    ocean = load_sample("ocean_cluster")
    before, layer_before = graph_size(ocean), graph_size(ocean, ["partnership"])
    ocean.to_csr(), ocean.to_csr(["partnership"])
    assert graph_size(ocean) == before and graph_size(ocean, ["partnership"]) == layer_before
