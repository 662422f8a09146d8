"""The candidate's git history, end to end through the CLI on real repositories.

The example repositories are built by ``examples/history/build.py`` (commits made with
dulwich, fixed dates, no network): one that pins behaviour first and refactors in green
steps, a big-bang rewrite with tests last, one whose middle commit breaks two golden tests
and whose next commit repairs them, and a plain folder without history. Each is read by
``refactor-check history`` (no mutation testing: seconds) and checked fact by fact against
the commits the builder made.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dulwich.repo import Repo

from refactor_check import scorecard
from refactor_check.history import facts
from refactor_check.history.model import (
    DIFFERENT,
    SAME,
    Commit,
    Facts,
    History,
    Step,
    StepOutcome,
    Touched,
)
from refactor_check.verdict import PRESERVED, Verdict

from .conftest import REPO, TOY_CLEAN, CliResult, history_builder

BUILD = history_builder()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    built: dict[str, Path] = BUILD.build(tmp_path_factory.mktemp("histories") / "examples")
    return built


def commits(repository: Path) -> list[str]:
    """The repository's commit ids, oldest first (the starter is the first)."""
    repo = Repo(str(repository))
    return [entry.commit.id.decode() for entry in repo.get_walker()][::-1]


def history(cli, directory: Path, *args: str | Path) -> tuple[CliResult, dict]:
    result = cli("history", directory, "--format", "json", *args)
    assert result.code == 0, result.stderr
    return result, json.loads(result.stdout)


def test_pinned_first_and_green_steps(cli, built: dict[str, Path]) -> None:
    shas = commits(built["pinned_first"])
    _, block = history(cli, built["pinned_first"])
    assert block["available"] and block["starter"] == shas[0]
    assert block["starter_how"] == "content"
    assert [c["sha"] for c in block["commits"]] == shas[1:]
    pinned = block["facts"]["pinned_first"]
    # The characterization tests were committed while the package was the original's.
    assert pinned["commit"] == shas[1] and pinned["count"] == 16
    assert block["commits"][0]["holds_original"] and block["commits"][0]["touched"]["tests"] == [
        "tests/test_characterization.py"
    ]
    facts_ = block["facts"]
    assert facts_["first_package_change"] == shas[2]
    assert (facts_["green_commits"], facts_["judged_commits"]) == (3, 3)
    assert facts_["breaks"] == []
    assert all(c["golden"] == {"passed": 33, "total": 33, "failing": []} for c in block["commits"])
    assert all(c["own_tests"]["passed"] == 16 for c in block["commits"])
    # Each refactoring step was compared call by call with the original.
    assert [c["behaviour"] for c in block["commits"]] == [SAME] * 4
    lines = [c["package_lines"] for c in block["commits"]]
    assert facts_["largest_change"] == {"commit": shas[4], "package_lines": max(lines)}


def test_a_big_bang_rewrite_is_not_pinned_first(cli, built: dict[str, Path]) -> None:
    shas = commits(built["big_bang"])
    _, block = history(cli, built["big_bang"])
    facts_ = block["facts"]
    assert facts_["pinned_first"] is None
    assert facts_["pinned_note"] == "the first commit after the starter already changed the package"
    rewrite, tests = block["commits"]
    assert rewrite["sha"] == shas[1] and rewrite["own_tests"] is None  # no tests yet
    assert tests["own_tests"]["total"] == 12 and tests["touched"]["package_files"] == 0
    assert facts_["largest_change"]["commit"] == shas[1]
    assert rewrite["touched"]["package_files"] == 8


def test_a_break_and_its_repair_are_named(cli, built: dict[str, Path]) -> None:
    shas = commits(built["breaks_then_repairs"])
    _, block = history(cli, built["breaks_then_repairs"])
    facts_ = block["facts"]
    assert len(facts_["breaks"]) == 1
    broke = facts_["breaks"][0]
    assert broke["commit"] == shas[2] and broke["repaired_by"] == shas[3]
    assert (
        "tests/test_buckets.py::test_retry_after_is_rounded_up_to_tenths_of_a_second"
        in (broke["what"])
    )
    middle = block["commits"][1]
    assert middle["golden"]["passed"] == 31 and not middle["green"]
    assert (facts_["green_commits"], facts_["judged_commits"]) == (1, 2)


