"""Sign in (rate-limited per client address) and sign out."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from chiso_web.audit.log import record
from chiso_web.first_steps import has_users, no_account_text

WINDOW_SECONDS = 15 * 60


def client_address(request: HttpRequest) -> str:
    """The client's address (the proxy's forwarded address only behind HTTPS)."""
    forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.HTTPS and forwarded:
        return forwarded.split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def hit(bucket: str, key: str, *, limit: int, window: int) -> bool:
    """Count one event for ``key``; True when it is over ``limit`` in ``window`` seconds."""
    name = f"chiso-limit:{bucket}:{key}"
    cache.add(name, 0, timeout=window)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=window)
        count = 1
    return count > limit


def over_limit(bucket: str, key: str, *, limit: int) -> bool:
    """Whether ``key`` already used up ``limit`` events."""
    return int(cache.get(f"chiso-limit:{bucket}:{key}", 0)) >= limit


class LoginView(auth_views.LoginView):
    """Django's login with a per-address limit on failed attempts."""

    template_name = "chiso_web/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Django's context, plus what to do first while the site has no account."""
        context = super().get_context_data(**kwargs)
        context["first_step"] = None if has_users() else no_account_text()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit = settings.CHISO["CHISO_LOGIN_ATTEMPTS"]
        address = client_address(request)
        if over_limit("login", address, limit=limit):
            return render(
                request,
                self.template_name,
                {"form": self.get_form(), "locked": True},
                status=429,
            )
        response = super().post(request, *args, **kwargs)
        if response.status_code != 302:
            hit("login", address, limit=limit, window=WINDOW_SECONDS)
        else:
            record(request, "login", f"đăng nhập từ {address}")
        return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out (POST only, CSRF-checked)."""
    logout(request)
    return HttpResponseRedirect(reverse("public:index"))
