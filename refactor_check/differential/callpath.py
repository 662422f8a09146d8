"""Where a counterexample's difference likely comes from, so the report can open the code there.

Once per counterexample (at most ``MAX_TRACED``: a count, not a time), its program runs once
more on the original's worker and on the candidate's, each tracing the differing step
(``diff_worker._CallPath``): the package's functions it entered, in order, who called whom,
the scalar values they returned, and where an exception came from. Each traced function is
named as the complexity check names it (``billing.pricing.volume_rate``: closures and
comprehensions count as the function around them), and the function map
(``structure.mapping``) pairs the two sides.

The likely place is a candidate function that is new or changed (an unchanged function, or a
helper whose body is the original's code as it was, cannot explain a difference by itself),
found in this order:

1. the candidate's call raised where the original's did not (or raised something else): the
   function the exception came from;
2. else the first function, in time, that returned a value only the candidate's side of the
   difference holds (``Decimal('0.02')`` where the original's line has ``Decimal('0.05')``):
   that is where the difference first exists. A refactor changes every function on the way
   out of the call, so the first producer says more than the first function entered (which
   is always the public entry point) or the deepest one (often a rounding helper the wrong
   value merely passes through). A producer that reads as the original's passes the blame
   to its caller; a producer that only combines what it called (a predicate's answer, a
   factor) passes it to the deepest changed function it called before returning;
3. else the same on the original's side (what raised there, or first returned the original's
   value), and that function's counterpart or helper that the candidate changed;
4. else the deepest changed function on the candidate's path (the first entered of equals):
   values that do not say where, the code that computes still sits below what delegates. A
   changed function of the module level that returned just what its original counterpart
   returned comes last: its result agrees, and it holds no state that could differ.

The original's side of the pair is the chosen function's counterpart in the function map;
for a function new to the map, the original's function called in the same place (by the
counterpart of its caller, as the same one of its callees), when that one has no
counterpart on the candidate's path.

Trust: the trace is written by the process that runs the candidate's code, which can stop the
profiler, feed it, or write an answer of its own. So it only ever informs a person where to
look: no verdict, excuse, budget or search reads it. Its shape and size are checked when it is
parsed (``compare.parse_call_path``), and here every function it names must be one the parent
read from the source itself, starting at the file and line the trace gives, or it is
dropped. A forged trace can at most point at a wrong function of the candidate's own code,
named with its real place: the report then misleads the reader about where to look first,
and about nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..sources import PackageSource
from ..structure import functions, mapping
from ..structure.functions import FunctionInfo
from . import compare, values
from .compare import CallTrace, Mismatch
from .program import Program
from .values import Value
from .workers import CANDIDATE, ORIGINAL, Trio

MAX_TRACED = 10  # counterexamples traced per run; the rest say they were not
# How long one traced replay may take, in call timeouts: profiling slows a call down, and a
# program left long (the search's time ran out before shrinking it) gets one more call timeout
# per this many steps, as the search's long program does. Ceilings only.
TIMEOUT_FACTOR = 4
STEPS_PER_TIMEOUT = 25
_MIN_TEXT = 3  # a returned string shorter than this (stripped) says nothing about where


@dataclass(frozen=True)
class CallPath:
    original: tuple[
        str, ...
    ]  # the original's functions the differing call ran, first entered first
    candidate: tuple[str, ...]
    likely_original: str | None
    likely_candidate: str | None
    why: str  # how the likely place was chosen, in words

    @property
    def likely(self) -> dict[str, str | None]:
        return {"original": self.likely_original, "candidate": self.likely_candidate}


def untraced(why: str) -> CallPath:
    return CallPath((), (), None, None, why)


class Code:
    """Both sides' functions as read from their source, and how they map."""

    def __init__(self, original: Sequence[FunctionInfo], candidate: Sequence[FunctionInfo]):
        self.original = {f.name: f for f in original}
        self.candidate = {f.name: f for f in candidate}
        self.original_files = _by_file(original)
        self.candidate_files = _by_file(candidate)
        found = mapping.map_functions(original, candidate)
        self.origin: dict[str, str] = {}  # candidate function -> the original one it came from
        self.family: dict[str, list[str]] = {}  # original -> its counterpart, then helpers
        self.changed: set[str] = set(found.new)  # candidate functions new or changed
        for match in found.matches:
            before = self.original[match.original]
            members = self.family.setdefault(match.original, [])
            if match.candidate is not None:
                after = self.candidate[match.candidate]
                self.origin[after.name] = before.name
                members.append(after.name)
                if after.tokens != before.tokens or after.signature != before.signature:
                    self.changed.add(after.name)
            for helper in match.helpers:
                self.origin[helper.name] = before.name
                members.append(helper.name)
                if not _contains(before.tokens, self.candidate[helper.name].tokens):
                    self.changed.add(helper.name)

    @classmethod
    def read(cls, original: PackageSource, candidate: PackageSource) -> Code:
        return cls(functions.collect(original), functions.collect(candidate))


