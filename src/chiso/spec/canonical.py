"""The canonical, validated form of an index set that the compiler consumes.

Shorthands are desugared here: a rate's string numerator and denominator
inherit the rate's ``from`` and ``where``; definitions are expanded into the
formulas that use them; scoring shorthands become full :class:`Scoring`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from chiso.spec.formula import FormulaError, Name, Node, parse, substitute, walk
from chiso.spec.models import (
    DEFAULT_EVIDENCE,
    BandModel,
    IndexSetModel,
    IndicatorModel,
    MeasureModel,
    RateModel,
    ScoringModel,
)

ZeroPolicy = Literal["full", "zero", "not_applicable"]


@dataclass(frozen=True)
class Measure:
    """An aggregate formula over the rows of ``table`` that pass ``where``."""

    table: str
    where: Node | None
    value: Node


@dataclass(frozen=True)
class Scoring:
    """How a rate becomes points (see :class:`chiso.spec.models.ScoringModel`)."""

    kind: Literal["lin", "thr", "bands", "rubric_mean"]
    target: Decimal | None = None
    bands: tuple[tuple[Decimal, Decimal], ...] = ()


@dataclass(frozen=True)
class Indicator:
    """One indicator, ready to compute."""

    code: str
    label: str
    group_code: str
    group_label: str
    max: Decimal
    source: Literal["computed", "manual"]
    numerator: Measure | None
    denominator: Measure | None
    scoring: Scoring
    zero_denominator: ZeroPolicy
    applies_to: frozenset[str] | None
    effective_from: date | None
    effective_to: date | None
    in_total: bool
    aggregation: Literal["own", "subtree"]
    description: str | None = None
    short_label: str = ""
    group_short_label: str = ""
    #: Manual only: points when no value is entered.
    no_value: ZeroPolicy = "not_applicable"
    #: Manual only: "province" = a unit without a value takes its province's.
    carried_from: Literal["province"] | None = None
    #: Data-quality caveat every score of the indicator carries.
    quality_flag: str | None = None

    @property
    def full_label(self) -> str:
        """The label with its group where the label alone is ambiguous ("Chỉ số 2").

        Examples:
            >>> from decimal import Decimal
            >>> ind = Indicator("dvtt_cs2", "Chỉ số 2", "dvtt", "Cung cấp dịch vụ trực tuyến",
            ...     Decimal(10), "computed", None, None, Scoring("lin"), "zero", None, None,
            ...     None, True, "own")
            >>> ind.full_label
            'Cung cấp dịch vụ trực tuyến — Chỉ số 2'
        """
        if self.label.casefold().startswith("chỉ số"):
            return f"{self.group_label} — {self.label}"
        return self.label


@dataclass(frozen=True)
class Group:
    """A group of indicators with its maximum."""

    code: str
    label: str
    max: Decimal
    indicators: tuple[Indicator, ...]
    short_label: str = ""


@dataclass(frozen=True)
class Band:
    """A classification band; ``min`` None means the lowest band."""

    grade: str
    label: str
    abbrev: str
    min: Decimal | None


@dataclass(frozen=True)
class IndexSet:
    """A validated index set."""

    id: str
    version: int
    name: str
    issuer: str
    legal_basis: tuple[str, ...]
    valid_from: date
    valid_to: date | None
    scale: Decimal
    rounding_mode: Literal["truncate", "half_up"]
    rounding_decimals: int
    classification_basis: Literal["converted", "total"]
    bands: tuple[Band, ...]
    tie_order: Literal["name", "code"]
    competence: tuple[tuple[str, str], ...]
    groups: tuple[Group, ...]
    source: str
    short_label: str = ""
    #: Whether units without data are scored (:mod:`chiso.engine.coverage`).
    score_without_data: bool = False
    #: What gives a unit data: record tables counted in a denominator, "manual", "reported".
    data_evidence: frozenset[str] = frozenset(DEFAULT_EVIDENCE)
    #: Whether departments and communes are also ranked each among themselves.
    rank_blocks: bool = False

    def __hash__(self) -> int:
        """The content's hash, computed once per object: compiled plans and other values
        derived from an index set are cached by its content (ADR 0010), and hashing the
        whole tree of formulas costs ≈ 0.1 ms."""
        return self._content_hash

    @functools.cached_property
    def _content_hash(self) -> int:
        return hash(tuple(getattr(self, f.name) for f in fields(self)))

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the hash (string hashes differ between processes)."""
        state = dict(self.__dict__)
        state.pop("_content_hash", None)
        return state

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """All indicators in printed order."""
        return tuple(i for g in self.groups for i in g.indicators)

    @property
    def max_total(self) -> Decimal:
        """Sum of the maxima of indicators counted in the total."""
        return sum((i.max for i in self.indicators if i.in_total), Decimal(0))

    def indicator(self, code: str) -> Indicator:
        """Return the indicator with ``code`` (KeyError if absent)."""
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise KeyError(code)


