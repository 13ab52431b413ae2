"""WSGI entry point (``chiso serve`` runs it with waitress)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso_web.settings")
application = get_wsgi_application()

from chiso_web.private import secure_process  # noqa: E402  (needs the settings loaded)

secure_process()
