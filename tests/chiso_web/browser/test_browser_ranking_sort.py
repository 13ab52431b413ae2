"""In Chromium: clicking a header of the ranking table sorts by the numbers as shown
("98,32" is 98.32, not 98) and the class column by class (Xuất sắc first, unscored last)."""

from __future__ import annotations

from typing import Any

import pytest
from browser_pages import number

pytestmark = pytest.mark.browser
# the communes' block of the default ranking (each block is its own table, ranked from 1)
COMMUNES = "#ranking-table-xa"
CLASS_ORDER = ("Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu")
UNSCORED = "Chưa có dữ liệu"


def _column(page: Any, header: str) -> list[str]:
    """The texts of the ranking table's column under ``header``, top to bottom."""
    table = page.locator(COMMUNES)
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    col = headers.index(header)
    texts: list[str] = table.locator("tbody tr[data-unit]").evaluate_all(
        "(rows, col) => rows.map(r => r.cells[col].innerText.trim())", col
    )
    return texts


def _click(page: Any, header: str) -> list[str]:
    page.locator(f"{COMMUNES} thead th", has_text=header).click()
    return _column(page, header)


def _scores(texts: list[str]) -> list[float]:
    return [number(t) for t in texts if t != "-"]


def test_the_converted_score_sorts_by_its_decimals(page: Any, login: Any) -> None:
    login(page, "quantri")
    page.goto("/xep-hang/")
    page.wait_for_selector(f"{COMMUNES} tbody tr[data-unit]")
    shown = _column(page, "Điểm quy đổi")
    assert any("," in t for t in shown), "the scores should be shown with a decimal comma"
    up = _click(page, "Điểm quy đổi")
    down = _click(page, "Điểm quy đổi")
    assert _scores(up) == sorted(_scores(up)), up
    assert _scores(down) == sorted(_scores(down), reverse=True), down
    # tied integer parts are where a comma in data-value went wrong (98,9 read as 98)
    whole = [int(s) for s in _scores(down)]
    assert len(set(whole)) < len(whole), "the data should have scores with the same integer part"
    unscored = [t == "-" for t in up]
    assert unscored == sorted(unscored), "units without data stay last in either direction"
    assert [t == "-" for t in down] == unscored


def test_the_class_column_sorts_by_class_not_alphabetically(page: Any, login: Any) -> None:
    login(page, "quantri")
    page.goto("/xep-hang/")
    page.wait_for_selector(f"{COMMUNES} tbody tr[data-unit]")
    first = _click(page, "Xếp loại")
    second = _click(page, "Xếp loại")
    best_first, worst_first = (first, second) if first[0] == "Xuất sắc" else (second, first)
    order = {label: n for n, label in enumerate((*CLASS_ORDER, UNSCORED))}
    assert len({t for t in best_first if t in CLASS_ORDER}) >= 2, best_first
    assert [order[t] for t in best_first] == sorted(order[t] for t in best_first), best_first
    scored = [t for t in worst_first if t != UNSCORED]
    assert [order[t] for t in scored] == sorted((order[t] for t in scored), reverse=True)
    assert worst_first[len(scored) :] == [UNSCORED] * (len(worst_first) - len(scored))
