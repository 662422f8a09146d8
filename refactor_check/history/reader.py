"""Read a submission's git history into plain files and a manifest, running nothing of it.

Usage: python -I reader.py SPEC_JSON_FILE

The parent starts this in a process of its own under memory, CPU, file-size and wall-clock
limits (``history.read``): the repository is hostile input, and a pathological one (a blob
of gigabytes, a history of millions of commits, a tree of millions of entries) must cost at
most those limits. Objects are read with dulwich, which parses git's formats in Python and
never starts a program: a repository's config can name programs for git to run (fsmonitor,
filters, hooks, diff drivers), and none of them is read here. git itself is never started.

What it writes (OUT is the spec's ``out``):
- ``OUT/trees/<tree>/``: the files of each commit to grade, regular files only (links,
  submodules and unsafe names are skipped and counted), within the spec's size limits;
- ``OUT/manifest.json``: the first-parent chain from HEAD back to the starter commit, each
  commit with what it touched and how many package lines it changed.

The parent validates the manifest before it believes any of it. Standard library and dulwich
only: this file is also imported by the parent for ``package_digest``.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # dulwich is imported where it is used: the parent imports this module too
    from dulwich.objects import Commit, Tree

# Tree entry modes (git stores them as octal numbers).
_DIRECTORY = 0o040000
_LINK = 0o120000
_SUBMODULE = 0o160000
_NOT_PACKAGE_MODULES = frozenset({"setup.py", "conftest.py", "noxfile.py"})
_MESSAGE_CHARS = 200
_TOUCHED_LISTED = 20  # paths listed per kind of file touched; the rest are counted
_Object = TypeVar("_Object")


def package_digest(files: Iterable[tuple[str, bytes]]) -> str:
    """One hash of a package's Python files (posix path, content), line endings normalised.

    The same function hashes the exercise's original on disk and each commit's blobs, so
    "this commit holds the original" is a comparison of two of these.
    """
    digest = hashlib.sha256()
    for path, data in sorted(files):
        digest.update(path.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(data.replace(b"\r\n", b"\n")).digest())
    return digest.hexdigest()


def kind_of(path: str, modules: Iterable[str]) -> str:
    """ "package", "tests" or "other", for a posix path relative to the submission's root."""
    parts = path.split("/")
    name = parts[-1]
    if parts[0] == "tests" or name == "conftest.py":
        return "tests"
    if name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py")):
        return "tests"
    if parts[0] in modules and len(parts) > 1:
        return "package"
    if len(parts) == 1 and name.endswith(".py") and name not in _NOT_PACKAGE_MODULES:
        return "package"  # an exercise module, or one the candidate added beside them
    return "other"


def is_exercise_file(path: str, modules: Iterable[str]) -> bool:
    """A Python file of the exercise's own modules (what ``package_digest`` covers)."""
    parts = path.split("/")
    if not path.endswith(".py"):
        return False
    return (len(parts) > 1 and parts[0] in modules) or (
        len(parts) == 1 and path.removesuffix(".py") in modules
    )


class _Limits(Exception):
    """A limit of the spec was reached: the reading stops and says which."""


