"""The imports app's steps the web tests share: exports to upload, the worker run in
place, confirmation, manual values and report checks (``tests/chiso_web/imports``,
``units``, the personal-data test)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import duckdb
from django.core.files.uploadedfile import SimpleUploadedFile

from chiso_web import data
from chiso_web.imports.jobs import run_one
from chiso_web.imports.models import ImportRun
from web_cast import ALICE_UNIT

IMPORT_PAGE = "/nhap-du-lieu/"
HEADER = "dossier_code,unit_code,procedure_code,channel,received_at,due_at,finished_at,status\n"


def a_procedure(folder: Path) -> str:
    """A procedure code of the data's catalogue."""
    con = duckdb.connect()
    row = con.execute(
        f"SELECT min(procedure_code) FROM read_parquet('{folder}/procedures.parquet')"
    ).fetchone()
    assert row is not None
    return str(row[0])


def stored_codes(folder: Path, codes: list[str]) -> set[str]:
    """Which of ``codes`` the data's dossiers hold."""
    con = duckdb.connect()
    found = con.execute(
        f"SELECT dossier_code FROM read_parquet('{folder}/dossiers/**/*.parquet') "
        "WHERE dossier_code IN (SELECT unnest(?))",
        [codes],
    ).fetchall()
    return {r[0] for r in found}


def export(folder: Path, units: list[str], *, received: str = "05/10/2026 08:00") -> bytes:
    """A CSV export with one new dossier per unit (real procedure codes)."""
    proc = a_procedure(folder)
    lines = [
        f"WEB-{n:04d},{unit},{proc},direct,{received},07/10/2026 17:00,06/10/2026 10:00,finished"
        for n, unit in enumerate(units, start=1)
    ]
    return (HEADER + "\n".join(lines) + "\n").encode()


def work() -> int:
    """Run every waiting import job as the worker does; how many ran."""
    done = 0
    while run_one() is not None:
        done += 1
    return done


def upload(client: Any, content: bytes, table: str = "dossiers", name: str = "xuat.csv") -> Any:
    """Upload one file and let the worker check it."""
    answer = client.post(
        "/nhap-du-lieu/", {"table": table, "files": SimpleUploadedFile(name, content)}
    )
    work()
    return answer


def confirm(client: Any, run: ImportRun) -> int:
    """Confirm a run and let the worker import it; the confirmation's status code."""
    status = int(client.post(f"/nhap-du-lieu/lan/{run.pk}/xac-nhan/").status_code)
    work()
    return status


def queue(client: Any, content: bytes, name: str = "xuat.csv") -> ImportRun:
    """Upload without running the worker: the run waits in the queue."""
    answer = client.post(
        IMPORT_PAGE, {"table": "dossiers", "files": SimpleUploadedFile(name, content)}
    )
    assert answer.status_code == 302
    run = ImportRun.objects.get(pk=int(answer["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert answer["Location"] == f"{IMPORT_PAGE}lan/{run.pk}/"
    return run


MANUAL_INDEX_SET = "vn-766-portal-2025"
MANUAL_PAGE = "/nhap-du-lieu/gia-tri-thu-cong/"


def post_manual_value(client: Any, **fields: Any) -> Any:
    """Enter a manual value (alice's commune, October 2026, 5 points unless ``fields``)."""
    form = {
        "index_set": MANUAL_INDEX_SET,
        "indicator": "publish_on_time",
        "unit": ALICE_UNIT,
        "period": "2026-10",
        "value": "5",
        "note": "Công văn 12/UBND ngày 20/10/2026",
        **fields,
    }
    return client.post(MANUAL_PAGE, form)


def page_text(answer: Any) -> str:
    """The answer's HTML with its entities decoded."""
    return html.unescape(answer.content.decode())


def stored_manual_values() -> list[dict[str, Any]]:
    """The rows of the data's ``manual_values`` table (none without the table)."""

    def read(store: Any) -> list[dict[str, Any]]:
        if not store.has("manual_values"):
            return []
        return store.to_pyarrow(store.table("manual_values")).to_pylist()  # type: ignore[no-any-return]

    return data.service().query(read)


SEEDS = Path(__file__).parent / "fixtures" / "seeds"
CHECK_PAGE = "/nhap-du-lieu/kiem-tra-bao-cao/"


def report_seed(n: str) -> SimpleUploadedFile:
    """Seeded report ``n`` (``tests/fixtures/seeds``) as an uploaded file."""
    path = next(SEEDS.glob(f"{n}_*.txt"))
    return SimpleUploadedFile(f"BC_{n}.txt", path.read_bytes())
