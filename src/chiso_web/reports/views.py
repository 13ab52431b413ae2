"""Report pages: request a report, follow its job, download its files.

Every view goes through the access helper: the list keeps to the units the user may
see, a job's page, JSON twin and downloads call ``get_unit_for_user`` with the job's
unit (404 for anyone else's job, so ids cannot be probed).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from chiso.api import period_shown, soffice
from chiso_web import data
from chiso_web.audit.log import record
from chiso_web.errors import ok_json
from chiso_web.reports.forms import (
    ReportForm,
    default_unit,
    previous_month,
    unit_choices,
)
from chiso_web.reports.models import FORMAT_LABELS, ReportRequest, Status
from chiso_web.units.access import Access, get_unit_for_user, require_staff, signed_in_user
from chiso_web.units.limits import hit

LIST_SIZE = 50
REQUESTS_PER_HOUR = 30
POLL_SECONDS = 2


def too_many() -> str:
    """Why a request past the hourly limit is refused."""
    return gettext("You asked for more than %(count)s reports in an hour; try again later.") % {
        "count": REQUESTS_PER_HOUR
    }


def _visible_jobs(access: Access) -> Any:
    visible = access.visible_codes(data.service().tree())
    jobs = ReportRequest.objects.select_related("requested_by")
    return jobs if visible is None else jobs.filter(unit_code__in=visible)


def _job_for(request: HttpRequest, pk: int) -> tuple[ReportRequest, bool]:
    """The job if the user may see its unit (404 otherwise, as for a missing job)."""
    require_staff(request)
    job = ReportRequest.objects.filter(pk=pk).first()
    if job is None:
        raise Http404(gettext("no such report request"))
    _, can_write = get_unit_for_user(request, job.unit_code)
    return job, can_write


def _job_json(job: ReportRequest) -> dict[str, Any]:
    doc = job.to_json()
    doc["downloads"] = {
        fmt: reverse("reports:download", args=[job.pk, fmt])
        for fmt in FORMAT_LABELS
        if fmt in job.outputs and job.status == Status.DONE
    }
    doc["page"] = reverse("reports:detail", args=[job.pk])
    return doc


def index(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The user's visible report requests and the form to ask for a new one."""
    access = require_staff(request)
    units = unit_choices(data.service().tree(), access)
    if fmt == "json":
        jobs = _visible_jobs(access)[:LIST_SIZE]
        return ok_json({"reports": [_job_json(j) for j in jobs]})
    if request.method == "POST":
        form = ReportForm(request.POST, units=units)
        created = _create(request, form) if form.is_valid() else None
        if created is not None:
            return created
    else:
        initial = {
            "unit": default_unit(units, access),
            "period": previous_month(),
            "index_set": data.index_set().id,
            "formats": ["docx", "xlsx"],
        }
        form = ReportForm(initial=initial, units=units)
    context = {
        "form": form,
        "jobs": list(_visible_jobs(access)[:LIST_SIZE]),
        "has_pdf": soffice() is not None,
    }
    return render(request, "reports/index.html", context, status=400 if form.errors else 200)


def _create(request: HttpRequest, form: ReportForm) -> HttpResponse | None:
    """Queue the form's job and go to its page (None: too many requests, error on form)."""
    values = form.cleaned_data
    unit, _ = get_unit_for_user(request, values["unit"])
    params = {"unit_code": unit.unit_code, "period": values["period"]}
    params["index_set"] = values["index_set"]
    params["formats"] = [f for f in FORMAT_LABELS if f in values["formats"]]
    params["options"] = form.options()
    job = _queue(request, unit.name, params)
    if job is None:
        form.add_error(None, too_many())
        return None
    return redirect("reports:detail", job.pk)


def _queue(request: HttpRequest, unit_name: str, params: dict[str, Any]) -> ReportRequest | None:
    """A new queued job, or the identical one still pending; None when over the limit."""
    pending = ReportRequest.objects.filter(
        status__in=[Status.QUEUED, Status.RUNNING],
        unit_code=params["unit_code"],
        period=params["period"],
        index_set=params["index_set"],
    )
    same = (params["formats"], params.get("options", {}))
    existing = next((j for j in pending if (j.formats, j.options) == same), None)
    if existing is not None:
        messages.info(
            request, gettext("This report is being made; the page below follows that request.")
        )
        return existing
    if hit("reports", str(request.user.pk), limit=REQUESTS_PER_HOUR, window=3600):
        return None
    user = signed_in_user(request)
    job = ReportRequest.objects.create(requested_by=user, unit_name=unit_name, **params)
    record(request, "report.request", f"yêu cầu báo cáo {unit_name} {period_shown(job.period)}",
           unit_code=job.unit_code, period=job.period, job=job.pk, formats=job.formats,
           index_set=job.index_set)  # fmt: skip
    return job


@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask again for a finished or failed job's report (a new job with the same choices)."""
    job, _ = _job_for(request, pk)
    if job.pending:
        return redirect("reports:detail", job.pk)
    params: dict[str, Any] = {"unit_code": job.unit_code, "period": job.period}
    params.update(index_set=job.index_set, formats=list(job.formats), options=dict(job.options))
    again = _queue(request, job.unit_name, params)
    if again is None:
        messages.error(request, too_many())
        return redirect("reports:detail", job.pk)
    return redirect("reports:detail", again.pk)


def detail(request: HttpRequest, pk: int, fmt: str | None = None) -> HttpResponse:
    """One job: status (polled by htmx while pending), notes, error or download links."""
    job, _ = _job_for(request, pk)
    if fmt == "json":
        response = ok_json({"report": _job_json(job)})
        response["Cache-Control"] = "no-store"
        return response
    context = {"job": job, "labels": FORMAT_LABELS, "poll_seconds": POLL_SECONDS}
    if request.headers.get("HX-Request"):
        return render(request, "reports/_status.html", context)
    return render(request, "reports/detail.html", context)


def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse | FileResponse:
    """A finished job's file, named in Vietnamese (RFC 5987 Content-Disposition);
    410 Gone when retention deleted it."""
    job, _ = _job_for(request, pk)
    if fmt not in FORMAT_LABELS:
        raise Http404(gettext("no format %(format)s") % {"format": fmt})
    if job.status == Status.EXPIRED and fmt in job.outputs:
        hint = gettext("Open the request's page and press “Make it again with the latest figures”.")
        context = {"status": 410, "message": job.expired_note, "hint": hint}
        return render(request, "chiso_web/error.html", context, status=410)
    path = job.output_path(fmt) if job.status == Status.DONE else None
    if path is None:
        raise Http404(
            gettext("report #%(number)s has no %(format)s file yet")
            % {"number": job.pk, "format": fmt.upper()}
        )
    response = FileResponse(path.open("rb"), as_attachment=True, filename=job.download_name(fmt))
    response["Cache-Control"] = "private, no-store"
    return response
