"""Reading a submission's git history (``history.read``): hostile repositories cost little,
run nothing, write nothing outside the output, and fail in one line.

Repositories are built in ``tmp_path`` with dulwich's object store (``examples/history/
build.py``), and the hostile parts (config, hooks, trees git itself would refuse) are written
by hand afterwards.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
from dulwich.objects import Blob, Commit, Tree
from dulwich.repo import Repo

from refactor_check import exercise
from refactor_check.exercise import Exercise
from refactor_check.history.model import BY_CONTENT, BY_SINCE, GitHistory
from refactor_check.history.read import Located, ReadLimits, locate, read

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "history_build", ROOT / "examples" / "history" / "build.py"
)
assert _spec is not None and _spec.loader is not None
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

Files = dict[str, bytes]
_LINK, _DIRECTORY, _SUBMODULE, _FILE = 0o120000, 0o040000, 0o160000, 0o100644


@pytest.fixture(scope="module")
def ratelimit() -> Exercise:
    return exercise.load(ROOT / "golden_repos" / "ratelimit")


# Building repositories ----------------------------------------------------------------------


def changing(count: int, prefix: str = "") -> list[tuple[str, Files]]:
    """The starter, then ``count`` commits that each add a line to the limiter."""
    files = {f"{prefix}{path}": data for path, data in build.starter().items()}
    steps = [("Starter", dict(files))]
    limiter = f"{prefix}throttle/limiter.py"
    for number in range(1, count + 1):
        files[limiter] = files[limiter] + f"STEP_{number} = {number}\n".encode()
        steps.append((f"Step {number}", dict(files)))
    return steps


def new_repo(path: Path, steps: list[tuple[str, Files]]) -> Repo:
    return build.commit_all(path, steps)


def add_commit(repo: Repo, tree: bytes, message: str, parent: bytes | None = None) -> bytes:
    """A commit of ``tree`` on top of ``parent`` (HEAD by default); main and HEAD move to it."""
    commit = _raw_commit(tree, [parent or repo.head()], message, 2_000_000_000)
    repo.object_store.add_object(commit)
    repo.refs[b"refs/heads/main"] = commit.id
    return commit.id


def _raw_commit(tree: bytes, parents: list[bytes], message: str, when: int) -> Commit:
    commit = Commit()
    commit.tree = tree
    commit.parents = parents
    commit.author = commit.committer = build.AUTHOR
    commit.author_time = commit.commit_time = when
    commit.author_timezone = commit.commit_timezone = 0
    commit.message = message.encode() + b"\n"
    return commit


def head_tree(repo: Repo) -> Tree:
    """A copy of HEAD's root tree, free to change."""
    tree = repo[repo[repo.head()].tree]
    assert isinstance(tree, Tree)
    return Tree.from_string(tree.as_raw_string())


def blob(repo: Repo, data: bytes) -> bytes:
    obj = Blob.from_string(data)
    repo.object_store.add_object(obj)
    return obj.id


def tree_of(repo: Repo, entries: list[tuple[bytes, int, bytes]]) -> bytes:
    tree = Tree()
    for name, mode, sha in entries:
        tree.add(name, mode, sha)
    repo.object_store.add_object(tree)
    return tree.id


def read_repo(
    repo: Path, ex: Exercise, out: Path, since: str | None = None, **limits: Any
) -> GitHistory | str:
    located = locate(repo, None)
    assert isinstance(located, Located), located
    return read(located, ex, out, since, ReadLimits(**limits))


def history_of(repo: Path, ex: Exercise, out: Path, **kwargs: Any) -> GitHistory:
    git = read_repo(repo, ex, out, **kwargs)
    assert isinstance(git, GitHistory), git
    return git


def assert_one_line(reason: object) -> str:
    assert isinstance(reason, str), reason
    assert reason and "\n" not in reason and "Traceback" not in reason
    return reason


# 1. Nothing of the repository runs ------------------------------------------------------------

