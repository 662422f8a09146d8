"""What a caller observes of each step, and the comparison of the two packages' observations.

An observation holds, for one call: how it ended (returned, raised, or could not be made),
the return value or the exception's type and message, what it printed to stdout and stderr,
the state of every argument and of the receiver after the call, whether it returned one
of its arguments itself, and, in a program that hands the package test doubles, what it
passed into them (``doubles``). Workers send them as JSON; ``parse_run`` accepts only the shapes
described here (a candidate's process can write anything).

When the original and the candidate differ, the original runs a second time, in a worker
with another hash seed. Whatever differs between its two runs is nondeterministic (times, ids,
set order) and excluded from the comparison with the candidate; a step where the original's
two runs do not even end the same way ends the comparison of that program.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeGuard

from . import values
from .program import METHOD, Program, Step
from .values import Difference, Value

RETURNED, RAISED, ERROR, TIMEOUT, CRASHED, MALFORMED = (
    "returned",
    "raised",
    "error",  # the call could not be made (a missing name, an argument that cannot be built)
    "timeout",
    "crashed",
    "malformed",  # the worker's answer did not have the promised shape
)
_ENDED = frozenset({TIMEOUT, CRASHED, MALFORMED})
BY_RAISE, BY_CALL, BY_OPERATION = "raise", "call", "operation"
RAISED_BY = frozenset({BY_RAISE, BY_CALL, BY_OPERATION})

RETURN, EXCEPTION, CAUSE, CONTEXT, IDENTITY, STDOUT, STDERR, WARNINGS, RECEIVER, DOUBLE_CALLS = (
    "return value",
    "exception",
    # Exception chains. A caller reads ``err.__cause__`` (``raise ... from exc``): it is
    # behaviour, and dropping it loses what the caller could read. The implicit
    # ``__context__`` is kept only to accept a cause the candidate made explicit (below);
    # ``__suppress_context__`` (``from None``) changes only how a traceback prints.
    "exception's __cause__",
    "exception's __context__",
    "the object it returns",
    "stdout",
    "stderr",
    "warnings",
    "receiver after the call",
    # What the package passed into the tests' objects (a callback's arguments); calls
    # without arguments and attribute reads are questions, free in number (``doubles``).
    "calls on the tests' objects",
)


@dataclass(frozen=True)
class StepObservation:
    outcome: str
    fields: tuple[tuple[str, Value], ...] = ()  # display name -> value, in display order
    detail: str = ""  # for ERROR, TIMEOUT, CRASHED, MALFORMED
    # RAISED: "raise" (a raise statement of the package), "call" (a library function) or
    # "operation" (a subscript, attribute or arithmetic on a value). Not compared: it says
    # whether an exception is by design or by accident.
    raised_by: str = ""
    # Why the tests' objects could not answer as recorded during this step or an earlier
    # one (a call the recording has no answer for, a script run past); not compared: a
    # difference from here on is outside what the recording knows (``doubles``).
    off_script: str = ""

    def get(self, name: str) -> Value | None:
        return next((v for n, v in self.fields if n == name), None)


@dataclass(frozen=True)
class ProgramRun:
    """One side's run of a program: an observation per step that ran; when the run ended
    early (a hang, a crash), its last observation says so."""

    steps: tuple[StepObservation, ...]
    duration: float = 0.0  # seconds, as the worker measured; never part of a report

    @property
    def ended_early(self) -> bool:
        return bool(self.steps) and self.steps[-1].outcome in _ENDED


def argument_field(name: str) -> str:
    return f"argument {name!r} after the call"


def parse_run(answer: object, program: Program, arg_names: Sequence[Sequence[str]]) -> ProgramRun:
    """A worker's answer to a ``run`` request, validated step by step."""
    if not isinstance(answer, dict) or not isinstance(answer.get("steps"), list):
        return ProgramRun((StepObservation(MALFORMED, detail="the answer is not a run"),))
    observations: list[StepObservation] = []
    for index, message in enumerate(answer["steps"][: len(program.steps)]):
        observation = _parse_step(message, program, index, arg_names[index])
        observations.append(observation)
        if observation.outcome == MALFORMED:
            break
    status = answer.get("status")
    if len(observations) < len(program.steps) and not (
        observations and observations[-1].outcome == MALFORMED
    ):
        detail = str(answer.get("detail") or "")[:500]
        if status == "timeout":
            observations.append(StepObservation(TIMEOUT, detail="did not return in time"))
        elif status in ("crashed", "too_large"):
            observations.append(StepObservation(CRASHED, detail=detail or str(status)))
        else:
            observations.append(
                StepObservation(MALFORMED, detail=f"run ended with status {status!r}")
            )
    duration = answer.get("duration")
    return ProgramRun(
        tuple(observations), float(duration) if isinstance(duration, (int, float)) else 0.0
    )


