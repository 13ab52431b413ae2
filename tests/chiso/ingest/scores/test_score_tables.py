"""Received score tables: every reader gives the seed annex rows of tests/golden/seed_tables.py.

The text seeds are read as printed; DOCX and XLSX copies of seed 002 are built here
with merged two-level headers (python-docx gridSpan/vMerge, xlsxwriter merge_range);
a PDF copy of seed 001's OCR text tests the PDF text path.
"""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from seed_tables import SEEDS, Seed, parse_number

from chiso.cli import cli
from chiso.domain.units import UnitTree
from chiso.errors import UserError
from chiso.ingest.scores.annex import grade_of
from chiso.ingest.scores.document import read_document
from chiso.ingest.scores.importer import ScoreImport, read_scores, write_scores
from chiso.ingest.scores.report_subject import read_context
from chiso.spec.loader import load_index_set
from chiso.storage.rows import rows_table
from chiso.storage.store import open_folder
from chiso.storage.targets import read_canonical

FIXTURES = Path(__file__).parents[3] / "fixtures" / "seeds"
TREE = UnitTree.dienbien()
#: E04: the OCR text prints "7.9" for 7,99; the transcription restores it.
OCR_LOSSES = {("001", "UBND phường Tân Thanh")}


def fixture(seed: Seed) -> Path:
    return next(FIXTURES.glob(f"{seed.seed_id}_*.txt"))


def parsed_rows(
    path: Path, seed: Seed
) -> list[tuple[str, dict[str, Decimal | None], Decimal, str | None]]:
    ctx = read_context(read_document(path), tree=TREE, index_set=load_index_set(seed.index_set))
    out = []
    for table in ctx.tables:
        for row in table.rows:
            code = ctx.resolver.resolve(row.name).unit.unit_code
            cells = {c: (v.value if v else None) for c, v in row.cells}
            assert row.total is not None
            out.append((code, cells, row.total.value, row.grade))
    return out


def expected_rows(seed: Seed) -> list[tuple[str, dict[str, Decimal | None], Decimal, str | None]]:
    index_set = load_index_set(seed.index_set)
    out = []
    for row in seed.rows:
        code = TREE.resolve(row.name, on=seed.on, within=seed.within).unit_code
        cells = {
            c: None if t is None else parse_number(t)
            for c, t in zip(seed.columns, row.cells, strict=True)
        }
        out.append(
            (code, cells, parse_number(row.total.split("/")[0]), grade_of(row.grade, index_set))
        )
    return out


@pytest.mark.parametrize("seed", SEEDS.values(), ids=SEEDS.keys())
def test_text_seed_tables_read_exactly_as_the_transcribed_rows(seed: Seed) -> None:
    assert parsed_rows(fixture(seed), seed) == expected_rows(seed)


@pytest.mark.parametrize("seed", SEEDS.values(), ids=SEEDS.keys())
def test_text_seed_converted_scores_read_as_transcribed_except_the_ocr_loss(seed: Seed) -> None:
    ctx = read_context(
        read_document(fixture(seed)), tree=TREE, index_set=load_index_set(seed.index_set)
    )
    got = [r.converted.value if r.converted else None for t in ctx.tables for r in t.rows]
    want = [parse_number(r.converted) if r.converted else None for r in seed.rows]
    lost = [i for i, r in enumerate(seed.rows) if (seed.seed_id, r.name) in OCR_LOSSES]
    assert [g for i, g in enumerate(got) if i not in lost] == [
        w for i, w in enumerate(want) if i not in lost
    ]


# --- DOCX and XLSX copies of seed 002 --------------------------------------------------------

SEED_002 = SEEDS["002"]
GROUPS_002 = [  # (label, first column, span) over the 11 indicator columns starting at column 2
    ("Nhóm chỉ số công khai, minh bạch", 2, 3), ("Tiến độ, KQ giải quyết (30đ)", 5, 1),
    ("Nhóm cung cấp DVTT", 6, 2), ("Nhóm số hoá hồ sơ", 8, 2), ("Nhóm mức độ hài lòng", 10, 3),
]  # fmt: skip
INDICATORS_002 = [
    "Chỉ số 1 (5đ)", "Chỉ số 2 (5đ)", "Chỉ số 3(10đ)", "", "Chỉ số 1 (10đ)", "Chỉ số 2 (10đ)",
    "Chỉ số 1 (5đ)", "Chỉ số 2 (10đ)", "Chỉ số 1 (5đ)", "Chỉ số 2 (5đ)", "Chỉ số 3 (5đ)",
]  # fmt: skip
TAIL_002 = ["ĐIỂM ĐẠT ĐƯỢC", "TỔNG ĐIỂM QUY ĐỔI", "Xếp loại tháng 9"]
TITLE_002 = "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI … TRÊN ĐỊA BÀN HUYỆN TUẦN GIÁO THÁNG 9 NĂM 2023"


