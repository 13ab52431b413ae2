"""Django app config."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ApiConfig(AppConfig):
    """API tiếp nhận hồ sơ."""

    name = "chiso_web.api"
    label = "api"
    verbose_name = gettext_lazy("Dossier intake API")
