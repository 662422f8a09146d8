"""Tidying the rows the import job already holds.

The job reuses the rows afterwards, so they are fixed IN PLACE; the count says how many
changed.
"""

from .parsing import DEFAULT_TASK
from .rounding import round_quarter


def _normalise(row, default_task):
    if isinstance(row.get("client"), str):
        row["client"] = row["client"].strip().lower()
    task = row.get("task")
    if isinstance(task, str) and task.strip() != "":
        row["task"] = task.strip().lower()
    else:
        row["task"] = default_task
    if row.get("minutes") is not None:
        row["minutes"] = round_quarter(row["minutes"])
    if row.get("comment") is None:
        row["comment"] = ""
    elif isinstance(row["comment"], str):
        row["comment"] = row["comment"].strip()


def normalise_entries(entries, default_task=DEFAULT_TASK):
    """Tidy entry dicts from the import job IN PLACE; returns how many changed."""
    changed = 0
    for row in entries:
        before = dict(row)
        _normalise(row, default_task)
        if row != before:
            changed += 1
    return changed
