"""A step that allocates memory on purpose: the test of the worker's memory limit, and an
operator's check of ``CHISO_WORKER_MEMORY_MB`` on a new server
(``isolation.call("chiso_web.jobs.probe.allocate", {"megabytes": 4096})`` must fail)."""

from __future__ import annotations

from typing import Any


def allocate(payload: dict[str, Any]) -> int:
    """Hold ``payload["megabytes"]`` MB of written memory at once; how many were held."""
    blocks = [bytearray(1024 * 1024) for _ in range(int(payload["megabytes"]))]
    return len(blocks)


def exhaust(payload: dict[str, Any]) -> int:
    """Allocate 64 MB blocks until memory runs out (never returns under a limit): a step
    that a crafted file could be, for the test of the crash path."""
    blocks: list[bytearray] = []
    while True:
        blocks.append(bytearray(64 * 1024 * 1024))
