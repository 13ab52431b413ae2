"""Find a dossier to rate and record a rating: site database first, then canonical data.

Rules (``docs/web-ratings.md``):

* a dossier can be rated once it is finished (``finished_at`` set and not in the future —
  a result returned, a rejection or a withdrawal all end the handling);
* one rating per dossier: a second one is refused when the site already holds a rating
  for it *or* the canonical ``ratings`` table already has one (paper forms, imports);
* the canonical row (``dossier_code, rated_at, channel, satisfied``) is written through
  :func:`chiso_web.data.write_rows` in the same database transaction as the site's
  :class:`Rating`, so the score cache is invalidated at once and a failed write leaves
  nothing behind; each such write adds a Parquet part to a data folder's ``ratings/``,
  merged with the others once more than ``CHISO_COMPACT_PARTS`` are small
  (:func:`chiso_web.data.compact_parts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from chiso.api import Store, Survey, survey_for
from chiso_web import data
from chiso_web.ratings.models import Kiosk, Rating, RatingToken


class AlreadyRated(Exception):
    """The dossier has a rating already."""


@dataclass(frozen=True)
class Dossier:
    """What the rating form needs to know about a dossier (no personal data)."""

    dossier_code: str
    unit_code: str
    unit_name: str
    procedure_code: str
    procedure_name: str
    finished_at: datetime | None
    rated_in_data: bool

    def finished(self, now: datetime) -> bool:
        """Whether the handling ended by ``now``."""
        return self.finished_at is not None and self.finished_at <= now

    def rated(self) -> bool:
        """Whether the dossier already has a rating (site or canonical data)."""
        return self.rated_in_data or Rating.objects.filter(dossier_code=self.dossier_code).exists()


def _rows(store: Store, table: str, column: str, value: str, columns: list[str]) -> list[Any]:
    t = store.table(table)
    expr = t.filter(t[column] == value).select(*columns).limit(1)
    return list(store.to_pyarrow(expr).to_pylist())


def _find(store: Store, code: str) -> dict[str, Any] | None:
    found = _rows(
        store, "dossiers", "dossier_code", code, ["unit_code", "procedure_code", "finished_at"]
    )
    if not found:
        return None
    row = dict(found[0])
    names = _rows(store, "procedures", "procedure_code", row["procedure_code"], ["name"])
    row["procedure_name"] = names[0]["name"] if names else row["procedure_code"]
    row["rated"] = bool(_rows(store, "ratings", "dossier_code", code, ["dossier_code"]))
    return row


def find_dossier(code: str) -> Dossier | None:
    """The dossier ``code`` in the site's data, or None."""
    code = code.strip()
    if not code or len(code) > 128:
        return None
    service = data.service()
    row = service.query(lambda store: _find(store, code))
    if row is None:
        return None
    tree = service.tree()
    unit = row["unit_code"]
    return Dossier(
        dossier_code=code,
        unit_code=unit,
        unit_name=tree.get(unit).name if unit in tree else unit,
        procedure_code=row["procedure_code"],
        procedure_name=row["procedure_name"] or row["procedure_code"],
        finished_at=row["finished_at"],
        rated_in_data=row["rated"],
    )


def current_survey() -> Survey:
    """The survey of the site's default index set."""
    return survey_for(data.index_set().id)


def record_rating(
    dossier: Dossier,
    survey: Survey,
    answers: dict[str, str],
    channel: str,
    device: Kiosk | None = None,
) -> Rating:
    """Store the rating with its channel and kiosk (None: the citizen's phone) and write
    its canonical row (all or nothing).

    Raises:
        AlreadyRated: the dossier was rated before (by any channel).
    """
    if dossier.rated_in_data:
        raise AlreadyRated(dossier.dossier_code)
    now = data.now()
    satisfied = survey.satisfied(answers)
    with transaction.atomic():
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    dossier_code=dossier.dossier_code,
                    unit_code=dossier.unit_code,
                    channel=channel,
                    device=device,
                    survey=survey.code,
                    answers=answers,
                    satisfied=satisfied,
                    rated_at=timezone.make_aware(now),
                )
        except IntegrityError:
            raise AlreadyRated(dossier.dossier_code) from None
        RatingToken.objects.filter(dossier_code=dossier.dossier_code).update(
            used_at=rating.rated_at
        )
        row = {"dossier_code": dossier.dossier_code, "rated_at": now}
        data.write_rows("ratings", [{**row, "channel": channel, "satisfied": satisfied}])
    data.compact_parts("ratings")  # each rating adds a part (committed: failures only logged)
    return rating
