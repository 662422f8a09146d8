"""Which function of the candidate each function of the original became.

In order, each step only on what the steps before left unmatched:

1. same qualified name (``billing.invoice.compute_total`` in both): *same*;
2. same name within its module, in another module (``billing.pricing.compute_total``): *moved*;
3. most similar body, above ``RENAME_SIMILARITY``: *renamed* (and perhaps moved too);
4. a candidate function left over whose body is largely code of one original function, or
   that only that function's counterpart (and its helpers) call, is a *helper* split out of
   it, listed under that function;
5. originals still unmatched are *removed*; candidate functions still unmatched are *new*.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from .functions import FunctionInfo

SAME, MOVED, RENAMED, REMOVED = "same", "moved", "renamed", "removed"
# How a helper was recognised: its body is the original's code, or only that function's
# counterpart (and its other helpers) call it.
EXTRACTED, CALLED = "extracted", "called"

# Share of matching body tokens (difflib's ratio) from which two functions are taken for one
# renamed: a rename with light edits stays well above it, two different functions that share
# idioms (loops over items, rounding) stay below.
RENAME_SIMILARITY = 0.6
# Share of a leftover function's body (in runs of SHINGLE tokens) found verbatim in one
# original function, from which it counts as extracted from that function.
HELPER_CONTAINMENT = 0.5
SHINGLE = 4
# Bodies shorter than this say too little for similarity: "return self._x" matches anything.
MIN_TOKENS = 8
# Similarity compares every leftover original with every leftover candidate function; past
# this many pairs (a submission far larger than any refactor) steps 3 and 4 are left out.
MAX_PAIRS = 40_000


@dataclass(frozen=True)
class Helper:
    name: str
    containment: float  # share of its body found in the original function
    found_by: str  # EXTRACTED or CALLED


@dataclass(frozen=True)
class FunctionMatch:
    original: str
    candidate: str | None  # None: removed
    how: str  # SAME, MOVED, RENAMED or REMOVED
    similarity: float | None  # of the two bodies; None when removed
    helpers: tuple[Helper, ...] = ()


@dataclass(frozen=True)
class Mapping:
    matches: tuple[FunctionMatch, ...]  # one per original function, in its order
    new: tuple[str, ...]  # candidate functions that are no counterpart and no helper
    note: str | None = None  # why similarity matching was left out


def map_functions(original: Sequence[FunctionInfo], candidate: Sequence[FunctionInfo]) -> Mapping:
    counterpart: dict[str, tuple[FunctionInfo, str, float]] = {}
    by_name = {f.name: f for f in candidate}
    for func in original:
        match = by_name.get(func.name)
        if match is not None:
            counterpart[func.name] = (match, SAME, similarity(func, match))
    _match_moved(original, candidate, counterpart)

    left_original = [f for f in original if f.name not in counterpart]
    used = {c.name for c, _, _ in counterpart.values()}
    left_candidate = [f for f in candidate if f.name not in used]
    note = None
    helpers: dict[str, list[Helper]] = {}
    if len(left_original) * len(left_candidate) > MAX_PAIRS or (
        len(original) * len(left_candidate) > MAX_PAIRS
    ):
        note = (
            f"{len(left_candidate)} functions left unmatched by name: too many to compare "
            "bodies, so renames and extracted helpers are not detected"
        )
    else:
        _match_renamed(left_original, left_candidate, counterpart)
        used = {c.name for c, _, _ in counterpart.values()}
        left_candidate = [f for f in candidate if f.name not in used]
        helpers = _find_helpers(original, left_candidate, counterpart)

    matches = []
    for func in original:
        found = counterpart.get(func.name)
        extracted = tuple(helpers.get(func.name, ()))
        if found is None:
            matches.append(FunctionMatch(func.name, None, REMOVED, None, extracted))
        else:
            target, how, ratio = found
            matches.append(FunctionMatch(func.name, target.name, how, round(ratio, 3), extracted))
    assigned = used | {h.name for group in helpers.values() for h in group}
    new = tuple(f.name for f in candidate if f.name not in assigned)
    return Mapping(matches=tuple(matches), new=new, note=note)


def similarity(a: FunctionInfo, b: FunctionInfo) -> float:
    if a.tokens == b.tokens:
        return 1.0
    return difflib.SequenceMatcher(None, a.tokens, b.tokens, autojunk=False).ratio()


def containment(part: FunctionInfo, whole: FunctionInfo) -> float:
    """Share of ``part``'s body shingles that occur in ``whole``'s body."""
    mine = _shingles(part.tokens)
    if not mine:
        return 0.0
    return len(mine & _shingles(whole.tokens)) / len(mine)


def _shingles(tokens: tuple[str, ...]) -> set[tuple[str, ...]]:
    return {tokens[i : i + SHINGLE] for i in range(len(tokens) - SHINGLE + 1)}


def _match_moved(
    original: Sequence[FunctionInfo],
    candidate: Sequence[FunctionInfo],
    counterpart: dict[str, tuple[FunctionInfo, str, float]],
) -> None:
    used = {c.name for c, _, _ in counterpart.values()}
    for func in original:
        if func.name in counterpart:
            continue
        options = [c for c in candidate if c.qualname == func.qualname and c.name not in used]
        if options:
            best = max(options, key=lambda c: (similarity(func, c), c.name))
            counterpart[func.name] = (best, MOVED, similarity(func, best))
            used.add(best.name)


def _match_renamed(
    original: Sequence[FunctionInfo],
    candidate: Sequence[FunctionInfo],
    counterpart: dict[str, tuple[FunctionInfo, str, float]],
) -> None:
    pairs: list[tuple[float, str, str, FunctionInfo, FunctionInfo]] = []
    for func in original:
        for other in candidate:
            too_short = min(len(func.tokens), len(other.tokens)) < MIN_TOKENS
            if too_short and func.tokens != other.tokens:
                continue
            matcher = difflib.SequenceMatcher(None, func.tokens, other.tokens, autojunk=False)
            if matcher.real_quick_ratio() < RENAME_SIMILARITY:
                continue
            if matcher.quick_ratio() < RENAME_SIMILARITY:
                continue
            ratio = matcher.ratio()
            if ratio >= RENAME_SIMILARITY:
                pairs.append((ratio, func.name, other.name, func, other))
    taken_original: set[str] = set()
    taken_candidate: set[str] = set()
    # Best pairs first; names break ties so the result does not depend on input order.
    for ratio, _, _, func, other in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if func.name in taken_original or other.name in taken_candidate:
            continue
        counterpart[func.name] = (other, RENAMED, ratio)
        taken_original.add(func.name)
        taken_candidate.add(other.name)


def _find_helpers(
    original: Sequence[FunctionInfo],
    leftovers: Sequence[FunctionInfo],
    counterpart: dict[str, tuple[FunctionInfo, str, float]],
) -> dict[str, list[Helper]]:
    """Each leftover split out of one original function, listed under that function.

    A leftover is a helper of an original function when most of its body is that function's
    code (where several hold it, the one whose counterpart calls it wins), or when it is
    called only from that function's counterpart and helpers (rewritten while extracted).
    """
    helpers: dict[str, list[Helper]] = {}
    by_name = {f.name: f for f in original}
    family = {target.name: name for name, (target, _, _) in counterpart.items()}
    callers = {name: target.calls for name, (target, _, _) in counterpart.items()}
    for leftover in leftovers:
        if len(leftover.tokens) < MIN_TOKENS:
            continue
        scored = [(containment(leftover, func), func) for func in original]
        eligible = [(share, func) for share, func in scored if share >= HELPER_CONTAINMENT]
        if eligible:
            share, origin = max(
                eligible,
                key=lambda p: (leftover.short_name in callers.get(p[1].name, ()), p[0], p[1].name),
            )
            helpers.setdefault(origin.name, []).append(
                Helper(leftover.name, round(share, 3), EXTRACTED)
            )
            family[leftover.name] = origin.name
    # Helpers of helpers: repeat until nothing more is claimed.
    changed = True
    while changed:
        changed = False
        for leftover in leftovers:
            if leftover.name in family:
                continue
            origins = {
                family.get(caller.name)
                for caller in (*[t for t, _, _ in counterpart.values()], *leftovers)
                if caller.name != leftover.name and _called_as(leftover) in caller.calls
            }
            if len(origins) == 1 and None not in origins:  # called from one family only
                (head,) = origins
                assert head is not None
                share = containment(leftover, by_name[head])
                helper = Helper(leftover.name, round(share, 3), CALLED)
                helpers.setdefault(head, []).append(helper)
                family[leftover.name] = head
                changed = True
    order = {f.name: i for i, f in enumerate(leftovers)}
    return {k: sorted(v, key=lambda h: order[h.name]) for k, v in helpers.items()}


def _called_as(func: FunctionInfo) -> str:
    """The name a call site uses: a constructor is called by its class's name."""
    parts = func.qualname.split(".")
    if parts[-1] == "__init__" and len(parts) > 1:
        return parts[-2]
    return parts[-1]
