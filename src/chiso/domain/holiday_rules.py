"""Holiday rules of a working-day calendar and the YAML file that declares them.

The file format is documented at the top of ``chiso/data/calendar/vn_holidays.yaml``.
:func:`read_rules` turns the text into frozen :class:`CalendarRules`; every problem is a
:class:`CalendarFileError` naming the file and line, with a hint.  :func:`build_year` expands
the rules into the special days of one solar year (holidays, compensatory days off, one-off
days off, make-up working days); :mod:`chiso.domain.calendar` does the arithmetic.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import NoReturn

import yaml

from chiso.domain.lunar import lunar_to_solar
from chiso.errors import UserError
from chiso.i18n import _

__all__ = [
    "CalendarFileError",
    "CalendarRules",
    "DayKind",
    "HolidayRule",
    "NamedDay",
    "WeekendRule",
    "YearSchedule",
    "build_year",
    "read_rules",
]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RANGE = re.compile(r"^\s*(\S+)\s*\.\.\s*(\S+)\s*$")  # "2024-02-08..2024-02-14"
_MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$")  # "09-02"


class CalendarFileError(UserError):
    """A holiday-calendar file cannot be read or has a bad entry."""


class DayKind(StrEnum):
    """What a date is in the calendar."""

    WORKING = "working"
    MAKE_UP = "make_up"  # làm bù: a weekend day worked to pay back a swapped day off
    WEEKEND = "weekend"
    HOLIDAY = "holiday"  # ngày lễ, Tết (including every day of an officially announced break)
    COMPENSATORY = "compensatory"  # nghỉ bù for a holiday that fell on a weekend day
    DAY_OFF = "day_off"  # one-off day off: swapped working day (hoán đổi) or extra holiday


class WeekendRule(StrEnum):
    """Where the compensatory day of a holiday falling on a weekend day goes."""

    NEXT_WORKING_DAY = "next_working_day"  # Bộ luật Lao động 2019, Điều 111 khoản 3
    SATURDAY_BACK = "saturday_back"  # Saturday → previous working day; Sunday → next


@dataclass(frozen=True)
class HolidayRule:
    """A recurring holiday: a solar or lunar month-day, plus optional offsets and extra day."""

    id: str
    name: str
    lunar: bool
    month: int
    day: int
    offsets: tuple[int, ...] = (0,)
    extra_day_by_weekday: tuple[int, ...] | None = None  # shift per weekday of the base date
    weekend_rule: WeekendRule = WeekendRule.NEXT_WORKING_DAY
    from_year: int | None = None
    to_year: int | None = None

    def applies_to(self, year: int) -> bool:
        """Whether the rule is in force in ``year``."""
        return (self.from_year is None or year >= self.from_year) and (
            self.to_year is None or year <= self.to_year
        )

    def dates_in(self, year: int) -> list[date]:
        """The holiday dates the rule gives in solar ``year``."""
        out: list[date] = []
        for base in self._bases(year):
            days = [base + timedelta(days=o) for o in self.offsets]
            if self.extra_day_by_weekday is not None:
                days.append(base + timedelta(days=self.extra_day_by_weekday[base.weekday()]))
            out.extend(d for d in days if d.year == year)
        return sorted(set(out))

    def _bases(self, year: int) -> list[date]:
        if not self.lunar:
            return [date(year, self.month, self.day)]
        # A lunar date of lunar year Y − 1 or Y can fall in solar year Y.
        return [lunar_to_solar(y, self.month, self.day) for y in (year - 1, year)]


@dataclass(frozen=True)
class NamedDay:
    """An explicit day in a year block: a day off or a make-up working day."""

    day: date
    name: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class YearSchedule:
    """The officially announced schedule of one year; it wins over the default rules."""

    year: int
    source: str
    holidays: tuple[tuple[str, tuple[date, ...]], ...] = ()  # rule id → every day off
    days_off: tuple[NamedDay, ...] = ()
    working_days: tuple[NamedDay, ...] = ()
    line: int = field(default=0, compare=False)

    def holiday_dates(self, rule_id: str) -> tuple[date, ...] | None:
        """The announced days off of one holiday, or None if the default rule applies."""
        return next((days for rid, days in self.holidays if rid == rule_id), None)


@dataclass(frozen=True)
class CalendarRules:
    """Everything a calendar file declares."""

    source: str
    weekend: frozenset[int]  # date.weekday() numbers, Monday = 0
    holidays: tuple[HolidayRule, ...]
    years: tuple[YearSchedule, ...] = ()

    def year(self, year: int) -> YearSchedule | None:
        """The explicit schedule of ``year``, if the file has one."""
        return next((y for y in self.years if y.year == year), None)


def _find_substitute(
    start: date, step: int, taken: Mapping[date, object], weekend: frozenset[int]
) -> date:
    d = start + timedelta(days=step)
    while d.weekday() in weekend or d in taken:
        d += timedelta(days=step)
    return d


def build_year(rules: CalendarRules, year: int) -> dict[date, tuple[DayKind, str]]:
    """Special days of solar ``year`` (every date that is not an ordinary weekday/weekend).

    Order of precedence: announced holiday ranges of the year block, then the default rules
    (with a compensatory day for each holiday on a weekend day), then one-off days off, then
    make-up working days.  Raises :class:`CalendarFileError` for a make-up day that is not a
    weekend day or collides with a day off.
    """
    schedule = rules.year(year)
    special: dict[date, tuple[DayKind, str]] = {}
    statutory: list[tuple[date, HolidayRule]] = []
    for rule in rules.holidays:
        if not rule.applies_to(year):
            continue
        announced = schedule.holiday_dates(rule.id) if schedule else None
        if announced is not None:
            for d in announced:
                special.setdefault(d, (DayKind.HOLIDAY, rule.name))
            continue
        for d in rule.dates_in(year):
            special.setdefault(d, (DayKind.HOLIDAY, rule.name))
            statutory.append((d, rule))
    for named in _explicit(rules, year, "days_off"):
        special.setdefault(named.day, (DayKind.DAY_OFF, named.name))
    for d, rule in sorted(statutory, key=lambda item: item[0]):
        if d.weekday() not in rules.weekend:
            continue
        back = rule.weekend_rule is WeekendRule.SATURDAY_BACK and d.weekday() == 5
        sub = _find_substitute(d, -1 if back else 1, special, rules.weekend)
        special[sub] = (DayKind.COMPENSATORY, f"Nghỉ bù {rule.name}")
    for named in _explicit(rules, year, "working_days"):
        if named.day.weekday() not in rules.weekend:
            _fail(
                rules.source,
                named.line,
                f"{named.day:%d/%m/%Y} is already a working day",
                "a make-up working day (làm bù) must be a weekend day",
            )
        if named.day in special:
            _fail(
                rules.source,
                named.line,
                f"make-up working day {named.day:%d/%m/%Y} is also a day off "
                f"({special[named.day][1]})",
                "remove one of the two entries",
            )
        special[named.day] = (DayKind.MAKE_UP, named.name)
    return special


def _explicit(rules: CalendarRules, year: int, attr: str) -> Iterator[NamedDay]:
    # A year block may list a day of the neighbouring year (e.g. a make-up Saturday in
    # December for a day off on 2 January).
    for y in (year - 1, year, year + 1):
        schedule = rules.year(y)
        if schedule is not None:
            yield from (n for n in getattr(schedule, attr) if n.day.year == year)


def _fail(source: str, line: int, message: str, hint: str) -> NoReturn:
    raise CalendarFileError(f"{source}:{line}: {message}", hint=hint)


class _Reader:
    """Reads YAML nodes (not plain data) so that every problem can name its line."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, node: yaml.Node, message: str, hint: str) -> NoReturn:
        _fail(self.source, node.start_mark.line + 1, message, hint)

    def mapping(
        self, node: yaml.Node, *, allowed: Sequence[str], required: Sequence[str] = ()
    ) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, "expected a mapping (key: value lines)", "indent the entries")
        out: dict[str, yaml.Node] = {}
        for key_node, value in node.value:
            key = self.scalar(key_node)
            if allowed and key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = (
                    _("did you mean {choices}?").format(choices=repr(close[0]))
                    if close
                    else f"allowed: {', '.join(allowed)}"
                )
                self.fail(key_node, f"unknown key {key!r}", hint)
            if key in out:
                self.fail(key_node, f"duplicate key {key!r}", "keep one of the two entries")
            out[key] = value
        for key in required:
            if key not in out:
                self.fail(node, f"missing key {key!r}", f"add `{key}:` to this entry")
        return out

    def scalar(self, node: yaml.Node) -> str:
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, "expected a single value", "write a plain value, not a list or map")
        return str(node.value).strip()

    def sequence(self, node: yaml.Node) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, "expected a list", "write the items as `- item` lines or `[a, b]`")
        return list(node.value)

    def integer(self, node: yaml.Node, *, low: int, high: int) -> int:
        text = self.scalar(node)
        try:
            value = int(text)
        except ValueError:
            self.fail(node, f"{text!r} is not a whole number", f"use a number from {low} to {high}")
        if not low <= value <= high:
            self.fail(node, f"{value} is out of range", f"use a number from {low} to {high}")
        return value

    def one_date(self, node: yaml.Node, text: str | None = None) -> date:
        text = self.scalar(node) if text is None else text
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.fail(node, f"{text!r} is not a date", "write dates as YYYY-MM-DD, e.g. 2025-01-27")

    def date_list(self, node: yaml.Node) -> tuple[date, ...]:
        """A date, a range ``first..last`` (inclusive) or a list of those."""
        if isinstance(node, yaml.SequenceNode):
            return tuple(sorted({d for item in node.value for d in self.date_list(item)}))
        text = self.scalar(node)
        match = _RANGE.match(text)
        if not match:
            return (self.one_date(node, text),)
        first, last = self.one_date(node, match[1]), self.one_date(node, match[2])
        if last < first:
            self.fail(node, f"range {text!r} ends before it starts", "write first..last")
        return tuple(first + timedelta(days=i) for i in range((last - first).days + 1))

    def month_day(self, node: yaml.Node) -> tuple[int, int]:
        text = self.scalar(node)
        match = _MONTH_DAY.match(text)
        if not match or not (1 <= int(match[1]) <= 12 and 1 <= int(match[2]) <= 31):
            self.fail(node, f"{text!r} is not a month-day", "write MM-DD, e.g. 09-02 or 03-10")
        return int(match[1]), int(match[2])

    def weekday(self, node: yaml.Node) -> int:
        text = self.scalar(node).lower()
        if text not in WEEKDAYS:
            self.fail(node, f"{text!r} is not a weekday", f"use one of {', '.join(WEEKDAYS)}")
        return WEEKDAYS.index(text)


