"""write_report: render an AnalysisResult into one self-contained HTML file.

Safety rules, each tested in a real browser with hostile organisation names:

- the page is rendered by our own Jinja2 template with autoescaping on;
- data travels as one JSON block whose ``<``, ``>`` and ``&`` are escaped,
  read with ``JSON.parse`` and drawn by vis-network as plain text;
- a Content-Security-Policy allows no network access at all and only the two
  inline scripts whose SHA-256 hashes it lists.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from html import escape as html_escape
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from .._version import __version__
from ..analyze import AnalysisResult
from ..capacity import check_capacity, graph_size
from ..files import atomic_write
from .aggregate import AGGREGATE_ABOVE
from .assets import VIS_VERSION, vis_network_css, vis_network_js
from .view import build_view

__all__ = ["write_report", "render_report", "Report"]


def render_report(
    result: AnalysisResult,
    *,
    title: str | None = None,
    attribution: str | None = None,
    gaps: pd.DataFrame | None = None,
    suggestions: pd.DataFrame | None = None,
    aggregate_above: int = AGGREGATE_ABOVE,
    trends: pd.DataFrame | bool | None = None,
    outcomes: pd.DataFrame | str | os.PathLike[str] | None = None,
    outcome: str | None = None,
    until: int | None = None,
    memory_budget: int | str | None = None,
) -> str:
    """The report's HTML as a string (see :func:`write_report` for the parameters).

    Examples
    --------
    >>> import netcluster
    >>> result = netcluster.analyze(netcluster.sample_graphs.load_sample("ocean_cluster"))
    >>> "Do international ties go with innovation?" in render_report(result, outcome="new_product")
    True
    """
    check_capacity(*graph_size(result.network), limit=memory_budget, report=True)
    view = build_view(result, gaps=gaps, suggestions=suggestions, aggregate_above=aggregate_above, trends=trends,
                      outcomes=outcomes, outcome=outcome, until=until)
    graph = dict(view["graph"])
    if isinstance(graph["options"], str):
        graph["options"] = json.loads(graph["options"])
    app_js = (resources.files("netcluster.report") / "templates" / "report.js").read_text(encoding="utf-8")
    vis_js = vis_network_js()
    return _template().render(
        title=title or "Collaboration network report",
        version=__version__,
        view=view,
        csp=_content_security_policy([vis_js, app_js]),
        graph_json=_script_json(graph),
        vis_js=vis_js,
        vis_css=vis_network_css(),
        vis_version=VIS_VERSION,
        app_js=app_js,
        attribution=attribution,
    )


def write_report(
    result: AnalysisResult,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    attribution: str | None = None,
    gaps: pd.DataFrame | None = None,
    suggestions: pd.DataFrame | None = None,
    aggregate_above: int = AGGREGATE_ABOVE,
    trends: pd.DataFrame | bool | None = None,
    outcomes: pd.DataFrame | str | os.PathLike[str] | None = None,
    outcome: str | None = None,
    until: int | None = None,
    memory_budget: int | str | None = None,
) -> Path:
    """Write the interactive HTML report for an analysis.

    Parameters
    ----------
    result : AnalysisResult
        From :func:`netcluster.analyze`.
    path : path-like
        Where to write; the file is replaced atomically.
    title : str, optional
        Page title (default "Collaboration network report").
    attribution : str, optional
        Data attribution printed in the footer (for example "CORDIS, European
        Commission").
    gaps : pandas.DataFrame, optional
        Findings of :func:`netcluster.find_gaps` to list; computed with its
        defaults when omitted.
    suggestions : pandas.DataFrame, optional
        Partner suggestions of :func:`netcluster.suggest_partners` to list; by
        default three for each of the 20 locally most central members without
        a foreign partner (and three in each member's profile, up to 2,000
        members).
    aggregate_above : int
        Above this many organisations (default 5,000) the drawing shows
        communities as super-nodes, with drill-down tables, instead of every
        organisation.
    trends : pandas.DataFrame or bool, optional
        A table of :func:`netcluster.trends` for the "Trends" panel (its
        first group is charted: ``home`` or ``all``). When omitted, the
        trends are computed with their defaults (3-year rolling windows) for
        the home set, or the whole network, whenever the analysed network's
        dated ties span at least 3 years; ``False`` leaves the panel out.
    outcomes : pandas.DataFrame or path-like, optional
        Organisation outcomes for the panel "Do international ties go with
        innovation?": a table indexed by ``org_id`` or a file read with
        :func:`netcluster.read_outcomes` (as ``netcluster evidence --outcomes``).
    outcome : str, optional
        The outcome column: of ``outcomes`` (default its first column), or,
        without ``outcomes`` and ``until``, a column of the organisations
        table (``"new_product"`` in the ``ocean_cluster`` sample); with
        ``until``, ``events_after`` (default) or ``any_after``.
    until : int, optional
        Derive the outcome from the records (:func:`netcluster.derive_outcomes`):
        partners counted on the ties before ``until`` (the analysis is re-run
        on them with the same parameters), activity from ``until`` on as the
        outcome. The panel shows :func:`netcluster.estimate_tie_effects` with
        its default controls (prior activity and kind); without any outcome it
        explains how to give one.
    memory_budget : int or str, optional
        Memory the analysis and the report may use together, as for
        :func:`netcluster.analyze` (default ``NETCLUSTER_MEMORY_BUDGET``, else
        80 % of the memory available); checked before anything is drawn.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    CapacityError
        When the analysis and the report together would exceed the memory
        budget (``docs/scaling.md``).

    Examples
    --------
    >>> import tempfile, pathlib, netcluster
    >>> result = netcluster.analyze(netcluster.sample_graphs.load_sample("ocean_cluster"))
    >>> out = write_report(result, pathlib.Path(tempfile.mkdtemp()) / "report.html")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    html = render_report(result, title=title, attribution=attribution, gaps=gaps, suggestions=suggestions,
                         aggregate_above=aggregate_above, trends=trends, outcomes=outcomes, outcome=outcome,
                         until=until, memory_budget=memory_budget)
    target = Path(path)
    with atomic_write(target) as handle:
        handle.write(html)
    return target


class Report:
    """A rendered report that shows itself in Jupyter and saves to a file.

    Parameters are those of :func:`write_report` (without the path).

    Examples
    --------
    >>> import netcluster
    >>> report = Report(netcluster.analyze(netcluster.sample_graphs.load_sample("ocean_cluster")))
    >>> report._repr_html_().startswith("<iframe")
    True
    """

    def __init__(self, result: AnalysisResult, **options: Any) -> None:
        self.html = render_report(result, **options)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the report to ``path`` atomically."""
        target = Path(path)
        with atomic_write(target) as handle:
            handle.write(self.html)
        return target

    def _repr_html_(self) -> str:
        # srcdoc keeps the page in its own document, with its own Content-Security-Policy
        return (f'<iframe srcdoc="{html_escape(self.html, quote=True)}" style="width: 100%; height: 900px; '
                'border: 1px solid #d5dae0" sandbox="allow-scripts"></iframe>')


def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("netcluster.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return environment.get_template("report.html.j2")


def _content_security_policy(scripts: list[str]) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts
    )
    return (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; "
        "img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def _script_json(data: Any) -> str:
    """JSON that cannot end its ``<script>`` element or open a comment.

    Examples
    --------
    >>> _script_json({"name": "</script><script>alert(1)</script>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text
