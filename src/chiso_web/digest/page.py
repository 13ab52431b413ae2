"""The "Bản tin tuần" page (``/ban-tin/``) and its JSON twin (``/ban-tin.json``).

An officer sees their own unit's digest (or, with ``unit``, one of their subtree); an
administrator or leader picks a unit.  The page, its twin and the e-mail render the same
:class:`chiso.contracts.digest.Digest`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext

from chiso.api import Digest
from chiso.errors import UserError
from chiso_web import data
from chiso_web.dashboard.templatetags.chiso import vn_date
from chiso_web.digest import builder
from chiso_web.errors import ok_json
from chiso_web.public.templatetags.published import vn_time
from chiso_web.units.access import get_unit_for_user, require_staff
from chiso_web.units.models import Role

#: Dossiers the e-mail lists (the page and the twin list them all).
MAILED_DOSSIERS = 10


def _moved(rank: int | None) -> str | None:
    """The rank's change in words ("lên 2 bậc"), None without a previous week."""
    if rank is None:
        return None
    if rank == 0:
        return gettext("unchanged")
    text = gettext("up %(steps)s places") if rank > 0 else gettext("down %(steps)s places")
    return text % {"steps": abs(rank)}


def context(digest: Digest) -> dict[str, Any]:
    """What the page and the e-mail show: the digest and its sentences."""
    start, end = vn_date(digest.week_start), vn_date(digest.week_end)
    moved = _moved(digest.rank_change)
    return {
        "d": digest,
        "doc": digest.dump(),
        "week_text": f"{start} – {end}",
        "as_of_text": vn_time(digest.week_end),
        "rank_moved": moved,
        "mailed_due": digest.due[:MAILED_DOSSIERS],
        "more_due": max(0, len(digest.due) - MAILED_DOSSIERS),
        "open_findings": sum(1 for f in digest.findings if not f.explained),
    }


def _units(request: HttpRequest) -> list[dict[str, str]]:
    """The units an administrator or leader may pick, by name."""
    tree = data.service().tree()
    return sorted(
        ({"unit_code": u.unit_code, "name": u.name} for u in tree),
        key=lambda u: u["name"],
    )


def digest_page(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The digest of the week ending now for the officer's unit or the unit picked."""
    access = require_staff(request)
    unit_code = request.GET.get("unit") or None
    if unit_code is None and access.role == Role.OFFICER:
        unit_code = access.unit_code
    if unit_code is None:
        if fmt == "json":
            raise UserError(
                gettext("no unit chosen"), hint=gettext("add ?unit=<unit code> to the address")
            )
        return render(request, "digest/page.html", {"units": _units(request), "picked": None})
    unit, _ = get_unit_for_user(request, unit_code)
    digest = builder.build(unit.unit_code)
    if fmt == "json":
        response = ok_json(digest.dump())
        response["Cache-Control"] = "private, max-age=0, must-revalidate"
        return response
    extra = {"units": _units(request) if access.sees_everything else [], "picked": unit.unit_code}
    extra["json_url"] = f"{reverse('digest:page-json')}?unit={unit.unit_code}"
    return render(request, "digest/page.html", {**context(digest), **extra})
