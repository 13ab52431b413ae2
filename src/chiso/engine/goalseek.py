"""Plan to the next class: the fewest record changes that lift a unit a class (goal-seek).

A *lever* is a change an officer can still make to a kind of record before the period
ends: finish a dossier in progress on time, have a fee paid online, digitise, sync.
Each lever names the records it may change (``eligible``, judged at the period end;
``savable`` narrows them at the evaluation instant) and how it changes them
(``change``: field → formula of its new value).  Its effect is never approximated:

1. the index set's own atoms are rewritten: for each ``count`` or ``sum`` atom, the
   same aggregate over the eligible records before the change, and with the change
   substituted into its condition and value (:func:`chiso.spec.formula.substitute`);
   the engine computes them all in one query (:func:`chiso.engine.runner.inputs_for`);
2. ``k`` records of a lever move every atom by ``k`` × its per-record difference
   (the average, rounded down, when records differ: not the case in the shipped sets);
3. the unit is scored from the moved atoms by the engine's own path
   (:func:`chiso.engine.assemble.unit_results`: measures, LIN/THR/bands, zero
   denominators, applicability, manual and reported values, totals, classes).

The baseline is the period as it ends if nothing more is done (``as_of`` = the period
end): a dossier in progress that falls due before then counts late.  The target is the
class the unit holds now when the baseline falls below it ("giữ hạng"), otherwise the
next class.  Manual indicators are set at province level: they are listed apart and
never used to reach the target.  ``count_distinct`` atoms (procedures, not records) do
not move.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from chiso.compile.compiler import Atom, index_set_atoms
from chiso.contracts.plan import Plan as PlanDoc
from chiso.contracts.plan import PlanAction
from chiso.domain.periods import Period
from chiso.domain.rounding import fraction
from chiso.domain.units import Unit
from chiso.engine.assemble import Inputs, applies, unit_results
from chiso.engine.evaluate import Exact
from chiso.engine.results import UnitResult, exact
from chiso.engine.runner import inputs_for
from chiso.spec.canonical import Band, IndexSet
from chiso.spec.formula import Binary, Call, Node, parse, substitute
from chiso.storage.store import Store
from chiso.storage.unitdata import tree_of

__all__ = [
    "LEVERS",
    "LEVER_TEXTS",
    "Action",
    "Lever",
    "Plan",
    "WhatIf",
    "basis_score",
    "indicator_moves",
    "plan_unit",
    "plan_units",
    "points_text",
    "what_if",
]


@dataclass(frozen=True)
class Lever:
    """A change the unit can still make to a kind of record."""

    code: str
    table: str
    #: Records the change applies to, judged at the period end.
    eligible: str
    #: Which of them can still be changed, judged at the evaluation instant (``as_of``).
    savable: str
    #: Field → formula of its value once changed.
    change: Mapping[str, str]
    #: What one action says (Vietnamese), after the number of records.
    text: str = ""
    #: Records added like the eligible ones, changed (a forecast's intake), rather than
    #: the eligible records themselves changed.
    new: bool = False


LEVERS: tuple[Lever, ...] = (
    Lever(
        "on_time",
        "dossiers",
        "finished_at is null and due_at is not null and due_at >= period_start"
        " and due_at < period_end and coalesce(supplement_count, 0) <= 1",
        "due_at >= as_of",
        {"finished_at": "due_at"},
        "hồ sơ đang giải quyết trả đúng hạn",
    ),
    Lever(
        "petition_on_time",
        "petitions",
        "handled_at is null and due_at is not null and due_at >= period_start"
        " and due_at < period_end",
        "due_at >= as_of",
        {"handled_at": "due_at"},
        "phản ánh, kiến nghị đang xử lý được trả lời đúng hạn",
    ),
    Lever(
        "pay_online",
        "dossiers",
        "received_at >= period_start and received_at < period_end and finished_at is null"
        " and procedure.has_fee and (payment is null or payment != 'online')",
        "true",
        {"payment": "'online'"},
        "hồ sơ có phí thanh toán trực tuyến",
    ),
    Lever(
        "digitise_components",
        "dossiers",
        "received_at >= period_start and received_at < period_end"
        " and not coalesce(components_digitized, false)",
        "true",
        {"components_digitized": "true"},
        "hồ sơ tiếp nhận trong kỳ được số hóa thành phần",
    ),
    Lever(
        "digitise_result",
        "dossiers",
        "finished_at is not null and finished_at >= period_start and finished_at < period_end"
        " and not coalesce(result_digitized, false)",
        "true",
        {"result_digitized": "true"},
        "hồ sơ đã giải quyết được số hóa kết quả",
    ),
    Lever(
        "sync",
        "dossiers",
        "received_at >= period_start and received_at < period_end and not coalesce(synced, false)",
        "true",
        {"synced": "true"},
        "hồ sơ được đồng bộ lên Cổng DVC quốc gia",
    ),
)

#: What each lever's action says (Vietnamese), by lever code.
LEVER_TEXTS: dict[str, str] = {lever.code: lever.text for lever in LEVERS}


@dataclass(frozen=True)
class Action:
    """Change ``records`` records by one lever (or a province value): ``points`` more."""

    lever: str
    indicator: str
    records: int
    points: Fraction
    description: str
    controls: str  # "unit" or "province"
    #: Points by indicator the action moves (its side effects included, e.g. minus).
    indicators: Mapping[str, Fraction] = field(default_factory=dict)

    def contract(self) -> PlanAction:
        """This action as its JSON contract (:class:`chiso.contracts.plan.PlanAction`)."""
        return PlanAction(
            indicator=self.indicator,
            records=self.records,
            points=exact(self.points) or 0.0,
            description=self.description,
            lever=self.lever,
            controls=self.controls,  # type: ignore[arg-type]  # "unit" or "province"
            indicators={k: exact(v) or 0.0 for k, v in self.indicators.items()},
        )

    def to_json(self) -> dict[str, Any]:
        """JSON object of the documented shape."""
        return self.contract().dump()


@dataclass(frozen=True)
class Plan:
    """What it takes for one unit to reach ``next_class`` by the period end."""

    unit_code: str
    name: str
    period: str
    #: The score now (``as_of`` of the period) and its class label.
    current: Fraction | None
    current_class: str | None
    #: The score at the period end if nothing more is done, and its class label.
    baseline: Fraction | None
    baseline_class: str | None
    next_class: str | None
    keep: bool
    points_needed: Fraction
    reachable: bool
    actions: tuple[Action, ...]
    province: tuple[Action, ...]
    #: The score once every action is made, and its class label.
    after: Fraction | None
    after_class: str | None
    #: False when a lever used changes records unequally (its average effect is used).
    exact: bool = True

    def contract(self) -> PlanDoc:
        """This plan as its JSON contract (:class:`chiso.contracts.plan.Plan`)."""
        return PlanDoc(
            unit_code=self.unit_code,
            name=self.name,
            period=self.period,
            current=exact(self.current),
            current_class=self.current_class,
            baseline=exact(self.baseline),
            baseline_class=self.baseline_class,
            next_class=self.next_class,
            keep=self.keep,
            points_needed=exact(self.points_needed) or 0.0,
            reachable=self.reachable,
            actions=[a.contract() for a in self.actions],
            province=[a.contract() for a in self.province],
            after=exact(self.after),
            after_class=self.after_class,
            exact=self.exact,
        )

    def to_json(self) -> dict[str, Any]:
        """JSON object of the documented shape (``chiso plan --format json``)."""
        return self.contract().dump()


def points_text(value: Fraction | Decimal) -> str:
    """Points as people read them: ``1,9``, ``0,05``, ``2`` (two decimals at most).

    >>> points_text(Fraction(19, 10)), points_text(Fraction(1, 20)), points_text(Decimal(2))
    ('1,9', '0,05', '2')
    """
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    q = value.quantize(Decimal("0.01"))
    text = f"{q:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",").replace("-0", "0") if text != "-0" else "0"


def _and(*nodes: Node | None) -> Node:
    parts = [n for n in nodes if n is not None]
    out = parts[0]
    for node in parts[1:]:
        out = Binary("and", out, node)
    return out


@dataclass(frozen=True)
class _Probe:
    """The what-if atoms of one lever."""

    lever: Lever
    eligible: Atom
    savable: Atom
    #: (index set atom key, atom before the change, atom after the change).
    moves: tuple[tuple[str, Atom, Atom], ...]


def _probes(index_set: IndexSet, levers: Sequence[Lever]) -> list[_Probe]:
    atoms = index_set_atoms(index_set)
    out = []
    count = Call("count", ())
    for lever in levers:
        eligible = parse(lever.eligible)
        change = {name: parse(text) for name, text in lever.change.items()}
        moves = []
        for atom in atoms:
            if atom.table != lever.table or atom.call.name not in ("count", "sum"):
                continue
            after_where = substitute(atom.where, change) if atom.where is not None else None
            moves.append(
                (
                    atom.key,
                    Atom(atom.table, atom.aggregation, _and(atom.where, eligible), atom.call),
                    Atom(
                        atom.table,
                        atom.aggregation,
                        _and(after_where, eligible),
                        substitute(atom.call, change),  # type: ignore[arg-type]
                    ),
                )
            )
        if moves:
            aggregation = moves[0][1].aggregation
            out.append(
                _Probe(
                    lever,
                    Atom(lever.table, aggregation, eligible, count),
                    Atom(lever.table, aggregation, _and(eligible, parse(lever.savable)), count),
                    tuple(moves),
                )
            )
    return out


@dataclass
class WhatIf:
    """The unit's atoms at the period end and each lever's per-record moves."""

    index_set: IndexSet
    unit: Unit
    #: The period judged now, and judged at its end.
    now: Period
    period: Period
    #: The unit's atoms now, with the manual and reported values.
    inputs: Inputs
    base: dict[str, Exact]
    capacity: dict[str, int]
    #: lever → (atom key → (total difference, eligible records)).
    moves: dict[str, dict[str, tuple[Exact, int]]]

    def result(
        self,
        ks: Mapping[str, int],
        manual: Mapping[str, float] | None = None,
        extra: Mapping[str, int] | None = None,
    ) -> UnitResult:
        """The unit at the period end with ``ks[lever]`` records changed by each lever
        (and ``extra`` added to atoms: records changed or added one by one)."""
        atoms: dict[str, Exact] = dict(self.base)
        for key, added in (extra or {}).items():
            atoms[key] = atoms.get(key, 0) + added
        for lever, k in ks.items():
            if not k:
                continue
            for key, (total, count) in self.moves.get(lever, {}).items():
                atoms[key] = atoms.get(key, 0) + _floor(Fraction(total) * k / count)
        cells = dict(self.inputs.manual)
        for code, value in (manual or {}).items():
            cells[(self.unit.unit_code, self.period.code, code)] = value
        inputs = Inputs({(0, self.unit.unit_code): atoms}, cells, self.inputs.reported)
        return unit_results(self.index_set, [self.unit], self.period, 0, inputs)[0]


def _floor(value: Fraction) -> Exact:
    return value.numerator // value.denominator if value.denominator != 1 else value.numerator


def basis_score(index_set: IndexSet, unit: UnitResult) -> Fraction | None:
    """What ranks and classifies: the converted score, or the total (NĐ 61)."""
    if index_set.classification_basis == "total":
        return unit.total if unit.max else None
    return unit.converted


def _threshold(index_set: IndexSet, band: Band) -> Fraction:
    """The score (as :func:`basis_score` gives it) where ``band`` begins."""
    low = fraction(band.min) if band.min is not None else Fraction(0)
    if index_set.classification_basis == "total":
        return low
    return low / 100 * fraction(index_set.scale)


def what_if(
    store: Store,
    index_set: IndexSet,
    period: Period,
    units: Sequence[Unit],
    levers: Sequence[Lever] = LEVERS,
) -> list[WhatIf]:
    """Every unit's model under ``levers`` from one run of the atoms."""
    end = replace(period, as_of=period.end)
    probes = _probes(index_set, levers)
    extra = [a for p in probes for a in (p.eligible, p.savable)]
    extra += [a for p in probes for _, before, after in p.moves for a in (before, after)]
    codes = [u.unit_code for u in units]
    inputs = inputs_for(store, index_set, [period, end], codes, tree_of(store), extra)
    out = []
    for unit in units:
        now_atoms = inputs.values.get((0, unit.unit_code), {})
        end_atoms = inputs.values.get((1, unit.unit_code), {})
        capacity, moves = {}, {}
        for probe in probes:
            eligible = int(end_atoms.get(probe.eligible.key, 0))
            savable = min(int(now_atoms.get(probe.savable.key, 0)), eligible)
            diffs = {
                key: end_atoms.get(after.key, 0)
                - (0 if probe.lever.new else end_atoms.get(before.key, 0))
                for key, before, after in probe.moves
            }
            diffs = {k: v for k, v in diffs.items() if v}
            if savable and diffs:
                capacity[probe.lever.code] = savable
                moves[probe.lever.code] = {k: (v, eligible) for k, v in diffs.items()}
        unit_inputs = Inputs({(0, unit.unit_code): now_atoms}, inputs.manual, inputs.reported)
        out.append(
            WhatIf(index_set, unit, period, end, unit_inputs, dict(end_atoms), capacity, moves)
        )
    return out


