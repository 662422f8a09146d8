"""Named mutation profiles (mutation_configs/<name>.toml) and per-exercise overrides.

A profile holds what a mutation run may vary. The defaults below are the meaning of each
setting; a profile file overrides them; an exercise's ``[mutation]`` table picks a profile
(``profile = "quick"``) and may override single settings; the command line comes last
(``--jobs``, ``--mutation-profile``).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from .. import _toml
from ..errors import BadInputError

DEFAULT_PROFILE = "default"


@dataclass(frozen=True)
class MutationProfile:
    name: str = DEFAULT_PROFILE
    # mutmut's per-mutant limit: (clean duration of the covering tests + constant) * multiplier.
    timeout_multiplier: float = 5.0
    timeout_constant: float = 1.0
    # Wall-clock seconds for one mutmut run; past it the remaining mutants are "not_checked".
    wall_seconds: float = 600.0
    # Parallel mutant workers; 0 means one per core.
    jobs: int = 0
    # Files (globs relative to each module of the code, see mutmut_run.unmutated_globs) and
    # source lines (regexes) to leave unmutated: generated tables, logging.
    do_not_mutate: tuple[str, ...] = ()
    do_not_mutate_patterns: tuple[str, ...] = ()
    # Score the candidate's tests against the original's mutants too (a third mutmut run):
    # the evidence that they pinned behaviour before changing it.
    own_tests_on_original: bool = True
    # `exercise validate` fails an exercise whose golden suite detects less of the original's
    # mutants than this. (The bars for the candidate's scores are the scorecard's levels.)
    golden_adequacy_target: float = 0.85

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1

    def fingerprint(self) -> dict[str, Any]:
        """What changes mutmut's verdicts (the cache key part); not jobs, not targets."""
        data = asdict(self)
        for key in (
            "name",
            "jobs",
            "golden_adequacy_target",
            "own_tests_on_original",
        ):
            data.pop(key)
        return data


_SETTINGS = frozenset(f.name for f in fields(MutationProfile)) - {"name"}
_LISTS = frozenset({"do_not_mutate", "do_not_mutate_patterns"})
_FLAGS = frozenset({"own_tests_on_original"})
# Settings that have a home elsewhere now: where to set them instead.
_MOVED = {
    "candidate_score_target": (
        "is no longer a mutation setting: the bars for the candidate's tests are the "
        "scorecard's, e.g. [scorecard.verification.level_3] candidate_tests_min = 0.7"
    ),
}


def profiles_root() -> Path:
    override = os.environ.get("REFACTOR_CHECK_MUTATION_CONFIGS")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent.parent / "mutation_configs"


def available() -> list[str]:
    root = profiles_root()
    return sorted(p.stem for p in root.glob("*.toml")) if root.is_dir() else []


def load(name: str, overrides: dict[str, Any] | None = None, where: str = "") -> MutationProfile:
    """The named profile with ``overrides`` (an exercise's [mutation] table) applied."""
    path = profiles_root() / f"{name}.toml"
    if not path.is_file():
        choices = ", ".join(available()) or "none found"
        raise BadInputError(f"unknown mutation profile {name!r}{where} (profiles: {choices})")
    try:
        table = _toml.loads(path.read_text(encoding="utf-8")).get("mutation", {})
    except _toml.TOMLDecodeError as exc:
        raise BadInputError(f"{path} is not valid TOML: {' '.join(str(exc).split())}") from None
    profile = _apply(MutationProfile(name=name), table, str(path))
    return _apply(profile, overrides or {}, where.strip(" ()") or "exercise.toml")


def for_exercise(
    section: object, profile: str | None = None, jobs: int | None = None
) -> MutationProfile:
    """The profile an exercise's [mutation] table picks, then the command line's choices."""
    if not isinstance(section, dict):
        raise BadInputError("exercise.toml: [mutation] must be a table")
    name = profile or section.get("profile", DEFAULT_PROFILE)
    if not isinstance(name, str):
        raise BadInputError("exercise.toml: [mutation] profile must be a string")
    # An exercise's single-setting overrides refine its own profile, not another one picked
    # on the command line.
    overrides = section if profile is None or profile == section.get("profile") else {}
    # A name the command line gave is blamed on the option, not on the exercise's table.
    if profile is not None and profile not in available():
        choices = ", ".join(available()) or "none found"
        raise BadInputError(
            f"--mutation-profile: unknown profile {profile!r} (profiles: {choices})"
        )
    chosen = load(name, overrides, " (exercise.toml [mutation])")
    return replace(chosen, jobs=jobs) if jobs else chosen


def _apply(profile: MutationProfile, table: dict[str, Any], source: str) -> MutationProfile:
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key in ("profile", "name"):
            continue
        if key in _MOVED:
            raise BadInputError(f"{source}: {key} {_MOVED[key]}")
        if key not in _SETTINGS:
            known = ", ".join(sorted(_SETTINGS))
            raise BadInputError(f"{source}: unknown mutation setting {key!r} (known: {known})")
        changes[key] = _coerce(key, value, source)
    return replace(profile, **changes)


def _coerce(key: str, value: Any, source: str) -> Any:
    if key in _FLAGS:
        if not isinstance(value, bool):
            raise BadInputError(f"{source}: mutation setting {key} must be true or false")
        return value
    if key in _LISTS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise BadInputError(f"{source}: mutation setting {key} must be a list of strings")
        return tuple(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise BadInputError(f"{source}: mutation setting {key} must be a number >= 0")
    if key == "jobs":
        if not isinstance(value, int):
            raise BadInputError(f"{source}: mutation setting jobs must be a whole number")
        return value
    return float(value)
