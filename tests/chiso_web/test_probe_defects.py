"""Small defects found by the security probe (#14): no unit code can be probed through
``?subtree=``, and a dossier code no page can name is a Vietnamese 404, not a 500."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from web_cast import ALICE_UNIT, CHARLIE_UNIT

pytestmark = pytest.mark.django_db
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _page(answer: Any) -> str:
    """The answer without its per-request CSRF token."""
    return CSRF.sub("", answer.content.decode())


@pytest.mark.parametrize("path", ["/xep-hang/", "/xep-hang.json", "/man-hinh/"])
def test_a_subtree_outside_the_officers_scope_answers_like_a_missing_unit(
    client_as: Any, path: str
) -> None:
    alice = client_as("alice")
    foreign = alice.get(path, {"subtree": CHARLIE_UNIT, "period": "2026-10"})
    missing = alice.get(path, {"subtree": "99999", "period": "2026-10"})
    assert foreign.status_code == missing.status_code == 400
    assert _page(foreign).replace(CHARLIE_UNIT, "99999") == _page(missing)
    by_name = alice.get(path, {"subtree": "Mường Nhé", "period": "2026-10"})
    assert by_name.status_code == 400
    assert alice.get(path, {"subtree": ALICE_UNIT, "period": "2026-10"}).status_code == 200
    admin = client_as("admin").get(path, {"subtree": CHARLIE_UNIT, "period": "2026-10"})
    assert admin.status_code == 200


@pytest.mark.parametrize("query", ["a/b", "/", "x/../y"])
def test_a_dossier_code_with_a_slash_is_a_vietnamese_404(client_as: Any, query: str) -> None:
    for path in ("/danh-gia/",):  # the kiosk takes slip codes only (test_ratings_kiosk.py)
        answer = client_as("alice").get(path, {"ma": query})
        assert answer.status_code == 404, (path, answer.status_code)
        text = html.unescape(answer.content.decode()).lower()
        assert "không" in text and "hồ sơ" in text and "traceback" not in text
