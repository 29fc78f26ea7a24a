"""Organisation names: mojibake repair, match keys, proposed merges (hand-made and real data)."""

from __future__ import annotations

import time

import pandas as pd
import pytest
from hypothesis import given, strategies as st

from netcluster import InputError, SchemaError
from netcluster.loaders.names import LEGAL_FORMS, match_key, merge_similar, repair_mojibake

# Lower-case letters of European Latin alphabets (repair_mojibake restores all of them). Upper
# case is left to the examples: pairs such as "ÎŠ" or "Â " are what Windows-1252 mojibake looks
# like, and ftfy repairs them on purpose.
_LETTERS = st.characters(
    codec="utf-8",
    categories=("Ll",),
    include_characters=" -.'",
    exclude_characters="ƒœµ",  # MacRoman mojibake of Latin-1 text; the micro sign
    max_codepoint=0x17F,
)


# -- repair_mojibake ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("garbled", "repaired"),
    [
        ("J√∂ckel", "Jöckel"),
        ("Soci√©t√© G√©n√©rale", "Société Générale"),
        ("Tillv√§xtverket", "Tillväxtverket"),  # missed by ftfy's detector: the MacRoman plan
        ("T√úV S√úD Rail GmbH", "TÜV SÜD Rail GmbH"),
        ("Politechnika ≈Å√≥dzka", "Politechnika Łódzka"),
        ("Gamtos tyrim≈≥ centras", "Gamtos tyrimų centras"),
        ("Universitatea »òtiin»õe", "Universitatea Științe"),
        ("ŒïŒ∏ŒΩŒπŒ∫œå ŒäŒ¥œÅœÖŒºŒ±", "Εθνικό Ίδρυμα"),  # Greek: ftfy's own repair
        ("52¬∞North GmbH", "52°North GmbH"),
        ("A ‚Äì B", "A – B"),
        ("MÃ¼nchen", "München"),  # Windows-1252 mojibake, also ftfy's
    ],
)
def test_mojibake_is_repaired(garbled, repaired):
    fixed, changed = repair_mojibake(pd.Series([garbled]))
    assert fixed.tolist() == [repaired]
    assert changed.tolist() == [True]


@pytest.mark.parametrize(
    "name",
    [
        "Jöckel",
        "√2 Maths Ltd",
        "Σ√ Labs",
        "Conseil d’État",  # ’É is valid UTF-8 in MacRoman bytes, but an Armenian letter
        "Rue\u00a0Émile Zola",  # the same for a no-break space before É (an IPA letter)
        "«École» française",
        "Œuvre d’Orient",
        "52°North GmbH",
        "Εθνικό Ίδρυμα",
        "Mærsk A/S",
        "“quoted” & ＦＵＬＬＷＩＤＴＨ",  # no quote or width changes
        "AT&amp;T",  # no HTML unescaping
        "",
        "ACME",
    ],
)
def test_correct_text_is_left_byte_identical(name):
    fixed, changed = repair_mojibake(pd.Series([name]))
    assert fixed.iloc[0].encode("utf-8") == name.encode("utf-8")
    assert changed.tolist() == [False]


@pytest.mark.parametrize("dtype", [object, "string"])
def test_repair_keeps_index_dtype_missing_values_and_input(dtype):
    values = pd.Series(["J√∂ckel", None, "Jöckel", "J√∂ckel"], index=[10, 11, 12, 13], dtype=dtype)
    before = values.copy()
    fixed, changed = repair_mojibake(values)
    assert fixed.fillna("<missing>").tolist() == ["Jöckel", "<missing>", "Jöckel", "Jöckel"]
    assert changed.tolist() == [True, False, False, True]
    assert list(fixed.index) == list(changed.index) == [10, 11, 12, 13]
    assert fixed.dtype == values.dtype and changed.dtype == bool
    pd.testing.assert_series_equal(values, before)


