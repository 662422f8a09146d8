import pytest

from clock import FakeClock
from throttle import Throttle


def drained(plan=None, **kwargs):
    """A limiter whose client "x" has just spent its whole bucket."""
    clock = FakeClock()
    t = Throttle(clock=clock, **kwargs)
    t.check("x", cost=t.plans[plan or "free"][0], plan=plan)
    return t, clock


def strike(t, clock, times, gap=1.0, cost=9):
    results = []
    for _ in range(times):
        clock.advance(gap)
        results.append(t.check("x", cost=cost, strict=True))
    return results


SLOW = {"slow": (10, 0.001)}


def test_three_strict_denials_within_a_minute_ban_for_sixty_seconds():
    t, clock = drained()
    first, second, third = strike(t, clock, 3)
    assert first == (False, {"reason": "rate limited", "remaining": 0, "retry_after": 35.0})
    assert second[1]["retry_after"] == 34.0
    assert third == (False, {"reason": "rate limited", "remaining": 0, "retry_after": 33.0})
    assert t.log == ["x banned for 60s at 1003.0"]
    clock.advance(12.25)
    assert t.check("x") == (False, {"reason": "banned", "remaining": 0, "retry_after": 47.8})
    rec = t.status("x")
    assert (rec["banned_until"], rec["bans"], rec["strikes"]) == (1063.0, 1, [1001.0, 1002.0, 1003.0])
    assert (rec["denied"], t.denied_total) == (4, 4)


def test_strikes_a_minute_old_are_forgiven():
    t, clock = drained("slow", plans=SLOW)
    strike(t, clock, 2, gap=30)
    assert t.status("x")["strikes"] == [1030.0, 1060.0]
    clock.advance(59.5)
    t.check("x", cost=10, strict=True)
    assert t.status("x")["banned_until"] is None
    assert t.status("x")["strikes"] == [1060.0, 1119.5]

    t, clock = drained("slow", plans=SLOW)
    strike(t, clock, 2, gap=10)
    clock.advance(50)
    t.check("x", cost=10, strict=True)
    assert t.status("x")["strikes"] == [1020.0, 1070.0]
    assert t.status("x")["banned_until"] is None
    clock.advance(9.5)
    t.check("x", cost=10, strict=True)
    assert t.status("x")["banned_until"] == 1139.5


def test_each_ban_is_twice_as_long_as_the_last():
    t, clock = drained("slow", plans=SLOW)
    strike(t, clock, 3)
    clock.advance(61)
    assert t.check("x", cost=9, strict=True)[1]["reason"] == "rate limited"
    strike(t, clock, 2)
    assert t.status("x")["banned_until"] == 1064.0 + 2 + 120
    assert t.log == [
        "x banned for 60s at 1003.0",
        "x unbanned at 1064.0",
        "x banned for 120s at 1066.0",
    ]


def test_bans_are_capped_at_an_hour():
    t, clock = drained("slow", plans=SLOW, ban_seconds=1000, strike_limit=1)
    lengths = []
    for _ in range(3):
        clock.advance(1)
        t.check("x", cost=10, strict=True)
        lengths.append(t.status("x")["banned_until"] - clock.now)
        clock.advance(lengths[-1] + 0.5)
    assert lengths == [1000, 2000, 3600]


def test_only_strict_denials_count_as_strikes():
    t, clock = drained()
    for _ in range(5):
        clock.advance(1)
        assert t.check("x", cost=9)[1]["reason"] == "rate limited"
    rec = t.status("x")
    assert (rec["strikes"], rec["banned_until"], rec["denied"]) == ([], None, 5)


def test_enterprise_clients_are_throttled_but_never_banned():
    t, clock = drained("enterprise")
    strike(t, clock, 3, gap=0.25, cost=100)
    assert t.status("x")["banned_until"] is None
    assert t.log == ["x would be banned (enterprise) at 1000.8"]
    assert t.check("x", cost=15) == (True, {"reason": "ok", "remaining": 0, "retry_after": 0.0})


def test_a_ban_ends_and_forgets_the_strikes():
    t, clock = drained(ban_seconds=10)
    strike(t, clock, 3, gap=2)
    clock.advance(9.75)
    assert t.check("x", dry_run=True)[1] == {"reason": "banned", "remaining": 0, "retry_after": 0.3}
    clock.advance(0.5)
    assert t.check("x", cost=9, strict=True)[1]["reason"] == "rate limited"
    rec = t.status("x")
    assert (rec["banned_until"], rec["strikes"], rec["bans"]) == (None, [1016.25], 1)
    assert t.log == ["x banned for 10s at 1006.0", "x unbanned at 1016.2"]


def test_a_strike_limit_of_one_bans_at_once():
    t, clock = drained(strike_limit=1, ban_seconds=5)
    clock.advance(1)
    t.check("x", cost=10, strict=True)
    assert t.status("x")["banned_until"] == 1006.0


@pytest.mark.parametrize("keep", [False, True])
def test_reset_refills_and_lifts_the_ban(keep):
    t, clock = drained()
    strike(t, clock, 3)
    clock.advance(0.5)
    assert t.reset("X ", keep_strikes=keep) is True
    rec = t.status("x")
    assert (rec["tokens"], rec["banned_until"], rec["updated"]) == (10.0, None, 1003.5)
    assert (rec["strikes"], rec["bans"]) == (([1001.0, 1002.0, 1003.0], 1) if keep else ([], 0))
    assert t.log[-1] == ("x reset (strikes kept)" if keep else "x reset")
    assert t.check("x", cost=10) == (True, {"reason": "ok", "remaining": 0, "retry_after": 0.0})
    assert t.reset("nobody") is False


def test_reset_keeps_the_strikes_only_when_asked():
    t, clock = drained()
    strike(t, clock, 2)
    t.reset("x")
    assert t.status("x")["strikes"] == []
    assert t.log == ["x reset"]
