"""summary.md as GitHub shows it: rendered to HTML by a CommonMark parser with GFM tables,
strikethrough and autolinks (markdown-it-py), then read back as HTML.

Text from the submission must come out as the same text, in the same table cell: no tag,
link, emphasis or extra cell of its making.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from functools import cache
from html.parser import HTMLParser
from importlib.util import find_spec

import pytest
from markdown_it import MarkdownIt

from refactor_check.report import Report
from refactor_check.reports import markdown
from refactor_check.results.complexity import ChangeSize
from refactor_check.results.run import IgnoredFolder

from . import made_reports
from .conftest import CliResult
from .test_show import golden_gap_run

__all__ = ["golden_gap_run"]  # a fixture, used by name

HOSTILE = (
    "a | b *em* _em_ __init__ <script>alert(1)</script> <img src=x onerror=alert(1)> "
    "[x](javascript:alert(1)) ![i](x.png) `code` ``two`` ~~gone~~ &amp; &#60; \\| <!-- c --> "
    "<https://autolink.example>"
)


@cache
def gfm() -> MarkdownIt:
    """GitHub's dialect as far as markdown-it-py has it; raw HTML passes, as GitHub lets some."""
    md = MarkdownIt("commonmark", {"linkify": find_spec("linkify_it") is not None})
    md.enable(["table", "strikethrough"])
    if md.options["linkify"]:
        md.enable("linkify")
        # GitHub links www. and http(s):// only, not every bare domain ("toy.py" is not one).
        md.linkify.set({"fuzzy_link": False})
    return md


class Page(HTMLParser):
    """The rendered page: its tags in order, and each table's rows of cell texts."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.tables: list[list[list[str]]] = []
        self.headings: list[str] = []
        self._cell: list[str] | None = None
        self._heading: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag + "".join(f" {name}" for name, _ in attrs))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("h2", "h3"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        self.tags.append("/" + tag)
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None
        elif tag in ("h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None

    def handle_data(self, data: str) -> None:
        for collecting in (self._cell, self._heading):
            if collecting is not None:
                collecting.append(data)

    def row(self, first: str) -> list[str]:
        return next(r for t in self.tables for r in t if r and r[0] == first)


def render(report: Report) -> tuple[str, Page]:
    html = gfm().render(markdown.render(report))
    return html, Page(html)


@dataclass(frozen=True)
class _SaidChange(ChangeSize):
    """A change whose summary says ``said``: text where summary.md shows the size of change."""

    said: str = ""

    def describe(self) -> str:
        return self.said


def read_back(run: CliResult) -> Report:
    return Report.from_json(run.report)


def with_text(report: Report, text: str) -> Report:
    """The report with ``text`` wherever summary.md shows text of the submission."""
    golden = report.check("golden")
    complexity = report.complexity
    assert golden is not None and complexity is not None and complexity.change is not None
    first, *rest = report.findings
    changed = replace(
        report,
        candidate=replace(
            report.candidate,
            path=f"/submissions/{text}",
            ignored=(IgnoredFolder(path=text, why=text),),
        ),
        verdict=replace(report.verdict, reason=text),
    )
    changed = made_reports.with_findings(changed, replace(first, message=text, test_id=text), *rest)
    changed = made_reports.with_check(changed, replace(golden, summary=text))
    said = _SaidChange(**asdict(complexity.change), said=text)
    return made_reports.with_check(changed, replace(complexity, change=said))


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_the_written_summary_shows_arrows_as_arrows(golden_gap_run: CliResult) -> None:
    html = gfm().render((golden_gap_run.out / "summary.md").read_text("utf-8"))
    page = Page(html)
    summary = next(c for c in golden_gap_run.report["checks"] if c["check"] == "complexity")
    assert " -> " in summary["summary"]  # "cyclomatic complexity 86 -> 110 (+24); ..."
    assert page.row("complexity") == ["complexity", "passed", summary["summary"]]
    assert "-&amp;gt;" not in html and "-&gt;" in html  # the text "->", not "&gt;" shown
    (finding,) = golden_gap_run.report["findings"]
    assert page.row("differential_mismatch")[2] == finding["message"]
    assert page.headings[0].endswith("Behaviour changed: invoice · golden_gap")


def test_evidence_is_shown_verbatim(golden_gap_run: CliResult) -> None:
    report = read_back(golden_gap_run)
    evidence = "```\nfenced ```` inside\n</details><script>alert(1)</script>\n~~~\nlast"
    first, *rest = report.findings
    html, _ = render(made_reports.with_findings(report, replace(first, evidence=evidence), *rest))
    block = html.split("<pre><code", 1)[1].split(">", 1)[1].split("</code></pre>", 1)[0]
    assert block == (
        evidence.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "\n"
    ).replace('"', "&quot;")
    assert "<script>" not in html


@pytest.mark.parametrize(
    "text",
    [
        "86 -> 109",
        HOSTILE,
        "| one | two | three |",
        "* item\n# heading\n1. first\n> quote\n---",
        "trailing backslash \\",
        "`starts and ends with a backtick`",
        "&lt;b&gt; not a tag &copy; &#x3C;script&#x3E;",
    ],
)
def test_text_of_the_submission_renders_as_written(golden_gap_run: CliResult, text: str) -> None:
    _, plain = render(with_text(read_back(golden_gap_run), "plain"))
    html, page = render(with_text(read_back(golden_gap_run), text))
    # The same page around different text: no tag, link, emphasis or cell of the text's own.
    assert page.tags == plain.tags
    for table in page.tables:
        assert {len(row) for row in table} == {len(table[0])}
    shown = one_line(text)
    assert page.row("golden")[2] == shown
    assert page.row("differential_mismatch")[1:] == [shown, shown]
    assert page.headings[0].endswith(f"invoice · {shown.rsplit('/', 1)[-1]}")
    assert f"Size of change: {shown}." in _text(html)
    assert f"never read or run: {shown} ({shown})." in _text(html)
    quote = html.split("<blockquote>\n<p>", 1)[1].split("</p>", 1)[0]
    assert Page(quote).tags == [] and _text(quote) == shown


def test_no_link_of_the_submission(golden_gap_run: CliResult) -> None:
    pytest.importorskip("linkify_it")
    text = "see https://evil.example/x, http://evil.example and www.evil.example now"
    html, page = render(with_text(read_back(golden_gap_run), text))
    assert "<a " not in html
    assert page.row("golden")[2] == text


def _text(html: str) -> str:
    """What a browser shows of a fragment without tags: its character references decoded."""
    parser = HTMLParser(convert_charrefs=True)
    out: list[str] = []
    parser.handle_data = out.append  # type: ignore[method-assign]
    parser.feed(html)
    parser.close()
    return "".join(out)
