"""Parse JSON from outside (portal captures, push bodies) within the limits.

:func:`json.loads` accepts what later breaks a reader or a page: nesting deep enough to
exhaust the interpreter's recursion, integers of millions of digits (Python refuses to
convert those over 4,300 digits with a ``ValueError``), ``NaN`` and ``Infinity`` (not
JSON), and ``"\\ud800"`` — a lone surrogate, a string no UTF-8 encoder (database, page,
log) can write.  :func:`loads` refuses each with a Vietnamese :class:`UserError` naming
the limit of :mod:`chiso.ingest.limits`.  Malformed JSON still raises
:class:`json.JSONDecodeError`, for the caller to place (line, column).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from chiso.errors import UserError
from chiso.i18n import N_, _
from chiso.ingest.limits import MAX_JSON_DEPTH, MAX_NUMBER_DIGITS, refusal

__all__ = ["loads"]

_SURROGATE = re.compile("[\ud800-\udfff]")
_FIX = N_("send standard JSON (RFC 8259) encoded as UTF-8, as the source system exports it")


class _TooLong(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text[:20])


def _digits(convert: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        if len(text) > MAX_NUMBER_DIGITS + 2:  # a sign and a point do not count
            raise _TooLong(text)
        value = convert(text)
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(text)  # 1e999
        return value

    return parse


def _constant(name: str) -> Any:
    raise ValueError(name)


def loads(text: str | bytes, *, file: str, parse_float: Callable[[str], Any] = float) -> Any:
    """The value of ``text``; ``file`` names it in a refusal (a path, or ``nội dung gửi``).

    Raises:
        json.JSONDecodeError: not JSON.
        UserError: JSON past a limit (depth, digits, ``NaN``, a lone surrogate).
    """
    try:
        value = json.loads(
            text,
            parse_int=_digits(int),
            parse_float=_digits(parse_float),
            parse_constant=_constant,
        )
    except RecursionError:
        raise _deep(file) from None
    except _TooLong as exc:
        what = _("has a number {start}… longer than {limit} digits").format(
            start=exc.args[0], limit=MAX_NUMBER_DIGITS
        )
        limit = _("{limit} digits").format(limit=MAX_NUMBER_DIGITS)
        raise refusal(file, what, limit, _(_FIX)) from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # NaN, Infinity, -Infinity, 1e999
        what = _("has the value {value}, not a finite number").format(value=str(exc.args[0])[:20])
        raise refusal(file, what, _("finite numbers only"), _(_FIX)) from None
    _check(value, file)
    return value


def _deep(file: str) -> UserError:
    what = _("nests arrays or objects deeper than {limit} levels").format(limit=MAX_JSON_DEPTH)
    return refusal(file, what, _("{limit} levels").format(limit=MAX_JSON_DEPTH), _(_FIX))


def _check(value: Any, file: str) -> None:
    """Depth and strings, without recursion (the value may be nested hundreds deep)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                what = _("has a string with a lone half of a surrogate pair: {text}").format(
                    text=ascii(item[:20])
                )
                raise refusal(file, what, _("valid Unicode strings"), _(_FIX))
        elif isinstance(item, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise _deep(file)
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
