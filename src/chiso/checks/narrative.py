"""The narrative against the score table: units evaluated, units per class, full marks.

Statements read ("09/10 đơn vị xếp loại Xuất sắc: UBND xã A; …", "Xếp loại Khá:
Không.", "chấm điểm đánh giá 12/12 đơn vị", "07 đơn vị xếp loại xuất sắc, 08 …",
"17/18 đơn vị đạt loại Xuất sắc", "UBND xã X đạt … 7/8 chỉ số đạt điểm tối
đa") are compared with the classes recomputed from the table (not the printed
ones).  A count "N/M" refers to the table section with M rows when there is one; a
count without "/M" and "Xếp loại X: Không." refer to the section of the last "chấm
điểm đánh giá N/M đơn vị" before them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from chiso.checks.findings import Finding
from chiso.checks.rows import CheckedRow
from chiso.checks.text import Item, list_names
from chiso.i18n import _
from chiso.ingest.scores.annex import AnnexTable, grade_of
from chiso.ingest.scores.names import NameResolver, Resolution

__all__ = ["Scored", "check_classes"]

_EVALUATED = re.compile(r"danh gia\s+(\d{1,3})\s*/\s*(\d{1,3})\s+don vi")
_GRADE = re.compile(
    r"(\d{1,3})(?:\s*/\s*(\d{1,3}))?\s+don vi\s+(?:duoc danh gia\s+)?(?:xep loai|dat loai)\s+"
    r"([a-z]+(?: [a-z]+)?)"
)
_NONE = re.compile(r"xep loai\s+([a-z]+(?: [a-z]+)?)\s*:\s*khong\b")
_FULL = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s+chi\s*s\S{0,2}\s+dat\s+di\S*m\s+t\S{0,2}i\s+da")
_NEXT = re.compile(r"\d{1,3}(?:\s*/\s*\d{1,3})?\s+don vi")


@dataclass(frozen=True)
class Scored:
    """A checked row with the unit it names (``row:<where>`` when it names none)."""

    checked: CheckedRow
    code: str


def _scope(rows: Sequence[Scored], table: AnnexTable, total: int | None) -> list[Scored]:
    """The rows of the section with ``total`` rows, or ``total`` classed rows (a section
    whose units without data print no score), else every row."""
    if total is not None and len(table.sections) > 1:
        for _key, section in table.sections:
            ids = {id(r) for r in section}
            inside = [s for s in rows if id(s.checked.row) in ids]
            if total in (len(section), sum(1 for s in inside if s.checked.grade is not None)):
                return inside
    return list(rows)


def _grade(words: str, table: AnnexTable) -> str | None:
    two = grade_of(words, table.index_set)
    return two if two is not None else grade_of(words.split()[0], table.index_set)


def _label(table: AnnexTable, grade: str) -> str:
    return next(b.label for b in table.index_set.bands if b.grade == grade)


class _Checker:
    def __init__(self, table: AnnexTable, rows: Sequence[Scored], resolver: NameResolver) -> None:
        self.table, self.rows, self.resolver = table, list(rows), resolver
        self.findings: list[Finding] = []
        self.names: list[tuple[str, Resolution]] = []
        #: M of the last "chấm điểm đánh giá N/M đơn vị": the section the statements
        #: after it speak of ("Xếp loại Xuất sắc: Không." under "I. Các cơ quan …").
        self.section_total: int | None = None

    def _names(self, item: Item, text: str) -> list[Resolution]:
        found, unknown = list_names(text, self.resolver)
        self.names += [(item.where, r) for r in found]
        for name in unknown:
            self.findings.append(Finding(
                "warning", "naming", item.where, _('unknown unit "{name}"').format(name=name)
            ))  # fmt: skip
        return found

    def evaluated(self, item: Item) -> None:
        for m in _EVALUATED.finditer(item.key):
            said, out_of = int(m.group(1)), int(m.group(2))
            self.section_total = out_of
            scope = _scope(self.rows, self.table, out_of)
            # a row without any score (a unit without data) is listed, not evaluated
            scored = sum(1 for s in scope if s.checked.grade is not None)
            if said != scored or out_of != len(scope):
                self.findings.append(Finding(
                    "error", "count", item.where,
                    _("units evaluated: the table has {rows} rows, {scored} with a score").format(
                        rows=len(scope), scored=scored
                    ),
                    f"{said}/{out_of}", f"{scored:02d}/{len(scope):02d}",
                ))  # fmt: skip

    def _compare(
        self, item: Item, grade: str, said: int, scope: list[Scored], listed: str | None
    ) -> None:
        have = [s for s in scope if s.checked.grade == grade]
        label = _label(self.table, grade)
        if said != len(have):
            names = ", ".join(s.checked.row.name for s in have) or _("none")
            self.findings.append(Finding(
                "error", "count", item.where,
                _("units classed {label}: {names}").format(
                    label=label, names=names
                ),
                f"{said:02d}", f"{len(have):02d}",
            ))  # fmt: skip
        if listed is None:
            return
        named = self._names(item, listed)
        codes = {r.unit.unit_code for r in named}
        for s in have:
            if s.code not in codes:
                self.findings.append(Finding(
                    "error", "list", item.where,
                    _("{name} is {label} but not named").format(
                        name=s.checked.row.name, label=label
                    ),
                ))  # fmt: skip
        wanted = {s.code for s in have}
        for r in named:
            if r.unit.unit_code not in wanted:
                self.findings.append(Finding(
                    "error", "list", item.where,
                    _('"{name}" is named as {label} but is not').format(
                        name=r.printed, label=label
                    ),
                ))  # fmt: skip

    def classes(self, item: Item) -> None:
        key = item.key
        for m in _GRADE.finditer(key):
            grade = _grade(m.group(3), self.table)
            if grade is None:
                continue
            out_of = int(m.group(2)) if m.group(2) else self.section_total
            scope = _scope(self.rows, self.table, out_of)
            listed = None
            rest = key[m.end() :]
            if rest.lstrip().startswith(":"):
                start = m.end() + rest.index(":") + 1
                stop = _NEXT.search(key, start)
                listed = item.text[start : stop.start() if stop else len(key)]
            self._compare(item, grade, int(m.group(1)), scope, listed)
        for m in _NONE.finditer(key):
            grade = _grade(m.group(1), self.table)
            if grade is not None:
                self._compare(
                    item, grade, 0, _scope(self.rows, self.table, self.section_total), None
                )

    def full_marks(self, item: Item) -> None:
        for m in _FULL.finditer(item.key):
            start = item.key.rfind("ubnd", 0, m.start())
            stop = item.key.find(" dat ", start)
            if start < 0 or stop < 0:
                continue
            named = self._names(item, item.text[start:stop])
            rows = [s for s in self.rows if named and s.code == named[0].unit.unit_code]
            if not rows:
                continue
            row = rows[0].checked.row
            maxima = {i.code: i.max for i in self.table.index_set.indicators}
            printed = [(c, v) for c, v in row.cells if v is not None]
            at_max = sum(1 for c, v in printed if v.value >= maxima[c])
            if (int(m.group(1)), int(m.group(2))) != (at_max, len(printed)):
                self.findings.append(Finding(
                    "error", "count", item.where,
                    _("indicators at their maximum for {name}").format(
                        name=row.name
                    ),
                    f"{m.group(1)}/{m.group(2)}", f"{at_max}/{len(printed)}",
                ))  # fmt: skip


def check_classes(
    items: Sequence[Item], table: AnnexTable, rows: Sequence[Scored], resolver: NameResolver
) -> tuple[list[Finding], list[tuple[str, Resolution]]]:
    """Findings on the class statements, and every unit name the statements printed."""
    checker = _Checker(table, rows, resolver)
    for item in items:
        checker.evaluated(item)
        checker.classes(item)
        checker.full_marks(item)
    return checker.findings, checker.names
