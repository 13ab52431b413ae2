"""``chiso backup``: one consistent copy of the data and the site database.

The data folder is copied while holding its writer lock (``chiso.storage.journal.writer``,
the lock every import, compaction and site write takes), so no write lands halfway through
the copy; the site database is copied inside the same lock, so a pushed dossier is either
in the copied data or still waiting in the copied inbox.  What is kept (``docs/operations.md``):

* ``data/…`` — every canonical file of a data folder (not the derived ``.chiso-cache``,
  staging folders or pending files); ``data.duckdb`` or ``data.pgdump`` for a database;
* ``site.sqlite3`` or ``site.pgdump`` — accounts, roles, tokens, the push inbox, jobs, audit;
* ``home/secret_key`` and ``home/evidence/…`` — the site's signing key (rating slips and
  sessions stay valid) and the evidence files of manual values.

Uploaded exports and report files are not kept: uploads are deleted after their import
and reports can be made again.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from chiso.errors import UserError
from chiso.i18n import _
from chiso.ops.databases import dump_duckdb, dump_postgres, dump_sqlite, is_postgres, sqlite_path
from chiso.ops.manifest import Manifest, copy_private
from chiso.storage.journal import JOURNAL, PENDING, recover, writer
from chiso.storage.private import private_folder
from chiso.storage.source import DataSource

__all__ = ["Site", "backup", "data_files", "site_of"]

#: Derived files of a data folder, never backed up (recomputed on the next score).
CACHE = ".chiso-cache"
#: Folders of chiso's own work in a data folder (the cache, staging and row folders of
#: imports under way): never backed up.
WORK_PREFIX = ".chiso-"
#: Files of CHISO_HOME kept with the site database.
HOME_FILES = ("secret_key",)
HOME_FOLDERS = ("evidence",)


@dataclass(frozen=True)
class Site:
    """Where a site keeps its state: ``CHISO_HOME`` and its database URL."""

    home: Path
    database_url: str

    @property
    def sqlite(self) -> Path | None:
        return sqlite_path(self.database_url)

    @property
    def kind(self) -> str:
        if is_postgres(self.database_url):
            return "postgresql"
        if self.sqlite is not None:
            return "sqlite" if self.sqlite.exists() else "none"
        raise UserError(
            _("CHISO_DATABASE_URL={url!r} is not sqlite:/// or postgresql://").format(
                url=self.database_url
            ),
            hint=_("the site's settings are in docs/web.md"),
        )


def site_of(home: Path, database_url: str | None) -> Site:
    """The site of ``home``: its database is ``CHISO_DATABASE_URL``, else
    ``home/site.sqlite3`` (as the site itself decides, ``chiso_web.env``)."""
    home = home.expanduser().resolve()
    return Site(home, database_url or f"sqlite:///{home / 'site.sqlite3'}")


def data_kind(data: str) -> str:
    return DataSource.parse(data).kind


def data_files(folder: Path, *, skip: Path | None = None) -> Iterator[Path]:
    """The files of a data folder a backup keeps, sorted (paths relative to ``folder``):
    not the journal, pending files, chiso's work folders (``.chiso-*``) or the folder
    ``skip`` (the site's home when it lies inside the data folder, as in the demo)."""
    skipped = skip.resolve() if skip is not None else None
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(WORK_PREFIX) and (Path(root) / d).resolve() != skipped
        )
        for name in sorted(files):
            if name == JOURNAL or name.endswith(PENDING):
                continue
            yield (Path(root) / name).relative_to(folder)


def _empty_target(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UserError(
            _("{target} is not empty; a backup needs a new or empty folder").format(target=target),
            hint=_("choose another folder, e.g. add the date: --to /sao-luu/chiso-$(date +%F)"),
        )
    private_folder(target)


def backup(data: str, site: Site, target: Path) -> Manifest:
    """Back up ``data`` (folder or URL) and ``site`` into the new folder ``target``."""
    kind = data_kind(data)
    folder = Path(data).expanduser().resolve() if kind == "folder" else None
    if folder is not None and not folder.is_dir():
        raise UserError(
            _("the data folder {folder!r} does not exist").format(folder=str(folder)),
            hint=_("pass --data as to chiso serve (default CHISO_HOME/data)"),
        )
    _empty_target(target)
    manifest = Manifest(data_kind=kind, site_kind=site.kind)
    with writer(folder) if folder is not None else nullcontext():
        if folder is not None:
            recover(folder)
            for relative in data_files(folder, skip=site.home):
                copied = target / "data" / relative
                copy_private(folder / relative, copied)
                manifest.add(target, copied)
        else:
            dumped = target / ("data.pgdump" if kind == "postgresql" else "data.duckdb")
            (dump_postgres if kind == "postgresql" else dump_duckdb)(data, dumped)
            manifest.add(target, dumped)
        _backup_site(site, target, manifest)
    manifest.write(target)
    return manifest


def _backup_site(site: Site, target: Path, manifest: Manifest) -> None:
    if site.kind == "postgresql":
        dump_postgres(site.database_url, target / "site.pgdump")
        manifest.add(target, target / "site.pgdump")
    elif site.kind == "sqlite":
        assert site.sqlite is not None
        dump_sqlite(site.sqlite, target / "site.sqlite3")
        manifest.add(target, target / "site.sqlite3")
    for name in HOME_FILES:
        if (site.home / name).is_file():
            copy_private(site.home / name, target / "home" / name)
            manifest.add(target, target / "home" / name)
    for name in HOME_FOLDERS:
        for path in sorted((site.home / name).rglob("*")):
            if path.is_file():
                copied = target / "home" / path.relative_to(site.home)
                copy_private(path, copied)
                manifest.add(target, copied)
