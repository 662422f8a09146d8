"""``refactor-check exercise new``: a golden repo in the contract's layout, ready to edit.

The exercise.toml it writes lists every optional setting, commented out, with the value an
unset setting means, read from where it is defined (``limits.Limits``, the default mutation
profile), so the scaffold never disagrees with the code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import asdict
from pathlib import Path

from .. import sources
from ..errors import BadInputError
from ..limits import Limits
from ..mutation import profiles
from ..mutation.profiles import DEFAULT_PROFILE, available
from . import template
from .starter import STARTER_TABLE

# Exercise names become directory names and the name in a candidate's .refactor-check.toml.
_NAME = re.compile(r"[a-z][a-z0-9_-]{0,49}")

# One line per setting; tests check that every field of Limits and MutationProfile has one.
LIMIT_HELP: dict[str, str] = {
    "wall_seconds": "wall-clock seconds for one run of a test suite",
    "stall_seconds": "longest a single test may run without a result before it is a hang",
    "cpu_seconds": "CPU seconds of each test process",
    "memory_mb": "address space of each test process, in MiB",
    "output_mb": "largest file (stdout and stderr included) a test process may write, in MiB",
    "processes": "processes a run may have at once",
    "open_files": "open files of each test process",
}
MUTATION_HELP: dict[str, str] = {
    "timeout_multiplier": "a mutant may run this many times its tests' clean duration...",
    "timeout_constant": "...plus this many seconds, before it counts as timed out",
    "wall_seconds": "one mutmut run in all; mutants left unchecked are reported as such",
    "jobs": "parallel mutant workers; 0 is one per core",
    "do_not_mutate": "files (globs relative to each module of the code) to leave unmutated",
    "do_not_mutate_patterns": "source lines (regexes) to leave unmutated",
    "own_tests_on_original": "also score the candidate's tests against the original's mutants",
    "golden_adequacy_target": "`exercise validate` fails below this share of mutants killed",
}


def create(name: str, parent: Path, package: str | None = None) -> Path:
    """Write the golden repo ``parent/name``; it must not exist yet."""
    if not _NAME.fullmatch(name):
        raise BadInputError(
            f"exercise name {name!r} must be 1-50 lower-case letters, digits, '-' or '_', "
            "starting with a letter"
        )
    package = package or name.replace("-", "_")
    problem = sources.check_package_name(package)
    if problem:
        raise BadInputError(f"{problem} (pass --package NAME)")
    if not parent.is_dir():
        raise BadInputError(f"--dir {parent} does not exist or is not a directory")
    root = parent / name
    if root.exists() or root.is_symlink():
        raise BadInputError(f"{root} already exists; choose another name or --dir")
    files = {
        "exercise.toml": exercise_toml(name, package),
        f"original/{package}/__init__.py": template.render("original_init.py.tmpl", NAME=name),
        f"original/{package}/core.py": template.render("original_core.py.tmpl"),
        f"tests/test_{package}.py": template.render("test_golden.py.tmpl", PACKAGE=package),
        "tests/test_visible_example.py": template.render("test_visible.py.tmpl", PACKAGE=package),
        "NOTES.md": template.render("NOTES.md.tmpl", NAME=name, PACKAGE=package),
    }
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def exercise_toml(name: str, package: str) -> str:
    lines = [
        "# A golden repo for refactor-check: this file, original/<package>/ (the code",
        "# candidates refactor) and tests/ (the hidden golden tests). Only name and package",
        "# are required; every commented setting shows its default.",
        "",
        "[exercise]",
        f"name = {_toml(name)}",
        f"package = {_toml(package)}  # the import name; original/{package}/ holds it",
        "# The task text: the starter repo's README is made of these two.",
        f"title = {_toml(f'Refactor the {name} module without changing what it does')}",
        'description = """',
        "TODO: what the module does, what the candidate may change, and what must not",
        "change (everything importable, results, exceptions and their messages, printed",
        "text, changes made to arguments).",
        '"""',
        "",
        "# Resource limits of every test run (defaults: refactor_check/runner.py, Limits).",
        "[limits]",
        *_commented(_settings(Limits()), LIMIT_HELP),
        "",
        "# Mutation testing: pick a profile from mutation_configs/",
        f"# ({', '.join(available()) or DEFAULT_PROFILE}) and override single settings; the",
        f"# values shown are the {DEFAULT_PROFILE!r} profile's.",
        "[mutation]",
        f"# profile = {_toml(DEFAULT_PROFILE)}",
        *_commented(_settings(profiles.load(DEFAULT_PROFILE), skip={"name"}), MUTATION_HELP),
        "",
        "# What `refactor-check exercise starter` exports besides the original package:",
        "# visible_tests are globs relative to this directory, copied into the starter's",
        "# tests/ (they must pass on the original); every other golden test stays hidden.",
        "# tool_spec is what the starter's CI workflow pip-installs refactor-check from.",
        f"[{STARTER_TABLE}]",
        'visible_tests = ["tests/test_visible_*.py"]',
        '# tool_spec = "refactor-check @ git+https://github.com/your-org/refactor-check@v0.1.0"',
        "",
    ]
    return "\n".join(lines)


def _settings(instance: object, skip: Collection[str] = ()) -> dict[str, object]:
    return {k: v for k, v in asdict(instance).items() if k not in skip}  # type: ignore[call-overload]


def _commented(defaults: dict[str, object], help_text: dict[str, str]) -> list[str]:
    width = max(len(f"{k} = {_toml(v)}") for k, v in defaults.items())
    return [
        f"# {f'{key} = {_toml(value)}':<{width}}  # {help_text[key]}"
        for key, value in defaults.items()
    ]


def _toml(value: object) -> str:
    """A TOML literal for a default (strings, numbers, booleans, lists of strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value))
