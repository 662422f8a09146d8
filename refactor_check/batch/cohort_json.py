"""cohort.json: the cohort table for pipelines, what ``batch --format json`` prints.

The rows carry cohort.csv's columns as JSON values (numbers as numbers, null where nothing
was measured, text as written: no spreadsheet guard), in committee order, with each row's
rank, status, first differential counterexample, the paths of its reports (as ``--out`` was
given; null when the grading wrote none) and the ``--fail-under-level`` gates it is below.
Beside them: the ranking note and what each verdict group was ranked by, and the gates.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..level_gate import Failure, Gate
from .cohort import columns
from .ranking import Ranking
from .rows import Row

FILENAME = "cohort.json"
SCHEMA_VERSION = 1


def document(
    ranked: Ranking,
    out_dir: Path,
    title: str,
    gates: Sequence[Gate] = (),
    below: Mapping[str, Sequence[Failure]] | None = None,
) -> dict[str, Any]:
    table = columns(ranked.rows)
    below = below or {}
    return {
        "schema_version": SCHEMA_VERSION,
        "title": title,
        "ranking": ranked.to_json(),
        "fail_under_level": {g.dimension: g.level for g in gates},
        "columns": [c.name for c in table],
        "rows": [
            {
                "rank": position,
                **{c.name: c.cell(row) for c in table},
                "status": row.status,
                "counterexample": row.counterexample,
                **_reports(row, out_dir),
                "below_gates": [f.to_json() for f in below.get(row.candidate, ())],
            }
            for position, row in enumerate(ranked.rows, start=1)
        ],
    }


def write(document: dict[str, Any], out_dir: Path) -> Path:
    path = out_dir / FILENAME
    path.write_text(dumps(document), encoding="utf-8")
    return path


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _reports(row: Row, out_dir: Path) -> dict[str, str | None]:
    folder = out_dir / row.candidate
    return {
        key: str(folder / name) if (folder / name).is_file() else None
        for key, name in (("report", "report.json"), ("report_html", "report.html"))
    }