@given(st.text(_LETTERS, min_size=1, max_size=30))
def test_macroman_mojibake_round_trips(text):
    garbled = text.encode("utf-8").decode("mac_roman")
    fixed, changed = repair_mojibake(pd.Series([garbled], dtype=object))
    assert fixed.iloc[0] == text
    assert changed.iloc[0] == (garbled != text)


@given(st.text(_LETTERS, max_size=30))
def test_correct_european_text_is_never_changed(text):
    fixed, changed = repair_mojibake(pd.Series([text], dtype=object))
    assert fixed.iloc[0] == text and not changed.iloc[0]


# -- match_key ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Acme GmbH", "ACME GMBH", "Acme mbH", "Acme gGmbH", "Acme AG", "Acme GmbH & Co. KG",
        "Acme UG (haftungsbeschränkt)", "Acme e.V.", "Acme e. V.", "Acme AS", "Acme ASA", "Acme A/S",
        "Acme ApS", "AB Acme", "Acme Oy", "Acme Oyj", "Acme OÜ", "Acme Ltd", "Acme Ltd.", "Acme Limited",
        "Acme, Inc.", "Acme Incorporated", "Acme Corp.", "Acme Corporation", "Acme Co.", "Acme & Co",
        "Acme LLC", "Acme L.L.C.", "Acme LLP", "Acme PLC", "Acme S.p.A.", "Acme SpA", "ACME S.P.A.",
        "Acme s. p. a.", "Acme S.r.l.", "Acme Srl", "Acme SA", "Acme S.A.", "Acme SAS", "Acme SARL",
        "Acme S.L.", "Acme SL", "Acme BV", "Acme B.V.", "Acme NV", "Acme N.V.", "Acme Sp. z o.o.",
        "ACME SP. Z O.O.", "Acme Kft.", "Acme Zrt", "Acme d.o.o.", "Acme s.r.o.", "Acme a.s.",
        "Acme AE", "Acme A.E.", "Acme IKE", "Acme Pte Ltd", "Acme Pty Ltd", "Acme Ltda", "Acme GIE",
        "Acme SE", "  ACME   ",
    ],
)
def test_legal_forms_are_removed(name):
    assert match_key(pd.Series([name])).tolist() == ["acme"]


def test_every_legal_form_is_removed():
    names = pd.Series([f"Acme {form}" for form in LEGAL_FORMS])
    assert set(match_key(names)) == {"acme"}


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Fraunhofer-Gesellschaft zur Förderung der angewandten Forschung e.V.",
         "fraunhofer gesellschaft zur forderung der angewandten forschung"),
        ("FRAUNHOFER GESELLSCHAFT ZUR FOERDERUNG DER ANGEWANDTEN FORSCHUNG E.V.",
         "fraunhofer gesellschaft zur foerderung der angewandten forschung"),  # oe is not folded
        ("Université Côte d'Azur", "universite cote d azur"),
        ("SØFARTSSTYRELSEN", "sofartsstyrelsen"),
        ("A.P. Møller - Mærsk A/S", "ap moller maersk"),
        ("Straße der Technik", "strasse der technik"),
        ("Politechnika Łódzka", "politechnika lodzka"),
        ("Mersin Ticaret ve Sanayi Odası", "mersin ticaret ve sanayi odasi"),
        ("Robert Bosch GmbH Stuttgart", "robert bosch stuttgart"),
        ("Procter & Gamble", "procter and gamble"),
        ("J.P. Morgan Chase & Co.", "jp morgan chase"),
        ("ﬁnnish ＩＮＳＴＩＴＵＴＥ", "finnish institute"),
        ("Agfa Cooperative Spain Asahi Coimbra", "agfa cooperative spain asahi coimbra"),
        ("AG", "ag"),  # nothing but a legal form: kept
        ("S.A.", "sa"),
        ("---", ""),
    ],
)
def test_match_key_values(name, key):
    assert match_key(pd.Series([name])).tolist() == [key]


def test_match_key_keeps_index_and_missing_values_and_names():
    names = pd.Series(["Acme GmbH", None, "Acme AG"], index=["x", "y", "z"], dtype=object)
    before = names.copy()
    keys = match_key(names)
    assert keys.tolist() == ["acme", pd.NA, "acme"]
    assert list(keys.index) == ["x", "y", "z"]
    pd.testing.assert_series_equal(names, before)


