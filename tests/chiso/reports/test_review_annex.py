"""The optional annex "Phụ lục: hồ sơ cần rà soát" (``chiso report --anomalies``): in the
DOCX when asked, absent otherwise, and the scored annexes identical either way."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from chiso.cli import cli
from chiso.synth.generator import generate
from chiso.synth.inject import inject, parse_rates, read_injected

TITLE = "PHỤ LỤC: HỒ SƠ CẦN RÀ SOÁT"


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("review") / "data"
    generate(folder, dossiers=4000, start=date(2026, 8, 1), end=date(2026, 11, 1), seed=11)
    inject(folder, parse_rates("all=0.03"), seed=5, stop=datetime(2026, 11, 1))
    return folder


def _report(folder: Path, out: Path, *extra: str) -> docx.document.Document:
    result = CliRunner().invoke(
        cli,
        ["report", "--data", str(folder), "--unit", "UBND tỉnh Điện Biên", "--period",
         "2026-09", "--format", "docx", "--out", str(out), *extra],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return docx.Document(result.output.split()[0])


def _text(document: docx.document.Document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def _cells(table: object) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]  # type: ignore[attr-defined]


def test_the_annex_lists_the_findings_only_when_asked(injected: Path, tmp_path: Path) -> None:
    plain = _report(injected, tmp_path / "plain")
    asked = _report(injected, tmp_path / "asked", "--anomalies")
    assert TITLE not in _text(plain)
    assert TITLE in _text(asked)
    annex = _cells(asked.tables[-1])
    assert annex[0] == ["TT", "Đơn vị", "Câu hỏi", "Số", "Hồ sơ đầu tiên", "Giải trình"]
    assert len(annex) > 5 and all(row[2].startswith("Vì sao") for row in annex[1:])
    truth = set(read_injected(injected)["dossier_code"])
    listed = {code for row in annex[1:] for code in row[4].split(", ") if code}
    assert listed and len(listed & truth) / len(listed) >= 0.8
    # findings never score: every table before the annex is the same
    assert len(asked.tables) == len(plain.tables) + 1
    assert [_cells(t) for t in asked.tables[:-1]] == [_cells(t) for t in plain.tables]


def test_the_annex_needs_dossier_records(tmp_path: Path) -> None:
    (tmp_path / "scores.csv").write_text("unit,tien_do\nMường Mùn,30\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["report", "--reported", str(tmp_path / "scores.csv"), "--unit", "UBND huyện Tuần Giáo",
         "--period", "2023-09", "--out", str(tmp_path / "out"), "--anomalies"],
    )  # fmt: skip
    assert result.exit_code != 0 and "--anomalies cần --data" in result.output
