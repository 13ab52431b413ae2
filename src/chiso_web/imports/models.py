"""Import runs (an uploaded export from validation to confirmation) and manual values.

An :class:`ImportRun` is a tracked job (conventions.md §18): the upload queues it, the
worker (``chiso_web.imports.jobs``) checks it, the officer confirms, the worker imports it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from chiso_web.jobs.models import Job


class RunStatus(models.TextChoices):
    """Where an uploaded export is.

    queued → checking → validated | rejected | failed; validated → confirming → importing
    → confirmed | rejected | failed; queued or validated → cancelled."""

    QUEUED = "queued", gettext_lazy("Waiting")
    CHECKING = "checking", gettext_lazy("Checking")
    VALIDATED = "validated", gettext_lazy("Ready to confirm")
    REJECTED = "rejected", gettext_lazy("Errors in the file")
    CONFIRMING = "confirming", gettext_lazy("Waiting to import")
    IMPORTING = "importing", gettext_lazy("Importing")
    CONFIRMED = "confirmed", gettext_lazy("Imported")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")
    FAILED = "failed", gettext_lazy("System error")


#: Statuses the worker still has to move on (the page keeps polling).
PENDING = (RunStatus.QUEUED, RunStatus.CHECKING, RunStatus.CONFIRMING, RunStatus.IMPORTING)


class ImportRun(Job):
    """One upload of one table: the files, the validation report, the dry-run diff."""

    key = models.CharField(gettext_lazy("import run key"), max_length=32, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    username = models.CharField(gettext_lazy("entered by"), max_length=150)
    table = models.CharField(gettext_lazy("table"), max_length=32)
    files = models.JSONField(gettext_lazy("files"), default=list)
    status = models.CharField(
        gettext_lazy("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=gettext_lazy("confirmed by"),
    )
    rows = models.IntegerField(gettext_lazy("rows read"), default=0)
    bad_rows = models.IntegerField(gettext_lazy("rows with errors"), default=0)
    issue_count = models.IntegerField(gettext_lazy("number of errors"), default=0)
    issues = models.JSONField(gettext_lazy("errors (at most 500)"), default=list, blank=True)
    diff = models.JSONField(gettext_lazy("changes"), default=dict, blank=True)
    unit_codes = models.JSONField(gettext_lazy("units in the file"), default=list, blank=True)
    message = models.TextField(gettext_lazy("message"), blank=True)
    hint = models.TextField(gettext_lazy("hint"), blank=True)
    created_at = models.DateTimeField(gettext_lazy("uploaded at"), auto_now_add=True, db_index=True)

    class Meta(Job.Meta):
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=("status", "created_at"), name="import_queue"),)
        verbose_name = gettext_lazy("data import")
        verbose_name_plural = gettext_lazy("data imports")

    def __str__(self) -> str:
        return f"{self.table} · {', '.join(self.files)} · {self.get_status_display()}"

    @property
    def pending(self) -> bool:
        """Waiting for or inside a worker step (the page keeps polling)."""
        return self.status in PENDING


class ManualValue(models.Model):
    """A manually entered indicator value with its note and optional evidence file."""

    index_set = models.CharField(gettext_lazy("index set"), max_length=64)
    indicator = models.CharField(gettext_lazy("indicator"), max_length=64)
    unit_code = models.CharField(gettext_lazy("unit"), max_length=64, db_index=True)
    period = models.CharField(gettext_lazy("period"), max_length=32)
    value = models.DecimalField(gettext_lazy("value"), max_digits=12, decimal_places=4)
    note = models.TextField(gettext_lazy("note"))
    evidence = models.CharField(gettext_lazy("evidence file"), max_length=500, blank=True)
    evidence_name = models.CharField(gettext_lazy("evidence file name"), max_length=255, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    author = models.CharField(gettext_lazy("entered by"), max_length=150)
    recorded_at = models.DateTimeField(gettext_lazy("entered at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-recorded_at", "-id")
        verbose_name = gettext_lazy("manual value")
        verbose_name_plural = gettext_lazy("manual values")

    def __str__(self) -> str:
        return f"{self.index_set}/{self.indicator} {self.unit_code} {self.period} = {self.value}"
