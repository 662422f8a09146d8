"""mutation.html: the mutation reports in Stryker's standard viewer, one self-contained page.

The viewer is the ``<mutation-test-report-app>`` web component of the npm package
mutation-testing-elements (what Stryker's own HTML report uses), vendored under
``vendor/mutation-testing-elements/`` and inlined here, so the page opens from disk or from
a CI artifact with no network. It shows the reports stryker.py writes as mutation*.json, the
same dicts, embedded as JSON: the candidate's tests on their code first, then the other
scores that were measured, chosen with a row of buttons above the one viewer (two viewers on
one page would both follow the URL fragment the viewer navigates by).

The embedded JSON holds candidate source code, so ``<``, ``>``, ``&``, U+2028 and U+2029 are
written as ``\\u003c`` and so on: no ``</script>`` or ``<!--`` in a file can end or bend the
script element. A Content-Security-Policy allows the page's two inline scripts (by hash) and
forbids every fetch, which also keeps the viewer's ``src`` and ``sse`` loading paths shut.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path
from typing import Any

from ..report import Report
from ..results.mutation import CHECK as MUTATION
from ..results.mutation import MutationScore
from . import stryker, view

FILENAME = "mutation.html"
VENDOR = Path(__file__).resolve().parent / "vendor" / "mutation-testing-elements"
BUNDLE = VENDOR / "mutation-test-elements.js"
VERSION = "3.9.0"  # of mutation-testing-elements; vendor/.../README.md says how to update it
# In stryker.FILES' order, which puts the contract's score first; the titles are report.html's.
TITLES = {
    "candidate_tests": "Their tests on their code",
    "candidate_tests_on_original": "Their tests on the original",
    "golden_on_original": "Golden suite on the original",
}
DATA_ID = "mutation-reports"
_JSON_ESCAPES = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)
# Either would end the bundle's script element early (or, after a "<!--", keep it open past
# its end tag); an update of the vendored file must not bring one in unnoticed.
_SCRIPT_TAG = re.compile(r"</?script", re.IGNORECASE)
# Hands the chosen report to the viewer. Static text, so its CSP hash never changes.
APP_SCRIPT = """
(function () {
  var reports = JSON.parse(document.getElementById("{data_id}").textContent);
  var app = document.querySelector("mutation-test-report-app");
  var buttons = Array.prototype.slice.call(document.querySelectorAll("nav.scores button"));
  var note = document.getElementById("score-note");
  function show(index) {
    var chosen = reports[index];
    buttons.forEach(function (button, i) {
      button.setAttribute("aria-pressed", i === index ? "true" : "false");
    });
    note.textContent = chosen.note || "";
    app.titlePostfix = chosen.title;
    app.report = chosen.report;
  }
  buttons.forEach(function (button, index) {
    button.addEventListener("click", function () {
      show(index);
      // A file open in one report need not exist in the next: start from its overview.
      location.replace("#mutant");
    });
  });
  app.addEventListener("theme-changed", function (event) {
    document.documentElement.setAttribute("data-theme", event.detail.theme);
    document.body.style.backgroundColor = event.detail.themeBackgroundColor;
  });
  show(0);
})();
""".replace("{data_id}", DATA_ID)
CSS = """
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1f2328; }
html[data-theme="dark"] { color-scheme: dark; }
html[data-theme="dark"] body { color: #e4e4e7; }
header { padding: 1rem 2rem 0.25rem; }
h1 { font-size: 1.35rem; margin: 0 0 0.25rem; }
p { margin: 0.25rem 0; }
a { color: #0969da; }
html[data-theme="dark"] a { color: #58a6ff; }
.muted { opacity: 0.75; font-size: 0.9em; }
nav.scores { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.75rem 0 0.25rem; }
nav.scores button { font: inherit; padding: 0.35rem 0.8rem; border-radius: 6px;
  border: 1px solid #8c959f; background: transparent; color: inherit; cursor: pointer; }
nav.scores button[aria-pressed="true"] { background: #0969da; border-color: #0969da;
  color: #fff; }
#score-note { color: #9a6700; }
mutation-test-report-app { display: block; padding: 0 2rem 2rem; }
.noscript { padding: 0 2rem; }
"""


def render(report: Report) -> str | None:
    """The page, or None when no mutation score was measured (nothing for the viewer)."""
    entries = [
        _entry(key, score, report.tool_version) for key, score in stryker.scores(report).items()
    ]
    if not entries:
        return None
    package = report.exercise.package
    bundle = _bundle()
    buttons = "\n".join(
        f'    <button type="button" aria-pressed="{str(i == 0).lower()}">'
        f"{html.escape(e['title'])} <strong>{html.escape(e['label'])}</strong></button>"
        for i, e in enumerate(entries)
    )
    _, summary = view.status(report, MUTATION)
    result = view.mutation(report)
    profile = result.profile if result else None
    if profile:
        summary += f" (profile {profile})"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{html.escape(_csp(bundle))}">
<title>Mutation testing: {html.escape(package)} · refactor-check</title>
<style>{CSS}</style>
</head>
<body>
<header>
  <h1>Mutation testing: <code>{html.escape(package)}</code></h1>
  <p>{html.escape(summary)}</p>
  <p class="muted">Each mutant in its place in the code. The verdict, the scorecard and the
  surviving mutants' diffs are in <a href="report.html">report.html</a>; the same reports as
  JSON in {html.escape(", ".join(stryker.FILES[e["key"]] for e in entries))}.</p>
  <nav class="scores" aria-label="Mutation scores">
{buttons}
  </nav>
  <p id="score-note">{html.escape(entries[0]["note"])}</p>
</header>
<noscript><p class="noscript">The viewer needs JavaScript; report.html shows the
scores and the surviving mutants' diffs without it.</p></noscript>
<mutation-test-report-app></mutation-test-report-app>
<script type="application/json" id="{DATA_ID}">{embed_json(entries)}</script>
<!-- mutation-testing-elements {VERSION}, Apache-2.0,
     https://github.com/stryker-mutator/mutation-testing-elements -->
<script>{bundle}</script>
<script>{APP_SCRIPT}</script>
</body>
</html>
"""


def write(report: Report, out_dir: Path) -> list[Path]:
    """mutation.html, or nothing when no score was measured.

    Nothing rather than a page saying so: stryker.write_all writes no mutation*.json then
    either, report.html already says mutation testing did not run, and a batch of such
    gradings would otherwise carry the viewer's quarter megabyte per candidate for nothing.
    """
    page = render(report)
    if page is None:
        return []
    path = out_dir / FILENAME
    path.write_text(page, encoding="utf-8")
    return [path]


def embed_json(value: Any) -> str:
    """JSON that can sit inside a <script> element whatever its strings hold."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)


def _entry(key: str, score: MutationScore, tool_version: str) -> dict[str, Any]:
    # As the viewer prints a score (two decimals), so the button and the table agree.
    label = f"{score.score * 100:.2f}%"
    return {
        "key": key,
        "title": TITLES[key],
        "label": label,
        "note": score.note or "",
        "report": stryker.report(score, tool_version),
    }


def _bundle() -> str:
    text = BUNDLE.read_text(encoding="utf-8")
    if _SCRIPT_TAG.search(text):
        raise RuntimeError(f"{BUNDLE} holds a <script or </script tag and cannot be inlined")
    return text


def _csp(bundle: str) -> str:
    """Only this page's two scripts run, and nothing is fetched (no fonts, no report by URL)."""
    hashes = " ".join(f"'sha256-{_sha256(script)}'" for script in (bundle, APP_SCRIPT))
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src {hashes}; base-uri 'none'; form-action 'none'"
    )


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