# -- merge_similar ------------------------------------------------------------------------------


def _orgs(rows):
    return pd.DataFrame(rows, columns=["org_id", "name", "country"])


def test_merges_within_a_country_never_across():
    orgs = _orgs(
        [
            (5, "Acme Robotics GmbH", "DE"),
            (3, "ACME ROBOTICS", "DE"),
            (9, "Acme Robotic GmbH", "DE"),
            (1, "Acme Robotics SAS", "FR"),
            (2, "Acme Robotics", None),
            (4, "Beta Systems AG", "DE"),
        ]
    )
    merges = merge_similar(orgs)
    assert merges.to_dict("records") == [
        {"org_id": 5, "merged_into": 3, "name": "Acme Robotics GmbH", "canonical_name": "ACME ROBOTICS",
         "country": "DE", "score": 100.0, "rule": "same key"},
        {"org_id": 9, "merged_into": 3, "name": "Acme Robotic GmbH", "canonical_name": "ACME ROBOTICS",
         "country": "DE", "score": 96.0, "rule": "similar"},
    ]


def test_output_is_deterministic_and_sorted():
    orgs = _orgs(
        [
            ("n3", "Nordlys Havvind AS", "NO"),
            ("n1", "NORDLYS HAVVIND", "NO"),
            ("d2", "Dansk Havvind ApS", "DK"),
            ("d1", "Dansk Havvind A/S", "DK"),
            ("n2", "Nordlys Havvinds AS", "NO"),
        ]
    )
    expected = merge_similar(orgs)
    assert expected[["org_id", "merged_into"]].values.tolist() == [["d2", "d1"], ["n2", "n1"], ["n3", "n1"]]
    for seed in range(5):
        shuffled = orgs.sample(frac=1, random_state=seed)
        pd.testing.assert_frame_equal(merge_similar(shuffled), expected)


def test_no_chains_every_merge_scores_against_its_canonical():
    orgs = _orgs(
        [
            (1, "Nordlys Havvind Energi", "NO"),
            (2, "Nordlys Havvind Energie", "NO"),  # 97.8 against 1
            (3, "Nordlys Havvind Energies", "NO"),  # 97.9 against 2, 95.7 against 1
        ]
    )
    merges = merge_similar(orgs, threshold=96)
    assert merges[["org_id", "merged_into"]].values.tolist() == [[2, 1]]


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("Universite Paris 5", "Universite Paris 7"),
        ("Universite de Montpellier II", "Universite de Montpellier"),
        ("Uninett Sigma AS", "Uninett Sigma2 AS"),
        ("Hospital Universitario de Valencia", "Hospital Universitario de Palencia"),
        ("Centre Hospitalier Universitaire de Nimes", "Centre Hospitalier Universitaire de Nice"),
        ("Universita degli Studi di Pavia", "Universita degli Studi di Padova"),
    ],
)
def test_other_places_and_numbers_are_not_merged(name, other):
    assert merge_similar(_orgs([(1, name, "XX"), (2, other, "XX")])).empty


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("Istituto di Ricerche Chimiche Mario Negri", "Istituto di Richerche Chimiche Mario Negri"),
        ("Institut de Radioprotection et de Surete Nucleaire", "Institut de Radioprotection et de Surete Nucleaire (IRSN)"),
        ("Jozef Stefan Institute", "Institute Jozef Stefan"),
        ("Fraunhofer-Gesellschaft zur Förderung der angewandten Forschung e.V.",
         "FRAUNHOFER GESELLSCHAFT ZUR FOERDERUNG DER ANGEWANDTEN FORSCHUNG E.V."),
    ],
)
def test_typos_acronyms_and_word_order_are_merged(name, other):
    merges = merge_similar(_orgs([(1, name, "XX"), (2, other, "XX")]))
    assert merges[["org_id", "merged_into", "rule"]].values.tolist() == [[2, 1, "similar"]]
    assert merges["score"].iloc[0] >= 95


