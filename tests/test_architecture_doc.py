"""docs/architecture.md lists every module of the package, and only modules that exist."""

from __future__ import annotations

import re
from pathlib import Path

import refactor_check

PACKAGE = Path(refactor_check.__file__).resolve().parent
DOC = PACKAGE.parent / "docs" / "architecture.md"


def _listed(text: str) -> set[str]:
    """The module paths named in backticks under "## Modules"."""
    section = text.split("## Modules", 1)[1]
    return set(re.findall(r"`([\w/]+\.py)`", section))


def test_every_module_is_on_the_map_and_the_map_names_no_other() -> None:
    modules = {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "vendor" not in path.relative_to(PACKAGE).parts
    }
    listed = _listed(DOC.read_text(encoding="utf-8"))
    assert sorted(modules - listed) == [], "modules missing from docs/architecture.md"
    assert sorted(listed - modules) == [], "docs/architecture.md names modules that do not exist"


def test_the_reader_of_the_map_sees_a_missing_module() -> None:
    text = "# Map\n## Modules\n- `a.py`: one.\n- `b/c.py`, `b/d.py`: two.\n"
    assert _listed(text) == {"a.py", "b/c.py", "b/d.py"}
