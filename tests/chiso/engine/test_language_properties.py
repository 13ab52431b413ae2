"""The arithmetic core against a small reference written from the documented rules.

The reference below follows docs/index-set-language.md and the scoring models'
descriptions, not the engine's code: measure arithmetic on exact fractions (a quotient by
zero is 0), rates clipped to 0–1 before ``lin``/``thr``/``bands``, the rubric mean capped at
max, the zero-denominator policies, totals over the applicable indicators, converted =
total ÷ maximum × scale, display rounding once (truncate or half up), Vietnamese number
format, and competition ranks (1, 1, 3) with unscored units last.  Random index sets are
written as YAML, parsed, and scored by the engine from given aggregate values
(``tiny_index_sets.score_atoms``).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from chiso.domain.ranking import collation_key, rank
from chiso.domain.rounding import format_vn, round_score, to_decimal
from tiny_index_sets import index_set, indicator, score_atoms

ATOMS = {
    "A": "count(channel == 'online')",
    "B": "count(channel == 'postal')",
    "C": "count()",
}

# ---------------------------------------------------------------- the reference


@dataclass(frozen=True)
class Num:
    text: str  # a literal as written ("0.25") or an atom's letter


@dataclass(frozen=True)
class Neg:
    operand: Expr


@dataclass(frozen=True)
class Op:
    op: str
    left: Expr
    right: Expr


Expr = Num | Neg | Op
PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def ref_value(e: Expr, atoms: dict[str, int]) -> Fraction:
    """A measure value: exact arithmetic, x / 0 = 0."""
    match e:
        case Num(text=t):
            return Fraction(atoms[t]) if t in atoms else Fraction(Decimal(t))
        case Neg(operand=o):
            return -ref_value(o, atoms)
        case Op(op=op, left=left, right=right):
            a, b = ref_value(left, atoms), ref_value(right, atoms)
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            return a / b if b else Fraction(0)
    raise AssertionError(e)


def _prec(e: Expr) -> int:
    return PRECEDENCE[e.op] if isinstance(e, Op) else 3


def text_of(e: Expr, *, minimal: bool) -> str:
    """Formula text: fully parenthesised, or with only the parentheses the documented
    precedence needs (unary minus, then * /, then + -, all left-associative)."""
    match e:
        case Num(text=t):
            return ATOMS.get(t, t)
        case Neg(operand=o):
            inner = text_of(o, minimal=minimal)
            return f"-{inner}" if minimal and _prec(o) == 3 else f"-({inner})"
        case Op(op=op, left=left, right=right):
            lt, rt = text_of(left, minimal=minimal), text_of(right, minimal=minimal)
            if not minimal:
                return f"({lt} {op} {rt})"
            if _prec(left) < PRECEDENCE[op]:
                lt = f"({lt})"
            if _prec(right) <= PRECEDENCE[op]:
                rt = f"({rt})"
            return f"{lt} {op} {rt}"
    raise AssertionError(e)


@dataclass(frozen=True)
class Rule:
    kind: str
    top: Fraction
    target: Fraction = Fraction(1)
    steps: tuple[tuple[Fraction, Fraction], ...] = ()


def ref_points(rate: Fraction, rule: Rule) -> Fraction:
    """Points of a rate under the documented scoring kinds."""
    if rule.kind == "rubric_mean":
        return min(max(rate, Fraction(0)), rule.top)
    r = min(max(rate, Fraction(0)), Fraction(1))
    if rule.kind == "lin":
        return rule.top * r
    if rule.kind == "thr":
        return rule.top if r >= rule.target else rule.top * r / rule.target
    reached = [(min_rate, points) for min_rate, points in rule.steps if r >= min_rate]
    return max(reached, default=(Fraction(0), Fraction(0)))[1]  # the highest step reached


def ref_round(value: Fraction, mode: str, decimals: int) -> Fraction:
    """Truncate toward zero, or round half away from zero, at ``decimals`` places."""
    scaled = abs(value) * 10**decimals
    whole = math.floor(scaled) if mode == "truncate" else math.floor(scaled + Fraction(1, 2))
    return Fraction(whole if value >= 0 else -whole, 10**decimals)


def ref_format(value: Decimal) -> str:
    """Vietnamese format: thousands separated by '.', decimals after ','."""
    sign, text = ("-", str(-value)) if value < 0 else ("", str(value))
    whole, _, decimals = text.partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + ".".join(groups) + ("," + decimals if decimals else "")


# ---------------------------------------------------------------- strategies

LITERALS = st.sampled_from(["0", "1", "2", "3", "0.5", "0.25", "1.5", "2.0", "0.1"])


def exprs(depth: int = 3) -> st.SearchStrategy[Expr]:
    leaf = st.one_of(st.sampled_from(sorted(ATOMS)), LITERALS).map(Num)
    if depth == 0:
        return leaf
    sub = exprs(depth - 1)
    return st.one_of(
        leaf,
        sub.map(Neg),
        st.builds(Op, st.sampled_from(sorted(PRECEDENCE)), sub, sub),
    )


counts = st.fixed_dictionaries({k: st.integers(0, 12) for k in ATOMS})
decimals_2 = st.integers(1, 100).map(lambda n: Decimal(n) / 100)


@st.composite
def rules(draw: st.DrawFn) -> tuple[str, str, Rule]:
    """A scoring and a maximum (up to 1 decimal), as YAML, and their reference rule."""
    top = Decimal(draw(st.integers(1, 300))) / 10
    kind = draw(st.sampled_from(["lin", "thr", "bands", "rubric_mean"]))
    if kind == "thr":
        target = draw(decimals_2)
        scoring = f"{{kind: thr, target: {target}}}"
        return scoring, str(top), Rule(kind, Fraction(top), Fraction(target))
    if kind == "bands":
        mins = draw(st.lists(st.integers(0, 100), min_size=1, max_size=4, unique=True))
        pts = draw(st.lists(st.integers(0, 10), min_size=len(mins), max_size=len(mins)))
        steps = [(Decimal(m) / 100, top * p / 10) for m, p in zip(mins, pts, strict=True)]
        yaml = ", ".join(f"{{min_rate: {m}, points: {p}}}" for m, p in steps)
        ref = tuple((Fraction(m), Fraction(p)) for m, p in steps)
        return f"{{kind: bands, bands: [{yaml}]}}", str(top), Rule(kind, Fraction(top), steps=ref)
    return kind, str(top), Rule(kind, Fraction(top))


# ---------------------------------------------------------------- properties

MAX_EXAMPLES = 60


@settings(max_examples=MAX_EXAMPLES, deadline=None)
@given(exprs(), counts, st.booleans())
def test_measure_arithmetic_matches_the_reference(
    expr: Expr, atoms: dict[str, int], minimal: bool
) -> None:
    spec = index_set(indicator(numerator=text_of(expr, minimal=minimal), zero="zero"))
    unit = score_atoms(spec, {"u": {ATOMS[k]: v for k, v in atoms.items()}}).unit("u")
    result = unit.indicator("a")
    assert result.numerator == ref_value(expr, atoms)
    assert result.denominator == atoms["C"]
    if atoms["C"] == 0:
        assert (result.rate, result.points, result.applicable) == (None, 0, True)
    else:
        rate = ref_value(expr, atoms) / atoms["C"]
        assert (result.rate, result.points) == (rate, ref_points(rate, Rule("lin", Fraction(10))))


# Numerator k × online − postal over count(): any rate, from counts (k = 1) or fractions.
MULTIPLIERS = st.sampled_from(["1", "0.5", "1.5", "0.25", "3"])
POLICIES = st.sampled_from(["full", "zero", "not_applicable"])


@settings(max_examples=MAX_EXAMPLES, deadline=None)
@given(
    st.lists(st.tuples(rules(), MULTIPLIERS, POLICIES), min_size=1, max_size=4),
    st.lists(counts, min_size=1, max_size=4),
)
def test_points_totals_and_grades_match_the_reference(
    indicators: list[tuple[tuple[str, str, Rule], str, str]], units: list[dict[str, int]]
) -> None:
    texts = [
        indicator(
            f"i{n}",
            numerator=f"{k} * count(channel == 'online') - count(channel == 'postal')",
            scoring=scoring,
            top=top,
            zero=zero,
        )
        for n, ((scoring, top, rule), k, zero) in enumerate(indicators)
    ]
    spec = index_set(*texts)
    values = {f"u{n}": {ATOMS[k]: v for k, v in atoms.items()} for n, atoms in enumerate(units)}
    result = score_atoms(spec, values)
    for n, atoms in enumerate(units):
        unit = result.unit(f"u{n}")
        total = maximum = Fraction(0)
        for i, ((_, _, rule), k, zero) in enumerate(indicators):
            got = unit.indicator(f"i{i}")
            if atoms["C"] == 0:
                points = {"full": rule.top, "zero": Fraction(0), "not_applicable": None}[zero]
            else:
                num = Fraction(Decimal(k)) * atoms["A"] - atoms["B"]
                points = ref_points(num / atoms["C"], rule)
            assert got.points == points, (i, rule)
            assert got.applicable == (points is not None)
            if points is not None:
                total, maximum = total + points, maximum + rule.top
        assert (unit.total, unit.max) == (total, maximum)
        # a unit whose denominators count no dossier has no data: unscored (docs/cli.md)
        assert unit.has_data == (atoms["C"] > 0)
        converted = total / maximum * 100 if maximum and atoms["C"] else None
        assert unit.converted == converted
        grade = None if converted is None else "good" if converted >= 80 else "weak"
        assert unit.grade == grade


# Names from letters that sort differently by code point and in Vietnamese.
LETTERS = st.sampled_from([*"aAăâbdDđĐeêoôơuư", "a\u0301", "\u1ea1", "\u1eaf"])
NAMES = st.lists(LETTERS, min_size=1, max_size=4).map("".join)


ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"  # the Vietnamese alphabet, in its order
TONES = "\u0300\u0309\u0303\u0301\u0323"  # huyền, hỏi, ngã, sắc, nặng (after ngang)


def ref_collation(name: str) -> tuple[list[int], list[int]]:
    """Letters in the alphabet's order, ignoring case and tones; then the tones."""
    letters, tones = [], []
    for char in unicodedata.normalize("NFC", name.casefold()):
        nfd = unicodedata.normalize("NFD", char)
        tone = next((TONES.index(m) + 1 for m in nfd if m in TONES), 0)
        letter = unicodedata.normalize("NFC", "".join(m for m in nfd if m not in TONES))
        letters.append(ALPHABET.index(letter) if letter in ALPHABET else 100 + ord(letter))
        tones.append(tone)
    return letters, tones


