"""Check a received report by upload: the library's checker recomputes its tables and
narrative and lists every inconsistency (code, level, location, printed and correct).

The checker reads a file the user sent, so it runs in a child process with the memory
limit (:func:`chiso_web.jobs.isolation.call`, at most two at once); the request waits
for its answer.  A file that exhausts the child is refused with a Vietnamese reason."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import get_valid_filename
from django.utils.translation import gettext, gettext_lazy

from chiso.api import CheckResult, Period, PeriodKind, UnitTree, check_report
from chiso.errors import UserError
from chiso_web import data
from chiso_web.audit.log import record
from chiso_web.errors import ok_json
from chiso_web.jobs import isolation
from chiso_web.units.access import require_staff

REPORT_SUFFIXES = (".txt", ".docx", ".xlsx", ".xls", ".ods", ".pdf")
MAX_REPORT_BYTES = 30 * 1024 * 1024
ROUNDINGS = {
    "truncate": gettext_lazy("Truncate the excess"),
    "half_up": gettext_lazy("Round (half up)"),
}
#: The periods the form's picker offers.
PICKED = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF, PeriodKind.YEAR)
LEVEL_LABELS = {"error": gettext_lazy("Error"), "warning": gettext_lazy("Warning")}


def _unit_name(code: str | None) -> str | None:
    """The reporting unit's name: the site's tree, else the shipped Điện Biên tree with its
    history (the trees the checker reads); an unknown code as it is."""
    if code is None:
        return None
    for tree in (data.service().tree(), UnitTree.dienbien()):
        if code in tree:
            return tree.get(code).name
    return code


def result_doc(result: CheckResult, name: str) -> dict[str, Any]:
    """The checker's result as JSON (same fields as ``chiso check-report --format json``)."""
    return {
        "file": name,
        "index_set": result.index_set,
        "index_set_label": dict(data.index_set_choices()).get(
            result.index_set or "", result.index_set
        ),
        "period": result.period,
        "reporting_unit": result.reporting_unit,
        "reporting_unit_name": _unit_name(result.reporting_unit),
        "rounding": [
            {
                "mode": r.mode,
                "mode_label": str(ROUNDINGS.get(r.mode, r.mode)),
                "decimals": r.decimals,
            }
            for r in result.rounding
        ],
        "errors": len(result.errors),
        "warnings": len(result.findings) - len(result.errors),
        "findings": [
            {
                **f.__dict__,
                "level_label": str(LEVEL_LABELS.get(f.level, f.level)),
                "kind_label": f.kind_label,
            }
            for f in result.findings
        ],
    }


def _period(text: str) -> str | None:
    """The period picked — a month, a quarter, a half-year or a year — as its code; None
    when empty (the checker reads it from the report)."""
    if not text:
        return None
    try:
        period: Period | None = data.period(text)
    except UserError:
        period = None
    if period is None or period.kind not in PICKED:
        raise UserError(
            gettext("The period “%(text)s” is not a month, a quarter, a half-year or a year.")
            % {"text": text},
            hint=gettext("choose it in the list, or leave it empty to read it from the report"),
        )
    return period.code


def _options(post: Any) -> dict[str, Any]:
    index_set = post.get("index_set") or None
    if index_set is not None:
        data.index_set_id(index_set, hint=gettext("leave it empty to detect it"))
    rounding = post.get("rounding") or None
    if rounding is not None and rounding not in ROUNDINGS:
        raise UserError(
            gettext("Rounding %(rounding)s is not valid.") % {"rounding": repr(rounding)},
            hint=gettext("choose in the list: %(choices)s")
            % {"choices": gettext(" or ").join(f"«{label}»" for label in ROUNDINGS.values())},
        )
    return {
        "index_set": index_set,
        "period": _period((post.get("period") or "").strip()),
        "unit": (post.get("unit") or "").strip() or None,
        "rounding": rounding,
    }


def run_check(upload: UploadedFile | None, options: dict[str, Any]) -> dict[str, Any]:
    """Save the report in a temporary folder and check it."""
    if upload is None:
        raise UserError(
            gettext("No report file chosen."), hint=gettext("choose a DOCX, XLSX, PDF or TXT file")
        )
    shown = Path(str(upload.name)).name  # as the officer named it: "Báo cáo xã tháng 10.docx"
    name = get_valid_filename(shown) or "bao-cao"  # the temporary copy's name
    if not name.lower().endswith(REPORT_SUFFIXES):
        raise UserError(
            gettext("File %(name)s cannot be read.") % {"name": repr(upload.name)},
            hint=gettext("send the report as DOCX, XLSX, XLS, ODS, PDF (with a text layer) or TXT"),
        )
    if (upload.size or 0) > MAX_REPORT_BYTES:
        raise UserError(
            gettext("The report file is larger than 30 MB."),
            hint=gettext("send a copy without pictures"),
        )
    with tempfile.TemporaryDirectory(prefix="chiso-check-") as tmp:
        path = Path(tmp) / name
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        doc: dict[str, Any] = isolation.call(
            "chiso_web.imports.check_views.check_saved",
            {"path": str(path), "name": shown or name, "options": options},
        )
    return doc


def check_saved(payload: dict[str, Any]) -> dict[str, Any]:
    """The child's side: check the saved report, its result as JSON."""
    return result_doc(_check(Path(payload["path"]), payload["options"]), payload["name"])


def _check(path: Path, options: dict[str, Any]) -> CheckResult:
    """Check against the site's unit tree, else the shipped Điện Biên tree with its history
    (a received report may name units the site's data no longer holds)."""
    try:
        return check_report(path, tree=data.service().tree(), **options)
    except UserError as err:
        try:
            return check_report(path, **options)
        except UserError:
            raise err from None


def check(request: HttpRequest) -> HttpResponse:
    """Upload a received report and see its inconsistencies (any signed-in staff)."""
    require_staff(request)
    doc: dict[str, Any] | None = None
    error: UserError | None = None
    if request.method == "POST":
        try:
            doc = run_check(request.FILES.get("report"), _options(request.POST))
        except UserError as err:
            error = err
        else:
            record(
                request, "check_report",
                f"kiểm tra {doc['file']}: {doc['errors']} lỗi, {doc['warnings']} cảnh báo",
                period=doc["period"] or "", file=doc["file"], index_set=doc["index_set"],
                reporting_unit=doc["reporting_unit"], errors=doc["errors"],
                warnings=doc["warnings"],
            )  # fmt: skip
            if request.POST.get("format") == "json":
                return ok_json({"check": doc})
    context = {
        "doc": doc,
        "error": error,
        "form": request.POST,
        "index_sets": data.index_set_choices(),
        "roundings": list(ROUNDINGS.items()),
    }
    return render(request, "imports/check.html", context, status=400 if error else 200)
