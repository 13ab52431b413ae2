"""The site's error answer, one shape for every page twin and the push API:
``{ok: false, status, error, hint, errors}`` (``chiso_web.errors.error_json``).

Only the push API lists ``errors`` (one per refused field of a batch); every other
answer has an empty list.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chiso.contracts.base import Contract


class FieldError(Contract):
    """One refused field of a batch."""

    row: int = Field(description="Thứ tự hồ sơ trong lô, từ 1")
    field: str
    value: str
    reason: str
    hint: str


class ErrorAnswer(Contract):
    """An error answer of the site."""

    ok: Literal[False]
    status: int
    error: str = Field(description="Một câu tiếng Việt nói điều sai.")
    hint: str | None = Field(description="Cách sửa.")
    errors: list[FieldError] = Field(description="Chỉ API tiếp nhận hồ sơ liệt kê lỗi.")