def plan_unit(
    store: Store, index_set: IndexSet, period: Period, unit_code: str, *, exhaustive: int = 4000
) -> Plan:
    """The plan of ``unit_code`` for ``period`` (see the module docstring)."""
    unit = tree_of(store).resolve(unit_code, on=period.start.date())
    return plan_units(store, index_set, period, [unit], exhaustive=exhaustive)[0]


def plan_units(
    store: Store,
    index_set: IndexSet,
    period: Period,
    units: Sequence[Unit],
    *,
    exhaustive: int = 4000,
) -> list[Plan]:
    """The plans of ``units`` for ``period``, from one query.

    Args:
        exhaustive: search every combination of levers when there are at most this
            many; otherwise greedy by points per record, then trimmed.
    """
    return [_plan(model, exhaustive) for model in what_if(store, index_set, period, units)]


def _plan(model: WhatIf, exhaustive: int) -> Plan:
    index_set, unit, period = model.index_set, model.unit, model.now
    current = unit_results(index_set, [unit], period, 0, model.inputs)[0]
    baseline = model.result({})
    now_score, base_score = basis_score(index_set, current), basis_score(index_set, baseline)
    target, keep = _target(index_set.bands, current.grade, baseline.grade)
    province = _province(model, baseline)
    if target is None or base_score is None:
        return Plan(
            unit.unit_code, unit.name, period.code, now_score, current.grade_label, base_score,
            baseline.grade_label, None, False, Fraction(0), base_score is not None, (),
            province, base_score, baseline.grade_label,
        )  # fmt: skip
    goal = _threshold(index_set, target)
    ks = _search(model, goal, exhaustive)
    final = model.result(ks)
    final_score = basis_score(index_set, final)
    return Plan(
        unit.unit_code, unit.name, period.code, now_score, current.grade_label, base_score,
        baseline.grade_label, target.label, keep, max(goal - base_score, Fraction(0)),
        final_score is not None and final_score >= goal, _actions(model, ks), province,
        final_score, final.grade_label,
        all(
            total % count == 0
            for lever, k in ks.items() if k
            for total, count in model.moves[lever].values()
        ),
    )  # fmt: skip


