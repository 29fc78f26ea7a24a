"""Readers (CSV/TSV/TXT, XLSX, JSON lines, gzip) and the wide co-patent shape, on real export shapes."""

from __future__ import annotations

import datetime
import gzip

import pandas as pd
import pytest
from openpyxl import Workbook

from netcluster import InputError
from netcluster.loaders.readers import read_table
from netcluster.loaders.wide import explode_applicants, looks_wide

# -- fixtures shaped like real exports ---------------------------------------------------------
#: Lens.org: comma-delimited, CRLF, ";;" between applicants, ";" inside a name, a quoted
#: multi-line title, a patent without applicants.
LENS = (
    b'#,Lens ID,Title,Applicants,Publication Year\r\n'
    b'1,001-234-567-890-123,"Widget, improved",ACME CORP;;BACON; RICHARD J.;;  LAB SA  ,2019\r\n'
    b'2,002-345-678-901-234,Gadget,,2020\r\n'
    b'3,003-456-789-012-345,"Two-line\r\ntitle",UNI OSLO,2021\r\n'
)


def _espacenet() -> bytes:
    """Espacenet: 3 preamble lines, ";" delimiter, "NAME [CC]" entries separated by line breaks,
    UTF-8 names beside latin-1 abstracts (line 6 mixes both)."""
    utf8 = lambda s: s.encode("utf-8")  # noqa: E731
    latin1 = lambda s: s.encode("latin-1")  # noqa: E731
    return b"".join(
        [
            utf8("Espacenet;\r\n"),
            utf8('"Result list: 4 documents";\r\n'),
            utf8('"Query: ta=graphene; exported 2024-05-01";\r\n'),
            utf8("No;Title;Applicants;Publication number;Abstract\r\n"),
            utf8('1;Graphene ink;"CENTRE NAT RECH SCIENT [FR]\nUNIVERSITÉ DE LYON [FR]";EP1234567A1;'),
            latin1("Procédé de fabrication\r\n"),
            utf8("2;Sensor;SIEMENS AG [DE];EP2345678A1;") + latin1("Capteur à effet Hall\r\n"),
            utf8('3;Lens;"MÜLLER GMBH [DE]\nTHALES SA [FR]\n\nÉCOLE POLYTECHNIQUE [FR]";EP3456789A1;\r\n'),
            utf8("4;Nothing;;EP4567890A1;\r\n"),
        ]
    )


@pytest.fixture
def espacenet(tmp_path):
    path = tmp_path / "espacenet.csv"
    path.write_bytes(_espacenet())
    return path


# -- CSV: real export shapes -------------------------------------------------------------------
def test_lens_csv_crlf_values_and_lines(tmp_path):
    path = tmp_path / "lens.csv"
    path.write_bytes(LENS)
    table = read_table(path)
    assert list(table.frame.columns) == ["#", "Lens ID", "Title", "Applicants", "Publication Year"]
    assert table.frame["Applicants"].tolist() == ["ACME CORP;;BACON; RICHARD J.;;  LAB SA  ", "", "UNI OSLO"]
    assert table.frame["Title"].tolist() == ["Widget, improved", "Gadget", "Two-line\r\ntitle"]
    assert table.lines.tolist() == [2, 3, 4]
    assert table.warnings == [] and len(table.sha256) == 64
    assert all(str(dtype) == "string" for dtype in table.frame.dtypes)


def test_espacenet_preamble_and_mixed_encodings(espacenet):
    table = read_table(espacenet)
    assert list(table.frame.columns) == ["No", "Title", "Applicants", "Publication number", "Abstract"]
    assert table.lines.tolist() == [5, 7, 8, 12]  # true lines: records 1 and 3 span several lines
    assert table.frame["Applicants"][0] == "CENTRE NAT RECH SCIENT [FR]\nUNIVERSITÉ DE LYON [FR]"
    assert table.frame["Abstract"].tolist() == ["Procédé de fabrication", "Capteur à effet Hall", "", ""]
    assert table.frame["Applicants"][2].startswith("MÜLLER GMBH [DE]\n")
    assert table.warnings == [
        f"{espacenet}: 2 lines not valid UTF-8 (first: line 6); their other bytes were read as cp1252",
        f"{espacenet}: skipped 3 lines of text before the header on line 4",
    ]


