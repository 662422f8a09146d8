"""The results' JSON form, both ways: ``jsonable`` writes a dataclass tree, ``structure`` reads
one back.

Writing is by hand where report.json lays a section out its own way, and through ``jsonable``
where a dataclass is written field for field. Reading uses cattrs: a dataclass is built from
the keys that are its fields, each read into the type its annotation names (nested dataclasses,
tuples from lists, ``str`` enums from their values). Keys that are not fields are figures the
JSON form derives (a score's ``survivors``, a test count): the properties compute them again.
"""

from __future__ import annotations

import dataclasses
import enum
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import cattrs

_T = TypeVar("_T")

# One converter for the whole layer: its hooks are built per type on first use, then reused.
_CONVERTER = cattrs.Converter()

# A number or string is kept as JSON read it (a bound written ``3`` must not come back as
# ``3.0``, or a report read back would not write the bytes it was read from), but only if it
# is what the field says: cattrs' own hooks would turn a number into the text a source file
# should be, or "yes" into True.
_ACCEPTED: dict[type, tuple[type, ...]] = {
    int: (int,),
    float: (int, float),
    str: (str,),
    bool: (bool,),
}


def _as_read(value: Any, kind: type) -> Any:
    # bool is an int to isinstance; a count or a score is never true or false.
    if not isinstance(value, _ACCEPTED[kind]) or (isinstance(value, bool) and kind is not bool):
        raise TypeError(f"{kind.__name__} expected, got {value.__class__.__name__}")
    return value


for _scalar in _ACCEPTED:
    _CONVERTER.register_structure_hook(_scalar, _as_read)


# What reading raises on data that is not the JSON form it expects: a missing key, a value of
# another type, an unknown enum value.
READ_ERRORS = (KeyError, TypeError, ValueError, AttributeError, cattrs.BaseValidationError)


def describe(error: Exception) -> str:
    """What reading found wrong, in a few words: where in the section and what (cattrs says
    where in the dataclass tree; the other errors name the key or value)."""
    if isinstance(error, cattrs.BaseValidationError):
        problems = cattrs.transform_error(error)
        return problems[0] if problems else error.__class__.__name__
    return f"{error.__class__.__name__} {error}"


def jsonable(value: Any) -> Any:
    """Dataclasses, enums, paths and tuples to JSON types; None-valued fields are dropped."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: jsonable(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) is not None
        }
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def structure(data: Any, cls: type[_T]) -> _T:
    """``data`` (as ``jsonable`` or a section writer wrote it) read back as a ``cls``."""
    return _CONVERTER.structure(data, cls)


def fields_from(
    data: dict[str, Any], cls: type[Any], *, skip: Iterable[str] = ()
) -> dict[str, Any]:
    """The keys of ``data`` that are fields of the dataclass ``cls`` (but not in ``skip``),
    each read as its annotation says: the part of a result its own section holds."""
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)} - set(skip)
    return {k: _CONVERTER.structure(v, hints[k]) for k, v in data.items() if k in names}


def each(rows: list[Any], cls: type[_T]) -> tuple[_T, ...]:
    return tuple(structure(row, cls) for row in rows)


def pairs(table: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """A (path, text) tuple from the JSON object it is written as, in the order written."""
    return tuple(table.items())


def first_difference(a: object, b: object, path: str = "") -> str | None:
    """The dotted path of the first field where ``a`` and ``b`` differ, else None."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            found = first_difference(a.get(key), b.get(key), f"{path}.{key}" if path else key)
            if found is not None:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{index}]")
            if found is not None:
                return found
        return None
    return None if a == b else (path or "the report")
