"""The report in a real browser: offline, complete, interactive, and inert against hostile names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from netcluster import analyze, suggest_partners, write_report
from netcluster.report import Report
from netcluster.sample_graphs import load_sample

from .hostile import HOSTILE_COUNTRY, hostile_network

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ocean():
    return analyze(load_sample("ocean_cluster"), home={"member": True})


def _open(browser, path):
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    attempted, errors, dialogs, violations = [], [], [], []
    page.on("request", lambda request: attempted.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
               else route.abort())
    page.goto(path.resolve().as_uri())
    page.wait_for_function("window.netcluster && window.netcluster.drawn", timeout=60_000)
    return page, attempted, errors, dialogs, violations


def _dom_position(page, node_id):
    """Where node ``node_id`` is in the viewport, in CSS pixels (the drawing scrolled into view)."""
    page.locator("#nc-network").scroll_into_view_if_needed()
    point = page.evaluate(
        f"(() => {{ const n = window.netcluster.network; const p = n.getPositions([{node_id}])[{node_id}];"
        " return n.canvasToDOM(p); })()")
    box = page.locator("#nc-network").bounding_box()
    return box["x"] + point["x"], box["y"] + point["y"]


def _layer_edges(result):
    ties = result.network.ties
    return ties.groupby(["layer", "source", "target"], observed=True).size().groupby(level="layer",
                                                                                   observed=True).size()


def _artefacts() -> Path:
    folder = Path(os.environ.get("NETCLUSTER_ARTEFACTS", ROOT / "test-artefacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_report_offline_complete_and_switchable(browser, tmp_path, ocean):
    path = write_report(ocean, tmp_path / "report.html")
    page, attempted, errors, dialogs, violations = _open(browser, path)
    assert attempted == [path.resolve().as_uri()]  # the page itself, nothing else
    assert errors == [] and dialogs == [] and violations == []
    n = ocean.network.n_orgs
    assert sorted(page.evaluate("Object.keys(window.netcluster.network.getPositions()).map(Number)")) == list(range(n))
    per_layer = _layer_edges(ocean)
    assert page.evaluate("window.netcluster.visibleEdges.length") == int(per_layer.sum())
    # switching a layer off hides exactly its edges
    page.locator("input[data-layer='membership']").uncheck()
    assert page.evaluate("window.netcluster.visibleEdges.length") == int(per_layer.sum() - per_layer["membership"])
    page.locator("input[data-layer='membership']").check()
    assert page.evaluate("window.netcluster.visibleEdges.length") == int(per_layer.sum())
    # every colour scheme paints the nodes and shows its own legend only
    graph = page.evaluate("JSON.parse(document.getElementById('nc-graph').textContent)")
    assert set(graph["colours"]) == {"country", "community", "locality", "kind", "role"}
    for key, colours in graph["colours"].items():
        page.locator(f"input[name='nc-colour'][value='{key}']").check()
        assert page.evaluate("window.netcluster.nodes.get().map(n => n.color.background)") == colours
        assert page.locator(f"[data-legend='{key}']").is_visible()
        assert page.locator("[data-legend]:visible").count() == 1
    # role colours: the technological gatekeepers are red
    page.locator("input[name='nc-colour'][value='role']").check()
    gatekeeper = int((ocean.nodes["gb_role"] == "technological gatekeeper").to_numpy().argmax())
    assert page.evaluate(f"window.netcluster.nodes.get({gatekeeper}).color.background") == "#d62728"
    # sizes switch
    for key, sizes in graph["sizes"].items():
        page.locator(f"input[name='nc-size'][value='{key}']").check()
        assert page.evaluate("window.netcluster.nodes.get().map(n => n.size)") == sizes
    # members are ringed, and the ring can be switched off
    members = ocean.nodes["home"].to_numpy()
    widths = page.evaluate("window.netcluster.nodes.get().map(n => n.borderWidth)")
    assert widths == [3 if m else 1 for m in members]
    page.locator("#nc-highlight").uncheck()
    assert set(page.evaluate("window.netcluster.nodes.get().map(n => n.borderWidth)")) == {1}
    page.screenshot(path=str(_artefacts() / "report_ocean_cluster.png"), full_page=False)
    page.close()


def test_search_click_profile_and_sorting(browser, tmp_path, ocean):
    path = write_report(ocean, tmp_path / "report.html")
    page, attempted, errors, dialogs, violations = _open(browser, path)
    names = ocean.nodes["name"].tolist()
    page.fill("#nc-search", "fjord")
    expected = [i for i, name in enumerate(names) if "fjord" in name.lower()][:10]
    assert page.locator("#nc-search-results button").all_inner_texts() == [names[i] for i in expected]
    page.locator("#nc-search-results button").first.click()
    assert page.locator("#nc-profile h3").inner_text() == names[expected[0]]
    assert page.evaluate("window.netcluster.network.getSelectedNodes()") == [expected[0]]
    page.fill("#nc-search", "no such organisation anywhere")
    assert page.locator("#nc-search-results li").all_inner_texts() == ["no organisation found"]
    # clicking a node in the drawing opens its profile, with partners by scope, gaps and suggestions
    lacking = ocean.nodes[(ocean.nodes["home"]) & (ocean.nodes["international_degree"] == 0)
                          & (ocean.nodes["degree"] > 0)].index[0]
    code = ocean.nodes.index.get_loc(lacking)
    page.evaluate(f"window.netcluster.network.focus({code}, {{scale: 2, animation: false}})")
    x, y = _dom_position(page, code)
    page.mouse.click(x, y)
    profile = page.locator("#nc-profile")
    assert profile.locator("h3").inner_text() == names[code]
    text = profile.inner_text()
    assert "Strongest partners" in text and "Gaps" in text and "no foreign partner" in text
    assert "Suggested partners" in text
    degree = int(ocean.nodes.loc[lacking, "degree"])
    assert f"partners\t{degree}" in text or f"partners\n{degree}" in text
    # a partner in the profile opens that partner's profile
    first_partner = profile.locator("li button").first
    partner_name = first_partner.inner_text()
    first_partner.click()
    assert page.locator("#nc-profile h3").inner_text() == partner_name
    # sortable tables: foreign partners, descending then ascending
    header = page.locator("#nc-gatekeepers thead th", has_text="foreign partners")
    header.click()
    column = page.locator("#nc-gatekeepers tbody tr td:nth-child(6)").all_inner_texts()
    assert [int(v) for v in column] == sorted((int(v) for v in column), reverse=True)
    header.click()
    column = page.locator("#nc-gatekeepers tbody tr td:nth-child(6)").all_inner_texts()
    assert [int(v) for v in column] == sorted(int(v) for v in column)
    assert errors == [] and dialogs == [] and violations == []
    assert [url for url in attempted if not url.startswith("file:")] == []
    page.close()


def test_hostile_names_never_execute(browser, tmp_path):
    network = hostile_network()
    result = analyze(network)
    path = write_report(result, tmp_path / "hostile.html", suggestions=suggest_partners(result, k=3))
    page, attempted, errors, dialogs, violations = _open(browser, path)

    def inert():
        assert page.evaluate("window.__pwned") is None
        assert dialogs == [] and errors == []
        assert page.evaluate("document.querySelectorAll('iframe, img, b[onclick], a[href], details[ontoggle], script[src], style:not(head style)')"
                             ".length") == 0
        # the roles chart and the trend charts (when the ties span 3 years), nothing else; no svg handler
        assert page.evaluate("document.querySelectorAll('svg:not(.nc-trend-chart)').length") == 1
        assert page.evaluate("document.querySelectorAll('svg[onload], svg *[onload], svg *[onclick]').length") == 0
        assert page.evaluate("Array.from(document.querySelectorAll('svg, svg *')).filter("
                             "e => Array.from(e.attributes).some(a => a.name.startsWith('on'))).length") == 0

    inert()
    # hover over every node: tooltips are text, never markup
    page.locator("#nc-network").scroll_into_view_if_needed()
    positions = page.evaluate("window.netcluster.network.getPositions()")
    for node_id in positions:
        page.evaluate(f"window.netcluster.network.focus({node_id}, {{scale: 1.5, animation: false}})")
        page.mouse.move(*_dom_position(page, node_id))
        page.wait_for_timeout(150)
        tags = page.evaluate("Array.from(document.querySelectorAll('div.vis-tooltip *')).map(e => e.tagName)")
        assert set(tags) <= {"BR"}
    texts = page.evaluate("Array.from(document.querySelectorAll('div.vis-tooltip')).map(t => t.textContent)")
    assert any("<script>" in text for text in texts), "no tooltip with a hostile name was shown"
    # hover over every edge (its midpoint)
    page.evaluate("window.netcluster.network.fit({animation: false})")
    for edge in page.evaluate("window.netcluster.edges.get().map(e => [e.from, e.to])"):
        (x1, y1), (x2, y2) = _dom_position(page, edge[0]), _dom_position(page, edge[1])
        page.mouse.move((x1 + x2) / 2, (y1 + y2) / 2)
        page.wait_for_timeout(30)
    inert()
    # click every node: the profile holds text and our own elements only
    for node_id in positions:
        page.evaluate(f"window.netcluster.network.focus({node_id}, {{scale: 1.5, animation: false}})")
        page.mouse.click(*_dom_position(page, node_id))
        tags = set(page.evaluate("Array.from(document.querySelectorAll('#nc-profile *')).map(e => e.tagName)"))
        assert tags <= {"H3", "H4", "P", "DL", "DT", "DD", "UL", "LI", "BUTTON"}
        assert page.locator("#nc-profile h3").inner_text() == result.nodes["name"].iloc[int(node_id)]
        for button in page.locator("#nc-profile li button").all()[:3]:
            button.click()
        inert()
    # search with fragments of the hostile names, then click every result
    for query in ("<scr", "script", "href", "\\", "'", "\"", "<!--", "\u2028", "very"):
        page.fill("#nc-search", query)
        tags = set(page.evaluate("Array.from(document.querySelectorAll('#nc-search-results *')).map(e => e.tagName)"))
        assert tags <= {"LI", "BUTTON"}
        for button in page.locator("#nc-search-results button").all():
            button.click()
        inert()
    # sort every sortable table by every column
    for header in page.locator("table.sortable thead th").all():
        header.click()
    inert()
    # the names are there, as text, in every table and the chart
    assert "<script>window.__pwned = 1</script>" in page.locator("#nc-top").inner_text()
    assert "<script>window.__pwned = 1</script>" in page.locator("#nc-gatekeepers").inner_text()
    assert "without <script>window.__pwned = 1</script>" in page.locator("#nc-gaps").inner_text()
    assert "<iframe src=//evil>" in page.locator("#nc-gaps").inner_text()
    assert "<script>window.__pwned = 13</script> lonely" in page.locator("#nc-gaps").inner_text()
    assert "<img src=x onerror=" in page.locator("#nc-suggestions").inner_text()
    assert HOSTILE_COUNTRY in page.locator("section[aria-labelledby='h-methods']").inner_text()
    titles = page.evaluate("Array.from(document.querySelectorAll('#nc-quadrant title')).map(t => t.textContent)")
    assert any(title.startswith("<script>window.__pwned = 1</script>") for title in titles)
    assert [url for url in attempted if not url.startswith("file:")] == []
    assert violations == []
    page.close()


def test_aggregated_view_with_drill_down(browser, tmp_path, ocean):
    path = write_report(ocean, tmp_path / "big.html", aggregate_above=100)
    page, attempted, errors, dialogs, violations = _open(browser, path)
    assert "too many to draw one by one" in page.locator("#nc-aggregate-notice").inner_text()
    communities = ocean.nodes["community"].nunique()
    drawn = page.evaluate("window.netcluster.nodes.length")
    assert drawn == min(communities, 60) + (1 if communities > 60 else 0)
    sizes = page.evaluate("window.netcluster.nodes.get().map(n => n.label)")
    assert sizes[0].startswith("community 0 (")
    # clicking a super-node opens its drill-down table
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = false)")
    page.evaluate("window.netcluster.network.focus(1, {scale: 1.5, animation: false})")
    page.mouse.click(*_dom_position(page, 1))
    assert page.locator("details[data-community='1']").get_attribute("open") is not None
    # a member named in the drill-down opens its profile
    button = page.locator("details[data-community='1'] button[data-code]").first
    name = button.inner_text()
    button.click()
    assert page.locator("#nc-profile h3").inner_text() == name
    page.fill("#nc-search", name[:6])
    assert page.locator("#nc-search-results button").count() >= 1
    assert errors == [] and dialogs == [] and violations == []
    assert [url for url in attempted if not url.startswith("file:")] == []
    page.close()


def test_report_displays_in_jupyter_iframe(browser, ocean):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_content(Report(ocean)._repr_html_())
    frame = page.frames[1]
    frame.wait_for_function("window.netcluster && window.netcluster.drawn", timeout=60_000)
    assert frame.evaluate("window.netcluster.nodes.length") == ocean.network.n_orgs
    assert errors == []
    page.close()


def test_trend_charts_render_offline_with_hostile_names(browser, tmp_path):
    from netcluster import CollaborationNetwork

    network = hostile_network()
    network = CollaborationNetwork(network.orgs, network.ties.assign(
        year=[2017 + i % 4 for i in range(len(network.ties))]))
    result = analyze(network, home=[network.org_ids[0], network.org_ids[1]])
    path = write_report(result, tmp_path / "trends.html")
    page, attempted, errors, dialogs, violations = _open(browser, path)
    assert page.evaluate("document.querySelectorAll('#nc-trends svg.nc-trend-chart').length") == 6
    assert page.evaluate("document.querySelectorAll('#nc-trends polyline').length") >= 5
    assert page.evaluate("document.querySelectorAll('svg:not(.nc-trend-chart)').length") == 1
    assert page.evaluate("Array.from(document.querySelectorAll('svg, svg *')).filter("
                         "e => Array.from(e.attributes).some(a => a.name.startsWith('on'))).length") == 0
    sentences = page.locator("#nc-trends .nc-trend-sentence").all_inner_texts()
    assert len(sentences) == 6 and all(s.endswith(".") and "2017-2019" in s for s in sentences)
    assert page.evaluate("window.__pwned") is None
    assert errors == [] and dialogs == [] and violations == []
    assert [url for url in attempted if not url.startswith("file:")] == []
    page.close()


def test_evidence_panel_renders_hostile_outcome_and_category_names_as_text(browser, tmp_path):
    import pandas as pd

    from netcluster import CollaborationNetwork

    network = hostile_network()
    orgs = network.orgs.copy()
    kinds = ["<img src=x onerror=window.__pwned=21>", "<svg onload=window.__pwned=22>"]
    orgs["kind"] = [kinds[i % 3 == 0] for i in range(len(orgs))]  # two kinds: a fixed-effect term each
    network = CollaborationNetwork(orgs, network.ties)
    result = analyze(network)
    column = "<script>window.__pwned=20</script>"
    outcomes = pd.DataFrame({column: [i % 2 for i in range(network.n_orgs)]},
                            index=pd.Index(network.org_ids, name="org_id"))
    path = write_report(result, tmp_path / "evidence.html", outcomes=outcomes)
    page, attempted, errors, dialogs, violations = _open(browser, path)
    panel = page.locator("#nc-evidence")
    text = panel.inner_text()
    assert "Do international ties go with innovation?" in text
    assert f"column '{column}' of the outcomes table given" in text  # the name, as text
    assert "kind: <svg onload=window.__pwned=22>" in page.locator("#nc-evidence-coefficients").inner_text()
    assert "Warning: small sample" in text
    tags = set(page.evaluate("Array.from(document.querySelectorAll('#nc-evidence *')).map(e => e.tagName)"))
    assert tags <= {"H2", "P", "DIV", "UL", "LI", "TABLE", "THEAD", "TBODY", "TR", "TH", "TD", "CODE"}
    assert page.evaluate("Array.from(document.querySelectorAll('#nc-evidence *')).filter("
                         "e => Array.from(e.attributes).some(a => a.name.startsWith('on'))).length") == 0
    assert page.evaluate("window.__pwned") is None
    assert errors == [] and dialogs == [] and violations == []
    assert [url for url in attempted if not url.startswith("file:")] == []
    page.close()


def test_evidence_panel_on_the_bundled_sample(browser, tmp_path):
    from netcluster import estimate_tie_effects

    result = analyze(load_sample("ocean_cluster"))
    fit = estimate_tie_effects(result, outcome="new_product")
    path = write_report(result, tmp_path / "sample.html", outcome="new_product")
    page, attempted, errors, dialogs, violations = _open(browser, path)
    page.locator("#nc-evidence").scroll_into_view_if_needed()
    assert page.locator("#nc-evidence-ratio .figure").inner_text() == f"{fit.ratio['estimate']:.3g}×"
    cells = page.locator("#nc-evidence-coefficients tr[data-term='international'] td").all_inner_texts()
    row = fit.coefficients.set_index("term").loc["international"]
    assert cells[1:3] == [f"{row['estimate']:.3g}", f"{row['ci_low']:.3g} to {row['ci_high']:.3g}"]
    page.locator("#nc-evidence").screenshot(path=str(_artefacts() / "report_evidence_panel.png"))
    assert errors == [] and dialogs == [] and violations == []
    assert [url for url in attempted if not url.startswith("file:")] == []
    page.close()
