"""Generate the synthetic ``ocean_cluster`` sample bundled with netcluster.

The sample describes an invented ocean-technology cluster on the Norwegian coast:
about 300 organisations (Norwegian ones in six counties, foreign ones in 25
countries), their partnerships, their joint patent applications and their
memberships of the focal cluster and of smaller groups. No real organisation is
described; every name is invented.

The sample has a planted structure that tests and documentation rely on: a few
*gatekeepers* (cluster members that are central at home and hold most of the
cluster's international ties) and a few *external stars* (cluster members with
many international ties but few local ones). See the generated ``README.md``.

Usage::

    python scripts/make_sample_ocean_cluster.py [--seed 20261123]
        [--out sample_graphs/ocean_cluster]

The output depends only on the seed (and on numpy's random ``Generator``
stream): running the script twice with the same seed writes byte-identical
files.
"""

import argparse
import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DEFAULT_SEED = 20261123
DEFAULT_OUT = Path("sample_graphs/ocean_cluster")
SCRIPT = "scripts/make_sample_ocean_cluster.py"

FIRST_YEAR = 2015
LAST_YEAR = 2024
YEARS = np.arange(FIRST_YEAR, LAST_YEAR + 1)

FOCAL_CLUSTER = "NorOcean Technology Cluster"
N_BOARD = 7
#: Relative chance of joining the focal cluster in each year (founders in 2015).
JOIN_YEAR_WEIGHTS = np.array([6.0, 1.6, 1.4, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7, 0.6])

SECTORS = (
    "aquaculture",
    "subsea",
    "offshore wind",
    "maritime transport",
    "marine biotech",
    "ocean data",
)
KINDS = ("firm", "university", "research", "public")
NORWAY_KIND_P = np.array([0.72, 0.04, 0.12, 0.12])
FOREIGN_KIND_P = np.array([0.74, 0.08, 0.14, 0.04])
FOREIGN_SECTOR_WEIGHTS = (2.0, 2.0, 2.0, 2.0, 1.0, 2.0)

#: Planted logit of the outcome ``new_product``: intercept, then the effect of log(1 + distinct
#: partners) of each scope. The international effect is four times the local one (the "about four
#: times" reported of Fitjar & Rodríguez-Pose 2013); the national one is half the local one.
OUTCOME_INTERCEPT = -3.0
OUTCOME_EFFECTS = {"local": 0.8, "national": 0.4, "international": 3.2}
#: Groups above this many organisations give no partners when netcluster projects memberships
#: (its default --max-event-size), so the planted outcome does not count them either.
MAX_GROUP_SIZE = 100

#: Spread of the lognormal activity of Norwegian and of foreign organisations.
NORWAY_ACTIVITY_SIGMA = 1.1
FOREIGN_ACTIVITY_SIGMA = 1.0
#: How much more (or less) often each kind takes part in patents.
PATENT_KIND_FACTOR = {"firm": 1.0, "university": 1.2, "research": 1.5, "public": 0.05}

SCOPES = ("local", "national", "international")
SCOPE_P = np.array([0.60, 0.25, 0.15])
#: Multiplier of an organisation's activity, by planted role and tie scope.
ROLE_SCOPE_FACTOR = {
    "gatekeeper": {"local": 2.0, "national": 2.0, "international": 40.0},
    "star": {"local": 0.1, "national": 0.2, "international": 35.0},
    "member": {"local": 1.0, "national": 1.0, "international": 0.3},
    "other": {"local": 1.0, "national": 1.2, "international": 0.4},
    "foreign": {"local": 0.0, "national": 0.0, "international": 1.0},
}
#: Activity of gatekeepers and external stars (the median of the others is 1).
PLANTED_ACTIVITY = 6.0

N_PARTNERSHIP_ROWS = 1800
PARTNERSHIP_TYPES = ("R&D project", "supply", "joint venture", "consultancy")
#: Type probabilities for pairs with and without a university or research institute.
ACADEMIC_TYPE_P = np.array([0.80, 0.05, 0.00, 0.15])
BUSINESS_TYPE_P = np.array([0.30, 0.40, 0.10, 0.20])
WEIGHT_P = np.array([0.35, 0.25, 0.20, 0.12, 0.08])
#: Success probability of the geometric number of years a partnership lasts.
DURATION_P = 0.55

N_PATENTS = 400
APPLICANTS_P = np.array([0.06, 0.50, 0.27, 0.12, 0.05])  # 1 to 5 applicants


@dataclass(frozen=True)
class Place:
    """A city that organisations are located in.

    Attributes
    ----------
    region : str
        County (Norway) or a plausible sub-national region (elsewhere).
    city : str
        City name.
    lat, lon : float
        City coordinates in degrees (WGS 84).
    """

    region: str
    city: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Country:
    """How to invent the organisations of one foreign country.

    Attributes
    ----------
    code : str
        ISO 3166-1 alpha-2 code.
    n_orgs : int
        Number of organisations, including the fixed ones in ``FIXED_ORGS``.
    language : str
        Key into ``NAME_TEMPLATES``.
    suffix : str
        Legal-form suffix of firm names.
    stems : tuple of str
        Invented place-like words that names are built from.
    places : tuple of Place
        Cities the organisations are spread over.
    """

    code: str
    n_orgs: int
    language: str
    suffix: str
    stems: tuple[str, ...]
    places: tuple[Place, ...]


@dataclass(frozen=True)
class NorwegianRegion:
    """How to invent the organisations of one Norwegian county.

    Attributes
    ----------
    place : Place
        The county and its main city.
    n_orgs : int
        Number of organisations, including fixed ones.
    n_members : int
        How many of them belong to the focal cluster.
    sector_weights : tuple of float
        Relative frequency of each entry of ``SECTORS``.
    """

    place: Place
    n_orgs: int
    n_members: int
    sector_weights: tuple[float, ...]


@dataclass(frozen=True)
class FixedOrg:
    """An organisation whose name and attributes do not depend on the seed.

    Attributes
    ----------
    name, country, region, kind, sector : str
        As in ``organisations.csv``.
    role : str
        Planted role: ``"gatekeeper"``, ``"star"``, ``"member"``, ``"other"``
        (Norwegian non-member) or ``"foreign"``.
    """

    name: str
    country: str
    region: str
    kind: str
    sector: str
    role: str


@dataclass(frozen=True)
class Group:
    """A smaller group in ``memberships.csv``.

    Attributes
    ----------
    name : str
        Group name.
    kind : str
        ``"working group"`` (focal-cluster members only), ``"network"``
        (organisations of one county) or ``"consortium"`` (project with
        foreign partners).
    size : int
        Number of participants.
    year : int
        Start year.
    sector : str, optional
        Sector that participants are preferably drawn from.
    region : str, optional
        County of a network.
    n_foreign : int
        Number of foreign participants of a consortium.
    """

    name: str
    kind: str
    size: int
    year: int
    sector: str | None = None
    region: str | None = None
    n_foreign: int = 0


@dataclass
class Org:
    """One organisation of the sample.

    Attributes
    ----------
    org, name, country, region, city, kind, sector : str
        As in ``organisations.csv``.
    lat, lon : float
        Jittered coordinates.
    member : bool
        Member of the focal cluster.
    role : str
        Planted role, see ``FixedOrg``.
    activity : float
        Propensity to collaborate; drives every random draw of partners.
    """

    org: str
    name: str
    country: str
    region: str
    city: str
    lat: float
    lon: float
    kind: str
    sector: str
    member: bool
    role: str
    activity: float


