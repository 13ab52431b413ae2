"""Behind a reverse proxy: believe ``X-Forwarded-*`` from the configured proxies only.

``CHISO_TRUSTED_PROXIES`` lists the proxies' addresses (or networks).  For a request whose
peer is one of them, waitress's own parser (``waitress.proxy_headers``) sets
``REMOTE_ADDR`` to the client the proxy saw — the *last* ``X-Forwarded-For`` entry, the one
the proxy appended, so a value the client wrote is ignored even through the proxy —, the
scheme from ``X-Forwarded-Proto`` (so ``CHISO_HTTPS=1`` sees the request as HTTPS and does
not redirect it again) and the host and port.  From any other peer every forwarding header
is removed before Django sees it: a client cannot choose its address for the rate limits
or claim HTTPS.  ``chiso serve`` hands waitress the headers untouched
(``clear_untrusted_proxy_headers=False``) and this middleware decides; it wraps the WSGI
application (``chiso_web.wsgi``), so it holds under any WSGI server.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from waitress.proxy_headers import (
    PROXY_HEADERS,
    MalformedProxyHeader,
    clear_untrusted_headers,
    parse_proxy_headers,
)
from waitress.utilities import BadRequest

__all__ = ["TRUSTED_HEADERS", "Network", "TrustedProxies", "parse_networks"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
#: The headers a trusted proxy may set (nginx's and Caddy's usual ones).
TRUSTED_HEADERS = {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port"}


def parse_networks(items: Iterable[str]) -> list[Network]:
    """Addresses or networks (``127.0.0.1``, ``10.0.0.0/8``, ``::1``); ValueError names a
    bad one."""
    networks = []
    for item in items:
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            raise ValueError(item) from None
    return networks


class TrustedProxies:
    """WSGI middleware: forwarding headers believed from ``proxies`` only, removed else."""

    def __init__(self, app: Callable[..., Any], proxies: Sequence[Network]) -> None:
        self.app = app
        self.proxies = tuple(proxies)

    def trusted(self, peer: str) -> bool:
        """Whether the peer address is one of the configured proxies."""
        try:
            address = ipaddress.ip_address(peer.split("%", 1)[0])
        except ValueError:
            return False
        return any(address in network for network in self.proxies)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        untrusted = PROXY_HEADERS
        if self.proxies and self.trusted(str(environ.get("REMOTE_ADDR", ""))):
            try:
                untrusted = parse_proxy_headers(
                    environ, trusted_proxy_count=1, trusted_proxy_headers=TRUSTED_HEADERS
                )
            except MalformedProxyHeader as err:
                error = BadRequest(f'Header "{err.header}" malformed.')
                return error.wsgi_response(environ, start_response)
        clear_untrusted_headers(environ, untrusted)
        return self.app(environ, start_response)
