"""URLs of the publications app."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "publications"
urlpatterns: list[URLPattern] = []
