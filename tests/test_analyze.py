"""analyze(): the node, group and summary tables joined from the metric modules."""

from __future__ import annotations

import pandas as pd
import pytest

from netcluster import analyze
from netcluster.sample_graphs import load_sample


@pytest.fixture(scope="module")
def ocean():
    return analyze(load_sample("ocean_cluster"), home={"member": True})


def test_node_table_has_every_measure(ocean):
    columns = set(ocean.nodes.columns)
    for name in ("degree", "local_degree", "national_degree", "international_degree", "openness",
                 "partnership_degree", "copatent_degree", "membership_degree", "local_clustering",
                 "bridge_centrality", "bridge_centrality_se", "gf_coordinator", "gf_itinerant",
                 "gf_gatekeeper", "gf_liaison", "gf_total", "gf_gatekeeper_expected", "gf_gatekeeper_z",
                 "ei_index", "effective_size", "constraint", "gb_role", "gb_local_threshold"):
        assert name in columns, name
    assert ocean.nodes["home"].sum() == 118
    assert list(ocean.nodes.index) == list(load_sample("ocean_cluster").org_ids)


def test_planted_gatekeepers_lead_and_the_cluster_depends_on_them(ocean):
    top = ocean.nodes.sort_values("bridge_centrality", ascending=False).head(5).index
    assert set(top) == {"NO-003", "NO-033", "NO-143", "NO-144", "NO-174"}
    home = ocean.groups.loc["home"]
    assert home["organisations"] == 118 and home["gatekeeper_dependency"] > 0.9
    assert set(home["top_brokers"].split("; ")) <= set(ocean.nodes.loc[top, "name"])


def test_group_rows_and_summary(ocean):
    index = ocean.groups.index
    assert index[0] == "home" and "country:NO" in index and "locality:NO/Vestland" in index
    assert any(label.startswith("locality:") for label in index)
    summary = ocean.summary
    assert summary["components"] >= 1 and -1 <= summary["ei_index"] <= 1
    assert -1 <= summary["assortativity_country"] <= 1
    assert sum(summary["pairs_by_scope"].values()) == summary["partner_pairs"]
    assert sum(summary["scope_shares"].values()) == pytest.approx(1.0)
    assert summary["scope_shares"]["international"] == pytest.approx(428 / 2015)


def test_same_seed_same_tables():
    a = analyze(load_sample("ocean_cluster"), seed=3)
    b = analyze(load_sample("ocean_cluster"), seed=3)
    pd.testing.assert_frame_equal(a.nodes, b.nodes)
    pd.testing.assert_frame_equal(a.groups, b.groups)


def test_distance_locality_gives_no_locality_groups():
    result = analyze(load_sample("ocean_cluster"), locality="km:30", layers=["partnership"])
    assert not any(label.startswith("locality:") for label in result.groups.index)
    assert result.nodes["local_degree"].sum() > 0
    assert result.params["locality"] == "km:30" and result.params["layers"] == ["partnership"]


def test_thresholds_samples_top_share_and_outside_openness():
    network = load_sample("ocean_cluster")
    result = analyze(network, home={"member": True}, gb_thresholds=(20, 0.2), samples=40, exact=False,
                     top_share=0.2, seed=5)
    nodes = result.nodes
    assert (nodes["gb_local_threshold"].dropna() == 20).all()
    high = nodes["home"] & (nodes["local_degree"] >= 20) & (nodes["openness"] >= 0.2)
    assert (nodes.loc[high, "gb_role"] == "technological gatekeeper").all() and high.any()
    assert result.params["bridge_sources"] < 118 and (nodes["bridge_centrality_se"] > 0).any()
    assert result.params["top_share"] == 0.2
    # outside openness: partners outside the home set over all partners, members and others alike
    member = nodes.loc["NO-144"]
    adjacency = network.to_csr()
    row = adjacency[network.codes(["NO-144"])[0]]
    outside = sum(1 for j in row.indices if not nodes["home"].iloc[j])
    assert member["outside_openness"] == pytest.approx(outside / member["degree"])
    assert analyze(network).nodes["outside_openness"].isna().all()


def test_relabelling_organisations_changes_no_score():
    from netcluster import build_network
    from netcluster.sample_graphs import get_sample

    paths = get_sample("ocean_cluster").paths()
    frames = {kind: pd.read_csv(path, dtype=str, keep_default_na=False) for kind, path in paths.items()}
    shuffled = {kind: frame.sample(frac=1.0, random_state=11) for kind, frame in frames.items()}
    original = analyze(build_network(**frames), home={"member": True})
    relabelled = analyze(build_network(**shuffled), home={"member": True})
    assert list(original.nodes.index) != list(relabelled.nodes.index)
    pd.testing.assert_frame_equal(relabelled.nodes.loc[original.nodes.index], original.nodes,
                                  check_exact=False, rtol=1e-9, check_categorical=False)
    pd.testing.assert_frame_equal(relabelled.groups.loc[original.groups.index].drop(columns="top_brokers"),
                                  original.groups.drop(columns="top_brokers"), check_exact=False, rtol=1e-9)


def test_community_columns_join_the_node_table(ocean):
    nodes = ocean.nodes
    assert {"community", "participation", "within_module_z", "ga_role"} <= set(nodes.columns)
    assert nodes["community"].nunique() == ocean.summary["communities"] == len(ocean.communities.quality)
    assert ocean.summary["modularity"] == pytest.approx(ocean.communities.modularity)
    assert nodes["participation"].dropna().between(0, 1).all()
