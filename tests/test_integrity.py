"""The integrity scan's rules on small sources: what blocks, what warns, what is left alone."""

from __future__ import annotations

import textwrap

import pytest

from refactor_check.checks import integrity
from refactor_check.sources import read_source


def rules(tmp_path, text: str) -> set[str]:
    path = tmp_path / "mod.py"
    path.write_text(textwrap.dedent(text))
    source = read_source(path, "mod.py")
    return {hit.rule for hit in integrity.scan_source(source)}


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("import os as o\no._exit(0)\n", "exits_process"),
        ("from sys import exit as leave\nleave(0)\n", "exits_process"),
        ("import builtins\nbuiltins.print = len\n", "patches_builtins"),
        ("setattr(__import__('builtins'), 'len', 1)\n", "patches_builtins"),
        ("import builtins as b\nsetattr(b, 'len', 1)\n", "patches_builtins"),
        ("import signal as s\ns.alarm(1)\n", "spawns_or_connects"),
        ("import sys\nx = sys.modules['pytest']\n", "touches_sys_modules"),
        ("import os\nx = 'PYTEST_CURRENT_TEST' in os.environ\n", "detects_test_run"),
        ("import os\nx = os.environ.get('MUTANT_UNDER_TEST')\n", "detects_mutation"),
        ("from _pytest import runner\n", "test_machinery"),
        ("import pluggy\n", "test_machinery"),
        ("import pytest\npytest.raises = len\n", "test_machinery"),
        ("import unittest\nsetattr(unittest.TestCase, 'assertEqual', len)\n", "test_machinery"),
        ("import unittest\nunittest.main()\n", "exits_process"),
        ("import subprocess\n", "spawns_or_connects"),
        ("from socket import create_connection\n", "spawns_or_connects"),
        ("import sys\nf = sys._getframe(1)\n", "inspects_frames"),
        ("def f(frame):\n    return frame.f_back.f_locals\n", "inspects_frames"),
        ("import sys\nfd = sys.argv[2]\n", "reads_command_line"),
        ("import atexit\n", "registers_atexit"),
        ("import os\nos.write(5, b'x')\n", "raw_descriptors"),
        ("data = open('tests/test_x.py').read()\n", "targets_runner"),
        ("x = eval('1')\n", "dynamic_code"),
        ("m = __import__('g' + 'c')\n", "dynamic_code"),
        # Reaching into other objects' machinery, however the name is spelled.
        ("def f(g):\n    return g.__globals__\n", "reaches_into"),
        ("def f(g):\n    return getattr(g, '__glo' + 'bals__')\n", "reaches_into"),
        ("def f(g):\n    return getattr(g, ''.join(['__co', 'de__']))\n", "reaches_into"),
        ("x = ().__class__.__base__.__subclasses__()\n", "reaches_into"),
        (
            "def f(e):\n    return getattr(e.__traceback__, f'tb_frame').f_globals\n",
            "inspects_frames",
        ),
        (
            "N = ''.join(chr(c) for c in (95, 95, 99))\ndef f(g):\n    return getattr(g, N)\n",
            "builds_attribute_name",
        ),
        ("def f(g, k):\n    return getattr(g, k[::-1])\n", "builds_attribute_name"),
        # Making an object describe itself falsely.
        ("import inspect\ndef f(a):\n    pass\nf.__signature__ = None\n", "forges_metadata"),
        ("def f(a):\n    pass\nsetattr(f, '__sig' 'nature__', None)\n", "forges_metadata"),
        ("class A:\n    pass\nclass B:\n    pass\nb = B()\nb.__class__ = A\n", "forges_metadata"),
        # A test-run marker split so that no literal holds it.
        ("import os\nx = os.environ.get('PYT' + 'EST_CURRENT_TEST')\n", "detects_test_run"),
    ],
)
def test_blocking_patterns(tmp_path, text: str, rule: str) -> None:
    assert rule in rules(tmp_path, text)
    assert integrity.RULES[rule].blocking


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("import os\nhome = os.environ['HOME']\n", "reads_environment"),
        ("def load(p):\n    return open(p).read()\n", "file_access"),
        ("def main():\n    import sys\n    sys.exit(2)\n", "sys_exit_call"),
        ("import unittest\n\nclass T(unittest.TestCase):\n    pass\n", "tests_in_package"),
        ("def put(config, key, value):\n    setattr(config, key, value)\n", "dynamic_attribute"),
        (
            "FIELDS = ('a', 'b')\ndef row(r):\n    return [getattr(r, f) for f in FIELDS]\n",
            "dynamic_attribute",
        ),
    ],
)
def test_warning_patterns(tmp_path, text: str, rule: str) -> None:
    assert rule in rules(tmp_path, text)
    assert not integrity.RULES[rule].blocking


@pytest.mark.parametrize(
    "text",
    [
        '"""Refactored; pinned by pytest characterization tests first."""\n',
        "from decimal import Decimal, ROUND_HALF_UP\nx = Decimal('1.005')\n",
        "import sys\nif __name__ == '__main__':\n    print(sys.argv)\n    sys.exit(0)\n",
        "def f(tier='golden'):\n    return tier\n",
        # setattr on the package's own objects (an __init__ from a dict, property factories).
        "class A:\n    def __init__(self, **kw):\n        for k, v in kw.items():\n"
        "            setattr(self, k, v)\n",
        # Names the module binds itself, whatever they are called.
        "signal = tuple\nx = signal([1])\n",
        "def socket(host):\n    return host\n\nsocket('a')\n",
        # Tests left in the module, run as a script: a remark, not tampering.
        "import unittest\n\nclass TestIt(unittest.TestCase):\n    def test_x(self):\n"
        "        self.assertEqual(1, 1)\n\nif __name__ == '__main__':\n    unittest.main()\n",
    ],
)
def test_honest_code_is_left_alone(tmp_path, text: str) -> None:
    assert not {r for r in rules(tmp_path, text) if integrity.RULES[r].blocking}


