"""URLs of the imports app."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "imports"
urlpatterns: list[URLPattern] = []
