"""Django app config."""

from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Báo cáo."""

    name = "chiso_web.reports"
    label = "chiso_reports"
    verbose_name = "Báo cáo"
