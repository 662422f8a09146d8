"""The scorecard: levels from measured figures and thresholds, overrides, the gate and total."""

from __future__ import annotations

from pathlib import Path

import pytest

from refactor_check import scorecard, sources
from refactor_check.checks import complexity
from refactor_check.errors import BadInputError
from refactor_check.results import CheckResult, Finding, Status
from refactor_check.results.complexity import ComplexityResult
from refactor_check.results.mutation import MutationResult, MutationScore
from refactor_check.verdict import CHANGED, PRESERVED, Verdict

from .conftest import EXAMPLES, GOLDEN_REPOS, TOY_CLEAN, TOY_GOLDEN, write_files

PRESERVED_VERDICT = Verdict(PRESERVED, "behaviour preserved", ())
CHANGED_VERDICT = Verdict(
    CHANGED, "1 finding(s)", (Finding("golden_test_failed", "t failed", "golden"),)
)


def _score(value: float) -> MutationScore:
    killed = round(value * 100)
    return MutationScore(
        killed=killed,
        survived=100 - killed,
        timeout=0,
        no_tests=0,
        suspicious=0,
        not_checked=0,
        total=100,
        score=value,
        mutants=(),
        source_files=(),
    )


def _mutation(own: float | None, on_original: float | None, golden: float = 0.9) -> MutationResult:
    return MutationResult(
        check="mutation",
        status=Status.PASSED,
        summary="scored",
        profile="default",
        golden_on_original=_score(golden),
        candidate_tests=_score(own) if own is not None else None,
        candidate_tests_on_original=_score(on_original) if on_original is not None else None,
    )


@pytest.fixture(scope="module")
def invoice_complexity() -> ComplexityResult:
    original = sources.load_package(GOLDEN_REPOS / "invoice" / "original", "billing")
    candidate = sources.load_package(EXAMPLES / "invoice" / "clean_refactor", "billing")
    assert original is not None and candidate is not None
    return complexity.compare(original, candidate)


def _card(checks, verdict=PRESERVED_VERDICT, own_files=2, settings=None) -> scorecard.Scorecard:
    return scorecard.compute(settings or scorecard.Settings(), verdict, checks, own_files)


@pytest.mark.parametrize(
    ("own", "on_original", "files", "level"),
    [
        (0.2, 0.2, 1, 1),  # their tests run the code but pin little
        (0.5, 0.1, 1, 2),
        (0.75, 0.5, 2, 3),
        (0.75, 0.72, 2, 4),
        (0.9, 0.9, 0, 1),  # no test files of their own: level 2 needs at least one
    ],
)
def test_verification_level_follows_the_thresholds(own, on_original, files, level) -> None:
    card = _card([_mutation(own, on_original)], own_files=files)
    dimension = card.dimension(scorecard.VERIFICATION)
    assert dimension.level == level
    figures = {f.name: f.value for f in dimension.figures}
    assert figures["candidate_tests"] == own and figures["own_test_files"] == files
    met = [check.met for check in dimension.levels]
    assert met[: level - 1] == [True] * (level - 1)


def test_unmeasured_scores_are_never_made_up() -> None:
    skipped = CheckResult(check="mutation", status=Status.SKIPPED, summary="not run: --no-mutation")
    dimension = _card([skipped]).dimension(scorecard.VERIFICATION)
    assert dimension.level is None and dimension.meaning == "not measured"
    figure = next(f for f in dimension.figures if f.name == "candidate_tests")
    assert figure.value is None and figure.display == "not measured"
    assert "--no-mutation" in (figure.note or "")
    assert "not measured" in dimension.why

    # Scored on their code but not on the original: level 4 cannot be claimed, level 3 stands.
    capped = _card([_mutation(0.8, None)]).dimension(scorecard.VERIFICATION)
    assert capped.level == 3
    assert capped.levels[-1].met is None
    assert "candidate_tests_on_original needs >= 0.7, not measured" in capped.why


def test_stewardship_from_measured_complexity(invoice_complexity) -> None:
    dimension = _card([invoice_complexity]).dimension(scorecard.STEWARDSHIP)
    figures = {f.name: f.value for f in dimension.figures}
    assert figures["cc_max_ratio"] == 0.5  # 38 -> 19
    assert figures["cc_max"] == 19 and figures["complex_functions"] == 1
    assert figures["duplicated_lines_added"] == 0
    assert figures["mi_min_change"] is not None and figures["mi_min_change"] > 5
    # Level 4 wants no function above complexity 10; compute_total is still 19.
    assert dimension.level == 3
    assert "cc_max is 19, needs <= 10" in dimension.why


def test_an_unchanged_copy_earns_no_stewardship_credit(tmp_path: Path) -> None:
    original = sources.load_package(GOLDEN_REPOS / "invoice" / "original", "billing")
    assert original is not None
    same = complexity.compare(original, original)
    assert same.change is not None and same.change.unchanged
    dimension = _card([same]).dimension(scorecard.STEWARDSHIP)
    figures = {f.name: f.value for f in dimension.figures}
    # Its radon figures equal the original's, which alone would read "no harder to change".
    assert figures["cc_max_ratio"] == 1.0 and figures["mi_min_change"] == 0
    assert figures["lines_changed"] == 0
    assert dimension.level == 1
    assert "lines_changed is 0, needs >= 1" in dimension.why


