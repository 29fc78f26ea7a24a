"""netcluster.trends, trend_sentences and `netcluster trends`: values per window, wording, CLI twin."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from netcluster import CollaborationNetwork, InputError, trend_sentences, trends
from netcluster.cli import main
from netcluster.sample_graphs import load_sample
from netcluster.trends import TREND_MEASURES


@pytest.fixture
def dated():
    """a, b in Oslo and c in Vestland (Norway); d Danish, e Swedish, f of unknown country.

    2018: a-b (local), a-d (international)
    2019: a-c (national), b-e (international)
    2020: a-d again (not new), c-e (international), a-f (unknown)
    2021: b-d (international)
    """
    orgs = pd.DataFrame({"name": list("ABCDEF"), "country": ["NO", "NO", "NO", "DK", "SE", None],
                         "region": ["Oslo", "Oslo", "Vestland", "Syddanmark", "Skåne", None]},
                        index=pd.Index(list("abcdef"), name="org_id"))
    pairs = [(0, 1, 2018), (0, 3, 2018), (0, 2, 2019), (1, 4, 2019), (0, 3, 2020), (2, 4, 2020), (0, 5, 2020),
             (1, 3, 2021)]
    ties = pd.DataFrame({"source": [p[0] for p in pairs], "target": [p[1] for p in pairs],
                         "layer": "partnership", "weight": 1.0, "year": [p[2] for p in pairs]})
    return CollaborationNetwork(orgs, ties)


def _rows(table, group):
    return table[table["group"] == group].reset_index(drop=True)


def test_known_values_per_rolling_window(dated):
    table = trends(dated, window=2, home={"country": "NO"})
    home = _rows(table, "home")
    assert home[["first_year", "last_year"]].values.tolist() == [[2018, 2019], [2019, 2020], [2020, 2021]]
    assert home["organisations_active"].tolist() == [3, 3, 3]
    assert home[["local_pairs", "national_pairs", "international_pairs", "unknown_pairs"]].values.tolist() == [
        [1, 1, 2, 0], [0, 1, 3, 1], [0, 0, 3, 1]]
    assert home["international_pair_share"].tolist() == pytest.approx([0.5, 0.75, 1.0])
    assert home["density"].tolist() == pytest.approx([2 / 3, 1 / 3, 0.0])
    assert home["share_international"].tolist() == pytest.approx([2 / 3, 1.0, 1.0])
    assert home["ei_index"].iloc[0] == pytest.approx((2 - 4) / (2 + 4))  # E = a-d, b-e; I = a-b, a-c
    assert home["intl_gini"].iloc[0] == pytest.approx(1 / 3)  # x = (1, 1, 0)
    # a-d (2018) is new in 2018-2019 only; b-e new from 2019; c-e from 2020; b-d from 2021
    assert home["new_international_partners"].tolist() == [2, 2, 2]
    assert list(table.columns) == ["first_year", "last_year", "group", *TREND_MEASURES]


def test_new_partners_look_back_before_the_window(dated):
    table = trends(dated, window=1, home={"country": "NO"})
    home = _rows(table, "home").set_index("first_year")
    # 2020: a-d was already a tie in 2018, c-e is new; 2021: b-d is new
    assert home["new_international_partners"].to_dict() == {2018: 1, 2019: 1, 2020: 1, 2021: 1}
    assert home.loc[2020, "international_pairs"] == 2


def test_localities_of_the_home_country(dated):
    table = trends(dated, window=2, home={"country": "NO"})
    assert table.attrs["trends"]["groups"] == ["home", "locality:NO/Oslo", "locality:NO/Vestland"]
    oslo = _rows(table, "locality:NO/Oslo")
    assert oslo["organisations_active"].tolist() == [2, 2, 2]
    assert oslo[["local_pairs", "national_pairs", "international_pairs"]].values.tolist() == [
        [1, 1, 2], [0, 1, 2], [0, 0, 2]]
    assert oslo["density"].iloc[0] == pytest.approx(1.0)
    vestland = _rows(table, "locality:NO/Vestland")
    assert vestland["organisations_active"].tolist() == [1, 1, 1]
    assert vestland["share_international"].tolist() == pytest.approx([0.0, 1.0, 1.0])
    assert math.isnan(vestland["density"].iloc[0])  # one member


def test_whole_network_without_home(dated):
    table = trends(dated, window=2)
    every = _rows(table, "all")
    assert every["organisations_active"].tolist() == [5, 6, 6]
    assert every[["local_pairs", "national_pairs", "international_pairs", "unknown_pairs"]].values.tolist() == [
        [1, 1, 2, 0], [0, 1, 3, 1], [0, 0, 3, 1]]
    # a pair between two organisations of different known countries counts once for each
    assert every["new_international_partners"].tolist() == [4, 4, 4]
    assert "locality:DK/Syddanmark" in set(table["group"])


def test_rolling_versus_fixed_windows(dated):
    rolling = trends(dated, window=2, step=2, home={"country": "NO"})
    fixed = trends(dated, window=2, step=1, mode="fixed", home={"country": "NO"})
    pd.testing.assert_frame_equal(rolling, fixed)
    assert fixed.attrs["trends"]["mode"] == "fixed" and fixed.attrs["trends"]["step"] == 2
    three = trends(dated, window=3, mode="fixed", home={"country": "NO"})
    assert _rows(three, "home")[["first_year", "last_year"]].values.tolist() == [[2018, 2020]]
    assert three.attrs["trends"]["left_out_years"] == [2021]
    assert _rows(three, "home")["international_pairs"].tolist() == [3]  # a-d, b-e, c-e
    rolling3 = trends(dated, window=3, home={"country": "NO"})
    assert _rows(rolling3, "home")["first_year"].tolist() == [2018, 2019]
    limited = trends(dated, window=1, years=(2019, 2020), home={"country": "NO"})
    assert _rows(limited, "home")["first_year"].tolist() == [2019, 2020]


@pytest.mark.parametrize("kwargs, message", [
    ({"window": 0}, "window must be a whole number of years ≥ 1"),
    ({"window": 2.5}, "window must be a whole number of years ≥ 1"),
    ({"step": 0}, "step must be a whole number of years ≥ 1"),
    ({"window": 5}, "a window of 5 years is longer than the 4 years of data (2018-2021)"),
    ({"mode": "sliding"}, "mode must be rolling or fixed"),
    ({"years": (2010, 2019)}, "years 2010-2019 fall outside the data's years 2018-2021"),
])
def test_bad_input_one_line_errors(dated, kwargs, message):
    with pytest.raises(InputError) as caught:
        trends(dated, **kwargs)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_no_dated_ties():
    orgs = pd.DataFrame({"country": ["NO", "DK"]}, index=pd.Index(["a", "b"], name="org_id"))
    ties = pd.DataFrame({"source": [0], "target": [1], "layer": "partnership", "weight": 1.0, "year": [None]})
    with pytest.raises(InputError, match="no dated ties"):
        trends(CollaborationNetwork(orgs, ties))


def _table(measure, values, years=(2015, 2020)):
    return pd.DataFrame({"first_year": list(years), "last_year": list(years), "group": "home", measure: values})


def test_sentences_rose_fell_same():
    rose = trend_sentences(_table("share_international", [0.31, 0.44]), ["share_international"]).iloc[0]
    assert rose["sentence"] == ("The share of members with a foreign partner rose from 31 % to 44 % "
                                "between 2015 and 2020.")
    assert rose["direction"] == "rose"
    fell = trend_sentences(_table("organisations_active", [1500, 1234]), ["organisations_active"]).iloc[0]
    assert fell["sentence"] == "The number of active organisations fell from 1,500 to 1,234 between 2015 and 2020."
    same = trend_sentences(_table("share_international", [0.31, 0.32]), ["share_international"]).iloc[0]
    assert same["direction"] == "same"
    assert same["sentence"] == ("The share of members with a foreign partner stayed about the same between "
                                "2015 and 2020 (31 %, then 32 %).")
    ei = trend_sentences(_table("ei_index", [-0.5, -0.25]), ["ei_index"]).iloc[0]
    assert ei["sentence"] == "The E-I index (openness, -1 to 1) rose from -0.50 to -0.25 between 2015 and 2020."
    density = trend_sentences(_table("density", [0.0421, 0.0430]), ["density"]).iloc[0]
    assert density["direction"] == "same"  # under 5 % apart
    counts = trend_sentences(_table("new_international_partners", [100, 104]), ["new_international_partners"])
    assert counts["direction"].iloc[0] == "same"


def test_sentences_over_windows_and_missing_values(dated):
    table = trends(dated, window=2, home={"country": "NO"})
    sentences = trend_sentences(table)
    home = sentences[sentences["group"] == "home"].set_index("measure")
    assert home.loc["share_international", "sentence"] == (
        "The share of members with a foreign partner rose from 67 % to 100 % between 2018-2019 and 2020-2021.")
    assert home.loc["density", "direction"] == "fell"
    assert home.loc["organisations_active", "direction"] == "same"
    vestland = sentences[sentences["group"] == "locality:NO/Vestland"].set_index("measure")
    assert vestland.loc["density", "direction"] == "n/a"
    assert "could not be compared" in vestland.loc["density", "sentence"]
    assert len(sentences) == table["group"].nunique() * 12
    with pytest.raises(InputError, match="unknown trend measure"):
        trend_sentences(table, ["nonsense"])


def test_cli_json_equals_the_library():
    runner = CliRunner()
    result = runner.invoke(main, ["trends", "--home", "member", "--window", "4", "--step", "2", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = pd.DataFrame(json.loads(result.stdout))
    expected = trends(load_sample("ocean_cluster"), window=4, step=2, home={"member": True})
    assert list(rows.columns) == list(expected.columns)
    assert rows["group"].tolist() == expected["group"].tolist()
    for column in expected.columns[3:]:
        np.testing.assert_allclose(rows[column].astype(float), expected[column].astype(float), equal_nan=True)
    assert "home: The share of members with a foreign partner" in result.stderr
    fixed = runner.invoke(main, ["trends", "--home", "member", "--window", "4", "--fixed", "--format", "json"])
    expected_fixed = trends(load_sample("ocean_cluster"), window=4, mode="fixed", home={"member": True})
    assert pd.DataFrame(json.loads(fixed.stdout))["first_year"].tolist() == expected_fixed["first_year"].tolist()


@pytest.mark.parametrize("args, message", [
    (["--window", "0"], "window must be a whole number of years ≥ 1"),
    (["--window", "30"], "a window of 30 years is longer than the 10 years of data (2015-2024)"),
    (["--step", "-1"], "step must be a whole number of years ≥ 1"),
    (["--first-year", "1990"], "years 1990-2024 fall outside the data's years 2015-2024"),
])
def test_cli_bad_input_exits_1_with_one_line(args, message):
    result = CliRunner().invoke(main, ["trends", *args])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("Error:")


# -- the report panel ----------------------------------------------------------------
def _dated_hostile():
    from .hostile import hostile_network

    network = hostile_network()
    years = [2017 + i % 4 for i in range(len(network.ties))]
    return CollaborationNetwork(network.orgs, network.ties.assign(year=years))


def test_report_has_a_trends_section_with_sentences(tmp_path):
    from netcluster import analyze, write_report

    result = analyze(load_sample("ocean_cluster"), home={"member": True})
    page = write_report(result, tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'id="h-trends"' in page
    expected = trends(load_sample("ocean_cluster"), home={"member": True})
    sentences = trend_sentences(expected).set_index(["group", "measure"])["sentence"]
    for measure in ("share_international", "international_pair_share", "density", "ei_index",
                    "gatekeeper_dependency", "new_international_partners"):
        assert f'<p class="note nc-trend-sentence">{sentences[("home", measure)]}</p>' in page
    assert page.count('class="nc-trend-chart"') == 6
    assert ("The share of members with a foreign partner rose from 7 % to 11 % between 2015-2017 and 2022-2024."
            in page)
    without = write_report(result, tmp_path / "n.html", trends=False).read_text(encoding="utf-8")
    assert 'id="h-trends"' not in without and "nc-trend-chart" not in without
    assert page.count("<script") == without.count("<script")  # no new script
    given = trends(load_sample("ocean_cluster"), home={"member": True}, window=5, mode="fixed")
    fixed = write_report(result, tmp_path / "f.html", trends=given).read_text(encoding="utf-8")
    assert "over 2 fixed windows of 5 years" in fixed and "2015-2019" in fixed and "2020-2024" in fixed


def test_report_without_enough_years_has_no_trends(tmp_path):
    from netcluster import analyze, write_report

    result = analyze(load_sample("norway_h2020"), home={"country": "NO"})  # 2015-2016 only
    page = write_report(result, tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'id="h-trends"' not in page


def test_report_trends_escape_hostile_names(tmp_path):
    from netcluster import analyze, write_report

    from .hostile import HOSTILE_NAMES

    network = _dated_hostile()
    result = analyze(network, home=[network.org_ids[0], network.org_ids[1]])
    page = write_report(result, tmp_path / "h.html").read_text(encoding="utf-8")
    assert 'id="h-trends"' in page and page.count('class="nc-trend-chart"') == 6
    for name in HOSTILE_NAMES:
        if "<" in name:
            assert name not in page
    section = page[page.index('id="h-trends"'):page.index('aria-labelledby="h-gatekeepers"')]
    assert "onload" not in section and "onclick" not in section and "<script" not in section
    assert "between 2017-2019 and 2018-2020" in section
