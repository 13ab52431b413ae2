"""Refused ratings: one page and one audit entry per refusal (``docs/web-ratings.md``).

Reasons: a signed-in staff account (no path lets staff rate), a browser that is not an
enrolled kiosk, an unknown, used or expired slip, a dossier outside the kiosk's units
(shown as unknown), and a burst (the kiosk's or the address's limit).  The entry names
the channel and the kiosk; a citizen's address is never written (``qr`` refusals name no
device), and the address limit's refusals are logged once per window so a flood cannot
fill the log.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from chiso_web.audit.log import record
from chiso_web.ratings.models import Channel, Kiosk
from chiso_web.ratings.service import Dossier

#: reason → (what the audit log says, heading on the page, hint on the page); the log's
#: words are stored as written (in Vietnamese), the page's follow the site's language
REASONS = {
    "staff": (
        "tài khoản cán bộ đang đăng nhập không được gửi đánh giá",
        gettext_lazy("A staff account may not rate"),
        gettext_lazy(
            "The rating slip is for citizens only. Staff sign out before handing the device to a "
            "citizen; a device at the counter needs an administrator to enrol it."
        ),
    ),
    "device": (
        "máy chưa được quản trị viên đăng ký làm máy đánh giá tại quầy",
        gettext_lazy("This device is not enrolled for ratings at the counter"),
        gettext_lazy(
            "A province administrator signs in on this very device, opens the Ratings page, "
            "chooses “Enrol a rating device at the counter” and presses “Enrol this device”."
        ),
    ),
    "unknown": (
        "mã đánh giá không đúng",
        gettext_lazy("Rating code not found"),
        gettext_lazy(
            "Check the rating code printed under the QR code on the appointment slip (8 "
            "characters), or scan the QR code again."
        ),
    ),
    "unit": (
        "hồ sơ không thuộc đơn vị của máy đánh giá",
        gettext_lazy("Rating code not found"),
        gettext_lazy(
            "Check the rating code printed under the QR code on the appointment slip (8 "
            "characters), or scan the QR code again."
        ),
    ),
    "used": (
        "mã đánh giá đã được dùng",
        gettext_lazy("This rating code has been used"),
        gettext_lazy("Each dossier is rated only once. Thank you."),
    ),
    "expired": (
        "mã đánh giá đã hết hạn",
        gettext_lazy("The rating code has expired"),
        gettext_lazy(
            "A rating slip can be used only for a while after it is printed. Please ask the staff"
            " at the counter."
        ),
    ),
    "burst": (
        "quá nhiều lượt gửi đánh giá trong thời gian ngắn",
        gettext_lazy("Too many ratings in a row"),
        gettext_lazy("The device stops taking ratings for a few minutes; please try again later."),
    ),
}
STATUS = {"staff": 403, "device": 403, "unknown": 404, "unit": 404, "used": 409,
          "expired": 410, "burst": 429}  # fmt: skip


def audit(
    request: HttpRequest,
    reason: str,
    channel: str,
    *,
    kiosk: Kiosk | None = None,
    dossier: Dossier | None = None,
) -> None:
    """Write the refusal to the audit log."""
    dossier_code = dossier.dossier_code if dossier is not None else ""
    unit_code = dossier.unit_code if dossier is not None else ""
    where = f" tại máy “{kiosk.name}”" if kiosk is not None else ""
    label = Channel(channel).label.lower()
    summary = f"từ chối đánh giá ({label}){where}: {REASONS[reason][0]}"
    if dossier_code:
        summary += f"; hồ sơ {dossier_code}"
    actor = None
    if not request.user.is_authenticated:
        actor = f"máy “{kiosk.name}”" if kiosk is not None else "người dân (mã QR)"
    details: dict[str, Any] = {"reason": reason, "channel": channel}
    if kiosk is not None:
        details["device"] = kiosk.pk
    if dossier_code:
        details["dossier_code"] = dossier_code
    record(request, "rating.refused", summary, actor=actor, unit_code=unit_code, **details)


def refused(
    request: HttpRequest, reason: str, *, kiosk: bool = False, value: str = ""
) -> HttpResponse:
    """The page that says why (kiosk pages return to the start screen by themselves)."""
    _, heading, hint = REASONS[reason]
    alert = ""  # a page opened (GET) recorded nothing and was not a rating yet
    if reason == "used":
        alert = gettext("The earlier rating is kept as it was.")
    elif request.method == "POST":
        alert = gettext("The rating was not recorded.")
    context: dict[str, Any] = {"heading": heading, "hint": hint, "kiosk": kiosk, "alert": alert}
    if kiosk and reason not in ("staff", "device"):
        context.update(return_url=reverse("ratings:kiosk"), return_seconds=8, value=value)
    return render(request, "ratings/refused.html", context, status=STATUS[reason])
