"""netcluster: local buzz or global pipelines? Network analysis of innovation clusters.

The public surface, grouped by module::

    netcluster.network    CollaborationNetwork
    netcluster.loaders    build_network, read_partnerships, read_copatents, read_memberships,
                          read_organisations, Records, LoadReport
    netcluster.metrics    scope_degrees
    netcluster.analyze    analyze, AnalysisResult
    netcluster.capacity   estimate_memory, check_capacity (memory of the graph stages)
    netcluster.neighbourhood  restrict_to_neighbourhood (the home set and its k-hop neighbourhood)
    netcluster.communities  detect_communities, compare_partitions, Partition
    netcluster.gaps       find_gaps
    netcluster.suggestions  suggest_partners
    netcluster.backtest   backtest, BacktestResult
    netcluster.evidence   estimate_tie_effects, derive_outcomes, read_outcomes, TieEffects
    netcluster.trends     trends, trend_sentences
    netcluster.report     write_report, Report
    netcluster.graph_formats  write_graph (GraphML, GEXF, node-link JSON)
    netcluster.errors     NetclusterError, InputError, SchemaError, NetworkFileError,
                          StrictModeError, OutputError, CapacityError

Examples
--------
>>> import netcluster
>>> net = netcluster.sample_graphs.load_sample("ocean_cluster")
>>> result = netcluster.analyze(net)
>>> int(result.nodes["degree"].gt(0).sum()) > 250
True
"""

from ._version import __version__
from .analyze import AnalysisResult, analyze
from .backtest import BacktestResult, backtest
from .communities import Partition, compare_partitions, detect_communities
from .capacity import check_capacity, estimate_memory
from .errors import (
    CapacityError,
    InputError,
    NetclusterError,
    NetworkFileError,
    OutputError,
    SchemaError,
    StrictModeError,
)
from .loaders import (
    LoadReport,
    Records,
    build_network,
    read_copatents,
    read_memberships,
    read_organisations,
    read_partnerships,
)
from .evidence import TieEffects, derive_outcomes, estimate_tie_effects, read_outcomes
from .gaps import find_gaps
from .graph_formats import write_graph
from .metrics import scope_degrees
from .neighbourhood import restrict_to_neighbourhood
from .network import CollaborationNetwork
from .report import Report, write_report
from .suggestions import suggest_partners
from .trends import trend_sentences, trends

from . import sample_graphs  # noqa: E402  (imports the loaders above)

__all__ = [
    "__version__",
    # network
    "CollaborationNetwork",
    # loaders
    "build_network",
    "read_partnerships",
    "read_copatents",
    "read_memberships",
    "read_organisations",
    "Records",
    "LoadReport",
    # metrics
    "scope_degrees",
    # analyze
    "analyze",
    "AnalysisResult",
    # capacity and the neighbourhood way out
    "estimate_memory",
    "check_capacity",
    "restrict_to_neighbourhood",
    # communities
    "detect_communities",
    "compare_partitions",
    "Partition",
    # gaps and suggestions
    "find_gaps",
    "suggest_partners",
    "backtest",
    "BacktestResult",
    # evidence
    "estimate_tie_effects",
    "derive_outcomes",
    "read_outcomes",
    "TieEffects",
    # trends
    "trends",
    "trend_sentences",
    # report
    "write_report",
    "Report",
    # graph files
    "write_graph",
    # samples
    "sample_graphs",
    # errors
    "NetclusterError",
    "InputError",
    "SchemaError",
    "NetworkFileError",
    "StrictModeError",
    "OutputError",
    "CapacityError",
]
