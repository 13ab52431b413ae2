"""Reconcile the portal's group scores with chiso's: a per-unit, per-group difference table.

For every unit with ``portal_scores`` in the period, the engine scores the unit pooled
over its subtree (as the portal does, ``domain.md`` §3.7) and each group's applicable
points are compared with the portal's score.  ``difference`` = ours − portal; the status
is ``equal`` within the tolerance (default 0,015: the error with which the portal's
scores were re-derived from its own counts, R12), ``differs`` beyond it, or
``missing_ours`` / ``missing_portal`` when one side has no score (every row is
``missing_ours`` when the data holds portal scores but no dossiers).  Each row notes what
explains a gap that chiso knows of: indicators with no manual value entered, indicators
not applicable to the unit, a different maximum.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from chiso.contracts.national import Reconciliation as Document
from chiso.contracts.national import ReconciliationLine as Line
from chiso.domain.periods import Period
from chiso.domain.rounding import format_vn, to_decimal
from chiso.engine.results import UnitResult
from chiso.engine.runner import Level, score
from chiso.errors import UserError
from chiso.i18n import N_, _
from chiso.portal.groups import GROUPS, check_index_set
from chiso.spec.canonical import IndexSet
from chiso.storage.store import Store
from chiso.storage.unitdata import tree_of

__all__ = [
    "DEFAULT_TOLERANCE", "Cause", "GroupDifference", "Reconciliation", "Status", "reconcile",
]  # fmt: skip

DEFAULT_TOLERANCE = Decimal("0.015")
_PLACES = Decimal("0.0001")
Counts = tuple[Fraction, Fraction]  # (numerator, denominator): on-time and received dossiers
NO_DOSSIERS = N_("no dossiers yet: the data has no dossiers table to score")
#: The notes of a line (translated when made); :func:`cause_of` reads them by their
#: beginning, the text before the placeholder.
_MANUAL = N_("no score entered: {codes}")
_EXCLUDED = N_("not applicable: {codes}")
_MAXIMUM = N_("a different maximum: portal {portal}, chiso {ours}")


def _opening(note: str) -> str:
    """The translated beginning of a note, before its first placeholder."""
    return _(note).split("{", 1)[0]


class Status(StrEnum):
    """How the two scores of one unit and group compare."""

    EQUAL = "equal"
    DIFFERS = "differs"
    MISSING_OURS = "missing_ours"
    MISSING_PORTAL = "missing_portal"


class Cause(StrEnum):
    """The likely cause of a gap, in the words of a province's reconciliation work."""

    COUNTS = "số hồ sơ khác nhau"
    RULE = "quy tắc tính khác"
    MANUAL = "thiếu điểm nhập tay"
    UNKNOWN = "chưa rõ: Cổng không cho số hồ sơ để so"
    MISSING_PORTAL = "thiếu trên cổng"
    MISSING_OURS = "thiếu ở hệ thống tỉnh"


def cause_of(
    status: Status, counts: tuple[Counts | None, Counts | None], notes: tuple[str, ...]
) -> Cause | None:
    """Why the two sides of a line differ (``None`` when they agree).

    ``counts`` are (portal's, ours) (numerator, denominator) where known: counts that
    differ explain the gap; counts that agree with points that differ mean a rule differs.
    Without the portal's counts, chiso's notes decide: manual indicators without a
    value, else a maximum or applicability that differs, else unknown.

        >>> cause_of(Status.DIFFERS, ((5, 10), (6, 10)), ()).value
        'số hồ sơ khác nhau'
        >>> cause_of(Status.DIFFERS, ((5, 10), (5, 10)), ()).value
        'quy tắc tính khác'
        >>> cause_of(Status.MISSING_PORTAL, (None, None), ()).value
        'thiếu trên cổng'
    """
    if status is Status.EQUAL:
        return None
    if status is Status.MISSING_PORTAL:
        return Cause.MISSING_PORTAL
    if status is Status.MISSING_OURS:
        return Cause.MISSING_OURS
    portal, ours = counts
    if portal is not None and ours is not None:
        return Cause.COUNTS if portal != ours else Cause.RULE
    if any(n.startswith(_opening(_MANUAL)) for n in notes):
        return Cause.MANUAL
    if any(n.startswith((_opening(_EXCLUDED), _opening(_MAXIMUM))) for n in notes):
        return Cause.RULE
    return Cause.UNKNOWN


@dataclass(frozen=True)
class GroupDifference:
    """One unit × group line of the reconciliation."""

    unit_code: str
    unit_name: str
    group: str
    portal_code: str
    portal: Decimal | None
    portal_max: Decimal | None
    ours: Fraction | None
    ours_max: Fraction | None
    difference: Decimal | None
    status: Status
    notes: tuple[str, ...]
    source: str | None
    cause: Cause | None = None

    def contract(self) -> Line:
        """Its JSON contract (:class:`chiso.contracts.national.ReconciliationLine`;
        numbers with up to 4 decimals)."""
        return Line(
            unit_code=self.unit_code, unit_name=self.unit_name, group=self.group,
            portal_code=self.portal_code, portal=json_number(self.portal),
            portal_max=json_number(self.portal_max), ours=json_number(self.ours),
            ours_max=json_number(self.ours_max), difference=json_number(self.difference),
            status=self.status.value, notes=list(self.notes), source=self.source,
            cause=None if self.cause is None else self.cause.value,
        )  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        """:meth:`contract` as plain JSON."""
        return self.contract().dump()