NORWAY_STEMS = (
    "Fjordvik", "Havlund", "Kvitberg", "Sjøstrand", "Bølgeli", "Tangvik", "Måkeskjær",
    "Vestkyst", "Straumsnes", "Skjærgård", "Holmøy", "Kobbevik", "Sildvik", "Ternøy",
    "Lyngheim", "Ærvik", "Øyrane", "Sjøbris", "Kystlys", "Bjørnvåg", "Havørn", "Revsnes",
    "Dypvann", "Grønnsund", "Blåfjell", "Krabbevik", "Selvåg", "Lundøy", "Steinvåg",
    "Hvalsnes", "Taretangen", "Nordkyst", "Solsund", "Vindholmen", "Kaldvik", "Breivåg",
    "Isfjord", "Polarhav", "Tindholm", "Måsøyvik",
)

SECTOR_WORDS = {
    "no": {
        "aquaculture": ("Akvakultur", "Fiskehelse", "Merdteknikk", "Smoltteknikk", "Aqua"),
        "subsea": ("Subsea", "Undervannsteknikk", "Marine Robotics", "ROV Services"),
        "offshore wind": ("Havvind", "Offshore Wind", "Floating Wind", "Energi"),
        "maritime transport": ("Maritime", "Skipsdesign", "Rederi", "Marine Systems", "Verft"),
        "marine biotech": ("Marin Bioteknologi", "Biomarine", "Tare", "Marine Ingredients"),
        "ocean data": ("Ocean Data", "Havdata", "Hydroakustikk", "Sensor Systems"),
    },
    "en": {
        "aquaculture": ("Aquaculture", "Fish Health", "Aqua Systems", "Seafood Technology"),
        "subsea": ("Subsea", "Marine Robotics", "Underwater Systems", "Pipeline Services"),
        "offshore wind": ("Offshore Wind", "Floating Wind", "Wind Services", "Wave Energy"),
        "maritime transport": ("Maritime", "Shipping", "Marine Systems", "Naval Design"),
        "marine biotech": ("Marine Biotech", "Algae", "Marine Ingredients", "Blue Bio"),
        "ocean data": ("Ocean Data", "Marine Analytics", "Ocean Sensing", "Hydroacoustics"),
    },
}

#: Name templates of non-firm organisations by language and kind.
NAME_TEMPLATES = {
    "no": {
        "university": ("Høgskolen i {stem}", "{stem} Maritime Høgskole",
                       "Universitetssenteret i {stem}"),
        "research": ("{stem} Havforskning", "{stem} Marinteknisk Institutt",
                     "{stem} Havbruksforskning"),
        "public": ("{stem} Havnevesen", "{stem} Kystforvaltning", "{stem} Næringsråd"),
    },
    "en": {
        "university": ("{stem} University of Technology", "{stem} Maritime University"),
        "research": ("{stem} Marine Research Institute", "{stem} Ocean Lab"),
        "public": ("{stem} Coastal Authority", "{stem} Fisheries Agency"),
    },
    "de": {
        "university": ("Hochschule {stem}", "Technische Hochschule {stem}"),
        "research": ("{stem} Institut für Meerestechnik", "Forschungszentrum {stem}"),
        "public": ("Küstenamt {stem}", "Hafenbehörde {stem}"),
    },
    "fr": {
        "university": ("École d'Ingénieurs {stem}", "Université Maritime {stem}"),
        "research": ("Institut Océan {stem}", "Laboratoire Marin {stem}"),
        "public": ("Agence Maritime {stem}", "Direction du Littoral {stem}"),
    },
}

NORWAY_REGIONS = (
    NorwegianRegion(Place("Vestland", "Bergen", 60.3913, 5.3221),
                    52, 48, (3, 3, 1, 2, 1, 2)),
    NorwegianRegion(Place("Rogaland", "Stavanger", 58.9700, 5.7331),
                    30, 12, (1, 3, 3, 1, 0.5, 1)),
    NorwegianRegion(Place("Møre og Romsdal", "Ålesund", 62.4722, 6.1495),
                    40, 36, (2, 2, 1, 4, 1, 1)),
    NorwegianRegion(Place("Trøndelag", "Trondheim", 63.4305, 10.3951),
                    28, 10, (2, 1, 1, 1, 1, 3)),
    NorwegianRegion(Place("Oslo", "Oslo", 59.9139, 10.7522),
                    22, 7, (0.5, 1, 2, 2, 1, 3)),
    NorwegianRegion(Place("Troms og Finnmark", "Tromsø", 69.6492, 18.9553),
                    18, 5, (4, 0.5, 0.5, 1, 3, 1)),
)

FOREIGN_COUNTRIES = (
    Country(
        "DK", 14, "en", "A/S",
        ("Vesterhav", "Kattegat", "Limfjord", "Blåvand", "Havnsø", "Sejrø", "Skagerrak"),
        (Place("Syddanmark", "Esbjerg", 55.4765, 8.4594),
         Place("Hovedstaden", "Copenhagen", 55.6761, 12.5683),
         Place("Nordjylland", "Aalborg", 57.0488, 9.9217)),
    ),
    Country(
        "SE", 12, "en", "AB",
        ("Västkust", "Kosterhav", "Bohus", "Öresund", "Hallö", "Sjöbris"),
        (Place("Västra Götaland", "Gothenburg", 57.7089, 11.9746),
         Place("Stockholm", "Stockholm", 59.3293, 18.0686)),
    ),
    Country(
        "DE", 11, "de", "GmbH",
        ("Nordmeer", "Küstenwerk", "Jadebusen", "Büsum", "Elbmarsch", "Förde"),
        (Place("Hamburg", "Hamburg", 53.5511, 9.9937),
         Place("Bremen", "Bremen", 53.0793, 8.8017),
         Place("Schleswig-Holstein", "Kiel", 54.3233, 10.1228)),
    ),
    Country(
        "GB", 10, "en", "Ltd",
        ("Pentland", "Solent", "Moray", "Tamar", "Cromarty", "Dogger"),
        (Place("Scotland", "Aberdeen", 57.1497, -2.0943),
         Place("England", "Southampton", 50.9097, -1.4044),
         Place("England", "Plymouth", 50.3755, -4.1427)),
    ),
    Country(
        "NL", 8, "en", "B.V.",
        ("Noordzee", "Waddenzee", "Haringvliet", "Texelstroom", "Maasmond"),
        (Place("Zuid-Holland", "Rotterdam", 51.9244, 4.4777),
         Place("Zuid-Holland", "Delft", 52.0116, 4.3571)),
    ),
    Country(
        "FR", 7, "fr", "SAS",
        ("Armor", "Iroise", "Penmarc'h", "Côte Émeraude", "Calanques", "Ouessant"),
        (Place("Bretagne", "Brest", 48.3904, -4.4861),
         Place("Provence-Alpes-Côte d'Azur", "Marseille", 43.2965, 5.3698)),
    ),
    Country(
        "US", 6, "en", "Inc.",
        ("Cape Ann", "Narragansett", "Chesapeake", "Gulf Coast", "Monterey"),
        (Place("Massachusetts", "Boston", 42.3601, -71.0589),
         Place("Texas", "Houston", 29.7604, -95.3698)),
    ),
    Country(
        "ES", 5, "en", "S.L.",
        ("Cantábrico", "Rías Baixas", "Finisterre", "Bizkaia Mar"),
        (Place("Galicia", "Vigo", 42.2406, -8.7207),
         Place("País Vasco", "Bilbao", 43.2630, -2.9350)),
    ),
    Country(
        "IT", 4, "en", "S.r.l.",
        ("Tirreno", "Ligure", "Golfo Paradiso", "Adriatica"),
        (Place("Liguria", "Genoa", 44.4056, 8.9463),),
    ),
    Country(
        "PL", 4, "en", "Sp. z o.o.",
        ("Bałtyk", "Zatoka", "Kaszuby", "Helska"),
        (Place("Pomorskie", "Gdańsk", 54.3520, 18.6466),),
    ),
    Country(
        "FI", 4, "en", "Oy",
        ("Saaristo", "Merikarhu", "Ahvena", "Itämeri"),
        (Place("Uusimaa", "Helsinki", 60.1699, 24.9384),
         Place("Varsinais-Suomi", "Turku", 60.4518, 22.2666)),
    ),
    Country(
        "IS", 3, "en", "ehf.",
        ("Faxaflói", "Breiðafjörður", "Reykjanes"),
        (Place("Höfuðborgarsvæðið", "Reykjavík", 64.1466, -21.9426),),
    ),
    Country(
        "BE", 3, "en", "NV",
        ("Noordzeekust", "Scheldemond", "Zeebrugge Delta"),
        (Place("Flanders", "Ostend", 51.2154, 2.9287),
         Place("Flanders", "Antwerp", 51.2194, 4.4025)),
    ),
    Country(
        "PT", 3, "en", "Lda.",
        ("Atlântico Norte", "Leixões", "Nazaré"),
        (Place("Norte", "Porto", 41.1579, -8.6291),
         Place("Lisboa", "Lisbon", 38.7223, -9.1393)),
    ),
    Country(
        "IE", 2, "en", "Ltd",
        ("Connemara", "Shannon Estuary"),
        (Place("Connacht", "Galway", 53.2707, -9.0568),),
    ),
    Country(
        "CA", 2, "en", "Inc.",
        ("Fundy", "Scotian Shelf", "Grand Banks"),
        (Place("Nova Scotia", "Halifax", 44.6488, -63.5752),
         Place("Newfoundland and Labrador", "St. John's", 47.5615, -52.7126)),
    ),
    Country(
        "JP", 2, "en", "Co., Ltd.",
        ("Setouchi", "Kuroshio"),
        (Place("Tokyo", "Tokyo", 35.6762, 139.6503),),
    ),
    Country(
        "KR", 2, "en", "Co., Ltd.",
        ("Haeundae", "Namhae"),
        (Place("Busan", "Busan", 35.1796, 129.0756),),
    ),
    Country(
        "CN", 2, "en", "Co., Ltd.",
        ("Jiaozhou Bay", "Huanghai Blue"),
        (Place("Shandong", "Qingdao", 36.0671, 120.3826),),
    ),
    Country(
        "SG", 1, "en", "Pte. Ltd.",
        ("Straits", "Pulau Marine"),
        (Place("Central Region", "Singapore", 1.3521, 103.8198),),
    ),
    Country(
        "AU", 1, "en", "Pty Ltd",
        ("Derwent Estuary", "Storm Bay"),
        (Place("Tasmania", "Hobart", -42.8821, 147.3272),),
    ),
    Country(
        "BR", 1, "en", "Ltda.",
        ("Guanabara", "Baía Azul"),
        (Place("Rio de Janeiro", "Rio de Janeiro", -22.9068, -43.1729),),
    ),
    Country(
        "CL", 1, "en", "SpA",
        ("Chiloé", "Reloncaví"),
        (Place("Los Lagos", "Puerto Montt", -41.4689, -72.9411),),
    ),
    Country(
        "EE", 1, "en", "OÜ",
        ("Läänemere", "Pakri"),
        (Place("Harjumaa", "Tallinn", 59.4370, 24.7536),),
    ),
    Country(
        "GR", 1, "en", "S.A.",
        ("Saronic", "Aegean Blue"),
        (Place("Attica", "Piraeus", 37.9420, 23.6465),),
    ),
)

