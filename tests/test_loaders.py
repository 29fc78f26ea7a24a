"""Loaders: header mapping, typed fields, the load report's accounting, real CORDIS data."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

from netcluster import ColumnError, InputError, build_network
from netcluster.loaders import LoadReport


def _accounted(report: dict) -> None:
    for f in report["files"]:
        assert f["rows"] == f["used"] + f["merged"] + f["rejected"], f


def test_pairs_and_long_shape_are_recognised_from_headers():
    pairs = pd.DataFrame({"From": ["a", "b"], "To": ["b", "c"], "Start Year": ["2019", "2020"]})
    long = pd.DataFrame({"Project ID": ["P1", "P1", "P1"], "PIC": ["a", "c", "d"], "start_year": ["2021"] * 3})
    net = build_network(partnerships=[pairs, long])
    assert set(net.layers) == {"partnership"}
    assert len(net.events) == 3 and net.events["layer"].eq("partnership").all()
    assert net.n_orgs == 4
    assert sorted(net.ties["year"].tolist()) == [2019, 2020, 2021, 2021, 2021]


def test_messy_csv_every_row_accounted(tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text(
        "\ufeffsource;target;year;weight\n"
        "a;b;2019;1,5\n"
        "a;;2019;1\n"  # line 3: no target
        "c;c;2019;1\n"  # line 4: self
        "a;c;20x9;1\n"  # line 5: bad year
        "b;c;2020;-2\n"  # line 6: non-positive weight
        "\"b;x\";c;2021;\n",  # line 7: quoted delimiter, default weight
        encoding="utf-8",
    )
    net = build_network(partnerships=path)
    report = LoadReport.from_dict(net.load_report)
    _accounted(net.load_report)
    assert report.files[0].used == 2 and report.files[0].rejected == 4
    got = [(r.line, r.column, r.value) for r in report.rejections]
    assert got == [(3, "target", ""), (4, "target", "c"), (5, "year", "20x9"), (6, "weight", "-2")]
    assert sorted(net.ties["weight"].tolist()) == [1.0, 1.5]
    assert "b;x" in set(net.org_ids)


def test_long_shape_repeats_are_merged_and_attributes_filled(tmp_path):
    path = tmp_path / "patents.csv"
    path.write_text(
        "appln_id,psn_name,person_ctry_code,appln_filing_year\n"
        "1,ACME,DE,2010\n1,ACME,DE,2010\n1,LAB,Atlantis,2010\n2,LAB,NA,2011\n2,UNI,,2011\n"
    )
    net = build_network(copatents=path)
    _accounted(net.load_report)
    assert net.load_report["files"][0]["merged"] == 1
    assert net.load_report["unknown_countries"] == {"Atlantis": 1}
    assert net.orgs.loc["ACME", "country"] == "DE"
    assert net.orgs.loc["LAB", "country"] == "NA"  # first non-missing value: Atlantis is dropped, NA kept
    assert pd.isna(net.orgs.loc["UNI", "country"])
    assert len(net.ties) == 2 and set(net.ties["layer"]) == {"copatent"}


def test_namibia_is_not_missing():
    events = pd.DataFrame({"rcn": ["1", "1"], "pic": ["x", "y"], "country": ["NA", "NO"]})
    net = build_network(partnerships=events)
    assert net.orgs.loc["x", "country"] == "NA"


def test_organisations_table_wins_and_kinds_normalised(tmp_path):
    orgs = pd.DataFrame({"orgId": ["a", "b", "b"], "name": ["Alpha", "Beta", "Beta again"],
                         "activityType": ["HES", "PRC", "PRC"], "country": ["EL", "UK", "UK"],
                         "member": ["yes", "no", "no"]})
    events = pd.DataFrame({"event": ["P"] * 3, "org": ["a", "b", "c"], "name": ["Other", "", "Gamma"]})
    net = build_network(partnerships=events, organisations=orgs)
    _accounted(net.load_report)
    assert net.orgs.loc["a", "name"] == "Alpha" and net.orgs.loc["c", "name"] == "Gamma"
    assert net.orgs["country"].tolist()[:2] == ["GR", "GB"]
    assert net.orgs.loc["a", "kind"] == "university" and net.orgs.loc["a", "kind_original"] == "HES"
    assert net.orgs["member"].tolist()[:2] == [True, False]
    assert any("repeated organisation rows" in n for n in net.load_report["notes"])


def test_missing_required_column_names_file_and_headers(tmp_path):
    path = tmp_path / "members.csv"
    path.write_text("company,cluster\nA,X\n")
    with pytest.raises(ColumnError) as info:
        build_network(memberships=path)
    message = str(info.value)
    assert str(path) in message and "'org'" in message and "company, cluster" in message
    assert isinstance(info.value, ValueError)


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
    with pytest.raises(InputError, match="unsupported file type"):
        build_network(partnerships=tmp_path / "x.docx") if (tmp_path / "x.docx").write_text("x") else None
    with pytest.raises(InputError, match="no records"):
        build_network()


def test_cp1252_falls_back_with_warning(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes("org,name\nx,Société Générale\n".encode("cp1252"))
    net = build_network(organisations=path)
    assert net.orgs.loc["x", "name"] == "Société Générale"
    assert "cp1252" in net.load_report["files"][0]["warnings"][0]


def test_gzip_and_parquet(tmp_path):
    csv_gz = tmp_path / "pairs.csv.gz"
    csv_gz.write_bytes(gzip.compress(b"source\ttarget\na\tb\n"))
    parquet = tmp_path / "pairs.parquet"
    pd.DataFrame({"source": ["b"], "target": ["c"], "year": [2020]}).to_parquet(parquet)
    net = build_network(partnerships=[csv_gz, parquet])
    assert net.n_orgs == 3 and len(net.ties) == 2
    assert all(f["sha256"] for f in net.load_report["files"])


def test_real_cordis_participations(shared_data):
    net = build_network(
        partnerships=shared_data / "cordis_h2020_participations.csv.gz",
        organisations=shared_data / "cordis_h2020_organisations_2017.csv.gz",
        max_event_size=None,
    )
    report = net.load_report
    _accounted(report)
    participations = report["files"][1]
    assert participations["rows"] == participations["used"] == 144_726
    assert net.events["org"].nunique() == 35_871
    assert net.events["event"].nunique() == 31_451
    assert net.ties["weight"].sum() == 1_089_509  # pairs before merging (data README)
    namibia = net.orgs.iloc[net.events["org"].unique()]["country"].eq("NA").sum()
    assert namibia >= 3
    assert set(net.orgs["country"].dropna()) >= {"GB", "GR", "NO"}
    assert not set(net.orgs["country"].dropna()) & {"UK", "EL"}
    capped = build_network(partnerships=shared_data / "cordis_h2020_participations.csv.gz")
    sizes = [e["size"] for e in capped.load_report["oversized_events"]]
    assert max(sizes) == 186 and min(sizes) > 100
