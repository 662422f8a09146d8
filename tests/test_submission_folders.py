"""Real submission folders, graded as submitted, through the CLI.

A candidate's repository holds more than the package and their tests: a virtual environment,
caches, version control, build output, editor folders, the starter's own files and tests.
None of that decides the verdict; what is ignored is listed; the starter's tests are the
exercise's, not the candidate's work; a package left as it was earns no stewardship credit;
an import of something the exercise does not provide is the same finding on every machine.
"""

from __future__ import annotations

import py_compile
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from refactor_check import isolation

from .conftest import TOY_CLEAN, write_files

# The candidate's own tests: they pin the error path and one price, nothing else.
OWN_TEST = """
import pytest
from toy import price


def test_rejects_zero():
    with pytest.raises(ValueError):
        price(0, 1.0)


def test_small_order():
    assert price(2, 1.5) == 3.0
"""
# The visible test the starter ships: it pins the bulk discount and the counter.
SHOWN_TEST = """
from toy import Counter, price


def test_bulk_discount():
    assert price(10, 1.0) == 9.0
    assert price(11, 2.0) == 19.8


def test_counter():
    counter = Counter()
    assert counter.bump(3) == 3
    assert counter.bump() == 4
"""
IGNORED_FOLDERS = {".venv/", ".git/", "build/", "dist/", ".idea/", "toy.egg-info/"}


def _with_starter(golden: Path) -> Path:
    write_files(golden, {"shown/test_shown.py": SHOWN_TEST})
    with open(golden / "exercise.toml", "a", encoding="utf-8") as config:
        config.write('\n[starter]\nvisible_tests = ["shown/*.py"]\n')
    return golden


def _export_starter(cli, golden: Path, out: Path) -> Path:
    result = cli("exercise", "starter", golden, out)
    assert result.code == 0, result.stderr
    return out


def _litter(root: Path) -> None:
    """What a real working copy holds beside the submission: a real virtual environment (with
    a .pth file, as pip-installed packages leave), bytecode, a git repository, build output,
    packaging metadata and an editor folder."""
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(root / ".venv")],
        check=True,
        timeout=120,
    )
    site = next((root / ".venv" / "lib").glob("python*")) / "site-packages"
    site.mkdir(parents=True, exist_ok=True)
    (site / "distutils-precedence.pth").write_text("import os\n", encoding="utf-8")
    assert (root / ".venv" / "bin" / "python").is_symlink()
    py_compile.compile(str(root / "toy.py"), cfile=str(root / "__pycache__" / "toy.cpython.pyc"))
    if (root / "tests").is_dir():
        cache = root / "tests" / "__pycache__"
        cache.mkdir()
        (cache / "conftest.cpython.pyc").write_bytes(b"\0" * 16)
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(root)], check=True, timeout=60)
    else:
        (root / ".git" / "hooks").mkdir(parents=True)
    write_files(
        root,
        {
            "build/lib/toy.py": "import sys\nsys.exit(3)\n",
            "build/lib/conftest.py": "raise SystemExit(1)\n",
            "dist/toy-0.1.tar.gz": "not really a tarball\n",
            "toy.egg-info/PKG-INFO": "Name: toy\n",
            ".idea/workspace.xml": "<project/>\n",
        },
    )


def _comparable(report: dict) -> dict:
    """What a report says about the submission, apart from where it was and when."""
    golden = report["golden"]
    mutation = report["mutation"]
    checks = {c["check"]: (c["status"], c["summary"]) for c in report["checks"]}
    return {
        "verdict": report["verdict"],
        "findings": report["findings"],
        "own_tests": report["candidate"]["own_tests"],
        "files": report["candidate"]["files"],
        "golden": [(t["id"], t["outcome"]) for t in golden["tests"]],
        "candidate_tests": mutation["candidate_tests"],
        "cc_total": report["complexity"]["candidate"]["cc_total"],
        "change": report["complexity"]["change"],
        "integrity": checks["integrity"],
        "scorecard": [(d["name"], d["level"]) for d in report["scorecard"]["dimensions"]],
    }


def test_a_working_copy_with_an_environment_caches_and_build_output_grades_as_the_clean_one(
    make_candidate, toy_golden: Path, cli
) -> None:
    files = {"toy.py": TOY_CLEAN, "tests/test_mine.py": OWN_TEST}
    clean = make_candidate(files, name="clean")
    littered = make_candidate(files, name="littered")
    _litter(littered)

    plain = cli("run", clean, "--golden", toy_golden, "--differential-examples", "20")
    messy = cli("run", littered, "--golden", toy_golden, "--differential-examples", "20")

    assert plain.code == 0, plain.stdout + plain.stderr
    assert messy.code == 0, messy.stdout + messy.stderr
    assert _comparable(messy.report) == _comparable(plain.report)
    assert plain.report["mutation"]["candidate_tests"]["killed"] > 0
    ignored = {i["path"]: i["why"] for i in messy.report["candidate"]["ignored"]}
    assert IGNORED_FOLDERS | {"__pycache__/"} <= set(ignored)
    assert ignored[".venv/"] == "a virtual environment"
    assert ignored["build/"] == "build output"
    assert plain.report["candidate"]["ignored"] == []
    html = (messy.out / "report.html").read_text(encoding="utf-8")
    assert "<code>.venv/</code> (a virtual environment)" in html