def test_a_one_line_change_is_enough_to_be_judged_on_its_figures(tmp_path: Path) -> None:
    original = sources.load_package(GOLDEN_REPOS / "invoice" / "original", "billing")
    assert original is not None
    copy = tmp_path / "billing"
    for source in original.files:
        target = tmp_path / source.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.text)
    init = copy / "__init__.py"
    init.write_text(init.read_text() + "\n# Reviewed: behaviour pinned by tests/.\n")
    touched = sources.load_package(tmp_path, "billing")
    assert touched is not None
    result = complexity.compare(original, touched)
    assert result.change is not None
    assert (result.change.lines_added, result.change.lines_removed) == (1, 0)
    assert result.change.functions_changed == 0
    assert _card([result]).dimension(scorecard.STEWARDSHIP).level == 2


def test_gate_and_weighted_total(invoice_complexity) -> None:
    checks = [_mutation(0.8, 0.8), invoice_complexity]
    card = _card(checks)
    assert card.gate.status == "passed"
    assert card.weighted_total == 3.5  # (4 + 3) / 2
    weighted = scorecard.settings_from({"weights": {"verification": 3, "stewardship": 1}})
    assert _card(checks, settings=weighted).weighted_total == 3.75  # (3 * 4 + 3) / 4

    failed = _card(checks, verdict=CHANGED_VERDICT)
    assert failed.gate.status == "failed" and failed.weighted_total is None
    assert "gate did not pass" in failed.total_note
    assert failed.dimension(scorecard.VERIFICATION).level == 4  # still shown, not counted
    assert any("golden_test_failed" in line for line in failed.gate.evidence)

    unmeasured = _card([invoice_complexity])
    assert (
        unmeasured.weighted_total is None and "verification not measured" in unmeasured.total_note
    )


def test_json_form_keeps_nulls_and_thresholds(invoice_complexity) -> None:
    data = _card([_mutation(0.8, None), invoice_complexity]).to_dict()
    assert data["out_of"] == 4 and data["source"] == "defaults"
    verification = data["dimensions"][0]
    on_original = next(
        f for f in verification["figures"] if f["name"] == "candidate_tests_on_original"
    )
    assert on_original["value"] is None and on_original["display"] == "not measured"
    level_4 = verification["levels"][-1]
    assert level_4["thresholds"] == [
        {
            "figure": "candidate_tests_on_original",
            "op": "min",
            "bound": 0.7,
            "actual": None,
            "met": None,
            "text": "candidate_tests_on_original >= 70%: not measured",
        }
    ]


def test_overrides_refine_single_thresholds() -> None:
    settings = scorecard.settings_from(
        {"stewardship": {"level_4": {"cc_max_max": 20}}, "weights": {"stewardship": 2}}
    )
    level_4 = settings.rules[scorecard.STEWARDSHIP].levels[-1]
    assert level_4.thresholds == {"cc_max_max": 20.0, "complex_functions_max": 0}
    assert settings.weights == {"verification": 1.0, "stewardship": 2.0}
    assert settings.source == "exercise.toml [scorecard]"
    assert scorecard.settings_from(None) == scorecard.Settings()


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        ({"bonus": 1}, "unknown key 'bonus'"),
        ({"weights": {"speed": 1}}, "unknown weight 'speed'"),
        ({"weights": {"verification": -1}}, "must be a number >= 0"),
        ({"weights": {"verification": 0, "stewardship": 0}}, "at least one weight"),
        ({"verification": {"level_5": {}}}, "[scorecard.verification.level_5]"),
        ({"verification": {"level_2": {"speed_min": 1}}}, "unknown threshold"),
        ({"verification": {"level_2": {"candidate_tests_above": 1}}}, "unknown threshold"),
        ({"stewardship": {"level_3": {"cc_max_max": "ten"}}}, "must be a number"),
        ("yes", "must be a table"),
    ],
)
def test_bad_settings_are_one_clear_line(table, fragment) -> None:
    with pytest.raises(BadInputError) as raised:
        scorecard.settings_from(table)
    assert fragment in str(raised.value)
    assert "\n" not in str(raised.value)


def test_exercise_settings_reach_the_report(cli, toy_golden: Path, make_candidate) -> None:
    with open(toy_golden / "exercise.toml", "a", encoding="utf-8") as config:
        config.write(
            "\n[scorecard]\nweights = { verification = 0, stewardship = 1 }\n"
            "[scorecard.stewardship.level_2]\ncc_max_ratio_max = 0.5\n"
        )
    result = cli(
        "run", make_candidate(), "--golden", toy_golden, "--no-mutation", "--no-differential"
    )
    assert result.code == 0, result.stdout + result.stderr
    card = result.report["scorecard"]
    assert card["source"] == "exercise.toml [scorecard]"
    assert card["weights"] == {"verification": 0.0, "stewardship": 1.0}
    stewardship = card["dimensions"][1]
    # The toy's largest function stays at complexity 3: 1.0 misses the exercise's bar of 0.5.
    assert stewardship["level"] == 1
    assert stewardship["levels"][0]["thresholds"][0] == {
        "figure": "cc_max_ratio",
        "op": "max",
        "bound": 0.5,
        "actual": 1.0,
        "met": False,
        "text": "cc_max_ratio <= 0.50x: 1.00x",
    }
    # Verification weighs nothing here, so its missing measurement does not block the total.
    assert card["weighted_total"] == 1.0


def test_bad_scorecard_table_is_exit_2(cli, toy_golden: Path, make_candidate) -> None:
    write_files(
        toy_golden,
        {
            "exercise.toml": (TOY_GOLDEN / "exercise.toml").read_text()
            + "\n[scorecard]\nweights = { speed = 1 }\n"
        },
    )
    result = cli("run", make_candidate({"toy.py": TOY_CLEAN}), "--golden", toy_golden)
    assert result.code == 2
    assert result.stderr.strip().splitlines() == [
        "refactor-check: error: exercise.toml [scorecard]: unknown weight 'speed' "
        "(known: verification, stewardship)"
    ]
