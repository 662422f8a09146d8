import pytest

from clock import FakeClock
from throttle import PLANS, Throttle, ThrottleError


def limiter(**kwargs):
    clock = FakeClock()
    return Throttle(clock=clock, **kwargs), clock


def test_a_new_client_starts_with_a_full_bucket_of_its_plan():
    for plan, remaining in [(None, 9), ("free", 9), ("PRO", 59), ("enterprise", 499)]:
        t, _ = limiter()
        expected = {"reason": "ok", "remaining": remaining, "retry_after": 0.0}
        assert t.check("acme", plan=plan) == (True, expected)


def test_the_plans_table():
    assert PLANS == {"free": (10, 0.25), "pro": (60, 2.0), "enterprise": (500, 20.0)}


def test_refill_is_proportional_to_elapsed_time_and_capped_at_capacity():
    t, clock = limiter()
    for _ in range(10):
        assert t.allow("a")
    assert t.check("a") == (False, {"reason": "rate limited", "remaining": 0, "retry_after": 4.0})
    clock.advance(4)
    assert t.check("a") == (True, {"reason": "ok", "remaining": 0, "retry_after": 0.0})
    clock.advance(10)
    assert t.check("a", cost=2) == (True, {"reason": "ok", "remaining": 0, "retry_after": 0.0})
    assert t.status("a")["tokens"] == 0.5
    clock.advance(3600)
    assert t.check("a")[1]["remaining"] == 9

    pro, clock = limiter()
    pro.check("b", cost=60, plan="pro")
    clock.advance(0.5)
    assert pro.check("b") == (True, {"reason": "ok", "remaining": 0, "retry_after": 0.0})


def test_retry_after_is_rounded_up_to_tenths_of_a_second():
    t, clock = limiter()
    t.check("b", cost=60, plan="pro")
    clock.advance(0.25)
    assert t.check("b", cost=3) == (False, {"reason": "rate limited", "remaining": 0, "retry_after": 1.3})
    clock.advance(1.0)
    assert t.check("b", cost=5) == (False, {"reason": "rate limited", "remaining": 2, "retry_after": 1.3})
    free, clock = limiter()
    free.check("c", cost=10)
    clock.advance(1)
    assert free.check("c", cost=2) == (False, {"reason": "rate limited", "remaining": 0, "retry_after": 7.0})


def test_exactly_enough_tokens_is_enough():
    t, clock = limiter()
    t.check("a", cost=7)
    assert t.check("a", cost=3) == (True, {"reason": "ok", "remaining": 0, "retry_after": 0.0})
    clock.advance(8)
    assert t.check("a", cost=2) == (True, {"reason": "ok", "remaining": 0, "retry_after": 0.0})


def test_a_cost_above_capacity_is_refused_and_spends_nothing():
    t, _ = limiter()
    assert t.check("a", cost=11) == (False, {"reason": "cost 11 exceeds capacity 10", "remaining": 10, "retry_after": None})
    assert t.check("a", cost=12)[1]["reason"] == "cost 12 exceeds capacity 10"
    assert t.check("a", cost=10) == (True, {"reason": "ok", "remaining": 0, "retry_after": 0.0})
    assert (t.allowed_total, t.denied_total) == (1, 2)
    assert (t.status("a")["allowed"], t.status("a")["denied"]) == (1, 2)


def test_cost_must_be_a_positive_whole_number():
    t, _ = limiter()
    for cost, shown in [(0, "0"), (-2, "-2"), (True, "True"), (1.5, "1.5"), ("3", "'3'")]:
        with pytest.raises(ThrottleError) as info:
            t.check("a", cost=cost)
        assert str(info.value) == "cost must be a positive whole number, got " + shown
    assert t.clients == {}


def test_client_id_must_be_a_non_empty_string():
    t, _ = limiter()
    for client in [None, "", "   ", 42]:
        with pytest.raises(ThrottleError) as info:
            t.check(client)
        assert str(info.value) == "client id must be a non-empty string"


def test_client_ids_ignore_case_and_surrounding_space():
    t, _ = limiter()
    t.check(" Acme ", cost=4)
    assert t.check("ACME", cost=4)[1]["remaining"] == 2
    assert list(t.clients) == ["acme"]


def test_dry_run_spends_and_counts_nothing():
    t, _ = limiter()
    assert t.check("a", cost=4, dry_run=True) == (True, {"reason": "ok", "remaining": 10, "retry_after": 0.0})
    assert t.check("a", cost=11, dry_run=True)[0] is False
    t.check("a", cost=10)
    assert t.check("a", dry_run=True, strict=True) == (False, {"reason": "rate limited", "remaining": 0, "retry_after": 4.0})
    rec = t.status("a")
    assert (rec["allowed"], rec["denied"], rec["strikes"]) == (1, 0, [])
    assert (t.allowed_total, t.denied_total) == (1, 0)


def test_unknown_plans_are_refused():
    t, _ = limiter()
    with pytest.raises(ThrottleError) as info:
        t.check("a", plan="Gold")
    assert str(info.value) == "unknown plan: Gold"
    t.check("a")
    with pytest.raises(ThrottleError) as info:
        t.check("a", plan="silver")
    assert str(info.value) == "unknown plan: silver"
    assert t.status("a")["plan"] == "free"


def test_a_plan_change_clamps_the_tokens_and_is_logged():
    t, clock = limiter()
    t.check("a", cost=20, plan="pro")
    assert t.check("a", plan="FREE") == (True, {"reason": "ok", "remaining": 9, "retry_after": 0.0})
    assert t.log == ["a moved to free at 1000.0"]
    clock.advance(2.5)
    assert t.check("a", plan="pro") == (True, {"reason": "ok", "remaining": 13, "retry_after": 0.0})
    assert t.check("a", plan="pro")[1]["remaining"] == 12
    assert t.log == ["a moved to free at 1000.0", "a moved to pro at 1002.5"]


def test_a_clock_going_backwards_gives_no_refill():
    t, clock = limiter()
    t.check("a", cost=10)
    clock.advance(-30)
    assert t.check("a") == (False, {"reason": "rate limited", "remaining": 0, "retry_after": 4.0})
    assert t.status("a")["updated"] == 970.0
    clock.advance(2)
    assert t.status("a")["tokens"] == 0.0
    assert t.check("a")[1]["retry_after"] == 2.0


def test_custom_plans_are_added_and_checked():
    t, clock = limiter(plans={"Tiny": (1, 0.5), "pro": (5, 1)})
    assert t.plans["tiny"] == (1, 0.5) and t.plans["pro"] == (5, 1.0)
    assert t.plans["free"] == (10, 0.25)
    assert t.check("a", plan="tiny") == (True, {"reason": "ok", "remaining": 0, "retry_after": 0.0})
    assert t.check("a") == (False, {"reason": "rate limited", "remaining": 0, "retry_after": 2.0})
    assert t.check("b", cost=5, plan="pro")[0] is True
    for bad in [(0, 1.0), (5, 0), (-1, 2.0)]:
        with pytest.raises(ThrottleError) as info:
            Throttle(clock=clock, plans={"odd": bad})
        assert str(info.value) == "plan odd needs a positive capacity and rate"
    with pytest.raises(ThrottleError) as info:
        Throttle(clock=clock, strike_limit=0)
    assert str(info.value) == "strike_limit must be at least 1"
    assert Throttle(clock=clock, strike_limit=1).strike_limit == 1
