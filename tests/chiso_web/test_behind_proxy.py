"""``chiso serve`` behind a real nginx terminating TLS: HTTPS mode without a redirect loop,
the client's address (not the proxy's, not a forged one) in the sign-in limits, and limits
that 48 parallel attempts cannot pass (docs/web.md, "Behind a reverse proxy").

nginx connects to the site from 127.0.0.2, the only address in CHISO_TRUSTED_PROXIES;
clients connect from other loopback addresses (127.0.0.1, 127.0.1.k), so the test tells a
client from the proxy and one client from another.  Skipped visibly without nginx
(``.ci/run`` installs it) or openssl.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import sqlite3
import ssl
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from web_serve import CHISO, free_port, serve_env

pytestmark = pytest.mark.skipif(
    not (shutil.which("nginx") and shutil.which("openssl")),
    reason="nginx and openssl are needed for the reverse-proxy tests (.ci/run installs nginx)",
)
LIMIT = 10
PROXY = "127.0.0.2"
NGINX = """
worker_processes 1;
{user}
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 512; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  server {{
    listen 127.0.0.1:{port} ssl;
    ssl_certificate {tmp}/cert.pem;
    ssl_certificate_key {tmp}/key.pem;
    location / {{
      proxy_pass http://127.0.0.1:{upstream};
      proxy_bind {proxy};
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }}
  }}
}}
"""


@dataclass
class Site:
    home: Path
    port: int  # nginx, HTTPS
    upstream: int  # waitress, HTTP


def _wait(port: int, process: subprocess.Popen[bytes], *, tls: bool) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"stopped: {process.stdout.read() if process.stdout else b''!r}")
        try:
            _request("GET", "/dang-nhap/", port=port, tls=tls)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"port {port} did not answer")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, web_data_template: Path) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("proxy")
    upstream, port = free_port(), free_port()
    env = serve_env(tmp, CHISO_HTTPS="1", CHISO_TRUSTED_PROXIES=PROXY,
                    CHISO_LOGIN_ATTEMPTS=str(LIMIT), CHISO_ALLOWED_HOSTS="127.0.0.1")  # fmt: skip
    command = [CHISO, "serve", "--data", str(web_data_template), "--home", str(tmp / "home")]
    command += ["--port", str(upstream), "--demo-accounts"]
    # the site's log goes to a file: a pipe nobody reads would block its logging once full
    log = (tmp / "site.log").open("wb")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    certificate = ["-subj", "/CN=127.0.0.1", "-keyout", str(tmp / "key.pem")]
    certificate += ["-out", str(tmp / "cert.pem")]
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", *certificate],
        check=True,
        capture_output=True,
    )
    user = "user root;" if os.geteuid() == 0 else ""
    config = NGINX.format(tmp=tmp, port=port, upstream=upstream, proxy=PROXY, user=user)
    (tmp / "nginx.conf").write_text(config, encoding="utf-8")
    nginx = subprocess.Popen(
        ["nginx", "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait(upstream, server, tls=False)
        _wait(port, nginx, tls=True)
        yield Site(tmp / "home", port, upstream)
    finally:
        for process in (nginx, server):
            process.terminate()
            process.wait(30)
        log.close()


# A generous timeout: 48 parallel sign-ins hash passwords (PBKDF2, 10^6 rounds) on a
# shared machine; the test counts answers, it does not time them.
def _request(
    method: str,
    path: str,
    *,
    port: int,
    tls: bool = True,
    source: str = "127.0.0.1",
    host: str = "127.0.0.1",
    headers: dict[str, str] | None = None,
    body: str | None = None,
) -> http.client.HTTPResponse:
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            host, port, context=context, source_address=(source, 0), timeout=300
        )
    else:
        connection = http.client.HTTPConnection(host, port, source_address=(source, 0), timeout=300)
    connection.request(method, path, body=body, headers=headers or {})
    answer = connection.getresponse()
    answer.read()
    connection.close()
    return answer


def _token(site: Site) -> tuple[str, str]:
    """A CSRF cookie and its form token, through the proxy."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    connection = http.client.HTTPSConnection("127.0.0.1", site.port, context=context, timeout=300)
    connection.request("GET", "/dang-nhap/")
    answer = connection.getresponse()
    page = answer.read().decode()
    assert answer.status == 200, (answer.status, page[:500])
    cookie = re.search(r"csrftoken=([^;]+)", answer.headers["Set-Cookie"])
    form = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert cookie and form
    return cookie.group(1), form.group(1)


