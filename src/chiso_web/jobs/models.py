"""The fields every queued job row shares (report requests, import runs).

A kind's row *is* its queue entry: the page, its JSON twin and the worker read the same
row, so no second table mirrors its status.  The claim stamps ``started_at`` and counts
``attempts`` (:func:`chiso_web.jobs.queue.claim_oldest`); the step stamps ``finished_at``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy


class Job(models.Model):
    """Abstract: the queue fields of one job row (its status field is the kind's own)."""

    attempts = models.PositiveSmallIntegerField(gettext_lazy("attempts"), default=0)
    started_at = models.DateTimeField(gettext_lazy("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(gettext_lazy("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
