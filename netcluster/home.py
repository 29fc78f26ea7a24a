"""Home sets: the organisations of the cluster under study.

A *home set* is the focal cluster's organisations. Group measures are given
for it, and measures such as international-bridge centrality or openness
towards outside the cluster are taken relative to it. It can be given as

==============================  ====================================================
``home``                        organisations in the home set
==============================  ====================================================
``None``                        no home set (:func:`home_set` returns ``None``)
``{"group": name}``             the organisations of that group in the membership
                                records (layer ``membership``), e.g.
                                ``{"group": "NorOcean Technology Cluster"}``
``{"country": "NO"}``           organisations in that country (code or name,
                                normalised by
                                :func:`netcluster.geography.normalize_country`)
``{"region": "Vestland"}``      organisations whose ``region`` is that value
``{"city": "Bergen"}``          organisations whose ``city`` is that value
``{"member": True}``            organisations flagged in the ``member`` column
``{"file": "ids.txt"}``         the ``org_id`` values listed in a UTF-8 text file,
                                one per line (a :class:`pathlib.Path` alone too)
list, tuple or set of ids       those organisations
numpy integer array             the organisations with those codes
boolean array or Series         the organisations marked ``True``
==============================  ====================================================

A mapping with several keys selects the organisations that meet all of them
(``{"country": "NL", "region": "Limburg"}``). Group, region and city names are
matched without regard to case, surrounding spaces or repeated inner spaces.
In an id file, blank lines and lines starting with ``#`` are skipped, as is a
first line reading ``org_id``, ``org`` or ``id`` that is not itself an id in
the network.

A home set that selects no organisation, names an unknown group or country,
or lists an id that is not in the network is refused with an
:class:`~netcluster.errors.InputError` whose message is one line.

:func:`parse_home` reads the command-line form (``group="Oslo Ocean
Cluster"``, ``country=NO``, ``region=Vestland``, ``city=Bergen``,
``member``, ``file=ids.txt``) and :func:`describe_home` words a home set for
reports.

Examples
--------
>>> import netcluster
>>> net = netcluster.sample_graphs.load_sample("ocean_cluster")
>>> int(home_set(net, {"group": "NorOcean Technology Cluster"}).sum())
118
>>> int(home_set(net, parse_home("region=Vestland")).sum())
52
>>> describe_home({"group": "NorOcean Technology Cluster"}, net)
'members of NorOcean Technology Cluster (118 organisations)'
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputError
from .geography import normalize_country
from .network import CollaborationNetwork

__all__ = ["HOME_KEYS", "home_set", "parse_home", "describe_home"]

#: The keys a home-set mapping may use.
HOME_KEYS = ("group", "country", "region", "city", "member", "file")

#: How many names an error message lists at most.
_LISTED = 10

_HEADER_WORDS = {"org_id", "org", "id"}


def home_set(network: CollaborationNetwork, home: Any) -> np.ndarray | None:
    """Boolean mask over organisation codes marking the home set.

    Parameters
    ----------
    network : CollaborationNetwork
    home : None, mapping, list, tuple, set, path, boolean array or Series
        See the module docstring for the accepted forms. A bare string is
        refused because it could be an id, a file or ``key=value`` text: use
        ``[org_id]``, ``{"file": path}`` or :func:`parse_home`.

    Returns
    -------
    numpy.ndarray of bool or None
        One value per organisation code (``network.org_ids`` order), at
        least one ``True``; ``None`` when ``home`` is ``None``.

    Raises
    ------
    InputError
        For an unknown key, group or country, an id that is not in the
        network (the first is named), an id file that cannot be read, or a
        home set that selects no organisation.

    Examples
    --------
    >>> import pandas as pd
    >>> from netcluster import CollaborationNetwork
    >>> orgs = pd.DataFrame({"country": ["NO", "NO", "DK"], "city": ["Bergen", "Oslo", "Odense"]},
    ...                     index=pd.Index(["a", "b", "c"], name="org_id"))
    >>> net = CollaborationNetwork(orgs)
    >>> home_set(net, {"country": "Norway"}).tolist()
    [True, True, False]
    >>> home_set(net, {"city": "bergen"}).tolist(), home_set(net, ["c"]).tolist()
    ([True, False, False], [False, False, True])
    >>> home_set(net, None) is None
    True
    >>> home_set(net, ["x"])
    Traceback (most recent call last):
    ...
    netcluster.errors.InputError: value 'x': the home set names an organisation that is not in the network
    """
    if home is None:
        return None
    if isinstance(home, Mapping):
        mask = _from_mapping(network, home)
    elif isinstance(home, os.PathLike):
        mask = _from_file(network, home)
    elif isinstance(home, (str, bytes)):
        raise InputError(
            "give a home set as a mapping such as {'group': ...}, a list of org_ids or "
            "{'file': path}; parse command-line text with parse_home",
            value=home,
        )
    elif isinstance(home, (list, tuple, set, frozenset, pd.Index, pd.Series, np.ndarray)):
        mask = organisation_mask(network, home, "home set")
    else:
        raise InputError(
            "a home set must be a mapping, a list of org_ids, a path or a boolean mask",
            value=type(home).__name__,
        )
    if not mask.any():
        raise InputError(f"the home set ({describe_home(home)}) contains no organisation of the network")
    return mask


def parse_home(text: str) -> dict[str, Any]:
    """Read the command-line form of a home set into a mapping for :func:`home_set`.

    ``key=value`` with a key of :data:`HOME_KEYS`; the value may be quoted
    with ``"`` or ``'`` (needed in a shell when it holds spaces) and runs to
    the end of the text, so ``region=Troms og Finnmark`` works when the
    shell passes it as one argument. ``member`` alone, or ``member=true``,
    selects the organisations flagged as members.

    Raises
    ------
    InputError
        For text without ``=``, an unknown key or an empty value.

    Examples
    --------
    >>> parse_home('group="Oslo Ocean Cluster"')
    {'group': 'Oslo Ocean Cluster'}
    >>> parse_home("country=NO"), parse_home("member")
    ({'country': 'NO'}, {'member': True})
    """
    if not isinstance(text, str):
        raise InputError("a home set given as text must be a string", value=text)
    stripped = text.strip()
    if stripped.casefold() in ("member", "members"):
        return {"member": True}
    if "=" not in stripped:
        raise InputError(
            f"a home set is written key=value with a key of {', '.join(HOME_KEYS)} "
            '(for example group="Oslo Ocean Cluster" or country=NO)',
            value=text,
        )
    key, value = stripped.split("=", 1)
    key = key.strip().casefold()
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1].strip()
    if key not in HOME_KEYS:
        raise InputError(f"unknown home-set key; use one of {', '.join(HOME_KEYS)}", value=key)
    if not value:
        raise InputError(f"the home-set key {key} needs a value", value=text)
    if key == "member":
        if value.casefold() in ("true", "yes", "1"):
            return {"member": True}
        raise InputError("member=true is the only member home set", value=value)
    return {key: value}


def describe_home(home: Any, network: CollaborationNetwork | None = None) -> str:
    """Words for a home set, as a report shows them.

    With ``network``, the number of organisations is added (and the home set
    is checked, so errors of :func:`home_set` are raised).

    Examples
    --------
    >>> describe_home({"group": "NorOcean Technology Cluster"})
    'members of NorOcean Technology Cluster'
    >>> describe_home({"country": "no"}), describe_home(["a", "b"]), describe_home(None)
    ('organisations in Norway (NO)', '2 listed organisations', 'no home set')
    """
    counted = network is not None and home is not None
    text = _words(home, counted)
    if network is None or home is None:
        return text
    mask = home_set(network, home)
    assert mask is not None  # None only when home is None
    size = int(mask.sum())
    return f"{text} ({size} organisation{'' if size == 1 else 's'})"


# -- the forms -------------------------------------------------------------------------
def _from_mapping(network: CollaborationNetwork, home: Mapping) -> np.ndarray:
    if not home:
        raise InputError(f"an empty home-set mapping; use a key of {', '.join(HOME_KEYS)}")
    mask = np.ones(network.n_orgs, dtype=bool)
    for key, value in home.items():
        name = str(key).strip().casefold() if isinstance(key, str) else key
        if name not in HOME_KEYS:
            raise InputError(f"unknown home-set key; use one of {', '.join(HOME_KEYS)}", value=key)
        if name == "group":
            mask &= _group(network, value)
        elif name == "country":
            mask &= _country(network, value)
        elif name in ("region", "city"):
            mask &= _place(network, name, value)
        elif name == "member":
            if not (isinstance(value, (bool, np.bool_)) and bool(value)):
                raise InputError("the member home set is given as {'member': True}", value=value)
            mask &= network.orgs["member"].fillna(False).to_numpy(dtype=bool)
        else:  # file
            mask &= _from_file(network, value)
    return mask


def _group(network: CollaborationNetwork, name: Any) -> np.ndarray:
    events = network.events
    membership = events[events["layer"] == "membership"]
    if membership.empty:
        raise InputError("this network has no membership records, so no group can be the home set", value=name)
    sizes = membership.groupby("event", sort=False)["org"].nunique().sort_values(ascending=False, kind="stable")
    wanted = _fold(name)
    folded = pd.Series([_fold(g) for g in sizes.index], index=sizes.index)
    exact = [g for g in sizes.index if g == str(name)]
    chosen = exact or list(folded.index[folded == wanted])
    if not chosen:
        hint = difflib.get_close_matches(wanted, list(folded), n=1, cutoff=0.6)
        guess = f"did you mean {folded.index[list(folded).index(hint[0])]!r}? " if hint else ""
        raise InputError(
            f"unknown membership group; {guess}known groups ({len(sizes)}, largest first): "
            + _listing(sizes.index),
            value=name,
        )
    mask = np.zeros(network.n_orgs, dtype=bool)
    mask[membership["org"].to_numpy()[membership["event"].isin(chosen).to_numpy()]] = True
    return mask


def _country(network: CollaborationNetwork, value: Any) -> np.ndarray:
    code = normalize_country(None if value is None else str(value))
    if code is None:
        raise InputError("unknown country; give an ISO code such as NO or a name such as Norway", value=value)
    mask = (network.orgs["country"] == code).fillna(False).to_numpy(dtype=bool)
    if not mask.any():
        present = network.orgs["country"].dropna().value_counts()
        raise InputError(
            f"no organisation of the network is in country {code}; countries present "
            f"({len(present)}, largest first): " + _listing(present.index),
            value=value,
        )
    return mask


def _place(network: CollaborationNetwork, column: str, value: Any) -> np.ndarray:
    wanted = _fold(value)
    names = network.orgs[column]
    folded = pd.Series([_fold(x) if isinstance(x, str) else None for x in names], index=names.index)
    mask = (folded == wanted).to_numpy(dtype=bool)
    if not mask.any():
        present = names.dropna().value_counts()
        close = difflib.get_close_matches(wanted, [_fold(x) for x in present.index], n=1, cutoff=0.6)
        guess = ""
        if close:
            original = next(x for x in present.index if _fold(x) == close[0])
            guess = f"did you mean {original!r}? "
        listed = f"{column} values present ({len(present)}, largest first): " + _listing(present.index)
        if present.empty:
            listed = f"no organisation has a {column}"
        raise InputError(f"no organisation has this {column}; {guess}{listed}", value=value)
    return mask


def _from_ids(network: CollaborationNetwork, ids: list, lines: list[int] | None = None,
              file: str | os.PathLike[str] | None = None, what: str = "home set") -> np.ndarray:
    wanted = pd.Index([str(x) for x in ids], dtype=object)
    found = network.org_ids.get_indexer(wanted) if len(wanted) else np.array([], dtype=np.int64)
    if (found < 0).any():
        first = int(np.flatnonzero(found < 0)[0])
        raise InputError(
            f"the {what} names an organisation that is not in the network",
            file=file,
            line=None if lines is None else lines[first],
            value=wanted[first],
        )
    mask = np.zeros(network.n_orgs, dtype=bool)
    mask[found] = True
    return mask


def _from_file(network: CollaborationNetwork, path: Any) -> np.ndarray:
    if not isinstance(path, (str, os.PathLike)):
        raise InputError("the file home set needs a path", value=path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("no such home-set file", file=path) from None
    except IsADirectoryError:
        raise InputError("the home-set file is a folder", file=path) from None
    except UnicodeDecodeError:
        raise InputError("the home-set file is not UTF-8 text", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot read the home-set file ({exc.strerror or exc})", file=path) from None
    ids: list[str] = []
    lines: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.strip()
        if not value or value.startswith("#"):
            continue
        if not ids and value.casefold() in _HEADER_WORDS and value not in network.org_ids:
            continue
        ids.append(value)
        lines.append(number)
    if not ids:
        raise InputError("the home-set file lists no organisation", file=path)
    return _from_ids(network, ids, lines, file=path)


def organisation_mask(network: CollaborationNetwork, value: Any, what: str = "home set") -> np.ndarray:
    """A boolean mask by organisation code from any way of naming organisations.

    Accepts a boolean numpy array with one value per organisation, a boolean
    Series indexed by ``org_id`` (missing ids count as False), a numpy
    integer array of organisation codes, a list of booleans, or any
    iterable of ``org_id`` values (compared as text). Shared by home sets,
    bridge-centrality sources and group members.

    Raises
    ------
    InputError
        For an id not in the network, a code out of range, or a mask of the
        wrong length; the message names ``what``.

    Examples
    --------
    >>> import pandas as pd
    >>> from netcluster import CollaborationNetwork
    >>> net = CollaborationNetwork(pd.DataFrame(index=pd.Index(["a", "b", "c"], name="org_id")))
    >>> organisation_mask(net, ["c"]).tolist(), organisation_mask(net, np.array([0, 2])).tolist()
    ([False, False, True], [True, False, True])
    """
    n = network.n_orgs
    if isinstance(value, pd.Series) and pd.api.types.is_bool_dtype(value.dtype):
        index = pd.Index([str(x) for x in value.index], dtype=object)
        if not index.is_unique:
            raise InputError(f"the {what} mask gives an organisation twice", value=index[index.duplicated()][0])
        extra = index.difference(network.org_ids)
        if len(extra):
            raise InputError(f"the {what} names an organisation that is not in the network", value=extra[0])
        return pd.Series(value.to_numpy(), index=index).reindex(network.org_ids).fillna(False).to_numpy(dtype=bool)
    if isinstance(value, np.ndarray) and value.dtype == bool:
        if value.shape != (n,):
            raise InputError(f"a boolean {what} mask needs one value per organisation ({n})", value=value.shape)
        return value.copy()
    if isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.integer):
        codes = value.ravel().astype(np.int64)
        bad = (codes < 0) | (codes >= n)
        if bad.any():
            raise InputError(f"a {what} organisation code is out of range", value=int(codes[bad][0]))
        mask = np.zeros(n, dtype=bool)
        mask[codes] = True
        return mask
    items = [value] if isinstance(value, (str, bytes)) else list(value)
    if items and all(isinstance(x, (bool, np.bool_)) for x in items):
        return organisation_mask(network, np.array(items, dtype=bool), what)
    return _from_ids(network, items, what=what)


# -- words --------------------------------------------------------------------------------
def _words(home: Any, counted: bool = False) -> str:
    if home is None:
        return "no home set"
    if isinstance(home, Mapping):
        parts = [_criterion(str(k).strip().casefold() if isinstance(k, str) else k, v) for k, v in home.items()]
        return " and ".join(parts) if parts else "an empty home set"
    if isinstance(home, os.PathLike):
        return f"organisations listed in {Path(home).name}"
    if isinstance(home, (pd.Series, np.ndarray)) and getattr(home, "dtype", None) == bool:
        return "a selection of organisations"
    if isinstance(home, (str, bytes)):
        return repr(home)
    if isinstance(home, Iterable):
        if counted:
            return "listed organisations"
        count = len({str(x) for x in home})
        return f"{count} listed organisation{'' if count == 1 else 's'}"
    return "a home set"


def _criterion(key: Any, value: Any) -> str:
    if key == "group":
        return f"members of {value}"
    if key == "country":
        code = normalize_country(None if value is None else str(value))
        if code is None:
            return f"organisations in {value}"
        import pycountry

        country = pycountry.countries.get(alpha_2=code)
        name = code
        if country is not None:
            name = str(getattr(country, "common_name", None) or getattr(country, "name", code))
        return f"organisations in {name} ({code})"
    if key in ("region", "city"):
        return f"organisations in the {key} {value}"
    if key == "member":
        return "organisations flagged as members"
    if key == "file":
        return f"organisations listed in {Path(str(value)).name}"
    return f"{key}={value}"


def _fold(value: Any) -> str:
    """Compare names without regard to case, Unicode form or spacing."""
    text = unicodedata.normalize("NFC", str(value))
    return re.sub(r"\s+", " ", text).strip().casefold()


def _listing(names: Iterable[Any]) -> str:
    names = [str(x) for x in names]
    shown = ", ".join(repr(x) for x in names[:_LISTED])
    more = len(names) - _LISTED
    return shown + (f" and {more} more" if more > 0 else "")
