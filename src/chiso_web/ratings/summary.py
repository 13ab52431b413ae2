"""The staff summary of ratings given through the site: counts per unit, channel and answer.

Only ratings the site took (QR and kiosk) carry per-question answers; paper ratings and
imports live in the canonical ``ratings`` table and show in the indicator only.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils import timezone

from chiso.api import Period, Survey
from chiso_web.ratings.models import Rating


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _questions(survey: Survey, ratings: list[Rating]) -> list[dict[str, Any]]:
    out = []
    for q in survey.questions:
        counts = Counter(r.answers.get(q.code) for r in ratings if r.survey == survey.code)
        answered = sum(n for code, n in counts.items() if code is not None)
        choices: list[dict[str, Any]] = [
            {"code": c.code, "label": c.label, "count": counts.get(c.code, 0)} for c in q.choices
        ]
        for choice in choices:
            choice["share"] = _share(choice["count"], answered)
        out.append({"code": q.code, "label": q.label, "answered": answered, "choices": choices})
    return out


def summary(
    survey: Survey, period: Period, visible: set[str] | None, names: dict[str, str]
) -> dict[str, Any]:
    """The document of ``/danh-gia/``: ratings of the visible units rated in ``period``."""
    start, end = (timezone.make_aware(t) for t in (period.start, period.end))
    query = Rating.objects.filter(rated_at__gte=start, rated_at__lt=end)
    if visible is not None:
        query = query.filter(unit_code__in=sorted(visible))
    ratings = list(query)
    per_unit: dict[str, Counter[str]] = {}
    for r in ratings:
        counts = per_unit.setdefault(r.unit_code, Counter())
        counts["total"] += 1
        counts[r.channel] += 1
        counts["unsatisfied"] += not r.satisfied
    units = [
        {
            "unit_code": code,
            "unit_name": names.get(code, code),
            "ratings": c["total"],
            "qr": c["qr"],
            "kiosk": c["kiosk"],
            "unsatisfied": c["unsatisfied"],
            "unsatisfied_share": _share(c["unsatisfied"], c["total"]),
        }
        for code, c in sorted(per_unit.items(), key=lambda kv: (-kv[1]["total"], kv[0]))
    ]
    return {
        "period": period.code,
        "period_label": period.label,
        "survey": survey.code,
        "ratings": len(ratings),
        "unsatisfied": sum(u["unsatisfied"] for u in units),
        "units": units,
        "questions": _questions(survey, ratings),
    }
