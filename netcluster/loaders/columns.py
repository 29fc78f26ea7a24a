"""Canonical fields of each record kind and the header names that map onto them.

A loader renames the user's headers to canonical field names once, at the
boundary; everything after works with the canonical names. Matching ignores
case, spaces, dashes and underscores, so ``Start Year``, ``start_year`` and
``STARTYEAR`` are the same header.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from ..errors import ColumnError

__all__ = ["FIELDS", "REQUIRED", "SYNONYMS", "map_columns"]

#: Canonical fields per record kind (shape), in display order.
FIELDS: Mapping[str, tuple[str, ...]] = {
    "pairs": ("source", "target", "year", "weight", "type"),
    "events": ("event", "org", "year", "weight", "role", "name", "country", "region", "city", "kind"),
    "memberships": ("org", "group", "role", "year", "name", "country", "region", "city", "kind"),
    "organisations": ("org", "name", "country", "region", "city", "lat", "lon", "kind", "sector", "member"),
}

#: Fields without which a record of that shape means nothing.
REQUIRED: Mapping[str, tuple[str, ...]] = {
    "pairs": ("source", "target"),
    "events": ("event", "org"),
    "memberships": ("org", "group"),
    "organisations": ("org",),
}

#: Header names (normalised) accepted for each canonical field.
SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "source": ("source", "from", "org1", "organisation1", "organization1", "partnera", "orga"),
    "target": ("target", "to", "org2", "organisation2", "organization2", "partnerb", "orgb"),
    "event": (
        "event", "project", "projectid", "projectrcn", "rcn", "patent", "patentid",
        "application", "applnid", "applicationid", "applicationnumber", "publicationnumber",
        "lensid", "group",
    ),
    "org": (
        "org", "orgid", "organisation", "organization", "organisationid", "organizationid",
        "pic", "applicant", "applicantid", "personid", "psnid", "psnname", "member", "memberid",
        "id",
    ),
    "group": ("group", "cluster", "association", "membershipgroup", "consortium", "network"),
    "year": (
        "year", "startyear", "applnfilingyear", "filingyear", "priorityyear", "publicationyear",
        "joined", "joinyear", "since",
    ),
    "weight": ("weight", "count", "strength", "value"),
    "type": ("type", "tietype", "relation", "relationship"),
    "role": ("role", "membershiprole", "tier"),
    "name": ("name", "orgname", "organisationname", "organizationname", "legalname", "applicantname"),
    "country": ("country", "countrycode", "personctrycode", "ctry", "iso2", "nation"),
    "region": ("region", "nuts", "nutscode", "nuts2", "nuts3", "county", "state", "province"),
    "city": ("city", "town", "municipality", "locality"),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "lng", "long", "longitude"),
    "kind": ("kind", "activitytype", "orgtype", "organisationtype", "organizationtype", "psnsector", "type"),
    "sector": ("sector", "industry", "nace", "field", "technfield"),
    "member": ("member", "ismember", "clustermember"),
}


def _normalise(header: str) -> str:
    return re.sub(r"[\s_\-./]+", "", str(header).strip().casefold())


def map_columns(frame: pd.DataFrame, shape: str, source: str) -> pd.DataFrame:
    """Rename a table's headers to the canonical fields of a record shape.

    Exact canonical names win over synonyms; among synonyms the earlier one
    in :data:`SYNONYMS` wins, and other columns are kept under their own
    names. Special case: in organisation records a ``member`` header means
    the membership flag, never the id.

    Parameters
    ----------
    frame : pandas.DataFrame
    shape : {"pairs", "events", "memberships", "organisations"}
    source : str
        The file name (or ``"<DataFrame>"``) for error messages.

    Raises
    ------
    ColumnError
        When a required field has no matching header; the message lists the
        headers found and the names accepted.
    """
    normalised = {column: _normalise(column) for column in frame.columns}
    renames: dict[str, str] = {}
    taken: set[str] = set()
    for field in FIELDS[shape]:
        candidates = SYNONYMS[field]
        if shape == "organisations" and field == "org":
            candidates = tuple(c for c in candidates if c not in ("member", "memberid"))
        for wanted in (field, *candidates):
            hits = [c for c, n in normalised.items() if n == wanted and c not in taken]
            if hits:
                renames[hits[0]] = field
                taken.add(hits[0])
                break
    for field in REQUIRED[shape]:
        if field not in renames.values():
            accepted = ", ".join((field, *SYNONYMS[field][1:6]))
            found = ", ".join(map(str, frame.columns)) or "none"
            raise ColumnError(
                f"no column for the required field {field!r} (accepted names include {accepted}; "
                f"headers found: {found})",
                file=source,
                column=field,
            )
    # A renamed column must not collide with a kept column of the same name.
    kept = [c for c in frame.columns if c not in renames]
    clashes = set(kept) & set(renames.values())
    result = frame.rename(columns={c: f"{c} (original)" for c in clashes})
    return result.rename(columns=renames)
