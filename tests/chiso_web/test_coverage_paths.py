"""One rule for which units count: ``chiso score``, the report (library and web job), the
dashboard and the published snapshot agree on a month in which some units have no dossier.

The rule is the engine's (``chiso.engine.coverage``); this test feeds the same data folder
through the four paths and compares which units are scored, their classes and ranks, the
class counts and the average.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client
from docx import Document

from chiso.cli import cli
from chiso.domain.periods import parse_period
from chiso.domain.ranking import collation_key
from chiso.domain.rounding import format_vn, round_score
from chiso.reports.build import from_store
from chiso.reports.profile import load_profile
from chiso.reports.report_data import ReportOptions
from chiso.spec.loader import load_index_set
from chiso.storage.store import open_folder
from chiso_web.publications.models import Publication
from chiso_web.reports.models import ReportRequest, Status
from chiso_web.reports.worker import run_one
from web_cast import BOB_UNIT, dossiers_by_unit

pytestmark = pytest.mark.django_db
OCT = "2026-10"
INDEX_SET = "dienbien-459-2023"
NO_DATA = "Chưa có dữ liệu"


def _classes(units: list[dict[str, Any]]) -> Counter[str]:
    return Counter(u["class"] for u in units if u["has_data"])


def _mean(values: list[Any]) -> Fraction:
    return sum((Fraction(str(v)) for v in values), Fraction(0)) / len(values)


def _docx(client: Client, job: int) -> bytes:
    answer = client.get(f"/bao-cao/{job}/docx/")
    assert answer.status_code == 200, answer.content[:500]
    return b"".join(answer.streaming_content)


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_score_report_dashboard_and_snapshot_count_the_same_units(
    settings: Any,
    client_as: Any,
    web_data: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    # October is over for the site and for the command line alike
    monkeypatch.setenv("CHISO_NOW", "2026-11-05T09:00")
    settings.CHISO = {**settings.CHISO, "CHISO_NOW": datetime(2026, 11, 5, 9, 0)}

    # 1. chiso score --format json
    out = CliRunner().invoke(
        cli, ["score", "--data", str(web_data), "--period", OCT, "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    scored_doc = json.loads(out.output)
    units = scored_doc["units"]
    empty = [u for u in units if not u["has_data"]]
    with_data = [u for u in units if u["has_data"]]
    dossiers = Counter(dossiers_by_unit(web_data, "2026-10-01", "2026-11-01"))
    assert empty, "the synthetic province has units without a dossier in October"
    assert all(dossiers[u["unit_code"]] == 0 for u in empty)
    assert any(u["name"].startswith("Trung tâm Phục vụ hành chính công") for u in empty)
    for u in empty:
        assert [u[k] for k in ("total", "converted", "converted_exact", "class", "rank")] == [
            None
        ] * 5
    # the scored units first, ranked among themselves; then the others by name
    assert units == with_data + empty
    assert [u["rank"] for u in with_data] == sorted(u["rank"] for u in with_data)
    for u in with_data:
        above = sum(1 for o in with_data if o["converted_exact"] > u["converted_exact"])
        assert u["rank"] == above + 1
    assert [u["name"] for u in empty] == sorted((u["name"] for u in empty), key=collation_key)
    ranks = {u["unit_code"]: u["rank"] for u in units}
    classes = _classes(units)
    mean = _mean([u["converted_exact"] for u in with_data])

    # 2. the dashboard's JSON twin
    admin = client_as("admin")
    dash = admin.get("/xep-hang.json", {"period": OCT}).json()
    assert {u["unit_code"]: u["rank"] for u in dash["units"]} == ranks
    assert _classes(dash["units"]) == classes
    assert {d["grade"]: d["count"] for d in dash["distribution"] if d["count"]} == classes
    assert dash["units_with_data"] == len(with_data)
    dash_scored = [u["converted_exact"] for u in dash["units"] if u["has_data"]]
    assert _mean(dash_scored) == mean

    # 3. the published snapshot
    answer = admin.post(f"/cong-bo/{OCT}/cong-bo/", {"index_set": INDEX_SET, "note": ""})
    assert answer.status_code == 302
    snapshot = Publication.objects.get(period=OCT).payload
    assert {u["unit_code"]: u["rank"] for u in snapshot["units"]} == ranks
    assert _classes(snapshot["units"]) == classes
    assert {d["grade"]: d["count"] for d in snapshot["distribution"] if d["count"]} == classes
    rounded = [u["converted"] for u in units if u["has_data"]]
    assert _mean([u["converted"] for u in snapshot["units"] if u["has_data"]]) == _mean(rounded)

    # 4. the report of the province (its units are every unit scored above)
    index_set = load_index_set(INDEX_SET)
    ctx = from_store(
        open_folder(web_data),
        index_set,
        parse_period(OCT),
        BOB_UNIT,
        profile=load_profile(),
        options=ReportOptions(),
    )
    sentences = ctx.sentences()
    evaluated = [s for s in sentences if s.rule == "evaluated"]
    assert sum(s.count or 0 for s in evaluated) == len(with_data)
    assert sum(s.total or 0 for s in evaluated) == len(units)
    by_grade = Counter[str]()
    for s in sentences:
        if s.rule == "grade" and s.subject is not None:
            by_grade[s.subject] += s.count or 0
    assert +by_grade == classes
    not_scored = {c for s in sentences if s.rule == "not_scored" for c in s.units}
    assert not_scored == {u["unit_code"] for u in empty}
    (average,) = [s for s in sentences if s.rule == "average"]
    assert average.count == len(with_data)
    assert format_vn(round_score(mean, mode="truncate", decimals=2)) in average.text
    annex = ctx.annex("bieu_01")
    assert annex is not None
    rows = [r for r in annex.rows if r.kind == "unit"]
    grades = {r.unit_code: r.cells[-1].text for r in rows}
    labels = {u["unit_code"]: u["class_label"] or NO_DATA for u in units}
    assert grades == labels
    sections: list[list[str]] = []
    for r in annex.rows:  # each section's rows in the ranking's order, unscored last
        if r.kind == "section" or not sections:
            sections.append([])
        if r.kind == "unit" and r.unit_code is not None:
            sections[-1].append(r.unit_code)
    for codes in sections:
        assert codes == [u["unit_code"] for u in units if u["unit_code"] in set(codes)]

    # ... and the web report job renders the same sentences and rows
    bob = client_as("bob")
    answer = bob.post(
        "/bao-cao/",
        {"unit": BOB_UNIT, "period": OCT, "index_set": INDEX_SET, "formats": ["docx"]},
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    job = int(answer["Location"].rstrip("/").split("/")[-1])
    run_one()
    row = ReportRequest.objects.get(pk=job)
    assert row.status == Status.DONE, row.error
    content = _docx(bob, job)
    text = _docx_text(content)
    for sentence in [*evaluated, average]:
        assert sentence.text in text
    assert text.count(NO_DATA) >= len(empty)
    # chiso check-report reads the rows without data as listed, not evaluated
    (tmp_path / "report.docx").write_bytes(content)
    checked = CliRunner().invoke(cli, [
        "check-report", str(tmp_path / "report.docx"), "--index-set", INDEX_SET,
        "--period", OCT, "--unit", BOB_UNIT, "--format", "json",
    ])  # fmt: skip
    findings = json.loads(checked.output)["findings"]
    assert not [f for f in findings if f["kind"] == "count"], findings
