"""Differential testing worker: runs calls on one package and reports what a caller would see.

Two modes, both started by path through the runner (never imported by refactor-check):

    python -s -P -B diff_worker.py --channel-fd N --request-fd M serve --sys-path DIR --package P
        [--own MODULE ...] [--label PUBLIC_PATH ...] [--cmplog]
    python -s -P -B diff_worker.py --channel-fd N record --sys-path DIR --surface FILE -- PYTEST...

``serve`` imports the package once, then answers JSON-line requests (``run`` a program of
calls, ``describe`` public names) until its request pipe closes. Every request runs in a
child forked from the worker, so each program starts from the state right after import (no
module globals, caches or mutable defaults leak from one program to the next), a hang is
killed without losing the worker, and the import is paid once. A ``run`` may ask for one
step's call path (``"trace": step index``): the package's functions that step ran
(``_CallPath``), which the report shows to say where to look; never part of a comparison.
With ``--cmplog`` the package is a copy the parent instrumented (``differential/cmplog/``):
its comparisons call hooks installed here, and each step's observation lists the operands of
the comparisons it evaluated (``comparisons``), from which the parent derives new inputs.

``record`` runs the golden tests with a recorder wrapped around the package's public
surface and streams every call it sees (arguments as they were at call time). An object of
the tests a test hands the package (a clock, a callback) gets a spy in its place (``_Spy``),
which streams what the package asked of it in each call and what it answered; ``serve``
rebuilds it as a double answering that, step by step (``_World``; the semantics are
``refactor_check/differential/doubles.py``'s).

Values cross to the parent in a canonical, data-only form: a JSON list whose first item is a
type tag (``["Decimal", "1.10"]``, ``["dict", [[k, v], ...]]``, ``["object", "pkg.Cls",
[[attr, v], ...]]``). Nothing is pickled; the parent compares these structures itself and
trusts none of them beyond their shape. Classes of the package are labelled by the name the
package exports them under (``pkg.Name``), else ``pkg:Qualname``, so a refactor that moves a
class to another module keeps its label.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import dis
import enum
import fractions
import functools
import gc
import hashlib
import importlib
import inspect
import itertools
import json
import os
import select
import signal
import sys
import time
import types
import warnings
from collections import Counter, OrderedDict, deque

# Annotations are for mypy alone: the worker imports nothing beyond what it runs on. What the
# code under test is handed (test doubles, spies, replayed iterators, the wrappers put in place
# of its functions, the --cmplog hooks) is typed in comments, so that the __annotations__ and
# signatures it could inspect are what they were before the worker was typed.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from types import CodeType, FrameType, ModuleType
    from typing import Any, Literal, NoReturn, TypeAlias

    # A value in canonical form: a JSON list whose first item is a type tag.
    Value: TypeAlias = list[Any]
    # A call the recorder saw: (target, kind, receiver or None, positional arguments).
    Described: TypeAlias = tuple[str, str, Any, tuple[Any, ...]]
    # A program's step results: step index -> (returned, value).
    Results: TypeAlias = dict[int, tuple[bool, Any]]
    # Code places: (location, root) for each top-level module of the code under test.
    Places: TypeAlias = tuple[tuple[str, str], ...]

_MAX_DEPTH = 24
_FAILURE_TEXT = 300  # of a golden test's failure under the recorder
_MAX_ITEMS = 2000  # per container; the rest is cut and counted
_MAX_NODES = 50000  # per encoded value
_MAX_ATTRIBUTES = 200  # public attributes of one object
_MAX_TEXT = 64 * 1024  # characters of a string or of captured output kept as is
_MAX_ITERATOR_ITEMS = 1000
_MAX_ANSWER_BYTES = 8 * 1024 * 1024
_RECORD_SAMPLES_PER_TARGET = 200
_RECORD_STEPS_PER_TEST = 300
_RECORD_CALL_BYTES = 256 * 1024


# --------------------------------------------------------------------------------------------
# Canonical encoding


class _Labels:
    """Stable, refactor-proof names for types and functions of the package (and the rest)."""

    def __init__(
        self, package: str, own: Iterable[str] = (), canonical: Iterable[str] = ()
    ) -> None:
        self.package = package
        # Modules beside the package that are its code too (a candidate extracted them): what
        # they define is labelled as the package's, so moving a class there changes no label.
        self.own = tuple(own)
        # Public paths of the original's classes and functions ("books.Book"), given by the
        # parent in the same order to every worker: an object reachable by one is labelled by
        # it, wherever the code under test defines or imports it, so a candidate that moves
        # a class to another module (and keeps the old path working) changes no label.
        self.canonical = tuple(canonical)
        self.by_id: dict[int, str] = {}
        self.objects: dict[str, Any] = {}

    def scan(self) -> None:
        """Name every class and function the package's loaded modules bind: the canonical
        paths first, then the package's exports."""
        for path in self.canonical:
            try:
                value = resolve(path)
            except Exception:  # not there in this code: the API comparison reports it
                continue
            if not (isinstance(value, type) or inspect.isroutine(value)):
                continue
            if self.owns(value) and id(value) not in self.by_id and path not in self.objects:
                self.by_id[id(value)] = path
                self.objects[path] = value
        root = sys.modules.get(self.package)
        modules = [m for n, m in sorted(sys.modules.items()) if m and self.owns_module(n)]
        modules = [m for m in modules if m is not root]
        if root is not None:
            self._scan_module(root, exported=True)
        for module in modules:
            self._scan_module(module, exported=False)

    def _scan_module(self, module: ModuleType, exported: bool) -> None:
        try:
            items = list(vars(module).items())
        except TypeError:
            return
        # An object bound under several public names (``FormatError = LogFormatError``) is
        # labelled by its own name first: the label must not depend on which alias a module
        # happens to bind first, or an added alias would read as a changed type.
        items.sort(key=lambda item: item[0] != getattr(item[1], "__name__", None))
        for name, value in items:
            if name.startswith("_"):
                continue
            if not (isinstance(value, type) or inspect.isroutine(value)):
                continue
            if not self.owns(value) or id(value) in self.by_id:
                continue
            label = f"{self.package}.{name}" if exported else self._fallback(value)
            self.by_id[id(value)] = label
            self.objects[label] = value

    def owns(self, value: object) -> bool:
        return self.owns_module(getattr(value, "__module__", None) or "")

    def owns_module(self, module: str) -> bool:
        return any(module == top or module.startswith(top + ".") for top in self._tops())

    def _tops(self) -> tuple[str, ...]:
        return (self.package, *self.own)

    def _fallback(self, value: object) -> str:
        return f"{self.package}:{getattr(value, '__qualname__', getattr(value, '__name__', '?'))}"

    def of(self, value: object) -> str:
        """The label of a class or function."""
        known = self.by_id.get(id(value))
        if known is not None:
            return known
        if self.owns(value):
            return self._fallback(value)
        module = getattr(value, "__module__", None)
        qualname = getattr(value, "__qualname__", None) or getattr(value, "__name__", "?")
        if module in (None, "builtins"):
            return qualname  # type: ignore[return-value]  # a class's or a function's: a str
        return f"{module}.{qualname}"

    def resolve(self, label: str) -> Any:
        """The class (or function) a label names in this process, or None."""
        if label in self.objects:
            return self.objects[label]
        if label.startswith(self.package + ":"):
            for value in self.objects.values():
                if self._fallback(value) == label:
                    return value
        return None


class _Cut(Exception):
    pass


