"""What the crawl test checks on every page: words a person reads, layout, errors, axe-core.

The text checks are plain functions over the page's visible text (``innerText``).  Three
of them are the "labels"
categories — internal codes, ISO dates, developer English — which the crawl may expect to
fail for a while (``LABELS`` below); every other category must pass.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VENDOR = Path(__file__).with_name("vendor")
AXE_SOURCE = VENDOR / "axe.min.js"
#: axe-core rule tags run on every page: WCAG 2.0 and 2.1, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

CODE = "internal code"
ISO = "ISO date"
ENGLISH = "English word"
#: Problem categories the "labels" work replaces (names, Vietnamese formats, catalogues).
LABELS = frozenset({CODE, ISO, ENGLISH})

#: URLs are addresses, not words (the rating slip prints its link for people to type).
_URL = re.compile(r"https?://\S+")
_SNAKE = re.compile(r"(?<![\w.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])")
#: Index-set ids such as ``dienbien-459-2023`` and ``vn-766-portal-2025``.
_INDEX_SET = re.compile(r"(?<![\w-])[a-z][a-z0-9]*(?:-[a-z0-9]+)*-(?:19|20)\d\d(?![\w-])")
_ISO_DAY = re.compile(r"(?<![\w-])\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d)?)?")
_ISO_MONTH = re.compile(r"(?<![\w-])(?:19|20)\d\d-(?:0[1-9]|1[0-2])(?![\w-])")

#: Developer English seen (or likely) on screens.  Whole words, any case.  Short words
#: that are also Vietnamese syllables without diacritics (in, do, to, an, no, ban, con,
#: the, ...) are deliberately absent, and so are accepted names: JSON, DOCX, XLSX, PDF,
#: CSV, SVG, QR, API, and the test accounts' user names shown in the header.
_DENYLIST = """
    online offline direct dossier dossiers received finished returned due unit units
    score scores error errors row rows none true false null undefined nan pending queued
    running failed done success status period draft published locked unlocked unknown
    warning rejected skipped total value values channel indicator indicators report
    reports token tokens upload submit loading page level group rank ranking class
    unk todo fixme lock push request
"""
ENGLISH_WORDS = frozenset(_DENYLIST.split())
_WORD = re.compile(r"[^\W\d_]+")


@dataclass
class Findings:
    """Problems found on one page for one role and size, by category."""

    problems: dict[str, list[str]] = field(default_factory=dict)

    def add(self, category: str, detail: str) -> None:
        """Record one problem (the same detail once)."""
        found = self.problems.setdefault(category, [])
        if detail not in found:
            found.append(detail)

    def only_labels(self) -> bool:
        """Whether every problem is in a labels category (and there is one)."""
        return bool(self.problems) and set(self.problems) <= LABELS

    def report(self) -> str:
        """One line per category, a few examples each."""
        lines = []
        for category in sorted(self.problems):
            found = self.problems[category]
            shown = "; ".join(found[:6]) + (f"; … (+{len(found) - 6})" if len(found) > 6 else "")
            lines.append(f"{category}: {shown}")
        return "\n".join(lines)


def check_text(text: str, findings: Findings) -> None:
    """Codes, ISO dates and developer English in a page's visible text."""
    text = _URL.sub(" ", text)
    for match in _SNAKE.finditer(text):
        findings.add(CODE, repr(match.group()))
    for match in _INDEX_SET.finditer(text):
        findings.add(CODE, repr(match.group()))
    for pattern in (_ISO_DAY, _ISO_MONTH):
        for match in pattern.finditer(text):
            findings.add(ISO, repr(match.group()))
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isascii() and word.lower() in ENGLISH_WORDS:
            findings.add(ENGLISH, repr(word))


#: Everything the crawl reads from a loaded page in one round trip (argument: screen width).
PROBE = r"""(width) => ({
  text: document.title + "\n" + document.body.innerText,
  scrollWidth: document.scrollingElement.scrollWidth,
  icon: document.querySelector("link[rel~=icon]")?.href || "",
  // the outermost elements that stick out to the right (what makes a phone scroll sideways)
  wide: Array.from(document.body.querySelectorAll("*")).filter(el => {
    const right = el.getBoundingClientRect().right;
    return right > width + 1 && el.parentElement.getBoundingClientRect().right <= width + 1;
  }).slice(0, 4).map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (typeof el.className === "string" && el.className.trim()
       ? "." + el.className.trim().split(/\s+/).join(".") : "")
    + " " + Math.round(el.getBoundingClientRect().right) + " px"),
  lang: document.documentElement.lang,
})"""

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
  }));
}"""


def run_axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the page.

    The script is evaluated through DevTools rather than added as a ``<script>`` tag: the
    site's Content-Security-Policy (``script-src 'self'``) refuses inline scripts, which is
    what ``page.add_script_tag(content=...)`` would insert.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8") + "\n;0")
    violations: list[dict[str, Any]] = page.evaluate(AXE_RUN, AXE_TAGS)
    return violations


def describe_violation(violation: dict[str, Any]) -> str:
    """``rule (impact, N nodes: first targets) — help``."""
    targets = ", ".join(violation["targets"])
    return (
        f"{violation['id']} ({violation['impact']}, {violation['nodes']} node(s): {targets})"
        f" — {violation['help']}"
    )


def screenshot(page: Any) -> bytes:
    """The whole page as PNG, encoded for speed.

    DevTools' ``optimizeForSpeed`` writes every row with the "Up" filter, which
    :mod:`browser_png` unfilters with numpy; Playwright's own screenshots use Paeth rows
    that take seconds to decode in Python on a long page.
    """
    width, height = page.evaluate(
        "() => [document.scrollingElement.scrollWidth, document.scrollingElement.scrollHeight]"
    )
    session = page.context.new_cdp_session(page)
    try:
        shot = session.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "optimizeForSpeed": True,
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            },
        )
    finally:
        session.detach()
    return base64.b64decode(shot["data"])
