"""Generate synthetic collaboration records shaped like CORDIS, at a chosen size.

    python benchmarks/generate.py SIZE OUTDIR [--seed N] [--format parquet|csv] [--stats]

SIZE is XS (500 organisations, for tests), S (10k), M (100k) or L (1M). Writes
into OUTDIR (created if needed):

``participations.parquet`` (or ``.csv``)
    One row per project and participating organisation: ``project_id``,
    ``org_id``, ``name``, ``country``, ``region``, ``year``; rows ordered by
    project, then organisation. :func:`netcluster.build_network` reads it as
    partnership records in the long shape (``project_id`` -> event,
    ``org_id`` -> org).
``organisations.parquet`` (or ``.csv``)
    One row per organisation: ``org_id``, ``name``, ``country``, ``region``,
    ``kind`` (CORDIS activity codes PRC, HES, REC, PUB, OTH).

The model (parameters named as the fields of :class:`Model`, whose defaults
are calibrated so that L gives about 4M participations and 5M partner pairs;
all draws from one ``numpy.random.default_rng(seed)``, so the same seed gives
the same bytes with the same numpy and pyarrow versions):

1. Countries: the 40 ISO alpha-2 codes in :data:`COUNTRIES`, with Zipf shares
   (share of rank r proportional to r^-1.0). Each organisation gets a country
   from these shares.
2. Regions nested in countries: a country of share p has max(1, round(80 p))
   regions, coded ``<CC><d1><d2>`` like NUTS 2 (``DE11``, ``DE12``, ...), with
   Zipf shares inside the country; each organisation gets one.
3. Activity: organisation i takes part in a_i = 1 + floor(s X) projects,
   X ~ Lomax(``activity_alpha``) (numpy ``pareto``), s = ``activity_scale``,
   capped at ``activity_cap``; at L 54.5 % of organisations take part once
   and the mean is 4.09 (CORDIS H2020: 63 %, 4.03).
4. Projects: sizes k drawn from a mixture, until the sizes add up to the
   organisations' participations exactly: single-organisation projects
   (share ``single``), a tail of 11-50 partners (share ``tail``, P(k)
   proportional to k^-``tail_exponent``) and otherwise a body of 2-10
   partners (2 + a geometric count of mean ``body_mean``, folded into 2-10).
5. Partners: of a project's k - 1 partners other than the lead, each is
   foreign with probability ``foreign`` (binomial count); the others, with the
   lead, are domestic. The participations (one "stub" per participation of
   each organisation) are shuffled; the foreign stubs fill the foreign slots
   in random order; the domestic stubs are sorted by country, and within a
   country by a key in [0, 1): for a share ``same_region`` of them a uniform
   point in their region's interval (regions laid out by share), for the
   rest uniform; then cut into the projects' domestic parts in order. So
   domestic partners share the lead's country (but for the few projects cut
   across a country boundary), about ``same_region`` of them its region, and
   a foreign slot may still land in the lead's country (with that country's
   share of participations). Repeated (project, organisation) pairs are
   dropped.
6. Years: uniform 2014-2020 per project.

``--stats`` projects the participations with scipy (B^T B) and prints the
distinct partner pairs and the share of them joining two countries.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: Organisations per size name.
SIZES = {"XS": 500, "S": 10_000, "M": 100_000, "L": 1_000_000}

#: ISO 3166-1 alpha-2 codes, ranked roughly by CORDIS H2020 participations.
COUNTRIES = (
    "DE", "GB", "ES", "IT", "FR", "NL", "BE", "GR", "CH", "SE",
    "AT", "DK", "PT", "FI", "NO", "IE", "PL", "IL", "CZ", "HU",
    "SI", "RO", "CY", "EE", "LT", "LU", "SK", "BG", "HR", "LV",
    "IS", "MT", "TR", "RS", "UA", "US", "CA", "CN", "ZA", "BR",
)

#: Activity codes as CORDIS writes them, with their shares among organisations
#: taking part in fewer than ``Model.busy`` projects, and among the others.
KINDS = ("PRC", "HES", "REC", "PUB", "OTH")
KIND_SHARES = ((0.55, 0.08, 0.12, 0.10, 0.15), (0.10, 0.45, 0.35, 0.05, 0.05))

_STEMS = ("Nord", "Syd", "Vest", "Ost", "Alta", "Bel", "Cor", "Dun", "Esk", "Fal",
          "Gran", "Hav", "Ister", "Jur", "Kel", "Lun", "Mar", "Nev", "Oro", "Pol",
          "Quer", "Ros", "Sol", "Tor", "Ul", "Val", "Wen", "Xan", "Yst", "Zel")
_ENDINGS = ("a", "ia", "ena", "heim", "vik", "burg", "ford", "mont", "stad", "ton")
_NOUNS = {
    "PRC": ("Technologies", "Systems", "Engineering", "Solutions", "Industries", "Labs"),
    "HES": ("University", "University College", "Polytechnic", "Business School"),
    "REC": ("Research Institute", "Research Centre", "Institute of Technology", "Laboratory"),
    "PUB": ("Regional Authority", "Municipality", "Agency", "Ministry"),
    "OTH": ("Association", "Foundation", "Cluster", "Chamber of Commerce"),
}


@dataclass(frozen=True)
class Model:
    """The generator's parameters (the defaults are the calibrated ones)."""

    country_zipf: float = 1.0
    regions_total: int = 80
    region_zipf: float = 1.0
    activity_alpha: float = 1.3
    activity_scale: float = 1.2
    activity_cap: int = 1500
    busy: int = 20
    single: float = 0.25
    body_mean: float = 0.8
    tail: float = 0.0025
    tail_exponent: float = 2.0
    max_size: int = 50
    foreign: float = 0.3
    same_region: float = 0.5
    years: tuple[int, int] = (2014, 2020)


