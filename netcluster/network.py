"""The multilayer collaboration network: three tables and the graphs made from them.

A :class:`CollaborationNetwork` holds

``orgs``
    one row per organisation, indexed by a stable string ``org_id``, with the
    attribute columns of :data:`ORG_COLUMNS` (missing values as ``NA``) and any
    extra columns the user's records carried. An organisation's integer *code*
    is its row position; ties and events refer to organisations by code.
``ties``
    one row per tie record: ``source`` and ``target`` codes (``source <
    target``; collaboration is undirected), ``layer`` (categorical),
    ``weight`` (float) and ``year`` (nullable integer). Direct partnership
    records give one row each; projected events give one row per pair, layer
    and year.
``events``
    the bipartite records behind projected layers: ``event`` (string id),
    ``org`` (code), ``layer`` and ``year``, so that a projection can be redone
    with another counting rule or year window.

Heavy work runs on integer arrays: :meth:`CollaborationNetwork.to_csr` gives
the flattened, symmetric scipy CSR matrix and :meth:`~CollaborationNetwork.to_igraph`
an igraph graph, both cached per choice of layers and layer weights.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Iterable, Mapping
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from ._version import __version__
from .errors import InputError, NetworkFileError
from .files import atomic_write

__all__ = ["CollaborationNetwork", "ORG_COLUMNS", "FILE_FORMAT"]

#: Organisation attribute columns every network has, in this order.
ORG_COLUMNS = ("name", "country", "region", "city", "lat", "lon", "kind", "sector", "member")

#: Identifies netcluster's saved-network zip files; bumped when the layout changes.
FILE_FORMAT = "netcluster-network/1"

_TEXT_COLUMNS = ("name", "country", "region", "city", "kind", "sector")
_TIE_COLUMNS = ("source", "target", "layer", "weight", "year")
_EVENT_COLUMNS = ("event", "org", "layer", "year")


def _layer_dtype(*columns: Iterable[str]) -> pd.CategoricalDtype:
    names: list[str] = []
    for column in columns:
        for name in column:
            if name not in names:
                names.append(name)
    return pd.CategoricalDtype(names)


class CollaborationNetwork:
    """Organisations, tie records and events, with flattened graph views.

    Parameters
    ----------
    orgs : pandas.DataFrame
        Indexed by unique string ``org_id``. Missing :data:`ORG_COLUMNS` are
        added as empty columns; text columns become pandas ``string``,
        ``lat``/``lon`` float and ``member`` nullable boolean.
    ties : pandas.DataFrame, optional
        Columns ``source``, ``target`` (integer codes into ``orgs``),
        ``layer``, ``weight`` and ``year``. Endpoints are reordered so that
        ``source < target``; self-ties are refused.
    events : pandas.DataFrame, optional
        Columns ``event``, ``org`` (code), ``layer`` and ``year``.
    load_report : dict, optional
        What the loader read, used and rejected (see
        :class:`netcluster.loaders.LoadReport`).
    provenance : dict, optional
        Inputs with their checksums and the options they were loaded with.

    Notes
    -----
    Treat a network as immutable: methods that change the selection return a
    new network, and the graph views are cached.

    Examples
    --------
    >>> import pandas as pd
    >>> orgs = pd.DataFrame({"name": ["A", "B", "C"], "country": ["NO", "NO", "DK"]},
    ...                     index=pd.Index(["a", "b", "c"], name="org_id"))
    >>> ties = pd.DataFrame({"source": [0, 1], "target": [1, 2],
    ...                      "layer": ["partnership", "copatent"],
    ...                      "weight": [1.0, 2.0], "year": [2019, 2020]})
    >>> net = CollaborationNetwork(orgs, ties)
    >>> net.n_orgs, net.layers
    (3, ('partnership', 'copatent'))
    >>> net.to_csr().toarray()
    array([[0., 1., 0.],
           [1., 0., 2.],
           [0., 2., 0.]])
    >>> net.select(layers=["copatent"]).to_igraph().ecount()
    1
    """

    def __init__(
        self,
        orgs: pd.DataFrame,
        ties: pd.DataFrame | None = None,
        events: pd.DataFrame | None = None,
        *,
        load_report: Mapping[str, Any] | None = None,
        provenance: Mapping[str, Any] | None = None,
    ) -> None:
        self.orgs = _check_orgs(orgs)
        n = len(self.orgs)
        ties = _empty_ties() if ties is None else ties
        events = _empty_events() if events is None else events
        layers = _layer_dtype(
            _categories(ties["layer"]) if "layer" in ties else [],
            _categories(events["layer"]) if "layer" in events else [],
        )
        self.ties = _check_ties(ties, n, layers)
        self.events = _check_events(events, n, layers)
        self.load_report: dict[str, Any] = dict(load_report or {})
        self.provenance: dict[str, Any] = dict(provenance or {})
        self._cache: dict[tuple, Any] = {}

    # -- basic facts -------------------------------------------------------------
    @property
    def n_orgs(self) -> int:
        """Number of organisations."""
        return len(self.orgs)

    @property
    def org_ids(self) -> pd.Index:
        """The ``org_id`` of each code, in code order."""
        return self.orgs.index

    @property
    def layers(self) -> tuple[str, ...]:
        """Layer names present in the ties or events, in order of first appearance."""
        return tuple(self.ties["layer"].cat.categories)

    def codes(self, org_ids: Iterable[str]) -> np.ndarray:
        """Integer codes of the given ``org_id`` values.

        Raises
        ------
        InputError
            When an id is not in the network.
        """
        wanted = pd.Index(list(org_ids), dtype=object)
        found = self.orgs.index.get_indexer(wanted)
        if (found < 0).any():
            missing = wanted[found < 0][0]
            raise InputError("no organisation with this id in the network", value=missing)
        return found.astype(np.int64)

    def __repr__(self) -> str:
        return (
            f"<CollaborationNetwork: {self.n_orgs} organisations, {len(self.ties)} tie records, "
            f"{len(self.events)} event records, layers {list(self.layers)}>"
        )

    # -- selection ---------------------------------------------------------------
    def select(
        self,
        layers: Iterable[str] | None = None,
        years: int | tuple[int, int] | Iterable[int] | None = None,
    ) -> CollaborationNetwork:
        """Return a network restricted to some layers and years.

        Organisations are kept (with their codes) even when they lose all ties.

        Parameters
        ----------
        layers : iterable of str, optional
            Layer names to keep; all when omitted.
        years : int, (first, last) tuple or iterable of int, optional
            A single year, an inclusive range given as a 2-tuple, or a set of
            years. Ties and events without a year are dropped when a year
            filter is given, since they cannot be placed in time.

        Raises
        ------
        InputError
            For an unknown layer name.
        """
        keep_layers = self._check_layers(layers)
        ties, events = self.ties, self.events
        if keep_layers is not None:
            ties = ties[ties["layer"].isin(keep_layers)]
            events = events[events["layer"].isin(keep_layers)]
            ties = ties.assign(layer=ties["layer"].cat.set_categories(keep_layers))
            events = events.assign(layer=events["layer"].cat.set_categories(keep_layers))
        if years is not None:
            wanted = _year_set(years)
            ties = ties[ties["year"].isin(wanted).fillna(False).astype(bool)]
            events = events[events["year"].isin(wanted).fillna(False).astype(bool)]
        return CollaborationNetwork(
            self.orgs,
            ties.reset_index(drop=True),
            events.reset_index(drop=True),
            load_report=self.load_report,
            provenance=self.provenance,
        )

    def _check_layers(self, layers: Iterable[str] | None) -> list[str] | None:
        if layers is None:
            return None
        chosen = [layers] if isinstance(layers, str) else list(layers)
        unknown = [name for name in chosen if name not in self.layers]
        if unknown:
            raise InputError(
                f"unknown layer; this network has {', '.join(self.layers) or 'no layers'}",
                value=unknown[0],
            )
        return chosen

    def pairs(self, layers: Iterable[str] | None = None) -> pd.DataFrame:
        """Ties merged over years: one row per pair and layer.

        Columns ``source``, ``target``, ``layer``, ``weight`` (sum),
        ``records`` (tie records, or events for projected layers, behind the
        pair), ``first_year`` and ``last_year``; run as portable SQL
        (``merge_pairs.sql``).

        Examples
        --------
        >>> orgs = pd.DataFrame(index=pd.Index(["a", "b"], name="org_id"))
        >>> ties = pd.DataFrame({"source": [0, 0], "target": [1, 1], "layer": "partnership",
        ...                      "weight": [1.0, 2.0], "year": [2019, 2022]})
        >>> CollaborationNetwork(orgs, ties).pairs()[["weight", "records", "first_year", "last_year"]].values.tolist()
        [[3.0, 2, 2019, 2022]]
        """
        from .sql.relational import merge_pairs_sql

        return merge_pairs_sql(self._view_ties(layers))

    # -- flattened views -----------------------------------------------------------
    def to_csr(
        self,
        layers: Iterable[str] | None = None,
        layer_weights: Mapping[str, float] | None = None,
    ) -> sp.csr_matrix:
        """Flatten chosen layers into a symmetric weighted adjacency matrix.

        Entry ``(u, v)`` is the sum over tie records between ``u`` and ``v``
        of ``weight * layer_weights[layer]`` (layer weight 1 by default). The
        diagonal is empty. The result is cached; do not modify it.

        Parameters
        ----------
        layers : iterable of str, optional
            Layers to include; all when omitted.
        layer_weights : mapping of str to float, optional
            Multiplier per layer; layers not named get 1.

        Returns
        -------
        scipy.sparse.csr_matrix
            Shape ``(n_orgs, n_orgs)``, float64, sorted indices.
        """
        key = ("csr", *self._view_key(layers, layer_weights))
        if key not in self._cache:
            ties = self._view_ties(layers)
            factor = self._layer_factors(ties, layer_weights)
            weight = ties["weight"].to_numpy(dtype=np.float64) * factor
            src = ties["source"].to_numpy(dtype=np.int64)
            dst = ties["target"].to_numpy(dtype=np.int64)
            n = self.n_orgs
            upper = sp.coo_matrix((weight, (src, dst)), shape=(n, n)).tocsr()
            upper.sum_duplicates()
            matrix = (upper + upper.T).tocsr()
            matrix.sort_indices()
            self._cache[key] = matrix
            # the upper triangle, as flat_pairs gives it: source < target, so the diagonal and
            # below are empty, and upper's entries are the symmetric matrix's entries above it
            rows = np.repeat(np.arange(n, dtype=np.int32), np.diff(upper.indptr))
            self._cache[("pairs", *key[1:])] = (rows, upper.indices.astype(np.int32), upper.data)
        return self._cache[key]

    def n_pairs(self, layers: Iterable[str] | None = None) -> int:
        """Distinct partner pairs (tied in ``layers``, default all), without building the graph.

        A pair tied in several layers or years counts once. When the graph of
        these layers is already built, its pairs are counted; otherwise the
        tie records are, so a memory check can come before any graph.

        Examples
        --------
        >>> orgs = pd.DataFrame(index=pd.Index(["a", "b", "c"], name="org_id"))
        >>> ties = pd.DataFrame({"source": [1, 0, 0], "target": [2, 1, 1], "layer": ["x", "x", "y"],
        ...                      "weight": 1.0, "year": 2020})
        >>> network = CollaborationNetwork(orgs, ties)
        >>> network.n_pairs(), network.n_pairs(["y"])
        (2, 1)
        """
        built = self._cache.get(("pairs", *self._view_key(layers, None)))
        if built is not None:
            return len(built[0])
        ties = self._view_ties(layers)
        keys = ties["source"].to_numpy().astype(np.int64)  # one pair, one integer key
        keys *= max(self.n_orgs, 1)
        keys += ties["target"].to_numpy()
        keys.sort()
        return int(np.count_nonzero(keys[1:] != keys[:-1]) + min(len(keys), 1))

    def flat_pairs(
        self,
        layers: Iterable[str] | None = None,
        layer_weights: Mapping[str, float] | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The distinct partner pairs of :meth:`to_csr`: its upper triangle as arrays.

        Parameters
        ----------
        layers, layer_weights : optional
            As for :meth:`to_csr`.

        Returns
        -------
        source, target : numpy.ndarray of int32
            Organisation codes, ``source < target``, ordered by source, then
            target.
        weight : numpy.ndarray of float64
            The pair's entry in :meth:`to_csr`.

        Notes
        -----
        Made with the matrix and cached with it (no copy of the matrix is
        taken); do not modify the arrays.

        Examples
        --------
        >>> orgs = pd.DataFrame(index=pd.Index(["a", "b", "c"], name="org_id"))
        >>> ties = pd.DataFrame({"source": [1, 0, 0], "target": [2, 1, 1], "layer": "partnership",
        ...                      "weight": [1.0, 2.0, 0.5], "year": 2020})
        >>> source, target, weight = CollaborationNetwork(orgs, ties).flat_pairs()
        >>> source.tolist(), target.tolist(), weight.tolist()
        ([0, 1], [1, 2], [2.5, 1.0])
        """
        self.to_csr(layers, layer_weights)
        return self._cache[("pairs", *self._view_key(layers, layer_weights))]

    def to_igraph(
        self,
        layers: Iterable[str] | None = None,
        layer_weights: Mapping[str, float] | None = None,
    ) -> ig.Graph:
        """Flatten chosen layers into an undirected igraph graph (cached).

        Vertex ``i`` is the organisation with code ``i`` and carries the
        ``org_id`` attribute; each edge carries the summed ``weight`` of
        :meth:`to_csr`. Do not modify the returned graph.
        """
        key = ("igraph", *self._view_key(layers, layer_weights))
        if key not in self._cache:
            source, target, weight = self.flat_pairs(layers, layer_weights)
            graph = ig.Graph(
                n=self.n_orgs,
                edges=list(zip(source.tolist(), target.tolist())),
                edge_attrs={"weight": weight.tolist()},
            )
            graph.vs["org_id"] = [str(x) for x in self.orgs.index]
            self._cache[key] = graph
        return self._cache[key]

    def to_networkx(
        self,
        layers: Iterable[str] | None = None,
        layer_weights: Mapping[str, float] | None = None,
    ) -> nx.Graph:
        """Return a networkx graph keyed by ``org_id`` (for interoperability).

        Nodes carry the organisation attributes (missing values omitted).
        Edges carry the flattened ``weight`` and, per layer, the summed raw
        weight as ``weight_<layer>``. This copies everything into Python
        objects: use :meth:`to_csr` or :meth:`to_igraph` for computation.
        """
        ties = self._view_ties(layers)
        graph: nx.Graph[Any] = nx.Graph()
        for org_id, row in zip(self.orgs.index, self.orgs.to_dict("records")):
            graph.add_node(org_id, **{str(k): v for k, v in row.items() if not _is_missing(v)})
        ids = self.orgs.index.to_numpy()
        per_layer = (
            ties.groupby(["source", "target", "layer"], observed=True)["weight"].sum().reset_index()
        )
        flat = sp.triu(self.to_csr(layers, layer_weights), k=1).tocoo()
        for u, v, w in zip(flat.row.tolist(), flat.col.tolist(), flat.data.tolist()):
            graph.add_edge(ids[u], ids[v], weight=w)
        for u, v, layer, w in per_layer.itertuples(index=False):
            graph.edges[ids[u], ids[v]][f"weight_{layer}"] = float(w)
        return graph

    def _view_key(
        self, layers: Iterable[str] | None, layer_weights: Mapping[str, float] | None
    ) -> tuple:
        chosen = self._check_layers(layers)
        layer_key = None if chosen is None else tuple(sorted(set(chosen)))
        weights_key = tuple(sorted((layer_weights or {}).items()))
        return layer_key, weights_key

    def _view_ties(self, layers: Iterable[str] | None) -> pd.DataFrame:
        chosen = self._check_layers(layers)
        if chosen is None:
            return self.ties
        return self.ties[self.ties["layer"].isin(chosen)]

    def _layer_factors(
        self, ties: pd.DataFrame, layer_weights: Mapping[str, float] | None
    ) -> np.ndarray:
        if not layer_weights:
            return np.ones(len(ties))
        self._check_layers(list(layer_weights))
        for name, value in layer_weights.items():
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not (numeric and np.isfinite(value) and value > 0):
                raise InputError("a layer weight must be a positive number", column=name, value=value)
        categories = ties["layer"].cat.categories
        table = np.array([float(layer_weights.get(name, 1.0)) for name in categories])
        return table[ties["layer"].cat.codes.to_numpy()]

    # -- saving and loading ----------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the network to one zip file (Parquet tables plus JSON metadata).

        The file is written atomically. :meth:`load` reads it back without
        loss: same ids, attributes, dtypes, layers, load report and
        provenance.
        """
        meta = {
            "format": FILE_FORMAT,
            "netcluster_version": __version__,
            "layers": list(self.layers),
            "load_report": self.load_report,
            "provenance": self.provenance,
        }
        with atomic_write(path, "wb") as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive:
                archive.writestr("meta.json", json.dumps(meta, indent=1, default=str))
                for name, frame in (
                    ("orgs", self.orgs),
                    ("ties", self.ties),
                    ("events", self.events),
                ):
                    buffer = io.BytesIO()
                    frame.to_parquet(buffer, index=name == "orgs")
                    archive.writestr(f"{name}.parquet", buffer.getvalue())

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> CollaborationNetwork:
        """Read a network written by :meth:`save`.

        Raises
        ------
        NetworkFileError
            When the file is missing, not a netcluster network, or damaged.
        """
        try:
            with zipfile.ZipFile(path) as archive:
                meta = json.loads(archive.read("meta.json"))
                found = meta.get("format") if isinstance(meta, dict) else None
                if found != FILE_FORMAT:
                    raise NetworkFileError(
                        f"not a netcluster network file (format {found!r}, expected {FILE_FORMAT!r})",
                        file=path,
                    )
                tables = {
                    name: pd.read_parquet(io.BytesIO(archive.read(f"{name}.parquet")))
                    for name in ("orgs", "ties", "events")
                }
        except FileNotFoundError:
            raise NetworkFileError("no such network file", file=path) from None
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            if isinstance(exc, NetworkFileError):
                raise
            raise NetworkFileError(
                f"cannot read this network file ({exc}); was it written by "
                "'netcluster build' or CollaborationNetwork.save?",
                file=path,
            ) from None
        damaged = [key for key, kind in (("layers", list), ("load_report", dict), ("provenance", dict))
                   if not isinstance(meta.get(key, kind()), kind)]
        if "layers" not in meta or damaged:
            raise NetworkFileError(f"damaged network file: meta.json has no valid {(damaged or ['layers'])[0]!r}",
                                   file=path)
        try:
            layers = pd.CategoricalDtype([str(name) for name in meta["layers"]])
            for name in ("ties", "events"):
                tables[name]["layer"] = tables[name]["layer"].astype(str).astype(layers)
            return cls(
                tables["orgs"],
                tables["ties"],
                tables["events"],
                load_report=meta.get("load_report"),
                provenance=meta.get("provenance"),
            )
        except KeyError as exc:
            raise NetworkFileError(f"damaged network file: a table lacks the column {exc}", file=path) from None
        except (TypeError, ValueError) as exc:
            raise NetworkFileError(f"damaged network file: {exc}", file=path) from None


# -- validation of the three tables --------------------------------------------------
def _categories(column: pd.Series) -> list[str]:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return [str(c) for c in column.cat.categories]
    return [str(c) for c in pd.unique(column.dropna())]


def _check_orgs(orgs: pd.DataFrame) -> pd.DataFrame:
    if not orgs.index.is_unique:
        duplicate = orgs.index[orgs.index.duplicated()][0]
        raise InputError("organisation ids must be unique", column="org_id", value=duplicate)
    if orgs.index.hasnans:
        raise InputError("an organisation has no id", column="org_id")
    frame = orgs.copy()
    ids = frame.index if pd.api.types.infer_dtype(frame.index, skipna=False) == "string" else [str(x) for x in frame.index]
    frame.index = pd.Index(ids, name="org_id", dtype=object)
    for column in ORG_COLUMNS:
        if column not in frame:
            frame[column] = np.nan if column in ("lat", "lon") else pd.NA
    for column in _TEXT_COLUMNS:
        frame[column] = frame[column].astype("string")
    try:
        frame["member"] = frame["member"].astype("boolean")
    except (TypeError, ValueError):
        raise InputError("the member column must hold true/false values", column="member") from None
    for column in ("lat", "lon"):
        try:
            frame[column] = pd.to_numeric(frame[column]).astype(np.float64)
        except (TypeError, ValueError):
            raise InputError("coordinates must be numbers", column=column) from None
    first = list(ORG_COLUMNS)
    return frame[first + [c for c in frame.columns if c not in first]]


def _check_ties(ties: pd.DataFrame, n: int, layers: pd.CategoricalDtype) -> pd.DataFrame:
    _require(ties, _TIE_COLUMNS, "ties")
    source = ties["source"].to_numpy(dtype=np.int64)
    target = ties["target"].to_numpy(dtype=np.int64)
    _check_codes(np.concatenate([source, target]), n, "ties")
    if (source == target).any():
        raise InputError("a tie joins an organisation to itself", value=int(source[source == target][0]))
    frame = pd.DataFrame(
        {
            "source": np.minimum(source, target).astype(np.int32),
            "target": np.maximum(source, target).astype(np.int32),
            "layer": _as_layers(ties["layer"], layers),
            "weight": ties["weight"].to_numpy(dtype=np.float64),
            "year": ties["year"].astype("Int32").array,
        }
    )
    extra = [c for c in ties.columns if c not in _TIE_COLUMNS]
    for column in extra:
        frame[column] = ties[column].to_numpy()
    return frame


def _check_events(events: pd.DataFrame, n: int, layers: pd.CategoricalDtype) -> pd.DataFrame:
    _require(events, _EVENT_COLUMNS, "events")
    org = events["org"].to_numpy(dtype=np.int64)
    _check_codes(org, n, "events")
    frame = pd.DataFrame(
        {
            "event": _as_text(events["event"]),
            "org": org.astype(np.int32),
            "layer": _as_layers(events["layer"], layers),
            "year": events["year"].astype("Int32").array,
        }
    )
    for column in [c for c in events.columns if c not in _EVENT_COLUMNS]:
        frame[column] = events[column].to_numpy()
    return frame


def _as_layers(column: pd.Series, layers: pd.CategoricalDtype) -> pd.Series:
    """Layer names (as text) in the network's layer categories; a categorical is recoded by its categories."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = layers.categories.get_indexer(pd.Index([str(c) for c in column.cat.categories], dtype=object))
        recoded = pd.Categorical.from_codes(np.append(codes, -1)[column.cat.codes.to_numpy()], dtype=layers)
        return pd.Series(recoded, index=column.index)
    return column.astype(str).astype(layers)


