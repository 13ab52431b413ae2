"""WSGI entry point (``chiso serve`` runs it with waitress)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso_web.settings")
from chiso_web.proxy import TrustedProxies

application = TrustedProxies(get_wsgi_application(), settings.CHISO["CHISO_TRUSTED_PROXIES"])

from chiso_web.private import secure_process  # noqa: E402  (needs the settings loaded)

secure_process()
