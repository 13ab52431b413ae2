"""``python -m chiso_web.jobs.child``: one isolated step (:mod:`chiso_web.jobs.isolation`).

Reads ``{"target", "payload", "answer"}`` on stdin, limits its memory first, sets Django
up, calls ``target(payload)`` and writes ``{"value": …}`` (or ``{"user_error": …}``) to
the ``answer`` file.  Exit status 3 after a MemoryError; a watchdog ends the child when
its parent is gone (no orphan keeps reading a file after the site stopped).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import threading
import time
from pathlib import Path
from typing import Any

OUT_OF_MEMORY = 3  # chiso_web.jobs.isolation.OUT_OF_MEMORY (not imported: keep this light)
ORPHANED = 4


def limit_memory(megabytes: int) -> None:
    """Cap the private writable memory (``RLIMIT_DATA``: the heap and private anonymous
    mappings, what a crafted file inflates; not the shared libraries) at ``megabytes``."""
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def out_of_memory(err: BaseException) -> bool:
    """Python's MemoryError or DuckDB's OutOfMemoryException (named: not imported here)."""
    return isinstance(err, MemoryError) or type(err).__name__ == "OutOfMemoryException"


def watch_parent() -> None:
    """End this process when the parent that waits for it is gone."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(ORPHANED)

    threading.Thread(target=watch, name="chiso-child-watchdog", daemon=True).start()


def main() -> int:
    """Run the step read on stdin; the exit status."""
    request = json.loads(sys.stdin.read())
    limit_memory(int(os.environ.get("CHISO_WORKER_MEMORY_MB", "2048")))
    watch_parent()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso_web.settings")
    try:
        import django
        from django.utils.module_loading import import_string

        from chiso.errors import UserError

        django.setup()
        function: Any = import_string(request["target"])
        try:
            answer: dict[str, Any] = {"value": function(request["payload"])}
        except UserError as err:
            answer = {"user_error": {"message": err.message, "hint": err.hint}}
        Path(request["answer"]).write_text(json.dumps(answer), encoding="utf-8")
    except Exception as err:
        if out_of_memory(err):
            os._exit(OUT_OF_MEMORY)  # no clean-up: it could need memory too
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
