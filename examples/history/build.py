"""Build the example submissions that are git repositories (for the `ratelimit` exercise).

Usage: python examples/history/build.py OUT_DIR

Each is built commit by commit from files already in this repository (the exercise's
original and starter tests, and the `examples/ratelimit/` submissions), with fixed authors
and dates, so the same commit ids come out on every machine and no network is needed:

- `pinned_first`: characterization tests first, then the refactor in three green steps;
- `big_bang`: one commit rewrites the package, tests come last;
- `breaks_then_repairs`: a middle commit breaks two golden tests, the next one repairs them;
- `no_history`: the final files of `pinned_first` without a repository.

Commits are written with dulwich's object store (no git binary, no hooks, no index).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from dulwich import porcelain
from dulwich.index import commit_tree
from dulwich.objects import Blob, Commit
from dulwich.repo import Repo

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GOLDEN = ROOT / "golden_repos" / "ratelimit"
EXAMPLES = ROOT / "examples" / "ratelimit"
AUTHOR = b"Sam Candidate <sam@example.com>"
START = 1_767_607_200  # 2026-01-05 10:00 UTC; each commit an hour after the one before

Files = dict[str, bytes]


def _tree(base: Path, prefix: str) -> Files:
    return {
        f"{prefix}/{p.relative_to(base).as_posix()}": p.read_bytes()
        for p in sorted(base.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def starter() -> Files:
    files = _tree(GOLDEN / "original" / "throttle", "throttle")
    files.update(_tree(GOLDEN / "starter_tests", "tests"))
    files[".refactor-check.toml"] = b'exercise = "ratelimit"\n'
    return files


def package(example: str) -> Files:
    return _tree(EXAMPLES / example / "throttle", "throttle")


def their_tests(example: str) -> Files:
    return _tree(EXAMPLES / example / "tests", "tests")


def _without_package(files: Files) -> Files:
    return {p: d for p, d in files.items() if not p.startswith("throttle/")}


def pinned_first() -> list[tuple[str, Files]]:
    final = package("clean_refactor")
    step = starter()
    steps = [("Starter: the throttle package as handed out", dict(step))]
    step.update(their_tests("clean_refactor"))
    steps.append(("Pin the limiter's behaviour with characterization tests", dict(step)))
    for names, message in (
        (("plans.py", "errors.py"), "Extract the plan table and the error type"),
        (("bucket.py", "bans.py", "board.py"), "Extract the bucket, the bans and the board"),
        (("limiter.py", "__init__.py"), "Rebuild the limiter on the extracted modules"),
    ):
        step.update({f"throttle/{n}": final[f"throttle/{n}"] for n in names})
        steps.append((message, dict(step)))
    return steps


def big_bang() -> list[tuple[str, Files]]:
    step = starter()
    steps = [("Starter: the throttle package as handed out", dict(step))]
    step = _without_package(step) | package("aggressive_rewrite")
    steps.append(("Rewrite the throttle package", dict(step)))
    step.update(their_tests("aggressive_rewrite"))
    steps.append(("Add tests", dict(step)))
    return steps


def breaks_then_repairs() -> list[tuple[str, Files]]:
    step = starter()
    steps = [("Starter: the throttle package as handed out", dict(step))]
    step.update(their_tests("clean_refactor"))
    steps.append(("Characterization tests for the limiter", dict(step)))
    step = _without_package(step) | package("breaks_golden")
    steps.append(("Split the limiter into modules", dict(step)))
    step = _without_package(step) | package("clean_refactor")
    steps.append(("Round retry_after up to tenths again", dict(step)))
    return steps


def commit_all(directory: Path, steps: list[tuple[str, Files]]) -> Repo:
    """A repository in ``directory`` whose branch main holds ``steps`` in order, and a work
    tree holding the last step's files."""
    directory.mkdir(parents=True)
    repo = Repo.init(str(directory))
    parent: bytes | None = None
    for number, (message, files) in enumerate(steps):
        parent = _commit(repo, files, message, START + 3600 * number, parent)
    repo.refs.set_symbolic_ref(b"HEAD", b"refs/heads/main")
    assert parent is not None
    repo.refs[b"refs/heads/main"] = parent
    porcelain.reset(repo, "hard", b"HEAD")  # the work tree and index at the last step
    return repo


def _commit(
    repo: Repo, files: Mapping[str, bytes], message: str, when: int, parent: bytes | None
) -> bytes:
    entries = []
    for path, data in sorted(files.items()):
        blob = Blob.from_string(data)
        repo.object_store.add_object(blob)
        entries.append((path.encode("utf-8"), blob.id, 0o100644))
    commit = Commit()
    commit.tree = commit_tree(repo.object_store, entries)
    commit.parents = [parent] if parent is not None else []
    commit.author = commit.committer = AUTHOR
    commit.author_time = commit.commit_time = when
    commit.author_timezone = commit.commit_timezone = 0
    commit.encoding = b"UTF-8"
    commit.message = message.encode("utf-8") + b"\n"
    repo.object_store.add_object(commit)
    return commit.id


def write_files(directory: Path, files: Mapping[str, bytes]) -> None:
    for path, data in files.items():
        target = directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def build(out: Path) -> dict[str, Path]:
    """Every example under ``out`` (which must not exist yet), by name."""
    out.mkdir(parents=True)
    built = {}
    for name, steps in (
        ("pinned_first", pinned_first()),
        ("big_bang", big_bang()),
        ("breaks_then_repairs", breaks_then_repairs()),
    ):
        commit_all(out / name, steps)
        built[name] = out / name
    plain = out / "no_history"
    write_files(plain, pinned_first()[-1][1])
    built["no_history"] = plain
    return built


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python examples/history/build.py OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[1])
    if out.exists():
        print(f"{out} exists: pass a new directory", file=sys.stderr)
        return 2
    for name, path in build(out).items():
        print(f"{name}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
