"""The fuzz suite's settings and tally (issue #14, docs/security.md "Fuzzing").

Tests marked ``fuzz`` take their Hypothesis settings from the profile ``FUZZ_PROFILE``
names: ``ci`` (default: a few dozen cases per target, so CI adds well under a minute) or
``nightly`` (``make fuzz``: ``FUZZ_CASES`` cases in all, default 100,000, shared
between the targets).  With ``FUZZ_REPORT`` set, each target adds what it ran to
that JSON file — cases, refusals (UserError), 4xx answers, 5xx answers, partial writes —
and ``make fuzz`` prints the totals; a crash fails the test (Hypothesis shrinks it).
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, settings

TARGETS = 9  # fuzz targets sharing the nightly budget
_QUIET = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile(
    "ci", max_examples=20, deadline=None, suppress_health_check=_QUIET, print_blob=True
)
settings.register_profile(
    "nightly",
    # rounded up, so that the targets together run at least FUZZ_CASES cases
    max_examples=-(-int(os.environ.get("FUZZ_CASES", "100000")) // TARGETS),
    deadline=None,
    suppress_health_check=_QUIET,
    print_blob=True,
)
PROFILE = os.environ.get("FUZZ_PROFILE", "ci")
FUZZ = settings.get_profile(PROFILE)

_counts: dict[str, Counter[str]] = {}
_lock = threading.Lock()


def tally(target: str, outcome: str) -> None:
    """Count one case of ``target`` ending in ``outcome`` (``ok``, ``refused``, ``4xx``…)."""
    with _lock:
        _counts.setdefault(target, Counter())[outcome] += 1


def write_report() -> None:
    """Add this session's counts to ``FUZZ_REPORT`` (a JSON object per target)."""
    out = os.environ.get("FUZZ_REPORT")
    if not out or not _counts:
        return
    path = Path(out)
    doc = json.loads(path.read_text()) if path.exists() else {}
    for target, counts in _counts.items():
        merged = Counter(doc.get(target, {}))
        merged.update(counts)
        doc[target] = dict(merged)
    path.write_text(json.dumps(doc, indent=2, sort_keys=True))