_HOOKS = (
    "applypatch-msg",
    "pre-applypatch",
    "post-applypatch",
    "pre-commit",
    "pre-merge-commit",
    "prepare-commit-msg",
    "commit-msg",
    "post-commit",
    "pre-rebase",
    "post-checkout",
    "post-merge",
    "pre-push",
    "pre-receive",
    "update",
    "post-receive",
    "post-update",
    "reference-transaction",
    "push-to-checkout",
    "pre-auto-gc",
    "post-rewrite",
    "post-index-change",
    "fsmonitor-watchman",
)


def _trap(directory: Path, name: str, markers: Path, marker: str | None = None) -> Path:
    """An executable that leaves ``markers/<marker or name>`` behind if anything runs it."""
    directory.mkdir(parents=True, exist_ok=True)
    program = directory / name
    program.write_text(f'#!/bin/sh\ntouch "{markers / (marker or name)}"\ncat\n', "utf-8")
    program.chmod(0o755)
    return program


def arm(repo: Path, markers: Path) -> None:
    """Config naming programs, filters the attributes use, and hooks in two places."""
    markers.mkdir()
    traps = repo.parent / "traps"
    config = {
        "core.fsmonitor": "fsmonitor",
        "core.pager": "pager",
        "core.editor": "editor",
        "core.sshCommand": "ssh",
        "core.askPass": "askpass",
        'filter "x".clean': "filter-clean",
        'filter "x".smudge': "filter-smudge",
        'filter "y".process': "filter-process",
        'diff "x".textconv': "diff-textconv",
        'diff "x".command': "diff-command",
        'merge "x".driver': "merge-driver",
        "uploadpack.packObjectsHook": "pack-objects-hook",
        "credential.helper": "credential-helper",
        "gpg.program": "gpg",
        "sequence.editor": "sequence-editor",
    }
    lines = []
    for key, name in config.items():
        section, option = key.rsplit(".", 1)
        lines += [f"[{section}]", f"\t{option} = {_trap(traps, name, markers)}"]
    lines += ["[core]", f"\thooksPath = {traps / 'hooks-path'}", '[filter "x"]', "\trequired"]
    with open(repo / ".git" / "config", "a", encoding="utf-8") as config_file:
        config_file.write("\n".join(lines) + "\n")
    for hook in _HOOKS:
        _trap(repo / ".git" / "hooks", hook, markers)
        _trap(traps / "hooks-path", hook, markers, marker=f"hooks-path-{hook}")


def test_a_hostile_repository_is_read_without_running_anything_of_it(
    tmp_path: Path, ratelimit: Exercise
) -> None:
    attributes = {".gitattributes": b"* filter=x diff=x merge=x\n*.py filter=y\n"}
    steps = [(m, files | attributes) for m, files in changing(2)]
    repo = new_repo(tmp_path / "repo", steps).path
    markers = tmp_path / "markers"
    arm(Path(repo), markers)

    git = history_of(Path(repo), ratelimit, tmp_path / "out")

    assert git.starter_how == BY_CONTENT and git.starter is not None
    assert [c.message for c in git.commits] == ["Step 1", "Step 2"]
    assert all(c.directory is not None and c.directory.is_dir() for c in git.commits)
    last = git.commits[-1].directory
    assert last is not None
    assert (last / "throttle" / "limiter.py").read_bytes() == steps[-1][1]["throttle/limiter.py"]
    assert (last / ".gitattributes").read_bytes() == attributes[".gitattributes"]
    assert sorted(markers.iterdir()) == []


@pytest.mark.skipif(shutil.which("git") is None, reason="no git to show the traps are live")
def test_the_traps_are_live_under_git(tmp_path: Path) -> None:
    """The control: git itself, on the same repository, runs the repository's programs."""
    attributes = {".gitattributes": b"* filter=x diff=x merge=x\n*.py filter=y\n"}
    repo = Path(new_repo(tmp_path / "repo", [(m, f | attributes) for m, f in changing(1)]).path)
    markers = tmp_path / "markers"
    arm(repo, markers)
    (repo / "throttle" / "limiter.py").write_bytes(b"CHANGED = 1\n")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k != "HOME"}
    environment |= {"HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(
        ["git", "-C", str(repo), "status"], env=environment, capture_output=True, timeout=30
    )
    assert sorted(p.name for p in markers.iterdir()) != []


