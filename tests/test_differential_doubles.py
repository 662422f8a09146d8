"""Test doubles (objects of the tests handed to the package: a clock, a callback) and float
rounding noise: in this process, in real workers, under the recorder, and end to end on the
``ratelimit`` exercise, whose clock the golden tests own."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from refactor_check import exercise, isolation, pipeline, sources, workspace
from refactor_check.cache import Cache
from refactor_check.differential import (
    compare,
    doubles,
    literals,
    recording,
    rendering,
    sweep,
    values,
)
from refactor_check.differential import surface as diff_surface
from refactor_check.differential.compare import ProgramRun, StepObservation
from refactor_check.differential.generation import Catalog, Generator
from refactor_check.differential.program import METHOD, NEW, Program, Setting, Step
from refactor_check.differential.recording import Lineage, Recording
from refactor_check.differential.signatures import Signatures
from refactor_check.differential.surface import CLASS, Target
from refactor_check.differential.workers import Trio
from refactor_check.limits import Limits
from refactor_check.runner import Runner

from .conftest import EXAMPLES, FIXTURES, write_files

LIMITS = Limits(wall_seconds=60, stall_seconds=5, memory_mb=1024, output_mb=4)


def f(x: float) -> list[Any]:
    return ["float", repr(x)]


CLOCK: list[Any] = ["double", 0]
RING: list[Any] = ["double", 1]


def at(*answers: float, double: int = 0, op: str = "call") -> tuple[Setting, ...]:
    return (Setting(double, op, tuple(f(a) for a in answers)),)


# -- floats: rounding noise is a warning, anything bigger a finding -------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (0.1 + 0.2 + 0.3, 0.3 + 0.2 + 0.1),  # the same sum, added in another order
        (0.7 + 0.2 + 0.1, 0.1 + 0.2 + 0.7),
        (1.1 * 1.1, 1.21),
        (1e300 * 1.1 * 1.1, 1.21e300),
        (0.1 + 0.2 - 0.3, 0.0),  # near zero relative nearness means nothing: absolute
        (-0.0, 0.0),
        (1.0, 1.0 + 5e-10),  # inside a relative 1e-9
    ],
)
def test_floats_a_rounding_error_apart_are_noise(a: float, b: float) -> None:
    assert repr(a) != repr(b)
    (difference,) = values.diff(f(a), f(b), ("return value",))
    assert difference.rounding_only and not difference.order_only


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (2.68, 2.67),  # money rounded another way: a cent apart
        (0.6, 0.61),
        (1.0, 1.0 + 3e-9),  # outside a relative 1e-9
        (1e-11, 0.0),  # outside the absolute 1e-12 near zero
        (float("inf"), 1e308),
        (float("nan"), 0.0),
    ],
)
def test_floats_further_apart_differ(a: float, b: float) -> None:
    (difference,) = values.diff(f(a), f(b))
    assert not difference.rounding_only


def test_types_still_count_and_complex_numbers_are_compared_by_parts() -> None:
    assert not values.diff(["int", "1"], f(1.0))[0].rounding_only
    assert not values.diff(["bool", True], f(1.0))[0].rounding_only
    noise = complex(0.1 + 0.2, 1.0)
    assert values.diff(["complex", repr(noise)], ["complex", repr(0.3 + 1j)])[0].rounding_only
    assert not values.diff(["complex", "(0.3+1j)"], ["complex", "(0.3+1.01j)"])[0].rounding_only


def test_rounding_noise_is_counted_apart_from_the_mismatches() -> None:
    def run(total: float, count: str) -> ProgramRun:
        value = ["dict", [[["str", "total"], f(total)], [["str", "count"], ["int", count]]]]
        return ProgramRun((StepObservation("returned", (("return value", value),)),))

    original = run(0.1 + 0.2 + 0.3, "3")
    noisy = compare.compare(original, original, run(0.6, "3"))
    assert noisy.mismatches == () and [d.where for d in noisy.rounding] == ["return value['total']"]
    wrong = compare.compare(original, original, run(0.6, "4"))
    assert [d.where for m in wrong.mismatches for d in m.differences] == ["return value['count']"]


# -- doubles in this process: recorded worlds, moves, rendering -----------------------------


def test_a_recorded_step_world_is_a_value_when_its_answers_agree_else_a_script() -> None:
    raw = [
        [0, "call", [f(5.0), f(5.0), f(5.0)]],
        [1, ".now", [f(1.0), f(2.0)]],
        [2, ".name()", [["cut", "exception", "boom"]]],  # not rebuildable: left out
    ]
    world = doubles.settings_of(raw)
    assert world == (Setting(0, "call", (f(5.0),)), Setting(1, ".now", (f(1.0), f(2.0))))
    assert doubles.settings_of([[0, "import os", [f(1.0)]]]) is None  # not an op
    assert doubles.settings_of([[0, "call", []]]) is None


def test_recording_attaches_each_step_world_and_keeps_doubles_out_of_the_pools() -> None:
    test = "tests/test_alarm.py::test_ring"
    events = [
        {"event": "call", "test": test, "top": True, "index": 0, "target": "pkg.Alarm",
         "kind": "new", "args": [], "kwargs": [["clock", CLOCK]], "receiver": None, "seq": 1},
        {"event": "object", "test": test, "index": 0, "class": "pkg.Alarm"},
        {"event": "call", "test": test, "top": True, "index": 1, "target": "pkg.Alarm.poll",
         "kind": "method", "args": [], "kwargs": [], "receiver": ["ref", 0], "seq": 2},
        {"event": "world", "test": test, "index": 1, "world": [[0, "call", [f(7.0)]]]},
    ]  # fmt: skip
    built = recording.build(events)
    (program,) = built.programs
    assert program.steps[0].world == () and program.steps[1].world == at(7.0)
    assert program.request()[1]["world"] == [[0, "call", [f(7.0)]]]
    # The domain sees the constructor call; generation leaves it out (``Catalog``).
    assert any(values.doubles(v) for s in built.samples for v in s.values())


def _alarm_program(*moves: tuple[float, ...]) -> Program:
    # The ring callback answers None, as the tests' ``rang.append`` did.
    quiet = (Setting(1, "call", (["none"],)),)
    steps = [Step(NEW, "pkg.Alarm", (), (("clock", CLOCK), ("ring", RING)), world=quiet)]
    for answers in moves:
        steps.append(Step(METHOD, "pkg.Alarm.poll", receiver=0, world=at(*answers)))
    return Program(tuple(steps))


def test_time_lines_move_by_recorded_deltas_constants_and_neighbours() -> None:
    program = _alarm_program((100.0,), (101.0,), (161.0,))
    assert doubles.recorded_deltas([program]) == [1.0, 60.0]
    pool = doubles.delta_pool([program], literals.Literals(ints=(10,)))
    assert pool[0] == 0 and {1.0, 60.0, 10, 9, 11} <= set(pool)
    assert doubles.delta_pool([Program((Step(NEW, "pkg.Alarm"),))], literals.Literals()) == []
    # One recorded move changed, the rest of the time line keeps its own moves.
    steps = program.steps
    moved = doubles.moved(steps, 2, steps[2].world[0], -0.5)
    assert moved is not None
    assert [s.world for s in moved[1:]] == [at(100.0), at(100.5), at(160.5)]
    assert doubles.advanced(doubles.current(steps), 2.5) == at(163.5)


def test_a_program_with_doubles_renders_as_runnable_python(tmp_path: Path) -> None:
    program = _alarm_program((100.0,), (100.0,), (110.0,), (110.0, 111.0))
    text = rendering.render(program)
    assert "clock = Clock()\nclock.returns = 100.0\n" in text
    assert "alarm.poll()\nalarm.poll()\nclock.returns = 110.0\nalarm.poll()\n" in text
    assert "clock.returns = iter([110.0, 111.0])" in text
    assert "alarm = pkg.Alarm(clock=clock, ring=ring)" in text
    write_files(tmp_path, {"pkg.py": ALARM})
    script = "import pkg\n" + text.replace("\nalarm.poll()", "\nprint(alarm.poll())")
    done = subprocess.run(
        [sys.executable, "-B", "-c", script], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.stdout.split() == ["False", "False", "True", "False"], done.stderr


# -- doubles in the workers ------------------------------------------------------------------

ALARM = """
class Alarm:
    def __init__(self, clock, ring=None):
        self.clock = clock
        self.ring = ring
        self.at = None

    def arm(self, seconds):
        self.at = self.clock() + seconds

    def poll(self):
        now = self.clock()
        if self.at is None:
            self.at = now + 10
            return False
        if now >= self.at:
            if self.ring is not None:
                self.ring("ring", now)
            self.at = None
            return True
        return False

    def span(self):
        first = self.clock()
        return self.clock() - first
