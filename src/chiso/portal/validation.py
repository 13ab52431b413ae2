"""Pydantic at the edge: validate a JSON value, turn the first errors into one sentence.

Every message names the file and the JSON path (``$.data.evaluation[3].totalScore``) of
each problem, so that a user can open the saved response at the right place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from chiso.errors import UserError
from chiso.i18n import N_, _

__all__ = ["json_path", "portal_error", "validate"]

M = TypeVar("M", bound=BaseModel)
SHOWN = 5
HINT = N_("the accepted response shapes are described in docs/portal.md")

# pydantic error type → sentence (conventions §2.7: one table, no raw pydantic wording).
_SENTENCES = {
    "missing": N_("the field is missing"),
    "decimal_parsing": N_("the value must be a number"),
    "decimal_type": N_("the value must be a number"),
    "string_type": N_("the value must be text"),
    "dict_type": N_("the value must be an object"),
    "model_type": N_("the value must be an object"),
    "list_type": N_("the value must be a list"),
    "int_parsing": N_("the value must be a whole number"),
    "int_type": N_("the value must be a whole number"),
    "literal_error": N_("the value is not one of the allowed choices"),
    "greater_than_equal": N_("the value must not be negative"),
    "datetime_parsing": N_("the value must be a date and time like 2026-10-05T02:00:00+07:00"),
    "datetime_from_date_parsing": N_("the value must be a date and time"),
    "value_error": "",
}


def json_path(prefix: str, loc: Sequence[int | str]) -> str:
    """A JSON path: ``json_path("$.data", ("evaluation", 3, "totalScore"))``.

    Examples:
        >>> json_path("$.data", ("evaluation", 3, "totalScore"))
        '$.data.evaluation[3].totalScore'
    """
    out = prefix
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def portal_error(file: str, problems: Sequence[str], *, hint: str = HINT) -> UserError:
    """One error naming the file and (up to :data:`SHOWN`) problems with their paths."""
    more = _("; … and {count} more").format(count=len(problems) - SHOWN)
    more = more if len(problems) > SHOWN else ""
    return UserError(
        _("{file}: {count} problem(s), nothing imported: {names}{more}").format(
            file=file, count=len(problems), names="; ".join(problems[:SHOWN]), more=more
        ),
        hint=_(hint),
    )


def validate(model: type[M], data: Any, *, file: str, prefix: str) -> M:
    """Validate ``data`` (found at JSON path ``prefix`` of ``file``) as ``model``."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = [p for p in err["loc"] if not (isinstance(p, str) and p[:1].isupper())]
            sentence = _(_SENTENCES.get(err["type"], "")) or err["msg"]
            if err["type"] == "value_error":
                sentence = str(err.get("ctx", {}).get("error", err["msg"]))
            problems.append(f"{json_path(prefix, loc)}: {sentence}")
        raise portal_error(file, problems) from None
