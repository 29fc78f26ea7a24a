"""Node positions computed in Python, seeded, so the page draws without physics.

Measured in headless Chromium, vis-network's own physics took 75-100 s to
settle 500 nodes, while precomputed positions draw 2,000 nodes in about 1 s.
"""

from __future__ import annotations

import random

import igraph as ig
import numpy as np

__all__ = ["layout_positions", "LARGE", "GRID_ABOVE"]

#: Above this many connected organisations the layout uses igraph's grid
#: variant of Fruchterman-Reingold (repulsion only between nearby cells): on a
#: synthetic network of 5,000 organisations 500 iterations took 0.3 s instead
#: of 20 s for the exact variant.
GRID_ABOVE = 1_000

#: Above this many connected organisations the layout uses 150 iterations
#: instead of 500 (of the grid variant): on CORDIS (31,000 connected
#: organisations, 0.76M pairs) this takes about 3 s instead of 28 s; DrL took
#: 220 s and LGL 141 s on the same graph.
LARGE = 5_000


def layout_positions(graph: ig.Graph, seed: int, extent: float = 1000.0) -> np.ndarray:
    """Fruchterman-Reingold positions scaled to ``[-extent, extent]``.

    Organisations with ties are laid out by force direction; those without
    any tie are set in rows under the drawing, so they neither drift to the
    edges nor squeeze the network into a corner.

    igraph's layouts draw from its random number generator; it is set to a
    ``random.Random(seed)`` for the call and restored afterwards, so the same
    graph and seed give the same positions.

    Parameters
    ----------
    graph : igraph.Graph
        Undirected, with a ``weight`` edge attribute.
    seed : int
    extent : float
        Half the width of the square the positions are scaled into.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, 2)``.

    Examples
    --------
    >>> g = ig.Graph.Ring(10)
    >>> g.es["weight"] = [1.0] * 10
    >>> a, b = layout_positions(g, seed=3), layout_positions(g, seed=3)
    >>> bool((a == b).all()), a.shape
    (True, (10, 2))
    """
    n = graph.vcount()
    positions = np.zeros((n, 2))
    connected = np.flatnonzero(np.asarray(graph.degree()) > 0)
    if connected.size:
        core = graph.induced_subgraph(connected.tolist(), implementation="create_from_scratch")
        positions[connected] = _spring(core, seed)
    isolates = np.setdiff1d(np.arange(n), connected)
    if isolates.size:
        positions[isolates] = _row_below(positions[connected], isolates.size)
    positions -= positions.mean(axis=0)
    span = np.abs(positions).max() if n else 0.0
    return positions * (extent / span) if span > 0 else positions


def _spring(graph: ig.Graph, seed: int) -> np.ndarray:
    n = graph.vcount()
    start = np.random.default_rng(seed).uniform(-1.0, 1.0, size=(n, 2)) * np.sqrt(n)
    weights = np.log1p(np.asarray(graph.es["weight"], dtype=float)) if graph.ecount() else None
    ig.set_random_number_generator(random.Random(seed))
    try:
        coords = graph.layout_fruchterman_reingold(
            weights=None if weights is None else weights.tolist(),
            seed=start.tolist(),
            niter=500 if n <= LARGE else 150,
            grid=n > GRID_ABOVE,
        )
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(coords.coords, dtype=float)


def _row_below(placed: np.ndarray, count: int) -> np.ndarray:
    """Organisations without ties, in rows under the drawing, in code order."""
    if placed.size:
        left, bottom = placed[:, 0].min(), placed[:, 1].max()
        width = max(placed[:, 0].max() - left, 1.0)
    else:
        left, bottom, width = 0.0, 0.0, float(np.sqrt(count))
    per_row = max(int(np.ceil(np.sqrt(count * 4))), 25)
    step = width / per_row
    index = np.arange(count)
    return np.column_stack([left + (index % per_row) * step, bottom + step * (3 + index // per_row)])
