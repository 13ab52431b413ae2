"""``chiso demo``: a synthetic Điện Biên province, scored and ranked.

Generates (once) synthetic dossiers for the 45 communes and the departments from
January up to the demo's clock (:data:`~chiso.domain.clock.DEMO_NOW`, 29/10/2026 09:00:
nothing is received, finished or rated after it), scores the clock's month to date under
QĐ 459 on DuckDB — the ranking the site shows at the same clock — and prints the ranking,
the class distribution and the dossiers that cost the lowest unit its points.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from chiso.cli.output import console_for_output, print_explanation, progress_bar, ranking_table
from chiso.domain.clock import DEMO_NOW, shown
from chiso.domain.periods import Period, parse_period, require_started
from chiso.engine.explain import explain
from chiso.engine.runner import Level, score_one
from chiso.i18n import _
from chiso.spec.loader import load_index_set
from chiso.storage.store import open_folder

DEMO_START = date(2026, 1, 1)
DEMO_END = DEMO_NOW  # the data as it stands at the demo's clock
DEMO_SEED = 2026
# closed months at the demo's clock that ``chiso demo --serve`` publishes on the site
DEMO_PUBLISHED = ("2026-08", "2026-09")
#: Gamed and broken records the demo's data holds, so that "Dữ liệu bất thường" and the
#: unit page's badge have something to show (``chiso generate --inject``, docs/anomalies.md):
#: a few per thousand dossiers or ratings, and one producing unit in ten finishing in a rush.
DEMO_ANOMALIES = {
    "same_minute": 0.002,
    "due_beyond_limit": 0.002,
    "off_hours_direct": 0.002,
    "code_date": 0.001,
    "out_of_order": 0.001,
    "rating_burst": 0.004,
    "rating_unfinished": 0.002,
    "due_rush": 0.1,
}


def ensure_data(folder: Path, *, dossiers: int) -> Path:
    """Generate the demo data unless a complete generation is already there."""
    from chiso.synth.generator import generate
    from chiso.synth.inject import inject
    from chiso.synth.timeline import horizon

    marker = folder / f".generated-{dossiers}-{DEMO_SEED}-{DEMO_END:%Y%m%dT%H%M}-anomalies"
    if marker.exists():
        return folder
    # A new generation replaces the whole province: parts imported into the old one (the
    # site's "Nhập dữ liệu", ``chiso import``) would hold its dossiers a second time.
    for table in ("dossiers", "ratings"):
        for part in (folder / table).glob("*.parquet"):
            part.unlink()
    with progress_bar(_("Generating synthetic data"), total=dossiers) as advance:
        generate(
            folder,
            dossiers=dossiers,
            start=DEMO_START,
            end=DEMO_END,
            seed=DEMO_SEED,
            progress=advance,
        )
    inject(folder, DEMO_ANOMALIES, seed=DEMO_SEED, stop=horizon(DEMO_END)[1])
    marker.touch()
    return folder


def run_demo(folder: Path, *, dossiers: int, period: str | None = None) -> None:
    """Generate, score the month, print the ranking and explain the weakest unit."""
    console = console_for_output()
    ensure_data(folder, dossiers=dossiers)
    the_period = require_started(
        parse_period(period or f"{DEMO_NOW:%Y-%m}", now=DEMO_NOW), DEMO_NOW
    )
    index_set = load_index_set("dienbien-459-2023")
    store = open_folder(folder)
    result = score_one(store, index_set, the_period, level=Level("all"))
    console.print(ranking_table(result, index_set))
    scored = [u for u in result.units if u.scored]
    counts = Counter(u.grade_label for u in scored)
    summary = ", ".join(
        f"{label}: {counts.get(label, 0):02d}" for label in [b.label for b in index_set.bands]
    )
    unscored = len(result.units) - len(scored)
    graded = _("[bold]{count} units graded[/] — {summary}").format(
        count=len(scored), summary=summary
    )
    if unscored:
        graded += _("; {count} units without data").format(count=unscored)
    console.print(graded)
    weakest = scored[-1]  # the last ranked unit: unscored units come after it
    worst = min(
        (i for i in weakest.indicators if i.applicable and i.points is not None and i.max),
        key=lambda i: (i.points or 0) / Fraction(i.max),
    )
    console.print(
        "\n"
        + _(
            "Why is {unit} graded {grade}? The indicator that lost the most points: {indicator}"
        ).format(
            unit=weakest.name,
            grade=weakest.grade_label,
            indicator=index_set.indicator(worst.code).full_label,
        )
    )
    print_explanation(
        explain(store, index_set, the_period, weakest.unit_code, worst.code, limit=10), "table"
    )
    console.print(
        "\n"
        + _("Data: {folder} (up to {now})").format(folder=folder, now=shown(DEMO_NOW))
        + f"  ·  chiso score --data {folder} --period {the_period.code} "
        f"--as-of {DEMO_NOW:%Y-%m-%dT%H:%M} --format json"
    )
    reports = _print_reports(console, store, index_set, the_period, folder / "bao-cao")
    _print_samples(console, store, folder, the_period, reports)


def _print_reports(
    console: Any, store: Any, index_set: Any, period: Period, out: Path
) -> list[Path]:
    """Write the month's reports (commune, department, province), print and return their
    paths."""
    from chiso.reports.demo import write_demo_reports
    from chiso.reports.pdf import soffice

    console.print("\n" + _("[bold]Reports of {period}[/]").format(period=period.label))
    paths = [path for files in write_demo_reports(store, index_set, period, out)
             for path in files.paths()]  # fmt: skip
    for path in paths:
        console.print(f"  {path}")
    if soffice() is None:
        console.print("  " + _("(PDF: install LibreOffice to export PDF)"))
    return paths


def _print_samples(
    console: Any, store: Any, folder: Path, period: Period, reports: list[Path]
) -> None:
    """Write the sample input files (README's import examples) and print their paths."""
    from chiso.demo_samples import write_samples

    commune = next(p for p in reports if p.suffix == ".docx")
    console.print("\n" + _("[bold]Sample files to try import, check and reconcile[/]"))
    for path in write_samples(store, folder, period, commune):
        console.print(f"  {path}")