_TYPE_ERRORS = frozenset({"TypeError", "AttributeError"})


def incidental(observation: StepObservation) -> bool:
    """An exception by accident, not by design: Python itself failing on a value (a subscript,
    an attribute, arithmetic) or a builtin rejecting a value's type; never the package's own
    ``raise``, and not a library's validation error (``int('x')``'s ValueError)."""
    if observation.outcome != RAISED:
        return False
    if observation.raised_by == BY_OPERATION:
        return True
    exception = observation.get(EXCEPTION)
    return (
        observation.raised_by == BY_CALL and exception is not None and exception[1] in _TYPE_ERRORS
    )


def _identity(identity: str | None, step: Step, names: Sequence[str]) -> str:
    """Which argument the call returned itself, in the words of its parameters."""
    if identity is None:
        return "a new object (or an immutable value)"
    if identity == "receiver":
        return "the receiver itself"
    if identity.startswith("args[") and identity.endswith("]") and identity[5:-1].isdigit():
        index = int(identity[5:-1])
        name = names[index] if index < len(names) else identity
        return f"argument {name!r} itself"
    if identity.startswith("kwargs[") and identity.endswith("]"):
        return f"argument {identity[7:-1]!r} itself"
    return identity


class KeptAttributes:
    """What a digest covers of each class's objects: the public attributes the original's
    objects have been seen with (``diff_worker._digested``).

    A candidate may add public attributes (the comparison allows it), but a digest over every
    attribute would send each of its programs to the full comparison. So the digest of a
    class's objects covers only the attributes the original showed, on both sides; any
    attribute of the original outside them comes back named (its "extras"), is learnt, and
    sends that program to the full comparison, so nothing the original shows goes unchecked.
    """

    _MAX_NAMES = 5000  # the original's own classes and attributes; beyond, stop learning

    def __init__(self) -> None:
        self._names: dict[str, set[str]] = {}
        self._count = 0

    def request(self) -> dict[str, list[str]]:
        return {label: sorted(names) for label, names in self._names.items()}

    def learn(self, answer: object) -> bool:
        """Learn the attributes the original's digest answer names; whether it named any
        (then its digests leave part of the original's behaviour out)."""
        if not isinstance(answer, dict) or not isinstance(answer.get("steps"), list):
            return False
        named = False
        for step in answer["steps"]:
            extras = step.get("extras") if isinstance(step, dict) else None
            for extra in extras if isinstance(extras, list) else ():
                label, dot, name = extra.rpartition(".") if isinstance(extra, str) else ("", "", "")
                if not dot or not label or not name:
                    continue
                named = True
                if self._count < self._MAX_NAMES and name not in self._names.get(label, ()):
                    self._names.setdefault(label, set()).add(name)
                    self._count += 1
        return named


def same_digests(answers: Sequence[object], steps: int) -> bool:
    """Whether digest-mode answers show every step ending the same way on every side."""
    seen: list[list[object]] = []
    for answer in answers:
        if not isinstance(answer, dict) or answer.get("status") != "done":
            return False
        digests = answer.get("steps")
        if not isinstance(digests, list) or len(digests) != steps:
            return False
        seen.append([d.get("digest") if isinstance(d, dict) else None for d in digests])
    return all(isinstance(d, str) for d in seen[0]) and all(other == seen[0] for other in seen)