@settings(max_examples=MAX_EXAMPLES, deadline=None)
@given(st.lists(st.tuples(NAMES, st.none() | st.integers(0, 4)), max_size=12))
def test_ranks_ties_and_unscored_units_match_the_reference(
    items: list[tuple[str, int | None]],
) -> None:
    def score(item: tuple[str, int | None]) -> Fraction | None:
        return None if item[1] is None else Fraction(item[1], 3)

    def key(item: tuple[str, int | None]) -> object:
        return collation_key(item[0])

    got = rank(items, score, key)
    scored = [i for i in items if i[1] is not None]
    unscored = sorted((i for i in items if i[1] is None), key=lambda i: ref_collation(i[0]))
    order = sorted(scored, key=lambda i: (-(i[1] or 0), ref_collation(i[0])))
    want = [
        (i, 1 + sum(o[1] > i[1] for o in scored), sum(o[1] == i[1] for o in scored) > 1)  # type: ignore[operator]
        for i in order
    ] + [(i, None, False) for i in unscored]
    # Names equal under the collation may come in either order; their ranks may not.
    assert [(ref_collation(i[0]), r, t) for i, r, t in got] == [
        (ref_collation(i[0]), r, t) for i, r, t in want
    ]
    assert sorted(got, key=repr) == sorted(want, key=repr)