class _Reader:
    def __init__(self, spec: dict[str, Any]) -> None:
        from dulwich.repo import Repo

        self.spec = spec
        self.repo = Repo(spec["repo"])
        self.modules = tuple(spec["modules"])
        self.subdir = spec["subdir"].encode("utf-8") if spec["subdir"] else b""
        self.out = Path(spec["out"])
        self.notes: list[str] = []
        self._digests: dict[tuple[tuple[str, bytes], ...], str] = {}

    # The walk -----------------------------------------------------------------------------

    def chain(self) -> tuple[list[bytes], bool]:
        """First-parent commits from HEAD, newest first, at most ``max_walk``; and whether
        the walk stopped at that limit."""
        try:
            head = self.repo.head()
        except KeyError:
            raise _Limits("the repository has no commits (HEAD names nothing)") from None
        shas: list[bytes] = []
        sha: bytes | None = head
        while sha is not None:
            if len(shas) >= self.spec["max_walk"]:
                return shas, True
            shas.append(sha)
            parents = self.commit(sha).parents
            sha = parents[0] if parents else None
        return shas, False

    def root_tree(self, commit_sha: bytes) -> bytes | None:
        """The tree of the submission's directory at this commit (None: not there)."""
        from dulwich.object_store import tree_lookup_path

        tree = self.commit(commit_sha).tree
        if not self.subdir:
            return bytes(tree)
        try:
            mode, sha = tree_lookup_path(self.repo.__getitem__, tree, self.subdir)
        except KeyError:
            return None
        return sha if mode == _DIRECTORY else None

    def entries(self, tree_sha: bytes | None) -> dict[str, tuple[int, bytes]]:
        """Every entry under the tree, posix path -> (mode, sha); bounded by ``max_entries``,
        which counts directories too (a tree of directories only would be free otherwise)."""
        found: dict[str, tuple[int, bytes]] = {}
        if tree_sha is None:
            return found
        stack: list[tuple[str, bytes]] = [("", tree_sha)]
        seen = 0
        while stack:
            prefix, sha = stack.pop()
            for entry in self.tree(sha).iteritems():
                name = entry.path.decode("utf-8", "replace")
                path = f"{prefix}{name}"
                seen += 1
                if seen > self.spec["max_entries"]:
                    raise _Limits(f"a tree holds more than {self.spec['max_entries']} entries")
                if entry.mode == _DIRECTORY:
                    stack.append((path + "/", entry.sha))
                else:
                    found[path] = (entry.mode, entry.sha)
        return found

    def commit(self, sha: bytes) -> Commit:
        from dulwich.objects import Commit

        return self._object(sha, Commit, "commit")

    def tree(self, sha: bytes) -> Tree:
        from dulwich.objects import Tree

        return self._object(sha, Tree, "tree")

    def _object(self, sha: bytes, kind: type[_Object], what: str) -> _Object:
        # The repository is hostile input: a sha it names may be an object of any kind.
        found = self.repo[sha]
        if not isinstance(found, kind):
            raise _Limits(
                f"not a readable git repository ({sha.decode('ascii', 'replace')} is not a {what})"
            )
        return found

    def blob(self, sha: bytes) -> bytes:
        data: bytes = self.repo[sha].as_raw_string()
        return data

    # What one commit is -------------------------------------------------------------------

    def digest(self, entries: dict[str, tuple[int, bytes]]) -> str:
        """``package_digest`` of the exercise's files in this tree (blobs read once per state)."""
        own = tuple(
            sorted(
                (path, sha)
                for path, (mode, sha) in entries.items()
                if _regular(mode) and is_exercise_file(path, self.modules)
            )
        )
        if own not in self._digests:
            self._digests[own] = package_digest((path, self.blob(sha)) for path, sha in own)
        return self._digests[own]

    def touched(
        self, before: dict[str, tuple[int, bytes]], after: dict[str, tuple[int, bytes]]
    ) -> tuple[dict[str, list[str]], dict[str, int], int]:
        """Paths changed, by kind (listed and counted), and package lines changed."""
        changed = sorted(p for p in {*before, *after} if before.get(p) != after.get(p))
        listed: dict[str, list[str]] = {"package": [], "tests": [], "other": []}
        counts = dict.fromkeys(listed, 0)
        lines = 0
        for path in changed:
            kind = kind_of(path, self.modules)
            counts[kind] += 1
            if len(listed[kind]) < _TOUCHED_LISTED:
                listed[kind].append(path)
            if kind == "package" and path.endswith(".py"):
                lines += _lines_changed(self._text(before.get(path)), self._text(after.get(path)))
        return listed, counts, lines

    def _text(self, entry: tuple[int, bytes] | None) -> list[str]:
        if entry is None or not _regular(entry[0]):
            return []
        return self.blob(entry[1]).decode("utf-8", "replace").splitlines()

    def materialize(self, tree_sha: bytes, entries: dict[str, tuple[int, bytes]]) -> str:
        """Write the tree's regular files under OUT/trees/<tree>/; its path relative to OUT."""
        relative = f"trees/{tree_sha.decode('ascii')}"
        target = self.out / relative
        if target.exists():
            return relative
        skipped = {"links": 0, "submodules": 0, "unsafe names": 0, "too large": 0}
        total = 0
        for path, (mode, sha) in sorted(entries.items()):
            if mode == _LINK:
                skipped["links"] += 1
                continue
            if mode == _SUBMODULE:
                skipped["submodules"] += 1
                continue
            if not _safe(path):
                skipped["unsafe names"] += 1
                continue
            data = self.blob(sha)
            if len(data) > self.spec["max_file_bytes"]:
                skipped["too large"] += 1
                continue
            total += len(data)
            if total > self.spec["max_tree_bytes"]:
                raise _Limits(
                    f"a commit's files add up to more than {self.spec['max_tree_bytes']} bytes"
                )
            destination = target / path
            try:
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(data)
            except OSError:  # a file and a folder of one name, say: skipped, not fatal
                skipped["unsafe names"] += 1
        target.mkdir(parents=True, exist_ok=True)
        (target.parent / f"{tree_sha.decode('ascii')}.skipped.json").write_text(
            json.dumps(skipped), "utf-8"
        )
        return relative

    # The manifest -------------------------------------------------------------------------

    def manifest(self) -> dict[str, Any]:
        shas, walk_cut = self.chain()
        shas.reverse()  # oldest first
        trees = [self.root_tree(sha) for sha in shas]
        starter, how = self.starter(shas, trees)
        result: dict[str, Any] = {
            "head": shas[-1].decode("ascii"),
            "walked": len(shas),
            "walk_cut": walk_cut,
            "starter": None,
            "starter_how": how,
            "commits": [],
            "notes": self.notes,
        }
        if starter is None:
            return result
        result["starter"] = shas[starter].decode("ascii")
        graded = 0
        # Two commits' entries at a time: a long history of large trees must not hold them all.
        previous = self.entries(trees[starter])
        for index in range(starter + 1, len(shas)):
            commit = self.commit(shas[index])
            tree = trees[index]
            current = self.entries(tree)
            kinds, counts, lines = self.touched(previous, current)
            directory = None
            if tree is not None and graded < self.spec["max_commits"]:
                directory = self.materialize(tree, current)
                graded += 1
            result["commits"].append(
                {
                    "sha": shas[index].decode("ascii"),
                    "message": _first_line(commit.message),
                    "time": int(commit.commit_time),
                    "merge": len(commit.parents) > 1,
                    "tree": tree.decode("ascii") if tree is not None else None,
                    "dir": directory,
                    "package_digest": self.digest(current),
                    "touched": kinds,
                    "counts": counts,
                    "package_lines": lines,
                }
            )
            previous = current
        return result

    def starter(self, shas: list[bytes], trees: list[bytes | None]) -> tuple[int | None, str]:
        """The index of the starter commit in ``shas``, and how it was found."""
        since = self.spec["since"]
        if since is not None:
            from dulwich.objectspec import AmbiguousShortId, parse_commit

            try:
                wanted = parse_commit(self.repo, since.encode("utf-8")).id
            except AmbiguousShortId:
                self.notes.append(f"--since {since}: names more than one commit")
                return None, "since"
            except (KeyError, ValueError, TypeError):
                self.notes.append(f"--since {since}: no such commit in the repository")
                return None, "since"
            if wanted not in shas:
                self.notes.append(
                    f"--since {since}: not among the {len(shas)} first-parent commits read "
                    "from HEAD"
                )
                return None, "since"
            return shas.index(wanted), "since"
        original = self.spec["original_digest"]
        by_tree: dict[bytes | None, str] = {}  # a tree met again is not listed again
        for index, tree in enumerate(trees):
            if tree not in by_tree:
                by_tree[tree] = self.digest(self.entries(tree))
            if by_tree[tree] == original:
                return index, "content"
        return None, "content"


