"""An import run: save the upload, validate it (dry run), confirm or cancel it.

The request only saves the files and queues the run; the worker (``imports/jobs.py``)
runs :func:`validate` and, once the user confirms, :func:`apply`.  Both read the upload
once (``chiso.ingest.importer.check_files``; the scope check uses the same staged rows),
outside the data service's lock, so the dashboard is served while a large file is
checked.  Only the write (``apply_checked``) holds the lock, so the site's data never
sees half an import; just before it, under the lock, the rows are checked again when the
units or procedures changed since their check, and the scope when the data did.  The
worker acts with the access its user has when the step runs (``access_of``): the uploader
for validation, the confirming user for the import.
"""

from __future__ import annotations

import re
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from chiso.api import (
    FOLDER_MODE,
    IMPORTABLE,
    CheckedImport,
    Diff,
    ImportRejectedError,
    ImportResult,
    RowIssue,
    UnitTree,
    absent_from_layouts,
    apply_checked,
    check_files,
    column_label,
    private_file,
    private_folder,
    value_label,
)
from chiso.errors import UserError
from chiso_web import data
from chiso_web.audit.log import record
from chiso_web.imports.models import ImportRun, RunStatus
from chiso_web.imports.scope import (
    PROVINCE_TABLES,
    check_scope,
    refused_issues,
    refused_message,
    staged_rows,
)
from chiso_web.units.access import Access, access_of, signed_in_user
from chiso_web.units.scope import stored_units

EXPORT_SUFFIXES = (".csv", ".xlsx", ".xls", ".ods")
MAX_ISSUES = 500
MAX_FILES = 20
PROGRESS_SECONDS = 1.0
SCOPE_HINT = gettext_lazy("Import only the rows of your own unit and of the units under it.")
CHANGED_HINT = gettext_lazy(
    "The units or procedures list changed since the previous check, so the file was checked "
    "again; fix the listed rows and upload it again."
)
TABLE_LABELS = {
    "dossiers": gettext_lazy("Administrative procedure dossiers"),
    "procedures": gettext_lazy("Procedures list"),
    "units": gettext_lazy("Units list"),
    "petitions": gettext_lazy("Feedback and petitions"),
    "ratings": gettext_lazy("Citizens' ratings"),
}
assert tuple(TABLE_LABELS) == IMPORTABLE


def uploads_root() -> Path:
    """Where uploaded exports are kept (one folder per run)."""
    return Path(settings.HOME) / "uploads"


def run_folder(run: ImportRun) -> Path:
    """The folder of one run's files."""
    return uploads_root() / run.key


def run_paths(run: ImportRun) -> list[Path]:
    """The saved files of a run, in upload order."""
    return [run_folder(run) / name for name in run.files]


def refusal(access: Access, table: str) -> str | None:
    """Why ``access`` may not import ``table`` at all (None: it may, within its scope)."""
    if not access.is_staff or access.role == "leader":
        return gettext("only administrators and unit officers import data")
    if table in PROVINCE_TABLES and access.role != "admin":
        label = TABLE_LABELS.get(table, table).lower()
        return gettext(
            "only a province administrator imports %(table)s (shared by the whole province)"
        ) % {"table": label}
    return None


def check_upload(access: Access, table: str, files: Sequence[UploadedFile]) -> None:
    """Who may import which table, and which files are accepted (else a clear error)."""
    refused = refusal(access, table)
    if refused:
        raise PermissionDenied(refused)
    if table not in IMPORTABLE:
        raise UserError(
            gettext("Table %(table)s cannot be imported.") % {"table": repr(table)},
            hint=gettext("choose a table in the list"),
        )
    if not files:
        raise UserError(
            gettext("No file chosen."),
            hint=gettext("choose at least one CSV, XLSX, XLS or ODS file"),
        )
    if len(files) > MAX_FILES:
        raise UserError(
            gettext("At most %(max)s files at a time.") % {"max": MAX_FILES},
            hint=gettext("split them into several imports"),
        )
    for f in files:
        if not str(f.name).lower().endswith(EXPORT_SUFFIXES):
            raise UserError(
                gettext("File %(name)s is not CSV, XLSX, XLS or ODS.") % {"name": repr(f.name)},
                hint=gettext("export it again from the one-stop system as Excel or CSV"),
            )


