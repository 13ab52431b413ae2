"""Browser tests: Debian's Chromium driven by Playwright against a real ``chiso serve``.

Why a subprocess and not pytest-django's ``live_server``: the subprocess is what a
newcomer runs (``make demo``) — waitress, WhiteNoise, migrations at start, the report
worker thread, its own DuckDB connections — and it keeps Playwright's event loop away from
the Django ORM of the other web tests (no ``DJANGO_ALLOW_ASYNC_UNSAFE``).  The server is
started once per session on a free port with a private copy of the synthetic province.

Without ``/usr/bin/chromium`` (``apt-get install chromium``; ``.ci/run`` does it) every
browser test is skipped with that reason; Playwright never downloads a browser.
Screenshots go to each test's ``tmp_path`` and, when ``BROWSER_SCREENSHOTS`` names a
folder (e.g. ``test-artifacts``), are copied there too.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_png import Picture, blank_reason, decode
from browser_site import Site, password_of, start_site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORDS = {"quantri": "quantri-demo", "lanhdao": "lanhdao-demo", "sinthau": "sinthau-demo"}
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium, or a visible skip."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is missing (/usr/bin/chromium): apt-get install chromium")
    return CHROMIUM


@pytest.fixture(scope="session")
def site(chromium: Path, web_data_template: Path, tmp_path_factory: Any) -> Iterator[Site]:
    """``chiso serve`` on a free port with a private copy of the province."""
    root = tmp_path_factory.mktemp("browser-site")
    data = root / "data"
    shutil.copytree(web_data_template, data)
    running = start_site(data, root / "home")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Any]:
    """One headless Chromium per test module (Playwright's loop ends with the module)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser: Any, site: Site) -> Iterator[Callable[..., Any]]:
    """``new_page(width=, height=)``: a fresh context (no cookies) on the site.

    Uncaught JavaScript errors and console errors (CSP refusals included) fail the test.
    """
    contexts: list[Any] = []
    problems: list[str] = []

    def make(width: int = 1280, height: int = 800, **options: Any) -> Any:
        context = browser.new_context(
            base_url=site.url,
            viewport={"width": width, "height": height},
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda err: problems.append(f"JavaScript error: {err}"))
        page.on("console", lambda m: _console(m, problems))
        return page

    yield make
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("the browser reported errors:\n" + "\n".join(problems), pytrace=False)


def _console(message: Any, problems: list[str]) -> None:
    # 404 pages that a test opens on purpose log "Failed to load resource"; those are fine.
    if message.type == "error" and "Failed to load resource" not in message.text:
        problems.append(f"console error: {message.text}")


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A desktop-sized page (1280×800)."""
    return new_page()


def sign_in(
    page: Any, username: str, password: str | None = None, *, then: str | None = None
) -> None:
    """Sign in through the login form; fails unless the site lets the user in. ``then``:
    the page to land on instead of the role's landing page (which may score cold)."""
    secret = password or DEMO_PASSWORDS.get(username) or password_of(username)
    page.goto("/dang-nhap/" if then is None else f"/dang-nhap/?next={then}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(secret)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)
    assert page.get_by_role("button", name=re.compile(f"Đăng xuất \\({username}\\)")).count()


def warm(browser: Any, site: Site, addresses: tuple[str, ...]) -> None:
    """Request ``addresses`` as the administrator with a long timeout, once, so that the
    first case does not pay a cold score of the province (on a busy machine it takes
    longer than a page's timeout). Signs in towards a page that scores nothing."""
    context = browser.new_context(base_url=site.url)
    page = context.new_page()
    page.goto("/dang-nhap/?next=/cong-khai/cach-tinh/")
    page.get_by_label("Tên đăng nhập").fill("admin")
    page.get_by_label("Mật khẩu").fill(password_of("admin"))
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/cong-khai/cach-tinh/")
    for address in addresses:
        assert page.request.get(address, timeout=300_000).status == 200, address
    context.close()


def publish_once(admin: Any, period: str) -> None:
    """Publish ``period`` through its form as the signed-in administrator ``admin``,
    unless an earlier test of the session (they share one site) already published it:
    then the form asks for a new version and its note is required, so a click would
    submit nothing."""
    if admin.request.get(f"/cong-khai/xep-hang.json?period={period}").status == 200:
        return
    admin.goto(f"/cong-bo/{period}/")
    admin.locator("form[action$='/cong-bo/'] button[type=submit]").click()
    admin.wait_for_url(f"**/cong-bo/{period}/?index_set=*")


@pytest.fixture
def login() -> Callable[..., None]:
    """``login(page, username)``: sign in through the form (demo or cast password)."""
    return sign_in


@pytest.fixture
def shoot(tmp_path: Path, request: pytest.FixtureRequest) -> Callable[..., Picture]:
    """``shoot(page_or_locator, name)``: save a screenshot and check it is not blank.

    Not blank: see :func:`browser_png.blank_reason`.
    """
    copy_to = os.environ.get("BROWSER_SCREENSHOTS", "")

    def take(target: Any, name: str, *, colours: int = 16, share: float = 0.02) -> Picture:
        path = tmp_path / f"{name}.png"
        options: dict[str, Any] = {"path": str(path)}
        if hasattr(target, "goto"):
            options["full_page"] = True
        picture = decode(target.screenshot(**options))
        if copy_to:
            folder = Path(copy_to) / request.node.name
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, folder / path.name)
        blank = blank_reason(picture, colours=colours, share=share)
        assert blank is None, f"{name}.png looks blank: {blank} ({path})"
        return picture

    return take
