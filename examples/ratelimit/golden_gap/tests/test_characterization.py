"""Characterization tests, written against the original before refactoring.

They pin what callers can see: results, records, log lines and the board, including the
live record status() hands out and strikes a minute old being forgiven.
"""

import pytest

from throttle import PLANS, Throttle, ThrottleError


class Clock:
    def __init__(self, now=0.0):
        self.now = now

    def __call__(self):
        return self.now


def make(**kwargs):
    clock = Clock(100.0)
    return Throttle(clock=clock, **kwargs), clock


def ok(remaining):
    return (True, {"reason": "ok", "remaining": remaining, "retry_after": 0.0})


def limited(remaining, retry_after):
    return (False, {"reason": "rate limited", "remaining": remaining, "retry_after": retry_after})


def test_plans():
    assert PLANS == {"free": (10, 0.25), "pro": (60, 2.0), "enterprise": (500, 20.0)}


def test_buckets_start_full_and_refill_with_time():
    t, clock = make()
    assert t.check("a") == ok(9)
    assert t.check("b", plan="Pro") == ok(59)
    assert t.check("c", cost=500, plan="enterprise") == ok(0)
    t.check("a", cost=9)
    assert t.check("a") == limited(0, 4.0)
    clock.now += 6
    assert t.check("a") == ok(0)
    assert t.status("a")["tokens"] == 0.5
    clock.now += 10_000
    assert t.check("a") == ok(9)


def test_retry_after_rounds_up_to_tenths():
    t, clock = make()
    t.check("b", cost=60, plan="pro")
    clock.now += 0.25
    assert t.check("b", cost=3) == limited(0, 1.3)


def test_exact_tokens_suffice_and_over_capacity_is_refused():
    t, _ = make()
    assert t.check("a", cost=10) == ok(0)
    t2, _ = make()
    reason = "cost 11 exceeds capacity 10"
    assert t2.check("a", cost=11) == (False, {"reason": reason, "remaining": 10, "retry_after": None})
    assert (t2.status("a")["denied"], t2.denied_total) == (1, 1)


def test_bad_arguments():
    t, _ = make()
    for cost, shown in [(0, "0"), (True, "True"), (2.0, "2.0"), ("1", "'1'")]:
        with pytest.raises(ThrottleError, match="^cost must be a positive whole number, got " + shown + "$"):
            t.check("a", cost=cost)
    for client in ["", " ", None]:
        with pytest.raises(ThrottleError, match="^client id must be a non-empty string$"):
            t.check(client)
    with pytest.raises(ThrottleError, match="^unknown plan: Gold$"):
        t.check("a", plan="Gold")
    with pytest.raises(ThrottleError, match="^strike_limit must be at least 1$"):
        Throttle(Clock(), strike_limit=0)
    with pytest.raises(ThrottleError, match="^plan x needs a positive capacity and rate$"):
        Throttle(Clock(), plans={"x": (1, 0)})
    assert t.clients == {}


def test_custom_plans_and_plan_changes():
    t, clock = make(plans={"Tiny": (1, 0.5)})
    assert t.check("a", plan="tiny") == ok(0)
    # moving to a bigger plan carries the tokens over; it does not fill the bucket
    assert t.check("a", plan="pro") == limited(0, 0.5)
    assert t.status("a")["plan"] == "pro"
    t.check("b", cost=40, plan="pro")
    assert t.check("b", plan="free") == ok(9)
    assert t.log == ["a moved to pro at 100.0", "b moved to free at 100.0"]
    with pytest.raises(ThrottleError, match="^unknown plan: gold$"):
        t.check("b", plan="gold")


def test_dry_runs_change_no_counts():
    t, _ = make()
    assert t.check("a", cost=3, dry_run=True) == ok(10)
    t.check("a", cost=10)
    t.check("a", dry_run=True, strict=True)
    record = t.status("a")
    assert (record["allowed"], record["denied"], record["strikes"]) == (1, 0, [])


def test_a_clock_going_back_earns_nothing():
    t, clock = make()
    t.check("a", cost=10)
    clock.now -= 50
    assert t.check("a") == limited(0, 4.0)
    assert t.status("a")["updated"] == 50.0


