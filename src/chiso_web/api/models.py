"""API tokens (hashed) and the inbox of pushed dossiers waiting to be merged."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy


class ApiToken(models.Model):
    """A bearer token of a pushing system; only its SHA-256 is stored."""

    name = models.CharField(gettext_lazy("name"), max_length=100)
    digest = models.CharField("SHA-256", max_length=64, unique=True)
    prefix = models.CharField(gettext_lazy("prefix"), max_length=16)
    unit_code = models.CharField(
        gettext_lazy("only this unit (and the units under it)"), max_length=64, blank=True
    )
    created_by = models.CharField(gettext_lazy("created by"), max_length=150)
    created_at = models.DateTimeField(gettext_lazy("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(gettext_lazy("last used at"), null=True, blank=True)
    revoked = models.BooleanField(gettext_lazy("revoked"), default=False)

    class Meta:
        ordering = ("revoked", "-created_at", "-id")
        verbose_name = gettext_lazy("API access token")
        verbose_name_plural = gettext_lazy("API access tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class PushedDossier(models.Model):
    """One dossier as last pushed (validated canonical values); merged when merged_at is set."""

    dossier_code = models.CharField(gettext_lazy("dossier code"), max_length=200, unique=True)
    unit_code = models.CharField(gettext_lazy("unit"), max_length=64, db_index=True)
    payload = models.JSONField(gettext_lazy("data"), encoder=DjangoJSONEncoder)
    token_name = models.CharField(gettext_lazy("sent by"), max_length=100)
    received_at = models.DateTimeField(gettext_lazy("received at"), db_index=True)
    merged_at = models.DateTimeField(
        gettext_lazy("merged at"), null=True, blank=True, db_index=True
    )

    class Meta:
        verbose_name = gettext_lazy("dossier received through the API")
        verbose_name_plural = gettext_lazy("dossiers received through the API")

    def __str__(self) -> str:
        return self.dossier_code
