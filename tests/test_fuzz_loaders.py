"""Property tests of the loaders: hostile files only ever give netcluster errors, and every row is accounted for.

Seeded (``derandomize=True``) so that a run in CI is the same as a run here.
"""

from __future__ import annotations

import csv
import gzip
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netcluster import build_network
from netcluster.errors import NetclusterError

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Headers of each record kind, as real exports and users write them.
HEADERS = [
    ["source", "target", "year", "weight"],
    ["From", "To", "Start Year"],
    ["rcn", "pic", "country", "start_year"],
    ["appln_id", "psn_name", "person_ctry_code", "appln_filing_year"],
    ["#", "Lens ID", "Title", "Applicants", "Publication Year"],
    ["No", "Title", "Applicants", "Publication number"],
    ["Lens ID", "Applicants", "Applicant Countries"],
]

#: Extra headers that collide with names the loaders use inside.
EXTRA_HEADERS = [
    "line", "layer", "records", "event", "org", "group", "name", "country", "kind", "kind_original",
    "weight", "lat", "lon", "geolocation", "member", "type", "org (original)", "Applicant Countries", "",
]

#: Pieces that real cells and broken files contain.
PIECES = [
    "", " ", "NA", "-", ".", "2019", "20x9", "2019.5", "1,5", "0", "-3", "DE", "UK", "Atlantis",
    '"', '""', ",", ";", ";;", "|", "\t", "\n", "\r\n", "\r", "[DE]", " [FR]", "BACON; RICHARD J.",
    "Société", "Zürich", "Αθήνα", "東京大学", "\u2028", "\ufeff", "=cmd()", "\\", "'",
]

cell = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=4).map("".join)


def _row(cells: list[str], delimiter: str, quote: bool) -> str:
    if not quote:
        return delimiter.join(cells)
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow(cells)
    return out.getvalue()


@st.composite
def corrupted_csv(draw: st.DrawFn) -> bytes:
    """A record file of a plausible shape, then broken in one or more of the ways real files are."""
    header = draw(st.sampled_from(HEADERS)) + draw(st.lists(st.sampled_from(EXTRA_HEADERS), max_size=2))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    quote = draw(st.booleans())
    widths = st.one_of(st.just(len(header)), st.integers(0, len(header) + 2))
    rows = draw(st.lists(widths.flatmap(lambda n: st.lists(cell, min_size=n, max_size=n)), max_size=8))
    lines = [_row(header, delimiter, quote)] + [_row(r, delimiter, quote) for r in rows]
    damage = draw(st.sets(st.sampled_from(
        ["preamble", "duplicate header", "wrong delimiter", "truncate", "unbalanced quote", "huge field",
         "nul", "junk", "header only", "empty", "crlf", "latin-1 line"]
    ), max_size=3))
    if "preamble" in damage:
        lines = ["Search results", '"Query: x; y"', ""] + lines
    if "duplicate header" in damage:
        lines[0] = _row(header + [draw(st.sampled_from(header))], delimiter, quote)
    if "wrong delimiter" in damage and len(lines) > 1:
        lines[-1] = lines[-1].replace(delimiter, draw(st.sampled_from([",", ";", "\t", "|", " "])))
    if "huge field" in damage:
        lines.append(delimiter.join([draw(st.sampled_from(["x", "é", '"', ";"])) * 100_000] * len(header)))
    if "unbalanced quote" in damage:
        lines.insert(draw(st.integers(0, len(lines))), '"' + draw(cell))
    if "header only" in damage:
        lines = lines[:1]
    text = ("\r\n" if "crlf" in damage else "\n").join(lines) + draw(st.sampled_from(["", "\n", "\r\n"]))
    data = b"" if "empty" in damage else text.encode("utf-8")
    if "latin-1 line" in damage:
        data += "\nSociété;Générale;Ørsted\n".encode("latin-1")
    if "truncate" in damage and data:
        data = data[: draw(st.integers(0, len(data) - 1))]
    if "nul" in damage:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\x00" + data[at:]
    if "junk" in damage:
        data += draw(st.binary(min_size=1, max_size=64))
    return data


def _only_netcluster_errors(path) -> None:
    for kind in ("partnerships", "copatents", "memberships", "organisations"):
        try:
            build_network(**{kind: path})
        except NetclusterError:
            pass


@FUZZ
@given(data=corrupted_csv())
def test_corrupted_csv_gives_only_netcluster_errors(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "records.csv"
    path.write_bytes(data)
    _only_netcluster_errors(path)


@FUZZ
@given(
    data=st.binary(max_size=4096),
    suffix=st.sampled_from([".csv", ".tsv", ".txt", ".csv.gz", ".jsonl", ".ndjson.gz", ".xlsx", ".parquet"]),
    compress=st.booleans(),
)
def test_random_bytes_give_only_netcluster_errors(tmp_path_factory, data, suffix, compress):
    path = tmp_path_factory.mktemp("fuzz") / f"records{suffix}"
    path.write_bytes(gzip.compress(data) if compress and suffix.endswith(".gz") else data)
    _only_netcluster_errors(path)


# -- well-formed records always reconcile --------------------------------------------------------
ids = st.one_of(
    st.sampled_from(["a", "b", "c", "ACME", "Société Générale", 'O"Brien', "BACON; RICHARD J.", "東京", " a ", "NA", ""]),
    st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12),
)
years = st.one_of(st.integers(1950, 2030).map(str), st.sampled_from(["", "20x9", "2019.5", "-1", "NA", "2019-05-01"]))


@st.composite
def pair_records(draw: st.DrawFn) -> list[list[str]]:
    rows = []
    for _ in range(draw(st.integers(0, 30))):
        source = draw(ids)
        kind = draw(st.sampled_from(["pair", "pair", "self", "no target"]))
        target = {"pair": draw(ids), "self": source, "no target": ""}[kind]
        rows.append([source, target, draw(years)])
    return rows


@FUZZ
@given(rows=pair_records(), delimiter=st.sampled_from([",", ";", "\t"]), compress=st.booleans())
def test_well_formed_pairs_always_reconcile(tmp_path_factory, rows, delimiter, compress):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([["source", "target", "year"], *rows])
    path = tmp_path_factory.mktemp("pairs") / ("pairs.csv.gz" if compress else "pairs.csv")
    data = out.getvalue().encode("utf-8")
    path.write_bytes(gzip.compress(data) if compress else data)
    net = build_network(partnerships=path)
    (summary,) = net.load_report["files"]
    assert summary["rows"] == len(rows)
    assert summary["rows"] == summary["loaded"] + summary["duplicates"] + summary["rejected"]
    assert len(net.load_report["rejections"]) == summary["rejected"]
    ties = 0 if net.ties is None else len(net.ties)
    assert ties == summary["loaded"]