#: Organisations with seed-independent names; the planted structure lives here.
FIXED_ORGS = (
    FixedOrg("Fjordvik Subsea AS", "NO", "Vestland",
             "firm", "subsea", "gatekeeper"),
    FixedOrg("Fjordvik Havforskning", "NO", "Vestland",
             "research", "ocean data", "gatekeeper"),
    FixedOrg("Smith & Ødegård AS", "NO", "Vestland",
             "firm", "aquaculture", "gatekeeper"),
    FixedOrg("Brattholm Marine Robotics AS", "NO", "Møre og Romsdal",
             "firm", "subsea", "gatekeeper"),
    FixedOrg("Sunnmøre Maritime Systems AS", "NO", "Møre og Romsdal",
             "firm", "maritime transport", "gatekeeper"),
    FixedOrg("Nordlys Ocean Data AS", "NO", "Vestland",
             "firm", "ocean data", "star"),
    FixedOrg("Kvitberg Offshore Wind AS", "NO", "Møre og Romsdal",
             "firm", "offshore wind", "star"),
    FixedOrg("Berge & Søvik Skipsdesign AS", "NO", "Møre og Romsdal",
             "firm", "maritime transport", "member"),
    FixedOrg("O'Neill Marine Ltd", "IE", "Connacht",
             "firm", "maritime transport", "foreign"),
    FixedOrg("Hamburg Maritime Systems GmbH", "DE", "Hamburg",
             "firm", "maritime transport", "foreign"),
    FixedOrg("Müller & Jansen Meerestechnik GmbH", "DE", "Schleswig-Holstein",
             "firm", "subsea", "foreign"),
    FixedOrg("Atlantic Wave Energy Ltd", "GB", "Scotland",
             "firm", "offshore wind", "foreign"),
    FixedOrg("L'Océan Robotique SAS", "FR", "Bretagne",
             "firm", "subsea", "foreign"),
)

GROUPS = (
    Group("NorOcean Working Group Subsea Robotics", "working group", 18, 2016,
          sector="subsea"),
    Group("NorOcean Working Group Aquaculture Technology", "working group", 22, 2016,
          sector="aquaculture"),
    Group("NorOcean Working Group Floating Wind", "working group", 14, 2019,
          sector="offshore wind"),
    Group("NorOcean Working Group Ocean Data & Digitalisation", "working group", 16, 2020,
          sector="ocean data"),
    Group("Polarkyst Havbruksnettverk", "network", 10, 2017,
          region="Troms og Finnmark"),
    Group("Sørvest Havvindforum", "network", 12, 2018,
          region="Rogaland"),
    Group("KELPLOOP consortium", "consortium", 9, 2018,
          sector="marine biotech", n_foreign=5),
    Group("FLOATGRID-NORTH consortium", "consortium", 12, 2020,
          sector="offshore wind", n_foreign=7),
    Group("SALMOSENSE consortium", "consortium", 10, 2021,
          sector="aquaculture", n_foreign=5),
    Group("SUBSEA-ECHO consortium", "consortium", 8, 2022,
          sector="subsea", n_foreign=4),
    Group("MARIDATA-BALTIC consortium", "consortium", 14, 2023,
          sector="ocean data", n_foreign=9),
)

ORG_COLUMNS = (
    "org", "name", "country", "region", "city", "lat", "lon", "kind", "sector", "member", "new_product",
)
PARTNERSHIP_COLUMNS = ("source", "target", "year", "weight", "type")
COPATENT_COLUMNS = ("event", "org", "year")
MEMBERSHIP_COLUMNS = ("org", "group", "role", "year")


# --------------------------------------------------------------------------- random helpers


def _pick(rng: np.random.Generator, items: list, weights: np.ndarray, size: int | None = None,
          replace: bool = True):
    """Draw from ``items`` with probability proportional to ``weights``.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    items : list
        Items to draw from.
    weights : numpy.ndarray
        Non-negative weights, one per item, not all zero.
    size : int, optional
        Number of draws; ``None`` draws a single item.
    replace : bool
        Draw with replacement.

    Returns
    -------
    object or list
        One item, or a list of ``size`` items.
    """
    p = np.asarray(weights, dtype=float)
    idx = rng.choice(len(items), size=size, replace=replace, p=p / p.sum())
    if size is None:
        return items[idx]
    return [items[i] for i in idx]


def _jitter(rng: np.random.Generator, place: Place) -> tuple[float, float]:
    """Return coordinates a few kilometres from a city centre.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    place : Place
        The city.

    Returns
    -------
    tuple of float
        ``(lat, lon)`` rounded to 4 decimals.
    """
    lat = place.lat + rng.uniform(-0.03, 0.03)
    lon = place.lon + rng.uniform(-0.05, 0.05)
    return round(lat, 4), round(lon, 4)