# 2. A huge history ----------------------------------------------------------------------------


def test_a_huge_history_is_cut_at_max_walk(tmp_path: Path, ratelimit: Exercise) -> None:
    """3000 commits of one changed tree on top of the starter: it lies beyond the walk."""
    repo = new_repo(tmp_path / "repo", changing(1))
    tree = repo[repo.head()].tree
    parent = repo.head()
    commits = []
    for number in range(3000):
        commit = _raw_commit(tree, [parent], f"Busy {number}", 2_000_000_000 + number)
        commits.append((commit, None))
        parent = commit.id
    repo.object_store.add_objects(commits)  # one pack: quick to write
    repo.refs[b"refs/heads/main"] = parent
    repo.close()

    git = history_of(Path(repo.path), ratelimit, tmp_path / "out")

    assert git.head == parent.decode()
    assert (git.walked, git.walk_cut) == (ReadLimits().max_walk, True)
    assert git.starter is None and git.starter_how == BY_CONTENT
    assert git.commits == ()
    assert not (tmp_path / "out" / "trees").exists()


def test_only_max_commits_are_written_the_rest_are_listed(
    tmp_path: Path, ratelimit: Exercise
) -> None:
    repo = new_repo(tmp_path / "repo", changing(10))
    out = tmp_path / "out"

    git = history_of(Path(repo.path), ratelimit, out, max_commits=3)

    assert (git.walked, git.walk_cut) == (11, False)
    assert [c.message for c in git.commits] == [f"Step {n}" for n in range(1, 11)]
    graded = [c for c in git.commits if c.directory is not None]
    assert graded == list(git.commits[:3])
    assert all(c.tree is not None and c.package_lines == 1 for c in git.commits)
    assert sorted(p.name for p in (out / "trees").iterdir() if p.is_dir()) == sorted(
        c.tree for c in graded if c.tree
    )


# 3. A symlink farm ----------------------------------------------------------------------------


def test_a_symlink_farm_is_written_without_links_or_escapes(
    tmp_path: Path, ratelimit: Exercise
) -> None:
    repo = new_repo(tmp_path / "repo", changing(0))
    outside = tmp_path / "outside"
    outside.mkdir()
    escape = str(tmp_path / "escaped_absolute.py").encode()
    evil = blob(repo, b"PWNED = True\n")
    git_dir = tree_of(
        repo,
        [
            (b"config", _FILE, blob(repo, b"[core]\n\tfsmonitor = touch /tmp/x\n")),
            (b"hooks", _DIRECTORY, tree_of(repo, [(b"post-checkout", 0o100755, evil)])),
        ],
    )
    up = tree_of(repo, [(b"escaped_dotdot.py", _FILE, evil)])
    root = head_tree(repo)
    for name, target in [
        (b"passwd", b"/etc/passwd"),
        (b"up", b"../../.."),
        (b"outside", str(outside).encode()),
        (b"root", b"/"),
        (b"dot", b"."),
    ]:
        root.add(name, _LINK, blob(repo, target))
    throttle = repo[root[b"throttle"][1]]
    assert isinstance(throttle, Tree)
    throttle.add(b"plans.py", _LINK, blob(repo, b"/etc/passwd"))
    throttle.add(b"rules.py", _FILE, blob(repo, b"RULES = {}\n"))
    repo.object_store.add_object(throttle)
    root.add(b"throttle", _DIRECTORY, throttle.id)
    for name, mode, sha in [
        (b"..", _DIRECTORY, up),
        (b".", _DIRECTORY, up),
        (b".git", _DIRECTORY, git_dir),
        (b".GIT", _DIRECTORY, git_dir),
        (b"../../../escaped_slash.py", _FILE, evil),
        (escape, _FILE, evil),
        (b"sub\\..\\..\\escaped_backslash.py", _FILE, evil),
        (b"vendored", _SUBMODULE, repo.head()),
    ]:
        root.add(name, mode, sha)
    repo.object_store.add_object(root)
    add_commit(repo, root.id, "A farm of links")
    out = tmp_path / "out"

    git = history_of(Path(repo.path), ratelimit, out)

    (farm,) = git.commits
    assert farm.tree == root.id.decode() and farm.directory is not None
    written = farm.directory
    starter = build.starter()
    for path in ("throttle/__init__.py", "throttle/limiter.py", "tests/test_examples.py"):
        assert (written / path).read_bytes() == starter[path]
    assert (written / "throttle" / "rules.py").read_bytes() == b"RULES = {}\n"
    skipped = json.loads((written.parent / f"{farm.tree}.skipped.json").read_text())
    assert skipped == {"links": 6, "submodules": 1, "unsafe names": 9, "too large": 0}
    # Nothing under the output is a link, and every file lies inside it.
    found = []
    for directory, dirs, files in os.walk(out):
        for name in dirs + files:
            path = Path(directory) / name
            assert not path.is_symlink(), path
            assert path.resolve().is_relative_to(out.resolve())
            found.append(path.relative_to(out).as_posix())
    assert sorted(found) == sorted(
        [
            "manifest.json",
            "reader.log",
            "spec.json",
            "trees",
            f"trees/{farm.tree}",
            *(
                f"trees/{farm.tree}/{path}"
                for path in (
                    ".refactor-check.toml",
                    "tests",
                    "tests/test_examples.py",
                    "throttle",
                    "throttle/__init__.py",
                    "throttle/limiter.py",
                    "throttle/rules.py",
                )
            ),
            f"trees/{farm.tree}.skipped.json",
        ]
    )
    # Nothing was written beside the output either.
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "outside", "repo"]
    assert not Path("/escaped_slash.py").exists()


