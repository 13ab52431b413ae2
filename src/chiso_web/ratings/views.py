"""Citizen ratings: the receipt slip with QR (staff), the public form, the counter kiosk.

* ``/danh-gia/ma/<dossier>/`` (+ ``.svg``, ``.json``): staff who can see the dossier's
  unit get its rating link and QR code (404 for everyone else, as for a missing dossier);
* ``/danh-gia/<token>/``: the public, mobile-first form (no sign-in; rate-limited per
  client address, which is kept in the cache only);
* ``/danh-gia/quay/``: kiosk mode on a counter tablet an administrator enrolled
  (``devices.py``; no staff session): scan the slip's QR or type its short code, rate,
  and the screen returns to the start by itself.

No rating path accepts a signed-in staff account; every refusal is audited
(``refusals.py``).
"""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache

from chiso.errors import UserError
from chiso_web import data
from chiso_web.errors import ok_json
from chiso_web.ratings import devices, refusals, summary, tokens
from chiso_web.ratings.models import Channel, Kiosk, RatingToken
from chiso_web.ratings.service import (
    AlreadyRated,
    Dossier,
    current_survey,
    find_dossier,
    record_rating,
)
from chiso_web.units.access import Access, get_unit_for_user, require_staff
from chiso_web.units.limits import client_address, hit, take
from chiso_web.units.models import Role

LIMIT_WINDOW = 3600
KIOSK_WINDOW = 600
KIOSK_RETURN_SECONDS = 8
KIOSK_IDLE_SECONDS = 90
NOT_FOUND = gettext_lazy("no such dossier, or you may not see it")


def _staff_dossier(request: HttpRequest, dossier_code: str) -> Dossier:
    """The dossier if the signed-in staff member can see its unit, else 404."""
    require_staff(request)
    dossier = find_dossier(dossier_code)
    if dossier is None:
        raise Http404(str(NOT_FOUND))
    try:
        get_unit_for_user(request, dossier.unit_code)
    except Http404:
        raise Http404(str(NOT_FOUND)) from None
    return dossier


def _dossier_url(name: str, code: str) -> str:
    """The page of dossier ``code``; 404 for a code no page can name (one with ``/``),
    as for a dossier that does not exist."""
    try:
        return reverse(name, args=[code])
    except NoReverseMatch:
        raise Http404(str(NOT_FOUND)) from None


def _link(request: HttpRequest, dossier: Dossier) -> tuple[str, str]:
    """The dossier's rating link and the short code printed under its QR."""
    found = tokens.record_for(dossier.dossier_code)
    link = request.build_absolute_uri(reverse("ratings:rate", args=[tokens.signed(found)]))
    return link, tokens.short_code(found)


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
    link, code = _link(request, dossier)
    if fmt == "json":
        return ok_json({"dossier_code": dossier.dossier_code, "unit_code": dossier.unit_code,
                        "url": link, "code": code, "rated": dossier.rated()})  # fmt: skip
    qr = segno.make(link, error="m")
    context = {
        "dossier": dossier,
        "link": link,
        "code": code,
        "qr": qr.svg_inline(  # viewBox, no fixed size: the CSS box scales it, never crops it
            scale=5,
            omitsize=True,
            title=gettext("Rating QR code of dossier %(code)s") % {"code": dossier.dossier_code},
        ),
        "rated": dossier.rated(),
    }
    return render(request, "ratings/receipt.html", context)


@never_cache
def receipt_svg(request: HttpRequest, dossier_code: str) -> HttpResponse:
    """The QR code alone as an SVG file (for the one-stop software's receipt template)."""
    dossier = _staff_dossier(request, dossier_code)
    svg = segno.make(_link(request, dossier)[0], error="m").svg_inline(scale=8)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="danh-gia-{dossier.dossier_code}.svg"'
    return response


def _once(bucket: str, key: str, window: int) -> bool:
    """True the first time in ``window`` (a flood of refusals is logged once)."""
    return take(bucket, key, limit=1, window=window)


@never_cache
def rate(request: HttpRequest, token: str) -> HttpResponse:
    """The public rating form of the dossier behind a signed token (not for staff)."""
    posting = request.method == "POST"
    if posting:
        limit = settings.CHISO["CHISO_RATING_LIMIT"]
        address = client_address(request)
        if hit("rating", address, limit=limit, window=LIMIT_WINDOW):
            if _once("rating-refused", address, LIMIT_WINDOW):
                refusals.audit(request, "burst", Channel.QR)
            return render(request, "ratings/limited.html", {}, status=429)
    if request.user.is_authenticated:
        if posting:
            refusals.audit(request, "staff", Channel.QR)
        return refusals.refused(request, "staff")
    found = tokens.resolve(token)
    dossier = find_dossier(found.dossier_code) if found is not None else None
    if found is None or dossier is None:
        if posting:
            refusals.audit(request, "unknown", Channel.QR)
        raise Http404(gettext("the rating link is wrong or was altered; scan the QR code again"))
    if tokens.expired(found) and not dossier.rated():
        if posting:
            refusals.audit(request, "expired", Channel.QR, dossier=dossier)
        return refusals.refused(request, "expired")
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


