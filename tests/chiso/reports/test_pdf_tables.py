"""The PDF keeps every table word whole, every table row on one page, every header whole.

For the demo's province and commune reports and for a NĐ 61 annual report, each
word of each DOCX table cell must be a word of the PDF (poppler's word boxes: a
word broken by a line break inside its cell comes out as two fragments on two
lines); each annex row's words must all be found on one page (a row split across
pages leaves part of them on the next); and each page holding an annex's rows
must show all of its header's words (a repeated header can be clipped).  Skipped,
with the reason printed, where LibreOffice (``soffice``) or poppler is not
installed; ``.ci/run`` installs both.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Iterator
from datetime import date
from html import unescape
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from chiso.cli import cli
from chiso.domain.periods import Period
from chiso.domain.units import UnitTree
from chiso.reports.pdf import soffice
from chiso.spec.loader import load_index_set
from chiso.storage.store import open_folder

pytestmark = pytest.mark.skipif(
    soffice() is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or pdftotext is not installed: "
    "apt-get install libreoffice-writer-nogui fonts-liberation poppler-utils",
)
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>'
)
#: Glyphs of one word set in two fonts (Liberation Serif lacks ơ, ư…) sit this close.
JOIN_PT = 1.0


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def pdf_pages(pdf: Path) -> list[Counter[str]]:
    """The words of each page: poppler's word boxes, rejoined where one word's glyphs
    come from two fonts (same line, no gap), never across lines."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        words: list[str] = []
        last: tuple[float, float] | None = None  # (yMin, xMax) of the previous box
        for x0, y0, x1, text in WORD.findall(page):
            box = (float(y0), float(x1))
            # poppler may list a line's words out of order: only a box that starts where the
            # previous one ends continues it (a box far to its left is another word)
            if (
                last is not None
                and abs(box[0] - last[0]) < 0.5
                and abs(float(x0) - last[1]) < JOIN_PT
            ):
                words[-1] += _nfc(unescape(text))
            else:
                words.append(_nfc(unescape(text)))
            last = box
        pages.append(Counter(words))
    return pages


def _cell_text(tc: Any) -> str:
    return "\n".join(Paragraph(p, None).text for p in tc.iter(qn("w:p")))


def _rows(tbl: Any) -> Iterator[tuple[bool, list[str]]]:
    for tr in tbl.iterchildren(qn("w:tr")):
        header = tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        yield (
            header,
            [w for tc in tr.iterchildren(qn("w:tc")) for w in _nfc(_cell_text(tc)).split()],
        )


def table_rows(path: Path) -> Iterator[tuple[bool, list[str]]]:
    """(is an annex body row, the words of its cells) for every row of every table."""
    for table in docx.Document(str(path)).tables:
        annex = table._tbl.find(f".//{qn('w:tblHeader')}") is not None
        for header, words in _rows(table._tbl):
            yield annex and not header, words


def broken_words(docx_path: Path, pdf: Path) -> set[str]:
    """Words of the DOCX tables that the PDF does not print whole."""
    printed = set().union(*pdf_pages(pdf))
    return {w for _, words in table_rows(docx_path) for w in words} - printed


def annex_pages(docx_path: Path, pdf: Path) -> list[tuple[Counter[str], list[int | None]]]:
    """For each annex: its header's words and the page of each body row (None: no page
    holds all of the row's words).  Rows are looked for in order from the page of
    the previous row; an annex's first row on a page that also shows its header."""
    pages = pdf_pages(pdf)
    at, out = 0, []
    for table in docx.Document(str(docx_path)).tables:
        rows = list(_rows(table._tbl))
        header = Counter(w for is_header, words in rows if is_header for w in words)
        if not header:
            continue
        found: list[int | None] = []
        for is_header, words in rows:
            if is_header or not words:
                continue
            need = Counter(words) + (Counter() if found else header)
            page = next((n for n in range(at, len(pages)) if need <= pages[n]), None)
            found.append(page)
            at = at if page is None else page
        out.append((header, found))
    return out


def split_rows(docx_path: Path, pdf: Path) -> int:
    """How many annex rows have their words on two pages."""
    return sum(found.count(None) for _, found in annex_pages(docx_path, pdf))


def clipped_headers(docx_path: Path, pdf: Path) -> list[int]:
    """Pages holding rows of an annex whose repeated header lacks some of its words."""
    pages = pdf_pages(pdf)
    return [
        n + 1
        for header, found in annex_pages(docx_path, pdf)
        for n in sorted({p for p in found if p is not None})
        if not header <= pages[n]
    ]


