"""Shape "tree": ``dvc-progress-tree``, ``provide-online-tree``, ``formality-online-payment-tree``.

``data.parent`` is the root unit with ``totalScore`` / ``totalMaxScore``; ``data.children[]``
are its units with ``score`` / ``maxScore`` (progress tree) or ``totalScore`` /
``totalMaxScore`` (the two others), plus the endpoint's own counts (``totalReceived``,
``totalOnTime`` for progress; ``authorityCount``, ``fullCount``… for online services;
``totalDossierOnlinePaymentSuccess``… for payment) and ``departmentCode`` (``H44``,
``H44.100``).  There is no metric code: the group is read from the endpoint named in the
capture, else from those counts, else from the maximum (SEC, R13 captures of 2026-09-26,
``ChippedTopaz/qd766`` ``tests/fixtures/{dvc-progress-tree,provide-online-tree,
formality-online-payment-tree}/*.json``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from chiso.i18n import _
from chiso.portal.groups import GROUPS
from chiso.portal.rows import PortalRow, PortalUnitRef
from chiso.portal.validation import portal_error, validate

__all__ = ["TreeData", "tree_rows"]

# Keys only one tree endpoint returns (R13 captures).
_MARKERS = {
    "TDGQ": ("totalOnTime", "totalReceived", "totalCompleted"),
    "CLGQ": ("authorityCount", "fullCount", "partialCount", "onlineServiceTotal"),
    "TTTT": ("totalDossierOnlinePaymentSuccess", "totalFeeFormality"),
}


class Node(BaseModel):
    """A unit of a tree response; the score is ``score`` or ``totalScore``."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    departmentId: str | None = None
    departmentCode: str | None = None
    departmentName: str
    score: Decimal | None = Field(default=None, ge=0)
    totalScore: Decimal | None = Field(default=None, ge=0)
    maxScore: Decimal | None = Field(default=None, ge=0)
    totalMaxScore: Decimal | None = Field(default=None, ge=0)
    totalOnTime: Decimal | None = Field(default=None, ge=0)
    totalReceived: Decimal | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _has_score(self) -> Node:
        if not {"score", "totalScore"} & self.model_fields_set:
            raise ValueError("the score is missing (score or totalScore)")
        return self

    @property
    def points(self) -> Decimal | None:
        """The unit's group score."""
        return self.score if "score" in self.model_fields_set else self.totalScore

    @property
    def maximum(self) -> Decimal | None:
        """The group's maximum for this unit."""
        return self.maxScore if self.maxScore is not None else self.totalMaxScore


class TreeData(BaseModel):
    """``data`` of a tree response."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    parent: Node
    children: list[Node] = []


def _guess_group(parent: dict[str, Any]) -> str | None:
    for code, keys in _MARKERS.items():
        if any(k in parent for k in keys):
            return code
    by_max = {g.max: g.code for g in GROUPS.values() if g.code in _MARKERS}
    maximum = parent.get("totalMaxScore")
    return by_max.get(Decimal(str(maximum))) if isinstance(maximum, int | Decimal) else None


def _row(node: Node, group: str, where: str, *, root: bool) -> PortalRow:
    unit = PortalUnitRef(node.departmentId, node.departmentCode, node.departmentName)
    ratio = group == "TDGQ"  # the only tree whose group is one ratio (2.1)
    return PortalRow(
        unit, group, node.points, node.maximum, where,
        numerator=node.totalOnTime if ratio else None,
        denominator=node.totalReceived if ratio else None,
        root=root,
    )  # fmt: skip


def tree_rows(
    data: Any, *, file: str, prefix: str, group: str | None = None
) -> tuple[PortalRow, ...]:
    """The group score of the parent and of every child."""
    model = validate(TreeData, data, file=file, prefix=prefix)
    code = group or _guess_group(data["parent"])
    if code is None:
        raise portal_error(
            file,
            [
                _("{where}: cannot tell which tree endpoint this response is from").format(
                    where=f"{prefix}.parent"
                )
            ],
        )
    field = "score" if "score" in model.parent.model_fields_set else "totalScore"
    rows = [_row(model.parent, code, f"{prefix}.parent.{field}", root=True)]
    for i, child in enumerate(model.children):
        field = "score" if "score" in child.model_fields_set else "totalScore"
        rows.append(_row(child, code, f"{prefix}.children[{i}].{field}", root=False))
    return tuple(rows)
