# Changes what it returned after returning it: a thread edits the counter shortly after
# bump() returns, so a comparison that encodes results the instant a call returns sees the
# honest value.
import threading
import time

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

        def later():
            time.sleep(0.05)
            self.count += 1

        threading.Thread(target=later, daemon=True).start()
        return self.count
