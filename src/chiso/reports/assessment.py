"""Sections 2–4 of the report: đánh giá chung, tồn tại hạn chế, phương hướng.

Each function returns :class:`~chiso.reports.narrative.Sentence` objects whose
claims (units, counts) come from the scores and the statistics; nothing is
written by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from chiso.domain.rounding import format_vn, to_decimal
from chiso.engine.goalseek import LEVER_TEXTS, points_text
from chiso.engine.results import ResultSet, UnitResult
from chiso.reports.facts import LateRow
from chiso.reports.narrative import NarrativeInput, Sentence, names, padded, score_text
from chiso.spec.canonical import Indicator
from chiso.spec.reads import columns_read

__all__ = [
    "general_sentences",
    "group_means",
    "next_step_sentences",
    "shortcoming_sentences",
]


def group_means(results: ResultSet, codes: set[str] | None = None) -> dict[str, Fraction]:
    """Mean points per group over the scored units where the group applies (a unit without
    data in the period counts in neither period's mean)."""
    sums: dict[str, list[Fraction]] = {}
    for unit in results.units:
        if not unit.scored or (codes is not None and unit.unit_code not in codes):
            continue
        for group, value in unit.group_points().items():
            if value is not None:
                sums.setdefault(group, []).append(value)
    return {g: sum(v, Fraction(0)) / len(v) for g, v in sums.items()}


def _mean_text(value: Fraction) -> str:
    """A mean with two decimals, half-up (27,40; 11,25)."""
    return format_vn(to_decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _group_maximum(data: NarrativeInput, group: str) -> str:
    """ " (tối đa 5)" when every unit has the same applicable maximum in the group."""
    maxima = {
        sum(
            (i.max for i in u.indicators if i.group == group and i.in_total and i.applicable),
            Decimal(0),
        )
        for u in data.scored_units
    }
    if len(maxima) != 1:
        return ""
    return " " + data.phrasing.say("group_maximum", max=format_vn(maxima.pop()))


def _comparison(data: NarrativeInput) -> list[Sentence]:
    say = data.phrasing.say
    if data.previous is None:
        return []
    codes = {u.unit_code for u in data.units}
    now, before = group_means(data.results, codes), group_means(data.previous, codes)
    if not before:
        text = say("no_previous", previous=data.previous.period_label)
        return [Sentence(text, "no_previous")]
    intro = "comparison_intro_one" if len(codes) == 1 else "comparison_intro"
    out = [Sentence(say(intro, previous=data.previous.period_label), "comparison")]
    for group in data.index_set.groups:
        if group.code not in now or group.code not in before:
            continue
        after_text, before_text = _mean_text(now[group.code]), _mean_text(before[group.code])
        key = "group_same"
        if after_text != before_text:
            key = "group_up" if now[group.code] > before[group.code] else "group_down"
        text = say(
            key,
            group=group.label,
            before=before_text,
            after=after_text,
            maximum=_group_maximum(data, group.code),
        )
        out.append(Sentence(text, key, subject=group.code))
    return out


def _full_marks(unit: UnitResult) -> tuple[int, int]:
    applicable = [i for i in unit.indicators if i.in_total and i.applicable and i.max]
    full = [i for i in applicable if i.points is not None and i.points >= Fraction(i.max)]
    return len(full), len(applicable)


def _best(data: NarrativeInput, scored: Sequence[UnitResult]) -> Sentence:
    top = max(u.converted for u in scored if u.converted is not None)
    best = [u for u in scored if u.converted == top]
    converted = format_vn(data.results.rounded(top))
    if len(best) > 1:
        text = data.phrasing.say(
            "best_tied", count=padded(len(best)), converted=converted, units=names(best)
        )
        return Sentence(text, "best_tied", tuple(u.unit_code for u in best), len(best))
    full, applicable = _full_marks(best[0])
    text = data.phrasing.say(
        "best", unit=best[0].name, converted=converted, full=full, applicable=applicable
    )
    return Sentence(text, "best", (best[0].unit_code,), full, applicable)


def general_sentences(data: NarrativeInput) -> list[Sentence]:
    """Section 2: the general assessment, the mean score, the best unit, the trend."""
    say = data.phrasing.say
    out = [Sentence(say("general_intro"), "general")]
    scored = [u for u in data.scored_units if u.converted is not None]
    if len(scored) > 1:
        mean = sum((u.converted for u in scored if u.converted is not None), Fraction(0))
        mean /= len(scored)
        average = format_vn(data.results.rounded(mean))
        text = say("average", count=padded(len(scored)), average=average)
        out.append(Sentence(text, "average", tuple(u.unit_code for u in scored), len(scored)))
        out.append(_best(data, scored))
    return out + _comparison(data)


# --- 3. Tồn tại, hạn chế -----------------------------------------------------------------------


def _field(name: str) -> str:
    """'Hộ tịch' → 'hộ tịch' (acronyms such as 'THADS' stay)."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _late(data: NarrativeInput, rows: Sequence[LateRow], attr: str, key: str) -> list[Sentence]:
    say = data.phrasing.say
    items, codes = [], []
    for unit in data.units:
        mine = [r for r in rows if r.unit_code == unit.unit_code and getattr(r, attr)]
        if not mine:
            continue
        fields = ", ".join(
            say("late_field", count=padded(getattr(r, attr)), field=_field(r.field)) for r in mine
        )
        items.append(say("late_item", unit=unit.name, fields=fields))
        codes.append(unit.unit_code)
    if not items:
        return []
    count = sum(getattr(r, attr) for r in rows if r.unit_code in codes)
    return [Sentence(say(key, items="; ".join(items)), key, tuple(codes), count)]


def _supplements_make_late(data: NarrativeInput) -> bool:
    """Whether a timeliness indicator of the index set reads ``supplement_count`` (more
    than one supplement request makes a dossier late under QĐ 766 and QĐ 459)."""
    timeliness = set(data.phrasing.lists.get("timeliness_indicators", ()))
    return any(
        ("dossiers", "supplement_count") in columns_read(i)
        for i in data.index_set.indicators
        if i.code in timeliness
    )


def _late_sentences(data: NarrativeInput) -> list[Sentence]:
    if data.facts.late is not None:
        rows = data.facts.late
        out = _late(data, rows, "finished_late", "late_finished")
        out += _late(data, rows, "pending_late", "late_pending")
        if _supplements_make_late(data):
            out += _late(data, rows, "supplement_over", "late_supplement")
        return out
    timeliness = set(data.phrasing.lists.get("timeliness_indicators", ()))
    late = [
        u
        for u in data.scored_units
        for i in u.indicators
        if i.code in timeliness and i.applicable and i.points is not None and i.points < i.max
    ]
    if not late:
        return []
    text = data.phrasing.say("late_by_score", units=names(late))
    return [Sentence(text, "late_by_score", tuple(u.unit_code for u in late), len(late))]


def _ratio(unit: UnitResult, ind: Indicator) -> Fraction | None:
    res = unit.indicator(ind.code)
    if not res.applicable or res.points is None or not ind.max:
        return None
    return res.points / Fraction(ind.max)


def _indicator_sentences(data: NarrativeInput) -> list[Sentence]:
    say = data.phrasing.say
    low = Fraction(data.profile.thresholds.low_rate)
    threshold = score_text(low * 100)
    counted = [ind for ind in data.index_set.indicators if ind.in_total and ind.max]
    alone = {
        g for g in {i.group_code for i in counted} if sum(i.group_code == g for i in counted) == 1
    }
    out = []
    for ind in counted:
        ratios = [(u, _ratio(u, ind)) for u in data.scored_units]
        zero = [u for u, r in ratios if r == 0]
        lowish = [u for u, r in ratios if r is not None and 0 < r < low]
        # $subject: the group and its indicator, or the group alone when it has one
        # indicator (it bears the group's short name: "Tiến độ, kết quả giải quyết,
        # Tiến độ, KQ giải quyết" said it twice)
        subject = ind.group_label if ind.group_code in alone else f"{ind.group_label}, {ind.label}"
        where = {"group": ind.group_label, "indicator": ind.label, "subject": subject}
        if zero:
            text = say("not_started", count=padded(len(zero)), units=names(zero), **where)
            codes = tuple(u.unit_code for u in zero)
            out.append(Sentence(text, "not_started", codes, len(zero), subject=ind.code))
        if lowish:
            text = say(
                "low_rate",
                count=padded(len(lowish)),
                units=names(lowish),
                threshold=threshold,
                **where,
            )
            codes = tuple(u.unit_code for u in lowish)
            out.append(Sentence(text, "low_rate", codes, len(lowish), subject=ind.code))
    return out


def _percent(value: Fraction) -> str:
    return score_text(value * 100)


def _name(data: NarrativeInput, code: str, fallback: str) -> str:
    """A unit's name as the report prints it elsewhere (one spelling per report)."""
    return next((u.name for u in data.units if u.unit_code == code), fallback)


def _payment_sentences(data: NarrativeInput) -> list[Sentence]:
    if data.facts.fees is None:
        return []
    target = Fraction(data.profile.thresholds.online_payment_target)
    with_fees = [r for r in data.facts.fees if r.online_rate is not None]
    below = [r for r in with_fees if r.online_rate is not None and r.online_rate < target]
    if not below:
        return []
    text = data.phrasing.say(
        "payment_target",
        count=padded(len(below)),
        total=padded(len(with_fees)),
        target=_percent(target),
        units="; ".join(_name(data, r.unit_code, r.name) for r in below),
    )
    codes = tuple(r.unit_code for r in below)
    sentence = Sentence(text, "payment_target", codes, len(below), len(with_fees))
    return [sentence, Sentence(data.phrasing.say("fees_pointer"), "pointer")]


def _digitisation_sentences(data: NarrativeInput) -> list[Sentence]:
    if data.facts.digitisation is None:
        return []
    say = data.phrasing.say
    target = Fraction(data.profile.thresholds.digitisation_target)
    out = []
    for attr, what in (("components_rate", "components"), ("results_rate", "results")):
        below = [r for r in data.facts.digitisation if (getattr(r, attr) or 0) < target]
        below = [r for r in below if getattr(r, attr) is not None]
        if below:
            text = say(
                "digitisation_low",
                what=say(f"digitisation_{what}"),
                target=_percent(target),
                units="; ".join(
                    f"{_name(data, r.unit_code, r.name)} ({_percent(getattr(r, attr))} %)"
                    for r in below
                ),
            )
            codes = tuple(r.unit_code for r in below)
            out.append(Sentence(text, f"digitisation_{what}", codes, len(below), subject=attr))
    if out:
        out.append(Sentence(say("digitisation_pointer"), "pointer"))
    return out


def shortcoming_sentences(data: NarrativeInput) -> list[Sentence]:
    """Section 3: late dossiers, indicators not started or low, targets missed."""
    out = _late_sentences(data) + _indicator_sentences(data)
    out += _payment_sentences(data) + _digitisation_sentences(data)
    if not out:
        low = Fraction(data.profile.thresholds.low_rate) * 100
        text = data.phrasing.say("no_shortcoming", threshold=score_text(low))
        out.append(Sentence(text, "no_shortcoming"))
    return out


def next_step_sentences(data: NarrativeInput, found: Sequence[Sentence]) -> list[Sentence]:
    """Section 4: the general instruction plus one line per kind of shortcoming found."""
    say = data.phrasing.say
    rules = {s.rule for s in found}
    out = [Sentence(say("next_general"), "next_general")]
    late_codes = [c for s in found if s.rule.startswith("late") for c in s.units]
    if late_codes:
        late_units = [u for u in data.units if u.unit_code in set(late_codes)]
        out.append(Sentence(say("next_late", units=names(late_units)), "next_late"))
    if rules & {"not_started", "low_rate"}:
        out.append(Sentence(say("next_low"), "next_low"))
    if "payment_target" in rules:
        out.append(Sentence(say("next_payment"), "next_payment"))
    if rules & {"digitisation_components", "digitisation_results"}:
        out.append(Sentence(say("next_digitisation"), "next_digitisation"))
    return out + _plan_sentences(data)


def _plan_sentences(data: NarrativeInput) -> list[Sentence]:
    """The units' plans to the next class, in printed order: each reachable one with the
    actions the unit controls (chiso plan), while the period still runs."""
    say = data.phrasing.say
    by_code = {p.unit_code: p for p in data.facts.plans}
    out = []
    for unit in data.scored_units:
        plan = by_code.get(unit.unit_code)
        if plan is None or not plan.reachable or not plan.actions or plan.next_class is None:
            continue
        text = say(
            "next_plan_keep" if plan.keep else "next_plan_up",
            unit=unit.name,
            points=points_text(plan.points_needed),
            target=plan.next_class,
            actions="; ".join(
                say(
                    "next_plan_action",
                    records=padded(a.records),
                    what=LEVER_TEXTS[a.lever],
                    points=points_text(a.points),
                )
                for a in plan.actions
            ),
        )
        out.append(Sentence(text, "next_plan", (unit.unit_code,), len(plan.actions)))
    if out:
        out.insert(0, Sentence(say("next_plan_intro"), "next_plan_intro"))
    return out
