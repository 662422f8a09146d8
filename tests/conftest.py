"""Shared fixtures: throwaway golden repos and candidates, the real CLI as a subprocess."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from refactor_check.report import Report

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
GOLDEN_REPOS = REPO / "golden_repos"

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# A minimal exercise in the contract's layout (exercise.toml, original/toy.py, tests/), and a
# clean refactor of it.
TOY_GOLDEN = FIXTURES / "toy"
TOY_CLEAN = (FIXTURES / "toy_clean" / "toy.py").read_text(encoding="utf-8")


def history_builder() -> ModuleType:
    """``examples/history/build.py``, which makes the example git repositories."""
    path = EXAMPLES / "history" / "build.py"
    spec = importlib.util.spec_from_file_location("history_examples", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_files(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Each test gets its own cache, so no test depends on what another computed."""
    monkeypatch.setenv("REFACTOR_CHECK_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module (see tests/browser.py)."""
    from .browser import headless  # selenium is imported only by the modules that need it

    with headless() as driver:
        yield driver


@pytest.fixture
def toy_golden(tmp_path: Path) -> Path:
    """A private copy of the minimal golden repo, free for a test to change."""
    return Path(shutil.copytree(TOY_GOLDEN, tmp_path / "golden"))


@pytest.fixture
def make_candidate(tmp_path: Path) -> Callable[..., Path]:
    """A candidate directory with the given files (module text defaults to the clean one)."""
    counter = iter(range(1000))

    def make(files: dict[str, str] | None = None, name: str | None = None) -> Path:
        root = tmp_path / (name or f"candidate{next(counter)}")
        root.mkdir(parents=True)
        return write_files(root, files if files is not None else {"toy.py": TOY_CLEAN})

    return make


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str
    out: Path

    @property
    def report(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.out / "report.json").read_text(encoding="utf-8"))
        # Every report a test reads is also read back as the Report it was written from: the
        # typed reading the writers and merge rest on loses nothing a report holds.
        assert Report.from_json(data).to_dict() == data
        return data


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., CliResult]:
    """The real command line, in a subprocess, with a fresh --out directory per call."""
    counter = iter(range(1000))

    def invoke(
        *args: str | Path,
        out: Path | None = None,
        timeout: float = 300,
        env: dict[str, str] | None = None,
    ) -> CliResult:
        out = out or tmp_path / f"out{next(counter)}"
        argv = [sys.executable, "-m", "refactor_check", *map(str, args)]
        if args and args[0] == "run" and "--out" not in args:
            argv += ["--out", str(out)]
        completed = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=tmp_path,
            env=_cli_environment(env),
        )
        return CliResult(completed.returncode, completed.stdout, completed.stderr, out)

    return invoke


def _cli_environment(extra: dict[str, str] | None) -> dict[str, str]:
    # A CI runner's step summary is the CI job's, not the test's: a run under test appending
    # to it would publish the tests' reports (a test that wants one passes its own path).
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    return {**env, "NO_COLOR": "1", **(extra or {})}


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes: to prove a directory was not touched."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() or p.is_symlink()
    }
