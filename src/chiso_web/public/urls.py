"""URLs of the public pages (``/cong-khai/``); ``NAME.json`` is the twin of ``NAME/``."""

from __future__ import annotations

from django.urls import path

from chiso_web.public import schemas, views

app_name = "public"
JSON = {"fmt": "json"}

urlpatterns = [
    path("", views.index, name="index"),
    path("xep-hang.json", views.index, JSON, name="index-json"),
    path("don-vi/<str:unit_code>/", views.unit, name="unit"),
    path("don-vi/<str:unit_code>.json", views.unit, JSON, name="unit-json"),
    path("nhung/", views.embed, name="embed"),
    path("schemas/<str:name>.json", schemas.schema_view, name="schema"),
]
