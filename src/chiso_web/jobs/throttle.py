"""A periodic chore of the worker loop (a retention sweep) at most once every N seconds."""

from __future__ import annotations

import threading
import time


class Throttle:
    """Lets a periodic chore of the worker loop (a retention sweep) run at most once every
    ``seconds`` in this process, whatever the number of worker threads."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.next = 0.0
        self._lock = threading.Lock()

    def due(self) -> bool:
        """True (and the next turn moved ``seconds`` on) when the chore's turn has come."""
        with self._lock:
            if time.monotonic() < self.next:
                return False
            self.next = time.monotonic() + self.seconds
            return True
