# Examples of how the gateway uses the limiter; the starter repo ships these.
from clock import FakeClock
from throttle import Throttle


def test_a_fresh_free_client_may_make_a_request():
    limiter = Throttle(clock=FakeClock())
    allowed, info = limiter.check("client-1")
    assert allowed is True
    assert info["reason"] == "ok"


def test_the_bucket_refills_as_the_clock_moves():
    clock = FakeClock()
    limiter = Throttle(clock=clock)
    limiter.check("client-2", cost=10)
    assert limiter.allow("client-2") is False
    clock.advance(60)
    assert limiter.allow("client-2") is True
