"""Django app config."""

from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    """API tiếp nhận hồ sơ."""

    name = "chiso_web.api"
    label = "api"
    verbose_name = "API tiếp nhận hồ sơ"
