"""Group codes are unique among groups, indicator codes among indicators."""

from __future__ import annotations

from chiso.spec.issues import Issue
from chiso.spec.models import IndexSetModel
from chiso.spec.rules.locations import Context


def check(model: IndexSetModel, ctx: Context) -> list[Issue]:
    """Report every group or indicator code used twice."""
    issues: list[Issue] = []
    groups: set[str] = set()
    indicators: set[str] = set()
    for gi, group in enumerate(model.groups):
        if group.code in groups:
            issues.append(
                ctx.issue(
                    "duplicate-code",
                    f"group code {group.code!r} is used twice",
                    ("groups", gi, "code"),
                    hint="give each group its own code",
                )
            )
        groups.add(group.code)
        for ii, ind in enumerate(group.indicators):
            if ind.code in indicators:
                issues.append(
                    ctx.issue(
                        "duplicate-code",
                        f"indicator code {ind.code!r} is used twice",
                        ("groups", gi, "indicators", ii, "code"),
                        hint="give each indicator its own code",
                    )
                )
            indicators.add(ind.code)
    return issues