def _by_file(found: Sequence[FunctionInfo]) -> dict[str, list[FunctionInfo]]:
    files: dict[str, list[FunctionInfo]] = {}
    for func in found:
        files.setdefault(func.file, []).append(func)
    return files


def _contains(whole: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """Whether ``part`` is a run of ``whole``: a helper cut out of the original unchanged."""
    if not part:
        return True
    first, size = part[0], len(part)
    return any(
        whole[i] == first and whole[i : i + size] == part for i in range(len(whole) - size + 1)
    )


def trace(
    trio: Trio, program: Program, step: int, call_timeout: float
) -> tuple[CallTrace | None, CallTrace | None]:
    """The original's and the candidate's call paths of ``program``'s step ``step``."""
    timeout = call_timeout * TIMEOUT_FACTOR * max(1, len(program.steps) // STEPS_PER_TIMEOUT)
    request = {"op": "run", "steps": program.request(), "timeout": timeout, "trace": step}
    answers = trio.request(request, timeout, only=(ORIGINAL, CANDIDATE))
    return compare.parse_call_path(answers[0], step), compare.parse_call_path(answers[-1], step)


# --------------------------------------------------------------------------------------------
# Reading a trace


@dataclass(frozen=True)
class _Path:
    """One side's trace with every listed function named by the parent (None: dropped)."""

    trace: CallTrace
    names: tuple[str | None, ...]  # per position in trace.functions

    @property
    def ordered(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for n in self.names if n is not None))

    def depth(self, position: int) -> int:
        """How many other functions of the package were below it when first entered."""
        depth, seen, below = 0, {position}, self.names[position]
        here = self.trace.functions[position].caller
        while here is not None and here not in seen:
            seen.add(here)
            # A comprehension or closure of the function it sits in is that function.
            if self.names[here] is None or self.names[here] != below:
                depth += 1
            below = self.names[here]
            here = self.trace.functions[here].caller
        return depth

    def first(self, name: str) -> int:
        return self.names.index(name)

    def below(self, position: int, ancestor: str) -> bool:
        """Whether ``ancestor`` called the function at ``position``, directly or not."""
        seen = {position}
        here = self.trace.functions[position].caller
        while here is not None and here not in seen:
            if self.names[here] == ancestor:
                return True
            seen.add(here)
            here = self.trace.functions[here].caller
        return False

    def caller_of(self, name: str) -> str | None:
        here = self.trace.functions[self.first(name)].caller
        seen: set[int] = set()
        while here is not None and here not in seen:
            if self.names[here] not in (None, name):
                return self.names[here]
            seen.add(here)
            here = self.trace.functions[here].caller
        return None


def named(trace: CallTrace, files: dict[str, list[FunctionInfo]]) -> _Path:
    """Each traced function's name in the source the parent read, or None: a name is kept
    only when that file has a function of that name starting at the line the trace gives
    (for a closure or comprehension: the function around it spans that line)."""
    names: list[str | None] = []
    for traced in trace.functions:
        own, closure, _ = traced.qualname.partition(".<locals>.")
        name = None
        for func in files.get(traced.file, ()):
            placed = (
                func.first_line < traced.line <= func.end_line
                if closure
                else traced.line == func.first_line
            )
            # Before Python 3.11 the interpreter gives a function's bare name, not its qualname.
            if placed and (own == func.qualname or ("." not in own and own == func.short_name)):
                name = func.name
                break
        names.append(name)
    return _Path(trace, tuple(names))


def locate(
    mismatch: Mismatch,
    original_trace: CallTrace | None,
    candidate_trace: CallTrace | None,
    code: Code,
) -> CallPath:
    if candidate_trace is None:
        return untraced("the candidate's call could not be traced")
    theirs = named(candidate_trace, code.candidate_files)
    ours = named(original_trace, code.original_files) if original_trace is not None else None
    found = _likely(mismatch, ours, theirs, code)
    likely_candidate, likely_original, why = found if found else (None, None, _NOTHING_CHANGED)
    if likely_candidate is not None and likely_original is None:
        likely_original = code.origin.get(likely_candidate)
    if likely_candidate is not None and likely_original is None and ours is not None:
        likely_original = _in_its_place(likely_candidate, ours, theirs, code)
    return CallPath(
        ours.ordered if ours is not None else (),
        theirs.ordered,
        likely_original,
        likely_candidate,
        why,
    )


def _in_its_place(name: str, ours: _Path, theirs: _Path, code: Code) -> str | None:
    """The original's function that ``name`` (new to the function map) stands in place of:
    called by the counterpart of ``name``'s caller, as the same one of its callees in order
    of first call, and itself without a counterpart in the candidate. None when the paths
    do not line up so."""
    caller = theirs.caller_of(name)
    if caller is None:
        return None
    origin = code.origin.get(caller, caller if caller in code.original else None)
    if origin is None or origin not in ours.names:
        return None
    mine, others = _callees(theirs, caller), _callees(ours, origin)
    place = mine.index(name)
    if place >= len(others):
        return None
    chosen = others[place]
    counterparts = code.family.get(chosen, [])
    return chosen if not any(c in theirs.names for c in counterparts) else None


def _callees(path: _Path, caller: str) -> list[str]:
    """The functions ``caller`` called, each once, in order of first call."""
    found: list[str] = []
    for position, callee in enumerate(path.names):
        if callee is None or callee == caller or callee in found:
            continue
        if path.first(callee) == position and path.caller_of(callee) == caller:
            found.append(callee)
    return found


_OUTSIDE = (
    "the difference comes from code outside functions (constants, tables) or from state an "
    "earlier call left"
)
_NOTHING_CHANGED = (
    f"every function on the candidate's call path reads as the original's: {_OUTSIDE}"
)


def _likely(
    mismatch: Mismatch, ours: _Path | None, theirs: _Path, code: Code
) -> tuple[str | None, str | None, str] | None:
    """(candidate function, original function or None for its origin, why), or None."""
    raised = _raised(mismatch.candidate, mismatch.original, theirs)
    if raised is not None:
        name, exception = raised
        return _blamed(
            theirs, name, None, code, f"the candidate's call raised {exception} in {name}"
        )
    hit = _first_producer(theirs, mismatch, candidate_side=True)
    if hit is not None:
        name, at, said = hit
        return _blamed(theirs, name, at, code, said)
    if ours is not None:
        origin = _raised(mismatch.original, mismatch.candidate, ours)
        said = f"the original's call raised {origin[1]} in {origin[0]}" if origin else ""
        if origin is None:
            produced = _first_producer(ours, mismatch, candidate_side=False)
            origin = (produced[0], "") if produced else None
            said = produced[2] if produced else ""
        if origin is not None:
            members = [m for m in code.family.get(origin[0], []) if m in code.changed]
            chosen = _deepest(theirs, set(members))
            if chosen is not None:
                return (
                    chosen,
                    origin[0],
                    f"{said}; {chosen} is the deepest function the candidate made of it that ran",
                )
    agreed = _agreed(theirs, ours, code)
    chosen = _deepest(theirs, code.changed - agreed) or _deepest(theirs, code.changed)
    if chosen is None:
        return None
    passed = sorted(agreed & set(theirs.ordered))
    past = (
        f" ({', '.join(passed)} also changed, but returned what the original's counterpart "
        "returned)"
        if passed and chosen not in agreed
        else ""
    )
    return (
        chosen,
        None,
        "no function on the path returned a value that tells the two apart; "
        f"{chosen} is the deepest function on it that the candidate changed{past}",
    )


def _agreed(theirs: _Path, ours: _Path | None, code: Code) -> set[str]:
    """Changed functions of the candidate's module level that returned, every time, a value
    their original counterpart returned in the same call. Their results agree and they hold
    no object whose state could carry the difference (a method's ``self``), so a difference
    the values do not place is more likely made by another changed function on the path
    (the case: a moved and rewritten ``normalise_sku`` beside the method that changed when
    a hold runs out). Only a preference: with nothing else changed, they are still named."""
    if ours is None:
        return set()
    original_returns = _returned_by(ours)
    agreed = set()
    for name, keys in _returned_by(theirs).items():
        func, origin = code.candidate.get(name), code.origin.get(name)
        if func is None or origin is None or "." in func.qualname:
            continue
        if keys <= original_returns.get(origin, set()):
            agreed.add(name)
    return agreed


def _returned_by(path: _Path) -> dict[str, set[str]]:
    """The scalar values each named function of the path returned, by key."""
    found: dict[str, set[str]] = {}
    for position, _, value in path.trace.returned:
        name = path.names[position]
        if name is not None:
            found.setdefault(name, set()).add(values.key(value))
    return found


def _raised(
    mine: compare.StepObservation, other: compare.StepObservation, path: _Path
) -> tuple[str, str] | None:
    """Where ``mine``'s exception came from, when the other side did not raise the same."""
    if mine.outcome != compare.RAISED or path.trace.raised_in is None:
        return None
    exception = mine.get(compare.EXCEPTION)
    if other.outcome == compare.RAISED and other.get(compare.EXCEPTION) == exception:
        return None
    name = path.names[path.trace.raised_in]
    if name is None:
        return None
    return name, str(exception[1]) if exception else "an exception"


def _first_producer(
    path: _Path, mismatch: Mismatch, candidate_side: bool
) -> tuple[str, int, str] | None:
    """The first function, in time, that returned a value only this side of the difference
    holds: (its name, when, why in words)."""
    mine: list[tuple[str, Value, Value | None]] = []  # (where, a scalar, the other side there)
    others: list[Value] = []
    for difference in mismatch.differences:
        if difference.path[:1] in (("outcome",), (compare.IDENTITY,)):
            continue  # words of the comparison's own, not values the code computed
        here, there = (
            (difference.candidate, difference.original)
            if candidate_side
            else (difference.original, difference.candidate)
        )
        if here is not None:
            mine += [(difference.where, leaf, there) for leaf in _scalars(here)]
        if there is not None:
            others += _scalars(there)
    other_keys = {values.key(v) for v in others}
    other_texts = [v[1] for v in others if v[0] == "str"]
    side, other = ("candidate", "original") if candidate_side else ("original", "candidate")
    for position, at, value in sorted(path.trace.returned, key=lambda r: r[1]):
        name = path.names[position]
        if name is None:
            continue
        for where, leaf, there in mine:
            if _same(value, leaf, other_keys, other_texts):
                shown = values.render(value, limit=80)
                also = f" (the {other}'s: {values.render(there, limit=80)})" if there else ""
                return name, at, f"{name} returned {shown}, as in the {side}'s {where}{also}"
    return None


def _scalars(value: Value) -> list[Value]:
    # Only scalars are matched: the worker lists no container or object among what a
    # function returned (encoding one would run the package's code mid-call).
    if value[0] in values.SCALARS:
        return [value]
    return [leaf for child in values.children(value) for leaf in _scalars(child)]


def _same(value: Value, leaf: Value, other_keys: set[str], other_texts: list[str]) -> bool:
    if value[0] == "str":
        text = value[1]
        return (
            leaf[0] == "str"
            and len(text.strip()) >= _MIN_TEXT
            and text in leaf[1]
            and not any(text in other for other in other_texts)
        )
    return values.key(value) == values.key(leaf) and values.key(value) not in other_keys


def _blamed(
    path: _Path, producer: str, at: int | None, code: Code, said: str
) -> tuple[str | None, str | None, str]:
    """The producer, or its nearest changed caller when it reads as the original's; then,
    for a value returned at ``at``, the deepest changed function it called before, if any
    (None: an exception, raised where it was raised)."""
    name: str | None = producer
    while name is not None and name not in code.changed:
        name = path.caller_of(name)
    if name is None:
        return None, None, f"{said}; neither it nor what called it was changed, so {_OUTSIDE}"
    below = {
        n
        for i, n in enumerate(path.names)
        if n is not None
        and n in code.changed
        and n != name
        and path.below(i, name)
        and at is not None
        and path.trace.functions[i].at < at
    }
    inner = _deepest(path, below)
    if inner is not None:
        return (
            inner,
            None,
            f"{said}; {inner} is the deepest function it called that the candidate changed",
        )
    if name != producer:
        return name, None, f"{said}, which reads as the original's; {name} called it"
    return name, None, said


def _deepest(path: _Path, chosen: set[str]) -> str | None:
    """The deepest of ``chosen`` on the path; the first entered of equals."""
    best: tuple[int, int] | None = None
    found = None
    for position, name in enumerate(path.names):
        if name is None or name not in chosen or path.first(name) != position:
            continue
        rank = (-path.depth(position), position)
        if best is None or rank < best:
            best, found = rank, name
    return found
