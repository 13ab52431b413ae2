"""An import run: save the upload, validate it (dry run), confirm or cancel it.

Validation and confirmation both go through ``chiso.ingest.importer.import_files`` under
the data service's write lock, so the site's data never sees half an import.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import get_valid_filename

from chiso.domain.units import UnitTree
from chiso.errors import UserError
from chiso.ingest.importer import IMPORTABLE, import_files
from chiso.ingest.issues import ImportRejectedError, RowIssue
from chiso.ingest.targets import Diff
from chiso_web import data
from chiso_web.audit.log import record
from chiso_web.imports.models import ImportRun, RunStatus
from chiso_web.imports.scope import PROVINCE_TABLES, check_scope, staged_rows, stored_units
from chiso_web.units.access import Access

EXPORT_SUFFIXES = (".csv", ".xlsx", ".xls", ".ods")
MAX_ISSUES = 500
MAX_FILES = 20
TABLE_LABELS = {
    "dossiers": "Hồ sơ thủ tục hành chính",
    "procedures": "Danh mục thủ tục",
    "units": "Danh mục đơn vị",
    "petitions": "Phản ánh, kiến nghị",
    "ratings": "Đánh giá của người dân",
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


def check_upload(access: Access, table: str, files: Sequence[UploadedFile]) -> None:
    """Who may import which table, and which files are accepted (else a clear error)."""
    if not access.is_staff or access.role == "leader":
        raise PermissionDenied("chỉ quản trị và cán bộ đơn vị được nhập dữ liệu")
    if table not in IMPORTABLE:
        raise UserError(f"Bảng {table!r} không nhập được.", hint="chọn một bảng trong danh sách")
    if table in PROVINCE_TABLES and access.role != "admin":
        raise PermissionDenied(
            f"chỉ quản trị cấp tỉnh được nhập {TABLE_LABELS[table].lower()} (dùng chung toàn tỉnh)"
        )
    if not files:
        raise UserError("Chưa chọn tệp nào.", hint="chọn ít nhất một tệp CSV, XLSX, XLS hoặc ODS")
    if len(files) > MAX_FILES:
        raise UserError(f"Tối đa {MAX_FILES} tệp mỗi lần.", hint="chia thành nhiều lần nhập")
    for f in files:
        if not str(f.name).lower().endswith(EXPORT_SUFFIXES):
            raise UserError(
                f"Tệp {f.name!r} không phải CSV, XLSX, XLS hoặc ODS.",
                hint="xuất lại từ hệ thống một cửa dưới dạng Excel hoặc CSV",
            )


def save_upload(files: Sequence[UploadedFile]) -> tuple[str, list[str]]:
    """Save the files in a new run folder; their (safe, distinct) names."""
    key = uuid.uuid4().hex
    folder = uploads_root() / key
    folder.mkdir(parents=True)
    names: list[str] = []
    for f in files:
        name = get_valid_filename(Path(str(f.name)).name) or "tep"
        stem, suffix = Path(name).stem, Path(name).suffix
        n = 1
        while name in names:
            n += 1
            name = f"{stem}-{n}{suffix}"
        with (folder / name).open("wb") as out:
            for chunk in f.chunks():
                out.write(chunk)
        names.append(name)
    return key, names


def diff_json(diff: Diff) -> dict[str, Any]:
    """The dry-run diff as JSON (values as text)."""
    return {
        "new": diff.new,
        "changed": diff.changed,
        "unchanged": diff.unchanged,
        "deleted": diff.deleted,
        "columns": {c: n for c, n in diff.columns.items() if n},
        "samples": [
            {"key": str(k), "column": c, "old": _text(old), "new": _text(new)}
            for k, c, old, new in diff.samples
        ],
    }


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def issue_json(issue: RowIssue) -> dict[str, Any]:
    """One rejected row problem as JSON."""
    return {
        "file": Path(issue.file).name,
        "row": issue.row,
        "column": issue.column,
        "value": issue.value,
        "reason": issue.reason,
        "hint": issue.hint,
    }


def _rejected(run: ImportRun, err: ImportRejectedError) -> None:
    issues = sorted(err.issues)
    run.status = RunStatus.REJECTED
    run.issue_count = len(issues)
    run.bad_rows = len({(i.file, i.row) for i in issues})
    run.issues = [issue_json(i) for i in issues[:MAX_ISSUES]]
    run.message = f"{run.bad_rows} dòng không hợp lệ; chưa nhập dòng nào."
    run.hint = "Sửa các dòng được liệt kê trong tệp rồi tải lên lại."


def _scope(run: ImportRun, access: Access, paths: list[Path]) -> str | None:
    """Record the units the run touches; the officer's first foreign row, if any."""
    service = data.service()
    rows = staged_rows(run.table, paths, service.source)
    keys = [r.key for r in rows]
    stored = service.query(lambda store: stored_units(store, run.table, keys))
    scope = check_scope(access, service.tree(), run.table, rows, stored)
    run.unit_codes = sorted(scope.unit_codes)
    return scope.foreign


