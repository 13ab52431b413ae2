"""``chiso backup`` and ``chiso restore``: the data and the site database, with a manifest
(``docs/operations.md``)."""

from __future__ import annotations

from pathlib import Path

import click

from chiso.api import ngettext

__all__ = ["backup_command", "restore_command"]

_data = click.option(
    "--data",
    default=None,
    envvar="CHISO_DATA",
    help="data folder, duckdb:///file or postgresql:// URL  [default: HOME/data]",
)
_home = click.option(
    "--home",
    default=".chiso-web",
    show_default=True,
    envvar="CHISO_HOME",
    type=click.Path(path_type=Path),
    help="the site's folder (CHISO_HOME); its database is CHISO_DATABASE_URL or site.sqlite3",
)
_database = click.option(
    "--database-url",
    default=None,
    envvar="CHISO_DATABASE_URL",
    help="the site database (CHISO_DATABASE_URL)  [default: sqlite in HOME]",
)


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f}".replace(",", " ").replace(".", ",") + " MB"


@click.command("backup")
@click.option("--to", "target", required=True, type=click.Path(path_type=Path), help="new folder")
@_data
@_home
@_database
def backup_command(target: Path, data: str | None, home: Path, database_url: str | None) -> None:
    """Copy the data and the site database into a new folder, with a manifest of checksums.

    Safe while the site runs: the data folder's writer lock is held while it is copied."""
    from chiso.api import backup, site_of

    manifest = backup(data or str(home / "data"), site_of(home, database_url), target)
    click.secho(
        ngettext(
            "Backed up {count} file ({size}) into {target}",
            "Backed up {count} files ({size}) into {target}",
            len(manifest.files),
        ).format(count=len(manifest.files), size=_megabytes(manifest.size), target=target),
        fg="green",
    )


@click.command("restore")
@click.option(
    "--from", "source", required=True, type=click.Path(path_type=Path), help="backup folder"
)
@_data
@_home
@_database
@click.option("--force", is_flag=True, help="overwrite a target that already holds data")
def restore_command(
    source: Path, data: str | None, home: Path, database_url: str | None, force: bool
) -> None:
    """Check a backup's checksums, then restore it (refuses a non-empty target without --force).

    Stop the site before restoring over its data."""
    from chiso.api import restore, site_of

    manifest = restore(source, data or str(home / "data"), site_of(home, database_url), force=force)
    click.secho(
        ngettext(
            "Restored {count} file of the backup {created} (chiso {version})",
            "Restored {count} files of the backup {created} (chiso {version})",
            len(manifest.files),
        ).format(
            count=len(manifest.files), created=manifest.created_at, version=manifest.chiso_version
        ),
        fg="green",
    )
