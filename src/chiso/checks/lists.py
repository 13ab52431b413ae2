"""Shortcomings named in the narrative against the table.

* Late dossiers ("hồ sơ xử lý quá hạn: UBND phường A", "trễ hạn (UBND B, C 02 hồ
  sơ …)"): every unit named must have lost points in the progress group, and
  every unit that lost points there must be named.
* Indicator lists under a group heading ("Nhóm số hóa hồ sơ: 01 đơn vị chưa
  thực hiện: UBND A; 04 đơn vị … tỷ lệ còn thấp: B, C, D - Chỉ số 1"): the count
  must equal the names listed; "chưa thực hiện" means 0 points, "chưa đảm bảo
  50 %" below half the maximum (both exact lists), "còn (rất) thấp" above 0 and
  below the maximum.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal

from chiso.checks.findings import Finding, vn
from chiso.checks.narrative import Scored
from chiso.checks.rows import full_marks
from chiso.checks.text import Item, folded, list_names
from chiso.i18n import N_, _
from chiso.ingest.scores.annex import AnnexTable
from chiso.ingest.scores.columns import words
from chiso.ingest.scores.names import NameResolver, Resolution
from chiso.spec.canonical import Group, Indicator

__all__ = ["check_lists"]

_LATE = re.compile(r"qua han|tre han")
_REF = re.compile(r"chi\s*s\S{0,2}\s*(\d)\b")
_CLAUSE = re.compile(r";\s*(?=\d{1,3}\s+don vi)")
_COUNTED = re.compile(r"(\d{1,3})\s+don vi\s+([^:]*)(?::(.*))?$")
Condition = tuple[str, Callable[[Decimal, Decimal], bool], bool]


def _condition(text: str) -> Condition | None:
    if "chua dam b" in text and "50" in text:
        return N_("below half of the maximum"), lambda v, m: v < m / 2, True
    if re.search(r"chua th\S{0,2}c hi", text) and "xong" not in text:
        return N_("0 points (not done)"), lambda v, m: v == 0, True
    if "thap" in text:
        return N_("above 0 but below the maximum"), lambda v, m: 0 < v < m, False
    return None


def _heading_group(item: Item, table: AnnexTable) -> Group | None:
    text = re.sub(r"^[-+•\s]+", "", item.key)
    if not text.startswith("nhom"):
        return None
    have = words(text.split(":")[0])
    best = max(
        table.index_set.groups, key=lambda g: len(have & words(g.label)) / len(words(g.label))
    )
    return best if have & words(best.label) else None


class _Checker:
    def __init__(self, table: AnnexTable, rows: Sequence[Scored], resolver: NameResolver) -> None:
        self.table, self.rows, self.resolver = table, list(rows), resolver
        self.findings: list[Finding] = []
        self.names: list[tuple[str, Resolution]] = []

    def _named(self, item: Item, text: str) -> list[Resolution]:
        found, unknown = list_names(text, self.resolver)
        self.names += [(item.where, r) for r in found]
        self.findings += [
            Finding("warning", "naming", item.where, _('unknown unit "{name}"').format(name=n))
            for n in unknown
        ]
        return found

    def late(self, late_items: Sequence[Item]) -> None:
        progress = [g for g in self.table.index_set.groups if {"tien", "do"} <= words(g.label)]
        codes = [i.code for g in progress for i in g.indicators]
        if not codes:
            return
        named: dict[str, tuple[Item, Resolution]] = {}
        for item in late_items:
            text = item.text
            if "(" in text and ":" not in text:
                text = text[text.index("(") + 1 : text.rfind(")") if ")" in text else len(text)]
            elif ":" in text:
                text = text[text.index(":") + 1 :]
            for r in self._named(item, text):
                named.setdefault(r.unit.unit_code, (item, r))
        if not named:
            return
        for s in self.rows:
            late = not full_marks(self.table, s.checked.row, codes)
            if s.code in named and not late:
                item, r = named[s.code]
                self.findings.append(Finding(
                    "error", "late", item.where,
                    _('"{name}" is named as late but has full marks for progress').format(
                        name=r.printed
                    ),
                ))  # fmt: skip
            if late and s.code not in named:
                cells = ", ".join(vn(v.value) for c, v in s.checked.row.cells if c in codes and v)
                self.findings.append(Finding(
                    "error", "late", late_items[0].where,
                    _("{name} lost progress points ({cells}) but is not named as late").format(
                        name=s.checked.row.name, cells=cells
                    ),
                ))  # fmt: skip

    def clause(self, item: Item, ind: Indicator, clause: str, offset: int) -> None:
        m = _COUNTED.search(folded(clause))
        condition = _condition(m.group(2)) if m else None
        if m is None or condition is None:
            return
        meaning, test, exact = condition
        meaning = _(meaning)
        said = int(m.group(1))
        meets = [
            s
            for s in self.rows
            if (v := s.checked.row.cells_dict.get(ind.code)) is not None and test(v.value, ind.max)
        ]
        where = f"{item.where}, {ind.group_label} {ind.label}"
        listed = clause[m.start(3) :] if m.group(3) else None
        if listed is None:
            if said != len(meets):
                self.findings.append(
                    Finding(
                        "error",
                        "count",
                        where,
                        _("units with {meaning}").format(meaning=meaning),
                        f"{said:02d}",
                        f"{len(meets):02d}",
                    )
                )
            return
        named = self._named(item, listed)
        if said != len(named):
            self.findings.append(Finding(
                "error", "list", where,
                _("the count says {said:02d} units, the list names {named}").format(
                    said=said, named=len(named)
                ),
                f"{said:02d}", f"{len(named):02d}",
            ))  # fmt: skip
        codes = {s.code for s in meets}
        for r in named:
            if r.unit.unit_code not in codes:
                self.findings.append(
                    Finding(
                        "error",
                        "list",
                        where,
                        _('"{name}" does not have {meaning}').format(
                            name=r.printed, meaning=meaning
                        ),
                    )
                )
        if exact:
            listed_codes = {r.unit.unit_code for r in named}
            for s in meets:
                if s.code not in listed_codes:
                    self.findings.append(
                        Finding(
                            "error",
                            "list",
                            where,
                            _("{name} has {meaning} but is not named").format(
                                name=s.checked.row.name, meaning=meaning
                            ),
                        )
                    )

    def indicator_item(self, item: Item, group: Group) -> None:
        ref = _REF.search(item.key)
        if ref is None or not 1 <= int(ref.group(1)) <= len(group.indicators):
            return
        ind = group.indicators[int(ref.group(1)) - 1]
        text = item.text[: ref.start()]
        for clause in _CLAUSE.split(text):
            self.clause(item, ind, clause, 0)


def check_lists(
    items: Sequence[Item], table: AnnexTable, rows: Sequence[Scored], resolver: NameResolver
) -> tuple[list[Finding], list[tuple[str, Resolution]]]:
    """Findings on the late-dossier and per-indicator lists, and the names they printed."""
    checker = _Checker(table, rows, resolver)
    checker.late([i for i in items if _LATE.search(i.key)])
    group: Group | None = None
    for item in items:
        group = _heading_group(item, table) or group
        if group is not None and _REF.search(item.key):
            checker.indicator_item(item, group)
    return checker.findings, checker.names
