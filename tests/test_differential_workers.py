"""Differential testing's processes, for real: the runner's long-lived workers, the worker
script under both sandbox modes, and the recorder on a golden repo."""

from __future__ import annotations

import json
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from refactor_check import exercise, isolation, sources, workspace
from refactor_check.cache import Cache
from refactor_check.differential import compare, recording, rendering, surface
from refactor_check.differential.program import CALL, METHOD, NEW, Program, Step
from refactor_check.differential.workers import CANDIDATE, Trio
from refactor_check.errors import BadInputError
from refactor_check.limits import Limits
from refactor_check.runner import Ending, Runner, WorkerError

from .conftest import FIXTURES, write_files

LIMITS = Limits(wall_seconds=60, stall_seconds=5, memory_mb=1024, output_mb=4)


@pytest.fixture(params=["none", "bwrap"])
def sandbox(request: pytest.FixtureRequest) -> isolation.Sandbox:
    try:
        return isolation.probe(request.param)
    except BadInputError as exc:  # no bwrap here; CI installs it, so CI runs both
        pytest.skip(str(exc))


@pytest.fixture
def ws() -> Iterator[workspace.Workspace]:
    with workspace.prepare() as created:
        yield created


# -- the runner's worker API ----------------------------------------------------------------

ECHO = """
import json, os, sys, time
args = sys.argv[1:]
channel = int(args[args.index("--channel-fd") + 1])
requests = os.fdopen(int(args[args.index("--request-fd") + 1]), "r")
for line in requests:
    request = json.loads(line)
    if request.get("sleep"):
        time.sleep(request["sleep"])
    if request.get("exit") is not None:
        os._exit(request["exit"])
    if request.get("flood"):
        os.write(channel, b"x" * request["flood"])
    answer = {"echo": request, "seed": os.environ.get("PYTHONHASHSEED"),
              "pytest_env": sorted(k for k in os.environ if k.startswith("PYTEST"))}
    os.write(channel, (json.dumps(answer) + "\\n").encode())
"""


@pytest.fixture
def echo_worker(tmp_path: Path, sandbox: isolation.Sandbox, ws: workspace.Workspace):
    script = tmp_path / "echo.py"
    script.write_text(textwrap.dedent(ECHO))
    package = sources.load_package(write_files(tmp_path / "src", {"toy.py": "X = 1\n"}), "toy")
    assert package is not None
    started = []

    def start(**env: str | None):
        run = ws.new_run("echo", package, None)
        worker = Runner(limits=LIMITS, sandbox=sandbox).start_worker(script, [], run, env=env)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.close()


def test_a_worker_answers_each_request_with_the_environment_it_was_given(echo_worker) -> None:
    worker = echo_worker(PYTHONHASHSEED="1", PYTEST_DISABLE_PLUGIN_AUTOLOAD=None)
    for n in range(3):
        answer = json.loads(worker.request(json.dumps({"n": n}), timeout=10))
        assert answer["echo"] == {"n": n}
    assert answer["seed"] == "1" and answer["pytest_env"] == []
    assert worker.alive


def test_a_silent_worker_is_killed_at_the_timeout(echo_worker) -> None:
    worker = echo_worker()
    started = time.monotonic()
    with pytest.raises(WorkerError) as info:
        worker.request(json.dumps({"sleep": 60}), timeout=1.0)
    assert info.value.ending is Ending.STALLED and time.monotonic() - started < 8
    assert not worker.alive
    with pytest.raises(WorkerError):
        worker.request("{}", timeout=1.0)


def test_a_worker_that_exits_or_floods_is_reported(echo_worker) -> None:
    exits = echo_worker()
    with pytest.raises(WorkerError, match="exited with code 3") as info:
        exits.request(json.dumps({"exit": 3}), timeout=10)
    assert info.value.ending is Ending.EXITED
    floods = echo_worker()
    with pytest.raises(WorkerError) as flood:
        floods.request(json.dumps({"flood": 20 * 1024 * 1024}), timeout=30)
    assert flood.value.ending is Ending.CHANNEL_FLOOD


