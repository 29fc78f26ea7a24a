"""Organisation names: mojibake repair, matching keys, near-duplicate merges.

Record files spell one organisation in many ways ("FRAUNHOFER-GESELLSCHAFT
... E.V." and "Fraunhofer-Gesellschaft ... e.V.") and some exports garble
non-ASCII letters (the CORDIS 2017 organisation table has UTF-8 read as
MacRoman: ``J√∂ckel`` for ``Jöckel``). This module repairs the garbling where
it is unambiguous, builds keys for matching and *proposes* merges; it never
changes an organisation's name or identifier by itself. Repair names before
building keys: a garbled letter becomes a space in the key.

References
----------
.. [1] R. Speer, "ftfy", https://ftfy.readthedocs.io (encoding repair).
.. [2] M. Bachmann, "RapidFuzz", https://rapidfuzz.github.io/RapidFuzz/
   (``fuzz.token_sort_ratio``: the normalised Indel similarity of the two
   strings with their words sorted).
"""

from __future__ import annotations

import re
import unicodedata

import ftfy
import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from ..errors import InputError, SchemaError

__all__ = ["LEGAL_FORMS", "repair_mojibake", "match_key", "merge_similar"]

#: Legal-form designations that :func:`match_key` removes wherever they stand
#: as whole words. Written as they appear in names; each is normalised like a
#: name, so ``"S.p.A."`` also covers ``SpA``, ``S.P.A.`` and ``s. p. a.``.
LEGAL_FORMS = (
    # German-speaking countries
    "GmbH", "gGmbH", "mbH", "AG", "KG", "KGaA", "OHG", "UG", "UG (haftungsbeschränkt)", "e.V.", "eG",
    # Nordic and Baltic countries
    "AS", "ASA", "A/S", "ApS", "AB", "Oy", "Oyj", "OÜ", "SIA", "UAB",
    # English-speaking countries
    "Ltd", "Limited", "Inc", "Incorporated", "Corp", "Corporation", "Co", "& Co",
    "LLC", "LLP", "PLC",
    # France, Italy, Spain, Portugal, Latin America
    "SA", "S.A.", "SAS", "S.A.S.", "SARL", "SAU", "S.p.A.", "SpA", "S.r.l.", "Srl",
    "S.L.", "SL", "S.L.U.", "GIE", "Lda", "Ltda",
    # Benelux
    "BV", "B.V.", "NV", "N.V.", "BVBA", "ASBL", "VZW",
    # Central and Eastern Europe
    "Sp. z o.o.", "Kft", "Zrt", "Nyrt", "d.o.o.", "d.d.", "s.r.o.", "a.s.",
    # Greece
    "AE", "A.E.", "IKE", "EPE",
    # Elsewhere; Societas Europaea
    "Pte", "Pty", "SE",
)

#: ftfy's encoding repair without its guesses: no re-inserted no-break
#: spaces, no lossy replacement characters, no C1-control transcoding.
_FTFY_CONFIG = ftfy.TextFixerConfig(
    restore_byte_a0=False, replace_lossy_sequences=False, fix_c1_controls=False, explain=True
)

#: UTF-8 bytes that were decoded as MacRoman (the CORDIS 2017 garbling).
_MACROMAN_PLAN = [("encode", "macroman"), ("decode", "utf-8")]

#: ASCII and the letters of European alphabets: Latin-1 and Latin
#: Extended-A letters, Romanian ș and ț.
_EUROPEAN_TEXT = re.compile(r"[\x00-\x7f\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f\u0218-\u021b]*")

