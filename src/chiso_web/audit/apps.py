"""Django app config."""

from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Nhật ký."""

    name = "chiso_web.audit"
    label = "audit"
    verbose_name = "Nhật ký"
