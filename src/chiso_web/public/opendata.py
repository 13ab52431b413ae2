"""What citizens reuse: ranking blocks of a published month, the open-data catalogue and
its CSV files, the search for "xã của tôi".

Everything is read from the frozen publications, like the rest of ``/cong-khai/``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from chiso.api import RANKING_BLOCKS, fold_diacritics
from chiso_web.publications.models import Publication

LICENCE = "Creative Commons Ghi công 4.0 Quốc tế (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.vi"
# the CSV's columns and what each holds (shown on the open-data page)
CSV_COLUMNS = (
    ("Mã đơn vị", "mã của đơn vị trong danh mục đơn vị hành chính (xã, phường) hoặc của tỉnh"),
    ("Tên đơn vị", "tên đầy đủ của đơn vị"),
    ("Khối", "khối xếp hạng: cơ quan chuyên môn thuộc UBND tỉnh, hoặc UBND xã, phường"),
    ("Có dữ liệu", "1: có dữ liệu trong tháng; 0: chưa có dữ liệu, không chấm điểm, xếp hạng"),
    ("Tổng điểm", "tổng điểm đạt được"),
    ("Điểm tối đa", "tổng điểm tối đa của các chỉ số áp dụng"),
    ("Điểm quy đổi", "điểm quy đổi về thang 100"),
    ("Xếp loại", "Xuất sắc, Tốt, Khá, Trung bình hoặc Yếu"),
    ("Hạng trong khối", "hạng của đơn vị trong khối của mình"),
    ("Hạng chung", "hạng trong một danh sách chung mọi đơn vị"),
)


def blocks(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ranking blocks of a published ranking, as the signed-in ranking shows them:
    each block's units in order with their rank among the block (competition ranks, so a
    unit's block rank is one more than the block's units ranked strictly before it)."""
    out = []
    for block in RANKING_BLOCKS:
        members = [u for u in units if u.get("kind") in block.kinds]
        ranked = sorted((u for u in members if u["rank"] is not None), key=lambda u: u["rank"])
        rows = []
        for unit in ranked:
            better = sum(1 for u in ranked if u["rank"] < unit["rank"])
            same = sum(1 for u in ranked if u["rank"] == unit["rank"])
            rows.append({"unit_code": unit["unit_code"], "rank": better + 1, "tied": same > 1})
        rows += [
            {"unit_code": u["unit_code"], "rank": None, "tied": False}
            for u in members
            if u["rank"] is None
        ]
        if rows:
            kinds = list(block.kinds)
            out.append({"code": block.code, "label": block.label, "kinds": kinds, "units": rows})
    return out


def csv_text(pub: Publication) -> str:
    """Every unit of one published version as CSV (UTF-8 with BOM, comma, dot decimals)."""
    payload = pub.payload
    units = payload["units"]
    in_block = {
        row["unit_code"]: (block["label"], row["rank"])
        for block in blocks(units)
        for row in block["units"]
    }
    groups = [g["code"] for g in payload["groups"]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    labels = [f"Nhóm: {g['label']}" for g in payload["groups"]]
    writer.writerow([name for name, _ in CSV_COLUMNS] + labels)
    for unit in units:
        has_data = unit.get("has_data", True)
        block, block_rank = in_block.get(unit["unit_code"], ("", None))
        points = [(unit.get("groups") or {}).get(code) or {} for code in groups]
        writer.writerow(
            [
                unit["unit_code"],
                unit["name"],
                block,
                1 if has_data else 0,
                _number(unit["total"]),
                _number(unit["max"]),
                _number(unit["converted"]),
                unit.get("class_label") or "",
                block_rank or "",
                unit["rank"] or "",
                *(_number(p.get("points")) for p in points),
            ]
        )
    return "\ufeff" + out.getvalue()


def _number(value: Any) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def search(units: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """Units whose name holds every word of ``text``, with or without diacritics
    ("sin thau", "Sín Thầu", "xa sin thau")."""
    words = fold_diacritics(text).casefold().split()
    if not words:
        return []
    found = []
    for unit in units:
        name = fold_diacritics(unit["name"]).casefold()
        if all(word in name for word in words):
            found.append(unit)
    return found
