"""URLs of the ratings app (under ``/danh-gia/``)."""

from __future__ import annotations

from django.urls import path

from chiso_web.ratings import enrol, views

app_name = "ratings"
urlpatterns = [
    path("", views.index, name="index"),
    path("tong-hop.json", views.index, {"fmt": "json"}, name="index-json"),
    path("quay/", views.kiosk, name="kiosk"),
    path("quay/xong/", views.kiosk_done, name="kiosk-done"),
    path("quay/dang-ky/", enrol.enrol, name="kiosk-enrol"),
    path("quay/phieu/<str:token>/", views.kiosk_rate, name="kiosk-rate"),
    path("ma/<str:dossier_code>.svg", views.receipt_svg, name="receipt-svg"),
    path("ma/<str:dossier_code>.json", views.receipt, {"fmt": "json"}, name="receipt-json"),
    path("ma/<str:dossier_code>/", views.receipt, name="receipt"),
    path("<str:token>/", views.rate, name="rate"),
]
