"""The weekly digest by e-mail: who receives it, when, and once per user and week.

Every active user with an e-mail address whose role is a unit officer receives the digest
of their unit (the scope of :mod:`chiso_web.units.access`), in HTML and plain text,
through Django's mail settings (console by default, SMTP when ``CHISO_SMTP_HOST`` is set:
``settings.py``).  The job system's periodic kind ``digest`` (:func:`sweep`) sends the
week's digests once the week's hour has come (``CHISO_DIGEST_WEEKDAY`` at
``CHISO_DIGEST_HOUR``, site clock); ``python -m chiso_web send_digest`` sends them now.

Once per user and week: a :class:`~chiso_web.digest.models.DigestSent` row claims the
pair before the mail leaves and is stamped when the backend accepted it; a claim left
unstamped for :data:`RETRY` (the process died while sending) is taken again, and a
failed send gives its claim back so the next round tries again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from chiso.api import Digest
from chiso_web import data
from chiso_web.digest import builder, page
from chiso_web.digest.models import DigestSent
from chiso_web.jobs.throttle import Throttle
from chiso_web.units.models import Role

log = logging.getLogger("chiso_web.digest")
#: A claim not stamped after this long was left by a process that died: taken again.
RETRY = timedelta(hours=1)
#: The worker looks whether the week's digests are due at most this often.
SWEEP_SECONDS = 600.0
_turns = Throttle(SWEEP_SECONDS)


@dataclass(frozen=True)
class Sent:
    """One digest sent: to whom, which unit."""

    username: str
    email: str
    unit_code: str
    subject: str


def week_of(now: datetime) -> date:
    """The Monday of the week holding ``now``: the week's key."""
    return now.date() - timedelta(days=now.weekday())


def scheduled(now: datetime) -> datetime:
    """When the digests of ``now``'s week are due (``CHISO_DIGEST_WEEKDAY``/``_HOUR``)."""
    monday = week_of(now)
    day = monday + timedelta(days=settings.CHISO["CHISO_DIGEST_WEEKDAY"] - 1)
    return datetime(day.year, day.month, day.day, settings.CHISO["CHISO_DIGEST_HOUR"])


def recipients(unit_code: str | None = None) -> Iterator[Any]:
    """Active officers with an e-mail address (of ``unit_code`` only, when given), whose
    unit the data knows."""
    users = get_user_model().objects.filter(
        is_active=True, membership__role=Role.OFFICER
    ).exclude(email="").select_related("membership").order_by("username")  # fmt: skip
    if unit_code is not None:
        users = users.filter(membership__unit_code=unit_code)
    tree = data.service().tree()
    for user in users:
        if user.membership.unit_code in tree:
            yield user


def render(digest: Digest) -> tuple[str, str, str]:
    """The e-mail's subject, plain text and HTML."""
    context = page.context(digest)
    context["site_url"] = settings.CHISO["CHISO_SITE_URL"].rstrip("/")
    subject = gettext("Weekly digest %(unit)s: %(week)s") % {
        "unit": digest.unit_name,
        "week": context["week_text"],
    }
    text = render_to_string("digest/email.txt", context)
    html = render_to_string("digest/email.html", context)
    return subject, text, html


def _claim(user: Any, week: date) -> DigestSent | None:
    """The week's row of ``user`` for this sender (None: sent, or being sent elsewhere)."""
    stale = timezone.now() - RETRY
    DigestSent.objects.filter(user=user, week=week, sent_at=None, created_at__lt=stale).delete()
    try:
        with transaction.atomic():
            return DigestSent.objects.create(
                user=user, week=week, unit_code=user.membership.unit_code, email=user.email
            )
    except IntegrityError:
        return None


def send_week(now: datetime | None = None, *, unit_code: str | None = None) -> list[Sent]:
    """Send the digest of the week ending at ``now`` to every recipient who has not had
    this week's yet; what was sent."""
    now = now or data.now()
    week = week_of(now)
    digests: dict[str, tuple[str, str, str]] = {}
    out = []
    for user in recipients(unit_code):
        row = _claim(user, week)
        if row is None:
            continue
        try:
            if row.unit_code not in digests:
                digests[row.unit_code] = render(builder.build(row.unit_code, now=now))
            subject, text, html = digests[row.unit_code]
            mail = EmailMultiAlternatives(subject, text, to=[user.email])
            mail.attach_alternative(html, "text/html")
            mail.send()
        except Exception:
            log.exception("bản tin tuần cho %s chưa gửi được", user.get_username())
            row.delete()  # the next round tries again
            continue
        row.subject, row.sent_at = subject, timezone.now()
        row.save(update_fields=["subject", "sent_at"])
        out.append(Sent(user.get_username(), user.email, row.unit_code, subject))
    return out


def send_due(now: datetime | None = None) -> list[Sent]:
    """The week's digests once their hour has come (nothing before)."""
    now = now or data.now()
    if now < scheduled(now):
        return []
    return send_week(now)


def sweep() -> None:
    """The periodic kind ``digest``: at most every :data:`SWEEP_SECONDS`, send the week's
    digests that are due."""
    if _turns.due():
        sent = send_due()
        if sent:
            log.info("đã gửi %d bản tin tuần", len(sent))
