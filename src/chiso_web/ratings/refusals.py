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

from chiso_web.audit.log import record
from chiso_web.ratings.models import Channel, Kiosk
from chiso_web.ratings.service import Dossier

#: reason → (what the audit log says, heading on the page, hint on the page)
REASONS: dict[str, tuple[str, str, str]] = {
    "staff": (
        "tài khoản cán bộ đang đăng nhập không được gửi đánh giá",
        "Tài khoản cán bộ không được đánh giá",
        "Phiếu đánh giá chỉ dành cho người dân. Cán bộ hãy đăng xuất trước khi đưa máy cho "
        "người dân; máy đặt tại quầy cần được quản trị viên đăng ký.",
    ),
    "device": (
        "máy chưa được quản trị viên đăng ký làm máy đánh giá tại quầy",
        "Máy này chưa được đăng ký đánh giá tại quầy",
        "Quản trị viên cấp tỉnh đăng nhập trên chính máy này, vào trang Đánh giá, chọn "
        "“Đăng ký máy đánh giá tại quầy” rồi bấm “Đăng ký máy này”.",
    ),
    "unknown": (
        "mã đánh giá không đúng",
        "Không tìm thấy mã đánh giá",
        "Kiểm tra lại mã đánh giá in dưới mã QR trên giấy hẹn (8 ký tự), hoặc quét lại mã QR.",
    ),
    "unit": (
        "hồ sơ không thuộc đơn vị của máy đánh giá",
        "Không tìm thấy mã đánh giá",
        "Kiểm tra lại mã đánh giá in dưới mã QR trên giấy hẹn (8 ký tự), hoặc quét lại mã QR.",
    ),
    "used": (
        "mã đánh giá đã được dùng",
        "Mã đánh giá này đã được dùng",
        "Mỗi hồ sơ chỉ được đánh giá một lần. Cảm ơn ông/bà.",
    ),
    "expired": (
        "mã đánh giá đã hết hạn",
        "Mã đánh giá đã hết hạn",
        "Phiếu đánh giá chỉ dùng được trong một thời gian sau khi in. Xin hỏi cán bộ tại quầy.",
    ),
    "burst": (
        "quá nhiều lượt gửi đánh giá trong thời gian ngắn",
        "Quá nhiều lượt đánh giá liên tiếp",
        "Máy tạm dừng nhận đánh giá ít phút; xin ông/bà thử lại sau.",
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
        alert = "Đánh giá trước đó vẫn được giữ nguyên."
    elif request.method == "POST":
        alert = "Đánh giá chưa được ghi nhận."
    context: dict[str, Any] = {"heading": heading, "hint": hint, "kiosk": kiosk, "alert": alert}
    if kiosk and reason not in ("staff", "device"):
        context.update(return_url=reverse("ratings:kiosk"), return_seconds=8, value=value)
    return render(request, "ratings/refused.html", context, status=STATUS[reason])