# --------------------------------------------------------------------------- organisations


def _invent_name(rng: np.random.Generator, used: set[str], language: str, suffix: str,
                 stems: tuple[str, ...], kind: str, sector: str) -> str:
    """Invent an organisation name that is not in ``used`` and add it there.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    used : set of str
        Names taken so far, including all fixed names; updated in place.
    language : str
        Key into ``NAME_TEMPLATES`` (firm names use ``"no"`` or ``"en"`` words).
    suffix : str
        Legal-form suffix of firm names.
    stems : tuple of str
        Place-like words to build the name from.
    kind, sector : str
        Kind and sector of the organisation.

    Returns
    -------
    str
        A new, unique name.
    """
    while True:
        stem = stems[rng.integers(len(stems))]
        if kind == "firm":
            words = SECTOR_WORDS["no" if language == "no" else "en"][sector]
            name = f"{stem} {words[rng.integers(len(words))]} {suffix}"
        else:
            templates = NAME_TEMPLATES[language][kind]
            name = templates[rng.integers(len(templates))].format(stem=stem)
        if name not in used:
            used.add(name)
            return name


def _make_org(rng: np.random.Generator, country: str, place: Place, name: str, kind: str,
              sector: str, role: str) -> Org:
    """Create an organisation with jittered coordinates and a lognormal activity.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    country : str
        ISO alpha-2 code.
    place : Place
        City of the organisation.
    name, kind, sector, role : str
        Attributes of the organisation; ``role`` is the planted role.

    Returns
    -------
    Org
        The organisation, without an id yet.
    """
    lat, lon = _jitter(rng, place)
    sigma = NORWAY_ACTIVITY_SIGMA if country == "NO" else FOREIGN_ACTIVITY_SIGMA
    activity = rng.lognormal(0.0, sigma)
    if role in ("gatekeeper", "star"):
        activity = PLANTED_ACTIVITY
    return Org("", name, country, place.region, place.city, lat, lon, kind, sector,
               member=role in ("gatekeeper", "star", "member"), role=role, activity=activity)


def _fixed_orgs(rng: np.random.Generator, country: str, places: tuple[Place, ...]) -> list[Org]:
    """Create the organisations of ``FIXED_ORGS`` that belong to one country.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    country : str
        ISO alpha-2 code.
    places : tuple of Place
        Places to consider; a fixed organisation uses the first one in its region
        and is skipped if none is.

    Returns
    -------
    list of Org
        The fixed organisations of the country.
    """
    orgs = []
    for fixed in FIXED_ORGS:
        matching = [p for p in places if p.region == fixed.region]
        if fixed.country != country or not matching:
            continue
        orgs.append(_make_org(rng, country, matching[0], fixed.name, fixed.kind, fixed.sector,
                              fixed.role))
    return orgs


def _norwegian_orgs(rng: np.random.Generator, used: set[str]) -> list[Org]:
    """Create the Norwegian organisations, county by county.

    The fixed organisations of a county come first; the remaining members of
    the focal cluster are drawn at random among the invented ones.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    used : set of str
        Names taken so far, including all fixed names; updated in place.

    Returns
    -------
    list of Org
        All Norwegian organisations.
    """
    orgs = []
    for spec in NORWAY_REGIONS:
        fixed = _fixed_orgs(rng, "NO", (spec.place,))
        invented = []
        for _ in range(spec.n_orgs - len(fixed)):
            kind = KINDS[rng.choice(len(KINDS), p=NORWAY_KIND_P)]
            sector = _pick(rng, list(SECTORS), np.array(spec.sector_weights))
            name = _invent_name(rng, used, "no", "AS", NORWAY_STEMS, kind, sector)
            invented.append(_make_org(rng, "NO", spec.place, name, kind, sector, "other"))
        n_new_members = spec.n_members - sum(org.member for org in fixed)
        for idx in rng.choice(len(invented), size=n_new_members, replace=False):
            invented[idx].member = True
            invented[idx].role = "member"
        orgs += fixed + invented
    return orgs


def _foreign_orgs(rng: np.random.Generator, used: set[str]) -> list[Org]:
    """Create the foreign organisations, country by country.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    used : set of str
        Names taken so far, including all fixed names; updated in place.

    Returns
    -------
    list of Org
        All foreign organisations. Their activity is multiplied by the square
        root of their country's number of organisations, so that the countries
        with many organisations (the closer ones) also have the busiest ones.
    """
    orgs = []
    for spec in FOREIGN_COUNTRIES:
        fixed = _fixed_orgs(rng, spec.code, spec.places)
        orgs += fixed
        for _ in range(spec.n_orgs - len(fixed)):
            kind = KINDS[rng.choice(len(KINDS), p=FOREIGN_KIND_P)]
            sector = _pick(rng, list(SECTORS), np.array(FOREIGN_SECTOR_WEIGHTS))
            place = spec.places[rng.integers(len(spec.places))]
            name = _invent_name(rng, used, spec.language, spec.suffix, spec.stems, kind, sector)
            orgs.append(_make_org(rng, spec.code, place, name, kind, sector, "foreign"))
        for org in orgs[-spec.n_orgs:]:
            org.activity *= np.sqrt(spec.n_orgs)
    return orgs


def _assign_ids(orgs: list[Org]) -> list[Org]:
    """Number organisations per country (``NO-001``, ``DE-004``) and sort them by id.

    Within a country, ids follow the order (region, name).

    Parameters
    ----------
    orgs : list of Org
        Organisations without ids; updated in place.

    Returns
    -------
    list of Org
        The organisations sorted by id.
    """
    counters: Counter[str] = Counter()
    for org in sorted(orgs, key=lambda o: (o.country, o.region, o.name)):
        counters[org.country] += 1
        org.org = f"{org.country}-{counters[org.country]:03d}"
    return sorted(orgs, key=lambda o: o.org)


def make_organisations(rng: np.random.Generator) -> list[Org]:
    """Create all organisations of the sample.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.

    Returns
    -------
    list of Org
        Norwegian and foreign organisations, sorted by id.
    """
    used = {fixed.name for fixed in FIXED_ORGS}
    orgs = _norwegian_orgs(rng, used) + _foreign_orgs(rng, used)
    return _assign_ids(orgs)


# --------------------------------------------------------------------------- partners


def scope_weights(orgs: list[Org], scope: str) -> np.ndarray:
    """Weight of each organisation as the Norwegian end of a tie of one scope.

    Parameters
    ----------
    orgs : list of Org
        Candidate organisations.
    scope : str
        ``"local"``, ``"national"`` or ``"international"``.

    Returns
    -------
    numpy.ndarray
        Activity times the role factor of ``ROLE_SCOPE_FACTOR``.
    """
    return np.array([o.activity * ROLE_SCOPE_FACTOR[o.role][scope] for o in orgs])


def draw_partners(rng: np.random.Generator, lead: Org, scope: str, norwegian: list[Org],
                  foreign: list[Org], n: int, extra: np.ndarray | None = None) -> list[Org]:
    """Draw ``n`` distinct partners of ``lead`` for ties of one scope.

    Local partners share the lead's county, national partners are Norwegian
    organisations in other counties, and international partners are foreign.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    lead : Org
        Norwegian organisation the ties start from.
    scope : str
        ``"local"``, ``"national"`` or ``"international"``.
    norwegian, foreign : list of Org
        All Norwegian and all foreign organisations.
    n : int
        Number of partners; fewer are returned if fewer candidates exist.
    extra : numpy.ndarray, optional
        Extra weight factor per organisation, indexed like ``norwegian + foreign``.

    Returns
    -------
    list of Org
        The partners.
    """
    factor = np.ones(len(norwegian) + len(foreign)) if extra is None else extra
    if scope == "international":
        pool = list(zip(foreign, factor[len(norwegian):]))
        weights = np.array([o.activity * f for o, f in pool])
    else:
        same_region = scope == "local"
        pool = [(o, f) for o, f in zip(norwegian, factor)
                if o is not lead and (o.region == lead.region) == same_region]
        weights = scope_weights([o for o, _ in pool], scope) * np.array([f for _, f in pool])
    n = min(n, int(np.count_nonzero(weights)))
    return _pick(rng, [o for o, _ in pool], weights, size=n, replace=False)


