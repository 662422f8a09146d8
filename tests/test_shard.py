"""Sharding: the split, `run --shard` joined by merge equals an unsharded run, `batch --shard`.

The run shards test real mutants of the toy exercise (quick profile), with candidate tests of
their own so that both of the candidate's mutation scores and the scorecard built on them are
joined; the golden suite's score, which guides differential testing, is whole in every shard.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from refactor_check.cli import cli as command_line
from refactor_check.errors import BadInputError
from refactor_check.sharding import Shard, bucket, check_complete

from .conftest import REPO, TOY_CLEAN, TOY_GOLDEN, write_files

OWN_TESTS = """
import pytest
from toy import Counter, price


def test_price():
    assert price(10, 1.0) == 9.0
    assert price(2, 1.5) == 3.0


def test_zero():
    with pytest.raises(ValueError):
        price(0, 1.0)


def test_counter():
    assert Counter().bump(2) == 2
"""
SHARDED_SCORES = ("candidate_tests", "candidate_tests_on_original")
COUNT = 2


# -- the split ------------------------------------------------------------------------------


def test_every_name_belongs_to_exactly_one_shard() -> None:
    names = [f"toy.x_price__mutmut_{i}" for i in range(200)] + ["alice", "bob", "ça va"]
    for count in (1, 2, 3, 7):
        shards = [Shard(i, count) for i in range(1, count + 1)]
        owners = [[s for s in shards if s.owns(name)] for name in names]
        assert all(len(o) == 1 for o in owners)
    # Big enough shares to be worth a machine each: no shard of 3 is starved of 200 names.
    assert min(len(Shard(i, 3).select(names)) for i in (1, 2, 3)) > 40


def test_the_split_is_the_same_in_every_process() -> None:
    names = ["alice", "bob", "toy.xǁCounterǁbump__mutmut_3"]
    code = f"from refactor_check.sharding import bucket; print([bucket(n, 5) for n in {names!r}])"
    for seed in ("1", "2"):
        printed = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        assert printed.strip() == str([bucket(n, 5) for n in names])


@pytest.mark.parametrize(
    ("shards", "message"),
    [
        ([(1, 3), (2, 3)], "missing shard(s) 3/3"),
        ([(1, 2), (1, 2), (2, 2)], "shard 1/2 is given more than once"),
        ([(1, 2), (2, 3)], "different splits"),
    ],
)
def test_an_incomplete_set_of_shards_is_refused(shards, message: str) -> None:
    with pytest.raises(BadInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_complete(shards)


@pytest.mark.parametrize("spec", ["0/2", "3/2", "two", "1/0"])
def test_bad_shard_specs_are_exit_2(cli, toy_golden: Path, make_candidate, spec: str) -> None:
    result = cli("run", make_candidate(), "--golden", toy_golden, "--shard", spec)
    assert result.code == 2
    assert result.stderr.startswith("refactor-check: error: ") and "--shard" in result.stderr


# -- run --shard and merge ------------------------------------------------------------------


@dataclass(frozen=True)
class Sharded:
    root: Path
    candidate: Path
    golden: Path
    cache: Path
    shards: tuple[Path, ...]
    unsharded: Path


def run_cli(cwd: Path, cache: Path, *args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "refactor_check", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", "REFACTOR_CHECK_CACHE": str(cache)},
    )


def load(out: Path) -> dict[str, Any]:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> Sharded:
    """Two shards of one run, then the same run unsharded.

    ``--no-cache``: each computes the golden suite's score itself, so that none of them
    reports it as taken from the cache.
    """
    root = tmp_path_factory.mktemp("sharded")
    golden = Path(shutil.copytree(TOY_GOLDEN, root / "golden"))
    candidate = write_files(
        root / "candidate", {"toy.py": TOY_CLEAN, "tests/test_own.py": OWN_TESTS}
    )
    cache = root / "cache"
    # Fewer differential examples than the default: the stage still runs on the blind spots
    # the golden suite's mutants show, at a fraction of its cost.
    common = (
        "run",
        candidate,
        "--golden",
        golden,
        "--mutation-profile",
        "quick",
        "--no-cache",
        "--differential-examples",
        "5",
    )
    shards = []
    for index in range(1, COUNT + 1):
        out = root / f"shard{index}"
        done = run_cli(root, cache, *common, "--shard", f"{index}/{COUNT}", "--out", out)
        assert done.returncode == 0, done.stdout + done.stderr
        shards.append(out)
    unsharded = root / "unsharded"
    done = run_cli(root, cache, *common, "--out", unsharded)
    assert done.returncode == 0, done.stdout + done.stderr
    return Sharded(root, candidate, golden, cache, tuple(shards), unsharded)


def test_a_merged_sharded_run_is_the_unsharded_report(cli, sharded: Sharded, tmp_path) -> None:
    merged = cli("merge", *sharded.shards, "--out", tmp_path / "merged")
    assert merged.code == 0, merged.stdout + merged.stderr
    joined, whole = load(tmp_path / "merged"), load(sharded.unsharded)
    assert joined.pop("timing") and whole.pop("timing")
    assert "shard" not in joined
    assert joined == whole
    # Every format a run writes, rendered from the joined report.
    assert sorted(p.name for p in (tmp_path / "merged").iterdir()) == sorted(
        p.name for p in sharded.unsharded.iterdir()
    )

    # ...and the shards really split the work: each tested a part, together all, once.
    parts = [load(s) for s in sharded.shards]
    assert [p["shard"]["index"] for p in parts] == list(range(1, COUNT + 1))
    for part in parts:  # the exercise's score, and the differential search it guides
        assert part["mutation"]["golden_on_original"] == whole["mutation"]["golden_on_original"]
    for name in SHARDED_SCORES:
        keys = [{m["key"] for m in p["mutation"][name]["mutants"]} for p in parts]
        full = {m["key"] for m in whole["mutation"][name]["mutants"]}
        assert all(0 < len(k) < len(full) for k in keys)
        assert set().union(*keys) == full and sum(map(len, keys)) == len(full)
        assert {p["mutation"][name]["shard"]["generated"] for p in parts} == {len(full)}


def test_merge_refuses_what_is_not_one_whole_run(cli, sharded: Sharded, tmp_path: Path) -> None:
    one, two = sharded.shards
    # A report edited by hand: a count that disagrees with what it counts.
    tampered = Path(shutil.copytree(two, tmp_path / "tampered"))
    data = load(tampered)
    data["golden"]["passed"] -= 1
    (tampered / "report.json").write_text(json.dumps(data), encoding="utf-8")
    # Another submission's shard: the field and the likely cause are named.
    other = Path(shutil.copytree(two, tmp_path / "other"))
    data = load(other)
    data["candidate"]["files"].append("extra.py")
    data["sources"]["candidate"]["extra.py"] = "VALUE = 1\n"
    (other / "report.json").write_text(json.dumps(data), encoding="utf-8")
    # A shard of another version of the exercise.
    revised = Path(shutil.copytree(two, tmp_path / "revised"))
    data = load(revised)
    data["exercise"]["title"] += " (revised)"
    (revised / "report.json").write_text(json.dumps(data), encoding="utf-8")
    cases = [
        ((one,), "missing shard(s) 2/2"),
        ((one, one, two), "shard 1/2 is given more than once"),
        ((one, tampered), "does not hold what refactor-check writes at golden.passed"),
        ((one, other), "on candidate.files: the shards graded different submissions"),
        ((one, revised), "shard 2 disagrees with shard 1 on exercise.title: "),
        ((one, two, sharded.unsharded), "not from 'run --shard I/N'"),
        ((one, tmp_path / "nothing"), "does not exist"),
    ]
    for directories, message in cases:
        result = cli("merge", *directories, "--out", tmp_path / "merged")
        assert result.code == 2, (directories, result.stderr)
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "merged" / "report.json").exists()


def test_merge_holds_the_joined_scorecard_to_the_shards_gates(
    cli, sharded: Sharded, tmp_path: Path
) -> None:
    """Each shard's level rests on its share of the mutants; the gate is re-applied to the whole.

    The shards here claim a gate no run reaches (verification 4), each below it at the level
    its share of the mutants gives: merge compares the gates, rebuilds what is below.
    """
    whole = load(sharded.unsharded)
    level = next(
        d["level"] for d in whole["scorecard"]["dimensions"] if d["name"] == "verification"
    )
    assert level is not None and level < 4
    shards = []
    for index, shard in enumerate(sharded.shards):
        copy = Path(shutil.copytree(shard, tmp_path / f"gated{index}"))
        data = load(copy)
        # Each shard is below the gate at its own level, as its own scorecard has it.
        own = next(
            d["level"] for d in data["scorecard"]["dimensions"] if d["name"] == "verification"
        )
        below = [{"dimension": "verification", "needs": 4, "actual": own}]
        data["gates"] = {
            "fail_under_level": {"verification": 4},
            "from": "--fail-under-level",
            "below": below,
        }
        (copy / "report.json").write_text(json.dumps(data), encoding="utf-8")
        shards.append(copy)
    merged = cli("merge", *shards, "--out", tmp_path / "merged")
    assert merged.code == 1, merged.stdout + merged.stderr  # preserved, but below the gate
    joined = load(tmp_path / "merged")
    assert joined["verdict"] == "preserved"
    assert joined["gates"]["below"] == [{"dimension": "verification", "needs": 4, "actual": level}]
    assert f"verification level {level}, needs 4" in merged.stdout

    # Shards held to different gates were not one run.
    data = load(shards[1])
    data["gates"]["fail_under_level"] = {"verification": 3}
    own = data["gates"]["below"][0]["actual"]
    reached = own is not None and own >= 3
    data["gates"]["below"] = [] if reached else [{**data["gates"]["below"][0], "needs": 3}]
    (shards[1] / "report.json").write_text(json.dumps(data), encoding="utf-8")
    refused = cli("merge", *shards, "--out", tmp_path / "refused")
    assert refused.code == 2 and "gates.fail_under_level" in refused.stderr, refused.stderr


# -- batch --shard and merge ----------------------------------------------------------------


def cohort_rows(out: Path) -> list[dict[str, str]]:
    with open(out / "cohort.csv", encoding="utf-8", newline="") as handle:
        return [{k: v for k, v in row.items() if k != "seconds"} for row in csv.DictReader(handle)]


def test_batch_shards_merge_into_the_unsharded_cohort(cli, tmp_path: Path, toy_golden) -> None:
    """With differential testing on: its column is filled from each report."""
    cohort = tmp_path / "cohort"
    write_files(cohort / "clean", {"toy.py": TOY_CLEAN})
    write_files(cohort / "broken", {"toy.py": TOY_CLEAN.replace(">= BULK_QTY", "> BULK_QTY")})
    write_files(cohort / "syntax_error", {"toy.py": "def price(qty, unit)\n"})
    write_files(cohort / "no_package", {"notes.txt": "nothing here\n"})
    common = ("batch", cohort, "--golden", toy_golden, "--no-mutation", "--jobs", "2")

    whole = cli(*common, "--out", tmp_path / "whole")
    assert whole.code == 0, whole.stdout + whole.stderr
    shard_outs = []
    for index in (1, 2):
        out = tmp_path / f"shard{index}"
        result = cli(*common, "--shard", f"{index}/2", "--out", out)
        assert result.code == 0, result.stdout + result.stderr
        assert cohort_rows(out), "each shard must hold some of the cohort for this test"
        shard_outs.append(out)
    merged = cli("merge", *shard_outs, "--out", tmp_path / "merged")
    assert merged.code == 0, merged.stdout + merged.stderr
    assert cohort_rows(tmp_path / "merged") == cohort_rows(tmp_path / "whole")
    assert len(cohort_rows(tmp_path / "merged")) == 4
    for row in cohort_rows(tmp_path / "merged"):
        if row["candidate"] in ("syntax_error", "no_package"):  # no differential stage ran
            assert row["differential_mismatches"] == ""
            continue
        report = load(tmp_path / "merged" / row["candidate"])
        kinds = [f["kind"] for f in report["findings"]]
        assert row["differential_mismatches"] == str(kinds.count("differential_mismatch"))
    assert (tmp_path / "merged" / "clean" / "report.json").is_file()

    # The joined output is a batch's own: grading the cohort into it again grades nothing.
    resumed = cli(*common, "--out", tmp_path / "merged")
    assert resumed.code == 0 and "0 to grade, 4 unchanged" in resumed.stdout


# -- docs/ci.md's sharding examples ---------------------------------------------------------


def commands(script: str, values: dict[str, str]) -> list[list[str]]:
    """The refactor-check command lines of a shell script, variables filled in."""
    joined = script.replace("\\\n", " ")
    lines = [line.strip() for line in joined.splitlines()]
    found = []
    for line in lines:
        if not line.startswith("refactor-check "):
            continue
        line = re.sub(r"\$\{\{\s*matrix\.shard\s*\}\}", values["shard"], line)
        line = re.sub(r"\$(\w+)", lambda m: values.get(m.group(1), m.group(0)), line)
        found.append(shlex.split(line)[1:])
    return found


def parses(argv: list[str]) -> None:
    """The real command line accepts argv (parsed only: nothing runs)."""
    name, *rest = argv
    command = command_line.get_command(command_line.make_context("refactor-check", [name]), name)
    assert command is not None, name
    command.make_context(name, rest)


def test_the_ci_sharding_examples_parse_and_cover_every_shard() -> None:
    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    section = text[text.index("## Scaling past one machine: shards") :]
    github, github_run, gitlab = (
        yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", section, re.S)
    )
    grade = github["jobs"]["grade"]
    shards = grade["strategy"]["matrix"]["shard"]
    count = len(shards)
    assert shards == list(range(1, count + 1))
    values = {"shard": "1", "CI_NODE_INDEX": "1", "CI_NODE_TOTAL": str(count)}

    steps = [*grade["steps"], *github_run, *github["jobs"]["merge"]["steps"]]
    found = [c for step in steps for c in commands(step.get("run", ""), values)]
    graded = [c for c in found if c[0] != "merge"]
    merges = [c for c in found if c[0] == "merge"]
    assert [c[0] for c in graded] == ["batch", "run"] and len(merges) == 2
    assert all(c[c.index("--shard") + 1] == f"1/{count}" for c in graded)
    assert all(c[1 : 1 + count] == [f"shard-{i}" for i in shards] for c in merges)

    assert gitlab["grade"]["parallel"] == count and gitlab["merge"]["needs"] == ["grade"]
    lab = [
        c for job in ("grade", "merge") for c in commands("\n".join(gitlab[job]["script"]), values)
    ]
    assert lab[0][lab[0].index("--shard") + 1] == f"1/{count}"
    for argv in [*graded, *merges, *lab]:
        parses(argv)
