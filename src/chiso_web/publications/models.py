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
from django.utils.translation import gettext, gettext_lazy


class Status(models.TextChoices):
    """Whether a version is the one the public sees."""

    PUBLISHED = "published", gettext_lazy("In force")
    SUPERSEDED = "superseded", gettext_lazy("Superseded by a newer version")


class Publication(models.Model):
    """One published version of one month's results of one index set."""

    index_set = models.CharField(gettext_lazy("index set"), max_length=64)
    index_set_name = models.CharField(gettext_lazy("index set name"), max_length=300, blank=True)
    period = models.CharField(gettext_lazy("period"), max_length=32)
    period_label = models.CharField(gettext_lazy("period name"), max_length=64)
    version = models.PositiveIntegerField(gettext_lazy("version"))
    status = models.CharField(
        gettext_lazy("status"), max_length=16, choices=Status.choices, default=Status.PUBLISHED
    )
    published_at = models.DateTimeField(gettext_lazy("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    published_by_name = models.CharField(gettext_lazy("published by"), max_length=150, blank=True)
    note = models.TextField(gettext_lazy("note"), blank=True)
    data_version = models.CharField(gettext_lazy("data version"), max_length=32, blank=True)
    payload = models.JSONField(gettext_lazy("published ranking"))
    summary = models.JSONField(gettext_lazy("summary by unit"), default=dict)

    class Meta:
        ordering = ("index_set", "-period", "-version")
        verbose_name = gettext_lazy("published result")
        verbose_name_plural = gettext_lazy("published results")
        constraints = (
            models.UniqueConstraint(
                fields=("index_set", "period", "version"), name="publication_version_once"
            ),
        )
        indexes = (models.Index(fields=("index_set", "status", "period")),)

    def __str__(self) -> str:
        return gettext("%(index_set)s %(period)s · version %(version)s") % {
            "index_set": self.index_set,
            "period": self.period_label,
            "version": self.version,
        }


class Lock(models.Model):
    """A closed month of an index set: its official result is the published snapshot."""

    index_set = models.CharField(gettext_lazy("index set"), max_length=64)
    period = models.CharField(gettext_lazy("period"), max_length=32)
    locked_at = models.DateTimeField(gettext_lazy("locked at"), default=timezone.now)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.TextField(gettext_lazy("note"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("period lock")
        verbose_name_plural = gettext_lazy("period locks")
        constraints = (
            models.UniqueConstraint(fields=("index_set", "period"), name="lock_once_per_period"),
        )

    def __str__(self) -> str:
        return gettext("%(index_set)s %(period)s (locked)") % {
            "index_set": self.index_set,
            "period": self.period,
        }
