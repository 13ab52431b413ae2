"""Security headers on every response; one error shape for JSON and HTML edges."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy

from chiso.api import PeriodError
from chiso.errors import ChisoError, UserError
from chiso_web.errors import error_json, wants_json
from chiso_web.first_steps import NoDataError

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'; frame-ancestors 'none'"
)
PICK_PERIOD = gettext_lazy(
    "pick a month, quarter, half-year or year in the list below, then press Show"
)
EMBEDDABLE_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors *")


class SecurityHeadersMiddleware:
    """Content-Security-Policy (no inline scripts), permissions and embedding rules."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        embeddable = getattr(response, "chiso_embeddable", False)
        response.headers.setdefault(
            "Content-Security-Policy", EMBEDDABLE_CSP if embeddable else CSP
        )
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if embeddable:
            del response.headers["X-Frame-Options"]
        return response


class ErrorShapeMiddleware:
    """Turn chiso errors, 404 and 403 into the one JSON shape or an HTML page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, Http404):
            status, message, hint = 404, str(exc) or gettext("not found"), None
        elif isinstance(exc, PermissionDenied):
            status, message, hint = 403, str(exc) or gettext("not allowed"), None
        elif isinstance(exc, ChisoError):
            status = 400 if isinstance(exc, UserError) else 500
            message, hint = exc.message, exc.hint
        else:
            return None
        if wants_json(request):
            return error_json(message, status=status, hint=hint)
        if isinstance(exc, NoDataError):  # a new site: a page that says what to do, not an error
            return render(request, "chiso_web/empty.html", {"message": message})
        if status == 403 and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        context: dict[str, Any] = {"status": status, "message": message, "hint": hint}
        if isinstance(exc, PeriodError) and request.method == "GET":
            # the page's filters stay: the other parameters ride along, the period is picked
            context["hint"] = str(PICK_PERIOD)
            context["keep"] = [(k, v) for k, v in request.GET.items() if k != "period"]
        return render(request, "chiso_web/error.html", context, status=status)
