"""An administrator's "đã giải trình" mark on an anomaly finding (issue #18).

A finding is one rule's question to one unit in one period (``chiso.anomalies``); the mark
records that the unit answered it, with the note.  Marks inform like findings do: no mark
and no finding changes a score.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Explanation(models.Model):
    """A finding (unit, period, rule) marked explained, with the note, who and when."""

    unit_code = models.CharField("đơn vị", max_length=64)
    period = models.CharField("kỳ", max_length=32)
    rule = models.CharField("quy tắc", max_length=64)
    note = models.TextField("giải trình")
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name="người đánh dấu",
    )
    actor = models.CharField("người đánh dấu (tên)", max_length=150)
    explained_at = models.DateTimeField("thời điểm", auto_now=True)

    class Meta:
        verbose_name = "giải trình dữ liệu bất thường"
        constraints = (
            models.UniqueConstraint(
                fields=("unit_code", "period", "rule"), name="explanation_once_per_finding"
            ),
        )
        indexes = (models.Index(fields=("period", "unit_code"), name="explanation_period"),)

    def __str__(self) -> str:
        return f"{self.unit_code} {self.period} {self.rule}: {self.note[:40]}"
