"""A re-check is free: `run` on the same submission, exercise, settings and tool reads the
whole report back from the cache, says so, and grades afresh whenever any of them changed or
the first report was incomplete."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from dulwich import porcelain

from refactor_check import isolation, pipeline, recheck
from refactor_check.cache import Cache
from refactor_check.history.model import History
from refactor_check.report import Report
from refactor_check.results import Status
from refactor_check.results.differential import DifferentialResult
from refactor_check.results.golden import GoldenResult

from .conftest import TOY_CLEAN, TOY_GOLDEN, CliResult

# The reports of a grading and of its re-check differ in these alone.
_PER_RUN = ("timing", "recheck")


@pytest.fixture(autouse=True)
def _bwrap() -> None:
    """Reports are kept only when the candidate's code ran under bubblewrap (CI installs it)."""
    try:
        isolation.probe("bwrap")
    except Exception as exc:
        pytest.skip(f"bwrap unavailable: {exc}")


def _outside(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k not in _PER_RUN}


def test_a_second_run_of_the_same_submission_is_read_from_the_cache(
    cli: Callable[..., CliResult], make_candidate: Callable[..., Path]
) -> None:
    candidate = make_candidate()
    first = cli("run", candidate, "--golden", TOY_GOLDEN)
    assert first.code == 0, first.stderr
    assert first.report["recheck"]["from_cache"] is False
    assert first.report["recheck"]["kept"] is True
    assert "re-check" not in first.stdout  # nothing worth saying on a first grading

    second = cli("run", candidate, "--golden", TOY_GOLDEN)
    assert second.code == 0, second.stderr
    assert second.report["recheck"] == {**first.report["recheck"], "from_cache": True}
    assert _outside(second.report) == _outside(first.report)
    assert "re-check: read from the cache" in second.stdout
    assert "--no-cache grades afresh" in second.stdout
    # Every report is written again from it, the human ones included.
    for name in ("report.html", "summary.md", "junit.xml", "mutation.html"):
        assert (second.out / name).is_file(), name
    assert "**Re-check** read from the cache" in (second.out / "summary.md").read_text("utf-8")


def test_any_change_to_submission_settings_or_exercise_grades_afresh(
    cli: Callable[..., CliResult], make_candidate: Callable[..., Path], tmp_path: Path
) -> None:
    candidate = make_candidate()
    # Differential testing and mutation add nothing here, and take most of the time.
    args = ("--golden", TOY_GOLDEN, "--no-mutation", "--no-differential")
    assert cli("run", candidate, *args).report["recheck"]["from_cache"] is False

    # One byte of a comment in the submission.
    (candidate / "toy.py").write_text(TOY_CLEAN + "# tidied\n", encoding="utf-8")
    assert cli("run", candidate, *args).report["recheck"]["from_cache"] is False
    assert cli("run", candidate, *args).report["recheck"]["from_cache"] is True
    # A test file added beside it.
    (candidate / "tests").mkdir()
    (candidate / "tests" / "test_mine.py").write_text("def test_x():\n    pass\n", "utf-8")
    assert cli("run", candidate, *args).report["recheck"]["from_cache"] is False

    # Another setting.
    assert cli("run", candidate, *args, "--seed", "1").report["recheck"]["from_cache"] is False

    # The exercise's golden repo changed (a setting in its exercise.toml).
    golden = Path(shutil.copytree(TOY_GOLDEN, tmp_path / "golden"))
    toml = golden / "exercise.toml"
    other = ("--golden", golden, "--no-mutation", "--no-differential")
    assert cli("run", candidate, *other).report["recheck"]["from_cache"] is False
    assert cli("run", candidate, *other).report["recheck"]["from_cache"] is True
    toml.write_text(toml.read_text("utf-8") + "\n# reviewed\n", encoding="utf-8")
    assert cli("run", candidate, *other).report["recheck"]["from_cache"] is False


def test_no_cache_grades_afresh_and_keeps_nothing(
    cli: Callable[..., CliResult], make_candidate: Callable[..., Path]
) -> None:
    candidate = make_candidate()
    args = ("--golden", TOY_GOLDEN, "--no-mutation", "--no-differential", "--no-cache")
    first = cli("run", candidate, *args)
    assert first.report["recheck"] == {
        "from_cache": False,
        "key": None,
        "kept": False,
        "why_not_kept": "caching is off (--no-cache)",
    }
    assert cli("run", candidate, *args).report["recheck"]["from_cache"] is False


