"""A static scan of the submission for code that games the grading instead of doing the work.

Nothing here runs the candidate's code: libcst resolves what each name refers to (through
``import x as y`` and ``from x import y``), and every rule matches qualified names, string
literals or files. Each rule either *blocks* (a finding of kind ``integrity``: the verdict is
"changed") or *warns* (shown in the report, verdict untouched). Blocking is kept for what an
honest refactor of a library module has no reason to do: detect the test run, reach into the
test machinery or the runner, patch builtins, leave the process, spawn processes or open
sockets, inspect callers' frames. A rule that already fires on the original is inherited
behaviour and never held against the candidate.

Rules judge what code does to the run, never that it names a testing library: a
``unittest.TestCase`` left in a module with ``unittest.main()`` under a main guard is a
remark (``tests_in_package``), not tampering. Only what the scan reads is judged: the
package, the candidate's tests, and the submission's files outside the folders that are not
the submission (``sources.ignored_because``: environments, caches, build output, ...).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import libcst as cst
from libcst.metadata import (
    MetadataWrapper,
    PositionProvider,
    QualifiedName,
    QualifiedNameProvider,
    QualifiedNameSource,
)

from .. import capabilities, dependencies
from ..results import CheckResult, Finding, Status
from ..sources import PackageSource, SourceFile, iter_tree, walk
from . import CheckContext

CHECK = "integrity"


@dataclass(frozen=True)
class Rule:
    id: str
    blocking: bool
    what: str  # completes "this code ..."


RULES = {
    rule.id: rule
    for rule in (
        Rule("detects_test_run", True, "looks for signs of a test run (PYTEST_*, pytest state)"),
        Rule("detects_mutation", True, "looks for signs of mutation testing (mutmut)"),
        Rule("test_machinery", True, "reaches into pytest's internals or plugin system"),
        Rule(
            "undeclared_import",
            True,
            "imports a module that is neither the standard library nor a dependency the "
            "exercise declares ([candidate] dependencies), so it runs or fails by machine",
        ),
        Rule(
            "capability_import",
            True,
            "imports a standard-library module the original never imports and that does more "
            "than compute (sys, os, gc, inspect, threading, importlib, ...)",
        ),
        Rule(
            "reaches_into",
            True,
            "reads another object's machinery (__globals__, __code__, __subclasses__, ...)",
        ),
        Rule(
            "forges_metadata",
            True,
            "assigns what an object says about itself (__signature__, __class__, __code__, ...)",
        ),
        Rule("targets_runner", True, "refers to refactor-check's runner, reports or golden tests"),
        Rule("patches_builtins", True, "patches builtins"),
        Rule("exits_process", True, "ends the process (os._exit, os.abort, exit at import)"),
        Rule("spawns_or_connects", True, "starts processes, sends signals or opens sockets"),
        Rule("raw_descriptors", True, "writes to or rewires raw file descriptors"),
        Rule("inspects_frames", True, "inspects stack frames or the garbage collector"),
        Rule("touches_sys_modules", True, "reads or changes sys.modules"),
        Rule("reads_command_line", True, "reads the process's command line (sys.argv)"),
        Rule("registers_atexit", True, "registers code to run at interpreter exit"),
        Rule("ships_test_hooks", True, "ships a conftest.py or *.pth where it would be honoured"),
        Rule("ships_links", True, "ships a symbolic link (links are never followed)"),
        Rule("reads_environment", False, "reads environment variables"),
        Rule("dynamic_code", True, "runs dynamic code (exec, eval, __import__, importlib)"),
        Rule(
            "new_stdlib_import",
            False,
            "imports a standard-library module the original does not (logging, time, random, "
            "...): plausible in a refactor, yet it touches the world",
        ),
        Rule("dynamic_attribute", False, "reaches an attribute by a computed name"),
        Rule(
            "builds_attribute_name",
            True,
            "reaches an attribute by a name it assembles at run time (chr codes, joins, "
            "slices), which hides what it reaches",
        ),
        Rule("file_access", False, "opens files"),
        Rule("absolute_path", False, "names an absolute path outside the package"),
        Rule("ships_test_config", False, "ships pytest configuration (never honoured)"),
        Rule("sys_exit_call", False, "calls sys.exit inside a function"),
        Rule("tests_in_package", False, "leaves test code in the package (unittest)"),
    )
}

# Qualified-name prefixes (a name matches itself and anything below it) -> rule.
_NAMES: dict[str, str] = {
    # pytest's internals and plugin system are the runner's objects; naming the public
    # ``pytest`` is an import like any other (undeclared_import unless declared), and unittest
    # is the standard library's: tests left in a module are a remark, not tampering.
    "_pytest": "test_machinery",
    "pluggy": "test_machinery",
    "unittest": "tests_in_package",
    "refactor_check": "targets_runner",
    "mutmut": "detects_mutation",
    "builtins.__dict__": "patches_builtins",
    "os._exit": "exits_process",
    "os.abort": "exits_process",
    "subprocess": "spawns_or_connects",
    "socket": "spawns_or_connects",
    "multiprocessing": "spawns_or_connects",
    "concurrent.futures.process": "spawns_or_connects",
    "ctypes": "spawns_or_connects",
    "pty": "spawns_or_connects",
    "signal": "spawns_or_connects",
    "http.client": "spawns_or_connects",
    "urllib.request": "spawns_or_connects",
    "asyncio.subprocess": "spawns_or_connects",
    "asyncio.create_subprocess_exec": "spawns_or_connects",
    "asyncio.create_subprocess_shell": "spawns_or_connects",
    "asyncio.open_connection": "spawns_or_connects",
    "os.system": "spawns_or_connects",
    "os.popen": "spawns_or_connects",
    "os.fork": "spawns_or_connects",
    "os.forkpty": "spawns_or_connects",
    "os.kill": "spawns_or_connects",
    "os.setsid": "spawns_or_connects",
    "os.setpgid": "spawns_or_connects",
    "os.exec": "spawns_or_connects",
    "os.execv": "spawns_or_connects",
    "os.execve": "spawns_or_connects",
    "os.spawnv": "spawns_or_connects",
    "os.posix_spawn": "spawns_or_connects",
    "os.killpg": "spawns_or_connects",
    "os.dup": "raw_descriptors",
    "os.dup2": "raw_descriptors",
    "os.write": "raw_descriptors",
    "os.writev": "raw_descriptors",
    "os.fdopen": "raw_descriptors",
    "os.close": "raw_descriptors",
    "os.closerange": "raw_descriptors",
    "os.truncate": "raw_descriptors",
    "os.open": "file_access",
    "sys._getframe": "inspects_frames",
    "sys._current_frames": "inspects_frames",
    "sys.settrace": "inspects_frames",
    "sys.setprofile": "inspects_frames",
    "inspect.currentframe": "inspects_frames",
    "inspect.stack": "inspects_frames",
    "inspect.trace": "inspects_frames",
    "inspect.getouterframes": "inspects_frames",
    "inspect.getframeinfo": "inspects_frames",
    "traceback.extract_stack": "inspects_frames",
    "traceback.walk_stack": "inspects_frames",
    "traceback.print_stack": "inspects_frames",
    "gc.get_objects": "inspects_frames",
    "gc.get_referrers": "inspects_frames",
    "gc.get_referents": "inspects_frames",
    "threading.settrace": "inspects_frames",
    "sys.modules": "touches_sys_modules",
    "sys.argv": "reads_command_line",
    "sys.orig_argv": "reads_command_line",
    "atexit": "registers_atexit",
    "os.environ": "reads_environment",
    "os.environb": "reads_environment",
    "os.getenv": "reads_environment",
    "builtins.exec": "dynamic_code",
    "builtins.eval": "dynamic_code",
    "builtins.compile": "dynamic_code",
    "builtins.__import__": "dynamic_code",
    "importlib": "dynamic_code",
    "builtins.open": "file_access",
    "io.open": "file_access",
    "pathlib": "file_access",
    "shutil": "file_access",
    "os.remove": "file_access",
    "os.unlink": "file_access",
    "os.rename": "file_access",
    "os.replace": "file_access",
    "os.listdir": "file_access",
    "os.scandir": "file_access",
    "os.walk": "file_access",
    "os.chmod": "file_access",
    "os.mkdir": "file_access",
    "os.makedirs": "file_access",
    "glob": "file_access",
}

# Attribute names that only frame and traceback objects have.
_FRAME_ATTRIBUTES = frozenset(
    {
        "f_back",
        "f_globals",
        "f_locals",
        "f_builtins",
        "f_code",
        "tb_frame",
        "gi_frame",
        "cr_frame",
        "ag_frame",
        "f_trace",
    }
)
# Calls that end the process: at import time that stops whatever imported the module.
_EXITS = frozenset({"sys.exit", "builtins.exit", "builtins.quit", "unittest.main"})
# Rules whose hits the original excuses only for the same subject (the same module), not for
# the rule as a whole: the original importing attrs does not excuse a candidate's requests.
_PER_SUBJECT = frozenset(
    {
        "undeclared_import",
        "capability_import",
        "new_stdlib_import",
        "reaches_into",
        "forges_metadata",
    }
)
# getattr-like builtins: which argument is the object, which the attribute's name, and
# whether the call writes the attribute.
_ATTRIBUTE_CALLS = {
    "builtins.getattr": False,
    "builtins.hasattr": False,
    "builtins.setattr": True,
    "builtins.delattr": True,
}
# Calls that import the module their first argument names.
_IMPORT_CALLS = frozenset({"builtins.__import__", "importlib.import_module"})
# Test machinery that code under test must never change: patching it (``pytest.raises =
# ...``, ``setattr(unittest.TestCase, ...)``) rewrites how the golden tests judge.
_TEST_MACHINERY = ("pytest", "_pytest", "pluggy", "unittest")
# Bare names that reach the builtins namespace itself.
_BUILTINS_NAMES = frozenset({"__builtins__"})

# Substrings of string literals (compared case-insensitively) -> rule.
_STRINGS: tuple[tuple[str, str], ...] = (
    ("pytest_", "detects_test_run"),
    ("pytest", "detects_test_run"),
    ("mutant_under_test", "detects_mutation"),
    ("mutmut", "detects_mutation"),
    ("/dev/fd", "targets_runner"),
    ("/proc/self/fd", "targets_runner"),
    ("channel-fd", "targets_runner"),
    ("junit", "targets_runner"),
    ("refactor_check", "targets_runner"),
    ("refactor-check", "targets_runner"),
    (".entry.py", "targets_runner"),
    (".start.py", "targets_runner"),
    (".start.json", "targets_runner"),
    ("golden_repo", "targets_runner"),
    ("conftest", "targets_runner"),
    ("tests/", "targets_runner"),
    ("/tests", "targets_runner"),
    ("test_*", "targets_runner"),
)
_ABSOLUTE_PREFIXES = ("/proc", "/etc", "/home", "/root", "/tmp", "/sys", "/dev", "/var", "/work")


@dataclass(frozen=True)
class Hit:
    rule: str
    file: str
    line: int
    detail: str

    def describe(self) -> str:
        return f"{self.file}:{self.line}: {self.detail} ({RULES[self.rule].what}) [{self.rule}]"

    @property
    def key(self) -> tuple[str, ...]:
        """What the original must also do for this hit to be inherited, not the candidate's."""
        return (self.rule, self.detail) if self.rule in _PER_SUBJECT else (self.rule,)


