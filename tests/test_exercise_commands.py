"""`refactor-check exercise new | validate | starter`: scaffolding, fitness checks, export."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path

import pytest
import yaml

from refactor_check import _toml, suite
from refactor_check import exercise as exercise_mod
from refactor_check.authoring import (
    adequacy,
    recording_check,
    runs,
    scaffold,
    starter,
    summary,
    validate,
)
from refactor_check.authoring.model import State
from refactor_check.differential import probes
from refactor_check.differential.recording import Recording
from refactor_check.differential.surface import ATTRIBUTE, CLASS, FUNCTION, Surface, Target
from refactor_check.errors import BadInputError
from refactor_check.limits import Limits
from refactor_check.mutation import profiles
from refactor_check.results.mutation import Mutant, MutationScore

from .conftest import GOLDEN_REPOS, write_files
from .test_cli import assert_one_line_error

QUICK = validate.Options(mutation_profile="quick", sandbox="none")


# -- exercise new ---------------------------------------------------------------------------


def test_every_setting_has_a_line_of_help() -> None:
    assert set(scaffold.LIMIT_HELP) == {f.name for f in fields(Limits)}
    settings = {f.name for f in fields(profiles.MutationProfile)} - {"name"}
    assert set(scaffold.MUTATION_HELP) == settings


def test_the_scaffold_is_a_loadable_golden_repo(tmp_path: Path) -> None:
    root = scaffold.create("parcel-rates", tmp_path)
    assert root == tmp_path / "parcel-rates"
    loaded = exercise_mod.load(root)
    assert (loaded.name, loaded.package) == ("parcel-rates", "parcel_rates")
    assert (root / "original" / "parcel_rates" / "core.py").is_file()
    assert (root / "NOTES.md").read_text().startswith("# parcel-rates exercise")
    assert starter.settings(loaded).visible_tests == ("tests/test_visible_*.py",)


def test_every_commented_setting_is_a_valid_setting_with_its_default(tmp_path: Path) -> None:
    root = scaffold.create("demo", tmp_path, package="demo_pkg")
    text = (root / "exercise.toml").read_text()
    # Uncomment each "# key = value  # help" line inside [limits], [mutation] and [starter].
    setting = re.compile(r"^# (\w+ = .+?)(\s+# .*)?$")
    uncommented = "\n".join(
        setting.sub(r"\1", line) if setting.match(line) else line for line in text.splitlines()
    )
    config = _toml.loads(uncommented)
    assert set(config["limits"]) == {f.name for f in fields(Limits)}
    for key, value in config["limits"].items():
        assert value == getattr(Limits(), key)
    (root / "exercise.toml").write_text(uncommented)
    loaded = exercise_mod.load(root)  # every [limits] value is accepted
    profile = profiles.for_exercise(loaded.sections["mutation"])
    assert profile == profiles.load(profiles.DEFAULT_PROFILE)
    assert starter.settings(loaded).tool_spec is not None


@pytest.mark.parametrize(
    ("name", "package", "message"),
    [
        ("Bad Name", None, "must be 1-50 lower-case letters"),
        ("tests", None, "would shadow the test machinery"),
        ("ok-name", "not-valid", "not a valid Python import name"),
    ],
)
def test_bad_names_are_bad_input(tmp_path: Path, name: str, package: str | None, message: str):
    with pytest.raises(BadInputError, match=message):
        scaffold.create(name, tmp_path, package)


def test_new_refuses_to_overwrite(cli, tmp_path: Path) -> None:
    first = cli("exercise", "new", "demo", "--dir", tmp_path)
    assert first.code == 0 and f"created {tmp_path / 'demo'}" in first.stdout
    again = cli("exercise", "new", "demo", "--dir", tmp_path)
    assert_one_line_error(again, 2, "already exists")
    missing = cli("exercise", "new", "demo", "--dir", tmp_path / "nowhere")
    assert_one_line_error(missing, 2, "does not exist")


def test_a_fresh_scaffold_validates_as_fit_through_the_cli(cli, tmp_path: Path) -> None:
    cli("exercise", "new", "demo", "--dir", tmp_path)
    result = cli(
        "exercise", "validate", tmp_path / "demo", "--mutation-profile", "quick", "--json", "-q"
    )
    assert result.code == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["fit"] is True and data["reasons"] == []
    states = {c["name"]: c["state"] for c in data["checks"]}
    assert states == {
        "original": "passed",
        "dependencies": "passed",
        "golden_runs": "passed",
        "determinism": "passed",
        "mutation": "passed",
        "differential_probes": "passed",  # its golden tests kill every mutant
        "starter": "passed",
        "differential_recording": "passed",
        "task_text": "failed",  # the scaffold's description still says TODO: a warning only
    }
    mutation = next(c for c in data["checks"] if c["name"] == "mutation")
    assert mutation["score"] >= mutation["target"] == 0.85
    assert data["runs"] == ["1", "2", "3", "reversed"]
    assert all(c["seconds"] >= 0 for c in data["checks"])


# -- exercise validate: judging runs --------------------------------------------------------


def outcome(*results: tuple[str, str]) -> suite.SuiteOutcome:
    return suite.SuiteOutcome(
        tests=tuple(suite.TestResult(i, o, "boom" if o == "failed" else None) for i, o in results),
        processes=1,
    )


def test_runs_pass_when_every_test_passes_every_time() -> None:
    seen = [outcome(("t::a", "passed"), ("t::b", "skipped"))] * 3
    check = runs.judge_runs(seen)
    assert check.state is State.PASSED and check.reasons == ()
    assert "all 2 golden tests" in check.summary


def test_a_test_failing_once_is_named_flaky_and_one_failing_always_is_broken() -> None:
    seen = [
        outcome(("t::a", "passed"), ("t::b", "failed")),
        outcome(("t::a", "failed"), ("t::b", "failed")),
        outcome(("t::a", "passed"), ("t::b", "failed")),
    ]
    check = runs.judge_runs(seen)
    assert check.state is State.FAILED
    assert check.reasons == (
        "t::a is flaky: it did not pass in run 2 of 3 (failed: boom)",
        "t::b fails on the original (failed: boom)",
    )


def test_determinism_names_flaky_and_order_dependent_tests() -> None:
    seen = [
        outcome(("t::a", "passed"), ("t::b", "passed"), ("t::c", "passed")),
        outcome(("t::a", "failed"), ("t::b", "passed"), ("t::c", "passed")),
    ]
    reversed_run = outcome(("t::a", "passed"), ("t::b", "failed"), ("t::c", "passed"))
    check = runs.judge_determinism(seen, reversed_run)
    assert check.state is State.FAILED
    assert check.reasons == (
        "t::a is flaky: passed, failed in 2 identical runs",
        "t::b depends on test order: passed in collection order, failed in reversed order: boom",
    )
    assert [t.outcomes for t in check.tests] == [
        ("passed", "failed", "passed"),
        ("passed", "passed", "failed"),
        ("passed", "passed", "passed"),
    ]
    assert "PYTHONHASHSEED" in check.summary  # the seed is said not to vary, never implied


def score(statuses: list[str], note: str | None = None) -> MutationScore:
    mutants = tuple(
        Mutant(f"m.f__mutmut_{i}", "m.py", "m.f", 3, s, f"-a\n+b{i}")
        for i, s in enumerate(statuses)
    )
    detected = sum(s in ("killed", "timeout") for s in statuses)
    return MutationScore(
        killed=statuses.count("killed"),
        survived=statuses.count("survived"),
        timeout=statuses.count("timeout"),
        no_tests=statuses.count("no_tests"),
        suspicious=0,
        not_checked=statuses.count("not_checked"),
        total=len(statuses),
        score=round(detected / max(1, len(statuses) - statuses.count("not_checked")), 4),
        mutants=mutants,
        source_files=(),
        note=note,
    )


def test_adequacy_below_the_target_fails_and_lists_every_escaping_mutant() -> None:
    profile = profiles.load("default")
    check = adequacy.judge_mutation(score(["killed"] * 8 + ["survived", "no_tests"]), profile)
    assert check.state is State.FAILED
    assert (check.score, check.target) == (0.8, 0.85)
    assert [(s.status, s.diff) for s in check.survivors] == [
        ("survived", "-a\n+b8"),
        ("no_tests", "-a\n+b9"),
    ]
    assert check.reasons[0].startswith("80.0% is below the target 85%: 2 mutants escape")
    passing = adequacy.judge_mutation(score(["killed"] * 9 + ["timeout"]), profile)
    assert passing.state is State.PASSED and passing.survivors == ()


def test_a_partial_mutation_run_is_not_enough() -> None:
    partial = score(["killed"] * 9 + ["not_checked"], note="the mutation run hit its time limit")
    check = adequacy.judge_mutation(partial, profiles.load("default"))
    assert check.state is State.FAILED
    assert check.reasons == ("the mutation run hit its time limit",)


# -- exercise validate: real runs on small golden repos -------------------------------------


def test_a_flaky_golden_test_is_named(toy_golden: Path, tmp_path: Path) -> None:
    # Fails on its second run only: it counts its runs in a file outside the sandbox,
    # which is why this test runs without bwrap.
    counter = tmp_path / "runs"
    write_files(
        toy_golden,
        {
            "tests/test_flaky.py": f"""
                from pathlib import Path

                def test_second_run_fails():
                    counter = Path({str(counter)!r})
                    runs = int(counter.read_text()) + 1 if counter.exists() else 1
                    counter.write_text(str(runs))
                    assert runs != 2
            """
        },
    )
    result = validate.validate(toy_golden, validate.Options(mutation=False, sandbox="none"))
    checks = {c.name: c for c in result.checks}
    golden = checks["golden_runs"]
    assert (golden.name, golden.state) == ("golden_runs", State.FAILED)
    assert golden.reasons == (
        "tests/test_flaky.py::test_second_run_fails is flaky: it did not pass in run 2 of 3 "
        "(failed: assert 2 != 2)",
    )
    determinism = checks["determinism"]
    assert determinism.reasons == (
        "tests/test_flaky.py::test_second_run_fails is flaky: passed, failed, passed in 3 "
        "identical runs",
    )
    assert not result.fit


def test_an_order_dependent_test_is_caught_by_the_reversed_run(toy_golden: Path) -> None:
    write_files(
        toy_golden,
        {
            "tests/test_order.py": """
                seen = []

                def test_first():
                    seen.append(1)

                def test_second_needs_the_first():
                    assert seen == [1]
            """,
            # The exercise's own ordering hook stays in force; the reversal comes after it.
            "tests/conftest.py": """
                def pytest_collection_modifyitems(items):
                    items.sort(key=lambda item: item.name)
            """,
        },
    )
    result = validate.validate(toy_golden, validate.Options(mutation=False, sandbox="none"))
    by_name = {c.name: c for c in result.checks}
    assert by_name["golden_runs"].state is State.PASSED
    (reason,) = by_name["determinism"].reasons
    assert reason == (
        "tests/test_order.py::test_second_needs_the_first depends on test order: passed in "
        "collection order, failed in reversed order: assert [] == [1]"
    )
    assert result.runs == ("1", "2", "3", "reversed")
    assert f"determinism: {reason}" in result.reasons


def test_a_golden_suite_failing_on_the_original_skips_mutation(toy_golden: Path, cli) -> None:
    write_files(toy_golden, {"tests/test_wrong.py": "def test_wrong():\n    assert 1 == 2\n"})
    result = cli("exercise", "validate", toy_golden, "--sandbox", "none", "-q")
    assert result.code == 1
    assert "tests/test_wrong.py::test_wrong fails on the original" in result.stdout
    assert re.search(
        r"^  mutation +skipped +- +not run: the golden suite does not pass", result.stdout, re.M
    )
    assert "fit to hand out: NO (toy)" in result.stdout


def test_a_declared_dependency_missing_here_makes_the_exercise_unfit(toy_golden: Path, cli) -> None:
    with open(toy_golden / "exercise.toml", "a", encoding="utf-8") as config:
        config.write('\n[candidate]\ndependencies = ["refactor-check-nowhere-installed"]\n')
    result = cli("exercise", "validate", toy_golden, "--no-mutation", "--json", "-q")
    assert result.code == 1, result.stdout + result.stderr
    data = json.loads(result.stdout)
    check = next(c for c in data["checks"] if c["name"] == "dependencies")
    assert check["state"] == "failed"
    assert any("refactor-check-nowhere-installed is declared" in r for r in check["reasons"])
    assert data["fit"] is False


def test_an_import_of_the_originals_that_is_not_declared_is_a_warning(
    toy_golden: Path, cli
) -> None:
    original = toy_golden / "original" / "toy.py"
    original.write_text("import click  # the author's habit\n" + original.read_text())
    result = cli("exercise", "validate", toy_golden, "--no-mutation", "--json", "-q")
    data = json.loads(result.stdout)
    check = next(c for c in data["checks"] if c["name"] == "dependencies")
    assert check["state"] == "passed"
    assert check["warnings"] == [
        "toy.py:1: original/toy.py imports click, which [candidate] dependencies does not declare"
    ]
    # And indeed the golden tests cannot import it: the run sees only what is declared.
    golden = next(c for c in data["checks"] if c["name"] == "golden_runs")
    assert golden["state"] == "failed"


def test_weak_golden_tests_fail_adequacy_with_their_survivors(toy_golden: Path) -> None:
    (toy_golden / "tests" / "test_toy.py").write_text(
        "from toy import price\n\ndef test_price():\n    assert price(1, 2.0) == 2.0\n"
    )
    result = validate.validate(toy_golden, QUICK)
    mutation = next(c for c in result.checks if c.name == "mutation")
    assert mutation.state is State.FAILED
    assert mutation.score is not None and mutation.score < 0.85
    assert {s.function for s in mutation.survivors} >= {"toy.price", "toy.Counter.bump"}
    assert all(s.diff.startswith("--- toy.py") for s in mutation.survivors)
    text = "\n".join(summary.render(result))
    assert f"mutants the golden tests miss ({len(mutation.survivors)}):" in text
    assert "fit to hand out: NO" in text


def test_validate_bad_input_is_one_line(cli, tmp_path: Path, toy_golden: Path) -> None:
    assert_one_line_error(cli("exercise", "validate", tmp_path / "nope"), 2, "does not exist")
    with open(toy_golden / "exercise.toml", "a") as config:
        config.write('[starter]\nvisible_tests = "tests/*.py"\n')
    assert_one_line_error(
        cli("exercise", "validate", toy_golden), 2, "visible_tests must be a list"
    )


# -- exercise validate: recording for differential testing ----------------------------------


def toy_surface(*targets: tuple[str, str]) -> Surface:
    return Surface("p", tuple(Target(path, kind, path) for path, kind in targets), has_all=False)


def test_recording_counts_calls_per_target_and_warns_of_the_uncalled() -> None:
    public = toy_surface(("p.C", CLASS), ("p.K", ATTRIBUTE), ("p.f", FUNCTION), ("p.g", FUNCTION))
    recorded = Recording(
        programs=(), calls=6, calls_by_target={"p.f": 3, "p.C": 1, "p.C.add": 2, "p.Cx": 5}
    )
    check = recording_check.judge_recording(public, recorded)
    assert check.state is State.PASSED and check.reasons == ()
    # A class counts its constructor and its methods; a constant is never called.
    assert check.calls_per_target == (("p.C", 3), ("p.f", 3), ("p.g", 0))
    assert check.warnings == (
        "no golden test calls p.g: differential testing has only generated inputs for it",
    )
    assert check.summary.startswith("6 calls recorded for 2 of 3 public functions and classes")
    text = "\n".join(summary.render(validation_of(check)))
    assert "calls recorded: p.C 3, p.f 3, p.g 0" in text
    assert "warning: no golden test calls p.g" in text


def test_a_failed_recording_fails_the_check() -> None:
    public = toy_surface(("p.f", FUNCTION))
    partial = Recording(calls=2, calls_by_target={"p.f": 2}, note="the recording run ended early")
    check = recording_check.judge_recording(public, partial)
    assert check.state is State.FAILED and check.blocking
    assert check.reasons == ("the recording failed: the recording run ended early",)


def validation_of(check) -> validate.Validation:
    return validate.Validation("x", "p", "x", "default", "none", (), (check,))


def test_golden_tests_that_never_call_the_package_record_nothing(toy_golden: Path) -> None:
    (toy_golden / "tests" / "test_toy.py").write_text(
        "import toy\n\ndef test_the_module_has_a_name():\n    assert toy.__name__ == 'toy'\n"
    )
    result = validate.validate(toy_golden, validate.Options(mutation=False))
    check = next(c for c in result.checks if c.name == "differential_recording")
    assert check.state is State.FAILED
    assert check.reasons == (
        "the golden tests made no recorded call of the public surface: differential testing "
        "would have no recorded behaviour to replay or vary",
    )
    assert check.calls_per_target == (("toy.Counter", 0), ("toy.price", 0))
    assert len(check.warnings) == 2
    assert any(
        r.startswith("differential_recording: the golden tests made no") for r in result.reasons
    )


def test_a_real_recording_names_what_the_golden_tests_call(toy_golden: Path, cli) -> None:
    result = cli("exercise", "validate", toy_golden, "--no-mutation", "--json", "-q")
    data = json.loads(result.stdout)
    check = next(c for c in data["checks"] if c["name"] == "differential_recording")
    assert check["state"] == "passed", check
    counts = dict(check["calls_per_target"])
    assert set(counts) == {"toy.Counter", "toy.price"} and all(counts.values())
    assert check["warnings"] == []
    # Only mutation (skipped) keeps the exercise from being fit.
    assert data["reasons"] == ["mutation: not run: --no-mutation was given"]


_ROOM_GOLDEN = {
    "exercise.toml": '[exercise]\nname = "room"\npackage = "room"\n',
    "original/room.py": (
        "class Room:\n"
        "    def __init__(self, clock):\n"
        "        self.clock = clock\n"
        "\n"
        "    def age(self, since):\n"
        "        return self.clock() - since\n"
    ),
    "tests/test_room.py": (
        "from room import Room\n"
        "\n"
        "\n"
        "class Clock:\n"
        "    now = 5.0\n"
        "\n"
        "    def __call__(self):\n"
        "        return self.now\n"
        "\n"
        "\n"
        "def test_keeps_its_clock():\n"
        "    clock = Clock()\n"
        "    assert Room(clock).clock is clock\n"
        "\n"
        "\n"
        "def test_age():\n"
        "    assert Room(Clock()).age(2.0) == 3.0\n"
    ),
}


def test_a_golden_test_only_the_recorder_fails_is_named_and_the_recording_kept(
    tmp_path: Path,
) -> None:
    """A test that checks the package keeps the tests' own object fails under the recorder
    (which hands the package a stand-in): named, with why, as a warning; not a failed
    recording, and cached like any recording that ran to the end."""
    golden = write_files(tmp_path / "room", _ROOM_GOLDEN)
    result = validate.validate(golden, validate.Options(mutation=False, sandbox="none"))
    check = next(c for c in result.checks if c.name == "differential_recording")
    assert check.state is State.PASSED, check
    (warning,) = check.warnings
    assert warning.startswith("tests/test_room.py::test_keeps_its_clock (assert ")
    assert "stand-in for each object of the tests" in warning
    assert dict(check.calls_per_target)["room.Room"] > 0
    again = validate.validate(golden, validate.Options(mutation=False, sandbox="none"))
    check = next(c for c in again.checks if c.name == "differential_recording")
    assert check.summary.endswith("(cached)") and check.warnings == (warning,)


@pytest.mark.parametrize("name", ["invoice", "ratelimit", "logreport", "timesheet", "stockroom"])
def test_builtin_exercises_pass_every_check_but_the_skipped_mutation(name: str) -> None:
    # Mutation adequacy of the real exercises takes minutes; it is checked by hand (see
    # docs/authoring.md) and on the small repos above.
    result = validate.validate(GOLDEN_REPOS / name, validate.Options(mutation=False))
    states = {c.name: c.state for c in result.checks}
    assert states.pop("mutation") is State.SKIPPED
    assert states.pop("differential_probes") is State.SKIPPED  # needs the mutation score
    assert set(states.values()) == {State.PASSED}
    assert result.reasons == ("mutation: not run: --no-mutation was given",)
    determinism = next(c for c in result.checks if c.name == "determinism")
    assert 25 <= len(determinism.tests) <= 40
    # Every public function and class of a built-in exercise is called by its golden tests.
    recorded = next(c for c in result.checks if c.name == "differential_recording")
    assert len(recorded.calls_per_target) >= 2 and recorded.warnings == ()
    assert all(count > 0 for _, count in recorded.calls_per_target), recorded.calls_per_target


# -- exercise starter -----------------------------------------------------------------------


def with_starter_table(golden: Path, table: str) -> Path:
    with open(golden / "exercise.toml", "a", encoding="utf-8") as config:
        config.write(f"\n[starter]\n{table}\n")
    return golden


def test_the_starter_holds_exactly_what_a_candidate_needs(toy_golden: Path, tmp_path: Path):
    write_files(
        toy_golden,
        {
            "shown/test_shown.py": "from toy import price\n\n"
            "def test_p():\n    assert price(2, 1.0) == 2.0\n"
        },
    )
    with_starter_table(
        toy_golden, 'visible_tests = ["shown/*.py"]\ntool_spec = "refactor-check==0.1.0"'
    )
    repo = starter.export_dir(toy_golden, tmp_path / "out")
    assert repo.files == (
        ".github/workflows/refactor-check.yml",
        ".gitignore",
        ".refactor-check.toml",
        ".refactor-check/practice/exercise.toml",
        ".refactor-check/practice/original/toy.py",
        ".refactor-check/practice/tests/test_shown.py",
        "README.md",
        "tests/test_shown.py",
        "toy.py",
    )
    out = repo.root
    assert (out / "toy.py").read_bytes() == (toy_golden / "original" / "toy.py").read_bytes()
    assert _toml.loads((out / ".refactor-check.toml").read_text()) == {"exercise": "toy"}
    assert repo.notes == ("the exercise has no description: the README carries no task text",)
    practice = exercise_mod.load(out / ".refactor-check" / "practice")
    assert (practice.name, practice.package) == ("toy-practice", "toy")


def test_the_workflow_runs_refactor_check_against_the_practice_repo(
    toy_golden: Path, tmp_path: Path
) -> None:
    with_starter_table(toy_golden, 'tool_spec = "refactor-check @ git+https://example.org/rc@v1"')
    out = starter.export_dir(toy_golden, tmp_path / "out").root
    spec = yaml.safe_load((out / starter.WORKFLOW).read_text())
    triggers = spec.get("on", spec.get(True))  # YAML 1.1 reads a bare `on` as true
    assert {"push", "pull_request"} <= set(triggers)
    assert spec["permissions"] == {"contents": "read"}
    assert "'refactor-check @ git+https://example.org/rc@v1'" in spec["env"]["REFACTOR_CHECK_SPEC"]
    steps = spec["jobs"]["refactor-check"]["steps"]
    commands = [s["run"] for s in steps if "run" in s]
    assert any('pip install "$REFACTOR_CHECK_SPEC"' in r for r in commands)
    assert (
        "refactor-check run submission --golden submission/.refactor-check/practice "
        '--out "$REPORT_DIR"' in commands
    )
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["if"] == "always()"
    # Nothing secret is handed to a workflow the candidate can edit.
    assert "secrets." not in (out / starter.WORKFLOW).read_text()


def test_without_visible_tests_the_practice_check_imports_the_package(
    toy_golden: Path, tmp_path: Path, cli
) -> None:
    repo = starter.export_dir(toy_golden, tmp_path / "out")
    assert not any(f.startswith("tests/") for f in repo.files)
    assert ".refactor-check/practice/tests/test_package_imports.py" in repo.files
    assert any("no visible tests" in note for note in repo.notes)
    # A candidate who changes nothing passes their own practice check.
    result = cli("run", repo.root, "--golden", repo.root / starter.PRACTICE, "--no-mutation")
    assert result.code == 0, result.stdout + result.stderr
    assert result.report["golden"]["total"] == 1


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('visible_tests = ["tests/nothing_*.py"]', "matches no file"),
        ('visible_tests = ["../toy/tests/*.py"]', "must be relative to the golden repo"),
        ('visible_tests = ["original/*.py"]', "matches no file"),
        ('visible_tests = ["exercise.toml"]', "matches no file"),
        ('tool_spec = "x\\" && curl evil"', "tool_spec must be one line"),
        ("colour = 1", "unknown setting 'colour'"),
    ],
)
def test_bad_starter_settings_are_bad_input(
    toy_golden: Path, tmp_path: Path, table: str, message: str
) -> None:
    with_starter_table(toy_golden, table)
    with pytest.raises(BadInputError, match=message):
        starter.export_dir(toy_golden, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_links_are_never_exported(toy_golden: Path, tmp_path: Path) -> None:
    (toy_golden / "shown").mkdir()
    (toy_golden / "shown" / "test_link.py").symlink_to(toy_golden / "tests" / "test_toy.py")
    with_starter_table(toy_golden, 'visible_tests = ["shown/*.py"]')
    with pytest.raises(BadInputError, match="matches no file"):
        starter.export_dir(toy_golden, tmp_path / "out")


def test_starter_refuses_an_output_it_would_clobber(cli, toy_golden: Path, tmp_path: Path):
    write_files(tmp_path / "full", {"keep.txt": "mine"})
    assert_one_line_error(
        cli("exercise", "starter", toy_golden, tmp_path / "full"), 2, "not an empty directory"
    )
    assert_one_line_error(
        cli("exercise", "starter", toy_golden, toy_golden / "starter"), 2, "overlaps the golden"
    )
    ok = cli("exercise", "starter", toy_golden, tmp_path / "new")
    assert ok.code == 0 and "starter repo written to" in ok.stdout and "note:" in ok.stdout


# -- the starter leaks nothing hidden -------------------------------------------------------


def hidden_needles(golden: Path, visible: set[Path]) -> set[str]:
    """Lines and expected values of the hidden golden tests that nothing shown contains.

    Shown: the original package and the visible tests. What they contain is no leak (the
    candidate gets it anyway), so only the rest is searched for.
    """
    shown = "\n".join(
        p.read_text(encoding="utf-8") for p in [*(golden / "original").rglob("*.py"), *visible]
    )
    needles: set[str] = set()
    for path in (golden / "tests").rglob("*.py"):
        if path in visible:
            continue
        text = path.read_text(encoding="utf-8")
        needles.update(line.strip() for line in text.splitlines() if len(line.strip()) >= 16)
        for literal in re.findall(r'"([^"\n]{6,})"', text):
            needles.add(literal)
        for number in re.findall(r"(?<![\w.])\d+\.\d+(?![\w.])", text):
            if len(number) >= 4:
                needles.add(number)
    return {n for n in needles if n not in shown}


def leaks(out: Path, needles: set[str]) -> list[tuple[str, str]]:
    found = []
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        for needle in needles:
            if re.fullmatch(r"[\d.]+", needle):
                hit = re.search(rf"(?<![\w.]){re.escape(needle)}(?![\w.])", text)
            else:
                hit = needle in text
            if hit:
                found.append((path.relative_to(out).as_posix(), needle))
    return found


@pytest.mark.parametrize("name", ["invoice", "ratelimit", "logreport", "timesheet", "stockroom"])
def test_no_hidden_test_or_expectation_leaks_into_the_starter(name: str, tmp_path: Path):
    golden = GOLDEN_REPOS / name
    loaded = exercise_mod.load(golden)
    visible = {t.source for t in starter.visible_tests(loaded, starter.settings(loaded))}
    assert visible, f"{name} shows no visible tests: the export of visible tests is not covered"
    repo = starter.export(loaded, tmp_path / "starter")
    exported_tests = {f for f in repo.files if f.startswith("tests/")}
    assert len(exported_tests) == len(visible)
    hidden_tests = [p for p in (golden / "tests").rglob("test_*.py") if p not in visible]
    assert hidden_tests
    exported = {p.read_bytes() for p in repo.root.rglob("*") if p.is_file()}
    assert not exported & {p.read_bytes() for p in hidden_tests}
    assert not any("NOTES" in f for f in repo.files)
    # The shipped probes name the mutants the hidden tests miss: they stay in the golden repo.
    assert (golden / probes.PROBES_FILE).is_file()
    assert not any(probes.PROBES_FILE in f for f in repo.files)
    assert [f for f in repo.files if f.endswith("exercise.toml")] == [
        f"{starter.PRACTICE}/exercise.toml"
    ]
    needles = hidden_needles(golden, visible)
    assert len(needles) > 100  # the scan has something to look for
    assert leaks(repo.root, needles) == []


def test_the_leak_scan_finds_a_planted_expectation(tmp_path: Path) -> None:
    golden = GOLDEN_REPOS / "ratelimit"
    loaded = exercise_mod.load(golden)
    repo = starter.export(loaded, tmp_path / "starter")
    needles = hidden_needles(
        golden, {t.source for t in starter.visible_tests(loaded, starter.settings(loaded))}
    )
    with open(repo.root / "README.md", "a", encoding="utf-8") as readme:
        readme.write("Hint: x banned for 60s at 1003.0 and a retry_after of 47.8\n")
    found = {needle for _, needle in leaks(repo.root, needles)}
    assert {"x banned for 60s at 1003.0", "47.8"} <= found