def _as_text(column: pd.Series) -> pd.arrays.NumpyExtensionArray:
    """Each value as Python text (``str``), in an object array; other than object columns once per distinct value."""
    if column.dtype == object:
        return pd.arrays.NumpyExtensionArray(np.array([str(x) for x in column], dtype=object))
    if isinstance(column.dtype, pd.CategoricalDtype):  # the categories are the distinct values; -1 is missing
        codes, distinct = column.cat.codes.to_numpy(), column.cat.categories
    else:
        codes, distinct = pd.factorize(column, use_na_sentinel=False)
    if isinstance(distinct.dtype, pd.StringDtype) and not distinct.isna().any():
        values = np.asarray(distinct, dtype=object)  # already text (the loaders' event ids)
    else:
        values = np.array([str(x) for x in np.asarray(distinct, dtype=object)], dtype=object)
    return pd.arrays.NumpyExtensionArray(np.append(values, str(np.nan))[codes])  # a missing category as str() shows it


def _require(frame: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"the {table} table lacks required columns", column=missing[0])


def _check_codes(codes: np.ndarray, n: int, table: str) -> None:
    if codes.size and (codes.min() < 0 or codes.max() >= n):
        bad = codes[(codes < 0) | (codes >= n)][0]
        raise InputError(f"the {table} table refers to an organisation code out of range", value=int(bad))


def _empty_ties() -> pd.DataFrame:
    return pd.DataFrame({c: [] for c in _TIE_COLUMNS})


def _empty_events() -> pd.DataFrame:
    return pd.DataFrame({c: [] for c in _EVENT_COLUMNS})


def _year_set(years: int | tuple[int, int] | Iterable[int]) -> list[int]:
    if isinstance(years, (int, np.integer)):
        return [int(years)]
    if isinstance(years, tuple) and len(years) == 2:
        first, last = int(years[0]), int(years[1])
        if first > last:
            raise InputError(f"the year range {first}-{last} is empty: the first year is after the last")
        return list(range(first, last + 1))
    return [int(y) for y in years]


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
