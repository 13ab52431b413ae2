"""Published months: frozen snapshots of a month's ranking, versioned, and month locks.

A :class:`Publication` holds the whole ranking of one index set for one month as it was
at publication time (``payload``); the public pages read only these rows, never live
scores, so late data cannot change what was published.  A new version is published
explicitly; older versions stay readable.  A :class:`Lock` marks a month of an index set
as closed: it is set by the first publication and lifted only by an administrator.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy


class Status(models.TextChoices):
    """Whether a version is the one the public sees."""

    PUBLISHED = "published", gettext_lazy("In force")
    SUPERSEDED = "superseded", gettext_lazy("Superseded by a newer version")


class Publication(models.Model):
    """One published version of one month's results of one index set."""

    index_set = models.CharField("bộ chỉ số", max_length=64)
    index_set_name = models.CharField("tên bộ chỉ số", max_length=300, blank=True)
    period = models.CharField("kỳ", max_length=32)
    period_label = models.CharField("tên kỳ", max_length=64)
    version = models.PositiveIntegerField("phiên bản")
    status = models.CharField(
        "trạng thái", max_length=16, choices=Status.choices, default=Status.PUBLISHED
    )
    published_at = models.DateTimeField("thời điểm công bố", default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    published_by_name = models.CharField("người công bố", max_length=150, blank=True)
    note = models.TextField("ghi chú", blank=True)
    data_version = models.CharField("phiên bản dữ liệu", max_length=32, blank=True)
    payload = models.JSONField("bảng xếp hạng đã công bố")
    summary = models.JSONField("tóm tắt theo đơn vị", default=dict)

    class Meta:
        ordering = ("index_set", "-period", "-version")
        verbose_name = "kết quả công bố"
        constraints = (
            models.UniqueConstraint(
                fields=("index_set", "period", "version"), name="publication_version_once"
            ),
        )
        indexes = (models.Index(fields=("index_set", "status", "period")),)

    def __str__(self) -> str:
        return f"{self.index_set} {self.period_label} · phiên bản {self.version}"


class Lock(models.Model):
    """A closed month of an index set: its official result is the published snapshot."""

    index_set = models.CharField("bộ chỉ số", max_length=64)
    period = models.CharField("kỳ", max_length=32)
    locked_at = models.DateTimeField("thời điểm khóa", default=timezone.now)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "khóa kỳ"
        constraints = (
            models.UniqueConstraint(fields=("index_set", "period"), name="lock_once_per_period"),
        )

    def __str__(self) -> str:
        return f"{self.index_set} {self.period} (khóa)"
