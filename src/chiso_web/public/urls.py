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
    path("tim/", views.find, name="find"),
    path("cach-tinh/", views.explain, name="explain"),
    path("du-lieu/", views.open_data, name="data"),
    path("du-lieu.json", views.open_data, JSON, name="data-json"),
    path(
        "du-lieu/<str:index_set>/<str:period>/phien-ban-<int:version>.csv",
        views.csv_file,
        name="csv",
    ),
    path("schemas/<str:name>.json", schemas.schema_view, name="schema"),
]
