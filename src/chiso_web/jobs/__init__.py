"""The site's one job system (docs/adr/0006-one-job-system-with-isolated-file-jobs.md).

* :mod:`~chiso_web.jobs.models`: the abstract :class:`~chiso_web.jobs.models.Job` every
  queued kind's row inherits (attempts, started, finished);
* :mod:`~chiso_web.jobs.kinds`: the registry of kinds (report requests, import runs, the
  push inbox flush, report retention);
* :mod:`~chiso_web.jobs.queue`: the one atomic claim and the one stale-job rule;
* :mod:`~chiso_web.jobs.loop`: the one worker loop (a thread per lane);
* :mod:`~chiso_web.jobs.isolation` and :mod:`~chiso_web.jobs.child`: kinds that read
  user files run in a child process with a memory limit (``CHISO_WORKER_MEMORY_MB``);
* :mod:`~chiso_web.jobs.throttle`: periodic chores (the report and upload retention sweeps)
  at most once an interval.
"""