# --------------------------------------------------------------------------- partnerships


def _pair_type(rng: np.random.Generator, a: Org, b: Org) -> str:
    """Draw the type of a partnership from the kinds of the two partners.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    a, b : Org
        The partners.

    Returns
    -------
    str
        One of ``PARTNERSHIP_TYPES``; joint ventures only between firms.
    """
    kinds = {a.kind, b.kind}
    if kinds & {"university", "research"}:
        p = ACADEMIC_TYPE_P
    elif kinds == {"firm"}:
        p = BUSINESS_TYPE_P
    else:
        p = BUSINESS_TYPE_P * np.array([1.0, 1.0, 0.0, 1.0])
    return _pick(rng, list(PARTNERSHIP_TYPES), p)


def _pair_years(rng: np.random.Generator) -> range:
    """Draw the consecutive years a partnership is active.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.

    Returns
    -------
    range
        Years within ``FIRST_YEAR`` to ``LAST_YEAR``.
    """
    n_years = min(int(rng.geometric(DURATION_P)), len(YEARS))
    start = int(rng.integers(FIRST_YEAR, LAST_YEAR - n_years + 2))
    return range(start, start + n_years)


def _pair_rows(rng: np.random.Generator, lead: Org, partner: Org, room: int,
               seen: set[tuple[frozenset, int]]) -> list[dict]:
    """Create the yearly rows of one partnership.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    lead, partner : Org
        The partners; which one becomes ``source`` is random.
    room : int
        Maximum number of rows to create.
    seen : set of tuple
        (pair, year) keys created so far; updated in place. A year already
        taken by the same pair is skipped.

    Returns
    -------
    list of dict
        Rows with the keys of ``PARTNERSHIP_COLUMNS``, one per active year.
    """
    source, target = (lead, partner) if rng.random() < 0.5 else (partner, lead)
    kind = _pair_type(rng, source, target)
    pair = frozenset((source.org, target.org))
    rows = []
    for year in _pair_years(rng):
        if (pair, year) in seen or len(rows) == room:
            continue
        seen.add((pair, year))
        weight = int(rng.choice(len(WEIGHT_P), p=WEIGHT_P)) + 1
        rows.append({"source": source.org, "target": target.org, "year": year,
                     "weight": weight, "type": kind})
    return rows


def _scope_rows(rng: np.random.Generator, scope: str, n_rows: int, norwegian: list[Org],
                foreign: list[Org], first_partners: list[Org]) -> list[dict]:
    """Create ``n_rows`` partnership rows of one scope.

    Each pair has a Norwegian lead weighted by ``scope_weights``. Its partner
    is taken from ``first_partners`` while any are left, then drawn with
    ``draw_partners``.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    scope : str
        ``"local"``, ``"national"`` or ``"international"``.
    n_rows : int
        Number of rows to create.
    norwegian, foreign : list of Org
        All Norwegian and all foreign organisations.
    first_partners : list of Org
        Partners of the first pairs, used once each.

    Returns
    -------
    list of dict
        Rows with the keys of ``PARTNERSHIP_COLUMNS``.
    """
    lead_weights = scope_weights(norwegian, scope)
    queue = list(first_partners)
    rows: list[dict] = []
    seen: set[tuple[frozenset, int]] = set()
    while len(rows) < n_rows:
        lead = _pick(rng, norwegian, lead_weights)
        if queue:
            partner = queue.pop(0)
        else:
            (partner,) = draw_partners(rng, lead, scope, norwegian, foreign, 1)
        rows += _pair_rows(rng, lead, partner, n_rows - len(rows), seen)
    return rows


def make_partnerships(rng: np.random.Generator, orgs: list[Org]) -> list[dict]:
    """Create the partnership records.

    Every partnership has at least one Norwegian partner, and every foreign
    organisation has at least one partnership (a foreign organisation is in
    the data because of its ties to Norway). The rows are split over local,
    national and international ties in the proportions ``SCOPE_P``.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    orgs : list of Org
        All organisations.

    Returns
    -------
    list of dict
        Rows sorted by year, source, target and type.
    """
    norwegian = [o for o in orgs if o.country == "NO"]
    foreign = [o for o in orgs if o.country != "NO"]
    counts = np.round(SCOPE_P * N_PARTNERSHIP_ROWS).astype(int)
    rows = []
    for scope, n_rows in zip(SCOPES, counts):
        first = []
        if scope == "international":
            first = [foreign[i] for i in rng.permutation(len(foreign))]
        rows += _scope_rows(rng, scope, int(n_rows), norwegian, foreign, first)
    return sorted(rows, key=lambda r: (r["year"], r["source"], r["target"], r["type"]))


# --------------------------------------------------------------------------- co-patents


def make_copatents(rng: np.random.Generator, orgs: list[Org]) -> list[dict]:
    """Create the joint patent applications in long shape.

    Each application has a Norwegian first applicant, weighted like the
    partnerships but scaled by ``PATENT_KIND_FACTOR``; the co-applicants are
    local, national or foreign according to a scope drawn from ``SCOPE_P``.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    orgs : list of Org
        All organisations.

    Returns
    -------
    list of dict
        Rows with the keys of ``COPATENT_COLUMNS``, sorted by event; within an
        event the first applicant comes first.
    """
    norwegian = [o for o in orgs if o.country == "NO"]
    foreign = [o for o in orgs if o.country != "NO"]
    patent_factor = np.array([PATENT_KIND_FACTOR[o.kind] for o in norwegian + foreign])
    years = rng.choice(YEARS, size=N_PATENTS)
    numbers = rng.choice(np.arange(1, 1_000_000), size=N_PATENTS, replace=False)
    rows = []
    for year, number in zip(years, numbers):
        scope = SCOPES[rng.choice(len(SCOPES), p=SCOPE_P)]
        lead_weights = scope_weights(norwegian, scope) * patent_factor[: len(norwegian)]
        lead = _pick(rng, norwegian, lead_weights)
        n_co = int(rng.choice(len(APPLICANTS_P), p=APPLICANTS_P))
        co = draw_partners(rng, lead, scope, norwegian, foreign, n_co, extra=patent_factor)
        event = f"EP{year}{number:06d}"
        rows += [{"event": event, "org": o.org, "year": int(year)} for o in [lead, *co]]
    return sorted(rows, key=lambda r: r["event"])  # stable: first applicant stays first


# --------------------------------------------------------------------------- memberships


def _focal_rows(rng: np.random.Generator, members: list[Org]) -> list[dict]:
    """Create the membership rows of the focal cluster.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    members : list of Org
        Members of the focal cluster.

    Returns
    -------
    list of dict
        One row per member; ``N_BOARD`` of them, drawn with the weights of
        local ties, have role ``"board"``. Planted organisations joined in
        ``FIRST_YEAR``.
    """
    board = set(_pick(rng, [m.org for m in members], scope_weights(members, "local"),
                      size=N_BOARD, replace=False))
    rows = []
    for m in members:
        year = int(rng.choice(YEARS, p=JOIN_YEAR_WEIGHTS / JOIN_YEAR_WEIGHTS.sum()))
        if m.role in ("gatekeeper", "star"):
            year = FIRST_YEAR
        role = "board" if m.org in board else "member"
        rows.append({"org": m.org, "group": FOCAL_CLUSTER, "role": role, "year": year})
    return rows


def _sector_factor(orgs: list[Org], sector: str | None) -> np.ndarray:
    """Weight factor that makes organisations of a group's sector more likely.

    Parameters
    ----------
    orgs : list of Org
        Candidate organisations.
    sector : str or None
        Sector of the group.

    Returns
    -------
    numpy.ndarray
        4 for organisations of ``sector``, 1 for the others.
    """
    return np.array([4.0 if o.sector == sector else 1.0 for o in orgs])


