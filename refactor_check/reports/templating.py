"""The Jinja environment and the styles every HTML page of refactor-check shares.

report.html (one candidate) and cohort.html (a cohort) are rendered from the same templates
directory with the same autoescaping and filters, and share report.css, so both read alike.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from . import highlight, view

TEMPLATES = Path(__file__).resolve().parent / "templates"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.ChainableUndefined,  # absent sections render as empty, not errors
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["percent"] = view.percent
    env.filters["signed"] = view.signed
    env.filters["short"] = view.short_name
    return env


def css() -> str:
    """report.css and the colours of highlighted code."""
    return (TEMPLATES / "report.css").read_text(encoding="utf-8") + "\n" + highlight.css()
