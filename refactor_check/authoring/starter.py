"""``refactor-check exercise starter``: the repository a candidate is given.

It holds the original package, the visible tests the exercise names in ``[starter]
visible_tests`` (nothing else from the golden repo: not the hidden tests, not NOTES.md, not
exercise.toml), a README made of the exercise's title and description, a
``.refactor-check.toml`` naming the exercise, and a GitHub Actions workflow.

The workflow runs in the candidate's repository, where the candidate can edit it and print
anything it can read, so it is given nothing hidden: it runs refactor-check against a
*practice* golden repo inside the starter (``.refactor-check/practice/``: a copy of the
original and the visible tests). Grading with the hidden tests happens where candidates
cannot reach (docs/ci.md).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .. import exercise as exercise_mod
from .. import sources
from ..errors import BadInputError
from ..exercise import CANDIDATE_CONFIG, Exercise
from . import template

STARTER_TABLE = "starter"
WORKFLOW = ".github/workflows/refactor-check.yml"
PRACTICE = ".refactor-check/practice"
# What pip may be given: a name, a version, a URL; no quotes or line breaks (it is written
# into a quoted YAML string).
_SPEC = re.compile(r"[A-Za-z0-9_.:/@+=<>!~, #-]+")
# Parts of a golden repo that are never a visible test, whatever a glob matches.
_NEVER_VISIBLE = ("exercise.toml", "NOTES.md", "original")


@dataclass(frozen=True)
class StarterSettings:
    visible_tests: tuple[str, ...] = ()  # globs relative to the golden repo
    tool_spec: str | None = None  # what the starter's CI pip-installs refactor-check from


@dataclass(frozen=True)
class VisibleTest:
    source: Path  # in the golden repo
    target: str  # relative to the starter's root, posix style (always under tests/)


@dataclass(frozen=True)
class StarterRepo:
    root: Path
    files: tuple[str, ...]  # every file written, relative to root, sorted
    notes: tuple[str, ...]  # what the author still has to set up


def settings(exercise: Exercise) -> StarterSettings:
    """The exercise's ``[starter]`` table, checked; every key is optional."""
    table = exercise.sections.get(STARTER_TABLE, {})
    where = f"{exercise.root / 'exercise.toml'}: [{STARTER_TABLE}]"
    if not isinstance(table, dict):
        raise BadInputError(f"{where} must be a table")
    known = {"visible_tests", "tool_spec"}
    unknown = sorted(set(table) - known)
    if unknown:
        names = ", ".join(sorted(known))
        raise BadInputError(f"{where}: unknown setting {unknown[0]!r} (known: {names})")
    globs = table.get("visible_tests", [])
    if not isinstance(globs, list) or not all(isinstance(g, str) and g for g in globs):
        raise BadInputError(f"{where} visible_tests must be a list of glob strings")
    spec = table.get("tool_spec")
    if spec is not None and not (isinstance(spec, str) and _SPEC.fullmatch(spec)):
        raise BadInputError(f"{where} tool_spec must be one line pip can install, no quotes")
    return StarterSettings(visible_tests=tuple(globs), tool_spec=spec)


def visible_tests(exercise: Exercise, chosen: StarterSettings) -> tuple[VisibleTest, ...]:
    """The files the globs name, each with its place under the starter's tests/."""
    root = exercise.root
    found: dict[str, VisibleTest] = {}
    for pattern in chosen.visible_tests:
        parts = PurePosixPath(pattern).parts
        if PurePosixPath(pattern).is_absolute() or ".." in parts:
            raise BadInputError(
                f"[{STARTER_TABLE}] visible_tests: {pattern!r} must be relative to the golden "
                "repo and stay inside it"
            )
        matches = [p for p in sorted(root.glob(pattern)) if _eligible(root, p)]
        if not matches:
            raise BadInputError(
                f"[{STARTER_TABLE}] visible_tests: {pattern!r} matches no file in {root} "
                "(links, original/, exercise.toml and NOTES.md never count)"
            )
        for path in matches:
            test = VisibleTest(path, _target(path.relative_to(root)))
            earlier = found.get(test.target)
            if earlier is not None and earlier.source != path:
                raise BadInputError(
                    f"[{STARTER_TABLE}] visible_tests: {earlier.source.relative_to(root)} and "
                    f"{path.relative_to(root)} would both be exported as {test.target}"
                )
            found[test.target] = test
    return tuple(sorted(found.values(), key=lambda t: t.target))


def _eligible(root: Path, path: Path) -> bool:
    relative = path.relative_to(root)
    if relative.parts[0] in _NEVER_VISIBLE or any(
        part in sources.IGNORED_DIRS for part in relative.parts
    ):
        return False
    # A link anywhere on the way could point at a hidden test or out of the golden repo.
    steps = [root.joinpath(*relative.parts[: i + 1]) for i in range(len(relative.parts))]
    return path.is_file() and not any(step.is_symlink() for step in steps)


def _target(relative: Path) -> str:
    """tests/x.py stays tests/x.py; under any other top folder, visible/a/x.py is tests/a/x.py."""
    parts = relative.parts[1:] if len(relative.parts) > 1 else relative.parts
    return PurePosixPath("tests", *parts).as_posix()


