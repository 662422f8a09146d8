"""Probes: inputs that tell the golden suite's surviving mutants apart from the original are
found once per exercise, cached, and replayed first on every candidate."""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from refactor_check import exercise as exercise_mod
from refactor_check import isolation, merge, pipeline, sources, workspace
from refactor_check import settings as settings_mod
from refactor_check.authoring import shipped_probes, validate
from refactor_check.authoring.model import State
from refactor_check.cache import Cache, default_root
from refactor_check.candidate import Candidate
from refactor_check.checks import CheckContext
from refactor_check.differential import mutant_source, probes, settings, stage
from refactor_check.differential.program import CALL, METHOD, NEW, Program, Step
from refactor_check.report import Report
from refactor_check.results import Status
from refactor_check.results.differential import DifferentialResult, ProbeReport
from refactor_check.results.mutation import MutationResult
from refactor_check.runner import Runner

from . import made_reports
from .conftest import FIXTURES, write_files
from .test_cli import assert_one_line_error

# Its golden tests price 3 and 20 units: two mutants of the threshold (`> 10`, `>= 11`) and
# two of a dead store (equivalent to the original) survive them.
GOLDEN = FIXTURES / "probe_gap"
ORIGINAL = (GOLDEN / "original" / "bulk.py").read_text(encoding="utf-8")
MOVED_THRESHOLD = "bulk.x_discount_percent__mutmut_1"  # qty >= 10 -> qty > 10

_MODULE = textwrap.dedent(
    """
    class Ledger:
        def add(self, amount):
            if amount < 0:
                raise ValueError("negative")
            self.total = amount
            return self.total
    """
).lstrip()
# As the mutation stage records a mutant: the function dedented, hunks counted from its def.
_DIFF = """--- m.py
+++ m.py
@@ -1,5 +1,5 @@
 def add(self, amount):
-    if amount < 0:
+    if amount <= 0:
         raise ValueError("negative")
     self.total = amount
     return self.total"""


def test_a_mutant_is_rebuilt_from_its_diff_and_only_where_the_diff_fits() -> None:
    rebuilt = mutant_source.rebuild(_MODULE, "Ledger.add", _DIFF)
    assert rebuilt == _MODULE.replace("amount < 0", "amount <= 0")
    # Context that is not the original's, another function, a diff that changes nothing.
    assert (
        mutant_source.rebuild(_MODULE.replace("negative", "below zero"), "Ledger.add", _DIFF)
        is None
    )
    assert mutant_source.rebuild(_MODULE, "Ledger.remove", _DIFF) is None
    assert mutant_source.rebuild(_MODULE, "Ledger.add", _DIFF.replace("<= 0", "< 0")) is None
    assert mutant_source.module_of("billing/invoice.py") == "billing.invoice"
    assert mutant_source.module_of("billing/__init__.py") == "billing"


class _Trio:
    """Answers digest requests from a script: one digest per answer, in turn."""

    def __init__(self, digests: list[str]) -> None:
        self.digests = iter(digests)

    def request(self, request: dict[str, Any], timeout: float, only: Any = ()) -> list[Any]:
        def answer() -> dict[str, Any]:
            return {"status": "done", "steps": [{"digest": next(self.digests)}]}

        return [answer(), answer(), None]


def test_a_probe_whose_original_varies_is_not_steady() -> None:
    program = Program((Step(CALL, "bulk.discount_percent", (["int", "10"],)),))
    assert probes._steady(_Trio(["a"] * 4), program, 1.0)  # type: ignore[arg-type]
    assert not probes._steady(_Trio(["a", "a", "a", "b"]), program, 1.0)  # type: ignore[arg-type]


def test_cached_verdicts_round_trip_and_a_bad_one_is_dropped() -> None:
    program = Program(
        (
            Step(NEW, "toy.Counter"),
            Step(METHOD, "toy.Counter.bump", (), (("by", ["int", "0"]),), receiver=0),
        )
    )
    verdicts = {
        "m1:ab": probes.ProbeVerdict("m1", "toy.Counter.bump", probes.TOLD_APART, program),
        "m2:cd": probes.ProbeVerdict("m2", "toy.price", probes.NOT_TOLD_APART),
    }
    stored = probes._to_json(verdicts, 1.5)
    assert probes._from_json(stored) == verdicts and probes._spent(stored) == 1.5
    stored["verdicts"]["m1:ab"]["probe"][1]["receiver"] = ["ref", 1]  # not an earlier step
    assert probes._from_json(stored) == {"m2:cd": verdicts["m2:cd"]}
    assert probes._from_json({"format": "0", "verdicts": {}}) == {}


