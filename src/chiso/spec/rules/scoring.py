"""Scoring settings fit their kind; computed indicators have a rate, manual ones not."""

from __future__ import annotations

from chiso.spec.issues import Issue
from chiso.spec.models import IndexSetModel, IndicatorModel, ScoringModel
from chiso.spec.rules.locations import Context


def _one(ind: IndicatorModel, path: tuple[str | int, ...], ctx: Context) -> list[Issue]:
    issues: list[Issue] = []
    if ind.source == "computed" and ind.rate is None:
        issues.append(
            ctx.issue(
                "missing-rate",
                f"indicator {ind.code!r} has no rate",
                path,
                hint="add a rate, or set source: manual",
            )
        )
    if ind.source == "manual" and ind.rate is not None:
        issues.append(
            ctx.issue(
                "manual-with-rate",
                f"manual indicator {ind.code!r} must not have a rate",
                (*path, "rate"),
                hint="remove the rate or set source: computed",
            )
        )
    if ind.source != "manual" and (ind.no_value != "not_applicable" or ind.carried_from):
        issues.append(
            ctx.issue(
                "manual-only-field",
                f"no_value and carried_from apply to manual indicators; {ind.code!r} is computed",
                path,
                hint="remove them, or set source: manual",
            )
        )
    scoring = ind.scoring
    if not isinstance(scoring, ScoringModel):
        return issues
    spath = (*path, "scoring")
    if scoring.kind == "thr" and scoring.target is None:
        issues.append(
            ctx.issue(
                "thr-without-target",
                "thr scoring needs a target",
                spath,
                hint="e.g. target: 0.8 for full points at 80 %",
            )
        )
    if scoring.kind != "thr" and scoring.target is not None:
        issues.append(ctx.issue("target-not-used", "only thr scoring takes a target", spath))
    if scoring.kind == "bands":
        if not scoring.bands:
            issues.append(ctx.issue("bands-missing", "bands scoring needs bands", spath))
        elif any(b.points > ind.max for b in scoring.bands):
            issues.append(ctx.issue("band-over-max", "a band gives more points than max", spath))
    elif scoring.bands:
        issues.append(ctx.issue("bands-not-used", "only bands scoring takes bands", spath))
    return issues


def check(model: IndexSetModel, ctx: Context) -> list[Issue]:
    """Check every indicator's scoring."""
    issues: list[Issue] = []
    for gi, group in enumerate(model.groups):
        for ii, ind in enumerate(group.indicators):
            issues += _one(ind, ("groups", gi, "indicators", ii), ctx)
    return issues
