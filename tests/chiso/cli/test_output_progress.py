"""The shared progress bar: rate column and unknown totals."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from chiso.cli.output import RateColumn, progress_bar


def rate(speed: float | None) -> str:
    task: Any = SimpleNamespace(speed=speed)
    return RateColumn().render(task).plain


def test_the_rate_column_is_blank_until_measured_then_uses_a_vietnamese_separator() -> None:
    assert rate(None) == ""
    assert rate(59_012.4) == "59.012/s"


def test_a_progress_bar_with_an_unknown_total_advances() -> None:
    with progress_bar("Đang nhập", total=0) as advance:
        advance(50_000)
        advance(50_000)
