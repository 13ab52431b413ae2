"""A request and its response saved as two files: find the pairs among the files given.

Browsers' developer tools and simple scripts save the request body and the response
body apart ("transparency-request.json" and "transparency-response.json", or
"transparency.payload.json" and "transparency.json").  A file is a *request* when it is
a JSON object without ``data``, ``code`` or ``response`` and with the request fields that
say a period or scope (``timeType``, ``year``, ``params``, ``fromDate``,
``rootDepartmentId``…), alone or as ``{"url", "payload"}``.  A request is paired with
the one other file whose name is the same once the words request/req/payload and
response/resp/res are dropped; a request without its response is refused, saying what
it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chiso.errors import UserError
from chiso.i18n import _

__all__ = ["Request", "pair_requests"]

_REQUEST_FIELDS = {
    "timeType", "year", "month", "quarter", "fromDate", "toDate", "params",
    "rootDepartmentId", "departmentType", "formalityId", "formalityID",
}  # fmt: skip
_ROLE_WORDS = re.compile(r"(?:^|[-_. ])(?:request|req|payload|response|resp|res|body)(?=$|[-_. ])")


@dataclass(frozen=True)
class Request:
    """A request saved on its own: its file, endpoint (when saved) and payload."""

    path: str
    url: str | None
    payload: dict[str, Any]


def _as_request(path: Path) -> Request | None:
    if path.suffix.lower() != ".json" or not path.is_file():
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(value, dict) or {"data", "code", "response"} & set(value):
        return None
    payload = value.get("payload", value)
    url = value.get("url") if isinstance(value.get("url"), str) else None
    if isinstance(payload, dict) and _REQUEST_FIELDS & set(payload):
        return Request(str(path), url, payload)
    return None


def _stem(path: Path) -> str:
    name = path.name.removesuffix(path.suffix)
    return str(path.parent / _ROLE_WORDS.sub("", name).strip("-_. "))


def pair_requests(paths: Sequence[Path]) -> list[tuple[Path, Request | None]]:
    """Each response file with its request file, if one was given; requests alone refused.

    Raises:
        UserError: a request file with no response file of the same name among ``paths``,
            or with several.
    """
    requests = {p: r for p in paths if (r := _as_request(p)) is not None}
    responses = [p for p in paths if p not in requests]
    paired: dict[Path, Request] = {}
    for path, request in requests.items():
        mates = [p for p in responses if _stem(p) == _stem(path)]
        if len(mates) != 1 or mates[0] in paired:
            found = _("no response file of the same name") if not mates else (
                _("{count} files of the same name: {files}").format(
                    count=len(mates), files=", ".join(map(str, mates))
                )
            )  # fmt: skip
            raise UserError(
                _(
                    "{path}: the file is a request sent to the portal (payload), it holds no "
                    "scores; {found}"
                ).format(path=path, found=found),
                hint=_(
                    "name the two files like transparency-request.json and "
                    "transparency-response.json and import both, or save one capture file "
                    '{{"url", "payload", "capturedAt", "response"}} (docs/portal.md)'
                ),
            )
        paired[mates[0]] = request
    return [(p, paired.get(p)) for p in responses]
