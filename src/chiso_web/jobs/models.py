"""The fields every queued job row shares (report requests, import runs).

A kind's row *is* its queue entry: the page, its JSON twin and the worker read the same
row, so no second table mirrors its status.  The claim stamps ``started_at`` and counts
``attempts`` (:func:`chiso_web.jobs.queue.claim_oldest`); the step stamps ``finished_at``.
"""

from __future__ import annotations

from django.db import models


class Job(models.Model):
    """Abstract: the queue fields of one job row (its status field is the kind's own)."""

    attempts = models.PositiveSmallIntegerField("số lần chạy", default=0)
    started_at = models.DateTimeField("bắt đầu", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc", null=True, blank=True)

    class Meta:
        abstract = True
