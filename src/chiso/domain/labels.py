"""Vietnamese names of the canonical codes: columns, channels, payments, statuses, unit kinds.

The one source of the words people read in place of a code.  Dossier columns carry the
headers of a one-stop system's export (the import benchmark writes them, the dossier page
and the drill-down show them); the value labels are the export's own wording, so an export
written with them reads back through the import profiles.  JSON documents keep the codes
and put these labels beside them.

Examples:
    >>> column_label("received_at")
    'Ngày tiếp nhận'
    >>> value_label("channel", "online")
    'Trực tuyến'
    >>> kind_label("tinh")
    'Tỉnh'
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType
from typing import Final

from chiso.domain.progress import ProgressCode
from chiso.domain.records import Channel, DossierStatus, OnlineLevel, Payment
from chiso.domain.units import UnitKind

__all__ = [
    "CHANNELS",
    "COLUMNS",
    "DOSSIER_HEADERS",
    "ONLINE_LEVELS",
    "PAYMENTS",
    "PROGRESS",
    "STATUSES",
    "UNIT_KINDS",
    "VALUES",
    "column_label",
    "kind_label",
    "kinds_label",
    "received_elsewhere_label",
    "value_label",
]

#: The dossier columns as a one-stop export heads them, in the export's order
#: (``unit_name`` stands for the name of the competent unit, the one the index counts the
#: dossier for; ``receiving_point`` for where it was received, since 1/7/2025 possibly
#: another centre of the province).
DOSSIER_HEADERS: Final = MappingProxyType(
    {
        "dossier_code": "Mã hồ sơ",
        "unit_name": "Đơn vị giải quyết",
        "receiving_point": "Nơi tiếp nhận",
        "procedure_code": "Mã TTHC",
        "channel": "Hình thức nộp",
        "received_at": "Ngày tiếp nhận",
        "due_at": "Ngày hẹn trả",
        "finished_at": "Ngày kết thúc xử lý",
        "returned_at": "Ngày trả kết quả",
        "status": "Trạng thái",
        "supplement_count": "Số lần bổ sung",
        "fee_amount": "Phí, lệ phí",
        "payment": "Hình thức thanh toán",
        "components_digitized": "Số hóa thành phần",
        "result_digitized": "Số hóa kết quả",
        "reused_data": "Tái sử dụng dữ liệu",
        "synced": "Đồng bộ DVCQG",
    }
)

#: Every other canonical column a person may see (petitions, ratings, assessments, units).
COLUMNS: Final = MappingProxyType(
    {
        **DOSSIER_HEADERS,
        "unit_code": "Mã đơn vị",
        "petition_code": "Mã phản ánh, kiến nghị",
        "handled_at": "Ngày xử lý xong",
        "satisfied": "Hài lòng",
        "rated_at": "Ngày đánh giá",
        "criterion": "Tiêu chí",
        "score": "Điểm",
        "assessed_at": "Ngày đánh giá",
        "name": "Tên",
        "kind": "Loại đơn vị",
        "online_level": "Mức độ trực tuyến",
        "has_fee": "Có phí, lệ phí",
        "paper_result": "Kết quả bản giấy",
        "time_limit_days": "Thời hạn giải quyết (ngày)",
        # what the drill-down (chiso explain) adds to a record
        "procedure_name": "Tên thủ tục",
        "progress": "Tình trạng",
        "late_working_days": "Trễ hạn (ngày làm việc)",
    }
)

CHANNELS: Final = MappingProxyType(
    {
        Channel.ONLINE.value: "Trực tuyến",
        Channel.DIRECT.value: "Trực tiếp",
        Channel.POSTAL.value: "Bưu chính công ích",
    }
)
PAYMENTS: Final = MappingProxyType(
    {
        Payment.NONE.value: "Không",
        Payment.DIRECT.value: "Tiền mặt",
        Payment.ONLINE.value: "Thanh toán trực tuyến",
    }
)
STATUSES: Final = MappingProxyType(
    {
        DossierStatus.RECEIVED.value: "Mới tiếp nhận",
        DossierStatus.PROCESSING.value: "Đang xử lý",
        DossierStatus.SUPPLEMENT.value: "Yêu cầu bổ sung",
        DossierStatus.FINISHED.value: "Đã giải quyết",
        DossierStatus.RETURNED.value: "Đã trả kết quả",
        DossierStatus.REJECTED.value: "Từ chối",
        DossierStatus.WITHDRAWN.value: "Rút hồ sơ",
    }
)
#: Where a dossier or a petition stands against its due time (chiso.domain.progress).
PROGRESS: Final = MappingProxyType(
    {
        ProgressCode.ON_TIME.value: "Đã giải quyết đúng hạn",
        ProgressCode.LATE.value: "Đã giải quyết trễ hạn",
        ProgressCode.SUPPLEMENTS.value: "Trễ hạn do bổ sung quá 1 lần",
        ProgressCode.IN_PROGRESS.value: "Đang giải quyết, còn hạn",
        ProgressCode.OVERDUE.value: "Quá hạn, chưa giải quyết",
    }
)
ONLINE_LEVELS: Final = MappingProxyType(
    {
        OnlineLevel.FULL.value: "Toàn trình",
        OnlineLevel.PARTIAL.value: "Một phần",
        OnlineLevel.NONE.value: "Không",
    }
)
UNIT_KINDS: Final = MappingProxyType(
    {
        UnitKind.TINH.value: "Tỉnh",
        UnitKind.SO.value: "Sở, ban, ngành",
        UnitKind.HUYEN.value: "Huyện",
        UnitKind.XA.value: "Xã",
        UnitKind.PHUONG.value: "Phường",
        UnitKind.THI_TRAN.value: "Thị trấn",
        UnitKind.DAC_KHU.value: "Đặc khu",
        UnitKind.TRUNG_TAM.value: "Trung tâm",
        UnitKind.PHONG.value: "Phòng chuyên môn",
    }
)
#: Value labels by column.
VALUES: Final = MappingProxyType(
    {
        "channel": CHANNELS,
        "payment": PAYMENTS,
        "status": STATUSES,
        "progress": PROGRESS,
        "online_level": ONLINE_LEVELS,
        "kind": UNIT_KINDS,
    }
)


def column_label(column: str) -> str:
    """A column's Vietnamese header; an unknown column as it is."""
    return COLUMNS.get(column, column)


def value_label(column: str, value: object) -> str:
    """A coded value's Vietnamese label (``channel``/``online`` → ``Trực tuyến``); other
    values as text, None as ``""``."""
    if value is None:
        return ""
    labels = VALUES.get(column)
    text = str(value)
    return labels.get(text, text) if labels is not None else text


def kind_label(kind: str) -> str:
    """A unit kind's Vietnamese name (``so`` → ``Sở, ban, ngành``)."""
    return UNIT_KINDS.get(kind, kind)


def kinds_label(kinds: Iterable[str] | None) -> str:
    """Unit kinds as a Vietnamese list; None (every kind) → ``mọi đơn vị``.

    Examples:
        >>> kinds_label(["tinh", "so"])
        'Tỉnh; Sở, ban, ngành'
    """
    if kinds is None:
        return "mọi đơn vị"
    return "; ".join(kind_label(k) for k in kinds)


def received_elsewhere_label(count: int) -> str:
    """How many of a unit's dossiers another unit or centre received (the index still
    counts them for the unit).

    Examples:
        >>> received_elsewhere_label(1234)
        '1.234 hồ sơ tiếp nhận tại nơi khác'
    """
    return f"{count:,} hồ sơ tiếp nhận tại nơi khác".replace(",", ".")
