"""Django settings for the test suite: a throw-away CHISO_HOME and fixed secret.

The site's clock is the demo's (29/10/2026 09:00).  The site database is SQLite (a file
in ``CHISO_HOME``, as in production) unless ``CHISO_DATABASE_URL`` is set (the PostgreSQL
run of ``make test`` sets it); the canonical data folder is generated once per session by
``tests/chiso_web/conftest.py``.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("CHISO_HOME", tempfile.mkdtemp(prefix="chiso-web-test-"))
os.environ.setdefault("CHISO_SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.setdefault("CHISO_WORKER", "0")

from chiso.domain.clock import DEMO_NOW
from chiso_web.settings import *

# The site's clock is the demo's unless CHISO_NOW says otherwise.  It is set on the parsed
# settings, not in os.environ: there the library's clock (chiso.domain.clock.now) would
# read it and move every library test of the session to that instant.
CHISO = {**CHISO, "CHISO_NOW": CHISO["CHISO_NOW"] or DEMO_NOW}

# The test database is a file, as the site's is, not SQLite's shared-cache memory database
# (Django's default), where a reader makes a writer fail at once ("database table is
# locked") instead of waiting: a worker thread's write then failed at random in CI.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _test_database = os.path.join(os.environ["CHISO_HOME"], "test-site.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": _test_database}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests only

# Steps that read a user's file run in a child process in production
# (chiso_web.jobs.isolation); a test's data lives in its own transaction, which a child
# cannot see, so tests run them here.  tests/chiso_web/imports/test_worker_process.py turns this
# off to run real children.
JOBS_IN_PROCESS = True
