"""The weekly digest's URLs; ``ban-tin.json`` is the twin of ``ban-tin/``."""

from __future__ import annotations

from django.urls import path

from chiso_web.digest.page import digest_page

app_name = "digest"

urlpatterns = [
    path("ban-tin/", digest_page, name="page"),
    path("ban-tin.json", digest_page, {"fmt": "json"}, name="page-json"),
]
