"""What the weekly digest sent: one row per user and week.

The row is written *before* the mail leaves (the unique ``(user, week)`` pair claims the
week's digest for one worker) and stamped ``sent_at`` once the mail backend accepted it,
so a restarted worker never sends a user the same week twice.  A row left unstamped (the
process died while sending) is claimed again after :data:`chiso_web.digest.mail.RETRY`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DigestSent(models.Model):
    """One user's digest of one week (``week``: the Monday the week is counted from)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    week = models.DateField("tuần (thứ Hai)")
    unit_code = models.CharField("mã đơn vị", max_length=64)
    email = models.CharField("địa chỉ thư", max_length=254)
    subject = models.CharField("tiêu đề", max_length=255, blank=True)
    created_at = models.DateTimeField("bắt đầu gửi", auto_now_add=True)
    sent_at = models.DateTimeField("đã gửi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "bản tin tuần đã gửi"
        constraints = (models.UniqueConstraint(fields=("user", "week"), name="digest_once_a_week"),)

    def __str__(self) -> str:
        return f"{self.user} · {self.week} · {self.unit_code}"
