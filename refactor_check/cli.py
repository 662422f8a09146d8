"""The command line: parse, call the pipeline, map outcomes to the contract's exit codes.

0  behaviour preserved
1  behaviour changed, or the submission broke the rules
2  bad invocation or bad input the candidate is not to blame for (one line on stderr)
3  refactor-check itself failed (report.json still says so when it can be written)
"""

from __future__ import annotations

import functools
import inspect
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import click

from . import __version__, level_gate, merge, outlock, pipeline, reports
from . import repro as repro_script
from .authoring import scaffold, shipped_probes, starter, summary, validate
from .batch import cohort_json, cohort_text
from .batch import gates as batch_gates
from .batch import grade as batch_grade
from .batch import rows as batch_rows
from .errors import BadInputError, ToolFailure
from .history import as_json as history_json
from .isolation import SANDBOX_ENV, SANDBOX_MODES
from .report import Report
from .reports import history_text, json_report, partial_report, show, terminal
from .sharding import Shard

EXIT_PRESERVED, EXIT_CHANGED, EXIT_BAD_INPUT, EXIT_TOOL_FAILURE = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C
_EXIT_BY_VERDICT = {
    "preserved": EXIT_PRESERVED,
    "changed": EXIT_CHANGED,
    "error": EXIT_TOOL_FAILURE,
}

_RUN_EXAMPLES = """
\b
Examples:
  refactor-check run examples/invoice/clean_refactor
  refactor-check run submission/ --exercise invoice --out /tmp/report
  refactor-check run submission/ --golden path/to/golden_repo
"""


class _ShardType(click.ParamType):  # type: ignore[type-arg]
    name = "I/N"

    def convert(self, value: object, param: object, ctx: object) -> Shard:
        if isinstance(value, Shard):
            return value
        try:
            return Shard.parse(str(value))
        except BadInputError as exc:
            self.fail(str(exc))


_SHARD = _ShardType()

_Decorator = Callable[[Callable[..., None]], Callable[..., None]]


def _together(*options: _Decorator) -> _Decorator:
    """The options as one decorator, declared in the order given (the order --help lists)."""

    def declare(command: Callable[..., None]) -> Callable[..., None]:
        for option in reversed(options):
            command = option(command)
        return command

    return declare


