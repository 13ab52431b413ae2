"""Retention of report files: the files of old jobs are deleted, the jobs are kept.

A done job's files stay under ``CHISO_HOME/reports/<id>/`` for ``CHISO_REPORT_DAYS`` days
after it finished; then :func:`expire_old_reports` (run by the worker loop, at most every
:data:`SWEEP_SECONDS`) deletes the folder and marks the job ``expired``.  Its page says so
and offers to make the report again; a download answers 410 Gone.  The files are deleted
before the row is marked, so a crash in between leaves a done job without files, which the
next sweep marks.

A failed job may have left files too (a DOCX written before the XLSX failed); after the
same period its folder is deleted and the job stays ``failed`` with its error message (it
never offered downloads).
"""

from __future__ import annotations

import logging
import shutil
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from chiso_web.jobs.throttle import Throttle
from chiso_web.reports.generate import job_folder
from chiso_web.reports.models import ReportRequest, Status

log = logging.getLogger("chiso_web.reports")
SWEEP_SECONDS = 3600.0

_turns = Throttle(SWEEP_SECONDS)


def expire_old_reports(now: datetime | None = None) -> int:
    """Delete the files of jobs done or failed more than ``CHISO_REPORT_DAYS`` ago; done
    jobs become expired, failed ones stay failed.  How many jobs lost their files."""
    days: int = settings.CHISO["CHISO_REPORT_DAYS"]
    limit = (now or timezone.now()) - timedelta(days=days)
    old = ReportRequest.objects.filter(status=Status.DONE, finished_at__lt=limit)
    expired = 0
    for job in old.only("pk"):
        shutil.rmtree(job_folder(job), ignore_errors=True)
        expired += ReportRequest.objects.filter(pk=job.pk, status=Status.DONE).update(
            status=Status.EXPIRED
        )
    cleared = _clear_failed(limit)
    if expired or cleared:
        log.info("đã xoá tệp của %s báo cáo quá %s ngày", expired + cleared, days)
    return expired + cleared


def _clear_failed(limit: datetime) -> int:
    """Delete the leftover folders of jobs that failed before ``limit`` (rows untouched);
    how many folders there were (a failed job without files costs one ``stat``)."""
    cleared = 0
    failed = ReportRequest.objects.filter(status=Status.FAILED, finished_at__lt=limit)
    for job in failed.only("pk"):
        folder = job_folder(job)
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)
            cleared += 1
    return cleared


def sweep() -> int:
    """:func:`expire_old_reports` when :data:`SWEEP_SECONDS` have passed since the last
    sweep of this process (the worker loop calls it every round)."""
    return expire_old_reports() if _turns.due() else 0
