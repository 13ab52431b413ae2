"""Django settings for the test suite: a throw-away CHISO_HOME and fixed secret.

The site database is SQLite unless ``CHISO_DATABASE_URL`` is set (the PostgreSQL run of
``make test`` sets it); the canonical data folder is generated once per session by
``tests/chiso_web/conftest.py``.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("CHISO_HOME", tempfile.mkdtemp(prefix="chiso-web-test-"))
os.environ.setdefault("CHISO_SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.setdefault("CHISO_NOW", "2026-10-29T09:00")
os.environ.setdefault("CHISO_WORKER", "0")

from chiso_web.settings import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests only