def run(ctx: CheckContext) -> CheckResult:
    candidate = ctx.candidate
    declared = ctx.exercise.dependencies
    original_allowed = allowed_imports(ctx.original.module_names, declared)
    original_keys = {hit.key for hit in scan_package(ctx.original, original_allowed)}
    # The modules a candidate added beside the package are theirs to import.
    allowed = allowed_imports(candidate.package.module_names, declared)
    hits = list(scan_package(candidate.package, allowed))
    hits += scan_submission_files(candidate.root, candidate.package)
    if candidate.tests is not None:
        hits += [h for h in scan_tests(candidate.root, candidate.tests)]
    hits = sorted(set(hits), key=lambda h: (h.file, h.line, h.rule, h.detail))
    inherited = [h for h in hits if h.key in original_keys]
    fresh = [h for h in hits if h.key not in original_keys]
    findings = tuple(
        Finding(
            kind="integrity",
            message=h.describe(),
            check=CHECK,
            file=h.file,
            line=h.line,
            rule=h.rule,
        )
        for h in fresh
        if RULES[h.rule].blocking
    )
    warnings = tuple(h.describe() for h in fresh if not RULES[h.rule].blocking)
    warnings += tuple(f"{h.describe()}; the original does this too" for h in inherited)
    if findings:
        summary = f"{len(findings)} blocking pattern(s), {len(warnings)} warning(s)"
    else:
        summary = f"no blocking patterns, {len(warnings)} warning(s)"
    return CheckResult(
        check=CHECK,
        status=Status.found(findings),
        summary=summary,
        findings=findings,
        warnings=warnings,
    )