def _collected(keyword: str, build: Callable[..., object]) -> _Decorator:
    """Hands the command, as the one keyword argument ``keyword``, what ``build`` makes of
    the values its parameters name: commands that share a group of options then read it in
    one place, and cannot drift."""
    names = tuple(inspect.signature(build).parameters)

    def collect(function: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(function)
        def command(*args: Any, **kwargs: Any) -> None:
            values = {name: kwargs.pop(name) for name in names}
            function(*args, **{keyword: build(**values)}, **kwargs)

        return command

    return collect


def _grouped(keyword: str, build: Callable[..., object], *options: _Decorator) -> _Decorator:
    """The options, declared together and handed to the command as ``keyword``."""
    return _together(_collected(keyword, build), *options)


@dataclass(frozen=True)
class _OptionGroup:
    """Options that travel together, named as ``pipeline.Options`` and ``batch.grade.BatchOptions``
    name them."""

    def as_options(self) -> dict[str, Any]:
        """Keyword arguments for the options dataclasses (fields as they are, not copied)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


# Options of every command that grades, declared once.
_GOLDEN = click.option("--golden", type=click.Path(path_type=Path), help="A golden repo directory.")
_EXERCISE = click.option("--exercise", help="A built-in exercise under golden_repos/.")
_TIMEOUT = click.option(
    "--timeout",
    type=click.FloatRange(min=1.0),
    help="Wall-clock seconds for one test suite run (default: the exercise's setting).",
)
_SANDBOX = click.option(
    "--sandbox",
    type=click.Choice(SANDBOX_MODES),
    default="auto",
    envvar=SANDBOX_ENV,
    show_default=True,
    help="auto: bwrap when it works here, else rlimits only; bwrap: insist; none: rlimits only.",
)
_NO_MUTATION = click.option(
    "--no-mutation", is_flag=True, help="Skip mutation testing (the slowest stage)."
)
_MUTATION_PROFILE = click.option(
    "--mutation-profile",
    help="A profile from mutation_configs/ (default: the exercise's choice, else 'default').",
)
_NO_DIFFERENTIAL = click.option(
    "--no-differential",
    is_flag=True,
    help="Skip differential testing (original and candidate compared call by call).",
)
_SEED = click.option(
    "--seed",
    type=int,
    help="Seed of differential testing's generated inputs (default: the exercise's, else 0).",
)
_DIFFERENTIAL_EXAMPLES = click.option(
    "--differential-examples",
    type=click.IntRange(min=0),
    help="Random programs per public function or class (default: the exercise's, else 50).",
)
_DIFFERENTIAL_SECONDS = click.option(
    "--differential-seconds",
    type=click.FloatRange(min=1.0),
    help="Wall-clock ceiling of differential testing, a safety limit that says when it cuts "
    "(its budgets are counts; default: the exercise's, else 600).",
)


_NO_HISTORY = click.option(
    "--no-history",
    is_flag=True,
    help="Do not read the submission's git history (commit by commit checks).",
)


@dataclass(frozen=True)
class _HistoryRange(_OptionGroup):
    """Which history is read, from where, and how much of it."""

    history_repository: Path | None
    since: str | None
    history_commits: int


_history_options = _grouped(
    "history_range",
    _HistoryRange,
    click.option(
        "--history",
        "history_repository",
        type=click.Path(path_type=Path),
        help="The git repository holding the submission's history, when it is not "
        "CANDIDATE_DIR itself (CANDIDATE_DIR may lie inside it).",
    ),
    click.option(
        "--since",
        metavar="REF",
        help="The starter commit (default: the first commit whose package is the "
        "exercise's original).",
    ),
    click.option(
        "--history-commits",
        type=click.IntRange(min=1, max=500),
        default=50,
        show_default=True,
        help="Commits after the starter that are checked; later ones are listed only.",
    ),
)


def _gates(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> tuple[level_gate.Gate, ...] | None:
    """Parsed before anything runs; None when none was given (the exercise's [ci] then)."""
    if not values:
        return None
    return level_gate.parse_all(values)  # a bad gate: one BadInputError line, exit 2


_FAIL_UNDER_LEVEL = click.option(
    "--fail-under-level",
    "fail_under_level",
    multiple=True,
    metavar="DIMENSION=LEVEL",
    callback=_gates,
    help="Exit 1 when the scorecard's level on DIMENSION (verification, stewardship) is below "
    "LEVEL (1-4), or was not measured; for a batch, any graded submission's. Repeatable. "
    "Default: the exercise's [ci] fail_under_level table.",
)


def _format_option(choices: str) -> _Decorator:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=f"What goes to stdout: {choices}.",
    )


def _out_option(default: str, what: str) -> _Decorator:
    return click.option(
        "--out",
        type=click.Path(path_type=Path),
        default=Path(default),
        show_default=True,
        help=what,
    )


@dataclass(frozen=True)
class _RunSetup(_OptionGroup):
    """Which exercise the submission is run against, and how its code runs: what every
    command that runs it is told."""

    golden: Path | None
    exercise: str | None
    timeout: float | None
    sandbox: str


@dataclass(frozen=True)
class _Grading(_OptionGroup):
    """What every command that grades is told, by the names ``pipeline.Options`` and
    ``batch.grade.BatchOptions`` give it: one declaration, so ``run`` and ``batch`` cannot drift."""

    golden: Path | None
    exercise: str | None
    timeout: float | None
    sandbox: str
    mutation: bool
    mutation_profile: str | None
    differential: bool
    history: bool
    seed: int | None
    differential_examples: int | None
    differential_seconds: float | None
    gates: tuple[level_gate.Gate, ...] | None

    @classmethod
    def from_command_line(
        cls,
        run_setup: _RunSetup,
        no_mutation: bool,
        mutation_profile: str | None,
        no_differential: bool,
        no_history: bool,
        seed: int | None,
        differential_examples: int | None,
        differential_seconds: float | None,
        fail_under_level: tuple[level_gate.Gate, ...] | None,
    ) -> _Grading:
        return cls(
            **run_setup.as_options(),
            mutation=not no_mutation,
            mutation_profile=mutation_profile,
            differential=not no_differential,
            history=not no_history,
            seed=seed,
            differential_examples=differential_examples,
            differential_seconds=differential_seconds,
            gates=fail_under_level,
        )


# The options ``run`` and ``batch`` share, handed to the command as one ``grading`` (which
# holds the ``run_setup`` collected first).
_grading_options = _together(
    _collected("run_setup", _RunSetup),
    _collected("grading", _Grading.from_command_line),
    _GOLDEN,
    _EXERCISE,
    _TIMEOUT,
    _SANDBOX,
    _NO_MUTATION,
    _MUTATION_PROFILE,
    _NO_DIFFERENTIAL,
    _NO_HISTORY,
    _SEED,
    _DIFFERENTIAL_EXAMPLES,
    _DIFFERENTIAL_SECONDS,
    _FAIL_UNDER_LEVEL,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="refactor-check")
def cli() -> None:
    """Grade a "refactor without changing behaviour" take-home submission."""


@cli.command(epilog=_RUN_EXAMPLES)
@click.argument("candidate_dir", type=click.Path(path_type=Path))
@_grading_options
@_out_option("refactor-check-report", "Where report.json and the human reports are written.")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Parallel mutant workers (default: one per core).",
)
@click.option(
    "--shard",
    type=_SHARD,
    help="I/N: test only shard I of N of the mutants; 'refactor-check merge' joins the N.",
)
@click.option(
    "--fail-fast",
    is_flag=True,
    help="Stop as soon as behaviour has changed: exit 1 without the mutation scores.",
)
@_history_options
@click.option("--keep-workspace", is_flag=True, help="Keep the temporary workspace (debugging).")
@click.option("--no-cache", is_flag=True, help="Recompute cached data about the exercise.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the verdict line, no progress.")
@_format_option("a text summary, or report.json itself (progress goes to stderr)")
def run(
    candidate_dir: Path,
    grading: _Grading,
    out: Path,
    jobs: int | None,
    shard: Shard | None,
    fail_fast: bool,
    history_range: _HistoryRange,
    keep_workspace: bool,
    no_cache: bool,
    quiet: bool,
    output_format: str,
) -> None:
    """Grade the submission in CANDIDATE_DIR against an exercise's golden repo.

    \b
    Exit status:
      0  behaviour preserved (and every --fail-under-level gate reached)
      1  behaviour changed, the submission broke the rules, or a gate is not reached
      2  bad invocation or bad input (one line on stderr)
      3  refactor-check itself failed
    """
    if shard is not None and not grading.mutation:
        raise click.UsageError(
            "--shard splits the mutants between runs; with --no-mutation there is nothing to "
            "shard: drop one of them"
        )
    _refuse_out_inside(out, candidate_dir)
    options = pipeline.Options(
        **grading.as_options(),
        **history_range.as_options(),
        jobs=jobs,
        keep_workspace=keep_workspace,
        use_cache=not no_cache,
        shard=shard,
        fail_fast=fail_fast,
    )
    stream = sys.stderr if output_format == "json" else sys.stdout
    # Held from before grading: a second run into the same --out fails at once, not at the end.
    with outlock.exclusive(out):
        with terminal.progress(quiet, stream) as progress:
            announce = partial_report.announcer(out, progress, fail_fast)
            report = pipeline.check(candidate_dir, options, progress, announce)
        try:
            written = reports.write_all(report, out)
        except OSError as exc:
            raise BadInputError(f"cannot write reports to {out}: {exc.strerror or exc}") from None
    if output_format == "json":
        click.echo(json_report.render(report), nl=False)
    elif quiet:
        click.echo(f"verdict: {report.verdict.verdict}")
        for failure in report.gates_below() or ():
            click.echo(f"below gate: {failure}")
    else:
        terminal.echo(report, written)
    sys.exit(_run_exit(report))


