"""Report jobs: one tracked row per requested report (conventions.md §18).

A request is created by the page (status ``queued``), claimed by the worker
(``running``), and ends ``done`` with its files under ``CHISO_HOME/reports/<id>/`` or
``failed`` with one Vietnamese sentence.  ``CHISO_REPORT_DAYS`` after it was done, the
worker deletes its files and marks it ``expired`` (:mod:`chiso_web.reports.retention`).
The row is the contract between the page, its JSON twin and the worker; no queue server
is involved.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_lazy

from chiso.api import parse_period
from chiso.errors import ChisoError
from chiso_web.jobs.models import Job

FORMAT_LABELS = {
    "docx": gettext_lazy("Report (DOCX)"),
    "xlsx": gettext_lazy("Annex (XLSX)"),
    "pdf": gettext_lazy("Report (PDF)"),
}
FORMATS = tuple(FORMAT_LABELS)


class Status(models.TextChoices):
    """Where a job is."""

    QUEUED = "queued", gettext_lazy("Queued")
    RUNNING = "running", gettext_lazy("Being made")
    DONE = "done", gettext_lazy("Done")
    FAILED = "failed", gettext_lazy("Error")
    EXPIRED = "expired", gettext_lazy("Expired")


class ReportRequest(Job):
    """The month's report (DOCX letter, XLSX annexes, PDF) of one unit, made by the worker."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="report_requests",
        verbose_name=gettext_lazy("requested by"),
    )
    unit_code = models.CharField(gettext_lazy("unit code"), max_length=64, db_index=True)
    unit_name = models.CharField(gettext_lazy("unit name"), max_length=255, blank=True)
    period = models.CharField(gettext_lazy("report period"), max_length=16)
    index_set = models.CharField(gettext_lazy("index set"), max_length=64)
    formats = models.JSONField(gettext_lazy("formats"), default=list)
    options = models.JSONField(gettext_lazy("letter details"), default=dict, blank=True)
    status = models.CharField(
        gettext_lazy("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    error = models.TextField(gettext_lazy("error"), blank=True)
    notes = models.JSONField(gettext_lazy("note"), default=list, blank=True)
    outputs = models.JSONField(gettext_lazy("output files"), default=dict, blank=True)
    created_at = models.DateTimeField(gettext_lazy("created at"), auto_now_add=True)

    class Meta(Job.Meta):
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=("status", "created_at"), name="report_queue"),)
        verbose_name = gettext_lazy("report request")
        verbose_name_plural = gettext_lazy("report requests")

    def __str__(self) -> str:
        return f"#{self.pk} {self.unit_name or self.unit_code} {self.period} ({self.status})"

    @property
    def pending(self) -> bool:
        """Still queued or running (the page keeps polling)."""
        return self.status in (Status.QUEUED, Status.RUNNING)

    @property
    def expired_note(self) -> str:
        """Why an expired job has no files, and what to do (the page and the 410 say it)."""
        days = settings.CHISO["CHISO_REPORT_DAYS"]
        return gettext(
            "The files of this report were deleted after %(days)s days of keeping; make the "
            "report again for new files."
        ) % {"days": days}

    @property
    def period_label(self) -> str:
        """``tháng 9 năm 2026`` for ``2026-09`` (the code itself if it does not parse)."""
        try:
            return parse_period(self.period).label
        except ChisoError:
            return self.period

    @property
    def signed_on(self) -> date | None:
        """The letter's date from ``options`` (None: left blank)."""
        text = self.options.get("date") or ""
        try:
            return date.fromisoformat(text) if text else None
        except ValueError:
            return None

    def output_path(self, fmt: str) -> Path | None:
        """The written file of ``fmt`` (``outputs`` holds paths relative to CHISO_HOME)."""
        relative = self.outputs.get(fmt)
        if not relative:
            return None
        path = (Path(settings.HOME) / relative).resolve()
        home = Path(settings.HOME).resolve()
        return path if path.is_relative_to(home) and path.is_file() else None

    def download_name(self, fmt: str) -> str:
        """A readable file name in the site's language, e.g. ``Báo cáo UBND xã Sín Thầu
        2026-09.docx`` (the period's code keeps the files sorted)."""
        kind = gettext("Report annex") if fmt == "xlsx" else gettext("Report")
        name = (self.unit_name or self.unit_code).replace("/", "-").replace("\\", "-")
        return f"{kind} {name} {self.period}.{fmt}"

    def to_json(self) -> dict[str, Any]:
        """The job as its JSON twin shows it (download URLs are added by the view)."""
        return {
            "id": self.pk,
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
            "period": self.period,
            "period_label": self.period_label,
            "index_set": self.index_set,
            "formats": list(self.formats),
            "options": dict(self.options),
            "status": self.status,
            "status_label": self.get_status_display(),
            "error": self.error or None,
            "notes": list(self.notes),
            "attempts": self.attempts,
            "created_at": _iso(self.created_at),
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
        }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
