"""Staff pages of ``/cong-bo/``: months and their state, publish / lock / unlock a month.

Every signed-in role may read (officers see the changes of their own subtree only); only
administrators act (``actions.require_admin``).  A refused action re-renders the month's
page with one Vietnamese sentence and a hint (status 400).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from chiso.errors import UserError
from chiso_web import data
from chiso_web.errors import ok_json
from chiso_web.publications import actions, payloads, state
from chiso_web.units.access import require_staff
from chiso_web.units.models import Role


def index(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """Recent and published months of an index set, with their publication state."""
    access = require_staff(request)
    the_set = data.index_set(request.GET.get("index_set"))
    doc = payloads.months(the_set)
    if fmt == "json":
        return ok_json(doc)
    context = {"doc": doc, "index_sets": data.index_set_choices(), "is_admin": _is_admin(access)}
    return render(request, "publications/index.html", context)


def period(request: HttpRequest, period: str, fmt: str | None = None) -> HttpResponse:
    """One month: versions, lock, publish form, and what changed since publication."""
    access = require_staff(request)
    the_set = data.index_set(request.GET.get("index_set"))
    doc = payloads.period_page(access, the_set, state.month(period))
    if fmt == "json":
        return ok_json(doc)
    return _render_period(request, doc)


def _render_period(
    request: HttpRequest, doc: dict[str, Any], error: UserError | None = None
) -> HttpResponse:
    context = {
        "doc": doc,
        "is_admin": _is_admin(require_staff(request)),
        "error": error,
        "form": request.POST if error is not None else {},
    }
    status = 400 if error is not None else 200
    return render(request, "publications/period.html", context, status=status)


def _is_admin(access: Any) -> bool:
    return bool(access.role == Role.ADMIN)


def _act(
    request: HttpRequest, period: str, action: Callable[..., Any], done: Callable[[Any], str]
) -> HttpResponse:
    actions.require_admin(request)
    the_set = data.index_set(request.POST.get("index_set"))
    month = state.month(period)
    try:
        result = action(request, the_set, month.code, request.POST.get("note", ""))
    except UserError as error:
        doc = payloads.period_page(require_staff(request), the_set, month)
        return _render_period(request, doc, error)
    messages.success(request, done(result))
    target = reverse("publications:period", args=[month.code])
    return HttpResponseRedirect(f"{target}?{urlencode({'index_set': the_set.id})}")


@require_POST
def publish(request: HttpRequest, period: str) -> HttpResponse:
    """Publish the month (first or new version)."""
    return _act(
        request,
        period,
        actions.publish,
        lambda p: (
            gettext("Published %(period)s, version %(version)s.")
            % {"period": p.period_label, "version": p.version}
        ),
    )


@require_POST
def lock(request: HttpRequest, period: str) -> HttpResponse:
    """Lock the month."""
    return _act(request, period, actions.lock, lambda _: gettext("Month locked."))


@require_POST
def unlock(request: HttpRequest, period: str) -> HttpResponse:
    """Unlock the month (reason required)."""
    return _act(request, period, actions.unlock, lambda _: gettext("Month unlocked."))
