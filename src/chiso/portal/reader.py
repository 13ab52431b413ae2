"""Read one saved portal response: JSON, capture wrapper, shape, rows and period.

Accepted files (``docs/portal.md``): a capture ``{"url", "payload", "capturedAt",
"response"}`` or a bare response — the ``{"code": "OK", "data": …}`` envelope of the
2025–2026 evaluation API (shapes *metrics*, *tree*, *summary*) or the bare list of the
legacy ``report_tinh_766_service`` (shape *legacy*).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from chiso.errors import UserError
from chiso.ingest.bounded_json import loads
from chiso.ingest.limits import MAX_JSON_BYTES, count, refusal
from chiso.portal.capture import Capture, fetched_local, period_of_payload
from chiso.portal.groups import group_of_endpoint
from chiso.portal.legacy import legacy_rows
from chiso.portal.metrics import metrics_rows
from chiso.portal.rows import PortalResponse, PortalRow
from chiso.portal.summary import summary_rows
from chiso.portal.trees import tree_rows
from chiso.portal.validation import HINT, portal_error, validate

__all__ = ["read_response"]


def _load(path: Path) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            what = f"lớn {count(size >> 20)} MB"
            hint = "mỗi tệp lưu một phản hồi của cổng; tách các phản hồi ra nhiều tệp"
            raise refusal(str(path), what, f"{count(MAX_JSON_BYTES >> 20)} MB", hint)
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"{path}: no such file", hint="check the path") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text", hint="save the response as UTF-8") from None
    try:
        return loads(text, file=str(path), parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise UserError(
            f"{path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})",
            hint="save the response body exactly as the portal sent it; " + HINT,
        ) from None


def _envelope_data(body: Any, *, file: str, prefix: str) -> Any:
    if not isinstance(body, dict) or "data" not in body:
        raise portal_error(
            file,
            [f"{prefix}: expected the portal envelope {{\"code\": \"OK\", \"data\": …}} or the "
             "legacy list of rows"],
        )  # fmt: skip
    if body.get("code", "OK") != "OK":
        raise portal_error(file, [f"{prefix}.code: the portal answered {body.get('code')!r}"])
    data = body["data"]
    if not isinstance(data, dict):
        raise portal_error(file, [f"{prefix}.data: the value must be an object"])
    return data


def _is_summary(data: dict[str, Any], url: str | None) -> bool:
    if url is not None and url.rstrip("/").endswith("service-results"):
        return True
    rows = data.get("evaluation")
    return isinstance(rows, list) and any(isinstance(r, dict) and "groupScores" in r for r in rows)


def _rows(
    body: Any, *, file: str, prefix: str, url: str | None
) -> tuple[str, tuple[PortalRow, ...]]:
    if isinstance(body, list):
        return "legacy", legacy_rows(body, file=file, prefix=prefix)
    data = _envelope_data(body, file=file, prefix=prefix)
    inner = f"{prefix}.data"
    group = group_of_endpoint(url) if url else None
    if _is_summary(data, url):
        return "summary", summary_rows(data, file=file, prefix=inner)
    if "parent" in data:
        return "tree", tree_rows(data, file=file, prefix=inner, group=group)
    if "overview" in data:
        return "metrics", metrics_rows(data, file=file, prefix=inner, group=group)
    raise portal_error(
        file,
        [f"{inner}: not a known response shape (expected overview/evaluation, parent/children "
         "or service-results groupScores)"],
    )  # fmt: skip


def read_response(path: Path) -> PortalResponse:
    """Read ``path`` into rows (units not yet resolved) with its period, if recorded.

    Raises:
        UserError: not JSON (with line and column), not an accepted shape, a bad value,
            a procedure-filtered request; every message names the file and JSON path.
    """
    file = str(path)
    value = _load(path)
    url = payload = captured = None
    body, prefix = value, "$"
    if isinstance(value, dict) and "response" in value:
        capture = validate(Capture, value, file=file, prefix="$")
        url, payload, captured = capture.url, capture.payload, capture.capturedAt
        body, prefix = capture.response, "$.response"
    period = period_of_payload(payload, file=file, prefix="$.payload") if payload else None
    shape, rows = _rows(body, file=file, prefix=prefix, url=url)
    national = shape in ("summary", "legacy")
    return PortalResponse(file, shape, period, fetched_local(captured), rows, national)
