"""docs/ci.md's GitHub Actions workflow: it parses, and its commands grade a submission.

The workflow's shell steps run here in order, as a runner would run them (bash -e, the
workflow's and step's env, $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY files); the actions it
uses are stood in for: checkouts by laying out the same directories, the artifact upload by
checking that what it uploads exists. The one step not run is the install of refactor-check
itself (it would replace the checkout under test); its requirement is checked instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement

from refactor_check import isolation

from .conftest import REPO, TOY_CLEAN, TOY_GOLDEN, write_files

DOC = REPO / "docs" / "ci.md"
_EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def workflow() -> dict[str, Any]:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert block is not None, "docs/ci.md has no yaml block"
    return yaml.safe_load(block.group(1))


@dataclass
class Job:
    """What a runner keeps between steps: step outputs, results, the job's status."""

    root: Path
    env: dict[str, str]
    inputs: dict[str, str]
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    codes: list[tuple[str, int]] = field(default_factory=list)
    uploaded: list[Path] = field(default_factory=list)
    failed: bool = False

    def evaluate(self, text: str) -> str:
        """The few ${{ }} expressions the workflow uses: env, inputs, step outputs."""

        def value(match: re.Match[str]) -> str:
            path = match.group(1).split(".")
            if path[0] == "env":
                return self.env[path[1]]
            if path[0] == "inputs":
                return self.inputs[path[1]]
            if path[0] == "steps" and path[2] == "outputs":
                return self.outputs.get(path[1], {}).get(path[3], "")
            raise AssertionError(f"unexpected expression {match.group(0)}")

        return _EXPRESSION.sub(value, str(text))


def _run_step(job: Job, step: dict[str, Any], index: int) -> None:
    if job.failed and "always()" not in str(step.get("if", "")):
        return
    uses = step.get("uses", "")
    if uses.startswith("actions/upload-artifact@"):
        path = job.root / job.evaluate(step["with"]["path"])
        assert path.is_dir(), path
        job.uploaded.append(path)
        return
    if uses:
        return  # checkouts and setup-python: the test laid out the same directories
    script = step["run"]
    if "pip install" in script:
        return  # installing refactor-check would replace the checkout under test
    output = job.root / f"output-{index}"
    output.touch()
    env = {
        **os.environ,
        **job.env,
        **{k: job.evaluate(v) for k, v in (step.get("env") or {}).items()},
        "GITHUB_OUTPUT": str(output),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    completed = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=job.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    job.codes.append((step.get("name", f"step {index}"), completed.returncode))
    if "id" in step:
        lines = output.read_text(encoding="utf-8").splitlines()
        job.outputs[step["id"]] = dict(line.split("=", 1) for line in lines if "=" in line)
    if completed.returncode != 0:
        job.failed = True


def _run_job(root: Path, candidate_files: dict[str, str]) -> Job:
    spec = workflow()
    (root / "exercises").mkdir(parents=True)
    shutil.copytree(TOY_GOLDEN, root / "exercises" / "invoice")
    write_files(root / "submission", candidate_files)
    summary = root / "step-summary.md"
    summary.touch()
    job = Job(
        root=root,
        env={**{k: str(v) for k, v in spec["env"].items()}, "GITHUB_STEP_SUMMARY": str(summary)},
        inputs={"submission": "acme/takehome-jane", "ref": "main"},
    )
    for index, step in enumerate(spec["jobs"]["grade"]["steps"]):
        _run_step(job, step, index)
    return job


@pytest.fixture(scope="module", autouse=True)
def _bwrap_works() -> None:
    # The workflow insists on bubblewrap (--sandbox bwrap); CI installs it.
    try:
        isolation.probe("bwrap")
    except Exception as exc:
        pytest.skip(f"bwrap unavailable here: {exc}")


def test_workflow_shape() -> None:
    spec = workflow()
    triggers = spec.get("on", spec.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "workflow_dispatch" in triggers
    assert spec["permissions"] == {"contents": "read"}
    steps = spec["jobs"]["grade"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert uses.count("actions/checkout") == 2
    assert "actions/setup-python" in uses and "actions/upload-artifact" in uses
    submission = next(s for s in steps if s.get("with", {}).get("path") == "submission")
    assert submission["with"]["persist-credentials"] is False
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["if"] == "always()"  # the report is kept whatever the verdict
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert '"$REFACTOR_CHECK_SPEC"' in install["run"] and "bubblewrap" in install["run"]
    assert Requirement(spec["env"]["REFACTOR_CHECK_SPEC"]).name == "refactor-check"
    grade = next(s for s in steps if s.get("id") == "grade")
    assert "refactor-check run submission" in grade["run"] and "--sandbox bwrap" in grade["run"]


def test_a_clean_submission_passes_the_job(tmp_path: Path) -> None:
    job = _run_job(tmp_path, {"toy.py": TOY_CLEAN})
    assert job.outputs["grade"] == {"exit_code": "0"}
    assert not job.failed and all(code == 0 for _, code in job.codes), job.codes
    (report,) = job.uploaded
    assert {"report.html", "summary.md", "junit.xml", "report.json"} <= {
        p.name for p in report.iterdir()
    }
    summary = (tmp_path / "step-summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## ✅ Behaviour preserved")


def test_a_behaviour_change_fails_the_job_after_uploading_the_report(tmp_path: Path) -> None:
    broken = TOY_CLEAN.replace("must be positive", "is too small")
    job = _run_job(tmp_path, {"toy.py": broken})
    assert job.outputs["grade"] == {"exit_code": "1"}
    assert job.codes[-1] == ("Fail the job unless the behaviour is preserved", 1)
    assert [code for _, code in job.codes[:-1]] == [0] * (len(job.codes) - 1)
    (report,) = job.uploaded  # uploaded although the verdict was "changed"
    assert (report / "report.html").read_text(encoding="utf-8").count("Behaviour changed") >= 1
    summary = (tmp_path / "step-summary.md").read_text(encoding="utf-8")
    assert "test_price_rejects_zero" in summary
