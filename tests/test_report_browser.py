"""The report in a real browser: offline, complete, and inert against hostile names."""

from __future__ import annotations

import pytest

from netcluster import analyze, suggest_partners, write_report
from netcluster.sample_graphs import load_sample

from .hostile import hostile_network

pytestmark = pytest.mark.browser


def _open(browser, path):
    page = browser.new_page()
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


def test_report_offline_with_every_organisation_drawn(browser, tmp_path):
    network = load_sample("ocean_cluster")
    path = write_report(analyze(network), tmp_path / "report.html")
    page, attempted, errors, dialogs, violations = _open(browser, path)
    assert [url for url in attempted if not url.startswith("file:")] == []
    assert len(attempted) == 1  # the page itself, nothing else
    assert errors == [] and dialogs == [] and violations == []
    drawn = page.evaluate("Object.keys(window.netcluster.network.getPositions()).map(Number)")
    assert sorted(drawn) == list(range(network.n_orgs))
    assert page.evaluate("window.netcluster.network.body.data.nodes.length") == network.n_orgs
    # every drawn node is a real node object on the canvas, and the canvas has pixels
    assert page.evaluate("Object.keys(window.netcluster.network.body.nodes).length") >= network.n_orgs
    assert page.evaluate("document.querySelector('#nc-network canvas').width") > 0
    # switching a layer off hides its edges
    before = page.evaluate("window.netcluster.network.body.data.edges.length")
    page.locator("input[data-layer='membership']").uncheck()
    after = page.evaluate("window.netcluster.network.body.data.edges.length")
    assert 0 < after < before
    page.close()


def test_hostile_names_never_execute(browser, tmp_path):
    network = hostile_network()
    result = analyze(network)
    path = write_report(result, tmp_path / "hostile.html", suggestions=suggest_partners(result, k=2))
    page, attempted, errors, dialogs, violations = _open(browser, path)
    assert page.evaluate("window.__pwned") is None
    assert dialogs == [] and errors == []
    assert [url for url in attempted if not url.startswith("file:")] == []
    assert page.evaluate("document.querySelectorAll('iframe, img, svg, b[onclick]').length") == 0
    # hovering every node shows its tooltip as text, never as markup
    positions = page.evaluate("window.netcluster.network.getPositions()")
    page.locator("#nc-network").scroll_into_view_if_needed()
    for node_id in positions:
        page.evaluate(f"window.netcluster.network.focus({node_id}, {{scale: 1.5}})")
        box = page.locator("#nc-network").bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(250)
    # vis-network sets string titles with innerText: line breaks become <br>, nothing else
    tags = page.evaluate(
        "Array.from(document.querySelectorAll('div.vis-tooltip *')).map(e => e.tagName)")
    assert set(tags) <= {"BR"}
    assert page.evaluate("window.__pwned") is None and dialogs == []
    texts = page.evaluate("Array.from(document.querySelectorAll('div.vis-tooltip')).map(t => t.textContent)")
    assert any("<" in text for text in texts), "no tooltip with a hostile name was shown"
    assert "<script>window.__pwned = 1</script>" in page.locator("#nc-top").inner_text()
    # the gaps and suggestions tables show the names as text too
    assert "without <script>window.__pwned = 1</script>" in page.locator("#nc-gaps").inner_text()
    assert "<iframe src=//evil>" in page.locator("#nc-gaps").inner_text()
    assert "<img src=x onerror=" in page.locator("#nc-suggestions").inner_text()
    page.close()


def test_colour_by_community_switch(browser, tmp_path):
    network = load_sample("ocean_cluster")
    result = analyze(network)
    path = write_report(result, tmp_path / "report.html")
    page, attempted, errors, dialogs, violations = _open(browser, path)
    by_country = page.evaluate("window.netcluster.nodes.get(0).color")
    page.locator("input[name='nc-colour'][value='community']").check()
    assert page.evaluate("window.netcluster.colourBy") == "community"
    assert page.locator("#nc-legend-communities").is_visible() and not page.locator("#nc-legend-countries").is_visible()
    colours = page.evaluate("window.netcluster.nodes.get().map(n => n.color)")
    largest = result.nodes["community"].to_numpy() == 0
    assert {colours[i] for i in range(len(colours)) if largest[i]} == {"#1f77b4"}
    page.locator("input[name='nc-colour'][value='country']").check()
    assert page.evaluate("window.netcluster.nodes.get(0).color") == by_country
    assert page.locator("#nc-communities tbody tr").count() == min(20, len(result.communities.quality))
    assert errors == [] and violations == []
    page.close()
