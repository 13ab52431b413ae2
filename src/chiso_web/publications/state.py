"""Reading publications: the current version of a month, versions, locks, the trend.

The public pages and other apps go through these functions (``is_locked`` lets manual
values or imports warn that a month's official result is already published).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from chiso.api import Period, PeriodKind
from chiso.errors import UserError
from chiso_web import data
from chiso_web.publications.models import Lock, Publication, Status


def month(text: str) -> Period:
    """A month from a URL or form (``2026-09`` or ``9/2026``), else one clear sentence."""
    try:
        found = data.period(text)
    except UserError:
        found = None
    if found is None or found.kind is not PeriodKind.MONTH:
        raise UserError(
            gettext("period %(text)s is not a valid month") % {"text": repr(text)},
            hint=gettext("write the month as 2026-09 (year-month)"),
        )
    return found


def is_running(period: Period) -> bool:
    """Whether the month has not ended yet on the site's clock."""
    return period.as_of < period.end


def current(index_set: str, period: str) -> Publication | None:
    """The version the public sees for ``index_set`` and month ``period``, if any.

    The payload is loaded on first use (pages served from cache never read it).
    """
    rows = Publication.objects.filter(index_set=index_set, period=period, status=Status.PUBLISHED)
    return rows.defer("payload").first()


def version(index_set: str, period: str, number: str | None) -> Publication:
    """Version ``number`` (default: the current one) of a published month, else 404."""
    if number in (None, ""):
        found = current(index_set, period)
    else:
        try:
            wanted = int(number)
        except ValueError:
            raise Http404(
                gettext("version %(number)s is not valid") % {"number": repr(number)}
            ) from None
        found = (
            Publication.objects.filter(index_set=index_set, period=period, version=wanted)
            .defer("payload")
            .first()
        )
    if found is None:
        raise Http404(
            gettext("no result of %(index_set)s published for %(period)s")
            % {"index_set": index_set, "period": period}
        )
    return found


def versions(index_set: str, period: str) -> list[dict[str, Any]]:
    """Every version of a month, newest first (public fields only)."""
    rows = Publication.objects.filter(index_set=index_set, period=period).order_by("-version")
    return [public_meta(p) for p in rows.defer("payload", "summary")]


def public_meta(publication: Publication) -> dict[str, Any]:
    """What the public may know about a version (no account names)."""
    return {
        "index_set": publication.index_set,
        "period": publication.period,
        "period_label": publication.period_label,
        "version": publication.version,
        "version_status": publication.status,
        "published_at": local_iso(publication.published_at),
        "note": publication.note,
    }


def local_iso(instant: datetime) -> str:
    """An instant in the site's time zone, ISO to the minute (``2026-11-22T11:17+07:00``)."""
    return timezone.localtime(instant).isoformat(timespec="minutes")


def stamp(index_set: str) -> str:
    """Changes whenever a version of ``index_set`` is published (cache keys)."""
    rows = Publication.objects.filter(index_set=index_set)
    found = rows.aggregate(n=Count("id"), top=Max("id"), at=Max("published_at"))
    at = found["at"].timestamp() if found["at"] is not None else 0
    return f"{found['n']}-{found['top']}-{at}"


def published_index_sets() -> list[str]:
    """Index sets with at least one publication, sorted."""
    found = Publication.objects.values_list("index_set", flat=True).distinct()
    return sorted(set(found))


def published_months(index_set: str) -> list[Publication]:
    """Current versions of every published month of ``index_set``, oldest first.

    Only the small per-unit summary is loaded (the trend across months), not payloads.
    """
    rows = Publication.objects.filter(index_set=index_set, status=Status.PUBLISHED)
    return list(rows.defer("payload").order_by("period"))


def latest(index_set: str) -> Publication | None:
    """The most recent published month of ``index_set``."""
    rows = Publication.objects.filter(index_set=index_set, status=Status.PUBLISHED)
    return rows.order_by("-period").first()


def is_locked(index_set: str | None, period: str) -> bool:
    """Whether the month is locked (for any index set when ``index_set`` is None)."""
    rows = Lock.objects.filter(period=period)
    if index_set is not None:
        rows = rows.filter(index_set=index_set)
    return rows.exists()


def lock_of(index_set: str, period: str) -> Lock | None:
    """The month's lock, if any."""
    return Lock.objects.filter(index_set=index_set, period=period).first()


def trend(months: list[Publication], unit_code: str) -> list[dict[str, Any]]:
    """A unit's converted score, class and rank in each published month."""
    out = []
    for pub in months:
        row = pub.summary.get(unit_code)
        out.append(
            {
                "period": pub.period,
                "label": pub.period_label,
                "version": pub.version,
                "converted": row["converted"] if row else None,
                "class": row["class"] if row else None,
                "class_label": row.get("class_label") if row else None,
                "rank": row["rank"] if row else None,
            }
        )
    return out
