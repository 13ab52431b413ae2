"""Manual indicator values: checked, written to the canonical ``manual_values`` table,
kept with their note and evidence file, and shown in the unit's score."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.text import get_valid_filename
from django.utils.translation import gettext

from chiso.api import (
    FOLDER_MODE,
    IndexSet,
    Indicator,
    Period,
    PeriodKind,
    UnitTree,
    private_file,
    private_folder,
)
from chiso.errors import UserError
from chiso_web import data
from chiso_web.audit.log import record
from chiso_web.imports.models import ManualValue
from chiso_web.units import scope
from chiso_web.units.access import Access, signed_in_user
from chiso_web.units.scope import Write

EVIDENCE_SUFFIXES = (
    ".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".txt",
)  # fmt: skip
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Entry:
    """A manual value as typed in the form (text, before checking)."""

    index_set: str
    indicator: str
    unit_code: str
    period: str
    value: str
    note: str


def evidence_root() -> Path:
    """Where evidence files are kept (one folder per file)."""
    return Path(settings.HOME) / "evidence"


def manual_indicators(index_set: IndexSet) -> list[Indicator]:
    """The indicators of ``index_set`` whose points are entered by hand."""
    return [i for i in index_set.indicators if i.source == "manual"]


def parse_value(text: str, ind: Indicator) -> Decimal:
    """A value between 0 and the indicator's maximum ("4,5" or "4.5")."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or not Decimal(0) <= value <= ind.max:
        raise UserError(
            gettext(
                "Value %(value)s of indicator %(code)s is not valid: it must be a number from 0 "
                "to %(max)s."
            )
            % {"value": repr(text), "code": ind.code, "max": ind.max},
            hint=gettext("use a comma or a dot for the decimals, for example 4,5"),
        )
    return value


def _indicator(index_set: IndexSet, code: str) -> Indicator:
    ind = next((i for i in manual_indicators(index_set) if i.code == code), None)
    if ind is None:
        raise UserError(
            gettext("Indicator %(code)s is not a manual indicator of set %(index_set)s.")
            % {"code": repr(code), "index_set": index_set.id},
            hint=gettext("choose an indicator in the list"),
        )
    return ind


def _period(text: str) -> Period:
    period = data.period(text.strip())
    if period.kind is PeriodKind.LIVE:
        raise UserError(
            gettext("The period must be a month, a quarter, a half-year or a year."),
            hint=gettext("for example 2026-10"),
        )
    return period


def _unit(access: Access, tree: UnitTree, entry: Entry, ind: Indicator) -> None:
    code = entry.unit_code
    if code not in tree:
        raise UserError(
            gettext("No unit %(code)s.") % {"code": repr(code)},
            hint=gettext("choose your own unit or a unit under it"),
        )
    # the unit is part of the value's key: the stored unit is the one sent
    write = Write(f"{ind.code} kỳ {entry.period.strip()}", code)
    refused = scope.refusals(access, tree, "manual_values", [write], {})
    if refused:
        raise UserError(
            gettext("You may not enter it: %(why)s.")
            % {"why": refused[0].reason("manual_values", tree)},
            hint=gettext("choose your own unit or a unit under it"),
        )
    kind = tree.get(code).kind.value
    if ind.applies_to is not None and kind not in ind.applies_to:
        raise UserError(
            gettext(
                "Indicator %(code)s applies only to units of kind %(kinds)s; %(unit)s is of "
                "kind %(kind)s."
            )
            % {
                "code": ind.code,
                "kinds": ", ".join(sorted(ind.applies_to)),
                "unit": tree.get(code).name,
                "kind": kind,
            },
            hint=gettext("choose a unit the indicator applies to"),
        )