def test_a_virtual_environment_under_any_name_is_recognised(
    make_candidate, toy_golden: Path, cli
) -> None:
    candidate = make_candidate()
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(candidate / "my-env")],
        check=True,
        timeout=120,
    )
    result = cli("run", candidate, "--golden", toy_golden, "--no-mutation", "--no-differential")
    assert result.code == 0, result.stdout + result.stderr
    assert {"path": "my-env/", "why": "a virtual environment"} in result.report["candidate"][
        "ignored"
    ]


def test_an_untouched_starter_passes_unchanged_with_no_stewardship_credit(
    toy_golden: Path, tmp_path: Path, cli
) -> None:
    golden = _with_starter(toy_golden)
    submission = _export_starter(cli, golden, tmp_path / "starter")

    result = cli("run", submission, "--golden", golden, "--differential-examples", "20")

    assert result.code == 0, result.stdout + result.stderr
    report = result.report
    assert report["verdict"] == "preserved"
    change = report["complexity"]["change"]
    assert change["unchanged"] is True
    assert (change["lines_changed"], change["functions_changed"], change["kept_share"]) == (
        0,
        0,
        1.0,
    )
    complexity_check = next(c for c in report["checks"] if c["check"] == "complexity")
    assert any("nothing was refactored" in w for w in complexity_check["warnings"])
    stewardship = next(d for d in report["scorecard"]["dimensions"] if d["name"] == "stewardship")
    assert stewardship["level"] == 1
    assert "lines_changed is 0" in stewardship["why"]
    # The shipped test is the exercise's: it is no test of theirs.
    assert report["candidate"]["own_tests"] == []
    assert report["candidate"]["starter_tests"] == ["tests/test_shown.py"]
    assert report["mutation"]["candidate_tests"] is None
    # The starter's own folders are not the submission.
    ignored = {i["path"] for i in report["candidate"]["ignored"]}
    assert {".github/", ".refactor-check/"} <= ignored
    assert "nothing was refactored" in (result.out / "summary.md").read_text(encoding="utf-8")


def test_the_starters_test_never_counts_as_the_candidates(
    toy_golden: Path, tmp_path: Path, cli
) -> None:
    golden = _with_starter(toy_golden)
    with_starter = _export_starter(cli, golden, tmp_path / "starter")
    write_files(with_starter, {"toy.py": TOY_CLEAN, "tests/test_mine.py": OWN_TEST})
    only_theirs = tmp_path / "only-theirs"
    write_files(only_theirs, {"toy.py": TOY_CLEAN, "tests/test_mine.py": OWN_TEST})

    both = cli("run", with_starter, "--golden", golden, "--no-differential")
    mine = cli("run", only_theirs, "--golden", golden, "--no-differential")

    assert both.code == 0 and mine.code == 0, both.stdout + mine.stdout
    assert both.report["candidate"]["own_tests"] == ["tests/test_mine.py"]
    assert both.report["candidate"]["starter_tests"] == ["tests/test_shown.py"]
    # Scored on their file alone: the same figures as a submission without the starter's.
    for score in ("candidate_tests", "candidate_tests_on_original"):
        assert both.report["mutation"][score] == mine.report["mutation"][score]
    assert both.report["mutation"]["candidate_tests"]["killed"] > 0
    # The shipped test would have scored more: it pins the discount their test leaves open.
    changed = tmp_path / "edited-shown"
    write_files(changed, {"toy.py": TOY_CLEAN, "tests/test_mine.py": OWN_TEST})
    write_files(changed, {"tests/test_shown.py": SHOWN_TEST + "\n# edited by the candidate\n"})
    edited = cli("run", changed, "--golden", golden, "--no-differential")
    assert edited.report["candidate"]["own_tests"] == [
        "tests/test_mine.py",
        "tests/test_shown.py",
    ]
    assert (
        edited.report["mutation"]["candidate_tests"]["killed"]
        > both.report["mutation"]["candidate_tests"]["killed"]
    )


def test_tests_left_in_the_module_are_a_remark_not_tampering(
    make_candidate, toy_golden: Path, cli
) -> None:
    module = TOY_CLEAN + (
        "\n\nimport unittest\n\n\n"
        "class TestPrice(unittest.TestCase):\n"
        "    def test_bulk(self):\n"
        "        self.assertEqual(price(10, 1.0), 9.0)\n\n\n"
        'if __name__ == "__main__":\n'
        "    unittest.main()\n"
    )
    candidate = make_candidate({"toy.py": module})

    result = cli("run", candidate, "--golden", toy_golden, "--no-mutation")

    assert result.code == 0, result.stdout + result.stderr
    report = result.report
    assert report["verdict"] == "preserved" and report["findings"] == []
    integrity = next(c for c in report["checks"] if c["check"] == "integrity")
    assert any("[tests_in_package]" in w for w in integrity["warnings"])
    added = [c for c in report["complexity"]["api"]["changes"] if c["change"] == "added"]
    assert "toy.TestPrice" in {c["name"] for c in added}


