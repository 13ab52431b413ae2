"""What the weekly digest sent: one row per user and week.

The row is written *before* the mail leaves (the unique ``(user, week)`` pair claims the
week's digest for one worker) and stamped ``sent_at`` once the mail backend accepted it,
so a restarted worker never sends a user the same week twice.  A row left unstamped (the
process died while sending) is claimed again after :data:`chiso_web.digest.mail.RETRY`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class DigestSent(models.Model):
    """One user's digest of one week (``week``: the Monday the week is counted from)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    week = models.DateField(gettext_lazy("week (its Monday)"))
    unit_code = models.CharField(gettext_lazy("unit code"), max_length=64)
    email = models.CharField(gettext_lazy("e-mail address"), max_length=254)
    subject = models.CharField(gettext_lazy("subject"), max_length=255, blank=True)
    created_at = models.DateTimeField(gettext_lazy("sending started at"), auto_now_add=True)
    sent_at = models.DateTimeField(gettext_lazy("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("weekly digest sent")
        verbose_name_plural = gettext_lazy("weekly digests sent")
        constraints = (models.UniqueConstraint(fields=("user", "week"), name="digest_once_a_week"),)

    def __str__(self) -> str:
        return f"{self.user} · {self.week} · {self.unit_code}"
