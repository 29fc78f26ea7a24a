"""Write docs/cli.md from the commands' own --help texts.

Usage: python scripts/make_cli_docs.py [--check]

With --check, exit 1 when docs/cli.md differs from what would be written
(the test suite runs this check, so the reference never drifts from --help).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

from netcluster.cli import main

TARGET = Path(__file__).resolve().parents[1] / "docs" / "cli.md"

INTRO = """# Command-line reference

Generated from `netcluster --help` by `scripts/make_cli_docs.py`; do not edit by hand.

Every command is a thin twin of one Python function with the same parameter names.
Messages go to standard error and data to standard output. Exit codes: 0 when all
went well, 1 for an input or user error (a one-line message, no traceback), 2 for a
usage error (an unknown option or a bad option value).
"""


def render() -> str:
    """The whole reference page as text."""
    runner = CliRunner()
    parts = [INTRO, "## netcluster\n", "```text\n" + _help(runner, []) + "```\n"]
    for name in sorted(main.commands):
        parts.append(f"## netcluster {name}\n")
        parts.append("```text\n" + _help(runner, [name]) + "```\n")
    return "\n".join(parts)


def _help(runner: CliRunner, args: list[str]) -> str:
    result = runner.invoke(main, [*args, "--help"], terminal_width=100, prog_name="netcluster")
    if result.exit_code != 0:
        raise click.ClickException(f"netcluster {' '.join(args)} --help failed: {result.output}")
    return result.output


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv[1:]:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        sys.exit(0 if current == text else 1)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}", file=sys.stderr)
