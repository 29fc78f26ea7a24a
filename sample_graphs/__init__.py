"""Bundled sample records, installed as ``netcluster.sample_graphs``.

Each sample is a folder of CSV record files with a README giving columns,
origin and licence:

``ocean_cluster``
    A synthetic coastal ocean-technology cluster in Norway (seeded generator
    ``scripts/make_sample_ocean_cluster.py``); partnership, co-patent,
    membership and organisation records.
``norway_h2020``
    Real Horizon 2020 project participations of Norwegian organisations and
    their partners, cut from CORDIS (``scripts/make_sample_norway_h2020.py``).

Examples
--------
>>> [s.name for s in list_samples()]
['ocean_cluster', 'norway_h2020']
>>> net = load_sample("ocean_cluster")
>>> sorted(net.layers)
['copatent', 'membership', 'partnership']
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from netcluster.errors import InputError, OutputError
from netcluster.loaders import build_network
from netcluster.network import CollaborationNetwork

__all__ = ["Sample", "list_samples", "get_sample", "load_sample", "copy_sample"]


@dataclass(frozen=True)
class Sample:
    """A bundled sample.

    Attributes
    ----------
    name : str
    title : str
        One line saying what it is.
    files : dict
        Record kind (``build_network`` argument name) -> file name.
    attribution : str or None
        What to cite when showing results built on it.
    outcome : str or None
        An outcome column of its organisations table (``netcluster report``
        on the sample shows the evidence panel for it).
    """

    name: str
    title: str
    files: dict[str, str]
    attribution: str | None = None
    outcome: str | None = None

    @property
    def path(self) -> Path:
        """The folder holding the sample's files."""
        return Path(str(resources.files("netcluster.sample_graphs") / self.name))

    def paths(self) -> dict[str, Path]:
        """Record kind -> full path of each file."""
        return {kind: self.path / name for kind, name in self.files.items()}


_SAMPLES = (
    Sample(
        "ocean_cluster",
        "Synthetic ocean-technology cluster in Norway: partnerships, co-patents, memberships (CC0)",
        {
            "partnerships": "partnerships.csv",
            "copatents": "copatents.csv",
            "memberships": "memberships.csv",
            "organisations": "organisations.csv",
        },
        outcome="new_product",
    ),
    Sample(
        "norway_h2020",
        "Norwegian organisations in Horizon 2020 projects with their partners (CORDIS)",
        {"partnerships": "participations.csv", "organisations": "organisations.csv"},
        attribution="CORDIS, European Commission",
    ),
)


def list_samples() -> list[Sample]:
    """All bundled samples.

    Examples
    --------
    >>> [(s.name, s.attribution) for s in list_samples()]
    [('ocean_cluster', None), ('norway_h2020', 'CORDIS, European Commission')]
    """
    return list(_SAMPLES)


def get_sample(name: str) -> Sample:
    """The sample called ``name``.

    Raises
    ------
    InputError
        For an unknown name; the message lists the known ones.

    Examples
    --------
    >>> sorted(get_sample("norway_h2020").files)
    ['organisations', 'partnerships']
    >>> get_sample("nope")
    Traceback (most recent call last):
    ...
    netcluster.errors.InputError: value 'nope': no such sample; the samples are ocean_cluster, norway_h2020
    """
    for sample in _SAMPLES:
        if sample.name == name:
            return sample
    known = ", ".join(s.name for s in _SAMPLES)
    raise InputError(f"no such sample; the samples are {known}", value=name)


def load_sample(name: str = "ocean_cluster", **options: object) -> CollaborationNetwork:
    """Build the network of a bundled sample (``options`` go to ``build_network``).

    Examples
    --------
    >>> net = load_sample("norway_h2020")
    >>> net.layers, [f["kind"] for f in net.load_report["files"]]
    (('partnership',), ['partnerships', 'organisations'])
    """
    sample = get_sample(name)
    return build_network(**{k: str(p) for k, p in sample.paths().items()}, **options)  # type: ignore[arg-type]


def copy_sample(name: str, destination: str | os.PathLike[str]) -> Path:
    """Copy a sample's files and README into ``destination/name``.

    The files are copied into a staging folder that is renamed when complete,
    so an interrupted copy leaves no half-filled sample folder.

    Raises
    ------
    OutputError
        When the target folder exists already (nothing is overwritten) or
        cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     target = copy_sample("norway_h2020", folder)
    ...     target.name, sorted(p.name for p in target.iterdir())
    ('norway_h2020', ['README.md', 'organisations.csv', 'participations.csv'])
    """
    sample = get_sample(name)
    target = Path(destination) / name
    if target.exists():
        raise OutputError(f"{target} exists already; choose another destination or remove it")
    staging = target.with_name(f".{name}.partial")
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for file_name in [*sample.files.values(), "README.md"]:
            shutil.copyfile(sample.path / file_name, staging / file_name)
        staging.rename(target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot copy the sample to {target}: {exc.strerror or exc}") from None
    return target