def test_the_timeline_as_text(cli, built: dict[str, Path]) -> None:
    shas = commits(built["breaks_then_repairs"])
    result = cli("history", built["breaks_then_repairs"])
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("history: 3 commit(s) after the starter; pinned first: 16 test(s)")
    assert f"broke at {shas[2][:8]}, repaired by {shas[3][:8]}" in lines[0]
    row = next(line for line in lines if line.strip().startswith(shas[2][:8]))
    assert "Split the limiter into modules" in row and "31/33" in row and row.endswith("RED")


def test_no_history_grades_as_before(cli, built: dict[str, Path]) -> None:
    _, block = history(cli, built["no_history"])
    assert block == {"available": False, "why": "the submission is not a git repository"}


def test_since_names_the_starter(cli, built: dict[str, Path]) -> None:
    shas = commits(built["pinned_first"])
    _, block = history(cli, built["pinned_first"], "--since", shas[2])
    assert block["starter"] == shas[2] and block["starter_how"] == "since"
    assert [c["sha"] for c in block["commits"]] == shas[3:]
    _, unknown = history(cli, built["pinned_first"], "--since", "no-such-ref")
    assert not unknown["available"] and "--since no-such-ref" in unknown["why"]


def test_a_submission_inside_a_larger_repository(cli, tmp_path: Path) -> None:
    steps = [
        (message, {f"sub/{path}": data for path, data in files.items()})
        for message, files in BUILD.pinned_first()[:3]
    ]
    BUILD.commit_all(tmp_path / "mono", steps)
    _, block = history(
        cli, tmp_path / "mono" / "sub", "--history", tmp_path / "mono", "--exercise", "ratelimit"
    )
    assert block["available"] and len(block["commits"]) == 2
    assert block["facts"]["pinned_first"]["count"] == 16
    # A --history that does not hold the submission is bad input: one line, exit 2.
    result = cli("history", tmp_path / "mono" / "sub", "--history", tmp_path)
    assert result.code == 2
    assert result.stderr.strip().splitlines()[-1] == (
        f"refactor-check: error: --history {tmp_path}: not a git repository (no .git directory)"
    )


def test_run_reports_the_history_everywhere(cli, built: dict[str, Path]) -> None:
    result = cli(
        "run", built["breaks_then_repairs"], "--no-mutation", "--differential-examples", "0"
    )
    assert result.code == 0, result.stdout + result.stderr
    report = result.report
    assert report["history"]["facts"]["breaks"][0]["repaired_by"] is not None
    line = next(x for x in result.stdout.splitlines() if x.startswith("history: "))
    assert "pinned first: 16 test(s)" in line and "broke at" in line
    summary = (result.out / "summary.md").read_text(encoding="utf-8")
    assert "**History** 3 commit(s) after the starter; pinned first" in summary
    verification = next(d for d in report["scorecard"]["dimensions"] if d["name"] == "verification")
    figures = {f["name"]: f["value"] for f in verification["figures"]}
    assert figures["history_pinned_tests"] == 16 and figures["history_green_share"] == 0.5
    assert report["timing"]["history"] > 0


# Units: the facts and the scorecard's use of them ------------------------------------------


def _commit(n: int, original: bool = False, lines: int = 10) -> Commit:
    touched = Touched((), (), (), 1, 0, 0)
    return Commit(f"{n:040x}", f"c{n}", n, False, original, touched, lines, f"{n:040x}", None)


GREEN = StepOutcome(golden_passed=3, golden_total=3, behaviour=SAME)
RED_CALLS = StepOutcome(
    golden_passed=3, golden_total=3, behaviour=DIFFERENT, behaviour_evidence="f(0) differs"
)


def test_a_break_never_repaired_and_a_difference_only_calls_see() -> None:
    steps = [Step(_commit(1), GREEN), Step(_commit(2), RED_CALLS), Step(_commit(3), RED_CALLS)]
    derived = facts.derive(steps)
    assert derived.breaks[0].commit == f"{2:040x}" and derived.breaks[0].repaired_by is None
    assert "a recorded call behaves differently: f(0) differs" in derived.breaks[0].what
    assert derived.green_share == round(1 / 3, 3) and derived.pinned_first is None


def test_their_failing_tests_make_a_commit_red() -> None:
    failing = StepOutcome(
        golden_passed=3, golden_total=3, own_passed=1, own_total=2, own_failing=("t::x",)
    )
    assert failing.golden_green and failing.own_green is False and not failing.green
    derived = facts.derive([Step(_commit(1, original=True), GREEN), Step(_commit(2), failing)])
    assert derived.breaks[0].what == "1 of their tests fail (t::x)"
    assert (
        derived.pinned_note == "no test of theirs passed on the original before the package changed"
    )


