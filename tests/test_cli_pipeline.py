"""build -> saved network -> every command, and export: the command-line pipeline through files."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner

from netcluster import CollaborationNetwork, build_network
from netcluster.cli import main
from netcluster.sample_graphs import get_sample

from .test_graph_formats import assert_valid_gexf, gexf_schema, read  # noqa: F401 (gexf_schema is a fixture)

OCEAN = get_sample("ocean_cluster").paths()
OCEAN_FILES = [arg for kind, path in OCEAN.items() for arg in (f"--{kind}", str(path))]

#: The report's creation time, the one part that may differ between two runs.
CREATED = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC")


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def saved(tmp_path_factory, runner) -> Path:
    """The ocean sample, built from its files and saved by 'netcluster build'."""
    path = tmp_path_factory.mktemp("saved") / "ocean.zip"
    result = runner.invoke(main, ["build", *OCEAN_FILES, "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def ok(result) -> str:
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def one_line_error(result, code: int = 1) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("Error: ")
    if code == 1:
        assert len(lines) == 1
    return lines[-1]


# -- build ----------------------------------------------------------------------------------
def test_build_saves_what_build_network_builds(saved, runner, tmp_path):
    loaded = CollaborationNetwork.load(saved)
    direct = build_network(**{kind: str(path) for kind, path in OCEAN.items()})
    assert loaded.n_orgs == direct.n_orgs == 298
    pd.testing.assert_frame_equal(loaded.orgs, direct.orgs)
    pd.testing.assert_frame_equal(loaded.ties, direct.ties)
    assert loaded.load_report == json.loads(json.dumps(direct.load_report, default=str))
    result = runner.invoke(main, ["build", "--counting", "fractional", "-o", str(tmp_path / "n.zip")])
    assert ok(result) == ""
    assert result.stderr.count("\n") == 1
    assert "Saved the network to" in result.stderr and "298 organisations" in result.stderr
    assert "partnership, copatent, membership" in result.stderr
    fractional = CollaborationNetwork.load(tmp_path / "n.zip")
    assert fractional.provenance["options"]["counting"] == "fractional"
    assert "attribution" not in fractional.provenance  # the synthetic sample needs none


def test_build_reports_rejected_rows(runner, tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("source,target\na,b\na,\n")
    result = runner.invoke(main, ["build", "--partnerships", str(pairs), "-o", str(tmp_path / "n.zip")])
    ok(result)
    assert "1 input rows rejected (netcluster validate --network lists them)" in result.stderr
    shown = runner.invoke(main, ["validate", "--network", str(tmp_path / "n.zip")])
    assert "2 rows read: 1 loaded, 0 duplicates merged, 1 rejected" in ok(shown)
    strict = runner.invoke(main, ["build", "--partnerships", str(pairs), "--strict", "-o", str(tmp_path / "s.zip")])
    assert "strict" in one_line_error(strict) and not (tmp_path / "s.zip").exists()


# -- every command reads --network ------------------------------------------------------------
@pytest.mark.parametrize(
    "command",
    [
        ["analyze", "--home", "member", "--format", "csv"],
        ["analyze", "--home", "member", "--groups", "--format", "json"],
        ["communities", "--format", "csv"],
        ["gaps", "--home", "member", "--format", "csv"],
        ["suggest", "--home", "member", "--member", "NO-144", "--format", "csv"],
        ["backtest", "--home", "member", "--until", "2021", "--format", "json"],
        ["validate"],
        ["validate", "--format", "json"],
    ],
)
def test_every_command_gives_the_same_output_from_a_saved_network(saved, runner, command):
    from_files = ok(runner.invoke(main, [*command, *OCEAN_FILES]))
    from_saved = ok(runner.invoke(main, [*command, "--network", str(saved)]))
    assert from_saved == from_files and from_saved.strip()


def test_pipeline_report_equals_the_one_shot_report(saved, runner, tmp_path):
    """build -o net.zip; analyze --network; report --network: the same report as one command.

    Only the creation time may differ; the graph data, tables, figures and the
    inputs listed (paths and checksums, kept in the saved provenance) are identical.
    """
    options = ["--home", "member", "--seed", "3", "--title", "Ocean"]
    one_shot = tmp_path / "one.html"
    ok(runner.invoke(main, ["report", *OCEAN_FILES, *options, "-o", str(one_shot)]))
    nodes = tmp_path / "nodes.csv"
    ok(runner.invoke(main, ["analyze", "--network", str(saved), *options[:4], "--format", "csv", "-o", str(nodes)]))
    piped = tmp_path / "piped.html"
    ok(runner.invoke(main, ["report", "--network", str(saved), *options, "-o", str(piped)]))
    first, second = (CREATED.sub("<created>", p.read_text(encoding="utf-8")) for p in (one_shot, piped))
    assert first == second
    assert str(OCEAN["partnerships"]) in first  # the inputs are listed in both
    direct = ok(runner.invoke(main, ["analyze", *OCEAN_FILES, *options[:4], "--format", "csv"]))
    assert nodes.read_text(encoding="utf-8") == direct


def test_saved_sample_keeps_its_attribution(runner, tmp_path):
    """The CORDIS sample's attribution is saved, and --network hands it to the report as the sample does."""
    from netcluster.cli._options import network_from_options
    from netcluster.loaders.build import KINDS

    ok(runner.invoke(main, ["build", "--sample", "norway_h2020", "-o", str(tmp_path / "no.zip")]))
    options = {**{kind: () for kind in KINDS}, "sample": None, "network": str(tmp_path / "no.zip")}
    network, attribution = network_from_options(options)
    assert attribution == "CORDIS, European Commission" and network.n_orgs == 2639