def test_shards_may_differ_in_where_their_probes_came_from() -> None:
    found = ProbeReport(
        survivors=2,
        probes=1,
        told_apart=("bulk.x_f__mutmut_1",),
        not_told_apart=("bulk.x_f__mutmut_2",),
        unsteady=(),
        not_run=(),
        not_searched=(),
        source="new",
    )

    def shard(probes: ProbeReport) -> Report:
        result = DifferentialResult(
            check="differential", status=Status.PASSED, summary="", seed=0, probes=probes
        )
        return made_reports.report(result)

    cached = shard(replace(found, source="cached"))
    assert merge._comparable(shard(found)) == merge._comparable(cached)
    # The probes themselves are compared.
    fewer = shard(replace(found, told_apart=(), not_told_apart=found.told_apart))
    assert merge._comparable(shard(found)) != merge._comparable(fewer)


def _grade(candidate: Path, **options: Any) -> pipeline.Report:
    return pipeline.grade(candidate, pipeline.Options(golden=GOLDEN, **options))


def test_a_survivor_is_told_apart_once_and_the_probe_catches_that_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    moved = write_files(tmp_path / "moved", {"bulk.py": ORIGINAL.replace(">= 10", "> 10")})
    first = _grade(moved, differential_examples=0).to_dict()
    assert first["verdict"] == "changed"
    section = first["differential"]
    found = section["probes"]
    assert found["survivors"] == 4 and found["source"] == "new" and found["not_searched"] == []
    assert found["probes"] == 1 and len(found["told_apart"]) == 2
    assert MOVED_THRESHOLD in found["told_apart"]
    assert all(m.startswith("bulk.x_describe") for m in found["not_told_apart"])
    assert section["generated_programs"] == 0 and section["probe_programs"] == 1
    (caught,) = [c for c in section["counterexamples"] if c["target"] == "bulk.discount_percent"]
    assert caught["origin"] == probes.origin(MOVED_THRESHOLD)
    assert caught["call"] == "bulk.discount_percent(10)"

    # The next candidate pays nothing for them: the probes come from the cache.
    monkeypatch.setattr(probes, "_Searcher", None)  # any search would fail
    same = write_files(tmp_path / "same", {"bulk.py": ORIGINAL})
    graded = _grade(same, differential_examples=0)
    second = graded.to_dict()
    assert second["verdict"] == "preserved", second["findings"]
    again = second["differential"]["probes"]
    assert again["source"] == "cached"
    assert again["told_apart"] == found["told_apart"]
    assert second["differential"]["probe_programs"] == 1

    # What `exercise validate` can ask for: the same probes, the original on every side.
    mutation = graded.check("mutation")
    assert isinstance(mutation, MutationResult) and mutation.golden_on_original is not None
    exercise = exercise_mod.load(GOLDEN)
    original = sources.load_package(exercise.original, exercise.package)
    assert original is not None
    with workspace.prepare() as ws:
        ctx = CheckContext(
            exercise=exercise,
            original=original,
            candidate=Candidate(exercise.original, original, None, (), ()),
            workspace=ws,
            runner=Runner(limits=exercise.limits, sandbox=isolation.probe("none")),
            cache=Cache(default_root()),
            settings=settings_mod.resolve(exercise),
        )
        chosen = settings.load(exercise.sections["differential"], exercise.root)
        found_again = stage.exercise_probes(ctx, mutation.golden_on_original.survivors, chosen, {})
    assert found_again is not None and found_again.report is not None
    assert found_again.report.source == "cached"
    assert list(found_again.report.told_apart) == found["told_apart"]


