"""Django app config."""

from __future__ import annotations

from django.apps import AppConfig


class RatingsConfig(AppConfig):
    """Đánh giá của người dân."""

    name = "chiso_web.ratings"
    label = "ratings"
    verbose_name = "Đánh giá của người dân"