def expand_definitions(definitions: dict[str, str]) -> dict[str, Node]:
    """Parse definitions and expand references between them.

    Raises:
        FormulaError: on a syntax error; ValueError naming the cycle on a cycle.
    """
    parsed = {name: parse(text) for name, text in definitions.items()}
    expanded: dict[str, Node] = {}

    def expand(name: str, stack: tuple[str, ...]) -> Node:
        if name in expanded:
            return expanded[name]
        if name in stack:
            raise ValueError(" → ".join((*stack, name)))
        node = parsed[name]
        refs = {n.name for n in walk(node) if isinstance(n, Name) and n.name in parsed}
        subs = {ref: expand(ref, (*stack, name)) for ref in refs}
        expanded[name] = substitute(node, subs)
        return expanded[name]

    for name in parsed:
        expand(name, ())
    return expanded


def measures_of(rate: RateModel, definitions: dict[str, Node]) -> tuple[Measure, Measure]:
    """Desugar a rate into its numerator and denominator measures."""

    def one(part: str | MeasureModel) -> Measure:
        if isinstance(part, MeasureModel):
            table, where, value = part.from_, part.where, part.value
        else:
            table, where, value = rate.from_ or "dossiers", rate.where, part
        where_node = substitute(parse(where), definitions) if where else None
        return Measure(table, where_node, substitute(parse(value), definitions))

    return one(rate.numerator), one(rate.denominator)


def scoring_of(model: IndicatorModel) -> Scoring:
    """Normalise the scoring shorthand."""
    scoring = model.scoring
    if isinstance(scoring, str):
        return Scoring(scoring)
    bands = tuple((b.min_rate, b.points) for b in scoring.bands or ())
    return Scoring(scoring.kind, scoring.target, tuple(sorted(bands)))


def _band(model: BandModel) -> Band:
    return Band(model.grade.value, model.label, model.abbrev, model.min)


def canonicalise(model: IndexSetModel, *, source: str) -> IndexSet:
    """Turn a validated model into the canonical :class:`IndexSet`."""
    definitions = expand_definitions(dict(model.definitions))
    groups = []
    for group in model.groups:
        indicators = []
        for ind in group.indicators:
            num = den = None
            if ind.rate is not None:
                num, den = measures_of(ind.rate, definitions)
            indicators.append(
                Indicator(
                    code=ind.code,
                    label=ind.label,
                    group_code=group.code,
                    group_label=group.label,
                    max=ind.max,
                    source=ind.source,
                    numerator=num,
                    denominator=den,
                    scoring=scoring_of(ind),
                    zero_denominator=ind.zero_denominator,
                    applies_to=frozenset(k.value for k in ind.applies_to)
                    if ind.applies_to is not None
                    else None,
                    effective_from=ind.effective_from,
                    effective_to=ind.effective_to,
                    in_total=ind.in_total,
                    aggregation=ind.aggregation or model.aggregation,
                    description=ind.description,
                    short_label=ind.short_label or ind.label,
                    group_short_label=group.short_label or group.label,
                    no_value=ind.no_value,
                    carried_from=ind.carried_from,
                    quality_flag=ind.quality_flag,
                )
            )
        group_max = sum((i.max for i in indicators if i.in_total), Decimal(0))
        groups.append(
            Group(
                group.code,
                group.label,
                group_max,
                tuple(indicators),
                short_label=group.short_label or group.label,
            )
        )
    bands = tuple(_band(b) for b in model.classification.bands)
    return IndexSet(
        id=model.id,
        version=model.version,
        name=model.name,
        issuer=model.issuer,
        legal_basis=tuple(model.legal_basis),
        valid_from=model.valid_from,
        valid_to=model.valid_to,
        scale=model.scale,
        rounding_mode=model.rounding.mode,
        rounding_decimals=model.rounding.decimals,
        classification_basis=model.classification.basis,
        bands=bands,
        tie_order=model.ranking.tie_order,
        competence=tuple((k.value, v) for k, v in model.competence.items()),
        groups=tuple(groups),
        source=source,
        short_label=model.short_label or model.name,
        score_without_data=model.units_without_data.scored,
        data_evidence=frozenset(model.units_without_data.evidence),
        rank_blocks=model.ranking.blocks,
    )


__all__ = [
    "Band",
    "FormulaError",
    "Group",
    "IndexSet",
    "Indicator",
    "Measure",
    "Scoring",
    "ScoringModel",
    "canonicalise",
    "expand_definitions",
    "measures_of",
]
