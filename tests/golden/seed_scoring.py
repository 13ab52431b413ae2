"""Seed rows scored as their report scored them: the unit tree, the report's index set
(scale, rounding), a printed row resolved and keyed by indicator, a printed class and
narrative names (``test_seed_tables.py``, ``test_seed_reports.py``,
``test_seed_annual_report.py``)."""

from __future__ import annotations

from decimal import Decimal

from seed_tables import Seed, SeedRow, parse_number

from chiso.domain.units import UnitTree
from chiso.engine.reported import ReportedRow, score_reported, with_report_settings
from chiso.engine.results import ResultSet
from chiso.spec.canonical import IndexSet
from chiso.spec.loader import load_index_set

TREE = UnitTree.dienbien()


def printed_total(row: SeedRow) -> Decimal:
    """The printed total; seed 000 prints it as '78,66/80'."""
    return parse_number(row.total.split("/")[0])


def report_index_set(seed: Seed) -> IndexSet:
    """The seed's index set under the report's own scale and rounding."""
    return with_report_settings(
        load_index_set(seed.index_set),
        scale=seed.scale,
        rounding_mode=seed.rounding_mode,
        rounding_decimals=seed.rounding_decimals,
    )


def reported_row(seed: Seed, row: SeedRow) -> ReportedRow:
    """Resolve the printed name in the reporting district and key cells by indicator code."""
    unit = TREE.resolve(row.name, on=seed.on, within=seed.within)
    cells = {
        code: None if text is None else parse_number(text)
        for code, text in zip(seed.columns, row.cells, strict=True)
    }
    return ReportedRow(unit.unit_code, row.name, unit.kind.value, cells, printed_total(row))


def grade_of_label(index_set: IndexSet, printed: str) -> str:
    """The grade whose band label or abbreviation is ``printed`` (XS, Tốt, Trung bình…)."""
    return next(b.grade for b in index_set.bands if printed in (b.label, b.abbrev))


def codes(seed: Seed, names: tuple[str, ...]) -> list[str]:
    """Unit codes of names printed in a seed's narrative."""
    return [TREE.resolve(n, on=seed.on, within=seed.within).unit_code for n in names]


def results_of(seed: Seed) -> ResultSet:
    """The seed's rows scored under the report's own scale and rounding."""
    return score_reported(
        report_index_set(seed),
        [reported_row(seed, r) for r in seed.rows],
        period=seed.period,
        period_label=seed.period_label,
        use_printed_total=seed.use_printed_total,
    )
