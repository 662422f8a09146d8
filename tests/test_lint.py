"""The codebase is ruff and mypy clean, as configured in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _clean(module: str, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    "command",
    [["check", "--no-cache"], ["format", "--check", "--no-cache"]],
    ids=["lint", "format"],
)
def test_ruff_is_clean(command: list[str]) -> None:
    _clean("ruff", *command, "refactor_check", "tests", "benchmarks")


def test_mypy_is_clean() -> None:
    """Type hints are checked over the whole package ([tool.mypy] names it)."""
    _clean("mypy", "--no-incremental")
