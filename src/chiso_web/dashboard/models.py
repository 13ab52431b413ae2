"""An administrator's "đã giải trình" mark on an anomaly finding (issue #18).

A finding is one rule's question to one unit in one period (``chiso.anomalies``); the mark
records that the unit answered it, with the note.  Marks inform like findings do: no mark
and no finding changes a score.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class Explanation(models.Model):
    """A finding (unit, period, rule) marked explained, with the note, who and when."""

    unit_code = models.CharField(gettext_lazy("unit"), max_length=64)
    period = models.CharField(gettext_lazy("period"), max_length=32)
    rule = models.CharField(gettext_lazy("rule"), max_length=64)
    note = models.TextField(gettext_lazy("explanation"))
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=gettext_lazy("marked by"),
    )
    actor = models.CharField(gettext_lazy("marked by (name)"), max_length=150)
    explained_at = models.DateTimeField(gettext_lazy("time"), auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("explanation of unusual data")
        verbose_name_plural = gettext_lazy("explanations of unusual data")
        constraints = (
            models.UniqueConstraint(
                fields=("unit_code", "period", "rule"), name="explanation_once_per_finding"
            ),
        )
        indexes = (models.Index(fields=("period", "unit_code"), name="explanation_period"),)

    def __str__(self) -> str:
        return f"{self.unit_code} {self.period} {self.rule}: {self.note[:40]}"
