"""The load report: what each input gave, and every row that was not used, with why.

For every input file ``rows == used + merged + rejected``: a row is used,
merged into an earlier identical record (a repeated project participation,
say), or rejected with a reason naming its line, column and value. Nothing is
dropped without a line here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

__all__ = ["FileSummary", "Rejection", "LoadReport"]


@dataclass
class FileSummary:
    """What one input table gave."""

    kind: str
    source: str
    sha256: str | None
    rows: int
    used: int = 0
    merged: int = 0
    rejected: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class Rejection:
    """One row that was not used."""

    source: str
    line: int
    column: str
    value: str
    reason: str


@dataclass
class LoadReport:
    """Accounts for every input row.

    Attributes
    ----------
    files : list of FileSummary
    rejections : list of Rejection
    unknown_countries : dict
        Country text that named no country, with how many rows had it; those
        organisations get no country (their ties have unknown scope).
    oversized_events : list of dict
        Events left out of projection by the size cap (layer, event, size).
    notes : list of str
        Other facts a user should know (organisations known only from records,
        events with a single organisation).
    """

    files: list[FileSummary] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    unknown_countries: dict[str, int] = field(default_factory=dict)
    oversized_events: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def reject(self, summary: FileSummary, rows: pd.DataFrame, column: str, reason: str) -> None:
        """Record rejected rows: ``rows`` has ``line`` and ``value`` columns."""
        summary.rejected += len(rows)
        for line, value in zip(rows["line"].tolist(), rows["value"].tolist()):
            text = "" if value is None or value is pd.NA else str(value)
            self.rejections.append(Rejection(summary.source, int(line), column, text, reason))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (used in saved networks and the report)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LoadReport:
        """Inverse of :meth:`to_dict`."""
        return cls(
            files=[FileSummary(**f) for f in data.get("files", [])],
            rejections=[Rejection(**r) for r in data.get("rejections", [])],
            unknown_countries=dict(data.get("unknown_countries", {})),
            oversized_events=list(data.get("oversized_events", [])),
            notes=list(data.get("notes", [])),
        )

    def rejections_frame(self) -> pd.DataFrame:
        """The rejected rows as a table (source, line, column, value, reason)."""
        columns = ["source", "line", "column", "value", "reason"]
        return pd.DataFrame([asdict(r) for r in self.rejections], columns=columns)

    def summary_lines(self) -> list[str]:
        """A few sentences for people, one per line.

        Examples
        --------
        >>> report = LoadReport(files=[FileSummary("partnerships", "p.csv", None, 10, 9, 0, 1)])
        >>> report.summary_lines()[0]
        'p.csv (partnerships): 10 rows: 9 used, 0 merged as repeats, 1 rejected'
        """
        lines = [
            f"{f.source} ({f.kind}): {f.rows} rows: {f.used} used, {f.merged} merged as repeats, "
            f"{f.rejected} rejected"
            for f in self.files
        ]
        for f in self.files:
            lines.extend(f.warnings)
        if self.unknown_countries:
            listed = ", ".join(f"{k!r} ({v})" for k, v in sorted(self.unknown_countries.items()))
            lines.append(f"country text naming no known country, left without country: {listed}")
        if self.oversized_events:
            lines.append(
                f"{len(self.oversized_events)} events above the size cap were not projected "
                f"(largest: {max(e['size'] for e in self.oversized_events)} organisations)"
            )
        lines.extend(self.notes)
        return lines
