"""The restricted formula language of index sets.

Formulas are parsed into a small immutable AST; nothing is ever passed to
``eval``.  The grammar (lowest precedence first)::

    expr    := and ('or' and)*
    and     := not ('and' not)*
    not     := 'not' not | cmp
    cmp     := sum (OP sum | 'is' ['not'] 'null' | ['not'] 'in' '(' literals ')')?
    sum     := product (('+' | '-') product)*
    product := unary (('*' | '/') unary)*
    unary   := '-' unary | atom
    atom    := NUMBER | STRING | true | false | null | NAME ('.' NAME)?
             | NAME '(' [expr (',' expr)*] ')' | '(' expr ')'

Strings use single quotes (``channel == 'online'``).  Names are columns of the
measure's table, period variables or the index set's named definitions.

Examples:
    >>> parse("count(channel == 'online')")
    Call(name='count', args=(Binary(op='==', left=Name(name='channel', pos=6), \
right=Literal(value='online', pos=17), pos=14),), pos=0)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from chiso.errors import UserError

#: Aggregate functions: their argument counts (min, max).
AGGREGATES: dict[str, tuple[int, int]] = {
    "count": (0, 1),
    "sum": (1, 2),
    "count_distinct": (1, 2),
}

#: Row-level functions: their argument counts (min, max; -1 = any).
ROW_FUNCTIONS: dict[str, tuple[int, int]] = {
    "coalesce": (2, -1),
    "case": (3, -1),
    "date": (1, 1),
    "days_between": (2, 2),
    "working_days": (2, 2),
}

#: Every function of both registries: its call shape and what it gives, one line each
#: (``docs/index-set-reference.md`` lists them; a test fails when one is missing).
FUNCTION_HELP: dict[str, tuple[str, str]] = {
    "count": ("count([condition])", "number of rows, or of rows where the condition is true"),
    "sum": ("sum(expr[, condition])", "sum of a number over the rows (where the condition holds)"),
    "count_distinct": (
        "count_distinct(expr[, condition])",
        "number of distinct non-null values of expr (over rows where the condition holds)",
    ),
    "coalesce": ("coalesce(a, b, …)", "the first argument that is not null"),
    "case": (
        "case(c1, v1, c2, v2, …, else)",
        "the value after the first true condition, otherwise the last argument",
    ),
    "date": ("date(ts)", "the calendar date of a timestamp"),
    "days_between": ("days_between(a, b)", "calendar days from date(a) to date(b)"),
    "working_days": (
        "working_days(a, b)",
        "working days in (date(a), date(b)] of the holiday calendar; negative when b < a",
    ),
}

#: What each period variable (``chiso.domain.records.PERIOD_VARIABLES``) holds.
PERIOD_VARIABLE_HELP: dict[str, str] = {
    "period_start": "first instant of the period being scored (inclusive)",
    "period_end": "end of the period (exclusive)",
    "as_of": "when unfinished records are judged: the period end, or now for a live period",
}

KEYWORDS = {"and", "or", "not", "is", "null", "in", "true", "false"}
COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}


class FormulaError(UserError):
    """A formula cannot be parsed; ``pos`` is the 0-based character offset."""

    def __init__(self, message: str, *, pos: int, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.pos = pos


@dataclass(frozen=True)
class Literal:
    """A number, string, boolean or null."""

    value: Decimal | str | bool | None
    pos: int = 0


@dataclass(frozen=True)
class Name:
    """A column, period variable or named definition (``procedure.has_fee``)."""

    name: str
    pos: int = 0


@dataclass(frozen=True)
class Unary:
    """``not x`` or ``-x``."""

    op: str
    operand: Node
    pos: int = 0


@dataclass(frozen=True)
class Binary:
    """Arithmetic, comparison or boolean operator."""

    op: str
    left: Node
    right: Node
    pos: int = 0


@dataclass(frozen=True)
class IsNull:
    """``x is null`` / ``x is not null``."""

    operand: Node
    negated: bool
    pos: int = 0


@dataclass(frozen=True)
class In:
    """``x in ('a', 'b')`` / ``x not in (...)``."""

    operand: Node
    values: tuple[Literal, ...]
    negated: bool
    pos: int = 0


@dataclass(frozen=True)
class Call:
    """A function call; the function must be whitelisted."""

    name: str
    args: tuple[Node, ...]
    pos: int = 0


Node = Literal | Name | Unary | Binary | IsNull | In | Call

# A token: (kind, text, pos).  Kinds: num, str, name, op, end.
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>'(?:[^'\\]|\\.)*')"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op><=|>=|==|!=|[-+*/(),.<>]))"
)


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if match is None or match.lastgroup is None:
            bad = text[pos:].lstrip()[:1]
            where = len(text) - len(text[pos:].lstrip())
            hint = "use == for equality and single quotes for text" if bad in '="' else None
            raise FormulaError(f"unexpected character {bad!r}", pos=where, hint=hint)
        kind = match.lastgroup
        tokens.append((kind, match.group(kind), match.start(kind)))
        pos = match.end()
    tokens.append(("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def accept(self, text: str) -> bool:
        kind, value, _ = self.peek()
        if kind in ("op", "name") and value == text:
            self.i += 1
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.accept(text):
            _, value, pos = self.peek()
            raise FormulaError(f"expected {text!r} but found {value or 'the end'!r}", pos=pos)

    def parse(self) -> Node:
        node = self.or_expr()
        kind, value, pos = self.peek()
        if kind != "end":
            raise FormulaError(f"unexpected {value!r} after a complete expression", pos=pos)
        return node

    def or_expr(self) -> Node:
        node = self.and_expr()
        while True:
            pos = self.peek()[2]
            if not self.accept("or"):
                return node
            node = Binary("or", node, self.and_expr(), pos)

    def and_expr(self) -> Node:
        node = self.not_expr()
        while True:
            pos = self.peek()[2]
            if not self.accept("and"):
                return node
            node = Binary("and", node, self.not_expr(), pos)

    def not_expr(self) -> Node:
        pos = self.peek()[2]
        if self.accept("not"):
            return Unary("not", self.not_expr(), pos)
        return self.comparison()

    def comparison(self) -> Node:
        left = self.sum_expr()
        kind, value, pos = self.peek()
        if kind == "op" and value in COMPARISONS:
            self.take()
            return Binary(value, left, self.sum_expr(), pos)
        if self.accept("is"):
            negated = self.accept("not")
            self.expect("null")
            return IsNull(left, negated, pos)
        negated = False
        if kind == "name" and value == "not" and self.tokens[self.i + 1][1] == "in":
            self.take()
            negated = True
        if self.accept("in"):
            return In(left, self.literal_list(), negated, pos)
        return left

    def literal_list(self) -> tuple[Literal, ...]:
        self.expect("(")
        values: list[Literal] = []
        while True:
            node = self.atom()
            if not isinstance(node, Literal):
                raise FormulaError("only literal values may follow 'in'", pos=node.pos)
            values.append(node)
            if not self.accept(","):
                break
        self.expect(")")
        return tuple(values)

    def sum_expr(self) -> Node:
        node = self.product()
        while True:
            kind, value, pos = self.peek()
            if kind == "op" and value in "+-" and value:
                self.take()
                node = Binary(value, node, self.product(), pos)
            else:
                return node

    def product(self) -> Node:
        node = self.unary()
        while True:
            kind, value, pos = self.peek()
            if kind == "op" and value in ("*", "/"):
                self.take()
                node = Binary(value, node, self.unary(), pos)
            else:
                return node

    def unary(self) -> Node:
        pos = self.peek()[2]
        if self.accept("-"):
            return Unary("-", self.unary(), pos)
        return self.atom()

    def atom(self) -> Node:
        kind, value, pos = self.take()
        if kind == "num":
            return Literal(Decimal(value), pos)
        if kind == "str":
            return Literal(re.sub(r"\\(.)", r"\1", value[1:-1]), pos)
        if kind == "op" and value == "(":
            node = self.or_expr()
            self.expect(")")
            return node
        if kind != "name":
            raise FormulaError(f"expected a value but found {value or 'the end'!r}", pos=pos)
        if value in ("true", "false"):
            return Literal(value == "true", pos)
        if value == "null":
            return Literal(None, pos)
        if value in KEYWORDS:
            raise FormulaError(f"keyword {value!r} cannot start a value", pos=pos)
        if self.accept("("):
            return Call(value, self.arguments(), pos)
        if self.accept("."):
            kind2, attr, pos2 = self.take()
            if kind2 != "name":
                raise FormulaError("expected a column name after '.'", pos=pos2)
            return Name(f"{value}.{attr}", pos)
        return Name(value, pos)

    def arguments(self) -> tuple[Node, ...]:
        if self.accept(")"):
            return ()
        args = [self.or_expr()]
        while self.accept(","):
            args.append(self.or_expr())
        self.expect(")")
        return tuple(args)


def parse(text: str) -> Node:
    """Parse a formula into its AST.

    Raises:
        FormulaError: with the character offset of the problem.
    """
    return _Parser(text).parse()


def walk(node: Node) -> list[Node]:
    """Return ``node`` and all its descendants, parents first."""
    out: list[Node] = [node]
    match node:
        case Literal() | Name():
            pass
        case Unary(operand=operand) | IsNull(operand=operand) | In(operand=operand):
            out += walk(operand)
        case Binary(left=left, right=right):
            out += walk(left) + walk(right)
        case Call(args=args):
            for arg in args:
                out += walk(arg)
    return out


def render(node: Node) -> str:
    """Render an AST back to formula text (fully parenthesised where needed)."""
    match node:
        case Literal(value=None):
            return "null"
        case Literal(value=bool() as b):
            return "true" if b else "false"
        case Literal(value=str() as s):
            return "'" + s.replace("'", "\\'") + "'"
        case Literal(value=value):
            return str(value)
        case Name(name=name):
            return name
        case Unary(op="not", operand=operand):
            return f"not ({render(operand)})"
        case Unary(op=op, operand=operand):
            return f"{op}({render(operand)})"
        case Binary(op=op, left=left, right=right):
            return f"({render(left)} {op} {render(right)})"
        case IsNull(operand=operand, negated=negated):
            return f"({render(operand)} is {'not ' if negated else ''}null)"
        case In(operand=operand, values=values, negated=negated):
            inner = ", ".join(render(v) for v in values)
            return f"({render(operand)} {'not ' if negated else ''}in ({inner}))"
        case Call(name=name, args=args):
            return f"{name}({', '.join(render(a) for a in args)})"
    raise AssertionError(f"unknown node {node!r}")


def substitute(node: Node, definitions: dict[str, Node]) -> Node:
    """Replace names of ``definitions`` by their (already expanded) formulas."""
    match node:
        case Name(name=name) if name in definitions:
            return definitions[name]
        case Literal() | Name():
            return node
        case Unary(op=op, operand=operand, pos=pos):
            return Unary(op, substitute(operand, definitions), pos)
        case Binary(op=op, left=left, right=right, pos=pos):
            return Binary(op, substitute(left, definitions), substitute(right, definitions), pos)
        case IsNull(operand=operand, negated=negated, pos=pos):
            return IsNull(substitute(operand, definitions), negated, pos)
        case In(operand=operand, values=values, negated=negated, pos=pos):
            return In(substitute(operand, definitions), values, negated, pos)
        case Call(name=name, args=args, pos=pos):
            return Call(name, tuple(substitute(a, definitions) for a in args), pos)
    raise AssertionError(f"unknown node {node!r}")
