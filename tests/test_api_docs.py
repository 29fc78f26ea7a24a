"""docs/api.md, the Python API reference: current, complete, and every documented name documented."""

from __future__ import annotations

import importlib.util
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import netcluster
from netcluster import metrics

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "make_api_docs.py"
PAGE = ROOT / "docs" / "api.md"
REGENERATE = "docs/api.md is stale: run python scripts/make_api_docs.py"


def _script():
    spec = importlib.util.spec_from_file_location("make_api_docs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _headings() -> set[str]:
    return {line.lstrip("#").strip().strip("`") for line in PAGE.read_text(encoding="utf-8").splitlines()
            if re.match(r"#{1,6} ", line)}


def test_api_reference_is_current(tmp_path):
    written = tmp_path / "api.md"
    run = subprocess.run([sys.executable, str(SCRIPT), "-o", str(written)], capture_output=True, text=True)
    assert run.returncode == 0, f"scripts/make_api_docs.py failed:\n{run.stderr}"
    assert PAGE.exists(), REGENERATE
    assert written.read_text(encoding="utf-8") == PAGE.read_text(encoding="utf-8"), REGENERATE


def test_every_public_name_has_a_heading():
    headings = _headings()
    missing = [name for name in netcluster.__all__ if name not in headings and f"netcluster.{name}" not in headings]
    assert not missing, f"no heading in docs/api.md for {missing}; {REGENERATE}"


def test_methods_and_helpers_the_docs_use_have_headings():
    headings = _headings()
    for name in ["CollaborationNetwork.select", "CollaborationNetwork.to_csr", "CollaborationNetwork.to_igraph",
                 "CollaborationNetwork.to_networkx", "CollaborationNetwork.pairs", "CollaborationNetwork.save",
                 "CollaborationNetwork.load", "home_set", "parse_home", "write_table", "export_graph",
                 *metrics.__all__]:
        assert name in headings, name


DOCUMENTED = list(_script().documented())


@pytest.mark.parametrize("name, obj", DOCUMENTED, ids=[name for name, _ in DOCUMENTED])
def test_documented_names_have_a_summary_and_functions_examples(name, obj):
    doc = inspect.getdoc(obj)
    assert doc and doc.strip(), f"{name} has no docstring"
    summary = doc.strip().splitlines()[0].strip()
    assert summary and not summary.endswith((":", ",")), f"{name}: the docstring's first line is not a summary"
    if inspect.isfunction(obj):
        assert re.search(r"^Examples\n-{8}$", doc, re.MULTILINE), f"{name} has no Examples section"
        assert ">>> " in doc.split("Examples\n--------", 1)[1], f"{name}: its Examples hold no doctest"


def test_documented_covers_all_public_functions_and_classes():
    documented = {obj for _, obj in DOCUMENTED}
    for name in netcluster.__all__:
        obj = getattr(netcluster, name)
        if inspect.isfunction(obj) or inspect.isclass(obj):
            assert obj in documented, name
