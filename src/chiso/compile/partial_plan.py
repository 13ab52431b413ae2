"""Plan atoms as partial aggregates over period-boundary codes (no periods cross join).

A run's periods only ever meet a record through comparisons such as
``received_at < period_end``.  Let ``B`` be the sorted, distinct values the
period variables take in the run.  The truth of ``x OP b_k`` depends only on
where ``x`` falls among ``B``, which one small integer captures::

    code(x) = 2·#{b ∈ B : b < x} + #{b ∈ B : b = x}      (-1 when x is null)

so that ``x < b_k ⇔ code < 2k+1``, ``x == b_k ⇔ code == 2k+1`` and so on.  One
scan groups the records by unit and by the codes of the compared expressions;
for every assignment of truth values to an atom's period comparisons (its
*leaves*) the condition is constant-folded to a residual filter, and each
distinct residual becomes one conditional aggregate.  Per period, the leaves
are evaluated on the codes and each group contributes the aggregate of the
matching assignment (:mod:`chiso.engine.partial_scan`).

Counts and integer sums decompose this way; ``count_distinct``, non-integer
sums and other uses of period variables do not and stay on the cross-join path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from chiso.compile.compiler import Atom
from chiso.domain.records import PERIOD_VARIABLES, ColumnType
from chiso.spec.formula import (
    COMPARISONS,
    Binary,
    Call,
    In,
    IsNull,
    Name,
    Node,
    Unary,
    render,
    walk,
)
from chiso.spec.formula import Literal as Lit
from chiso.spec.typecheck import row_type

#: More period comparisons in one atom than this and it stays on the cross-join path.
MAX_LEAVES = 8
FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
TRUE, FALSE = Lit(True), Lit(False)


@dataclass(frozen=True)
class Coded:
    """An expression of the records replaced by its boundary code.

    ``mode`` ``full`` is the code of the module docstring.  When every comparison
    of the expression is ``<`` or ``>=`` (the usual half-open periods), equality
    with a boundary needs no code of its own and ``le`` (``#{b ≤ x}``) is used;
    with only ``<=`` and ``>``, ``lt`` (``#{b < x}``).  Either halves the CASE
    search and the number of groups.
    """

    node: Node
    on_dates: bool  # a date compared with a timestamp variable: compare calendar days
    mode: str = "full"


@dataclass(frozen=True)
class Leaf:
    """``coded OP variable``: a comparison of a record expression with a period variable.

    ``op`` is ``null`` for ``coded is null`` (``var`` empty): the code is -1.
    """

    coded: int
    op: str
    var: str


@dataclass(frozen=True)
class Partial:
    """One conditional aggregate of the grouped query (``where`` None: every row)."""

    kind: str  # count | sum
    value: Node | None
    where: Node | None


@dataclass(frozen=True)
class AtomPlan:
    """Which partial aggregate an atom takes for each truth assignment of its leaves.

    ``columns[a]`` is the partial for assignment ``a`` (bit ``i`` = truth of
    ``leaves[i]``), or -1 where the condition folds to false.
    """

    key: str
    leaves: tuple[int, ...]
    columns: tuple[int, ...]


@dataclass(frozen=True)
class PartialPlan:
    """The grouped query and the per-period recombination of a set of atoms."""

    coded: tuple[Coded, ...]
    leaves: tuple[Leaf, ...]
    partials: tuple[Partial, ...]
    atoms: tuple[AtomPlan, ...]


def _is_period_dependent(node: Node) -> bool:
    return any(isinstance(n, Name) and n.name in PERIOD_VARIABLES for n in walk(node))


def _leaf_parts(node: Node, types: Mapping[str, ColumnType]) -> tuple[Node, str, str] | None:
    """``(expression, op, variable)`` when ``node`` compares a record expression with a
    period variable; None otherwise."""
    if not isinstance(node, Binary) or node.op not in COMPARISONS:
        return None
    left, right, op = node.left, node.right, node.op
    if isinstance(left, Name) and left.name in PERIOD_VARIABLES:
        left, right, op = right, left, FLIPPED[op]
    if not isinstance(right, Name) or right.name not in PERIOD_VARIABLES:
        return None
    if _is_period_dependent(left):
        return None
    if row_type(left, types) not in (ColumnType.TIMESTAMP, ColumnType.DATE):
        return None
    return left, op, right.name


def fold(node: Node, truth: Mapping[str, bool]) -> Node:
    """Replace the leaves named in ``truth`` (by rendering) and simplify and/or/not."""
    key = render(node)
    if key in truth:
        return TRUE if truth[key] else FALSE
    match node:
        case Binary(op="and" | "or" as op, left=left, right=right):
            return _junction(op, fold(left, truth), fold(right, truth))
        case Unary(op="not", operand=operand):
            inner = fold(operand, truth)
            if isinstance(inner, Lit) and isinstance(inner.value, bool):
                return FALSE if inner.value else TRUE
            return Unary("not", inner)
        case Unary(op=op, operand=operand):
            return Unary(op, fold(operand, truth))
        case Binary(op=op, left=left, right=right):
            return Binary(op, fold(left, truth), fold(right, truth))
        case IsNull(operand=operand, negated=negated):
            return IsNull(fold(operand, truth), negated)
        case In(operand=operand, values=values, negated=negated):
            return In(fold(operand, truth), values, negated)
        case Call(name=name, args=args):
            return Call(name, tuple(fold(a, truth) for a in args))
    return node


def _junction(op: str, left: Node, right: Node) -> Node:
    absorbing, neutral = (FALSE, TRUE) if op == "and" else (TRUE, FALSE)
    for side, other in ((left, right), (right, left)):
        if side == absorbing:
            return absorbing
        if side == neutral:
            return other
    return Binary(op, left, right)


def _conjunction(nodes: Iterable[Node]) -> Node | None:
    result: Node | None = None
    for node in nodes:
        result = node if result is None else Binary("and", result, node)
    return result


def _condition_and_value(atom: Atom) -> tuple[Node | None, Node | None]:
    call = atom.call
    filters = [atom.where] if atom.where is not None else []
    value = None
    if call.name == "count":
        filters += list(call.args)
    else:
        value = call.args[0]
        filters += list(call.args[1:])
    return _conjunction(filters), value


LeafKey = tuple[tuple[str, bool], str, str]  # (coded expression, op, variable)


class _Planner:
    def __init__(self, types: Mapping[str, ColumnType]) -> None:
        self.types = types
        self.coded: dict[tuple[str, bool], Coded] = {}
        self.leaves: dict[LeafKey, int] = {}
        self.partials: dict[tuple[str, str, str], Partial] = {}

    def comparison(self, node: Node) -> LeafKey | None:
        """The leaf of a comparison with a period variable (its expression gets coded)."""
        parts = _leaf_parts(node, self.types)
        if parts is None:
            return None
        expr, op, var = parts
        on_dates = row_type(expr, self.types) == ColumnType.DATE
        coded_key = (render(expr), on_dates)
        self.coded.setdefault(coded_key, Coded(expr, on_dates))
        return coded_key, op, var

    def null_test(self, node: Node) -> tuple[LeafKey, bool] | None:
        """``x is [not] null`` for a coded ``x``: known from the code (-1), no filter needed."""
        if not isinstance(node, IsNull):
            return None
        text = render(node.operand)
        coded_key = next((key for key in self.coded if key[0] == text), None)
        return ((coded_key, "null", ""), node.negated) if coded_key else None

    def atom(self, atom: Atom) -> AtomPlan | None:
        """Plan one atom; nothing is registered unless the whole atom decomposes."""
        condition, value = _condition_and_value(atom)
        nodes = [n for part in (condition, value) if part is not None for n in walk(part)]
        found: dict[str, tuple[LeafKey, bool]] = {}
        for node in nodes:
            comparison = self.comparison(node)
            leaf = (comparison, False) if comparison else self.null_test(node)
            if leaf is not None:
                found.setdefault(render(node), leaf)
        keys = list(dict.fromkeys(key for key, _ in found.values()))
        if len(keys) > MAX_LEAVES:
            return None
        bit = {key: i for i, key in enumerate(keys)}
        chosen: list[tuple[str, str, str] | None] = []
        new: dict[tuple[str, str, str], Partial] = {}
        for assignment in range(1 << len(keys)):
            truth = {
                text: bool(assignment >> bit[key] & 1) != negated
                for text, (key, negated) in found.items()
            }
            where = fold(condition, truth) if condition is not None else TRUE
            folded = fold(value, truth) if value is not None else None
            if any(p is not None and _is_period_dependent(p) for p in (where, folded)):
                return None
            if where == FALSE:
                chosen.append(None)
                continue
            partial = Partial(atom.call.name, folded, None if where == TRUE else where)
            identity = (partial.kind, _render(partial.value), _render(partial.where))
            new.setdefault(identity, partial)
            chosen.append(identity)
        for identity, partial in new.items():
            self.partials.setdefault(identity, partial)
        order = {identity: i for i, identity in enumerate(self.partials)}
        leaves = tuple(self.leaves.setdefault(k, len(self.leaves)) for k in keys)
        columns = tuple(-1 if c is None else order[c] for c in chosen)
        return AtomPlan(atom.key, leaves, columns)

    def plan(self, planned: Sequence[AtomPlan]) -> PartialPlan:
        coded_keys = list(dict.fromkeys(coded for coded, _, _ in self.leaves))
        position = {key: i for i, key in enumerate(coded_keys)}
        leaves = tuple(Leaf(position[coded], op, var) for coded, op, var in self.leaves)
        coded = tuple(
            replace(self.coded[key], mode=_mode({op for c, op, _ in self.leaves if c == key}))
            for key in coded_keys
        )
        return PartialPlan(coded, leaves, tuple(self.partials.values()), tuple(planned))


def _mode(ops: set[str]) -> str:
    ops = ops - {"null"}
    if ops <= {"<", ">="}:
        return "le"
    if ops <= {"<=", ">"}:
        return "lt"
    return "full"


def _render(node: Node | None) -> str:
    return render(node) if node is not None else ""


def plan_partials(
    atoms: Sequence[Atom],
    types: Mapping[str, ColumnType],
    *,
    integral: Callable[[Node], bool],
) -> tuple[PartialPlan, list[Atom]]:
    """Plan the atoms that decompose; return the plan and the atoms that do not.

    Args:
        types: column types of the atoms' table, period variables included.
        integral: whether a ``sum`` value is an integer expression (float sums
            are left to the database, which adds them in one go).
    """
    planner = _Planner(types)
    planned: list[AtomPlan] = []
    rest: list[Atom] = []
    decomposable = [
        atom.call.name == "count"
        or (
            atom.call.name == "sum"
            and not _is_period_dependent(atom.call.args[0])
            and integral(atom.call.args[0])
        )
        for atom in atoms
    ]
    for atom, ok in zip(atoms, decomposable, strict=True):
        condition, value = _condition_and_value(atom)
        for part in (condition, value) if ok else ():
            for node in walk(part) if part is not None else ():
                planner.comparison(node)
    for atom, ok in zip(atoms, decomposable, strict=True):
        plan = planner.atom(atom) if ok else None
        if plan is None:
            rest.append(atom)
        else:
            planned.append(plan)
    return planner.plan(planned), rest
