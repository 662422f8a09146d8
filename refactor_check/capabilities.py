"""What a refactor of library code may use without the original having used it.

The integrity scan started as a list of known-bad names (``sys._getframe``, ``os._exit``,
...), and a candidate who reads this source can always spell the next one differently. So the
package is judged against an allow-list instead: it may import what the original imports,
plus the standard-library modules below that only compute. Any other standard-library module
is a capability the original never needed, which an honest refactor has no reason to add:

- ``PURE`` modules compute on their arguments and nothing else (no process state, no
  introspection of other objects, no I/O). A refactor reaches for them all the time
  (``dataclasses``, ``enum``, ``functools``, ...): never a remark.
- ``PLAUSIBLE`` modules are ones an honest refactor may add, yet which touch the world
  (``logging`` writes somewhere, ``time`` and ``random`` make results vary). Adding one is a
  warning the interviewer sees, never a block.
- Everything else (``sys``, ``os``, ``gc``, ``inspect``, ``threading``, ``importlib``,
  ``builtins``, ``ctypes``, ...) blocks, unless the original imports it too.

Beside imports, the same question is asked of attributes: reading or writing the ones that
reach into other objects' machinery (``__globals__``, ``__subclasses__``, assigning
``__signature__`` or ``__class__``) blocks unless the original does the same, whether written
as ``f.__globals__`` or as ``getattr(f, "__glo" + "bals__")``: ``fold`` evaluates a string
built from literals, so splitting a name does not hide it.
"""

from __future__ import annotations

import sys

import libcst as cst

PURE = frozenset(
    {
        "__future__",
        "abc",
        "array",
        "bisect",
        "calendar",
        "cmath",
        "codecs",
        "collections",
        "contextlib",
        "copy",
        "csv",
        "dataclasses",
        "datetime",
        "decimal",
        "difflib",
        "enum",
        "fractions",
        "functools",
        "graphlib",
        "heapq",
        "html",
        "io",  # StringIO/BytesIO; io.open stays file_access
        "itertools",
        "json",
        "keyword",
        "math",
        "numbers",
        "operator",
        "pprint",
        "re",
        "reprlib",
        "statistics",
        "string",
        "struct",
        "textwrap",
        "types",
        "typing",
        "unicodedata",
        "zoneinfo",
    }
)

PLAUSIBLE = frozenset({"logging", "warnings", "time", "random", "uuid", "locale", "weakref"})

# Test code left in a module (a ``unittest.TestCase``, ``unittest.main()`` under a main guard)
# is the ``tests_in_package`` remark, not a capability; ``unittest.mock`` is: it patches any
# object named by a string.
TEST_MODULES = frozenset({"unittest"})
DENIED_SUBMODULES = frozenset({"unittest.mock"})

# The standard library's private modules that are capabilities in themselves. The others
# (``_strptime``, ``_decimal``, ``_json``, ...) are what an allowed module's C code imports
# on first use (``datetime.strptime`` imports ``_strptime`` from C, so the candidate's frame
# is the one that made the call): at run time they are the allowed module's doing.
PRIVATE_CAPABILITIES = frozenset(
    {
        "_thread",
        "_ctypes",
        "_posixsubprocess",
        "_socket",
        "_signal",
        "_ssl",
        "_multiprocessing",
        "_posixshmem",
        "_tracemalloc",
        "_lsprof",
        "_imp",
        "_io",
        "_frozen_importlib",
        "_frozen_importlib_external",
        "_xxsubinterpreters",
        "_xxinterpchannels",
        "_testcapi",
        "_testinternalcapi",
    }
)


def private_helpers() -> frozenset[str]:
    """Private standard-library modules an allowed module may import on its own account."""
    return frozenset(
        name
        for name in sys.stdlib_module_names
        if name.startswith("_") and name not in PRIVATE_CAPABILITIES
    )


# Attributes that reach into another object's machinery: frames, globals, code, the class
# hierarchy's every subclass, a module's loader. Reading them is how code finds the process
# that hosts it (the worker, pytest) from inside a library function. Frame and traceback
# attributes are the integrity scan's own rule (inspects_frames).
REACHING = frozenset(
    {
        "__globals__",
        "__code__",
        "__closure__",
        "__builtins__",
        "__subclasses__",
        "__loader__",
        "__spec__",
        "__self__",
    }
)

# Attributes whose assignment makes an object describe itself falsely: a signature that is
# not the function's (``inspect.signature`` reads ``__signature__`` first), a class an object
# does not have, code or defaults swapped under a function's name.
FORGING = frozenset(
    {
        "__signature__",
        "__text_signature__",
        "__wrapped__",
        "__class__",
        "__code__",
        "__defaults__",
        "__kwdefaults__",
        "__globals__",
        "__bases__",
        "__dict__",
    }
)


def fold(node: cst.BaseExpression) -> str | None:
    """The string an expression built only from string literals evaluates to, else None.

    Covers literals, implicit and ``+`` concatenation, f-strings without fields, and
    ``"".join([...literals])``: the ways to split a name so a search for it misses.
    """
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        left, right = fold(node.left), fold(node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        left, right = fold(node.left), fold(node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, cst.FormattedString):
        parts = []
        for part in node.parts:
            if not isinstance(part, cst.FormattedStringText):
                return None
            parts.append(part.value)
        return "".join(parts)
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "join"
        and len(node.args) == 1
    ):
        glue = fold(node.func.value)
        items = node.args[0].value
        if glue is None or not isinstance(items, (cst.List, cst.Tuple)):
            return None
        folded = [fold(e.value) for e in items.elements if isinstance(e, cst.Element)]
        if len(folded) != len(items.elements) or any(f is None for f in folded):
            return None
        return glue.join(f for f in folded if f is not None)
    return None