def test_whole_file_in_cp1252_and_utf8_bom(tmp_path):
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes("org;name\nx;Société Générale\ny;Ørsted\nz;plain\n".encode("cp1252"))
    table = read_table(legacy)
    assert table.frame["name"].tolist() == ["Société Générale", "Ørsted", "plain"]
    assert table.warnings == [f"{legacy}: 2 lines not valid UTF-8 (first: line 2); their other bytes were read as cp1252"]
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufefforg,name\nx,Zürich\n".encode("utf-8"))
    table = read_table(bom)
    assert list(table.frame.columns) == ["org", "name"] and table.frame["name"][0] == "Zürich"
    assert table.warnings == []


def test_utf16_unicode_text_from_excel(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes("org\tcity\r\nx\tKøbenhavn\r\ny\tΑθήνα\r\n".encode("utf-16"))
    table = read_table(path)
    assert table.frame.values.tolist() == [["x", "København"], ["y", "Αθήνα"]]
    assert table.lines.tolist() == [2, 3]


def test_delimiters_are_sniffed(tmp_path):
    for delimiter in [",", ";", "\t", "|"]:
        path = tmp_path / "t.tsv"
        path.write_text(delimiter.join(["a", "b", "c"]) + "\n" + delimiter.join(['"x, y; z"', "2", ""]) + "\n")
        table = read_table(path)
        assert table.frame.values.tolist() == [["x, y; z", "2", ""]], repr(delimiter)


def test_blank_lines_skipped_and_lines_true(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("\n\nsource,target\n\na,b\n   \nc,d\n")
    table = read_table(path)
    assert table.frame.values.tolist() == [["a", "b"], ["c", "d"]]
    assert table.lines.tolist() == [5, 7] and table.warnings == []


def test_preamble_is_not_confused_with_a_broken_row(tmp_path):
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("source,target\na,b\na,b,c\nd,e\n")
    with pytest.raises(InputError) as info:
        read_table(ragged)
    assert str(info.value).startswith(f"{ragged}:3: this row has 3 fields but the header (line 1) has 2")
    truncated = tmp_path / "truncated.csv"
    truncated.write_text("a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11\n")
    with pytest.raises(InputError, match=r"truncated.csv:3: this row has 2 fields"):
        read_table(truncated)
    both = tmp_path / "both.csv"
    both.write_text("Report\nDate: today\na;b;c\n1;2;3\n4;5\n6;7;8\n")
    with pytest.raises(InputError, match=r"both.csv:5: this row has 2 fields but the header \(line 3\) has 3"):
        read_table(both)


def test_header_only_and_empty_files(tmp_path):
    header_only = tmp_path / "header.csv"
    header_only.write_text("source;target;year\r\n")
    table = read_table(header_only)
    assert list(table.frame.columns) == ["source", "target", "year"] and len(table.frame) == 0
    assert table.lines.tolist() == []
    for content in [b"", b" \n\t\r\n", b"\xef\xbb\xbf\n"]:
        path = tmp_path / "empty.csv"
        path.write_bytes(content)
        with pytest.raises(InputError) as info:
            read_table(path)
        assert str(info.value) == f"{path}: the file is empty"


def test_duplicate_and_empty_headers(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("Title\n\norg,year, org \na,1,b\n")
    with pytest.raises(InputError) as info:
        read_table(path)
    assert str(info.value) == (
        f"{path}:3, column 'org': the header 'org' appears twice (columns 1 and 3); rename one"
    )
    unnamed = tmp_path / "unnamed.csv"
    unnamed.write_text(",org,\n0,a,x\n")
    assert list(read_table(unnamed).frame.columns) == ["column 1", "org", "column 3"]


def test_binary_junk_and_broken_quotes(tmp_path):
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"org,name\nx,\x00\x01\x02binary\n")
    with pytest.raises(InputError, match="does not look like a text table"):
        read_table(junk)
    quote = tmp_path / "quote.csv"
    quote.write_text('org,name\nx,"never closed\n' + "y,word\n" * 20_000)
    with pytest.raises(InputError, match=r"quote.csv:\d+: .*is a quote missing\?"):
        read_table(quote)


def test_gzip_csv_and_bad_gzip(tmp_path):
    path = tmp_path / "lens.csv.gz"
    path.write_bytes(gzip.compress(LENS))
    table = read_table(path)
    assert table.frame["Lens ID"].tolist()[0] == "001-234-567-890-123" and table.lines.tolist() == [2, 3, 4]
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(gzip.compress(LENS)[:-12])
    with pytest.raises(InputError, match="cannot decompress"):
        read_table(broken)
    plain = tmp_path / "plain.csv.gz"
    plain.write_bytes(LENS)
    with pytest.raises(InputError, match="cannot decompress"):
        read_table(plain)


def test_unsupported_type_and_sheet_on_csv(tmp_path):
    doc = tmp_path / "records.xls"
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match=r"unsupported file type.*save \.xls workbooks as \.xlsx"):
        read_table(doc)
    csv_path = tmp_path / "a.csv"
    csv_path.write_text("a\n1\n")
    with pytest.raises(InputError, match="sheet='x' is given but this is not an Excel workbook"):
        read_table(csv_path, sheet="x")


# -- XLSX --------------------------------------------------------------------------------------
def _workbook(path):
    workbook = Workbook()
    patents = workbook.active
    patents.title = "Patents"
    patents.append([])  # row 1 empty: the header is the first non-empty row
    patents.append(["appln_id", "year", "share", "filed", "granted", None, "  note  "])
    patents.append([123, 2019.0, 0.5, datetime.date(2021, 3, 4), True, "orphan", None])
    patents.append([])
    patents.append(["A-1", 2020, None, datetime.datetime(2020, 1, 2, 13, 30), False, None, "x"])
    orgs = workbook.create_sheet("Orgs")
    orgs.append(["org", "country"])
    orgs.append(["ACME", "DE"])
    workbook.create_sheet("Empty")
    dup = workbook.create_sheet("Dup")
    dup.append(["org", "org"])
    workbook.save(path)


def test_xlsx_first_sheet_values_and_row_numbers(tmp_path):
    path = tmp_path / "records.xlsx"
    _workbook(path)
    table = read_table(path)
    assert list(table.frame.columns) == ["appln_id", "year", "share", "filed", "granted", "column 6", "note"]
    assert table.frame.values.tolist() == [
        ["123", "2019", "0.5", "2021-03-04", "TRUE", "orphan", ""],
        ["A-1", "2020", "", "2020-01-02 13:30:00", "FALSE", "", "x"],
    ]
    assert table.lines.tolist() == [3, 5] and len(table.sha256) == 64


def test_xlsx_named_sheet_and_sheet_errors(tmp_path):
    path = tmp_path / "records.XLSX"
    _workbook(path)
    table = read_table(path, sheet="Orgs")
    assert table.frame.values.tolist() == [["ACME", "DE"]] and table.lines.tolist() == [2]
    with pytest.raises(InputError) as info:
        read_table(path, sheet="Applicants")
    assert str(info.value) == (
        f"{path}: no sheet 'Applicants' in this workbook (sheets: 'Patents', 'Orgs', 'Empty', 'Dup')"
    )
    with pytest.raises(InputError, match="the sheet 'Empty' is empty"):
        read_table(path, sheet="Empty")
    with pytest.raises(InputError, match=r"records.XLSX:1, column 'org': the header 'org' appears twice"):
        read_table(path, sheet="Dup")


def test_damaged_xlsx_is_an_input_error(tmp_path):
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook")
    with pytest.raises(InputError, match="cannot read this Excel workbook"):
        read_table(path)


# -- JSON lines --------------------------------------------------------------------------------
JSON_LINES = (
    b'{"event": "P1", "org": "a", "year": 2019, "tags": ["x", "y"], "meta": {"k": "\xc3\xa9"}}\r\n'
    b"\r\n"
    b'{"event": "P1", "org": "b", "year": null, "flag": true, "share": 0.5}\n'
)


@pytest.mark.parametrize("name", ["records.jsonl", "records.ndjson", "records.jsonl.gz"])
def test_json_lines(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(gzip.compress(JSON_LINES) if name.endswith(".gz") else JSON_LINES)
    table = read_table(path)
    assert list(table.frame.columns) == ["event", "org", "year", "tags", "meta", "flag", "share"]
    assert table.frame.values.tolist() == [
        ["P1", "a", "2019", '["x", "y"]', '{"k": "é"}', "", ""],
        ["P1", "b", "", "", "", "true", "0.5"],
    ]
    assert table.lines.tolist() == [1, 3]


def test_json_lines_errors_name_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"org": "a"}\n{"org": \n')
    with pytest.raises(InputError) as info:
        read_table(path)
    assert str(info.value).startswith(f"{path}:2: not valid JSON (Expecting value")
    path.write_text('{"org": "a"}\n\n["org", "b"]\n')
    with pytest.raises(InputError, match=r"bad.jsonl:3: each line must be a JSON object \{\.\.\.\}, not list"):
        read_table(path)
    path.write_text("[" * 100_000 + "\n")
    with pytest.raises(InputError, match=r"bad.jsonl:1: "):
        read_table(path)


# -- the wide co-patent shape -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cells", "countries", "wide"),
    [
        (["ACME", "BACON; RICHARD J."], None, False),
        (["ACME;;LAB"], None, True),
        (["ACME | LAB"], None, True),
        (["ACME\nLAB"], None, True),
        (["SIEMENS AG [DE]"], None, True),
        (["ACME [Germany]"], None, False),
        (["ACME; LAB", "UNI"], ["DE; FR", "NO"], True),
        (["ACME; LAB", "BACON; RICHARD J."], ["DE; FR", "US"], False),
    ],
)
def test_looks_wide(cells, countries, wide):
    frame = pd.DataFrame({"event": [str(i) for i in range(len(cells))], "org": cells})
    if countries is not None:
        frame["country"] = countries
    assert looks_wide(frame) is wide


def test_long_shape_is_never_split(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(
        "appln_id,psn_name,person_ctry_code\n"
        "1,ALPHA|B|SYS,FR\n1,UNIV LYON,FR\n2,UNIV LYON,FR\n2,CNRS,FR\n3,HOCHSCHULE ANHALT (FH); HS,DE\n"
    )
    table = read_table(path)
    frame = table.frame.rename(columns={"appln_id": "event", "psn_name": "org", "person_ctry_code": "country"})
    assert not looks_wide(frame)
    wide = pd.DataFrame({"event": ["1", "2", "3"], "org": ["ALPHA|B|SYS", "UNIV LYON | CNRS", "X"]})
    assert looks_wide(wide)  # one row per patent: "|" separates


def test_real_patstat_extract_is_long(shared_data):
    table = read_table(shared_data / "patstat_copatent_fr_de_it_sample.csv.gz")
    frame = table.frame.rename(columns={"appln_id": "event", "psn_name": "org", "person_ctry_code": "country"})
    assert frame["org"].str.contains("|", regex=False).any()  # a name with "|" in it
    assert not looks_wide(frame)


def test_lens_applicants_split_on_double_semicolon_only(tmp_path):
    path = tmp_path / "lens.csv"
    path.write_bytes(LENS)
    table = read_table(path)
    frame = table.frame.rename(columns={"Lens ID": "event", "Applicants": "org", "Publication Year": "year"})
    assert looks_wide(frame)
    long, lines = explode_applicants(frame, table.lines, str(path))
    assert long["org"].tolist() == ["ACME CORP", "BACON; RICHARD J.", "LAB SA", "", "UNI OSLO"]
    assert long["year"].tolist() == ["2019", "2019", "2019", "2020", "2021"]
    assert long["Title"].tolist()[:3] == ["Widget, improved"] * 3
    assert lines.tolist() == [2, 2, 2, 3, 4] and lines.dtype == "int64"
    assert "country" not in long and list(long.index) == list(range(5))


def test_espacenet_entries_give_names_and_countries(espacenet):
    table = read_table(espacenet)
    frame = table.frame.rename(columns={"Publication number": "event", "Applicants": "org"})
    assert looks_wide(frame)
    long, lines = explode_applicants(frame, table.lines, str(espacenet))
    assert long[["event", "org", "country"]].values.tolist() == [
        ["EP1234567A1", "CENTRE NAT RECH SCIENT", "FR"],
        ["EP1234567A1", "UNIVERSITÉ DE LYON", "FR"],
        ["EP2345678A1", "SIEMENS AG", "DE"],
        ["EP3456789A1", "MÜLLER GMBH", "DE"],
        ["EP3456789A1", "THALES SA", "FR"],
        ["EP3456789A1", "ÉCOLE POLYTECHNIQUE", "FR"],
        ["EP4567890A1", "", ""],
    ]
    assert lines.tolist() == [5, 5, 7, 8, 8, 8, 12]
    assert long["Abstract"].tolist()[:2] == ["Procédé de fabrication"] * 2


def test_parallel_countries_align_or_stay_empty():
    frame = pd.DataFrame(
        {
            "event": ["P1", "P2", "P3", "P4", "P5"],
            "org": ["ACME | LAB", "UNI | FIRM | LAB", "SOLO [SE]", "ONE [DK] | TWO", " ALONE "],
            "country": ["DE | FR", "NO | DK", "FI", " | NO", "IS"],
            "year": pd.array([2019, 2020, 2021, 2022, 2023], dtype="Int32"),
        },
        index=[10, 11, 13, 17, 19],  # after earlier rejections
    )
    long, lines = explode_applicants(frame, pd.Series([2, 3, 5, 9, 12], index=frame.index), "f.csv")
    assert long[["event", "org", "country"]].values.tolist() == [
        ["P1", "ACME", "DE"], ["P1", "LAB", "FR"],
        ["P2", "UNI", ""], ["P2", "FIRM", ""], ["P2", "LAB", ""],  # 3 applicants, 2 countries: none guessed
        ["P3", "SOLO", "FI"],  # the row's own country wins over the code
        ["P4", "ONE", "DK"], ["P4", "TWO", "NO"],  # an empty part falls back to the code
        ["P5", "ALONE", "IS"],
    ]
    assert long["year"].tolist() == [2019, 2019, 2020, 2020, 2020, 2021, 2022, 2022, 2023]
    assert lines.tolist() == [2, 2, 3, 3, 3, 5, 9, 9, 12]


def test_semicolon_splits_only_with_matching_countries():
    matching = pd.DataFrame({"event": ["P1", "P2"], "org": ["ACME; LAB", "UNI"], "country": ["DE; FR", "NO"]})
    long, _ = explode_applicants(matching, pd.Series([2, 3]), "f.csv")
    assert long[["org", "country"]].values.tolist() == [["ACME", "DE"], ["LAB", "FR"], ["UNI", "NO"]]
    names = pd.DataFrame({"event": ["P1", "P2"], "org": ["ACME; LAB", "BACON; RICHARD J."], "country": ["DE; FR", "US"]})
    long, _ = explode_applicants(names, pd.Series([2, 3]), "f.csv")
    assert long["org"].tolist() == ["ACME; LAB", "BACON; RICHARD J."]


def test_empty_entries_dropped_and_missing_cells_kept_for_the_report():
    frame = pd.DataFrame({"event": ["P1", "P2", "P3"], "org": ["ACME;; ;;;;LAB;;", None, " ;; "]})
    long, lines = explode_applicants(frame, pd.Series([2, 3, 4]), "f.csv")
    assert long["org"].tolist() == ["ACME", "LAB", "", ""]
    assert lines.tolist() == [2, 2, 3, 4]


def test_explode_needs_canonical_columns():
    with pytest.raises(InputError, match="f.csv: no applicant column to split"):
        explode_applicants(pd.DataFrame({"Applicants": ["A;;B"]}), pd.Series([2]), "f.csv")


def test_espacenet_export_loads_end_to_end(espacenet):
    from netcluster import build_network

    net = build_network(copatents=espacenet)
    assert net.orgs.loc["UNIVERSITÉ DE LYON", "country"] == "FR" and net.orgs.loc["SIEMENS AG", "country"] == "DE"
    (summary,) = net.load_report["files"]
    assert (summary["rows"], summary["rejected"]) == (4, 1)
    assert [(r["line"], r["field"]) for r in net.load_report["rejections"]] == [(12, "org")]
    assert len(summary["warnings"]) == 2
