"""Will the graph stages fit in memory? An estimate from the network's size, and a guard.

Bridge centrality, brokerage, structural holes and the communities run on
igraph and scipy over the whole flattened graph, in the memory of one process.
Their needs grow linearly with the number of organisations ``n`` and of
distinct partner pairs ``m`` (the ties of the flattened graph).
:func:`estimate_memory` gives the figure from a model fitted to runs of
``benchmarks/capacity.py`` on this project's synthetic graphs, CORDIS and
random graphs (see ``docs/scaling.md``)::

    network  = 110 MiB + 1,000 B * n + 250 B * m    (the tables built from records)
    analysis =  40 MiB +   150 B * n + 340 B * m    (on top of them, during analyze)
    total    = 210 MiB (imports) + network + analysis

The model is an upper envelope: never below a measured peak, and at most
1.6 times it from 100,000 organisations up (docs/scaling.md has the table).

:func:`check_capacity`, called by :func:`netcluster.analyze` before the
first graph is built, compares ``analysis`` with a memory budget and raises
:class:`~netcluster.errors.CapacityError` when it does not fit, so that an
analysis too large for the machine stops at once with a message naming the
estimate, the budget and the ways out, instead of being killed by the
operating system half an hour later.

The budget, first found wins:

1. the ``limit`` argument (``analyze(memory_budget=...)``, ``--memory-budget``);
2. the environment variable :data:`BUDGET_VARIABLE` (``NETCLUSTER_MEMORY_BUDGET``);
3. :data:`SAFETY` (80 %) of the memory available now: ``MemAvailable`` in
   ``/proc/meminfo`` (Linux), else ``os.sysconf("SC_AVPHYS_PAGES")`` times the
   page size. Where neither can be read, there is no default budget and the
   guard only applies when a budget is given.

A budget is a number of bytes or a size such as ``"12G"``, ``"12GiB"``,
``"500M"`` (``K``, ``M``, ``G``, ``T`` with or without ``iB`` are powers of
1024; ``KB``, ``MB``, ``GB``, ``TB`` powers of 1000).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from .errors import CapacityError, InputError

if TYPE_CHECKING:
    from .network import CollaborationNetwork

__all__ = [
    "MemoryEstimate",
    "estimate_memory",
    "check_capacity",
    "graph_size",
    "available_memory",
    "parse_size",
    "BUDGET_VARIABLE",
    "SAFETY",
]

#: The network's tables once built from records (organisation table with ids and names, tie
#: records, event records, and the libraries the loaders import): base, per organisation, per pair.
NETWORK_BASE = 110 * 2**20
NETWORK_PER_ORG = 1_000
NETWORK_PER_TIE = 250
#: What the graph stages of :func:`netcluster.analyze` need on top of the loaded network.
ANALYSIS_BASE = 40 * 2**20
ANALYSIS_PER_ORG = 150
ANALYSIS_PER_TIE = 340
#: What writing the HTML report adds on top of the analysis (layout, trend windows, the page).
REPORT_BASE = 20 * 2**20
REPORT_PER_ORG = 2_200
REPORT_PER_TIE = 200
#: Resident memory of a process after ``import netcluster`` (measured: 207-208 MiB).
IMPORTS = 210 * 2**20

#: Environment variable holding a memory budget (a size such as ``"12G"``).
BUDGET_VARIABLE = "NETCLUSTER_MEMORY_BUDGET"

#: Share of the available memory the graph stages may use when no budget is given.
SAFETY = 0.8

_UNITS = {"": 1, "b": 1,
          "k": 2**10, "kib": 2**10, "m": 2**20, "mib": 2**20, "g": 2**30, "gib": 2**30, "t": 2**40, "tib": 2**40,
          "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12}
_SIZE = re.compile(r"\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([a-z]*)\s*")


@dataclass(frozen=True)
class MemoryEstimate:
    """Estimated memory, in bytes, of a network of ``n_orgs`` organisations and ``n_ties`` pairs.

    Attributes
    ----------
    n_orgs, n_ties : int
        The size estimated for.
    network : int
        The network's tables once loaded from records.
    analysis : int
        What the graph stages of :func:`netcluster.analyze` need on top of
        the loaded network, at their peak; the figure :func:`check_capacity`
        compares with the budget.
    total : int
        Peak resident memory of a whole run (imports, network and analysis):
        what must fit in a machine's memory.
    report : int
        What writing the HTML report adds on top of the analysis; with
        ``report=True`` :func:`check_capacity` compares ``analysis + report``
        with the budget.
    """

    n_orgs: int
    n_ties: int
    network: int
    analysis: int
    total: int
    report: int


def estimate_memory(n_orgs: int, n_ties: int) -> MemoryEstimate:
    """Estimate the memory of analysing ``n_orgs`` organisations and ``n_ties`` partner pairs.

    Parameters
    ----------
    n_orgs : int
        Organisations (all of them, with or without ties).
    n_ties : int
        Distinct partner pairs of the flattened graph (as
        :func:`graph_size` counts them; a pair tied in several years or
        layers counts once).

    Returns
    -------
    MemoryEstimate

    Raises
    ------
    InputError
        For a negative or non-integer size.

    Examples
    --------
    >>> estimate = estimate_memory(1_000_000, 5_000_000)
    >>> round(estimate.analysis / 2**30, 1), round(estimate.total / 2**30, 1)
    (1.8, 4.2)
    >>> estimate_memory(10, 0).analysis < estimate.analysis
    True
    """
    n, m = _count(n_orgs, "n_orgs"), _count(n_ties, "n_ties")
    network = NETWORK_BASE + NETWORK_PER_ORG * n + NETWORK_PER_TIE * m
    analysis = ANALYSIS_BASE + ANALYSIS_PER_ORG * n + ANALYSIS_PER_TIE * m
    report = REPORT_BASE + REPORT_PER_ORG * n + REPORT_PER_TIE * m
    return MemoryEstimate(n, m, network, analysis, IMPORTS + network + analysis, report)


def graph_size(network: CollaborationNetwork, layers: Iterable[str] | None = None) -> tuple[int, int]:
    """Organisations and distinct partner pairs of a network, without building its graph.

    ``layers``, when given, counts only the pairs tied in those layers (see
    :meth:`~netcluster.network.CollaborationNetwork.n_pairs`).

    Examples
    --------
    >>> from netcluster.sample_graphs import load_sample
    >>> graph_size(load_sample("ocean_cluster"))
    (298, 2015)
    """
    return network.n_orgs, network.n_pairs(layers)


def available_memory() -> int | None:
    """Memory available to a new allocation now, in bytes; None when it cannot be read.

    Linux's ``MemAvailable`` (free memory plus caches the kernel can drop),
    else ``os.sysconf`` available pages times the page size.

    Examples
    --------
    >>> free = available_memory()
    >>> free is None or free > 0
    True
    """
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        pages = os.sysconf("SC_AVPHYS_PAGES")
        size = os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None
    return pages * size if pages > 0 and size > 0 else None


def parse_size(value: int | float | str) -> int:
    """A memory size in bytes from a number or text such as ``"12G"``, ``"500 MiB"``, ``"8GB"``.

    Raises
    ------
    InputError
        For text that is no size, or a size that is not positive.

    Examples
    --------
    >>> parse_size("12G"), parse_size("1.5 GiB"), parse_size("8GB"), parse_size(4096)
    (12884901888, 1610612736, 8000000000, 4096)
    """
    if isinstance(value, bool):
        raise InputError("a memory budget is a size such as 12G or 500M", value=value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        number, unit = float(value), ""
    else:
        match = _SIZE.fullmatch(str(value).lower())
        if match is None or match.group(2) not in _UNITS:
            raise InputError("a memory budget is a size such as 12G or 500M (K, M, G, T)", value=value)
        number, unit = float(match.group(1)), match.group(2)
    size = int(number * _UNITS[unit])
    if not np.isfinite(number) or size <= 0:
        raise InputError("a memory budget must be a positive size such as 12G", value=value)
    return size


def check_capacity(
    n_orgs: int, n_ties: int, limit: int | float | str | None = None, *, report: bool = False
) -> MemoryEstimate:
    """Raise CapacityError when the graph stages would not fit in the memory budget.

    Parameters
    ----------
    n_orgs, n_ties : int
        Organisations and distinct partner pairs (see :func:`graph_size`).
    limit : int, float or str, optional
        The budget in bytes, or a size such as ``"12G"``. When omitted, the
        environment variable ``NETCLUSTER_MEMORY_BUDGET``, else 80 % of the
        memory available now; with neither, nothing is checked.
    report : bool
        Count the HTML report's share too (:func:`netcluster.write_report`,
        ``netcluster report``): ``analysis + report`` is compared with the
        budget.

    Returns
    -------
    MemoryEstimate
        The estimate, when it fits.

    Raises
    ------
    CapacityError
        When the estimated memory of the graph stages exceeds the budget. Its
        ``estimate`` and ``limit`` attributes hold both figures in bytes.
    InputError
        For a budget that is no size.

    Examples
    --------
    >>> check_capacity(1_000, 5_000, limit="1G").analysis < 2**30
    True
    >>> check_capacity(1_000_000, 5_000_000, limit="1G")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    netcluster.errors.CapacityError: the graph stages of the analysis need about 1.8 GiB ...
    """
    estimate = estimate_memory(n_orgs, n_ties)
    budget, origin = _budget(limit)
    need = estimate.analysis + (estimate.report if report else 0)
    if budget is not None and need > budget:
        what = "the graph stages of the analysis and the report" if report else "the graph stages of the analysis"
        raise CapacityError(
            f"{what} need about {_gib(need)} for "
            f"{estimate.n_orgs:,} organisations and {estimate.n_ties:,} partner pairs, more than the memory "
            f"budget of {_gib(budget)} ({origin}); restrict the analysis to the home set and its neighbourhood "
            "(--neighbourhood 1 with --home, or netcluster.restrict_to_neighbourhood), analyse fewer layers or "
            "years, run only the relational stages (netcluster aggregate), or raise the budget "
            "(--memory-budget, NETCLUSTER_MEMORY_BUDGET) if the memory is there; see docs/scaling.md",
            estimate=need,
            limit=budget,
        )
    return estimate


def _budget(limit: int | float | str | None) -> tuple[int | None, str]:
    if limit is not None:
        return parse_size(limit), "the budget given"
    text = os.environ.get(BUDGET_VARIABLE, "").strip()
    if text:
        try:
            return parse_size(text), f"from {BUDGET_VARIABLE}"
        except InputError as exc:
            raise InputError(f"the environment variable {BUDGET_VARIABLE}: {exc.message}", value=text) from None
    free = available_memory()
    if free is None:
        return None, "unknown"
    return int(SAFETY * free), f"{SAFETY:.0%} of the {_gib(free)} available"


def _gib(size: int) -> str:
    return f"{size / 2**30:.1f} GiB" if size >= 2**29 else f"{size / 2**20:.0f} MiB"


def _count(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise InputError(f"{name} must be a whole number of at least 0", value=value)
    return int(value)