# -- the worker script ----------------------------------------------------------------------

MODULE = """
import logging, os, sys, time, warnings

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
log = logging.getLogger("pkg")
COUNT = 0

def bump():
    global COUNT
    COUNT += 1
    return COUNT

def chatty(n):
    print("to stdout", n)
    sys.stderr.write("to stderr\\n")
    log.info("logged %s", n)
    warnings.warn("careful")
    return n

def hang():
    while True:
        pass

def die():
    os._exit(3)

def fill(target, value=None):
    target.append(value)
    return target

class Box:
    LIMIT = 3
    def __init__(self, size=1):
        self.size = size
    def grow(self, by=1):
        self.size += by
        return self.size
"""


@pytest.fixture
def trio_for(tmp_path: Path, sandbox: isolation.Sandbox, ws: workspace.Workspace):
    """A started trio on packages made from source texts (the candidate's defaults to the
    original's)."""
    trios: list[Trio] = []
    counter = iter(range(100))

    def make(original: str, candidate: str | None = None) -> tuple[Trio, dict[str, str]]:
        n = next(counter)
        packages = []
        for side, text in (("original", original), ("candidate", candidate or original)):
            root = write_files(tmp_path / f"{side}{n}", {"pkg.py": text})
            package = sources.load_package(root, "pkg")
            assert package is not None
            packages.append(package)
        runner = Runner(limits=LIMITS, sandbox=sandbox)
        trio = Trio(runner, ws, packages[0], packages[1], lifetime_seconds=120)
        trios.append(trio)
        return trio, trio.start()

    yield make
    for trio in trios:
        trio.close()


def _run(trio: Trio, program: Program, timeout: float = 5.0) -> list[dict[str, Any]]:
    answers = trio.request({"op": "run", "steps": program.request(), "timeout": timeout}, timeout)
    assert all(a is not None for a in answers)
    return answers  # type: ignore[return-value]


def _returned(answer: dict[str, Any]) -> list[Any]:
    return [step.get("value") for step in answer["steps"]]


def test_every_program_starts_from_the_state_right_after_import(trio_for) -> None:
    trio, problems = trio_for(MODULE)
    assert problems == {}
    twice = Program((Step(CALL, "pkg.bump"), Step(CALL, "pkg.bump")))
    for _ in range(2):  # module globals never leak from one program into the next
        assert _returned(_run(trio, twice)[0]) == [["int", "1"], ["int", "2"]]


def test_a_hang_or_a_crash_ends_the_call_but_not_the_worker(trio_for) -> None:
    trio, _ = trio_for(MODULE)
    started = time.monotonic()
    hung = _run(trio, Program((Step(CALL, "pkg.bump"), Step(CALL, "pkg.hang"))), timeout=1.0)[0]
    assert hung["status"] == "timeout" and len(hung["steps"]) == 1
    assert time.monotonic() - started < 6
    died = _run(trio, Program((Step(CALL, "pkg.die"),)))[0]
    assert died["status"] == "crashed" and "exited with code 3" in died["detail"]
    assert _returned(_run(trio, Program((Step(CALL, "pkg.bump"),)))[0]) == [["int", "1"]]


def test_output_arguments_and_receivers_are_observed_per_call(trio_for) -> None:
    trio, _ = trio_for(MODULE)
    program = Program(
        (
            Step(CALL, "pkg.chatty", (["int", "7"],)),
            Step(CALL, "pkg.fill", (["list", []],), (("value", ["str", "x"]),)),
            Step(NEW, "pkg.Box", (["int", "2"],)),
            Step(METHOD, "pkg.Box.grow", (), (("by", ["int", "3"]),), receiver=2),
        )
    )
    steps = _run(trio, program)[0]["steps"]
    chatty, fill, box, grow = steps
    assert chatty["stdout"] == ["str", "to stdout 7\n"]
    assert chatty["stderr"] == ["str", "to stderr\nINFO logged 7\n"]
    assert chatty["warnings"] == [["UserWarning", "careful"]]  # by kind, not by file and line
    assert fill["args"] == [["list", [["str", "x"]]]] and fill["identity"] == "args[0]"
    assert box["value"] == ["object", "pkg.Box", [["LIMIT", ["int", "3"]], ["size", ["int", "2"]]]]
    assert grow["value"] == ["int", "5"] and grow["receiver"][2][1] == ["size", ["int", "5"]]


