"""URLs of the api app: the push API (token auth), its OpenAPI document, token admin."""

from __future__ import annotations

from django.urls import URLPattern, path

from chiso_web.api import pages, views

app_name = "api"
urlpatterns: list[URLPattern] = [
    path("openapi.json", views.openapi_json, name="openapi"),
    path("v1/dossiers", views.push_dossiers, name="push"),
    path("v1/dossiers/<str:code>", views.dossier_detail, name="dossier"),
    path("ma-truy-cap/", pages.tokens, name="tokens"),
    path("ma-truy-cap/<int:pk>/thu-hoi/", pages.revoke, name="revoke"),
]
