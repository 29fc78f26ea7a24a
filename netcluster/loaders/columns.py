"""Canonical fields of each record shape and the header names that map onto them.

A loader renames the user's headers to canonical field names once, at the
boundary; everything after works with the canonical names. Matching ignores
case, spaces, dashes, underscores, dots and slashes, so ``Start Year``,
``start_year`` and ``STARTYEAR`` are the same header.

Synonyms come in tiers, best first. A field takes the header of the best tier
that matches; two headers in that same tier (``pic`` and ``orgId``, say) are
ambiguous and raise :class:`~netcluster.errors.SchemaError`, which tells the
user how to choose with an explicit mapping (``columns={"org": "pic"}`` in
Python, ``--map partnerships.org=pic`` on the command line).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

import pandas as pd

from ..errors import SchemaError

__all__ = ["FIELDS", "REQUIRED", "SYNONYMS", "map_columns", "normalise_header"]

#: Canonical fields per record shape, in display order.
FIELDS: Mapping[str, tuple[str, ...]] = {
    "pairs": ("source", "target", "year", "weight", "type"),
    "events": (
        "event", "org", "year", "role", "name", "country", "region", "city", "kind", "geolocation",
    ),
    "memberships": (
        "org", "group", "role", "year", "name", "country", "region", "city", "kind", "geolocation",
    ),
    "organisations": (
        "org", "name", "country", "region", "city", "lat", "lon", "kind", "sector", "member",
        "geolocation",
    ),
}

#: Fields without which a record of that shape means nothing.
REQUIRED: Mapping[str, tuple[str, ...]] = {
    "pairs": ("source", "target"),
    "events": ("event", "org"),
    "memberships": ("org", "group"),
    "organisations": ("org",),
}

#: Normalised header names accepted for each canonical field, in tiers (best first).
SYNONYMS: Mapping[str, tuple[tuple[str, ...], ...]] = {
    "source": (("source",), ("from", "org1", "organisation1", "organization1", "partnera", "orga")),
    "target": (("target",), ("to", "org2", "organisation2", "organization2", "partnerb", "orgb")),
    "event": (
        ("event", "eventid"),
        ("projectid", "applnid", "applicationid", "patentid", "lensid"),
        ("rcn", "projectrcn", "project", "patent", "application", "applicationnumber",
         "publicationnumber", "appln", "applnnr"),
    ),
    "org": (
        ("org",),
        ("orgid", "organisationid", "organizationid", "pic", "applicantid", "psnid", "personid",
         "memberid"),
        ("psnname", "applicant", "applicants", "applicantname", "applicantnames", "organisation",
         "organization", "member", "company", "id"),
    ),
    "group": (
        ("group",),
        ("cluster", "association", "membershipgroup", "consortium", "network"),
    ),
    "year": (
        ("year",),
        ("startyear", "applnfilingyear", "filingyear", "applicationyear", "priorityyear",
         "publicationyear", "joinyear", "joined", "since"),
    ),
    "weight": (("weight",), ("count", "strength", "value", "eccontribution", "contribution")),
    "type": (("type",), ("tietype", "relation", "relationship")),
    "role": (("role",), ("membershiprole", "tier")),
    "name": (
        ("name",),
        ("orgname", "organisationname", "organizationname", "legalname", "applicantname", "psnname"),
    ),
    "country": (
        ("country",),
        ("countrycode", "personctrycode", "ctry", "iso2", "nation", "applicantcountry",
         "applicantcountries", "countries"),
    ),
    "region": (("region",), ("nuts", "nutscode", "nuts3", "nuts2", "county", "state", "province")),
    "city": (("city",), ("town", "municipality")),
    "lat": (("lat",), ("latitude",)),
    "lon": (("lon",), ("lng", "long", "longitude")),
    "geolocation": (("geolocation",), ("latlon", "latlong", "coordinates")),
    "kind": (
        ("kind",),
        ("activitytype", "orgtype", "organisationtype", "organizationtype", "psnsector", "type"),
    ),
    "sector": (("sector",), ("industry", "nace", "technfield", "field")),
    "member": (("member",), ("ismember", "clustermember")),
}

# Headers that mean something else in a given shape.
_NOT_IN_SHAPE = {("organisations", "org"): {"member", "memberid"}}


def normalise_header(header: object) -> str:
    """The form in which headers are compared.

    Examples
    --------
    >>> normalise_header(" Person_Ctry-Code "), normalise_header("lat/lon")
    ('personctrycode', 'latlon')
    """
    return re.sub(r"[\s_\-./]+", "", str(header).strip().casefold())


def map_columns(
    frame: pd.DataFrame,
    shape: str,
    source: str,
    mapping: Mapping[str, str] | None = None,
    kind: str = "KIND",
) -> pd.DataFrame:
    """Rename a table's headers to the canonical fields of a record shape.

    Parameters
    ----------
    frame : pandas.DataFrame
    shape : {"pairs", "events", "memberships", "organisations"}
    source : str
        The file name (or ``"<DataFrame>"``) for error messages.
    kind : str
        The record kind (``partnerships``, ...), named in the advice of an
        ambiguity error.
    mapping : mapping of field -> header, optional
        Explicit choices, which win over synonyms: ``{"org": "psn_name"}``.

    Returns
    -------
    pandas.DataFrame
        Mapped columns under canonical names; other columns keep their names
        (a kept column named like a canonical field gets `` (original)``).

    Raises
    ------
    SchemaError
        When a required field has no header, a field matches two headers
        equally well, or the mapping names an unknown field or header. The
        message lists the fields expected, the headers found and the
        closest match.

    Examples
    --------
    >>> frame = pd.DataFrame(columns=["appln_id", "psn_name", "person_ctry_code"])
    >>> list(map_columns(frame, "events", "x.csv").columns)
    ['event', 'org', 'country']
    """
    explicit = _explicit(frame, shape, source, mapping or {})
    renames = {header: field for field, header in explicit.items()}
    for field in FIELDS[shape]:
        if field in explicit:
            continue
        header = _match(frame, shape, field, source, kind, taken=set(renames))
        if header is not None:
            renames[header] = field
    missing = [f for f in REQUIRED[shape] if f not in renames.values()]
    if missing:
        raise SchemaError(_missing_message(missing[0], shape, frame), file=source, column=missing[0])
    kept = [c for c in frame.columns if c not in renames]
    clashes = set(kept) & set(renames.values())
    result = frame.rename(columns={c: f"{c} (original)" for c in clashes})
    return result.rename(columns=renames)


def _explicit(
    frame: pd.DataFrame, shape: str, source: str, mapping: Mapping[str, str]
) -> dict[str, str]:
    headers = [str(c) for c in frame.columns]
    for field, header in mapping.items():
        if field not in FIELDS[shape]:
            raise SchemaError(
                f"cannot map onto {field!r}: the fields of these records are {', '.join(FIELDS[shape])}",
                file=source,
                column=field,
            )
        if header not in headers:
            close = difflib.get_close_matches(header, headers, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise SchemaError(
                f"no header {header!r} to map onto {field!r} (headers found: {', '.join(headers)}){hint}",
                file=source,
                column=field,
            )
    return dict(mapping)


def _match(
    frame: pd.DataFrame, shape: str, field: str, source: str, kind: str, taken: set[str]
) -> str | None:
    excluded = _NOT_IN_SHAPE.get((shape, field), set())
    normalised = {c: normalise_header(c) for c in frame.columns if c not in taken}
    for tier in SYNONYMS[field]:
        names = [n for n in tier if n not in excluded]
        hits = [c for c, n in normalised.items() if n in names]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            listed = " and ".join(repr(str(h)) for h in hits)
            raise SchemaError(
                f"both {listed} could be the {field!r} column; choose one with "
                f"columns={{'{field}': '{hits[0]}'}} (command line: --map {kind}.{field}={hits[0]})",
                file=source,
                column=field,
            )
    return None


def _missing_message(field: str, shape: str, frame: pd.DataFrame) -> str:
    headers = [str(c) for c in frame.columns]
    accepted = [name for tier in SYNONYMS[field] for name in tier]
    by_normal = {normalise_header(h): h for h in headers}
    close = difflib.get_close_matches(field, list(by_normal), n=1, cutoff=0.5) or [
        hit for name in accepted for hit in difflib.get_close_matches(name, list(by_normal), n=1, cutoff=0.75)
    ][:1]
    hint = f"; closest header: {by_normal[close[0]]!r}" if close else ""
    return (
        f"no column for the required field {field!r} (fields expected: {', '.join(REQUIRED[shape])}; "
        f"accepted names for {field!r} include {', '.join(accepted[:6])}; "
        f"headers found: {', '.join(headers) or 'none'}){hint}"
    )
