"""Every formula parses, names known columns and has the right type."""

from __future__ import annotations

from collections.abc import Mapping

from chiso.domain.records import MEASURE_TABLES, PERIOD_VARIABLES, ColumnType
from chiso.spec.canonical import expand_definitions
from chiso.spec.formula import FormulaError, Node, parse, substitute
from chiso.spec.issues import Issue
from chiso.spec.models import IndexSetModel, MeasureModel, RateModel
from chiso.spec.rules.locations import Context
from chiso.spec.typecheck import aggregate_type, row_type

B = ColumnType.BOOLEAN


def _columns(table: str) -> Mapping[str, ColumnType]:
    return {**MEASURE_TABLES[table], **PERIOD_VARIABLES}


def _formula_issue(
    exc: FormulaError, text: str, path: tuple[str | int, ...], ctx: Context
) -> Issue:
    pointer = f"{text[: exc.pos]}⟨here⟩{text[exc.pos :]}"
    return ctx.issue("formula", f"{exc.message} in {pointer!r}", path, hint=exc.hint)


def _check_part(
    text: str,
    table: str,
    *,
    aggregate: bool,
    defs: dict[str, Node],
    path: tuple[str | int, ...],
    ctx: Context,
) -> list[Issue]:
    try:
        node = substitute(parse(text), defs)
        if aggregate:
            aggregate_type(node, _columns(table))
        elif row_type(node, _columns(table)) not in (B, "null"):
            return [ctx.issue("where-not-condition", f"where {text!r} is not a condition", path)]
    except FormulaError as exc:
        return [_formula_issue(exc, text, path, ctx)]
    return []


def _check_rate(
    rate: RateModel, defs: dict[str, Node], path: tuple[str | int, ...], ctx: Context
) -> list[Issue]:
    issues: list[Issue] = []
    for part in ("numerator", "denominator"):
        value = getattr(rate, part)
        ppath = (*path, part)
        if isinstance(value, MeasureModel):
            table, where, text = value.from_, value.where, value.value
            wpath, vpath = (*ppath, "where"), (*ppath, "value")
        else:
            table, where, text = rate.from_ or "dossiers", rate.where, value
            wpath, vpath = (*path, "where"), ppath
        if where:
            issues += _check_part(where, table, aggregate=False, defs=defs, path=wpath, ctx=ctx)
        issues += _check_part(text, table, aggregate=True, defs=defs, path=vpath, ctx=ctx)
    return issues


def check(model: IndexSetModel, ctx: Context) -> list[Issue]:
    """Check definitions and every rate's formulas."""
    try:
        defs = expand_definitions(dict(model.definitions))
    except FormulaError as exc:
        return [
            ctx.issue(
                "formula",
                f"a definition does not parse: {exc.message}",
                ("definitions",),
                hint=exc.hint,
            )
        ]
    except ValueError as exc:
        return [
            ctx.issue(
                "definition-cycle", f"definitions refer to each other: {exc}", ("definitions",)
            )
        ]
    issues: list[Issue] = []
    for gi, group in enumerate(model.groups):
        for ii, ind in enumerate(group.indicators):
            if ind.rate is not None:
                path = ("groups", gi, "indicators", ii, "rate")
                issues += _check_rate(ind.rate, defs, path, ctx)
    # Dedupe: a shared where is reported once per location.
    unique: dict[tuple[str, int | None], Issue] = {}
    for issue in issues:
        unique.setdefault((issue.message, issue.line), issue)
    return list(unique.values())
