"""Who may see and change which unit — the one access helper every view uses.

* province administrator: every unit, reads and writes;
* leader: every unit, reads only;
* unit officer: their unit and its subtree (on the day asked), reads and writes there;
* public (no account, or an account without membership): published results only.

Views call :func:`access_for` (or :func:`get_unit_for_user`, which raises 404 for a unit
that does not exist *or* that the user may not see — no probing of other units' codes).

Requests read a user's membership from a small per-process cache: a change saved through
the site (admin, the ORM) clears it at once; one made by another process (a management
command) is seen within :data:`MEMBERSHIP_SECONDS`.  Jobs (:func:`access_of`) read it fresh.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404, HttpRequest
from django.utils.translation import gettext

from chiso.api import Unit, UnitTree
from chiso.errors import ChisoError
from chiso_web.data import service
from chiso_web.units.models import Membership, Role


@dataclass(frozen=True)
class Access:
    """What one request may see and change."""

    role: str  # admin, leader, officer or public
    unit_code: str = ""

    @property
    def is_staff(self) -> bool:
        """Signed in with a role (may see unpublished scores)."""
        return self.role != "public"

    @property
    def sees_everything(self) -> bool:
        """Administrator or leader."""
        return self.role in (Role.ADMIN, Role.LEADER)

    @property
    def may_write(self) -> bool:
        """Whether this role changes anything at all (not a leader, not the public):
        menus and pages offer actions only to such roles."""
        return self.role in (Role.ADMIN, Role.OFFICER)

    def visible_codes(self, tree: UnitTree) -> set[str] | None:
        """Unit codes this request may see (``None``: all): an officer's unit and every
        unit that was ever under it (old communes stay visible to their district)."""
        if self.sees_everything:
            return None
        if self.role != Role.OFFICER or self.unit_code not in tree:
            return set()
        return {u.unit_code for u in tree.descendants(self.unit_code, include_self=True)}

    def can_see(self, tree: UnitTree, code: str) -> bool:
        """Whether unit ``code`` is visible."""
        visible = self.visible_codes(tree)
        return visible is None or code in visible

    def can_write(self, tree: UnitTree, code: str | None = None) -> bool:
        """Whether this request may change data of ``code`` (province-wide when None)."""
        if self.role == Role.ADMIN:
            return True
        if self.role != Role.OFFICER or code is None:
            return False
        return self.can_see(tree, code)


PUBLIC = Access("public")


#: Seconds a request may use a membership read by an earlier request of this process.
MEMBERSHIP_SECONDS = 30.0
_memberships: dict[tuple[int, str], tuple[float, Access]] = {}


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def _forget_memberships(**_kwargs: Any) -> None:
    _memberships.clear()


def access_for(request: HttpRequest) -> Access:
    """The access of the request's user (cached on the request)."""
    cached: Access | None = getattr(request, "_chiso_access", None)
    if cached is not None:
        return cached
    access = access_of(request.user, recent=True)
    request._chiso_access = access  # type: ignore[attr-defined]  # a per-request cache
    return access


def access_of(user: Any, *, recent: bool = False) -> Access:
    """The access of ``user`` now (also outside a request: a job acting for its user;
    None — a deleted user — or a deactivated account is public).

    Args:
        recent: a membership read within :data:`MEMBERSHIP_SECONDS` will do (requests).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return PUBLIC
    if user.is_superuser:
        return Access(Role.ADMIN)
    key = (user.pk, user.get_username())
    known = _memberships.get(key) if recent else None
    if known is not None and time.monotonic() - known[0] < MEMBERSHIP_SECONDS:
        return known[1]
    member = Membership.objects.filter(user=user).first()
    access = PUBLIC if member is None else Access(member.role, member.unit_code)
    _memberships[key] = (time.monotonic(), access)
    return access


def require_staff(request: HttpRequest) -> Access:
    """The access of a signed-in user with a role, else PermissionDenied."""
    access = access_for(request)
    if not access.is_staff:
        raise PermissionDenied(gettext("signing in with an account that has a role is needed"))
    return access


def signed_in_user(request: HttpRequest) -> User:
    """The request's user as the ``User`` that rows record (who imported, published...).

    For views past :func:`require_staff`, which already refuses anonymous visitors; one
    that gets here anyway is refused the same way.
    """
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied(gettext("signing in with an account that has a role is needed"))
    return user


def get_unit_for_user(request: HttpRequest, unit_code: str) -> tuple[Unit, bool]:
    """The unit and whether the user may change its data; 404 when not visible."""
    access = require_staff(request)
    tree = service().tree()
    if unit_code not in tree or not access.can_see(tree, unit_code):
        raise Http404(gettext("no such unit, or you may not see it"))
    return tree.get(unit_code), access.can_write(tree, unit_code)


def resolve_unit(tree: UnitTree, text: str) -> str | None:
    """A unit code from a code or a (spelling-insensitive) name, or None."""
    if text in tree:
        return text
    try:
        return tree.resolve(text).unit_code
    except ChisoError:
        return None