def _target(bands: Sequence[Band], now: str | None, base: str | None) -> tuple[Band | None, bool]:
    """The class to reach: the one held now if the baseline falls below it, else the next."""
    order = [b.grade for b in bands]  # best first
    if base is None:
        return None, False
    if now is not None and order.index(now) < order.index(base):
        return bands[order.index(now)], True
    i = order.index(base)
    return (bands[i - 1], False) if i > 0 else (None, False)


def _search(model: WhatIf, goal: Fraction, exhaustive: int) -> dict[str, int]:
    """The fewest records reaching ``goal`` (exhaustive when small, else greedy + trim);
    every record that can change when the goal cannot be reached."""
    size = 1
    for cap in model.capacity.values():
        size *= cap + 1
    found = _exhaustive(model, goal) if size <= exhaustive else _greedy(model, goal)
    return found if found is not None else dict(model.capacity)


def _reached(model: WhatIf, ks: Mapping[str, int]) -> Fraction:
    return basis_score(model.index_set, model.result(ks)) or Fraction(0)


def _exhaustive(model: WhatIf, goal: Fraction) -> dict[str, int] | None:
    """Every combination: the fewest records, then the highest score."""
    levers = list(model.capacity)
    best: tuple[int, Fraction, dict[str, int]] | None = None
    for combo in itertools.product(*(range(model.capacity[lever] + 1) for lever in levers)):
        total = sum(combo)
        if best is not None and total > best[0]:
            continue
        ks = dict(zip(levers, combo, strict=True))
        score = _reached(model, ks)
        if score >= goal and (best is None or (total, -score) < (best[0], -best[1])):
            best = (total, score, ks)
    return None if best is None else best[2]


