"""benchmarks/generate.py: same bytes for the same seed, and records the loader takes whole."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

import netcluster
from netcluster.geography import country_codes

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def generate():
    spec = importlib.util.spec_from_file_location("benchmark_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_same_seed_same_bytes(generate, tmp_path, fmt):
    for name in ("a", "b"):
        assert generate.main(["XS", str(tmp_path / name), "--seed", "7", "--format", fmt]) == 0
    assert generate.main(["XS", str(tmp_path / "c"), "--seed", "8", "--format", fmt]) == 0
    for stem in ("participations", "organisations"):
        a, b, c = ((tmp_path / d / f"{stem}.{fmt}").read_bytes() for d in "abc")
        assert a == b
        assert a != c


def test_build_network_loads_everything(generate, tmp_path):
    generate.main(["XS", str(tmp_path), "--seed", "3"])
    network = netcluster.build_network(
        partnerships=tmp_path / "participations.parquet", organisations=tmp_path / "organisations.parquet"
    )
    files = {f["kind"]: f for f in network.load_report["files"]}
    assert files["partnerships"]["rejected"] == 0 and files["partnerships"]["duplicates"] == 0
    assert files["organisations"]["rejected"] == 0
    assert files["organisations"]["loaded"] == generate.SIZES["XS"]
    assert network.n_orgs == generate.SIZES["XS"]
    assert network.load_report["unknown_countries"] == {}
    assert network.orgs["country"].notna().all() and network.orgs["region"].notna().all()
    regions = network.orgs["region"].astype(str)
    assert (regions.str[:2] == network.orgs["country"].astype(str)).all()
    upper = sp.triu(network.to_csr(), k=1).tocoo()
    assert upper.nnz > generate.SIZES["XS"]
    country = country_codes(network.orgs)
    international = np.mean(country[upper.row] != country[upper.col])
    assert 0.2 < international < 0.7
    stats = generate.projected_stats(*generate.generate(generate.SIZES["XS"], 3))
    assert stats["pairs"] == upper.nnz
    assert stats["international_share"] == pytest.approx(international)
