"""Rate limits that a race cannot pass, and the sign-in policy (docs/web.md, "Sign-in
limits").

A limit is a database row per ``bucket:key`` counted in fixed windows.  :func:`take`
reserves one event with a single conditional ``UPDATE … SET count = count + 1 WHERE
count < limit``: SQLite and PostgreSQL run it atomically, so 48 parallel attempts
against a limit of 10 get exactly 10 through, in one process or several (the old counter
was read, then the password checked, then written: 25 of 48 got through).

The client's address is ``REMOTE_ADDR`` only: behind a proxy, ``chiso_web.proxy`` has
already replaced it by the address the trusted proxy saw, and a client-chosen
``X-Forwarded-For`` never reaches here.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from chiso_web.units.models import KnownAddress, LimitCounter

__all__ = ["client_address", "give_back", "hit", "is_known", "remember", "take"]

#: How long a successful sign-in makes its address known for the account.
KNOWN_DAYS = 30


def client_address(request: HttpRequest) -> str:
    """The client's address: the peer, or the client a trusted proxy named
    (``chiso_web.proxy``; never a header an untrusted client sent)."""
    return str(request.META.get("REMOTE_ADDR", ""))


def _name(bucket: str, key: str) -> str:
    return f"{bucket}:{key}"[:255]


def take(bucket: str, key: str, *, limit: int, window: int) -> bool:
    """Reserve one event of ``key`` in ``bucket``; False (nothing counted) when ``limit``
    events were already counted in the current ``window`` seconds."""
    name, now = _name(bucket, key), timezone.now()
    ends = now + timedelta(seconds=window)
    # a finished window starts again (one UPDATE: at most one request restarts it)
    LimitCounter.objects.filter(name=name, window_ends__lte=now).update(count=0, window_ends=ends)
    if not LimitCounter.objects.filter(name=name).exists():
        # a new key: forget the counters whose window ended a day ago (the table stays small)
        LimitCounter.objects.filter(window_ends__lt=now - timedelta(days=1)).delete()
        try:
            with transaction.atomic():
                LimitCounter.objects.create(name=name, count=0, window_ends=ends)
        except IntegrityError:  # another request created it meanwhile
            pass
    taken = LimitCounter.objects.filter(name=name, count__lt=limit).update(count=F("count") + 1)
    return bool(taken)


def give_back(bucket: str, key: str) -> None:
    """Return an event reserved by :func:`take` (a sign-in that succeeded)."""
    LimitCounter.objects.filter(name=_name(bucket, key), count__gt=0).update(count=F("count") - 1)


def hit(bucket: str, key: str, *, limit: int, window: int) -> bool:
    """Count one event; True when it is over ``limit`` in ``window`` seconds (refuse it)."""
    return not take(bucket, key, limit=limit, window=window)


def is_known(username: str, address: str) -> bool:
    """Whether ``username`` signed in from ``address`` in the last :data:`KNOWN_DAYS`."""
    since = timezone.now() - timedelta(days=KNOWN_DAYS)
    return KnownAddress.objects.filter(
        username=username, address=address, last_seen__gte=since
    ).exists()


def remember(username: str, address: str) -> None:
    """Make ``address`` known for ``username`` (after a successful sign-in)."""
    since = timezone.now() - timedelta(days=KNOWN_DAYS)
    KnownAddress.objects.filter(last_seen__lt=since).delete()
    KnownAddress.objects.update_or_create(
        username=username, address=address[:64], defaults={"last_seen": timezone.now()}
    )
