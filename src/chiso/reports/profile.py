"""A province's report profile and the narrative phrasing, both YAML data.

The profile (``data/reports/profiles/<name>.yaml``) says how a province writes
its report: addressee, recipients and signer per kind of issuing unit, the annex
style and the thresholds of the narrative rules.  The phrasing
(``data/reports/narrative.yaml``) says how each sentence reads.  Both are
validated once, here, with pydantic (``extra="forbid"``).

Examples:
    >>> profile = load_profile("dienbien")
    >>> profile.thresholds.online_payment_target
    Decimal('0.25')
    >>> profile.issuer("phuong").signer
    ('TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH')
"""

from __future__ import annotations

import functools
import unicodedata
from decimal import Decimal
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chiso.errors import UserError
from chiso.i18n import _

__all__ = [
    "IssuerStyle",
    "Phrasing",
    "ReportProfile",
    "Thresholds",
    "load_phrasing",
    "load_profile",
]

#: Kinds of issuing unit that share another kind's settings when they have none.
_FALLBACK = {"phuong": "xa", "thi_tran": "xa", "dac_khu": "xa", "trung_tam": "so", "phong": "so"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Thresholds(_Model):
    """Thresholds of the narrative rules, as fractions of 1."""

    low_rate: Decimal = Field(Decimal("0.5"), ge=0, le=1)
    online_payment_target: Decimal = Field(Decimal("0.25"), ge=0, le=1)
    digitisation_target: Decimal = Field(Decimal("0.5"), ge=0, le=1)


class IssuerStyle(_Model):
    """Addressee, number symbol, recipients and signer block of one kind of issuer."""

    addressee: str = ""
    symbol: str = "BC-UBND"
    recipients: tuple[str, ...] = ()
    signer: tuple[str, ...] = ()


class ReportProfile(_Model):
    """How one province writes its report (see ``docs/reports.md``)."""

    province: str
    data_source: str
    total_style: Literal["plain", "over_max"] = "plain"
    grade_style: Literal["full", "abbrev"] = "full"
    cell_decimals: int = Field(2, ge=0, le=4)
    thresholds: Thresholds
    grades_always_listed: tuple[str, ...] = ("excellent", "good", "fair", "average")
    issuers: dict[str, IssuerStyle] = Field(default_factory=dict)
    parents: dict[str, str] = Field(default_factory=dict)
    places: dict[str, str] = Field(default_factory=dict)

    def issuer(self, kind: str) -> IssuerStyle:
        """The settings of an issuing unit of ``kind`` (xã for phường, sở for phòng…)."""
        for key in (kind, _FALLBACK.get(kind, kind)):
            if key in self.issuers:
                return self.issuers[key]
        return IssuerStyle()


class Phrasing:
    """The sentences of the report as ``string.Template`` texts, by key."""

    def __init__(self, texts: dict[str, Any]) -> None:
        """Keep the texts; nested mappings (``headings``) become ``headings.results``."""
        self._texts: dict[str, str] = {}
        self.lists: dict[str, tuple[str, ...]] = {}
        for key, value in texts.items():
            if isinstance(value, list):
                self.lists[key] = tuple(str(v) for v in value)
            elif isinstance(value, dict):
                self._texts.update({f"{key}.{k}": str(v) for k, v in value.items()})
            else:
                self._texts[key] = str(value)

    def say(self, key: str, **values: object) -> str:
        """The sentence ``key`` with its placeholders filled, NFC, single-spaced.

        Raises:
            UserError: the phrasing has no such key or lacks a value it names.
        """
        if key not in self._texts:
            raise UserError(_("the report phrasing has no sentence “{key}”").format(key=key))
        try:
            text = Template(self._texts[key]).substitute({k: str(v) for k, v in values.items()})
        except KeyError as exc:
            raise UserError(
                _("sentence “{key}” names ${args}, which the rule does not provide").format(
                    key=key, args=exc.args[0]
                ),
                hint=_("placeholders available: {names}").format(
                    names=", ".join(f"${k}" for k in values)
                ),
            ) from None
        return unicodedata.normalize("NFC", " ".join(text.split()))


def _read_yaml(path: Path | Any) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise UserError(_("cannot read {path}: {exc}").format(path=path, exc=exc)) from None
    if not isinstance(data, dict):
        raise UserError(_("{path} is not a YAML mapping").format(path=path))
    return data


def load_profile(ref: str = "dienbien") -> ReportProfile:
    """Load a shipped profile by name, or a profile YAML file by path.

    Raises:
        UserError: the file is missing, not YAML, or has unknown or bad fields.
    """
    path = Path(ref)
    if not path.is_file():
        shipped = resources.files("chiso") / "data" / "reports" / "profiles" / f"{ref}.yaml"
        if not shipped.is_file():
            raise UserError(
                _("no report profile “{ref}”").format(ref=ref),
                hint=_("give a YAML file path or a shipped name such as 'dienbien'"),
            )
        return _validated(_read_yaml(shipped), ref)
    return _validated(_read_yaml(path), str(path))


def _validated(data: dict[str, Any], where: str) -> ReportProfile:
    try:
        return ReportProfile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise UserError(
            _("report profile {where}: {field}: {first}").format(
                where=where, field=field, first=first["msg"]
            ),
            hint=_("the settings are listed in docs/reports.md"),
        ) from None


@functools.cache
def load_phrasing() -> Phrasing:
    """The shipped narrative phrasing."""
    path = resources.files("chiso") / "data" / "reports" / "narrative.yaml"
    return Phrasing(_read_yaml(path))
