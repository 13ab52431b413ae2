"""The YAML contract of an index set: the only definition of its shape.

Pydantic v2 models, ``extra="forbid"`` and frozen.  JSON Schema for editors is
exported from :class:`IndexSetModel` (``chiso schema``).  Semantic checks that
need more than one field live in :mod:`chiso.spec.rules`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chiso.domain.units import UnitKind

CODE_PATTERN = r"^[a-z][a-z0-9_]*$"
Code = Annotated[str, Field(pattern=CODE_PATTERN, max_length=40)]
TABLE_NAMES = ("dossiers", "petitions", "assessments", "procedures")
Table = Literal["dossiers", "petitions", "assessments", "procedures"]


class Grade(StrEnum):
    """Classification grades (xếp loại)."""

    EXCELLENT = "excellent"
    GOOD = "good"
    FAIR = "fair"
    AVERAGE = "average"
    WEAK = "weak"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoundingModel(_Model):
    """How the converted score is rounded for display: once, in Decimal."""

    mode: Literal["truncate", "half_up"] = Field(
        description="truncate (ROUND_DOWN, seed 000) or half_up (seeds 002, 003)"
    )
    decimals: int = Field(ge=0, le=4, description="digits after the decimal comma")


class BandModel(_Model):
    """One classification band; a unit gets the first band whose ``min`` it reaches."""

    grade: Grade = Field(description="the grade this band gives")
    label: str = Field(description="Vietnamese label, e.g. 'Xuất sắc'")
    abbrev: str = Field(description="abbreviation used in annex tables, e.g. 'XS'")
    min: Decimal | None = Field(
        description="inclusive lower bound on the basis; null for the lowest band"
    )


class ClassificationModel(_Model):
    """Bands on the converted score (as percent of the scale) or on the total."""

    basis: Literal["converted", "total"] = Field(
        "converted",
        description="converted: the converted score as percent of the scale; total: the points",
    )
    bands: list[BandModel] = Field(
        min_length=1, description="from the highest min down; the last has min null"
    )


class RankingModel(_Model):
    """Ranking by unrounded converted score, highest first, ties explicit."""

    tie_order: Literal["name", "code"] = Field(
        "name", description="order of tied units inside their shared rank"
    )
    blocks: bool = Field(
        False,
        description="also rank the departments and the communes each among themselves"
        " (block_rank), besides the overall rank",
    )


Evidence = Literal["dossiers", "petitions", "ratings", "assessments", "manual", "reported"]
#: What gives a unit data unless the index set says otherwise.
DEFAULT_EVIDENCE: tuple[Evidence, ...] = (
    "dossiers", "petitions", "ratings", "assessments", "reported",
)  # fmt: skip


class UnitsWithoutDataModel(_Model):
    """Which units have data in a period, and whether the others are scored.

    A unit has data in a period when one of its indicators counts, in its denominator,
    at least one record of an ``evidence`` table — provided, when ``dossiers`` is
    evidence, that at least one dossier of the units scored together was received or
    finished in the period (a month before the data, or a future month, has none) — or
    takes its value from a received report (``reported``) or from a manual value entered
    for the period (``manual``).  Indicators over the procedure catalogue never give data.
    """

    scored: bool = Field(
        False,
        description="false: units without data get no score, class or rank ('Chưa có dữ liệu')"
        " and the others are ranked among themselves; true: they are scored like the others",
    )
    evidence: list[Evidence] = Field(
        default_factory=lambda: list(DEFAULT_EVIDENCE),
        description="what gives a unit data: records of these tables counted in a denominator"
        " (dossiers, petitions, ratings, assessments), a received report's value (reported),"
        " a manual value entered (manual)",
    )


class StepBandModel(_Model):
    """A step of a ``bands`` scoring: ``points`` when the rate is at least ``min_rate``."""

    min_rate: Decimal = Field(ge=0, le=1, description="lowest rate (0-1) that earns the points")
    points: Decimal = Field(ge=0, description="points given from min_rate up")


class ScoringModel(_Model):
    """How a rate becomes points.

    * ``lin``: max × rate.
    * ``thr``: max when rate ≥ target, else max × rate ÷ target.
    * ``bands``: points of the highest step whose ``min_rate`` the rate reaches.
    * ``rubric_mean``: the rate is already the mean per-record score (2/1/0), so
      points = rate, capped at max.
    """

    kind: Literal["lin", "thr", "bands", "rubric_mean"] = Field(
        description="how the rate becomes points (see above)"
    )
    target: Decimal | None = Field(
        None, gt=0, le=1, description="thr only: the rate that earns full points"
    )
    bands: list[StepBandModel] | None = Field(None, description="bands only: the steps, any order")


class MeasureModel(_Model):
    """An aggregate over one canonical table, per unit and period."""

    from_: Table = Field(alias="from", description="the canonical table the rows come from")
    where: str | None = Field(None, description="row filter formula (a definition name works)")
    value: str = Field(description="aggregate formula, e.g. count(channel == 'online')")


class RateModel(_Model):
    """numerator ÷ denominator; strings inherit ``from`` and ``where``."""

    from_: Table | None = Field(
        None, alias="from", description="table of string numerator and denominator"
    )
    where: str | None = Field(None, description="row filter of string numerator and denominator")
    numerator: str | MeasureModel = Field(
        description="aggregate formula, or a measure reading its own table"
    )
    denominator: str | MeasureModel = Field(
        "count()", description="aggregate formula, or a measure reading its own table"
    )


class IndicatorModel(_Model):
    """One scored indicator (chỉ số / tiêu chí)."""

    code: Code = Field(description="ASCII snake_case code, unique in the index set")
    label: str = Field(description="Vietnamese label as printed, e.g. 'Chỉ số 1'")
    short_label: str | None = Field(
        None,
        description="Vietnamese label for charts and narrow columns, e.g. 'Trực tuyến 1'; "
        "default: the label",
    )
    max: Decimal = Field(ge=0, description="maximum points")
    description: str | None = Field(
        None, description="what the indicator measures, in Vietnamese; shown on screens"
    )
    note: str | None = Field(
        None,
        description="open questions and sources for maintainers; in the docs, never on screens",
    )
    source: Literal["computed", "manual"] = Field(
        "computed",
        description="computed from a rate, or manual: points entered per unit and period",
    )
    rate: RateModel | None = Field(None, description="numerator ÷ denominator; computed only")
    scoring: ScoringModel | Literal["lin", "rubric_mean"] = Field(
        "lin", description="how the rate becomes points; a kind alone is a shorthand"
    )
    zero_denominator: Literal["full", "zero", "not_applicable"] = Field(
        "not_applicable",
        description="points when the denominator is 0: full, zero or not applicable ('-')",
    )
    no_value: Literal["full", "zero", "not_applicable"] = Field(
        "not_applicable",
        description="manual only: points when no value is entered: full, zero or"
        " not applicable ('-')",
    )
    carried_from: Literal["province"] | None = Field(
        None,
        description="manual only: a unit without a value of its own takes the value entered"
        " for its province (the tinh above it)",
    )
    quality_flag: str | None = Field(
        None,
        description="a data-quality caveat, in Vietnamese, carried by every score of the"
        " indicator and by the unit's score",
    )
    applies_to: list[UnitKind] | None = Field(
        None, description="unit kinds it applies to; null = all; '-' elsewhere"
    )
    effective_from: date | None = Field(None, description="not yet due before this date")
    effective_to: date | None = Field(None, description="not due after this date")
    in_total: bool = Field(True, description="false for monitoring-only indicators")
    aggregation: Literal["own", "subtree"] | None = Field(
        None, description="overrides the index set's aggregation"
    )
    confidence: Literal["OFF", "OBS", "SEC", "SEED", "UNK"] | None = Field(
        None,
        description="source of the rule: OFF official, OBS observed in the portal's live"
        " data, SEC secondary, SEED seeds, UNK unknown",
    )

    @field_validator("label")
    @classmethod
    def _label_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("label must not be blank")
        return value


class GroupModel(_Model):
    """A group of indicators (nhóm chỉ số)."""

    code: Code = Field(description="ASCII snake_case code, unique in the index set")
    label: str = Field(description="Vietnamese label as printed")
    short_label: str | None = Field(
        None,
        description="Vietnamese label for charts (radar axes), e.g. 'Công khai'; "
        "default: the label",
    )
    max: Decimal | None = Field(None, description="optional; must equal the sum of maxima")
    indicators: list[IndicatorModel] = Field(min_length=1, description="the group's indicators")


class IndexSetModel(_Model):
    """A whole index set (bộ chỉ số) as written in YAML."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")] = Field(
        description="lowercase id, also the folder name, e.g. 'dienbien-459-2023'"
    )
    version: int = Field(1, ge=1, description="raised when the rules change; stored with scores")
    name: str = Field(description="Vietnamese name")
    short_label: str | None = Field(
        None,
        description="Vietnamese name for menus and page headings, e.g. 'Bộ chỉ số Điện Biên "
        "(QĐ 459/2023)'; default: the name",
    )
    issuer: str = Field(description="the issuing authority, in Vietnamese")
    legal_basis: list[str] = Field(
        min_length=1, description="legal documents, cited by reports' căn cứ paragraph"
    )
    valid_from: date = Field(description="first day the index set applies")
    valid_to: date | None = Field(None, description="last day it applies; null = open")
    scale: Decimal = Field(
        Decimal(100),
        gt=0,
        description="converted score = total ÷ applicable maximum × scale: 100, or 10 (seed 001)",
    )
    rounding: RoundingModel = Field(description="display rounding of the converted score")
    aggregation: Literal["own", "subtree"] = Field(
        "own",
        description="own: a unit's own records; subtree: pooled over the units below it",
    )
    competence: dict[UnitKind, str] = Field(
        default_factory=dict,
        description="unit kind → procedure level it handles (for 'from: procedures')",
    )
    classification: ClassificationModel = Field(description="grade bands")
    ranking: RankingModel = Field(
        RankingModel(tie_order="name", blocks=False), description="ranking and its tie rule"
    )
    units_without_data: UnitsWithoutDataModel = Field(
        UnitsWithoutDataModel(scored=False, evidence=list(DEFAULT_EVIDENCE)),
        description="which units have data in a period, and whether units without are scored",
    )
    definitions: dict[Code, str] = Field(
        default_factory=dict,
        description="named conditions reused by formulas; may refer to each other, not in a cycle",
    )
    groups: list[GroupModel] = Field(min_length=1, description="groups of indicators, in order")
    notes: str | None = Field(None, description="free text for readers")
