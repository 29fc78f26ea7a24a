#!/usr/bin/env bash
# Quick start, step 1: install netcluster into .venv and write report.html from the
# bundled synthetic sample (ocean_cluster). Needs only Python 3.10+ with venv and pip.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet .
.venv/bin/netcluster report -o report.html
