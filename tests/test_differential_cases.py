"""Differential testing through the whole pipeline, on golden repos made for it.

``diff_shop``'s golden tests pass on every candidate here: each "changed" candidate is the
clean refactor with one change inside a gap of the golden suite, the kind a caller can observe
and a golden suite misses. Each must come out "changed" with a minimal counterexample that
reproduces; the clean refactors (tidy, typed, an aggressive rewrite) must come out
"preserved" under every seed.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from refactor_check import pipeline
from refactor_check.errors import BadInputError
from refactor_check.report import Report
from refactor_check.reports import html
from refactor_check.results.differential import DifferentialResult

from .conftest import FIXTURES, write_files

SHOP = FIXTURES / "diff_shop"
CLEAN_TEXT = (FIXTURES / "diff_shop_clean" / "shop.py").read_text(encoding="utf-8")
CLEAN_CANDIDATES = {
    "tidy": FIXTURES / "diff_shop_clean",
    "typed": FIXTURES / "diff_shop_typed",
    "rewrite": FIXTURES / "diff_shop_rewrite",
}
SEEDS = (0, 1, 2, 3, 4)

_ADD_TAG = '''def add_tag(tag, tags=None):
    """A new list: the tags with one more."""
    return ([] if tags is None else list(tags)) + [tag]'''

# name -> (edits to the clean refactor, the target that differs, the minimal counterexample or
# a fragment of it, how many lines the counterexample has)
CHANGED: dict[str, tuple[list[tuple[str, str]], str, str, int]] = {
    "boundary_moved": (
        [("if qty >= BULK_THRESHOLD", "if qty > BULK_THRESHOLD")],
        "shop.bulk_discount",
        "shop.bulk_discount(10)",
        1,
    ),
    "rounding_mode": (
        [("amount.quantize(CENT, rounding=ROUND_HALF_UP)", "amount.quantize(CENT)")],
        "shop.round_price",
        "5'))",  # a half-way amount: HALF_UP and HALF_EVEN part there
        1,
    ),
    "empty_input": (
        [("    if not prices:\n", "    if prices is None:\n")],
        "shop.average_price",
        "shop.average_price([])",
        1,
    ),
    "none_input": (
        [("    if not prices:\n", "    if len(prices) == 0:\n")],
        "shop.average_price",
        "shop.average_price(None)",
        1,
    ),
    "exception_type": (
        [('raise ValueError(f"not a quantity', 'raise TypeError(f"not a quantity')],
        "shop.parse_quantity",
        "shop.parse_quantity(",
        1,
    ),
    "exception_swallowed": (
        [('        raise ValueError(f"not a quantity: {text!r}")', "        return 0")],
        "shop.parse_quantity",
        "shop.parse_quantity(",
        1,
    ),
    "argument_no_longer_mutated": (
        [("tags[:] = sorted(", "tags = sorted(")],
        "shop.normalise_tags",
        "shop.normalise_tags(tags)\ntags",  # bound to a name, shown after the call
        3,
    ),
    "argument_newly_mutated": (
        [
            (
                "    return sorted(entries, key=lambda entry: -entry[1])",
                "    entries.sort(key=lambda entry: -entry[1])\n    return list(entries)",
            )
        ],
        "shop.rank",
        "shop.rank(entries)\nentries",
        3,
    ),
    "ties_sorted_differently": (
        [("key=lambda entry: -entry[1]", "key=lambda entry: (-entry[1], entry[0])")],
        "shop.rank",
        "shop.rank([",
        1,
    ),
    "mutable_default_shared": (
        [
            (
                _ADD_TAG,
                "_NO_TAGS = []\n\n\n"
                + _ADD_TAG.replace(
                    "    return ([] if tags is None else list(tags)) + [tag]",
                    "    result = _NO_TAGS if tags is None else list(tags)\n"
                    "    result.append(tag)\n"
                    "    return result",
                ),
            )
        ],
        "shop.add_tag",
        "shop.add_tag(",
        2,  # one call leaves something behind, the next one shows it
    ),
    "printed_text": (
        [('print(f"TOTAL {total}")', 'print(f"Total: {total}")')],
        "shop.receipt",
        "shop.receipt([])",
        1,
    ),
    "method_boundary": (
        [("        if qty <= 0:", "        if qty < 0:")],
        "shop.Cart.add",
        ".add(",
        2,  # make the cart, add to it
    ),
}


@pytest.fixture(scope="module")
def _shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("differential-cache")


@pytest.fixture(autouse=True)
def _isolated_cache(_shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One cache for the module (overriding conftest's per-test one): the golden baseline and
    the recording of each golden repo are made once, so each test pays for its own runs."""
    monkeypatch.setenv("REFACTOR_CHECK_CACHE", str(_shared_cache))


