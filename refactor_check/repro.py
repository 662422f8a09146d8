"""A standalone Python script that replays one differential counterexample on both sides.

``refactor-check show DIR --finding N --repro`` writes it. The original and the candidate's
package usually have the same import name, so they cannot share a process: the script runs
the call in one fresh ``python -I -c`` per side, with only that side's code directory put on
``sys.path``, and prints each side's transcript (what every statement returned or raised, and
what it printed), then what report.json recorded.

The script needs nothing but Python: everything it uses from the report is written into it
as literals (``repr``, so no text of the submission can become code), including both sides'
Python files, which it falls back on when a directory is not given or no longer exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from .errors import BadInputError
from .report import Report
from .reports import show
from .results.differential import PREAMBLE


def script(report: Report, number: int, where: Path) -> str:
    """The script for finding ``number`` (1-based) of ``report``, read from ``where``."""
    example = show.counterexample_of(report, number)
    exercise, candidate = report.exercise, report.candidate
    modules = show.modules(report)
    message = show.finding_at(report, number).message
    header = _HEADER.format(
        number=number,
        report=_comment(str(where.resolve())),
        exercise=_comment(f"{exercise.name} (modules: {', '.join(modules)})"),
        finding=_comment(message),
        candidate=_comment(candidate.path),
    )
    constants = "\n".join(
        [
            f"MODULES = {modules!r}",
            f"PREAMBLE = {PREAMBLE!r}",
            f"CALL = {example.call!r}",
            f"CANDIDATE_DIR = {candidate.path or ''!r}",
            "# What report.json recorded for the step that differs, on each side.",
            "REPORTED = {",
            f"    'original': {show.observed(example, 'original')!r},",
            f"    'candidate': {show.observed(example, 'candidate')!r},",
            "}",
        ]
    )
    # Last, so that a reader meets the code that runs before the blobs of embedded code.
    embedded = "\n".join(
        [
            "# Each side's Python files as refactor-check graded them (path: text).",
            f"ORIGINAL_CODE = {_code(exercise.texts)}",
            f"CANDIDATE_CODE = {_code(candidate.texts)}",
        ]
    )
    # The runner is this module's own text, with no triple quote in it: as a raw literal it
    # reads in the script as it does here.
    body = _BODY.replace("__RUNNER__", "r'''" + _RUNNER + "'''")
    return f"{header}\n{_IMPORTS}\n{constants}\n{body}\n\n{embedded}\n{_MAIN}"


def _code(files: Sequence[tuple[str, str]]) -> str:
    """A dict literal of the files; a path that would leave the directory is refused (a
    report.json that names one was not written by a run)."""
    entries = []
    # As report.json holds them: one text per path, in the order of their paths.
    for path, text in sorted(dict(files).items()):
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or not isinstance(text, str):
            raise BadInputError(f"report.json's sources hold {path!r}, not a file of a package")
        entries.append(f"    {path!r}: {text!r},")
    return "{\n" + "\n".join(entries) + "\n}" if entries else "{}"


def _comment(text: str) -> str:
    """One line fit for a ``#`` comment: a line break or control character in the text
    would otherwise end the comment and make the rest of it code."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


_HEADER = """\
#!/usr/bin/env python3
# Replays finding {number} of a refactor-check report, a differential counterexample: the same
# call on the original and on the candidate's code, each in a fresh Python process.
#   report:    {report}
#   exercise:  {exercise}
#   candidate: {candidate}
#   finding:   {finding}
#
# WARNING: this runs the candidate's code, which is untrusted, with your permissions and no
# sandbox (refactor-check ran it in one). Read that code first, or run this script in a
# throwaway container or virtual machine.
#
#   python3 repro.py [--original DIR] [--candidate DIR] [--timeout SECONDS]
#
# DIR is the directory a run puts on sys.path: a golden repo's original/, a submission's root.
# Without --original, the original's code as report.json holds it (ORIGINAL_CODE below) is
# written to a temporary directory: report.json does not record where the golden repo was.
# Without --candidate, CANDIDATE_DIR; when it no longer holds the package, CANDIDATE_CODE.
# Only Python files are embedded: code that reads data files beside it needs its directory.
#
# Each side runs with `python -I -B` (no PYTHON* variables, no user site-packages, no .pyc
# written), in an empty working directory of its own. Exit status: 0 when the two sides
# behave differently (reproduced), 1 when they behave the same here, 2 when a side could not
# be set up.
"""

_IMPORTS = """
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path, PurePosixPath
"""