_RULE_KEYS = (
    "id",
    "name",
    "solar",
    "lunar",
    "offsets",
    "extra_day_by_weekday",
    "weekend_rule",
    "from_year",
    "to_year",
)
_YEAR_KEYS = ("source", "note", "holidays", "days_off", "working_days")


def _read_rule(r: _Reader, node: yaml.Node) -> HolidayRule:
    m = r.mapping(node, allowed=_RULE_KEYS, required=("id", "name"))
    if ("solar" in m) == ("lunar" in m):
        r.fail(
            node,
            "a holiday needs exactly one of `solar:` or `lunar:`",
            "e.g. `solar: 09-02` or `lunar: 03-10`",
        )
    lunar = "lunar" in m
    month, day = r.month_day(m["lunar"] if lunar else m["solar"])
    offsets: tuple[int, ...] = (0,)
    if "offsets" in m:
        offsets = tuple(r.integer(o, low=-10, high=10) for o in r.sequence(m["offsets"]))
    extra = None
    if "extra_day_by_weekday" in m:
        shifts = r.mapping(m["extra_day_by_weekday"], allowed=WEEKDAYS, required=WEEKDAYS)
        extra = tuple(r.integer(shifts[w], low=-1, high=1) for w in WEEKDAYS)
    weekend_rule = WeekendRule.NEXT_WORKING_DAY
    if "weekend_rule" in m:
        text = r.scalar(m["weekend_rule"])
        if text not in {w.value for w in WeekendRule}:
            r.fail(
                m["weekend_rule"],
                f"unknown weekend_rule {text!r}",
                f"use one of {', '.join(w.value for w in WeekendRule)}",
            )
        weekend_rule = WeekendRule(text)
    years = {k: r.integer(m[k], low=1900, high=2199) for k in ("from_year", "to_year") if k in m}
    return HolidayRule(
        id=r.scalar(m["id"]),
        name=r.scalar(m["name"]),
        lunar=lunar,
        month=month,
        day=day,
        offsets=offsets,
        extra_day_by_weekday=extra,
        weekend_rule=weekend_rule,
        from_year=years.get("from_year"),
        to_year=years.get("to_year"),
    )


