"""The wall screen's document (``/man-hinh/``): a ranking an office TV shows all day.

Built from the ranking document (:func:`chiso_web.dashboard.payloads.ranking`): per
ranking block (cơ quan chuyên môn; xã, phường) its top and bottom units with the block's
ranks (a unit's rank on the screen is its rank in its block: "hạng 36 trong khối UBND xã,
phường"), the most improved units since the previous period, and one page of the full
ranking — every unit, block after block — turning to the next page every two refreshes
(``trang=N`` holds one page).
"""

from __future__ import annotations

import math
import time
from typing import Any

from django.utils.translation import gettext

from chiso.errors import UserError

TOP = 5  # units at the top, at the bottom of each block, most improved
PAGE = 12  # units per page of the full ranking


def _ranked(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The blocks of the document, or one block of every unit (one list, a kind level)."""
    if doc["blocks"]:
        return list(doc["blocks"])
    keys = ("unit_code", "rank", "tied")
    units = [{k: r[k] for k in keys} for r in doc["units"]]
    return [{"code": "all", "label": gettext("Overall ranking"), "units": units}]


def page_of(text: str | None, pages: int, refresh_seconds: int) -> int:
    """The page asked for (``trang``, from 1), else the page of the clock's slot."""
    if text:
        try:
            number = int(text)
        except ValueError:
            number = 0
        if not 1 <= number <= pages:
            raise UserError(
                gettext("page %(page)s does not exist") % {"page": repr(text)},
                hint=gettext("choose a page from 1 to %(pages)s") % {"pages": pages},
            )
        return number
    slot = max(2 * refresh_seconds, 1)
    return int(time.time() // slot) % pages + 1


def wall(doc: dict[str, Any], page: str | None, refresh_seconds: int) -> dict[str, Any]:
    """Top and bottom units per block, the most improved, one page of every unit."""
    rows = {r["unit_code"]: r for r in doc["units"]}
    blocks, everyone = [], []
    for block in _ranked(doc):
        ranked = [
            {
                **rows[u["unit_code"]],
                "rank": u["rank"],
                "tied": u["tied"],
                "block": block["label"],
                "block_code": block["code"],
            }
            for u in block["units"]
        ]
        everyone.extend(ranked)
        scored = [r for r in ranked if r["has_data"]]
        split = len(scored) > 2 * TOP
        blocks.append(
            {
                "code": block["code"],
                "label": block["label"],
                "count": len(ranked),
                "scored": len(scored),
                "top": scored[:TOP] if split else scored,
                "bottom": scored[-TOP:] if split else [],
            }
        )
    improved = [r for r in doc["units"] if r["has_data"] and (r["change"] or 0) > 0]
    improved.sort(key=lambda r: (-r["change"], r["name"]))
    pages = max(math.ceil(len(everyone) / PAGE), 1)
    number = page_of(page, pages, refresh_seconds)
    return {
        "blocks": blocks,
        "improved": improved[:TOP],
        "page": number,
        "pages": pages,
        "page_units": everyone[(number - 1) * PAGE : number * PAGE],
        "page_start": (number - 1) * PAGE + 1,
        "page_end": min(number * PAGE, len(everyone)),
        "total": len(everyone),
    }
