"""Semantic rules over a structurally valid index set, one module per rule.

Each rule is ``check(model, ctx) -> list[Issue]``.  A rule that crashes becomes
an ``internal-rule-error`` issue rather than stopping the others.
"""

from __future__ import annotations

from collections.abc import Callable

from chiso.spec.issues import Issue
from chiso.spec.models import IndexSetModel
from chiso.spec.rules import bands, formulas, maxima, scoring, unique_codes
from chiso.spec.rules.locations import Context, LineOf

RULES: dict[str, Callable[[IndexSetModel, Context], list[Issue]]] = {
    "unique_codes": unique_codes.check,
    "maxima": maxima.check,
    "scoring": scoring.check,
    "bands": bands.check,
    "formulas": formulas.check,
}


def check_all(model: IndexSetModel, *, file: str, line_of: LineOf) -> list[Issue]:
    """Run every rule and return all issues found."""
    ctx = Context(file=file, line_of=line_of)
    issues: list[Issue] = []
    for name, rule in RULES.items():
        try:
            issues += rule(model, ctx)
        except Exception as exc:
            issues.append(ctx.issue("internal-rule-error", f"rule {name} failed: {exc!r}", ()))
    return issues
