"""The mutants' batch (sandbox/mutant_batch.py) against mutmut's own loop, on real runs."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from refactor_check import isolation, workspace
from refactor_check.mutation import mutmut_run, profiles
from refactor_check.results.mutation import KILLED, NO_TESTS, SURVIVED, TIMEOUT
from refactor_check.runner import Runner
from refactor_check.sandbox import MUTANT_BATCH
from refactor_check.sources import load_package

from .conftest import write_files

# Every status a mutant can end in on a healthy run: killed, survived (the test pins
# `scale` only at 2, so `*` and `**` agree there), timed out (`triangle`'s loop never ends
# when `i += 1` becomes `i -= 1`), and no tests (nothing calls `unused`).
PACKAGE = """
    def scale(n):
        if n < 0:
            raise ValueError("negative")
        return n * 2

    def triangle(n):
        total, i = 0, 0
        while i < n:
            total += i
            i += 1
        return total

    def unused(n):
        return n + 1
"""
TESTS = """
    import pytest
    from shapes import scale, triangle

    def test_scale():
        assert scale(2) == 4

    def test_scale_rejects_negatives():
        with pytest.raises(ValueError, match="negative"):
            scale(-1)

    def test_triangle():
        assert triangle(4) == 6
"""


def _batch_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutant_batch", MUTANT_BATCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _bare_mutmut(root: Path, profile: profiles.MutationProfile) -> dict[str, str]:
    """Each mutant's status from a plain ``mutmut run`` (mutmut's own loop)."""
    package = load_package(root / "original", "shapes")
    assert package is not None
    run = root / "bare"
    workspace.copy_package(package, run)
    workspace.copy_tree(root / "tests", run / "tests")
    (run / ".pytest.ini").write_text("[pytest]\n")
    (run / "setup.cfg").write_text(mutmut_run.setup_cfg(package, (), profile))
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONIOENCODING": "utf-8"}
    subprocess.run(
        [sys.executable, "-m", "mutmut", "run", "--max-children", "2"],
        cwd=run,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        timeout=600,
    )
    return {m.key: m.status for m in mutmut_run.read_results(run, package)}


def test_the_batch_gives_every_mutant_the_status_mutmuts_own_loop_gives(tmp_path: Path) -> None:
    root = write_files(
        tmp_path / "shapes", {"original/shapes.py": PACKAGE, "tests/test_shapes.py": TESTS}
    )
    profile = profiles.load("quick")
    expected = _bare_mutmut(root, profile)
    package = load_package(root / "original", "shapes")
    assert package is not None
    runner = Runner(sandbox=isolation.probe("auto"))
    with workspace.prepare() as ws:
        outcome = mutmut_run.run(runner, ws, package, root / "tests", "batch", profile)
    assert outcome.problem is None and not outcome.timed_out, outcome.log_tail
    got = {m.key: m.status for m in outcome.mutants}
    assert got == expected
    # The fixture reaches every status, so the comparison covers each of them.
    assert {KILLED, SURVIVED, TIMEOUT, NO_TESTS} <= set(got.values()), got


def test_tests_that_pass_when_every_function_raises_stop_the_run_as_under_mutmut(
    tmp_path: Path,
) -> None:
    root = write_files(
        tmp_path / "shapes",
        {
            "original/shapes.py": PACKAGE,
            # Calls the code (so mutmut's stats find a covering test) and swallows anything.
            "tests/test_shapes.py": """
                from shapes import scale
                def test_nothing_checked():
                    try:
                        scale(2)
                    except Exception:
                        pass
            """,
        },
    )
    package = load_package(root / "original", "shapes")
    assert package is not None
    with workspace.prepare() as ws:
        outcome = mutmut_run.run(
            Runner(sandbox=isolation.probe("auto")),
            ws,
            package,
            root / "tests",
            "batch",
            profiles.load("quick"),
        )
    assert outcome.problem is not None
    assert "the tests pass even when every function raises" in outcome.problem


def test_a_mutants_tests_start_with_the_one_that_killed_its_neighbour() -> None:
    batch_module = _batch_module()
    stats = {
        "tests_by_mangled_function_name": {"pkg.x_f": ["t::slow", "t::fast", "t::mid"]},
        "duration_by_test": {"t::slow": 0.3, "t::fast": 0.01, "t::mid": 0.1},
    }
    batch = batch_module._Batch(metas=None, stats=stats, keys=[])
    # Fastest first while nothing has been killed.
    assert batch.tests_for("pkg.x_f__mutmut_1") == ["t::fast", "t::mid", "t::slow"]
    batch.killers["pkg.x_f"] = ["t::slow"]
    assert batch.tests_for("pkg.x_f__mutmut_2") == ["t::slow", "t::fast", "t::mid"]
    # A killer that no longer covers the function is not run for it.
    batch.killers["pkg.x_f"] = ["t::gone", "t::mid"]
    assert batch.tests_for("pkg.x_f__mutmut_3") == ["t::mid", "t::fast", "t::slow"]
    assert batch.tests_for("pkg.x_other__mutmut_1") == []


@pytest.mark.parametrize("argv", [["--bogus", "1"], ["--workers"], ["--keys", "k", "extra"]])
def test_the_batch_refuses_arguments_it_does_not_know(argv: list[str], tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(MUTANT_BATCH), *argv],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "mutant_batch: unexpected arguments" in done.stderr