def test_shipped_probes_are_searched_once_by_the_author_and_graded_with_everywhere(
    tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    golden = tmp_path / "golden"
    shutil.copytree(GOLDEN, golden)
    options = validate.Options(repeats=2)

    def probes_check() -> Any:
        checks = validate.validate(golden, options).checks
        return next(c for c in checks if c.name == shipped_probes.NAME)

    before = probes_check()
    assert before.state is State.FAILED and not before.blocking  # a warning
    assert "no differential_probes.json" in before.reasons[0]

    # A ceiling, not the budget (the search is counted): generous, so a loaded machine does
    # not cut a mutant's search short, which would leave its verdict out of the file.
    written = cli("exercise", "probes", golden, "--seconds-per-mutant", "30")
    assert written.code == 0, written.stderr
    assert "1 probe tells 2 of the 4 mutants the golden tests miss" in written.stdout
    verdicts = probes.shipped(golden)
    assert len(verdicts) == 4
    told = [v for v in verdicts.values() if v.status == probes.TOLD_APART]
    assert sorted(v.mutant for v in told)[0] == MOVED_THRESHOLD
    after = probes_check()
    assert after.state is State.PASSED and "for 4 of 4 mutants" in after.summary

    # Grading searches nothing: every survivor's verdict is shipped.
    monkeypatch.setattr(probes, "_Searcher", None)  # any search would fail
    moved = write_files(tmp_path / "moved", {"bulk.py": ORIGINAL.replace(">= 10", "> 10")})
    report = pipeline.grade(
        moved, pipeline.Options(golden=golden, differential_examples=0)
    ).to_dict()
    assert report["verdict"] == "changed"
    assert report["differential"]["probes"]["source"] == "shipped"
    counterexamples = report["differential"]["counterexamples"]
    (caught,) = [c for c in counterexamples if c["target"] == "bulk.discount_percent"]
    assert caught["origin"] == probes.origin(MOVED_THRESHOLD)

    # Writing again keeps the shipped verdicts of unchanged survivors: nothing is searched,
    # and the same verdicts make the same file.
    text = (golden / probes.PROBES_FILE).read_text(encoding="utf-8")
    with validate.prepared(golden, options) as setup:
        again = shipped_probes.write(setup, shipped_probes.Budget())
    assert again.report is not None and again.report.source == "shipped"
    assert (golden / probes.PROBES_FILE).read_text(encoding="utf-8") == text


def test_a_probes_file_that_is_not_one_is_bad_input_before_anything_runs(
    tmp_path: Path, cli
) -> None:
    golden = tmp_path / "golden"
    shutil.copytree(GOLDEN, golden)
    (golden / probes.PROBES_FILE).write_text('{"format": "0", "verdicts": {}}', encoding="utf-8")
    candidate = write_files(tmp_path / "same", {"bulk.py": ORIGINAL})
    result = cli("run", candidate, "--golden", golden)
    assert_one_line_error(result, 2, "differential_probes.json", "not a probes file")
    assert not (result.out / "report.json").exists()
    (golden / probes.PROBES_FILE).write_text("{not json", encoding="utf-8")
    with validate.prepared(golden, validate.Options()) as setup:
        check = shipped_probes.check_probes(setup)
    assert check.state is State.FAILED and "not a probes file" in check.reasons[0]


def test_survivors_the_shipped_file_does_not_cover_are_searched(tmp_path: Path) -> None:
    golden = tmp_path / "golden"
    shutil.copytree(GOLDEN, golden)
    same = write_files(tmp_path / "same", {"bulk.py": ORIGINAL})
    first = pipeline.grade(same, pipeline.Options(golden=golden, differential_examples=0))
    assert first.to_dict()["differential"]["probes"]["source"] == "new"
    mutation = first.check("mutation")
    assert isinstance(mutation, MutationResult) and mutation.golden_on_original is not None
    # One survivor's verdict shipped: as if the golden repo changed since the file was written.
    one = mutation.golden_on_original.survivors[0]
    verdict = probes.ProbeVerdict(one.key, one.function, probes.NOT_TOLD_APART)
    probes.write_shipped(golden, probes.Probes(verdicts={probes.identity(one): verdict}))
    second = pipeline.grade(
        same, pipeline.Options(golden=golden, differential_examples=0, use_cache=False)
    ).to_dict()
    again = second["differential"]["probes"]
    assert again["source"] == "shipped and new" and again["not_searched"] == []
    # The shipped verdict is taken as it is; the others are searched.
    assert one.key in again["not_told_apart"] and len(again["told_apart"]) == 1
    assert second["verdict"] == "preserved"


def test_shipped_probes_are_replayed_without_the_mutation_stage(tmp_path: Path) -> None:
    golden = tmp_path / "golden"
    shutil.copytree(GOLDEN, golden)
    threshold = Program((Step(CALL, "bulk.discount_percent", (["int", "10"],)),))
    verdict = probes.ProbeVerdict(
        MOVED_THRESHOLD, "bulk.discount_percent", probes.TOLD_APART, threshold
    )
    probes.write_shipped(golden, probes.Probes(verdicts={f"{MOVED_THRESHOLD}:x": verdict}))
    moved = write_files(tmp_path / "moved", {"bulk.py": ORIGINAL.replace(">= 10", "> 10")})
    options = pipeline.Options(golden=golden, mutation=False, differential_examples=0)
    report = pipeline.grade(moved, options).to_dict()
    section = report["differential"]
    assert report["verdict"] == "changed" and section["probes"] is None
    assert section["probe_programs"] == 1
    assert "1 shipped probe(s) replayed first" in section["summary"]
    (caught,) = [c for c in section["counterexamples"] if c["target"] == "bulk.discount_percent"]
    assert caught["origin"] == probes.origin(MOVED_THRESHOLD)


def test_a_probe_search_of_zero_seconds_is_switched_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    golden = tmp_path / "golden"
    shutil.copytree(GOLDEN, golden)
    toml = golden / "exercise.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("probe_total_seconds = 120", "probe_total_seconds = 0"))
    monkeypatch.setattr(probes, "_Searcher", None)  # any search would fail
    same = write_files(tmp_path / "same", {"bulk.py": ORIGINAL})
    report = pipeline.grade(same, pipeline.Options(golden=golden, differential_examples=0))
    section = report.to_dict()["differential"]
    assert len(section["probes"]["not_searched"]) == 4 and section["probe_programs"] == 0
    assert "4 not searched: probe_total_seconds is 0" in section["summary"]


def test_a_search_a_ceiling_cuts_gives_no_verdict_and_warns(tmp_path: Path) -> None:
    """Budgets are counts; a time limit only cuts. A survivor whose search it cut gets no
    verdict (one machine would search further than another), nothing is cached for it, and
    the verdict carries a warning that the search was incomplete."""
    golden = tmp_path / "golden"
    shutil.copytree(GOLDEN, golden)
    toml = golden / "exercise.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("probe_seconds = 30", "probe_seconds = 0.001"))
    same = write_files(tmp_path / "same", {"bulk.py": ORIGINAL})
    report = pipeline.grade(same, pipeline.Options(golden=golden, differential_examples=0))
    section = report.to_dict()["differential"]
    found = section["probes"]
    assert len(found["cut_short"]) == 4 and found["told_apart"] == found["not_told_apart"] == []
    assert "4 cut short by probe_seconds" in section["summary"]
    check = report.check("differential")
    assert check is not None
    assert any("the probe search is incomplete" in w for w in check.warnings)
    # Nothing was cached as if complete: the next run searches them again.
    again = pipeline.grade(same, pipeline.Options(golden=golden, differential_examples=0))
    assert len(again.to_dict()["differential"]["probes"]["cut_short"]) == 4


def test_a_probe_stays_steady_when_shrinking_would_drop_the_injected_clock(
    tmp_path: Path, cli
) -> None:
    """The mutants of the line written back (``line["qty"] = ...``) survive the golden test,
    which never looks at the lines. A program that tells them apart stays different without
    its ``clock=`` argument, so shrinking drops it; the default clock then reads the real
    time, the original's ``placed`` varies from run to run, and the shrunk program is no
    steady probe. The program as found, with the test clock, is: it is shipped instead."""
    golden = tmp_path / "golden"
    shutil.copytree(FIXTURES / "probe_clock", golden)
    result = cli("exercise", "probes", golden, "--quiet", timeout=600)
    assert result.code == 0, result.stdout + result.stderr
    shipped = probes.shipped(golden)
    written_back = [v for v in shipped.values() if v.function == "orders.Orders.place"]
    assert written_back and all(v.status != probes.UNSTEADY for v in shipped.values())
    told = [v for v in written_back if v.status == probes.TOLD_APART]
    assert told, [(v.mutant, v.status) for v in written_back]
    for verdict in told:
        assert verdict.probe is not None
        made = [s for s in verdict.probe.steps if s.kind == NEW]
        assert made and all(dict(s.kwargs).get("clock") for s in made), verdict.probe.render()
