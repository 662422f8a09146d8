import pytest

from clock import FakeClock
from throttle import Throttle, ThrottleError


def busy():
    """Four clients with some history: one banned, one idle, one throttled, one never charged."""
    clock = FakeClock()
    t = Throttle(clock=clock)
    for _ in range(12):
        t.check("Bravo")
    t.check("alpha", cost=3)
    t.check("a-very-long-client-name", cost=30, plan="pro")
    t.check("charlie", dry_run=True, plan="enterprise")
    t.check("delta", cost=11)
    for _ in range(3):
        clock.advance(1)
        t.check("bravo", cost=9, strict=True)
    clock.advance(0.5)
    return t, clock


BOARD = """\
client           plan       allowed  denied  deny%  tokens    ban
-----------------------------------------------------------------
bravo            free            10       5  33.3%    0.75    60s
delta            free             0       1 100.0%   10.00
a-very-long-cli~ pro              1       0   0.0%   30.00
alpha            free             1       0   0.0%    7.00
charlie          enterprise       0       0   0.0%  500.00
-----------------------------------------------------------------
total allowed 12, denied 6, clients 5"""


def test_the_board_lists_worst_offenders_first():
    t, clock = busy()
    assert t.board() == BOARD
    clock.advance(59.25)
    assert t.board().splitlines()[2].endswith(" 0.75     1s")
    clock.advance(0.25)  # the ban ends at exactly this moment
    assert t.board().splitlines()[2].endswith(" 0.75")


def test_the_board_sorts_by_allowed_or_client_and_can_be_cut_short():
    t, _ = busy()
    by_allowed = t.board(sort_by="allowed", show_bans=False).splitlines()
    assert by_allowed[0] == "client           plan       allowed  denied  deny%  tokens"
    assert by_allowed[1] == "-" * 58
    assert [line.split()[0] for line in by_allowed[2:7]] == [
        "bravo", "a-very-long-cli~", "alpha", "charlie", "delta"
    ]
    assert by_allowed[2] == "bravo            free            10       5  33.3%    0.75"
    by_client = t.board(sort_by="client", limit=2).splitlines()
    assert [line.split()[0] for line in by_client[2:4]] == ["a-very-long-cli~", "alpha"]
    assert by_client[4] == "-" * 65
    assert by_client[5] == "total allowed 12, denied 6, clients 5"


def test_names_longer_than_sixteen_characters_are_cut():
    t = Throttle(clock=FakeClock())
    t.check("exactly-16-chars")
    t.check("seventeen-chars-x", cost=2)
    assert t.board(sort_by="client", show_bans=False).splitlines()[2:4] == [
        "exactly-16-chars free             1       0   0.0%    9.00",
        "seventeen-chars~ free             1       0   0.0%    8.00",
    ]


def test_the_board_refuses_an_unknown_order():
    t, _ = busy()
    with pytest.raises(ThrottleError) as info:
        t.board(sort_by="plan")
    assert str(info.value) == "cannot sort the board by 'plan'"


def test_status_is_the_client_record():
    t, _ = busy()
    assert t.status(" BRAVO") == {
        "plan": "free",
        "tokens": 0.75,
        "updated": 1003.0,
        "first_seen": 1000.0,
        "strikes": [1001.0, 1002.0, 1003.0],
        "bans": 1,
        "banned_until": 1063.0,
        "allowed": 10,
        "denied": 5,
    }
    with pytest.raises(KeyError) as info:
        t.status("Echo")
    assert info.value.args == ("unknown client: Echo",)


def test_allow_answers_with_a_bool_and_honours_the_plan():
    t = Throttle(clock=FakeClock())
    assert t.allow("a", 50, "pro") is True
    assert t.status("a")["plan"] == "pro"
    assert t.allow("a", 11) is False
    assert t.allow("a", cost=10) is True


def test_check_many_marks_each_request_in_place():
    clock = FakeClock()
    t = Throttle(clock=clock)
    batch = [
        {"client": "a", "cost": 6},
        {"client": "a"},
        {"client": "a", "cost": 4},
        {"client": "b", "cost": 40, "plan": "pro"},
    ]
    assert t.check_many(batch) == 3
    assert batch == [
        {"client": "a", "cost": 6, "allowed": True, "reason": "ok"},
        {"client": "a", "allowed": True, "reason": "ok"},
        {"client": "a", "cost": 4, "allowed": False, "reason": "rate limited"},
        {"client": "b", "cost": 40, "plan": "pro", "allowed": True, "reason": "ok"},
    ]
    assert t.status("a")["strikes"] == []
    assert t.check_many([{"client": "a", "cost": 3}]) == 1
    assert t.check_many([{"client": "a", "cost": 9}] * 3, strict=True) == 0
    assert t.status("a")["banned_until"] == 1060.0
    with pytest.raises(ThrottleError) as info:
        t.check_many([{"cost": 1}])
    assert str(info.value) == "request without a client"


def test_sweep_forgets_idle_clients_but_keeps_banned_ones():
    clock = FakeClock()
    t = Throttle(clock=clock, ban_seconds=1000, strike_limit=1)
    t.check("gone-b")
    t.check("jailed", cost=10)
    t.check("jailed", strict=True)
    t.check("gone-a")
    clock.advance(300)
    t.check("fresh")
    clock.advance(600)
    assert t.sweep() == []
    clock.advance(0.5)
    assert t.sweep() == ["gone-a", "gone-b"]
    assert t.log[-1] == "swept 2 idle clients"
    clock.advance(99.5)
    assert list(t.clients) == ["jailed", "fresh"]
    # the ban ends at exactly this moment, so the banned client is idle like any other
    assert t.sweep(max_idle=599) == ["fresh", "jailed"]
    t.check("solo")
    clock.advance(2)
    assert t.sweep(1) == ["solo"]
    assert t.log[-1] == "swept 1 idle client"