def save_evidence(upload: UploadedFile) -> tuple[str, str]:
    """Keep an evidence file; its stored path (relative to the evidence root) and name."""
    name = get_valid_filename(Path(str(upload.name)).name) or "minh-chung"
    if not name.lower().endswith(EVIDENCE_SUFFIXES):
        raise UserError(
            gettext("Evidence file %(name)s is not accepted.") % {"name": repr(upload.name)},
            hint=gettext("send a PDF, a JPG/PNG picture, Word, Excel, ODF or TXT"),
        )
    if (upload.size or 0) > MAX_EVIDENCE_BYTES:
        raise UserError(
            gettext("The evidence file is larger than 20 MB."),
            hint=gettext("compress it or take a smaller picture"),
        )
    folder = uuid.uuid4().hex
    private_folder(evidence_root())
    (evidence_root() / folder).mkdir(mode=FOLDER_MODE)
    with private_file(evidence_root() / folder / name).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return f"{folder}/{name}", name


def save(
    request: HttpRequest, access: Access, entry: Entry, evidence: UploadedFile | None
) -> ManualValue:
    """Check and record one manual value (canonical row, history row, audit log)."""
    index_set = data.index_set(entry.index_set)
    ind = _indicator(index_set, entry.indicator)
    period = _period(entry.period)
    _unit(access, data.service().tree(), entry, ind)
    value = parse_value(entry.value, ind)
    note = entry.note.strip()
    if not note:
        raise UserError(
            gettext("The note is required."),
            hint=gettext("write the basis of the value, for example the document's number"),
        )
    stored, name = save_evidence(evidence) if evidence is not None else ("", "")
    author = request.user.get_username()
    row = {
        "index_set": index_set.id,
        "indicator": ind.code,
        "unit_code": entry.unit_code,
        "period": period.code,
        "value": float(value),
        "note": note,
        "author": author,
        "recorded_at": data.now().replace(tzinfo=None, microsecond=0),
    }
    data.write_rows("manual_values", [row])
    saved = ManualValue.objects.create(
        index_set=index_set.id, indicator=ind.code, unit_code=entry.unit_code,
        period=period.code, value=value, note=note, evidence=stored, evidence_name=name,
        user=signed_in_user(request), author=author,
    )  # fmt: skip
    record(
        request, "manual_value",
        f"{ind.full_label} = {value} cho {entry.unit_code}, {period.shown}: {note}",
        unit_code=entry.unit_code, period=period.code, index_set=index_set.id,
        indicator=ind.code, value=str(value), evidence=name, entry=saved.pk,
    )  # fmt: skip
    return saved


def effect(index_set: IndexSet, period_text: str, unit_code: str) -> dict[str, Any] | None:
    """The unit's current score and its manual indicators' points (None: no score)."""
    try:
        period = _period(period_text)
        result = data.service().results(index_set, period, f"units:{unit_code}")
        unit = result.unit(unit_code)
    except (UserError, StopIteration, KeyError):
        return None
    codes = {i.code for i in manual_indicators(index_set)}
    converted = result.rounded(unit.converted)
    return {
        "unit_code": unit_code,
        "name": unit.name,
        "period": period.code,
        "total": float(unit.total),
        "max": float(unit.max),
        "converted": None if converted is None else float(converted),
        "grade": unit.grade_label,
        "indicators": [
            {
                "code": i.code,
                "label": i.label,
                "max": float(i.max),
                "applicable": i.applicable,
                "points": float(i.points) if i.points is not None and i.applicable else None,
                "note": i.note,
            }
            for i in unit.indicators
            if i.code in codes
        ],
    }


def entry_json(mv: ManualValue) -> dict[str, Any]:
    """A history row as JSON."""
    return {
        "id": mv.pk,
        "index_set": mv.index_set,
        "indicator": mv.indicator,
        "unit_code": mv.unit_code,
        "period": mv.period,
        "value": float(mv.value),
        "note": mv.note,
        "author": mv.author,
        "recorded_at": mv.recorded_at.isoformat(),
        "evidence": mv.evidence_name or None,
    }