def _parse_step(
    message: object, program: Program, index: int, names: Sequence[str]
) -> StepObservation:
    step = program.steps[index]
    bad = StepObservation(MALFORMED, detail=f"malformed observation of step {index + 1}")
    if not isinstance(message, dict):
        return bad
    outcome = message.get("outcome")
    fields: list[tuple[str, Value]] = []
    if outcome == ERROR:
        detail = message.get("detail")
        return (
            StepObservation(ERROR, (("error", ["str", str(detail)]),), str(detail))
            if isinstance(detail, str)
            else bad
        )
    if outcome == RETURNED:
        value, identity = message.get("value"), message.get("identity")
        if not values.is_valid(value) or not (identity is None or isinstance(identity, str)):
            return bad
        fields += [(RETURN, value), (IDENTITY, ["str", _identity(identity, step, names)])]
    elif outcome == RAISED:
        exception = message.get("exception")
        if not _label_and_message(exception):
            return bad
        fields.append((EXCEPTION, ["exception", exception[0], exception[1]]))
        for name, key in ((CAUSE, "cause"), (CONTEXT, "context")):
            link = message.get(key)  # absent: no such link (a cause is then shown as None)
            if link is None:
                if name == CAUSE:
                    fields.append((CAUSE, values.NONE))
            elif _label_and_message(link):
                fields.append((name, ["exception", link[0], link[1]]))
            else:
                return bad
        raised_by = message.get("raised_by")
        if raised_by not in RAISED_BY:
            return bad
    else:
        return bad
    for name in ("stdout", "stderr"):
        if not values.is_valid(message.get(name)):
            return bad
        fields.append((name, message[name]))
    warned = message.get("warnings")
    if not isinstance(warned, list) or not all(
        isinstance(w, list) and len(w) == 2 and all(isinstance(x, str) for x in w) for w in warned
    ):
        return bad
    fields.append((WARNINGS, ["list", [["tuple", [["str", c], ["str", m]]] for c, m in warned]]))
    args, kwargs = message.get("args"), message.get("kwargs")
    if (
        not isinstance(args, list)
        or len(args) != len(step.args)
        or not all(values.is_valid(a) for a in args)
    ):
        return bad
    if not isinstance(kwargs, list) or [
        k[0] if isinstance(k, list) and k else None for k in kwargs
    ] != [k for k, _ in step.kwargs]:
        return bad
    if not all(len(k) == 2 and values.is_valid(k[1]) for k in kwargs):
        return bad
    for name, value in zip(names, [*args, *(v for _, v in kwargs)], strict=False):
        fields.append((argument_field(name), value))
    if step.kind == METHOD:
        receiver = message.get("receiver")
        if not values.is_valid(receiver):
            return bad
        fields.append((RECEIVER, receiver))
    if "double_calls" in message:  # only in programs that hand the package a test double
        calls = message["double_calls"]
        if not values.is_valid(calls) or calls[0] != "list":
            return bad
        fields.append((DOUBLE_CALLS, calls))
    off_script = message.get("off_script", "")
    if not isinstance(off_script, str):
        return bad
    return StepObservation(
        str(outcome),
        tuple(fields),
        raised_by=str(message.get("raised_by") or ""),
        off_script=off_script[:500],
    )


def _label_and_message(exception: object) -> TypeGuard[list[str]]:
    """The worker's form of an exception: [type label, message]."""
    return (
        isinstance(exception, list)
        and len(exception) == 2
        and all(isinstance(x, str) for x in exception)
    )


# --------------------------------------------------------------------------------------------
# Call paths (``diff_worker._CallPath``): which of the package's functions one step ran.
#
# Written by the process that runs the code under test, so the code can forge all of it. It is
# parsed here for its shape and size only; ``callpath`` then keeps the names that are
# functions of the source the parent read itself, and the result is shown, never judged.

