"""Django app config."""

from __future__ import annotations

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """Bảng điều khiển."""

    name = "chiso_web.dashboard"
    label = "dashboard"
    verbose_name = "Bảng điều khiển"
