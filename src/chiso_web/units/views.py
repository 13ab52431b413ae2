"""Sign in (rate-limited per address and per account: ``units.limits``) and sign out."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from chiso_web.audit.log import record
from chiso_web.first_steps import has_users, no_account_text
from chiso_web.units.limits import client_address, give_back, is_known, remember, take

WINDOW_SECONDS = 15 * 60


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
        """Charge the attempt before the password is checked (docs/web.md, "Sign-in
        limits"): to the account and this address together when the account signed in
        from here before, else to the address and to the account; any of them used up
        answers 429 without checking the password.  A success gives the charge back."""
        limit = settings.CHISO["CHISO_LOGIN_ATTEMPTS"]
        address = client_address(request)
        account = str(request.POST.get("username", "")).strip().lower()[:150]
        if is_known(account, address):
            charged = [("login-known", f"{account}@{address}")]
        else:
            charged = [("login-address", address), ("login-account", account)]
        taken: list[tuple[str, str]] = []
        for bucket, key in charged:
            if not take(bucket, key, limit=limit, window=WINDOW_SECONDS):
                for done in taken:
                    give_back(*done)
                if take("login-refused", address, limit=1, window=WINDOW_SECONDS):
                    _failed(request, account, address, "locked")  # once per window
                return render(
                    request,
                    self.template_name,
                    {"form": self.get_form(), "locked": True},
                    status=429,
                )
            taken.append((bucket, key))
        response = super().post(request, *args, **kwargs)
        if response.status_code == 302:
            for done in taken:
                give_back(*done)
            remember(account, address)
            record(request, "login", f"đăng nhập từ {address}")
        else:
            _failed(request, account, address, _reason(str(request.POST.get("username", ""))))
        return response


#: why a sign-in failed → what the audit log says
FAILURES = {
    "no_account": "không có tài khoản này",
    "password": "sai mật khẩu",
    "inactive": "tài khoản đã bị khóa",
    "locked": "quá nhiều lần đăng nhập sai, tạm khóa 15 phút",
}


def _reason(username: str) -> str:
    user = get_user_model()._default_manager.filter(username=username.strip()).first()
    if user is None:
        return "no_account"
    return "password" if user.is_active else "inactive"


def _failed(request: HttpRequest, account: str, address: str, reason: str) -> None:
    """Audit a failed sign-in: the account tried, the address, why."""
    tried = account or "(để trống)"
    summary = f"đăng nhập không thành công vào “{tried}” từ {address}: {FAILURES[reason]}"
    record(request, "login.failed", summary, actor=tried, account=account, address=address,
           reason=reason)  # fmt: skip


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out (POST only, CSRF-checked)."""
    logout(request)
    return HttpResponseRedirect(reverse("public:index"))
