"""The report's evidence panel: "Do international ties go with innovation?".

The panel must show exactly what netcluster.estimate_tie_effects finds on the
same input, say "associated with" and never that ties cause anything, count
and explain what was dropped, and explain itself when there is no outcome.
"""

from __future__ import annotations

import html
import importlib.util
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from cli import main
from netcluster import InputError, analyze, derive_outcomes, estimate_tie_effects, read_outcomes
from netcluster.evidence import organisation_outcome
from netcluster.report import Report, render_report, write_report
from netcluster.sample_graphs import get_sample, load_sample

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "Do international ties go with innovation?"


@pytest.fixture(scope="module")
def ocean():
    return analyze(load_sample("ocean_cluster"))


def _section(page: str) -> str:
    start = page.index('<section aria-labelledby="h-evidence"')
    return page[start:page.index("</section>", start)]


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def _rows(page: str) -> dict[str, list[str]]:
    """Coefficient table of the panel: term -> [label, estimate, CI, p-value, marginal effect]."""
    body = re.search(r'<table id="nc-evidence-coefficients">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    rows = {}
    for term, cells in re.findall(r'<tr data-term="([^"]*)"[^>]*>(.*?)</tr>', body, re.S):
        rows[html.unescape(term)] = [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)]
    return rows


def _p(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _assert_panel_equals(page: str, fit) -> None:
    rows = _rows(page)
    assert list(rows) == list(fit.coefficients["term"])
    effects = fit.marginal_effects.set_index("term")["estimate"]
    for coefficient in fit.coefficients.to_dict("records"):
        label, estimate, ci, p_value, marginal = rows[coefficient["term"]]
        assert estimate == f"{coefficient['estimate']:.3g}"
        assert float(estimate) == pytest.approx(coefficient["estimate"], rel=5e-3)
        assert ci == f"{coefficient['ci_low']:.3g} to {coefficient['ci_high']:.3g}"
        assert p_value == _p(coefficient["p_value"])
        if coefficient["term"] in effects.index:
            assert float(marginal) == pytest.approx(effects[coefficient["term"]], rel=5e-3)
        else:
            assert marginal == ""
    text = _text(_section(page))
    ratio = fit.ratio
    assert (f"ratio {ratio['estimate']:.3g} (95 % CI {ratio['ci_low']:.3g} to {ratio['ci_high']:.3g}), "
            f"{ratio['method']}") in text
    assert f"N = {fit.counts['used']} used of {fit.counts['considered']} considered" in text
    assert f"{fit.counts['missing_outcome']} without a value of the outcome" in text
    assert f"{fit.counts['dropped_other']} with a control missing" in text
    for warning in fit.warnings:
        assert f"Warning: {warning}" in text
    assert fit.model in text


def _assert_honest(page: str) -> None:
    text = _text(_section(page))
    assert "associated with" in text
    assert re.search(r"\bcaus", text, re.I) is None, "the panel must not speak of causes"


def test_panel_on_the_sample_outcome_column_equals_the_estimate(ocean):
    page = render_report(ocean, outcome="new_product")
    assert QUESTION in page
    fit = estimate_tie_effects(ocean, outcome="new_product")
    _assert_panel_equals(page, fit)
    _assert_honest(page)
    text = _text(_section(page))
    assert "column 'new_product' of the organisations table" in text
    # the planted effect: international coefficient 3.2, four times the local one (the sample README)
    assert fit.model == "logit" and fit.counts["used"] == 298
    assert fit.ratio["ci_low"] < 4 < fit.ratio["ci_high"] and fit.ratio["ci_low"] > 1
    row = fit.coefficients.set_index("term").loc["international"]
    assert row["ci_low"] < 3.2 < row["ci_high"]
    assert f"{fit.ratio['estimate']:.3g}×" in text  # the headline card


def test_panel_from_an_outcomes_table_counts_what_it_drops(ocean):
    orgs = ocean.network.orgs
    surveyed = orgs.index[orgs["country"] == "NO"]  # a survey of the Norwegian organisations only
    table = organisation_outcome(ocean.network, "new_product").loc[surveyed]
    table.loc["XX-999"] = 1.0  # a row for an organisation the network does not have
    page = render_report(ocean, outcomes=table)
    fit = estimate_tie_effects(ocean, table, "new_product")
    assert fit.counts["missing_outcome"] == int((orgs["country"] != "NO").sum()) > 0
    assert fit.counts["not_in_network"] == 1
    _assert_panel_equals(page, fit)
    text = _text(_section(page))
    assert f"{fit.counts['missing_outcome']} organisations dropped: no value of 'new_product'" in text
    assert "1 outcome rows naming organisations not in the network" in text


def test_panel_from_a_file_and_from_the_cli_twins(ocean, tmp_path):
    survey = tmp_path / "survey.csv"
    table = organisation_outcome(ocean.network, "new_product")
    survey.write_text("org,innovated\n" + "".join(f"{org},{'yes' if v else 'no'}\n"
                                                  for org, v in table["new_product"].items()), encoding="utf-8")
    fit = estimate_tie_effects(ocean, read_outcomes(survey), "innovated")
    api = render_report(ocean, outcomes=survey, outcome="innovated")
    _assert_panel_equals(api, fit)
    assert f"column 'innovated' of the file {survey}" in _text(_section(api))
    sample = get_sample("ocean_cluster")
    files = [a for kind, path in sample.paths().items() for a in (f"--{kind}", str(path))]
    out = tmp_path / "cli.html"
    run = CliRunner().invoke(main, ["report", *files, "--outcomes", str(survey), "--outcome", "innovated",
                                    "-o", str(out)])
    assert run.exit_code == 0, run.output
    cli_page = out.read_text(encoding="utf-8")
    assert _rows(cli_page) == _rows(api)
    assert Report(ocean, outcomes=survey, outcome="innovated").html.count(QUESTION) == 1


def test_panel_with_derived_outcomes_equals_the_estimate(ocean, tmp_path):
    before, outcomes = derive_outcomes(ocean.network, until=2021)
    fit = estimate_tie_effects(analyze(before), outcomes, "events_after")
    page = render_report(ocean, until=2021)
    _assert_panel_equals(page, fit)
    _assert_honest(page)
    assert "before 2021 only" in _text(_section(page))
    out = tmp_path / "until.html"
    run = CliRunner().invoke(main, ["report", "--until", "2021", "--outcome", "any_after", "-o", str(out)])
    assert run.exit_code == 0, run.output
    any_fit = estimate_tie_effects(analyze(before), outcomes, "any_after")
    _assert_panel_equals(out.read_text(encoding="utf-8"), any_fit)


def test_demo_command_shows_the_panel_on_the_bundled_sample(tmp_path):
    demo = (ROOT / "scripts" / "demo.sh").read_text(encoding="utf-8")
    command = re.search(r"^\.venv/bin/netcluster (report .*)$", demo, re.M).group(1).split()
    out = tmp_path / "report.html"
    run = CliRunner().invoke(main, [*command[:-1], str(out)] if command[-2] == "-o" else command)
    assert run.exit_code == 0, run.output
    page = out.read_text(encoding="utf-8")
    assert QUESTION in page and "nc-evidence-absent" not in page
    fit = estimate_tie_effects(analyze(load_sample("ocean_cluster")), outcome="new_product")
    _assert_panel_equals(page, fit)


def test_without_an_outcome_the_panel_explains_how_to_get_one(tmp_path):
    result = analyze(load_sample("norway_h2020"))  # no outcome column
    page = render_report(result)
    section = _section(page)
    assert QUESTION in section and "nc-evidence-coefficients" not in section
    text = _text(section)
    assert text.startswith(QUESTION + " No outcome was given")
    assert "--outcome COLUMN" in text and "--until YEAR" in text
    # on record files, the CLI does not borrow the sample's outcome column
    sample = get_sample("ocean_cluster")
    files = [a for kind, path in sample.paths().items() for a in (f"--{kind}", str(path))]
    out = tmp_path / "files.html"
    assert CliRunner().invoke(main, ["report", *files, "-o", str(out)]).exit_code == 0
    assert "No outcome was given" in _text(_section(out.read_text(encoding="utf-8")))


def test_an_unusable_outcome_is_explained_and_a_wrong_one_is_an_error(ocean, tmp_path):
    constant = pd.DataFrame({"flat": np.ones(ocean.network.n_orgs)}, index=ocean.network.org_ids)
    text = _text(_section(render_report(ocean, outcomes=constant)))
    assert "The outcome 'flat'" in text and "fewer than two distinct values" in text
    with pytest.raises(InputError, match="no outcome column 'nope' in the organisations table"):
        render_report(ocean, outcome="nope")
    with pytest.raises(InputError, match="not both"):
        render_report(ocean, outcomes=constant, until=2021)
    run = CliRunner().invoke(main, ["report", "--outcome", "nope", "-o", str(tmp_path / "x.html")])
    assert run.exit_code != 0 and "Traceback" not in run.output
    assert "no outcome column 'nope'" in run.output and len(run.output.strip().splitlines()) == 1
    assert not (tmp_path / "x.html").exists()


def test_evidence_cli_reads_an_organisations_column(ocean):
    run = CliRunner().invoke(main, ["evidence", "--outcome", "new_product", "--format", "json"])
    assert run.exit_code == 0, run.output
    import json

    data = json.loads(run.output[run.output.index("{"):run.output.rindex("}") + 1])
    fit = estimate_tie_effects(ocean, outcome="new_product")
    assert data["ratio"]["estimate"] == pytest.approx(fit.ratio["estimate"])
    assert [c["term"] for c in data["coefficients"]] == list(fit.coefficients["term"])


def test_sample_outcome_is_planted_on_the_partners_netcluster_counts(ocean):
    spec = importlib.util.spec_from_file_location("gen", ROOT / "scripts" / "make_sample_ocean_cluster.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    rng = np.random.default_rng(gen.DEFAULT_SEED)
    orgs = gen.make_organisations(rng)
    partnerships, copatents = gen.make_partnerships(rng, orgs), gen.make_copatents(rng, orgs)
    memberships = gen.make_memberships(rng, orgs)
    counts = gen.scope_partner_counts(orgs, partnerships, copatents, memberships)
    nodes = ocean.nodes
    for scope in ("local", "national", "international"):
        assert [counts[o][scope] for o in nodes.index] == nodes[f"{scope}_degree"].tolist(), scope
    assert gen.OUTCOME_EFFECTS["international"] == 4 * gen.OUTCOME_EFFECTS["local"]
    drawn = gen.make_outcomes(rng, orgs, partnerships, copatents, memberships)
    column = load_sample("ocean_cluster").orgs["new_product"]
    assert {o: drawn[o] for o in column.index} == column.astype(str).to_dict()
    report = load_sample("ocean_cluster").load_report
    assert all(f["warnings"] == [] and f["rejected"] == 0 for f in report["files"])
