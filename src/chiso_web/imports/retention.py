"""Uploaded exports are not kept: they hold personal data (names, phone and ID numbers in
columns chiso never reads; docs/security.md, "Personal data").

A run's files are deleted when the run ends, whatever the end (``runs.finish``).  What
could still stay — a run checked but never confirmed or cancelled, a folder whose run was
never recorded (the process died while saving it) — is deleted by :func:`expire_old_uploads`
once ``CHISO_UPLOAD_DAYS`` days old: the run is cancelled with a sentence saying why, its
report kept.  The import worker's loop runs it at most every :data:`SWEEP_SECONDS`.
"""

from __future__ import annotations

import logging
import shutil
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from chiso_web.imports.models import PENDING, ImportRun, RunStatus
from chiso_web.imports.runs import finish, uploads_root
from chiso_web.jobs.throttle import Throttle

log = logging.getLogger("chiso_web.imports")
SWEEP_SECONDS = 3600.0

_turns = Throttle(SWEEP_SECONDS)


def expired_message(days: int) -> str:
    return gettext(
        "The uploaded files were deleted after %(days)s days without confirmation (personal "
        "data protection); no row imported."
    ) % {"days": days}


def expire_old_uploads(now: datetime | None = None) -> int:
    """Cancel runs validated more than ``CHISO_UPLOAD_DAYS`` ago and never confirmed, and
    delete upload folders of that age that no waiting run owns; how many were deleted."""
    days: int = settings.CHISO["CHISO_UPLOAD_DAYS"]
    limit = (now or timezone.now()) - timedelta(days=days)
    deleted = 0
    waiting = ImportRun.objects.filter(status=RunStatus.VALIDATED, created_at__lt=limit)
    for run in waiting:
        claimed = ImportRun.objects.filter(pk=run.pk, status=RunStatus.VALIDATED).update(
            status=RunStatus.CANCELLED
        )
        if claimed:
            run.status = RunStatus.CANCELLED
            run.message = expired_message(days)
            run.hint = gettext("Upload the files again if the import is still needed.")
            finish(run)
            run.save()
            deleted += 1
    root = uploads_root()
    if root.is_dir():
        owned = set(
            ImportRun.objects.filter(status__in=[*PENDING, RunStatus.VALIDATED]).values_list(
                "key", flat=True
            )
        )
        for folder in root.iterdir():
            if folder.name in owned or folder.stat().st_mtime >= limit.timestamp():
                continue
            shutil.rmtree(folder, ignore_errors=True)
            deleted += 1
    if deleted:
        log.info("đã xoá %s tệp tải lên quá %s ngày", deleted, days)
    return deleted


def sweep() -> int:
    """:func:`expire_old_uploads` when :data:`SWEEP_SECONDS` have passed since the last
    sweep of this process (the import worker calls it every round)."""
    return expire_old_uploads() if _turns.due() else 0
