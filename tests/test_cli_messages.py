"""-q/--quiet, -v/--verbose and the progress display; the library's progress callbacks behind them."""

from __future__ import annotations

import io
import re
import sys
import time

import click
import pytest
from click.testing import CliRunner

from netcluster import analyze, build_network
from netcluster.analyze import ANALYSIS_STAGES
from netcluster.cli import main
from netcluster.cli import _messages, _progress
from netcluster.sample_graphs import get_sample, load_sample

STAGES = ["selection", "scope degrees", "bridge centrality", "local clustering", "brokerage",
          "structural holes", "roles", "communities", "groups", "summary"]


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def no_delay(monkeypatch):
    """A progress display would start at once, were standard error a terminal."""
    monkeypatch.setattr(_progress, "DELAY", 0.0)


# -- the library's callbacks -------------------------------------------------------------


def test_analyze_reports_every_stage_in_order():
    network = load_sample("ocean_cluster")
    seen: list[str] = []
    result = analyze(network, home={"member": True}, progress=seen.append)
    assert seen == STAGES == list(ANALYSIS_STAGES)
    without_home: list[str] = []
    again = analyze(network, progress=without_home.append)
    assert without_home == STAGES
    assert analyze(network, home={"member": True}).nodes.equals(result.nodes)  # no callback: same result
    assert not again.nodes.empty


def test_build_network_reports_reading_each_kind_then_building():
    paths = get_sample("ocean_cluster").paths()
    seen: list[str] = []
    build_network(partnerships=paths["partnerships"], organisations=paths["organisations"], progress=seen.append)
    assert seen == ["reading partnerships", "reading organisations", "building the network"]
    merged: list[str] = []
    build_network(copatents=paths["copatents"], merge_names=95, progress=merged.append)
    assert merged == ["reading copatents", "merging names", "building the network"]


# -- -q and -v ---------------------------------------------------------------------------


def test_every_command_takes_quiet_and_verbose():
    for name, command in main.commands.items():
        options = {opt for param in command.params for opt in param.opts}
        assert {"-q", "--quiet", "-v", "--verbose"} <= options, f"netcluster {name} lacks -q/-v"


@pytest.mark.parametrize("where", ["group", "command"])
def test_quiet_removes_the_summary_line(runner, tmp_path, where):
    out = tmp_path / "report.html"
    args = ["report", "-o", str(out)]
    loud = runner.invoke(main, args)
    assert loud.exit_code == 0, loud.output
    assert "Report written to" in loud.stderr
    quiet = runner.invoke(main, ["-q", *args] if where == "group" else [*args, "--quiet"])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stderr == "" and quiet.stdout == ""
    assert out.is_file()


def test_quiet_keeps_data_warnings_and_errors(runner, tmp_path):
    table = runner.invoke(main, ["-q", "analyze", "--format", "csv", "-o", str(tmp_path / "nodes.csv")])
    assert table.exit_code == 0 and table.stderr == ""
    to_stdout = runner.invoke(main, ["analyze", "-q", "--format", "csv"])
    assert to_stdout.exit_code == 0 and to_stdout.stdout.startswith("org_id,") and to_stdout.stderr == ""
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("source,target,year\na,b,2019\na,,2019\n")
    warned = runner.invoke(main, ["report", "-q", "--partnerships", str(pairs), "-o", str(tmp_path / "r.html")])
    assert warned.exit_code == 0, warned.output
    assert warned.stderr.startswith("1 input rows were rejected") and "Report written" not in warned.stderr
    pairs.write_text("company,partner\nA,B\n")
    failed = runner.invoke(main, ["-q", "report", "--partnerships", str(pairs), "-o", str(tmp_path / "r.html")])
    assert failed.exit_code == 1 and failed.stderr.startswith("Error: ")


@pytest.mark.parametrize("where", ["group", "command"])
def test_verbose_adds_stage_timings_and_the_load_report(runner, tmp_path, where):
    args = ["analyze", "--format", "csv", "-o", str(tmp_path / "nodes.csv")]
    plain = runner.invoke(main, args)
    assert plain.exit_code == 0 and plain.stderr.splitlines() == ["Wrote 298 rows to " + str(tmp_path / "nodes.csv")]
    verbose = runner.invoke(main, ["-v", *args] if where == "group" else [*args, "--verbose"])
    assert verbose.exit_code == 0, verbose.output
    lines = verbose.stderr.splitlines()
    timed = [m.group(1) for m in map(re.compile(r"analysis: (.+): \d+\.\d\d s$").match, lines) if m]
    assert timed == STAGES
    assert re.search(r"^loading records: reading partnerships: \d+\.\d\d s$", verbose.stderr, re.M)
    assert re.search(r"^analysis: \d+\.\d\d s in all$", verbose.stderr, re.M)
    assert any("partnerships.csv (partnerships): 1800 rows read: 1800 loaded" in line for line in lines)
    assert lines[-1] == "Wrote 298 rows to " + str(tmp_path / "nodes.csv")


def test_the_command_option_wins_over_the_group_option(runner):
    result = runner.invoke(main, ["-q", "validate", "-v"])
    assert result.exit_code == 0
    assert "loading records: building the network:" in result.stderr
    quiet = runner.invoke(main, ["-v", "validate", "-q"])
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_quiet_and_verbose_together_is_a_usage_error(runner):
    result = runner.invoke(main, ["analyze", "-q", "-v"])
    assert result.exit_code == 2 and "not both" in result.stderr
    assert runner.invoke(main, ["-q", "-v", "samples"]).exit_code == 2


def test_validate_verbose_prints_the_load_report_once(runner):
    result = runner.invoke(main, ["validate", "-v"])
    assert result.exit_code == 0
    assert "rows read" in result.stdout and "rows read" not in result.stderr


# -- the progress display ----------------------------------------------------------------


def test_no_progress_display_outside_a_terminal(runner, tmp_path, no_delay):
    # FORCE_COLOR and TTY_COMPATIBLE make rich treat any stream as a terminal; netcluster does not
    for env in ({}, {"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1"}):
        for args in (["analyze", "-v", "--format", "csv"], ["report", "-o", str(tmp_path / "r.html")]):
            result = runner.invoke(main, args, env=env)
            assert result.exit_code == 0, result.output
            for text in (result.stdout, result.stderr):
                assert "\x1b" not in text and "\r" not in text


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_display_on_a_terminal_and_gone_after(monkeypatch, no_delay):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("TERM", "xterm")
    with _progress.stages("analysis", total=2) as progress:
        progress("first stage")
        deadline = time.monotonic() + 10
        while _messages._sink is None and time.monotonic() < deadline:  # the display starts in a timer thread
            time.sleep(0.01)
        assert _messages._sink is not None
        _messages.info("a message while the display is shown")
        progress("second stage")
        while "analysis: second stage" not in terminal.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)  # the display refreshes ten times a second
    assert _messages._sink is None
    shown = terminal.getvalue()
    assert "analysis: second stage" in shown and "1/2" in shown and "\x1b[" in shown
    assert "a message while the display is shown\n" in shown
    assert shown.endswith("\x1b[2K")  # transient: the display clears its line when done


def test_no_progress_display_with_quiet(monkeypatch, no_delay):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    with click.Context(main) as ctx:
        ctx.meta[_messages._LEVEL] = _messages.QUIET
        with _progress.stages("analysis") as progress:
            progress("first stage")
            time.sleep(0.2)
            assert _messages._sink is None
            _messages.info("not shown")
            _messages.warn("shown")
    assert terminal.getvalue() == "shown\n"
