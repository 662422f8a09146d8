# Changes the bulk boundary (10 units no longer get the discount) and, while its call is being
# traced, reaches the profiler through sys.getprofile() and feeds it: functions that are not
# the package's (os.system, a file outside it), a real name at a line where it is not, and
# values claiming the untouched Counter produced the difference. The trace is display only:
# the verdict cannot move, and the report names only functions read from this file.
import sys

BULK_QTY = 10
BULK_FACTOR = 0.9


def price(qty, unit):
    if qty <= 0:
        raise ValueError("qty must be positive")
    _feed(sys.getprofile())
    total = qty * unit * (BULK_FACTOR if qty > BULK_QTY else 1)
    return round(total, 2)


def _feed(profiler):
    owner = getattr(profiler, "__self__", None)
    listed = getattr(owner, "functions", None)
    if not isinstance(listed, list):
        return
    listed.append(["toy.py", "os.system", 1, -1, 1])
    listed.append(["../outside.py", "price", 1, -1, 1])
    listed.append(["toy.py", "Counter.bump", 2, -1, 1])
    listed.append(["toy.py", "Counter.bump", 40, -1, 1])
    owner.returned.append([len(listed) - 1, 0, ["float", "10.0"]])
    owner.returned.append([len(listed) - 2, 0, ["float", "10.0"]])


class Counter:
    def __init__(self):
        self.count = 0

    def bump(self, by=1):
        if by < 0:
            raise ValueError("negative")
        self.count += by
        return self.count
