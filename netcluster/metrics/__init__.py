"""Measures on a CollaborationNetwork, one module per family.

- :mod:`~netcluster.metrics.scopes`: ties by scope, degrees, strengths, openness
- :mod:`~netcluster.metrics.clustering`: clustering inside each locality
- :mod:`~netcluster.metrics.bridges`: international-bridge centrality
- :mod:`~netcluster.metrics.brokerage`: Gould-Fernandez brokerage roles
- :mod:`~netcluster.metrics.ei`: E-I index of nodes, groups and the network
- :mod:`~netcluster.metrics.holes`: Burt's effective size and constraint
- :mod:`~netcluster.metrics.roles`: Giuliani-Bell cognitive roles
- :mod:`~netcluster.metrics.groups`: group table, external reach, gatekeeper dependency
- :mod:`~netcluster.metrics.orientation`: ties oriented by degree, shared by the triangle counts
"""

from .bridges import bridge_centrality
from .brokerage import brokerage
from .clustering import local_clustering
from .ei import ei_index, group_ei, network_ei
from .groups import external_reach, gatekeeper_dependency, group_table
from .holes import constraint, effective_size, structural_holes
from .roles import gb_roles
from .scopes import outside_openness, scope_degrees, tie_scopes

__all__ = [
    "scope_degrees",
    "tie_scopes",
    "outside_openness",
    "local_clustering",
    "bridge_centrality",
    "brokerage",
    "ei_index",
    "group_ei",
    "network_ei",
    "effective_size",
    "constraint",
    "structural_holes",
    "gb_roles",
    "group_table",
    "external_reach",
    "gatekeeper_dependency",
]