def allowed_imports(own: tuple[str, ...], declared: dependencies.Dependencies) -> frozenset[str]:
    """Top-level modules the code may import beside the standard library: its own top-level
    names and the modules of the distributions the exercise declares."""
    return frozenset(own) | declared.package_imports()


def scan_package(package: PackageSource, allowed: frozenset[str] | None = None) -> Iterator[Hit]:
    """Hits in a package; with ``allowed``, imports of anything outside it and the standard
    library are hits too."""
    for source in package.files:
        if source.tree is not None:
            yield from scan_source(source, allowed=allowed)
    for path in package.skipped:
        yield Hit("ships_links", path, 1, "symbolic link or special file")


def scan_source(
    source: SourceFile, tests: bool = False, allowed: frozenset[str] | None = None
) -> Iterator[Hit]:
    """Hits in one parsed file; in test files only the rules that bear on grading."""
    assert source.tree is not None
    visitor = _Scanner(source.path, None if tests else allowed)
    MetadataWrapper(source.tree, unsafe_skip_copy=True).visit(visitor)
    for hit in visitor.hits:
        if not tests or hit.rule in ("detects_mutation", "targets_runner"):
            yield hit


def scan_tests(root: Path, tests: Path) -> list[Hit]:
    from ..sources import read_source

    hits: list[Hit] = []
    files, _ = iter_tree(tests)
    for path in files:
        if path.suffix == ".py":
            source = read_source(path, path.relative_to(root).as_posix())
            if source.tree is not None:
                hits += scan_source(source, tests=True)
    return hits


