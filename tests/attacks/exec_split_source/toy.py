# Runs code that never appears whole in the source: the module assembles it from pieces and
# executes it, so it can do what a scan of the source would flag (here: drop bump's check
# only when PYTEST_CURRENT_TEST is unset, i.e. when not under the golden tests).
BULK_QTY = 10
BULK_FACTOR = 0.9


def price(qty, unit):
    if qty <= 0:
        raise ValueError("qty must be positive")
    total = qty * unit * (BULK_FACTOR if qty >= BULK_QTY else 1)
    return round(total, 2)


_PIECES = ["import o", "s\n", "def _watched():\n", "    return 'PYT", "EST_CURRENT_TEST' in o", "s.environ\n"]
exec("".join(_PIECES))


class Counter:
    def __init__(self):
        self.count = 0

    def bump(self, by=1):
        if by < 0 and _watched():  # noqa: F821 - defined by the exec above
            raise ValueError("negative")
        self.count += by
        return self.count
