"""Test doubles: objects of the tests that a package is handed, replayed as data.

A golden test may hand the package something of its own: a clock (``Throttle(clock=
FakeClock())``), a callback, a small object with methods. Such a value is neither data nor an
object of the package's classes, so it cannot cross to the workers; without it, no call on
the class it was given to could be replayed. Instead:

**Recording.** The recorder stands a proxy in for the argument (``diff_worker._Spy``), so
the package holds the proxy and the proxy forwards to the test's object. For every top-level
call a test makes, it notes what the package asked of the object (``op``: calling it,
reading an attribute, calling a method; writing an attribute is noted as a call) and what
the object answered, as canonical data (``values``), never pickled. A step's answers become
its ``world``: one ``Setting`` per double and op.

**Replay.** Each worker builds its own double of the object from that data
(``diff_worker._Double``), the same on every side. A double is a *settable value*: it answers
as a function of the step, the state of the world the test set up before that call, never
of how many times the package asks. During step k every call returns the answer recorded for
step k, however often it is made (an honest refactor may call ``clock()`` once where the
original called it three times); a step with no setting of its own sees the last one (time
stands still between steps unless a step moves it), and a program starts from each op's
first setting (the clock's time before the first call). When the answers varied within one
recorded step (a clock that ticks on every reading), that step's setting is a *script*,
answered in order; a candidate that calls past the script's end, or not exactly as often as
it says, has left what the recording knows. So has one asking something never recorded (an
attribute the original never read): the double answers with an error. Either way the step,
and every later step of that program, is *off script*: a difference there is a warning
(excused), never a finding.

**Compared.** What the package passes *into* the object is behaviour: every call with
arguments (a callback's ``on_ban("x")``) and every attribute written is listed per step,
with the arguments, and compared in order (``compare.DOUBLE_CALLS``); calls without arguments
and attribute reads are questions, free in number. The double itself encodes as
``["double", i]`` on both sides (an object keeping it as an attribute compares equal).

**Generation.** The recorded settings give a time line per numeric op (a clock: 1000.0,
1001.0, ..., 1064.0). Calls of a class's methods may move it between steps: by a delta drawn
from the recorded deltas, the original's numeric constants (``ban_seconds=60``) and their
neighbours, and 0 (``delta_pool``); the sweep also changes each recorded delta to its
neighbours, shifting the rest of the time line with it (``moved``), so that "exactly the
instant a ban ends" is one change away from a recorded test. hypothesis draws the deltas
like any other value: the same seed gives the same programs.

Not covered: a test's object inside a container (a list of callbacks), answers that are
themselves objects of the tests, exceptions the object raised (such answers are left out,
and a double asked for them is off script), and ``isinstance`` checks against the test's
class. Doubles are numbered per recorded test, so a program joining two tests' histories
has them share a number (and so one double); every recorded step sets its own answers, so
each history still sees its own. A counterexample renders each double as a small class with
the answers set between steps, so it runs without the tests (a script shows as an iterator
of its answers).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from . import values
from .literals import Literals
from .program import Program, Setting, Step
from .values import Value

_NUMERIC = frozenset({"int", "float"})
_MAX_DELTAS = 48
_MAX_ANSWERS = 64  # answers of one op in one step kept from a recording


# -- recording ---------------------------------------------------------------------------


def settings_of(raw: object) -> tuple[Setting, ...] | None:
    """A recorded step's world from the recorder's ``[[double, op, [answers...]], ...]``;
    None when it is malformed (the recorder runs the tests' code, so it is checked)."""
    if not isinstance(raw, list):
        return None
    out: list[Setting] = []
    for item in raw:
        if not (
            isinstance(item, list)
            and len(item) == 3
            and isinstance(item[0], int)
            and not isinstance(item[0], bool)
            and isinstance(item[1], str)
            and _OP.match(item[1])
            and isinstance(item[2], list)
            and 0 < len(item[2]) <= _MAX_ANSWERS
            and all(values.is_valid(a) for a in item[2])
        ):
            return None
        answers = item[2]
        # An answer that cannot be rebuilt (an object of the tests, a cut) is left out: the
        # double then has no answer there, and a call asking for it is off script.
        if not all(values.decodable(a) and not values.refs(a) for a in answers):
            continue
        if all(a == answers[0] for a in answers):
            answers = answers[:1]  # the same every time: a value, free in number
        out.append(Setting(item[0], item[1], tuple(answers)))
    return tuple(out)


_OP = re.compile(r"^(call|\.[A-Za-z_][A-Za-z0-9_]*(\(\))?)$")


# -- judging -----------------------------------------------------------------------------


def in_play(program: Program, upto: int) -> frozenset[int]:
    """The test doubles a program has handed the package by step ``upto``: those its steps
    set answers for and those passed in its arguments."""
    found: set[int] = set()
    for step in program.steps[: upto + 1]:
        found.update(setting.double for setting in step.world)
        for value in step.values():
            found.update(_doubles_in(value))
    return frozenset(found)


def believable(program: Program, step: int, claim: str) -> bool:
    """Whether an off-script claim from the candidate's worker could be true of this program.

    The claim comes from the process that hosts the candidate's code, so on its own it may
    not excuse anything: only a program that has handed the package a test double by that
    step can leave its recording's script, and the claim must name one of those doubles.
    A claim about any other program is a forgery, and its mismatch stands.
    """
    named = _NAMED_DOUBLE.match(claim)
    return named is not None and int(named.group(1)) in in_play(program, step)


_NAMED_DOUBLE = re.compile(r"^test double (\d+):")


def _doubles_in(value: Value) -> Iterable[int]:
    if not isinstance(value, list) or not value:
        return
    if value[0] == "double" and len(value) == 2 and isinstance(value[1], int):
        yield value[1]
        return
    for item in value:
        if isinstance(item, list):
            yield from _doubles_in(item)


# -- generation --------------------------------------------------------------------------


def numeric(answer: Value) -> float | int | None:
    if answer[0] not in _NUMERIC:
        return None
    try:
        number = int(answer[1]) if answer[0] == "int" else float(answer[1])
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def current(steps: Iterable[Step]) -> dict[tuple[int, str], Value]:
    """Each double's op's value after the steps (the last single answer set for it)."""
    now: dict[tuple[int, str], Value] = {}
    for step in steps:
        for setting in step.world:
            now[(setting.double, setting.op)] = setting.answers[-1]
    return now


def advanced(now: dict[tuple[int, str], Value], delta: float | int) -> tuple[Setting, ...]:
    """Settings moving every numeric op by ``delta`` (time passes for every clock at once)."""
    out = []
    for (double, op), answer in sorted(now.items()):
        moved = _plus(answer, delta)
        if moved is not None:
            out.append(Setting(double, op, (moved,)))
    return tuple(out)


def _plus(answer: Value, delta: float | int) -> Value | None:
    number = numeric(answer)
    if number is None:
        return None
    if answer[0] == "int":
        if not isinstance(delta, int):
            return None  # an int clock stays an int clock
        return ["int", str(number + delta)]
    result = float(number) + delta
    return ["float", repr(result)] if math.isfinite(result) else None


def recorded_deltas(programs: Iterable[Program]) -> list[float | int]:
    """The moves between consecutive settings of each numeric op in the recorded programs."""
    found: list[float | int] = []
    for program in programs:
        last: dict[tuple[int, str], float | int] = {}
        for step in program.steps:
            for setting in step.world:
                if len(setting.answers) != 1:
                    continue
                number = numeric(setting.answers[0])
                if number is None:
                    continue
                where = (setting.double, setting.op)
                if where in last and number != last[where]:
                    found.append(number - last[where])
                last[where] = number
    return found


def delta_pool(programs: Sequence[Program], literals: Literals) -> list[float | int]:
    """Moves a generated program may give a numeric double between two calls: 0 first (what
    hypothesis shrinks to), the recorded moves, then the original's numeric constants and
    their neighbours (a ban of 60 s ends exactly 60 s later). Empty when no recorded double
    is numeric: then nothing about generation changes."""
    recorded = recorded_deltas(programs)
    if not recorded and not _has_numeric_setting(programs):
        return []
    pool: list[float | int] = [0, *recorded]
    for constant in (*literals.ints, *literals.floats):
        if constant > 0:
            pool += [constant, constant - 1, constant + 1]
    pool += [1, 0.5, -1]  # a second, half of one, and a clock that goes back
    unique = list(dict.fromkeys(p for p in pool if math.isfinite(p) and abs(p) < 10**9))
    return unique[:_MAX_DELTAS]


def _has_numeric_setting(programs: Sequence[Program]) -> bool:
    return any(
        numeric(s.answers[0]) is not None for p in programs for step in p.steps for s in step.world
    )


def delta_variants(delta: float | int, pool: Sequence[float | int]) -> list[float | int]:
    """Other moves to try in place of a recorded one: its neighbours and the pool's."""
    near: list[float | int] = [delta - 1, delta + 1, 0, delta / 2, delta - 0.5, delta + 0.5]
    if isinstance(delta, float):
        near += [delta - 0.01, delta + 0.01]
    return [d for d in dict.fromkeys([*near, *pool]) if d != delta]


def moved(
    steps: Sequence[Step], index: int, setting: Setting, amount: float | int
) -> tuple[Step, ...] | None:
    """The steps with ``setting`` (at ``index``) and every later setting of the same op moved
    by ``amount``: one recorded move changed, the rest of the time line kept as it was."""
    out = list(steps)
    for at in range(index, len(steps)):
        world = []
        for s in steps[at].world:
            if (s.double, s.op) == (setting.double, setting.op) and len(s.answers) == 1:
                shifted = _plus(s.answers[0], amount)
                if shifted is None:
                    return None
                s = replace(s, answers=(shifted,))
            world.append(s)
        out[at] = replace(steps[at], world=tuple(world))
    return tuple(out)


def recorded_move(steps: Sequence[Step], index: int, setting: Setting) -> float | int | None:
    """How far ``setting`` (at ``index``) moved its numeric op from the value before it; None
    when either is not a number or the op was not set before (a time line's start)."""
    now = numeric(setting.answers[0]) if len(setting.answers) == 1 else None
    if now is None:
        return None
    for step in reversed(steps[:index]):
        for s in step.world:
            if (s.double, s.op) == (setting.double, setting.op):
                then = numeric(s.answers[-1])
                return None if then is None else now - then
    return None
