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

    grade: Grade
    label: str = Field(description="Vietnamese label, e.g. 'Xuất sắc'")
    abbrev: str = Field(description="abbreviation used in annex tables, e.g. 'XS'")
    min: Decimal | None = Field(
        description="inclusive lower bound on the basis; null for the lowest band"
    )


class ClassificationModel(_Model):
    """Bands on the converted score (as percent of the scale) or on the total."""

    basis: Literal["converted", "total"] = "converted"
    bands: list[BandModel] = Field(min_length=1)


class RankingModel(_Model):
    """Ranking by unrounded converted score, highest first, ties explicit."""

    tie_order: Literal["name", "code"] = Field(
        "name", description="order of tied units inside their shared rank"
    )


class StepBandModel(_Model):
    """A step of a ``bands`` scoring: ``points`` when the rate is at least ``min_rate``."""

    min_rate: Decimal = Field(ge=0, le=1)
    points: Decimal = Field(ge=0)


class ScoringModel(_Model):
    """How a rate becomes points.

    * ``lin``: max × rate.
    * ``thr``: max when rate ≥ target, else max × rate ÷ target.
    * ``bands``: points of the highest step whose ``min_rate`` the rate reaches.
    * ``rubric_mean``: the rate is already the mean per-record score (2/1/0), so
      points = rate, capped at max.
    """

    kind: Literal["lin", "thr", "bands", "rubric_mean"]
    target: Decimal | None = Field(None, gt=0, le=1, description="thr only")
    bands: list[StepBandModel] | None = Field(None, description="bands only")


class MeasureModel(_Model):
    """An aggregate over one canonical table, per unit and period."""

    from_: Table = Field(alias="from")
    where: str | None = Field(None, description="row filter formula (a definition name works)")
    value: str = Field(description="aggregate formula, e.g. count(channel == 'online')")


class RateModel(_Model):
    """numerator ÷ denominator; strings inherit ``from`` and ``where``."""

    from_: Table | None = Field(None, alias="from")
    where: str | None = None
    numerator: str | MeasureModel
    denominator: str | MeasureModel = "count()"


class IndicatorModel(_Model):
    """One scored indicator (chỉ số / tiêu chí)."""

    code: Code
    label: str
    max: Decimal = Field(ge=0)
    description: str | None = None
    source: Literal["computed", "manual"] = "computed"
    rate: RateModel | None = None
    scoring: ScoringModel | Literal["lin", "rubric_mean"] = "lin"
    zero_denominator: Literal["full", "zero", "not_applicable"] = "not_applicable"
    applies_to: list[UnitKind] | None = Field(
        None, description="unit kinds it applies to; null = all; '-' elsewhere"
    )
    effective_from: date | None = Field(None, description="not yet due before this date")
    effective_to: date | None = None
    in_total: bool = Field(True, description="false for monitoring-only indicators")
    aggregation: Literal["own", "subtree"] | None = None
    confidence: Literal["OFF", "SEC", "SEED", "UNK"] | None = None

    @field_validator("label")
    @classmethod
    def _label_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("label must not be blank")
        return value


class GroupModel(_Model):
    """A group of indicators (nhóm chỉ số)."""

    code: Code
    label: str
    max: Decimal | None = Field(None, description="optional; must equal the sum of maxima")
    indicators: list[IndicatorModel] = Field(min_length=1)


class IndexSetModel(_Model):
    """A whole index set (bộ chỉ số) as written in YAML."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    version: int = Field(1, ge=1)
    name: str
    issuer: str
    legal_basis: list[str] = Field(min_length=1)
    valid_from: date
    valid_to: date | None = None
    scale: Decimal = Field(Decimal(100), gt=0, description="100, or 10 (seed 001)")
    rounding: RoundingModel
    aggregation: Literal["own", "subtree"] = "own"
    competence: dict[UnitKind, str] = Field(
        default_factory=dict,
        description="unit kind → procedure level it handles (for 'from: procedures')",
    )
    classification: ClassificationModel
    ranking: RankingModel = RankingModel(tie_order="name")
    definitions: dict[Code, str] = Field(default_factory=dict)
    groups: list[GroupModel] = Field(min_length=1)
    notes: str | None = None
