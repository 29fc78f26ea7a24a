"""The HTML report: one self-contained, offline file rendered from an AnalysisResult.

:mod:`~netcluster.report.layout` (seeded positions), :mod:`~netcluster.report.view`
(result -> plain dicts, through pyvis's node and edge model) with
:mod:`~netcluster.report.palette` (colour and size schemes),
:mod:`~netcluster.report.panels` (cards, tables, the Giuliani-Bell quadrant),
:mod:`~netcluster.report.profiles` (what a click shows) and
:mod:`~netcluster.report.aggregate` (communities as super-nodes above 5,000
organisations),
:mod:`~netcluster.report.assets` (vis-network from the installed pyvis) and
:mod:`~netcluster.report.writer` (:func:`write_report`, our own Jinja2
template with autoescaping and a Content-Security-Policy).
"""

from .writer import Report, render_report, write_report

__all__ = ["write_report", "render_report", "Report"]
