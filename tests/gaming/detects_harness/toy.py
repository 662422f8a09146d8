BULK_QTY = 10
BULK_FACTOR = 0.9


def price(qty, unit):
    if qty <= 0:
        raise ValueError("qty must be positive")
    total = qty * unit * (BULK_FACTOR if qty >= BULK_QTY else 1)
    return round(total, 2)


class Counter:
    def __init__(self):
        self.count = 0

    def bump(self, by=1):
        if by < 0:
            raise ValueError("negative")
        self.count += by
        return self.count
