"""Classification bands go from the highest minimum down and end in a catch-all band."""

from __future__ import annotations

from chiso.spec.issues import Issue
from chiso.spec.models import IndexSetModel
from chiso.spec.rules.locations import Context


def check(model: IndexSetModel, ctx: Context) -> list[Issue]:
    """Report unordered bands, a missing lowest band and repeated grades."""
    bands = model.classification.bands
    path: tuple[str | int, ...] = ("classification", "bands")
    issues: list[Issue] = []
    mins = [b.min for b in bands]
    if mins[-1] is not None:
        issues.append(
            ctx.issue(
                "no-lowest-band",
                "the last band must have min: null",
                path,
                hint="the lowest band catches every score below the others",
            )
        )
    listed = list(mins[:-1])
    if any(m is None for m in listed):
        issues.append(ctx.issue("band-min-missing", "only the last band may have min: null", path))
    numbers = [m for m in listed if m is not None]
    if numbers != sorted(numbers, reverse=True) or len(set(numbers)) != len(numbers):
        issues.append(
            ctx.issue("bands-unordered", "bands must be listed from the highest minimum down", path)
        )
    grades = [b.grade for b in bands]
    if len(set(grades)) != len(grades):
        issues.append(ctx.issue("duplicate-grade", "a grade appears in two bands", path))
    return issues
