"""A report cites the legal basis in force for its period (chiso.domain.legal)."""

from __future__ import annotations

from pathlib import Path

import docx
from click.testing import CliRunner

from chiso.cli import cli

ND61_CSV = """unit,tc1,tc2,tc3,tc4,tc5,tc6,tc7,tc8,tc9,staff_average
Sở Tư pháp,2,2,2,2,2,2,2,2,2,10
UBND huyện Mường Chà,"1,79","1,79","1,98","1,98","1,79",2,1,2,0,"9,93"
"""


def _preamble(tmp_path: Path, period: str) -> str:
    scores = tmp_path / "nd61.csv"
    scores.write_text(ND61_CSV, encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["report", "--reported", str(scores), "--index-set", "nd61-tt01-2018",
         "--unit", "UBND tỉnh Điện Biên", "--period", period, "--out", str(tmp_path / period)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    path = next(p for p in result.output.split() if p.endswith(".docx"))
    texts = [p.text for p in docx.Document(path).paragraphs]
    return next(t for t in texts if t.startswith("Thực hiện đánh giá"))


def test_the_annual_report_of_2024_cites_decree_61_and_circular_01(tmp_path: Path) -> None:
    text = _preamble(tmp_path, "2024")
    assert "Nghị định số 61/2018/NĐ-CP" in text and "Thông tư số 01/2018/TT-VPCP" in text
    assert "118/2025" not in text


def test_the_annual_report_of_2026_cites_decree_118_and_circular_03(tmp_path: Path) -> None:
    text = _preamble(tmp_path, "2026")
    assert "Nghị định số 118/2025/NĐ-CP" in text and "Thông tư số 03/2025/TT-VPCP" in text
    assert "61/2018/NĐ-CP" not in text.replace("Nghị định số 118/2025/NĐ-CP", "")
    assert "Quyết định số 1187/QĐ-UBND" in text  # the province's own decision stays
