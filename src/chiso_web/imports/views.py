"""Upload an export, see its validation report, confirm or cancel it; import history.

Every view checks access with ``chiso_web.units.access``: leaders read, officers import
rows of their own subtree, administrators import anything.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from chiso.errors import UserError
from chiso_web import data
from chiso_web.errors import ok_json
from chiso_web.imports import runs
from chiso_web.imports.models import ImportRun, RunStatus
from chiso_web.imports.scope import PROVINCE_TABLES
from chiso_web.units.access import Access, require_staff, signed_in_user

HISTORY_LIMIT = 200
SCAN_LIMIT = 2000
POLL_SECONDS = 2


def run_doc(run: ImportRun, *, full: bool) -> dict[str, Any]:
    """A run as JSON; ``full`` adds the bad rows and the diff (only for who may open it)."""
    doc: dict[str, Any] = {
        "id": run.pk,
        "table": run.table,
        "table_label": str(runs.TABLE_LABELS.get(run.table, run.table)),
        "files": run.files,
        "status": run.status,
        "status_label": run.get_status_display(),
        "pending": run.pending,
        "user": run.username,
        "rows": run.rows,
        "bad_rows": run.bad_rows,
        "issue_count": run.issue_count,
        "message": run.message,
        "hint": run.hint,
        "unit_codes": run.unit_codes,
        "created_at": run.created_at.isoformat(),
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "new": run.diff.get("new", 0),
        "changed": run.diff.get("changed", 0),
        "unchanged": run.diff.get("unchanged", 0),
        "openable": full,
    }
    if full:
        doc["issues"] = run.issues
        doc["diff"] = run.diff
    return doc


def _may_import(access: Access) -> bool:
    return access.role in ("admin", "officer")


def upload(request: HttpRequest) -> HttpResponse:
    """The upload form; a POST saves the files, queues their check and goes to the run."""
    access = require_staff(request)
    error: UserError | None = None
    table = request.POST.get("table", "dossiers")
    if request.method == "POST":
        try:
            run = runs.start(request, access, table, request.FILES.getlist("files"))
        except UserError as err:
            error = err
        else:
            return HttpResponseRedirect(reverse("imports:run", args=[run.pk]))
    tables = [
        (code, label)
        for code, label in runs.TABLE_LABELS.items()
        if access.role == "admin" or code not in PROVINCE_TABLES
    ]
    context = {
        "tables": tables,
        "table": table,
        "error": error,
        "may_import": _may_import(access),
        "recent": [
            (run, runs.TABLE_LABELS.get(run.table, run.table))
            for run in ImportRun.objects.filter(user=signed_in_user(request))[:10]
        ],
        "suffixes": ", ".join(s.lstrip(".").upper() for s in runs.EXPORT_SUFFIXES),
    }
    return render(request, "imports/upload.html", context, status=400 if error else 200)


def _run_for(request: HttpRequest, pk: int) -> tuple[Access, ImportRun]:
    """The run if the user may open it, else 404 (no probing of others' runs)."""
    access = require_staff(request)
    run = ImportRun.objects.filter(pk=pk).first()
    if run is None or not runs.may_open(access, data.service().tree(), run, request.user.pk):
        raise Http404(gettext("no such import, or you may not see it"))
    return access, run


def _may_act(access: Access, request: HttpRequest, run: ImportRun) -> bool:
    return access.role == "admin" or (access.role == "officer" and run.user_id == request.user.pk)


def run_detail(request: HttpRequest, pk: int, fmt: str | None = None) -> HttpResponse:
    """The run's status (polled by htmx while the worker has it), then its validation
    report: bad rows, or the dry-run diff and the buttons."""
    access, run = _run_for(request, pk)
    doc = run_doc(run, full=True)
    if fmt == "json":
        response = ok_json({"run": doc})
        response["Cache-Control"] = "no-store"
        return response
    may_act = _may_act(access, request, run)
    context = {
        "run": run,
        "doc": doc,
        "may_confirm": may_act and run.status == RunStatus.VALIDATED,
        "may_cancel": may_act and run.status in (RunStatus.QUEUED, RunStatus.VALIDATED),
        "poll_seconds": POLL_SECONDS,
    }
    if request.headers.get("HX-Request"):
        return render(request, "imports/_run_report.html", context)
    return render(request, "imports/run.html", context)


def _act(request: HttpRequest, pk: int, confirm: bool) -> HttpResponse:
    access, run = _run_for(request, pk)
    if not _may_act(access, request, run):
        raise Http404(gettext("only the uploader or an administrator confirms or cancels"))
    if confirm:
        runs.confirm(request, run)
    else:
        runs.cancel(request, access, run)
    return HttpResponseRedirect(reverse("imports:run", args=[run.pk]))


@require_POST
def run_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the real import of the validated files."""
    return _act(request, pk, confirm=True)


@require_POST
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel the run (waiting for its check or for confirmation) and delete its files."""
    return _act(request, pk, confirm=False)


def history(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """Runs the user may see: own runs and runs touching their subtree (all for
    administrators and leaders), newest first."""
    access = require_staff(request)
    tree = data.service().tree()
    query = ImportRun.objects.all()
    table = request.GET.get("table", "")
    if table:
        query = query.filter(table=table)
    rows: list[dict[str, Any]] = []
    for run in query[:SCAN_LIMIT]:
        if runs.may_list(access, tree, run, request.user.pk):
            rows.append(
                run_doc(run, full=False)
                | {"openable": runs.may_open(access, tree, run, request.user.pk)}
            )
        if len(rows) >= HISTORY_LIMIT:
            break
    doc = {"count": len(rows), "table": table, "runs": rows}
    if fmt == "json":
        return ok_json(doc)
    context = {"doc": doc, "tables": list(runs.TABLE_LABELS.items())}
    return render(request, "imports/history.html", context)
