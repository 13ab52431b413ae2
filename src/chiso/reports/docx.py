"""Render the report into a Word template with docxtpl.

The template is an ordinary .docx with Jinja tags (see ``docs/reports.md``):
``letter.*``, ``sections`` (heading + paragraphs), ``bieu_01`` / ``bieu_02`` /
``bieu_03`` (label, title, attachment, rows with ``kind`` and cells ``c`` keyed
by column, notes).  The shipped templates were generated once by
``scripts/make_report_template.py``; a province passes its own with ``--template``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate, RichText

from chiso.errors import UserError
from chiso.i18n import _
from chiso.reports.annex import Annex
from chiso.reports.report_data import ReportContext
from chiso.reports.review import append_review
from chiso.reports.table_fit import fit_tables

__all__ = ["template_context", "template_for", "write_docx"]

ANNEX_KEYS = ("bieu_01", "bieu_02", "bieu_03")


def template_for(index_set_id: str, override: Path | None = None) -> Path:
    """The Word template to use: ``override``, else the shipped one of the index set.

    Raises:
        UserError: no such file, or no shipped template for the index set.
    """
    if override is not None:
        if not override.is_file():
            raise UserError(
                _("template “{override}” does not exist").format(override=str(override))
            )
        return override
    shipped = resources.files("chiso") / "reports" / "templates" / f"{index_set_id}.docx"
    if not shipped.is_file():
        raise UserError(
            _("no Word template for index set “{index_set_id}”").format(index_set_id=index_set_id),
            hint=_(
                "make one with `python scripts/make_report_template.py --index-set FILE --out "
                "my.docx` and pass it with --template"
            ),
        )
    return Path(str(shipped))


def _annex(annex: Annex | None, attachment: str) -> dict[str, Any] | None:
    if annex is None:
        return None
    return {
        "label": annex.label,
        "title": annex.title,
        "attachment": annex.period_note or attachment,
        "rows": annex.template_rows(),
        "notes": list(annex.notes),
    }


def template_context(ctx: ReportContext) -> dict[str, Any]:
    """The variables the template sees."""
    letter = ctx.letter
    top_bold = letter.header_top == "ỦY BAN NHÂN DÂN"
    return {
        "letter": letter,
        "header_top": RichText(letter.header_top, font="Times New Roman", size=26, bold=top_bold),
        "sections": [
            {"heading": heading, "paragraphs": [s.text for s in body]}
            for heading, body in ctx.sections
        ],
        **{
            key: _annex(ctx.annex(key), letter.attachment)
            for key in ("bieu_01", "bieu_02", "bieu_03")
        },
        **ctx.extra,
    }


def write_docx(ctx: ReportContext, template: Path, path: Path) -> Path:
    """Render ``ctx`` into ``template`` and save it as ``path``.

    The annex tables are laid out from their content (:func:`fit_tables`); the
    document's title is the trích yếu and its author the issuing body, which
    LibreOffice carries into the PDF's metadata.
    """
    doc = DocxTemplate(str(template))
    doc.render(template_context(ctx), autoescape=True)
    if ctx.review is not None:
        append_review(doc.docx, ctx.review)
    fit_tables(doc.docx)
    props = doc.docx.core_properties
    props.title = ctx.letter.subject
    props.author = props.last_modified_by = ctx.letter.issuer
    props.subject = props.keywords = props.comments = ""
    doc.save(str(path))
    return path
