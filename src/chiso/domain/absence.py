"""What an optional column means when an export does not carry it (docs/data-model.md).

An import writes an absent column as empty cells, and an empty cell means the same as an
absent column: the formulas cannot tell them apart, so they must read both the same way.
The rule chiso follows is that a missing column never costs a unit points through a
fault it did not commit and never earns it points it did not prove:

* a column recording a **fault** counts as no fault (``supplement_count`` empty = no
  supplement request, so a dossier is never late because the column is missing);
* a column recording **something done** counts as not done (``synced``, the digitisation
  flags, ``payment``: no points without the evidence);
* a **date** counts as not happened (``finished_at`` empty = still in progress).

:data:`ABSENT` says, per optional column, what its absence means, in the words shown to
users (Vietnamese).  Which indicators it affects is derived from the index set's formulas
(:func:`chiso.spec.reads.indicators_reading`), never listed by hand.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from chiso.domain.records import KEYS, REQUIRED, TABLES

__all__ = ["ABSENT", "optional_columns"]

_NOT_DONE = "coi là không"

#: table → optional column → what an absent (or empty) column means, for users.
ABSENT: Final = MappingProxyType(
    {
        "units": {
            "gso_code": "không có mã hành chính chính thức; dùng mã của chiso",
            "short_name": "dùng tên đầy đủ",
            "parent_code": "coi là đơn vị cấp cao nhất (không thuộc đơn vị nào)",
            "valid_to": "coi là còn hiệu lực",
            "successor_code": "coi là không sáp nhập vào đơn vị nào",
        },
        "procedures": {
            "field": "không rõ lĩnh vực",
            "level": "không rõ cấp thực hiện",
            "online_level": "coi là không cung cấp dịch vụ công trực tuyến",
            "has_fee": "coi là thủ tục không có phí, lệ phí",
            "time_limit_days": "không rõ thời hạn giải quyết theo quy định",
            "paper_result": "coi là không bắt buộc trả kết quả bản giấy",
        },
        "dossiers": {
            "due_at": "coi là không có hạn trả, nên hồ sơ không bị tính trễ hạn",
            "finished_at": (
                "coi là đang giải quyết, nên hồ sơ đã quá ngày hẹn trả bị tính trễ hạn và chỉ số "
                "về hồ sơ đã giải quyết không có hồ sơ nào; cần xuất lại kèm cột này"
            ),
            "returned_at": "coi là chưa trả kết quả",
            "status": "không rõ trạng thái (điểm tính theo ngày tháng, không theo trạng thái)",
            "supplement_count": (
                "coi là 0 lần yêu cầu bổ sung, nên không làm hồ sơ trễ hạn; hồ sơ bị yêu cầu bổ "
                "sung quá 1 lần cũng không được phát hiện"
            ),
            "fee_amount": (
                "coi là không thu phí, nên hồ sơ không vào mẫu số của các chỉ số dựa trên số "
                "tiền phí"
            ),
            "payment": "coi là không thanh toán trực tuyến",
            "components_digitized": f"{_NOT_DONE} số hóa thành phần hồ sơ",
            "result_digitized": f"{_NOT_DONE} số hóa kết quả",
            "reused_data": f"{_NOT_DONE} tái sử dụng dữ liệu",
            "synced": "coi là chưa đồng bộ lên Cổng Dịch vụ công quốc gia",
            "receiving_point": (
                "lấy theo mã hồ sơ khi mã đó là của một đơn vị đã biết, nếu không thì không rõ "
                "nơi tiếp nhận; điểm vẫn tính cho đơn vị giải quyết"
            ),
        },
        "petitions": {
            "due_at": "coi là không có hạn xử lý, nên phản ánh không bị tính trễ hạn",
            "handled_at": "coi là chưa xử lý, nên phản ánh đã quá hạn bị tính trễ hạn",
            "satisfied": "coi là chưa được đánh giá (không tính là không hài lòng)",
        },
        "ratings": {
            "channel": "không rõ kênh đánh giá",
            "satisfied": "coi là chưa có kết quả đánh giá (không tính là không hài lòng)",
        },
        "assessments": {
            "assessed_at": "không rõ ngày chấm điểm",
        },
        "manual_values": {
            "value": "chưa có giá trị",
            "note": "không có ghi chú",
            "author": "không rõ người nhập",
            "recorded_at": "không rõ thời điểm nhập",
        },
        "reported_scores": {
            "points": "coi là “-” (chỉ số không áp dụng cho đơn vị)",
            "source": "không rõ nguồn",
        },
        "portal_scores": {
            "score": "coi là “null” của Cổng (chỉ số không xác định, khác 0)",
            "max_score": "không rõ điểm tối đa",
            "numerator": "không có tử số",
            "denominator": "không có mẫu số",
            "source": "không rõ nguồn",
            "fetched_at": "không rõ thời điểm lấy dữ liệu",
        },
    }
)


def optional_columns(table: str) -> tuple[str, ...]:
    """The columns of ``table`` an export may leave out (neither key nor required)."""
    fixed = {*KEYS[table], *REQUIRED[table]}
    return tuple(c for c in TABLES[table] if c not in fixed)
