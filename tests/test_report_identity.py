"""report.json and every report format, byte for byte, on fixed submissions.

The guard for changes to the results layer, the Report and the writers that mean to change
no output (a move, a split, a typed reader in place of a dict): each case is graded through
the command line, its report.json compared with the one kept under ``__snapshots__`` (outside
what varies from run to run: ``timing``, where the submission lay, the host's isolation), and
every writer's output rendered from that report compared with the file kept beside it.

After a change that is meant to change a report, look at the difference and keep it:
``pytest tests/test_report_identity.py --snapshot-update``. A new release of a library that
shapes the output (Pygments' tokens in the side-by-side code, mutmut's mutants) shows here
too: read the difference the same way.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from refactor_check import cli, reports

from .conftest import FIXTURES, TOY_CLEAN, write_files

# Where a submission lay and how this host isolates runs differ by machine, and the re-check
# key digests the tool's own code; the rest of a report is a function of the inputs (seeds
# are fixed, budgets are counts).
_HOST_ISOLATION = {
    "mode": "rlimits",
    "process_limit": "rlimit",
    "description": "(this host's isolation)",
    "notes": [],
}
_SHOP_CLEAN = (FIXTURES / "diff_shop_clean" / "shop.py").read_text(encoding="utf-8")
# No random programs: what hypothesis generates from a seed may change with its version (CI
# installs the newest), and the guard is for this project's changes. The recorded calls, the
# sweeps and comparison feedback are the project's own, and find the moved boundary.
_DETERMINISTIC = ("--differential-examples", "0")


def _cases() -> dict[str, tuple[Path, dict[str, str], tuple[str, ...]]]:
    """Name: (golden repo, the submission's files, options). One case per kind of report:
    a pass with every score (mutation's quick profile), a differential pass, and a change
    the differential stage finds (a boundary moved) with its counterexample."""
    shop_changed = _SHOP_CLEAN.replace("qty >= BULK_THRESHOLD", "qty > BULK_THRESHOLD")
    assert shop_changed != _SHOP_CLEAN
    return {
        "toy_clean": (
            FIXTURES / "toy",
            {"toy.py": TOY_CLEAN},
            ("--mutation-profile", "quick"),
        ),
        "shop_clean": (FIXTURES / "diff_shop", {"shop.py": _SHOP_CLEAN}, ("--no-mutation",)),
        "shop_boundary_moved": (
            FIXTURES / "diff_shop",
            {"shop.py": shop_changed},
            ("--no-mutation",),
        ),
    }


CASES = _cases()


def _graded(tmp_path: Path, name: str) -> dict[str, Any]:
    golden_src, files, options = CASES[name]
    golden = Path(shutil.copytree(golden_src, tmp_path / "golden"))
    candidate = write_files(tmp_path / "candidate", files)
    out = tmp_path / "out"
    argv = ["run", str(candidate), "--golden", str(golden), "--out", str(out), "-q"]
    with pytest.raises(SystemExit):
        cli.main([*argv, "--sandbox", "none", "--seed", "0", *_DETERMINISTIC, *options])
    text = (out / "report.json").read_text(encoding="utf-8")
    return _normalised(json.loads(text.replace(str(tmp_path), "<tmp>")))


def _normalised(data: dict[str, Any]) -> dict[str, Any]:
    data["timing"] = {}
    data["isolation"] = dict(_HOST_ISOLATION)
    data["tool"]["version"] = "<version>"
    if isinstance(data.get("recheck"), dict):  # keyed by the tool's own code, among others
        data["recheck"]["key"] = "<key>"
    return data


class _Text(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT


def _extension(suffix: str) -> type[SingleFileSnapshotExtension]:
    return type(f"_Text_{suffix}", (_Text,), {"file_extension": suffix})


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_report_reads_as_kept(name: str, tmp_path: Path, snapshot: SnapshotAssertion) -> None:
    data = _graded(tmp_path, name)
    kept = json.dumps(data, indent=2, sort_keys=True) + "\n"
    assert kept == snapshot(name="report", extension_class=_extension("json"))
    written = reports.write_data(data, tmp_path / "written")
    # Every format writes its file; the mutation viewers only where mutation testing ran.
    assert {"report.json", "report.html", "summary.md", "junit.xml"} <= {p.name for p in written}
    for path in sorted(written):
        if path.name == "report.json":
            continue  # the file itself is the JSON form above, with its own key order
        suffix = path.suffix.lstrip(".") or "txt"
        text = path.read_text(encoding="utf-8")
        assert text == snapshot(name=path.name, extension_class=_extension(suffix))


def test_a_kept_report_differs_when_one_field_does(tmp_path: Path) -> None:
    """The comparison sees a single changed value: what the guard rests on."""
    data = _normalised(
        {"tool": {"version": "1"}, "timing": {"golden": 1.0}, "verdict": "preserved"}
    )
    changed = _normalised(
        {"tool": {"version": "2"}, "timing": {"golden": 9.0}, "verdict": "changed"}
    )
    assert data["timing"] == changed["timing"] and data["tool"] == changed["tool"]
    assert json.dumps(data, sort_keys=True) != json.dumps(changed, sort_keys=True)