def save_upload(files: Sequence[UploadedFile]) -> tuple[str, list[str]]:
    """Save the files in a new run folder; their (safe, distinct) names."""
    key = uuid.uuid4().hex
    private_folder(uploads_root())
    folder = uploads_root() / key
    folder.mkdir(mode=FOLDER_MODE)
    names: list[str] = []
    for f in files:
        name = stored_name(str(f.name))
        stem, suffix = Path(name).stem, Path(name).suffix
        n = 1
        while name in names:
            n += 1
            name = f"{stem}-{n}{suffix}"
        with private_file(folder / name).open("wb") as out:
            for chunk in f.chunks():
                out.write(chunk)
        names.append(name)
    return key, names


def stored_name(uploaded: str) -> str:
    """The name an uploaded file is kept (and shown) under: the officer's own name, spaces
    and Vietnamese letters kept ("Danh sách hồ sơ tháng 10.xlsx", not
    "Danh_sách_hồ_sơ_tháng_10.xlsx"), without a folder, control or path characters or a
    leading dot; ``tep`` when nothing is left."""
    name = Path(uploaded.replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f\x7f/:*?\"<>|]", "", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    if len(name) > 200:  # keep the extension: the import reads the file by it
        suffix = Path(name).suffix[:20]
        name = name[: 200 - len(suffix)] + suffix
    return name or "tep"


def diff_json(diff: Diff) -> dict[str, Any]:
    """The dry-run diff as JSON (values as text), with what the page shows: the columns'
    Vietnamese headers and the values as an officer reads them (:func:`shown`)."""
    columns = {c: n for c, n in diff.columns.items() if n}
    return {
        "new": diff.new,
        "changed": diff.changed,
        "unchanged": diff.unchanged,
        "deleted": diff.deleted,
        "columns": columns,
        "column_labels": {c: column_label(c) for c in columns},
        "samples": [
            {
                "key": str(k),
                "column": c,
                "column_label": column_label(c),
                "old": _text(old),
                "new": _text(new),
                "old_shown": shown(c, old),
                "new_shown": shown(c, new),
            }
            for k, c, old, new in diff.samples
        ],
    }


def shown(column: str, value: Any) -> str:
    """A changed value as an officer reads it: dd/mm/yyyy hh:mm (with the seconds when
    there are any, so that 08:05:31 → 08:05 is seen to change), Có/Không, labels for
    codes; empty as ``""``."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M:%S}" if value.second else f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return value_label(column, value)


def report_json(table: str, result: ImportResult) -> dict[str, Any]:
    """The dry-run diff and the optional columns the files lack, with the indicators of the
    site's index set they affect (docs/data-model.md, "Absent columns")."""
    absent = absent_from_layouts(table, result.layouts, data.index_set())
    return diff_json(result.diff) | {"absent": [a.as_json() for a in absent]}


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def issue_json(issue: RowIssue, folder: Path | None = None) -> dict[str, Any]:
    """One rejected row problem as JSON; the server's upload ``folder`` is left out of its
    words (a row repeated in another row names that row's file)."""
    inside = f"{folder}/" if folder is not None else None
    return {
        "file": Path(issue.file).name,
        "row": issue.row,
        "column": issue.column,
        "column_label": column_label(issue.column) if issue.column else "",
        "value": issue.value,
        "reason": issue.reason.replace(inside, "") if inside else issue.reason,
        "hint": issue.hint.replace(inside, "") if inside and issue.hint else issue.hint,
    }


def _rejected(run: ImportRun, err: ImportRejectedError) -> None:
    issues = sorted(err.issues)
    run.status = RunStatus.REJECTED
    run.issue_count = len(issues) + err.dropped  # past limits.MAX_KEPT_ISSUES: counted
    run.bad_rows = len({(i.file, i.row) for i in issues})
    run.issues = [issue_json(i, run_folder(run)) for i in issues[:MAX_ISSUES]]
    run.message = gettext("%(rows)s invalid rows; no row imported.") % {"rows": run.bad_rows}
    run.hint = gettext("Fix the rows listed in the file and upload it again.")


def _scope(run: ImportRun, access: Access, checked: CheckedImport) -> str | None:
    """Record the units the run touches; why the user may not write them, if so, with the
    refused rows listed as the run's rejected rows (the access is the one the user has
    now: it may have changed since the upload)."""
    refused = refusal(access, run.table)
    if refused:
        return gettext("The account may no longer import: %(why)s.") % {"why": refused}
    tree = data.service().tree()
    rows = staged_rows(checked)
    stored = stored_units(run.table, (r.key for r in rows))  # one query for the whole upload
    scope = check_scope(access, tree, run.table, rows, stored)
    run.unit_codes = sorted(scope.unit_codes)
    if not scope.refused:
        return None
    issues = refused_issues(run.table, tree, scope.refused)
    run.issue_count = len(issues)
    run.bad_rows = len({(i.file, i.row) for i in issues})
    run.issues = [issue_json(i, run_folder(run)) for i in issues[:MAX_ISSUES]]
    return refused_message(run.table, tree, scope.refused)


def validate(run: ImportRun) -> None:
    """Dry-run the import and check the uploader's scope; the run says what was found
    (worker step: ``checking`` → validated, rejected)."""
    try:
        with _check(run) as checked:
            result = _dry_run(checked)
            run.rows = result.rows
            run.diff = report_json(run.table, result)
            foreign = _scope(run, access_of(run.user), checked)
    except ImportRejectedError as err:
        _rejected(run, err)
    except UserError as err:
        _unreadable(run, err)
    else:
        run.status = RunStatus.REJECTED if foreign else RunStatus.VALIDATED
        run.message = foreign or ""
        run.hint = str(SCOPE_HINT) if foreign else ""
    if run.status != RunStatus.VALIDATED:
        finish(run)
    run.save()


def _check(run: ImportRun) -> CheckedImport:
    """Read, check and stage the run's files for the site's data (no lock: writes nothing)."""
    return check_files(run.table, run_paths(run), data.service().source, progress=_progress(run))


def _dry_run(checked: CheckedImport) -> ImportResult:
    """What the import would change.  A data folder is compared outside the data service's
    lock: its writers take turns on the folder's ``flock``, which the comparison holds, so
    no part is replaced while it reads.  A database URL is compared under the write lock
    (DuckDB: the site's own connection is closed first)."""
    service = data.service()
    if service.is_folder:
        return apply_checked(checked, dry_run=True)
    with service.writing():
        return apply_checked(checked, dry_run=True)


def _progress(run: ImportRun) -> Callable[[int], None]:
    """Count the rows read into ``run.rows`` (saved at most every PROGRESS_SECONDS)."""
    read, saved = 0, time.monotonic()

    def step(rows: int) -> None:
        nonlocal read, saved
        read += rows
        if time.monotonic() - saved >= PROGRESS_SECONDS:
            ImportRun.objects.filter(pk=run.pk).update(rows=read)
            saved = time.monotonic()

    return step


def _unreadable(run: ImportRun, err: UserError) -> None:
    """A file chiso cannot read (or a table it cannot import): one Vietnamese sentence,
    chiso's detail without the server's upload folder."""
    detail = err.message.replace(f"{run_folder(run)}/", "")
    run.status = RunStatus.REJECTED
    run.message = gettext("The file cannot be read, no row imported. Detail: %(detail)s") % {
        "detail": detail
    }
    run.hint = err.hint or gettext("Export the file again from the one-stop system and upload it.")


def finish(run: ImportRun) -> None:
    """A run ends: its time; its files are deleted whatever the end (imported or not), its
    report kept (uploads hold personal data: docs/security.md)."""
    run.finished_at = timezone.now()
    shutil.rmtree(run_folder(run), ignore_errors=True)


def start(
    request: HttpRequest, access: Access, table: str, files: Sequence[UploadedFile]
) -> ImportRun:
    """Check and save an upload; the run waits for the worker to validate it."""
    check_upload(access, table, files)
    key, names = save_upload(files)
    return ImportRun.objects.create(
        key=key,
        user=signed_in_user(request),
        username=request.user.get_username(),
        table=table,
        files=names,
        status=RunStatus.QUEUED,
    )


def _audit(
    run: ImportRun,
    access: Access,
    action: str,
    summary: str,
    *,
    request: HttpRequest | None = None,
    actor: str | None = None,
) -> None:
    record(
        request,
        action,
        summary,
        actor=actor,
        unit_code=access.unit_code,
        run=run.pk,
        table=run.table,
        files=run.files,
        rows=run.rows,
        diff={k: run.diff.get(k, 0) for k in ("new", "changed", "unchanged", "deleted")},
        units=run.unit_codes[:50],
    )


def confirm(request: HttpRequest, run: ImportRun) -> ImportRun:
    """Queue the real import of a validated run (the worker runs :func:`apply`).

    The run moves validated → confirming in one conditional UPDATE, so a double click or
    two tabs queue it once; a second confirmation is refused."""
    claimed = ImportRun.objects.filter(pk=run.pk, status=RunStatus.VALIDATED).update(
        status=RunStatus.CONFIRMING, confirmed_by=request.user
    )
    if not claimed:
        raise UserError(
            gettext("This import is no longer waiting for confirmation."),
            hint=gettext("upload the files again"),
        )
    run.refresh_from_db()
    return run


def apply(run: ImportRun) -> None:
    """Import a confirmed run for real (worker step: ``importing`` → confirmed, rejected,
    failed), re-checked first: the data may have changed since the dry run."""
    user = run.confirmed_by
    access = access_of(user)
    try:
        _apply(run, access)
    except Exception:
        run.status = RunStatus.FAILED
        run.message = gettext("Error while writing the data; no row imported.")
        raise
    finally:
        finish(run)
        run.save()
        label = TABLE_LABELS[run.table].lower()
        verb = "nhập" if run.status == RunStatus.CONFIRMED else "không nhập được"
        summary = f"{verb} {label} từ {', '.join(run.files)}: {run.message}"
        actor = user.get_username() if user is not None else run.username
        _audit(run, access, "import", summary, actor=actor)


def _apply(run: ImportRun, access: Access) -> None:
    rechecked = False
    try:
        with ExitStack() as stack:
            checked = stack.enter_context(_check(run))  # the long part, outside the lock
            seen = data.service().data_version()
            foreign = _scope(run, access, checked)
            # the apply step: no write of the site's, nor of another process, in between
            with data.service().folder_writer(), data.service().lock.writing():
                if not checked.still_valid():  # units or procedures changed: check again
                    checked, rechecked = stack.enter_context(_check(run)), True
                    foreign = _scope(run, access, checked)
                elif data.service().data_version() != seen:  # a stored record may have moved
                    foreign = _scope(run, access, checked)
                if foreign:
                    run.status, run.message, run.hint = RunStatus.REJECTED, foreign, str(SCOPE_HINT)
                    return
                with data.service().writing():
                    result = apply_checked(checked)
    except ImportRejectedError as err:
        _rejected(run, err)
        run.hint = str(CHANGED_HINT) if rechecked else run.hint
        return
    except UserError as err:
        _unreadable(run, err)
        return
    run.status, run.rows = RunStatus.CONFIRMED, result.rows
    run.diff = report_json(run.table, result)
    run.message = gettext("Imported: %(new)s new records, %(changed)s changed records.") % {
        "new": result.diff.new,
        "changed": result.diff.changed,
    }


def cancel(request: HttpRequest, access: Access, run: ImportRun) -> ImportRun:
    """Cancel a run waiting for its check or for confirmation, and delete its files."""
    claimed = ImportRun.objects.filter(
        pk=run.pk, status__in=[RunStatus.QUEUED, RunStatus.VALIDATED]
    ).update(status=RunStatus.CANCELLED)
    if not claimed:
        raise UserError(
            gettext("This import has ended, it cannot be cancelled."),
            hint=gettext("see the import history"),
        )
    run.refresh_from_db()
    finish(run)
    run.save()
    _audit(run, access, "import_cancel", f"hủy nhập {', '.join(run.files)}", request=request)
    return run


def may_open(access: Access, tree: UnitTree, run: ImportRun, user_id: int | None) -> bool:
    """Whether the run's report (rows, values) may be shown: own runs, every run for
    administrators and leaders, runs wholly inside an officer's subtree."""
    if access.sees_everything or (user_id is not None and run.user_id == user_id):
        return True
    visible = access.visible_codes(tree) or set()
    return bool(run.unit_codes) and set(run.unit_codes) <= visible


def may_list(access: Access, tree: UnitTree, run: ImportRun, user_id: int | None) -> bool:
    """Whether the run appears in the history: also runs touching an officer's subtree."""
    if may_open(access, tree, run, user_id):
        return True
    visible = access.visible_codes(tree) or set()
    return bool(set(run.unit_codes) & visible)
