"""Read one saved portal response: JSON, capture wrapper, shape, rows and period.

Accepted files (``docs/portal.md``): a capture ``{"url", "payload", "capturedAt",
"response"}`` or a bare response — the ``{"code": "OK", "data": …}`` envelope of the
2025–2026 evaluation API (shapes *metrics*, *tree*, *summary*) or the bare list of the
legacy ``report_tinh_766_service`` (shape *legacy*), also as the Excel workbooks public
tools export it in (:mod:`chiso.portal.excel`).  The request may come from a second file
(:mod:`chiso.portal.pairs`), the capture time from ``--captured-at``.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from chiso.errors import UserError
from chiso.i18n import _
from chiso.ingest.bounded_json import loads
from chiso.ingest.limits import MAX_JSON_BYTES, count, refusal
from chiso.portal.capture import Capture, fetched_local, period_of_payload
from chiso.portal.excel import is_workbook, score_sheet
from chiso.portal.groups import GROUPS, group_of_endpoint
from chiso.portal.legacy import legacy_rows
from chiso.portal.metrics import metrics_rows
from chiso.portal.pairs import Request
from chiso.portal.rows import PortalResponse, PortalRow
from chiso.portal.summary import summary_rows
from chiso.portal.trees import tree_rows
from chiso.portal.validation import HINT, portal_error, validate

__all__ = ["read_response"]


def _load(path: Path) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            what = _("is {size} MB large").format(size=count(size >> 20))
            hint = _("each file keeps one response of the portal; split the responses into files")
            raise refusal(str(path), what, f"{count(MAX_JSON_BYTES >> 20)} MB", hint)
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(
            _("{path}: no such file").format(path=path), hint=_("check the file's path")
        ) from None
    except UnicodeDecodeError:
        raise UserError(
            _("{path}: neither UTF-8 text nor an Excel workbook").format(path=path),
            hint=_(
                "save the portal's response exactly as received (JSON, UTF-8) or an Excel "
                ".xlsx workbook"
            ),
        ) from None
    try:
        return loads(text, file=str(path), parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise UserError(
            _("{path}:{lineno}:{colno}: not valid JSON ({msg})").format(
                path=path, lineno=exc.lineno, colno=exc.colno, msg=exc.msg
            ),
            hint=_("save the response body exactly as the portal sent it; {hint}").format(
                hint=_(HINT)
            ),
        ) from None


def _envelope_data(body: Any, *, file: str, prefix: str) -> Any:
    if not isinstance(body, dict) or "data" not in body:
        raise portal_error(
            file,
            [_("{where}: expected the portal envelope {envelope} or the legacy list of rows")
             .format(where=prefix, envelope='{"code": "OK", "data": …}')],
        )  # fmt: skip
    if body.get("code", "OK") != "OK":
        raise portal_error(
            file,
            [
                _("{where}: the portal answered “{code}”").format(
                    where=f"{prefix}.code", code=body.get("code")
                )
            ],
        )
    data = body["data"]
    if not isinstance(data, dict):
        raise portal_error(
            file, [_("{where}: the value must be an object").format(where=f"{prefix}.data")]
        )
    return data


def _is_summary(data: dict[str, Any], url: str | None) -> bool:
    if url is not None and url.rstrip("/").endswith("service-results"):
        return True
    rows = data.get("evaluation")
    return isinstance(rows, list) and any(isinstance(r, dict) and "groupScores" in r for r in rows)


def _totals_only(data: dict[str, Any], group: str | None) -> bool:
    """Units with a total score but neither group scores nor metrics: a results drill-down."""
    units = [data.get("overview"), *(data.get("evaluation") or [])]
    units = [u for u in units if isinstance(u, dict)]
    return (
        group is None
        and bool(units)
        and any("totalScore" in u for u in units)
        and not any(u.get("metrics") or "groupScores" in u for u in units)
    )


def _totals_refusal(file: str, data: dict[str, Any]) -> UserError:
    overview = data.get("overview") if isinstance(data.get("overview"), dict) else {}
    root = str((overview or {}).get("departmentName") or "").strip()
    count = len(data.get("evaluation") or [])
    table = (
        _("the detailed results table (service-results) of {root}").format(root=root)
        if root
        else _("the detailed results table (service-results)")
    )
    return UserError(
        _(
            "{file}: the file is {table}, {count} units, with total scores only, no score by "
            "group; chiso keeps the portal's scores by group, so it does not import this "
            "file, no row was written"
        ).format(file=file, table=table, count=count),
        hint=_(
            "save the responses of the six groups ({endpoints}) for the same period and "
            "import those files (docs/portal.md)"
        ).format(endpoints=", ".join(g.endpoint for g in GROUPS.values())),
    )


def _what(shape: str, group: str | None) -> str:
    if shape == "summary":
        return _("the portal's table of the provinces' scores (service-results)")
    if shape == "legacy":
        return _("the portal's old score list (report_tinh_766_service)")
    known = GROUPS.get(group or "")
    if known is None:
        return _("a response of the portal (shape {shape})").format(shape=shape)
    return _("the portal's response for the group {code} ({label}) ({endpoint})").format(
        code=known.code, label=known.label, endpoint=known.endpoint
    )


def _rows(
    body: Any, *, file: str, prefix: str, url: str | None
) -> tuple[str, tuple[PortalRow, ...], bool]:
    if isinstance(body, list):
        return ("legacy", *legacy_rows(body, file=file, prefix=prefix))
    data = _envelope_data(body, file=file, prefix=prefix)
    inner = f"{prefix}.data"
    group = group_of_endpoint(url) if url else None
    if _totals_only(data, group):
        raise _totals_refusal(file, data)
    if _is_summary(data, url):
        return "summary", summary_rows(data, file=file, prefix=inner), True
    if "parent" in data:
        return "tree", tree_rows(data, file=file, prefix=inner, group=group), False
    if "overview" in data:
        return "metrics", metrics_rows(data, file=file, prefix=inner, group=group), False
    raise portal_error(
        file,
        [_("{where}: not a known response shape (expected overview/evaluation, "
           "parent/children or service-results groupScores)").format(where=inner)],
    )  # fmt: skip


def _excel(path: Path, sheet: str | None, captured_at: datetime | None) -> PortalResponse:
    chosen = score_sheet(path, sheet)

    def locate(i: int, column: str) -> str:
        return _("sheet {sheet} row {row} column {column}").format(
            sheet=chosen.name, row=i + 2, column=column
        )

    rows, national = legacy_rows(list(chosen.rows), file=str(path), prefix=chosen.name,
                                 locate=locate)  # fmt: skip
    what = _(
        "the sheet “{sheet}” of the portal's old Excel score table (report_tinh_766_service)"
    ).format(sheet=chosen.name)
    return PortalResponse(str(path), "legacy", None, fetched_local(captured_at), rows, national,
                          what)  # fmt: skip


def _moment(file: str, saved: datetime | None, given: datetime | None) -> datetime | None:
    if saved is not None and given is not None and fetched_local(saved) != fetched_local(given):
        raise UserError(
            _(
                "{file}: the file records the capture time {saved:%d/%m/%Y %H:%M}, "
                "--captured-at says {given:%d/%m/%Y %H:%M}"
            ).format(file=file, saved=fetched_local(saved), given=fetched_local(given)),
            hint=_(
                "leave out --captured-at (only for files that do not record capturedAt), or "
                "import the files separately"
            ),
        )
    return saved or given


def read_response(
    path: Path,
    *,
    sheet: str | None = None,
    request: Request | None = None,
    captured_at: datetime | None = None,
) -> PortalResponse:
    """Read ``path`` into rows (units not yet resolved) with its period, if recorded.

    ``request`` is the request saved in a file of its own; ``captured_at`` the capture
    time of a file that does not record one.

    Raises:
        UserError: not JSON (with line and column) nor Excel, not an accepted shape, a bad
            value, a procedure-filtered request, a drill-down with totals only; every
            message names the file, says what it is and where the problem is.
    """
    file = str(path)
    if path.is_file() and is_workbook(path):
        return _excel(path, sheet, captured_at)
    value = _load(path)
    url = payload = captured = None
    body, prefix, at = value, "$", "$.payload"
    if isinstance(value, dict) and "response" in value:
        capture = validate(Capture, value, file=file, prefix="$")
        url, payload, captured = capture.url, capture.payload, capture.capturedAt
        body, prefix = capture.response, "$.response"
    if request is not None:
        if payload is not None:
            raise UserError(
                _(
                    "{file}: the file has the request's payload already, {request} is also "
                    "its request"
                ).format(file=file, request=request.path),
                hint=_("import the file without the request file"),
            )
        url, payload, at = url or request.url, request.payload, "$"
        file_for_period = request.path
    else:
        file_for_period = file
    period = period_of_payload(payload, file=file_for_period, prefix=at) if payload else None
    shape, rows, national = _rows(body, file=file, prefix=prefix, url=url)
    moment = _moment(file, captured, captured_at)
    what = _what(shape, rows[0].group if rows and shape in ("metrics", "tree") else None)
    return PortalResponse(file, shape, period, fetched_local(moment), rows, national, what)
