"""Home sets: every form on the ocean_cluster sample, the errors, the CLI text form, the words."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netcluster import CollaborationNetwork
from netcluster.errors import InputError
from netcluster.home import HOME_KEYS, describe_home, home_set, parse_home
from netcluster.sample_graphs import load_sample

FOCAL = "NorOcean Technology Cluster"


@pytest.fixture(scope="module")
def ocean() -> CollaborationNetwork:
    return load_sample("ocean_cluster")


@pytest.fixture
def small() -> CollaborationNetwork:
    orgs = pd.DataFrame(
        {
            "country": ["NO", "NO", "NO", "DK", None],
            "region": ["Vestland", "Vestland", "Oslo", "Syddanmark", None],
            "city": ["Bergen", "Voss", "Oslo", "Odense", None],
            "member": [True, False, True, None, False],
        },
        index=pd.Index(["a", "b", "c", "d", "e"], name="org_id"),
    )
    events = pd.DataFrame(
        {
            "event": ["Blue", "Blue", "Green", "Blue"],
            "org": [0, 2, 3, 0],  # a is listed twice (two years)
            "layer": "membership",
            "year": [2019, 2019, 2020, 2021],
        }
    )
    return CollaborationNetwork(orgs, events=events)


def ids(network, mask) -> list[str]:
    return list(network.org_ids[mask])


# -- the forms on hand-made data ---------------------------------------------------------
def test_none_means_no_home_set(small):
    assert home_set(small, None) is None


def test_group_members_once_each(small):
    mask = home_set(small, {"group": "Blue"})
    assert mask.dtype == bool and mask.shape == (5,)
    assert ids(small, mask) == ["a", "c"]
    assert ids(small, home_set(small, {"group": "  green "})) == ["d"]  # case and spaces ignored


def test_country_code_or_name(small):
    for value in ("NO", "no", "Norway", "NOR", "Norge"):
        assert ids(small, home_set(small, {"country": value})) == ["a", "b", "c"]


def test_region_city_member(small):
    assert ids(small, home_set(small, {"region": "vestland"})) == ["a", "b"]
    assert ids(small, home_set(small, {"city": "Bergen"})) == ["a"]
    assert ids(small, home_set(small, {"member": True})) == ["a", "c"]  # NA is not a member
    assert ids(small, home_set(small, {"member": np.True_})) == ["a", "c"]


def test_several_keys_intersect(small):
    assert ids(small, home_set(small, {"country": "NO", "region": "Vestland", "member": True})) == ["a"]


def test_lists_of_ids(small):
    for given_ids in (["b", "d"], ("d", "b"), {"b", "d"}, pd.Index(["b", "d", "b"]),
                      np.array(["d", "b"]), pd.Series(["b", "d"])):
        assert ids(small, home_set(small, given_ids)) == ["b", "d"]


def test_boolean_masks(small):
    mask = np.array([True, False, False, False, True])
    got = home_set(small, mask)
    assert got.tolist() == mask.tolist() and got is not mask
    series = pd.Series([True, True], index=["c", "e"])
    assert ids(small, home_set(small, series)) == ["c", "e"]
    with pytest.raises(InputError, match="one value per organisation"):
        home_set(small, np.array([True, False]))
    with pytest.raises(InputError, match="not in the network"):
        home_set(small, pd.Series([True], index=["zz"]))


def test_file_of_ids(small, tmp_path):
    path = tmp_path / "home.txt"
    path.write_text("\ufefforg_id\n# the focal members\n\n  b  \nd\r\nb\n", encoding="utf-8")
    assert ids(small, home_set(small, {"file": str(path)})) == ["b", "d"]
    assert ids(small, home_set(small, path)) == ["b", "d"]  # a Path is a file


def test_file_header_word_that_is_an_id_is_kept(tmp_path):
    net = CollaborationNetwork(pd.DataFrame(index=pd.Index(["id", "x"], name="org_id")))
    path = tmp_path / "ids.txt"
    path.write_text("id\n", encoding="utf-8")
    assert ids(net, home_set(net, {"file": path})) == ["id"]


def test_file_errors(small, tmp_path):
    path = tmp_path / "home.txt"
    path.write_text("a\n\nzz\nyy\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        home_set(small, {"file": path})
    assert info.value.line == 3 and info.value.value == "zz" and info.value.file == str(path)
    assert str(info.value) == f"{path}:3, value 'zz': the home set names an organisation that is not in the network"
    with pytest.raises(InputError, match="no such home-set file"):
        home_set(small, {"file": tmp_path / "missing.txt"})
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="lists no organisation"):
        home_set(small, {"file": empty})
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Ålesund\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        home_set(small, {"file": latin})
    with pytest.raises(InputError, match="is a folder"):
        home_set(small, {"file": tmp_path})


# -- errors ------------------------------------------------------------------------------------
def one_line(error: pytest.ExceptionInfo) -> str:
    text = str(error.value)
    assert "\n" not in text and "\r" not in text
    assert isinstance(error.value, ValueError)
    return text


def test_unknown_group_lists_known_groups(ocean):
    with pytest.raises(InputError) as info:
        home_set(ocean, {"group": "Oslo Ocean Cluster"})
    text = one_line(info)
    assert "unknown membership group" in text and "value 'Oslo Ocean Cluster'" in text
    # 12 groups: the 10 largest are listed, the focal cluster first
    assert "known groups (12, largest first): 'NorOcean Technology Cluster', " in text
    assert text.endswith(" and 2 more")
    assert text.count("', '") == 9


def test_unknown_group_suggests_a_close_name(ocean):
    with pytest.raises(InputError) as info:
        home_set(ocean, {"group": "NorOcean Tech Cluster"})
    assert "did you mean 'NorOcean Technology Cluster'?" in one_line(info)


def test_group_without_membership_records(small):
    with pytest.raises(InputError, match="no membership records"):
        home_set(small.select(layers=[]), {"group": "Blue"})


def test_unknown_key_and_bad_values(small):
    with pytest.raises(InputError) as info:
        home_set(small, {"cluster": "Blue"})
    assert "unknown home-set key" in one_line(info) and "'cluster'" in str(info.value)
    with pytest.raises(InputError, match="empty home-set mapping"):
        home_set(small, {})
    with pytest.raises(InputError, match="unknown country"):
        home_set(small, {"country": "Atlantis"})
    with pytest.raises(InputError, match=r"\{'member': True\}"):
        home_set(small, {"member": "yes"})
    with pytest.raises(InputError, match="parse_home"):
        home_set(small, "country=NO")
    with pytest.raises(InputError, match="must be a mapping"):
        home_set(small, 3.5)


def test_empty_home_sets(small):
    with pytest.raises(InputError) as info:
        home_set(small, {"country": "SE"})
    assert "no organisation of the network is in country SE" in one_line(info)
    assert "countries present (2, largest first): 'NO', 'DK'" in str(info.value)
    with pytest.raises(InputError) as info:
        home_set(small, {"region": "Vestlandet"})
    assert "did you mean 'Vestland'?" in one_line(info)
    with pytest.raises(InputError, match="contains no organisation"):
        home_set(small, {"country": "DK", "member": True})
    with pytest.raises(InputError, match="contains no organisation"):
        home_set(small, [])
    with pytest.raises(InputError, match="contains no organisation"):
        home_set(small, np.zeros(5, dtype=bool))


def test_unknown_ids_name_the_first(small):
    with pytest.raises(InputError) as info:
        home_set(small, ["a", "q1", "q2"])
    assert info.value.value == "q1"
    assert one_line(info) == "value 'q1': the home set names an organisation that is not in the network"


# -- the ocean_cluster sample ---------------------------------------------------------------
def test_sample_focal_cluster_has_118_members(ocean):
    mask = home_set(ocean, {"group": FOCAL})
    assert int(mask.sum()) == 118
    membership = ocean.events[(ocean.events["layer"] == "membership") & (ocean.events["event"] == FOCAL)]
    assert set(ids(ocean, mask)) == set(ocean.org_ids[membership["org"].unique()])
    # the member flag marks exactly the focal cluster (sample README)
    assert mask.tolist() == home_set(ocean, {"member": True}).tolist()
    assert set(ocean.orgs.loc[mask, "country"]) == {"NO"}


def test_sample_places_counted_from_the_network(ocean):
    orgs = ocean.orgs
    for home, expected in (
        ({"country": "NO"}, orgs["country"] == "NO"),
        ({"region": "Vestland"}, orgs["region"] == "Vestland"),
        ({"city": "Bergen"}, orgs["city"] == "Bergen"),
        ({"region": "Møre og Romsdal"}, orgs["region"] == "Møre og Romsdal"),
    ):
        mask = home_set(ocean, home)
        assert mask.tolist() == expected.fillna(False).tolist()
    # the file lists 190 Norwegian organisations; the network keeps those with a record
    n_no = int((orgs["country"] == "NO").sum())
    assert n_no <= 190 and int(home_set(ocean, {"country": "Norway"}).sum()) == n_no
    assert int(home_set(ocean, {"region": "Vestland"}).sum()) == 52


def test_sample_file_round_trip(ocean, tmp_path):
    mask = home_set(ocean, {"group": "NorOcean Working Group Floating Wind"})
    path = tmp_path / "wind.txt"
    path.write_text("\n".join(ids(ocean, mask)) + "\n", encoding="utf-8")
    assert home_set(ocean, {"file": path}).tolist() == mask.tolist()
    assert int(mask.sum()) == 14


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=8))
def test_list_mask_is_set_membership(codes):
    orgs = pd.DataFrame(index=pd.Index(list("abcde"), name="org_id"))
    net = CollaborationNetwork(orgs)
    chosen = [net.org_ids[c] for c in codes]
    assert ids(net, home_set(net, chosen)) == sorted(set(chosen))


# -- the command-line form -------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ('group="Oslo Ocean Cluster"', {"group": "Oslo Ocean Cluster"}),
        ("group='Oslo Ocean Cluster'", {"group": "Oslo Ocean Cluster"}),
        ("group=Oslo Ocean Cluster", {"group": "Oslo Ocean Cluster"}),
        ('  GROUP = "A=B" ', {"group": "A=B"}),
        ("country=NO", {"country": "NO"}),
        ("region=Vestland", {"region": "Vestland"}),
        ("region=Troms og Finnmark", {"region": "Troms og Finnmark"}),
        ("city=Bergen", {"city": "Bergen"}),
        ("member", {"member": True}),
        ("member=true", {"member": True}),
        ("file=home ids.txt", {"file": "home ids.txt"}),
    ],
)
def test_parse_home(text, expected):
    assert parse_home(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("Oslo Ocean Cluster", "key=value"),
        ("cluster=Oslo", "unknown home-set key"),
        ("country=", "needs a value"),
        ('group=""', "needs a value"),
        ("member=false", "member=true"),
    ],
)
def test_parse_home_errors(text, message):
    with pytest.raises(InputError, match=message) as info:
        parse_home(text)
    assert "\n" not in str(info.value)


def test_parsed_text_selects_the_same_as_the_mapping(ocean):
    assert home_set(ocean, parse_home(f'group="{FOCAL}"')).sum() == 118
    assert set(HOME_KEYS) == {"group", "country", "region", "city", "member", "file"}


# -- words ------------------------------------------------------------------------------------
def test_describe_home(ocean, small):
    assert describe_home({"group": FOCAL}, ocean) == "members of NorOcean Technology Cluster (118 organisations)"
    assert describe_home({"country": "NO"}) == "organisations in Norway (NO)"
    assert describe_home({"region": "Vestland"}, small) == "organisations in the region Vestland (2 organisations)"
    assert describe_home({"city": "Bergen"}, small) == "organisations in the city Bergen (1 organisation)"
    assert describe_home({"member": True}) == "organisations flagged as members"
    assert describe_home({"file": "/x/ids.txt"}) == "organisations listed in ids.txt"
    assert describe_home(Path("/x/ids.txt")) == "organisations listed in ids.txt"
    assert describe_home(["a", "b", "a"]) == "2 listed organisations"
    assert describe_home(["c"], small) == "listed organisations (1 organisation)"
    assert describe_home({"country": "NO", "member": True}) == (
        "organisations in Norway (NO) and organisations flagged as members")
    assert describe_home(None, small) == "no home set"
    assert describe_home(np.ones(5, dtype=bool), small) == "a selection of organisations (5 organisations)"
    with pytest.raises(InputError):
        describe_home({"group": "nope"}, small)
