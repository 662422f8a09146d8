"""The long program: fixed programs joined into one process's calls, in passes up to a count."""

from __future__ import annotations

from refactor_check.differential import sequence
from refactor_check.differential.program import CALL, METHOD, NEW, Program, Step


def _object_program(by: int) -> Program:
    return Program(
        (
            Step(NEW, "toy.Counter"),
            Step(METHOD, "toy.Counter.bump", (["int", str(by)],), receiver=0),
            Step(CALL, "toy.price", (["int", "1"], ["ref", 0])),
        )
    )


def test_each_programs_references_move_past_the_steps_before_it() -> None:
    joined = sequence.long_program([_object_program(1), _object_program(2)], 6)
    assert joined is not None and joined.origin == sequence.ORIGIN
    assert [s.receiver for s in joined.steps] == [None, 0, None, None, 3, None]
    assert joined.steps[5].args == (["int", "1"], ["ref", 3])
    assert joined.steps[4].args == (["int", "2"],)


def test_passes_repeat_the_programs_up_to_the_count_and_cut_the_last_one_short() -> None:
    joined = sequence.long_program([_object_program(1), _object_program(2)], 10)
    assert joined is not None and len(joined.steps) == 10
    # Two whole passes (six steps each would be twelve): the second pass's second program is
    # cut after its first step, a program's prefix being a program itself.
    assert [s.kind for s in joined.steps[6:]] == [NEW, METHOD, CALL, NEW]
    assert joined.steps[7].receiver == 6


def test_nothing_to_join_is_no_program() -> None:
    assert sequence.long_program([], 400) is None
    assert sequence.long_program([Program((Step(CALL, "toy.price"),))], 1) is None
    assert sequence.long_program([_object_program(1)], 0) is None