class Encoder:
    def __init__(self, labels: _Labels, consume_iterators: bool = True) -> None:
        self.labels = labels
        # Encoding an iterator consumes it: right for a value the call returned (a caller
        # would), wrong for one it is about to receive (the recorder encodes before the call).
        self.consume_iterators = consume_iterators
        # In digest mode (``_digested``): class label -> the attributes kept of its objects,
        # and the attributes left out ("Label.attr"). None: every attribute is kept.
        self.kept: dict[str, frozenset[str]] | None = None
        self.extras: set[str] = set()

    def encode(self, value: object) -> Value:
        self._nodes = 0
        try:
            return self._encode(value, 0, set())
        except _Cut:
            return ["cut", self.labels.of(type(value)), "value too large to compare"]

    def _encode(self, value: Any, depth: int, active: set[int]) -> Value:
        self._nodes += 1
        if self._nodes > _MAX_NODES:
            raise _Cut()
        kind = type(value)
        if value is None:
            return ["none"]
        if kind is _Double or kind is _Spy:
            # An object of the tests: the same double on every side (no state of its own).
            return ["double", object.__getattribute__(value, "_rc_id")]
        if kind is bool:
            return ["bool", value]
        if kind is int:
            return ["int", str(value)]
        if kind is float:
            return ["float", repr(value)]
        if kind is complex:
            return ["complex", repr(value)]
        if kind is str:
            return _text(value)
        if kind is bytes or kind is bytearray:
            return [kind.__name__, value[:_MAX_TEXT].hex()]
        if kind is decimal.Decimal:
            return ["Decimal", str(value)]
        if kind is fractions.Fraction:
            return ["Fraction", f"{value.numerator}/{value.denominator}"]
        if kind is datetime.date:
            return ["date", value.isoformat()]
        if kind is datetime.datetime:
            return ["datetime", value.isoformat()]
        if kind is datetime.time:
            return ["time", value.isoformat()]
        if kind is datetime.timedelta:
            return ["timedelta", value.days, value.seconds, value.microseconds]
        if isinstance(value, type):
            return ["class", self.labels.of(value)]
        if inspect.isroutine(value):
            return ["function", self.labels.of(value)]
        if inspect.ismodule(value):
            return ["module", value.__name__]
        if depth >= _MAX_DEPTH:
            return ["cut", self.labels.of(kind), "nested too deeply"]
        if id(value) in active:
            return ["cycle"]
        active.add(id(value))
        try:
            return self._container(value, kind, depth + 1, active)
        finally:
            active.discard(id(value))

    def _container(self, value: Any, kind: type[Any], depth: int, active: set[int]) -> Value:
        enc = self._encode
        if kind is list or kind is tuple:
            return [kind.__name__, self._items(value, depth, active)]
        if kind is dict:
            return ["dict", self._pairs(value.items(), depth, active)]
        if kind is set or kind is frozenset:
            items = self._items(value, depth, active)
            return [kind.__name__, sorted(items, key=_sort_key)]
        label = self.labels.of(kind)
        if isinstance(value, BaseException):
            return ["exception", label, _message(value)]
        if isinstance(value, enum.Enum):
            return ["enum", label, value.name]
        if isinstance(value, tuple) and hasattr(kind, "_fields"):
            fields = [[str(f), enc(getattr(value, f, None), depth, active)] for f in kind._fields]
            return ["namedtuple", label, fields]
        if isinstance(value, dict):
            return ["mapping", label, self._pairs(value.items(), depth, active)]
        if isinstance(value, (list, tuple, deque)):
            return ["sequence", label, self._items(value, depth, active)]
        if isinstance(value, (set, frozenset)):
            return ["setlike", label, sorted(self._items(value, depth, active), key=_sort_key)]
        if isinstance(value, _Replayed):
            return ["iterator", self._items(value.items, depth, active)]
        if _is_iterator(value):
            if not self.consume_iterators:
                return ["cut", "iterator", "an iterator, left unconsumed"]
            return self._iterator(value, depth, active)
        if isinstance(value, (datetime.date, datetime.time, datetime.timedelta, decimal.Decimal)):
            return ["repr", label, _safe_repr(value)]
        return self._object(value, label, depth, active)

    def _items(self, values: Iterable[Any], depth: int, active: set[int]) -> list[Value]:
        items = []
        for index, item in enumerate(values):
            if index >= _MAX_ITEMS:
                items.append(["cut", "items", "more items than compared"])
                break
            items.append(self._encode(item, depth, active))
        return items

    def _pairs(
        self, pairs: Iterable[tuple[Any, Any]], depth: int, active: set[int]
    ) -> list[list[Value]]:
        out = []
        for index, (key, item) in enumerate(pairs):
            if index >= _MAX_ITEMS:
                out.append([["cut", "items", "more items than compared"], ["none"]])
                break
            out.append([self._encode(key, depth, active), self._encode(item, depth, active)])
        return out

    def _iterator(self, value: Iterable[Any], depth: int, active: set[int]) -> Value:
        # The caller would consume it; every kind of iterator counts as the same type, so a
        # refactor from a generator to map() is not a difference, the items are.
        items: list[Value] = []
        try:
            for item in value:
                if len(items) >= _MAX_ITERATOR_ITEMS:
                    items.append(["cut", "items", "more items than compared"])
                    break
                items.append(self._encode(item, depth, active))
        except Exception as exc:
            items.append(["exception", self.labels.of(type(exc)), _message(exc)])
        return ["iterator", items]

    def _object(self, value: object, label: str, depth: int, active: set[int]) -> Value:
        """Public state: every public, non-method attribute, read as a caller would."""
        try:
            names = sorted(n for n in dir(value) if isinstance(n, str) and not n.startswith("_"))
        except Exception:
            names = []
        if not names and not hasattr(value, "__dict__"):
            return ["repr", label, _safe_repr(value)]
        state = []
        for name in names[:_MAX_ATTRIBUTES]:
            try:
                item = getattr(value, name)
            except Exception as exc:
                state.append([name, ["exception", self.labels.of(type(exc)), _message(exc)]])
                continue
            if inspect.isroutine(item):
                continue
            state.append([name, self._encode(item, depth, active)])
        if self.kept is not None:
            state = self._kept_state(label, state)
        return ["object", label, state]

    def _kept_state(self, label: str, state: list[list[Any]]) -> list[list[Any]]:
        """The attributes a digest covers (every one encoded all the same: reading one may
        run code whose output is the call's)."""
        names = self.kept.get(label)  # type: ignore[union-attr]  # called only when kept is set
        for name, _ in state:
            if names is None or name not in names:
                self.extras.add(f"{label}.{name}")
        return state if names is None else [pair for pair in state if pair[0] in names]


def _text(value: str) -> Value:
    if len(value) <= _MAX_TEXT:
        return ["str", value]
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    return ["cut", "str", f"{len(value)} characters, sha256 {digest}: {value[:200]!r}..."]


def _sort_key(encoded: Value) -> str:
    return json.dumps(encoded, sort_keys=True)


def _is_iterator(value: Any) -> bool:
    if isinstance(value, types.GeneratorType):
        return True
    try:
        return hasattr(value, "__next__") and iter(value) is value
    except Exception:
        return False


def _chain(exc: BaseException, labels: _Labels) -> dict[str, list[str]]:
    """The exception's explicit cause (``raise ... from``) and implicit context, as
    [type label, message] each; a link that is not set, or cannot be read, is left out."""
    found = {}
    for key, attribute in (("cause", "__cause__"), ("context", "__context__")):
        try:
            link = getattr(exc, attribute)
        except Exception:
            continue
        if isinstance(link, BaseException):
            found[key] = [labels.of(type(link)), _message(link)]
    return found


def _message(exc: BaseException | str) -> str:
    try:
        return str(exc)
    except Exception:
        return "<exception whose str() raised>"


def _safe_repr(value: object) -> str:
    try:
        text = repr(value)
    except Exception:
        return "<repr raised>"
    return text if len(text) <= 2000 else text[:2000] + "..."


# --------------------------------------------------------------------------------------------
# Decoding arguments


class _StepError(Exception):
    """The step could not be made (missing target, undecodable argument): not the code's fault."""


class Decoder:
    def __init__(self, labels: _Labels, results: Results) -> None:
        self.labels = labels
        self.results = results  # step index -> (ok, value)

    def decode(self, enc: object) -> Any:
        if not isinstance(enc, list) or not enc or not isinstance(enc[0], str):
            raise _StepError(f"malformed value {enc!r}")
        tag = enc[0]
        method = getattr(self, "_" + tag.lower(), None)
        if method is None:
            raise _StepError(f"a value of kind {tag!r} cannot be rebuilt as an argument")
        return method(enc)

    def _none(self, enc: Value) -> None:
        return None

    def _bool(self, enc: Value) -> bool:
        return bool(enc[1])

    def _int(self, enc: Value) -> int:
        return int(enc[1])

    def _float(self, enc: Value) -> float:
        return float(enc[1])

    def _complex(self, enc: Value) -> complex:
        return complex(enc[1])

    def _str(self, enc: Value) -> str:
        return str(enc[1])

    def _bytes(self, enc: Value) -> bytes:
        return bytes.fromhex(enc[1])

    def _bytearray(self, enc: Value) -> bytearray:
        return bytearray.fromhex(enc[1])

    def _decimal(self, enc: Value) -> decimal.Decimal:
        return decimal.Decimal(enc[1])

    def _fraction(self, enc: Value) -> fractions.Fraction:
        return fractions.Fraction(enc[1])

    def _date(self, enc: Value) -> datetime.date:
        return datetime.date.fromisoformat(enc[1])

    def _datetime(self, enc: Value) -> datetime.datetime:
        return datetime.datetime.fromisoformat(enc[1])

    def _time(self, enc: Value) -> datetime.time:
        return datetime.time.fromisoformat(enc[1])

    def _timedelta(self, enc: Value) -> datetime.timedelta:
        return datetime.timedelta(days=enc[1], seconds=enc[2], microseconds=enc[3])

    def _list(self, enc: Value) -> list[Any]:
        return [self.decode(item) for item in enc[1]]

    def _tuple(self, enc: Value) -> tuple[Any, ...]:
        return tuple(self.decode(item) for item in enc[1])

    def _set(self, enc: Value) -> set[Any]:
        return {self.decode(item) for item in enc[1]}

    def _frozenset(self, enc: Value) -> frozenset[Any]:
        return frozenset(self.decode(item) for item in enc[1])

    def _iterator(self, enc: Value) -> Iterator[Any]:
        return iter([self.decode(item) for item in enc[1]])

    def _dict(self, enc: Value) -> dict[Any, Any]:
        return {self.decode(k): self.decode(v) for k, v in enc[1]}

    def _mapping(self, enc: Value) -> dict[Any, Any]:
        pairs = [(self.decode(k), self.decode(v)) for k, v in enc[2]]
        if enc[1] == "collections.OrderedDict":
            return OrderedDict(pairs)
        if enc[1] == "collections.Counter":
            return Counter(dict(pairs))
        raise _StepError(f"a {enc[1]} cannot be rebuilt as an argument")

    def _sequence(self, enc: Value) -> deque[Any]:
        if enc[1] == "collections.deque":
            return deque(self.decode(item) for item in enc[2])
        raise _StepError(f"a {enc[1]} cannot be rebuilt as an argument")

    def _enum(self, enc: Value) -> Any:
        cls = self.labels.resolve(enc[1])
        if cls is None:
            raise _StepError(f"no enum {enc[1]} in this package")
        return cls[enc[2]]

    def _namedtuple(self, enc: Value) -> Any:
        cls = self.labels.resolve(enc[1])
        if cls is None:
            raise _StepError(f"no class {enc[1]} in this package")
        return cls(**{name: self.decode(v) for name, v in enc[2]})

    def _double(self, enc: Value) -> Any:
        if _WORLD[0] is None or not isinstance(enc[1], int):
            raise _StepError("a test double outside a program that sets one up")
        return _WORLD[0].double(enc[1])

    def _ref(self, enc: Value) -> Any:
        index = enc[1]
        if not isinstance(index, int) or index not in self.results:
            raise _StepError(f"step {index} has no result")
        ok, value = self.results[index]
        if not ok:
            raise _StepError(f"step {index} raised instead of returning an object")
        return value


