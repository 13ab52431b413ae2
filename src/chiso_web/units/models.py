"""Who may see which units: one membership per user (role + unit)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_lazy


class Role(models.TextChoices):
    """The site's roles (public visitors have no account)."""

    ADMIN = "admin", gettext_lazy("Provincial administrator")
    OFFICER = "officer", gettext_lazy("Unit officer")
    LEADER = "leader", gettext_lazy("Leader")


class Membership(models.Model):
    """A user's role and, for unit officers, the unit whose subtree they work on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(gettext_lazy("role"), max_length=16, choices=Role.choices)
    unit_code = models.CharField(gettext_lazy("unit code"), max_length=64, blank=True)

    class Meta:
        verbose_name = gettext_lazy("role assignment")
        verbose_name_plural = gettext_lazy("role assignments")

    def __str__(self) -> str:
        scope = self.unit_code or gettext("the whole province")
        return f"{self.user} · {self.get_role_display()} · {scope}"


class LimitCounter(models.Model):
    """One rate limit's count in its current window (``bucket:key``, e.g.
    ``login-address:203.0.113.5``).  Taken with one conditional UPDATE, so parallel
    requests cannot pass the limit between a read and a write (``units.limits``)."""

    name = models.CharField(gettext_lazy("limit"), max_length=255, unique=True)
    count = models.PositiveIntegerField(gettext_lazy("count"), default=0)
    window_ends = models.DateTimeField(gettext_lazy("window ends at"), db_index=True)

    class Meta:
        verbose_name = gettext_lazy("rate-limit counter")
        verbose_name_plural = gettext_lazy("rate-limit counters")

    def __str__(self) -> str:
        return f"{self.name}: {self.count}"


class KnownAddress(models.Model):
    """An address an account signed in from successfully (``units.limits``): sign-ins of
    that account from there have their own limit, so an attack on the account from
    elsewhere does not lock its owner out."""

    username = models.CharField(gettext_lazy("user name"), max_length=150)
    address = models.CharField(gettext_lazy("address"), max_length=64)
    last_seen = models.DateTimeField(gettext_lazy("last seen"), db_index=True)

    class Meta:
        verbose_name = gettext_lazy("address signed in from")
        verbose_name_plural = gettext_lazy("addresses signed in from")
        constraints = (
            models.UniqueConstraint(fields=("username", "address"), name="known_address"),
        )

    def __str__(self) -> str:
        return f"{self.username} @ {self.address}"
