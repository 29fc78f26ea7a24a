"""The load report: what each input gave, and every row that was not used, with why.

For every input file ``rows == loaded + duplicates + rejected``: a row is
loaded, merged into an earlier identical record as a duplicate (a repeated
patent-applicant row, say), or rejected with a reason naming its line, field
and value. :meth:`FileSummary.check` enforces this on every load; nothing is
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
    loaded: int = 0
    duplicates: int = 0
    rejected: int = 0
    warnings: list[str] = field(default_factory=list)

    def check(self) -> None:
        """Raise ``RuntimeError`` (a bug in netcluster) unless every row is accounted for."""
        if self.rows != self.loaded + self.duplicates + self.rejected:
            raise RuntimeError(
                f"netcluster bug: {self.source}: {self.rows} rows read but {self.loaded} loaded + "
                f"{self.duplicates} duplicates + {self.rejected} rejected"
            )


@dataclass
class Rejection:
    """One row that was not used."""

    source: str
    line: int
    field: str
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
        Country text that named no country, with the number of rows that had
        it; those organisations get no country (their ties have unknown scope).
    oversized_events : list of dict
        Events above the size cap (layer, event, size) and how they were handled.
    notes : list of str
        Other facts a user should know (organisations known only from records,
        events with a single organisation, repaired names, merged names).
    """

    files: list[FileSummary] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    unknown_countries: dict[str, int] = field(default_factory=dict)
    oversized_events: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def reject(self, summary: FileSummary, lines: pd.Series, values: pd.Series, field: str, reason: str) -> None:
        """Record rejected rows of one file (their lines and offending values)."""
        summary.rejected += len(lines)
        for line, value in zip(lines.tolist(), values.tolist()):
            text = "" if value is None or value is pd.NA else str(value)
            self.rejections.append(Rejection(summary.source, int(line), field, text, reason))

    def count_unknown_countries(self, values: pd.Series) -> None:
        """Add unrecognised country texts (one entry per row) to the tally."""
        for value, count in values.astype(str).value_counts().items():
            self.unknown_countries[str(value)] = self.unknown_countries.get(str(value), 0) + int(count)

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
        """The rejected rows as a table (source, line, field, value, reason)."""
        columns = ["source", "line", "field", "value", "reason"]
        return pd.DataFrame([asdict(r) for r in self.rejections], columns=columns)

    def summary_lines(self) -> list[str]:
        """A few sentences for people, one per line.

        Examples
        --------
        >>> report = LoadReport(files=[FileSummary("partnerships", "p.csv", None, 10, 8, 1, 1)])
        >>> report.summary_lines()[0]
        'p.csv (partnerships): 10 rows read: 8 loaded, 1 duplicates merged, 1 rejected'
        """
        lines = [
            f"{f.source} ({f.kind}): {f.rows} rows read: {f.loaded} loaded, "
            f"{f.duplicates} duplicates merged, {f.rejected} rejected"
            for f in self.files
        ]
        for f in self.files:
            lines.extend(f.warnings)
        if self.unknown_countries:
            listed = ", ".join(f"{k!r} ({v})" for k, v in sorted(self.unknown_countries.items()))
            lines.append(f"country text naming no known country, left without country: {listed}")
        if self.oversized_events:
            handled = self.oversized_events[0].get("handled", "not projected")
            lines.append(
                f"{len(self.oversized_events)} events above the size cap were {handled} "
                f"(largest: {max(e['size'] for e in self.oversized_events)} organisations)"
            )
        lines.extend(self.notes)
        if self.rejections:
            lines.append(f"{len(self.rejections)} rows rejected; first: " + _describe(self.rejections[0]))
        return lines


def _describe(rejection: Rejection) -> str:
    return (
        f"{rejection.source}:{rejection.line}, field {rejection.field!r}, "
        f"value {rejection.value!r}: {rejection.reason}"
    )
