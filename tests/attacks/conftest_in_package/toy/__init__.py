# Wrong on purpose (no bulk discount); the conftest.py files beside it try to hide that.
def price(qty, unit):
    if qty <= 0:
        raise ValueError("qty must be positive")
    return round(qty * unit, 2)


class Counter:
    def __init__(self):
        self.count = 0

    def bump(self, by=1):
        self.count += by
        return self.count
