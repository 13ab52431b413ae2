"""Small page helpers shared by the browser tests."""

from __future__ import annotations

from typing import Any


def live_polls(page: Any, path: str, count: int) -> None:
    """Wait for ``count`` consecutive htmx refreshes of ``path`` (the page keeps polling)."""
    for _ in range(count):
        with page.expect_response(lambda r: path in r.url and r.request.headers.get("hx-request")):
            pass


def number(text: str) -> float:
    """A number as the site prints it in Vietnamese (``1.234,56``)."""
    return float(text.replace(".", "").replace(",", "."))


def wait_for_new_text(page: Any, selector: str, before: str, timeout_ms: int) -> None:
    """Wait until the element's text differs from ``before`` (a live refresh landed)."""
    page.wait_for_function(
        "([selector, before]) => document.querySelector(selector).innerText !== before",
        arg=[selector, before],
        timeout=timeout_ms,
    )
