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


class LimitCounter(models.Model):
    """One rate limit's count in its current window (``bucket:key``, e.g.
    ``login-address:203.0.113.5``).  Taken with one conditional UPDATE, so parallel
    requests cannot pass the limit between a read and a write (``units.limits``)."""

    name = models.CharField("giới hạn", max_length=255, unique=True)
    count = models.PositiveIntegerField("số lần", default=0)
    window_ends = models.DateTimeField("hết hạn lúc", db_index=True)

    class Meta:
        verbose_name = "bộ đếm giới hạn"

    def __str__(self) -> str:
        return f"{self.name}: {self.count}"


class KnownAddress(models.Model):
    """An address an account signed in from successfully (``units.limits``): sign-ins of
    that account from there have their own limit, so an attack on the account from
    elsewhere does not lock its owner out."""

    username = models.CharField("tên đăng nhập", max_length=150)
    address = models.CharField("địa chỉ", max_length=64)
    last_seen = models.DateTimeField("lần cuối", db_index=True)

    class Meta:
        verbose_name = "địa chỉ đã đăng nhập"
        constraints = (
            models.UniqueConstraint(fields=("username", "address"), name="known_address"),
        )

    def __str__(self) -> str:
        return f"{self.username} @ {self.address}"
