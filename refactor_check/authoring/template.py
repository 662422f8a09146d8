"""Text files shipped in ``templates/``, with ``@@KEY@@`` placeholders filled in.

``@@KEY@@`` rather than ``$key`` or ``{key}``: the files are Python, TOML, Markdown and GitHub
Actions YAML, which use ``$``, ``{}`` and ``${{ }}`` themselves.
"""

from __future__ import annotations

import re
from importlib import resources

_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")


def render(name: str, **values: str) -> str:
    """The template ``name`` with every placeholder replaced; a missing value is a bug."""
    source = resources.files(__package__).joinpath("templates").joinpath(name)
    text = source.read_text(encoding="utf-8")

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise KeyError(f"template {name} needs a value for @@{key}@@")
        return values[key]

    return _PLACEHOLDER.sub(fill, text)
