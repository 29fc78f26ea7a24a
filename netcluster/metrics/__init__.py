"""Measures on a CollaborationNetwork, one module per family.

:mod:`~netcluster.metrics.scopes`: ties by geographic scope (local, national,
international, unknown), degrees, strengths and openness.
"""

from .scopes import scope_degrees, tie_scopes

__all__ = ["scope_degrees", "tie_scopes"]
