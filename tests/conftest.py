"""Shared fixtures: small hand-checkable networks, the real data folder, a browser, a Spark session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from netcluster import CollaborationNetwork

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def toy_network() -> CollaborationNetwork:
    """Five organisations, three layers, hand-checkable scopes.

    a, b: Norway/Vestland; c: Norway/Oslo; d: Denmark; e: no country.
    Ties: a-b partnership 2019 (w 2) and copatent 2020 (w 1); a-c partnership
    2020; a-d copatent 2021 (w 3); b-d membership 2018; c-e partnership 2019.
    """
    orgs = pd.DataFrame(
        {
            "name": ["Alpha AS", "Beta AS", "Gamma AS", "Delta ApS", "Epsilon"],
            "country": ["NO", "NO", "NO", "DK", None],
            "region": ["Vestland", "Vestland", "Oslo", "Syddanmark", None],
        },
        index=pd.Index(["a", "b", "c", "d", "e"], name="org_id"),
    )
    ties = pd.DataFrame(
        {
            "source": [0, 0, 0, 0, 1, 2],
            "target": [1, 1, 2, 3, 3, 4],
            "layer": ["partnership", "copatent", "partnership", "copatent", "membership", "partnership"],
            "weight": [2.0, 1.0, 1.0, 3.0, 1.0, 1.0],
            "year": [2019, 2020, 2020, 2021, 2018, 2019],
        }
    )
    return CollaborationNetwork(orgs, ties)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data folder (../shared/data or $NETCLUSTER_DATA).

    Skipped when absent, except under CI (NETCLUSTER_REQUIRE_DATA=1), where a
    missing folder fails the run instead of hiding tests.
    """
    folder = Path(os.environ.get("NETCLUSTER_DATA", ROOT.parent / "shared" / "data"))
    if not (folder / "cordis_h2020_participations.csv.gz").is_file():
        if os.environ.get("NETCLUSTER_REQUIRE_DATA") == "1":
            pytest.fail(f"the real data folder {folder} is missing")
        pytest.skip(f"real data not found in {folder}; set NETCLUSTER_DATA")
    return folder


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium driven by Playwright (no downloaded browser)."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed: run 'bash scripts/test.sh', which installs it with apt")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=executable,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking"],
        )
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def spark():
    """One local Spark session (2 threads, 4 shuffle partitions, 3 GiB, no UI, errors-only logs) for
    every Spark test: the JVM starts once per test run.

    Engines built on it (``SparkEngine(spark)``, ``open_engine("spark", spark=spark)``) keep
    their tables private and leave the session running; it stops at the end of the run.
    """
    from netcluster.sql.spark import spark_session

    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.fail("Java is not installed: run 'bash scripts/test.sh', which installs openjdk-17 with apt")
    # 3 GiB of driver heap: the CORDIS equality tests hand Spark and collect a million ties
    # several times (Spark's default of 1 GiB ran out of memory).
    session = spark_session("local[2]", shuffle_partitions=4, memory_limit="3GiB")
    yield session
    session.stop()