def scan_submission_files(root: Path, package: PackageSource) -> list[Hit]:
    """Files whose mere presence matters: hooks pytest or Python would honour."""
    hits: list[Hit] = []
    tree = walk(root, frozenset({"tests", *(p.name for p in package.locations)}))
    files, links = tree.files, tree.skipped
    for path in files:
        relative = path.relative_to(root).as_posix()
        inside_package = any(path == p or p in path.parents for p in package.locations)
        if path.name.endswith(".pth"):
            hits.append(Hit("ships_test_hooks", relative, 1, "a .pth file"))
        elif path.name == "conftest.py":
            if inside_package:
                hits.append(Hit("ships_test_hooks", relative, 1, "conftest.py inside the package"))
            else:
                hits.append(
                    Hit(
                        "ships_test_config",
                        relative,
                        1,
                        "conftest.py (never honoured in the golden run)",
                    )
                )
        elif path.name in ("pytest.ini", "tox.ini") or (
            path.name in ("setup.cfg", "pyproject.toml") and _has_pytest_section(path)
        ):
            hits.append(Hit("ships_test_config", relative, 1, f"{path.name} with pytest settings"))
    for link in links:
        relative = link.relative_to(root).as_posix()
        inside_package = any(p in link.parents for p in package.locations)
        if not inside_package:  # links inside the package are reported by scan_package
            hits.append(Hit("ships_links", relative, 1, "symbolic link or special file"))
    return hits


