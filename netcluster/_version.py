"""The version of netcluster (read by setup.cfg)."""

__version__ = "0.1.0"