def _group_participants(rng: np.random.Generator, group: Group, orgs: list[Org]) -> list[Org]:
    """Draw the participants of a smaller group, coordinator first.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    group : Group
        The group.
    orgs : list of Org
        All organisations.

    Returns
    -------
    list of Org
        Participants, weighted like local ties (working groups, networks) or
        international ties (consortia) and by ``_sector_factor``.
    """
    if group.kind == "working group":
        pool = [o for o in orgs if o.member]
    elif group.kind == "network":
        pool = [o for o in orgs if o.country == "NO" and o.region == group.region]
    else:
        pool = [o for o in orgs if o.country == "NO"]
    scope = "international" if group.kind == "consortium" else "local"
    chosen = _pick(rng, pool, scope_weights(pool, scope) * _sector_factor(pool, group.sector),
                   size=group.size - group.n_foreign, replace=False)
    foreign = [o for o in orgs if o.country != "NO"]
    abroad = _pick(rng, foreign, scope_weights(foreign, "international")
                   * _sector_factor(foreign, group.sector), size=group.n_foreign, replace=False)
    return chosen + abroad


def _group_rows(rng: np.random.Generator, group: Group, orgs: list[Org],
                joined: dict[str, int]) -> list[dict]:
    """Create the membership rows of one smaller group.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    group : Group
        The group.
    orgs : list of Org
        All organisations.
    joined : dict of str to int
        Year each focal-cluster member joined the cluster.

    Returns
    -------
    list of dict
        The first participant is ``"coordinator"``; the others are
        ``"partner"`` in a consortium and ``"member"`` otherwise. Consortium
        participants all join in the start year; others join in the start year
        or later, never before joining the focal cluster.
    """
    rows = []
    for i, org in enumerate(_group_participants(rng, group, orgs)):
        if i == 0:
            role = "coordinator"
        else:
            role = "partner" if group.kind == "consortium" else "member"
        if group.kind == "consortium":
            year = group.year
        else:
            start = group.year if i == 0 else int(rng.integers(group.year, LAST_YEAR + 1))
            year = max(start, joined.get(org.org, FIRST_YEAR))
        rows.append({"org": org.org, "group": group.name, "role": role, "year": year})
    return rows


def make_memberships(rng: np.random.Generator, orgs: list[Org]) -> list[dict]:
    """Create the membership records of the focal cluster and the smaller groups.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    orgs : list of Org
        All organisations.

    Returns
    -------
    list of dict
        Rows sorted with the focal cluster first, then by group name and org.
    """
    rows = _focal_rows(rng, [o for o in orgs if o.member])
    joined = {r["org"]: r["year"] for r in rows}
    for group in GROUPS:
        rows += _group_rows(rng, group, orgs, joined)
    return sorted(rows, key=lambda r: (r["group"] != FOCAL_CLUSTER, r["group"], r["org"]))


# --------------------------------------------------------------------------- output


def scope_partner_counts(orgs: list[Org], partnerships: list[dict], copatents: list[dict],
                         memberships: list[dict]) -> dict[str, dict[str, int]]:
    """Count every organisation's distinct partners by scope, as netcluster does by default.

    Partners are linked by a partnership, a shared patent application or a
    shared group of at most ``MAX_GROUP_SIZE`` organisations (the focal
    cluster is larger, so netcluster's default event size cap leaves it out);
    the scope follows ``_scope`` (the county is the locality).

    Parameters
    ----------
    orgs : list of Org
        All organisations.
    partnerships, copatents, memberships : list of dict
        The generated rows.

    Returns
    -------
    dict of str to dict of str to int
        ``{org id: {"local": n, "national": n, "international": n}}``.
    """
    by_id = {o.org: o for o in orgs}
    linked = partners(orgs, partnerships, copatents)
    groups: dict[str, list[str]] = {}
    for row in memberships:
        groups.setdefault(row["group"], []).append(row["org"])
    for ids in groups.values():
        if len(set(ids)) <= MAX_GROUP_SIZE:
            for org in ids:
                linked[org].update(i for i in ids if i != org)
    counts = {}
    for o in orgs:
        scopes = Counter(_scope(o, by_id[p]) for p in linked[o.org])
        counts[o.org] = {scope: scopes[scope] for scope in OUTCOME_EFFECTS}
    return counts


def make_outcomes(rng: np.random.Generator, orgs: list[Org], partnerships: list[dict],
                  copatents: list[dict], memberships: list[dict]) -> dict[str, str]:
    """Draw the planted yes/no outcome ``new_product`` of every organisation.

    P(yes) is the logistic function of ``OUTCOME_INTERCEPT`` plus
    ``OUTCOME_EFFECTS[scope] * log(1 + partners of that scope)``, with the
    partner counts of ``scope_partner_counts``. Drawn after every other
    record, so that adding it left the other files unchanged.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    orgs : list of Org
        All organisations.
    partnerships, copatents, memberships : list of dict
        The generated rows.

    Returns
    -------
    dict of str to str
        ``"yes"`` or ``"no"`` by organisation id.
    """
    counts = scope_partner_counts(orgs, partnerships, copatents, memberships)
    draws = rng.random(len(orgs))
    outcome = {}
    for o, draw in zip(orgs, draws):
        eta = OUTCOME_INTERCEPT + sum(effect * np.log1p(counts[o.org][scope])
                                      for scope, effect in OUTCOME_EFFECTS.items())
        outcome[o.org] = "yes" if draw < 1.0 / (1.0 + np.exp(-eta)) else "no"
    return outcome


def _org_row(org: Org, new_product: str) -> dict:
    """Format one organisation as a row of ``organisations.csv``.

    Parameters
    ----------
    org : Org
        The organisation.
    new_product : str
        Its planted outcome, ``"yes"`` or ``"no"``.

    Returns
    -------
    dict
        Values as strings, coordinates with 4 decimals.
    """
    return {"org": org.org, "name": org.name, "country": org.country, "region": org.region,
            "city": org.city, "lat": f"{org.lat:.4f}", "lon": f"{org.lon:.4f}",
            "kind": org.kind, "sector": org.sector, "member": "true" if org.member else "false",
            "new_product": new_product}


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    """Write rows as UTF-8 CSV with ``\\n`` line endings and minimal quoting.

    Parameters
    ----------
    path : pathlib.Path
        File to write.
    columns : tuple of str
        Header, in order.
    rows : list of dict
        Rows keyed by column.
    """
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _markdown_table(header: tuple[str, ...], rows: list[tuple]) -> str:
    """Format a Markdown table.

    Parameters
    ----------
    header : tuple of str
        Column titles.
    rows : list of tuple
        Table cells.

    Returns
    -------
    str
        The table, one line per row.
    """
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


