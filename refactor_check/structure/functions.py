"""Every function and method of a package, read with libcst: names, spans, signatures, bodies.

Functions are named as the complexity check names them (``billing.invoice.Book.add``): each
top-level function and method once, a closure as part of the function that encloses it.
"""

from __future__ import annotations

import io
import keyword
import textwrap
import tokenize
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ..sources import PackageSource, SourceFile

# Tokens that carry no meaning for "is this the same code": layout and comments.
_LAYOUT = frozenset(
    {
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENCODING,
        tokenize.ENDMARKER,
    }
)


@dataclass(frozen=True)
class FunctionInfo:
    name: str  # module-qualified: billing.invoice.InvoiceBook.add
    qualname: str  # within its module: InvoiceBook.add
    module: str  # billing.invoice
    file: str  # relative to the package root, posix style
    line: int  # the ``def`` line (as radon counts it)
    end_line: int
    first_line: int  # decorators included
    signature: str  # "(self, prefix='INV', start=1)"; whitespace collapsed
    text: str  # the definition's source, decorators included, dedented
    tokens: tuple[str, ...]  # the body's tokens; docstring, comments and layout dropped
    calls: frozenset[str]  # names the body calls: f(), self.f(), module.f() all give "f"

    @property
    def short_name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]


def module_name(path: str) -> str:
    """billing/invoice.py -> billing.invoice; billing/__init__.py -> billing."""
    parts = path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def collect(package: PackageSource) -> tuple[FunctionInfo, ...]:
    """Every function of every file libcst could parse, in file and line order."""
    found: list[FunctionInfo] = []
    for source in package.files:
        if source.tree is not None:
            found.extend(_collect_file(source, source.tree))
    return tuple(sorted(found, key=lambda f: (f.file, f.line, f.name)))


def _collect_file(source: SourceFile, tree: cst.Module) -> list[FunctionInfo]:
    wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
    visitor = _Collector(source, module_name(source.path))
    wrapper.visit(visitor)
    return visitor.found


class _Collector(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, source: SourceFile, module: str) -> None:
        super().__init__()
        self.source = source
        self.module = module
        self.lines = source.text.splitlines()
        self.classes: list[str] = []
        self.found: list[FunctionInfo] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.classes.append(node.name.value)
        return True

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.classes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        position = self.get_metadata(PositionProvider, node)
        first = min(
            [position.start.line]
            + [self.get_metadata(PositionProvider, d).start.line for d in node.decorators]
        )
        qualname = ".".join([*self.classes, node.name.value])
        self.found.append(
            FunctionInfo(
                name=f"{self.module}.{qualname}" if self.module else qualname,
                qualname=qualname,
                module=self.module,
                file=self.source.path,
                line=position.start.line,
                end_line=position.end.line,
                first_line=first,
                signature=signature(node),
                text=textwrap.dedent("\n".join(self.lines[first - 1 : position.end.line])),
                tokens=body_tokens(node),
                calls=frozenset(_called_names(node)),
            )
        )
        return False  # closures and nested classes belong to this function's body


def signature(node: cst.FunctionDef) -> str:
    empty = cst.Module([])
    params = " ".join(empty.code_for_node(node.params).split())
    returns = ""
    if node.returns is not None:
        returns = " -> " + " ".join(empty.code_for_node(node.returns.annotation).split())
    return f"({params}){returns}"


def body_tokens(node: cst.FunctionDef) -> tuple[str, ...]:
    """The body as a token sequence: what "the same code" compares, whatever its layout."""
    empty = cst.Module([])
    body = node.body
    if isinstance(body, cst.IndentedBlock):
        statements = list(body.body)
        if statements and _is_docstring(statements[0]):
            statements = statements[1:]
        code = "".join(empty.code_for_node(s) for s in statements)
    else:  # a one-line body: def f(): return 1
        code = "; ".join(empty.code_for_node(s) for s in body.body)
    return tokens_of(textwrap.dedent(code))


def tokens_of(code: str) -> tuple[str, ...]:
    try:
        return tuple(
            t.string
            for t in tokenize.generate_tokens(io.StringIO(code).readline)
            if t.type not in _LAYOUT
        )
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return tuple(code.split())


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _called_names(node: cst.FunctionDef) -> set[str]:
    names: set[str] = set()

    class Calls(cst.CSTVisitor):
        def visit_Call(self, call: cst.Call) -> None:
            func = call.func
            if isinstance(func, cst.Name):
                names.add(func.value)
            elif isinstance(func, cst.Attribute):
                names.add(func.attr.value)

    node.body.visit(Calls())
    return {n for n in names if not keyword.iskeyword(n)}
