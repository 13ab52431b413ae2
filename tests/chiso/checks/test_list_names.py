"""Names in a report's lists: a unit's name may hold a comma, and counts follow in brackets."""

from __future__ import annotations

from datetime import date

from chiso.checks.text import list_names
from chiso.domain.units import UnitTree
from chiso.ingest.scores.names import NameResolver

RESOLVER = NameResolver(UnitTree.dienbien(), on=date(2026, 10, 1), within="11")


def _names(text: str) -> tuple[list[str], list[str]]:
    found, unknown = list_names(text, RESOLVER)
    return [r.unit.name for r in found], unknown


def test_a_name_holding_a_comma_is_not_cut_where_names_are_separated_by_semicolons() -> None:
    names, unknown = _names(
        "- 03/17 đơn vị xếp loại Xuất sắc: Sở Văn hóa, Thể thao và Du lịch; Sở Khoa học và"
        " Công nghệ."
    )
    assert names == ["Sở Văn hóa, Thể thao và Du lịch", "Sở Khoa học và Công nghệ"]
    assert unknown == []


def test_counts_in_brackets_after_a_name_are_left_out() -> None:
    names, unknown = _names(
        "- Hồ sơ giải quyết quá hạn: UBND xã Mường Ảng (01 hồ sơ thuộc lĩnh vực chứng thực,"
        " 02 hồ sơ thuộc lĩnh vực hộ tịch); UBND xã Sín Thầu (04 hồ sơ thuộc lĩnh vực chứng thực)."
    )
    assert names == ["UBND xã Mường Ảng", "UBND xã Sín Thầu"]
    assert unknown == []


def test_names_separated_by_commas_alone_are_still_split() -> None:
    names, _ = _names("Xếp loại Tốt: UBND xã Mường Ảng, UBND xã Sín Thầu.")
    assert names == ["UBND xã Mường Ảng", "UBND xã Sín Thầu"]
