"""What one untrusted process may use: time, CPU, memory, output, processes, files.

Apart from the runner that enforces them, so an exercise's settings (``exercise.toml``'s
[limits]) are read without loading the machinery that starts processes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Resource limits for one untrusted process (and everything it starts)."""

    wall_seconds: float = 300.0
    # Longest silence on the result channel; None disables the stall limit.
    stall_seconds: float | None = 30.0
    # CPU seconds summed over the process's own threads (each child has its own budget).
    cpu_seconds: int = 600
    memory_mb: int = 2048
    # Largest file the process may write, stdout and stderr included.
    output_mb: int = 16
    processes: int = 256
    open_files: int = 256