def test_a_new_commit_in_the_history_grades_afresh(
    cli: Callable[..., CliResult], make_candidate: Callable[..., Path]
) -> None:
    candidate = make_candidate()
    repo = porcelain.init(str(candidate))
    porcelain.add(repo, [str(candidate / "toy.py")])
    author = b"Candidate <candidate@example.com>"
    porcelain.commit(repo, message=b"refactor", author=author, committer=author)
    args = ("--golden", TOY_GOLDEN, "--no-mutation", "--no-differential")
    assert cli("run", candidate, *args).report["recheck"]["from_cache"] is False
    assert cli("run", candidate, *args).report["recheck"]["from_cache"] is True
    # The same files, a new commit: the history the report shows is another one.
    porcelain.commit(repo, message=b"nothing", author=author, committer=author)
    assert cli("run", candidate, *args).report["recheck"]["from_cache"] is False


def test_a_corrupt_cache_entry_is_graded_afresh(
    cli: Callable[..., CliResult], make_candidate: Callable[..., Path], tmp_path: Path
) -> None:
    candidate = make_candidate()
    cache = tmp_path / "cache"
    env = {"REFACTOR_CHECK_CACHE": str(cache)}
    args = ("--golden", TOY_GOLDEN, "--no-mutation", "--no-differential")
    first = cli("run", candidate, *args, env=env)
    entry = cache / recheck.NAMESPACE / f"{first.report['recheck']['key']}.json"
    entry.write_text('{"not": "a report"}', encoding="utf-8")
    again = cli("run", candidate, *args, env=env)
    assert again.code == 0 and again.report["recheck"]["from_cache"] is False
    assert again.report["verdict"] == "preserved"


def _report(make_candidate: Callable[..., Path], tmp_path: Path) -> Report:
    options = pipeline.Options(golden=TOY_GOLDEN, mutation=False, history=False)
    return pipeline.grade(make_candidate(), options)


def test_a_report_a_ceiling_cut_or_the_tool_failed_in_is_not_kept(
    make_candidate: Callable[..., Path], tmp_path: Path
) -> None:
    report = _report(make_candidate, tmp_path)
    assert recheck.incomplete(report) is None

    def with_check(name: str, **changes: Any) -> Report:
        checks = tuple(replace(c, **changes) if c.check == name else c for c in report.checks)
        return replace(report, checks=checks)

    differential = report.check("differential")
    assert isinstance(differential, DifferentialResult)
    cut = with_check("differential", time_budget_hit=True)
    assert recheck.incomplete(cut) == "the differential search was cut by its time ceiling"
    failed = with_check("complexity", status=Status.ERROR)
    assert recheck.incomplete(failed) == "the complexity check failed"
    golden = report.golden
    assert isinstance(golden, GoldenResult)
    hung = replace(golden.tests[0], outcome="timeout")
    timed_out = with_check("golden", tests=(hung, *golden.tests[1:]))
    assert "golden test hit its time limit" in str(recheck.incomplete(timed_out))
    history = History(why="the history could not be read", cut_short="reading took too long")
    assert "history was cut short" in str(recheck.incomplete(replace(report, history=history)))
    assert recheck.incomplete(replace(report, pending=("mutation",))) == "a partial report"

    # Not kept, and the block says why.
    cache = Cache(tmp_path / "cache")
    kept = recheck.keep(cache, "k" * 64, cut).recheck
    assert kept is not None and not kept.kept and kept.why_not_kept is not None
    assert recheck.recall(cache, "k" * 64) is None
    kept = recheck.keep(cache, "k" * 64, report).recheck
    assert kept is not None and kept.kept
    recalled = recheck.recall(cache, "k" * 64)
    assert recalled is not None and recalled.recheck is not None and recalled.recheck.from_cache
    # Read back whole: the same report, but for where it came from.
    assert replace(recalled, recheck=None).to_dict() == report.to_dict()


def test_a_grading_without_bubblewrap_keeps_nothing_and_forgets_what_was_kept(
    cli: Callable[..., CliResult], make_candidate: Callable[..., Path], tmp_path: Path
) -> None:
    """Without bubblewrap the candidate's processes can reach the cache: one of them could
    plant a "preserved" report under its own key for the next run to read back."""
    kept, other = make_candidate(), make_candidate()
    cache = tmp_path / "cache"
    env = {"REFACTOR_CHECK_CACHE": str(cache)}
    args = ("--golden", TOY_GOLDEN, "--no-mutation", "--no-differential")
    first = cli("run", kept, *args, env=env)
    assert first.report["recheck"]["kept"] is True
    # A forged entry, as a process of the unsandboxed grading below could write it.
    planted = cache / recheck.NAMESPACE / ("f" * 64 + ".json")
    planted.write_text((first.out / "report.json").read_text("utf-8"), encoding="utf-8")

    unsandboxed = cli("run", other, *args, "--sandbox", "none", env=env)
    assert unsandboxed.report["recheck"]["kept"] is False
    assert "without bubblewrap" in unsandboxed.report["recheck"]["why_not_kept"]
    assert "re-check: not kept" in unsandboxed.stdout
    assert not (cache / recheck.NAMESPACE).exists()  # the planted entry and the kept one
    assert cli("run", kept, *args, env=env).report["recheck"]["from_cache"] is False
