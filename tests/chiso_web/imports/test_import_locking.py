"""An upload is checked outside the data service's lock: the dashboard is served while a
slow check runs, and only the write holds the lock.  What changed between the check and
the write is caught under the lock: new units or procedures check the rows again, a moved
record checks the scope again (threads ordered by events, not by sleeps)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from django.db import connection

from chiso.ingest.importer import CheckedImport
from chiso.storage.targets import read_canonical
from chiso_web import data
from chiso_web.imports import runs
from chiso_web.imports.jobs import run_one
from chiso_web.imports.models import ImportRun
from folder_lock import free_for_another_process
from web_cast import ALICE_UNIT, CHARLIE_UNIT
from web_imports import a_procedure, export, queue, stored_codes, work

GUARD = 60.0  # seconds: only turns a deadlock into a failure, never waited for when it works
RANKING = "/xep-hang.json?level=kind:xa,phuong&period="


class PausedCheck:
    """The worker's next step in a thread, stopped inside its check (after the first block
    of rows) until :meth:`release`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.checking = threading.Event()
        self._release = threading.Event()
        self.released_in_time = False
        self.outcome: dict[str, Any] = {}
        self._thread = threading.Thread(target=self._run, daemon=True)
        real = runs._progress

        def progress(run: ImportRun) -> Callable[[int], None]:
            step = real(run)

            def paused(rows: int) -> None:
                if not self.checking.is_set():
                    self.checking.set()
                    self.released_in_time = self._release.wait(GUARD)
                step(rows)

            return paused

        monkeypatch.setattr(runs, "_progress", progress)

    def _run(self) -> None:
        try:
            self.outcome["run"] = run_one()
        except Exception as err:  # reported by the test, not lost in the thread
            self.outcome["error"] = err
        finally:
            connection.close()

    def start(self) -> None:
        self._thread.start()
        assert self.checking.wait(GUARD), self.outcome

    def release(self) -> None:
        self._release.set()
        self._thread.join(GUARD)


@pytest.fixture
def paused(monkeypatch: pytest.MonkeyPatch) -> Iterator[PausedCheck]:
    check = PausedCheck(monkeypatch)
    yield check
    check.release()  # a failed test must not leave the thread waiting


def ranked(client: Any, period: str) -> None:
    answer = client.get(RANKING + period)
    assert answer.status_code == 200 and answer.json()["units"]


@pytest.mark.django_db(transaction=True)
def test_scores_are_served_while_an_upload_is_checked_and_while_it_is_imported(
    client_as: Any, writable_data: Path, paused: PausedCheck, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice, admin = client_as("alice"), client_as("admin")
    run = queue(alice, export(writable_data, [ALICE_UNIT, ALICE_UNIT]))
    paused.start()
    ranked(admin, "2026-08")  # not cached: it needs the data service's lock
    paused.release()
    assert paused.released_in_time, "the score request waited for the check"
    run.refresh_from_db()
    assert run.status == "validated", paused.outcome

    assert alice.post(f"/nhap-du-lieu/lan/{run.pk}/xac-nhan/").status_code == 302
    confirming = PausedCheck(monkeypatch)
    confirming.start()
    ranked(admin, "2026-09")
    confirming.release()
    assert confirming.released_in_time, "the score request waited for the import's check"
    run.refresh_from_db()
    assert run.status == "confirmed", (run.message, confirming.outcome)
    assert stored_codes(writable_data, ["WEB-0001", "WEB-0002"]) == {"WEB-0001", "WEB-0002"}


def _during_the_check(monkeypatch: pytest.MonkeyPatch, change: Callable[[], None]) -> None:
    """Make ``change`` once, after the first block of the next check is read."""
    real = runs._progress
    done: list[bool] = []

    def progress(run: ImportRun) -> Callable[[int], None]:
        step = real(run)

        def changing(rows: int) -> None:
            if not done:
                done.append(True)
                change()
            step(rows)

        return changing

    monkeypatch.setattr(runs, "_progress", progress)


def _confirmed(client: Any, folder: Path) -> ImportRun:
    """A checked upload of Alice's unit, confirmed: the next work step imports it."""
    run = queue(client, export(folder, [ALICE_UNIT]))
    work()
    assert client.post(f"/nhap-du-lieu/lan/{run.pk}/xac-nhan/").status_code == 302
    return run


@pytest.mark.django_db
def test_procedures_changed_during_the_check_make_the_import_check_again(
    client_as: Any, writable_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _confirmed(client_as("alice"), writable_data)
    used = a_procedure(writable_data)

    def drop_the_procedure() -> None:  # as another process replacing the catalogue would
        path = writable_data / "procedures.parquet"
        table = pq.read_table(path)
        pq.write_table(table.filter(pc.field("procedure_code") != used), f"{path}.new")
        os.replace(f"{path}.new", path)

    _during_the_check(monkeypatch, drop_the_procedure)
    work()
    run.refresh_from_db()
    assert (run.status, run.bad_rows, run.hint) == ("rejected", 1, runs.CHANGED_HINT)
    assert run.issues[0]["column"] == "procedure_code" and run.issues[0]["value"] == used
    assert stored_codes(writable_data, ["WEB-0001"]) == set()


@pytest.mark.django_db
def test_a_record_moved_to_another_unit_after_the_scope_check_is_refused(
    client_as: Any, writable_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = client_as("alice")
    stored = read_canonical(writable_data, "dossiers").to_pylist()
    mine = min((r for r in stored if r["unit_code"] == ALICE_UNIT), key=lambda r: r["dossier_code"])
    line = f"{mine['dossier_code']},{ALICE_UNIT},{mine['procedure_code']},direct,"
    content = export(writable_data, []).decode() + line + "05/10/2026 08:00,,,processing\n"
    run = queue(alice, content.encode())
    work()
    run.refresh_from_db()
    assert run.status == "validated", run.message
    assert alice.post(f"/nhap-du-lieu/lan/{run.pk}/xac-nhan/").status_code == 302
    real = runs.stored_units
    moved: list[bool] = []

    def then_moved(*args: Any) -> dict[str, str]:
        found = real(*args)
        if not moved:  # an administrator moves the dossier right after the check read it
            moved.append(True)
            data.write_rows("dossiers", [{**mine, "unit_code": CHARLIE_UNIT}])
        return found

    monkeypatch.setattr(runs, "stored_units", then_moved)
    work()
    run.refresh_from_db()
    assert run.status == "rejected" and "ngoài phạm vi" in run.message, run.message
    assert CHARLIE_UNIT in run.message and run.hint == runs.SCOPE_HINT


@pytest.mark.django_db
def test_no_other_process_writes_between_the_last_look_and_the_write(
    client_as: Any, writable_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _confirmed(client_as("alice"), writable_data)
    real = CheckedImport.still_valid
    seen: list[bool] = []

    def looked(self: CheckedImport) -> bool:
        seen.append(free_for_another_process(writable_data))
        return real(self)

    monkeypatch.setattr(CheckedImport, "still_valid", looked)
    work()
    run.refresh_from_db()
    assert run.status == "confirmed", run.message
    assert seen == [False]  # the folder was held from the look on
    assert free_for_another_process(writable_data)
