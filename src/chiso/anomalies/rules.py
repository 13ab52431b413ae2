"""The anomaly rules as data: ``chiso/data/anomalies.yaml``, tuned by a province's file.

Each rule has an id, a severity, a Vietnamese question (``title``) with ``{count}`` and
its thresholds in braces, a documented reason and typed thresholds.  A province's file
lists only what it changes (a threshold, a title, ``enabled: false``); it is merged over
the shipped file and the whole is validated, so a misspelt rule or threshold is an error
naming the file.
"""

from __future__ import annotations

import re
import string
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from chiso.errors import UserError
from chiso.i18n import _

__all__ = ["QUESTIONED", "RATING_RULES", "RULE_IDS", "Rule", "RuleSet", "Severity", "load_rules"]

SHIPPED = "data/anomalies.yaml"
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class Severity(StrEnum):
    """How much a finding weighs for a reviewer (never for a score)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def label(self) -> str:
        """Vietnamese label."""
        return {"high": "cao", "medium": "trung bình", "low": "thấp"}[self.value]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SameMinute(_Model):
    """Received and finished within minutes for a procedure whose limit is days."""

    max_minutes: int = Field(ge=1, le=1440, description="finished less than this after receipt")
    min_time_limit_days: int = Field(ge=1, description="procedures with at least this limit")


class DueRush(_Model):
    """Finishing clustered in the last window before the due time."""

    window_minutes: int = Field(ge=5, le=1440, description="the window before the due time")
    min_share: float = Field(gt=0, le=1, description="unit's share of finished dossiers in it")
    province_ratio: float = Field(ge=1, description="times the province's share")
    own_ratio: float = Field(ge=1, description="times the unit's share in the window before")
    min_count: int = Field(ge=1, description="at least this many dossiers in the window")


class DueBeyondLimit(_Model):
    """A due date later than the procedure's limit with no supplement request."""

    min_extra_days: int = Field(ge=1, description="working days beyond the limit")
    cutoff_hour: int = Field(ge=0, le=24, description="intake after it counts from the next day")


class OffHoursDirect(_Model):
    """Direct-channel receipts outside office hours or on a day off."""

    opens: str = Field(description="office opening time HH:MM")
    closes: str = Field(description="office closing time HH:MM")

    @field_validator("opens", "closes")
    @classmethod
    def _clock(cls, value: str) -> str:
        if not _CLOCK.match(value):
            raise ValueError(
                _("write the time as HH:MM, e.g. 07:00 (not {value!r})").format(value=value)
            )
        return value

    def minutes(self, which: str) -> int:
        """``opens`` or ``closes`` in minutes after midnight."""
        hours, minutes = getattr(self, which).split(":")
        return int(hours) * 60 + int(minutes)


class CodeDate(_Model):
    """The date inside the dossier code far from the received date."""

    max_days: int = Field(ge=0, description="calendar days allowed between code and receipt")


class RatingBurst(_Model):
    """Many ratings within minutes on one channel of one unit."""

    min_ratings: int = Field(ge=2, description="ratings in one run")
    window_minutes: int = Field(ge=1, le=1440, description="the run's length at most")


class NoThresholds(_Model):
    """A rule without thresholds."""


_THRESHOLDS: dict[str, type[_Model]] = {
    "same_minute": SameMinute,
    "due_rush": DueRush,
    "due_beyond_limit": DueBeyondLimit,
    "off_hours_direct": OffHoursDirect,
    "code_date": CodeDate,
    "rating_burst": RatingBurst,
    "rating_unfinished": NoThresholds,
    "out_of_order": NoThresholds,
}
#: Every rule, in the order findings are listed.
RULE_IDS = tuple(_THRESHOLDS)
#: Rules whose records are ratings (the others: dossiers).
RATING_RULES = frozenset({"rating_burst", "rating_unfinished"})
#: The columns whose values each rule questions (table, column): the indicators of an
#: index set reading them are those a gamed record would move.
QUESTIONED: dict[str, tuple[tuple[str, str], ...]] = {
    "same_minute": (("dossiers", "received_at"), ("dossiers", "finished_at")),
    "due_rush": (("dossiers", "finished_at"),),
    "due_beyond_limit": (("dossiers", "due_at"),),
    "off_hours_direct": (("dossiers", "received_at"),),
    "code_date": (("dossiers", "received_at"),),
    "rating_burst": (("ratings", "satisfied"),),
    "rating_unfinished": (("ratings", "satisfied"),),
    "out_of_order": (("dossiers", "finished_at"), ("dossiers", "returned_at")),
}
#: Placeholders a title may use besides the thresholds.
_FACTS = {"count": 14, "share": 40, "province_share": 5}


