"""The demo's reports: one commune, one department and the province, for one month."""

from __future__ import annotations

from pathlib import Path

from chiso.domain.periods import Period
from chiso.reports.build import ReportFiles, from_store, write_report
from chiso.reports.docx import template_for
from chiso.reports.pdf import soffice
from chiso.reports.profile import load_profile
from chiso.reports.report_data import ReportOptions
from chiso.spec.canonical import IndexSet
from chiso.storage.store import Store

__all__ = ["DEMO_ISSUERS", "write_demo_reports"]

#: (unit code, file stem): a commune, a department and the province.
DEMO_ISSUERS = (
    ("03256", "xa-muong-ang"),
    ("so-tu-phap", "so-tu-phap"),
    ("11", "tinh-dien-bien"),
)


def write_demo_reports(
    store: Store, index_set: IndexSet, period: Period, out_dir: Path
) -> list[ReportFiles]:
    """Write DOCX + XLSX (+ PDF when LibreOffice is installed) for the demo issuers."""
    formats = ("docx", "xlsx", "pdf") if soffice() else ("docx", "xlsx")
    profile = load_profile()
    template = template_for(index_set.id)
    out = []
    for code, stem in DEMO_ISSUERS:
        ctx = from_store(store, index_set, period, code, profile=profile, options=ReportOptions())
        out.append(write_report(ctx, out_dir, f"bao-cao-{stem}-{period.code}", formats,
                                template=template))  # fmt: skip
    return out
