"""``chiso report``: the month's report of a unit as DOCX, XLSX and PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from chiso.api import _
from chiso.cli.common import BACKEND_CHOICE, as_of_option, open_data, period_at, with_rounding
from chiso.errors import UserError


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(
            _("not a date: “{text}”").format(text=text), hint=_("write dates as YYYY-MM-DD")
        ) from None


@click.command()
@click.option("--data", default=None, help="data folder (CSV/Parquet) or database URL")
@click.option(
    "--reported",
    type=click.Path(path_type=Path, dir_okay=False),
    help="CSV of reported annex scores instead of --data (docs/reports.md)",
)
@click.option(
    "--fees",
    type=click.Path(path_type=Path, dir_okay=False),
    help="with --reported: CSV of Biểu 02 (fees and payments)",
)
@click.option(
    "--digitisation",
    type=click.Path(path_type=Path, dir_okay=False),
    help="with --reported: CSV of Biểu 03 (digitisation)",
)
@click.option("--unit", "unit_ref", required=True, help="issuing unit: code or name")
@click.option("--period", required=True, help="2024-11, 2024-Q4, 2024 …")
@click.option("--index-set", "index_ref", default="dienbien-459-2023", show_default=True)
@click.option(
    "--format",
    "formats",
    default="docx,xlsx",
    show_default=True,
    help="comma-separated: docx, xlsx, pdf",
)
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path, file_okay=False))
@click.option("--backend", type=BACKEND_CHOICE, default="duckdb", show_default=True)
@click.option(
    "--number",
    default=None,
    help="số of the report: 08 or 08/BC-UBND, ký hiệu added once (blank if omitted)",
)
@click.option(
    "--date", "on", default=None, help="date of the report, YYYY-MM-DD (blank if omitted)"
)
@click.option("--signer", default="", help="name of the signer")
@click.option(
    "--signer-title",
    default=None,
    help="signer block lines separated by |, e.g. 'TM. ỦY BAN NHÂN DÂN|CHỦ TỊCH'",
)
@click.option("--addressee", default=None, help="Kính gửi (default: from the profile)")
@click.option(
    "--profile",
    "profile_ref",
    default="dienbien",
    show_default=True,
    help="province profile: shipped name or YAML file",
)
@click.option(
    "--template",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Word template (default: the shipped one of the index set)",
)
@click.option("--rounding", default=None, help="converted-score rounding, e.g. half_up:1")
@click.option("--printed-total", is_flag=True, help="with --reported: use the 'total' column")
@click.option("--no-compare", is_flag=True, help="do not compare with the previous period")
@click.option(
    "--anomalies",
    is_flag=True,
    help="with --data: add the annex 'Phụ lục: hồ sơ cần rà soát' (docs/anomalies.md)",
)
@click.option(
    "--anomaly-rules",
    "anomaly_rules",
    type=click.Path(path_type=Path, dir_okay=False),
    help="with --anomalies: the province's rule file merged over the shipped one",
)
@as_of_option
def report(
    data: str | None,
    reported: Path | None,
    fees: Path | None,
    digitisation: Path | None,
    unit_ref: str,
    period: str,
    index_ref: str,
    formats: str,
    out_dir: Path,
    backend: str,
    number: str | None,
    on: str | None,
    signer: str,
    signer_title: str | None,
    addressee: str | None,
    profile_ref: str,
    template: Path | None,
    rounding: str | None,
    printed_total: bool,
    no_compare: bool,
    anomalies: bool,
    anomaly_rules: Path | None,
    as_of: str | None,
) -> None:
    """Write the period's report of a unit (NĐ 30 letter + annexes) as DOCX, XLSX and PDF."""
    from chiso.api import (
        ReportOptions,
        from_reported,
        from_store,
        load_index_set,
        load_report_profile,
        template_for,
        write_report,
    )

    if (data is None) == (reported is None):
        raise UserError(_("give either --data or --reported"), hint=_("see chiso report --help"))
    if (anomalies or anomaly_rules) and data is None:
        raise UserError(
            _("--anomalies needs --data"),
            hint=_("the findings are read from the dossier records, not from annex files"),
        )
    index_set = with_rounding(load_index_set(index_ref), rounding)
    the_period = period_at(period, as_of)
    options = ReportOptions(
        number=number,
        on=_date(on),
        signer_name=signer,
        signer_lines=tuple(signer_title.split("|")) if signer_title else None,
        addressee=addressee,
    )
    profile = load_report_profile(profile_ref)
    wanted = tuple(f.strip() for f in formats.split(",") if f.strip())
    chosen_template = template_for(index_set.id, template)  # type: ignore[attr-defined]
    if reported is not None:
        ctx = from_reported(reported, index_set, the_period, unit_ref, profile=profile,  # type: ignore[arg-type]
                            options=options, fees=fees, digitisation=digitisation,
                            printed_total=printed_total)  # fmt: skip
    else:
        from chiso.api import load_rules

        store = open_data(data or "", backend)
        rules = load_rules(anomaly_rules) if anomalies or anomaly_rules else None
        ctx = from_store(store, index_set, the_period, unit_ref, profile=profile,  # type: ignore[arg-type]
                         options=options, compare=not no_compare, anomalies=rules)  # fmt: skip
    stem = f"bao-cao-{_slug(unit_ref)}-{the_period.code}"
    files = write_report(ctx, out_dir, stem, wanted, template=chosen_template)
    for path in files.paths():
        click.echo(str(path))


def _slug(text: str) -> str:
    from chiso.api import fold_diacritics

    folded = fold_diacritics(text).lower()
    return "-".join("".join(c if c.isalnum() else " " for c in folded).split())
