"""The README's main command on a fresh clone: ``make demo``, then the site's pages, then stop.

Usage (from the repository; ``make demo-smoke`` and ``.ci/run`` run it)::

    python scripts/demo_smoke.py [--repo .] [--keep] [--reuse-venv]

1. ``git clone`` the checkout into a temporary folder (committed files only, as a newcomer
   gets them);
2. run ``make demo DEMO_PORT=<free port>`` there exactly as typed: the clone's own
   ``make`` creates its ``.venv`` (pip's cache makes it about a minute), generates the
   synthetic province, scores it, writes the reports and starts the site;
3. wait until the site answers, sign in as the demo administrator (``quantri``), request
   the home page (the overview), the ranking, the wall screen, a unit's page, the public page
   ``/cong-khai/`` with the demo's published September, its open data and a report
   job (polled until it is done, then its DOCX downloaded); each must answer 200 with its
   Vietnamese text;
4. stop the site (its process group) and exit non-zero on the first failure, printing the
   end of the demo's output.

``--reuse-venv`` links the clone's ``.venv`` to this checkout's (for a quick local run;
CI lets the clone make its own).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

USER, PASSWORD = "quantri", "quantri-demo"
UNIT = "03256"  # UBND xã Mường Ảng
PERIOD = "2026-10"
#: (path, a text the page must contain)
PAGES = (
    ("/", "Tổng quan tháng 10 năm 2026"),  # the administrator's landing page
    ("/xep-hang/", "UBND xã Mường Ảng"),
    ("/man-hinh/", "Tiến bộ nhất"),
    (f"/don-vi/{UNIT}/", "Mường Ảng"),
    ("/cong-khai/", "Kết quả tháng 9 năm 2026"),  # the demo publishes September
    ("/cong-khai/du-lieu/", "phien-ban-1.csv"),
    ("/bao-cao/", "Báo cáo"),
)
START_SECONDS = 900  # a fresh .venv, the data and the reports
JOB_SECONDS = 300


class SmokeError(Exception):
    """A check failed; the message says which and what was seen."""


def free_port() -> int:
    """A port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clone(repo: Path, into: Path, *, reuse_venv: bool) -> Path:
    """A fresh clone of ``repo``'s checked-out commit."""
    target = into / "chiso"
    subprocess.run(["git", "clone", "--quiet", str(repo), str(target)], check=True)
    head = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    subprocess.run(["git", "-C", str(target), "checkout", "--quiet", head], check=True)
    if reuse_venv:
        (target / ".venv").symlink_to((repo / ".venv").resolve())
        stamp = (repo / ".venv" / ".installed").stat().st_mtime
        for name in ("pyproject.toml", "constraints.txt"):  # the stamp stays newer
            os.utime(target / name, (stamp - 60, stamp - 60))
    return target


class Browser:
    """A cookie-keeping HTTP client of one site."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace")

    def post(self, path: str, fields: list[tuple[str, str]]) -> tuple[int, str, str]:
        """POST a form (with the CSRF token of the page at ``path``); status, body, final URL."""
        _, page = self.get(path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if found is None:
            raise SmokeError(f"{path}: no CSRF token in the form")
        body = urllib.parse.urlencode([("csrfmiddlewaretoken", found.group(1)), *fields])
        request = urllib.request.Request(  # noqa: S310 - our own site on loopback
            self.base + path, data=body.encode(), headers={"Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                text = response.read().decode("utf-8", "replace")
                return response.status, text, response.geturl()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace"), self.base + path


def wait_until_up(browser: Browser, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until the site answers its sign-in page (fail when ``make demo`` ends first)."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SmokeError(f"make demo ended with exit code {process.returncode}\n{tail(log)}")
        try:
            status, _ = browser.get("/dang-nhap/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(2)
    raise SmokeError(f"the site did not answer within {START_SECONDS} s\n{tail(log)}")


def expect(path: str, status: int, body: str, text: str) -> None:
    if status != 200 or text not in body:
        shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))[:600]
        raise SmokeError(f"{path}: HTTP {status}, expected 200 with {text!r}; got: {shown}")
    print(f"  ok  {path}  ({text})")


def check_site(browser: Browser) -> None:
    """Sign in, request the pages, then a report job until it is done and downloaded."""
    status, body, url = browser.post(
        "/dang-nhap/", [("username", USER), ("password", PASSWORD), ("next", "/")]
    )
    expect("/dang-nhap/ (đăng nhập)", status, body, "Đăng xuất")
    for path, text in PAGES:
        expect(path, *browser.get(path), text)
    fields = [("unit", UNIT), ("period", PERIOD), ("index_set", "dienbien-459-2023"),
              ("formats", "docx")]  # fmt: skip
    status, body, url = browser.post("/bao-cao/", fields)
    found = re.search(r"/bao-cao/(\d+)/$", url)
    if found is None:
        raise SmokeError(f"/bao-cao/: the report request did not open its job page ({url})")
    job = found.group(1)
    expect(f"/bao-cao/{job}/", status, body, "Mường Ảng")
    deadline = time.monotonic() + JOB_SECONDS
    while True:
        status, text = browser.get(f"/bao-cao/{job}.json")
        report = json.loads(text).get("report", {})
        if report.get("status") == "done":
            break
        if report.get("status") in ("failed", "expired") or time.monotonic() > deadline:
            raise SmokeError(f"report job {job}: {report.get('status')} {report.get('error')}")
        time.sleep(1)
    print(f"  ok  /bao-cao/{job}.json  (done)")
    status, _ = browser.get(f"/bao-cao/{job}/docx/")
    if status != 200:
        raise SmokeError(f"/bao-cao/{job}/docx/: HTTP {status}")
    print(f"  ok  /bao-cao/{job}/docx/")


def tail(log: Path, lines: int = 40) -> str:
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop ``make`` and the site it started (their own process group)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def run(repo: Path, *, keep: bool, reuse_venv: bool) -> None:
    work = Path(tempfile.mkdtemp(prefix="chiso-demo-smoke-"))
    try:
        checkout = clone(repo, work, reuse_venv=reuse_venv)
        port = free_port()
        log = work / "make-demo.log"
        command = ["make", "demo", f"DEMO_PORT={port}"]
        print(f"$ cd {checkout} && {' '.join(command)}   (output: {log})")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CHISO_", "VIRTUAL_ENV"))}
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603 - make, in the clone
                command, cwd=checkout, stdout=out, stderr=subprocess.STDOUT, env=env,
                start_new_session=True,
            )  # fmt: skip
        try:
            browser = Browser(f"http://127.0.0.1:{port}")
            started = time.monotonic()
            wait_until_up(browser, process, log)
            print(f"  site up after {time.monotonic() - started:.0f} s on port {port}")
            check_site(browser)
        finally:
            stop(process)
    finally:
        if keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--keep", action="store_true", help="keep the clone and its log")
    parser.add_argument("--reuse-venv", action="store_true", help="link the checkout's .venv")
    args = parser.parse_args()
    try:
        run(args.repo.resolve(), keep=args.keep, reuse_venv=args.reuse_venv)
    except SmokeError as err:
        print(f"demo smoke test FAILED: {err}", file=sys.stderr)
        return 1
    print("demo smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
