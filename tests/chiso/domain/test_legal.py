"""The legal register: which instruments are in force for a period, and what a report cites."""

from __future__ import annotations

from datetime import date

import pytest

from chiso.domain.legal import cite, instruments_for, register
from chiso.spec.loader import load_index_set


def _numbers(start: date, end: date | None = None) -> list[str]:
    return [i.number for i in instruments_for(start, end)]


def test_one_stop_decree_and_circular_change_on_1_july_2025() -> None:
    assert _numbers(date(2025, 6, 30)) == ["61/2018/NĐ-CP", "01/2018/TT-VPCP", "42/2022/NĐ-CP"]
    assert _numbers(date(2025, 7, 1)) == ["118/2025/NĐ-CP", "42/2022/NĐ-CP"]
    assert "03/2025/TT-VPCP" in _numbers(date(2025, 9, 15))


def test_the_data_circular_starts_on_25_january_2026() -> None:
    assert "04/2025/TT-VPCP" not in _numbers(date(2026, 1, 24))
    assert "04/2025/TT-VPCP" in _numbers(date(2026, 1, 25))


def test_decree_224_replaces_decree_42_on_1_july_2026() -> None:
    assert "42/2022/NĐ-CP" in _numbers(date(2026, 6, 30))
    assert "224/2026/NĐ-CP" not in _numbers(date(2026, 6, 30))
    assert "42/2022/NĐ-CP" not in _numbers(date(2026, 7, 1))
    assert "224/2026/NĐ-CP" in _numbers(date(2026, 7, 1))


def test_a_period_across_a_change_has_both_instruments() -> None:
    year = _numbers(date(2025, 1, 1), date(2025, 12, 31))
    assert {"61/2018/NĐ-CP", "118/2025/NĐ-CP", "01/2018/TT-VPCP", "03/2025/TT-VPCP"} <= set(year)


def _cited(index_set: str, start: date, end: date) -> list[str]:
    basis = load_index_set(index_set).legal_basis
    return [c.split(" ngày ")[0] for c in cite(basis, index_set, start, end)]


def test_the_nd61_model_cites_the_instruments_of_its_period() -> None:
    before = _cited("nd61-tt01-2018", date(2024, 1, 1), date(2024, 12, 31))
    assert before == [
        "Nghị định số 61/2018/NĐ-CP",
        "Thông tư số 01/2018/TT-VPCP",
        "Quyết định số 1187/QĐ-UBND",
    ]
    after = _cited("nd61-tt01-2018", date(2026, 1, 1), date(2026, 3, 31))
    assert after == [
        "Nghị định số 118/2025/NĐ-CP",
        "Thông tư số 03/2025/TT-VPCP",
        "Quyết định số 1187/QĐ-UBND",
    ]


def test_the_766_index_cites_the_data_circular_and_the_decree_in_force() -> None:
    q1 = _cited("vn-766-portal-2025", date(2026, 1, 1), date(2026, 3, 31))
    assert q1[2:] == ["Thông tư số 04/2025/TT-VPCP", "Nghị định số 42/2022/NĐ-CP"]
    q3 = _cited("vn-766-portal-2025", date(2026, 7, 1), date(2026, 9, 30))
    assert q3[2:] == ["Thông tư số 04/2025/TT-VPCP", "Nghị định số 224/2026/NĐ-CP"]
    h2_2025 = _cited("vn-766-portal-2025", date(2025, 7, 1), date(2025, 12, 31))
    assert h2_2025[2:] == ["Nghị định số 42/2022/NĐ-CP"]


def test_a_provincial_index_keeps_its_own_basis() -> None:
    basis = load_index_set("dienbien-459-2023").legal_basis
    assert cite(basis, "dienbien-459-2023", date(2026, 7, 1), date(2026, 9, 30)) == list(basis)


@pytest.mark.parametrize("item", register(), ids=lambda i: i.id)
def test_every_instrument_is_dated_and_sourced(item: object) -> None:
    from chiso.domain.legal import Instrument

    assert isinstance(item, Instrument)
    assert item.issued <= item.in_force_from
    assert item.in_force_to is None or item.in_force_from <= item.in_force_to
    assert item.number in item.citation and item.confidence and item.source