@pytest.fixture(params=["bwrap", "none"])
def sandbox_mode(request: pytest.FixtureRequest) -> str:
    try:
        isolation.probe(request.param)
    except Exception as exc:  # bwrap missing here: the CI installs it, so CI runs both
        pytest.skip(f"bwrap unavailable: {exc}")
    return str(request.param)


def _behaviour_only(cli, candidate: Path, golden: Path, sandbox: str):
    """The golden check alone, under ``sandbox``: what these tests judge is import-time."""
    return cli(
        "run",
        candidate,
        "--golden",
        golden,
        "--sandbox",
        sandbox,
        "--no-mutation",
        "--no-differential",
    )


@pytest.mark.parametrize("module", ["attrs", "refactor_check_nowhere_installed"])
def test_an_undeclared_import_is_the_same_finding_everywhere(
    make_candidate, toy_golden: Path, cli, sandbox_mode: str, module: str
) -> None:
    # attrs is installed beside refactor-check here; the other is installed nowhere.
    candidate = make_candidate({"toy.py": f"import {module}\n\n" + TOY_CLEAN})

    result = _behaviour_only(cli, candidate, toy_golden, sandbox_mode)

    assert result.code == 1, result.stdout + result.stderr
    found = [f for f in result.report["findings"] if f.get("rule") == "undeclared_import"]
    assert [(f["file"], f["line"]) for f in found] == [("toy.py", 1)]
    assert f"imports {module}" in found[0]["message"]
    assert "[candidate] dependencies" in found[0]["message"]


def test_a_package_installed_beside_the_grader_is_not_importable_at_run_time(
    make_candidate, toy_golden: Path, cli, sandbox_mode: str
) -> None:
    # The static scan cannot see a computed import; the interpreter that runs the tests
    # holds only the standard library and what the exercise provides, so click (installed
    # beside refactor-check) fails the same way as a module installed nowhere.
    module = TOY_CLEAN.replace(
        "def price(",
        "def _rounding():\n    import importlib\n\n"
        "    return importlib.import_module('cl' + 'ick')\n\n\ndef price(",
        1,
    ).replace("    return round(", "    _rounding()\n    return round(", 1)
    assert "_rounding()\n    return round(" in module
    candidate = make_candidate({"toy.py": module})

    result = _behaviour_only(cli, candidate, toy_golden, sandbox_mode)

    assert result.code == 1, result.stdout + result.stderr
    failed = [f for f in result.report["findings"] if f["kind"] == "golden_test_failed"]
    assert failed and all("No module named 'click'" in f["message"] for f in failed)


def test_a_declared_dependency_may_be_imported(make_candidate, toy_golden: Path, cli) -> None:
    with open(toy_golden / "exercise.toml", "a", encoding="utf-8") as config:
        config.write('\n[candidate]\ndependencies = ["attrs>=20"]\n')
    candidate = make_candidate({"toy.py": "import attrs\n\n" + TOY_CLEAN})

    result = cli("run", candidate, "--golden", toy_golden, "--no-mutation", "--no-differential")

    assert result.code == 0, result.stdout + result.stderr
    assert result.report["findings"] == []


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('dependencies = "attrs"', "dependencies must be a list of requirement strings"),
        ('dependencies = ["attrs >>> 1"]', "is not a requirement pip takes"),
        ('imports = ["not a name"]', "imports must be a list of top-level import names"),
        ("colour = 1", "unknown setting 'colour'"),
    ],
)
def test_a_bad_candidate_table_is_bad_input(
    make_candidate, toy_golden: Path, cli, table: str, message: str
) -> None:
    with open(toy_golden / "exercise.toml", "a", encoding="utf-8") as config:
        config.write(f"\n[candidate]\n{table}\n")
    result = cli("run", make_candidate(), "--golden", toy_golden, "--no-mutation")
    assert result.code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_test_folders_that_are_packages_work_as_under_plain_pytest(
    make_candidate, toy_golden: Path, cli
) -> None:
    # tests/__init__.py and a helper imported as tests.helper, in the golden tests and in the
    # candidate's: both import as they would under `python -m pytest` from the repository root.
    helper = {"tests/__init__.py": "", "tests/helper.py": "def bulk():\n    return 9.0\n"}
    use = "from tests.helper import bulk\nfrom toy import price\n\n\ndef test_bulk():\n"
    use += "    assert price(10, 1.0) == bulk()\n"
    write_files(toy_golden, {**helper, "tests/test_bulk.py": use})
    candidate = make_candidate(
        {"toy.py": TOY_CLEAN, **helper, "tests/test_mine.py": use + OWN_TEST}
    )

    result = cli("run", candidate, "--golden", toy_golden, "--differential-examples", "10")

    assert result.code == 0, result.stdout + result.stderr
    golden = {t["id"]: t["outcome"] for t in result.report["golden"]["tests"]}
    assert golden["tests/test_bulk.py::test_bulk"] == "passed"
    own = result.report["mutation"]["candidate_tests"]
    assert own is not None and own["killed"] > 0
