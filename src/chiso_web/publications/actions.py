"""Publish, lock and unlock a month (administrators only; every action is audit-logged).

* publish: score the closed month now, freeze the whole ranking as a new version, mark
  the previous version superseded and lock the month;
* lock: close a month before or after publishing (its official result is the snapshot);
* unlock: reopen a locked month, with a reason; the public keeps the last version until
  a new one is published explicitly.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils.translation import gettext

from chiso.api import IndexSet
from chiso.errors import UserError
from chiso_web import coverage, data
from chiso_web.audit.log import record
from chiso_web.publications import snapshot, state
from chiso_web.publications.models import Lock, Publication, Status
from chiso_web.units.access import require_staff, signed_in_user
from chiso_web.units.models import Role

NOTE_MAX = 1000


def require_admin(request: HttpRequest) -> None:
    """Only province administrators lock, publish and unlock."""
    if require_staff(request).role != Role.ADMIN:
        raise PermissionDenied(
            gettext("only province administrators lock, publish or unlock a month")
        )


def _note(text: str, *, required: str | None = None) -> str:
    note = (text or "").strip()
    if required and not note:
        raise UserError(
            gettext("the “Note” field must not be empty: %(why)s") % {"why": required},
            hint=gettext("write the reason"),
        )
    if len(note) > NOTE_MAX:
        raise UserError(
            gettext("the “Note” field is %(length)s characters long, at most %(max)s")
            % {"length": len(note), "max": NOTE_MAX},
            hint=gettext("write it shorter"),
        )
    return note


def publish(request: HttpRequest, index_set: IndexSet, period_text: str, note: str) -> Publication:
    """Freeze the closed month's ranking as the next version and lock the month."""
    require_admin(request)
    period = state.month(period_text)
    if state.is_running(period):
        raise UserError(
            gettext("%(period)s has not ended (data up to %(as_of)s), it cannot be published yet")
            % {"period": period.label, "as_of": f"{period.as_of:%d/%m/%Y %H:%M}"},
            hint=gettext("only a closed month is published; this one can be from %(end)s")
            % {"end": f"{period.end:%d/%m/%Y}"},
        )
    previous = state.current(index_set.id, period.code)
    if previous is not None:
        why = gettext("publishing a new version needs the reason for the change")
        note = _note(note, required=why)
    else:
        note = _note(note)
    service = data.service()
    count = coverage.period_dossiers(period)
    results = service.results(index_set, period, "all")
    payload = snapshot.build(index_set, period, results)
    if count == 0 or snapshot.scored(payload) == 0:
        raise UserError(
            gettext("%(period)s has no dossier in the data, there is nothing to publish")
            % {"period": period.label},
            hint=gettext("import the month's dossiers before publishing"),
        )
    payload["dossier_count"] = count
    publication = _save(request, index_set, period.code, payload, note, service.version_tag())
    record(
        request,
        "publish",
        f"Công bố {index_set.short_label}, {period.label}, phiên bản {publication.version}",
        period=period.code,
        index_set=index_set.id,
        version=publication.version,
        data_version=publication.data_version,
        note=note,
    )
    return publication


def _save(
    request: HttpRequest,
    index_set: IndexSet,
    period: str,
    payload: dict[str, object],
    note: str,
    data_version: str,
) -> Publication:
    user = signed_in_user(request)
    try:
        with transaction.atomic():
            rows = Publication.objects.select_for_update().filter(
                index_set=index_set.id, period=period
            )
            last = rows.aggregate(top=Max("version"))["top"] or 0
            rows.filter(status=Status.PUBLISHED).update(status=Status.SUPERSEDED)
            publication = Publication.objects.create(
                index_set=index_set.id,
                index_set_name=index_set.name,
                period=period,
                period_label=str(payload["period_label"]),
                version=last + 1,
                published_by=user,
                published_by_name=user.get_username(),
                note=note,
                data_version=data_version,
                payload=payload,
                summary=snapshot.summary(payload),
            )
            Lock.objects.get_or_create(
                index_set=index_set.id, period=period, defaults={"locked_by": user}
            )
    except IntegrityError:
        raise UserError(
            gettext("another administrator has just published this month at the same time"),
            hint=gettext("reload the page to see the newest version"),
        ) from None
    return publication


def lock(request: HttpRequest, index_set: IndexSet, period_text: str, note: str) -> Lock:
    """Lock a closed month (no change when it is locked already)."""
    require_admin(request)
    period = state.month(period_text)
    if state.is_running(period):
        raise UserError(
            gettext("%(period)s has not ended, it cannot be locked yet") % {"period": period.label},
            hint=gettext("it can be locked from %(end)s") % {"end": f"{period.end:%d/%m/%Y}"},
        )
    note = _note(note)
    found, created = Lock.objects.get_or_create(
        index_set=index_set.id,
        period=period.code,
        defaults={"locked_by": request.user, "note": note},
    )
    if created:
        summary = f"Khóa {index_set.short_label}, {period.label}"
        record(request, "lock", summary, period=period.code, index_set=index_set.id, note=note)
    return found


def unlock(request: HttpRequest, index_set: IndexSet, period_text: str, note: str) -> None:
    """Reopen a locked month; the reason is required and logged."""
    require_admin(request)
    period = state.month(period_text)
    note = _note(note, required=gettext("unlocking a month needs the reason"))
    deleted, _ = Lock.objects.filter(index_set=index_set.id, period=period.code).delete()
    if not deleted:
        raise UserError(
            gettext("%(period)s is not locked") % {"period": period.label},
            hint=gettext("no need to unlock it"),
        )
    summary = f"Mở khóa {index_set.short_label}, {period.label}"
    record(request, "unlock", summary, period=period.code, index_set=index_set.id, note=note)
