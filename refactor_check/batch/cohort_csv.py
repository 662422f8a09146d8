"""cohort.csv: the cohort table for spreadsheets, one row per candidate, in committee order.

Text cells can hold what a candidate wrote (an assertion message in a reason), and a
spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula: such text
cells get a leading apostrophe. Numbers are written as numbers; an empty cell is "not
measured".
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from .cohort import Cell, columns
from .rows import Row

FILENAME = "cohort.csv"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write(rows: Sequence[Row], out_dir: Path) -> Path:
    path = out_dir / FILENAME
    table = columns(rows)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.name for c in table])
        for row in rows:
            writer.writerow([_text(c.cell(row)) for c in table])
    return path


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_STARTS) else value
    return str(value)
