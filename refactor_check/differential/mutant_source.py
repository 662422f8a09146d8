"""A mutant of the original as plain source: the original file with the mutant's diff applied.

The mutation stage records each mutant as a unified diff of one function (the function's text
dedented, its first line ``def <name>(``, hunk lines counted from that line), which is what
the cached golden score keeps. The probe search needs the mutant as a package it can import in
a worker, so the diff is applied to the original file here, in the grading process.

Why not mutmut's own instrumented copy with ``MUTANT_UNDER_TEST`` set: that copy is not kept
(a cached score would mean running mutmut again to get it back), and its trampolines change
what a caller can observe (stack depth, tracebacks, the functions' attributes and signatures),
so the worker would see differences from the original that no candidate has. A rebuilt mutant
differs from the original in the mutated lines only. Every context and removed line of the
diff must match the original, or the mutant is not rebuilt (None): never guessed.
"""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

from .. import sources
from ..results.mutation import Mutant
from ..sources import PackageSource
from ..workspace import copy_package

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@")


def rebuild(text: str, qualified: str, diff: str) -> str | None:
    """``text`` (a module's source) with ``diff`` applied to its function ``qualified``
    ("compute_total" or "Ledger.add"); None when the diff does not fit that function, or the
    result is not valid Python, or it changes nothing."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    node = _function(tree, qualified)
    hunks = _hunks(diff)
    if node is None or not hunks:
        return None
    lines = text.splitlines(keepends=True)
    start = node.lineno - 1  # mutmut skips decorated functions: the def line is the first
    end = node.end_lineno or node.lineno
    margin = _margin(lines[start:end])
    newline = "\r\n" if lines[start].endswith("\r\n") else "\n"
    out = lines[:start]
    position = start
    for first, removed_count, body in hunks:
        # A hunk that only adds lines (no context) starts after its line, not at it.
        at = start + (first - 1 if removed_count else first)
        if at < position or at > len(lines):
            return None
        out += lines[position:at]
        position = at
        for line in body:
            tag, content = line[:1], line[1:]
            if tag in (" ", "-"):
                if position >= len(lines) or not _same(lines[position], margin, content):
                    return None
                if tag == " ":
                    out.append(lines[position])
                position += 1
            elif tag == "+":
                out.append((margin + content if content.strip() else "") + newline)
            elif tag != "\\":  # "\ No newline at end of file"
                return None
    out += lines[position:]
    rebuilt = "".join(out)
    if rebuilt == text:
        return None
    try:
        compile(rebuilt, "<mutant>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return None
    return rebuilt


def write_package(original: PackageSource, mutant: Mutant, root: Path) -> PackageSource | None:
    """The original package with the mutant's change, written under ``root`` (which must not
    hold a copy yet); None when the mutant cannot be rebuilt (``rebuild``)."""
    text = next((f.text for f in original.files if f.path == mutant.file), None)
    module = module_of(mutant.file)
    if text is None or not mutant.function.startswith(module + "."):
        return None
    rebuilt = rebuild(text, mutant.function[len(module) + 1 :], mutant.diff)
    if rebuilt is None:
        return None
    copy_package(original, root)
    (root / mutant.file).write_text(rebuilt, encoding="utf-8", newline="")
    return sources.load_package(root, original.name, original.module_names[1:])


def module_of(path: str) -> str:
    """The module a package file defines: "billing/invoice.py" -> "billing.invoice"."""
    parts = path.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)


def _function(tree: ast.Module, qualified: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """A top-level function or a method of a top-level class: all that mutmut mutates."""
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    owner, _, name = qualified.rpartition(".")
    body: list[ast.stmt] = tree.body
    if owner:
        classes = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == owner]
        if len(classes) != 1 or "." in owner:
            return None
        body = classes[0].body
    found = [n for n in body if isinstance(n, functions) and n.name == name]
    # The last definition is the one that runs (and the one mutmut's name refers to).
    return found[-1] if found else None


def _hunks(diff: str) -> list[tuple[int, int, list[str]]]:
    """(first old line, old line count, lines) per hunk; the file header is skipped."""
    hunks: list[tuple[int, int, list[str]]] = []
    for line in diff.splitlines():
        header = _HUNK.match(line)
        if header:
            count = int(header.group(2)) if header.group(2) is not None else 1
            hunks.append((int(header.group(1)), count, []))
        elif hunks:
            hunks[-1][2].append(line)
    return hunks


def _margin(function_lines: list[str]) -> str:
    """The indentation the diff's text lost: what ``textwrap.dedent`` removed from it."""
    chunk = "".join(function_lines)
    first = chunk.splitlines()[0] if chunk.strip() else ""
    dedented = textwrap.dedent(chunk).splitlines()
    return first[: len(first) - len(dedented[0])] if dedented else ""


def _same(original: str, margin: str, content: str) -> bool:
    line = original.rstrip("\r\n")
    if not line.strip():
        return not content.strip()  # dedent empties lines of whitespace
    return line == margin + content