MAX_TRACED_FUNCTIONS = 256  # the worker lists no more (``_TRACE_FUNCTIONS``)
MAX_TRACED_VALUES = 8 * MAX_TRACED_FUNCTIONS
_MAX_TRACE_NAME = 500  # characters of a file path or a qualified name
_MAX_TRACE_VALUE = 2_000  # characters of a returned value's encoding
_MAX_LINE = 10_000_000


@dataclass(frozen=True)
class TracedFunction:
    file: str  # relative to the code's root: billing/pricing.py
    qualname: str  # as the interpreter names it: compute_total.<locals>.<genexpr>
    line: int  # its first line (decorators included)
    caller: int | None  # the position of the function that first called it
    at: int  # when it was first entered, counted in the package's calls and returns


@dataclass(frozen=True)
class CallTrace:
    functions: tuple[TracedFunction, ...]  # in the order first entered
    returned: tuple[tuple[int, int, Value], ...]  # (function position, when, scalar value)
    raised_in: int | None  # the function an exception of the step came from
    cut: bool  # more functions ran than are listed


def parse_call_path(answer: object, step: int) -> CallTrace | None:
    """The call path a ``run`` answer gives for ``step`` (``"trace"`` in the request), or None
    when it has none or its shape is not the promised one."""
    if not isinstance(answer, dict) or not isinstance(answer.get("steps"), list):
        return None
    steps = answer["steps"]
    message = steps[step] if 0 <= step < len(steps) else None
    trace = message.get("call_path") if isinstance(message, dict) else None
    if not isinstance(trace, dict):
        return None
    listed, returned = trace.get("functions"), trace.get("returned")
    if not (
        isinstance(listed, list)
        and len(listed) <= MAX_TRACED_FUNCTIONS
        and isinstance(returned, list)
        and len(returned) <= MAX_TRACED_VALUES
    ):
        return None
    functions: list[TracedFunction] = []
    for position, item in enumerate(listed):
        if not (
            isinstance(item, list)
            and len(item) == 5
            and all(isinstance(x, str) and 0 < len(x) <= _MAX_TRACE_NAME for x in item[:2])
            and all(_integer(x, -1, _MAX_LINE) for x in item[2:])
            and item[3] < position  # a caller was entered before what it called
        ):
            return None
        file, qualname, line, caller, at = item
        functions.append(TracedFunction(file, qualname, line, None if caller < 0 else caller, at))
    values_returned: list[tuple[int, int, Value]] = []
    for item in returned:
        if not (
            isinstance(item, list)
            and len(item) == 3
            and _integer(item[0], 0, len(functions) - 1)
            and _integer(item[1], 0, _MAX_LINE)
            and values.is_valid(item[2])
            and values.size(item[2]) <= _MAX_TRACE_VALUE
        ):
            return None
        values_returned.append((item[0], item[1], item[2]))
    raised_in = trace.get("raised_in")
    if raised_in is not None and not _integer(raised_in, 0, len(functions) - 1):
        return None
    cut = trace.get("cut")
    if not isinstance(cut, bool):
        return None
    return CallTrace(tuple(functions), tuple(values_returned), raised_in, cut)


