"""Settings for type checking only: what mypy's django-stubs plugin imports.

The site's settings parse the ``CHISO_*`` environment at import and, without a secret key,
write a generated one into ``CHISO_HOME``. Here the environment is fixed first, so the
plugin loads the same settings on any machine, whatever ``CHISO_*`` the shell has, and no
file is written. The plugin restores the environment afterwards. Never used to serve.
"""

from __future__ import annotations

import os

for _name in [name for name in os.environ if name.startswith("CHISO_")]:
    del os.environ[_name]
os.environ["CHISO_SECRET_KEY"] = "type-checking-only"  # noqa: S105  (serves nothing)

from chiso_web.settings import *  # noqa: E402, F403  (the environment must be set first)
