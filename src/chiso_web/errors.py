"""The one JSON shape of the site's answers: ``{ok, status, error, hint, errors}``.

Every JSON twin and the push API answer with it; ``tests/chiso_web/test_error_shape.py``
pins it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse

from chiso.api import ErrorAnswer


def wants_json(request: HttpRequest) -> bool:
    """JSON twins end in ``.json``; the API lives under ``/api/``."""
    path = request.path
    return path.endswith(".json") or path.startswith("/api/")


def error_json(
    message: str,
    *,
    status: int,
    hint: str | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> JsonResponse:
    """An error answer."""
    answer = ErrorAnswer.model_validate(
        {"ok": False, "status": status, "error": message, "hint": hint, "errors": errors or []}
    )
    return JsonResponse(
        answer.dump(),
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def ok_json(data: dict[str, Any], *, status: int = 200) -> JsonResponse:
    """A successful answer: ``{"ok": true, "status": 200, ...data}``."""
    return JsonResponse(
        {"ok": True, "status": status, **data},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
