"""The report form's "Hồ sơ cần rà soát" checkbox: the annex of anomaly findings, with
the administrator's "đã giải trình" notes, in the DOCX only when ticked."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from docx import Document

from chiso.synth.inject import inject, parse_rates
from chiso_web.reports.models import ReportRequest
from chiso_web.reports.worker import run_one
from web_cast import ALICE_UNIT

pytestmark = pytest.mark.django_db
TITLE = "PHỤ LỤC: HỒ SƠ CẦN RÀ SOÁT"
NOTE = "Có văn bản gia hạn số 12/UBND"


@pytest.fixture
def injected(writable_data: Path) -> Path:
    inject(writable_data, parse_rates("all=0.03"), seed=5, stop=datetime(2026, 11, 1))
    return writable_data


def _docx_text(client: Client, **fields: Any) -> str:
    form = {"unit": ALICE_UNIT, "period": "2026-09", "index_set": "dienbien-459-2023"}
    answer = client.post("/bao-cao/", {**form, "formats": ["docx"], **fields})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    job = int(answer["Location"].rstrip("/").split("/")[-1])
    assert ReportRequest.objects.get(pk=job).options.get("anomalies") == ("1" if fields else None)
    done = run_one()
    assert done is not None and done.error == ""
    content = b"".join(client.get(f"/bao-cao/{job}/docx/").streaming_content)
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_annex_is_in_the_report_only_when_ticked(injected: Path, client_as: Any) -> None:
    alice, admin = client_as("alice"), client_as("admin")
    assert "Hồ sơ cần rà soát" in alice.get("/bao-cao/").content.decode()
    doc = admin.get(f"/bat-thuong.json?period=2026-09&unit={ALICE_UNIT}").json()
    rule = doc["units"][0]["findings"][0]["rule"]
    fields = {"unit": ALICE_UNIT, "period": "2026-09", "rule": rule, "note": NOTE}
    assert admin.post("/bat-thuong/giai-trinh/", fields).status_code == 302
    plain = _docx_text(alice)
    assert TITLE not in plain
    asked = _docx_text(alice, anomalies="on")
    assert TITLE in asked and "Vì sao" in asked and NOTE in asked
