"""The whole report as data: letter fields, sections of sentences, annex tables.

Pure: from a :class:`~chiso.engine.results.ResultSet`, the issuing unit, the
statistics and the province profile to a :class:`ReportContext` that the DOCX
and XLSX writers render without deciding anything.

Examples:
    >>> draft_date(None, date(2024, 12, 1))
    ('', '12', '2024')
    >>> draft_date(date(2024, 1, 5), date(2024, 1, 1))
    ('05', '01', '2024')
    >>> number_and_symbol("125/BC-UBND", "BC-UBND"), number_and_symbol(" 125 ", "BC-UBND")
    (('125', 'BC-UBND'), ('125', 'BC-UBND'))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from chiso.domain.legal import cite
from chiso.domain.periods import PeriodError, parse_period
from chiso.domain.units import COMMUNE_KINDS, DEPARTMENT_KINDS, Unit, fold_diacritics
from chiso.engine.results import ResultSet, UnitResult
from chiso.reports.annex import Annex, UnitSection, score_annex
from chiso.reports.annex_stats import digitisation_annex, fee_annex
from chiso.reports.assessment import general_sentences, next_step_sentences, shortcoming_sentences
from chiso.reports.facts import Facts
from chiso.reports.narrative import NarrativeInput, Sentence, results_sentences
from chiso.reports.profile import Phrasing, ReportProfile, load_phrasing
from chiso.reports.review import ReviewAnnex
from chiso.spec.canonical import IndexSet

__all__ = [
    "Letter",
    "ReportContext",
    "ReportOptions",
    "build_letter",
    "build_report",
    "draft_date",
    "number_and_symbol",
    "report_area",
    "sections_of",
]

_DEPARTMENT_KINDS = DEPARTMENT_KINDS  # the same blocks as the site's ranking
_COMMUNE_KINDS = dict(zip(COMMUNE_KINDS, ("xã", "phường", "thị trấn", "đặc khu"), strict=True))
_NUMERALS = ("I", "II", "III", "IV")
_BLANK = "\u00a0" * 6


@dataclass(frozen=True)
class ReportOptions:
    """What the officer fills in: number, date, signer; blank ones stay draft blanks."""

    number: str | None = None
    on: date | None = None
    signer_name: str = ""
    signer_lines: tuple[str, ...] | None = None
    addressee: str | None = None


@dataclass(frozen=True)
class Letter:
    """The NĐ 30/2020 letter fields around the body."""

    header_top: str
    header_bottom: str
    number_line: str
    place_date: str
    subject: str
    addressee: str
    preamble: tuple[str, ...]
    closing: str
    recipients: tuple[str, ...]
    signer_lines: tuple[str, ...]
    signer_name: str
    attachment: str
    issuer: str = ""


@dataclass(frozen=True)
class ReportContext:
    """Everything the renderers print."""

    letter: Letter
    sections: tuple[tuple[str, tuple[Sentence, ...]], ...]
    annexes: tuple[Annex, ...]
    extra: dict[str, object] = field(default_factory=dict)
    review: ReviewAnnex | None = None  # "Phụ lục: hồ sơ cần rà soát", when asked

    def sentences(self) -> list[Sentence]:
        """Every sentence of the body, in order."""
        return [s for _, body in self.sections for s in body]

    def annex(self, key: str) -> Annex | None:
        """The annex ``key`` ("bieu_01"…) if the report has it."""
        return next((a for a in self.annexes if a.key == key), None)


def draft_date(on: date | None, month_of: date) -> tuple[str, str, str]:
    """(day, month, year) as printed; without a date the day stays blank (E20)."""
    if on is None:
        return "", f"{month_of.month:02d}", str(month_of.year)
    return f"{on.day:02d}", f"{on.month:02d}", str(on.year)


def _parent_label(issuer: Unit) -> str:
    return {"tinh": "UBND tỉnh", "huyen": "UBND huyện"}.get(issuer.kind.value, issuer.name)


def sections_of(results: ResultSet, issuer: Unit, phrasing: Phrasing) -> tuple[UnitSection, ...]:
    """Units grouped as the seeds print them: departments, districts, communes."""
    units = results.units
    groups: list[tuple[str, list[UnitResult]]] = []
    departments = [u for u in units if u.kind in _DEPARTMENT_KINDS]
    if departments:
        title = phrasing.say("sections.departments", parent=_parent_label(issuer))
        groups.append((title, departments))
    districts = [u for u in units if u.kind == "huyen"]
    if districts:
        groups.append((phrasing.say("sections.districts"), districts))
    communes = [u for u in units if u.kind in _COMMUNE_KINDS]
    if communes:
        kinds = [w for k, w in _COMMUNE_KINDS.items() if any(u.kind == k for u in communes)]
        groups.append((phrasing.say("sections.communes", kinds=", ".join(kinds)), communes))
    placed = {u.unit_code for _, us in groups for u in us}
    rest = [u for u in units if u.unit_code not in placed]
    if rest:
        groups.append(("", rest))
    if len(units) == 1:
        return (UnitSection("", "", tuple(units)),)
    several = len(groups) > 1
    return tuple(
        UnitSection(_NUMERALS[n] if several else "", title, tuple(us))
        for n, (title, us) in enumerate(groups)
    )


def _header(issuer: Unit, profile: ReportProfile) -> tuple[str, str]:
    kind = issuer.kind.value
    if issuer.name.startswith("UBND "):
        return "ỦY BAN NHÂN DÂN", issuer.name.removeprefix("UBND ").upper()
    return profile.parents.get(kind, f"UBND TỈNH {profile.province.upper()}"), issuer.name.upper()


def report_area(issuer: Unit, profile: ReportProfile) -> str:
    """The area a report covers: "tỉnh Điện Biên", "huyện Mường Ảng", "Sở Tư pháp"."""
    if issuer.kind.value == "tinh":
        return f"tỉnh {profile.province}"
    return issuer.name.removeprefix("UBND ")


def _place(issuer: Unit, profile: ReportProfile) -> str:
    if issuer.unit_code in profile.places:
        return profile.places[issuer.unit_code]
    if issuer.kind.value in ("tinh", "so", "trung_tam"):
        return profile.province
    return issuer.short_name


def _symbol(issuer: Unit, template: str) -> str:
    words = [w for w in issuer.name.replace(",", " ").split() if w[:1].isupper()]
    abbrev = fold_diacritics("".join(w[0] for w in words)).upper()
    return template.replace("{abbrev}", abbrev)


def number_and_symbol(typed: str, symbol: str) -> tuple[str, str]:
    """The số and ký hiệu of a report number typed with or without its ký hiệu.

    "125" takes the profile's ``symbol``; "125/BC-UBND" is split at its first "/", and
    the ký hiệu typed there is kept as typed (the officer's number is authoritative), so
    the letter prints "125/BC-UBND" once, never "125/BC-UBND/BC-UBND".

    Examples:
        >>> number_and_symbol("08 / bc-ubnd", "BC-UBND")
        ('08', 'BC-UBND')
        >>> number_and_symbol("401/BC-SNV", "BC-UBND")
        ('401', 'BC-SNV')
    """
    number, slash, typed_symbol = typed.partition("/")
    typed_symbol = typed_symbol.strip()
    if not slash or not typed_symbol or typed_symbol.upper() == symbol.upper():
        return number.strip(), symbol
    return number.strip(), typed_symbol


def legal_basis(index_set: IndexSet, period: str) -> str:
    """The instruments a report on ``period`` cites, joined by "; ".

    The index set's own basis as :func:`chiso.domain.legal.cite` brings it to the
    period (an instrument no longer in force gives way to its successor); a period
    that cannot be read cites the basis as written.
    """
    try:
        span = parse_period(period)
    except PeriodError:
        return "; ".join(index_set.legal_basis)
    last = max(span.start, span.end - timedelta(days=1)).date()
    return "; ".join(cite(index_set.legal_basis, index_set.id, span.start.date(), last))


def build_letter(
    issuer: Unit,
    results: ResultSet,
    index_set: IndexSet,
    profile: ReportProfile,
    options: ReportOptions,
    month_of: date,
) -> Letter:
    """The letter fields of ``issuer``'s report (number and date blank unless given)."""
    say = load_phrasing().say
    style = profile.issuer(issuer.kind.value)
    top, bottom = _header(issuer, profile)
    number, symbol = number_and_symbol(options.number or "", _symbol(issuer, style.symbol))
    number = number or _BLANK
    day, month, year = draft_date(options.on, month_of)
    period, issuer_name = results.period_label, issuer.name
    date_text = f"{day or _BLANK}/{month}/{year}"
    return Letter(
        header_top=top,
        header_bottom=bottom,
        number_line=say("number_line", number=number, symbol=symbol),
        place_date=say(
            "place_date", place=_place(issuer, profile), day=day or _BLANK, month=month, year=year
        ),
        subject=say("subject", area=report_area(issuer, profile), period=period),
        addressee=options.addressee if options.addressee is not None else style.addressee,
        preamble=(
            say("legal_basis", basis=legal_basis(index_set, results.period)),
            say("data_source", source=profile.data_source, issuer=issuer_name, period=period),
        ),
        closing=say("closing", period=period, issuer=issuer_name),
        recipients=style.recipients,
        signer_lines=options.signer_lines or style.signer,
        signer_name=options.signer_name,
        attachment=say(
            "attachment", number=number.strip() or _BLANK, symbol=symbol, date=date_text,
            issuer=issuer_name,
        ),
        issuer=issuer_name,
    )  # fmt: skip


def _annexes(
    data: NarrativeInput, issuer: Unit, profile: ReportProfile, period_label: str
) -> tuple[Annex, ...]:
    say = data.phrasing.say
    area = report_area(issuer, profile)
    out = [
        score_annex(
            data.results,
            data.index_set,
            data.sections,
            title=say("annex_titles.bieu_01", area=area, period=period_label).upper(),
            decimals=profile.cell_decimals,
            total_style=profile.total_style,
            grade_style=profile.grade_style,
        )
    ]
    if data.facts.fees is not None:
        title = say("annex_titles.bieu_02", period=period_label).upper()
        out.append(fee_annex(data.facts.fees, title=title))
    if data.facts.digitisation is not None:
        title = say("annex_titles.bieu_03", period=period_label).upper()
        out.append(digitisation_annex(data.facts.digitisation, title=title, period_note=""))
    return tuple(out)


def build_report(
    results: ResultSet,
    index_set: IndexSet,
    *,
    issuer: Unit,
    profile: ReportProfile,
    facts: Facts | None = None,
    previous: ResultSet | None = None,
    options: ReportOptions | None = None,
    month_of: date,
) -> ReportContext:
    """Build the report of ``issuer`` from its units' results.

    Args:
        month_of: the month the report is written in (the month after a monthly
            period), printed when the date is left blank.
    """
    phrasing = load_phrasing()
    data = NarrativeInput(
        results,
        index_set,
        sections_of(results, issuer, phrasing),
        profile,
        phrasing,
        facts or Facts(),
        previous,
    )
    found = shortcoming_sentences(data)
    say = phrasing.say
    sections = (
        (say("headings.results"), tuple(results_sentences(data))),
        (say("headings.general"), tuple(general_sentences(data))),
        (say("headings.shortcomings"), tuple(found)),
        (say("headings.next_steps"), tuple(next_step_sentences(data, found))),
    )
    letter = build_letter(issuer, results, index_set, profile, options or ReportOptions(), month_of)
    return ReportContext(letter, sections, _annexes(data, issuer, profile, results.period_label))


def unit_names(units: Sequence[UnitResult]) -> dict[str, str]:
    """Unit code → printed name, in order."""
    return {u.unit_code: u.name for u in units}
