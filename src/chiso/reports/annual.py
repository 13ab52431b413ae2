"""The annual report of the nine-criteria model (NĐ 61/2018, TT 01/2018) as seed 004 writes it.

Classes come from the 18-point total (bands ≥ 15 Xuất sắc …); the annex prints the
nine criteria, the total, the staff average (ĐTB CCVC, 10-point, beside the total:
it does not change the class) and the class, for departments then districts.
Section sentences say "100% các cơ quan chuyên môn thuộc UBND tỉnh được đánh giá
xếp loại từ Tốt trở lên, trong đó: 17/18 đơn vị đạt loại Xuất sắc, 01/18 đơn vị
đạt loại Tốt." with the share and the counts computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from chiso.domain.units import Unit
from chiso.engine.results import ResultSet, UnitResult
from chiso.reports.annex import Cell, UnitSection, number, score_annex
from chiso.reports.narrative import Sentence, names, padded, score_text
from chiso.reports.profile import Phrasing, ReportProfile, load_phrasing
from chiso.reports.report_data import (
    ReportContext,
    ReportOptions,
    build_letter,
    legal_basis,
    report_area,
    sections_of,
)
from chiso.spec.canonical import IndexSet

__all__ = ["build_annual_report"]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _rank(index_set: IndexSet, grade: str | None) -> int:
    order = [b.grade for b in index_set.bands]
    return order.index(grade) if grade in order else len(order)


def _section_sentence(section: UnitSection, index_set: IndexSet, phrasing: Phrasing) -> Sentence:
    say = phrasing.say
    floor = phrasing.lists.get("annual_floor_grade", ("good",))[0]
    floor_label = next(b.label for b in index_set.bands if b.grade == floor)
    units = [u for u in section.units if u.scored]  # those without data are not counted
    at_least = [u for u in units if _rank(index_set, u.grade) <= _rank(index_set, floor)]
    share = Fraction(len(at_least), len(units)) * 100 if units else Fraction(0)
    counts = [
        say("annual.count", count=padded(n), total=padded(len(units)), grade=b.label)
        for b in index_set.bands
        if (n := sum(1 for u in units if u.grade == b.grade))
    ]
    key = "annual.section" if len(at_least) == len(units) else "annual.section_below"
    text = say(
        key,
        percent=f"{score_text(share)}%",
        section=_lower_first(section.title),
        floor=floor_label,
        counts=", ".join(counts),
    )
    codes = tuple(u.unit_code for u in at_least)
    return Sentence(text, "annual_section", codes, len(at_least), len(units), floor)


def _results_sentences(
    sections: tuple[UnitSection, ...],
    index_set: IndexSet,
    phrasing: Phrasing,
    staff: Mapping[str, Decimal],
) -> list[Sentence]:
    out = [_section_sentence(s, index_set, phrasing) for s in sections]
    out.append(Sentence(phrasing.say("annual.pointer"), "pointer"))
    if staff:
        low, high = min(staff.values()), max(staff.values())
        text = phrasing.say(
            "annual.staff", low=score_text(Fraction(low)), high=score_text(Fraction(high))
        )
        out.append(Sentence(text, "staff_average", tuple(staff), len(staff)))
    return out


def _method_sentences(phrasing: Phrasing) -> list[Sentence]:
    criteria = phrasing.lists.get("annual_criteria", ())
    out = [Sentence(phrasing.say("annual.method", count=padded(len(criteria))), "method")]
    out += [
        Sentence(phrasing.say("annual.criterion", n=n, name=name), "criterion")
        for n, name in enumerate(criteria, start=1)
    ]
    return out


def _next_sentences(
    units: list[UnitResult], index_set: IndexSet, phrasing: Phrasing
) -> list[Sentence]:
    worst = max(
        (u for u in units if u.grade), key=lambda u: _rank(index_set, u.grade), default=None
    )
    if worst is None or worst.grade == index_set.bands[0].grade:
        return []
    members = [u for u in units if u.grade == worst.grade]
    text = phrasing.say("annual.lowest", grade=worst.grade_label or "", units=names(members))
    return [Sentence(text, "annual_lowest", tuple(u.unit_code for u in members), len(members))]


def build_annual_report(
    results: ResultSet,
    index_set: IndexSet,
    *,
    issuer: Unit,
    profile: ReportProfile,
    staff_average: Mapping[str, Decimal] | None = None,
    options: ReportOptions | None = None,
    year: int,
) -> ReportContext:
    """The annual NĐ 61 report of ``issuer``'s departments and districts."""
    phrasing = load_phrasing()
    say = phrasing.say
    staff = dict(staff_average or {})
    sections = sections_of(results, issuer, phrasing)
    area = report_area(issuer, profile)
    period = results.period_label
    letter = build_letter(
        issuer, results, index_set, profile, options or ReportOptions(), date(year, 12, 1)
    )
    letter = replace(
        letter,
        subject=say("annual.subject", period=period, area=area),
        preamble=(
            say("annual.preamble", basis=legal_basis(index_set, results.period), issuer=issuer.name,
                period=period),
        ),
        closing=say("annual.closing", period=period, area=area),
    )  # fmt: skip
    units = [u for s in sections for u in s.units]
    body = (
        (say("annual.heading_method"), tuple(_method_sentences(phrasing))),
        (say("annual.heading_results"),
         tuple(_results_sentences(sections, index_set, phrasing, staff))),
        (say("annual.heading_next"), tuple(_next_sentences(units, index_set, phrasing))),
    )  # fmt: skip
    cells: dict[str, Cell] = {code: number(v, max(0, -int(v.normalize().as_tuple().exponent)))
                              for code, v in staff.items()}  # fmt: skip
    annex = score_annex(
        results,
        index_set,
        sections,
        title=say("annual.annex_title", period=period, area=area).upper(),
        decimals=profile.cell_decimals,
        grade_style="full",
        extra_columns=[("staff_average", "ĐTB CCVC", cells)],
    )
    annex = replace(annex, label=say("annual.annex_label"))
    return ReportContext(letter, tuple((h, b) for h, b in body if b), (annex,))
