"""Packaging: the built wheel holds exactly the packages the folders define."""

from __future__ import annotations

import configparser
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _declared() -> tuple[list[str], dict[str, str]]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    packages = config["options"]["packages"].split()
    mapping = dict(
        (part.strip() for part in line.split("=", 1))
        for line in config["options"]["package_dir"].strip().splitlines()
    )
    return packages, mapping


def _folder_packages(mapping: dict[str, str]) -> list[str]:
    found = []
    roots = {"netcluster": ROOT / "netcluster", **{name: ROOT / folder for name, folder in mapping.items()}}
    for name, folder in roots.items():
        for init in folder.rglob("__init__.py"):
            relative = init.parent.relative_to(folder).parts
            found.append(".".join((name, *relative)))
    return sorted(set(found))


def test_packages_list_matches_folders():
    packages, mapping = _declared()
    assert mapping == {"netcluster.cli": "cli", "netcluster.sample_graphs": "sample_graphs"}
    assert sorted(packages) == _folder_packages(mapping)


def test_pyproject_holds_only_build_system():
    text = (ROOT / "pyproject.toml").read_text()
    sections = [line for line in text.splitlines() if line.startswith("[")]
    assert sections == ["[build-system]"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
    )
    (path,) = out.glob("netcluster-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_has_no_top_level_cli_and_every_package(wheel):
    names = wheel.namelist()
    top = {name.split("/")[0] for name in names}
    assert "cli" not in top and "sample_graphs" not in top
    assert {t for t in top if not t.endswith(".dist-info")} == {"netcluster"}
    packages, _ = _declared()
    for package in packages:
        assert package.replace(".", "/") + "/__init__.py" in names, package


def test_wheel_carries_data_and_entry_point(wheel):
    names = set(wheel.namelist())
    assert "netcluster/py.typed" in names
    assert "netcluster/report/templates/report.html.j2" in names
    assert "netcluster/report/templates/report.js" in names
    assert "netcluster/sql/project_events.sql" in names
    for sample in ("ocean_cluster", "norway_h2020"):
        assert f"netcluster/sample_graphs/{sample}/README.md" in names
        assert f"netcluster/sample_graphs/{sample}/organisations.csv" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "netcluster = netcluster.cli:main" in wheel.read(entry).decode()