def test_digests_agree_exactly_when_the_observations_do(trio_for) -> None:
    trio, _ = trio_for(MODULE, MODULE.replace("COUNT += 1", "COUNT += 2"))
    program = Program((Step(CALL, "pkg.chatty", (["int", "1"],)), Step(CALL, "pkg.bump")))
    request = {"op": "run", "steps": program.request(), "timeout": 5, "digest": True}
    answers = trio.request(request, 5)
    digests = [[step["digest"] for step in a["steps"]] for a in answers]
    assert digests[0] == digests[1]  # the original twice
    assert digests[0][0] == digests[2][0] and digests[0][1] != digests[2][1]
    assert not compare.same_digests(answers, 2)


def test_digests_cover_the_attributes_the_original_shows(trio_for) -> None:
    """A candidate may add public attributes: once the original's are known, the digests
    cover only them, so an added attribute settles by digest, and a changed one does not."""
    added = MODULE.replace("    LIMIT = 3\n", "    LIMIT = 3\n    UNIT = 'cm'\n")
    changed = MODULE.replace("LIMIT = 3", "LIMIT = 4")
    program = Program(
        (Step(NEW, "pkg.Box", (["int", "2"],)), Step(METHOD, "pkg.Box.grow", receiver=0))
    )
    kept = compare.KeptAttributes()

    def digests(candidate: str) -> tuple[bool, bool]:
        trio, _ = trio_for(MODULE, candidate)
        request = {"op": "run", "steps": program.request(), "timeout": 5, "digest": True}
        answers = trio.request({**request, "keep": kept.request()}, 5)
        return kept.learn(answers[0]), compare.same_digests([answers[0], answers[2]], 2)

    # Nothing known yet: the original names its attributes, and the program goes in full.
    assert digests(added) == (True, False)
    assert kept.request() == {"pkg.Box": ["LIMIT", "size"]}
    assert digests(added) == (False, True)
    assert digests(changed) == (False, False)
    # An attribute of the original not yet known is named again, never digested away.
    grown = MODULE.replace(
        "        self.size = size\n", "        self.size = size\n        self.tag = 't'\n"
    )
    trio, _ = trio_for(grown)
    request = {"op": "run", "steps": program.request(), "timeout": 5, "digest": True}
    answer = trio.request({**request, "keep": kept.request()}, 5)[0]
    assert answer["steps"][0]["extras"] == ["pkg.Box.tag"]
    assert kept.learn(answer) and "tag" in kept.request()["pkg.Box"]


def test_kept_attributes_ignore_what_is_not_an_attribute_name() -> None:
    kept = compare.KeptAttributes()
    for answer in (None, {"steps": "x"}, {"steps": [{"extras": ["nodot", ".x", "C.", 3]}]}):
        assert not kept.learn(answer)
    assert kept.request() == {}


def test_describe_reports_what_the_running_code_has(trio_for) -> None:
    trio, _ = trio_for(MODULE, MODULE.replace("def fill(target, value=None):", "def fill(target):"))
    paths = ["pkg.fill", "pkg.Box", "pkg.Box.grow", "pkg.Box.__eq__", "pkg.COUNT", "pkg.nothing"]
    original, _, candidate = trio.describe(paths, timeout=10)
    assert original["pkg.fill"]["signature"] == [
        ["target", "positional_or_keyword", False, None, None],
        ["value", "positional_or_keyword", True, ["none"], None],
    ]
    assert len(candidate["pkg.fill"]["signature"]) == 1
    assert original["pkg.Box.grow"]["method"] is True
    assert original["pkg.Box.__eq__"]["inherited_from_builtins"] is True
    assert original["pkg.COUNT"] == {"exists": True, "kind": "value", "value": ["int", "0"]}
    assert original["pkg.nothing"] == {"exists": False}