def generate(n_orgs: int, seed: int = 0, model: Model = Model()) -> tuple[dict, dict]:
    """Organisation and participation columns (numpy arrays) for ``n_orgs`` organisations."""
    rng = np.random.default_rng(seed)
    n_countries = len(COUNTRIES)

    # 1-2. countries and nested regions
    country_share = _zipf(n_countries, model.country_zipf)
    country = rng.choice(n_countries, size=n_orgs, p=country_share)
    regions = np.maximum(1, np.rint(model.regions_total * country_share)).astype(np.int64)
    region_offset = np.concatenate([[0], np.cumsum(regions)[:-1]])
    # position of each region inside its country, as [start, end) of the unit interval
    region_end = np.concatenate([np.cumsum(_zipf(r, model.region_zipf)) for r in regions])
    region_end[np.cumsum(regions) - 1] = 1.0
    region_start = np.concatenate([[0.0], region_end[:-1]])
    region_start[region_offset] = 0.0
    region = region_offset[country] + _first_above(region_end, region_offset, regions, country,
                                                   rng.random(n_orgs))
    region_codes = np.array([
        f"{COUNTRIES[c]}{r // 9 + 1}{r % 9 + 1}" for c in range(n_countries) for r in range(regions[c])
    ], dtype=object)

    # 3. activity
    activity = 1 + np.floor(model.activity_scale * rng.pareto(model.activity_alpha, n_orgs))
    activity = np.minimum(activity, model.activity_cap).astype(np.int64)
    stubs = np.repeat(np.arange(n_orgs, dtype=np.int64), activity)
    total = len(stubs)

    # 4. project sizes adding up to the participations
    size = _sizes(rng, total, model)
    n_events = len(size)

    # 5. foreign and domestic slots, filled from shuffled stubs
    foreign = rng.binomial(size - 1, model.foreign)
    domestic = size - foreign
    stubs = stubs[rng.permutation(total)]
    n_foreign = int(foreign.sum())
    foreign_stubs, domestic_stubs = stubs[:n_foreign], stubs[n_foreign:]
    org_region = region[domestic_stubs]
    local = rng.random(len(domestic_stubs)) < model.same_region
    u = rng.random(len(domestic_stubs))
    key = np.where(local, region_start[org_region] + u * (region_end[org_region] - region_start[org_region]), u)
    order = np.lexsort((key, country[domestic_stubs]))
    events = np.arange(n_events, dtype=np.int64)
    rec_event = np.concatenate([np.repeat(events, domestic), np.repeat(events, foreign)])
    rec_org = np.concatenate([domestic_stubs[order], foreign_stubs])
    # project ids in random order, so that ids say nothing about countries
    label = rng.permutation(n_events)
    rec_event = label[rec_event]
    pair = np.unique(rec_event * n_orgs + rec_org)
    rec_event, rec_org = pair // n_orgs, pair % n_orgs

    # 6. years, kinds, names
    lo, hi = model.years
    year = (lo + rng.integers(0, hi - lo + 1, n_events)).astype(np.int16)
    kind = _kinds(rng, activity >= model.busy)
    name = _names(rng, kind)
    org_id = np.arange(1, n_orgs + 1, dtype=np.int64) + 900_000_000
    country_codes = np.array(COUNTRIES, dtype=object)
    organisations = {
        "org_id": org_id,
        "name": name,
        "country": country_codes[country],
        "region": region_codes[region],
        "kind": np.array(KINDS, dtype=object)[kind],
    }
    participations = {
        "project_id": rec_event + 1,
        "org_id": org_id[rec_org],
        "name": name[rec_org],
        "country": country_codes[country[rec_org]],
        "region": region_codes[region[rec_org]],
        "year": year[rec_event],
    }
    return organisations, participations


def _zipf(n: int, exponent: float) -> np.ndarray:
    weights = np.arange(1, n + 1, dtype=np.float64) ** -exponent
    return weights / weights.sum()


def _first_above(ends: np.ndarray, offset: np.ndarray, count: np.ndarray, group: np.ndarray,
                 u: np.ndarray) -> np.ndarray:
    """Per row, the first position j in its group's slice of ``ends`` with u < ends[j]."""
    shifted = ends + np.repeat(np.arange(len(count)), count)  # strictly increasing across groups
    found = np.searchsorted(shifted, group + u, side="right") - offset[group]
    return np.minimum(found, count[group] - 1)


