"""How a run tells whoever watches it where it is: stage by stage, as each starts and ends.

The pipeline calls these; the terminal (``reports/terminal.py``) draws them. Nothing in the
report depends on them.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def stage_started(self, name: str) -> None: ...

    def stage_finished(self, name: str, seconds: float, outcome: str | None) -> None:
        """``outcome``: the check's status ("passed", "failed", ...), None for other stages."""

    def stage_advanced(self, name: str, done: int, total: int | None, detail: str) -> None:
        """How far a long stage is: ``done`` of ``total`` units (None: no known total), and
        what they are, in words ("their tests on their code: 12 killed, 3 survived")."""

    def note(self, line: str) -> None:
        """A line for the reader while the run goes on (the behaviour verdict, say)."""


class Silent:
    """Watches nothing: for library use and ``--quiet``."""

    def stage_started(self, name: str) -> None:
        pass

    def stage_finished(self, name: str, seconds: float, outcome: str | None) -> None:
        pass

    def stage_advanced(self, name: str, done: int, total: int | None, detail: str) -> None:
        pass

    def note(self, line: str) -> None:
        pass
