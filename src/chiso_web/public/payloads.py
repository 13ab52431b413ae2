"""Documents of the public pages, read only from publications (never live scores).

``ranking`` serves ``/cong-khai/`` and its twin, ``unit`` the unit page, both from the
frozen snapshot of the chosen version; trends use the current version of every
published month of the index set. A unit without data in the month (``has_data``
false; missing in older snapshots means true) has no score, class or rank.

Each document is built with its contract (:mod:`chiso.contracts.public`:
``PublicRanking``, ``PublicUnitPage``, ``OpenDataCatalogue``) and dumped; the pages
render the same dictionaries the twins answer with.

The documents are cached for an hour under keys that carry :data:`RENDERING`, a hash of
the site's code and templates: a deploy that changes how documents are built or shown
never serves one built by the code it replaced.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

import chiso_web
from chiso.api import OpenDataCatalogue, PublicRanking, PublicUnitPage, __version__
from chiso_web import data
from chiso_web.public import opendata
from chiso_web.publications import state
from chiso_web.publications.models import Publication

CACHE_SECONDS = 3600
SNAPSHOT_KEYS = ("as_of", "scale", "groups", "bands", "distribution")
# what builds a document (Python) or shows it (templates, scripts reading the page's JSON)
RENDERING_FILES = frozenset({".py", ".html", ".js"})


def rendering_version(root: Path) -> str:
    """A short hash of the library's version and of the code, templates and scripts under
    ``root``: it changes with every deploy that changes one of them."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in RENDERING_FILES and path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


RENDERING = rendering_version(Path(chiso_web.__file__).parent)


def choose(request: HttpRequest) -> Publication:
    """The publication asked for by ``index_set``, ``period`` and ``version`` (404 if none).

    Defaults: the site's index set when it has publications (else the first that has),
    its latest published month and that month's current version.
    """
    get = request.GET
    code = data.index_set_id(get["index_set"]) if get.get("index_set") else None
    published = state.published_index_sets()
    if code is None:
        default = settings.CHISO["CHISO_INDEX_SET"]
        code = default if default in published or not published else published[0]
    if get.get("period"):
        period = state.month(get["period"]).code
    else:
        newest = state.latest(code)
        if newest is None:
            raise Http404(gettext("no result has been published yet"))
        period = newest.period
    return state.version(code, period, get.get("version"))


def _meta(pub: Publication) -> dict[str, Any]:
    return {
        **state.public_meta(pub),
        "index_set_name": pub.index_set_name,
        "current": pub.status == "published",
        **{key: pub.payload[key] for key in SNAPSHOT_KEYS},
    }


def _previous(months: list[Publication], period: str) -> Publication | None:
    earlier = [p for p in months if p.period < period]
    return earlier[-1] if earlier else None


def cached(kind: str, pub: Publication, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``build()`` once per version and state of the index set's publications.

    Published documents only change when something is published, so the key is the
    version's id and the newest publication id of its index set, and :data:`RENDERING`
    (documents built by the previous deploy's code are never served).
    """
    made = pub.published_at.timestamp()
    key = f"chiso-public:{RENDERING}:{kind}:{pub.pk}:{made}:{state.stamp(pub.index_set)}"
    doc: dict[str, Any] | None = cache.get(key)
    if doc is None:
        doc = build()
        cache.set(key, doc, CACHE_SECONDS)
    return doc


def ranking(pub: Publication) -> dict[str, Any]:
    """The public ranking of one version, with changes since the previous published month."""
    return cached("ranking", pub, lambda: _ranking(pub))


def _ranking(pub: Publication) -> dict[str, Any]:
    months = state.published_months(pub.index_set)
    before = _previous(months, pub.period)
    then = before.summary if before is not None else {}
    units = []
    for unit in pub.payload["units"]:
        row = {k: v for k, v in unit.items() if k != "indicators"}
        old = then.get(unit["unit_code"])
        row["previous"] = {k: old[k] for k in ("converted", "class", "rank")} if old else None
        new, prior = unit["converted"], old["converted"] if old else None
        row["change"] = round(new - prior, 2) if new is not None and prior is not None else None
        units.append(row)
    return PublicRanking.model_validate(
        {
            **_meta(pub),
            "previous_period": before.period if before is not None else None,
            "units": units,
            "blocks": opendata.blocks(units),
            "versions": state.versions(pub.index_set, pub.period),
            "months": [{"period": p.period, "period_label": p.period_label} for p in months],
            "index_sets": [_latest_of(code) for code in state.published_index_sets()],
            "trend": _trend(months),
        }
    ).dump()


def _latest_of(code: str) -> dict[str, Any]:
    pub = state.latest(code)
    assert pub is not None  # listed because it has a publication
    return {
        "index_set": code,
        "index_set_name": pub.index_set_name,
        "period": pub.period,
        "period_label": pub.period_label,
        "version": pub.version,
    }


def _trend(months: list[Publication]) -> dict[str, Any]:
    """Converted score of every unit in every published month (the trend chart)."""
    names: dict[str, str] = {}
    for pub in months:
        for code, row in pub.summary.items():
            names.setdefault(code, row["name"])
    series = {
        code: {
            "name": name,
            "converted": [(p.summary.get(code) or {}).get("converted") for p in months],
        }
        for code, name in sorted(names.items(), key=lambda item: item[1])
    }
    return {
        "periods": [p.period for p in months],
        "labels": [p.period_label for p in months],
        "units": series,
    }


def unit(pub: Publication, unit_code: str) -> dict[str, Any]:
    """One unit's published row (groups and indicators) and its published trend."""
    name = hashlib.sha256(unit_code.encode()).hexdigest()[:20]  # any text is a safe key
    return cached(f"unit:{name}", pub, lambda: _unit(pub, unit_code))


def _unit(pub: Publication, unit_code: str) -> dict[str, Any]:
    row = next((u for u in pub.payload["units"] if u["unit_code"] == unit_code), None)
    if row is None:
        raise Http404(
            gettext("unit %(code)s is not in the published results") % {"code": repr(unit_code)}
        )
    months = state.published_months(pub.index_set)
    return PublicUnitPage.model_validate(
        {
            **_meta(pub),
            "unit": row,  # snapshots before has_data: the model's default (every unit had data)
            "units_ranked": sum(1 for u in pub.payload["units"] if u["rank"] is not None),
            "versions": state.versions(pub.index_set, pub.period),
            "trend": state.trend(months, unit_code),
        }
    ).dump()


def catalogue() -> dict[str, Any]:
    """Every published version of every index set, newest month first, with the addresses
    of its CSV and JSON (the open-data page and its twin)."""
    rows = Publication.objects.defer("payload", "summary").order_by(
        "index_set", "-period", "-version"
    )
    return OpenDataCatalogue.model_validate(
        {
            "licence": opendata.LICENCE,
            "licence_url": opendata.LICENCE_URL,
            "csv_columns": [{"name": n, "meaning": m} for n, m in opendata.CSV_COLUMNS],
            "snapshots": [
                {
                    **state.public_meta(pub),
                    "index_set_name": pub.index_set_name,
                    "csv": reverse("public:csv", args=[pub.index_set, pub.period, pub.version]),
                    "json": reverse("public:index-json")
                    + "?"
                    + urlencode(
                        {
                            "index_set": pub.index_set,
                            "period": pub.period,
                            "version": str(pub.version),
                        }
                    ),
                }
                for pub in rows
            ],
        }
    ).dump()
