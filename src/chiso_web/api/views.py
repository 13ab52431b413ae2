"""The push API: ``POST /api/v1/dossiers``, ``GET /api/v1/dossiers/<code>``, the OpenAPI
document, and the administrator's page of tokens.

Pushed dossiers are validated by :func:`chiso.ingest.records.validate_records` (the file
importer's rules and messages), all or nothing, then stored in the inbox and merged into
the data within seconds (:mod:`chiso_web.api.inbox`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from chiso.api import (
    Accepted,
    ProcedureLookup,
    RowIssue,
    Store,
    UnitLookup,
    UnitTree,
    cell_text,
    parse_bounded_json,
    tree_of,
    validate_records,
)
from chiso.errors import UserError
from chiso_web.api import inbox
from chiso_web.api.models import ApiToken, PushedDossier
from chiso_web.api.openapi import MAX_DOSSIERS, document, in_language
from chiso_web.api.tokens import Unauthorized, authenticate, token_access
from chiso_web.audit.log import record
from chiso_web.data import service, stored_dossier
from chiso_web.errors import error_json, ok_json
from chiso_web.units.scope import Write, refusals, stored_units

MAX_BYTES = 16 * 1024 * 1024
MAX_LISTED = 1_000  # problems listed in one answer
#: Text fields of a pushed dossier stored in a column of bounded length (PostgreSQL).
MAX_LENGTHS = {
    "dossier_code": PushedDossier._meta.get_field("dossier_code").max_length or 0,
    "unit_code": PushedDossier._meta.get_field("unit_code").max_length or 0,
}
View = Callable[..., HttpResponse]


def token_required(view: View) -> View:
    """Authenticate ``Authorization: Bearer``; 401 in the one error shape otherwise."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            token = authenticate(request)
        except Unauthorized as exc:
            answer = error_json(exc.message, status=401, hint=exc.hint)
            answer["WWW-Authenticate"] = 'Bearer realm="chiso"'
            return answer
        return view(request, token, *args, **kwargs)

    return wrapper


def _lookups(store: Store) -> tuple[UnitTree, UnitLookup, ProcedureLookup]:
    procedures = store.to_pyarrow(store.table("procedures").select("procedure_code", "name"))
    codes, names = procedures["procedure_code"].to_pylist(), procedures["name"].to_pylist()
    pairs = zip(codes, names, strict=True)
    tree = tree_of(store)
    return tree, UnitLookup(tree), ProcedureLookup.of((str(c), str(n or "")) for c, n in pairs)


def _read_batch(request: HttpRequest) -> list[Any] | JsonResponse:
    """The ``dossiers`` list of the body, or the answer that refuses it."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BYTES:
        return error_json(
            gettext("the body is larger than %(mb)s MB") % {"mb": MAX_BYTES // 1024 // 1024},
            status=413,
            hint=_split_hint(),
        )
    try:
        body = parse_bounded_json(request.body.decode("utf-8"), file=gettext("the body"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return error_json(
            gettext("the body is not valid JSON (%(error)s)") % {"error": exc.__class__.__name__},
            status=400,
            hint=gettext('send {"dossiers": [{...}, ...]} encoded in UTF-8'),
        )
    except UserError as exc:  # past a limit: depth, digits, NaN, a lone surrogate
        return error_json(exc.message, status=400, hint=exc.hint)
    batch = body.get("dossiers") if isinstance(body, dict) else None
    if not isinstance(batch, list) or not batch:
        return error_json(
            gettext("no list of dossiers: the field dossiers must be a non-empty array"),
            status=400,
            hint=gettext('send {"dossiers": [{"dossier_code": "...", ...}]}'),
        )
    if len(batch) > MAX_DOSSIERS:
        return error_json(
            gettext("the batch has %(count)s dossiers, over the limit of %(limit)s")
            % {"count": len(batch), "limit": MAX_DOSSIERS},
            status=422,
            hint=_split_hint(),
        )
    return batch


def _split_hint() -> str:
    return gettext("split it into batches of at most %(limit)s dossiers") % {"limit": MAX_DOSSIERS}


def _too_long(batch: list[Any]) -> list[RowIssue]:
    """Values longer than the inbox's columns hold (``PushedDossier``), per dossier."""
    issues = []
    for row, sent in enumerate(batch, start=1):
        if not isinstance(sent, dict):
            continue
        for field, limit in MAX_LENGTHS.items():
            text = cell_text(sent.get(field)).strip()
            if len(text) > limit:
                issues.append(
                    RowIssue("API", row, field, text[:40] + "…",
                             gettext("%(length)s characters long, over the limit of %(limit)s "
                                     "characters") % {"length": len(text), "limit": limit},
                             gettext("shorten %(field)s to at most %(limit)s characters")
                             % {"field": field, "limit": limit})
                )  # fmt: skip
    return issues


def _problems(issues: list[RowIssue]) -> list[dict[str, Any]]:
    return [
        {"row": i.row, "field": i.column, "value": i.value, "reason": i.reason, "hint": i.hint}
        for i in issues[:MAX_LISTED]
    ]


def _rejected(issues: list[RowIssue], total: int) -> JsonResponse:
    bad = len({i.row for i in issues})
    message = gettext(
        "%(bad)s of %(total)s dossiers have errors; no dossier of the batch was accepted"
    ) % {"bad": bad, "total": total}
    if len(issues) > MAX_LISTED:
        message += " " + gettext("(the first %(listed)s errors listed)") % {"listed": MAX_LISTED}
    return error_json(
        message,
        status=422,
        hint=gettext(
            "fix the dossiers named (row is the place in the batch, from 1) and send the "
            "whole batch again"
        ),
        errors=_problems(issues),
    )


