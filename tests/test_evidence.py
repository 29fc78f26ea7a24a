"""estimate_tie_effects, derive_outcomes, read_outcomes and `netcluster evidence` (issue 12, items 2-6).

Validation on synthetic data: a planted international effect four times the local one is
recovered inside the ratio's confidence interval, and with nothing planted the test rejects
at about its nominal 5 % rate.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import netcluster
from netcluster import AnalysisResult, CollaborationNetwork, InputError
from netcluster.cli import main
from netcluster.evidence import derive_outcomes, estimate_tie_effects, read_outcomes
from netcluster.sample_graphs import load_sample


def synthetic(n: int, seed: int, beta: tuple[float, float, float], kind: str = "logit",
              intercept: float = -1.0) -> tuple[AnalysisResult, pd.DataFrame]:
    """A fake analysis (node table only) and outcomes with planted effects per log(1 + partners)."""
    rng = np.random.default_rng(seed)
    ids = pd.Index([f"o{i}" for i in range(n)], name="org_id")
    local = rng.poisson(3.0, n)
    national = rng.poisson(1.5, n)
    international = rng.poisson(1.0, n)
    prior = rng.poisson(4.0, n)
    kinds = rng.choice(["firm", "university", "research"], n, p=[0.7, 0.2, 0.1])
    eta = (intercept + beta[0] * np.log1p(local) + beta[1] * np.log1p(national)
           + beta[2] * np.log1p(international) + 0.2 * np.log1p(prior))
    if kind == "logit":
        y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    elif kind == "poisson":
        y = rng.poisson(np.exp(eta)).astype(float)
    else:
        y = eta + rng.normal(0, 1, n)
    nodes = pd.DataFrame({"country": "NO", "region": rng.choice(["A", "B", "C", "D"], n), "kind": kinds,
                          "sector": "x", "home": True, "local_degree": local, "national_degree": national,
                          "international_degree": international}, index=ids)
    net = CollaborationNetwork(nodes[["country", "region", "kind"]])
    result = AnalysisResult(network=net, nodes=nodes, summary={}, params={"locality": "region"})
    outcomes = pd.DataFrame({"y": y, "prior_events": prior}, index=ids)
    return result, outcomes


# -- validation ---------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(5))
def test_planted_ratio_of_four_is_recovered_inside_the_interval(seed):
    result, outcomes = synthetic(5000, seed, (0.4, 0.1, 1.6))
    fit = estimate_tie_effects(result, outcomes, "y")
    assert fit.model == "logit"
    ratio = fit.ratio
    assert ratio["ci_low"] <= 4.0 <= ratio["ci_high"], ratio
    assert ratio["ci_low"] > 1.0  # and the design has the power to tell international from local
    assert "delta method" in ratio["method"]


def test_planted_ratio_with_a_bootstrap_interval():
    result, outcomes = synthetic(3000, 11, (0.25, 0.1, 1.0), kind="poisson")
    fit = estimate_tie_effects(result, outcomes, "y", bootstrap=60, seed=3)
    assert fit.model == "poisson"
    assert fit.ratio["ci_low"] <= 4.0 <= fit.ratio["ci_high"]
    assert "bootstrap" in fit.ratio["method"]
    again = estimate_tie_effects(result, outcomes, "y", bootstrap=60, seed=3)
    assert again.ratio == fit.ratio  # seeded


def test_no_planted_effect_rejects_at_the_nominal_rate():
    simulations = 200
    rejections = 0
    for seed in range(simulations):
        result, outcomes = synthetic(300, 1000 + seed, (0.3, 0.0, 0.0))
        fit = estimate_tie_effects(result, outcomes, "y", controls=("prior_activity",))
        p = fit.coefficients.set_index("term").loc["international", "p_value"]
        rejections += p < 0.05
    rate = rejections / simulations
    tolerance = 3 * np.sqrt(0.05 * 0.95 / simulations)  # three binomial standard deviations
    assert abs(rate - 0.05) <= tolerance, rate


# -- models -------------------------------------------------------------------------------------
def test_model_follows_the_outcome():
    result, outcomes = synthetic(600, 1, (0.2, 0.1, 0.5))
    assert estimate_tie_effects(result, outcomes, "y").model == "logit"
    result, outcomes = synthetic(600, 1, (0.2, 0.1, 0.5), kind="poisson")
    assert estimate_tie_effects(result, outcomes, "y").model == "poisson"
    over = outcomes.assign(y=outcomes["y"] * np.random.default_rng(0).poisson(3, len(outcomes)))
    assert estimate_tie_effects(result, over, "y").model == "negbin"
    result, outcomes = synthetic(600, 1, (0.2, 0.1, 0.5), kind="ols")
    fit = estimate_tie_effects(result, outcomes, "y")
    assert fit.model == "ols"
    # OLS marginal effects are the coefficients
    coefs = fit.coefficients.set_index("term")
    assert fit.marginal_effects.set_index("term").loc["local", "estimate"] == coefs.loc["local", "estimate"]
    assert estimate_tie_effects(result, outcomes.assign(y=(outcomes["y"] > 0) * 1.0), "y",
                                model="probit").model == "probit"


def test_coefficient_table_and_marginal_effects_columns():
    result, outcomes = synthetic(500, 2, (0.2, 0.1, 0.5))
    fit = estimate_tie_effects(result, outcomes, "y", controls=("prior_activity", "kind", "locality"),
                               cluster_by="locality")
    assert list(fit.coefficients.columns) == ["term", "estimate", "std_error", "ci_low", "ci_high", "p_value"]
    assert {"local", "national", "international", "prior_activity", "kind=research"} <= set(fit.coefficients["term"])
    assert any(t.startswith("region=") for t in fit.coefficients["term"])
    assert "const" not in set(fit.marginal_effects["term"])
    assert fit.counts == {"considered": 500, "used": 500, "missing_outcome": 0, "dropped_other": 0,
                          "not_in_network": 0}


def test_by_kind_splits_partners_into_science_and_other(toy_network):
    result = netcluster.analyze(toy_network)
    table = pd.DataFrame({"y": [1.0, 0.0, 1.0, 0.0]}, index=["a", "b", "c", "d"])
    with pytest.raises(InputError):  # too few organisations for the terms
        estimate_tie_effects(result, table, "y", by_kind=True)
    from netcluster.evidence import _kind_scope_degrees
    counts = _kind_scope_degrees(result, "region")
    assert (counts.sum(axis=1) == result.nodes[["local_degree", "national_degree", "international_degree"]]
            .sum(axis=1)).all()


# -- warnings -----------------------------------------------------------------------------------
def test_missing_outcomes_and_unknown_ids_are_counted():
    result, outcomes = synthetic(400, 3, (0.2, 0.1, 0.5))
    outcomes = outcomes.copy()
    outcomes.iloc[:30, 0] = np.nan
    outcomes = pd.concat([outcomes, pd.DataFrame({"y": [1.0], "prior_events": [1.0]}, index=["ghost"])])
    fit = estimate_tie_effects(result, outcomes, "y")
    assert fit.counts["missing_outcome"] == 30 and fit.counts["used"] == 370
    assert fit.counts["not_in_network"] == 1
    assert any("30 organisations dropped" in w for w in fit.warnings)


def test_small_sample_warning():
    result, outcomes = synthetic(40, 4, (0.2, 0.1, 0.5), kind="ols")
    fit = estimate_tie_effects(result, outcomes, "y", controls=())
    assert any("small sample" in w for w in fit.warnings)


def test_separation_warning():
    result, outcomes = synthetic(300, 5, (0.2, 0.1, 0.5))
    separated = outcomes.assign(y=(result.nodes["international_degree"] > 0).astype(float))
    fit = estimate_tie_effects(result, separated, "y", controls=())
    assert any("separation" in w for w in fit.warnings)


def test_collinear_predictors_are_dropped_with_a_warning():
    result, outcomes = synthetic(300, 6, (0.2, 0.1, 0.5), kind="ols")
    outcomes = outcomes.assign(twice=2 * np.log1p(result.nodes["local_degree"]))
    fit = estimate_tie_effects(result, outcomes, "y", controls=("twice",), transform="log1p")
    assert any("collinear" in w and "twice" in w for w in fit.warnings)
    assert "twice" not in set(fit.coefficients["term"])


def test_an_outcome_with_one_value_is_refused():
    result, outcomes = synthetic(100, 7, (0.2, 0.1, 0.5))
    with pytest.raises(InputError, match="fewer than two distinct values"):
        estimate_tie_effects(result, outcomes.assign(y=1.0), "y")
    with pytest.raises(InputError, match="no outcome column"):
        estimate_tie_effects(result, outcomes, "nope")
    with pytest.raises(InputError, match="unknown model"):
        estimate_tie_effects(result, outcomes, "y", model="tobit")


# -- outcomes files -----------------------------------------------------------------------------
def test_read_outcomes_errors_name_the_line(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("org,new_product\na,1\nb,yes\na,0\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"o\.csv:4.*given twice"):
        read_outcomes(path)
    path.write_text("org,new_product\na,1\nb,maybe\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"o\.csv:3.*'maybe'.*not a number"):
        read_outcomes(path)
    path.write_text("org,revenue,new\na,1.5,\nb,2e3,no\n", encoding="utf-8")
    table = read_outcomes(path)
    assert table.loc["b", "revenue"] == 2000.0 and np.isnan(table.loc["a", "new"]) and table.loc["b", "new"] == 0


# -- derived outcomes: no leak ------------------------------------------------------------------
def test_derived_outcomes_do_not_leak_the_future():
    net = load_sample("ocean_cluster")
    before, outcomes = derive_outcomes(net, until=2021)
    assert before.ties["year"].max() < 2021 and before.events["year"].max() < 2021
    # change everything from 2021 on: the predictors and the prior activity must not move
    future = net.ties["year"] >= 2021
    shuffled_ties = net.ties.copy()
    rng = np.random.default_rng(0)
    shuffled_ties.loc[future, "target"] = rng.permutation(shuffled_ties.loc[future, "target"].to_numpy())
    shuffled_ties = shuffled_ties[shuffled_ties["source"] != shuffled_ties["target"]]
    other = CollaborationNetwork(net.orgs, shuffled_ties.reset_index(drop=True), net.events)
    before2, outcomes2 = derive_outcomes(other, until=2021)
    a = netcluster.analyze(before, home={"member": True})
    b = netcluster.analyze(before2, home={"member": True})
    columns = ["local_degree", "national_degree", "international_degree"]
    pd.testing.assert_frame_equal(a.nodes[columns], b.nodes[columns])
    pd.testing.assert_series_equal(outcomes["prior_events"], outcomes2["prior_events"])
    # while the outcome itself is built only from 2021 on
    events = net.events[net.events["year"] >= 2021].drop_duplicates(["org", "event"])
    ties = net.ties[(net.ties["year"] >= 2021) & (net.ties["layer"] == "partnership")]
    expected = (np.bincount(events["org"], minlength=net.n_orgs) + np.bincount(ties["source"], minlength=net.n_orgs)
                + np.bincount(ties["target"], minlength=net.n_orgs))
    codes = net.codes(outcomes.index)
    assert (outcomes["events_after"].to_numpy() == expected[codes]).all()


def test_derive_outcomes_refuses_a_year_outside_the_records():
    net = load_sample("ocean_cluster")
    with pytest.raises(InputError, match="before 2010"):
        derive_outcomes(net, until=2010)
    with pytest.raises(InputError, match="2030 or later"):
        derive_outcomes(net, until=2030)


# -- command line -------------------------------------------------------------------------------
@pytest.fixture
def runner():
    return CliRunner()


def test_cli_json_contract_with_derived_outcomes(runner):
    result = runner.invoke(main, ["evidence", "--home", "member", "--until", "2021", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data["coefficients"], list)
    for row in data["coefficients"]:
        assert {"term", "estimate", "ci_low", "ci_high", "p_value"} <= set(row)
    assert {"estimate", "ci_low", "ci_high"} <= set(data["ratio"])
    assert data["outcome"] == "events_after"
    net = load_sample("ocean_cluster")
    before, outcomes = derive_outcomes(net, until=2021)
    fit = estimate_tie_effects(netcluster.analyze(before, home={"member": True}), outcomes, "events_after")
    assert data["ratio"]["estimate"] == pytest.approx(fit.ratio["estimate"])
    assert "associated" in result.stderr


def test_cli_outcomes_file_table_and_csv(runner, tmp_path):
    orgs = load_sample("ocean_cluster").orgs
    rng = np.random.default_rng(1)
    members = orgs.index[orgs["member"].fillna(False).astype(bool)]
    table = pd.DataFrame({"org": list(members) + ["XX-999"], "new_product": rng.integers(0, 2, len(members) + 1)})
    path = tmp_path / "survey.csv"
    table.to_csv(path, index=False)
    result = runner.invoke(main, ["evidence", "--home", "member", "--outcomes", str(path),
                                  "--outcome", "new_product", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "term,estimate,std_error,ci_low,ci_high,p_value"
    assert "not in the network" in result.stderr
    result = runner.invoke(main, ["evidence", "--home", "member", "--outcomes", str(path)])
    assert result.exit_code == 0, result.output
    assert "International / local effect" in result.stdout


def test_cli_bad_input_is_a_one_line_error(runner, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("org,new_product\nNO-001,1\nNO-002,perhaps\n", encoding="utf-8")
    result = runner.invoke(main, ["evidence", "--home", "member", "--outcomes", str(path)])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "survey.csv:3" in lines[0] and "not a number" in lines[0]
    path.write_text("org,new_product\nNO-001,1\nNO-001,0\n", encoding="utf-8")
    result = runner.invoke(main, ["evidence", "--home", "member", "--outcomes", str(path)])
    assert result.exit_code == 1 and "survey.csv:3" in result.stderr and "twice" in result.stderr
    result = runner.invoke(main, ["evidence", "--home", "member"])
    assert result.exit_code == 2  # neither --outcomes nor --until
    result = runner.invoke(main, ["evidence", "--home", "member", "--until", "2030"])
    assert result.exit_code == 1 and "2030 or later" in result.stderr