README_TEMPLATE = """\
# Sample: ocean_cluster

A synthetic collaboration network of an invented ocean-technology cluster on the
Norwegian coast, the *{focal}*. It is small enough to read and rich
enough to show local buzz, global pipelines and gatekeepers.

**Origin.** Synthetic, generated by `{script}`; no real
organisation is described; names are invented. Coordinates are real city centres
with a few kilometres of random jitter.

**Licence.** The data files (the four CSV files and this README) are dedicated
to the public domain under
[CC0-1.0](https://creativecommons.org/publicdomain/zero/1.0/). The generator
script is part of netcluster and under the project's MIT licence.

**How it was generated.** From the repository root:

```
python {script} --seed {seed} --out sample_graphs/ocean_cluster
```

The output is byte-for-byte reproducible for a given seed (with the same numpy
random stream). This README is written by the same script: do not edit it by
hand, change the script and run it again.

All files are UTF-8 CSV without a byte-order mark, with a header row, `\\n` line
endings and double quotes only where a value needs them (some names contain
commas).

## organisations.csv

{n_orgs} rows, one per organisation: {n_no} Norwegian organisations in
{n_no_regions} counties and {n_foreign} foreign ones in {n_foreign_countries} countries.

| column | type | meaning |
|---|---|---|
| org | string | Stable id: ISO country code and a number, e.g. `NO-001`, `DE-004`. |
| name | string | Invented name, unique. Some contain non-ASCII letters, `&`, `'` or commas. |
| country | string | ISO 3166-1 alpha-2 code. |
| region | string | County (fylke) for Norwegian organisations; a plausible region (e.g. `Hamburg`, `Syddanmark`) elsewhere. |
| city | string | City. |
| lat | float | Latitude, WGS 84, 4 decimals. |
| lon | float | Longitude, WGS 84, 4 decimals. |
| kind | string | `firm`, `university`, `research` (research institute) or `public` (agency, port authority, business council). |
| sector | string | Main field: `aquaculture`, `subsea`, `offshore wind`, `maritime transport`, `marine biotech` or `ocean data`. |
| member | boolean | `true` for the members of the {focal} (exactly the organisations of that group in `memberships.csv`), else `false`. |
| new_product | yes/no | Invented outcome: `yes` when the organisation "introduced a new product or service", as a member survey would ask. Synthetic, with a planted association (see *Planted outcome* below). |

Norwegian counties, named as in 2020–2023 (Troms og Finnmark was split in 2024).
All members of the focal cluster are Norwegian.

{region_table}

Foreign organisations by country: {country_counts}.

## partnerships.csv

{n_partnerships} rows, one per partnership between two organisations in one year.

| column | type | meaning |
|---|---|---|
| source | string | `org` id of one partner. |
| target | string | `org` id of the other partner. The order carries no meaning. |
| year | integer | Year the partnership was active, {first}–{last}. |
| weight | integer | Size of the partnership, 1 (small) to 5 (large). |
| type | string | `R&D project`, `supply`, `joint venture` or `consultancy`. |

A partnership lasts one or more consecutive years, with one row per year, so a
pair can appear in several years, but at most once per year ({n_pairs} distinct
pairs). There are no self-pairs. Every partnership has at least one Norwegian
partner, and every foreign organisation has at least one partnership. With the
county as locality, {local} of the rows are local (same country and region),
{national} national (same country, other region) and {international}
international (other country).

## copatents.csv

{n_copatent_rows} rows for {n_patents} invented patent applications
filed {first}–{last}, in long shape: one row per application and applicant.

| column | type | meaning |
|---|---|---|
| event | string | Invented application id: `EP`, the year and six digits, e.g. `EP2019001234`. |
| org | string | `org` id of an applicant. |
| year | integer | Application year, {first}–{last}. |

Number of applications by number of applicants: {applicant_counts}. An
(event, org) pair appears once. Rows are sorted by event; within an event the
first row is the first-named applicant, always Norwegian.

## memberships.csv

{n_membership_rows} rows, one per organisation and group.

| column | type | meaning |
|---|---|---|
| org | string | `org` id. |
| group | string | Group name. |
| role | string | `member` or `board` in the focal cluster; `coordinator`, `partner` or `member` in the smaller groups. |
| year | integer | Year the organisation joined the group. |

{group_table}

The focal cluster was founded in {first}; {n_board} of its members have the role
`board`. The working groups contain focal-cluster members only, the networks
contain organisations of one county (members or not), and the consortia are
EU-style projects with foreign partners. Each smaller group has exactly one
`coordinator`.

## Planted structure

The names, counties and roles below do not depend on the seed; the ids and
counts are those of seed {seed}. Counts are distinct partners over
partnerships and co-patents together (two applicants of one application are
partners); ranks are among the {n_members} members of the focal cluster (1 = most).

*Gatekeepers*: members that are central in the cluster and hold most of the
cluster's international partnership and co-patent ties.

{gatekeeper_table}

*External stars*: members with many international ties but few partners in
the cluster.

{star_table}

Together the gatekeepers hold {gatekeeper_share} of the members' foreign
partners (counted per member and foreign partner). Of the {n_ordinary} members
that are neither gatekeepers nor external stars, only {n_ordinary_open} have any
international tie. All
other organisations draw their activity from a lognormal distribution, so a
few have many partners and many have one to three; {n_isolated} organisations
have no partnership and no co-patent.

## Planted outcome

`new_product` is invented, like everything else here: no survey was made. It
exists so that `netcluster evidence --outcome new_product` and the report's
evidence panel have something to find. For every organisation, P(`yes`) is
the logistic function of

    {intercept} + {b_local} log(1 + local partners) + {b_national} log(1 + national partners)
         + {b_international} log(1 + international partners)

so the planted international effect is **four times** the local one, the
"about four times more powerful" of the press reports on Fitjar and
Rodríguez-Pose (2013), a survey of Norwegian firms. Partners are
distinct partners over partnerships, co-patents and shared groups of at most
{max_group} organisations (the focal cluster is larger; netcluster's default
`--max-event-size` leaves it out), with the county as locality: the counts
`netcluster analyze` reports as `local_degree`, `national_degree` and
`international_degree`. Kind, sector, size and membership have no planted
effect. The outcome is drawn after all other records, from the same seeded
stream.

{n_yes} of {n_orgs} organisations have `yes`: {n_yes_open} of the
{n_open} with a foreign partner and {n_yes_closed} of the {n_closed} without
one. With ~300 organisations the estimate is imprecise: expect the
international/local ratio near 4 with a wide interval, not 4 exactly.
"""


def _scope(a: Org, b: Org) -> str:
    """Classify a tie with the county as locality.

    Parameters
    ----------
    a, b : Org
        The two organisations.

    Returns
    -------
    str
        ``"local"`` (same country and region), ``"national"`` (same country,
        other region) or ``"international"`` (other country).
    """
    if a.country != b.country:
        return "international"
    return "local" if a.region == b.region else "national"


def _share(rows: list[dict], orgs: dict[str, Org], scope: str) -> str:
    """Return the share of partnership rows of one scope as a percentage.

    Parameters
    ----------
    rows : list of dict
        Partnership rows.
    orgs : dict of str to Org
        Organisations by id.
    scope : str
        ``"local"``, ``"national"`` or ``"international"``.

    Returns
    -------
    str
        Percentage with one decimal, e.g. ``"60.0 %"``.
    """
    n = sum(_scope(orgs[r["source"]], orgs[r["target"]]) == scope for r in rows)
    return f"{100 * n / len(rows):.1f} %"


def partners(orgs: list[Org], partnerships: list[dict],
             copatents: list[dict]) -> dict[str, set[str]]:
    """Collect the distinct partners of every organisation.

    Parameters
    ----------
    orgs : list of Org
        All organisations.
    partnerships, copatents : list of dict
        The generated rows; co-applicants of one application are partners.

    Returns
    -------
    dict of str to set of str
        Partner ids by organisation id (empty sets for isolated organisations).
    """
    linked: dict[str, set[str]] = {o.org: set() for o in orgs}
    for row in partnerships:
        linked[row["source"]].add(row["target"])
        linked[row["target"]].add(row["source"])
    applicants: dict[str, list[str]] = {}
    for row in copatents:
        applicants.setdefault(row["event"], []).append(row["org"])
    for ids in applicants.values():
        for org in ids:
            linked[org].update(i for i in ids if i != org)
    return linked


