"""The vis-network library, read from the installed pyvis package for inlining.

pyvis ships vis-network's minified JavaScript and CSS; inlining them (rather
than linking a CDN, as pyvis's own templates do) makes the report work offline
from ``file://`` and as an e-mail attachment.
"""

from __future__ import annotations

import functools
from importlib import resources

__all__ = ["VIS_VERSION", "vis_network_js", "vis_network_css"]

#: The vis-network release inlined into reports.
VIS_VERSION = "9.1.2"


def _read(name: str) -> str:
    return (resources.files("pyvis") / "lib" / f"vis-{VIS_VERSION}" / name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def vis_network_js() -> str:
    """vis-network's standalone minified JavaScript."""
    return _read("vis-network.min.js")


@functools.lru_cache(maxsize=1)
def vis_network_css() -> str:
    """vis-network's CSS (its images are inline data: URIs)."""
    return _read("vis-network.css")