def _body_002() -> list[list[str]]:
    return [
        [
            str(n),
            r.name,
            *("" if c is None else c for c in r.cells),
            r.total,
            r.converted or "",
            r.grade,
        ]
        for n, r in enumerate(SEED_002.rows, start=1)
    ]


def build_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE_002)
    table = document.add_table(rows=3 + len(SEED_002.rows), cols=16)
    top = table.rows[0].cells
    top[0].text, top[1].text = "STT", "TÊN CƠ QUAN, ĐƠN VỊ"
    top[2].merge(top[12]).text = "ĐIỂM CÁC CHỈ SỐ"
    for col, label in enumerate(TAIL_002, start=13):
        table.cell(0, col).merge(table.cell(2, col)).text = label
    table.cell(0, 0).merge(table.cell(2, 0))
    table.cell(0, 1).merge(table.cell(2, 1))
    for label, first, span in GROUPS_002:
        cell = table.cell(1, first).merge(table.cell(1, first + span - 1))
        if label.startswith("Tiến độ"):
            cell = cell.merge(table.cell(2, first))
        cell.text = label
    for col, label in enumerate(INDICATORS_002, start=2):
        if label:
            table.cell(2, col).text = label
    for r, values in enumerate(_body_002(), start=3):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    document.save(str(path))
    return path


def build_xlsx(path: Path) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Biểu 01")
    sheet.write(0, 0, TITLE_002)
    sheet.merge_range(1, 0, 3, 0, "STT")
    sheet.merge_range(1, 1, 3, 1, "TÊN CƠ QUAN, ĐƠN VỊ")
    sheet.merge_range(1, 2, 1, 12, "ĐIỂM CÁC CHỈ SỐ")
    for col, label in enumerate(TAIL_002, start=13):
        sheet.merge_range(1, col, 3, col, label)
    for label, first, span in GROUPS_002:
        if span == 1:
            sheet.merge_range(2, first, 3, first, label)
        else:
            sheet.merge_range(2, first, 2, first + span - 1, label)
    for col, label in enumerate(INDICATORS_002, start=2):
        if label:
            sheet.write(3, col, label)
    for r, values in enumerate(_body_002(), start=4):
        for c, value in enumerate(values):
            number = value.replace(",", ".")
            if c >= 2 and value and number.replace(".", "").isdigit():
                sheet.write_number(r, c, float(number))
            elif value:
                sheet.write_string(r, c, value)
    book.close()
    return path


def build_html(path: Path) -> Path:
    """Seed 002's Biểu 01 as a province's portal publishes it: a page with rowspan/colspan."""
    top = '<th rowspan="3">STT</th><th rowspan="3">TÊN CƠ QUAN, ĐƠN VỊ</th>'
    top += '<th colspan="11">ĐIỂM CÁC CHỈ SỐ</th>'
    top += "".join(f'<th rowspan="3">{label}</th>' for label in TAIL_002)
    groups = "".join(
        f'<th rowspan="2">{label}</th>' if span == 1 else f'<th colspan="{span}">{label}</th>'
        for label, _, span in GROUPS_002
    )
    indicators = "".join(f"<th>{label}</th>" for label in INDICATORS_002 if label)
    body = "".join(
        "<tr>" + "".join(f"<td>{v}</td>" for v in values) + "</tr>" for values in _body_002()
    )
    page = (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Kết quả</title>'
        "<style>td{padding:2px}</style></head><body><nav><a href='/'>Trang chủ</a></nav>"
        f'<div class="content"><h2>{TITLE_002}</h2><table class="table"><thead>'
        f"<tr>{top}</tr><tr>{groups}</tr><tr>{indicators}</tr></thead>"
        f"<tbody>{body}</tbody></table></div></body></html>"
    )
    path.write_text(page, encoding="utf-8")
    return path


def _grid_002() -> list[list[str]]:
    """The header as a grid (merged cells blank), then the rows."""
    top = ["STT", "TÊN CƠ QUAN, ĐƠN VỊ", "ĐIỂM CÁC CHỈ SỐ", *[""] * 10, *TAIL_002]
    groups = [""] * 16
    for label, first, _ in GROUPS_002:
        groups[first] = label
    return [top, groups, ["", "", *INDICATORS_002, "", "", ""], *_body_002()]