def _planted_table(orgs: list[Org], linked: dict[str, set[str]], role: str) -> str:
    """Format the organisations of one planted role as a Markdown table.

    Parameters
    ----------
    orgs : list of Org
        All organisations.
    linked : dict of str to set of str
        Partner ids by organisation id, from ``partners``.
    role : str
        ``"gatekeeper"`` or ``"star"``.

    Returns
    -------
    str
        Table of id, name, county, kind, sector, and number and rank of
        partners in the cluster and abroad.
    """
    by_id = {o.org: o for o in orgs}
    members = [o for o in orgs if o.member]
    inside = {o.org: sum(by_id[p].member for p in linked[o.org]) for o in members}
    abroad = {o.org: sum(by_id[p].country != o.country for p in linked[o.org]) for o in members}

    def rank(counts: dict[str, int], org: str) -> int:
        return 1 + sum(n > counts[org] for n in counts.values())

    rows = [(o.org, o.name, o.region, o.kind, o.sector,
             f"{inside[o.org]} (rank {rank(inside, o.org)})",
             f"{abroad[o.org]} (rank {rank(abroad, o.org)})")
            for o in members if o.role == role]
    header = ("org", "name", "region", "kind", "sector", "partners in cluster", "foreign partners")
    return _markdown_table(header, rows)


def _openness_facts(orgs: list[Org], linked: dict[str, set[str]]) -> dict[str, object]:
    """Summarise who holds the cluster's international ties.

    Parameters
    ----------
    orgs : list of Org
        All organisations.
    linked : dict of str to set of str
        Partner ids by organisation id, from ``partners``.

    Returns
    -------
    dict
        ``gatekeeper_share``, ``n_ordinary``, ``n_ordinary_open`` and
        ``n_isolated`` for ``README_TEMPLATE``.
    """
    by_id = {o.org: o for o in orgs}
    abroad = {o.org: sum(by_id[p].country != o.country for p in linked[o.org])
              for o in orgs if o.member}
    ordinary = [o for o in orgs if o.role == "member"]
    gatekeeper_ties = sum(abroad[o.org] for o in orgs if o.role == "gatekeeper")
    return {
        "gatekeeper_share": f"{100 * gatekeeper_ties / sum(abroad.values()):.0f} %",
        "n_ordinary": len(ordinary),
        "n_ordinary_open": sum(abroad[o.org] > 0 for o in ordinary),
        "n_isolated": sum(not linked[o.org] for o in orgs),
    }


def render_readme(seed: int, orgs: list[Org], partnerships: list[dict], copatents: list[dict],
                  memberships: list[dict], outcomes: dict[str, str]) -> str:
    """Write the sample's README from the generated records.

    Parameters
    ----------
    seed : int
        Seed the records were generated with.
    orgs : list of Org
        All organisations.
    partnerships, copatents, memberships : list of dict
        The generated rows.
    outcomes : dict of str to str
        ``new_product`` by organisation id, from ``make_outcomes``.

    Returns
    -------
    str
        Markdown text.
    """
    by_id = {o.org: o for o in orgs}
    linked = partners(orgs, partnerships, copatents)
    norwegian = [o for o in orgs if o.country == "NO"]
    foreign_counts = Counter(o.country for o in orgs if o.country != "NO")
    region_rows = [(spec.place.region, spec.place.city,
                    sum(o.region == spec.place.region for o in norwegian),
                    sum(o.region == spec.place.region and o.member for o in norwegian))
                   for spec in NORWAY_REGIONS]
    group_sizes = Counter(r["group"] for r in memberships)
    group_rows = [(FOCAL_CLUSTER, "focal cluster", group_sizes[FOCAL_CLUSTER], FIRST_YEAR)]
    group_rows += [(g.name, g.kind, group_sizes[g.name], g.year) for g in GROUPS]
    applicants = Counter(Counter(r["event"] for r in copatents).values())
    return README_TEMPLATE.format(
        focal=FOCAL_CLUSTER, script=SCRIPT, seed=seed, first=FIRST_YEAR, last=LAST_YEAR,
        n_orgs=len(orgs), n_no=len(norwegian), n_no_regions=len(NORWAY_REGIONS),
        n_foreign=len(orgs) - len(norwegian), n_foreign_countries=len(foreign_counts),
        region_table=_markdown_table(("region", "city", "organisations", "cluster members"),
                                     region_rows),
        country_counts=", ".join(f"{c} {n}" for c, n in
                                 sorted(foreign_counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        n_partnerships=len(partnerships),
        n_pairs=len({frozenset((r["source"], r["target"])) for r in partnerships}),
        local=_share(partnerships, by_id, "local"),
        national=_share(partnerships, by_id, "national"),
        international=_share(partnerships, by_id, "international"),
        n_copatent_rows=len(copatents), n_patents=sum(applicants.values()),
        applicant_counts=", ".join(f"{n} with {k}" for k, n in sorted(applicants.items())),
        n_membership_rows=len(memberships),
        group_table=_markdown_table(("group", "kind", "organisations", "start year"), group_rows),
        n_board=N_BOARD, n_members=sum(o.member for o in orgs),
        gatekeeper_table=_planted_table(orgs, linked, "gatekeeper"),
        star_table=_planted_table(orgs, linked, "star"),
        **_openness_facts(orgs, linked),
        **_outcome_facts(orgs, partnerships, copatents, memberships, outcomes),
    )


def _outcome_facts(orgs: list[Org], partnerships: list[dict], copatents: list[dict],
                   memberships: list[dict], outcomes: dict[str, str]) -> dict[str, object]:
    """Summarise the planted outcome for ``README_TEMPLATE``.

    Parameters
    ----------
    orgs : list of Org
        All organisations.
    partnerships, copatents, memberships : list of dict
        The generated rows.
    outcomes : dict of str to str
        ``new_product`` by organisation id.

    Returns
    -------
    dict
        The planted coefficients and the counts of ``yes`` with and without
        a foreign partner.
    """
    counts = scope_partner_counts(orgs, partnerships, copatents, memberships)
    open_ = [o.org for o in orgs if counts[o.org]["international"] > 0]
    closed = [o.org for o in orgs if counts[o.org]["international"] == 0]
    return {
        "intercept": f"{OUTCOME_INTERCEPT:g}", "b_local": f"{OUTCOME_EFFECTS['local']:g}",
        "b_national": f"{OUTCOME_EFFECTS['national']:g}",
        "b_international": f"{OUTCOME_EFFECTS['international']:g}", "max_group": MAX_GROUP_SIZE,
        "n_yes": sum(v == "yes" for v in outcomes.values()),
        "n_open": len(open_), "n_yes_open": sum(outcomes[o] == "yes" for o in open_),
        "n_closed": len(closed), "n_yes_closed": sum(outcomes[o] == "yes" for o in closed),
    }


def generate(out_dir: str | Path = DEFAULT_OUT, seed: int = DEFAULT_SEED) -> list[Path]:
    """Generate the sample and write it to ``out_dir``.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Directory to write to; created if missing.
    seed : int
        Seed of the random generator.

    Returns
    -------
    list of pathlib.Path
        The files written: the four CSV files and ``README.md``.
    """
    rng = np.random.default_rng(seed)
    orgs = make_organisations(rng)
    partnerships = make_partnerships(rng, orgs)
    copatents = make_copatents(rng, orgs)
    memberships = make_memberships(rng, orgs)
    outcomes = make_outcomes(rng, orgs, partnerships, copatents, memberships)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "organisations.csv": (ORG_COLUMNS, [_org_row(o, outcomes[o.org]) for o in orgs]),
        "partnerships.csv": (PARTNERSHIP_COLUMNS, partnerships),
        "copatents.csv": (COPATENT_COLUMNS, copatents),
        "memberships.csv": (MEMBERSHIP_COLUMNS, memberships),
    }
    for filename, (columns, rows) in files.items():
        write_csv(out / filename, columns, rows)
    readme = render_readme(seed, orgs, partnerships, copatents, memberships, outcomes)
    with (out / "README.md").open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(readme)
    return [out / name for name in (*files, "README.md")]


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and generate the sample.

    Parameters
    ----------
    argv : list of str, optional
        Arguments; defaults to ``sys.argv[1:]``.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"seed of the random generator (default {DEFAULT_SEED})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"output directory (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    for path in generate(args.out, args.seed):
        print(path)


if __name__ == "__main__":
    main()
