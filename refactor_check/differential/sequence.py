"""One long program: many programs' calls in one process, in order.

Every other program starts from a fresh fork of the post-import state and makes a few calls,
so behaviour that only shows after many calls in one process (a call counter, a cache or a
registry that fills, a module-level default that grows) is never seen by them, while a
caller's process (a web server, a batch job, pytest running every golden test in one
session) sees exactly that. The long program replays fixed programs one after another in a
single process (the recording first, then the sweep, again and again up to its size), so
whatever state one call leaves behind is what the next call meets, on both sides. The
original runs it twice, as every program, so state is told from nondeterminism.

Its size is a count (``long_steps``), never a time: the same exercise gives the same long
program on every machine.
"""

from __future__ import annotations

from collections.abc import Iterable

from .domain import Domain
from .program import Program, Step
from .signatures import Signatures

ORIGIN = "the recording and the sweep in one process, in order (state kept from call to call)"


def long_program(programs: Iterable[Program], max_steps: int) -> Program | None:
    """The programs' steps one after another, each program's references moved past the
    steps before it, in passes over all of them until ``max_steps`` calls (the last program
    cut short: a program's prefix is a program). None when there are fewer than two calls
    to join."""
    fixed = [p for p in programs if p.steps]
    steps: list[Step] = []
    while fixed and len(steps) < max_steps:
        for program in fixed:
            room = max_steps - len(steps)
            if room <= 0:
                break
            part = program.truncated(min(room, len(program.steps)) - 1)
            offset = len(steps)
            mapping = {i: i + offset for i in range(len(part.steps))}
            steps.extend(step.renumbered(mapping) for step in part.steps)
    if len(steps) < 2:
        return None
    return Program(tuple(steps), origin=ORIGIN)


def within(program: Program, domain: Domain, signatures: Signatures) -> Program | None:
    """The program without its calls outside the input domain (and, when a later call needs
    one's result, without everything from that call on). In one long program a single
    call outside the domain would excuse every difference after it, so none is kept."""
    current = program
    index = 0
    while index < len(current.steps):
        if domain.outside(Program((current.steps[index],)), 0, signatures) is None:
            index += 1
            continue
        shorter = current.without(index)
        if shorter is None:
            return current.truncated(index - 1) if index > 0 else None
        current = shorter
    return current if current.steps else None
