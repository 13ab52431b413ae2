"""The administrator's page of API tokens: create (shown once) and revoke."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from chiso.errors import UserError
from chiso_web.api.models import ApiToken, PushedDossier
from chiso_web.api.tokens import create_token
from chiso_web.audit.log import record
from chiso_web.units.access import access_for
from chiso_web.units.models import Role


def _refused(request: HttpRequest) -> HttpResponse | None:
    """Sign-in page for visitors, 403 for anyone but a province administrator."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if access_for(request).role != Role.ADMIN:
        context = {
            "status": 403,
            "message": gettext("only a province administrator manages API access tokens"),
            "hint": None,
        }
        return render(request, "chiso_web/error.html", context, status=403)
    return None


@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """List the tokens; POST creates one and shows its secret once."""
    refused = _refused(request)
    if refused is not None:
        return refused
    context: dict[str, object] = {"form": {"name": "", "unit_code": ""}}
    status = 200
    if request.method == "POST":
        name = request.POST.get("name", "")
        unit_code = request.POST.get("unit_code", "")
        try:
            token, secret = create_token(
                name, unit_code=unit_code, created_by=request.user.get_username()
            )
        except UserError as exc:
            context.update(error=exc.message, hint=exc.hint, form=request.POST)
            status = 400
        else:
            record(request, "api.token", f"tạo mã truy cập API {token.name}",
                   unit_code=token.unit_code, token=token.prefix)  # fmt: skip
            context.update(created=token, secret=secret)
    context["tokens"] = ApiToken.objects.all()
    context["push_url"] = request.build_absolute_uri(reverse("api:push"))
    context["pending"] = PushedDossier.objects.filter(merged_at__isnull=True).count()
    return render(request, "api/tokens.html", context, status=status)


@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke a token at once (its pushes stay in the data)."""
    refused = _refused(request)
    if refused is not None:
        return refused
    token = get_object_or_404(ApiToken, pk=pk)
    if not token.revoked:
        token.revoked = True
        token.save(update_fields=["revoked"])
        record(request, "api.token", f"thu hồi mã truy cập API {token.name}",
               unit_code=token.unit_code, token=token.prefix)  # fmt: skip
    return redirect("api:tokens")
