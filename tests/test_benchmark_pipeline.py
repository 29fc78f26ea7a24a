"""benchmarks/pipeline.py: the smoke run prints every stage with a networkx ratio (no timings checked)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "pipeline.py"


@pytest.fixture(scope="module")
def pipeline():
    spec = importlib.util.spec_from_file_location("benchmark_pipeline", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("pipeline")
    done = subprocess.run([sys.executable, str(SCRIPT), "--size", "XS", "--smoke", "--workdir", str(workdir)],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout, workdir


def _table(stdout: str) -> tuple[list[str], dict[str, list[str]]]:
    lines = [line for line in stdout.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = {}
    for line in lines[1:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows[cells[0].strip("*")] = cells
    return header, rows


def test_table_has_every_stage_and_a_ratio(pipeline, smoke):
    stdout, _ = smoke
    header, rows = _table(stdout)
    assert "networkx / netcluster" in header
    ratio = header.index("networkx / netcluster")
    for stage in pipeline.STAGES:
        assert stage in rows, stage
    compared = [s for s in pipeline.STAGES if s != "report"]
    for stage in compared:
        assert re.fullmatch(r"(> |~)?[\d,.]+x", rows[stage][ratio]), (stage, rows[stage][ratio])
    assert rows["report"][ratio] == "n/a"
    assert "no report" in rows["report"][-1]
    assert "total" in rows


def test_the_two_pipelines_agree(smoke):
    stdout, workdir = smoke
    checks = stdout.split("checks:")[1]
    assert "(same)" in checks
    for column in ("degree", "international_degree", "local_clustering", "gf_total", "effective_size",
                   "constraint", "bridge_subset"):
        assert f"{column} equal for 100.00% of organisations" in checks, column
    assert "single points of failure: the same organisations" in checks
    assert (workdir / "XS-seed0" / "report.html").is_file()


def test_every_analysis_stage_is_mapped(pipeline):
    from netcluster.analyze import ANALYSIS_STAGES

    assert set(pipeline.ANALYZE_STAGE) == set(ANALYSIS_STAGES)
    assert set(pipeline.ANALYZE_STAGE.values()) <= set(pipeline.STAGES)


def test_ratio_text(pipeline):
    assert pipeline.ratio_text(2.0, {"seconds": 50.0}) == ("25.0x", 25.0)
    assert pipeline.ratio_text(2.0, {"seconds": 600.0, "stopped": 600.0})[0] == "> 300x"
    row = {"seconds": 1.0, "seconds_extrapolated": 40.0, "measured_seconds": 1.0, "measured_sources": 10,
           "sources": 400}
    assert pipeline.ratio_text(2.0, row)[0] == "~20.0x"
    assert pipeline.ratio_text(2.0, {"skipped": "networkx has no report"}) == ("n/a", None)