#: Letters that NFKD does not split into a base letter and an accent.
_LETTERS = str.maketrans(
    {"æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
)

_LETTER = r"[^\W\d_]"
#: A dot or slash between one-letter words, as in ``s.p.a.``, ``a/s``, ``e. v.``.
_ABBREVIATION_DOT = re.compile(rf"(?<=(?<!\w){_LETTER})[./]\s*(?={_LETTER}(?!\w))")
_NON_WORD = re.compile(r"[\W_]+")


def repair_mojibake(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Repair UTF-8 text that was decoded with a single-byte encoding.

    A value is changed only when one of two repairs applies, and otherwise
    comes back identical:

    1. ftfy's encoding fix [1]_ (re-encode, decode as UTF-8), gated by ftfy's
       own mojibake detector and run without its guessing steps;
    2. for text ftfy's detector lets through (it misses short sequences such
       as ``√º`` for ``ü``), the MacRoman plan applied with
       :func:`ftfy.apply_plan`, kept only if the text encodes as MacRoman,
       those bytes are valid UTF-8, and every non-ASCII character of the
       result is a letter of a European Latin alphabet (U+00C0 to U+017F,
       ``ș``, ``ț``).

    Correct text almost never survives the strict MacRoman round trip (every
    accented letter would have to follow a symbol such as ``√`` or ``’``);
    the letter rule rejects the rare case that does: ``d’État`` would decode
    to an Armenian letter, a no-break space before ``É`` to an IPA letter.

    Parameters
    ----------
    values : pandas.Series
        Text; missing values are passed through.

    Returns
    -------
    repaired : pandas.Series
        The text, repaired where ``was_repaired``; same index and dtype.
    was_repaired : pandas.Series of bool
        True where the value was changed.

    Examples
    --------
    >>> repaired, changed = repair_mojibake(
    ...     pd.Series(["J√∂ckel", "Jöckel", "√2 Maths", "Conseil d’État"]))
    >>> repaired.tolist()
    ['Jöckel', 'Jöckel', '√2 Maths', 'Conseil d’État']
    >>> changed.tolist()
    [True, False, False, False]
    """
    candidates = pd.unique(values[values.map(_is_non_ascii_text, na_action="ignore").eq(True)])
    fixes = {text: _repair(text) for text in candidates}
    fixes = {text: fixed for text, fixed in fixes.items() if fixed != text}
    was_repaired = values.isin(list(fixes)).astype(bool)
    repaired = values.copy()
    repaired[was_repaired] = values[was_repaired].map(fixes)
    return repaired, was_repaired


def _is_non_ascii_text(value: object) -> bool:
    return isinstance(value, str) and not value.isascii()


def _repair(text: str) -> str:
    """One value through the two repairs of :func:`repair_mojibake`."""
    fixed = ftfy.fix_encoding_and_explain(text, _FTFY_CONFIG).text
    if fixed != text:
        return fixed
    try:
        fixed = ftfy.apply_plan(text, _MACROMAN_PLAN)
    except UnicodeError:
        return text
    return fixed if _EUROPEAN_TEXT.fullmatch(fixed) else text


def match_key(values: pd.Series) -> pd.Series:
    """Normalised keys for matching organisation names; the names are not changed.

    Steps: casefold; Unicode NFKD with the accents dropped, and ``æ ø œ ł đ ð
    þ ı ħ`` spelled out (NFKD leaves them whole); ``&`` becomes ``and``; dots
    and slashes between one-letter words are dropped (``s.p.a.`` -> ``spa``);
    other punctuation becomes spaces; the :data:`LEGAL_FORMS` are removed as
    whole words anywhere; whitespace is collapsed. A name that is nothing but
    legal forms keeps them, so that it never gets an empty key.

    German transliterations are *not* folded: ``Förderung`` gives ``forderung``
    and ``FOERDERUNG`` gives ``foerderung``, because turning ``oe`` into ``o``
    would also change ``Boeing`` or ``aerospace``, and turning ``ö`` into
    ``oe`` would break Nordic, Hungarian and Turkish names. Such pairs get
    different keys; :func:`merge_similar` still proposes them when the names
    are long enough to score above its threshold.

    Parameters
    ----------
    values : pandas.Series
        Names; missing values give missing keys.

    Returns
    -------
    pandas.Series
        String dtype, same index.

    Examples
    --------
    >>> match_key(pd.Series([
    ...     "Fraunhofer-Gesellschaft zur Förderung der angewandten Forschung e.V.",
    ...     "FRAUNHOFER GESELLSCHAFT ZUR FOERDERUNG DER ANGEWANDTEN FORSCHUNG E.V.",
    ...     "Brückner Maschinenbau GmbH & Co. KG", "A.P. Møller - Mærsk A/S", "AG"])).tolist()
    ['fraunhofer gesellschaft zur forderung der angewandten forschung', \
'fraunhofer gesellschaft zur foerderung der angewandten forschung', \
'bruckner maschinenbau', 'ap moller maersk', 'ag']
    """
    unique = pd.unique(values.dropna())
    keys = {name: _key(name) for name in unique}
    return values.map(keys, na_action="ignore").astype("string")


def _normalise(name: str) -> str:
    """Casefolded, accent-free, punctuation-free text with single spaces."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.translate(_LETTERS).replace("&", " and ")
    text = _ABBREVIATION_DOT.sub("", text)
    return _NON_WORD.sub(" ", text).strip()


#: The normalised :data:`LEGAL_FORMS` as whole words, longest first so that
#: ``ug haftungsbeschrankt`` is tried before ``ug``.
_LEGAL_FORM_RE = re.compile(
    r"(?<!\S)(?:"
    + "|".join(re.escape(form) for form in sorted({_normalise(form) for form in LEGAL_FORMS},
                                                   key=lambda form: (-len(form), form)))
    + r")(?!\S)"
)


def _key(name: str) -> str:
    normalised = _normalise(name)
    stripped = " ".join(_LEGAL_FORM_RE.sub(" ", normalised).split())
    return stripped or normalised


def merge_similar(orgs: pd.DataFrame, *, threshold: float = 95.0) -> pd.DataFrame:
    """Propose merges of organisations with near-identical names in one country.

    Within each country, organisations whose :func:`match_key` is equal are
    merged (rule ``"same key"``, score 100). The distinct keys are then
    compared with ``fuzz.token_sort_ratio`` [2]_, visiting them in the order
    of their smallest ``org_id``: a key that scores at least ``threshold``
    against an earlier key that is not itself merged joins the best-scoring
    one (ties: the earlier one), otherwise it starts a group of its own. So
    every proposal scores at least ``threshold`` against its canonical
    organisation directly (no chains A~B~C), and the canonical organisation
    of a group is always the one with the smallest ``org_id``.

    Two guards keep places and numbers apart: keys whose differing words
    hold a number (a digit or a Roman numeral) never merge by similarity
    (``universite paris 5``, ``universite paris 7``), and the words that only
    one key has must be respellings of words that only the other has
    (``ricerche``, ``richerche``) or additions on one side only (an acronym,
    an article), never a different word on each side (``valencia``,
    ``palencia``). Rows with a missing country or an empty name are left
    out: nothing is merged across countries, nor into an unknown one.
    Countries are compared as given: normalise them first (``UK`` and ``GB``
    differ here).

    Parameters
    ----------
    orgs : pandas.DataFrame
        Columns ``org_id`` (unique, sortable), ``name`` and ``country``.
    threshold : float, default 95.0
        Least similarity, in (0, 100], for a ``"similar"`` merge.

    Returns
    -------
    pandas.DataFrame
        One row per organisation to merge: ``org_id``, ``merged_into`` (the
        canonical ``org_id``), ``name``, ``canonical_name``, ``country``,
        ``score`` (float) and ``rule``; sorted by country, ``merged_into``
        and ``org_id``. Canonical organisations have no row.

    Raises
    ------
    SchemaError
        When a column is missing.
    InputError
        When ``org_id`` repeats or ``threshold`` is out of range.

    Examples
    --------
    >>> orgs = pd.DataFrame({
    ...     "org_id": [1, 2, 3, 4],
    ...     "name": ["Acme Robotics GmbH", "ACME ROBOTICS", "Acme Robotic GmbH", "Acme Robotics AB"],
    ...     "country": ["DE", "DE", "DE", "SE"]})
    >>> merge_similar(orgs)[["org_id", "merged_into", "score", "rule"]]
       org_id  merged_into  score      rule
    0       2            1  100.0  same key
    1       3            1   96.0   similar
    """
    missing = [column for column in ("org_id", "name", "country") if column not in orgs.columns]
    if missing:
        raise SchemaError("merge_similar needs org_id, name and country", column=missing[0])
    if orgs["org_id"].duplicated().any():
        raise InputError("org_id repeats", value=orgs.loc[orgs["org_id"].duplicated(), "org_id"].iloc[0])
    if not 0 < threshold <= 100:
        raise InputError("the similarity threshold must be in (0, 100]", value=threshold)
    table = orgs[["org_id", "name", "country"]].assign(key=match_key(orgs["name"]))
    table = table[table["country"].notna() & table["key"].fillna("").ne("")]
    table = table.sort_values(["country", "org_id"], kind="mergesort")
    merges = [_merge_country(group, threshold) for _, group in table.groupby("country", sort=True)]
    if not merges:
        return pd.DataFrame(columns=_COLUMNS)
    return pd.concat(merges, ignore_index=True)


_COLUMNS = ["org_id", "merged_into", "name", "canonical_name", "country", "score", "rule"]


def _merge_country(group: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """The merges within one country; ``group`` is sorted by ``org_id``."""
    first = group.drop_duplicates("key")  # each key's smallest org_id
    keys = first["key"].tolist()
    parent, score = _similar_keys(keys, threshold)
    canonical = first.iloc[parent].set_index(pd.Index(keys, name="key"))
    key_score = pd.Series(score, index=pd.Index(keys, name="key"))
    target = canonical.loc[group["key"]]
    merged = pd.DataFrame(
        {
            "org_id": group["org_id"].to_numpy(),
            "merged_into": target["org_id"].to_numpy(),
            "name": group["name"].to_numpy(),
            "canonical_name": target["name"].to_numpy(),
            "country": group["country"].to_numpy(),
            "score": key_score.loc[group["key"]].to_numpy(),
            "rule": np.where(target["key"].to_numpy() == group["key"].to_numpy(), "same key", "similar"),
        }
    )
    merged = merged[merged["org_id"] != merged["merged_into"]]
    return merged.sort_values(["merged_into", "org_id"], kind="mergesort")


#: Keys compared per call to :func:`rapidfuzz.process.cdist` (bounds memory).
_CHUNK = 512

#: Least ``fuzz.ratio`` for a word that only one key has to count as a
#: respelling of a word, with the same first letter, that only the other has:
#: typos pass (``ricerche``/``richerche``: 94, ``sviluppo``/``svilippo``: 88),
#: other places do not (``valencia``/``palencia``: another first letter;
#: ``nimes``/``nice``: 67; ``dolnoslaska``/``gornoslaska``).
_SPELLING_CUTOFF = 85.0

#: Words that hold a number: with a digit (``7``, ``sigma2``) or Roman
#: numerals up to 39.
_NUMBER = re.compile(r"\w*\d\w*|x{0,3}(?:ix|iv|v?i{0,3})")


def _similar_keys(keys: list[str], threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Leader clustering of distinct keys (see :func:`merge_similar`).

    Returns, for each key, the position of the key it joins (its own when it
    starts a group) and the score against that key (100 for its own).
    """
    parent = np.arange(len(keys))
    score = np.full(len(keys), 100.0)
    for start in range(0, len(keys), _CHUNK):
        stop = min(start + _CHUNK, len(keys))
        block = process.cdist(
            keys[start:stop], keys[:stop], scorer=fuzz.token_sort_ratio,
            score_cutoff=threshold, workers=-1,
        )
        for row, i in enumerate(range(start, stop)):
            scores = np.where(parent[:i] == np.arange(i), block[row, :i], 0.0)
            candidates = np.flatnonzero(scores >= threshold)
            for j in candidates[np.argsort(-scores[candidates], kind="stable")]:
                if _differences_alike(keys[i], keys[j]):
                    parent[i], score[i] = j, scores[j]
                    break
    return parent, score


def _differences_alike(key: str, other: str) -> bool:
    """Whether the words only one of two keys has allow a merge by similarity.

    No number may differ. Each word of ``key`` that ``other`` lacks is paired
    with the most alike such word of ``other`` that starts with the same
    letter (:data:`_SPELLING_CUTOFF`); words left without a partner are
    additions (an acronym, an article) and may remain on one side only:
    ``valencia`` against ``palencia`` is another place, not an addition.
    """
    words, other_words = set(key.split()), set(other.split())
    own, other_own = sorted(words - other_words), sorted(other_words - words)
    if any(_NUMBER.fullmatch(word) for word in own + other_own):
        return False
    unpaired = []
    for word in own:
        choices = [choice for choice in other_own if choice[0] == word[0]]
        partner = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=_SPELLING_CUTOFF)
        if partner is None:
            unpaired.append(word)
        else:
            other_own.remove(partner[0])
    return not (unpaired and other_own)
