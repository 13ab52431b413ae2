"""A group's declared maximum equals the sum of its indicators' maxima."""

from __future__ import annotations

from decimal import Decimal

from chiso.spec.issues import Issue
from chiso.spec.models import IndexSetModel
from chiso.spec.rules.locations import Context


def check(model: IndexSetModel, ctx: Context) -> list[Issue]:
    """Report groups whose maximum does not add up, and empty totals."""
    issues: list[Issue] = []
    total = Decimal(0)
    for gi, group in enumerate(model.groups):
        counted = sum((i.max for i in group.indicators if i.in_total), Decimal(0))
        total += counted
        if group.max is not None and group.max != counted:
            issues.append(
                ctx.issue(
                    "group-max-mismatch",
                    f"group {group.code!r} declares max {group.max} but its indicators add up "
                    f"to {counted}",
                    ("groups", gi, "max"),
                    hint="fix an indicator's max or the group's max",
                )
            )
    if total <= 0:
        issues.append(ctx.issue("zero-total", "no indicator counts in the total", ("groups",)))
    return issues