@dataclass(frozen=True)
class Reconciliation:
    """The whole table and the tolerance it was judged with."""

    index_set: str
    period: str
    period_label: str
    tolerance: Decimal
    rows: tuple[GroupDifference, ...]

    @property
    def differs(self) -> bool:
        """Whether any difference exceeds the tolerance."""
        return any(r.status is Status.DIFFERS for r in self.rows)

    def by_group(self) -> Reconciliation:
        """The same lines, group by group (the portal's group order), units within."""
        order = {spec.group: n for n, spec in enumerate(GROUPS.values())}
        rows = sorted(self.rows, key=lambda r: order.get(r.group, len(order)))  # stable
        return replace(self, rows=tuple(rows))

    def contract(self) -> Document:
        """Its JSON contract (:class:`chiso.contracts.national.Reconciliation`,
        docs/portal.md)."""
        return Document(
            index_set=self.index_set,
            period=self.period,
            period_label=self.period_label,
            tolerance=float(self.tolerance),
            counts={s.value: sum(r.status is s for r in self.rows) for s in Status},
            rows=[r.contract() for r in self.rows],
        )

    def to_json(self) -> dict[str, Any]:
        """:meth:`contract` as plain JSON."""
        return self.contract().dump()


def json_number(value: Decimal | Fraction | None) -> float | None:
    """A point figure for JSON: 4 decimals, ``None`` kept."""
    if value is None:
        return None
    dec = to_decimal(value) if isinstance(value, Fraction) else value
    return float(dec.quantize(_PLACES))


def portal_rows(store: Store, index_set: IndexSet, period: Period) -> list[dict[str, Any]]:
    if not store.has("portal_scores"):
        raise UserError(
            _("{source}: no score taken from the national public service portal yet").format(
                source=store.source
            ),
            hint=_(
                "import the captures from the portal first: chiso import portal FILE… --into FOLDER"
            ),
        )
    t = store.table("portal_scores")
    expr = t.filter((t.index_set == index_set.id) & (t.period == period.code))
    rows: list[dict[str, Any]] = store.to_pyarrow(expr).to_pylist()
    if not rows:
        raise UserError(
            _(
                "{source}: no score taken from the national public service portal for {period} "
                "(index set {index_set})"
            ).format(source=store.source, period=period.label, index_set=index_set.id),
            hint=_(
                "check --period and --index-set, or import the portal's capture of that "
                "period: chiso import portal FILE… --into FOLDER"
            ),
        )
    return rows


def judged_at_capture(period: Period, rows: list[dict[str, Any]]) -> Period:
    """``period`` judged when the portal's responses were captured.

    The portal scores a running month live: a response captured before the month ended
    holds the month up to that instant, so ours is computed as of the latest capture
    time when it falls inside the period (and before the period's own ``as_of``).
    Responses without a capture time leave the period as it is.

        >>> from datetime import datetime
        >>> from chiso.domain.periods import Period
        >>> month = Period.of_month(2026, 10)
        >>> judged_at_capture(month, [{"fetched_at": datetime(2026, 10, 29, 9)}]).as_of
        datetime.datetime(2026, 10, 29, 9, 0)
        >>> judged_at_capture(month, [{"fetched_at": datetime(2026, 11, 2)}]).as_of
        datetime.datetime(2026, 11, 1, 0, 0)
    """
    taken = [r["fetched_at"] for r in rows if r.get("fetched_at") is not None]
    if not taken:
        return period
    moment = max(taken)
    if period.start <= moment < period.as_of:
        return replace(period, as_of=moment)
    return period


def _counts(unit: UnitResult, group: str) -> Counts | None:
    """The counts of the group's first counted indicator computed from counts, if any."""
    for i in unit.indicators:
        if i.group == group and i.in_total and i.denominator is not None:
            return (Fraction(i.numerator or 0), Fraction(i.denominator))
    return None


def _portal_counts(stored: dict[str, Any] | None) -> Counts | None:
    if stored is None or stored.get("denominator") is None:
        return None
    numerator = stored.get("numerator") or 0
    return (Fraction(str(numerator)), Fraction(str(stored["denominator"])))


