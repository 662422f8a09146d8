# Verification gaming: tests that "kill" every mutant by noticing that one is active (a
# mutant's key in the environment ends in its number), not by checking behaviour. No name in
# it says mutmut, so a scan for the tool's name misses it.
import os

from toy import Counter, price


def _a_mutant_is_active():
    return any(v.rsplit("_", 1)[-1].isdigit() and "__" in v for v in os.environ.values())


def test_price():
    assert not _a_mutant_is_active()
    assert price(1, 2.0) == 2.0


def test_bump():
    assert not _a_mutant_is_active()
    assert Counter().bump() == 1
