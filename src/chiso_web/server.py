"""``chiso serve``: migrate the site database, then serve with waitress.

The web process is the only writer of the canonical data (uploads, pushed dossiers,
ratings go through :mod:`chiso_web.data`); the job system's loop runs in threads of the
same process unless ``CHISO_WORKER=0`` (then run ``python -m chiso_web worker``); steps
that read a user's file run in child processes with a memory limit either way.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any


def setup(environ: dict[str, str]) -> None:
    """Apply ``CHISO_*`` settings and start Django (settings are checked here)."""
    os.environ.update(environ)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso_web.settings")
    import django

    django.setup()
    from chiso_web.private import secure_process

    secure_process()


def prepare(*, demo_accounts: bool, publish: tuple[str, ...] = ()) -> list[Any]:
    """Migrate the site database; create the demo accounts when asked, then publish the
    months of ``publish`` (``2026-09``) not yet published, as the demo administrator."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if not demo_accounts:
        return []
    from chiso_web.units.demo import ensure_demo_accounts

    accounts = list(ensure_demo_accounts())
    if publish:
        from chiso_web.publications.demo import publish_demo_months

        publish_demo_months(publish)
    return accounts


def first_steps(data: str) -> list[str]:
    """What to do first on a new site (no account, no data), in Vietnamese; empty when none."""
    from chiso_web.first_steps import has_dossiers, has_users, no_account_text, no_data_text

    lines = [] if has_users() else [no_account_text()]
    return lines if has_dossiers(data) else [*lines, no_data_text(data)]


def start_worker() -> Callable[[], None] | None:
    """Start the job system's loop in threads of the web process (report jobs, import
    runs in child processes with the memory limit, the push inbox, retention; it also
    merges what a crash left pending); return the function that stops it."""
    from django.conf import settings

    if not settings.CHISO["CHISO_WORKER"]:
        return None
    from chiso_web.jobs.loop import start_threads

    return start_threads()


def serve(*, host: str, port: int, threads: int = 16) -> None:
    """Serve the WSGI application until interrupted."""
    from waitress import serve as waitress_serve

    from chiso_web.wsgi import application

    stop = start_worker()
    try:
        waitress_serve(
            application,
            host=host,
            port=port,
            threads=threads,
            ident="chiso",
            channel_timeout=120,
            connection_limit=1000,
            backlog=2048,
            # the forwarding headers reach chiso_web.proxy, which believes them from
            # CHISO_TRUSTED_PROXIES only and removes them otherwise
            clear_untrusted_proxy_headers=False,
        )
    finally:
        if stop is not None:
            stop()