def _run_exit(report: Report) -> int:
    """The verdict's exit status; a preserved run below a gate exits 1, as diff-cover does."""
    code = _EXIT_BY_VERDICT[report.verdict.verdict]
    if code == EXIT_PRESERVED and report.gates_below():
        return EXIT_CHANGED
    return code


def _refuse_out_inside(out: Path, candidate_dir: Path) -> None:
    if not candidate_dir.is_dir():
        return  # the pipeline reports the missing directory
    out_abs, candidate_abs = out.resolve(), candidate_dir.resolve()
    if out_abs == candidate_abs or candidate_abs in out_abs.parents:
        raise BadInputError(
            f"--out {out} is inside the submission directory, which is never written to; "
            "pass --out a directory outside it"
        )


_BATCH_EXAMPLES = """
\b
Examples:
  refactor-check batch cohort/ --exercise invoice --out cohort-report --jobs 2
  refactor-check batch cohort/ --golden path/to/golden_repo --no-mutation
  refactor-check batch cohort/ --exercise invoice --shard 2/4 --out shard-2
  refactor-check batch cohort/ --exercise invoice --fail-under-level verification=3
  refactor-check batch cohort/ --exercise invoice --format json > cohort.json
"""


@cli.command("batch", epilog=_BATCH_EXAMPLES)
@click.argument("submissions_dir", type=click.Path(path_type=Path))
@_grading_options
@_out_option(
    "refactor-check-batch",
    "Where cohort.csv, cohort.html, cohort.json and each candidate's reports (OUT/<name>/) go.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Submissions graded at a time, each in its own process (default: one per core).",
)
@click.option("--shard", type=_SHARD, help="I/N: grade only shard I of N of the submissions.")
@click.option(
    "--grading-timeout",
    type=click.FloatRange(min=1.0),
    help="Wall-clock seconds for one submission's whole grading before it is stopped "
    "(default: from the exercise's and the mutation profile's limits).",
)
@_format_option(
    "the cohort table as text, or cohort.json itself (progress and the table then go to stderr)"
)
def batch_command(
    submissions_dir: Path,
    grading: _Grading,
    out: Path,
    jobs: int | None,
    shard: Shard | None,
    grading_timeout: float | None,
    output_format: str,
) -> None:
    """Grade every submission folder in SUBMISSIONS_DIR into one cohort table.

    Each immediate subfolder is one candidate, named by its folder. A submission graded
    before, under the same content, exercise and settings, is not graded again.

    \b
    Exit status:
      0  every submission was graded (whatever the verdicts) and none is below a gate
      1  a graded submission is below a --fail-under-level gate
      2  bad input (it wins over 1 and 3)
      3  refactor-check failed on some submission (it wins over 1)
    """
    options = batch_grade.BatchOptions(
        submissions=submissions_dir,
        out=out,
        **grading.as_options(),
        jobs=jobs,
        shard=shard,
        grading_timeout=grading_timeout,
    )
    as_json = output_format == "json"
    result = batch_grade.grade_all(options, lambda line: click.echo(line, err=as_json))
    below = batch_gates.below(result.rows, result.gates)
    _echo_cohort(result.rows, result.written, result.gates, below, err=as_json)
    if as_json:
        document = next(p for p in result.written if p.name == cohort_json.FILENAME)
        click.echo(document.read_text(encoding="utf-8"), nl=False)
    sys.exit(_batch_exit(result.rows, below))


