"""Parsing Python in several threads at once, on interpreters where that can fail.

Before Python 3.13 the AST constructor keeps its recursion depth in state the whole
interpreter shares (CPython gh-106905): when two threads build ASTs at once, one of them can
fail with ``SystemError: AST constructor recursion depth mismatch``. A run grades in several
threads (mutation, behaviour and the history side by side), and each parses source, ours and
the libraries' (griffe, radon) alike. ``install`` makes ``ast.parse`` take one lock for the
whole process, so the constructor never runs in two threads at once; parsing holds the GIL
anyway, so nothing is lost but the failure. Code that builds ASTs through ``compile`` (griffe
does) runs inside ``one_at_a_time()``.
"""

from __future__ import annotations

import ast
import contextlib
import sys
import threading
from collections.abc import Iterator
from typing import Any

_LOCK = threading.RLock()
_UNLOCKED = ast.parse


def _parse(*args: Any, **kwargs: Any) -> Any:
    with _LOCK:
        return _UNLOCKED(*args, **kwargs)


@contextlib.contextmanager
def one_at_a_time() -> Iterator[None]:
    """Hold the parsing lock around code that builds ASTs without ``ast.parse``."""
    with _LOCK:
        yield


def install() -> None:
    """Idempotent; a no-op where the interpreter keeps the depth per thread."""
    if sys.version_info < (3, 13):
        ast.parse = _parse
