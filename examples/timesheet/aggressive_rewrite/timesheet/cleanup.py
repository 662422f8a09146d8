"""normalise_entries: the import job's rows, fixed IN PLACE (the job keeps using them)."""

from .lines import GENERAL
from .quarters import round_quarter


def _client(row, default_task):
    if isinstance(row.get("client"), str):
        row["client"] = row["client"].strip().lower()


def _task(row, default_task):
    task = row.get("task")
    row["task"] = task.strip().lower() if isinstance(task, str) and task.strip() != "" else default_task


def _minutes(row, default_task):
    if row.get("minutes") is not None:
        row["minutes"] = round_quarter(row["minutes"])


def _comment(row, default_task):
    comment = row.get("comment")
    if comment is None:
        row["comment"] = ""
    elif isinstance(comment, str):
        row["comment"] = comment.strip()


FIXES = (_client, _task, _minutes, _comment)  # in this order


def normalise_entries(entries, default_task=GENERAL):
    """Tidy entry dicts from the import job IN PLACE; returns how many changed."""
    changed = 0
    for row in entries:
        before = dict(row)
        for fix in FIXES:
            fix(row, default_task)
        changed += row != before
    return changed