class Rule(_Model):
    """One rule: what a reviewer sees and the thresholds of its query."""

    id: str
    enabled: bool = True
    severity: Severity
    title: str = Field(min_length=10, description="the question to the unit, Vietnamese")
    reason: str = Field(min_length=20, description="why the pattern is suspicious")
    thresholds: Any

    def question(self, **facts: object) -> str:
        """The title with the count, the thresholds and any other facts filled in."""
        return self.title.format(**self.threshold_values(), **facts)

    def threshold_values(self) -> dict[str, Any]:
        """The thresholds as a plain mapping."""
        return dict(self.thresholds.model_dump())


class RuleSet(_Model):
    """Every rule, keyed by id (all present, in :data:`RULE_IDS` order)."""

    source: str
    rules: dict[str, Rule]

    def enabled(self) -> list[Rule]:
        """The rules switched on, in order."""
        return [r for r in self.rules.values() if r.enabled]

    def __getitem__(self, rule_id: str) -> Rule:
        return self.rules[rule_id]


def _read(text: str, source: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise UserError(
            _("{source}: cannot read the YAML ({exc})").format(source=source, exc=exc),
            hint=_("check the indentation and the colons"),
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("rules", {}), dict):
        raise UserError(
            _("{source}: a rules file must have the key 'rules' holding the rules by id").format(
                source=source
            ),
            hint=_("see src/chiso/data/anomalies.yaml"),
        )
    unknown = sorted(set(data) - {"rules"})
    if unknown:
        raise UserError(
            _("{source}: unknown keys {keys}").format(source=source, keys=", ".join(unknown)),
            hint=_("use only 'rules'"),
        )
    return data


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _build(data: dict[str, Any], source: str) -> RuleSet:
    rules: dict[str, Rule] = {}
    raw_rules = data.get("rules", {})
    unknown = sorted(set(raw_rules) - set(RULE_IDS))
    if unknown:
        raise UserError(
            _("{source}: unknown rules: {rules}").format(source=source, rules=", ".join(unknown)),
            hint=_("the rules: {rules}").format(rules=", ".join(RULE_IDS)),
        )
    for rule_id in RULE_IDS:
        raw = dict(raw_rules.get(rule_id) or {})
        try:
            thresholds = _THRESHOLDS[rule_id].model_validate(raw.pop("thresholds", {}) or {})
            rule = Rule.model_validate({**raw, "id": rule_id, "thresholds": thresholds})
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise UserError(
                _("{source}: rule {rule}: {where}: {problem}").format(
                    source=source, rule=rule_id, where=where or "thresholds", problem=first["msg"]
                ),
                hint=_("see the thresholds and their reasons in docs/anomalies.md"),
            ) from None
        _check_title(rule, source)
        rules[rule_id] = rule
    return RuleSet(source=source, rules=rules)


def _check_title(rule: Rule, source: str) -> None:
    names = {name for _, name, _, _ in string.Formatter().parse(rule.title) if name}
    known = set(rule.threshold_values()) | set(_FACTS)
    unknown = sorted(names - known)
    if unknown:
        raise UserError(
            _("{source}: rule {rule}: the title uses {names}, which do not exist").format(
                source=source, rule=rule.id, names=", ".join(f"{{{n}}}" for n in unknown)
            ),
            hint=_("use {{count}} or a threshold: {known}").format(known=", ".join(sorted(known))),
        )


@cache
def _shipped_text() -> str:
    return resources.files("chiso").joinpath(SHIPPED).read_text(encoding="utf-8")


def load_rules(path: str | Path | None = None) -> RuleSet:
    """The shipped rules, with a province's file (``path``) merged over them.

    Raises:
        UserError: the file is missing, not YAML, names an unknown rule or threshold, or
            gives a value out of range.

    Examples:
        >>> rules = load_rules()
        >>> rules["same_minute"].question(count=14)[:15]
        'Vì sao 14 hồ sơ'
        >>> [r.id for r in rules.enabled()][:3]
        ['same_minute', 'due_rush', 'due_beyond_limit']
    """
    data = _read(_shipped_text(), f"chiso/{SHIPPED}")
    source = f"chiso/{SHIPPED}"
    if path is not None:
        file = Path(path)
        if not file.is_file():
            raise UserError(
                _("no rules file {path!r}").format(path=str(file)),
                hint=_("give the path of a YAML file like src/chiso/data/anomalies.yaml"),
            )
        source = str(file)
        data = _merge(data, _read(file.read_text(encoding="utf-8"), source))
    return _build(data, source)
