"""Make the files of one report job exactly as ``chiso report`` does.

The scores and statistics are read from a private store of the data
(:meth:`chiso_web.data.DataService.snapshot`), a snapshot read of the data service's lock,
so the dashboard is served while a report scores (writes wait until it has read); the
DOCX/XLSX/PDF are written after, under ``CHISO_HOME/reports/<id>/``.  Every failure the
user can fix is a :class:`~chiso.errors.UserError` with a Vietnamese sentence and a hint.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext, gettext_lazy

from chiso.api import (
    IndexSet,
    Period,
    PeriodError,
    ReportContext,
    ReportOptions,
    RuleSet,
    Store,
    dossiers_in,
    from_store,
    load_report_profile,
    load_rules,
    parse_period,
    private_folder,
    soffice,
    template_for,
    to_pdf,
    tree_of,
    write_report,
)
from chiso.errors import ChisoError, UserError
from chiso_web import data
from chiso_web.dashboard.models import Explanation
from chiso_web.reports.models import FORMATS, ReportRequest

NO_PDF = gettext_lazy(
    "No PDF could be made because the server has no LibreOffice; download the DOCX and print it "
    "from Word (an administrator installs libreoffice-writer-nogui and fonts-liberation for PDF)."
)


def job_folder(job: ReportRequest) -> Path:
    """Where the files of ``job`` are written."""
    return Path(settings.HOME) / "reports" / str(job.pk)


def generate(job: ReportRequest) -> tuple[dict[str, str], list[str]]:
    """Write the job's files; returns {format: path relative to CHISO_HOME} and notes.

    Raises:
        ChisoError: the report cannot be made (message and hint say why).
    """
    index_set = data.index_set(job.index_set)
    period = _period(job.period)
    wanted = _formats(job.formats)
    notes: list[str] = []
    pdf = "pdf" in wanted
    if pdf and soffice() is None:
        notes.append(str(NO_PDF))
        pdf = False
    options = letter_options(job.options)
    review = _review(job, period)
    with data.service().snapshot() as store:
        ctx = _context(store, index_set, period, job.unit_code, options, review)
    out_dir = job_folder(job)
    shutil.rmtree(out_dir, ignore_errors=True)  # a retried job starts clean
    private_folder(out_dir)
    stem = f"bao-cao-{job.unit_code}-{period.code}"
    # the PDF is converted from the DOCX, so asking for a PDF writes the DOCX too
    office = tuple(f for f in ("docx", "xlsx") if f in wanted or (f == "docx" and "pdf" in wanted))
    files = write_report(ctx, out_dir, stem, office, template=template_for(index_set.id))
    written = {"docx": files.docx, "xlsx": files.xlsx}
    outputs = {fmt: _relative(path) for fmt, path in written.items() if path is not None}
    if pdf and files.docx is not None:
        try:
            outputs["pdf"] = _relative(to_pdf(files.docx, out_dir))
        except ChisoError as err:
            notes.append(
                gettext("Could not convert to PDF: %(message)s") % {"message": err.message}
            )
    return outputs, notes


def _relative(path: Path) -> str:
    return str(path.resolve().relative_to(Path(settings.HOME).resolve()))


def _period(text: str) -> Period:
    try:
        return parse_period(text, now=data.now())
    except PeriodError:
        raise UserError(
            gettext("Report period “%(text)s” is not valid.") % {"text": text},
            hint=gettext("Write the period as 2026-09 (month), 2026-Q3 (quarter) or 2026 (year)."),
        ) from None


def _formats(formats: list[str]) -> tuple[str, ...]:
    wanted = tuple(f for f in FORMATS if f in formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not wanted:
        raise UserError(
            gettext("Format “%(formats)s” is not supported.")
            % {"formats": ", ".join(unknown) or gettext("empty")},
            hint=gettext("Choose at least one of docx, xlsx, pdf."),
        )
    return wanted


def letter_options(values: dict[str, str]) -> ReportOptions:
    """The letter's number, date and signer from a job's ``options`` (blank: draft blanks)."""
    on = values.get("date") or ""
    lines = tuple(line.strip() for line in values.get("signer_title", "").splitlines())
    return ReportOptions(
        number=values.get("number") or None,
        on=date.fromisoformat(on) if on else None,
        signer_name=values.get("signer_name", ""),
        signer_lines=tuple(line for line in lines if line) or None,
    )


Review = tuple[RuleSet, dict[tuple[str, str], str]] | None


def _review(job: ReportRequest, period: Period) -> Review:
    """The rules and the "đã giải trình" notes of the period, when the job asks for the
    annex "Phụ lục: hồ sơ cần rà soát" (``options["anomalies"]``); else None."""
    if not job.options.get("anomalies"):
        return None
    marks = Explanation.objects.filter(period=period.code)
    return load_rules(), {(m.unit_code, m.rule): m.note for m in marks}


def _context(
    store: Store,
    index_set: IndexSet,
    period: Period,
    unit_code: str,
    options: ReportOptions,
    review: Review = None,
) -> ReportContext:
    """Check the unit and that the period has data, then score and build the report."""
    if unit_code not in tree_of(store):
        raise UserError(
            gettext("The data has no unit with code “%(code)s”.") % {"code": unit_code},
            hint=gettext("Choose the unit again in the list of the Reports page."),
        )
    _require_dossiers(store, period)
    rules, explained = review if review is not None else (None, None)
    profile = load_report_profile()
    return from_store(store, index_set, period, unit_code, profile=profile, options=options,
                      anomalies=rules, explained=explained)  # fmt: skip


def _require_dossiers(store: Store, period: Period) -> None:
    """A period without data (:mod:`chiso.engine.coverage`) would be a report of zeros."""
    if dossiers_in(store, period) == 0:
        raise UserError(
            gettext("The data has no dossier received or settled in %(period)s.")
            % {"period": period.label},
            hint=gettext(
                "Choose a period that has data, or import this period's data first (the Import "
                "data page)."
            ),
        )
