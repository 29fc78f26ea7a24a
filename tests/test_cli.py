"""The command line through click's CliRunner: the twin of the library calls."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from netcluster import __version__
from netcluster.cli import main
from netcluster.sample_graphs import get_sample


@pytest.fixture
def runner():
    return CliRunner()


def _graph(path: Path) -> dict:
    html = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'id="nc-graph">(.*?)</script>', html, re.S).group(1))


def test_version(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_report_without_inputs_uses_the_ocean_sample(runner, tmp_path):
    out = tmp_path / "report.html"
    result = runner.invoke(main, ["report", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Report written to" in result.stderr and str(out.resolve()) in result.stderr
    assert result.stdout == ""
    assert len(_graph(out)["nodes"]) == 298  # 2 of 300 organisations have no record and are not members


def test_report_on_user_files(runner, tmp_path):
    sample = get_sample("ocean_cluster").paths()
    out = tmp_path / "mine.html"
    args = ["report", "--partnerships", str(sample["partnerships"]), "--copatents", str(sample["copatents"]),
            "--memberships", str(sample["memberships"]), "--organisations", str(sample["organisations"]),
            "--seed", "4", "--title", "Our <cluster>", "-o", str(out)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<title>Our &lt;cluster&gt;</title>" in html
    assert len(_graph(out)["nodes"]) == 298  # 2 of 300 organisations have no record and are not members


def test_report_layer_choice_and_real_sample(runner, tmp_path):
    out = tmp_path / "h2020.html"
    result = runner.invoke(main, ["report", "--sample", "norway_h2020", "--layer", "partnership", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "CORDIS, European Commission" in out.read_text(encoding="utf-8")


def test_input_errors_are_one_line_exit_1(runner, tmp_path):
    bad = tmp_path / "pairs.csv"
    bad.write_text("company,partner\nA,B\n")
    result = runner.invoke(main, ["report", "--partnerships", str(bad), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert str(bad) in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "r.html").exists()
    missing = runner.invoke(main, ["report", "--copatents", str(tmp_path / "none.csv")])
    assert missing.exit_code == 1 and "no such file" in missing.stderr
    layer = runner.invoke(main, ["report", "--layer", "patents", "-o", str(tmp_path / "r.html")])
    assert layer.exit_code == 1 and "unknown layer" in layer.stderr
    folder = runner.invoke(main, ["report", "-o", str(tmp_path / "no" / "dir" / "r.html")])
    assert folder.exit_code == 1 and "does not exist" in folder.stderr


def test_usage_errors_exit_2(runner, tmp_path):
    assert runner.invoke(main, ["report", "--counting", "half"]).exit_code == 2
    assert runner.invoke(main, ["report", "--sample", "nope"]).exit_code == 2
    both = runner.invoke(main, ["report", "--sample", "ocean_cluster", "--partnerships", "x.csv"])
    assert both.exit_code == 2 and "not both" in both.stderr
    assert runner.invoke(main, ["frobnicate"]).exit_code == 2


def test_samples_list_show_and_copy(runner, tmp_path):
    listed = runner.invoke(main, ["samples"])
    assert listed.exit_code == 0
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == ["ocean_cluster", "norway_h2020"]
    shown = runner.invoke(main, ["samples", "ocean_cluster"])
    assert "--partnerships" in shown.stdout and "partnerships.csv" in shown.stdout
    copied = runner.invoke(main, ["samples", "ocean_cluster", "--copy-to", str(tmp_path)])
    assert copied.exit_code == 0 and (tmp_path / "ocean_cluster" / "README.md").is_file()
    again = runner.invoke(main, ["samples", "ocean_cluster", "--copy-to", str(tmp_path)])
    assert again.exit_code == 1 and "exists already" in again.stderr
    assert runner.invoke(main, ["samples", "nope"]).exit_code == 1


def test_every_command_is_documented():
    reference = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert f"## netcluster {name}" in reference, f"docs/cli.md lacks a section for {name}"
        for param in command.params:
            for option in param.opts:
                if option.startswith("--"):
                    assert option in reference, f"docs/cli.md does not mention {name} {option}"


def test_cli_reference_is_current():
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "scripts" / "make_cli_docs.py"
    check = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert check.returncode == 0, "docs/cli.md is stale: run python scripts/make_cli_docs.py"


def test_validate_prints_the_load_report_and_writes_rejects(runner, tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("source,target,year\na,b,2019\na,,2019\nc,b,=1+2\n")
    rejects = tmp_path / "rejects.csv"
    result = runner.invoke(main, ["validate", "--partnerships", str(pairs), "--rejects", str(rejects)])
    assert result.exit_code == 0, result.output
    assert "3 rows read: 1 loaded, 0 duplicates merged, 2 rejected" in result.stdout
    written = rejects.read_text().splitlines()
    assert written[0] == "source,line,field,value,reason"
    assert len(written) == 3 and ",3,target,," in written[1]
    assert ",4,year,'=1+2," in written[2]  # neutralised against formula injection
    as_json = runner.invoke(main, ["validate", "--partnerships", str(pairs), "--format", "json"])
    assert json.loads(as_json.stdout)["files"][0]["rejected"] == 2
    strict = runner.invoke(main, ["validate", "--partnerships", str(pairs), "--strict"])
    assert strict.exit_code == 1 and "strict" in strict.stderr and f"{pairs}:3" in strict.stderr


def test_map_option_and_config_file(runner, tmp_path):
    patents = tmp_path / "patents.csv"
    patents.write_text("patent,holder,holder_country\nP1,A,NO\nP1,B,DK\n")
    missing = runner.invoke(main, ["validate", "--copatents", str(patents)])
    assert missing.exit_code == 1 and "'org'" in missing.stderr
    mapped = runner.invoke(main, ["validate", "--copatents", str(patents), "--map", "copatents.org=holder",
                                  "--map", "copatents.country=holder_country"])
    assert mapped.exit_code == 0, mapped.output
    assert "2 loaded" in mapped.stdout
    config = tmp_path / "netcluster.toml"
    config.write_text('counting = "fractional"\n[map.copatents]\norg = "holder"\n')
    configured = runner.invoke(main, ["validate", "--config", str(config), "--copatents", str(patents),
                                      "--format", "json"])
    assert configured.exit_code == 0, configured.output
    bad = runner.invoke(main, ["validate", "--map", "copatents.org"])
    assert bad.exit_code == 2 and "KIND.FIELD=HEADER" in bad.stderr
    config.write_text("colour = 'blue'\n")
    unknown = runner.invoke(main, ["validate", "--config", str(config)])
    assert unknown.exit_code == 2 and "unknown setting 'colour'" in unknown.stderr


def test_config_accepts_option_spellings_and_single_files(runner, tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("source,target\na,b\n")
    config = tmp_path / "netcluster.toml"
    config.write_text(f'format = "json"\npartnerships = "{pairs}"\n')
    result = runner.invoke(main, ["validate", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["files"][0]["loaded"] == 1


def test_analyze_prints_writes_and_mirrors_the_library(runner, tmp_path):
    import pandas as pd

    from netcluster import analyze as analyze_function
    from netcluster.sample_graphs import load_sample

    shown = runner.invoke(main, ["analyze", "--home", "member"])
    assert shown.exit_code == 0, shown.output
    first = shown.stdout.splitlines()[2]
    assert first.startswith("NO-144") and "technological gatekeeper" in first
    csv_out = tmp_path / "nodes.csv"
    written = runner.invoke(main, ["analyze", "--home", "member", "--format", "csv", "-o", str(csv_out)])
    assert written.exit_code == 0, written.output
    nodes = pd.read_csv(csv_out, index_col="org_id")
    expected = analyze_function(load_sample("ocean_cluster"), home={"member": True}).nodes
    assert list(nodes.index) == list(expected.index)
    assert nodes["bridge_centrality"].to_numpy() == pytest.approx(expected["bridge_centrality"].to_numpy())
    groups = tmp_path / "groups.xlsx"
    assert runner.invoke(main, ["analyze", "--home", "country=NO", "--groups", "--format", "xlsx",
                                "-o", str(groups)]).exit_code == 0
    table = pd.read_excel(groups)
    assert table.iloc[0, 0] == "home" and int(table.loc[0, "organisations"]) == 188
    as_json = runner.invoke(main, ["analyze", "--groups", "--format", "json"])
    assert json.loads(as_json.stdout)[0]["group"].startswith("country:")
    assert runner.invoke(main, ["analyze", "--format", "parquet"]).exit_code == 2
    ids = tmp_path / "home.txt"
    ids.write_text("NO-144\nNO-003\n")
    by_file = runner.invoke(main, ["analyze", "--home-file", str(ids), "--groups", "--format", "csv"])
    assert by_file.exit_code == 0 and "\nhome,2," in by_file.stdout
    unknown = runner.invoke(main, ["analyze", "--home", 'group="No Such Cluster"'])
    assert unknown.exit_code == 1 and "NorOcean Technology Cluster" in unknown.stderr


def test_communities_command_twins_detect_communities(runner):
    from netcluster import detect_communities
    from netcluster.sample_graphs import load_sample

    result = runner.invoke(main, ["communities", "--format", "json", "--runs", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    expected = detect_communities(load_sample("ocean_cluster"), runs=2)
    assert data["modularity"] == pytest.approx(expected.modularity)
    assert [row["size"] for row in data["rows"]] == expected.quality["size"].tolist()
    assert 0 <= data["versus_country"]["nmi"] <= 1 and "communities, modularity" in result.stderr
    members = runner.invoke(main, ["communities", "--members", "--format", "csv"])
    assert members.stdout.splitlines()[0] == "org_id,community"
    assert runner.invoke(main, ["communities", "--method", "walktrap"]).exit_code == 2