def _greedy(model: WhatIf, goal: Fraction) -> dict[str, int] | None:
    """Greedy by points per record toward the goal, then each lever trimmed."""
    ks = dict.fromkeys(model.capacity, 0)
    score = _reached(model, ks)
    while score < goal:
        step = _best_step(model, ks, score, goal)
        if step is None:
            return None
        ks[step[0]] += step[1]
        score = _reached(model, ks)
    for lever in ks:  # trim the overshoot, lever by lever
        low, high = 0, ks[lever]
        while low < high:
            mid = (low + high) // 2
            if _reached(model, {**ks, lever: mid}) >= goal:
                high = mid
            else:
                low = mid + 1
        ks[lever] = low
    return ks


def _best_step(
    model: WhatIf, ks: dict[str, int], score: Fraction, goal: Fraction
) -> tuple[str, int] | None:
    """The lever and number of records with the most points per record (toward goal)."""
    best: tuple[Fraction, str, int] | None = None
    for lever, cap in model.capacity.items():
        for step in range(1, cap - ks[lever] + 1):
            gain = min(_reached(model, {**ks, lever: ks[lever] + step}), goal) - score
            if gain > 0:
                rate = gain / step
                if best is None or rate > best[0]:
                    best = (rate, lever, step)
                break
    return None if best is None else (best[1], best[2])


