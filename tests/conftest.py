"""Shared test set-up: skip engine tiers visibly when their server is absent."""

from __future__ import annotations

import shutil
import socket

import pytest


def _postgres_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the postgres and spark tiers, with a reason, when they cannot run here."""
    skip_pg = (
        None
        if _postgres_up()
        else pytest.mark.skip(
            reason="PostgreSQL is not reachable at 127.0.0.1:5432 (start it; .ci/run does)"
        )
    )
    skip_spark = (
        None if shutil.which("java") else pytest.mark.skip(reason="PySpark needs Java 17 on PATH")
    )
    for item in items:
        if skip_pg is not None and "postgres" in item.keywords:
            item.add_marker(skip_pg)
        if skip_spark is not None and "spark" in item.keywords:
            item.add_marker(skip_spark)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the fuzz suite's tally when ``FUZZ_REPORT`` asks for it (make fuzz)."""
    from fuzzing import write_report

    write_report()