def _verification(history: History | None, threshold: float) -> scorecard.Dimension:
    rules = scorecard.settings_from(
        {"verification": {"level_2": {"history_green_share_min": threshold}}}
    )
    verdict = Verdict(PRESERVED, "ok", ())
    card = scorecard.compute(rules, verdict, [], 1, history)
    return card.dimension(scorecard.VERIFICATION)


def test_a_history_threshold_holds_only_a_history_that_was_read() -> None:
    read = History(
        why=None,
        facts=Facts(
            first_package_change=None,
            pinned_first=None,
            pinned_note="x",
            green_commits=1,
            judged_commits=2,
            breaks=(),
            largest_change=None,
        ),
    )
    held = _verification(read, 0.9)
    check = held.levels[0].thresholds
    assert any(t.figure == "history_green_share" and t.met is False for t in check)
    # Without a history the threshold is left out: lacking one is never a penalty.
    absent = _verification(History(why="not a git repository"), 0.9)
    assert all(t.figure != "history_green_share" for t in absent.levels[0].thresholds)
    figure = next(f for f in absent.figures if f.name == "history_green_share")
    assert figure.value is None and figure.note == "not a git repository"


# The tests pinned first, scored against the original's mutants (a full run, small exercise) --


_PINS = """
from toy import Counter, price


def test_ten_get_a_tenth_off():
    assert price(10, 1.0) == 9.0
    assert price(9, 1.0) == 9.0


def test_counts_up():
    assert Counter().bump(3) == 3
"""


def test_the_tests_pinned_first_are_scored_on_the_original(
    cli, toy_golden: Path, tmp_path: Path
) -> None:
    original = (toy_golden / "original" / "toy.py").read_bytes()
    refactored = TOY_CLEAN.encode()
    starter = {"toy.py": original}
    pinned = {**starter, "tests/test_pins.py": _PINS.encode()}
    steps = [("starter", starter), ("pin", pinned), ("refactor", {**pinned, "toy.py": refactored})]
    BUILD.commit_all(tmp_path / "toy_repo", steps)
    shas = commits(tmp_path / "toy_repo")
    result = cli(
        "run", tmp_path / "toy_repo", "--golden", toy_golden, "--differential-examples", "0"
    )
    assert result.code == 0, result.stdout + result.stderr
    report = result.report
    pinned_first = report["history"]["facts"]["pinned_first"]
    assert pinned_first["commit"] == shas[1] and pinned_first["count"] == 2
    # Scored by mutmut against the original, as the mutation check scores their last tests:
    # the same tests at HEAD, so the same mutants die.
    on_original = report["mutation"]["candidate_tests_on_original"]
    assert pinned_first["mutants_total"] == on_original["total"] - on_original["not_checked"]
    assert pinned_first["mutants_killed"] == on_original["killed"] + on_original["timeout"]
    assert 0 < pinned_first["mutants_killed"] < pinned_first["mutants_total"]
    line = next(x for x in result.stdout.splitlines() if x.startswith("history: "))
    killed, total = pinned_first["mutants_killed"], pinned_first["mutants_total"]
    assert f"{killed} of {total} of the original's mutants killed" in line


def test_the_checking_ceiling_says_what_it_cut(built: dict[str, Path], tmp_path: Path) -> None:
    from refactor_check import exercise, pipeline, settings, workspace
    from refactor_check.cache import Cache
    from refactor_check.candidate import load
    from refactor_check.checks import CheckContext
    from refactor_check.differential.settings import DifferentialSettings
    from refactor_check.history import stage
    from refactor_check.history.read import ReadLimits
    from refactor_check.isolation import probe
    from refactor_check.runner import Runner

    ratelimit = exercise.load(REPO / "golden_repos" / "ratelimit")
    original = pipeline._load_original(ratelimit)
    candidate = load(built["pinned_first"], ratelimit)
    with workspace.prepare() as ws:
        ctx = CheckContext(
            exercise=ratelimit,
            original=original,
            candidate=candidate,
            workspace=ws,
            runner=Runner(limits=ratelimit.limits, sandbox=probe("none")),
            cache=Cache(None),
            settings=settings.resolve(ratelimit),
        )
        request = stage.Request(built["pinned_first"], limits=ReadLimits(grading_seconds=0))
        found = stage.run(ctx, request, DifferentialSettings(), {})
    assert found.available and all(s.outcome is None for s in found.steps)
    assert found.notes == (
        "the history's time ceiling (0 s) was reached: 4 commit(s) listed but not checked",
    )
    assert found.facts is not None and found.facts.judged_commits == 0