def _sign_in(site: Site, username: str, password: str, *, source: str = "127.0.0.1",
             forged: str | None = None, host: str = "127.0.0.1") -> int:  # fmt: skip
    cookie, token = _token(site)
    origin = f"https://{host}:{site.port}"
    headers = {"Cookie": f"csrftoken={cookie}", "Origin": origin, "Referer": f"{origin}/",
               "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
    if forged:
        headers["X-Forwarded-For"] = forged
    body = f"csrfmiddlewaretoken={token}&username={username}&password={password}"
    answer = _request("POST", "/dang-nhap/", port=site.port, source=source, host=host,
                      headers=headers, body=body)  # fmt: skip
    return answer.status


def _audit(site: Site) -> list[str]:
    with sqlite3.connect(site.home / "site.sqlite3") as con:
        rows = con.execute("SELECT summary FROM audit_auditentry WHERE action = 'login'")
        return [r[0] for r in rows.fetchall()]


def test_https_mode_answers_through_the_proxy_without_a_redirect_loop(site: Site) -> None:
    answer = _request("GET", "/dang-nhap/", port=site.port)
    assert answer.status == 200
    cookie = answer.headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "max-age=31536000" in answer.headers["Strict-Transport-Security"]


def test_a_direct_client_cannot_claim_https_or_an_address(site: Site) -> None:
    forged = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    answer = _request("GET", "/dang-nhap/", port=site.upstream, tls=False, headers=forged)
    assert answer.status == 301  # not believed: the site sends it to HTTPS
    assert answer.headers["Location"].startswith("https://")


def test_the_limits_see_the_client_not_the_proxy_nor_a_forged_header(site: Site) -> None:
    assert (
        _sign_in(site, "lanhdao", "lanhdao-demo", source="127.0.0.3", forged="198.51.100.7") == 302
    )
    assert _audit(site)[-1] == "đăng nhập từ 127.0.0.3"
    # every attempt names another forged address: they still count for 127.0.0.4
    statuses = [
        _sign_in(site, "khong-co", "sai", source="127.0.0.4", forged=f"198.51.100.{n}")
        for n in range(LIMIT + 1)
    ]
    assert statuses == [200] * LIMIT + [429]
    # the proxy's own address was not locked: another client signs in
    assert _sign_in(site, "tuphap", "tuphap-demo", source="127.0.0.6") == 302


def _storm(site: Site, username: str, sources: list[str]) -> list[int]:
    with ThreadPoolExecutor(max_workers=len(sources)) as pool:
        return list(pool.map(lambda s: _sign_in(site, username, "sai-mat-khau", source=s), sources))


def test_48_parallel_attempts_get_no_more_than_the_limit_through(site: Site) -> None:
    # the owners sign in once from their usual addresses first
    assert _sign_in(site, "quantri", "quantri-demo", source="127.0.0.1") == 302
    assert _sign_in(site, "sinthau", "sinthau-demo", source="127.0.0.5") == 302

    from_one_address = _storm(site, "khong-co-ai", ["127.0.0.1"] * 48)
    assert sorted(from_one_address) == [200] * LIMIT + [429] * (48 - LIMIT)
    # the address is locked for accounts new to it, not for its own account
    assert _sign_in(site, "lanhdao", "lanhdao-demo", source="127.0.0.1") == 429
    assert _sign_in(site, "quantri", "quantri-demo", source="127.0.0.1") == 302

    from_48_addresses = _storm(site, "sinthau", [f"127.0.1.{n}" for n in range(10, 58)])
    assert sorted(from_48_addresses) == [200] * LIMIT + [429] * (48 - LIMIT)
    # the account is locked for new addresses; its owner's usual address still signs in
    assert _sign_in(site, "sinthau", "sinthau-demo", source="127.0.2.1") == 429
    assert _sign_in(site, "sinthau", "sinthau-demo", source="127.0.0.5") == 302
