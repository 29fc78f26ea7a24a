"""Krackhardt & Stern's E-I index for organisations, groups and the network.

With a grouping of organisations (country by default, or a locality), a tie
is *external* (E) when its ends are in different groups and *internal* (I)
when they are in the same group. The E-I index is

    (E - I) / (E + I),

from -1 (all ties inside the group) to +1 (all ties outside). Ties with an
end of unknown group are neither: they are left out of E and I.

- :func:`ei_index`, per organisation: E and I count its distinct partners
  (or, with ``weighted=True``, its flattened tie weight) outside and inside
  its group.
- :func:`group_ei`, per group: E counts the ties from members to
  non-members, I the ties among members, each counted twice (once from each
  member's side, as when adding up the members' own E and I; the default,
  as UCINET reports it) or once.
- :func:`network_ei`, for the whole network: every tie counted once.

References
----------
Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational
crises: an experimental simulation. *Social Psychology Quarterly* 51(2),
123-140.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..errors import InputError
from ..geography import group_codes
from ..network import CollaborationNetwork

__all__ = ["ei_index", "group_ei", "network_ei", "group_array"]


def group_array(network: CollaborationNetwork, group_by: str | Mapping | pd.Series) -> np.ndarray:
    """Integer group per organisation code (-1 = unknown) from a key or a mapping.

    Parameters
    ----------
    network : CollaborationNetwork
    group_by : str, mapping or pandas.Series
        A key of :func:`netcluster.geography.group_codes` (``"country"``, a
        locality), or a mapping / Series from ``org_id`` to a group label.
        Organisations it leaves out or maps to a missing value have an
        unknown group; ids not in the network are refused.

    Examples
    --------
    >>> import pandas as pd
    >>> orgs = pd.DataFrame({"country": ["NO", "DK", None]},
    ...                     index=pd.Index(list("abc"), name="org_id"))
    >>> net = CollaborationNetwork(orgs)
    >>> group_array(net, "country").tolist(), group_array(net, {"a": "x", "c": "x"}).tolist()
    ([0, 1, -1], [0, -1, 0])
    """
    return _groups(network, group_by)[0]


def _groups(
    network: CollaborationNetwork, group_by: str | Mapping | pd.Series
) -> tuple[np.ndarray, pd.Index]:
    """Codes per organisation and the label of each code."""
    if isinstance(group_by, str):
        codes = group_codes(network.orgs, group_by)
        return codes, _labels(network.orgs, group_by, codes)
    if isinstance(group_by, Mapping):
        group_by = pd.Series(dict(group_by), dtype=object)
    if not isinstance(group_by, pd.Series):
        raise InputError(
            "groups must be a grouping key such as 'country' or 'region', or a mapping "
            "from org_id to a group label",
            value=type(group_by).__name__,
        )
    labels = pd.Series(group_by.to_numpy(), index=[str(k) for k in group_by.index])
    if not labels.index.is_unique:
        raise InputError("an organisation is given two groups", value=labels.index[labels.index.duplicated()][0])
    unknown_ids = labels.index.difference(network.org_ids)
    if len(unknown_ids):
        raise InputError("a group is given for an id that is not in the network", value=unknown_ids[0])
    aligned = labels.reindex(network.org_ids)
    codes, uniques = pd.factorize(aligned, use_na_sentinel=True)
    return codes.astype(np.int64), pd.Index(uniques, name=group_by.name or "group")


def _labels(orgs: pd.DataFrame, key: str, codes: np.ndarray) -> pd.Index:
    """A readable label per group code: the country, or 'country/locality'."""
    found, first = np.unique(codes, return_index=True)  # first member of each group
    rows = orgs.iloc[first[found >= 0]]
    country = rows["country"].astype("string")
    if key == "country":
        return pd.Index(country.to_numpy(dtype=object), name="country")
    match = re.fullmatch(r"nuts([123])", key)
    if match:
        local = rows["region"].astype("string").str.strip().str.upper().str[: 2 + int(match[1])]
    else:
        local = rows[key].astype("string").str.strip()
    return pd.Index((country + "/" + local).to_numpy(dtype=object), name=key)


def _partner_sums(
    network: CollaborationNetwork,
    groups: np.ndarray,
    layers: Iterable[str] | None,
    layer_weights: Mapping[str, float] | None,
    weighted: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Upper-triangle ties between organisations of known group: u, v, value, internal?"""
    upper = sp.triu(network.to_csr(layers, layer_weights), k=1).tocoo()
    keep = upper.data > 0
    u, v, w = upper.row[keep], upper.col[keep], upper.data[keep]
    known = (groups[u] >= 0) & (groups[v] >= 0)
    u, v, w = u[known], v[known], w[known]
    value = w if weighted else np.ones(u.size)
    return u, v, value, groups[u] == groups[v]