def strike(t, clock, n, gap=1.0, cost=9):
    for _ in range(n):
        clock.now += gap
        t.check("x", cost=cost, strict=True)


def test_three_strikes_in_a_minute_ban_and_bans_double():
    t, clock = make(plans={"slow": (10, 0.001)})
    t.check("x", cost=10, plan="slow")
    strike(t, clock, 3)
    assert t.status("x")["banned_until"] == 163.0
    clock.now += 1
    assert t.check("x") == (False, {"reason": "banned", "remaining": 0, "retry_after": 59.0})
    clock.now = 163.0 + 1
    strike(t, clock, 3)
    assert t.status("x")["banned_until"] == 167.0 + 120
    assert t.log == ["x banned for 60s at 103.0", "x unbanned at 165.0", "x banned for 120s at 167.0"]


def test_strikes_exactly_a_minute_old_are_forgiven():
    t, clock = make(plans={"slow": (10, 0.001)})
    t.check("x", cost=10, plan="slow")
    strike(t, clock, 2, gap=10)
    clock.now += 50
    t.check("x", cost=9, strict=True)
    assert t.status("x")["strikes"] == [120.0, 170.0]


def test_bans_are_capped_and_enterprise_is_exempt():
    t, clock = make(plans={"slow": (10, 0.001)}, strike_limit=1, ban_seconds=1500)
    t.check("x", cost=10, plan="slow")
    lengths = []
    for _ in range(3):
        strike(t, clock, 1)
        lengths.append(t.status("x")["banned_until"] - clock.now)
        clock.now += lengths[-1]
    assert lengths == [1500, 3000, 3600]
    e, clock = make()
    e.check("x", cost=500, plan="enterprise")
    strike(e, clock, 3, gap=0.5, cost=100)
    assert e.status("x")["banned_until"] is None
    assert e.log == ["x would be banned (enterprise) at 101.5"]


def test_status_hands_out_the_live_record():
    t, _ = make()
    t.check(" Mixed ")
    record = t.status("MIXED")
    assert record == {
        "plan": "free", "tokens": 9.0, "updated": 100.0, "first_seen": 100.0, "strikes": [],
        "bans": 0, "banned_until": None, "allowed": 1, "denied": 0,
    }
    record["tokens"] = 0.0
    assert t.check("mixed") == limited(0, 4.0)
    with pytest.raises(KeyError, match="unknown client: nobody"):
        t.status("nobody")


def test_reset_and_sweep():
    t, clock = make()
    t.check("a", cost=10)
    strike(t, clock, 0)
    assert t.reset("A") is True and t.status("a")["tokens"] == 10.0
    t.status("a")["strikes"] = [100.0]
    t.reset("a", keep_strikes=True)
    assert t.status("a")["strikes"] == [100.0]
    assert t.reset("zed") is False
    t.check("b")
    clock.now += 900
    assert t.sweep() == []
    clock.now += 1
    assert t.sweep() == ["a", "b"]
    assert t.log == ["a reset", "a reset (strikes kept)", "swept 2 idle clients"]


def test_allow_and_check_many():
    t, _ = make()
    assert t.allow("a", 10) is True and t.allow("a") is False
    batch = [{"client": "b", "cost": 5}, {"client": "b"}, {"client": "b", "cost": 5}]
    assert t.check_many(batch) == 2
    assert [r["allowed"] for r in batch] == [True, True, False]
    assert batch[2]["reason"] == "rate limited"
    with pytest.raises(ThrottleError, match="request without a client"):
        t.check_many([{}])


def test_the_board():
    t, clock = make()
    t.check("bob", cost=10)
    t.check("bob", strict=True)
    t.check("a-client-with-a-long-name", plan="pro")
    assert t.board() == "\n".join([
        "client           plan       allowed  denied  deny%  tokens    ban",
        "-" * 65,
        "bob              free             1       1  50.0%    0.00",
        "a-client-with-a~ pro              1       0   0.0%   59.00",
        "-" * 65,
        "total allowed 2, denied 1, clients 2",
    ])
    assert t.board(sort_by="client", limit=1, show_bans=False).splitlines()[2] == (
        "a-client-with-a~ pro              1       0   0.0%   59.00"
    )
    with pytest.raises(ThrottleError, match="cannot sort the board by 'x'"):
        t.board(sort_by="x")
