"""API tokens (hashed) and the inbox of pushed dossiers waiting to be merged."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class ApiToken(models.Model):
    """A bearer token of a pushing system; only its SHA-256 is stored."""

    name = models.CharField("tên", max_length=100)
    digest = models.CharField("SHA-256", max_length=64, unique=True)
    prefix = models.CharField("tiền tố", max_length=16)
    unit_code = models.CharField("chỉ đơn vị (và cấp dưới)", max_length=64, blank=True)
    created_by = models.CharField("người tạo", max_length=150)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)
    revoked = models.BooleanField("đã thu hồi", default=False)

    class Meta:
        ordering = ("revoked", "-created_at", "-id")
        verbose_name = "mã truy cập API"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class PushedDossier(models.Model):
    """One dossier as last pushed (validated canonical values); merged when merged_at is set."""

    dossier_code = models.CharField("mã hồ sơ", max_length=200, unique=True)
    unit_code = models.CharField("đơn vị", max_length=64, db_index=True)
    payload = models.JSONField("dữ liệu", encoder=DjangoJSONEncoder)
    token_name = models.CharField("gửi bởi", max_length=100)
    received_at = models.DateTimeField("nhận lúc", db_index=True)
    merged_at = models.DateTimeField("đã gộp lúc", null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "hồ sơ nhận qua API"

    def __str__(self) -> str:
        return self.dossier_code