_HISTORY_EXAMPLES = """
\b
Examples:
  refactor-check history submission/
  refactor-check history submission/ --since starter-tag --format json
  refactor-check history checkout/sub/ --history checkout/ --exercise invoice
"""


@cli.command("history", epilog=_HISTORY_EXAMPLES)
@click.argument("candidate_dir", type=click.Path(path_type=Path))
@_collected("run_setup", _RunSetup)
@_GOLDEN
@_EXERCISE
@_history_options
@_SANDBOX
@_TIMEOUT
@_SEED
@click.option("--no-cache", is_flag=True, help="Recheck commits already checked.")
@_format_option("the timeline as text, or the report's history block as JSON")
def history_command(
    candidate_dir: Path,
    run_setup: _RunSetup,
    history_range: _HistoryRange,
    seed: int | None,
    no_cache: bool,
    output_format: str,
) -> None:
    """Print the submission's git history, commit by commit: what each commit touched, the
    golden suite and their own tests at it, the recorded calls replayed, and the facts
    (pinned first, green steps, breaks, the largest change). No mutation testing.

    \b
    Exit status:
      0  printed (also when the submission has no history: it says why)
      2  bad invocation or bad input (one line on stderr)
      3  refactor-check itself failed
    """
    options = pipeline.Options(
        **run_setup.as_options(),
        **history_range.as_options(),
        seed=seed,
        use_cache=not no_cache,
    )
    with terminal.progress(False, sys.stderr) as progress:
        traced = pipeline.trace(candidate_dir, options, progress)
    if output_format == "json":
        click.echo(json.dumps(history_json.to_dict(traced.history), indent=2))
    else:
        for line in history_text.render(traced.history):
            click.echo(line)


