"""A dossier's own page: its fields under the names of the one-stop export, in Vietnamese.

Opened from "Sắp quá hạn" (and wherever a dossier code is listed); staff see the dossiers
of the units they may see, like the unit pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext, gettext_lazy

from chiso.api import (
    DOSSIER_HEADERS,
    DossierField,
    DossierPage,
    ReceivingPoint,
    Store,
    received_elsewhere,
    value_label,
)
from chiso_web import data
from chiso_web.dashboard.templatetags.chiso import vn
from chiso_web.units.access import get_unit_for_user

__all__ = ["dossier_page"]

NOT_FOUND = gettext_lazy("no such dossier, or you may not see it")
#: What an empty time means, said in words on the page.
EMPTY = {
    "finished_at": gettext_lazy("Not settled yet"),
    "returned_at": gettext_lazy("Result not returned yet"),
}


def _procedure_name(code: str) -> str | None:
    def find(store: Store) -> list[dict[str, Any]]:
        procedures = store.table("procedures")
        expr = procedures.filter(procedures.procedure_code == code).select("name").limit(1)
        rows: list[dict[str, Any]] = store.to_pyarrow(expr).to_pylist()
        return rows

    found = data.service().query(find)
    return str(found[0]["name"]) if found else None


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, Decimal):
        return float(value)
    return value


def _text(column: str, value: Any) -> str:
    """A field as the page shows it: times dd/mm/yyyy HH:mm, labels for codes, Có/Không."""
    if value is None or value == "":
        return str(EMPTY.get(column, "-"))
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if column == "fee_amount":
        return gettext("%(amount)s dong") % {"amount": vn(value, 0)}
    return value_label(column, value)


def dossier_page(request: HttpRequest, code: str) -> dict[str, Any]:
    """The dossier ``code``'s document; 404 when unknown or outside the user's units."""
    row = data.stored_dossier(code)
    if row is None:
        raise Http404(str(NOT_FOUND))
    unit, _ = get_unit_for_user(request, row["unit_code"])
    procedure_name = _procedure_name(row["procedure_code"])
    receiving = _receiving_point(row)
    fields: list[DossierField] = []
    for column, label in DOSSIER_HEADERS.items():
        if column == "unit_name":
            text = unit.name
        elif column == "receiving_point":
            if receiving is None:
                continue  # received by the competent unit itself (or not known)
            text = receiving.text
        elif column == "procedure_code":
            label = gettext("Procedure")
            text = f"{row[column]} — {procedure_name}" if procedure_name else row[column]
        else:
            text = _text(column, row.get(column))
        fields.append(DossierField(column=column, label=label, text=text))
    return DossierPage(
        dossier={k: _json_value(v) for k, v in row.items()},
        unit_name=unit.name,
        procedure_name=procedure_name,
        receiving_point=receiving,
        fields=fields,
    ).dump()


def _receiving_point(row: dict[str, Any]) -> ReceivingPoint | None:
    """Where the dossier was received, when another unit or centre than its competent unit
    (the index still counts it for the competent unit); None otherwise."""
    if not received_elsewhere(row):
        return None
    code = str(row["receiving_point"])
    name = unit_names([code])[code]
    return ReceivingPoint(unit_code=code, name=name, text=name)


def unit_names(codes: Iterable[str]) -> dict[str, str]:
    """The tree's name of each unit code (a code the tree does not know stands for itself),
    e.g. the receiving points of dossiers."""
    tree = data.service().tree()
    return {code: (tree.get(code).name if code in tree else None) or code for code in codes}
