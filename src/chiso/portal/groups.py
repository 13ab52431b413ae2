"""The national portal's six score groups and how they map to an index set's groups.

The portal (Cổng DVCQG, 2025–2026) scores six groups, each with its own endpoint
(``domain.md`` §3.2, §3.8; R13, R14).  Which of CLGQ and TTTT is the online-service
group and which the online-payment group is not settled by an official text: chiso
follows R14 (CLGQ "Dịch vụ công trực tuyến" 12 points, TTTT "Thanh toán trực tuyến"
10 points), which agrees with the maxima of ``provide-online-tree`` (12) and
``formality-online-payment-tree`` (10) in R13's captures; one legacy (2023–2025) client
labels them the other way round (R15), so the legacy mapping is UNK.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Final

from chiso.domain.periods import Period
from chiso.errors import UserError
from chiso.i18n import _
from chiso.spec.canonical import IndexSet
from chiso.spec.loader import load_for_period

__all__ = [
    "ENDPOINTS",
    "GROUPS",
    "METRIC_GROUPS",
    "PORTAL_INDEX_SETS",
    "PortalGroup",
    "check_index_set",
    "group_of_endpoint",
    "portal_index_set",
]

#: The versions of the portal's index, oldest first; each declares its validity
#: (valid_from / valid_to), and the one in force in a period scores it.
PORTAL_INDEX_SETS: Final = ("vn-766-portal-2025", "vn-766-portal-2026")


@dataclass(frozen=True)
class PortalGroup:
    """One portal group: its API code, endpoint, maximum and the index-set group it is."""

    code: str
    endpoint: str
    group: str  # group code in vn-766-portal-2025 and -2026
    label: str
    max: Decimal
    confidence: str


_TABLE = (  # code, endpoint, index-set group, label, max (all SEC: R13, R14)
    ("CKMB", "transparency", "ckmb", "Công khai, minh bạch", 18),
    ("TDGQ", "dvc-progress-tree", "tdgq", "Tiến độ giải quyết", 20),
    ("CLGQ", "provide-online-tree", "dvctt", "Dịch vụ công trực tuyến", 12),
    ("TTTT", "formality-online-payment-tree", "tttt", "Thanh toán trực tuyến", 10),
    ("MDSH", "dossier-digitized", "mdsh", "Số hóa hồ sơ", 22),
    ("MDHL", "handling-satisfaction", "mdhl", "Mức độ hài lòng", 18),
)
GROUPS: Final = MappingProxyType(
    {c: PortalGroup(c, e, g, label, Decimal(m), "SEC") for c, e, g, label, m in _TABLE}
)

#: Endpoint name (last part of ``/api/v1/reporting/evaluation/<name>``) → group code.
ENDPOINTS: Final = MappingProxyType({g.endpoint: g.code for g in GROUPS.values()})

#: Metric codes of the three "metrics" endpoints (R13 captures) → group code.
METRIC_GROUPS: Final = MappingProxyType(
    {
        **dict.fromkeys(
            ("PUBLISH_ON_TIME", "PUBLIC_UPDATE_ON_TIME", "PUBLIC_CONTENT_FULL", "DOSSIER_SYNC"),
            "CKMB",
        ),
        **dict.fromkeys(
            (
                "PETITION_CLASSIFICATION_TTHC",
                "PETITION_CLASSIFICATION_STAFF",
                "PETITION_PROCESSING_ON_TIME",
                "PETITION_HANDLING_SATISFACTION",
                "DOSSIER_RECEIVING_SATISFACTION",
            ),
            "MDHL",
        ),
        **dict.fromkeys(
            (
                "ORIGINAL_RESULT_AVAILABLE",
                "SO_HOA_GIAY_TO_GIAI_QUYET",
                "REUSED_DIGITIZED_DATA",
                "SYNCED_WITH_DVCQG_PERSONAL_STORAGE",
                "CITIZEN_DATA_CONNECTED_DOSSIER",
                "CITIZEN_DATA_CONNECTED_FORMALITY",
                "ELECTRONIC_CERTIFIED_COPY",
            ),
            "MDSH",
        ),
    }
)


def group_of_endpoint(url: str) -> str | None:
    """The group code of an evaluation endpoint URL or name, ``None`` for other endpoints.

    Examples:
        >>> group_of_endpoint("https://dichvucong.gov.vn/api/v1/reporting/evaluation/transparency")
        'CKMB'
        >>> group_of_endpoint("service-results") is None
        True
    """
    name = url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
    return ENDPOINTS.get(name)


def check_index_set(index_set: IndexSet) -> None:
    """Refuse an index set that lacks one of the six groups the portal scores."""
    have = {g.code for g in index_set.groups}
    missing = [g.group for g in GROUPS.values() if g.group not in have]
    if missing:
        raise UserError(
            _(
                "index set “{id}” has no group {names}: the portal's six groups cannot be mapped "
                "to it"
            ).format(id=index_set.id, names=", ".join(missing)),
            hint=_("use --index-set vn-766-portal-2025 (or a variant with the same group codes)"),
        )


def portal_index_set(period: Period) -> IndexSet:
    """The portal's index set in force in ``period`` (vn-766-portal-2025 up to 2025,
    vn-766-portal-2026 from 2026).

    Examples:
        >>> portal_index_set(Period.of_month(2025, 10)).id
        'vn-766-portal-2025'
        >>> portal_index_set(Period.of_month(2026, 3)).id
        'vn-766-portal-2026'
    """
    return load_for_period(PORTAL_INDEX_SETS, period.start.date(), period.last_day)
