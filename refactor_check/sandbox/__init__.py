"""Scripts that run *inside* untrusted processes.

They are started by path (never imported by refactor-check itself) and use only the standard
library and pytest, so the candidate's process holds none of refactor-check's own modules.
"""

from __future__ import annotations

from pathlib import Path

PYTEST_ENTRY = Path(__file__).with_name("pytest_entry.py")
MUTANT_BATCH = Path(__file__).with_name("mutant_batch.py")