def _has_pytest_section(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return "[tool:pytest]" in text or "[tool.pytest" in text


class _Scanner(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (QualifiedNameProvider, PositionProvider)

    def __init__(self, path: str, allowed_imports: frozenset[str] | None = None) -> None:
        super().__init__()
        self.path = path
        self.allowed_imports = allowed_imports  # None: imports are not checked (tests)
        self.hits: list[Hit] = []
        self._function_depth = 0
        # Module-level ``NAME = <expression>``: what a name passed to getattr stands for.
        self._constants: dict[str, cst.BaseExpression] = {}
        self._main_guard_depth = 0
        self._type_checking_depth = 0

    def _hit(self, rule: str, node: cst.CSTNode, detail: str) -> None:
        line = self.get_metadata(PositionProvider, node).start.line
        self.hits.append(Hit(rule, self.path, line, detail))

    def visit_Module(self, node: cst.Module) -> None:
        for statement in node.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if (
                        isinstance(small, cst.Assign)
                        and len(small.targets) == 1
                        and isinstance(small.targets[0].target, cst.Name)
                    ):
                        self._constants[small.targets[0].target.value] = small.value

    # Where we are: inside a function, or under `if __name__ == "__main__":`.
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._function_depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._function_depth -= 1

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._function_depth += 1

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self._function_depth -= 1

    def visit_If(self, node: cst.If) -> None:
        if _is_main_guard(node.test):
            self._main_guard_depth += 1
        if _is_type_checking(node.test):
            self._type_checking_depth += 1

    def leave_If(self, original_node: cst.If) -> None:
        if _is_main_guard(original_node.test):
            self._main_guard_depth -= 1
        if _is_type_checking(original_node.test):
            self._type_checking_depth -= 1

    # What names refer to.
    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = cst.helpers.get_full_name_for_node(alias.name) or ""
            self._check_import(name, alias)
            self._check_name(name, alias)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            return
        module = cst.helpers.get_full_name_for_node(node.module) or ""
        self._check_import(module, node)
        if isinstance(node.names, cst.ImportStar):
            self._check_name(module, node)
            return
        for alias in node.names:
            name = cst.helpers.get_full_name_for_node(alias.name) or ""
            if f"{module}.{name}" in capabilities.DENIED_SUBMODULES:
                self._check_import(f"{module}.{name}", alias)
            self._check_name(f"{module}.{name}", alias)

    def _qualified(self, node: cst.CSTNode) -> set[QualifiedName]:
        # libcst types the provider's value as a Collection; the set() default is ours.
        names = self.get_metadata(QualifiedNameProvider, node, set())
        return set(names)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in _BUILTINS_NAMES:
            self._hit("patches_builtins", node, f"uses {node.value}")
        for name in _outside_names(self._qualified(node)):
            self._check_name(name, node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._check_attribute(node.attr.value, node, writes=False)
        for name in _outside_names(self._qualified(node)):
            self._check_name(name, node)

    def _check_attribute(self, attribute: str, node: cst.CSTNode, writes: bool) -> None:
        """An attribute read or written, by name or by a name the code builds."""
        if attribute in _FRAME_ATTRIBUTES:
            self._hit("inspects_frames", node, f"uses .{attribute}")
        elif attribute in capabilities.REACHING:
            self._hit("reaches_into", node, f"reads .{attribute}")
        if writes and attribute in capabilities.FORGING:
            self._hit("forges_metadata", node, f"assigns .{attribute}")

    def _check_import(self, module: str, node: cst.CSTNode) -> None:
        """An import of a module that may be installed on one machine and not another.

        Imports that never run when the package is imported are left alone: under the main
        guard (a script's own needs) and under ``if TYPE_CHECKING:`` (read by type checkers).
        """
        if self.allowed_imports is None or self._main_guard_depth or self._type_checking_depth:
            return
        top = module.split(".", 1)[0]
        if any(module == d or module.startswith(d + ".") for d in capabilities.DENIED_SUBMODULES):
            self._hit("capability_import", node, f"imports {module}")
            return
        if not top or top in self.allowed_imports or top in capabilities.PURE:
            return
        if top in capabilities.TEST_MODULES:
            return  # tests left in the module: the tests_in_package remark
        if not dependencies.is_standard_library(top):
            self._hit("undeclared_import", node, f"imports {top}")
        elif top in capabilities.PLAUSIBLE:
            self._hit("new_stdlib_import", node, f"imports {top}")
        else:
            self._hit("capability_import", node, f"imports {top}")

    def visit_Call(self, node: cst.Call) -> None:
        names = {q.name for q in self.get_metadata(QualifiedNameProvider, node.func, set())}
        self._check_dynamic_reach(names, node)
        exits = names & _EXITS
        if exits:
            if self._function_depth == 0 and self._main_guard_depth == 0:
                self._hit("exits_process", node, "exits at import time")
            elif exits != {"unittest.main"}:  # under a main guard it is a script's entry
                self._hit("sys_exit_call", node, "calls sys.exit")
        if "builtins.setattr" in names and node.args:
            value = node.args[0].value
            target = {q.name for q in self.get_metadata(QualifiedNameProvider, value, set())}
            # The builtins module by name or alias, or an expression that fetches it
            # (``__import__('builtins')``); setattr on the package's own objects is fine.
            if "builtins" in target or "builtins" in cst.Module([]).code_for_node(value):
                self._hit("patches_builtins", node, "setattr on builtins")
            patched = sorted(n for n in target if _is_test_machinery(n))
            if patched:
                self._hit("test_machinery", node, f"setattr on {patched[0]}")

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._check_assignment(target.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._check_assignment(node.target)

    def _check_dynamic_reach(self, names: set[str], node: cst.Call) -> None:
        """``getattr(f, "__glo" + "bals__")`` reads what ``f.__globals__`` reads, and
        ``__import__("g" + "c")`` imports what ``import gc`` imports: names built from
        literals are judged as if written out. A name computed at run time cannot be read
        here; it is a remark, and the runtime audit sees what it reaches."""
        for function in names & _ATTRIBUTE_CALLS.keys():
            if len(node.args) < 2:
                continue
            name = node.args[1].value
            attribute = capabilities.fold(name)
            called = function.split(".")[-1]
            if attribute is not None:
                self._check_attribute(attribute, node, writes=_ATTRIBUTE_CALLS[function])
            elif _is_built(
                self._constants.get(name.value, name) if isinstance(name, cst.Name) else name
            ):
                # A name assembled from pieces (chr codes, joins, slices) is hiding what
                # it names; a name that comes from data (a field list, a parameter) is not.
                self._hit("builds_attribute_name", node, f"{called} by a name built at run time")
            elif not _is_own_object(node.args[0].value):
                self._hit("dynamic_attribute", node, f"{called} by a computed name")
        if names & _IMPORT_CALLS and node.args:
            module = capabilities.fold(node.args[0].value)
            if module is not None:
                self._check_import(module, node)
                self._check_name(module, node)

    def _check_assignment(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Attribute):
            self._check_attribute(target.attr.value, target, writes=True)
        names = {q.name for q in self.get_metadata(QualifiedNameProvider, target, set())}
        if any(n.startswith("builtins.") for n in names):
            self._hit("patches_builtins", target, "assigns to a builtin")
        patched = sorted(n for n in names if "." in n and _is_test_machinery(n))
        if patched:
            self._hit("test_machinery", target, f"patches {patched[0]}")

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        # A docstring (or any bare string statement) is prose: it may say "pytest" freely.
        return not (
            len(node.body) == 1
            and isinstance(node.body[0], cst.Expr)
            and isinstance(node.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
        )

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self._check_string(node, node.evaluated_value)

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        # "PYTEST" + "_CURRENT_TEST" says what its parts do not; the parts are checked too.
        if isinstance(node.operator, cst.Add):
            self._check_string(node, capabilities.fold(node))

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        self._check_string(node, capabilities.fold(node))

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        self._check_string(node, node.value)

    def _check_string(self, node: cst.CSTNode, value: object) -> None:
        if not isinstance(value, str):
            return
        lowered = value.lower()
        for needle, rule in _STRINGS:
            if needle in lowered:
                self._hit(rule, node, f"string mentions {needle!r}")
                return
        if lowered.startswith(_ABSOLUTE_PREFIXES) or "../" in lowered:
            self._hit("absolute_path", node, f"path {value[:60]!r}")

    def _check_name(self, qualified: str, node: cst.CSTNode) -> None:
        rule = _rule_for(qualified)
        if rule is None:
            return
        if rule == "reads_command_line" and self._main_guard_depth:
            return  # a script entry point reading its own arguments is fine
        self._hit(rule, node, f"uses {qualified}")


def _outside_names(qualified: set[QualifiedName]) -> list[str]:
    """The names that come from an import or the builtins. A name the module binds itself
    (``signal = tuple``, ``def socket(...)``) is its own, whatever it is called; what it
    is bound to is checked where it is written (``__import__("signal")`` is dynamic_code)."""
    return sorted(q.name for q in qualified if q.source is not QualifiedNameSource.LOCAL)


def _rule_for(qualified: str) -> str | None:
    parts = qualified.split(".")
    for end in range(len(parts), 0, -1):
        rule = _NAMES.get(".".join(parts[:end]))
        if rule is not None:
            return rule
    return None


def _is_built(node: cst.BaseExpression) -> bool:
    """An expression that assembles a string rather than fetching one: a call (``chr``,
    ``join``, ``decode``), arithmetic, an f-string with fields, or a slice."""
    if isinstance(node, (cst.Call, cst.BinaryOperation, cst.FormattedString)):
        return True
    return isinstance(node, cst.Subscript) and any(
        isinstance(element.slice, cst.Slice) for element in node.slice
    )


def _is_own_object(node: cst.BaseExpression) -> bool:
    """``self`` and ``cls``: a class setting its own attributes by name is ordinary code."""
    return isinstance(node, cst.Name) and node.value in ("self", "cls")


def _is_test_machinery(qualified: str) -> bool:
    return qualified.split(".", 1)[0] in _TEST_MACHINERY


def _is_type_checking(test: cst.BaseExpression) -> bool:
    """``if TYPE_CHECKING:`` or ``if typing.TYPE_CHECKING:``: never true at run time."""
    if isinstance(test, cst.Name):
        return test.value == "TYPE_CHECKING"
    return isinstance(test, cst.Attribute) and test.attr.value == "TYPE_CHECKING"


def _is_main_guard(test: cst.BaseExpression) -> bool:
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    left, right = test.left, test.comparisons[0].comparator
    names = {getattr(left, "value", None), getattr(right, "value", None)}
    return "__name__" in names and bool(names & {'"__main__"', "'__main__'"})