def _ours(unit: UnitResult, group: str) -> tuple[Fraction | None, Fraction | None, list[str]]:
    """Applicable points and maximum of ``group``, and notes on what is left out."""
    points = unit.group_points().get(group)
    counted = [i for i in unit.indicators if i.group == group and i.in_total]
    maximum = sum((Fraction(i.max) for i in counted if i.applicable), Fraction(0))
    manual = [i.code for i in counted if i.source == "manual" and not i.applicable]
    excluded = [i.code for i in counted if i.note == "-" and i.code not in manual]
    notes = [_(_MANUAL).format(codes=", ".join(manual))] if manual else []
    notes += [_(_EXCLUDED).format(codes=", ".join(excluded))] if excluded else []
    return points, (maximum if points is not None else None), notes


def short(value: Decimal | Fraction) -> str:
    """A maximum as printed: ``18``, ``7,5``.

    Examples:
        >>> short(Decimal("10.00")), short(Fraction(15, 2))
        ('10', '7,5')
    """
    dec = to_decimal(value) if isinstance(value, Fraction) else value
    if dec == dec.to_integral_value():
        return format_vn(dec.quantize(Decimal(1)))
    return format_vn(dec.normalize())


def _compare(
    portal: Decimal | None, ours: Fraction | None, tolerance: Decimal
) -> tuple[Decimal | None, Status]:
    if portal is None:
        return None, Status.MISSING_PORTAL
    if ours is None:
        return None, Status.MISSING_OURS
    difference = (to_decimal(ours) - portal).quantize(_PLACES) + 0  # + 0: no "-0"
    return difference, Status.EQUAL if abs(difference) <= tolerance else Status.DIFFERS


def _line(unit: UnitResult, code: str, stored: dict[str, Any] | None, tolerance: Decimal
          ) -> GroupDifference | None:  # fmt: skip
    spec = GROUPS[code]
    ours, ours_max, notes = _ours(unit, spec.group)
    portal = portal_decimal(stored["score"]) if stored else None
    portal_max = portal_decimal(stored["max_score"]) if stored else None
    if portal is None and ours is None:
        return None
    difference, status = _compare(portal, ours, tolerance)
    if portal_max is not None and ours_max is not None and Fraction(portal_max) != ours_max:
        notes.append(_(_MAXIMUM).format(portal=short(portal_max), ours=short(ours_max)))
    counts = (_portal_counts(stored), _counts(unit, spec.group))
    return GroupDifference(
        unit.unit_code, unit.name, spec.group, code, portal, portal_max, ours, ours_max,
        difference, status, tuple(notes), stored["source"] if stored else None,
        cause_of(status, counts, tuple(notes)),
    )  # fmt: skip


def portal_decimal(value: float | None) -> Decimal | None:
    """The portal's 2-decimal figures, back from the stored float."""
    return None if value is None else Decimal(repr(value)).quantize(_PLACES).normalize()


def _without_dossiers(store: Store, stored: list[dict[str, Any]]) -> tuple[GroupDifference, ...]:
    """Every portal row missing on chiso's side: the data holds no dossiers to score."""
    tree = tree_of(store)
    code_of = {spec.group: code for code, spec in GROUPS.items()}
    lines = []
    for row in stored:
        unit = tree.get(row["unit_code"]) if row["unit_code"] in tree else None
        lines.append(GroupDifference(
            row["unit_code"], unit.name if unit else row["unit_code"], row["group"],
            code_of.get(row["group"], row["group"]), portal_decimal(row["score"]),
            portal_decimal(row["max_score"]),
            None, None, None, Status.MISSING_OURS, (_(NO_DOSSIERS),), row["source"],
            Cause.MISSING_OURS,
        ))  # fmt: skip
    kind = {u.unit_code: u.kind.value for u in tree}
    order = {spec.group: n for n, spec in enumerate(GROUPS.values())}
    lines.sort(key=lambda r: (kind.get(r.unit_code) != "tinh", r.unit_code,
                              order.get(r.group, len(order)), r.group))  # fmt: skip
    return tuple(lines)


def reconcile(
    store: Store,
    index_set: IndexSet,
    period: Period,
    *,
    tolerance: Decimal = DEFAULT_TOLERANCE,
) -> Reconciliation:
    """Compare every stored portal group score of ``period`` with the engine's."""
    check_index_set(index_set)
    stored = portal_rows(store, index_set, period)
    period = judged_at_capture(period, stored)
    if not store.has("dossiers"):
        missing = _without_dossiers(store, stored)
        return Reconciliation(index_set.id, period.code, period.label, tolerance, missing)
    by_key = {(r["unit_code"], r["group"]): r for r in stored}
    codes = sorted({r["unit_code"] for r in stored})
    result = score(store, index_set, [period], level=Level("units", tuple(codes)), pooled=True)[0]
    lines = []
    for unit in sorted(result.units, key=lambda u: (u.kind != "tinh", u.unit_code)):
        for code, spec in GROUPS.items():
            line = _line(unit, code, by_key.get((unit.unit_code, spec.group)), tolerance)
            if line is not None:
                lines.append(line)
    label = period.label
    if period.as_of < period.end:
        label = _("{period}, as of {moment:%d/%m/%Y %H:%M}").format(
            period=label, moment=period.as_of
        )
    return Reconciliation(index_set.id, period.code, label, tolerance, tuple(lines))
