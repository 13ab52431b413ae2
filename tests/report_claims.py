"""Check every narrative sentence of a report against the numbers it claims.

The expectations are recomputed here from the results and statistics with plain
comprehensions, independently of the rules in ``chiso.reports``: a sentence
passes when the units it names (in printed order), its count and its total are
what the data say, and its text prints them.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from chiso.engine.results import UnitResult
from chiso.reports.facts import Facts
from chiso.reports.narrative import Sentence
from chiso.reports.report_data import ReportContext

LOW = Fraction(1, 2)
TARGET = Fraction(1, 4)
TIMELINESS = {"tien_do", "dossiers_on_time", "tc1"}


def _ratio(unit: UnitResult, code: str) -> Fraction | None:
    ind = unit.indicator(code)
    if not ind.applicable or ind.points is None:
        return None
    return ind.points / Fraction(ind.max)


def expected_units(s: Sentence, units: list[UnitResult], facts: Facts) -> list[str] | None:
    """The unit codes a sentence of this rule must name, from the data alone."""
    code = s.subject or ""
    late = facts.late or ()
    checks: dict[str, Callable[[], list[str]]] = {
        "not_started": lambda: [u.unit_code for u in units if _ratio(u, code) == 0],
        "low_rate": lambda: [
            u.unit_code for u in units if (r := _ratio(u, code)) is not None and 0 < r < LOW
        ],
        "late_by_score": lambda: [
            u.unit_code
            for u in units
            for i in u.indicators
            if i.code in TIMELINESS and i.applicable and i.points is not None and i.points < i.max
        ],
        "late_finished": lambda: [
            u.unit_code for u in units if any(r.unit_code == u.unit_code and r.finished_late
                                              for r in late)
        ],
        "late_pending": lambda: [
            u.unit_code for u in units if any(r.unit_code == u.unit_code and r.pending_late
                                              for r in late)
        ],
        "late_supplement": lambda: [
            u.unit_code for u in units if any(r.unit_code == u.unit_code and r.supplement_over
                                              for r in late)
        ],
        "payment_target": lambda: [
            r.unit_code for r in facts.fees or () if r.dossiers and
            Fraction(r.online[1], r.dossiers) < TARGET
        ],
        "digitisation_components": lambda: [
            r.unit_code for r in facts.digitisation or ()
            if r.received and Fraction(r.components, r.received) < LOW
        ],
        "digitisation_results": lambda: [
            r.unit_code for r in facts.digitisation or ()
            if r.finished and Fraction(r.results, r.finished) < LOW
        ],
        "best": lambda: [max(units, key=lambda u: u.converted or 0).unit_code],
    }  # fmt: skip
    return checks[s.rule]() if s.rule in checks else None


def check_sentence(s: Sentence, units: list[UnitResult], facts: Facts) -> None:
    """Assert one sentence states what the data say."""
    by_code = {u.unit_code: u for u in units}
    names = {**facts.names, **{u.unit_code: u.name for u in units}}
    want = expected_units(s, units, facts)
    if want is not None:
        assert list(s.units) == want, (s.rule, s.text)
        if s.rule not in ("late_finished", "late_pending", "late_supplement"):
            assert s.count in (None, len(want)) or s.rule == "best", s.text
    if s.rule == "grade":
        # One sentence per section: its units all have the grade, in ranking order.
        assert all(by_code[c].grade == s.subject for c in s.units), s.text
        ranked = [u.unit_code for u in units if u.unit_code in s.units]
        assert list(s.units) == ranked
        if s.count:
            assert f"{s.count:02d}/{s.total:02d} đơn vị" in s.text
        else:
            assert s.text.endswith("Không.")
    if s.rule == "best":
        best = by_code[s.units[0]]
        full = [i for i in best.indicators if i.applicable and i.points == i.max and i.max]
        assert s.count == len(full)
        assert f"{len(full)}/{s.total} chỉ số" in s.text
    silent = s.rule in ("evaluated", "average")
    positions = [s.text.index(names[c]) for c in s.units if not silent]
    assert positions == sorted(positions), s.text


def check_report(ctx: ReportContext, units: list[UnitResult], facts: Facts) -> int:
    """Check every sentence; return how many made a checkable claim."""
    checked = 0
    for s in ctx.sentences():
        check_sentence(s, units, facts)
        checked += bool(s.units)
    for grade in {u.grade for u in units}:
        named = [c for s in ctx.sentences() if s.rule == "grade" and s.subject == grade
                 for c in s.units]  # fmt: skip
        if named or len(units) > 1:
            assert sorted(named) == sorted(u.unit_code for u in units if u.grade == grade)
    evaluated = [s for s in ctx.sentences() if s.rule == "evaluated"]
    if evaluated:
        grades = [s for s in ctx.sentences() if s.rule == "grade"]
        assert sum(s.count or 0 for s in grades) == sum(s.count or 0 for s in evaluated)
    return checked
