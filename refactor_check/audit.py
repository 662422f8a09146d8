"""The runtime half of the integrity scan: what the candidate's code did while it ran.

The static scan reads the source, and a candidate who reads this project can always write
code whose meaning only shows when it runs (a name fetched from a dict built at run time, an
object found by walking the garbage collector). So every process that hosts the candidate's
package carries an audit hook (``sys.addaudithook``, PEP 578), installed by
``sandbox/start.py`` before anything of the run is imported. Hooks cannot be removed, and
each event is written to a pipe the parent holds *before* the operation that raised it
returns, so the record exists before the candidate's code could act on what it obtained.

Only events raised directly by the package's own code count: the hook looks at the frame
that made the call, and a frame of the standard library, pytest or the worker doing the same
on its own account (``dataclasses`` compiling its ``__init__``, ``enum`` reading a frame) is
not the candidate's doing. Which events are watched, and which rule each stands for, is
``WATCHED``; an import counts when the package imports a top-level module outside
``AuditPolicy.imports`` (the original's imports and the allow-list of ``capabilities``).

What the pipe carries is written by a process that hosts candidate code, so it is only ever
a finding, never an excuse: a forged line makes the verdict stricter, and the events cannot
be unwritten once in the pipe. An event whose rule the original's own source trips is
inherited, as in the static scan.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import capabilities
from .dependencies import Dependencies
from .sources import PackageSource, imported_top_levels

# Audit event -> the integrity rule it is evidence of.
WATCHED: dict[str, str] = {
    "import": "capability_import",
    "sys._getframe": "inspects_frames",
    "sys._current_frames": "inspects_frames",
    "sys.settrace": "inspects_frames",
    "sys.setprofile": "inspects_frames",
    "gc.get_objects": "inspects_frames",
    "gc.get_referrers": "inspects_frames",
    "gc.get_referents": "inspects_frames",
    "object.__getattr__": "reaches_into",
    "object.__setattr__": "forges_metadata",
    "object.__delattr__": "forges_metadata",
    "exec": "dynamic_code",
    "compile": "dynamic_code",
    "function.__new__": "dynamic_code",
    "code.__new__": "dynamic_code",
    "sys.addaudithook": "test_machinery",
    "os.fork": "spawns_or_connects",
    "os.forkpty": "spawns_or_connects",
    "os.system": "spawns_or_connects",
    "os.exec": "spawns_or_connects",
    "os.posix_spawn": "spawns_or_connects",
    "os.spawn": "spawns_or_connects",
    "os.kill": "spawns_or_connects",
    "os.killpg": "spawns_or_connects",
    "subprocess.Popen": "spawns_or_connects",
    "socket.__new__": "spawns_or_connects",
    "socket.connect": "spawns_or_connects",
    "ctypes.dlopen": "spawns_or_connects",
    "os.putenv": "reads_environment",
    "os.unsetenv": "reads_environment",
}
# A line longer than this is not one the hook wrote.
_MAX_LINE = 2000


@dataclass(frozen=True)
class AuditPolicy:
    """What a run's hook reports: the package's top-level modules (whose frames count as the
    candidate's), the top-level modules it may import, and the events it watches."""

    modules: tuple[str, ...]
    imports: frozenset[str]
    events: frozenset[str]

    def to_json(self, fd: int) -> str:
        """What ``sandbox/start.py`` reads from ``.audit.json``."""
        return json.dumps(
            {
                "fd": fd,
                "modules": sorted(self.modules),
                "imports": sorted(self.imports),
                "denied": sorted(capabilities.DENIED_SUBMODULES),
                "events": sorted(self.events),
            },
            sort_keys=True,
        )


def policy(
    original: PackageSource,
    candidate: PackageSource,
    declared: Dependencies,
    original_rules: Iterable[str],
) -> AuditPolicy:
    """What the candidate may do at run time without a report: what the original imports and
    the allow-list; every watched event except those whose rule the original trips too."""
    imports = (
        frozenset(imported_top_levels(original.root / f.path for f in original.files))
        | capabilities.PURE
        | capabilities.PLAUSIBLE
        | frozenset(candidate.module_names)
        | declared.package_imports()
        | capabilities.TEST_MODULES
        | capabilities.private_helpers()
    )
    inherited = frozenset(original_rules)
    events = frozenset(e for e, rule in WATCHED.items() if rule not in inherited)
    return AuditPolicy(tuple(candidate.module_names), imports, events)


@dataclass(frozen=True)
class Event:
    """One report of the hook: what happened, where in the package, and in which run."""

    event: str
    detail: str
    file: str  # relative to the run directory: the package's own path
    line: int
    run: str

    @property
    def rule(self) -> str:
        return WATCHED[self.event]

    def describe(self) -> str:
        what = f"imports {self.detail}" if self.event == "import" else self.event
        if self.event != "import" and self.detail:
            what += f" ({self.detail})"
        return f"{self.file}:{self.line}: at run time, {what} [{self.rule}]"


def parse(lines: Sequence[str], run: str) -> list[Event]:
    """The hook's lines, validated; a line that is not one (forged, cut) is dropped: a real
    event is written whole before the next, and dropping a forgery only loses strictness."""
    events: list[Event] = []
    for line in lines:
        if len(line) > _MAX_LINE:
            continue
        try:
            raw = json.loads(line)
        except ValueError:
            continue
        if not (
            isinstance(raw, dict)
            and raw.get("event") in WATCHED
            and isinstance(raw.get("detail"), str)
            and isinstance(raw.get("file"), str)
            and isinstance(raw.get("line"), int)
            and not isinstance(raw.get("line"), bool)
        ):
            continue
        events.append(Event(raw["event"], raw["detail"][:200], raw["file"][:300], raw["line"], run))
    return events
