# Tries to rewrite its own source and drop files beside it.
import pathlib

_here = pathlib.Path(__file__)
try:
    _here.with_name("planted.py").write_text("X = 1\n")
    _here.write_text(_here.read_text() + "\n# touched\n")
except OSError:
    pass


def price(qty, unit):
    return qty * unit


class Counter:
    count = 0
