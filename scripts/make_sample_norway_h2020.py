"""Cut the ``norway_h2020`` sample graph from the CORDIS Horizon 2020 tables.

The sample holds every participation row of every Horizon 2020 project that
has at least one participant with country ``NO`` (Norway), started in 2015
or 2016 and has at most 25 participants, plus the rows of the mid-2017
organisation table for the organisations in those projects. Projects that
started before mid-2017 are chosen because most of their organisations have
a row, and so a name, in that table. The output is deterministic: running
the script twice on the same input gives byte-identical files.

Usage::

    python scripts/make_sample_norway_h2020.py [--data ../shared/data]
                                               [--out sample_graphs/norway_h2020]

Every table is read as text with ``keep_default_na=False``, so ``NA`` in a
country column stays Namibia and every value is written back exactly as
CORDIS published it; only ``start_year`` is parsed, for the selection.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

PARTICIPATIONS_FILE = "cordis_h2020_participations.csv.gz"
ORGANISATIONS_FILE = "cordis_h2020_organisations_2017.csv.gz"

#: Country code whose projects are sampled.
FOCUS_COUNTRY = "NO"
#: First and last project start year kept (both included): projects that
#: started before the mid-2017 organisation snapshot have the most names.
FIRST_START_YEAR = 2015
LAST_START_YEAR = 2016
#: Largest consortium kept, in participants (keeps about 2,600 organisations).
MAX_PARTICIPANTS = 25
#: Values that mean "missing" in the numeric ``start_year`` column.
MISSING_YEAR = ("", "NA")

#: Columns kept from each table, under their original CORDIS names.
PARTICIPATION_COLUMNS = ["rcn", "pic", "role", "type", "country", "start_year"]
ORGANISATION_COLUMNS = ["orgId", "name", "shortName", "activityType", "city", "country"]
#: Organisation columns that may hold UTF-8 text mis-decoded as MacRoman.
MOJIBAKE_COLUMNS = ["name", "shortName", "city"]


def read_table(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    """Read some columns of a CORDIS CSV as text, keeping ``NA`` literal.

    Parameters
    ----------
    path : Path
        A (possibly gzip-compressed) comma-delimited CSV file.
    columns : sequence of str
        The columns to read, in the order wanted.

    Returns
    -------
    pandas.DataFrame
        The columns as strings; empty fields are empty strings, never NaN.
    """
    table = pd.read_csv(path, usecols=list(columns), dtype=str, keep_default_na=False)
    return table[list(columns)]


def start_years(values: pd.Series) -> pd.Series:
    """Parse a ``start_year`` column, treating ``""`` and ``NA`` as missing.

    Parameters
    ----------
    values : pandas.Series
        Years as text.

    Returns
    -------
    pandas.Series
        Years as floats, NaN where missing.

    Raises
    ------
    ValueError
        If a value is neither missing nor a number.
    """
    return pd.to_numeric(values.mask(values.isin(MISSING_YEAR)))


def as_integers(values: pd.Series) -> pd.Series:
    """Convert an identifier column to integers, to sort it as numbers.

    Parameters
    ----------
    values : pandas.Series
        Numeric identifiers such as ``rcn`` or ``pic``, as text.

    Returns
    -------
    pandas.Series
        The identifiers as 64-bit integers.
    """
    return values.astype("int64")


def select_projects(participations: pd.DataFrame) -> pd.DataFrame:
    """Keep every row of the small Norwegian projects started in the chosen years.

    A project is chosen when it has a participant from ``FOCUS_COUNTRY``,
    its ``start_year`` lies from ``FIRST_START_YEAR`` to ``LAST_START_YEAR``
    and it has at most ``MAX_PARTICIPANTS`` participation rows.

    Parameters
    ----------
    participations : pandas.DataFrame
        Participation rows with ``rcn``, ``pic``, ``country`` and ``start_year``.

    Returns
    -------
    pandas.DataFrame
        All rows of the chosen projects (whole consortia), sorted by
        ``rcn`` then ``pic`` as numbers.
    """
    is_focus = participations["country"] == FOCUS_COUNTRY
    in_years = start_years(participations["start_year"]).between(FIRST_START_YEAR, LAST_START_YEAR)
    is_small = participations.groupby("rcn")["rcn"].transform("size") <= MAX_PARTICIPANTS
    projects = set(participations.loc[is_focus, "rcn"]) & set(
        participations.loc[in_years & is_small, "rcn"]
    )
    chosen = participations[participations["rcn"].isin(projects)]
    return chosen.sort_values(["rcn", "pic"], key=as_integers, ignore_index=True)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as MacRoman, when that is what happened.

    Parameters
    ----------
    text : str
        A possibly garbled string such as ``J√∂ckel``.

    Returns
    -------
    str
        The repaired string (``Jöckel``), or ``text`` unchanged when it cannot
        be re-encoded as MacRoman or the bytes are not valid UTF-8.
    """
    try:
        return text.encode("mac_roman").decode("utf-8")
    except UnicodeError:
        return text


