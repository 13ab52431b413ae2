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


class Accepted(Contract):
    """The push API's answer to a batch it took (202): how many dossiers, how many new,
    changed or the same as last time, and whether they are merged yet."""

    ok: Literal[True]
    status: Literal[202]
    received: int = Field(ge=1)
    new: int = Field(ge=0, description="Mã hồ sơ chưa từng gửi")
    changed: int = Field(ge=0, description="Đã gửi trước đó, nay khác")
    unchanged: int = Field(ge=0, description="Giống hệt lần gửi trước: bỏ qua")
    merged: bool = Field(description="Đã gộp vào dữ liệu trước khi trả lời")
    pending: int = Field(ge=0, description="Hồ sơ còn chờ gộp (vài giây)")
