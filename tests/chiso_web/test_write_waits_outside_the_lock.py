"""A site write that waits for another process's hold on the data folder (a `chiso
import`, `chiso compact`, an upload's dry-run comparison) waits without the data service's
lock: pages are served meanwhile, and the write lands when the folder is free."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from chiso.storage.targets import read_canonical
from chiso_web import data

GUARD = 60.0  # seconds: only turns a deadlock into a failure
HOLDER = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()
"""


@pytest.mark.django_db(transaction=True)
def test_pages_are_served_while_a_write_waits_for_another_process(
    client_as: Any, writable_data: Path
) -> None:
    admin = client_as("admin")
    stored = read_canonical(writable_data, "dossiers").slice(0, 1).to_pylist()[0]
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(writable_data)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        written = threading.Event()

        def write() -> None:
            try:
                data.write_rows("dossiers", [{**stored, "dossier_code": "WAITED-1"}])
                written.set()
            finally:
                connection.close()  # a thread's own database connection

        thread = threading.Thread(target=write, daemon=True)
        thread.start()
        assert not written.wait(0.5)  # the other process holds the folder
        answered: list[int] = []

        def ask() -> None:
            try:
                page = admin.get("/xep-hang.json?level=kind:xa,phuong&period=2026-07")
                answered.append(page.status_code)
            finally:
                connection.close()

        page = threading.Thread(target=ask, daemon=True)
        page.start()
        page.join(GUARD)
        assert answered == [200], "the page waited for the write"
        assert not written.is_set()
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(GUARD)
    thread.join(GUARD)
    assert written.is_set()
    codes = read_canonical(writable_data, "dossiers").column("dossier_code").to_pylist()
    assert "WAITED-1" in codes
