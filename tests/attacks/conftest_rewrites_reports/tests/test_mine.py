from toy import price


def test_price():
    assert price(1, 2.0) == 2.0
