"""Django app config."""

from __future__ import annotations

from django.apps import AppConfig


class PublicConfig(AppConfig):
    """Trang công khai."""

    name = "chiso_web.public"
    label = "public"
    verbose_name = "Trang công khai"
