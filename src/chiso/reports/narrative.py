"""Rules that turn numbers into the report's sentences.

Every sentence is a :class:`Sentence`: its text (phrasing from
``data/reports/narrative.yaml``) and the claim it makes — the rule, the units it
names in printed order, the count and total it states — so tests can check each
sentence against the data.  Thresholds come from the province profile.

Counts are zero-padded ("09/10 đơn vị"), units are named in ranking order,
grades are decided on the exact score (never the rounded one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from chiso.domain.rounding import format_vn, to_decimal
from chiso.engine.results import ResultSet, UnitResult
from chiso.reports.annex import UnitSection
from chiso.reports.facts import Facts
from chiso.reports.profile import Phrasing, ReportProfile
from chiso.spec.canonical import IndexSet

__all__ = ["NarrativeInput", "Sentence", "padded", "results_sentences", "score_text"]


@dataclass(frozen=True)
class Sentence:
    """One paragraph of the report and the claim it makes."""

    text: str
    rule: str
    units: tuple[str, ...] = ()
    count: int | None = None
    total: int | None = None
    subject: str | None = None


@dataclass(frozen=True)
class NarrativeInput:
    """What the rules read."""

    results: ResultSet
    index_set: IndexSet
    sections: tuple[UnitSection, ...]
    profile: ReportProfile
    phrasing: Phrasing
    facts: Facts
    previous: ResultSet | None = None

    @property
    def units(self) -> tuple[UnitResult, ...]:
        """Every unit of the report in printed order."""
        return tuple(u for s in self.sections for u in s.units)

    @property
    def scored_units(self) -> tuple[UnitResult, ...]:
        """The units with a score, in printed order: those without data in the period
        (:mod:`chiso.engine.coverage`) are named, never counted, averaged or ranked."""
        return tuple(u for u in self.units if u.scored)


def padded(n: int) -> str:
    """A count as printed in the seeds: two digits at least ("09", "10", "120")."""
    return f"{n:02d}"


def score_text(value: Fraction, decimals: int = 2) -> str:
    """A score, half-up to ``decimals``, trailing zeros dropped: 78,66; 80; 9,5."""
    dec = to_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    normal = dec.normalize()
    return format_vn(normal, decimals=max(0, -int(normal.as_tuple().exponent)))


def names(units: Sequence[UnitResult]) -> str:
    """Unit names joined the way the seeds list them."""
    return "; ".join(u.name for u in units)


def _grade_label(index_set: IndexSet, grade: str) -> str:
    return next(b.label for b in index_set.bands if b.grade == grade)


# --- 1. Kết quả đánh giá, xếp loại ------------------------------------------------------------


def _single_unit(data: NarrativeInput, unit: UnitResult) -> Sentence:
    say = data.phrasing.say
    if not unit.scored:
        text = say("single_unit_no_data", unit=unit.name)
        return Sentence(text, "not_scored", (unit.unit_code,))
    converted = data.results.rounded(unit.converted)
    text = say(
        "single_unit",
        unit=unit.name,
        converted=format_vn(converted) if converted is not None else "-",
        total=score_text(unit.total),
        max=score_text(unit.max),
        grade=unit.grade_label or "-",
    )
    return Sentence(text, "single_unit", (unit.unit_code,), subject=unit.grade)


def _grades_listed(data: NarrativeInput, units: Sequence[UnitResult]) -> list[str]:
    present = {u.grade for u in units}
    always = set(data.profile.grades_always_listed)
    return [b.grade for b in data.index_set.bands if b.grade in always or b.grade in present]


def _section_sentences(data: NarrativeInput, section: UnitSection) -> list[Sentence]:
    say = data.phrasing.say
    units = list(section.units)
    scored = [u for u in units if u.grade is not None]
    out = [
        Sentence(
            say("evaluated", evaluated=padded(len(scored)), total=padded(len(units))),
            "evaluated",
            tuple(u.unit_code for u in scored),
            len(scored),
            len(units),
        )
    ]
    total = len(scored)  # "trong đó": the classes share the units evaluated
    for grade in _grades_listed(data, scored):
        members = [u for u in scored if u.grade == grade]
        label = _grade_label(data.index_set, grade)
        if members:
            text = say(
                "grade_line",
                count=padded(len(members)),
                total=padded(total),
                grade=label,
                units=names(members),
            )
        else:
            text = say("grade_none", grade=label)
        codes = tuple(u.unit_code for u in members)
        out.append(Sentence(text, "grade", codes, len(members), total, grade))
    unscored = [u for u in units if u.grade is None]
    if unscored:
        codes = tuple(u.unit_code for u in unscored)
        out.append(Sentence(say("not_scored", units=names(unscored)), "not_scored", codes))
    return out


def results_sentences(data: NarrativeInput) -> list[Sentence]:
    """Section 1: the counts per grade with the unit lists (or one unit's result)."""
    if len(data.units) == 1:
        return [_single_unit(data, data.units[0])]
    out: list[Sentence] = []
    several = len(data.sections) > 1
    for section in data.sections:
        if several:
            text = data.phrasing.say("section_intro", section=f"{section.numeral}. {section.title}")
            out.append(Sentence(text, "section_intro", subject=section.numeral))
        out += _section_sentences(data, section)
    out.append(Sentence(data.phrasing.say("annex_pointer"), "pointer"))
    return out
