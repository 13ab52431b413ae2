"""Django app config."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class RatingsConfig(AppConfig):
    """Đánh giá của người dân."""

    name = "chiso_web.ratings"
    label = "ratings"
    verbose_name = gettext_lazy("Citizens' ratings")
