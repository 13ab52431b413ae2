"""Generate the Word templates of the monthly report (run once; the .docx are committed).

    .venv/bin/python scripts/make_report_template.py            # every shipped template
    .venv/bin/python scripts/make_report_template.py --index-set dienbien-459-2023 --out my.docx

The result is an ordinary Word document with docxtpl tags: a province opens it in
Word, changes fonts, wording, the header, the column order of the annex (move a
column: its cells are keyed by indicator code), and passes it to
``chiso report --template FILE``.  Layout follows Nghị định 30/2020/NĐ-CP: A4,
Times New Roman 13–14, margins 20/20/30/15 mm (top/bottom/left/right, the
landscape annexes too), page numbers from page 2; the annexes are landscape
sections with a static two-level header and ``{%tr %}``
row loops in which section rows ("I.", "II.") are their own row type.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from chiso.reports.annex import HeaderCell, score_header, score_tail, score_widths
from chiso.reports.annex_stats import DIGI_HEADER, DIGI_KEYS, FEE_HEADER, FEE_KEYS
from chiso.spec.canonical import IndexSet
from chiso.spec.loader import load_index_set

FONT = "Times New Roman"
TEMPLATES = Path(__file__).resolve().parent.parent / "src" / "chiso" / "reports" / "templates"
SHIPPED = ("dienbien-459-2023", "vn-766-2022", "vn-766-portal-2025", "nd61-tt01-2018")
CENTER, LEFT, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)


def _font(run_or_style: object, size: float, *, bold: bool = False, italic: bool = False) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name, font.size, font.bold, font.italic = FONT, Pt(size), bold, italic
    element = getattr(run_or_style, "element", None)
    if element is None:
        element = run_or_style._element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def para(
    where: object,
    text: str,
    size: float = 14,
    *,
    bold: bool = False,
    italic: bool = False,
    align: object = JUSTIFY,
    indent: bool = False,
    after: float = 6,
) -> Paragraph:
    """Add a paragraph with one run to a document or a cell."""
    p = where.add_paragraph()  # type: ignore[attr-defined]
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(after)
    if indent:
        fmt.first_line_indent = Mm(12.7)
    if text:
        _font(p.add_run(text), size, bold=bold, italic=italic)
    return p


def _no_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _widths(table: Table, widths: Sequence[float]) -> None:
    """Fixed layout with the grid and every cell at the given widths (mm)."""
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Mm(width)


def _cell_text(cell: _Cell, text: str, size: float, *, bold: bool = False,
               italic: bool = False, align: object = CENTER) -> None:  # fmt: skip
    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    if text:
        _font(p.add_run(text), size, bold=bold, italic=italic)


def _page_number_header(section: object) -> None:
    section.different_first_page_header_footer = True  # type: ignore[attr-defined]
    p = section.header.paragraphs[0]  # type: ignore[attr-defined]
    p.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = p.add_run("1")
    _font(run, 13)
    field.append(run._r)
    p._p.append(field)


def _letter_head(doc: object) -> None:
    table = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, (62, 103))
    left, right = table.rows[0].cells
    _cell_text(left, "{{r header_top }}", 13)
    para(left, "{{ letter.header_bottom }}", 13, bold=True, align=CENTER, after=0)
    para(left, "{{ letter.number_line }}", 13, align=CENTER, after=0)
    _cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True)
    para(right, "Độc lập - Tự do - Hạnh phúc", 14, bold=True, align=CENTER, after=6)
    para(right, "{{ letter.place_date }}", 14, italic=True, align=CENTER, after=0)


def _letter_body(doc: object) -> None:
    para(doc, "", after=0)
    para(doc, "BÁO CÁO", 14, bold=True, align=CENTER, after=0)
    para(doc, "{{ letter.subject }}", 14, bold=True, align=CENTER)
    para(doc, "{%p if letter.addressee %}", align=CENTER)
    para(doc, "Kính gửi: {{ letter.addressee }}.", 14, align=CENTER)
    para(doc, "{%p endif %}", align=CENTER)
    para(doc, "{%p for p in letter.preamble %}")
    para(doc, "{{ p }}", indent=True)
    para(doc, "{%p endfor %}")
    para(doc, "{%p for s in sections %}")
    para(doc, "{{ s.heading }}", bold=True, indent=True)
    para(doc, "{%p for p in s.paragraphs %}")
    para(doc, "{{ p }}", indent=True)
    para(doc, "{%p endfor %}")
    para(doc, "{%p endfor %}")
    para(doc, "{{ letter.closing }}", indent=True)


def _signature(doc: object) -> None:
    table = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    _no_borders(table)
    _widths(table, (80, 85))
    left, right = table.rows[0].cells
    _cell_text(left, "Nơi nhận:", 12, bold=True, italic=True, align=LEFT)
    para(left, "{%p for r in letter.recipients %}", 11, align=LEFT, after=0)
    para(left, "- {{ r }}", 11, align=LEFT, after=0)
    para(left, "{%p endfor %}", 11, align=LEFT, after=0)
    _cell_text(right, "{%p for line in letter.signer_lines %}", 14)
    para(right, "{{ line }}", 14, bold=True, align=CENTER, after=0)
    para(right, "{%p endfor %}", 14, align=CENTER, after=0)
    for _ in range(4):
        para(right, "", 14, align=CENTER, after=0)
    para(right, "{{ letter.signer_name }}", 14, bold=True, align=CENTER, after=0)


def _landscape(doc: object) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)  # type: ignore[attr-defined]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.different_first_page_header_footer = False


def _grid(table: Table, header: Sequence[HeaderCell], size: float) -> None:
    for h in header:
        cell = table.cell(h.row, h.col)
        if h.rowspan > 1 or h.colspan > 1:
            cell = cell.merge(table.cell(h.row + h.rowspan - 1, h.col + h.colspan - 1))
        _cell_text(cell, h.text, size, bold=True)


def _tag_row(table: Table, tag: str) -> None:
    row = table.add_row()
    _cell_text(row.cells[0], tag, 12)


def _value_row(table: Table, keys: Sequence[str], size: float, *, bold: bool) -> None:
    row = table.add_row()
    for cell, key in zip(row.cells, keys, strict=True):
        align = LEFT if key == "name" else CENTER
        _cell_text(cell, "{{ r.c.%s }}" % key, size, bold=bold, align=align)  # noqa: UP031


def _section_row(table: Table, size: float) -> None:
    row = table.add_row()
    _cell_text(row.cells[0], "{{ r.c.stt }}", size, bold=True)
    merged = row.cells[1].merge(row.cells[-1])
    _cell_text(merged, "{{ r.c.name }}", size, bold=True, align=LEFT)


def annex_table(
    doc: object,
    name: str,
    keys: Sequence[str],
    header: Sequence[HeaderCell],
    widths: Sequence[float],
    size: float = 12,
) -> None:
    """The static header and the row loop: section / total / unit rows."""
    depth = max(h.row + h.rowspan for h in header)
    table = doc.add_table(rows=depth, cols=len(keys))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _grid(table, header, size)
    _tag_row(table, "{%%tr for r in %s.rows %%}" % name)  # noqa: UP031
    _tag_row(table, '{%tr if r.kind == "section" %}')
    _section_row(table, size)
    _tag_row(table, '{%tr elif r.kind == "total" %}')
    _value_row(table, keys, size, bold=True)
    _tag_row(table, "{%tr else %}")
    _value_row(table, keys, size, bold=False)
    _tag_row(table, "{%tr endif %}")
    _tag_row(table, "{%tr endfor %}")
    _widths(table, widths)
    for header_row in table.rows[:depth]:
        header_row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _annex_block(doc: object, name: str, keys: Sequence[str], header: Sequence[HeaderCell],
                 widths: Sequence[float]) -> None:  # fmt: skip
    para(doc, "{{ %s.label }}" % name, 13, bold=True, align=RIGHT, after=0)  # noqa: UP031
    para(doc, "{{ %s.title }}" % name, 13, bold=True, align=CENTER, after=0)  # noqa: UP031
    para(doc, "{{ %s.attachment }}" % name, 13, italic=True, align=CENTER)  # noqa: UP031
    annex_table(doc, name, keys, header, widths)
    para(doc, "{%%p if %s.notes %%}" % name, 13, after=0)  # noqa: UP031
    para(doc, "Lưu ý:", 13, bold=True, italic=True, align=LEFT, after=0)
    para(doc, "{%%p for n in %s.notes %%}" % name, 13, after=0)  # noqa: UP031
    para(doc, "- {{ n }}", 13, italic=True, after=0)
    para(doc, "{%p endfor %}", 13, after=0)
    para(doc, "{%p endif %}", 13, after=0)


def _page_break(doc: object) -> None:
    p = para(doc, "", after=0)
    p.add_run().add_break(WD_BREAK.PAGE)


def build(index_set: IndexSet) -> Document:
    """The template of ``index_set``'s report."""
    doc = Document()
    normal = doc.styles["Normal"]
    _font(normal, 14)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    _page_number_header(section)
    _letter_head(doc)
    _letter_body(doc)
    _signature(doc)
    _landscape(doc)
    tail, keys = score_tail(index_set, _extra_columns(index_set))
    header, _ = score_header(index_set, tail)
    indicators = len(keys) - len(tail) - 2
    _annex_block(doc, "bieu_01", keys, header, score_widths(keys, indicators))
    for name, keys2, header2, width in (
        ("bieu_02", FEE_KEYS, FEE_HEADER, 17.0),
        ("bieu_03", DIGI_KEYS, DIGI_HEADER, 23.0),
    ):
        para(doc, "{%%p if %s %%}" % name, after=0)  # noqa: UP031
        _page_break(doc)
        _annex_block(doc, name, keys2, header2, (10.0, 52.0, *(width for _ in keys2[2:])))
        para(doc, "{%p endif %}", after=0)
    return doc


def _extra_columns(index_set: IndexSet) -> list[tuple[str, str, object]]:
    """NĐ 61 annexes print the staff average (ĐTB CCVC) before the class (seed 004)."""
    if index_set.classification_basis == "total":
        return [("staff_average", "ĐTB CCVC", {})]
    return []


def main() -> None:
    """Write the templates."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-set", action="append", help="shipped id or YAML path")
    parser.add_argument("--out", type=Path, help="output .docx (with one --index-set)")
    args = parser.parse_args()
    refs = args.index_set or list(SHIPPED)
    for ref in refs:
        index_set = load_index_set(ref)
        out = args.out if args.out and len(refs) == 1 else TEMPLATES / f"{index_set.id}.docx"
        build(index_set).save(str(out))
        print(out)  # noqa: T201


if __name__ == "__main__":
    main()
