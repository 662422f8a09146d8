"""Loading and validating a golden repo (one exercise), as the contract lays it out.

    <golden>/exercise.toml         [exercise] name = "...", package = "<import name>"
    <golden>/original/<package>/   or original/<package>.py
    <golden>/tests/test_*.py       the hidden golden tests

Code under refactor of several top-level modules and packages (a flat layout, as many katas
have) names them all: ``modules = ["teller", "catalog", ...]`` in place of, or beside,
``package``; with neither, every top-level module and package in original/ is the code.

Every other setting is optional; its default lives next to its meaning (``limits.Limits``).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from . import _toml, dependencies, sources
from .dependencies import Dependencies
from .errors import BadInputError
from .limits import Limits
from .results.run import ExerciseFacts

CANDIDATE_CONFIG = ".refactor-check.toml"

# Settings an exercise may override in its [limits] table, with the type each must have.
_LIMIT_TYPES: dict[str, tuple[type, ...]] = {
    f.name: (int, float) if f.name.endswith("seconds") else (int,) for f in fields(Limits)
}


@dataclass(frozen=True)
class Exercise:
    name: str
    package: str  # the first of ``modules``: the name reports show for the code
    root: Path
    original: Path  # the directory that holds the original package
    tests: Path  # the golden tests
    title: str
    description: str
    limits: Limits
    content_hash: str  # of every file in the golden repo: the cache key for derived data
    # exercise.toml's other tables ([mutation], [differential], ...), raw: each stage that
    # owns a table validates it where its settings' defaults are defined.
    sections: dict[str, Any] = field(default_factory=dict)
    # What the candidate's package and tests may import beyond the standard library.
    dependencies: Dependencies = field(default_factory=Dependencies)
    # Every top-level module and package of the code under refactor, ``package`` first; each
    # is public: golden tests, differential testing and the API diff cover all of them.
    modules: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.modules:  # built by hand with a package alone
            object.__setattr__(self, "modules", (self.package,))

    def facts(self, original: sources.PackageSource | None) -> ExerciseFacts:
        """What the report states about the exercise; ``original`` is its package as read."""
        return ExerciseFacts(
            name=self.name,
            package=self.package,
            modules=self.modules,
            title=self.title,
            content_hash=self.content_hash,
            texts=() if original is None else tuple((f.path, f.text) for f in original.files),
            scorecard_settings=self.sections.get("scorecard"),
        )


def builtin_root() -> Path:
    """Where the built-in exercises live: $REFACTOR_CHECK_EXERCISES, else golden_repos/."""
    override = os.environ.get("REFACTOR_CHECK_EXERCISES")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "golden_repos"


def builtin_names() -> list[str]:
    root = builtin_root()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "exercise.toml").is_file())


def resolve(golden: Path | None, name: str | None, candidate_dir: Path) -> Path:
    """Which golden repo to use: --golden, else --exercise, else the candidate's config."""
    if golden is not None:
        return golden
    if name is None:
        name = _name_from_candidate_config(candidate_dir)
    if name is None:
        raise BadInputError(
            "no exercise given: pass --golden DIR or --exercise NAME, or add "
            f'{CANDIDATE_CONFIG} with exercise = "NAME" to the submission '
            f"(built-in exercises: {_listing()})"
        )
    if name not in builtin_names():
        raise BadInputError(f"unknown exercise {name!r} (built-in exercises: {_listing()})")
    return builtin_root() / name


def _listing() -> str:
    return ", ".join(builtin_names()) or "none found"


