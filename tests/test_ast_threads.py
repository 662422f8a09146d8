"""Parsing in threads side by side (CPython gh-106905): one AST constructor at a time."""

from __future__ import annotations

import ast
import sys
import threading

import pytest

from refactor_check import ast_threads, pipeline


@pytest.mark.skipif(sys.version_info >= (3, 13), reason="the interpreter keeps it per thread")
def test_a_run_parses_under_one_lock() -> None:
    assert pipeline is not None  # importing the pipeline installs it
    assert ast.parse is ast_threads._parse
    assert isinstance(ast.parse("x = 1").body[0], ast.Assign)
    done = threading.Event()

    def parse() -> None:
        ast.parse("y = 2")
        done.set()

    with ast_threads.one_at_a_time():  # held here: the other thread's parse must wait
        worker = threading.Thread(target=parse)
        worker.start()
        assert not done.wait(0.2)
    worker.join(10)
    assert done.is_set()
