"""Django app config."""

from __future__ import annotations

from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    """Công bố kết quả."""

    name = "chiso_web.publications"
    label = "publications"
    verbose_name = "Công bố kết quả"
