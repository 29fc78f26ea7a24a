"""The HTML report: one self-contained, offline file rendered from an AnalysisResult.

:mod:`~netcluster.report.layout` (seeded positions), :mod:`~netcluster.report.view`
(result -> plain dicts, through pyvis's node and edge model),
:mod:`~netcluster.report.assets` (vis-network from the installed pyvis) and
:mod:`~netcluster.report.writer` (:func:`write_report`, our own Jinja2
template with autoescaping and a Content-Security-Policy).
"""

from .writer import write_report

__all__ = ["write_report"]
