"""Site URLs: every dashboard page has a ``.json`` twin next to it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from chiso_web.units import views as unit_views


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico where a page (a JSON twin, a file) names no icon."""
    return HttpResponsePermanentRedirect(static("chiso/favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("dang-nhap/", unit_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", unit_views.logout_view, name="logout"),
    path("", include("chiso_web.dashboard.urls")),
    path("cong-bo/", include("chiso_web.publications.urls")),
    path("nhap-du-lieu/", include("chiso_web.imports.urls")),
    path("bao-cao/", include("chiso_web.reports.urls")),
    path("danh-gia/", include("chiso_web.ratings.urls")),
    path("api/", include("chiso_web.api.urls")),
    path("cong-khai/", include("chiso_web.public.urls")),
    path("", include("chiso_web.audit.urls")),
    path("", include("chiso_web.digest.urls")),
]