@cli.command("merge")
@click.argument("shard_dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out", type=click.Path(path_type=Path), required=True, help="Where the joined output goes."
)
def merge_command(shard_dirs: tuple[Path, ...], out: Path) -> None:
    """Join the --out directories of all N shards ('run --shard' or 'batch --shard') into one.

    A joined run's report.json is the one an unsharded run writes (but for timing), and the
    exit status is the run's; a joined batch exits as a batch does.
    """
    with outlock.exclusive(out):
        merged = merge.merge(list(shard_dirs), out)
    if merged.report is not None:
        terminal.echo(merged.report, list(merged.written))
        sys.exit(_run_exit(merged.report))
    _echo_cohort(merged.cohort, merged.written)
    sys.exit(_batch_exit(merged.cohort))


_SHOW_EXAMPLES = """
\b
Examples:
  refactor-check show refactor-check-report
  refactor-check show refactor-check-report --finding 1
  refactor-check show refactor-check-report --mutant billing.invoice.x_compute_total__mutmut_62
  refactor-check show refactor-check-report --finding 1 --repro-out repro.py
"""


@cli.command("show", epilog=_SHOW_EXAMPLES)
@click.argument("report_dir", type=click.Path(path_type=Path))
@click.option(
    "--finding", "number", type=int, metavar="N", help="Show finding N (1-based, as listed)."
)
@click.option("--mutant", "mutant_key", metavar="KEY", help="Show mutant KEY of the scores.")
@click.option(
    "--repro",
    is_flag=True,
    help="With --finding N, a differential counterexample: print a Python script that runs it "
    "on the original and the candidate (the candidate's code unsandboxed).",
)
@click.option(
    "--repro-out",
    type=click.Path(path_type=Path),
    help="Write the --repro script to this file rather than stdout (implies --repro).",
)
def show_command(
    report_dir: Path,
    number: int | None,
    mutant_key: str | None,
    repro: bool,
    repro_out: Path | None,
) -> None:
    """Print one finding or one mutant of the report in REPORT_DIR (a run's --out).

    Without --finding or --mutant: the findings, numbered, and the surviving mutants' keys.
    """
    if number is not None and mutant_key is not None:
        raise BadInputError("--finding and --mutant show one thing each: give one of them")
    if (repro or repro_out is not None) and number is None:
        raise BadInputError("--repro needs --finding N (a differential_mismatch finding)")
    report = show.load(report_dir)
    if (repro or repro_out is not None) and number is not None:
        text = repro_script.script(report, number, show.report_file(report_dir))
        if repro_out is None:
            click.echo(text, nl=False)
            return
        try:
            repro_out.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise BadInputError(f"cannot write {repro_out}: {exc.strerror or exc}") from None
        warning = "it runs the candidate's code unsandboxed"
        click.echo(f"wrote {repro_out} ({warning}): python3 {repro_out}")
        return
    if number is not None:
        show.echo(show.finding(report, number, report_dir))
    elif mutant_key is not None:
        show.echo(show.mutant(report, mutant_key))
    else:
        show.echo(show.overview(report, report_dir))


