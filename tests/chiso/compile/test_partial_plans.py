"""Planning atoms as partial aggregates over period-boundary codes."""

from __future__ import annotations

from chiso.compile.compiler import Atom, index_set_atoms
from chiso.compile.partial_plan import TRUE, fold, plan_partials
from chiso.domain.records import MEASURE_TABLES, PERIOD_VARIABLES
from chiso.spec.formula import Call, Node, parse, render
from chiso.spec.loader import load_index_set

TYPES = {**MEASURE_TABLES["dossiers"], **PERIOD_VARIABLES}
RECEIVED = "received_at >= period_start and received_at < period_end"


def _atom(value: str, where: str | None = None) -> Atom:
    call = parse(value)
    assert isinstance(call, Call)
    return Atom("dossiers", "own", parse(where) if where else None, call)


def _integral(node: Node) -> bool:
    return render(node) != "fee_amount"


def test_folding_a_leaf_simplifies_the_conditions_around_it() -> None:
    node = parse("received_at < period_end and (finished_at is null or synced)")
    assert fold(node, {"(received_at < period_end)": False}) == parse("false")
    assert render(fold(node, {"(received_at < period_end)": True})) == (
        "((finished_at is null) or synced)"
    )
    assert fold(parse("not (due_at >= as_of)"), {"(due_at >= as_of)": False}) == TRUE


def test_a_count_in_the_period_takes_its_partial_only_when_both_leaves_hold() -> None:
    plan, rest = plan_partials([_atom("count(synced)", RECEIVED)], TYPES, integral=_integral)
    assert rest == []
    assert [render(c.node) for c in plan.coded] == ["received_at"]
    assert {(leaf.op, leaf.var) for leaf in plan.leaves} == {
        (">=", "period_start"),
        ("<", "period_end"),
    }
    (atom,) = plan.atoms
    assert sorted(atom.columns) == [-1, -1, -1, 0]
    assert render(plan.partials[0].where) == "synced"  # type: ignore[arg-type]


def test_a_period_variable_on_the_left_is_flipped() -> None:
    plan, _ = plan_partials([_atom("count(period_end > due_at)")], TYPES, integral=_integral)
    assert [(leaf.op, leaf.var) for leaf in plan.leaves] == [("<", "period_end")]


def test_null_tests_of_coded_columns_are_leaves_known_from_the_code() -> None:
    handled = "received_at < period_end and (finished_at is null or finished_at >= period_start)"
    plan, _ = plan_partials([_atom("count()", handled)], TYPES, integral=_integral)
    assert ("null", "") in {(leaf.op, leaf.var) for leaf in plan.leaves}
    assert [p.where for p in plan.partials] == [None]


def test_a_date_compared_with_a_period_variable_is_coded_by_calendar_day() -> None:
    plan, _ = plan_partials(
        [_atom("count(date(finished_at) <= period_end)")], TYPES, integral=_integral
    )
    assert [c.on_dates for c in plan.coded] == [True]


def test_what_does_not_decompose_stays_on_the_cross_join() -> None:
    atoms = [
        _atom("count_distinct(procedure_code)", RECEIVED),
        _atom("sum(fee_amount)", RECEIVED),
        _atom("count(days_between(received_at, as_of) > 20)"),
        _atom("sum(supplement_count)", RECEIVED),
    ]
    plan, rest = plan_partials(atoms, TYPES, integral=_integral)
    assert rest == atoms[:3]
    assert [a.key for a in plan.atoms] == [atoms[3].key]


def test_every_atom_of_qd_459_decomposes_into_few_partials() -> None:
    atoms = index_set_atoms(load_index_set("dienbien-459-2023"))
    dossiers = [a for a in atoms if a.table == "dossiers"]
    plan, rest = plan_partials(dossiers, TYPES, integral=_integral)
    assert rest == []
    assert len(plan.atoms) == len(dossiers)
    assert len(plan.partials) <= 2 * len(dossiers)
    assert [render(c.node) for c in plan.coded] == ["received_at", "finished_at", "due_at"]


def test_half_open_comparisons_need_no_equality_code() -> None:
    atoms = [
        _atom("count()", RECEIVED),
        _atom("count(due_at <= as_of or due_at > period_end)"),
        _atom("count(finished_at == period_start or finished_at < as_of)"),
    ]
    plan, _ = plan_partials(atoms, TYPES, integral=_integral)
    modes = {render(c.node): c.mode for c in plan.coded}
    assert modes == {"received_at": "le", "due_at": "lt", "finished_at": "full"}