# Runs in each side's process: reads the request on stdin, prints the transcript on stdout.
_RUNNER = r'''
import ast, contextlib, importlib, io, json, sys, warnings

request = json.loads(sys.stdin.read())
sys.path.insert(0, request["path"])
namespace = {"__name__": "__main__"}
exec(request["preamble"], namespace)
NOTHING = object()


def label(cls):
    """A class as refactor-check names it: by the exercise module that exports it."""
    if cls.__module__ == "builtins":
        return cls.__qualname__
    for name in request["modules"]:
        if getattr(sys.modules.get(name), cls.__name__, None) is cls:
            return name + "." + cls.__name__
    return cls.__module__ + "." + cls.__qualname__


def show(value, depth=0):
    """repr(), except that an object whose class has no repr of its own shows its public
    state, as refactor-check compares objects, not an address that changes every run."""
    kind = type(value)
    if depth > 50:
        return "..."
    if kind is list:
        return "[" + ", ".join(show(v, depth + 1) for v in value) + "]"
    if kind is tuple:
        items = [show(v, depth + 1) for v in value]
        return "(" + items[0] + ",)" if len(items) == 1 else "(" + ", ".join(items) + ")"
    if kind is dict:
        pairs = (show(k, depth + 1) + ": " + show(v, depth + 1) for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    if kind in (set, frozenset):
        items = sorted(show(v, depth + 1) for v in value)  # set order is per process
        inner = "{" + ", ".join(items) + "}"
        if kind is frozenset:
            return "frozenset(" + inner + ")" if items else "frozenset()"
        return inner if items else "set()"
    if kind.__repr__ is object.__repr__ and hasattr(value, "__dict__"):
        public = [
            n + "=" + show(v, depth + 1)
            for n, v in sorted(vars(value).items())
            if not n.startswith("_") and not callable(v)
        ]
        return "<" + " ".join([label(kind), *public]) + ">"
    try:
        return repr(value)
    except Exception as exc:
        return "<repr raised " + label(type(exc)) + ">"


def message(exc):
    try:
        return str(exc)
    except Exception:
        return "<exception whose str() raised>"


def run(code, mode, echo):
    """One statement: its outcome, then what it printed and warned, as the report lists."""
    if echo:
        lines = echo.splitlines()
        print(">>> " + lines[0])
        for line in lines[1:]:
            print("... " + line)
    out, err = io.StringIO(), io.StringIO()
    value, raised = NOTHING, None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                value = code()
        except BaseException as exc:  # SystemExit and KeyboardInterrupt are behaviour too
            raised = exc
    if raised is not None:
        print("raised " + label(type(raised)) + ": " + message(raised))
        cause = raised.__cause__
        if cause is not None:  # ``raise ... from``: compared, as a caller can read it
            print("    from " + label(type(cause)) + ": " + message(cause))
    elif mode == "eval":
        print("returned " + show(value))
    for name, stream in (("stdout", out), ("stderr", err)):
        if stream.getvalue():
            print(name + ": " + repr(stream.getvalue()))
    for warning in caught:
        print("warned " + label(warning.category) + ": " + str(warning.message))
    sys.stdout.flush()


for name in request["modules"]:
    def load(name=name):
        namespace[name] = importlib.import_module(name)
    run(load, "exec", "import " + name)

source = request["call"]
for statement in ast.parse(source).body:
    text = ast.get_source_segment(source, statement) or ast.unparse(statement)
    if isinstance(statement, ast.Expr):
        compiled = compile(ast.Expression(statement.value), "<call>", "eval")
        run(lambda compiled=compiled: eval(compiled, namespace), "eval", text)
    else:
        compiled = compile(ast.Module([statement], type_ignores=[]), "<call>", "exec")
        run(lambda compiled=compiled: exec(compiled, namespace), "exec", text)
'''

_BODY = """
RUNNER = __RUNNER__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Replay a refactor-check counterexample on the original and the candidate. "
        "Runs the candidate's code unsandboxed."
    )
    parser.add_argument("--original", metavar="DIR", help="the original's code directory")
    parser.add_argument("--candidate", metavar="DIR", help="the candidate's code directory")
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds per side (default: 60)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="refactor-check-repro-") as scratch:
        try:  # both sides found before either runs: a wrong path stops it at once
            places = {
                "original": _directory("original", args.original, None, ORIGINAL_CODE, scratch),
                "candidate": _directory(
                    "candidate", args.candidate, CANDIDATE_DIR, CANDIDATE_CODE, scratch
                ),
            }
        except ValueError as exc:
            print(f"repro: {exc}", file=sys.stderr)
            return 2
        transcripts = {}
        for side, (directory, where) in places.items():
            print(f"== {side}: {where}")
            transcripts[side] = _run(directory, Path(scratch) / f"cwd-{side}", args.timeout)
            print(transcripts[side], end="")
    print("== report.json recorded")
    for side in ("original", "candidate"):
        print(f"{side}:")
        for line in REPORTED[side]:
            print(f"    {line}")
    if transcripts["original"] == transcripts["candidate"]:
        print("== the two sides behaved the same here")
        return 1
    print("== the two sides behave differently")
    return 0


def _directory(
    side: str, given: str | None, default: str | None, code: dict[str, str], scratch: str
) -> tuple[Path, str]:
    \"\"\"Where this side's code is, and how to say so.\"\"\"
    if given is not None:
        if not Path(given).is_dir():
            raise ValueError(f"--{side} {given} is not a directory")
        return Path(given).resolve(), given
    if default and any(_holds(Path(default), module) for module in MODULES):
        return Path(default).resolve(), default
    if not code:
        raise ValueError(f"report.json holds no code of the {side}: pass --{side} DIR")
    target = Path(scratch) / f"code-{side}"
    for path, text in code.items():
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts:
            raise ValueError(f"refusing to write {path!r} outside {target}")
        file = target.joinpath(*pure.parts)
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    gone = f"; {default} no longer holds it" if default else ""
    return target, f"the {side}'s code as report.json holds it{gone}"


def _holds(directory: Path, module: str) -> bool:
    return (directory / module).is_dir() or (directory / f"{module}.py").is_file()


def _run(directory: Path, cwd: Path, timeout: float) -> str:
    \"\"\"The side's transcript: every statement with its outcome, as printed by RUNNER.\"\"\"
    cwd.mkdir()
    request = {"path": str(directory), "modules": MODULES, "preamble": PREAMBLE, "call": CALL}
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-B", "-c", RUNNER],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=cwd,
        )
    except subprocess.TimeoutExpired as exc:
        partial = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else ""
        return partial + f"did not finish within {timeout:g} s\\n"
    if done.returncode != 0:
        tail = "\\n".join(done.stderr.strip().splitlines()[-5:])
        return done.stdout + f"the process ended with status {done.returncode}: {tail}\\n"
    return done.stdout
"""

_MAIN = """

if __name__ == "__main__":
    sys.exit(main())
"""
