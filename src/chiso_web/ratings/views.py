"""Citizen ratings: the receipt slip with QR (staff), the public form, the counter kiosk.

* ``/danh-gia/ma/<dossier>/`` (+ ``.svg``, ``.json``): staff who can see the dossier's
  unit get its rating link and QR code (404 for everyone else, as for a missing dossier);
* ``/danh-gia/<token>/``: the public, mobile-first form (no sign-in; rate-limited per
  client address, which is kept in the cache only);
* ``/danh-gia/quay/``: kiosk mode on a counter tablet signed in by an officer: type or
  scan the dossier code, rate, and the screen returns to the start by itself.
"""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache

from chiso.errors import UserError
from chiso_web import data
from chiso_web.errors import ok_json
from chiso_web.ratings import summary, tokens
from chiso_web.ratings.models import Channel
from chiso_web.ratings.service import (
    AlreadyRated,
    Dossier,
    current_survey,
    find_dossier,
    record_rating,
)
from chiso_web.units import scope
from chiso_web.units.access import access_for, get_unit_for_user, require_staff
from chiso_web.units.limits import client_address, hit
from chiso_web.units.scope import Write

LIMIT_WINDOW = 3600
KIOSK_RETURN_SECONDS = 8
KIOSK_IDLE_SECONDS = 90
NOT_FOUND = "không có hồ sơ này hoặc bạn không có quyền xem"


def _staff_dossier(request: HttpRequest, dossier_code: str) -> Dossier:
    """The dossier if the signed-in staff member can see its unit, else 404."""
    require_staff(request)
    dossier = find_dossier(dossier_code)
    if dossier is None:
        raise Http404(NOT_FOUND)
    try:
        get_unit_for_user(request, dossier.unit_code)
    except Http404:
        raise Http404(NOT_FOUND) from None
    return dossier


def _dossier_url(name: str, code: str) -> str:
    """The page of dossier ``code``; 404 for a code no page can name (one with ``/``),
    as for a dossier that does not exist."""
    try:
        return reverse(name, args=[code])
    except NoReverseMatch:
        raise Http404(NOT_FOUND) from None


def _link(request: HttpRequest, dossier: Dossier) -> str:
    token = tokens.token_for(dossier.dossier_code)
    return request.build_absolute_uri(reverse("ratings:rate", args=[token]))