@pytest.fixture(scope="module")
def demo_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    from chiso.reports.demo import write_demo_reports
    from chiso.synth.generator import generate

    tmp = tmp_path_factory.mktemp("demo-pdf")
    generate(tmp / "data", dossiers=3000, start=date(2026, 9, 1), end=date(2026, 11, 1))
    files = write_demo_reports(
        open_folder(tmp / "data"), load_index_set("dienbien-459-2023"),
        Period.of_month(2026, 10), tmp / "out",
    )  # fmt: skip
    out = {}
    for f in files:
        assert f.docx is not None and f.pdf is not None
        out[f.docx.stem.removeprefix("bao-cao-").removesuffix("-2026-10")] = (f.docx, f.pdf)
    return out


@pytest.fixture(scope="module")
def annual_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The NĐ 61 annual report of every department and district of 2022."""
    tmp = tmp_path_factory.mktemp("nd61-pdf")
    units = UnitTree.dienbien().children("11", on=date(2022, 12, 31))
    lines = ["unit,tc1,tc2,tc3,tc4,tc5,tc6,tc7,tc8,tc9,staff_average"]
    for n, unit in enumerate(units):
        cells = [f'"{2 - (n * k % 7) / 20:.2f}"'.replace(".", ",") for k in range(1, 10)]
        lines.append(",".join([f'"{unit.name}"', *cells, f'"{9 + (n % 10) / 10:.2f}"'.replace(
            ".", ",")]))  # fmt: skip
    (tmp / "nd61.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, [
        "report", "--reported", str(tmp / "nd61.csv"), "--index-set", "nd61-tt01-2018",
        "--unit", "UBND tỉnh Điện Biên", "--period", "2022", "--number", "401",
        "--format", "docx,pdf", "--out", str(tmp / "out"),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    paths = {Path(p).suffix: Path(p) for p in result.output.split()}
    return paths[".docx"], paths[".pdf"]


@pytest.mark.parametrize("report", ["tinh-dien-bien", "xa-muong-ang"])
def test_demo_report_tables_keep_every_word_whole_and_every_row_on_one_page(
    demo_reports: dict[str, tuple[Path, Path]], report: str
) -> None:
    docx_path, pdf = demo_reports[report]
    assert not broken_words(docx_path, pdf)
    assert not split_rows(docx_path, pdf)
    assert not clipped_headers(docx_path, pdf)


def test_annual_report_tables_keep_every_word_whole_and_every_row_on_one_page(
    annual_report: tuple[Path, Path],
) -> None:
    docx_path, pdf = annual_report
    rows = [words for body, words in table_rows(docx_path) if body]
    assert len(rows) > 20
    assert not broken_words(docx_path, pdf)
    assert not split_rows(docx_path, pdf)
    assert not clipped_headers(docx_path, pdf)
    assert not clipped_headers(docx_path, pdf)


def test_the_pdf_metadata_names_the_trich_yeu_and_the_issuing_body(
    demo_reports: dict[str, tuple[Path, Path]],
) -> None:
    pdf = demo_reports["tinh-dien-bien"][1]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    fields = dict(line.split(":", 1) for line in info.stdout.splitlines() if ":" in line)
    subject = "Kết quả đánh giá chất lượng phục vụ người dân, doanh nghiệp"
    assert fields["Title"].strip().startswith(subject)
    assert fields["Title"].strip().endswith("tỉnh Điện Biên tháng 10 năm 2026")
    assert fields["Author"].strip() == "UBND tỉnh Điện Biên"
    commune = subprocess.run(["pdfinfo", str(demo_reports["xa-muong-ang"][1])],
                             capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "UBND xã Mường Ảng" in commune


def test_the_checks_catch_a_broken_word_and_a_split_row(tmp_path: Path) -> None:
    """A cell too narrow for its number, and a row taller than what is left of a page."""
    from docx.shared import Mm, Pt

    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.autofit = False
    table.columns[0].width, table.columns[1].width = Mm(8), Mm(60)
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Mm(8), Mm(60)
    table.rows[0]._tr.get_or_add_trPr().append(docx.oxml.OxmlElement("w:tblHeader"))
    table.rows[0].cells[1].text = "Tên"
    table.rows[1].cells[0].text = "STT 1.150.000"
    table.rows[1].cells[1].text = "\n".join(f"dòng {n} của ô" for n in range(60))
    for p in table.rows[1].cells[1].paragraphs:
        for r in p.runs:
            r.font.size = Pt(11)
    document.save(str(tmp_path / "narrow.docx"))
    from chiso.reports.pdf import to_pdf

    pdf = to_pdf(tmp_path / "narrow.docx", tmp_path)
    assert {"STT", "1.150.000"} <= broken_words(tmp_path / "narrow.docx", pdf)
    assert split_rows(tmp_path / "narrow.docx", pdf)
