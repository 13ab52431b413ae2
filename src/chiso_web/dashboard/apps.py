"""Django app config."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class DashboardConfig(AppConfig):
    """Bảng điều khiển."""

    name = "chiso_web.dashboard"
    label = "dashboard"
    verbose_name = gettext_lazy("Dashboard")
