"""The audit log page and its twin (included at the site root)."""

from __future__ import annotations

from django.urls import path

from chiso_web.audit import views

app_name = "audit"

urlpatterns = [
    path("nhat-ky/", views.audit_log, name="log"),
    path("nhat-ky.json", views.audit_log, {"fmt": "json"}, name="log-json"),
]
