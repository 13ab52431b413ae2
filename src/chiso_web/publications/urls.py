"""URLs of the publications app (``/cong-bo/``); ``NAME.json`` is the twin of ``NAME/``."""

from __future__ import annotations

from django.urls import path

from chiso_web.publications import views

app_name = "publications"
JSON = {"fmt": "json"}

urlpatterns = [
    path("", views.index, name="index"),
    path("danh-sach.json", views.index, JSON, name="index-json"),
    path("<str:period>/", views.period, name="period"),
    path("<str:period>.json", views.period, JSON, name="period-json"),
    path("<str:period>/cong-bo/", views.publish, name="publish"),
    path("<str:period>/khoa/", views.lock, name="lock"),
    path("<str:period>/mo-khoa/", views.unlock, name="unlock"),
]
