"""cohort.csv: the cohort table for spreadsheets, one row per candidate, in committee order.

Text cells can hold what a candidate wrote (an assertion message in a reason), and a
spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula: such text
cells get a leading apostrophe. Numbers are written as numbers; an empty cell is "not
measured". The last column, ``ranking_note``, says what the row's verdict group was ranked by
and which figures were left out for lack of a measure: on every row, so that it survives a
spreadsheet's sorting and filtering.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .cohort import Cell, columns
from .ranking import Ranking

FILENAME = "cohort.csv"
NOTE_COLUMN = "ranking_note"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write(ranked: Ranking, out_dir: Path) -> Path:
    path = out_dir / FILENAME
    table = columns(ranked.rows)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*(c.name for c in table), NOTE_COLUMN])
        for row in ranked.rows:
            cells = [_text(c.cell(row)) for c in table]
            writer.writerow([*cells, _text(ranked.group_note(row.verdict))])
    return path


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_STARTS) else value
    return str(value)
