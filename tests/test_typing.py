"""mypy over the whole installed package: netcluster, netcluster.cli and netcluster.sample_graphs.

setup.cfg maps the folders cli/ and sample_graphs/ into the package
(``package_dir``), which mypy cannot follow, and the editable install's
import hook is invisible to it. So the test lays the package out as it is
installed, with symbolic links in a temporary folder, and runs
``python -m mypy -p netcluster`` there with the ``[mypy]`` settings of
setup.cfg. Paths in the output are mapped back to the repository's folders.
"""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _installed_layout(target: Path) -> dict[str, str]:
    """Link the package into ``target`` as installed; return {installed prefix: repository prefix}."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    mapping = dict(
        (part.strip() for part in line.split("=", 1))
        for line in config["options"]["package_dir"].strip().splitlines()
    )
    package = target / "netcluster"
    package.mkdir()
    for entry in (ROOT / "netcluster").iterdir():
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry)
    renames = {}
    for name, folder in mapping.items():
        parts = name.split(".")
        assert parts[0] == "netcluster" and len(parts) == 2, f"unexpected package_dir entry {name}"
        (package / parts[1]).symlink_to(ROOT / folder, target_is_directory=True)
        renames[f"netcluster{os.sep}{parts[1]}{os.sep}"] = f"{folder}{os.sep}"
    return renames


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_mypy_passes_on_the_whole_package(tmp_path):
    renames = _installed_layout(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "setup.cfg"),
         "--cache-dir", str(tmp_path / ".mypy_cache"), "-p", "netcluster"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    output = run.stdout + run.stderr
    for installed, folder in renames.items():
        output = output.replace(installed, folder)
    if run.returncode != 0:
        pytest.fail(f"mypy found problems (exit code {run.returncode}):\n{output}", pytrace=False)
