"""The HTML report as a file: self-contained, escaped, deterministic."""

from __future__ import annotations

import html
import json
import re

import pytest

from netcluster import analyze, write_report
from netcluster.report.view import build_view
from netcluster.sample_graphs import load_sample

from .hostile import HOSTILE_NAMES, hostile_network


@pytest.fixture(scope="module")
def ocean_html(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    write_report(analyze(load_sample("ocean_cluster"), seed=3), path)
    return path.read_text(encoding="utf-8")


def test_self_contained(ocean_html):
    assert re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", ocean_html) is None
    assert "http-equiv=\"Content-Security-Policy\"" in ocean_html
    csp = html.unescape(re.search(r'Content-Security-Policy" content="([^"]+)"', ocean_html).group(1))
    assert "default-src 'none'" in csp and "unsafe-eval" not in csp
    assert "script-src 'unsafe-inline'" not in csp
    assert len(re.findall(r"'sha256-", csp)) == 2
    assert "@import" not in ocean_html and "fonts.googleapis" not in ocean_html


def test_every_organisation_in_the_embedded_graph(ocean_html):
    data = json.loads(re.search(r'<script type="application/json" id="nc-graph">(.*?)</script>', ocean_html, re.S).group(1))
    net = load_sample("ocean_cluster")
    assert sorted(n["id"] for n in data["nodes"]) == list(range(net.n_orgs))
    assert data["options"]["physics"]["enabled"] is False
    assert data["options"]["edges"]["smooth"] is False
    assert {e["layer"] for e in data["edges"]} == {"partnership", "copatent", "membership"}


def test_same_seed_same_report_apart_from_timestamp(tmp_path):
    network = load_sample("ocean_cluster")
    a, b, c = tmp_path / "a.html", tmp_path / "b.html", tmp_path / "c.html"
    write_report(analyze(network, seed=5), a)
    write_report(analyze(network, seed=5), b)
    write_report(analyze(network, seed=6), c)
    strip = lambda p: re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "", p.read_text(encoding="utf-8"))  # noqa: E731
    assert strip(a) == strip(b)
    assert strip(a) != strip(c)


def test_hostile_names_are_escaped_in_the_file(tmp_path):
    path = write_report(analyze(hostile_network()), tmp_path / "r.html")
    page = path.read_text(encoding="utf-8")
    for name in HOSTILE_NAMES:
        if "<" in name:
            assert name not in page
    assert "<iframe" not in page and "<img" not in page and "<svg onload" not in page  # our own <svg> chart is fine
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page  # the top-gatekeepers table
    data = re.search(r'id="nc-graph">(.*?)</script>', page, re.S).group(1)
    assert "<" not in data and ">" not in data
    titles = {n["title"].split("\n")[0] for n in json.loads(data)["nodes"]}
    assert {name.strip() for name in HOSTILE_NAMES} <= titles  # the loader trims surrounding spaces


def test_view_headline_numbers_match_summary():
    result = analyze(load_sample("ocean_cluster"))
    view = build_view(result)
    summary = result.summary
    assert view["headline"][0]["figure"] == f"{summary['organisations']:,}"
    assert sum(s["pairs"] for s in view["scopes"]) == summary["partner_pairs"]
    top = view["top"]
    assert [r["international"] for r in top] == sorted((r["international"] for r in top), reverse=True)
    assert top[0]["international"] == int(result.nodes["international_degree"].max())


def test_edge_cap_keeps_the_strongest_and_says_so():
    result = analyze(load_sample("ocean_cluster"))
    full = build_view(result)
    capped = build_view(result, max_edges=100)
    assert full["notice"] == "" and len(capped["graph"]["edges"]) == 100
    assert "100 strongest of" in capped["notice"]
    assert len(capped["graph"]["nodes"]) == len(full["graph"]["nodes"])
    strongest = sorted((e["width"] for e in full["graph"]["edges"]), reverse=True)[:100]
    assert sorted((e["width"] for e in capped["graph"]["edges"]), reverse=True) == strongest


def test_analysis_result_and_report_display_in_jupyter():
    from netcluster.report import Report

    from .hostile import hostile_network

    result = analyze(hostile_network())
    summary = result._repr_html_()
    assert summary.startswith("<div><b>netcluster AnalysisResult</b>")
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in summary and "<script>" not in summary
    assert f"<th>organisations</th><td>{result.summary['organisations']:,}</td>" in summary
    frame = Report(result)._repr_html_()
    assert frame.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;') and 'sandbox="allow-scripts"' in frame
    assert "<script" not in frame  # the whole page is one escaped attribute value
