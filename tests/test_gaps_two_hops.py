"""Single points of failure within two steps: the array version against the one-by-one search."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from netcluster import analyze, gaps
from netcluster.gaps import find_gaps
from netcluster.sample_graphs import load_sample


def _random_case(seed: int):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 60))
    p = float(rng.uniform(0.01, 0.3))
    graph = nx.gnp_random_graph(n, p, seed=seed)
    if seed % 3 == 0:  # a hub, as in collaboration data
        graph.add_edges_from((0, v) for v in range(1, n) if rng.random() < 0.6)
    adjacency = sp.csr_matrix(nx.to_scipy_sparse_array(graph, nodelist=range(n), dtype=np.float64) != 0)
    adjacency.sort_indices()
    country = rng.integers(-1, int(rng.integers(1, 5)), n)  # -1: unknown country
    members = np.flatnonzero((country >= 0) & (rng.random(n) < rng.uniform(0.3, 1.0)))
    row = np.repeat(np.arange(n), np.diff(adjacency.indptr))
    col = adjacency.indices
    foreign = (country[col] >= 0) & (country[col] != country[row])
    foreign_degree = np.bincount(row[foreign], minlength=n).astype(np.int64)
    if seed % 4 == 1:  # ties of weight 0 count as foreign partners but are not in the adjacency
        foreign_degree = foreign_degree + (rng.random(n) < 0.2)
    return adjacency, country.astype(np.int64), members, foreign_degree


@pytest.mark.parametrize("seed", range(300))
def test_same_as_the_search_on_random_graphs(seed):
    adjacency, country, members, foreign_degree = _random_case(seed)
    fast = gaps._cut_two_hops(adjacency, country, members, foreign_degree)
    slow = gaps._cut_by_search(adjacency, country, members, foreign_degree, 2)
    assert fast[0] == slow[0]
    assert list(fast[1].items()) == list(slow[1].items())  # same brokers, members and order


@pytest.mark.parametrize("name, home", [("ocean_cluster", {"member": True}), ("ocean_cluster", None),
                                        ("norway_h2020", {"country": "NO"})])
def test_same_findings_on_the_samples(monkeypatch, name, home):
    result = analyze(load_sample(name), home=home)
    fast = find_gaps(result)
    monkeypatch.setattr(gaps, "_cut_two_hops",
                        lambda *args: gaps._cut_by_search(*args, 2))
    slow = find_gaps(result)
    assert (fast["kind"] == "single_point_of_failure").any()
    pd.testing.assert_frame_equal(fast, slow)
