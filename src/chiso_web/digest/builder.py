"""One unit's weekly digest (:class:`chiso.contracts.digest.Digest`), from the library.

The week ends at the site's clock (:func:`chiso_web.data.now`, that is
``chiso.domain.clock.now``) and starts seven days before.  Everything is the library's,
through the data service's cache (shared with the pages):

* the month's score, class and rank in the unit's ranking block now and at the week's
  start (``chiso.engine.runner.score``; a week ago is the month holding that instant, judged
  then, on the data as it is now);
* the plan's first actions to the next class (``chiso.engine.goalseek.plan_unit``) and the
  month-end forecast with its 80 % interval (``chiso.engine.forecast``);
* the unfinished dossiers of the unit's subtree due in the coming week (5 working days)
  with the points their unit loses if late (``chiso.engine.due``, ``chiso.engine.stake``);
* the month's anomaly findings of the subtree (``chiso.anomalies``), each marked explained
  or not.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from chiso.api import (
    LEVER_TEXTS,
    RANKING_BLOCKS,
    Digest,
    DigestAction,
    DigestDossier,
    DigestFinding,
    DigestScore,
    IndexSet,
    Period,
    due_soon,
    exact,
)
from chiso_web import coverage, data
from chiso_web.dashboard import anomalies, payloads, plan

WEEK = timedelta(days=7)
#: The plan's actions the digest shows (the unit page shows them all).
ACTIONS = 3
#: The coming week, in working days.
DUE_DAYS = 5


def month_at(instant: datetime) -> Period:
    """The month holding ``instant``, judged at it."""
    return Period.of_month(instant.year, instant.month, now=instant)


def score_at(
    index_set: IndexSet, unit_code: str, kind: str | None, instant: datetime
) -> DigestScore | None:
    """The unit's month score at ``instant``, ranked in its block (None: no score then)."""
    period = month_at(instant)
    block = next((b for b in RANKING_BLOCKS if kind in b.kinds), None)
    results = coverage.covered(index_set, period, block.level if block else "all").results
    unit = next((u for u in results.units if u.unit_code == unit_code), None)
    if unit is None or not unit.scored:
        return None
    row = results.unit_contract(unit)
    return DigestScore(
        period=period.code,
        period_label=period.label,
        as_of=period.as_of.isoformat(sep=" ", timespec="minutes"),
        converted=row.converted,
        grade=row.grade,
        class_label=row.class_label,
        rank=unit.rank,
        ranked=sum(1 for u in results.units if u.rank is not None),
        block_label=block.label if block else None,
    )


def _due(index_set: IndexSet, now: datetime, codes: set[str]) -> list[DigestDossier]:
    found = data.service().query(lambda s: due_soon(s, now=now, days=DUE_DAYS, unit_codes=codes))
    staked = payloads.due_stakes(index_set, now, found)
    out = []
    for d in found:
        stake = staked.get((d.unit_code, f"{d.due_at.year}-{d.due_at.month:02d}"))
        points = (exact(stake.points) or 0.0) if stake is not None and d.savable else 0.0
        out.append(
            DigestDossier(
                dossier_code=d.dossier_code,
                procedure_name=d.procedure_name,
                due_at=d.due_at.isoformat(sep=" ", timespec="minutes"),
                working_days_left=d.working_days_left,
                points_at_stake=points,
            )
        )
    return sorted(out, key=lambda d: (-d.points_at_stake, d.due_at, d.dossier_code))


def _findings(period: Period, codes: set[str]) -> list[DigestFinding]:
    found = [f for f in anomalies.province_report(period).findings if f.unit_code in codes]
    marks = anomalies.explanations(period, codes)
    return [
        DigestFinding(
            rule=f.rule.id,
            severity=f.rule.severity.value,
            question=f.question,
            count=f.count,
            explained=(f.unit_code, f.rule.id) in marks,
        )
        for f in found
    ]


def build(
    unit_code: str, *, now: datetime | None = None, index_set: IndexSet | None = None
) -> Digest:
    """The digest of ``unit_code`` for the week ending at ``now`` (the site's clock)."""
    now = now or data.now()
    index_set = index_set or data.index_set()
    tree = data.service().tree()
    unit = tree.get(unit_code)
    codes = {u.unit_code for u in tree.descendants(unit_code, include_self=True)}
    current = month_at(now)
    score = score_at(index_set, unit_code, unit.kind, now)
    before = score_at(index_set, unit_code, unit.kind, now - WEEK)
    the_plan = plan.unit_plan(index_set, current, unit_code).to_json()
    found = plan.unit_forecast(index_set, current, unit_code)
    due = _due(index_set, now, codes)
    return Digest(
        unit_code=unit_code,
        unit_name=unit.name,
        index_set=index_set.id,
        index_set_label=index_set.short_label,
        week_start=(now - WEEK).isoformat(sep=" ", timespec="minutes"),
        week_end=now.isoformat(sep=" ", timespec="minutes"),
        now=score or _unscored(current),
        week_ago=before,
        change=_change(score, before),
        rank_change=(
            before.rank - score.rank
            if score is not None and before is not None and score.rank and before.rank
            else None
        ),
        next_class=the_plan["next_class"],
        keep=the_plan["keep"],
        points_needed=the_plan["points_needed"],
        reachable=the_plan["reachable"],
        actions=[
            DigestAction(
                text=LEVER_TEXTS.get(a["lever"]) or a["description"],
                records=a["records"],
                points=a["points"],
            )
            for a in the_plan["actions"][:ACTIONS]
        ],
        forecast=found.contract().month_end() if found is not None else None,
        due=due,
        due_days=DUE_DAYS,
        findings=_findings(current, codes),
    )


def _unscored(period: Period) -> DigestScore:
    return DigestScore(
        period=period.code,
        period_label=period.label,
        as_of=period.as_of.isoformat(sep=" ", timespec="minutes"),
        converted=None,
        grade=None,
        class_label=None,
        rank=None,
        ranked=0,
        block_label=None,
    )


def _change(now: DigestScore | None, before: DigestScore | None) -> float | None:
    if now is None or before is None or now.converted is None or before.converted is None:
        return None
    return round(now.converted - before.converted, 6)