def _regular(mode: int) -> bool:
    return mode not in (_LINK, _SUBMODULE, _DIRECTORY)


def _safe(path: str) -> bool:
    """A path that stays inside the directory it is written to, on any file system."""
    parts = path.split("/")
    return all(
        part not in ("", ".", "..")
        and part.lower() != ".git"
        and "\\" not in part
        and "\0" not in part
        and "\ufffd" not in part
        for part in parts
    )


def _first_line(message: bytes) -> str:
    text = message.decode("utf-8", "replace").strip().splitlines()
    line = text[0] if text else ""
    line = "".join(c if c.isprintable() else " " for c in line)
    return line[:_MESSAGE_CHARS]


def _lines_changed(before: list[str], after: list[str]) -> int:
    """Lines removed plus lines added, blank lines apart (as the complexity check counts)."""
    a = [line for line in before if line.strip()]
    b = [line for line in after if line.strip()]
    changed = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            changed += (i2 - i1) + (j2 - j1)
    return changed


def main(argv: list[str]) -> int:
    spec = json.loads(Path(argv[1]).read_text("utf-8"))
    out = Path(spec["out"])
    try:
        manifest = _Reader(spec).manifest()
    except _Limits as exc:
        manifest = {"error": str(exc)}
    except MemoryError:
        manifest = {"error": "reading it needed more memory than its limit"}
    except Exception as exc:  # a corrupt or unreadable repository: said in one line
        # Its type only: the message can quote any file the repository points at (a config
        # include, a ref that is a symbolic link), and the reason ends up in the report.
        manifest = {"error": f"not a readable git repository ({type(exc).__name__})"}
    out.mkdir(parents=True, exist_ok=True)
    partial = out / "manifest.json.part"
    partial.write_text(json.dumps(manifest), "utf-8")
    os.replace(partial, out / "manifest.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
