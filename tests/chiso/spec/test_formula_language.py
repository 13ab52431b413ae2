"""The formula language as an index-set author meets it: what a formula means once its
definitions are expanded, and where ``chiso validate`` points when a formula is wrong."""

from __future__ import annotations

import pytest

from chiso.spec.formula import Call, FormulaError, Literal, Name, parse, render, walk
from chiso.spec.loader import validate_text
from tiny_index_sets import index_set, index_set_text, indicator

DEFINITIONS = {
    "late_days": "days_between(due_at, finished_at)",
    "is_online": "channel == 'online'",
    "paid": "fee_amount > 0",
}


def test_definitions_expand_inside_every_kind_of_formula() -> None:
    where = "late_days is not null and not is_online and late_days in (1, 2) or paid"
    numerator = "count(is_online) - sum(-late_days, paid) + 2 * count(coalesce(paid, false))"
    spec = index_set(indicator(where=where, numerator=numerator), definitions=DEFINITIONS)
    measure = spec.indicator("a").numerator
    assert measure is not None and measure.where is not None
    late = "days_between(due_at, finished_at)"
    assert render(measure.where) == (
        f"(((({late} is not null) and not ((channel == 'online'))) and ({late} in (1, 2)))"
        " or (fee_amount > 0))"
    )
    assert render(measure.value) == (
        "((count((channel == 'online')) - sum(-(days_between(due_at, finished_at)),"
        " (fee_amount > 0))) + (2 * count(coalesce((fee_amount > 0), false))))"
    )


def _pointer(formula: str, *, where: str | None = None) -> str:
    """The message ``chiso validate`` prints for a wrong numerator (or where)."""
    text = index_set_text(indicator(numerator=formula, where=where), definitions=DEFINITIONS)
    found, issues = validate_text(text)
    assert found is None
    (issue,) = [i for i in issues if i.level == "error"]
    return issue.message


@pytest.mark.parametrize(
    ("where", "message"),
    [
        # The error lies in the formula, around an expanded definition: the pointer
        # still marks the place in the formula as written.
        ("is_online and channel + 1 > 2", "is_online and channel ⟨here⟩+ 1 > 2"),
        ("is_online and not channel", "is_online and ⟨here⟩not channel"),
        ("is_online and -channel > 1", "is_online and ⟨here⟩-channel > 1"),
        ("is_online and late_days in ('a')", "is_online and late_days ⟨here⟩in ('a')"),
        ("is_online and date(channel) is null", "is_online and ⟨here⟩date(channel) is null"),
        ("(late_days + paid) is null", "(late_days ⟨here⟩+ paid) is null"),
        ("is_online and channel in (1)", "is_online and channel ⟨here⟩in (1)"),
        ("channel and paid", "channel ⟨here⟩and paid"),
        ("paid or channel", "paid ⟨here⟩or channel"),
        ("received_at < 5 and paid", "received_at ⟨here⟩< 5 and paid"),
        ("paid and channel * 2 > 1", "paid and channel ⟨here⟩* 2 > 1"),
        ("paid and 2 - channel > 1", "paid and 2 ⟨here⟩- channel > 1"),
    ],
)
def test_a_type_error_points_into_the_formula_as_written(where: str, message: str) -> None:
    assert message in _pointer("count()", where=where)


def test_a_wrong_aggregate_argument_points_at_the_call() -> None:
    got = _pointer("count() + sum(is_online and count())")
    assert "count() + sum(is_online and ⟨here⟩count())" in got


@pytest.mark.parametrize(
    ("formula", "message", "pos", "hint"),
    [
        ("channel = 'online'", "unexpected character '='", 8, "use == for equality"),
        ('channel == "online"', "unexpected character '\"'", 11, "single quotes for text"),
        ("count() ; 1", "unexpected character ';'", 8, None),
        ("count(a", "expected ')' but found 'the end'", 7, None),
        ("coalesce(a, b c)", "expected ')' but found 'c'", 14, None),
        ("count() count()", "unexpected 'count' after a complete expression", 8, None),
        ("a in (b)", "only literal values may follow 'in'", 6, None),
        ("a in ('x' 'y')", "expected ')' but found \"'y'\"", 10, None),
        ("a is b", "expected 'null' but found 'b'", 5, None),
        ("procedure.", "expected a column name after '.'", 10, None),
        ("procedure.'x'", "expected a column name after '.'", 10, None),
        ("1 +", "expected a value but found 'the end'", 3, None),
        ("a == )", "expected a value but found ')'", 5, None),
        ("and", "keyword 'and' cannot start a value", 0, None),
        ("a or in", "keyword 'in' cannot start a value", 5, None),
    ],
)
def test_a_formula_that_cannot_be_read_says_what_and_where(
    formula: str, message: str, pos: int, hint: str | None
) -> None:
    with pytest.raises(FormulaError) as info:
        parse(formula)
    assert (info.value.message, info.value.pos) == (message, pos)
    if hint is None:
        assert info.value.hint is None
    else:
        assert hint in (info.value.hint or "")


@pytest.mark.parametrize(
    ("formula", "rendered"),
    [
        ("channel == 'it\\'s'", "(channel == 'it\\'s')"),
        ("a not in ('x', 'y') or b in (1, 2.5)", "((a not in ('x', 'y')) or (b in (1, 2.5)))"),
        ("x is null and y is not null", "((x is null) and (y is not null))"),
        ("not not a", "not (not (a))"),
        ("- - 2", "-(-(2))"),
        ("a == true or b != false or c == null", "(((a == true) or (b != false)) or (c == null))"),
        (
            "a <= 1 and b >= 2 and c < 3 and d > 4",
            "((((a <= 1) and (b >= 2)) and (c < 3)) and (d > 4))",
        ),
        ("procedure.has_fee", "procedure.has_fee"),
        ("count()", "count()"),
        ("  1.50*count( )  ", "(1.50 * count())"),
    ],
)
def test_a_formula_reads_back_as_written(formula: str, rendered: str) -> None:
    assert render(parse(formula)) == rendered
    assert render(parse(rendered)) == rendered


def test_a_quoted_text_keeps_its_quotes_and_backslashes() -> None:
    node = parse("name in ('Đ\\'Ông', 'a\\\\b')")
    assert [v.value for v in node.values] == ["Đ'Ông", "a\\b"]  # type: ignore[union-attr]


def test_walk_visits_every_node_parent_first() -> None:
    node = parse("count(a and not b, -c) + coalesce(d, 1) * (e is null) - (f in (2))")
    nodes = walk(node)
    assert nodes[0] is node
    assert {n.name for n in nodes if isinstance(n, Name)} == set("abcdef")
    assert [n.name for n in nodes if isinstance(n, Call)] == ["count", "coalesce"]
    assert [n.value for n in nodes if isinstance(n, Literal)] == [1]
    assert len(nodes) == 17
