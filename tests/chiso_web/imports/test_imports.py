"""Upload an export, read its validation report, confirm or cancel — within one's units.

Checking and importing are worker jobs: ``work()`` runs the queue synchronously with the
worker's own claim-and-run function."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chiso_web.audit.models import AuditEntry
from chiso_web.imports.models import ImportRun
from web_cast import ALICE_UNIT, CHARLIE_UNIT
from web_imports import HEADER, confirm, export, stored_codes, upload, work

pytestmark = pytest.mark.django_db


def test_alice_uploads_confirms_and_the_dossiers_are_in_the_data(
    client_as: Any, writable_data: Path
) -> None:
    alice = client_as("alice")
    answer = upload(alice, export(writable_data, [ALICE_UNIT, ALICE_UNIT]))
    assert answer.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == "validated"
    assert run.unit_codes == [ALICE_UNIT]
    page = alice.get(answer["Location"]).content.decode()
    assert "Thay đổi nếu xác nhận" in page and 'id="diff-new">2<' in page
    assert stored_codes(writable_data, ["WEB-0001", "WEB-0002"]) == set()  # dry run wrote nothing
    assert confirm(alice, run) == 302
    run.refresh_from_db()
    assert run.status == "confirmed"
    assert stored_codes(writable_data, ["WEB-0001", "WEB-0002"]) == {"WEB-0001", "WEB-0002"}
    entry = AuditEntry.objects.get(action="import")
    assert entry.actor == "alice" and entry.details["diff"]["new"] == 2
    doc = alice.get(f"/nhap-du-lieu/lan/{run.pk}.json").json()
    assert doc["run"]["status"] == "confirmed" and doc["run"]["new"] == 2


def test_a_bad_date_is_rejected_with_row_and_column_and_nothing_written(
    client_as: Any, writable_data: Path
) -> None:
    alice = client_as("alice")
    answer = upload(alice, export(writable_data, [ALICE_UNIT], received="31/02/2026 08:00"))
    run = ImportRun.objects.get()
    assert run.status == "rejected"
    assert run.issues[0]["row"] == 2 and run.issues[0]["column"] == "received_at"
    page = alice.get(answer["Location"]).content.decode()
    assert "Các dòng lỗi" in page and "31/02/2026 08:00" in page
    assert "<th>Dòng</th><th>Cột</th>" in page
    assert '<td data-label="Cột">Ngày tiếp nhận</td>' in page  # cards on a phone
    assert '<td data-label="Dòng">2</td>' in page and 'class="records cards" id="issues"' in page
    assert "received_at" not in page and "không phải ngày giờ hợp lệ" in page
    assert 'id="confirm"' not in page
    assert stored_codes(writable_data, ["WEB-0001"]) == set()
    assert alice.post(f"/nhap-du-lieu/lan/{run.pk}/xac-nhan/").status_code == 400
    assert stored_codes(writable_data, ["WEB-0001"]) == set()


def test_cancel_writes_nothing_and_deletes_the_files(
    client_as: Any, writable_data: Path, settings: Any
) -> None:
    alice = client_as("alice")
    upload(alice, export(writable_data, [ALICE_UNIT]))
    run = ImportRun.objects.get()
    folder = Path(settings.HOME) / "uploads" / run.key
    assert (folder / "xuat.csv").is_file()
    assert alice.post(f"/nhap-du-lieu/lan/{run.pk}/huy/").status_code == 302
    run.refresh_from_db()
    assert run.status == "cancelled"
    assert not folder.exists()
    assert stored_codes(writable_data, ["WEB-0001"]) == set()
    assert alice.post(f"/nhap-du-lieu/lan/{run.pk}/xac-nhan/").status_code == 400


def test_alice_cannot_import_rows_of_charlies_unit(client_as: Any, writable_data: Path) -> None:
    alice = client_as("alice")
    answer = upload(alice, export(writable_data, [ALICE_UNIT, CHARLIE_UNIT]))
    run = ImportRun.objects.get()
    assert run.status == "rejected"
    assert "xuat.csv, dòng 3" in run.message and CHARLIE_UNIT in run.message
    assert "ngoài phạm vi" in alice.get(answer["Location"]).content.decode()
    assert stored_codes(writable_data, ["WEB-0001", "WEB-0002"]) == set()


def test_alice_cannot_take_over_charlies_existing_dossier(
    client_as: Any, writable_data: Path
) -> None:
    con = duckdb.connect()
    row = con.execute(
        "SELECT dossier_code, procedure_code FROM read_parquet(?) WHERE unit_code = ? LIMIT 1",
        [f"{writable_data}/dossiers/**/*.parquet", CHARLIE_UNIT],
    ).fetchone()
    assert row is not None
    line = f"{row[0]},{ALICE_UNIT},{row[1]},direct,05/10/2026 08:00,,,processing\n"
    upload(client_as("alice"), (HEADER + line).encode())
    run = ImportRun.objects.get()
    assert run.status == "rejected" and CHARLIE_UNIT in run.message


def test_admin_may_import_any_unit_and_bob_his_subtree(client_as: Any, writable_data: Path) -> None:
    content = export(writable_data, [ALICE_UNIT, CHARLIE_UNIT])
    upload(client_as("bob"), content)
    upload(client_as("admin"), content)
    assert [r.status for r in ImportRun.objects.order_by("pk")] == ["validated", "validated"]


def test_leader_and_nobody_cannot_import(client_as: Any, writable_data: Path) -> None:
    content = export(writable_data, [ALICE_UNIT])
    assert upload(client_as("leader"), content).status_code == 403
    assert upload(client_as("nobody"), content).status_code == 403
    assert upload(client_as("alice"), content, table="procedures").status_code == 403
    assert not ImportRun.objects.exists()
    assert "chỉ xem" in client_as("leader").get("/nhap-du-lieu/").content.decode()


def test_wrong_file_type_is_one_clear_sentence(client_as: Any) -> None:
    answer = upload(client_as("alice"), b"hello", name="bao-cao.docx")
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "không phải CSV, XLSX, XLS hoặc ODS" in page and "Gợi ý" in page


def test_history_shows_each_officer_only_their_runs(client_as: Any, writable_data: Path) -> None:
    alice, charlie = client_as("alice"), client_as("charlie")
    upload(alice, export(writable_data, [ALICE_UNIT]))
    run = ImportRun.objects.get()
    assert [r["id"] for r in alice.get("/nhap-du-lieu/lich-su.json").json()["runs"]] == [run.pk]
    assert charlie.get("/nhap-du-lieu/lich-su.json").json()["runs"] == []
    assert charlie.get(f"/nhap-du-lieu/lan/{run.pk}/").status_code == 404
    assert charlie.get(f"/nhap-du-lieu/lan/{run.pk}.json").status_code == 404
    assert charlie.post(f"/nhap-du-lieu/lan/{run.pk}/huy/").status_code == 404
    bob_runs = client_as("bob").get("/nhap-du-lieu/lich-su.json").json()["runs"]
    assert [r["id"] for r in bob_runs] == [run.pk] and bob_runs[0]["openable"]
    assert client_as("bob").post(f"/nhap-du-lieu/lan/{run.pk}/huy/").status_code == 404
    assert len(client_as("leader").get("/nhap-du-lieu/lich-su.json").json()["runs"]) == 1
    assert "xuat.csv" in alice.get("/nhap-du-lieu/lich-su/").content.decode()


def test_a_run_touching_two_communes_is_listed_but_not_opened_by_one(
    client_as: Any, writable_data: Path
) -> None:
    upload(client_as("admin"), export(writable_data, [ALICE_UNIT, CHARLIE_UNIT]))
    run = ImportRun.objects.get()
    runs = client_as("charlie").get("/nhap-du-lieu/lich-su.json").json()["runs"]
    assert [r["id"] for r in runs] == [run.pk]
    assert runs[0]["openable"] is False and "issues" not in runs[0]
    assert client_as("charlie").get(f"/nhap-du-lieu/lan/{run.pk}.json").status_code == 404


def test_a_csv_and_an_xlsx_in_one_upload_and_a_second_confirm_is_refused(
    client_as: Any, writable_data: Path
) -> None:
    import io

    import openpyxl

    lines = export(writable_data, [ALICE_UNIT, ALICE_UNIT]).decode().splitlines()
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Danh sách hồ sơ tháng 10/2026"])  # a title block above the header
    for line in [lines[0], lines[2].replace("WEB-0002", "WEB-0003")]:
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    alice = client_as("alice")
    files = [
        SimpleUploadedFile("a.csv", (lines[0] + "\n" + lines[1] + "\n").encode()),
        SimpleUploadedFile("b.xlsx", buffer.getvalue()),
    ]
    assert alice.post("/nhap-du-lieu/", {"table": "dossiers", "files": files}).status_code == 302
    work()
    run = ImportRun.objects.get()
    assert run.status == "validated", run.message
    assert run.files == ["a.csv", "b.xlsx"] and run.diff["new"] == 2
    assert confirm(alice, run) == 302
    assert confirm(alice, run) == 400
    assert alice.post(f"/nhap-du-lieu/lan/{run.pk}/huy/").status_code == 400
    assert stored_codes(writable_data, ["WEB-0001", "WEB-0003"]) == {"WEB-0001", "WEB-0003"}
    assert AuditEntry.objects.filter(action="import").count() == 1


def test_a_rejected_runs_files_are_not_kept(
    client_as: Any, writable_data: Path, settings: Any
) -> None:
    upload(client_as("alice"), export(writable_data, [CHARLIE_UNIT]))
    run = ImportRun.objects.get()
    assert run.status == "rejected" and run.finished_at is not None
    assert not (Path(settings.HOME) / "uploads" / run.key).exists()


def test_the_report_lists_the_columns_the_export_lacks_and_the_indicators_they_affect(
    client_as: Any, writable_data: Path
) -> None:
    alice = client_as("alice")
    answer = upload(alice, export(writable_data, [ALICE_UNIT]))
    run = ImportRun.objects.get()
    page = alice.get(answer["Location"]).content.decode()
    assert "Cột không có trong tệp" in page
    row = page.split('<tr data-column="supplement_count">')[1].split("</tr>")[0]
    assert "“Số lần bổ sung”" in row and "coi là 0 lần yêu cầu bổ sung" in row
    assert "Tiến độ, KQ giải quyết" in row and "Mức độ hài lòng – Chỉ số 3" in row
    shown = re.sub(r"<[^>]+>", " ", row)  # what the officer reads: labels, not codes
    assert "tien_do" not in shown and "hailong_cs3" not in shown and "supplement_count" not in shown
    assert "(bộ Bộ chỉ số Điện Biên (QĐ 459/2023))" not in page
    assert "Chỉ số bị ảnh hưởng (theo Bộ chỉ số Điện Biên (QĐ 459/2023))" in page
    assert "dienbien-459-2023" not in re.sub(r"<[^>]+>", " ", page)
    absent = {a["column"]: a for a in run.diff["absent"]}
    assert "status" not in absent and "due_at" not in absent  # the export has them
    assert [i["code"] for i in absent["supplement_count"]["indicators"]] == [
        "tien_do",
        "hailong_cs3",
    ]
    assert confirm(alice, run) == 302
    run.refresh_from_db()
    assert run.status == "confirmed" and "supplement_count" in {
        a["column"] for a in run.diff["absent"]
    }
    lines = export(writable_data, [ALICE_UNIT]).decode().splitlines()
    full = [lines[0].replace(",status", ",status,Số lần bổ sung")] + [f"{x},0" for x in lines[1:]]
    upload(alice, ("\n".join(full) + "\n").encode())
    second = ImportRun.objects.order_by("-pk").first()
    assert second is not None and second.status == "validated"
    assert "supplement_count" not in {a["column"] for a in second.diff["absent"]}


def test_the_changes_name_the_columns_and_write_the_values_as_the_officer_reads_them(
    client_as: Any, writable_data: Path
) -> None:
    """Not "received_at 2026-10-05 08:00:00 → 2026-10-05 08:00:30", "channel direct → online"."""
    alice = client_as("alice")
    first = export(writable_data, [ALICE_UNIT])
    upload(alice, first)
    assert confirm(alice, ImportRun.objects.get()) == 302
    again = first.replace(b"direct,05/10/2026 08:00,", b"online,05/10/2026 08:00:30,")
    answer = upload(alice, again)
    run = ImportRun.objects.latest("pk")
    assert run.status == "validated" and run.diff["changed"] == 1
    page = alice.get(answer["Location"]).content.decode()
    changes = page[page.index("Cột thay đổi") :]
    for word in ("Ngày tiếp nhận", "Hình thức nộp", "05/10/2026 08:00", "05/10/2026 08:00:30"):
        assert f"<td>{word}</td>" in changes, word
    assert "<td>Trực tiếp</td>" in changes and "<td>Trực tuyến</td>" in changes
    for code in ("received_at", "2026-10-05", ">direct<", ">online<"):
        assert code not in changes.replace('data-column="received_at"', ""), code
    doc = alice.get(f"/nhap-du-lieu/lan/{run.pk}.json").json()["run"]["diff"]
    assert doc["columns"] == {"channel": 1, "received_at": 1}  # the JSON keeps the codes


def test_a_row_repeated_with_other_data_names_its_twin_without_the_server_folder(
    client_as: Any, writable_data: Path
) -> None:
    alice = client_as("alice")
    lines = export(writable_data, [ALICE_UNIT]).decode().splitlines()
    twin = lines[1].replace("06/10/2026 10:00", "06/10/2026 11:00")
    answer = upload(alice, ("\n".join([*lines, twin]) + "\n").encode(), name="xuat.csv")
    run = ImportRun.objects.get()
    assert run.status == "rejected" and run.issues, run.message
    reasons = " ".join(i["reason"] + " " + (i["hint"] or "") for i in run.issues)
    assert (
        "xuat.csv" in reasons
        and "uploads" not in reasons
        and "/" not in reasons.replace("/2026", "")
    )
    page = alice.get(answer["Location"]).content.decode()
    assert "/uploads/" not in page


def test_an_upload_keeps_the_officer_s_file_name(client_as: Any, writable_data: Path) -> None:
    """ "Danh sách hồ sơ tháng 10.csv" in the run and its rows with errors, not
    "Danh_sách_hồ_sơ_tháng_10.csv"."""
    alice = client_as("alice")
    bad = export(writable_data, [ALICE_UNIT], received="31/02/2026 08:00")
    upload(alice, bad, name="Danh sách hồ sơ tháng 10.csv")
    run = ImportRun.objects.get()
    assert run.files == ["Danh sách hồ sơ tháng 10.csv"]
    assert run.issues[0]["file"] == "Danh sách hồ sơ tháng 10.csv"


@pytest.mark.parametrize(
    ("uploaded", "kept"),
    [
        ("Danh sách  hồ sơ.xlsx", "Danh sách hồ sơ.xlsx"),
        ("C:\\Users\\vanthu\\Desktop\\xuat.csv", "xuat.csv"),
        ("../../etc/passwd.csv", "passwd.csv"),
        (".an.csv", "an.csv"),
        ('bao<cao>:"1"?.xlsx', "baocao1.xlsx"),
        ("..", "tep"),
    ],
)
def test_a_kept_name_has_no_folder_or_unsafe_character(uploaded: str, kept: str) -> None:
    from chiso_web.imports.runs import stored_name

    assert stored_name(uploaded) == kept
    assert stored_name("x" * 300 + ".xlsx").endswith(".xlsx")
