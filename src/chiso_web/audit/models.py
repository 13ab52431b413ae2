"""The audit log: imports, manual values, publications, settings changes, API pushes."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One recorded action: who, when, what, on which unit/period, with details."""

    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor = models.CharField("người/hệ thống", max_length=150)
    action = models.CharField("thao tác", max_length=64, db_index=True)
    unit_code = models.CharField("đơn vị", max_length=64, blank=True)
    period = models.CharField("kỳ", max_length=32, blank=True)
    summary = models.CharField("nội dung", max_length=500)
    details = models.JSONField("chi tiết", default=dict, blank=True)

    class Meta:
        ordering = ("-at", "-id")
        verbose_name = "nhật ký"

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor} {self.action}: {self.summary}"
