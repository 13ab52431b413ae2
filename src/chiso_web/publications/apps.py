"""Django app config."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class PublicationsConfig(AppConfig):
    """Công bố kết quả."""

    name = "chiso_web.publications"
    label = "publications"
    verbose_name = gettext_lazy("Publishing results")