def _read_named(r: _Reader, node: yaml.Node, year: int) -> NamedDay:
    m = r.mapping(node, allowed=("date", "name"), required=("date", "name"))
    day = r.one_date(m["date"])
    if abs(day.year - year) > 1:
        r.fail(m["date"], f"{day:%d/%m/%Y} is far from the year {year}", "check the year")
    return NamedDay(day, r.scalar(m["name"]), m["date"].start_mark.line + 1)


def _read_year(r: _Reader, key: yaml.Node, node: yaml.Node, ids: list[str]) -> YearSchedule:
    year = r.integer(key, low=1900, high=2199)
    m = r.mapping(node, allowed=_YEAR_KEYS, required=("source",))
    holidays: list[tuple[str, tuple[date, ...]]] = []
    if "holidays" in m:
        for rid, days_node in r.mapping(m["holidays"], allowed=ids).items():
            days = r.date_list(days_node)
            if any(d.year != year for d in days):
                r.fail(days_node, f"days of {rid!r} must lie in {year}", "check the year")
            holidays.append((rid, days))
    lists = {
        k: tuple(_read_named(r, item, year) for item in r.sequence(m[k])) if k in m else ()
        for k in ("days_off", "working_days")
    }
    seen: set[date] = set()
    for named in lists["days_off"] + lists["working_days"]:
        if named.day in seen:
            _fail(r.source, named.line, f"{named.day:%d/%m/%Y} is listed twice", "keep one entry")
        seen.add(named.day)
    return YearSchedule(
        year,
        r.scalar(m["source"]),
        tuple(holidays),
        lists["days_off"],
        lists["working_days"],
        key.start_mark.line + 1,
    )