def _rating_form(
    request: HttpRequest, dossier: Dossier, channel: str, device: Kiosk | None = None
) -> HttpResponse:
    """GET: the form (or why it cannot be filled); POST: validate and record."""
    kiosk = channel == Channel.KIOSK
    posting = request.method == "POST"
    if dossier.rated():
        if posting:
            refusals.audit(request, "used", channel, kiosk=device, dossier=dossier)
        return _page(request, "ratings/already.html", dossier, kiosk=kiosk)
    if not dossier.finished(data.now()):
        status = 409 if posting else 200
        return _page(request, "ratings/not_finished.html", dossier, status=status, kiosk=kiosk)
    survey = current_survey()
    answers: dict[str, str] = {}
    if posting:
        try:
            answers = survey.check(request.POST)
            record_rating(dossier, survey, answers, channel, device)
        except UserError as err:
            form = {"survey": survey, "answers": request.POST, "error": err, "kiosk": kiosk}
            return _page(request, "ratings/form.html", dossier, status=400, **form)
        except AlreadyRated:
            refusals.audit(request, "used", channel, kiosk=device, dossier=dossier)
            return _page(request, "ratings/already.html", dossier, kiosk=kiosk)
        if kiosk:
            return HttpResponseRedirect(reverse("ratings:kiosk-done"))
        return _page(request, "ratings/thanks.html", dossier, answers=survey.labels(answers))
    return _page(request, "ratings/form.html", dossier, survey=survey, answers={}, kiosk=kiosk)


def _kiosk_device(request: HttpRequest) -> Kiosk | HttpResponse:
    """This browser's kiosk, or the refusal: a signed-in staff account (never rates) or a
    browser no administrator enrolled.  Refused POSTs are audited (an unenrolled
    address once per window)."""
    posting = request.method == "POST"
    device = devices.device_of(request)
    if request.user.is_authenticated:
        if posting:
            refusals.audit(request, "staff", Channel.KIOSK, kiosk=device)
        return refusals.refused(request, "staff", kiosk=True)
    if device is None:
        if posting and _once("kiosk-refused", client_address(request), KIOSK_WINDOW):
            refusals.audit(request, "device", Channel.KIOSK)
        return refusals.refused(request, "device", kiosk=True)
    return device


def _burst(request: HttpRequest, device: Kiosk) -> HttpResponse | None:
    """Count one event of the kiosk; the refusal when it is over ``CHISO_KIOSK_LIMIT``."""
    limit = settings.CHISO["CHISO_KIOSK_LIMIT"]
    if not hit("kiosk", str(device.pk), limit=limit, window=KIOSK_WINDOW):
        return None
    if _once("kiosk-burst", str(device.pk), KIOSK_WINDOW):
        refusals.audit(request, "burst", Channel.KIOSK, kiosk=device)
    return refusals.refused(request, "burst", kiosk=True)


def _why_not(device: Kiosk, found: RatingToken | None, dossier: Dossier | None) -> str | None:
    """Why the kiosk cannot open this slip (None: it can)."""
    if found is None or dossier is None:
        return "unknown"
    if not Access(Role.OFFICER, device.unit_code).can_see(data.service().tree(), dossier.unit_code):
        return "unit"
    if dossier.rated():
        return "used"
    if tokens.expired(found):
        return "expired"
    return None


@never_cache
def kiosk(request: HttpRequest) -> HttpResponse:
    """Kiosk start screen: the slip's short code typed, or its QR scanned (the link)."""
    device = _kiosk_device(request)
    if isinstance(device, HttpResponse):
        return device
    text = request.GET.get("ma", "").strip()[:400]
    context: dict[str, Any] = {"kiosk": True, "device": device, "unit": _unit_name(device)}
    if not text:
        return render(request, "ratings/kiosk.html", context)
    found = tokens.lookup(text)
    dossier = find_dossier(found.dossier_code) if found is not None else None
    reason = _why_not(device, found, dossier)
    if reason is None and found is not None:
        args = [tokens.signed(found)]
        return HttpResponseRedirect(reverse("ratings:kiosk-rate", args=args))
    limited = _burst(request, device)  # a refused code counts: codes cannot be tried in bulk
    if limited is not None:
        return limited
    refusals.audit(request, str(reason), Channel.KIOSK, kiosk=device, dossier=dossier)
    if reason in ("unknown", "unit"):
        error = UserError(
            gettext("Rating code “%(code)s” of this device's unit not found.")
            % {"code": text[:60]},
            hint=gettext(
                "Check the rating code printed under the QR code on the appointment slip "
                "(8 characters), or scan the QR code again."
            ),
        )
        context.update(error=error, value=text[:128])
        return render(request, "ratings/kiosk.html", context, status=404)
    return refusals.refused(request, str(reason), kiosk=True)


def _unit_name(device: Kiosk) -> str:
    tree = data.service().tree()
    return tree.get(device.unit_code).name if device.unit_code in tree else device.unit_code


@never_cache
def kiosk_rate(request: HttpRequest, token: str) -> HttpResponse:
    """The rating form on an enrolled counter tablet (channel ``kiosk``), for a slip of a
    dossier in the kiosk's unit or below; each POST counts against the kiosk's limit."""
    device = _kiosk_device(request)
    if isinstance(device, HttpResponse):
        return device
    posting = request.method == "POST"
    found = tokens.resolve(token)
    dossier = find_dossier(found.dossier_code) if found is not None else None
    if posting:
        limited = _burst(request, device)
        if limited is not None:
            return limited
    reason = _why_not(device, found, dossier)
    if reason is not None and reason != "used":  # used: the form says it was rated
        if posting:
            refusals.audit(request, reason, Channel.KIOSK, kiosk=device, dossier=dossier)
        return refusals.refused(request, reason, kiosk=True)
    assert dossier is not None
    return _rating_form(request, dossier, Channel.KIOSK, device)


@never_cache
def kiosk_done(request: HttpRequest) -> HttpResponse:
    """Thanks on the counter tablet; the page returns to the start screen by itself."""
    device = _kiosk_device(request)
    if isinstance(device, HttpResponse):
        return device
    context = {
        "kiosk": True,
        "return_url": reverse("ratings:kiosk"),
        "return_seconds": KIOSK_RETURN_SECONDS,
    }
    return render(request, "ratings/thanks.html", context)