def build_pipe(path: Path) -> Path:
    """Seed 002's Biểu 01 as plain text with ``|`` separators (a markdown-style table)."""
    rows = ["| " + " | ".join(cells) + " |" for cells in _grid_002()]
    rows.insert(1, "|" + "---|" * 16)
    path.write_text(TITLE_002 + "\n\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "builder", [build_docx, build_xlsx, build_html, build_pipe], ids=["docx", "xlsx", "html", "txt"]
)
def test_docx_xlsx_html_and_pipe_copies_of_seed_002_read_as_the_transcribed_rows(
    tmp_path: Path, builder
) -> None:  # type: ignore[no-untyped-def]
    suffix = {"build_pipe": "txt"}.get(builder.__name__, builder.__name__[6:])
    path = builder(tmp_path / f"bieu01.{suffix}")
    assert parsed_rows(path, SEED_002) == expected_rows(SEED_002)


def test_an_html_page_of_scores_imports_like_its_docx_copy(tmp_path: Path) -> None:
    index_set = load_index_set(SEED_002.index_set)
    html = read_scores(build_html(tmp_path / "bieu01.html"), index_set=index_set, period="2023-09")
    docx_copy = read_scores(
        build_docx(tmp_path / "bieu01.docx"), index_set=index_set, period="2023-09"
    )
    strip = {"source"}
    assert [{k: v for k, v in r.items() if k not in strip} for r in html.records] == [
        {k: v for k, v in r.items() if k not in strip} for r in docx_copy.records
    ]
    assert len(html.records) > 0


def test_docx_merged_header_cells_are_w_tc_elements_with_grid_span_and_vmerge(
    tmp_path: Path,
) -> None:
    import docx
    from docx.oxml.ns import qn

    path = build_docx(tmp_path / "bieu01.docx")
    tbl = docx.Document(str(path)).tables[0]._tbl
    first = tbl.findall(qn("w:tr"))[0].findall(qn("w:tc"))
    assert len(first) == 6  # STT, TÊN, ĐIỂM CÁC CHỈ SỐ (gridSpan 11), three tail columns
    spans = [tc.tcPr.find(qn("w:gridSpan")) for tc in first]
    assert [s.get(qn("w:val")) if s is not None else "1" for s in spans] == [
        "1",
        "1",
        "11",
        "1",
        "1",
        "1",
    ]
    second = tbl.findall(qn("w:tr"))[1].findall(qn("w:tc"))
    assert second[0].tcPr.find(qn("w:vMerge")) is not None  # STT continues downwards


# --- PDF text -------------------------------------------------------------------------------


