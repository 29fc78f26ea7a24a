"""netcluster gaps, suggest, backtest and communities --compare: twins of the library calls."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner

import netcluster
from netcluster.cli import main
from netcluster.sample_graphs import get_sample, load_sample


@pytest.fixture(scope="module")
def ocean_result():
    return netcluster.analyze(load_sample("ocean_cluster"), home={"member": True})


@pytest.fixture
def runner():
    return CliRunner()


def test_gaps_json_equals_find_gaps(runner, ocean_result):
    result = runner.invoke(main, ["gaps", "--home", "member", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    expected = netcluster.find_gaps(ocean_result)
    assert [r["kind"] for r in rows] == expected["kind"].tolist()
    assert [r["organisations"] for r in rows] == expected["organisations"].tolist()
    assert [r["evidence"] for r in rows] == expected["evidence"].tolist()
    assert "no_international_tie:" in result.stderr


def test_gaps_csv_flattens_lists_and_neutralises_formulas(runner, tmp_path):
    out = tmp_path / "gaps.csv"
    result = runner.invoke(main, ["gaps", "--home", "member", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert list(table.columns) == ["kind", "severity", "organisations", "names", "affected", "evidence"]
    spof = table[table["kind"] == "single_point_of_failure"]
    assert spof["organisations"].str.contains("; ").all()  # broker; affected members


def test_gaps_options_reach_the_library(runner, ocean_result):
    result = runner.invoke(main, ["gaps", "--home", "member", "--format", "json", "--hops", "1",
                                  "--concentration-threshold", "1", "--min-community", "3"])
    assert result.exit_code == 0, result.output
    rows = pd.DataFrame(json.loads(result.stdout))
    expected = netcluster.find_gaps(ocean_result, hops=1, concentration_threshold=1.0, min_community=3)
    assert rows["kind"].tolist() == expected["kind"].tolist()
    assert "concentration" not in set(rows["kind"])


def test_suggest_twins_suggest_partners(runner, ocean_result):
    member = ocean_result.nodes.index[ocean_result.nodes["home"]][0]
    result = runner.invoke(main, ["suggest", "--home", "member", "--member", member, "-k", "4",
                                  "--kind", "university", "--kind", "research", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = pd.DataFrame(json.loads(result.stdout))
    expected = netcluster.suggest_partners(ocean_result, member, k=4, kinds=["university", "research"])
    assert rows["partner"].tolist() == expected["partner"].tolist()
    assert rows["rank"].tolist() == [1, 2, 3, 4]
    assert set(rows["partner_kind"]) <= {"university", "research"}
    assert (rows["partner_country"] != ocean_result.nodes.loc[member, "country"]).all()


def test_suggest_unknown_member_is_one_line_exit_1(runner):
    result = runner.invoke(main, ["suggest", "--home", "member", "--member", "NO-SUCH-ORG"])
    assert result.exit_code == 1
    assert "NO-SUCH-ORG" in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_backtest_table_and_json(runner):
    network = load_sample("norway_h2020")
    expected = netcluster.backtest(network, until=2016, home={"country": "NO"}, k=[5, 10])
    result = runner.invoke(main, ["backtest", "--sample", "norway_h2020", "--until", "2016", "--home", "country=NO",
                                  "-k", "5", "-k", "10", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["counts"] == expected.counts
    assert data["methods"]["netcluster"]["precision@10"] == pytest.approx(
        expected.table.loc["netcluster", "precision@10"])
    table = runner.invoke(main, ["backtest", "--sample", "norway_h2020", "--until", "2016", "-k", "5"])
    assert table.exit_code == 0, table.output
    assert "preferential_attachment" in table.stdout and "members evaluated" in table.stderr


def test_backtest_year_outside_the_data_is_one_line_exit_1(runner):
    result = runner.invoke(main, ["backtest", "--sample", "norway_h2020", "--until", "1990"])
    assert result.exit_code == 1
    assert "choose a year from" in result.stderr and "Traceback" not in result.output


def test_communities_compare_with_a_user_file(runner, tmp_path):
    orgs = pd.read_csv(get_sample("ocean_cluster").paths()["organisations"])
    path = tmp_path / "regions.csv"
    orgs[["org", "region"]].to_csv(path, index=False)
    result = runner.invoke(main, ["communities", "--compare", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    network = load_sample("ocean_cluster")
    partition = netcluster.detect_communities(network, seed=0)
    given = netcluster.communities.read_partition(path)
    assert data["versus_file"] == pytest.approx(netcluster.compare_partitions(partition, given))
    assert data["versus_file"]["common"] == 298 and data["versus_file"]["coverage_left"] == 1.0


def test_read_partition_errors_name_the_line(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("org,cluster\na,x\nb,y\na,z\n", encoding="utf-8")
    with pytest.raises(netcluster.InputError, match=r"dup.csv:4.*given twice"):
        netcluster.communities.read_partition(path)
    single = tmp_path / "one.csv"
    single.write_text("org\na\n", encoding="utf-8")
    with pytest.raises(netcluster.InputError, match="two columns"):
        netcluster.communities.read_partition(single)
    blank = netcluster.communities.read_partition(pd.DataFrame({"id": ["a", "b"], "g": ["x", ""]}))
    assert blank.to_dict() == {"a": "x"}


def test_stdout_csv_neutralises_formulas(runner, tmp_path):
    orgs = pd.DataFrame({"org": ["a", "b"], "name": ["=HYPERLINK(\"x\")", "B"], "country": ["NO", "SE"]})
    pairs = pd.DataFrame({"org_a": ["a"], "org_b": ["b"], "year": [2020]})
    orgs.to_csv(tmp_path / "orgs.csv", index=False)
    pairs.to_csv(tmp_path / "pairs.csv", index=False)
    result = runner.invoke(main, ["analyze", "--partnerships", str(tmp_path / "pairs.csv"),
                                  "--organisations", str(tmp_path / "orgs.csv"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout))
    assert table.loc[table["org_id"] == "a", "name"].item() == "'=HYPERLINK(\"x\")"


def test_communities_writes_every_table_format(runner, tmp_path):
    network = load_sample("ocean_cluster")
    quality = netcluster.detect_communities(network, seed=0).quality
    for fmt in ("csv", "parquet", "xlsx"):
        out = tmp_path / f"communities.{fmt}"
        result = runner.invoke(main, ["communities", "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        table = {"csv": pd.read_csv, "parquet": pd.read_parquet, "xlsx": pd.read_excel}[fmt](out)
        assert table["size"].tolist() == quality["size"].tolist()
    out = tmp_path / "communities.json"
    result = runner.invoke(main, ["communities", "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text(encoding="utf-8"))["rows"]) == len(quality)