def validate(run: ImportRun, access: Access) -> ImportRun:
    """Dry-run the import and check the officer's scope; the run says what was found."""
    paths = run_paths(run)
    try:
        with data.service().writing() as source:
            result = import_files(run.table, paths, into=source, dry_run=True)
        run.rows = result.rows
        run.diff = diff_json(result.diff)
        foreign = _scope(run, access, paths)
    except ImportRejectedError as err:
        _rejected(run, err)
    except UserError as err:
        run.status, run.message, run.hint = RunStatus.REJECTED, err.message, err.hint or ""
    else:
        run.status = RunStatus.REJECTED if foreign else RunStatus.VALIDATED
        run.message = foreign or ""
        run.hint = "Chỉ nhập các dòng của đơn vị mình và đơn vị trực thuộc." if foreign else ""
    if run.status == RunStatus.REJECTED:
        _finish(run)
    run.save()
    return run


def _finish(run: ImportRun) -> None:
    """A run that will not be imported keeps its report but not its files."""
    run.finished_at = timezone.now()
    if run.status != RunStatus.CONFIRMED:
        shutil.rmtree(run_folder(run), ignore_errors=True)


def start(
    request: HttpRequest, access: Access, table: str, files: Sequence[UploadedFile]
) -> ImportRun:
    """Check, save and validate an upload."""
    check_upload(access, table, files)
    key, names = save_upload(files)
    run = ImportRun(
        key=key,
        user=request.user,
        username=request.user.get_username(),
        table=table,
        files=names,
        status=RunStatus.FAILED,
    )
    return validate(run, access)


def _audit(request: HttpRequest, access: Access, run: ImportRun, action: str, summary: str) -> None:
    record(
        request,
        action,
        summary,
        unit_code=access.unit_code,
        run=run.pk,
        table=run.table,
        files=run.files,
        rows=run.rows,
        diff={k: run.diff.get(k, 0) for k in ("new", "changed", "unchanged", "deleted")},
        units=run.unit_codes[:50],
    )


def confirm(request: HttpRequest, access: Access, run: ImportRun) -> ImportRun:
    """Import a validated run for real (re-checked: the data may have changed since).

    The run is claimed first (validated → failed until it ends), so a double click or two
    tabs import it once."""
    claimed = ImportRun.objects.filter(pk=run.pk, status=RunStatus.VALIDATED).update(
        status=RunStatus.FAILED
    )
    if not claimed:
        raise UserError("Lần nhập này không còn chờ xác nhận.", hint="tải tệp lên lại")
    try:
        _apply(run, access)
    except Exception:
        run.status, run.message = RunStatus.FAILED, "Lỗi khi ghi dữ liệu; chưa nhập dòng nào."
        raise
    finally:
        _finish(run)
        run.save()
        label = TABLE_LABELS[run.table].lower()
        verb = "nhập" if run.status == RunStatus.CONFIRMED else "không nhập được"
        summary = f"{verb} {label} từ {', '.join(run.files)}: {run.message}"
        _audit(request, access, run, "import", summary)
    return run


def _apply(run: ImportRun, access: Access) -> None:
    paths = run_paths(run)
    service = data.service()
    with service.lock:
        foreign = _scope(run, access, paths)
        if foreign:
            run.status, run.message = RunStatus.REJECTED, foreign
            return
        try:
            with service.writing() as source:
                result = import_files(run.table, paths, into=source)
        except ImportRejectedError as err:
            _rejected(run, err)
            return
    run.status, run.rows = RunStatus.CONFIRMED, result.rows
    run.diff = diff_json(result.diff)
    run.message = f"Đã nhập: {result.diff.new} bản ghi mới, {result.diff.changed} bản ghi thay đổi."


def cancel(request: HttpRequest, access: Access, run: ImportRun) -> ImportRun:
    """Cancel a validated run and delete its files."""
    claimed = ImportRun.objects.filter(pk=run.pk, status=RunStatus.VALIDATED).update(
        status=RunStatus.CANCELLED
    )
    if not claimed:
        raise UserError("Lần nhập này đã kết thúc, không hủy được.", hint="xem lịch sử nhập")
    run.status = RunStatus.CANCELLED
    _finish(run)
    run.save()
    _audit(request, access, run, "import_cancel", f"hủy nhập {', '.join(run.files)}")
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