def _echo_cohort(
    rows: tuple[batch_rows.Row, ...],
    written: tuple[Path, ...],
    gates: tuple[level_gate.Gate, ...] = (),
    below: dict[str, list[level_gate.Failure]] | None = None,
    err: bool = False,
) -> None:
    for line in cohort_text.render(rows, written, gates, below):
        click.echo(line, err=err)


def _batch_exit(
    rows: tuple[batch_rows.Row, ...], below: dict[str, list[level_gate.Failure]] | None = None
) -> int:
    statuses = {r.status for r in rows}
    if batch_rows.BAD_INPUT in statuses:
        return EXIT_BAD_INPUT
    if batch_rows.FAILED in statuses:
        return EXIT_TOOL_FAILURE
    return EXIT_CHANGED if below else EXIT_PRESERVED


_EXERCISE_EXAMPLES = """
\b
Examples:
  refactor-check exercise new parking --dir golden_repos
  refactor-check exercise validate golden_repos/parking
  refactor-check exercise probes golden_repos/parking
  refactor-check exercise starter golden_repos/parking /tmp/parking-starter
"""


@cli.group("exercise", epilog=_EXERCISE_EXAMPLES)
def exercise_group() -> None:
    """Author exercises: scaffold a golden repo, check it is fit to hand out, export a starter."""


@exercise_group.command("new")
@click.argument("name")
@click.option(
    "--dir",
    "parent",
    type=click.Path(path_type=Path),
    default=Path("."),
    show_default=True,
    help="Where the golden repo NAME/ is created.",
)
@click.option("--package", help="The package's import name (default: NAME with '-' as '_').")
def exercise_new(name: str, parent: Path, package: str | None) -> None:
    """Scaffold the golden repo NAME: exercise.toml with every setting, original/, tests/."""
    root = scaffold.create(name, parent, package)
    click.echo(f"created {root}")
    click.echo(f"next: edit original/, tests/ and exercise.toml, then: {_VALIDATE} {root}")


_VALIDATE = "refactor-check exercise validate"


def _golden_scoring(
    mutation_profile: str | None, jobs: int | None, sandbox: str, no_cache: bool
) -> validate.Options:
    return validate.Options(
        mutation_profile=mutation_profile, jobs=jobs, sandbox=sandbox, use_cache=not no_cache
    )


# How an authoring command computes the golden suite's mutation score, handed to it as
# ``scoring`` (the validation's other settings at their defaults).
_golden_score_options = _grouped(
    "scoring",
    _golden_scoring,
    click.option("--mutation-profile", help="A profile from mutation_configs/."),
    click.option("--jobs", type=click.IntRange(min=1), help="Parallel mutant workers."),
    _SANDBOX,
    click.option("--no-cache", is_flag=True, help="Recompute the golden suite's mutation score."),
)
_GOLDEN_DIR = click.argument("golden_dir", type=click.Path(path_type=Path))
_QUIET_AUTHORING = click.option("-q", "--quiet", is_flag=True, help="No progress lines on stderr.")


@exercise_group.command("validate")
@_GOLDEN_DIR
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout.")
@click.option(
    "--repeats",
    type=click.IntRange(min=2),
    default=3,
    show_default=True,
    help="Runs of the golden suite in collection order (one more runs in reverse order).",
)
@click.option("--no-mutation", is_flag=True, help="Skip mutation adequacy (then never fit).")
@_golden_score_options
@_QUIET_AUTHORING
def exercise_validate(
    golden_dir: Path,
    as_json: bool,
    repeats: int,
    no_mutation: bool,
    scoring: validate.Options,
    quiet: bool,
) -> None:
    """Check the golden repo in GOLDEN_DIR; exit 0 only when it is fit to hand out, else 1."""
    options = replace(scoring, repeats=repeats, mutation=not no_mutation)
    with terminal.progress(quiet, sys.stderr) as progress:
        result = validate.validate(golden_dir, options, progress)
    if as_json:
        click.echo(summary.to_json(result), nl=False)
    else:
        click.echo("\n".join(summary.render(result)))
    sys.exit(EXIT_PRESERVED if result.fit else EXIT_CHANGED)


