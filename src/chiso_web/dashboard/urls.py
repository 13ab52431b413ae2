"""Dashboard URLs; ``NAME.json`` is the twin of ``NAME/``."""

from __future__ import annotations

from django.urls import path

from chiso_web.dashboard import anomalies, national, plan, schemas, views

app_name = "dashboard"
JSON = {"fmt": "json"}

urlpatterns = [
    path("", views.home, name="home"),
    path("xep-hang/", views.ranking, name="ranking"),
    path("xep-hang.json", views.ranking, JSON, name="ranking-json"),
    path("tong-quan/", views.overview_page, name="overview"),
    path("tong-quan.json", views.overview_page, JSON, name="overview-json"),
    path("man-hinh/", views.wall, name="wall"),
    path("don-vi/<str:unit_code>/", views.unit, name="unit"),
    path("don-vi/<str:unit_code>.json", views.unit, JSON, name="unit-json"),
    path("don-vi/<str:unit_code>/ke-hoach/", plan.plan_block, name="unit-plan"),
    path("don-vi/<str:unit_code>/bat-thuong/", views.unit_badge, name="unit-badge"),
    path("don-vi/<str:unit_code>/chi-so/<str:indicator>/", views.indicator, name="indicator"),
    path(
        "don-vi/<str:unit_code>/chi-so/<str:indicator>.json",
        views.indicator,
        JSON,
        name="indicator-json",
    ),
    path(
        "don-vi/<str:unit_code>/chi-so/<str:indicator>.xlsx",
        views.indicator,
        {"fmt": "xlsx"},
        name="indicator-xlsx",
    ),
    path("sap-qua-han/", views.due_soon, name="due"),
    path("sap-qua-han.json", views.due_soon, JSON, name="due-json"),
    path("sap-qua-han.xlsx", views.due_soon, {"fmt": "xlsx"}, name="due-xlsx"),
    path("ho-so/<str:code>/", views.dossier, name="dossier"),
    path("ho-so/<str:code>.json", views.dossier, JSON, name="dossier-json"),
    path("bat-thuong/", anomalies.anomalies, name="anomalies"),
    path("bat-thuong.json", anomalies.anomalies, JSON, name="anomalies-json"),
    path("bat-thuong/giai-trinh/", anomalies.explain, name="anomalies-explain"),
    path("toan-quoc/", national.national_page, name="national"),
    path("toan-quoc.json", national.national_page, JSON, name="national-json"),
    path("doi-chieu/", national.reconciliation_page, name="reconciliation"),
    path("doi-chieu.json", national.reconciliation_page, JSON, name="reconciliation-json"),
    path(
        "doi-chieu.xlsx", national.reconciliation_page, {"fmt": "xlsx"}, name="reconciliation-xlsx"
    ),
    path("schemas/<str:name>.json", schemas.schema_view, name="schema"),
]