def test_threshold_controls_similar_merges():
    orgs = _orgs([(1, "Ecole Centrale de Lyon", "FR"), (2, "Ecole Centrale Lyon", "FR")])
    assert merge_similar(orgs).empty  # 92.7
    assert merge_similar(orgs, threshold=90)["merged_into"].tolist() == [1]


def test_empty_input_gives_empty_table_with_columns():
    for orgs in (_orgs([]), _orgs([(1, "", "NO"), (2, "", "NO"), (3, "Acme", None)])):
        merges = merge_similar(orgs)
        assert merges.empty
        assert list(merges.columns) == [
            "org_id", "merged_into", "name", "canonical_name", "country", "score", "rule"
        ]


def test_input_is_not_changed():
    orgs = _orgs([(2, "Acme AS", "NO"), (1, "ACME", "NO")])
    before = orgs.copy()
    merge_similar(orgs)
    pd.testing.assert_frame_equal(orgs, before)


def test_bad_arguments():
    with pytest.raises(SchemaError):
        merge_similar(pd.DataFrame({"org_id": [1], "name": ["Acme"]}))
    with pytest.raises(InputError):
        merge_similar(_orgs([(1, "Acme", "NO"), (1, "Beta", "NO")]))
    with pytest.raises(InputError):
        merge_similar(_orgs([(1, "Acme", "NO")]), threshold=0)
    with pytest.raises(InputError):
        merge_similar(_orgs([(1, "Acme", "NO")]), threshold=101)


# -- real data ----------------------------------------------------------------------------------


def _read(folder, name, **options):
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False, **options)


def test_cordis_2017_mojibake_names_are_all_repaired(shared_data):
    names = _read(shared_data, "cordis_h2020_organisations_2017.csv.gz", usecols=["name"])["name"]
    fixed, changed = repair_mojibake(names)
    garbled = ~names.map(str.isascii)
    # Every non-ASCII name in this table is MacRoman mojibake (148 of 16,592).
    assert changed.sum() == garbled.sum() == 148
    assert changed.equals(garbled)
    expected = names[changed].map(lambda name: name.encode("mac_roman").decode("utf-8"))
    assert fixed[changed].equals(expected)
    assert fixed[~changed].equals(names[~changed])
    assert not fixed.str.contains("√|≈|¬|‚Ä", regex=True).any()


def test_current_cordis_names_are_left_alone(shared_data):
    names = _read(shared_data, "cordis_organization_current_schema_sample.csv.gz", usecols=["name"])["name"]
    fixed, changed = repair_mojibake(names)
    assert (~names.map(str.isascii)).any()
    assert not changed.any()
    assert fixed.equals(names)


def test_patstat_applicants_merge_quickly_within_countries(shared_data):
    records = _read(shared_data, "patstat_copatent_fr_de_it_sample.csv.gz",
                    usecols=["psn_name", "person_ctry_code"])
    pairs = records.drop_duplicates().sort_values(["psn_name", "person_ctry_code"], ignore_index=True)
    orgs = pd.DataFrame({"org_id": pairs.index, "name": pairs["psn_name"], "country": pairs["person_ctry_code"]})
    assert orgs["name"].nunique() == 5791
    start = time.perf_counter()
    merges = merge_similar(orgs)
    assert time.perf_counter() - start < 30
    assert len(merges) > 0
    country = orgs.set_index("org_id")["country"]
    assert merges["country"].tolist() == country[merges["merged_into"]].tolist()
    assert merges["country"].tolist() == country[merges["org_id"]].tolist()
    assert (merges["score"] >= 95).all() and (merges["org_id"] > merges["merged_into"]).all()
    assert not merges["merged_into"].isin(merges["org_id"]).any()
    pd.testing.assert_frame_equal(merge_similar(orgs.sample(frac=1, random_state=0)), merges)
    assert len(merge_similar(orgs, threshold=90)) > len(merges)
