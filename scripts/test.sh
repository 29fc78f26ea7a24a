#!/usr/bin/env bash
# Quick start, step 2: install netcluster with its test tools into .venv and run the
# whole test suite, browser and Spark tests included. Installs Debian's chromium with apt
# when it is missing (Playwright drives it; no browser is downloaded) and Debian's
# openjdk-17-jre-headless when java is missing (pyspark, from the test extra, needs it).
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests (apt-get)..." >&2
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
if ! command -v java >/dev/null 2>&1 && [ -z "${JAVA_HOME:-}" ]; then
    echo "Installing Debian's openjdk-17-jre-headless for the Spark tests (apt-get)..." >&2
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
exec .venv/bin/pytest "$@"