"""


@pytest.fixture
def trio_for(tmp_path: Path) -> Iterator[Any]:
    trios: list[Trio] = []
    with workspace.prepare() as ws:

        def make(candidate: str) -> Trio:
            packages = []
            for side, text in (("original", ALARM), ("candidate", candidate)):
                root = write_files(tmp_path / f"{side}{len(trios)}", {"pkg.py": text})
                package = sources.load_package(root, "pkg")
                assert package is not None
                packages.append(package)
            runner = Runner(limits=LIMITS, sandbox=isolation.probe("none"))
            trio = Trio(runner, ws, packages[0], packages[1], lifetime_seconds=120)
            trios.append(trio)
            assert trio.start() == {}
            return trio

        yield make
        for trio in trios:
            trio.close()


def _observe(trio: Any, program: Program) -> list[ProgramRun]:
    answers = trio.request({"op": "run", "steps": program.request(), "timeout": 5.0}, 5.0)
    names = [["clock", "ring"]] + [[] for _ in program.steps[1:]]
    return [compare.parse_run(a, program, names) for a in answers]


def test_doubles_answer_per_step_and_what_the_package_passes_in_is_compared(trio_for) -> None:
    # The candidate asks the clock three times per poll, and rings with other words.
    candidate = ALARM.replace(
        "        now = self.clock()\n",
        "        self.clock()\n        self.clock()\n        now = self.clock()\n",
    ).replace('self.ring("ring", now)', 'self.ring("RING", now)')
    trio = trio_for(candidate)
    program = _alarm_program((100.0,), (109.5,), (110.0,))
    original, again, theirs = _observe(trio, program)
    assert [s.get(compare.RETURN) for s in original.steps[1:]] == [
        ["bool", False], ["bool", False], ["bool", True],
    ]  # fmt: skip
    rang = original.steps[3].get(compare.DOUBLE_CALLS)
    passed = ["tuple", [["str", "ring"], f(110.0)]]
    assert rang == ["list", [["tuple", [RING, ["str", "call"], passed, ["dict", []]]]]]
    made = original.steps[0].get(compare.RETURN)
    assert made is not None and ["clock", CLOCK] in made[2]  # a double encodes as itself
    comparison = compare.compare(original, again, theirs)
    # Three readings of the clock answer the same as one; the ring's words differ.
    ((mismatch),) = comparison.mismatches
    assert mismatch.step == 3 and {d.path[0] for d in mismatch.differences} == {
        compare.DOUBLE_CALLS
    }
    assert not any(s.off_script for s in theirs.steps)


def test_a_candidate_leaving_the_recorded_script_is_off_script(trio_for) -> None:
    candidate = ALARM.replace(
        "        first = self.clock()\n        return self.clock() - first",
        "        return self.clock.now - self.clock()",
    )
    trio = trio_for(candidate)
    span = Step(METHOD, "pkg.Alarm.span", receiver=0, world=at(5.0, 7.5))
    program = Program((_alarm_program().steps[0], span))
    original, _, theirs = _observe(trio, program)
    assert original.steps[1].get(compare.RETURN) == f(2.5) and not original.steps[1].off_script
    assert theirs.steps[1].outcome == compare.RAISED
    assert "never saw .now read" in theirs.steps[1].off_script
    # Asking a scripted op fewer times than recorded leaves the script too.
    fewer = ALARM.replace("return self.clock() - first", "return first - first")
    _, _, theirs = _observe(trio_for(fewer), program)
    assert "asked 1 time(s) in this step where the recording answered it 2" in (
        theirs.steps[1].off_script
    )


# -- the recorder ----------------------------------------------------------------------------


def test_the_recorder_stands_in_for_the_tests_objects(tmp_path: Path) -> None:
    golden = write_files(
        tmp_path / "golden",
        {
            "exercise.toml": '[exercise]\nname = "alarm"\npackage = "pkg"\n',
            "original/pkg.py": ALARM,
            "tests/clock.py": """
                class FakeClock:
                    def __init__(self):
                        self.now = 100.0

                    def __call__(self):
                        return self.now
                """,
            "tests/test_alarm.py": """
                from clock import FakeClock
                from pkg import Alarm

                def test_rings_once_the_time_has_come():
                    clock, rang = FakeClock(), []
                    alarm = Alarm(clock=clock, ring=lambda *args: rang.append(args))
                    assert alarm.poll() is False
                    clock.now += 10
                    assert alarm.poll() is True
                    assert rang == [("ring", 110.0)]
                    assert alarm.clock == clock and isinstance(alarm.clock, FakeClock)

                def test_an_object_with_protocols_is_left_alone():
                    # A spy could not pass len() on: such a call is not replayed, as before.
                    class Sized:
                        def __len__(self):
                            return 3
                    alarm = Alarm(clock=Sized())
                    assert len(alarm.clock) == 3
                """,
        },
    )
    loaded = exercise.load(golden)
    original = sources.load_package(loaded.original, loaded.package)
    assert original is not None
    public = diff_surface.read(diff_surface.load_tree(loaded.original, loaded.package))
    runner = Runner(limits=loaded.limits, sandbox=isolation.probe("none"))
    with workspace.prepare() as ws:
        recorded = recording.record(runner, ws, loaded, original, public, 60, Cache(None))
    assert recorded.note is None  # the test passed with the spies in place
    (program,) = recorded.programs
    assert [s.world for s in program.steps] == [
        (),
        at(100.0),
        (*at(110.0), Setting(1, "call", (["none"],))),
    ]
    assert rendering.render(program).splitlines()[-4:] == [
        "alarm = pkg.Alarm(clock=clock, ring=ring)",
        "alarm.poll()",
        "clock.returns = 110.0",
        "alarm.poll()",
    ]


# -- end to end --------------------------------------------------------------------------------


def _grade(candidate: Path, golden: Path, seed: int = 0) -> Any:
    options = pipeline.Options(golden=golden, mutation=False, seed=seed)
    return pipeline.grade(candidate, options)


def test_a_float_sum_added_in_another_order_is_preserved_with_a_warning() -> None:
    report = _grade(FIXTURES / "diff_floats_reordered", FIXTURES / "diff_floats")
    assert report.verdict.verdict == "preserved", report.verdict.reason
    result = report.check("differential")
    assert result is not None and result.status.value == "passed"
    assert any("float rounding noise" in w and "stats.total" in w for w in result.warnings)


@pytest.mark.slow
def test_the_ratelimit_golden_gap_is_found_through_the_tests_clock(cli) -> None:
    result = cli(
        "run",
        EXAMPLES / "ratelimit" / "golden_gap",
        "--no-mutation",
        "--differential-examples",
        "5",
        "--differential-seconds",
        "60",
    )
    assert result.code == 1, result.stdout + result.stderr
    report = result.report
    assert report["verdict"] == "changed" and report["golden"]["passed"] == 33
    (finding,) = report["findings"]
    assert finding["kind"] == "differential_mismatch"
    assert finding["message"].startswith("throttle.Throttle.check: ")
    call = finding["call"]
    assert "clock = Clock()" in call and "Throttle(clock=clock" in call
    # Runnable as shown: the original lets the request through at the instant the ban ends,
    # the candidate still refuses it.
    script = (
        textwrap.dedent(
            """
        import throttle
        {body}
        """
        ).format(body=call.rsplit("\n", 1)[0])
        + f"print({call.splitlines()[-1]})\n"
    )
    seen = {}
    for side, root in (
        ("original", Path(__file__).parent.parent / "golden_repos/ratelimit/original"),
        ("candidate", EXAMPLES / "ratelimit" / "golden_gap"),
    ):
        done = subprocess.run(
            [sys.executable, "-B", "-c", script],
            env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=30,
        )
        seen[side] = done.stdout.strip()
    assert seen["original"].startswith("(True, {'reason': 'ok'"), seen
    assert seen["candidate"].startswith("(False, {'reason': 'banned'"), seen


def test_the_sweep_lands_a_recorded_move_next_to_a_constant_on_it() -> None:
    # A test waits 61 s after something that lasts 60 s: the instant itself is untested.
    program = _alarm_program((1000.0,), (1003.0,), (1064.0,), (1065.0,))
    recorded = Recording(programs=(program,), lineages={"pkg.Alarm": (Lineage(program, 0),)})
    poll = {"exists": True, "kind": "function", "method": True, "signature": [
        ["self", "positional_or_keyword", False, None, None]
    ]}  # fmt: skip
    signatures = Signatures({"pkg.Alarm.poll": poll})
    catalog = Catalog(signatures, recorded, literals.Literals(ints=(2, 60)), {})
    target = Target(path="pkg.Alarm", kind=CLASS, canonical="pkg.Alarm", methods=("poll",))
    (onto,) = sweep._onto_boundaries(catalog, target)
    assert [s.world for s in onto[1:]] == [at(1000.0), at(1003.0), at(1063.0), at(1064.0)]
    # Generated calls move the clock by a drawn delta just before they run.
    generator = Generator(catalog, max_steps=4)
    start = (program.steps[:3], 0)
    moved = generator._class_program(start, [("pkg.Alarm.poll", {}, 60)], "generated")
    assert moved.steps[-1].world == at(1063.0)
    still = generator._class_program(start, [("pkg.Alarm.poll", {}, 0)], "generated")
    assert still.steps[-1].world == ()


def test_an_off_script_claim_is_believed_only_of_a_program_that_handed_over_that_double() -> None:
    plain = Program(
        (Step(NEW, "toy.Counter"), Step(METHOD, "toy.Counter.bump", (["int", "2"],), receiver=0))
    )
    clock = Setting(3, "call", (["float", "1000.0"],))
    with_world = Program((Step(NEW, "throttle.Throttle", world=(clock,)),))
    passed_in = Program((Step(NEW, "throttle.Throttle", (["list", [["double", 5]]],)),))
    claim = "test double {}: the recording has no answer for call"

    # No double in the program: whatever the candidate's worker says, nothing could go off.
    assert doubles.in_play(plain, 1) == frozenset()
    assert not doubles.believable(plain, 1, claim.format(3))
    # A double whose answers the program sets, or one passed in an argument.
    assert doubles.believable(with_world, 0, claim.format(3))
    assert doubles.believable(passed_in, 0, claim.format(5))
    # Not the double in play, or not a claim the worker writes.
    assert not doubles.believable(with_world, 0, claim.format(4))
    assert not doubles.believable(with_world, 0, "the candidate left the script")
