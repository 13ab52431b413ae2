"""Enrol and revoke counter kiosks (``/danh-gia/quay/dang-ky/``, administrators only).

Enrolling names the kiosk and the unit whose dossiers (with its subtree) it accepts,
makes this browser the kiosk (``devices.remember``) and signs the administrator out, so
the tablet is left without a staff session — staff accounts never rate.  Both actions
are audited.
"""

from __future__ import annotations

from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from chiso.errors import UserError
from chiso_web import data
from chiso_web.audit.log import record
from chiso_web.ratings import devices
from chiso_web.ratings.models import Kiosk
from chiso_web.units.access import require_staff
from chiso_web.units.models import Role


@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """GET: the form and the enrolled kiosks; POST: enrol this browser or revoke one."""
    if require_staff(request).role != Role.ADMIN:
        raise PermissionDenied(
            gettext("only a province administrator enrols rating devices at the counter")
        )
    tree = data.service().tree()
    units = sorted(((u.unit_code, u.name) for u in tree), key=lambda u: u[1])
    names = dict(units)
    error: UserError | None = None
    if request.method == "POST":
        revoke = request.POST.get("thu_hoi", "")
        if revoke:
            kiosk = Kiosk.objects.filter(pk=int(revoke) if revoke.isdigit() else 0).first()
            if kiosk is not None and kiosk.revoked_at is None:
                Kiosk.objects.filter(pk=kiosk.pk).update(revoked_at=timezone.now())
                summary = f"thu hồi máy đánh giá tại quầy “{kiosk.name}”"
                record(request, "kiosk.revoke", summary, unit_code=kiosk.unit_code, device=kiosk.pk)
            return HttpResponseRedirect(reverse("ratings:kiosk-enrol"))
        name = request.POST.get("ten", "").strip()
        unit = request.POST.get("don_vi", "").strip()
        if not name or len(name) > 100:
            error = UserError(
                gettext("The device has no name (at most 100 characters)."),
                hint=gettext("for example Counter 1"),
            )
        elif unit not in names:
            error = UserError(
                gettext("No unit chosen for the device."),
                hint=gettext("choose in the list of units"),
            )
        else:
            kiosk = devices.enrol(name, unit, request.user.get_username())
            summary = f"đăng ký máy đánh giá tại quầy “{name}” cho {names[unit]}"
            record(request, "kiosk.enrol", summary, unit_code=unit, device=kiosk.pk)
            logout(request)  # the tablet keeps no staff session
            response = HttpResponseRedirect(reverse("ratings:kiosk"))
            devices.remember(response, kiosk)
            return response
    kiosks = [(k, names.get(k.unit_code, k.unit_code)) for k in Kiosk.objects.all()]
    context = {"units": units, "kiosks": kiosks, "error": error, "posted": request.POST}
    return render(request, "ratings/kiosk_enrol.html", context, status=400 if error else 200)
