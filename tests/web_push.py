"""The push API's steps the web tests share: a batch of dossiers, a push with a token, a
push that must merge (``tests/chiso_web/api``, ``units``, ``ratings``)."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from chiso_web.api.tokens import create_token
from web_cast import ALICE_UNIT

PUSH = "/api/v1/dossiers"


def dossiers(unit: str, n: int, *, prefix: str = "API", late: bool = True) -> list[dict[str, Any]]:
    """``n`` dossiers of October 2026, finished (late ones two days after the due date)."""
    out = []
    for i in range(n):
        day = 1 + i % 20
        out.append(
            {
                "dossier_code": f"{prefix}-{unit}-{i:04d}",
                "unit_code": unit,
                "procedure_code": "1.005144",
                "channel": "online" if i % 2 else "direct",
                "received_at": f"2026-10-{day:02d}T08:00:00",
                "due_at": f"{day + 1:02d}/10/2026 17:00",
                "finished_at": f"2026-10-{day + (3 if late else 0):02d}T10:00:00",
                "returned_at": f"2026-10-{day + (3 if late else 0):02d}T11:00:00",
                "status": "returned",
                "fee_amount": 0,
                "synced": True,
            }
        )
    return out


def push(client: Client, secret: str | None, body: Any) -> Any:
    """POST ``body`` (JSON, or raw text as it is) with the token ``secret`` (None: none)."""
    headers = {} if secret is None else {"Authorization": f"Bearer {secret}"}
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(PUSH, raw, content_type="application/json", headers=headers)


def pushed_dossier(code: str) -> dict[str, Any]:
    """One late dossier of alice's commune, finished in October 2026."""
    return {
        "dossier_code": code,
        "unit_code": ALICE_UNIT,
        "procedure_code": "1.005144",
        "channel": "online",
        "received_at": "2026-10-05T08:00:00",
        "due_at": "2026-10-06T17:00:00",
        "finished_at": "2026-10-09T10:00:00",
        "returned_at": "2026-10-09T11:00:00",
        "status": "returned",
        "fee_amount": 0,
        "synced": True,
    }


def push_merged(codes: list[str]) -> None:
    """Push one dossier per code with a new province token; the batch merged at once."""
    secret = create_token("Một cửa", created_by="test")[1]
    body = json.dumps({"dossiers": [pushed_dossier(c) for c in codes]})
    answer = Client().post(
        "/api/v1/dossiers",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert answer.status_code == 202, answer.content
    assert answer.json()["merged"] is True
