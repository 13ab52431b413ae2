"""Django app config."""

from __future__ import annotations

from django.apps import AppConfig


class DigestConfig(AppConfig):
    """Bản tin tuần."""

    name = "chiso_web.digest"
    label = "digest"
    verbose_name = "Bản tin tuần"
