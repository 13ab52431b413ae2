"""The registry of job kinds: what the one worker loop runs, where and how.

A *queued* kind has rows (a model inheriting :class:`chiso_web.jobs.models.Job`) that
wait in a status of ``steps`` and are claimed into the matching running status; a
*periodic* kind has no rows and runs at the start of each round of its lane.  Each kind
belongs to one lane (one thread of the loop), so a long import check never holds up the
merge of pushed dossiers or a report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy

LANES = ("files", "reports", "inbox", "warm")


@dataclass(frozen=True)
class Kind:
    """One kind of job.

    ``run``, ``fail`` and ``describe`` are dotted paths (``module.function``), imported when
    used: ``run(row)`` does a claimed row's step (or, periodic, ``run()`` one round);
    ``fail(row, message)`` ends a row failed with a Vietnamese message; ``describe(row)``
    is the ``worker`` command's line.  ``isolated``: the step reads a user's file and runs
    in a child process with the memory limit (:mod:`chiso_web.jobs.isolation`).
    """

    name: str
    lane: str
    run: str
    model: str = ""  # "app_label.Model" of a queued kind; "" for a periodic kind
    steps: Mapping[str, str] = field(default_factory=dict)  # waiting -> running status
    fail: str = ""
    describe: str = ""
    isolated: bool = False
    stale_after: timedelta = timedelta(minutes=15)
    max_attempts: int = 3
    #: the failure message once max_attempts runs did not finish (``%(n)s``: the runs)
    gave_up: str | Promise = ""
    #: the failure message of an isolated step whose child died (``%(reason)s``: why)
    crashed: str | Promise = "%(reason)s"
    child: str = "chiso_web.jobs.loop.run_in_child"  # what the child calls ({kind, pk})
    #: fills the web process's own cache (the forecast's calibration): run only by the
    #: loop inside the web process, not by a separate ``python -m chiso_web worker``
    pages: bool = False

    @property
    def periodic(self) -> bool:
        """A kind without rows, run each round of its lane."""
        return not self.model

    def row_model(self) -> type[models.Model]:
        """The queued kind's model."""
        return apps.get_model(self.model)

    def call(self, path: str, *args: Any) -> Any:
        """Call one of the kind's dotted functions."""
        function: Any = import_string(path)
        return function(*args)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "import", "files", "chiso_web.imports.jobs.step", "imports.ImportRun",
            steps={"queued": "checking", "confirming": "importing"},
            fail="chiso_web.imports.jobs.fail", describe="chiso_web.imports.jobs.describe",
            isolated=True, stale_after=timedelta(hours=1),
            gave_up=gettext_lazy("The import did not finish after %(n)s runs; upload it again."),
            crashed=gettext_lazy("The file could not be processed, no row imported: %(reason)s."),
        ),
        Kind(
            "report", "reports", "chiso_web.reports.worker.make", "chiso_reports.ReportRequest",
            steps={"queued": "running"},
            fail="chiso_web.reports.worker.fail", describe="chiso_web.reports.worker.describe",
            gave_up=gettext_lazy("The report did not finish after %(n)s runs; make a new request."),
        ),
        Kind("retention", "reports", "chiso_web.reports.retention.sweep"),
        Kind("upload_retention", "files", "chiso_web.imports.retention.sweep"),
        Kind("inbox", "inbox", "chiso_web.api.inbox.flush_due"),
        Kind("digest", "reports", "chiso_web.digest.mail.sweep"),
        Kind("forecast_warm", "warm", "chiso_web.dashboard.plan.warm_forecast", pages=True),
    )
}  # fmt: skip


def of_lane(lane: str | None, *, pages: bool = True) -> list[Kind]:
    """The kinds of one lane (all kinds for None), in registry order; without the kinds
    that fill the web process's cache unless ``pages``."""
    return [
        kind
        for kind in KINDS.values()
        if (lane is None or kind.lane == lane) and (pages or not kind.pages)
    ]
