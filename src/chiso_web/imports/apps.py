"""Django app config."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ImportsConfig(AppConfig):
    """Nhập dữ liệu."""

    name = "chiso_web.imports"
    label = "imports"
    verbose_name = gettext_lazy("Data import")
