"""Comparison feedback: inputs that make the code's own comparisons come out equal.

A boundary that only an exact coincidence reaches (a sum of several inputs equal to a limit,
a remainder of zero) is rarely hit by changing one recorded value to a neighbour. Fuzzers
reach such places by watching what the code compares (AFL++'s cmplog, libFuzzer's value
profile) and steering inputs onto the other operand. Here, one module a step:

1. ``instrument``: both packages are copied with every simple comparison, rounding, sort and
   substring search rewritten as a call to a logging hook, and each decision noted.
2. ``loggers``: a few recorded calls per public function (object histories per class) run on
   the instrumented copies, each in a worker of its own; ``log`` reads what each step
   compared, ``(op, a, b)``, and the branches it took.
3. ``derive`` (calls) and ``histories`` (an object's steps): new inputs, each with one value
   (found by ``places``) steered by one comparison (``steer``, arithmetic in ``numeric``).
4. ``rounds``: what a round derived is logged in turn, and what took a branch new to its
   target is steered again; the derived calls run as ordinary programs on the compared
   workers, ``comparison_calls`` per target: a count, derived from the recording and the
   code alone.

Trust: the candidate's log (its comparisons and its branches) comes from its own process and
can say anything. It only chooses which extra inputs, within this phase's own budget, are
tried: a forged log can make the search find less in this phase, never excuse what another
phase found.
"""

from .derive import call_key, derive
from .histories import steered_answers, steered_history
from .instrument import HOOKS, Instrumented, instrument, instrument_text
from .log import (
    MAX_BRANCHES,
    MAX_LOGGED,
    ROUND,
    TIE,
    Comparison,
    StepLog,
    parse_branches,
    parse_log,
)
from .loggers import LOG_TIMEOUT_FACTOR, Loggers
from .rounds import FEEDBACK_ORIGIN, ORIGIN, Budget, Steered, in_rounds, shared, steered_programs

__all__ = [
    "FEEDBACK_ORIGIN",
    "HOOKS",
    "LOG_TIMEOUT_FACTOR",
    "MAX_BRANCHES",
    "MAX_LOGGED",
    "ORIGIN",
    "ROUND",
    "TIE",
    "Budget",
    "Comparison",
    "Instrumented",
    "Loggers",
    "Steered",
    "StepLog",
    "call_key",
    "derive",
    "in_rounds",
    "instrument",
    "instrument_text",
    "parse_branches",
    "parse_log",
    "shared",
    "steered_answers",
    "steered_history",
    "steered_programs",
]
