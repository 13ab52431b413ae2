"""Django app config."""

from __future__ import annotations

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Nhập dữ liệu."""

    name = "chiso_web.imports"
    label = "imports"
    verbose_name = "Nhập dữ liệu"
