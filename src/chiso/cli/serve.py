"""``chiso serve`` and ``chiso demo --serve``: start the web site (package ``chiso_web``).

The library stays free of Django: the site is loaded by name only when asked for, and a
missing ``[web]`` extra is a user error with the install command as hint.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from chiso.api import _
from chiso.errors import UserError


def _server() -> Any:
    try:
        return importlib.import_module("chiso_web.server")
    except ImportError as err:
        raise UserError(
            _("the web site is not installed ({name} is missing)").format(name=err.name),
            hint=_("pip install 'chiso[web]' (make install does it)"),
        ) from None


def start_site(
    *,
    data: str,
    home: Path,
    host: str,
    port: int,
    demo_accounts: bool,
    now: datetime | None = None,
    publish: tuple[str, ...] = (),
) -> None:
    """Check the settings, migrate, print the address (and demo accounts), serve; ``now``
    fixes the site's clock (``CHISO_NOW``); the months of ``publish`` (``2026-09``) are
    published as the demo administrator (with ``demo_accounts``)."""
    from chiso.api import CLOCK_VARIABLE

    environ = {"CHISO_DATA": data, "CHISO_HOME": str(home)}
    if now is not None:
        environ[CLOCK_VARIABLE] = now.isoformat(timespec="minutes")
    if host not in ("127.0.0.1", "localhost", "::1"):
        environ.setdefault("CHISO_ALLOWED_HOSTS", f"{host},127.0.0.1,localhost")
    server = _server()
    try:
        server.setup(environ)
        accounts = server.prepare(demo_accounts=demo_accounts, publish=publish)
    except Exception as err:
        if type(err).__name__ == "ImproperlyConfigured":
            raise UserError(str(err), hint=_("the settings are listed in docs/web.md")) from None
        raise
    click.secho(
        _("chiso: http://{host}:{port}/  (data: {data})").format(host=host, port=port, data=data),
        fg="green",
        bold=True,
    )
    for account in accounts:
        click.echo(f"  {account.username:10} / {account.password:14} {account.description}")
    for line in server.first_steps(data):
        click.echo(f"  {line}")
    click.echo("  " + _("Stop: Ctrl+C"))
    server.serve(host=host, port=port)


@click.command()
@click.option(
    "--data",
    default=None,
    envvar="CHISO_DATA",
    help="data folder, duckdb:///file or postgresql:// URL  [default: HOME/data, created empty]",
)
@click.option(
    "--home",
    default=".chiso-web",
    show_default=True,
    envvar="CHISO_HOME",
    type=click.Path(path_type=Path),
    help="folder of the site database, secret key and job files (CHISO_HOME)",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int, envvar="CHISO_PORT")
@click.option("--demo-accounts", is_flag=True, help="create the demo accounts and print them")
def serve(data: str | None, home: Path, host: str, port: int, demo_accounts: bool) -> None:
    """Serve the dashboard, imports, reports, ratings and push API (settings: docs/web.md).

    With no options: an empty site over .chiso-web/data whose pages say how to import
    data or start the demo."""
    if data is None:
        folder = home / "data"
        folder.mkdir(parents=True, exist_ok=True)
        data = str(folder)
    start_site(data=data, home=home, host=host, port=port, demo_accounts=demo_accounts)
