from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chiso.domain.records import MEASURE_TABLES, PERIOD_VARIABLES
from chiso.spec.formula import FormulaError, parse, render
from chiso.spec.typecheck import aggregate_type, row_type

COLUMNS = {**MEASURE_TABLES["dossiers"], **PERIOD_VARIABLES}


def test_it_parses_precedence_of_and_over_or() -> None:
    assert render(parse("a or b and c")) == "(a or (b and c))"


def test_it_parses_in_lists_and_null_tests() -> None:
    node = parse("channel not in ('online', 'postal') and finished_at is not null")
    assert render(node) == "((channel not in ('online', 'postal')) and (finished_at is not null))"


def test_it_points_at_a_single_equals_sign_with_a_hint() -> None:
    with pytest.raises(FormulaError) as info:
        parse("channel = 'online'")
    assert info.value.pos == 8
    assert info.value.hint is not None and "==" in info.value.hint


def test_it_rejects_python_code() -> None:
    with pytest.raises(FormulaError):
        parse("__import__('os').system('x')")


def test_it_rejects_unknown_columns_with_did_you_mean() -> None:
    with pytest.raises(FormulaError) as info:
        row_type(parse("recieved_at < period_end"), COLUMNS)
    assert "received_at" in (info.value.hint or "")


def test_it_rejects_a_column_outside_an_aggregate() -> None:
    with pytest.raises(FormulaError, match="outside an aggregate"):
        aggregate_type(parse("count() - supplement_count"), COLUMNS)


def test_it_rejects_comparing_a_timestamp_with_a_number() -> None:
    with pytest.raises(FormulaError, match="cannot compare"):
        row_type(parse("received_at < 5"), COLUMNS)


def test_it_accepts_joined_procedure_and_rating_columns() -> None:
    node = parse("count(procedure.has_fee and rating.satisfied == false)")
    assert aggregate_type(node, COLUMNS) == "number"


def test_it_rejects_aggregates_inside_row_formulas() -> None:
    with pytest.raises(FormulaError, match="not allowed inside a row formula"):
        row_type(parse("count() > 1"), COLUMNS)


names = st.sampled_from(["synced", "components_digitized", "result_digitized", "reused_data"])


@st.composite
def conditions(draw: st.DrawFn, depth: int = 3) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(names)
    op = draw(st.sampled_from(["and", "or"]))
    left, right = draw(conditions(depth - 1)), draw(conditions(depth - 1))
    return f"({left} {op} not {right})"


@given(conditions())
def test_rendering_a_parsed_formula_parses_to_the_same_tree(text: str) -> None:
    node = parse(text)
    assert parse(render(node)) == parse(render(node))
    assert render(parse(render(node))) == render(node)
