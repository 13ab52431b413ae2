"""Django app config."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ReportsConfig(AppConfig):
    """Báo cáo."""

    name = "chiso_web.reports"
    label = "chiso_reports"
    verbose_name = gettext_lazy("Reports")