def _pending_units(codes: list[str]) -> dict[str, list[str]]:
    """The units of pushed dossiers not yet merged into the data (one query per chunk)."""
    out: dict[str, list[str]] = {}
    for i in range(0, len(codes), inbox.CHUNK):
        found = PushedDossier.objects.filter(
            dossier_code__in=codes[i : i + inbox.CHUNK], merged_at__isnull=True
        ).values_list("dossier_code", "unit_code")
        for code, unit in found:
            if unit:
                out.setdefault(code, []).append(unit)
    return out


def _out_of_scope(token: ApiToken, tree: UnitTree, rows: list[dict[str, Any]],
                  records: list[Any]) -> JsonResponse | None:  # fmt: skip
    """403 for a batch with a dossier whose unit sent, or stored (in the data or still in
    the inbox), is outside the token's scope (:mod:`chiso_web.units.scope`)."""
    access = token_access(token)
    position = {
        cell_text(r.get("dossier_code")).strip(): i
        for i, r in reversed(list(enumerate(records, start=1)))
        if isinstance(r, dict)
    }
    writes = [Write(r["dossier_code"], r["unit_code"], row=position.get(r["dossier_code"], 0))
              for r in rows]  # fmt: skip
    stored: dict[str, list[str]] = {}
    if access.role != "admin":
        codes = sorted({w.key for w in writes})
        stored = stored_units("dossiers", codes)
        for code, units in _pending_units(codes).items():
            stored.setdefault(code, []).extend(units)
    refused = refusals(access, tree, "dossiers", writes, stored)
    if not refused:
        return None
    whose = gettext("access token %(name)s") % {"name": repr(token.name)}
    hint = gettext("this token sends only the dossiers of unit %(unit)s and the units below it") % {
        "unit": token.unit_code
    }
    issues = [
        RowIssue("API", r.write.row, "dossier_code" if r.stored else "unit_code",
                 r.write.key if r.stored else (r.unit_code or ""),
                 r.reason("dossiers", tree, whose), hint)
        for r in refused
    ]  # fmt: skip
    return error_json(
        gettext(
            "%(count)s dossiers belong to units outside the scope of access token %(name)s; "
            "no dossier of the batch was accepted"
        )
        % {"count": len({i.row for i in issues}), "name": repr(token.name)},
        status=403,
        hint=gettext(
            "send these dossiers with the access token of the province or of their managing unit"
        ),
        errors=_problems(sorted(issues)),
    )


@csrf_exempt
@require_POST
@token_required
def push_dossiers(request: HttpRequest, token: ApiToken) -> HttpResponse:
    """Validate a batch, all or nothing; store it; merge it within seconds."""
    batch = _read_batch(request)
    if isinstance(batch, JsonResponse):
        return batch
    tree, units, procedures = service().cached(("api-lookups",), _lookups)
    table, issues = validate_records("dossiers", batch, units=units, procedures=procedures)
    issues = sorted({*issues, *_too_long(batch)}, key=lambda i: (i.row, i.column))
    if issues:
        return _rejected(issues, len(batch))
    rows = table.to_pylist()
    refused = _out_of_scope(token, tree, rows, batch)
    if refused is not None:
        return refused
    received = inbox.store_batch(rows, token.name)
    record(
        request, "api.push", f"nhận {len(rows)} hồ sơ qua API", actor=f"API: {token.name}",
        unit_code=token.unit_code, received=len(rows), new=received.new,
        changed=received.changed, unchanged=received.unchanged,
    )  # fmt: skip
    merged = inbox.kick()
    accepted = Accepted(
        ok=True,
        status=202,
        received=len(rows),
        new=received.new,
        changed=received.changed,
        unchanged=received.unchanged,
        merged=merged,
        pending=inbox.pending_count(),
    )
    return ok_json(accepted.dump(), status=202)


@require_GET
@token_required
def dossier_detail(request: HttpRequest, token: ApiToken, code: str) -> HttpResponse:
    """A dossier as the data holds it, and whether a push of it is still being merged."""
    stored = stored_dossier(code)
    pushed = PushedDossier.objects.filter(dossier_code=code).first()
    unit = (stored or {}).get("unit_code") or (pushed.unit_code if pushed else None)
    if unit is None or not token_access(token).can_see(service().tree(), unit):
        return error_json(
            gettext("no dossier %(code)s within the access token's scope") % {"code": repr(code)},
            status=404,
            hint=gettext(
                "check the dossier code; a dossier just sent is merged into the data within seconds"
            ),
        )
    state = None
    if pushed is not None:
        state = {
            "state": "merged" if pushed.merged_at else "pending",
            "received_at": pushed.received_at.isoformat(),
            "merged_at": pushed.merged_at.isoformat() if pushed.merged_at else None,
        }
    return ok_json({"dossier": stored or (pushed.payload if pushed else None), "push": state})


@require_GET
def openapi_json(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.1 document of the push API, in the caller's language."""
    doc = in_language(document(request))
    doc["info"]["title"] = gettext(doc["info"]["title"])
    return JsonResponse(doc, json_dumps_params={"ensure_ascii": False})
