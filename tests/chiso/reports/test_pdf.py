"""PDF through LibreOffice: every page rendered, inked, inside the margins, diacritics kept.

Skipped, with the reason printed, where LibreOffice (``soffice``) or poppler
(``pdftoppm``) is not installed; ``.ci/run`` installs both.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import docx
import pytest
from docx.shared import Mm
from pypdf import PdfReader

from chiso.reports.docx import template_for, write_docx
from chiso.reports.pdf import PageCheck, check_pdf, soffice, to_pdf
from chiso.reports.report_data import ReportContext

pytestmark = pytest.mark.skipif(
    soffice() is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice (soffice) or pdftoppm is not installed: "
    "apt-get install libreoffice-writer-nogui fonts-liberation poppler-utils",
)
DPI = 40
PX_PER_MM = DPI / 25.4


@pytest.fixture(scope="module")
def report_pdf(
    small_report: ReportContext, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("pdf")
    docx_path = write_docx(small_report, template_for("dienbien-459-2023"), out / "bao_cao.docx")
    return docx_path, to_pdf(docx_path, out)


def _inside_margins(check: PageCheck, left_mm: float, right_mm: float) -> bool:
    assert check.ink_box is not None
    left, _, right, _ = check.ink_box
    slack = 2 * PX_PER_MM
    return left >= left_mm * PX_PER_MM - slack and right <= check.size[0] - (
        right_mm * PX_PER_MM - slack
    )


def test_every_page_has_ink_and_stays_inside_its_margins(report_pdf: tuple[Path, Path]) -> None:
    checks, _ = check_pdf(report_pdf[1], dpi=DPI)
    assert len(checks) >= 4
    for check in checks:
        assert not check.blank, f"page {check.page} is blank"
        # NĐ 30: 30 mm on the left, 15 on the right, landscape annex pages too
        assert _inside_margins(check, 30, 15), f"page {check.page} overflows: {check}"
    assert not any(c.size[0] > c.size[1] for c in checks[:2])
    assert checks[-1].size[0] > checks[-1].size[1]


def test_the_text_layer_keeps_the_vietnamese_diacritics(report_pdf: tuple[Path, Path]) -> None:
    docx_path, pdf_path = report_pdf
    source = "\n".join(p.text for p in docx.Document(str(docx_path)).paragraphs)
    _, texts = check_pdf(pdf_path, dpi=DPI)
    layer = "".join(texts)
    assert "\ufffd" not in layer
    letters = {c for c in unicodedata.normalize("NFC", source) if c.isalpha() and ord(c) > 127}
    assert {"ộ", "ủ", "ệ", "Đ", "ư", "ơ", "ấ"} <= letters
    assert letters <= set(layer), letters - set(layer)
    # pypdf orders LibreOffice's precomposed glyphs oddly; poppler keeps reading order.
    ordered = subprocess.run(
        ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    ordered = unicodedata.normalize("NFC", ordered)
    for phrase in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                   "Kết quả đánh giá, xếp loại", "UBND xã Noọng Hẹt", "TỔNG SỐ"):  # fmt: skip
        assert phrase in ordered


def test_annex_pages_are_landscape_a4(report_pdf: tuple[Path, Path]) -> None:
    pages = PdfReader(report_pdf[1]).pages
    sizes = [(round(float(p.mediabox.width) / 72 * 25.4), round(float(p.mediabox.height) / 72
              * 25.4)) for p in pages]  # fmt: skip
    assert sizes[0] == (210, 297) and sizes[-1] == (297, 210)


def test_the_margin_check_catches_a_table_wider_than_the_page(tmp_path: Path) -> None:
    doc = docx.Document()
    section = doc.sections[0]
    section.left_margin = section.right_margin = Mm(20)
    table = doc.add_table(rows=2, cols=12)
    table.style = "Table Grid"
    table.autofit = False
    for column in table.columns:
        column.width = Mm(30)
    for cell in table.rows[0].cells:
        cell.width = Mm(30)
        cell.text = "Điểm"
    doc.save(str(tmp_path / "wide.docx"))
    [check], _ = check_pdf(to_pdf(tmp_path / "wide.docx", tmp_path), dpi=DPI)
    assert not check.blank
    assert not _inside_margins(check, 20, 20)