def _sizes(rng: np.random.Generator, total: int, model: Model) -> np.ndarray:
    """Project sizes whose sum is ``total`` exactly."""
    chunks, drawn = [], 0
    while drawn < total:
        n = max(1000, int((total - drawn) / 2.5))
        pick = rng.random(n)
        body = 2 + rng.geometric(1 / (1 + model.body_mean), n) - 1
        body = np.where(body > 10, 2 + (body - 2) % 9, body)
        tail_sizes = np.arange(11, model.max_size + 1)
        tail = rng.choice(tail_sizes, size=n, p=_zipf_on(tail_sizes, model.tail_exponent))
        size = np.where(pick < model.single, 1, np.where(pick < model.single + model.tail, tail, body))
        chunks.append(size)
        drawn += int(size.sum())
    size = np.concatenate(chunks)
    end = int(np.searchsorted(np.cumsum(size), total))
    size = size[: end + 1].copy()
    size[-1] -= int(size.sum()) - total
    return size[size > 0]


def _zipf_on(values: np.ndarray, exponent: float) -> np.ndarray:
    weights = values.astype(np.float64) ** -exponent
    return weights / weights.sum()


def _kinds(rng: np.random.Generator, busy: np.ndarray) -> np.ndarray:
    cumulative = np.cumsum(KIND_SHARES, axis=1)
    cumulative[:, -1] = 1.0
    u = rng.random(len(busy))
    quiet_kind = np.searchsorted(cumulative[0], u, side="right")
    busy_kind = np.searchsorted(cumulative[1], u, side="right")
    return np.where(busy, busy_kind, quiet_kind)


def _names(rng: np.random.Generator, kind: np.ndarray) -> np.ndarray:
    """'<Stem><ending> <noun> <number>': unique, so that name merging has nothing to merge."""
    n = len(kind)
    stems = np.array(_STEMS, dtype=object)[rng.integers(0, len(_STEMS), n)]
    endings = np.array(_ENDINGS, dtype=object)[rng.integers(0, len(_ENDINGS), n)]
    choice = rng.integers(0, 1 << 30, n)
    nouns = np.empty(n, dtype=object)
    for code, kind_name in enumerate(KINDS):
        options = np.array(_NOUNS[kind_name], dtype=object)
        mask = kind == code
        nouns[mask] = options[choice[mask] % len(options)]
    numbers = np.char.mod("%d", np.arange(1, n + 1)).astype(object)
    return stems + endings + " " + nouns + " " + numbers


def write(organisations: dict, participations: dict, outdir: Path, fmt: str = "parquet") -> list[Path]:
    """Write the two tables; returns their paths."""
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for stem, columns in (("participations", participations), ("organisations", organisations)):
        path = outdir / f"{stem}.{fmt}"
        if fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.table({k: pa.array(v) for k, v in columns.items()})
            pq.write_table(table, path, compression="zstd")
        else:
            import pandas as pd

            pd.DataFrame(columns).to_csv(path, index=False, lineterminator="\n")
        paths.append(path)
    return paths


def projected_stats(organisations: dict, participations: dict) -> dict:
    """Distinct partner pairs and the share joining two countries (scipy projection, full counting)."""
    import scipy.sparse as sp

    org_code = participations["org_id"] - organisations["org_id"][0]
    event = participations["project_id"] - 1
    incidence = sp.csr_matrix((np.ones(len(event), dtype=np.float32), (event, org_code)),
                              shape=(int(event.max()) + 1, len(organisations["org_id"])))
    upper = sp.triu(incidence.T @ incidence, k=1).tocoo()
    codes = np.unique(organisations["country"], return_inverse=True)[1]
    international = codes[upper.row] != codes[upper.col]
    return {"pairs": upper.nnz, "international_share": float(international.mean()) if upper.nnz else float("nan"),
            "pair_records": float(upper.data.sum())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=list(SIZES), help="XS 500, S 10k, M 100k, L 1M organisations")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument("--stats", action="store_true", help="also project and count partner pairs")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    organisations, participations = generate(SIZES[args.size], args.seed)
    generated = time.perf_counter() - start
    paths = write(organisations, participations, args.outdir, args.format)
    written = time.perf_counter() - start - generated
    events = participations["project_id"]
    sizes = np.bincount(events)[1:]
    activity = np.bincount(participations["org_id"] - organisations["org_id"][0])
    print(f"{args.size} seed {args.seed}: {len(organisations['org_id']):,} organisations, "
          f"{len(sizes):,} projects, {len(events):,} participations "
          f"(project size mean {sizes.mean():.2f}, max {sizes.max()}, single {np.mean(sizes == 1):.1%}; "
          f"projects per organisation mean {activity.mean():.2f}, max {activity.max()}, "
          f"one {np.mean(activity == 1):.1%})")
    print(f"generate {generated:.1f} s, write {written:.1f} s: " + ", ".join(str(p) for p in paths))
    if args.stats:
        stats = projected_stats(organisations, participations)
        print(f"projected: {stats['pairs']:,} partner pairs, international share {stats['international_share']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
