"""The ratings app's steps the web tests share: a dossier to rate, its rating link and
slip, a kiosk enrolled, the canonical ratings and the audited refusals
(``tests/chiso_web/ratings``, ``units``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
from django.test import Client

from chiso_web.audit.models import AuditEntry
from web_cast import ALICE_UNIT

NOW = "2026-10-29 09:00"


def pick(folder: Path, unit: str, *, finished: bool) -> str:
    """A dossier of ``unit`` without a canonical rating, finished in October or unfinished."""
    where = (
        f"finished_at >= '2026-10-01' and finished_at <= '{NOW}'"
        if finished
        else "finished_at is null"
    )
    sql = f"""
        select dossier_code from '{folder}/dossiers/*.parquet' d
        where unit_code = ? and {where}
          and dossier_code not in (select dossier_code from '{folder}/ratings/*.parquet')
        order by dossier_code limit 1"""
    return str(duckdb.execute(sql, [unit]).fetchone()[0])


def canonical_ratings(folder: Path, code: str) -> list[tuple[Any, ...]]:
    """The data's ratings of dossier ``code``: (channel, satisfied)."""
    sql = f"select channel, satisfied from '{folder}/ratings/**/*.parquet' where dossier_code = ?"
    return duckdb.execute(sql, [code]).fetchall()


def rating_link(client: Client, code: str) -> str:
    """The rating path printed on the receipt of ``code`` (as staff sees it)."""
    doc = client.get(f"/danh-gia/ma/{code}.json").json()
    return str(doc["url"]).removeprefix("http://testserver")


def enrol(client_as: Any, unit: str = ALICE_UNIT, name: str = "Quầy số 1") -> Client:
    """A browser the administrator enrolled as a kiosk of ``unit`` (signed out after)."""
    tablet = client_as("admin")
    done = tablet.post("/danh-gia/quay/dang-ky/", {"ten": name, "don_vi": unit})
    assert done.status_code == 302 and done["Location"] == "/danh-gia/quay/"
    return tablet


def slip(client_as: Any, code: str) -> dict[str, Any]:
    """The slip of dossier ``code`` as staff print it (link and short code)."""
    return dict(client_as("alice").get(f"/danh-gia/ma/{code}.json").json())


def kiosk_form(url: str) -> str:
    """The kiosk's form path of the slip whose rating link is ``url``."""
    return "/danh-gia/quay/phieu/" + url.rstrip("/").split("/")[-1] + "/"


def refusals(reason: str) -> list[AuditEntry]:
    """The audited refusals of a rating for ``reason``."""
    return [e for e in AuditEntry.objects.filter(action="rating.refused")
            if e.details["reason"] == reason]  # fmt: skip