# 4. Limits ------------------------------------------------------------------------------------


def test_a_blob_over_max_file_bytes_is_skipped(tmp_path: Path, ratelimit: Exercise) -> None:
    steps = changing(1)
    largest = max(len(data) for data in steps[-1][1].values())
    steps[-1][1]["data/huge.bin"] = b"x" * (largest + 1)
    repo = new_repo(tmp_path / "repo", steps)

    git = history_of(Path(repo.path), ratelimit, tmp_path / "out", max_file_bytes=largest)

    (commit,) = git.commits
    assert commit.directory is not None
    assert (commit.directory / "throttle" / "limiter.py").is_file()
    assert not (commit.directory / "data" / "huge.bin").exists()
    assert commit.touched.other == ("data/huge.bin",)
    skipped = json.loads((commit.directory.parent / f"{commit.tree}.skipped.json").read_text())
    assert skipped["too large"] == 1


def test_a_tree_over_max_entries_is_one_line(tmp_path: Path, ratelimit: Exercise) -> None:
    steps = changing(1)
    steps[-1][1].update({f"data/{n}.txt": b"" for n in range(100)})
    repo = new_repo(tmp_path / "repo", steps)

    reason = read_repo(Path(repo.path), ratelimit, tmp_path / "out", max_entries=50)

    assert "more than 50 entries" in assert_one_line(reason)


def test_a_tree_of_directories_only_counts_against_max_entries(
    tmp_path: Path, ratelimit: Exercise
) -> None:
    """Each level holds the one below 64 times: 64**4 paths and not a file among them."""
    repo = new_repo(tmp_path / "repo", changing(0))
    level = tree_of(repo, [])
    for _ in range(4):
        level = tree_of(repo, [(b"d%02d" % n, _DIRECTORY, level) for n in range(64)])
    root = head_tree(repo)
    root.add(b"bomb", _DIRECTORY, level)
    repo.object_store.add_object(root)
    add_commit(repo, root.id, "A tree bomb")

    reason = read_repo(Path(repo.path), ratelimit, tmp_path / "out", seconds=10)

    assert f"more than {ReadLimits().max_entries} entries" in assert_one_line(reason)


def test_a_reader_past_its_wall_clock_is_one_line(tmp_path: Path, ratelimit: Exercise) -> None:
    repo = new_repo(tmp_path / "repo", changing(3))

    reason = read_repo(Path(repo.path), ratelimit, tmp_path / "out", seconds=0.05)

    assert assert_one_line(reason) == "reading it took longer than its 0.05 s ceiling"