def repair_columns(table: pd.DataFrame, columns: Iterable[str]) -> tuple[pd.DataFrame, int]:
    """Repair mojibake in some text columns and count the changed fields.

    Parameters
    ----------
    table : pandas.DataFrame
        The table to repair; it is not modified.
    columns : iterable of str
        The text columns to repair.

    Returns
    -------
    repaired : pandas.DataFrame
        A copy with the repaired columns.
    count : int
        The number of fields whose value changed.
    """
    repaired = table.copy()
    count = 0
    for column in columns:
        repaired[column] = table[column].map(repair_mojibake)
        count += int((repaired[column] != table[column]).sum())
    return repaired, count


def select_organisations(organisations: pd.DataFrame, pics: Iterable[str]) -> pd.DataFrame:
    """Keep the organisation rows whose ``orgId`` is one of ``pics``.

    Parameters
    ----------
    organisations : pandas.DataFrame
        The 2017 organisation table with an ``orgId`` column.
    pics : iterable of str
        The participant identification codes wanted.

    Returns
    -------
    pandas.DataFrame
        The matching rows, sorted by ``orgId`` as a number.
    """
    chosen = organisations[organisations["orgId"].isin(set(pics))]
    return chosen.sort_values("orgId", key=as_integers, ignore_index=True)


def write_csv(table: pd.DataFrame, path: Path) -> None:
    """Write a table as plain UTF-8 CSV with ``\\n`` line ends and no index.

    Parameters
    ----------
    table : pandas.DataFrame
        The table to write.
    path : Path
        The output file; overwritten if it exists.
    """
    table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def make_sample(data_dir: Path | str, out_dir: Path | str) -> dict[str, int]:
    """Write ``participations.csv`` and ``organisations.csv`` of the sample.

    Parameters
    ----------
    data_dir : Path or str
        Folder holding the two CORDIS Horizon 2020 files.
    out_dir : Path or str
        Folder to write the sample to; created if missing.

    Returns
    -------
    dict of str to int
        Counts describing the sample: participation rows, projects,
        organisations, Norwegian organisations, countries, organisation rows,
        organisations without a row in the 2017 table, and repaired fields.
    """
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    participations = select_projects(
        read_table(data_dir / PARTICIPATIONS_FILE, PARTICIPATION_COLUMNS)
    )
    pics = set(participations["pic"])
    focus_pics = set(participations.loc[participations["country"] == FOCUS_COUNTRY, "pic"])
    organisations = select_organisations(
        read_table(data_dir / ORGANISATIONS_FILE, ORGANISATION_COLUMNS), pics
    )
    organisations, repaired = repair_columns(organisations, MOJIBAKE_COLUMNS)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_csv(participations, out_dir / "participations.csv")
    write_csv(organisations, out_dir / "organisations.csv")
    return {
        "participation rows": len(participations),
        "projects": participations["rcn"].nunique(),
        "organisations": len(pics),
        "Norwegian organisations": len(focus_pics),
        "countries": participations["country"].nunique(),
        "organisation rows": len(organisations),
        "organisations without a 2017 row": len(pics) - len(organisations),
        "repaired mojibake fields": repaired,
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line, write the sample and print its counts.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when omitted.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=Path("../shared/data"), help="folder with the CORDIS files"
    )
    parser.add_argument(
        "--out", type=Path, default=Path("sample_graphs/norway_h2020"), help="output folder"
    )
    args = parser.parse_args(argv)
    for label, count in make_sample(args.data, args.out).items():
        print(f"{label}: {count}")


if __name__ == "__main__":
    main()