def test_a_package_that_cannot_be_imported_is_reported_not_compared(trio_for) -> None:
    _, problems = trio_for(MODULE, "raise RuntimeError('boom at import')\n")
    assert list(problems) == [CANDIDATE]
    assert "RuntimeError: boom at import" in problems[CANDIDATE]


def test_the_originals_second_run_has_another_hash_seed(trio_for) -> None:
    trio, _ = trio_for(
        "def order():\n    return list({'alpha', 'beta', 'gamma', 'delta', 'eps'})\n"
    )
    answers = _run(trio, Program((Step(CALL, "pkg.order"),)))
    original, again, candidate = (_returned(a)[0] for a in answers)
    assert original == candidate  # the same seed, the same set order
    assert original != again  # set order depends on the seed: the search excludes it


# -- the recorder ---------------------------------------------------------------------------


def test_the_recorder_streams_what_the_golden_tests_call(
    ws: workspace.Workspace, tmp_path: Path
) -> None:
    golden = exercise.load(FIXTURES / "diff_shop")
    original = sources.load_package(golden.original, golden.package)
    assert original is not None
    public = surface.read(surface.load_tree(golden.original, golden.package))
    runner = Runner(limits=golden.limits, sandbox=isolation.probe("auto"))
    cache = Cache(tmp_path / "cache")
    recorded = recording.record(runner, ws, golden, original, public, 60, cache)
    assert recorded.note is None and not recorded.cached
    tests = {p.origin.removeprefix("recorded: ") for p in recorded.programs}
    assert "tests/test_shop.py::test_cart" in tests and len(tests) == 10
    cart = next(p for p in recorded.programs if p.origin.endswith("test_cart"))
    assert rendering.render(cart).splitlines()[:2] == [
        "cart = shop.Cart('ann')",
        "cart.add('pen', 2)",
    ]
    targets = {s.target for s in recorded.samples}
    # line_total calls bulk_discount and round_price itself: those calls are samples too.
    assert {"shop.bulk_discount", "shop.round_price", "shop.Cart.add"} <= targets
    assert [lineage.index for lineage in recorded.lineages["shop.Cart"]] == [0]
    negative = next(
        s
        for s in recorded.samples
        if s.target == "shop.Cart.add" and s.args[1:] == (["int", "-1"],)
    )
    assert recording.sample_key(negative) in recorded.raising
    again = recording.record(runner, ws, golden, original, public, 60, cache)
    assert again.cached and again.programs == recorded.programs


def test_the_recorder_leaves_iterator_arguments_to_the_call(
    ws: workspace.Workspace, tmp_path: Path
) -> None:
    # Encoding an argument before the call must not consume it: the test would then fail
    # under the recorder, and the recording would lie about what the call received.
    golden = write_files(
        tmp_path / "golden",
        {
            "exercise.toml": '[exercise]\nname = "sums"\npackage = "sums"\n',
            "original/sums.py": "def total(numbers):\n    return sum(numbers)\n",
            "tests/test_sums.py": """
                import sums

                def test_any_iterable():
                    assert sums.total(iter([1, 2, 3])) == 6
                    assert sums.total(n for n in (4, 5)) == 9
                """,
        },
    )
    loaded = exercise.load(golden)
    original = sources.load_package(loaded.original, loaded.package)
    assert original is not None
    public = surface.read(surface.load_tree(loaded.original, loaded.package))
    runner = Runner(limits=loaded.limits, sandbox=isolation.probe("none"))
    recorded = recording.record(runner, ws, loaded, original, public, 60, Cache(None))
    assert recorded.note is None
    (program,) = recorded.programs
    assert rendering.render(program) == "sums.total(iter([1, 2, 3]))\nsums.total(iter([4, 5]))"
