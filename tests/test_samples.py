"""The bundled samples: present, documented, small, reproducible."""

from __future__ import annotations

import doctest
import importlib.util
from pathlib import Path

import pytest

import netcluster.sample_graphs as samples
from netcluster import InputError, OutputError

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("sample", samples.list_samples(), ids=lambda s: s.name)
def test_sample_files_and_readme(sample):
    readme = (sample.path / "README.md").read_text(encoding="utf-8")
    for word in ("Origin", "Licen"):
        assert word.lower() in readme.lower(), f"{sample.name} README lacks a {word} section"
    for path in sample.paths().values():
        header = path.read_text(encoding="utf-8").splitlines()[0]
        for column in header.split(","):
            described = f"`{column}`" in readme or f"| {column} |" in readme
            assert described, f"column {column} of {path.name} is not described"
    size = sum(p.stat().st_size for p in sample.path.iterdir())
    assert size < 1_000_000


def test_samples_load_with_every_row_used():
    for sample in samples.list_samples():
        net = samples.load_sample(sample.name)
        for f in net.load_report["files"]:
            assert f["rejected"] == 0, (sample.name, f)
        assert net.n_orgs > 250


def test_ocean_cluster_is_shaped_as_promised():
    net = samples.load_sample("ocean_cluster")
    orgs = net.orgs
    assert 250 <= net.n_orgs <= 350
    assert orgs.loc[orgs["country"] == "NO", "region"].nunique() == 6
    assert orgs["country"].nunique() >= 20
    assert set(orgs["kind"].dropna()) >= {"firm", "university", "research", "public"}
    assert set(net.layers) == {"partnership", "copatent", "membership"}
    years = net.ties["year"].dropna()
    assert years.max() - years.min() >= 9


def test_ocean_cluster_generator_reproduces_committed_files(tmp_path):
    spec = importlib.util.spec_from_file_location("gen", ROOT / "scripts" / "make_sample_ocean_cluster.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(tmp_path)
    committed = samples.get_sample("ocean_cluster").path
    for name in ("organisations.csv", "partnerships.csv", "copatents.csv", "memberships.csv", "README.md"):
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), name


def test_copy_sample(tmp_path):
    target = samples.copy_sample("norway_h2020", tmp_path)
    assert sorted(p.name for p in target.iterdir()) == ["README.md", "organisations.csv", "participations.csv"]
    with pytest.raises(OutputError, match="exists already"):
        samples.copy_sample("norway_h2020", tmp_path)
    with pytest.raises(InputError, match="ocean_cluster, norway_h2020"):
        samples.get_sample("nope")


def test_module_examples():
    assert doctest.testmod(samples).failed == 0