# --------------------------------------------------------------------------------------------
# Resolving public names


_NOT_MODULES: set[str] = set()  # dotted names known not to be modules (a failed import is slow)


def _import_prefix(path: str) -> tuple[ModuleType, list[str]]:
    """Import the longest module prefix of a dotted path; (module, remaining names)."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        name = ".".join(parts[:cut])
        if name in _NOT_MODULES:
            continue
        module = sys.modules.get(name)
        if module is None:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name is not None and (name == exc.name or name.startswith(exc.name + ".")):
                    _NOT_MODULES.add(name)
                    continue
                raise
        return module, parts[cut:]
    raise _StepError(f"no module for {path}")


def resolve(path: str) -> Any:
    obj, rest = _import_prefix(path)
    for name in rest:
        try:
            obj = getattr(obj, name)
        except AttributeError:
            raise _StepError(f"{path} does not exist") from None
    return obj


# --------------------------------------------------------------------------------------------
# Running one program (in a forked child)


class _Capture:
    """stdout and stderr of one step, captured at the file-descriptor level (print, logging
    handlers made at import time and C code all land here, in the order written)."""

    def __enter__(self) -> _Capture:
        _flush_std()
        self.saved = [os.dup(1), os.dup(2)]
        self.files = [os.memfd_create("stdout"), os.memfd_create("stderr")]
        for fd, target in zip(self.files, (1, 2), strict=True):
            os.dup2(fd, target)
        return self

    def __exit__(self, *exc_info: object) -> Literal[False]:
        _flush_std()
        self.texts = [_read_capture(fd) for fd in self.files]
        for saved, target in zip(self.saved, (1, 2), strict=True):
            os.dup2(saved, target)
            os.close(saved)
        for fd in self.files:
            os.close(fd)
        return False


def _flush_std() -> None:
    stream: Any  # sys.__stdout__ may be None: its flush() raises, and is suppressed
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        with contextlib.suppress(Exception):
            stream.flush()


def _read_capture(fd: int) -> Value:
    size = os.lseek(fd, 0, os.SEEK_END)
    os.lseek(fd, 0, os.SEEK_SET)
    data = os.read(fd, min(size, _MAX_TEXT * 4))
    text = data.decode("utf-8", errors="backslashreplace")
    if size <= _MAX_TEXT:
        return ["str", text]
    digest = hashlib.sha256()
    os.lseek(fd, 0, os.SEEK_SET)
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        digest.update(chunk)
    return ["cut", "output", f"{size} bytes, sha256 {digest.hexdigest()}: {text[:200]!r}..."]


# --------------------------------------------------------------------------------------------
# Test doubles (``refactor_check/differential/doubles.py`` says what they promise)


_WORLD: list[Any] = [None]  # the running program's _World, in the forked child that runs it
_MAX_DOUBLE_CALLS = 200  # calls with arguments listed per step; the rest are counted


class _Double:
    """An object of the tests, rebuilt from the recording: answers per step, as recorded."""

    __slots__ = ("_rc_id",)

    def __init__(self, ident):  # type: (int) -> None
        object.__setattr__(self, "_rc_id", ident)

    def __call__(self, *args, **kwargs):  # type: (*Any, **Any) -> Any
        return _WORLD[0].answer(self._rc_id, "call", args, kwargs)

    def __getattr__(self, name):  # type: (str) -> Any
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _WORLD[0].read(self._rc_id, name)

    def __setattr__(self, name, value):  # type: (str, Any) -> None
        _WORLD[0].write(self._rc_id, name, value)

    def __repr__(self):  # type: () -> str
        return f"<test double {self._rc_id}>"


class _NoAnswer(LookupError):
    """A double asked something the recording has no answer for."""


class _World:
    """The doubles of one program and what they answer: a settable value per op (every call
    during a step returns the step's answer, however many calls), or a script (answers in
    order) for a step whose recorded answers varied."""

    def __init__(self, encoder: Encoder, steps: list[dict[str, Any]]) -> None:
        self.encoder = encoder
        self.decoder = Decoder(encoder.labels, {})
        self.doubles: dict[int, _Double] = {}
        # (double, op) -> encoded answer, until changed
        self.values: dict[tuple[int, str], Value] = {}
        # (double, op) -> [encoded answers, next position]: this step only
        self.scripts: dict[tuple[int, str], list[Any]] = {}
        # (double, name) -> the object the package wrote there
        self.written: dict[tuple[int, str], Any] = {}
        self.off_script = ""
        self.calls: list[Value] = []
        self.dropped = 0
        # Before the first step, each op answers its first setting: the state the test set
        # up before it started (a candidate may read the clock where the original did not).
        for step in steps:
            for double, op, answers in step.get("world") or []:
                self.values.setdefault((double, op), answers[0])

    def double(self, ident: int) -> _Double:
        if ident not in self.doubles:
            self.doubles[ident] = _Double(ident)
        return self.doubles[ident]

    def enter(self, step: dict[str, Any]) -> None:
        self.calls = []
        self.dropped = 0
        self.scripts = {}
        for double, op, answers in step.get("world") or []:
            if len(answers) == 1:
                self.values[(double, op)] = answers[0]
            else:
                self.scripts[(double, op)] = [answers, 0]
                self.values[(double, op)] = answers[-1]

    def leave(self) -> Value:
        """The calls with arguments the package made on the doubles during the step."""
        for (double, op), (answers, used) in sorted(self.scripts.items()):
            if used != len(answers):
                self._off(
                    f"test double {double}: {op} asked {used} time(s) in this step where the "
                    f"recording answered it {len(answers)} time(s)"
                )
        calls = self.calls
        if self.dropped:
            calls = [*calls, ["str", f"{self.dropped} more call(s)"]]
        return ["list", calls]

    def answer(self, ident: int, op: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if args or kwargs:
            self._note(ident, op, list(args), kwargs)
        script = self.scripts.get((ident, op))
        if script is not None:
            answers, used = script
            script[1] = used + 1
            if used >= len(answers):
                self._off(f"test double {ident}: {op} asked more often than recorded")
                return self.decoder.decode(answers[-1])
            return self.decoder.decode(answers[used])
        encoded = self.values.get((ident, op))
        if encoded is None:
            self._off(f"test double {ident}: the recording has no answer for {op}")
            raise _NoAnswer(f"refactor-check: no recorded answer for {op} of a test double")
        return self.decoder.decode(encoded)

    def read(self, ident: int, name: str) -> Any:
        if (ident, name) in self.written:
            return self.written[(ident, name)]
        method = f".{name}()"
        if (ident, method) in self.values or (ident, method) in self.scripts:
            return lambda *args, **kwargs: self.answer(ident, method, args, kwargs)
        if (ident, f".{name}") in self.values:
            return self.answer(ident, f".{name}", (), {})
        self._off(f"test double {ident}: the recording never saw .{name} read")
        raise AttributeError(f"refactor-check: the recording never saw .{name} read")

    def write(self, ident: int, name: str, value: Any) -> None:
        self._note(ident, f"={name}", [value], {})
        self.written[(ident, name)] = value

    def _note(self, ident: int, op: str, args: list[Any], kwargs: dict[str, Any]) -> None:
        if len(self.calls) >= _MAX_DOUBLE_CALLS:
            self.dropped += 1
            return
        encoded_kwargs = [
            [["str", str(k)], _encode_safely(self.encoder, v)] for k, v in kwargs.items()
        ]
        self.calls.append(
            [
                "tuple",
                [
                    ["double", ident],
                    ["str", op],
                    ["tuple", [_encode_safely(self.encoder, a) for a in args]],
                    ["dict", encoded_kwargs],
                ],
            ]
        )

    def _off(self, why: str) -> None:
        # The first reason stands: once off script, the rest of the program is too.
        self.off_script = self.off_script or why


def _uses_doubles(steps: list[dict[str, Any]]) -> bool:
    return any(step.get("world") or _has_double(step) for step in steps)


def _has_double(step: dict[str, Any]) -> bool:
    # A str value's text is JSON-escaped, so only a real tag matches.
    return '["double", ' in json.dumps([step.get("args"), step.get("kwargs")])


_MUTABLE = (list, dict, set, bytearray, deque)


def _identity(
    result: object, args: list[Any], kwargs: dict[str, Any], receiver: object
) -> str | None:
    """Which argument object the call returned itself (callers may rely on the same object)."""
    if result is None or not (isinstance(result, _MUTABLE) or hasattr(result, "__dict__")):
        return None
    if result is receiver:
        return "receiver"
    for index, arg in enumerate(args):
        if result is arg:
            return f"args[{index}]"
    for name, arg in kwargs.items():
        if result is arg:
            return f"kwargs[{name}]"
    return None


def perform(
    step: dict[str, Any], results: Results, encoder: Encoder, call_path: _CallPath | None = None
) -> dict[str, Any]:
    """Run one step; its observation as a dict. ``results`` gains the step's result.
    With ``call_path`` (a ``_CallPath``), the observation also says which of the package's
    functions the step ran (``call_path`` in the observation)."""
    index = step["index"]
    decoder = Decoder(encoder.labels, results)
    try:
        receiver = decoder.decode(step["receiver"]) if step.get("receiver") else None
        args = [decoder.decode(a) for a in step.get("args", [])]
        kwargs = {str(k): decoder.decode(v) for k, v in step.get("kwargs", [])}
        kind = step["kind"]
        if kind == "method":
            if receiver is None:
                raise _StepError("a method step needs a receiver")
            target = getattr(receiver, step["method"])
        else:
            target = resolve(step["target"])
    except _StepError as exc:
        results[index] = (False, None)
        return {"outcome": "error", "detail": str(exc)}
    except Exception as exc:  # resolving the name ran code of the package (an import)
        results[index] = (False, None)
        return {"outcome": "error", "detail": f"{type(exc).__name__}: {_message(exc)}"}
    observation: dict[str, Any] = {}
    world = _WORLD[0]
    if world is not None:
        world.enter(step)
    # Warnings are recorded by category and message, not printed: printed, they carry the file
    # and line that warned, which any refactor moves. The package's own filters still decide
    # which are shown (record=True changes where they go, not which).
    with _Capture() as capture, warnings.catch_warnings(record=True) as warned:
        if call_path is not None:
            call_path.start()
        try:
            result = target if kind == "getattr" else target(*args, **kwargs)
        except BaseException as exc:
            results[index] = (False, None)
            observation["outcome"] = "raised"
            observation["exception"] = [encoder.labels.of(type(exc)), _message(exc)]
            observation["raised_by"] = _raised_by(exc, encoder.labels)
            observation.update(_chain(exc, encoder.labels))
            if call_path is not None:
                call_path.raised(exc)
        else:
            results[index] = (True, result)
            observation["outcome"] = "returned"
            observation["identity"] = _identity(result, args, kwargs, receiver)
            # Encoding may run code (properties, generators): its output is the call's too.
            try:
                observation["value"] = encoder.encode(result)
            except BaseException as exc:
                observation["value"] = ["exception", encoder.labels.of(type(exc)), _message(exc)]
        observation["args"] = [_encode_safely(encoder, a) for a in args]
        observation["kwargs"] = [[k, _encode_safely(encoder, v)] for k, v in kwargs.items()]
        if receiver is not None:
            observation["receiver"] = _encode_safely(encoder, receiver)
        if call_path is not None:
            # Encoding ran the package's code too (properties): what it read is observed.
            call_path.stop()
            observation["call_path"] = call_path.answer()
    observation["stdout"], observation["stderr"] = capture.texts
    if world is not None:
        observation["double_calls"] = world.leave()
        if world.off_script:
            observation["off_script"] = world.off_script
    observation["warnings"] = [
        [encoder.labels.of(w.category), _message(w.message)] for w in warned[:_MAX_ITEMS]
    ]
    return observation


_RAISING_OPS = frozenset({"RAISE_VARARGS", "RERAISE"})
_opnames: dict[CodeType, dict[int, str]] = {}


def _raised_by(exc: BaseException, labels: _Labels) -> str:
    """What raised the exception, judged by the innermost frame: "raise" (a raise or assert
    statement of the package), "call" (a library function, or the call itself), "operation"
    (an operation of the package's code on a value: a subscript, an attribute, arithmetic).
    Two versions that both fail by an operation fail by accident, not by design."""
    tb = exc.__traceback__
    if tb is None:
        return "call"
    while tb.tb_next is not None:
        tb = tb.tb_next
    if not labels.owns_module(tb.tb_frame.f_globals.get("__name__", "")):
        return "call"
    code = tb.tb_frame.f_code
    if code not in _opnames:
        try:
            _opnames[code] = {i.offset: i.opname for i in dis.get_instructions(code)}
        except Exception:
            _opnames[code] = {}
    op = _opnames[code].get(tb.tb_lasti, "")
    if op in _RAISING_OPS:
        return "raise"
    if op.startswith("CALL") or op == "PRECALL":
        return "call"
    return "operation"


# --------------------------------------------------------------------------------------------
# Call paths: which of the package's functions one step ran (for a person to read, never judged)

_TRACE_FUNCTIONS = 256  # functions listed per traced step; beyond, the trace says it was cut
_TRACE_VALUES = 8  # distinct values listed per function
_TRACE_TEXT = 1000  # characters kept of a returned string
# Values a function's return is listed with: encoding them runs none of the package's code (an
# object's encoding reads its properties, an iterator's consumes it: that would change the
# very call being traced).
_TRACE_SCALARS = frozenset(
    {
        int,
        float,
        complex,
        str,
        bytes,
        decimal.Decimal,
        fractions.Fraction,
        datetime.date,
        datetime.datetime,
        datetime.time,
        datetime.timedelta,
    }
)


def _code_places(names: Iterable[str]) -> Places:
    """Where the code under test lives: (location, root) for each of its top-level modules, a
    location being a package's directory (ending in a separator) or a module's file, and
    root the directory paths are given relative to (as the parent reads the source)."""
    places = []
    for name in names:
        module: Any = sys.modules.get(name)  # None, or any object: read through getattr
        try:
            paths = list(getattr(module, "__path__", None) or [])
            if paths:
                for path in paths:
                    path = os.path.abspath(str(path))
                    places.append((os.path.join(path, ""), os.path.dirname(path)))
            elif getattr(module, "__file__", None):
                path = os.path.abspath(str(module.__file__))
                places.append((path, os.path.dirname(path)))
        except Exception:  # a module that rewrote its own attributes: its frames go unlisted
            continue
    return tuple(places)


class _CallPath:
    """The package's functions one step ran, in the order first entered: the file (relative
    to the code's root), qualified name and first line of each, which one called it first
    (its call depth follows), the scalar values it returned (with the moment, counted in the
    package's calls and returns) and where an exception came from.

    sys.setprofile, not sys.monitoring: the worker runs on Python 3.10 and 3.11 too. The
    candidate's code runs in this very process and can stop, replace or feed this profiler:
    the parent shows what it says as a hint, checks every name against the source it read
    itself, and never lets it near a verdict."""

    def __init__(self, places: Places, encoder: Encoder) -> None:
        self.places = places
        self.encoder = encoder
        # co_filename -> path relative to the code's root, None outside it
        self.files: dict[str, str | None] = {}
        self.index: dict[CodeType, int] = {}  # code object -> its position in ``functions``
        # [file, qualname, first line, caller position or -1, at]
        self.functions: list[list[Any]] = []
        self.returned: list[list[Any]] = []  # [position, at, encoded value]
        # position -> (type, value) pairs listed
        self.values: dict[int, set[tuple[type[Any], Any]]] = {}
        self.clock = 0
        self.cut = False
        self.raised_in: int | None = None

    def start(self) -> None:
        sys.setprofile(self._profile)

    def stop(self) -> None:
        sys.setprofile(None)

    def answer(self) -> dict[str, Any]:
        return {
            "functions": self.functions,
            "returned": self.returned,
            "raised_in": self.raised_in,
            "cut": self.cut,
        }

    def raised(self, exc: BaseException) -> None:
        """The innermost of the package's functions in the exception's traceback."""
        tb = exc.__traceback__
        while tb is not None:
            position = self.index.get(tb.tb_frame.f_code)
            if position is not None:
                self.raised_in = position
            tb = tb.tb_next

    def _file(self, code: CodeType) -> str | None:
        filename = code.co_filename
        if filename not in self.files:
            self.files[filename] = _relative_place(filename, self.places)
        return self.files[filename]

    def _profile(self, frame: FrameType, event: str, arg: Any) -> None:
        if event != "call" and event != "return":
            return  # C functions: not the package's
        try:
            code = frame.f_code
            position = self.index.get(code)
            if position is None:
                if event != "call" or self._file(code) is None:
                    return
                position = self._enter(frame, code)
                if position is None:
                    return
            self.clock += 1
            if event == "return":
                self._returned(position, arg)
        except Exception:  # raised here, it would surface in the traced call and change it
            return

    def _enter(self, frame: FrameType, code: CodeType) -> int | None:
        if len(self.functions) >= _TRACE_FUNCTIONS:
            self.cut = True
            return None
        caller, back, hops = -1, frame.f_back, 0
        while back is not None and caller < 0 and hops < 2000:
            caller = self.index.get(back.f_code, -1)
            back, hops = back.f_back, hops + 1
        position = len(self.functions)
        self.index[code] = position
        qualname = getattr(code, "co_qualname", code.co_name)  # co_qualname: 3.11 on
        self.functions.append(
            [self._file(code), qualname, code.co_firstlineno, caller, self.clock + 1]
        )
        return position

    def _returned(self, position: int, value: Any) -> None:
        kind = type(value)
        if kind not in _TRACE_SCALARS:
            return
        if kind is str and len(value) > _TRACE_TEXT:
            value = value[:_TRACE_TEXT]
        listed = self.values.setdefault(position, set())
        if len(listed) >= _TRACE_VALUES or (kind, value) in listed:
            return
        listed.add((kind, value))
        self.returned.append([position, self.clock, self.encoder.encode(value)])


def _relative_place(filename: str, places: Places) -> str | None:
    path = os.path.abspath(filename)
    for location, root in places:
        if path == location or (location.endswith(os.sep) and path.startswith(location)):
            return os.path.relpath(path, root).replace(os.sep, "/")
    return None


def _encode_safely(encoder: Encoder, value: object) -> Value:
    try:
        return encoder.encode(value)
    except BaseException as exc:
        return ["exception", encoder.labels.of(type(exc)), _message(exc)]


def describe(path: str, encoder: Encoder) -> dict[str, Any]:
    """What a public name is here: kind, signature, value; for the parent's API comparison."""
    try:
        obj = resolve(path)
    except _StepError:
        return {"exists": False}
    except Exception as exc:
        return {"exists": False, "detail": f"{type(exc).__name__}: {_message(exc)}"}
    item: dict[str, Any] = {"exists": True}
    owner_path, _, name = path.rpartition(".")
    if isinstance(obj, type):
        item["kind"] = "class"
        item["mro"] = [encoder.labels.of(c) for c in obj.__mro__ if c is not object]
    elif inspect.ismodule(obj):
        item["kind"] = "module"
    elif callable(obj):
        item["kind"] = "function" if inspect.isroutine(obj) else "callable"
    else:
        item["kind"] = "value"
        item["value"] = _encode_safely(encoder, obj)
    if name.startswith("__") and owner_path:
        item["inherited_from_builtins"] = _builtin_owner(owner_path, name)
    if item["kind"] != "value" and item["kind"] != "module":
        item["signature"] = _signature(obj, encoder)
        item["method"] = _is_plain_method(owner_path, name)
    return item


def _defining_class(owner_path: str, name: str) -> type[Any] | None:
    """The class in ``owner_path``'s MRO whose body defines ``name``, or None."""
    try:
        owner = resolve(owner_path)
    except Exception:
        return None
    if not isinstance(owner, type):
        return None
    return next((cls for cls in owner.__mro__ if name in vars(cls)), None)


def _builtin_owner(owner_path: str, name: str) -> bool:
    cls = _defining_class(owner_path, name)
    return cls is not None and cls.__module__ == "builtins"


def _is_plain_method(owner_path: str, name: str) -> bool:
    """A function defined in a class body: called on an instance, ``self`` comes first."""
    cls = _defining_class(owner_path, name)
    return cls is not None and inspect.isfunction(vars(cls)[name]) and name != "__new__"


def _signature(obj: Any, encoder: Encoder) -> list[list[Any]] | None:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        if not isinstance(obj, type):
            return None
        # A class whose constructor is built in (an exception, a dict subclass): callers
        # pass what BaseException or object takes.
        extra = (
            [] if issubclass(obj, BaseException) else [["kwargs", "var_keyword", False, None, None]]
        )
        return [["args", "var_positional", False, None, None], *extra]
    params = []
    for param in signature.parameters.values():
        has_default = param.default is not inspect.Parameter.empty
        annotation = None
        if param.annotation is not inspect.Parameter.empty:
            annotation = (
                param.annotation
                if isinstance(param.annotation, str)
                else inspect.formatannotation(param.annotation)
            )
        params.append(
            [
                param.name,
                param.kind.name.lower(),
                has_default,
                _encode_safely(encoder, param.default) if has_default else None,
                annotation,
            ]
        )
    return params


# --------------------------------------------------------------------------------------------
# serve mode


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _send(fd: int, message: dict[str, Any]) -> None:
    _write_all(fd, (json.dumps(message, sort_keys=True) + "\n").encode("utf-8"))


class _Lines:
    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""

    def next(self) -> str | None:
        while b"\n" not in self.buffer:
            chunk = os.read(self.fd, 65536)
            if not chunk:
                return None
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode("utf-8")


def _child_main(
    result_fd: int, closing: Iterable[int], work: Callable[[], Iterator[dict[str, Any]]]
) -> NoReturn:
    """In the forked child: cut every tie to the parent's pipes, do the work, exit hard."""
    try:
        gc.disable()  # short-lived: nothing to collect that exiting does not free
        os.setpgid(0, 0)  # a group of its own: the worker kills it and all it started
        for fd in closing:
            os.close(fd)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for message in work():
            _write_all(result_fd, (json.dumps(message, sort_keys=True) + "\n").encode("utf-8"))
        _write_all(result_fd, _END)
    except BaseException:
        pass
    finally:
        os._exit(0)  # no atexit hooks or finalizers of the package's code


_END = b'{"end": true}\n'


def _in_child(
    closing: Iterable[int], timeout: float, work: Callable[[], Iterator[dict[str, Any]]]
) -> tuple[str, list[bytes], str]:
    """Run ``work`` (a generator of messages) in a forked child; (status, lines, detail), the
    lines being the child's JSON messages as written (relayed, not parsed: the parent checks
    them, and parsing them twice would cost more than the calls)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _child_main(write_fd, closing, work)
    os.close(write_fd)
    deadline = time.monotonic() + timeout
    buffer = bytearray()
    status = "crashed"
    try:
        while not buffer.endswith(_END):  # a grandchild may hold the pipe open: stop at the end
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                status = "timeout"
                break
            ready, _, _ = select.select([read_fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(read_fd, 65536)
            if not chunk:
                break
            buffer.extend(chunk)
            if len(buffer) > _MAX_ANSWER_BYTES:
                status = "too_large"
                break
    finally:
        os.close(read_fd)
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)
        _, wait_status = os.waitpid(pid, 0)
    ended = buffer.endswith(_END)
    lines = [
        line
        for line in bytes(buffer).split(b"\n")
        if line and line + b"\n" != _END and line[:1] == b"{" and line[-1:] == b"}"
    ]
    detail = ""
    if ended:
        status = "done"
    elif status == "crashed":
        if os.WIFSIGNALED(wait_status) and os.WTERMSIG(wait_status) != signal.SIGKILL:
            detail = f"killed by signal {os.WTERMSIG(wait_status)}"
        else:
            detail = f"exited with code {os.waitstatus_to_exitcode(wait_status)} mid-call"
    return status, lines, detail


def serve(options: dict[str, Any], channel_fd: int, request_fd: int) -> None:
    sys.path[0:0] = options["sys_path"]
    package = options["package"]
    labels = _Labels(package, options["own"], options["label"])
    if options.get("cmplog"):
        _install_comparison_hooks()
    try:
        # The package, then the other top-level modules of the code (an exercise of several,
        # or modules a candidate added beside it), so that every one of them is labelled.
        for name in (package, *options["own"]):
            importlib.import_module(name)
    except BaseException as exc:
        _send(channel_fd, {"event": "ready", "ok": False, "error": _describe_error(exc)})
        return
    labels.scan()
    encoder = Encoder(labels)
    places = _code_places((package, *options["own"]))
    # Children are forked per request: keep the collector off the objects they inherit, so
    # it does not copy every page of them on write.
    gc.collect()
    gc.freeze()
    _send(channel_fd, {"event": "ready", "ok": True})
    lines = _Lines(request_fd)
    while True:
        line = lines.next()
        if line is None:
            return
        request = json.loads(line)
        header, field, items = _answer(request, encoder, [channel_fd, request_fd], places)
        header["id"] = request.get("id")
        head = json.dumps(header, sort_keys=True).encode("utf-8")
        body = b"[" + b",".join(items) + b"]"
        _write_all(channel_fd, head[:-1] + b', "' + field + b'": ' + body + b"}\n")


def _answer(
    request: dict[str, Any], encoder: Encoder, closing: list[int], places: Places
) -> tuple[dict[str, Any], bytes, list[bytes]]:
    """(header, name of the list, its items as JSON) for one request."""
    timeout = float(request.get("timeout", 5.0))
    op = request.get("op")
    if op == "run":
        steps = request["steps"]
        digest = bool(request.get("digest"))
        _prepare_modules([s["target"] for s in steps if s.get("target")])

        keep = _attributes_kept(request.get("keep"))
        # ``trace``: the index of the one step whose call path is wanted (a full answer only).
        traced = request.get("trace")
        if digest or not isinstance(traced, int) or isinstance(traced, bool):
            traced = None

        def work() -> Iterator[dict[str, Any]]:
            results: Results = {}
            # In the forked child: the program's own doubles, gone with the child.
            _WORLD[0] = _World(encoder, steps) if _uses_doubles(steps) else None
            encoder.kept = keep if digest else None
            for step in steps:
                encoder.extras = set()
                tracer = _CallPath(places, encoder) if step.get("index") == traced else None
                _COMPARISONS.clear()
                _BRANCHES.clear()
                observation = perform(step, results, encoder, tracer)
                if _COMPARISON_HOOKS[0]:
                    observation["comparisons"] = list(_COMPARISONS)
                    observation["branches"] = sorted([site, way] for site, way in _BRANCHES)
                yield _digested(observation, encoder.extras) if digest else observation

        started = time.monotonic()
        status, lines, detail = _in_child(closing, timeout, work)
        header = {"status": status, "detail": detail, "duration": time.monotonic() - started}
        return header, b"steps", lines
    if op == "describe":
        paths = request["paths"]
        _prepare_modules(paths)

        def work() -> Iterator[dict[str, Any]]:
            for path in paths:
                yield {"path": path, "item": describe(path, encoder)}

        status, lines, detail = _in_child(closing, timeout, work)
        return {"status": status, "detail": detail}, b"items", lines
    return {"status": "error", "detail": f"unknown request {op!r}"}, b"steps", []


# -- comparison logging (--cmplog) ------------------------------------------------------------
#
# The parent rewrites ``a < b`` as ``__rc_cmp__(a, b, "<")``, ``a in b`` as ``__rc_in__(a, b,
# False)``, ``a % b`` as ``__rc_mod__(a, b)``, ``x.quantize(q)`` as ``__rc_qz__(x, q)``,
# ``round(x, n)`` as ``__rc_round__(x, n)``, ``sorted(...)`` and ``x.sort(...)`` as
# ``__rc_sorted__(...)`` and ``__rc_sort__(x, ...)``, and a text method ``x.replace(a, b)`` as
# ``__rc_text__(x, "replace", a, b)`` in a copy of the package, and each decision's
# test ``t`` as ``__rc_br__(t, "module:line:col")``; these hooks, found through builtins,
# compute exactly what the expression did and log its operands (or the way it went) first. Only
# operands of exact builtin types are logged (reading them runs no code of the package), at
# most _MAX_COMPARISONS per step.

_MAX_COMPARISONS = 256
_MAX_MEMBERS = 16  # of a container an ``in`` looks into
_COMPARISONS: list[list[Any]] = []
# The branches a step took, as (site, way): the parent's coverage feedback (``--cmplog``).
_MAX_BRANCHES = 1024
_BRANCHES: set[tuple[str, bool]] = set()
_COMPARISON_HOOKS = [False]
_COMPARE = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _operand(value: Any) -> Value | None:
    kind = type(value)
    if kind is int and abs(value) <= 10**12:
        return ["int", str(value)]
    if kind is float and value == value and abs(value) < 1e12:
        return ["float", repr(value)]
    if kind is str and len(value) <= 100:
        return ["str", value]
    if kind is decimal.Decimal and value.is_finite() and abs(value.adjusted()) < 12:
        return ["Decimal", str(value)]
    return None


def _log_comparison(op: str, a: object, b: object) -> None:
    if len(_COMPARISONS) >= _MAX_COMPARISONS:
        return
    left, right = _operand(a), _operand(b)
    if left is not None and right is not None:
        _COMPARISONS.append([op, left, right])


def _hook_compare(a, b, op):  # type: (Any, Any, str) -> Any
    _log_comparison(op, a, b)
    return _COMPARE[op](a, b)


def _hook_contains(a, b, negated):  # type: (Any, Any, bool) -> bool
    kind = type(b)
    if kind is str:
        _log_comparison("in", a, b)
    elif kind in (dict, set, frozenset, list, tuple) and len(b) <= 4 * _MAX_MEMBERS:
        for member in itertools.islice(b, _MAX_MEMBERS):
            _log_comparison("==", a, member)
    return (a not in b) if negated else (a in b)


def _hook_modulo(a, b):  # type: (Any, Any) -> Any
    if type(a) is int and type(b) is int:
        _log_comparison("%", a, b)
    return a % b


def _hook_quantize(value, *args, **kwargs):  # type: (Any, *Any, **Any) -> Any
    # ``x.quantize(q, ...)``: logged as the value and the quantum it is rounded to.
    result = value.quantize(*args, **kwargs)
    if type(value) is decimal.Decimal and args and type(args[0]) is decimal.Decimal:
        _log_comparison("round", value, args[0])
    return result


def _hook_round(number, *args):  # type: (Any, *Any) -> Any
    # ``round(x[, n])``: logged as the value and the digits it is rounded to.
    result = round(number, *args)
    digits = args[0] if args else 0
    if type(number) in (float, decimal.Decimal) and type(digits) is int:
        _log_comparison("round", number, digits)
    return result


_MAX_TIES = 16  # neighbouring keys of one sort logged


def _hook_sorted(iterable, *args, **kwargs):  # type: (Any, *Any, **Any) -> list[Any]
    # ``sorted(x, key=f, reverse=r)``: sorted as written (each key computed once, ties kept in
    # the order they came, as ``sorted`` does), and each pair of neighbouring keys logged.
    if args or set(kwargs) - {"key", "reverse"}:
        return sorted(iterable, *args, **kwargs)
    items = list(iterable)
    key = kwargs.get("key")
    keys = items if key is None else [key(item) for item in items]
    order = sorted(range(len(items)), key=keys.__getitem__, reverse=kwargs.get("reverse", False))
    _log_ties([keys[i] for i in order[: _MAX_TIES + 1]])
    return [items[i] for i in order]


def _hook_sort(target, *args, **kwargs):  # type: (Any, *Any, **Any) -> Any
    # ``x.sort(...)``: a list sorted in place as ``_hook_sorted`` sorts; anything else's own
    # ``sort`` is called as written.
    if type(target) is not list or args or set(kwargs) - {"key", "reverse"}:
        return target.sort(*args, **kwargs)
    target[:] = _hook_sorted(target, **kwargs)
    return None


def _log_ties(keys):  # type: (list[Any]) -> None
    # Two neighbours in sorted order differ at their first unequal part (a tuple key is
    # compared part by part): that part, made equal, is a tie, broken by what follows it, or
    # by the order the items came in. A number is logged negated too, as a key of ``-count``
    # sorts by a count the caller passed.
    # Only parts of plain types are compared here: comparing the package's objects would run
    # its code beyond what the sort itself ran.
    for a, b in itertools.pairwise(keys):
        while type(a) is tuple and type(b) is tuple:
            parts = zip(a, b, strict=False)
            differ = ((x, y) for x, y in parts if not (_plain(x) and _plain(y)) or x != y)
            a, b = next(differ, (a, a))
        if not (_plain(a) and _plain(b)) or a == b:
            continue
        _log_comparison("tie", a, b)
        if type(a) in (int, float, decimal.Decimal) and type(b) is type(a):
            _log_comparison("tie", -a, -b)


def _plain(value):  # type: (object) -> bool
    return type(value) in (int, float, str, decimal.Decimal)


def _hook_text_method(target, name, *args, **kwargs):  # type: (Any, str, *Any, **Any) -> Any
    # ``x.replace(old, new)``, ``x.startswith(p)``, ...: called as written; on text, logged as
    # a search for the first argument in ``x`` (the substring the code looks for).
    if type(target) is str and args and type(args[0]) is str:
        _log_comparison("in", args[0], target)
    return getattr(target, name)(*args, **kwargs)


def _hook_branch(test, site):  # type: (object, object) -> bool
    # The decision's truth is taken once, here, and handed to the ``if`` as a bool: the
    # package's ``__bool__`` runs as often as it did unrewritten.
    way = bool(test)
    if len(_BRANCHES) < _MAX_BRANCHES and type(site) is str:
        _BRANCHES.add((site, way))
    return way


def _install_comparison_hooks() -> None:
    builtins: Any  # the hooks are new attributes of the module: mypy knows none of them
    import builtins

    builtins.__rc_cmp__ = _hook_compare
    builtins.__rc_in__ = _hook_contains
    builtins.__rc_mod__ = _hook_modulo
    builtins.__rc_qz__ = _hook_quantize
    builtins.__rc_round__ = _hook_round
    builtins.__rc_br__ = _hook_branch
    builtins.__rc_sorted__ = _hook_sorted
    builtins.__rc_sort__ = _hook_sort
    builtins.__rc_text__ = _hook_text_method
    _COMPARISON_HOOKS[0] = True


def _digested(observation: dict[str, Any], extras: set[str]) -> dict[str, Any]:
    """An observation as a digest: identical behaviour on all sides is the common case, and a
    digest says so in a few bytes (the parent asks for the full observations otherwise).

    A candidate may give its objects public attributes the original's lack, and the parent's
    comparison allows that; so objects of a class the request's ``keep`` lists are encoded
    with the attributes listed for it alone (``Encoder.kept``). ``extras`` names every
    attribute left out or not yet listed (``Class.attr``): the parent learns the original's
    attributes from it, and takes an original's step with extras to the full comparison."""
    text = json.dumps(observation, sort_keys=True).encode("utf-8")
    return {
        "outcome": observation["outcome"],
        "digest": hashlib.sha256(text).hexdigest(),
        "extras": sorted(extras)[:_MAX_ATTRIBUTES],
    }


def _attributes_kept(table: object) -> dict[str, frozenset[str]]:
    """The request's ``keep``: class label -> the attribute names digested for it."""
    if not isinstance(table, dict):
        return {}
    return {str(k): frozenset(map(str, v)) for k, v in table.items() if isinstance(v, list)}


def _prepare_modules(paths: Iterable[str]) -> None:
    """Import, in the worker itself, the modules the paths live in: once, not per child."""
    for path in paths:
        # On failure the child meets the same error and reports it as the step's.
        with contextlib.suppress(Exception):
            _import_prefix(path)


def _describe_error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {_message(exc)}"[:2000]


# --------------------------------------------------------------------------------------------
# record mode


class Recorder:
    """Wraps the public surface and streams each call a golden test makes."""

    def __init__(self, channel_fd: int, encoder: Encoder, surface: dict[str, Any]) -> None:
        self.channel_fd = channel_fd
        self.encoder = encoder
        self.surface = surface
        self.test = "<collection>"
        self.depth = 0
        self.steps = 0
        # id(object) -> step index, for objects top-level steps produced
        self.refs: dict[int, int] = {}
        # those objects, alive until the test ends (so ids stay unique)
        self.keep: list[object] = []
        self.samples: dict[str, int] = {}
        self.seq = 0
        self.class_paths: dict[type[Any], str] = {}
        self.spies: dict[int, _Spy] = {}  # id(object of the tests) -> its _Spy, per test
        # the top-level step running (what a double's answers belong to)
        self.current: int | None = None
        # (double, op) -> [encoded answers, how many] during that step
        self.answers: dict[tuple[int, str], list[Any]] = {}

    # pytest hooks
    def pytest_runtest_logstart(self, nodeid: str, location: tuple[str, int | None, str]) -> None:
        self._reset(nodeid)

    def pytest_runtest_logfinish(self, nodeid: str, location: tuple[str, int | None, str]) -> None:
        self._reset("<between tests>")

    def pytest_runtest_logreport(self, report: Any) -> None:
        # A golden test that passes on the original can fail here only because of the
        # recorder (its stand-ins are not the tests' own objects): the parent names it.
        if report.failed:
            crash = getattr(report.longrepr, "reprcrash", None)
            message = str(getattr(crash, "message", "") or "")[:_FAILURE_TEXT]
            _send(self.channel_fd, {"event": "failed", "test": report.nodeid, "message": message})

    def _reset(self, test: str) -> None:
        self.test = test
        self.steps = 0
        self.refs = {}
        self.keep = []
        self.spies = {}
        self.current = None
        self.answers = {}

    def install(self) -> None:
        for path in self.surface.get("functions", []):
            self._wrap_function(path)
        for path, methods in sorted(self.surface.get("classes", {}).items()):
            try:
                cls = resolve(path)
            except Exception:
                continue
            if not isinstance(cls, type) or issubclass(cls, enum.Enum):
                continue
            self.class_paths[cls] = path
            self._wrap_init(cls, path)
            for name in methods:
                self._wrap_method(cls, path, name)

    def _wrap_function(self, path: str) -> None:
        try:
            func = resolve(path)
        except Exception:
            return
        if not callable(func) or isinstance(func, type):
            return
        wrapper = self._wrapper(func, lambda args: (path, "call", None, args))
        for module in list(sys.modules.values()):
            if module is None or not self.encoder.labels.owns_module(
                getattr(module, "__name__", "") or ""
            ):
                continue
            for key, value in list(vars(module).items()):
                if value is func:
                    setattr(module, key, wrapper)

    def _wrap_init(self, cls: type[Any], path: str) -> None:
        inherited = cls.__init__
        bare = inherited is object.__init__

        def call_init(self_, *args, **kwargs):  # type: (Any, *Any, **Any) -> Any
            if bare:
                return inherited(self_)
            return inherited(self_, *args, **kwargs)

        def describe_call(args: tuple[Any, ...]) -> Described | None:
            self_ = args[0]
            if type(self_) is not cls:
                return None  # a subclass's construction records under its own class
            return (path, "new", None, args[1:])

        wrapper = self._wrapper(call_init, describe_call, new=True)
        functools.update_wrapper(wrapper, inherited)
        with contextlib.suppress(TypeError, AttributeError):
            cls.__init__ = wrapper

    def _wrap_method(self, cls: type[Any], path: str, name: str) -> None:
        if name == "__init__":
            return
        owner = next((c for c in cls.__mro__ if name in vars(c)), None)
        if owner is None or not self.encoder.labels.owns(owner):
            return
        raw = vars(owner)[name]
        if getattr(raw, "__refactor_check_wrapped__", False):
            return
        if isinstance(raw, staticmethod):
            func = raw.__func__
            call = f"{path}.{name}"
            wrapped: object = staticmethod(self._wrapper(func, lambda a: (call, "call", None, a)))
        elif isinstance(raw, classmethod):
            func = raw.__func__
            wrapped = classmethod(
                self._wrapper(func, lambda a: (f"{path}.{name}", "call", None, a[1:]))
            )
        elif inspect.isfunction(raw):
            wrapped = self._wrapper(raw, lambda a: self._method_call(name, path, a))
        else:
            return
        with contextlib.suppress(TypeError, AttributeError):
            setattr(owner, name, wrapped)

    def _method_call(self, name: str, path: str, args: tuple[Any, ...]) -> Described:
        receiver = args[0]
        class_path = self.class_paths.get(type(receiver), path)
        return (f"{class_path}.{name}", "method", receiver, args[1:])

    def _wrapper(
        self,
        func: Callable[..., Any],
        describe_call: Callable[[tuple[Any, ...]], Described | None],
        new: bool = False,
    ) -> Callable[..., Any]:
        recorder = self

        @functools.wraps(func)
        def wrapper(*args, **kwargs):  # type: (*Any, **Any) -> Any
            top = recorder.depth == 0
            message = None
            args, kwargs = _materialized(args, kwargs)
            if top:
                with contextlib.suppress(Exception):
                    args, kwargs = recorder._stand_in(args, kwargs)
            try:
                message = recorder._before(describe_call(args), kwargs, top)
            except Exception:
                message = None
            recorder.depth += 1
            if top:
                recorder.current = message["index"] if message is not None else None
            try:
                result = func(*args, **kwargs)
            except BaseException:
                if message is not None:
                    recorder._ended(message, raised=True)
                raise
            finally:
                recorder.depth -= 1
                if top:
                    recorder._world(message)
            if message is not None:
                recorder._ended(message, raised=False)
            if message is not None and top:
                with contextlib.suppress(Exception):
                    recorder._after(message, args[0] if new else result)
            return result

        wrapper.__refactor_check_wrapped__ = True  # type: ignore[attr-defined]
        return wrapper

    # -- objects of the tests handed to the package: recorded as test doubles

    def _stand_in(
        self, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """The arguments with each object of the tests replaced by a spy on it."""
        return (
            tuple(self._spy_for(a) for a in args),
            {k: self._spy_for(v) for k, v in kwargs.items()},
        )

    def _spy_for(self, value: Any) -> Any:
        if not self._foreign(value):
            return value
        spy = self.spies.get(id(value))
        if spy is None:
            spy = _Spy(len(self.spies), value, self)
            self.spies[id(value)] = spy
            self.keep.append(value)  # alive until the test ends, so its id stays its own
        return spy

    def _foreign(self, value: object) -> bool:
        """Neither data nor the package's: a clock, a callback, an object of the tests."""
        if value is None or isinstance(value, (*_DATA, type, types.ModuleType, _Spy)):
            return False
        if isinstance(value, (BaseException, enum.Enum, _Replayed, *_CONTAINERS)):
            return False
        labels = self.encoder.labels
        if id(value) in self.refs or labels.owns(type(value)) or labels.owns(value):
            return False
        if _is_iterator(value):
            return False  # a file, a generator: more than its answers (not replayed)
        if inspect.isroutine(value) or isinstance(value, functools.partial):
            return True  # a callback
        if _protocols(type(value)):
            return False  # a spy would not pass len(), iteration or ``with`` on to it
        return callable(value) or self.encoder.encode(value)[0] in ("object", "repr")

    def forward(
        self,
        ident: int,
        op: str,
        func: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> Any:
        """A call the package makes on an object of the tests, passed on and noted."""
        try:
            result = func(*args, **kwargs)
        except BaseException as exc:
            self.noted(ident, op, None, raised=exc)
            raise
        self.noted(ident, op, result)
        return result

    def noted(
        self, ident: int, op: str, value: object, raised: BaseException | None = None
    ) -> None:
        if self.current is None:
            return  # asked outside any call a test made (by the test itself)
        entry = self.answers.setdefault((ident, op), [[], 0])
        entry[1] += 1
        if len(entry[0]) >= _RECORD_ANSWERS_PER_STEP:
            return
        if raised is not None:
            # Not rebuilt in the workers: a double asked for it there is off script.
            entry[0].append(["cut", "exception", _describe_error(raised)])
        else:
            entry[0].append(self.encoder.encode(value))

    def _world(self, message: dict[str, Any] | None) -> None:
        """After a top-level call: what the doubles answered during it."""
        answers, self.answers, self.current = self.answers, {}, None
        if message is None or not answers:
            return
        world = []
        for (ident, op), (found, count) in sorted(answers.items()):
            if count > len(found) and any(a != found[0] for a in found):
                found = [["cut", "answers", f"{count} answers, not all kept"]]
            world.append([ident, op, found])
        with contextlib.suppress(Exception):
            _send(
                self.channel_fd,
                {"event": "world", "test": self.test, "index": message["index"], "world": world},
            )

    def _ended(self, message: dict[str, Any], raised: bool) -> None:
        """Whether the call returned or raised: starting points for changes are calls that
        returned (changing a call that already fails mostly finds the same failure)."""
        with contextlib.suppress(Exception):
            _send(self.channel_fd, {"event": "ended", "seq": message["seq"], "raised": raised})

    def _before(
        self, described: Described | None, kwargs: dict[str, Any], top: bool
    ) -> dict[str, Any] | None:
        if described is None:
            return None
        target, kind, receiver, args = described
        if not top:
            count = self.samples.get(target, 0)
            if count >= _RECORD_SAMPLES_PER_TARGET:
                return None
            self.samples[target] = count + 1
        elif self.steps >= _RECORD_STEPS_PER_TEST:
            return None
        message = {
            "event": "call",
            "test": self.test,
            "top": top,
            "target": target,
            "kind": kind,
            "receiver": self._arg(receiver) if receiver is not None else None,
            "args": [self._arg(a) for a in args],
            "kwargs": [[str(k), self._arg(v)] for k, v in kwargs.items()],
        }
        if kind == "method":
            message["method"] = target.rpartition(".")[2]
        if top:
            message["index"] = self.steps
            self.steps += 1
        self.seq += 1
        message["seq"] = self.seq
        data = json.dumps(message, sort_keys=True)
        if len(data) > _RECORD_CALL_BYTES:
            return None
        _write_all(self.channel_fd, (data + "\n").encode("utf-8"))
        return message

    def _after(self, message: dict[str, Any], produced: object) -> None:
        """A package object a top-level step produced may be handed to later steps."""
        labels = self.encoder.labels
        if produced is None or not labels.owns(type(produced)) or isinstance(produced, type):
            return
        if id(produced) in self.refs:
            return
        self.refs[id(produced)] = message["index"]
        self.keep.append(produced)
        _send(
            self.channel_fd,
            {
                "event": "object",
                "test": self.test,
                "index": message["index"],
                "class": labels.of(type(produced)),
            },
        )

    def _arg(self, value: object) -> Value:
        index = self.refs.get(id(value))
        if index is not None:
            return ["ref", index]
        return self.encoder.encode(value)


_DATA = (
    bool,
    int,
    float,
    complex,
    str,
    bytes,
    bytearray,
    decimal.Decimal,
    fractions.Fraction,
    datetime.date,
    datetime.time,
    datetime.timedelta,
)
_CONTAINERS = (list, tuple, dict, set, frozenset, deque)
_RECORD_ANSWERS_PER_STEP = 64


# What a plain object of the tests' classes defines besides methods: a spy forwards calls,
# attribute reads and writes, equality and hashing, nothing else.
_PLAIN_DUNDERS = frozenset(
    {
        "__call__",
        "__init__",
        "__new__",
        "__repr__",
        "__str__",
        "__eq__",
        "__ne__",
        "__hash__",
        "__getattr__",
        "__getattribute__",
        "__setattr__",
        "__delattr__",
        "__dir__",
        "__module__",
        "__qualname__",
        "__doc__",
        "__dict__",
        "__weakref__",
        "__slots__",
        "__annotations__",
        "__firstlineno__",
        "__static_attributes__",
        "__init_subclass__",
        "__subclasshook__",
        "__class_getitem__",
        "__dataclass_fields__",
        "__dataclass_params__",
        "__match_args__",
        "__orig_bases__",
        "__parameters__",
        "__abstractmethods__",
        "__reduce__",
        "__reduce_ex__",
        "__getstate__",
        "__setstate__",
    }
)


def _protocols(cls: type[Any]) -> set[str]:
    """Special methods of ``cls`` (its own classes, not object's) a spy cannot stand in for."""
    try:
        mro = [c for c in cls.__mro__ if c is not object]
        names = {n for c in mro for n in vars(c) if n.startswith("__") and n.endswith("__")}
    except Exception:
        return {"?"}
    return names - _PLAIN_DUNDERS


class _Spy:
    """Stands between the package and an object of the tests while the golden tests run:
    forwards everything to it, and tells the recorder what the package asked of it during
    each top-level call and what it answered (the test double's script)."""

    __slots__ = ("_rc_id", "_rc_recorder", "_rc_target")

    def __init__(self, ident, target, recorder):  # type: (int, object, Recorder) -> None
        object.__setattr__(self, "_rc_id", ident)
        object.__setattr__(self, "_rc_target", target)
        object.__setattr__(self, "_rc_recorder", recorder)

    def __call__(self, *args, **kwargs):  # type: (*Any, **Any) -> Any
        return self._rc_recorder.forward(self._rc_id, "call", self._rc_target, args, kwargs)

    def __getattr__(self, name):  # type: (str) -> Any
        value = getattr(self._rc_target, name)
        if name.startswith("__") and name.endswith("__"):
            return value
        if callable(value) and not isinstance(value, type):
            recorder, ident, op = self._rc_recorder, self._rc_id, f".{name}()"
            return lambda *args, **kwargs: recorder.forward(ident, op, value, args, kwargs)
        self._rc_recorder.noted(self._rc_id, f".{name}", value)
        return value

    def __setattr__(self, name, value):  # type: (str, Any) -> None
        setattr(self._rc_target, name, value)

    # A test comparing what the package kept with its own object still sees them equal.
    def __eq__(self, other):  # type: (object) -> Any
        other = other._rc_target if type(other) is _Spy else other
        return self._rc_target == other

    def __hash__(self):  # type: () -> int
        return hash(self._rc_target)

    def __repr__(self):  # type: () -> str
        return repr(self._rc_target)

    @property  # type: ignore[misc]
    def __class__(self):  # isinstance(spy, FakeClock) holds, as for the object itself
        # type: () -> type[Any]
        return type(self._rc_target)


def _materialized(
    args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Iterator arguments read into lists, each passed on as a fresh iterator over the same
    items: the recorder can then encode them without the call losing them."""

    def again(value: Any) -> Any:
        # Plain iterators only (generators, iter(), map...): a file or a socket is more than
        # its items, and is left alone (such a call is not replayed).
        plain = isinstance(value, types.GeneratorType) or type(value).__module__ in (
            "builtins",
            "itertools",
        )
        if not plain or not _is_iterator(value) or isinstance(value, _Replayed):
            return value
        return _Replayed(itertools.islice(value, _MAX_ITERATOR_ITEMS * 10))

    return tuple(again(a) for a in args), {k: again(v) for k, v in kwargs.items()}


class _Replayed:
    """An iterator over items read ahead; the encoder sees the items, the call iterates."""

    def __init__(self, items):  # type: (Iterable[Any]) -> None
        self.items = list(items)
        self._rest = iter(self.items)

    def __iter__(self):  # type: () -> _Replayed
        return self

    def __next__(self):  # type: () -> Any
        return next(self._rest)


def record(options: dict[str, Any], channel_fd: int) -> NoReturn:
    sys.path[0:0] = options["sys_path"]
    with open(options["surface"], encoding="utf-8") as handle:
        surface = json.load(handle)
    modules = surface.get("modules") or [surface["package"]]
    for name in modules:
        importlib.import_module(name)
    labels = _Labels(modules[0], modules[1:], surface.get("labels", []))
    labels.scan()
    recorder = Recorder(channel_fd, Encoder(labels, consume_iterators=False), surface)
    recorder.install()
    import pytest

    code = pytest.main(options["pytest_args"], plugins=[recorder])
    _send(channel_fd, {"event": "done", "exitstatus": int(code)})
    _flush_std()
    os._exit(0)


# --------------------------------------------------------------------------------------------


def _parse_args(argv: list[str]) -> tuple[dict[str, Any], dict[str, int]]:
    options: dict[str, Any] = {"sys_path": [], "pytest_args": [], "own": [], "label": []}
    fds = {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("--channel-fd", "--request-fd"):
            fds[arg] = int(argv[i + 1])
            i += 2
        elif arg in ("serve", "record"):
            options["mode"] = arg
            i += 1
        elif arg == "--cmplog":
            options["cmplog"] = True
            i += 1
        elif arg == "--sys-path":
            options["sys_path"].append(argv[i + 1])
            i += 2
        elif arg in ("--package", "--surface"):
            options[arg[2:]] = argv[i + 1]
            i += 2
        elif arg in ("--own", "--label"):
            options[arg[2:]].append(argv[i + 1])
            i += 2
        elif arg == "--":
            options["pytest_args"] = argv[i + 1 :]
            break
        else:
            raise SystemExit(f"diff_worker: unexpected argument {arg!r}")
    return options, fds


def main() -> NoReturn:
    options, fds = _parse_args(sys.argv[1:])
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    sys.set_int_max_str_digits(0)
    if options.get("mode") == "record":
        record(options, fds["--channel-fd"])
    else:
        serve(options, fds["--channel-fd"], fds["--request-fd"])
    _flush_std()
    os._exit(0)


if __name__ == "__main__":
    main()