def ei_index(
    network: CollaborationNetwork,
    *,
    group_by: str | Mapping | pd.Series = "country",
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
    weighted: bool = False,
) -> pd.Series:
    """E-I index of each organisation: partners outside versus inside its group.

    EI(i) = (E_i - I_i) / (E_i + I_i), where E_i is the number of partners
    of i in another group and I_i the number in i's group (with
    ``weighted=True``, the summed flattened weights of those ties instead).

    Parameters
    ----------
    network : CollaborationNetwork
    group_by : str, mapping or pandas.Series
        ``"country"`` (default), a locality key, or a mapping from ``org_id``
        to group label (see :func:`group_array`).
    layers, layer_weights : optional
        Which layers to flatten and how to weight them.
    weighted : bool
        Count tie weight instead of partners.

    Returns
    -------
    pandas.Series
        Named ``ei_index``, indexed by ``org_id``; NaN for isolates, for
        organisations of unknown group and for those whose partners all have
        an unknown group (partners of unknown group are not counted).

    Examples
    --------
    >>> import pandas as pd
    >>> orgs = pd.DataFrame({"country": ["NO", "NO", "DK", None]},
    ...                     index=pd.Index(list("abcd"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 0, 0], "target": [1, 2, 3],
    ...                      "layer": "partnership", "weight": [1.0, 3.0, 1.0], "year": 2020})
    >>> net = CollaborationNetwork(orgs, ties)
    >>> ei_index(net).round(3).tolist()
    [0.0, -1.0, 1.0, nan]
    >>> float(ei_index(net, weighted=True)["a"])
    0.5
    """
    groups, _ = _groups(network, group_by)
    n = network.n_orgs
    u, v, value, internal = _partner_sums(network, groups, layers, layer_weights, weighted)
    both = np.concatenate([u, v])
    twice = np.concatenate([value, value])
    inside = np.concatenate([internal, internal])
    i_sum = np.bincount(both[inside], weights=twice[inside], minlength=n)
    e_sum = np.bincount(both[~inside], weights=twice[~inside], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        index = (e_sum - i_sum) / (e_sum + i_sum)
    index[(groups < 0) | (e_sum + i_sum == 0)] = np.nan
    return pd.Series(index, index=network.org_ids, name="ei_index")


def group_ei(
    network: CollaborationNetwork,
    groups: str | Mapping | pd.Series = "country",
    *,
    internal: str = "twice",
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
    weighted: bool = False,
) -> pd.DataFrame:
    """E-I index of each group: ties to non-members versus ties among members.

    EI(G) = (E_G - c I_G) / (E_G + c I_G), where E_G is the number of ties
    between a member of G and a non-member, I_G the number of ties between
    two members, and c = 2 (``internal="twice"``, default) or 1
    (``internal="once"``). With c = 2 each internal tie counts once from each
    of its members' side, so EI(G) is the index of the members' summed
    partners (Σ E_i versus Σ I_i of :func:`ei_index`); this is the group
    value UCINET reports. With c = 1 each tie counts once, as in
    :func:`network_ei`.

    Parameters
    ----------
    network : CollaborationNetwork
    groups : str, mapping or pandas.Series
        ``"country"`` (default), a locality key, or a mapping from ``org_id``
        to group label (see :func:`group_array`).
    internal : {"twice", "once"}
        How often a tie between two members counts.
    layers, layer_weights, weighted : optional
        As in :func:`ei_index`.

    Returns
    -------
    pandas.DataFrame
        One row per group, indexed by its label (a country code, or
        ``"country/locality"`` for localities): ``organisations``,
        ``internal_ties`` (I_G, each tie once), ``external_ties`` (E_G) and
        ``ei_index`` (NaN for a group without ties). With ``weighted=True``
        the tie columns hold summed weights. Ties with an end of unknown
        group are not counted.

    Raises
    ------
    InputError
        For another value of ``internal``.

    Examples
    --------
    >>> import pandas as pd
    >>> orgs = pd.DataFrame({"country": ["NO", "NO", "NO", "DK"]},
    ...                     index=pd.Index(list("abcd"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 1, 2], "target": [1, 2, 3],
    ...                      "layer": "partnership", "weight": 1.0, "year": 2020})
    >>> net = CollaborationNetwork(orgs, ties)
    >>> group_ei(net).to_dict("index")  # doctest: +NORMALIZE_WHITESPACE
    {'NO': {'organisations': 3, 'internal_ties': 2.0, 'external_ties': 1.0, 'ei_index': -0.6},
     'DK': {'organisations': 1, 'internal_ties': 0.0, 'external_ties': 1.0, 'ei_index': 1.0}}
    >>> float(group_ei(net, internal="once").loc["NO", "ei_index"]).__round__(4)
    -0.3333
    """
    if internal not in ("twice", "once"):
        raise InputError("internal must be 'twice' or 'once'", column="internal", value=internal)
    codes, labels = _groups(network, groups)
    u, v, value, inside = _partner_sums(network, codes, layers, layer_weights, weighted)
    n_groups = len(labels)
    internal_ties = np.bincount(codes[u[inside]], weights=value[inside], minlength=n_groups)
    cross = ~inside
    external_ties = np.bincount(
        np.concatenate([codes[u[cross]], codes[v[cross]]]),
        weights=np.concatenate([value[cross], value[cross]]),
        minlength=n_groups,
    )
    factor = 2.0 if internal == "twice" else 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        index = (external_ties - factor * internal_ties) / (external_ties + factor * internal_ties)
    members = np.bincount(codes[codes >= 0], minlength=n_groups).astype(np.int64)
    return pd.DataFrame(
        {
            "organisations": members,
            "internal_ties": internal_ties,
            "external_ties": external_ties,
            "ei_index": index,
        },
        index=labels,
    )


def network_ei(
    network: CollaborationNetwork,
    groups: str | Mapping | pd.Series = "country",
    *,
    layers: Iterable[str] | None = None,
    layer_weights: Mapping[str, float] | None = None,
    weighted: bool = False,
) -> float:
    """E-I index of the whole network: (E - I) / (E + I) over ties, each once.

    E is the number of ties between groups, I the number within groups
    (summed weights with ``weighted=True``); ties with an end of unknown
    group are left out. NaN when no tie is left.

    Examples
    --------
    >>> import pandas as pd
    >>> orgs = pd.DataFrame({"country": ["NO", "NO", "NO", "DK"]},
    ...                     index=pd.Index(list("abcd"), name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 1, 2], "target": [1, 2, 3],
    ...                      "layer": "partnership", "weight": 1.0, "year": 2020})
    >>> round(network_ei(CollaborationNetwork(orgs, ties)), 4)
    -0.3333
    """
    codes, _ = _groups(network, groups)
    _, _, value, inside = _partner_sums(network, codes, layers, layer_weights, weighted)
    e, i = float(value[~inside].sum()), float(value[inside].sum())
    return (e - i) / (e + i) if e + i > 0 else float("nan")
