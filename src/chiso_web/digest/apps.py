"""Django app config."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class DigestConfig(AppConfig):
    """Bản tin tuần."""

    name = "chiso_web.digest"
    label = "digest"
    verbose_name = gettext_lazy("Weekly digest")
