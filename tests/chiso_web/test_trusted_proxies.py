"""chiso_web.proxy: forwarding headers believed from CHISO_TRUSTED_PROXIES only."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from chiso_web import env
from chiso_web.proxy import TrustedProxies, parse_networks


def _seen(proxies: str, peer: str, **headers: str) -> dict[str, Any]:
    """The WSGI environ the site receives from ``peer`` sending ``headers``."""
    seen: dict[str, Any] = {}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.update(environ)
        return []

    environ = {"REMOTE_ADDR": peer, "wsgi.url_scheme": "http", "HTTP_HOST": "chiso.example",
               "SERVER_NAME": "chiso.example", "SERVER_PORT": "80"}  # fmt: skip
    environ.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    TrustedProxies(app, parse_networks(proxies.split(",") if proxies else []))(environ, None)
    return seen


def test_a_trusted_proxy_names_the_client_it_saw_and_the_scheme() -> None:
    seen = _seen("10.0.0.0/8", "10.1.2.3", x_forwarded_for="6.6.6.6, 203.0.113.5",
                 x_forwarded_proto="https")  # fmt: skip
    # the last address is the one the proxy appended; the first one the client wrote
    assert seen["REMOTE_ADDR"] == "203.0.113.5"
    assert seen["wsgi.url_scheme"] == "https"
    assert seen["HTTP_X_FORWARDED_PROTO"] == "https"


def test_any_other_peer_loses_its_forwarding_headers() -> None:
    seen = _seen("10.0.0.1", "192.0.2.8", x_forwarded_for="203.0.113.5",
                 x_forwarded_proto="https", forwarded="for=1.2.3.4")  # fmt: skip
    assert seen["REMOTE_ADDR"] == "192.0.2.8" and seen["wsgi.url_scheme"] == "http"
    assert not any(k.startswith(("HTTP_X_FORWARDED", "HTTP_FORWARDED")) for k in seen)


def test_without_trusted_proxies_nobody_is_believed() -> None:
    seen = _seen("", "127.0.0.1", x_forwarded_for="203.0.113.5", x_forwarded_proto="https")
    assert seen["REMOTE_ADDR"] == "127.0.0.1" and "HTTP_X_FORWARDED_PROTO" not in seen


def test_the_setting_takes_addresses_and_networks_and_names_a_bad_one() -> None:
    loaded = env.load({"CHISO_SECRET_KEY": "k", "CHISO_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"})
    assert [str(n) for n in loaded["CHISO_TRUSTED_PROXIES"]] == ["127.0.0.1/32", "10.0.0.0/8"]
    with pytest.raises(ImproperlyConfigured, match="nginx is not an IP address"):
        env.load({"CHISO_SECRET_KEY": "k", "CHISO_TRUSTED_PROXIES": "nginx"})