def _integer(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mismatch:
    """The first step where the candidate's behaviour differs from the original's."""

    step: int
    differences: tuple[Difference, ...]
    original: StepObservation
    candidate: StepObservation


@dataclass(frozen=True)
class Comparison:
    # Every step where the candidate differs, in order. Steps after a difference are still
    # compared: many independent calls share one program, and a difference the search
    # excuses (an input no caller gives) must not hide the ones after it.
    mismatches: tuple[Mismatch, ...]
    steps_compared: int
    nondeterministic: tuple[str, ...] = ()  # where the original's two runs differed
    unsettled: str | None = None  # why the comparison stopped before the program's end
    order_only: tuple[Difference, ...] = field(default=())  # dict items in another order
    rounding: tuple[Difference, ...] = field(default=())  # floats a rounding error apart


def step_differences(a: StepObservation, b: StepObservation) -> list[Difference]:
    if a.outcome != b.outcome:
        return [Difference(("outcome",), ["str", a.outcome], ["str", b.outcome])]
    names = [n for n, _ in a.fields] + [n for n, _ in b.fields if a.get(n) is None]
    out: list[Difference] = []
    for name in names:
        x, y = a.get(name), b.get(name)
        if name == CONTEXT:
            continue  # an honest restructuring changes it: never compared by itself
        if name == CAUSE and x == values.NONE and y is not None and y == a.get(CONTEXT):
            # ``raise ... from exc`` where the original raised inside ``except`` without
            # it: the same exception, now an explicit cause (what ruff's B904 asks for).
            continue
        if x is None or y is None:
            out.append(Difference((name,), x, y))
        else:
            out += values.diff(x, y, (name,))
    return out


def compare(original: ProgramRun, again: ProgramRun, candidate: ProgramRun) -> Comparison:
    compared = 0
    nondeterministic: list[str] = []
    order_only: list[Difference] = []
    rounding: list[Difference] = []
    mismatches: list[Mismatch] = []
    unsettled = None
    for index, (a, b) in enumerate(zip(original.steps, again.steps, strict=False)):
        if a.outcome in _ENDED or b.outcome in _ENDED:
            unsettled = f"the original {_ended(a, b)}"
            break
        if a.outcome != b.outcome:
            nondeterministic.append(f"step {index + 1}: outcome")
            unsettled = "the original's two runs ended differently"
            break
        mask = {d.path for d in step_differences(a, b)}
        nondeterministic += [f"step {index + 1}: {'/'.join(p)}" for p in sorted(mask)]
        if index >= len(candidate.steps):
            break
        c = candidate.steps[index]
        found = [d for d in step_differences(a, c) if not values.masked(d.path, mask)]
        compared += 1
        real = tuple(d for d in found if not (d.order_only or d.rounding_only))
        if real:
            mismatches.append(Mismatch(index, real, a, c))
        order_only += [d for d in found if d.order_only]
        rounding += [d for d in found if d.rounding_only]
        if c.outcome in _ENDED:
            break  # the candidate's run ended here: there is nothing after it to compare
    return Comparison(
        tuple(mismatches),
        compared,
        tuple(nondeterministic),
        unsettled,
        tuple(order_only),
        tuple(rounding),
    )


def _ended(a: StepObservation, b: StepObservation) -> str:
    ended = a if a.outcome in _ENDED else b
    return {TIMEOUT: "did not return in time", CRASHED: "crashed"}.get(
        ended.outcome, "answered malformed data"
    )


def summary(observation: StepObservation, limit: int = 300) -> str:
    """How the step ended, in one line: ``returned 3``, ``raised KeyError("'x'")``."""
    if observation.outcome == RETURNED:
        return "returned " + values.render(observation.get(RETURN) or values.NONE, limit=limit)
    if observation.outcome == RAISED:
        exception = observation.get(EXCEPTION) or ["exception", "?", ""]
        return f"raised {exception[1]}: {exception[2]}"[:limit]
    return f"{observation.outcome}: {observation.detail}"[:limit]


def describe(observation: StepObservation, limit: int = 1000) -> list[str]:
    """Every field of the observation, one line each, for evidence."""
    lines = [summary(observation, limit)]
    for name, value in observation.fields:
        if name in (RETURN, EXCEPTION, CONTEXT, "error") or (
            name == CAUSE and value == values.NONE
        ):
            continue
        if (name in (STDOUT, STDERR) and value == ["str", ""]) or value == ["list", []]:
            continue
        if name == IDENTITY and value[1].startswith("a new object"):
            continue
        lines.append(f"{name}: {values.render(value, limit=limit)}")
    return lines
