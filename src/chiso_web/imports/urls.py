"""URLs of the imports app; ``NAME.json`` is the twin of ``NAME/``."""

from __future__ import annotations

from django.urls import path

from chiso_web.imports import check_views, manual_views, views

app_name = "imports"
JSON = {"fmt": "json"}

urlpatterns = [
    path("", views.upload, name="upload"),
    path("lan/<int:pk>/", views.run_detail, name="run"),
    path("lan/<int:pk>.json", views.run_detail, JSON, name="run-json"),
    path("lan/<int:pk>/xac-nhan/", views.run_confirm, name="confirm"),
    path("lan/<int:pk>/huy/", views.run_cancel, name="cancel"),
    path("lich-su/", views.history, name="history"),
    path("lich-su.json", views.history, JSON, name="history-json"),
    path("gia-tri-thu-cong/", manual_views.manual, name="manual"),
    path("gia-tri-thu-cong.json", manual_views.manual, JSON, name="manual-json"),
    path("gia-tri-thu-cong/<int:pk>/minh-chung/", manual_views.evidence, name="evidence"),
    path("kiem-tra-bao-cao/", check_views.check, name="check"),
]
