"""The audit log: imports, manual values, publications, settings changes, API pushes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class AuditEntry(models.Model):
    """One recorded action: who, when, what, on which unit/period, with details."""

    at = models.DateTimeField(gettext_lazy("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor = models.CharField(gettext_lazy("person or system"), max_length=150)
    action = models.CharField(gettext_lazy("action"), max_length=64, db_index=True)
    unit_code = models.CharField(gettext_lazy("unit"), max_length=64, blank=True)
    period = models.CharField(gettext_lazy("period"), max_length=32, blank=True)
    summary = models.CharField(gettext_lazy("summary"), max_length=500)
    details = models.JSONField(gettext_lazy("details"), default=dict, blank=True)

    class Meta:
        ordering = ("-at", "-id")
        verbose_name = gettext_lazy("audit entry")
        verbose_name_plural = gettext_lazy("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor} {self.action}: {self.summary}"
