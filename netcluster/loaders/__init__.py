"""Loaders: record files and DataFrames in, one CollaborationNetwork out.

Modules: :mod:`~netcluster.loaders.readers` (files as text tables),
:mod:`~netcluster.loaders.columns` (header mapping),
:mod:`~netcluster.loaders.fields` (typed values),
:mod:`~netcluster.loaders.names` (name repair, matching keys, merging),
:mod:`~netcluster.loaders.wide` (several applicants in one cell),
:mod:`~netcluster.loaders.records` (``read_*``: one file of one kind),
:mod:`~netcluster.loaders.report` (the load report) and
:mod:`~netcluster.loaders.build` (:func:`build_network`).
"""

from .build import build_network
from .records import Records, read_copatents, read_memberships, read_organisations, read_partnerships
from .report import LoadReport

__all__ = [
    "build_network",
    "read_partnerships",
    "read_copatents",
    "read_memberships",
    "read_organisations",
    "Records",
    "LoadReport",
]
