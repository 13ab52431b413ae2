"""Django app config."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AuditConfig(AppConfig):
    """Nhật ký."""

    name = "chiso_web.audit"
    label = "audit"
    verbose_name = gettext_lazy("Audit log")
