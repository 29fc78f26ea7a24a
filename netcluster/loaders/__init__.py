"""Loaders: record files and DataFrames in, one CollaborationNetwork out.

Modules: :mod:`~netcluster.loaders.readers` (files as text tables),
:mod:`~netcluster.loaders.columns` (header mapping),
:mod:`~netcluster.loaders.fields` (typed values),
:mod:`~netcluster.loaders.report` (the load report) and
:mod:`~netcluster.loaders.build` (:func:`build_network`).
"""

from .build import build_network
from .report import LoadReport

__all__ = ["build_network", "LoadReport"]