def export_dir(golden_dir: Path, out: Path) -> StarterRepo:
    """Load the golden repo at ``golden_dir`` and export its starter repo into ``out``."""
    return export(exercise_mod.load(golden_dir), out)


def export(exercise: Exercise, out: Path) -> StarterRepo:
    chosen = settings(exercise)
    visible = visible_tests(exercise, chosen)
    _check_out(exercise, out)
    original = _original_files(exercise)
    files = {
        **original,
        **{test.target: test.source.read_bytes() for test in visible},
        **_generated(exercise, chosen, len(visible)),
        **_practice(exercise, original, visible),
    }
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    notes = _notes(exercise, chosen, visible)
    return StarterRepo(root=out, files=tuple(sorted(files)), notes=notes)


def _original_files(exercise: Exercise) -> dict[str, bytes]:
    """The files of the original's modules, by their path relative to original/: the
    starter keeps the exercise's layout, one module or several."""
    files: dict[str, bytes] = {}
    for module in exercise.modules:
        location = sources.locate(exercise.original, module)
        assert location is not None  # exercise.load checked it
        paths, _links = sources.iter_tree(location)
        files.update({p.relative_to(exercise.original).as_posix(): p.read_bytes() for p in paths})
    return files


def _generated(exercise: Exercise, chosen: StarterSettings, visible: int) -> dict[str, bytes]:
    package = ", ".join(
        f"`{m}/`" if (exercise.original / m).is_dir() else f"`{m}.py`" for m in exercise.modules
    )
    texts = {
        "README.md": readme(exercise, package, visible),
        CANDIDATE_CONFIG: f'exercise = "{exercise.name}"\n',
        WORKFLOW: template.render(
            "workflow.yml.tmpl", NAME=exercise.name, TOOL_SPEC=chosen.tool_spec or ""
        ),
        ".gitignore": template.render("gitignore.tmpl"),
    }
    return {name: text.encode("utf-8") for name, text in texts.items()}


def _practice(
    exercise: Exercise, original: dict[str, bytes], visible: tuple[VisibleTest, ...]
) -> dict[str, bytes]:
    """The practice golden repo: the original against the visible tests (see the module doc)."""
    files = {f"{PRACTICE}/exercise.toml": _practice_toml(exercise).encode("utf-8")}
    files.update({f"{PRACTICE}/original/{name}": data for name, data in original.items()})
    files.update({f"{PRACTICE}/{t.target}": t.source.read_bytes() for t in visible})
    if not visible:
        smoke = template.render("practice_smoke_test.py.tmpl", PACKAGE=exercise.package)
        files[f"{PRACTICE}/tests/test_package_imports.py"] = smoke.encode("utf-8")
    return files


def _practice_toml(exercise: Exercise) -> str:
    """The practice golden repo: the original against the visible tests, quick mutation."""
    return "\n".join(
        [
            "# The practice check of this starter repo: the original package and the tests",
            "# the candidate was given (never the hidden ones). Written by refactor-check.",
            "[exercise]",
            f'name = "{exercise.name}-practice"',
            f'package = "{exercise.package}"',
            *(
                [f"modules = {json.dumps(list(exercise.modules))}"]
                if len(exercise.modules) > 1
                else []
            ),
            "",
            "[mutation]",
            'profile = "quick"',
            "",
        ]
    )


def _check_out(exercise: Exercise, out: Path) -> None:
    golden, target = exercise.root.resolve(), out.resolve()
    if target == golden or golden in target.parents or target in golden.parents:
        raise BadInputError(f"{out} overlaps the golden repo {exercise.root}; export elsewhere")
    if out.is_symlink() or (out.exists() and (not out.is_dir() or any(out.iterdir()))):
        raise BadInputError(f"{out} already exists and is not an empty directory")


def readme(exercise: Exercise, package_path: str, visible: int) -> str:
    if visible:
        tests_line = (
            f"- `tests/`: {visible} test file{'s' if visible != 1 else ''} showing how the "
            "package is used; add your own beside them."
        )
    else:
        tests_line = "- `tests/`: put your own tests here."
    return template.render(
        "starter_README.md.tmpl",
        TITLE=exercise.title,
        DESCRIPTION=exercise.description.strip() or "(This exercise has no task text yet.)",
        NAME=exercise.name,
        PACKAGE_PATH=package_path,
        VISIBLE_TESTS_LINE=tests_line,
    )


def _notes(
    exercise: Exercise, chosen: StarterSettings, visible: tuple[VisibleTest, ...]
) -> tuple[str, ...]:
    notes = []
    if chosen.tool_spec is None:
        notes.append(
            "the starter's CI needs the repository variable REFACTOR_CHECK_SPEC (what pip "
            f"installs refactor-check from), or [{STARTER_TABLE}] tool_spec in exercise.toml"
        )
    if not visible:
        notes.append(
            "no visible tests: the practice check only proves the package still imports; "
            f"name some in [{STARTER_TABLE}] visible_tests"
        )
    if not exercise.description.strip():
        notes.append("the exercise has no description: the README carries no task text")
    return tuple(notes)
