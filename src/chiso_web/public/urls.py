"""URLs of the public pages."""

from __future__ import annotations

from django.urls import path

from chiso_web.public import views

app_name = "public"
urlpatterns = [path("", views.index, name="index")]
