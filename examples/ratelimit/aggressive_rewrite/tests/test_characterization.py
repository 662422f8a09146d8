"""Characterization tests, written against the original ``throttle/limiter.py`` before the
rewrite and kept passing on both (from another directory:
``PYTHONPATH=<golden>/original python -P -m pytest <this dir>``).

They pin: the answers and their rounding, refill and the backwards clock, plan changes,
strikes and doubling bans (also the very instant a ban ends), enterprise clients, dry runs,
the live record from status() (and that the strikes list is replaced, not edited), reset,
sweep, the board character for character, and the audit log.
"""

import pytest

from throttle import PLANS, Throttle, ThrottleError


class Clock:
    def __init__(self, now=1000.0):
        self.now = now
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.now


def test_plans_and_answers():
    assert PLANS == {"free": (10, 0.25), "pro": (60, 2.0), "enterprise": (500, 20.0)}
    clock = Clock()
    t = Throttle(clock, plans={"Tiny": (2.9, 1)})
    assert t.plans["tiny"] == (2, 1.0)
    assert t.check(" Bob ", cost=9) == (True, {"reason": "ok", "remaining": 1, "retry_after": 0.0})
    assert t.check("bob", cost=2) == (False, {"reason": "rate limited", "remaining": 1, "retry_after": 4.0})
    clock.now += 0.9
    # 1000.9 - 1000.0 is not exactly 0.9: the wait is 3.1000000000000227 s, rounded *up* to 3.2 (kept)
    assert t.check("bob", cost=2) == (False, {"reason": "rate limited", "remaining": 1, "retry_after": 3.2})
    assert t.check("bob", cost=11) == (False, {"reason": "cost 11 exceeds capacity 10", "remaining": 1, "retry_after": None})
    assert clock.calls == 4
    assert (t.allowed_total, t.denied_total) == (1, 3)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"plans": {"x": (0, 1)}}, "plan x needs a positive capacity and rate"),
        ({"strike_limit": 0}, "strike_limit must be at least 1"),
    ],
)
def test_bad_settings(kwargs, message):
    with pytest.raises(ThrottleError, match=message):
        Throttle(Clock(), **kwargs)


@pytest.mark.parametrize(
    ("client", "cost", "message"),
    [
        ("  ", 1, "client id must be a non-empty string"),
        ("a", True, "cost must be a positive whole number, got True"),
        ("a", 1.0, "cost must be a positive whole number, got 1.0"),
    ],
)
def test_bad_requests(client, cost, message):
    with pytest.raises(ThrottleError, match=message):
        Throttle(Clock()).check(client, cost)


def test_plan_changes_and_the_clock_going_back():
    clock = Clock()
    t = Throttle(clock)
    t.check("a", plan="PRO", cost=50)
    t.check("a", plan="free")
    assert t.status("a")["tokens"] == 9.0
    assert t.log == ["a moved to free at 1000.0"]
    with pytest.raises(ThrottleError, match="unknown plan: gold"):
        t.check("a", plan="gold")
    with pytest.raises(ThrottleError, match="unknown plan: $"):
        t.check("a", plan="")  # an existing client: "" is a plan name
    t.check("b", plan="")  # a new client: "" means the default plan
    assert t.status("b")["plan"] == "free"
    clock.now -= 100
    assert t.check("a")[1]["remaining"] == 8


def test_strikes_bans_doubling_and_the_instant_a_ban_ends():
    clock = Clock(0.0)
    t = Throttle(clock, strike_limit=2, ban_seconds=10)
    t.check("x", cost=10)
    record = t.status("x")
    t.check("x", cost=5, strict=True)
    old_strikes = record["strikes"]
    t.check("x", cost=5, strict=True)
    assert old_strikes == [0.0]  # replaced, not edited
    assert record["banned_until"] == 10.0 and record["bans"] == 1
    clock.now = 9.96
    assert t.check("x") == (False, {"reason": "banned", "remaining": 0, "retry_after": 0.1})
    clock.now = 10.0
    assert t.check("x", dry_run=True) == (True, {"reason": "ok", "remaining": 2, "retry_after": 0.0})
    assert t.log[-1] == "x unbanned at 10.0"
    t.check("x", cost=10, strict=True)
    t.check("x", cost=10, strict=True)
    assert record["banned_until"] == 30.0  # doubled
    assert "x banned for 20s at 10.0" in t.log


def test_enterprise_clients_are_never_banned():
    t = Throttle(Clock(), strike_limit=1)
    t.check("e", cost=500, plan="enterprise")
    t.check("e", cost=1, strict=True)
    assert t.status("e")["banned_until"] is None
    assert t.log == ["e would be banned (enterprise) at 1000.0"]


def test_status_is_the_live_record_and_reset_and_sweep():
    clock = Clock()
    t = Throttle(clock)
    t.check("a")
    t.status("a")["tokens"] = 0.0
    assert t.check("A")[0] is False
    with pytest.raises(KeyError, match="unknown client: Zed"):
        t.status("Zed")
    assert t.reset("nobody") is False and clock.calls == 2
    assert t.reset("a", keep_strikes=True) is True
    assert t.log == ["a reset (strikes kept)"]
    t.check("b")
    clock.now += 901
    t.check("c")
    assert t.sweep() == ["a", "b"]
    assert list(t.clients) == ["c"]
    assert t.log[-1] == "swept 2 idle clients"


def test_check_many_marks_the_requests():
    t = Throttle(Clock())
    requests = [{"client": "a", "cost": 6}, {"client": "a", "cost": 6}, {"client": "b", "plan": "pro"}]
    assert t.check_many(requests) == 2
    assert [(r["allowed"], r["reason"]) for r in requests] == [(True, "ok"), (False, "rate limited"), (True, "ok")]
    with pytest.raises(ThrottleError, match="request without a client"):
        t.check_many([{"cost": 1}])


def test_board():
    clock = Clock(0.0)
    t = Throttle(clock, strike_limit=1, ban_seconds=90)
    t.check("a-very-long-client-name", cost=3)
    t.check("b", cost=10)
    t.check("b", strict=True)
    clock.now = 0.5
    assert t.board() == "\n".join([
        "client           plan       allowed  denied  deny%  tokens    ban",
        "-----------------------------------------------------------------",
        "b                free             1       1  50.0%    0.00    90s",
        "a-very-long-cli~ free             1       0   0.0%    7.00",
        "-----------------------------------------------------------------",
        "total allowed 2, denied 1, clients 2",
    ])
    assert t.board(sort_by="client", limit=1, show_bans=False).splitlines()[2] == (
        "a-very-long-cli~ free             1       0   0.0%    7.00"
    )
    with pytest.raises(ThrottleError, match="cannot sort the board by 'plan'"):
        t.board(sort_by="plan")
