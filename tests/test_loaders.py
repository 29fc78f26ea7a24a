"""Loaders: header mapping, typed fields, the load report's accounting, real CORDIS data."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

from netcluster import (
    InputError,
    SchemaError,
    StrictModeError,
    build_network,
    read_copatents,
    read_memberships,
    read_organisations,
    read_partnerships,
)
from netcluster.loaders import LoadReport


def _reconciled(report: dict) -> None:
    for f in report["files"]:
        assert f["rows"] == f["loaded"] + f["duplicates"] + f["rejected"], f


# -- header mapping -------------------------------------------------------------------------
def test_synonyms_recognised_and_shapes_detected():
    pairs = pd.DataFrame({"From": ["a", "b"], "To": ["b", "c"], "Start Year": ["2019", "2020"]})
    long = pd.DataFrame({"Project ID": ["P1", "P1", "P1"], "PIC": ["a", "c", "d"], "start_year": ["2021"] * 3})
    net = build_network(partnerships=[pairs, long])
    assert set(net.layers) == {"partnership"}
    assert len(net.events) == 3 and net.events["layer"].eq("partnership").all()
    assert net.n_orgs == 4
    assert sorted(net.ties["year"].tolist()) == [2019, 2020, 2021, 2021, 2021]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["Organisation name", "organisationID", "Country", "nutsCode"], ["name", "org", "country", "region"]),
        (["psn_name", "person_ctry_code", "NUTS"], ["org", "country", "region"]),
        (["Applicant", "Country"], ["org", "country"]),
    ],
)
def test_header_synonyms(headers, expected):
    frame = pd.DataFrame([["x"] * len(headers)], columns=headers)
    records = read_organisations(frame)
    assert [c for c in records.frame.columns if c in expected] == [c for c in expected if c in records.frame]
    assert set(expected) <= set(records.frame.columns)


def test_explicit_mapping_wins_and_is_checked():
    frame = pd.DataFrame({"appln_id": ["1", "1"], "holder": ["A", "B"], "psn_name": ["x", "y"]})
    records = read_copatents(frame, columns={"org": "holder"})
    assert records.frame["org"].tolist() == ["A", "B"]
    with pytest.raises(SchemaError, match="did you mean 'holder'"):
        read_copatents(frame, columns={"org": "holdr"})
    with pytest.raises(SchemaError, match="fields of these records"):
        read_copatents(frame, columns={"owner": "holder"})


def test_missing_required_field_lists_expected_found_and_closest(tmp_path):
    path = tmp_path / "members.csv"
    path.write_text("company_name,cluster\nA,X\n")
    with pytest.raises(SchemaError) as info:
        build_network(memberships=path)
    message = str(info.value)
    assert str(path) in message and "'org'" in message
    assert "headers found: company_name, cluster" in message
    assert "closest header: 'company_name'" in message
    assert isinstance(info.value, ValueError) and "\n" not in message


def test_ambiguous_field_is_an_error_with_the_fix():
    frame = pd.DataFrame({"pic": ["1"], "orgId": ["2"], "rcn": ["9"]})
    with pytest.raises(SchemaError, match=r"both .pic. and .orgId.*--map partnerships.org=pic"):
        read_partnerships(frame)
    assert read_partnerships(frame, columns={"org": "pic"}).frame["org"].tolist() == ["1"]


# -- fields and accounting ------------------------------------------------------------------
def test_messy_csv_every_row_accounted(tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text(
        "\ufeffsource;target;year;weight\n"
        "a;b;2019;1,5\n"
        "a;;2019;1\n"  # line 3: no target
        "c;c;2019;1\n"  # line 4: self
        "a;c;20x9;1\n"  # line 5: bad year
        "b;c;2020;-2\n"  # line 6: non-positive weight
        "\"b;x\";c;01/02/2021;\n",  # line 7: quoted delimiter, date as year, default weight
        encoding="utf-8",
    )
    net = build_network(partnerships=path)
    report = LoadReport.from_dict(net.load_report)
    _reconciled(net.load_report)
    assert (report.files[0].loaded, report.files[0].rejected) == (2, 4)
    got = [(r.line, r.field, r.value) for r in report.rejections]
    assert got == [(3, "target", ""), (4, "target", "c"), (5, "year", "20x9"), (6, "weight", "-2")]
    assert sorted(net.ties["weight"].tolist()) == [1.0, 1.5]
    assert sorted(net.ties["year"].tolist()) == [2019, 2021]
    assert "b;x" in set(net.org_ids)


def test_long_shape_duplicates_merged_and_attributes_filled(tmp_path):
    path = tmp_path / "patents.csv"
    path.write_text(
        "appln_id,psn_name,person_ctry_code,appln_filing_year\n"
        "1,ACME,DE,2010\n1,ACME,DE,2010\n1,LAB,Atlantis,2010\n2,LAB,NA,2011\n2,UNI,,2011\n3,,FR,2012\n"
    )
    net = build_network(copatents=path)
    _reconciled(net.load_report)
    summary = net.load_report["files"][0]
    assert (summary["rows"], summary["loaded"], summary["duplicates"], summary["rejected"]) == (6, 4, 1, 1)
    assert net.load_report["unknown_countries"] == {"Atlantis": 1}
    assert net.orgs.loc["ACME", "country"] == "DE"
    assert net.orgs.loc["LAB", "country"] == "NA"  # first recognised value; Namibia is not "missing"
    assert pd.isna(net.orgs.loc["UNI", "country"])
    assert len(net.ties) == 2 and set(net.ties["layer"]) == {"copatent"}


def test_wide_and_long_copatents_give_the_same_network(tmp_path):
    lens = tmp_path / "lens.csv"
    lens.write_bytes(
        b"Lens ID,Publication Year,Applicants,Applicant Countries\r\n"
        b"001-1,2019,ACME GMBH;;BACON; RICHARD J.;;LAB SA,DE;;GB;;FR\r\n"
        b"002-2,2020,LAB SA;;UNI OSLO,FR;;NO\r\n"
        b"003-3,2021,,\r\n"
    )
    long = tmp_path / "patstat.csv"
    long.write_text(
        "appln_id,appln_filing_year,psn_name,person_ctry_code,techn_field\n"
        "001-1,2019,ACME GMBH,DE,1\n001-1,2019,ACME GMBH,DE,2\n001-1,2019,BACON; RICHARD J.,GB,1\n"
        "001-1,2019,LAB SA,FR,1\n002-2,2020,LAB SA,FR,4\n002-2,2020,UNI OSLO,NO,4\n"
    )
    wide_net, long_net = build_network(copatents=lens), build_network(copatents=long)
    for net in (wide_net, long_net):
        _reconciled(net.load_report)
    assert sorted(wide_net.org_ids) == sorted(long_net.org_ids) == ["ACME GMBH", "BACON; RICHARD J.", "LAB SA", "UNI OSLO"]
    for org in wide_net.org_ids:
        assert wide_net.orgs.loc[org, "country"] == long_net.orgs.loc[org, "country"]
    assert (wide_net.to_csr() != long_net.to_csr()[long_net.codes(wide_net.org_ids)][:, long_net.codes(wide_net.org_ids)]).nnz == 0
    assert wide_net.load_report["files"][0]["rejected"] == 1  # the patent without applicants
    assert long_net.load_report["files"][0]["duplicates"] == 1


def test_namibia_is_not_missing():
    events = pd.DataFrame({"rcn": ["1", "1"], "pic": ["x", "y"], "country": ["NA", "NO"]})
    net = build_network(partnerships=events)
    assert net.orgs.loc["x", "country"] == "NA"


def test_organisations_table_wins_kinds_normalised_and_unlinked_kept_only_for_members():
    orgs = pd.DataFrame({"orgId": ["a", "b", "b", "m", "z"], "name": ["Alpha", "Beta", "Beta again", "Member", "Zed"],
                         "activityType": ["HES", "PRC", "PRC", "PUB", "OTH"], "country": ["EL", "UK", "UK", "NO", "NO"],
                         "member": ["yes", "no", "no", "yes", "no"]})
    events = pd.DataFrame({"event": ["P"] * 3, "org": ["a", "b", "c"], "name": ["Other", "", "Gamma"]})
    net = build_network(partnerships=events, organisations=orgs)
    _reconciled(net.load_report)
    assert list(net.org_ids) == ["a", "b", "m", "c"]  # table order first; z: no record, not a member
    assert net.orgs.loc["a", "name"] == "Alpha" and net.orgs.loc["c", "name"] == "Gamma"
    assert net.orgs["country"].tolist()[:2] == ["GR", "GB"]
    assert net.orgs.loc["a", "kind"] == "university" and net.orgs.loc["a", "kind_original"] == "HES"
    assert net.orgs["member"].tolist()[:2] == [True, False]
    assert net.load_report["files"][1]["duplicates"] == 1
    assert any("1 organisations in the organisations table appear in no record" in n for n in net.load_report["notes"])
    assert net.orgs.loc["a", "name_key"] == "alpha"


def test_memberships_become_a_projected_layer():
    members = pd.DataFrame({"Member": ["a", "b", "c", "a"], "Cluster": ["X", "X", "X", "Y"], "Role": ["board", "", "", ""]})
    records = read_memberships(members)
    assert records.frame["event"].tolist() == ["X", "X", "X", "Y"]
    net = build_network(memberships=records)
    assert set(net.layers) == {"membership"} and len(net.ties) == 3


def test_strict_mode_turns_rejections_into_an_error():
    pairs = pd.DataFrame({"source": ["a", "b"], "target": ["b", ""]})
    with pytest.raises(StrictModeError) as info:
        build_network(partnerships=pairs, strict=True)
    assert "<DataFrame>:3" in str(info.value) and "1 rows rejected" in str(info.value)
    assert len(build_network(partnerships=pairs).ties) == 1


def test_oversized_policies():
    events = pd.DataFrame({"event": ["big"] * 4 + ["small"] * 2, "org": ["a", "b", "c", "d", "a", "b"]})
    skipped = build_network(partnerships=events, max_event_size=3)
    assert len(skipped.ties) == 1 and skipped.load_report["oversized_events"][0]["size"] == 4
    down = build_network(partnerships=events, max_event_size=3, oversized="downweight")
    assert len(down.ties) == 6  # a-b from both events share one row (same year)
    assert down.to_csr()[down.codes(["a"])[0], down.codes(["b"])[0]] == pytest.approx(1 + 1 / 3)
    with pytest.raises(InputError, match="oversized"):
        build_network(partnerships=events, oversized="drop")


def test_file_problems_are_one_line_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        build_network(partnerships=tmp_path / "nope.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty"):
        build_network(partnerships=empty)
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("source,target\na,b\na,b,c\n")
    with pytest.raises(InputError) as info:
        build_network(partnerships=ragged)
    assert f"{ragged}:3" in str(info.value) and "\n" not in str(info.value)
    docx = tmp_path / "x.docx"
    docx.write_text("x")
    with pytest.raises(InputError, match="unsupported file type"):
        build_network(partnerships=docx)
    with pytest.raises(InputError, match="no records"):
        build_network()


def test_cp1252_falls_back_with_warning(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes("org,name\nx,Société Générale\n".encode("cp1252"))
    net = build_network(organisations=path)
    assert net.orgs.loc["x", "name"] == "Société Générale"
    assert "cp1252" in " ".join(net.load_report["files"][0]["warnings"])


def test_gzip_and_parquet(tmp_path):
    csv_gz = tmp_path / "pairs.csv.gz"
    csv_gz.write_bytes(gzip.compress(b"source\ttarget\na\tb\n"))
    parquet = tmp_path / "pairs.parquet"
    pd.DataFrame({"source": ["b"], "target": ["c"], "year": [2020]}).to_parquet(parquet)
    net = build_network(partnerships=[csv_gz, parquet])
    assert net.n_orgs == 3 and len(net.ties) == 2
    assert all(f["sha256"] for f in net.load_report["files"])


# -- the real CORDIS data -----------------------------------------------------------------------
def test_real_cordis_participations_and_organisations(shared_data):
    participations = shared_data / "cordis_h2020_participations.csv.gz"
    organisations = shared_data / "cordis_h2020_organisations_2017.csv.gz"
    net = build_network(partnerships=participations, organisations=organisations, max_event_size=None)
    report = net.load_report
    _reconciled(report)
    (p_summary,) = [f for f in report["files"] if f["kind"] == "partnerships"]
    assert p_summary["rows"] == p_summary["loaded"] == 144_726
    assert net.n_orgs == 35_871
    assert net.events["event"].nunique() == 31_451
    countries = set(net.orgs["country"].dropna())
    assert {"GB", "GR", "NO", "NA"} <= countries and not countries & {"UK", "EL"}
    raw = pd.read_csv(participations, dtype=str, keep_default_na=False)
    table = pd.read_csv(organisations, dtype=str, keep_default_na=False)
    named = set(table.loc[table["name"] != "", "orgId"]) & set(raw["pic"])
    assert net.orgs.loc[sorted(named), "name"].notna().all()
    names = set(net.orgs["name"].dropna())
    assert "Nantes Métropole" in names and "Nantes M√©tropole" not in names  # mojibake repaired
    assert any("148 names repaired" in note for note in report["notes"])
    # organisation pairs against an independent pandas computation
    pairs = raw[["rcn", "pic"]].merge(raw[["rcn", "pic"]], on="rcn")
    pairs = pairs[pairs["pic_x"] < pairs["pic_y"]]
    assert len(pairs) == 1_089_509
    expected = pairs.groupby(["pic_x", "pic_y"]).size()
    merged = net.ties.groupby(["source", "target"])["weight"].sum()
    ids = net.org_ids.to_numpy()
    got = pd.Series(merged.to_numpy(), index=pd.MultiIndex.from_arrays(
        [ids[merged.index.get_level_values(0)], ids[merged.index.get_level_values(1)]]))
    got.index = pd.MultiIndex.from_tuples([tuple(sorted(p)) for p in got.index])
    assert len(got) == len(expected)
    assert (got.sort_index().to_numpy() == expected.sort_index().to_numpy()).all()
    merged = net.pairs()
    assert len(merged) == len(expected) and merged["records"].sum() == 1_089_509
    years = pd.to_numeric(raw["start_year"], errors="coerce")
    assert merged["first_year"].min() == years.min() and merged["last_year"].max() == years.max()


def test_cordis_current_schema_as_given_and_semicolon(shared_data, tmp_path):
    source = shared_data / "cordis_organization_current_schema_sample.csv.gz"
    given = build_network(partnerships=source)
    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    semicolon = tmp_path / "organization.csv"
    frame.to_csv(semicolon, sep=";", index=False)
    rewritten = build_network(partnerships=semicolon)
    for net in (given, rewritten):
        _reconciled(net.load_report)
        assert net.load_report["files"][0]["rows"] == 2_722
        assert net.load_report["files"][0]["duplicates"] == 3  # repeated (project, organisation) rows
        assert net.events["event"].nunique() == 336
        assert net.orgs["country"].nunique() == 65
    pd.testing.assert_frame_equal(given.orgs, rewritten.orgs)
    pd.testing.assert_frame_equal(given.ties, rewritten.ties)
    foi = given.orgs.loc["999627875"]
    assert (foi["lat"], foi["lon"]) == (pytest.approx(59.4044539), pytest.approx(17.9453627))
    assert given.events["totalCost"].dtype == "float64"
    assert 771225.1 in set(given.events["totalCost"].round(1))


def test_membership_file_with_an_event_column_too(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("event,org,group\na,b,x\nb,c,1\n")
    net = build_network(memberships=path)
    assert sorted(net.events["event"]) == ["1", "x"]
    assert net.events["event (original)"].tolist() == ["a", "b"]


def test_regressions_found_by_review(tmp_path):
    # two kinds of bad weight in one file
    pairs = pd.DataFrame({"source": ["a", "b", "c"], "target": ["b", "c", "d"], "weight": ["x", "-1", "2"]})
    records = read_partnerships(pairs)
    assert [(r.line, r.value) for r in records.report.rejections] == [(2, "x"), (3, "-1")]
    # a membership row without a group is rejected, not a crash
    members = read_memberships(pd.DataFrame({"org": ["a", "b"], "group": ["X", ""]}))
    assert [(r.line, r.field) for r in members.report.rejections] == [(3, "group")]
    # merging names without names or countries says so instead of crashing
    net = build_network(partnerships=pd.DataFrame({"source": ["a"], "target": ["b"]}), merge_names=95)
    assert any("no country is known" in n for n in net.load_report["notes"])
    # latitude out of range
    orgs = read_organisations(pd.DataFrame({"org": ["a", "b"], "lat": ["95", "60"], "lon": ["5", "5"]}))
    assert [(r.line, r.field) for r in orgs.report.rejections] == [(2, "lat")]
    # ids with leading zeros stay text; whole numbers become integers
    extra = read_organisations(pd.DataFrame({"org": ["a", "b"], "code": ["007", "12"], "staff": ["5", "12"]}))
    assert extra.frame["code"].tolist() == ["007", "12"] and extra.frame["staff"].tolist() == [5, 12]


def test_merge_names_merges_within_a_country_and_reports_it():
    orgs = pd.DataFrame({"org": ["1", "2", "3"], "name": ["Fjordvik Subsea AS", "FJORDVIK SUBSEA", "Fjordvik Subsea"],
                         "country": ["NO", "NO", "DK"]})
    pairs = pd.DataFrame({"source": ["1", "2", "1"], "target": ["3", "3", "2"]})
    net = build_network(partnerships=pairs, organisations=orgs, merge_names=95)
    assert list(net.org_ids) == ["1", "3"]
    notes = " ".join(net.load_report["notes"])
    assert "merged '2'" in notes and "into '1'" in notes
    assert "1 partnership records joined two organisations that were merged" in notes
