"""Country normalisation, localities and pair scopes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netcluster import InputError
from netcluster.geography import SCOPES, locality_codes, normalize_country, pair_scopes


@pytest.mark.parametrize(
    ("value", "expected"),
    [("NO", "NO"), ("no", "NO"), (" UK ", "GB"), ("EL", "GR"), ("NA", "NA"), ("NOR", "NO"),
     ("Norway", "NO"), ("Deutschland", "DE"), ("Korea, Rep.", "KR"), ("United Kingdom", "GB"),
     ("XK", "XK"), ("", None), (None, None), ("Atlantis", None), ("ZZ", None)],
)
def test_normalize_country(value, expected):
    assert normalize_country(value) == expected


def test_pair_scopes_cover_all_cases():
    country = np.array([0, 0, 0, 1, -1, 0])
    locality = np.array([0, 0, 1, 2, -1, -1])
    u = np.array([0, 0, 0, 0, 0, 5, 3])
    v = np.array([1, 2, 3, 4, 5, 2, 4])
    assert [SCOPES[s] for s in pair_scopes(u, v, country, locality)] == [
        "local", "national", "international", "unknown", "national", "national", "unknown"]


@pytest.mark.parametrize("country_u, country_v, local, expected", [
    (0, 0, False, "national"), (0, 0, True, "local"),
    (0, 1, False, "international"), (0, 1, True, "international"),  # a cross-border pair within km:D
    (-1, 0, False, "unknown"), (0, -1, True, "unknown"), (-1, -1, True, "unknown"), (-1, 1, False, "unknown"),
])
def test_pair_scopes_precedence_with_per_pair_locality(country_u, country_v, local, expected):
    # unknown before international before local, the rest national (per-pair locality, as km:D gives)
    country = np.array([country_u, country_v])
    scope = pair_scopes(np.array([0]), np.array([1]), country, np.array([local]))
    assert [SCOPES[s] for s in scope] == [expected]


def test_same_region_name_in_two_countries_is_not_local():
    orgs = pd.DataFrame({"country": ["NO", "SE"], "region": ["Nord", "Nord"]})
    codes = locality_codes(orgs)
    assert codes[0] != codes[1]


def test_nuts_levels_use_code_prefixes():
    orgs = pd.DataFrame({"country": ["DE", "DE", "DE"], "region": ["DE712", "DE714", "de300"]})
    assert len(set(locality_codes(orgs, "nuts3"))) == 3
    assert locality_codes(orgs, "nuts2").tolist()[0] == locality_codes(orgs, "nuts2").tolist()[1]
    assert locality_codes(orgs, "nuts1").tolist()[:2] == [0, 0] and locality_codes(orgs, "nuts1")[2] == 1


def test_unknown_locality_key():
    with pytest.raises(InputError, match="unknown locality"):
        locality_codes(pd.DataFrame({"country": ["NO"], "region": ["x"]}), "galaxy")


def test_locality_names_compare_without_case_or_extra_spaces():
    from netcluster.geography import locality_codes

    orgs = pd.DataFrame({"country": ["NO", "NO", "NO", "SE", "NO"],
                         "city": ["OSLO", "Oslo", " oslo  ", "Oslo", "Bergen"]})
    codes = locality_codes(orgs, "city")
    assert codes[0] == codes[1] == codes[2]
    assert codes[3] != codes[0] and codes[4] != codes[0]


def test_locality_codes_number_places_in_order_of_first_appearance():
    # -1 for a missing country, a missing or blank name; equal names in two countries differ
    orgs = pd.DataFrame({"country": [None, "NO", "SE", "NO", "NO", "SE", "NO", "DK"],
                         "region": ["Vest", "  ", "Vest", "vest ", None, "VEST", "Oslo", "Vest"]})
    assert locality_codes(orgs, "region").tolist() == [-1, -1, 0, 1, -1, 0, 2, 3]
    assert locality_codes(orgs, "nuts1").tolist() == [-1, -1, 0, 1, -1, 0, 2, 3]
