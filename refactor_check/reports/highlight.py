"""Python source as HTML, one string per line, coloured by pygments.

Lines are kept apart (a docstring or a bracket spanning lines is split at each newline) so
that side-by-side views and diffs can place each line in its own table cell.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
from pygments.token import STANDARD_TYPES, _TokenType

# A light style with enough contrast on white and in print.
STYLE = "default"
CSS_SCOPE = ".code"


def css() -> str:
    """The colour rules for highlighted code, scoped to ``CSS_SCOPE``.

    pygments adds unscoped rules for its own line-number tables; those would restyle every
    ``pre`` of the page, so only the scoped token rules are kept.
    """
    rules = HtmlFormatter(style=STYLE).get_style_defs(CSS_SCOPE).splitlines()
    return "\n".join(rule for rule in rules if rule.startswith(CSS_SCOPE + " "))


def lines(source: str) -> list[Markup]:
    """Each line of ``source`` as highlighted, escaped HTML (no trailing newline)."""
    return [
        Markup("".join(_span(css_class, text) for css_class, text in row))
        for row in token_lines(source)
    ]


Token = tuple[str, str]  # (pygments' short CSS class, text)


def token_lines(source: str) -> list[tuple[Token, ...]]:
    """Each line of ``source`` as pygments' tokens (lexed as one block, so a string spanning
    lines keeps its colour), with the short CSS classes ``css`` styles; no trailing newline."""
    rows: list[list[Token]] = [[]]
    lexer = PythonLexer(stripnl=False, ensurenl=False, tabsize=0)
    for token_type, value in lexer.get_tokens(source):
        css_class = _css_class(token_type)
        for i, piece in enumerate(value.split("\n")):
            if i:
                rows.append([])
            if piece:
                rows[-1].append((css_class, piece))
    if source.endswith("\n") and rows and not rows[-1]:
        rows.pop()
    return [tuple(row) for row in rows]


def _span(css_class: str, text: str) -> str:
    piece = escape(text, quote=False)
    return f'<span class="{css_class}">{piece}</span>' if css_class else piece


def _css_class(token_type: _TokenType) -> str:
    while token_type not in STANDARD_TYPES:
        token_type = token_type.parent
    return str(STANDARD_TYPES[token_type])
