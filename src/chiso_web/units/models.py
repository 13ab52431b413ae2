"""Who may see which units: one membership per user (role + unit)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    """The site's roles (public visitors have no account)."""

    ADMIN = "admin", "Quản trị cấp tỉnh"
    OFFICER = "officer", "Cán bộ đơn vị"
    LEADER = "leader", "Lãnh đạo"


class Membership(models.Model):
    """A user's role and, for unit officers, the unit whose subtree they work on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField("vai trò", max_length=16, choices=Role.choices)
    unit_code = models.CharField("mã đơn vị", max_length=64, blank=True)

    class Meta:
        verbose_name = "phân quyền"

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit_code or 'toàn tỉnh'}"