def _actions(model: WhatIf, ks: Mapping[str, int]) -> tuple[Action, ...]:
    """The chosen levers in order of points, each with its marginal points."""
    index_set = model.index_set
    alone = {
        lever: (basis_score(index_set, model.result({lever: k})) or Fraction(0))
        for lever, k in ks.items()
        if k
    }
    order = sorted(alone, key=lambda lever: -alone[lever])
    out = []
    done: dict[str, int] = {}
    before = model.result({})
    for lever in order:
        done[lever] = ks[lever]
        after = model.result(done)
        gain = (basis_score(index_set, after) or Fraction(0)) - (
            basis_score(index_set, before) or Fraction(0)
        )
        moved = indicator_moves(before, after)
        main = max(moved, key=lambda c: moved[c]) if moved else ""
        out.append(
            Action(
                lever, main, ks[lever], gain,
                f"{ks[lever]} {LEVER_TEXTS[lever]}: {_signed(gain)} điểm", "unit", moved,
            )
        )  # fmt: skip
        before = after
    return tuple(out)


def indicator_moves(before: UnitResult, after: UnitResult) -> dict[str, Fraction]:
    """The points each indicator gains from ``before`` to ``after`` (those that move)."""
    out = {}
    for a, b in zip(before.indicators, after.indicators, strict=True):
        diff = (b.points or Fraction(0)) - (a.points or Fraction(0))
        if diff:
            out[a.code] = diff
    return out


def _signed(value: Fraction) -> str:
    return ("+" if value >= 0 else "−") + points_text(abs(value))


def _province(model: WhatIf, baseline: UnitResult) -> tuple[Action, ...]:
    """Manual indicators (set at province level) below their maximum: what each would add."""
    out = []
    index_set = model.index_set
    base = basis_score(index_set, baseline) or Fraction(0)
    for ind in index_set.indicators:
        if ind.source != "manual" or not applies(ind, model.unit, model.period):
            continue
        now = baseline.indicator(ind.code)
        if now.points is not None and now.points >= fraction(ind.max):
            continue
        after = model.result({}, {ind.code: float(ind.max)})
        gain = (basis_score(index_set, after) or Fraction(0)) - base
        out.append(
            Action(
                "manual", ind.code, 0, gain,
                f"{ind.group_label} – {ind.label} (cấp tỉnh nhập) đạt tối đa: {_signed(gain)} điểm",
                "province", indicator_moves(baseline, after),
            )
        )  # fmt: skip
    return tuple(out)
