"""``chiso restore``: put a verified backup back, never over something without ``--force``.

Every file of the backup is checked against its manifest (size and SHA-256) before
anything is written, and every target is checked for content; so a damaged backup or a
target in use is refused with nothing changed.  A data folder is replaced all or nothing
through the folder's journal (``chiso.storage.journal.commit``) under its writer lock, and
its derived ``.chiso-cache`` is dropped (the next score rebuilds it).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from chiso.errors import UserError
from chiso.i18n import N_, _
from chiso.ops.backup import CACHE, HOME_FILES, HOME_FOLDERS, Site, data_files, data_kind
from chiso.ops.databases import postgres_has_tables, restore_postgres, restore_sqlite
from chiso.ops.manifest import Manifest, copy_private, verify
from chiso.storage.journal import STAGE_PREFIX, commit, recover, writer
from chiso.storage.private import private_folder

__all__ = ["restore"]

FORCE_HINT = N_(
    "choose a new place, or add --force to overwrite (stop the site before overwriting)"
)


def restore(source: Path, data: str, site: Site, *, force: bool = False) -> Manifest:
    """Restore the backup folder ``source`` into ``data`` and ``site``."""
    manifest = verify(source)
    kind = data_kind(data)
    if kind != manifest.data_kind:
        raise UserError(
            _("the backup holds data as {backed_up}, the restore target {data} is {kind}").format(
                backed_up=manifest.data_kind, data=data, kind=kind
            ),
            hint=_(
                "restore into the same kind of place as was backed up (folder, duckdb:/// or "
                "postgresql://)"
            ),
        )
    site_kind = site.kind
    if manifest.site_kind != "none" and site_kind not in (manifest.site_kind, "none"):
        raise UserError(
            _(
                "the backup holds the site's database as {backed_up}, CHISO_DATABASE_URL is {kind}"
            ).format(backed_up=manifest.site_kind, kind=site_kind),
            hint=_("set CHISO_DATABASE_URL to the same kind as at the backup"),
        )
    if not force:
        _refuse_content(manifest, data, kind, site)
    _restore_data(source, manifest, data, kind, site, force=force)
    _restore_site(source, manifest, site, force=force)
    return manifest


def _refuse_content(manifest: Manifest, data: str, kind: str, site: Site) -> None:
    """A user error when a target already holds something (checked before any write)."""
    if kind == "folder":
        folder = Path(data).expanduser()
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise UserError(
                _("the data folder {folder} is not empty").format(folder=folder), hint=_(FORCE_HINT)
            )
    elif kind == "duckdb":
        if Path(urlparse(data).path).exists():
            raise UserError(
                _("the data file {path} exists").format(path=urlparse(data).path),
                hint=_(FORCE_HINT),
            )
    elif postgres_has_tables(data):
        raise UserError(
            _("the database {data} already has tables").format(data=data), hint=_(FORCE_HINT)
        )
    sqlite = site.sqlite
    if manifest.site_kind == "sqlite" and sqlite is not None and _non_empty_file(sqlite):
        raise UserError(
            _("the site's database {path} exists").format(path=site.sqlite), hint=_(FORCE_HINT)
        )
    if manifest.site_kind == "postgresql" and postgres_has_tables(site.database_url):
        raise UserError(
            _("the site's database (CHISO_DATABASE_URL) already has tables"), hint=_(FORCE_HINT)
        )
    for name in HOME_FILES:
        if (site.home / name).exists() and any(e.path == f"home/{name}" for e in manifest.files):
            raise UserError(_("{path} exists").format(path=site.home / name), hint=_(FORCE_HINT))


def _non_empty_file(path: Path) -> bool:
    return path.exists() and path.stat().st_size > 0


def _restore_data(
    source: Path, manifest: Manifest, data: str, kind: str, site: Site, *, force: bool
) -> None:
    if kind == "folder":
        _restore_folder(source, manifest, Path(data).expanduser().resolve(), site.home)
    elif kind == "duckdb":
        target = Path(urlparse(data).path)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}.restoring")
        copy_private(source / "data.duckdb", partial)
        os.replace(partial, target)
    else:
        restore_postgres(source / "data.pgdump", data, clean=force)


def _restore_folder(source: Path, manifest: Manifest, folder: Path, home: Path) -> None:
    """Replace the folder's files by the backup's, all or nothing (the folder's journal);
    the site's ``home``, when inside the folder, is left to :func:`_restore_site`."""
    if not folder.exists():
        private_folder(folder)
    kept = [Path(e.path).relative_to("data") for e in manifest.files if e.path.startswith("data/")]
    with writer(folder):
        recover(folder)
        stage = Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{os.getpid()}-restore-", dir=folder))
        try:
            for relative in kept:
                copy_private(source / "data" / relative, stage / relative)
            obsolete = [folder / p for p in data_files(folder, skip=home) if p not in set(kept)]
            commit(
                folder,
                renames=[(stage / p, folder / p) for p in kept],
                deletes=obsolete,
            )
        finally:
            shutil.rmtree(stage, ignore_errors=True)
        shutil.rmtree(folder / CACHE, ignore_errors=True)


def _restore_site(source: Path, manifest: Manifest, site: Site, *, force: bool) -> None:
    if manifest.site_kind == "sqlite":
        target = site.sqlite
        assert target is not None  # the kinds were matched in restore()
        restore_sqlite(source / "site.sqlite3", target)
    elif manifest.site_kind == "postgresql":
        restore_postgres(source / "site.pgdump", site.database_url, clean=force)
    if not site.home.exists():
        private_folder(site.home)
    for entry in manifest.files:
        if entry.path.startswith("home/"):
            relative = Path(entry.path).relative_to("home")
            if relative.parts[0] in (*HOME_FILES, *HOME_FOLDERS):
                copy_private(source / entry.path, site.home / relative)