def test_a_blob_over_the_memory_ceiling_is_one_line(tmp_path: Path, ratelimit: Exercise) -> None:
    """A package file of 160 MB of zeros (160 kB stored) against a 128 MB ceiling."""
    repo = new_repo(tmp_path / "repo", changing(0))
    root = head_tree(repo)
    throttle = repo[root[b"throttle"][1]]
    assert isinstance(throttle, Tree)
    throttle.add(b"huge.py", _FILE, blob(repo, bytes(160 * 1024 * 1024)))
    repo.object_store.add_object(throttle)
    root.add(b"throttle", _DIRECTORY, throttle.id)
    repo.object_store.add_object(root)
    add_commit(repo, root.id, "A big one")

    reason = read_repo(Path(repo.path), ratelimit, tmp_path / "out", memory_mb=128)

    assert assert_one_line(reason) == "reading it needed more memory than its limit"


# 5. locate() ----------------------------------------------------------------------------------


def test_locate_refuses_a_git_file(tmp_path: Path) -> None:
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / ".git").write_text(f"gitdir: {tmp_path / 'elsewhere'}\n")
    assert "is a file pointing elsewhere" in assert_one_line(locate(submission, None))


def test_locate_refuses_a_git_link(tmp_path: Path) -> None:
    other = new_repo(tmp_path / "other", changing(1))
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / ".git").symlink_to(Path(other.path) / ".git")
    assert "is a symbolic link" in assert_one_line(locate(submission, None))


@pytest.mark.parametrize("borrowed", ["objects/info/alternates", "commondir"])
def test_locate_refuses_a_repository_that_borrows_objects(tmp_path: Path, borrowed: str) -> None:
    other = new_repo(tmp_path / "other", changing(1))
    repo = new_repo(tmp_path / "repo", changing(1))
    (Path(repo.path) / ".git" / borrowed).write_text(f"{Path(other.path) / '.git' / 'objects'}\n")
    assert "borrows objects" in assert_one_line(locate(Path(repo.path), None))


@pytest.mark.parametrize("link", ["objects", "objects/pack", "objects/ab", "objects/pack/x.pack"])
def test_locate_refuses_an_object_store_linked_elsewhere(tmp_path: Path, link: str) -> None:
    other = new_repo(tmp_path / "other", changing(1))
    repo = new_repo(tmp_path / "repo", changing(1))
    linked = Path(repo.path) / ".git" / link
    if linked.is_dir():
        shutil.rmtree(linked)
    linked.parent.mkdir(parents=True, exist_ok=True)
    linked.symlink_to(Path(other.path) / ".git" / "objects")
    reason = assert_one_line(locate(Path(repo.path), None))
    assert f"borrows objects from elsewhere ({link} is a link)" in reason


def test_locate_refuses_a_directory_without_git(tmp_path: Path) -> None:
    build.write_files(tmp_path / "plain", build.starter())
    reason = assert_one_line(locate(tmp_path / "plain", None))
    assert reason == "the submission is not a git repository"
    reason = assert_one_line(locate(tmp_path / "plain", tmp_path / "plain"))
    assert "not a git repository" in reason


