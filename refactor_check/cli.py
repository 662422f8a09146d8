"""The command line: parse, call the pipeline, map outcomes to the contract's exit codes.

0  behaviour preserved
1  behaviour changed, or the submission broke the rules
2  bad invocation or bad input the candidate is not to blame for (one line on stderr)
3  refactor-check itself failed (report.json still says so when it can be written)
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__, pipeline, reports
from .errors import BadInputError, ToolFailure
from .isolation import SANDBOX_ENV, SANDBOX_MODES
from .reports import terminal

EXIT_PRESERVED, EXIT_CHANGED, EXIT_BAD_INPUT, EXIT_TOOL_FAILURE = 0, 1, 2, 3
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="refactor-check")
def cli() -> None:
    """Grade a "refactor without changing behaviour" take-home submission."""


@cli.command(epilog=_RUN_EXAMPLES)
@click.argument("candidate_dir", type=click.Path(path_type=Path))
@click.option("--golden", type=click.Path(path_type=Path), help="A golden repo directory.")
@click.option("--exercise", "exercise_name", help="A built-in exercise under golden_repos/.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("refactor-check-report"),
    show_default=True,
    help="Where report.json and the human reports are written.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1.0),
    help="Wall-clock seconds for one test suite run (default: the exercise's setting).",
)
@click.option(
    "--sandbox",
    type=click.Choice(SANDBOX_MODES),
    default="auto",
    envvar=SANDBOX_ENV,
    show_default=True,
    help="auto: bwrap when it works here, else rlimits only; bwrap: insist; none: rlimits only.",
)
@click.option("--no-mutation", is_flag=True, help="Skip mutation testing (the slowest stage).")
@click.option(
    "--mutation-profile",
    help="A profile from mutation_configs/ (default: the exercise's choice, else 'default').",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Parallel mutant workers (default: one per core).",
)
@click.option("--keep-workspace", is_flag=True, help="Keep the temporary workspace (debugging).")
@click.option("--no-cache", is_flag=True, help="Recompute cached data about the exercise.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the verdict line.")
def run(
    candidate_dir: Path,
    golden: Path | None,
    exercise_name: str | None,
    out: Path,
    timeout: float | None,
    sandbox: str,
    no_mutation: bool,
    mutation_profile: str | None,
    jobs: int | None,
    keep_workspace: bool,
    no_cache: bool,
    quiet: bool,
) -> None:
    """Grade the submission in CANDIDATE_DIR against an exercise's golden repo."""
    _refuse_out_inside(out, candidate_dir)
    options = pipeline.Options(
        golden=golden,
        exercise=exercise_name,
        timeout=timeout,
        sandbox=sandbox,
        mutation=not no_mutation,
        mutation_profile=mutation_profile,
        jobs=jobs,
        keep_workspace=keep_workspace,
        use_cache=not no_cache,
    )
    report = pipeline.grade(candidate_dir, options)
    try:
        written = reports.write_all(report, out)
    except OSError as exc:
        raise BadInputError(f"cannot write reports to {out}: {exc.strerror or exc}") from None
    if quiet:
        click.echo(f"verdict: {report.verdict.verdict}")
    else:
        terminal.echo(report, written)
    sys.exit(_EXIT_BY_VERDICT[report.verdict.verdict])


def _refuse_out_inside(out: Path, candidate_dir: Path) -> None:
    if not candidate_dir.is_dir():
        return  # the pipeline reports the missing directory
    out_abs, candidate_abs = out.resolve(), candidate_dir.resolve()
    if out_abs == candidate_abs or candidate_abs in out_abs.parents:
        raise BadInputError(
            f"--out {out} is inside the submission directory, which is never written to; "
            "pass --out a directory outside it"
        )


def main(argv: list[str] | None = None) -> None:
    """Entry point: every way out is an exit code; bad input is one line, never a traceback."""
    try:
        cli.main(args=argv, prog_name="refactor-check", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
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
    except KeyboardInterrupt:
        click.echo("refactor-check: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        click.echo(f"refactor-check: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_TOOL_FAILURE)
