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
from dataclasses import replace
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from refactor_check import cli, reports
from refactor_check.report import Report
from refactor_check.results.run import ExerciseFacts, Isolation, SubmissionFacts
from refactor_check.verdict import Verdict

from .conftest import FIXTURES, TOY_CLEAN, write_files

# Where a submission lay and how this host isolates runs differ by machine, and the re-check
# key digests the tool's own code; the rest of a report is a function of the inputs (seeds
# are fixed, budgets are counts).
_HOST_ISOLATION = Isolation(mode="rlimits", process_limit="rlimit")
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


def _graded(tmp_path: Path, name: str) -> Report:
    golden_src, files, options = CASES[name]
    golden = Path(shutil.copytree(golden_src, tmp_path / "golden"))
    candidate = write_files(tmp_path / "candidate", files)
    out = tmp_path / "out"
    argv = ["run", str(candidate), "--golden", str(golden), "--out", str(out), "-q"]
    with pytest.raises(SystemExit):
        cli.main([*argv, "--sandbox", "none", "--seed", "0", *_DETERMINISTIC, *options])
    text = (out / "report.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert Report.from_json(data).to_dict() == data  # the typed reading loses nothing
    return _normalised(Report.from_json(json.loads(text.replace(str(tmp_path), "<tmp>"))))


def _normalised(report: Report) -> Report:
    recheck = report.recheck
    return replace(
        report,
        timing={},
        isolation=_HOST_ISOLATION,
        tool_version="<version>",
        # Keyed by the tool's own code, among others.
        recheck=None if recheck is None else replace(recheck, key="<key>"),
    )


class _Text(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT


def _extension(suffix: str) -> type[SingleFileSnapshotExtension]:
    return type(f"_Text_{suffix}", (_Text,), {"file_extension": suffix})


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_report_reads_as_kept(name: str, tmp_path: Path, snapshot: SnapshotAssertion) -> None:
    report = _graded(tmp_path, name)
    kept = json.dumps(report.to_dict(), indent=2, sort_keys=True) + "\n"
    assert kept == snapshot(name="report", extension_class=_extension("json"))
    written = reports.write_all(report, tmp_path / "written")
    # Every format writes its file; the mutation viewers only where mutation testing ran.
    assert {"report.json", "report.html", "summary.md", "junit.xml"} <= {p.name for p in written}
    for path in sorted(written):
        if path.name == "report.json":
            continue  # the file itself is the JSON form above, with its own key order
        suffix = path.suffix.lstrip(".") or "txt"
        text = path.read_text(encoding="utf-8")
        assert text == snapshot(name=path.name, extension_class=_extension(suffix))


def test_a_kept_report_differs_when_one_field_does() -> None:
    """The comparison sees a single changed value: what the guard rests on."""
    report = Report(
        exercise=ExerciseFacts("toy", "toy", ("toy",), "Toy", "0" * 64),
        candidate=SubmissionFacts(path="/c", package="toy"),
        verdict=Verdict("preserved", "behaviour preserved", ()),
        checks=(),
        isolation=Isolation(mode="bwrap", process_limit="cgroup"),
        timing={"golden": 1.0},
        tool_version="1",
    )
    changed = replace(
        report,
        verdict=Verdict("changed", "1 finding(s)", ()),
        timing={"golden": 9.0},
        tool_version="2",
    )
    kept, other = _normalised(report).to_dict(), _normalised(changed).to_dict()
    assert kept["timing"] == other["timing"] and kept["tool"] == other["tool"]
    assert kept["isolation"] == other["isolation"]
    assert json.dumps(kept, sort_keys=True) != json.dumps(other, sort_keys=True)