def _probe_budget(
    seconds_per_mutant: float, total_seconds: float, examples_per_mutant: int, fresh: bool
) -> shipped_probes.Budget:
    return shipped_probes.Budget(seconds_per_mutant, total_seconds, fresh, examples_per_mutant)


@exercise_group.command("probes")
@_GOLDEN_DIR
@_grouped(
    "budget",
    _probe_budget,
    click.option(
        "--seconds-per-mutant",
        type=click.FloatRange(min=0.1),
        default=shipped_probes.Budget.per_mutant,
        show_default=True,
        help="Ceiling of the search for one mutant the golden tests miss (its budget is a count).",
    ),
    click.option(
        "--total-seconds",
        type=click.FloatRange(min=1),
        default=shipped_probes.Budget.total,
        show_default=True,
        help="Ceiling of the search for all of them together.",
    ),
    click.option(
        "--examples-per-mutant",
        type=click.IntRange(min=0),
        default=shipped_probes.Budget.examples,
        show_default=True,
        help="Random programs per public function or class, for one mutant.",
    ),
    click.option("--fresh", is_flag=True, help="Search every mutant again, not only new ones."),
)
@_golden_score_options
@_QUIET_AUTHORING
def exercise_probes(
    golden_dir: Path, budget: shipped_probes.Budget, scoring: validate.Options, quiet: bool
) -> None:
    """Search inputs that tell the mutants GOLDEN_DIR's tests miss apart from the original,
    and ship them in the golden repo (differential_probes.json): every machine then grades
    with the same probes."""
    with validate.prepared(golden_dir, scoring) as setup, terminal.progress(quiet, sys.stderr) as p:
        written = shipped_probes.write(setup, budget, p)
    if written.path is None or written.report is None:
        click.echo("the golden tests leave no mutant alive: no probes to ship")
        return
    report = written.report
    probes = f"{report.probes} probes tell" if report.probes != 1 else "1 probe tells"
    click.echo(
        f"{written.path}: {probes} {len(report.told_apart)} of the {report.survivors} "
        f"mutants the golden tests miss apart from the original "
        f"({len(report.not_told_apart)} not told apart, {len(report.unsteady)} unsteady, "
        f"{len(report.not_run)} not run; {written.seconds:.0f} s)"
    )
    if report.not_searched:
        click.echo(
            f"note: {len(report.not_searched)} mutants not searched: --total-seconds ran out; "
            "run the command again to continue"
        )
    if report.cut_short:
        click.echo(
            f"note: {len(report.cut_short)} mutants' searches hit --seconds-per-mutant before "
            "their counted budget was spent: no verdict shipped for them; raise it and run again"
        )


@exercise_group.command("starter")
@_GOLDEN_DIR
@click.argument("out", type=click.Path(path_type=Path))
def exercise_starter(golden_dir: Path, out: Path) -> None:
    """Export the candidate's starter repo of GOLDEN_DIR into OUT (new or empty)."""
    repo = starter.export_dir(golden_dir, out)
    click.echo(f"starter repo written to {repo.root} ({len(repo.files)} files)")
    for note in repo.notes:
        click.echo(f"note: {note}")


def main(argv: list[str] | None = None) -> None:
    """Entry point: every way out is an exit code; bad input is one line, never a traceback."""
    try:
        cli.main(args=argv, prog_name="refactor-check", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort as exc:
        # click turns Ctrl-C into Abort (its cause is the KeyboardInterrupt): the shell's
        # convention for an interrupted command is 128 + SIGINT.
        if isinstance(exc.__cause__, KeyboardInterrupt):
            click.echo("refactor-check: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        click.echo("refactor-check: aborted", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except click.UsageError as exc:
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        click.echo(f"refactor-check: error: {exc.format_message()}{hint}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except BadInputError as exc:
        click.echo(f"refactor-check: error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except ToolFailure as exc:
        click.echo(f"refactor-check: internal error: {exc}", err=True)
        sys.exit(EXIT_TOOL_FAILURE)
    except KeyboardInterrupt:  # outside click's own handling (while parsing arguments)
        click.echo("refactor-check: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:
        click.echo(f"refactor-check: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_TOOL_FAILURE)