def _name_from_candidate_config(candidate_dir: Path) -> str | None:
    config = candidate_dir / CANDIDATE_CONFIG
    if not config.is_file() or config.is_symlink():
        return None
    try:
        data = _toml.loads(config.read_text(encoding="utf-8"))
    except (_toml.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadInputError(f"{config} is not valid TOML: {_one_line(exc)}") from None
    name = data.get("exercise")
    if not isinstance(name, str) or not name:
        raise BadInputError(f'{config} must set exercise = "NAME" (a string)')
    return name


def load(golden_dir: Path) -> Exercise:
    """Validate the golden repo's layout and settings; every problem is one clear line."""
    if not golden_dir.is_dir():
        raise BadInputError(f"golden repo {golden_dir} does not exist or is not a directory")
    config_path = golden_dir / "exercise.toml"
    if not config_path.is_file():
        raise BadInputError(f"golden repo {golden_dir} has no exercise.toml")
    try:
        config = _toml.loads(config_path.read_text(encoding="utf-8"))
    except (_toml.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadInputError(f"{config_path} is not valid TOML: {_one_line(exc)}") from None

    table = config.get("exercise")
    if not isinstance(table, dict):
        raise BadInputError(f"{config_path} needs an [exercise] table with name and package")
    name = table.get("name", golden_dir.resolve().name)
    if not isinstance(name, str) or not name:
        raise BadInputError(f"{config_path}: [exercise] name must be a non-empty string")

    original = golden_dir / "original"
    if not original.is_dir():
        raise BadInputError(f"golden repo {golden_dir} has no original/ directory")
    modules = _modules(table, original, config_path)
    for module in modules:
        problem = sources.check_package_name(module)
        if problem:
            raise BadInputError(f"{config_path}: {problem}")
        if sources.locate(original, module) is None:
            raise BadInputError(
                f"golden repo {golden_dir}: original/ holds no package {module!r} "
                f"(expected original/{module}/ or original/{module}.py)"
            )
    package = modules[0]
    tests = golden_dir / "tests"
    if not tests.is_dir():
        raise BadInputError(f"golden repo {golden_dir} has no tests/ directory")
    if not any(tests.rglob("test_*.py")) and not any(tests.rglob("*_test.py")):
        raise BadInputError(f"golden repo {golden_dir}: tests/ holds no test_*.py files")

    return Exercise(
        name=name,
        package=package,
        root=golden_dir,
        original=original,
        tests=tests,
        title=_optional_str(table, "title", config_path) or name,
        description=_optional_str(table, "description", config_path) or "",
        limits=_limits(config.get("limits", {}), config_path),
        content_hash=content_hash(golden_dir),
        sections={
            k: v for k, v in config.items() if k not in ("exercise", "limits", dependencies.TABLE)
        },
        dependencies=dependencies.load(config.get(dependencies.TABLE), config_path),
        modules=modules,
    )


def _modules(table: dict[str, Any], original: Path, config_path: Path) -> tuple[str, ...]:
    """The code's top-level modules: ``package`` first, then ``modules`` (each once); with
    neither, every top-level module and package original/ holds, sorted."""
    package = table.get("package")
    listed = table.get("modules")
    if package is not None and (not isinstance(package, str) or not package):
        raise BadInputError(f'{config_path}: [exercise] must set package = "<import name>"')
    if listed is not None and (
        not isinstance(listed, list)
        or not listed
        or not all(isinstance(m, str) and m for m in listed)
    ):
        raise BadInputError(
            f'{config_path}: [exercise] modules must be a list of import names, e.g. ["a", "b"]'
        )
    names = [package] if package else []
    names += [m for m in listed or [] if m not in names]
    if names:
        return tuple(names)
    found = sorted(
        p.name.removesuffix(".py")
        for p in original.iterdir()
        if not p.name.startswith((".", "_"))
        and not p.is_symlink()
        and ((p.is_file() and p.suffix == ".py") or (p.is_dir() and (p / "__init__.py").is_file()))
    )
    if not found:
        raise BadInputError(
            f'{config_path}: [exercise] must set package = "<import name>" (or modules = [...]); '
            "original/ holds no module to take instead"
        )
    return tuple(found)


def _optional_str(table: dict[str, Any], key: str, path: Path) -> str | None:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise BadInputError(f"{path}: [exercise] {key} must be a string")
    return value


def _limits(table: object, path: Path) -> Limits:
    if not isinstance(table, dict):
        raise BadInputError(f"{path}: [limits] must be a table")
    overrides: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _LIMIT_TYPES:
            known = ", ".join(sorted(_LIMIT_TYPES))
            raise BadInputError(f"{path}: unknown setting [limits] {key} (known: {known})")
        wrong_type = isinstance(value, bool) or not isinstance(value, _LIMIT_TYPES[key])
        if wrong_type or not isinstance(value, (int, float)) or value <= 0:
            raise BadInputError(f"{path}: [limits] {key} must be a positive number")
        overrides[key] = value
    return replace(Limits(), **overrides)


def content_hash(root: Path) -> str:
    """A digest of every file's relative path and bytes, in sorted order."""
    digest = hashlib.sha256()
    files, _ = sources.iter_tree(root)
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