def test_locate_refuses_a_history_the_submission_is_not_inside(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo", changing(1))
    build.write_files(tmp_path / "submission", build.starter())
    reason = assert_one_line(locate(tmp_path / "submission", Path(repo.path)))
    assert "is not inside it" in reason


def test_a_submission_inside_the_history_repository(tmp_path: Path, ratelimit: Exercise) -> None:
    repo = new_repo(tmp_path / "repo", changing(2, prefix="cohort/sam/"))
    root = Path(repo.path)

    located = locate(root / "cohort" / "sam", root)

    assert located == Located(root.resolve(), "cohort/sam")
    assert isinstance(located, Located)
    git = read(located, ratelimit, tmp_path / "out")
    assert isinstance(git, GitHistory), git
    assert git.starter is not None and git.starter_how == BY_CONTENT
    assert [c.message for c in git.commits] == ["Step 1", "Step 2"]
    last = git.commits[-1].directory
    assert last is not None
    assert sorted(p.name for p in last.iterdir()) == [".refactor-check.toml", "tests", "throttle"]


# 6. --since -----------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["sha", "short sha", "branch"])
def test_since_names_the_starter(tmp_path: Path, ratelimit: Exercise, how: str) -> None:
    repo = new_repo(tmp_path / "repo", changing(4))
    chain = [repo.head()]
    while parents := repo[chain[-1]].parents:
        chain.append(parents[0])
    second = chain[-2]  # "Step 1": not the original, so content alone would not pick it
    repo.refs[b"refs/heads/reviewed"] = second
    since = {"sha": second.decode(), "short sha": second.decode()[:10], "branch": "reviewed"}

    git = history_of(Path(repo.path), ratelimit, tmp_path / "out", since=since[how])

    assert (git.starter, git.starter_how) == (second.decode(), BY_SINCE)
    assert [c.message for c in git.commits] == ["Step 2", "Step 3", "Step 4"]
    assert git.notes == ()


@pytest.mark.parametrize("since", ["no-such-branch", "0123456789abcdef0123456789abcdef01234567"])
def test_since_naming_nothing_is_a_note(tmp_path: Path, ratelimit: Exercise, since: str) -> None:
    repo = new_repo(tmp_path / "repo", changing(2))

    git = history_of(Path(repo.path), ratelimit, tmp_path / "out", since=since)

    assert (git.starter, git.starter_how, git.commits) == (None, BY_SINCE, ())
    assert len(git.notes) == 1 and since in git.notes[0]


def test_since_naming_several_commits_is_a_note(tmp_path: Path, ratelimit: Exercise) -> None:
    """Commits until two share their first four hex digits (a few hundred, by the birthdays)."""
    repo = new_repo(tmp_path / "repo", changing(1))
    tree, parent = repo[repo.head()].tree, repo.head()
    commits, prefixes = [], {parent[:4]}
    while True:
        commit = _raw_commit(tree, [parent], "Busy", 2_000_000_000 + len(commits))
        commits.append((commit, None))
        parent = commit.id
        if commit.id[:4] in prefixes:
            break
        prefixes.add(commit.id[:4])
    repo.object_store.add_objects(commits)
    repo.refs[b"refs/heads/main"] = parent
    repo.close()
    since = parent[:4].decode()

    git = history_of(Path(repo.path), ratelimit, tmp_path / "out", since=since)

    assert (git.starter, git.starter_how, git.commits) == (None, BY_SINCE, ())
    assert git.notes == (f"--since {since}: names more than one commit",)


def test_since_off_the_first_parent_chain_is_a_note(tmp_path: Path, ratelimit: Exercise) -> None:
    repo = new_repo(tmp_path / "repo", changing(2))
    side = _raw_commit(repo[repo.head()].tree, [repo.head()], "Side", 2_000_000_000)
    repo.object_store.add_object(side)
    repo.refs[b"refs/heads/side"] = side.id

    git = history_of(Path(repo.path), ratelimit, tmp_path / "out", since="side")

    assert (git.starter, git.commits) == (None, ())
    assert len(git.notes) == 1 and "not among the 3 first-parent commits" in git.notes[0]


def test_since_naming_a_tree_is_a_note(tmp_path: Path, ratelimit: Exercise) -> None:
    repo = new_repo(tmp_path / "repo", changing(2))
    tree = repo[repo.head()].tree.decode()

    git = history_of(Path(repo.path), ratelimit, tmp_path / "out", since=tree)

    assert (git.starter, git.commits) == (None, ())
    assert len(git.notes) == 1 and tree in git.notes[0]


# 7. Corrupt repositories ----------------------------------------------------------------------


def _loose(repo: Repo, sha: bytes) -> Path:
    return Path(repo.path) / ".git" / "objects" / sha[:2].decode() / sha[2:].decode()


def test_head_naming_a_missing_object_is_one_line(tmp_path: Path, ratelimit: Exercise) -> None:
    repo = new_repo(tmp_path / "repo", changing(2))
    repo.refs[b"refs/heads/main"] = b"0123456789abcdef0123456789abcdef01234567"
    reason = read_repo(Path(repo.path), ratelimit, tmp_path / "out")
    assert "not a readable git repository" in assert_one_line(reason)


def test_a_repository_without_commits_is_one_line(tmp_path: Path, ratelimit: Exercise) -> None:
    (tmp_path / "repo").mkdir()
    Repo.init(str(tmp_path / "repo"))
    reason = read_repo(tmp_path / "repo", ratelimit, tmp_path / "out")
    assert assert_one_line(reason) == "the repository has no commits (HEAD names nothing)"


@pytest.mark.parametrize("which", ["head commit", "parent commit", "tree", "blob"])
def test_garbage_in_an_object_file_is_one_line(
    tmp_path: Path, ratelimit: Exercise, which: str
) -> None:
    repo = new_repo(tmp_path / "repo", changing(2))
    head = repo[repo.head()]
    assert isinstance(head, Commit)
    tree = repo[head.tree]
    assert isinstance(tree, Tree)
    throttle = repo[tree[b"throttle"][1]]
    assert isinstance(throttle, Tree)
    sha = {
        "head commit": head.id,
        "parent commit": head.parents[0],
        "tree": head.tree,
        "blob": throttle[b"limiter.py"][1],
    }[which]
    loose = _loose(repo, sha)
    loose.chmod(stat.S_IWUSR | stat.S_IRUSR)
    loose.write_bytes(b"\x78\x9c garbage, not zlib")

    reason = read_repo(Path(repo.path), ratelimit, tmp_path / "out")

    assert "not a readable git repository" in assert_one_line(reason)


def test_a_missing_parent_is_one_line(tmp_path: Path, ratelimit: Exercise) -> None:
    repo = new_repo(tmp_path / "repo", changing(2))
    head = repo[repo.head()]
    assert isinstance(head, Commit)
    _loose(repo, head.parents[0]).unlink()
    reason = read_repo(Path(repo.path), ratelimit, tmp_path / "out")
    assert "not a readable git repository" in assert_one_line(reason)


def test_head_pointing_at_a_blob_is_one_line(tmp_path: Path, ratelimit: Exercise) -> None:
    repo = new_repo(tmp_path / "repo", changing(1))
    repo.refs[b"refs/heads/main"] = blob(repo, b"not a commit\n")
    reason = read_repo(Path(repo.path), ratelimit, tmp_path / "out")
    assert "not a readable git repository" in assert_one_line(reason)


def test_a_garbled_config_is_one_line(tmp_path: Path, ratelimit: Exercise) -> None:
    repo = new_repo(tmp_path / "repo", changing(1))
    (Path(repo.path) / ".git" / "config").write_bytes(b"[core\n\x00\xff = = =\n")
    reason = read_repo(Path(repo.path), ratelimit, tmp_path / "out")
    assert "not a readable git repository" in assert_one_line(reason)


@pytest.mark.parametrize("how", ["config include", "ref link", "HEAD link", "packed-refs link"])
def test_a_failure_quotes_nothing_the_repository_points_at(
    tmp_path: Path, ratelimit: Exercise, how: str
) -> None:
    """The reason ends up in the report: it must not carry a line of the grader's files."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET hunter2\n", "utf-8")
    repo = new_repo(tmp_path / "repo", changing(1))
    git = Path(repo.path) / ".git"
    if how == "config include":
        with open(git / "config", "a", encoding="utf-8") as config:
            config.write(f"[include]\n\tpath = {secret}\n")
    else:
        link = {
            "ref link": git / "refs" / "heads" / "main",
            "HEAD link": git / "HEAD",
            "packed-refs link": git / "packed-refs",
        }[how]
        if how == "packed-refs link":
            (git / "refs" / "heads" / "main").unlink()
        link.unlink(missing_ok=True)
        link.symlink_to(secret)

    reason = assert_one_line(read_repo(Path(repo.path), ratelimit, tmp_path / "out"))

    assert "TOPSECRET" not in reason and "hunter2" not in reason
    assert reason.startswith("not a readable git repository (")