def read_rules(text: str, *, source: str) -> CalendarRules:
    """Parse and check the text of a calendar file.

    Raises:
        CalendarFileError: with ``source:line`` and a hint, for the first problem found.
    """
    r = _Reader(source)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        _fail(
            source,
            line,
            f"not valid YAML ({getattr(exc, 'problem', exc)})",
            "check indentation and quoting near this line",
        )
    if root is None:
        _fail(source, 1, "the file is empty", "start from the shipped vn_holidays.yaml")
    m = r.mapping(
        root, allowed=("version", "weekend", "holidays", "years"), required=("version", "holidays")
    )
    r.integer(m["version"], low=1, high=1)
    weekend = frozenset({5, 6})
    if "weekend" in m:
        weekend = frozenset(r.weekday(n) for n in r.sequence(m["weekend"]))
        if len(weekend) == len(WEEKDAYS):
            r.fail(m["weekend"], "every day of the week is a weekend day", "list at most six")
    rules = tuple(_read_rule(r, n) for n in r.sequence(m["holidays"]))
    ids = [rule.id for rule in rules]
    for rule, node in zip(rules, r.sequence(m["holidays"]), strict=True):
        if ids.count(rule.id) > 1:
            r.fail(node, f"holiday id {rule.id!r} is used twice", "give each holiday its own id")
    years: list[YearSchedule] = []
    if "years" in m:
        if not isinstance(m["years"], yaml.MappingNode):
            r.fail(m["years"], "`years:` must map a year to its schedule", "e.g. `2025:`")
        for key, value in m["years"].value:
            years.append(_read_year(r, key, value, ids))
    if len({y.year for y in years}) != len(years):
        r.fail(m["years"], "a year is listed twice under `years:`", "merge the two blocks")
    return CalendarRules(source, weekend, rules, tuple(years))
