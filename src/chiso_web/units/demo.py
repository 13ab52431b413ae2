"""Demo accounts printed by ``make demo`` (never created unless asked for)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from chiso_web.units.models import Membership, Role


@dataclass(frozen=True)
class DemoAccount:
    """One demo login."""

    username: str
    password: str
    role: str
    unit_code: str
    description: str


DEMO_ACCOUNTS = (
    DemoAccount("quantri", "quantri-demo", Role.ADMIN, "", "quản trị cấp tỉnh (mọi quyền)"),
    DemoAccount("lanhdao", "lanhdao-demo", Role.LEADER, "", "lãnh đạo (xem tất cả)"),
    DemoAccount("sinthau", "sinthau-demo", Role.OFFICER, "03158", "cán bộ UBND xã Sín Thầu"),
    DemoAccount("tuphap", "tuphap-demo", Role.OFFICER, "so-tu-phap", "cán bộ Sở Tư pháp"),
)


@transaction.atomic
def ensure_demo_accounts() -> tuple[DemoAccount, ...]:
    """Create (or reset) the demo accounts and their memberships."""
    users = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, _ = users.objects.get_or_create(username=account.username)
        user.set_password(account.password)
        user.save()
        Membership.objects.update_or_create(
            user=user, defaults={"role": account.role, "unit_code": account.unit_code}
        )
    return DEMO_ACCOUNTS