def build_pdf(path: Path, text: str) -> Path:
    """A one-page PDF whose text layer is ``text`` (WinAnsi, one line per Tj)."""
    lines = [ln.encode("cp1252", "replace") for ln in text.splitlines()]
    esc = [ln.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") for ln in lines]
    content = b"BT /F1 6 Tf 8 TL 20 1180 Td " + b" ".join(b"(" + e + b") '" for e in esc) + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 1200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(out)
    return path


def test_pdf_text_of_the_ocr_seed_reads_as_the_transcribed_rows(tmp_path: Path) -> None:
    seed = SEEDS["001"]
    path = build_pdf(tmp_path / "001.pdf", fixture(seed).read_text(encoding="utf-8"))
    assert parsed_rows(path, seed) == expected_rows(seed)


# --- import into a data folder --------------------------------------------------------------


def rows_of(folder: Path) -> list[dict[str, Any]]:
    table = read_canonical(folder, "reported_scores")
    assert table is not None
    return table.to_pylist()


def test_import_stores_every_indicator_and_reimport_replaces_the_same_keys(tmp_path: Path) -> None:
    index_set = load_index_set("dienbien-459-2023")
    first = read_scores(fixture(SEEDS["000"]), index_set=index_set)
    assert write_scores(tmp_path, [first]).new == 110  # 10 units × 11 indicators
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reported_scores.parquet"]
    stored = rows_of(tmp_path)
    dang = {r["indicator"]: r["points"] for r in stored if r["unit_code"] == "03286-cu"}
    assert (dang["ck_cs1"], dang["tien_do"], dang["hailong_cs3"]) == (None, 27.14, 4.52)
    assert {r["period"] for r in stored} == {"2024-11"}
    before = (tmp_path / "reported_scores.parquet").read_bytes()
    again = write_scores(tmp_path, [read_scores(fixture(SEEDS["000"]), index_set=index_set)])
    assert (again.new, again.changed, again.unchanged) == (0, 0, 110)
    assert (tmp_path / "reported_scores.parquet").read_bytes() == before
    other = read_scores(fixture(SEEDS["002"]), index_set=index_set)
    assert write_scores(tmp_path, [other], dry_run=True).new == 209
    assert (tmp_path / "reported_scores.parquet").read_bytes() == before


def test_a_changed_cell_replaces_its_row_and_a_later_file_wins(tmp_path: Path) -> None:
    index_set = load_index_set("dienbien-459-2023")
    first = read_scores(fixture(SEEDS["000"]), index_set=index_set)
    edited = tuple(
        {**r, "points": "20"} if (r["unit_code"], r["indicator"]) == ("03286-cu", "tien_do") else r
        for r in first.records
    )
    later = ScoreImport(first.path, first.period, first.reporting_unit, edited)
    diff = write_scores(tmp_path, [first, later])
    assert (diff.new, diff.changed) == (110, 0)
    dang = {r["indicator"]: r["points"] for r in rows_of(tmp_path) if r["unit_code"] == "03286-cu"}
    assert dang["tien_do"] == 20.0
    back = write_scores(tmp_path, [first])
    assert (back.new, back.changed, back.unchanged) == (0, 1, 109)
    assert back.columns == {"points": 1}


def test_a_folder_holding_csv_keeps_csv(tmp_path: Path) -> None:
    (tmp_path / "reported_scores.csv").write_text(
        "index_set,unit_code,period,indicator,points,source\n"
        "dienbien-459-2023,03158,2024-10,tien_do,12.5,old.txt\n",
        encoding="utf-8",
    )
    first = read_scores(fixture(SEEDS["000"]), index_set=load_index_set("dienbien-459-2023"))
    assert write_scores(tmp_path, [first]).new == 110
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reported_scores.csv"]
    with (tmp_path / "reported_scores.csv").open(encoding="utf-8", newline="") as fh:
        stored = list(csv.DictReader(fh))
    assert len(stored) == 111
    assert {r["points"] for r in stored if r["unit_code"] == "03158"} == {"12.5"}


def test_cli_import_into_a_parquet_folder_is_seen_by_the_store(
    province: Path, tmp_path: Path
) -> None:
    """Regression: the import once wrote a CSV beside the Parquet the store reads first."""
    folder = tmp_path / "data"
    shutil.copytree(province, folder)
    old = {"index_set": "dienbien-459-2023", "unit_code": "03286-cu", "period": "2024-11",
           "indicator": "tien_do", "points": 1.0, "source": "old"}  # fmt: skip
    keep = {**old, "period": "2024-10", "source": "kept"}
    pq.write_table(rows_table("reported_scores", [old, keep]), folder / "reported_scores.parquet")
    args = ["import", "scores", str(fixture(SEEDS["000"])), "--into", str(folder)]
    result = CliRunner().invoke(cli, [*args, "--index-set", "dienbien-459-2023"])
    assert result.exit_code == 0, result.output
    assert "109 dòng mới, 1 dòng thay đổi, 0 dòng không đổi" in result.output
    assert not (folder / "reported_scores.csv").exists()
    store = open_folder(folder)
    rows = store.to_pyarrow(store.table("reported_scores")).to_pylist()
    assert len(rows) == 111
    points = {(r["period"], r["source"].split()[0]): r["points"] for r in rows
              if (r["unit_code"], r["indicator"]) == ("03286-cu", "tien_do")}  # fmt: skip
    assert points == {("2024-11", fixture(SEEDS["000"]).name): 27.14, ("2024-10", "kept"): 1.0}
    again = CliRunner().invoke(cli, [*args, "--index-set", "dienbien-459-2023"])
    assert "0 dòng mới, 0 dòng thay đổi, 110 dòng không đổi" in again.output


def test_an_unknown_unit_name_imports_nothing_and_suggests_the_name(tmp_path: Path) -> None:
    text = (
        fixture(SEEDS["000"])
        .read_text(encoding="utf-8")
        .replace("UBND xã Xuân Lao", "UBND xã Xuân Lai")
    )
    path = tmp_path / "000.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match="chưa nhập gì") as err:
        read_scores(path, index_set=load_index_set("dienbien-459-2023"))
    assert "Xuân Lao" in err.value.message
    assert not list(tmp_path.glob("reported_scores*"))


def test_a_report_without_its_month_needs_the_period(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="period"):
        read_scores(fixture(SEEDS["003"]), index_set=load_index_set("dienbien-459-2023"))
    found = read_scores(
        fixture(SEEDS["003"]), index_set=load_index_set("dienbien-459-2023"), period="2024-10"
    )
    assert {r["period"] for r in found.records} == {"2024-10"}


def test_a_folder_or_a_file_without_extension_is_refused_in_vietnamese(tmp_path: Path) -> None:
    with pytest.raises(UserError) as folder:
        read_document(tmp_path)
    assert folder.value.message == f"{tmp_path} là một thư mục, không phải tệp báo cáo"
    bare = tmp_path / "baocao"
    bare.write_text("STT | Đơn vị | Tổng điểm", encoding="utf-8")
    with pytest.raises(UserError) as no_suffix:
        read_document(bare)
    assert no_suffix.value.message == f"{bare}: không đọc được tệp không có phần mở rộng"