def test_network_is_exclusive_with_records_sample_and_build_options(saved, runner):
    both = runner.invoke(main, ["analyze", "--network", str(saved), "--partnerships", str(OCEAN["partnerships"])])
    assert "not both" in one_line_error(both, 2)
    sample = runner.invoke(main, ["report", "--network", str(saved), "--sample", "ocean_cluster"])
    assert "not both" in one_line_error(sample, 2)
    for option in (["--counting", "fractional"], ["--strict"], ["--map", "partnerships.org=x"],
                   ["--max-event-size", "5"], ["--merge-names", "95"], ["--oversized", "downweight"]):
        refused = runner.invoke(main, ["validate", "--network", str(saved), *option])
        assert f"{option[0]} applies when building" in one_line_error(refused, 2)


def test_bad_network_files_are_one_line_errors(runner, tmp_path, saved):
    garbage = tmp_path / "garbage.zip"
    garbage.write_bytes(b"PK\x03\x04 this is not a zip at all")
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(saved.read_bytes()[: saved.stat().st_size // 2])
    foreign = tmp_path / "foreign.zip"
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("meta.json", json.dumps({"format": "something-else/3"}))
    no_meta = tmp_path / "no_meta.zip"
    with zipfile.ZipFile(no_meta, "w") as archive:
        archive.writestr("orgs.parquet", b"")
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(damaged, "w") as archive:
        for name in source.namelist():
            data = source.read(name)
            archive.writestr(name, data[:50] if name == "ties.parquet" else data)
    expected = {
        garbage: "cannot read this network file",
        truncated: "cannot read this network file",
        foreign: "not a netcluster network file",
        no_meta: "cannot read this network file",
        damaged: "cannot read this network file",
        tmp_path / "missing.zip": "no such network file",
    }
    for path, message in expected.items():
        for command in (["analyze"], ["report", "-o", str(tmp_path / "r.html")], ["validate"],
                        ["export", "-o", str(tmp_path / "x.gexf")]):
            line = one_line_error(runner.invoke(main, [*command, "--network", str(path)]))
            assert str(path) in line and message in line, (command, line)
    assert not (tmp_path / "r.html").exists() and not (tmp_path / "x.gexf").exists()


# -- export -------------------------------------------------------------------------------------
@pytest.mark.parametrize("format", ["graphml", "gexf", "node-link"])
def test_export_graph_formats_round_trip(saved, runner, tmp_path, format):
    suffix = {"graphml": "graphml", "gexf": "gexf", "node-link": "json"}[format]
    path = tmp_path / f"ocean.{suffix}"
    result = runner.invoke(main, ["export", "--network", str(saved), "--home", "member", "--format", format,
                                  "-o", str(path)])
    ok(result)
    assert result.stderr == f"Wrote {format} with 298 organisations and 2015 partner pairs to {path}\n"
    graph = read(path, format)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (298, 2015)
    assert graph.nodes["NO-144"]["gb_role"] == "technological gatekeeper"
    assert graph.nodes["NO-144"]["home"] is True
    plain = tmp_path / f"plain.{suffix}"
    ok(runner.invoke(main, ["export", "--network", str(saved), "--no-analysis", "--format", format,
                            "-o", str(plain)]))
    assert "bridge_centrality" not in read(plain, format).nodes["NO-144"]


def test_export_gexf_from_the_cli_is_schema_valid(runner, tmp_path, gexf_schema):
    path = tmp_path / "norway.gexf"
    ok(runner.invoke(main, ["export", "--sample", "norway_h2020", "--home", "country=NO", "-o", str(path)]))
    assert_valid_gexf(gexf_schema, path)
    assert nx.read_gexf(path).number_of_nodes() == 2639


@pytest.mark.parametrize("format", ["csv", "json", "parquet", "xlsx"])
def test_export_tables(saved, runner, tmp_path, format):
    def load(path: Path) -> pd.DataFrame:
        if format == "csv":
            return pd.read_csv(path)
        if format == "json":
            return pd.DataFrame(json.loads(path.read_text(encoding="utf-8")))
        if format == "parquet":
            return pd.read_parquet(path)
        return pd.read_excel(path)

    nodes = tmp_path / f"nodes.{format}"
    ok(runner.invoke(main, ["export", "--network", str(saved), "--home", "member", "--format", format,
                            "-o", str(nodes)]))
    table = load(nodes)
    assert len(table) == 298 and {"org_id", "bridge_centrality", "gb_role", "ga_role"} <= set(table.columns)
    groups = tmp_path / f"groups.{format}"
    ok(runner.invoke(main, ["export", "--network", str(saved), "--home", "member", "--table", "groups",
                            "--format", format, "-o", str(groups)]))
    assert load(groups).iloc[0, 0] == "home"
    ties = tmp_path / f"ties.{format}"
    result = runner.invoke(main, ["export", "--network", str(saved), "--no-analysis", "--table", "ties",
                                  "--format", format, "-o", str(ties)])
    ok(result)
    assert result.stderr == f"Wrote 2435 rows to {ties}\n"
    tie_rows = load(ties)
    assert list(tie_rows.columns[:5]) == ["source", "target", "source_name", "target_name", "layer"]
    assert tie_rows["weight"].sum() == pytest.approx(CollaborationNetwork.load(saved).pairs()["weight"].sum())


def test_export_neutralises_formulas_and_infers_the_format(runner, tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("source,target\n=cmd|' /C calc'!A0,b\nb,c\n")
    out = tmp_path / "ties.csv"
    ok(runner.invoke(main, ["export", "--partnerships", str(pairs), "--no-analysis", "--table", "ties",
                            "-o", str(out)]))
    text = out.read_text(encoding="utf-8")
    assert "'=cmd" in text and "\n=cmd" not in text and ",=cmd" not in text
    xlsx = tmp_path / "nodes.xlsx"
    ok(runner.invoke(main, ["export", "--partnerships", str(pairs), "-o", str(xlsx)]))
    assert pd.read_excel(xlsx)["org_id"].tolist()[0] == "'=cmd|' /C calc'!A0"


def test_export_usage_and_input_errors(saved, runner, tmp_path):
    net = ["--network", str(saved)]
    assert "give --format" in one_line_error(runner.invoke(main, ["export", *net, "-o", str(tmp_path / "x.json")]), 2)
    assert "give --format" in one_line_error(runner.invoke(main, ["export", *net, "-o", str(tmp_path / "x.txt")]), 2)
    table = runner.invoke(main, ["export", *net, "--table", "ties", "-o", str(tmp_path / "x.gexf")])
    assert "--table applies to table formats" in one_line_error(table, 2)
    groups = runner.invoke(main, ["export", *net, "--no-analysis", "--table", "groups", "-o", str(tmp_path / "g.csv")])
    assert "--no-analysis" in one_line_error(groups, 2)
    assert runner.invoke(main, ["export", *net]).exit_code == 2  # -o is required
    assert runner.invoke(main, ["export", *net, "--format", "dot", "-o", "x.dot"]).exit_code == 2
    folder = runner.invoke(main, ["export", *net, "-o", str(tmp_path / "no" / "dir" / "x.gexf")])
    assert "does not exist" in one_line_error(folder)
    missing = runner.invoke(main, ["export", "--partnerships", str(tmp_path / "none.csv"),
                                   "-o", str(tmp_path / "x.gexf")])
    assert "no such file" in one_line_error(missing)
    layer = runner.invoke(main, ["export", *net, "--layer", "patents", "-o", str(tmp_path / "x.gexf")])
    assert "unknown layer" in one_line_error(layer)
    assert sorted(p.name for p in tmp_path.iterdir()) == []