def grade(candidate: Path, golden: Path = SHOP, **options: Any) -> Report:
    return pipeline.grade(candidate, pipeline.Options(golden=golden, mutation=False, **options))


def changed_candidate(tmp_path: Path, name: str) -> Path:
    text = CLEAN_TEXT
    for old, new in CHANGED[name][0]:
        assert text.count(old) == 1, (name, old)
        text = text.replace(old, new)
    return write_files(tmp_path / name, {"shop.py": text})


def reproduce(call: str, package_dir: Path) -> str:
    """What the counterexample does with the package at ``package_dir``: its last line's
    result or exception, and what it printed. Run as a person would, in a fresh Python."""
    lines = call.splitlines()
    script = textwrap.dedent(
        f"""
        import datetime, shop
        from decimal import Decimal
        {"; ".join(lines[:-1]) or "pass"}
        try:
            print("->", repr({lines[-1]}))
        except Exception as exc:
            print("raised", type(exc).__name__, exc)
        """
    )
    done = subprocess.run(
        [sys.executable, "-B", "-P", "-c", script],
        env={"PYTHONPATH": str(package_dir), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    return done.stdout + done.stderr


@pytest.mark.parametrize("name", sorted(CHANGED))
def test_a_change_the_golden_tests_miss_is_found_with_a_minimal_counterexample(
    tmp_path: Path, name: str
) -> None:
    _, target, fragment, lines = CHANGED[name]
    candidate = changed_candidate(tmp_path, name)
    report = grade(candidate)
    assert report.verdict.verdict == "changed", report.verdict.reason
    assert report.golden is not None and report.golden.passed == len(report.golden.tests) == 10
    result = report.check("differential")
    assert isinstance(result, DifferentialResult)
    ours = [
        f
        for f in report.findings
        if f.kind == "differential_mismatch" and f.message.startswith(target + ":")
    ]
    assert ours, [f.message for f in report.findings]
    finding = ours[0]
    assert finding.call is not None and fragment in finding.call
    assert len(finding.call.splitlines()) == lines, finding.call
    assert finding.evidence and "original:" in finding.evidence and "candidate:" in finding.evidence
    # The counterexample is runnable and shows the difference by itself.
    assert reproduce(finding.call, SHOP / "original") != reproduce(finding.call, candidate)


def test_a_mutable_default_in_the_signature_is_an_api_change_and_a_behaviour_change(
    tmp_path: Path,
) -> None:
    text = CLEAN_TEXT.replace(
        _ADD_TAG,
        "def add_tag(tag, tags=[]):\n    if tags:\n        tags = list(tags)\n"
        "    tags.append(tag)\n    return tags",
    )
    report = grade(write_files(tmp_path, {"shop.py": text}))
    kinds = {(f.kind, f.message.split(":")[0]) for f in report.findings}
    assert kinds == {("api_changed", "shop.add_tag"), ("differential_mismatch", "shop.add_tag")}
    api = next(f for f in report.findings if f.kind == "api_changed")
    assert "default" in api.message and api.file == "shop.py" and api.line


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", sorted(CLEAN_CANDIDATES))
def test_a_clean_refactor_is_preserved_under_every_seed(name: str, seed: int) -> None:
    report = grade(CLEAN_CANDIDATES[name], seed=seed)
    assert report.verdict.verdict == "preserved", [f.message for f in report.findings]
    result = report.check("differential")
    assert isinstance(result, DifferentialResult)
    assert result.status.value == "passed" and result.seed == seed
    assert result.calls_compared > 500 and result.api_changes == ()
    assert not result.time_budget_hit


def test_the_same_seed_gives_the_same_report(tmp_path: Path) -> None:
    candidate = changed_candidate(tmp_path, "ties_sorted_differently")
    first, second = (grade(candidate, seed=7).to_dict() for _ in range(2))
    for report in (first, second):
        report.pop("timing")
        report["candidate"].pop("path")
    assert first == second
    assert first["differential"]["seed"] == 7 and first["differential"]["counterexamples"]


def test_api_changes_are_findings_and_their_calls_are_not_reported_twice(tmp_path: Path) -> None:
    text = CLEAN_TEXT.replace(
        "def parse_quantity(text):\n    text = text.strip()",
        "def parse_quantity(value):\n    text = value.strip()",
    )
    text = text.replace('CENT = Decimal("0.01")\n', "").replace("(CENT,", '(Decimal("0.01"),')
    report = grade(write_files(tmp_path, {"shop.py": text}))
    assert report.verdict.verdict == "changed"
    found = sorted((f.kind, f.message) for f in report.findings)
    assert found == [
        ("api_changed", "shop.CENT: public object was removed"),
        ("api_changed", "shop.parse_quantity: parameter 'text': parameter was removed"),
        ("api_changed", "shop.parse_quantity: parameter 'value': parameter was added as required"),
    ]
    # The report's API section (read from the source) says which changes the verdict counted.
    changes = report.to_dict()["complexity"]["api"]["changes"]
    assert {c["name"]: c["running_code"] for c in changes} == {
        "shop.BULK_PERCENT": None,  # added by the clean refactor: nothing to confirm
        "shop.CENT": "confirmed",
        "shop.parse_quantity": "confirmed",
    }


def test_an_api_change_read_from_the_source_only_is_marked_so(tmp_path: Path) -> None:
    # A default spelled as a constant computed at import reads as changed; the running code
    # shows qty=1 on both sides.
    text = CLEAN_TEXT.replace("def add(self, sku, qty=1):", "def add(self, sku, qty=_ONE):")
    text = text.replace("CENT = Decimal", '_ONE = len("x")\nCENT = Decimal', 1)
    report = grade(write_files(tmp_path, {"shop.py": text}))
    assert report.verdict.verdict == "preserved", [f.message for f in report.findings]
    changes = report.to_dict()["complexity"]["api"]["changes"]
    (change,) = [c for c in changes if c["change"] != "added"]
    assert change["name"] == "shop.Cart.add" and change["change"] == "changed"
    assert change["running_code"] == "not_borne_out"
    page = html.render(report)
    assert "the running code shows no such change, so no finding" in page


def test_an_originals_nondeterminism_is_excluded_and_said(tmp_path: Path) -> None:
    golden = FIXTURES / "diff_clock"
    clean = write_files(
        tmp_path / "clean",
        {
            "clock.py": """
            import random
            import time


            def stamp(label):
                now, token = time.time(), random.random()
                return {"label": label.upper(), "at": now, "token": token}


            def unique(words):
                return list(set(words))
            """,
        },
    )
    report = grade(clean, golden=golden)
    assert report.verdict.verdict == "preserved", [f.message for f in report.findings]
    result = report.check("differential")
    assert isinstance(result, DifferentialResult)
    assert any("clock.stamp" in line for line in result.nondeterministic)
    assert any("two runs of the same input differ" in w for w in result.warnings)
    # What does not vary is still compared next to what does.
    changed = write_files(
        tmp_path / "changed",
        {"clock.py": (clean / "clock.py").read_text().replace("label.upper()", "label.title()")},
    )
    (finding,) = grade(changed, golden=golden).findings
    assert finding.kind == "differential_mismatch" and "['label']" in finding.message


def test_focus_spends_more_on_functions_where_mutants_survive(tmp_path: Path) -> None:
    from refactor_check import candidate as candidate_mod
    from refactor_check import exercise, isolation, sources, workspace
    from refactor_check import settings as settings_mod
    from refactor_check.cache import Cache, default_root
    from refactor_check.checks import CheckContext
    from refactor_check.differential import settings, stage
    from refactor_check.runner import Runner

    golden = exercise.load(SHOP)
    original = sources.load_package(golden.original, golden.package)
    assert original is not None
    with workspace.prepare() as ws:
        ctx = CheckContext(
            exercise=golden,
            original=original,
            candidate=candidate_mod.load(CLEAN_CANDIDATES["tidy"], golden),
            workspace=ws,
            runner=Runner(limits=golden.limits, sandbox=isolation.probe("none")),
            cache=Cache(default_root()),
            settings=settings_mod.resolve(golden),
        )
        chosen = settings.load(golden.sections["differential"], golden.root)
        # As the mutation stage names them: where they are defined. (The check derives them
        # from the golden score in its context; here they are given to the stage itself.)
        focus = ("shop.bulk_discount", "shop.Cart.add")
        result = stage.run(ctx, focus, chosen, (), {})
    focused = {t.path: t for t in result.targets if t.focus}
    assert set(focused) == {"shop.bulk_discount", "shop.Cart"}
    plain = next(t for t in result.targets if t.path == "shop.round_price")
    assert focused["shop.bulk_discount"].programs > plain.programs


def test_a_candidate_that_cannot_be_imported_is_skipped_with_the_reason(tmp_path: Path) -> None:
    report = grade(
        write_files(tmp_path, {"shop.py": CLEAN_TEXT + "\nraise RuntimeError('nope')\n"})
    )
    result = report.check("differential")
    assert result is not None and result.status.value == "skipped"
    assert "could not be imported" in result.summary and "RuntimeError: nope" in result.summary
    assert {f.kind for f in report.findings} == {"import_failed"}


def test_no_differential_is_said_and_a_bad_settings_table_is_bad_input(tmp_path: Path) -> None:
    report = grade(CLEAN_CANDIDATES["tidy"], differential=False)
    result = report.check("differential")
    assert result is not None and result.summary == "not run: --no-differential was given"
    assert report.verdict.verdict == "preserved"
    golden = write_files(tmp_path / "golden", {})
    for path in SHOP.rglob("*"):
        if path.is_file():
            target = golden / path.relative_to(SHOP)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    (golden / "exercise.toml").write_text(
        '[exercise]\nname = "x"\npackage = "shop"\n[differential]\nexamples = "many"\n'
    )
    with pytest.raises(BadInputError, match="examples must be a positive integer"):
        grade(CLEAN_CANDIDATES["tidy"], golden=golden)


def test_a_public_alias_of_a_class_changes_nothing_a_caller_sees(tmp_path: Path) -> None:
    # ``Basket`` is bound (to None) before ``Cart`` exists and to Cart at the end, so the
    # module's namespace lists the alias first: types are still labelled by their own name.
    text = CLEAN_TEXT.replace("\nclass Cart", "\nBasket = None\n\n\nclass Cart", 1)
    text += "\n\nBasket = Cart\n"
    report = grade(write_files(tmp_path, {"shop.py": text}))
    assert report.verdict.verdict == "preserved", [f.message for f in report.findings]


def test_shrinking_keeps_the_injected_clock_so_the_evidence_is_the_same_every_run(
    tmp_path: Path,
) -> None:
    # The candidate no longer tidies an order's lines in place (the golden tests never look).
    # Shrinking the program found would drop `clock=` as an optional argument; the original's
    # state would then hold the machine's time, and the evidence would change from run to run.
    golden = FIXTURES / "probe_clock"
    text = (golden / "original" / "orders.py").read_text(encoding="utf-8")
    assert text.count('            line["qty"] = qty\n') == 1
    candidate = write_files(
        tmp_path / "untidy", {"orders.py": text.replace('            line["qty"] = qty\n', "")}
    )
    reports = [grade(candidate, golden=golden) for _ in range(2)]
    for report in reports:
        assert report.verdict.verdict == "changed", [f.message for f in report.findings]
    evidence = []
    for report in reports:
        result = report.check("differential")
        assert isinstance(result, DifferentialResult)
        counterexample = result.counterexamples[0]
        assert "Orders(clock=" in counterexample.call, counterexample.call
        evidence.append((counterexample.call, counterexample.original, counterexample.candidate))
    assert evidence[0] == evidence[1]
