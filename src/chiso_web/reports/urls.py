"""URLs of the reports app (under ``/bao-cao/``); ``NAME.json`` is the twin of ``NAME/``."""

from __future__ import annotations

from django.urls import path

from chiso_web.reports import views

app_name = "reports"
JSON = {"fmt": "json"}

urlpatterns = [
    path("", views.index, name="index"),
    path("danh-sach.json", views.index, JSON, name="index-json"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>.json", views.detail, JSON, name="detail-json"),
    path("<int:pk>/lam-lai/", views.retry, name="retry"),
    path("<int:pk>/<str:fmt>/", views.download, name="download"),
]