@never_cache
def index(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """Staff: ratings of the visible units in a period, per unit and per answer; open a slip."""
    access = require_staff(request)
    code = request.GET.get("ma", "").strip()
    if code and fmt is None:
        return HttpResponseRedirect(_dossier_url("ratings:receipt", code[:128]))
    period = data.period(request.GET.get("period"))
    tree = data.service().tree()
    names = {u.unit_code: u.name for u in tree}
    doc = summary.summary(current_survey(), period, access.visible_codes(tree), names)
    if fmt == "json":
        return ok_json(doc)
    return render(request, "ratings/index.html", {"doc": doc})


@never_cache
def receipt(request: HttpRequest, dossier_code: str, fmt: str | None = None) -> HttpResponse:
    """The printable slip with the dossier's rating QR code and link (or its JSON twin)."""
    dossier = _staff_dossier(request, dossier_code)
    link = _link(request, dossier)
    if fmt == "json":
        return ok_json({"dossier_code": dossier.dossier_code, "unit_code": dossier.unit_code,
                        "url": link, "rated": dossier.rated()})  # fmt: skip
    qr = segno.make(link, error="m")
    context = {
        "dossier": dossier,
        "link": link,
        "qr": qr.svg_inline(  # viewBox, no fixed size: the CSS box scales it, never crops it
            scale=5, omitsize=True, title=f"Mã QR đánh giá hồ sơ {dossier.dossier_code}"
        ),
        "rated": dossier.rated(),
    }
    return render(request, "ratings/receipt.html", context)


@never_cache
def receipt_svg(request: HttpRequest, dossier_code: str) -> HttpResponse:
    """The QR code alone as an SVG file (for the one-stop software's receipt template)."""
    dossier = _staff_dossier(request, dossier_code)
    svg = segno.make(_link(request, dossier), error="m").svg_inline(scale=8)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="danh-gia-{dossier.dossier_code}.svg"'
    return response


@never_cache
def rate(request: HttpRequest, token: str) -> HttpResponse:
    """The public rating form of the dossier behind a signed token."""
    found = tokens.resolve(token)
    dossier = find_dossier(found.dossier_code) if found is not None else None
    if dossier is None:
        raise Http404("liên kết đánh giá không đúng hoặc đã bị sửa; hãy quét lại mã QR")
    if request.method == "POST":
        limit = settings.CHISO["CHISO_RATING_LIMIT"]
        if hit("rating", client_address(request), limit=limit, window=LIMIT_WINDOW):
            return _page(request, "ratings/limited.html", dossier, status=429)
    return _rating_form(request, dossier, Channel.QR)


def _page(
    request: HttpRequest, template: str, dossier: Dossier, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {"dossier": dossier, "kiosk": extra.pop("kiosk", False), **extra}
    if context["kiosk"]:
        idle = template == "ratings/form.html"  # an abandoned form goes back after a while
        context["return_url"] = reverse("ratings:kiosk")
        context["return_seconds"] = KIOSK_IDLE_SECONDS if idle else KIOSK_RETURN_SECONDS
        context["return_idle"] = idle
    return render(request, template, context, status=status)


def _rating_form(request: HttpRequest, dossier: Dossier, channel: str) -> HttpResponse:
    """GET: the form (or why it cannot be filled); POST: validate and record."""
    kiosk = channel == Channel.KIOSK
    posting = request.method == "POST"
    if dossier.rated():
        return _page(request, "ratings/already.html", dossier, kiosk=kiosk)
    if not dossier.finished(data.now()):
        status = 409 if posting else 200
        return _page(request, "ratings/not_finished.html", dossier, status=status, kiosk=kiosk)
    survey = current_survey()
    answers: dict[str, str] = {}
    if posting:
        try:
            answers = survey.check(request.POST)
            record_rating(dossier, survey, answers, channel)
        except UserError as err:
            form = {"survey": survey, "answers": request.POST, "error": err, "kiosk": kiosk}
            return _page(request, "ratings/form.html", dossier, status=400, **form)
        except AlreadyRated:
            return _page(request, "ratings/already.html", dossier, kiosk=kiosk)
        if kiosk:
            return HttpResponseRedirect(reverse("ratings:kiosk-done"))
        return _page(request, "ratings/thanks.html", dossier, answers=survey.labels(answers))
    return _page(request, "ratings/form.html", dossier, survey=survey, answers={}, kiosk=kiosk)


@never_cache
def kiosk(request: HttpRequest) -> HttpResponse:
    """Kiosk start screen: the dossier code, typed or scanned (a scanned link works too)."""
    access = require_staff(request)
    text = request.GET.get("ma", "").strip()
    if not text:
        return render(request, "ratings/kiosk.html", {"access": access})
    code = text
    token = tokens.find_token(text)
    if token is not None:
        found = tokens.resolve(token)
        code = found.dossier_code if found is not None else ""
    dossier = find_dossier(code) if code else None
    tree = data.service().tree()
    if dossier is None or not access.can_see(tree, dossier.unit_code):
        error = UserError(
            f"Không tìm thấy hồ sơ “{text[:60]}” trong các đơn vị được phép đánh giá tại quầy này.",
            hint="Kiểm tra lại mã hồ sơ trên giấy hẹn, hoặc quét lại mã QR.",
        )
        context = {"access": access, "error": error, "value": text[:128]}
        return render(request, "ratings/kiosk.html", context, status=404)
    return HttpResponseRedirect(_dossier_url("ratings:kiosk-rate", dossier.dossier_code))


@never_cache
def kiosk_rate(request: HttpRequest, dossier_code: str) -> HttpResponse:
    """The rating form on the counter tablet (channel ``kiosk``): only for a dossier whose
    stored unit the signed-in account may write (the site's one write scope)."""
    dossier = _staff_dossier(request, dossier_code)
    write = Write(dossier.dossier_code, None)
    refused = scope.check(access_for(request), "ratings", [write], {write.key: [dossier.unit_code]})
    if refused:
        tree = data.service().tree()
        raise PermissionDenied(f"Không được đánh giá: {refused[0].reason('ratings', tree)}.")
    return _rating_form(request, dossier, Channel.KIOSK)


def kiosk_done(request: HttpRequest) -> HttpResponse:
    """Thanks on the counter tablet; the page returns to the start screen by itself."""
    require_staff(request)
    context = {
        "kiosk": True,
        "return_url": reverse("ratings:kiosk"),
        "return_seconds": KIOSK_RETURN_SECONDS,
    }
    return render(request, "ratings/thanks.html", context)
