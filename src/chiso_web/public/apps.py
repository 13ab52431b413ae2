"""Django app config."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class PublicConfig(AppConfig):
    """Trang công khai."""

    name = "chiso_web.public"
    label = "public"
    verbose_name = gettext_lazy("Public pages")