def test_a_rule_the_original_also_trips_is_inherited_not_held_against_the_candidate(
    tmp_path, toy_golden, make_candidate
) -> None:
    from refactor_check import pipeline

    original = toy_golden / "original" / "toy.py"
    original.write_text("import subprocess\n" + original.read_text())
    candidate = make_candidate()
    (candidate / "toy.py").write_text("import subprocess\n" + (candidate / "toy.py").read_text())
    report = pipeline.grade(candidate, pipeline.Options(golden=toy_golden))
    result = report.check("integrity")
    assert result is not None and result.findings == ()
    assert any("the original does this too" in w for w in result.warnings)
    assert report.verdict.verdict == "preserved"


def import_hits(tmp_path, text: str, allowed: frozenset[str] = frozenset({"mod"})) -> list[str]:
    path = tmp_path / "mod.py"
    path.write_text(textwrap.dedent(text))
    source = read_source(path, "mod.py")
    return [
        h.detail
        for h in integrity.scan_source(source, allowed=allowed)
        if h.rule == "undeclared_import"
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("import attrs\n", ["imports attrs"]),
        ("from rich.console import Console\n", ["imports rich"]),
        ("import pytest\n", ["imports pytest"]),
        ("def f():\n    import numpy\n    return numpy\n", ["imports numpy"]),
        (
            "try:\n    import ujson as json\nexcept ImportError:\n    import json\n",
            ["imports ujson"],
        ),
        # The standard library, the package itself, relative imports: always there.
        ("import json, decimal\nfrom collections import abc\n", []),
        ("from __future__ import annotations\nimport mod.sub\nfrom . import x\n", []),
        # Never run on import: a script's own needs, and what type checkers read.
        ("if __name__ == '__main__':\n    import pytest\n    pytest.main()\n", []),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import attrs\n", []),
    ],
)
def test_imports_outside_the_standard_library_and_the_package_are_found(
    tmp_path, text: str, found: list[str]
) -> None:
    assert import_hits(tmp_path, text) == found
    assert integrity.RULES["undeclared_import"].blocking


def test_a_declared_dependency_may_be_imported(tmp_path) -> None:
    from refactor_check.dependencies import Dependencies

    declared = Dependencies(package=("attrs>=20",), imports=("yaml",))
    allowed = integrity.allowed_imports(("mod",), declared)
    text = "import attrs\nimport yaml\nimport requests\n"
    assert import_hits(tmp_path, text, allowed) == ["imports requests"]


def capability_hits(tmp_path, text: str) -> dict[str, str]:
    """rule -> detail of the import rules, with the package's own name allowed."""
    path = tmp_path / "mod.py"
    path.write_text(textwrap.dedent(text))
    source = read_source(path, "mod.py")
    return {
        h.rule: h.detail
        for h in integrity.scan_source(source, allowed=frozenset({"mod"}))
        if h.rule in ("capability_import", "new_stdlib_import", "undeclared_import")
    }


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # Modules that only compute: what refactors reach for.
        ("import dataclasses, enum, functools, itertools, typing, decimal, math\n", {}),
        ("from collections import defaultdict\nimport re, string, operator, abc\n", {}),
        # Capabilities a library function has no need for.
        ("import sys\n", {"capability_import": "imports sys"}),
        ("import gc\n", {"capability_import": "imports gc"}),
        ("from inspect import signature\n", {"capability_import": "imports inspect"}),
        ("def f():\n    import threading\n", {"capability_import": "imports threading"}),
        ("import builtins\n", {"capability_import": "imports builtins"}),
        ("m = __import__('o' + 's')\n", {"capability_import": "imports os"}),
        (
            "import importlib\nm = importlib.import_module('sys')\n",
            {"capability_import": "imports sys"},
        ),
        # What the worker runs as: never part of the standard library.
        ("import __main__\n", {"undeclared_import": "imports __main__"}),
        # Plausible in an honest refactor: a remark.
        ("import logging\n", {"new_stdlib_import": "imports logging"}),
        # Tests left in a module are the tests_in_package remark; mock patches anything.
        ("import unittest\n", {}),
        ("from unittest import mock\n", {"capability_import": "imports unittest.mock"}),
        ("import unittest.mock as m\n", {"capability_import": "imports unittest.mock"}),
    ],
)
def test_the_standard_library_is_an_allow_list_of_modules_that_only_compute(
    tmp_path, text: str, found: dict[str, str]
) -> None:
    assert capability_hits(tmp_path, text) == found
    assert integrity.RULES["capability_import"].blocking
    assert not integrity.RULES["new_stdlib_import"].blocking


def test_a_capability_the_original_imports_is_the_candidates_too(
    tmp_path, toy_golden, make_candidate
) -> None:
    from refactor_check import pipeline

    original = toy_golden / "original" / "toy.py"
    original.write_text("import sys\n\nLIMIT = sys.maxsize\n" + original.read_text())
    candidate = make_candidate()
    module = candidate / "toy.py"
    module.write_text("import sys\nimport gc\n\nLIMIT = sys.maxsize\n" + module.read_text())
    report = pipeline.grade(
        candidate, pipeline.Options(golden=toy_golden, mutation=False, differential=False)
    )
    result = report.check("integrity")
    assert result is not None
    assert [f.rule for f in result.findings] == ["capability_import"]
    assert "imports gc" in result.findings[0].message
    assert any("imports sys" in w and "the original does this too" in w for w in result.warnings)