@given(NAMES, NAMES)
def test_the_collation_ignores_case_and_normal_form(a: str, b: str) -> None:
    assert collation_key(a.upper()) == collation_key(a.lower())
    assert collation_key(unicodedata.normalize("NFC", a)) == collation_key(
        unicodedata.normalize("NFD", a)
    )
    if ref_collation(a)[0] != ref_collation(b)[0]:
        assert (collation_key(a) < collation_key(b)) == (ref_collation(a) < ref_collation(b))


scores = st.fractions(min_value=-1000, max_value=1000, max_denominator=10**9)


@given(scores, st.integers(0, 4), st.sampled_from(["truncate", "half_up"]))
def test_rounding_matches_the_reference(value: Fraction, decimals: int, mode: str) -> None:
    got = round_score(value, mode=mode, decimals=decimals)  # type: ignore[arg-type]
    assert Fraction(got) == ref_round(value, mode, decimals)
    assert got.as_tuple().exponent == -decimals  # printed with exactly that many places


@given(st.integers(-(10**6), 10**6), st.integers(0, 4), st.sampled_from(["truncate", "half_up"]))
def test_rounding_at_a_half_unit(whole: int, decimals: int, mode: str) -> None:
    value = Fraction(2 * whole + 1, 2 * 10**decimals)  # exactly half-way between two units
    away = Fraction(whole + (1 if whole >= 0 else 0), 10**decimals)
    toward = Fraction(whole + (0 if whole >= 0 else 1), 10**decimals)
    want = away if mode == "half_up" else toward
    assert Fraction(round_score(value, mode=mode, decimals=decimals)) == want  # type: ignore[arg-type]


@given(st.fractions(max_denominator=10**6), st.integers(1, 40))
def test_to_decimal_keeps_the_asked_significant_digits(value: Fraction, digits: int) -> None:
    got = to_decimal(value, digits=digits)
    assert len(got.as_tuple().digits) <= digits
    if value:
        assert abs(Fraction(got) - value) <= abs(value) / 10 ** (digits - 1)
    assert to_decimal(Fraction(1, 3)) == Decimal("0." + "3" * 28)


@given(st.integers(-(10**12), 10**12), st.integers(0, 4))
def test_vietnamese_number_format_matches_the_reference(n: int, places: int) -> None:
    value = Decimal(n).scaleb(-places)
    assert format_vn(value) == ref_format(value)
    assert format_vn(value, decimals=places) == ref_format(value)
    assert format_vn(n) == ref_format(Decimal(n))
