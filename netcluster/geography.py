"""Countries, localities and the geographic scope of ties.

A tie (u, v) is

``local``
    when u and v are in the same country and share the locality (region by
    default), or, with a distance locality such as ``"km:50"``, lie within
    that many kilometres of each other (great-circle distance between their
    coordinates);
``national``
    when they share the country but not the locality, or either locality is
    unknown;
``international``
    when their countries differ;
``unknown``
    when either country is unknown.

References
----------
Bathelt, H., Malmberg, A. & Maskell, P. (2004). Clusters and knowledge: local
buzz, global pipelines and the process of knowledge creation. *Progress in
Human Geography* 28(1), 31-56.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd
import pycountry

from .errors import InputError

__all__ = [
    "SCOPES", "normalize_country", "locality_codes", "country_codes", "group_codes", "local_pairs",
    "pair_scopes", "distance_km", "EARTH_RADIUS_KM",
]

#: Mean Earth radius used for great-circle distances (IUGG).
EARTH_RADIUS_KM = 6371.0088

#: The four tie scopes, in the order of their integer codes 0-3.
SCOPES = ("local", "national", "international", "unknown")
LOCAL, NATIONAL, INTERNATIONAL, UNKNOWN = range(4)
# pair_scopes' table: unknown before international before local; the rest national
_SCOPE_OF_INDEX = np.array([NATIONAL, LOCAL, INTERNATIONAL, INTERNATIONAL] + [UNKNOWN] * 4, dtype=np.int8)

# Codes used by the EU (CORDIS, Eurostat) where ISO 3166-1 differs, plus
# user-assigned codes in common use.
_CODE_ALIASES = {"UK": "GB", "EL": "GR", "XK": "XK"}

# Names that pycountry's lookup does not resolve but real exports contain.
_NAME_ALIASES = {
    "deutschland": "DE",
    "germany": "DE",
    "norge": "NO",
    "noreg": "NO",
    "sverige": "SE",
    "danmark": "DK",
    "suomi": "FI",
    "island": "IS",
    "nederland": "NL",
    "the netherlands": "NL",
    "holland": "NL",
    "españa": "ES",
    "italia": "IT",
    "österreich": "AT",
    "schweiz": "CH",
    "suisse": "CH",
    "polska": "PL",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "u.s.a.": "US",
    "united states of america": "US",
    "korea, rep.": "KR",
    "korea, republic of": "KR",
    "south korea": "KR",
    "republic of korea": "KR",
    "russia": "RU",
    "czech republic": "CZ",
    "turkey": "TR",
    "vietnam": "VN",
    "taiwan": "TW",
    "iran": "IR",
    "kosovo": "XK",
}


@functools.lru_cache(maxsize=4096)
def normalize_country(value: str | None) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for a country code or name.

    Accepts alpha-2 and alpha-3 codes in any case, the EU's ``UK`` and
    ``EL``, ``XK`` (Kosovo), English names and common native or
    statistical-office names. ``NA`` is Namibia, not a missing value.

    Parameters
    ----------
    value : str or None

    Returns
    -------
    str or None
        ``None`` for an empty value or one that names no known country.

    Examples
    --------
    >>> normalize_country("uk"), normalize_country("EL"), normalize_country("Deutschland")
    ('GB', 'GR', 'DE')
    >>> normalize_country("NA"), normalize_country("NOR"), normalize_country("Atlantis")
    ('NA', 'NO', None)
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    upper = text.upper()
    if upper in _CODE_ALIASES:
        return _CODE_ALIASES[upper]
    if len(upper) == 2 and pycountry.countries.get(alpha_2=upper) is not None:
        return upper
    if len(upper) == 3:
        country = pycountry.countries.get(alpha_3=upper)
        if country is not None:
            return country.alpha_2
    folded = re.sub(r"\s+", " ", text.casefold())
    if folded in _NAME_ALIASES:
        return _NAME_ALIASES[folded]
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None


def country_codes(orgs: pd.DataFrame) -> np.ndarray:
    """Integer code per organisation for its country; -1 where unknown."""
    codes, _ = pd.factorize(orgs["country"], use_na_sentinel=True)
    return codes.astype(np.int64)


def locality_codes(orgs: pd.DataFrame, locality: str = "region") -> np.ndarray:
    """Integer code per organisation for its locality; -1 where unknown.

    Parameters
    ----------
    orgs : pandas.DataFrame
        A network's organisations table.
    locality : str
        ``"region"`` (default), ``"city"``, ``"nuts1"``, ``"nuts2"`` or
        ``"nuts3"`` (the first 3, 4 or 5 characters of a NUTS code in the
        ``region`` column), or the name of any other organisation column.
        A distance locality (``"km:50"``) is not a partition: see
        :func:`local_pairs`.
        Localities are compared within a country, so equal names in two
        countries never make a tie local, and without regard to case or
        repeated spaces ("OSLO" and "Oslo" are one city).

    Raises
    ------
    InputError
        When the locality names no column.
    """
    if _distance(locality) is not None:
        raise InputError(
            "a distance locality is not a set of places: use it for tie scopes and local clustering; "
            "group tables need region, city, nuts1-3 or a column",
            value=locality,
        )
    match = re.fullmatch(r"nuts([123])", locality)
    if match:
        column, length = "region", 2 + int(match[1])
    elif locality in orgs.columns:
        column, length = locality, None
    else:
        raise InputError(
            "unknown locality: use region, city, nuts1, nuts2, nuts3 or an organisation column",
            value=locality,
        )
    # the names are folded once per distinct name (tens of regions for 100k organisations), not per row
    name_codes, distinct = pd.factorize(orgs[column].astype("string"), use_na_sentinel=True)
    names = pd.Series(distinct, dtype="string").str.strip()
    if length is not None:
        names = names.str.upper().str[:length]
    else:
        # "OSLO", "Oslo" and " oslo " are one place: compare folded case and single spaces
        names = names.str.casefold().str.replace(r"\s+", " ", regex=True)
    key_codes, _ = pd.factorize(names.mask(names == ""), use_na_sentinel=True)
    key = np.append(key_codes, -1)[name_codes]  # -1: no name, or an empty one
    country = country_codes(orgs)
    # (country, key) pairs numbered in order of first appearance, -1 where either is missing
    pair = np.where((country >= 0) & (key >= 0), country * (int(key.max(initial=-1)) + 1) + key, -1)
    codes, _ = pd.factorize(pair, use_na_sentinel=False)
    codes = codes.astype(np.int64)
    if (pair < 0).any():
        missing = int(codes[np.flatnonzero(pair < 0)[0]])
        codes = np.where(pair < 0, -1, codes - (codes > missing))
    return codes


def group_codes(orgs: pd.DataFrame, group_by: str = "country") -> np.ndarray:
    """Integer group per organisation for brokerage and E-I; -1 where unknown.

    Parameters
    ----------
    orgs : pandas.DataFrame
        A network's organisations table.
    group_by : str
        ``"country"`` (default) or any locality key of :func:`locality_codes`.

    Examples
    --------
    >>> orgs = pd.DataFrame({"country": ["NO", "NO", "DK", None], "region": ["A", "B", "C", "D"]})
    >>> group_codes(orgs).tolist(), group_codes(orgs, "region").tolist()
    ([0, 0, 1, -1], [0, 1, 2, -1])
    """
    if group_by == "country":
        return country_codes(orgs)
    return locality_codes(orgs, group_by)


def _distance(locality: str) -> float | None:
    match = re.fullmatch(r"km:(\d+(?:\.\d+)?)", str(locality).strip())
    return float(match[1]) if match else None


def distance_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle (haversine) distance in km; NaN where a coordinate is missing.

    Examples
    --------
    >>> round(float(distance_km(np.array([60.39]), np.array([5.32]), np.array([59.91]), np.array([10.75]))[0]))
    305
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(lon2) - np.radians(lon1)
    h = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def local_pairs(orgs: pd.DataFrame, u: np.ndarray, v: np.ndarray, locality: str = "region") -> np.ndarray:
    """Whether each pair (u[i], v[i]) shares a locality (countries are checked separately).

    Parameters
    ----------
    orgs : pandas.DataFrame
        A network's organisations table.
    u, v : numpy.ndarray of int
        Organisation codes.
    locality : str
        A locality key of :func:`locality_codes`, or ``"km:D"``: the two
        organisations lie at most D km apart (both need ``lat`` and ``lon``).

    Examples
    --------
    >>> orgs = pd.DataFrame({"country": ["NO", "NO", "NO"], "region": ["Vestland", "Vestland", "Oslo"],
    ...                      "lat": [60.39, 60.63, 59.91], "lon": [5.32, 6.42, 10.75]})
    >>> local_pairs(orgs, np.array([0, 0]), np.array([1, 2])).tolist()
    [True, False]
    >>> local_pairs(orgs, np.array([0, 0]), np.array([1, 2]), "km:100").tolist()
    [True, False]
    """
    limit = _distance(locality)
    if limit is None:
        codes = locality_codes(orgs, locality)
        at_u = codes[u]
        return (at_u >= 0) & (at_u == codes[v])
    if "lat" not in orgs or "lon" not in orgs or orgs["lat"].isna().all():
        raise InputError("a distance locality needs lat and lon for the organisations", value=locality)
    lat = orgs["lat"].to_numpy(dtype=float)
    lon = orgs["lon"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        return distance_km(lat[u], lon[u], lat[v], lon[v]) <= limit


def pair_scopes(
    u: np.ndarray, v: np.ndarray, country: np.ndarray, locality: np.ndarray
) -> np.ndarray:
    """Scope code (index into :data:`SCOPES`) of each pair (u[i], v[i]).

    Parameters
    ----------
    u, v : numpy.ndarray of int
        Organisation codes of the pairs' endpoints.
    country : numpy.ndarray of int
        Per-organisation codes from :func:`country_codes` (-1 = unknown).
    locality : numpy.ndarray
        Per-organisation codes from :func:`locality_codes` (-1 = unknown),
        or, when its length is that of ``u``, a per-pair boolean from
        :func:`local_pairs`.

    Examples
    --------
    >>> country = np.array([0, 0, 0, 1, -1])
    >>> locality = np.array([0, 0, 1, 2, -1])
    >>> [SCOPES[s] for s in pair_scopes(np.array([0, 0, 0, 0]), np.array([1, 2, 3, 4]),
    ...                                   country, locality)]
    ['local', 'national', 'international', 'unknown']
    """
    cu, cv = country[u], country[v]
    if locality.dtype == bool:
        local = locality
    else:
        lu = locality[u]
        local = (lu >= 0) & (lu == locality[v])
    # one small integer per pair, 4 * unknown + 2 * international + local, read in a table
    index = ((cu < 0) | (cv < 0)).view(np.int8) * np.int8(4)
    index += (cu != cv).view(np.int8) * np.int8(2)
    index += np.ascontiguousarray(local, dtype=bool).view(np.int8)
    return _SCOPE_OF_INDEX[index]
