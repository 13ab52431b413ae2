"""The library's message catalogue: ``_()``/``ngettext`` over gettext (docs/adr/0008).

Message ids are English; the ``vi`` catalogue (``chiso/locale/vi/LC_MESSAGES/chiso.mo``,
compiled by ``make i18n`` and committed) is the default.  The language is, in order: the
one set by :func:`using` (a request's ``Accept-Language``), ``CHISO_LANG``, else ``vi``;
``en`` gives the ids themselves.  :func:`N_` marks a string built at import time for
extraction; translate it with ``_()`` where it is shown.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

__all__ = ["DEFAULT", "LANGUAGES", "N_", "_", "language", "ngettext", "using"]

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "chiso"
DEFAULT = "vi"
#: The languages a person may ask for: ``vi`` (the catalogue) and ``en`` (the ids).
LANGUAGES = ("vi", "en")

_chosen: ContextVar[str | None] = ContextVar("chiso_lang", default=None)


def _normal(tag: str | None) -> str | None:
    """``vi``, ``en`` or None from a tag such as ``en_US.UTF-8`` or ``vi-VN``."""
    if not tag:
        return None
    base = tag.strip().replace("-", "_").split("_")[0].split(".")[0].lower()
    return base if base in LANGUAGES else None


def language() -> str:
    """The language messages are shown in now."""
    return _chosen.get() or _normal(os.environ.get("CHISO_LANG")) or DEFAULT


@contextmanager
def using(tag: str | None) -> Iterator[str]:
    """Show messages in ``tag`` (``vi``, ``en``, ``en-US``…; unknown: unchanged) within."""
    token = _chosen.set(_normal(tag) or _chosen.get())
    try:
        yield language()
    finally:
        _chosen.reset(token)


@cache
def _translations(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, [lang])


def _(message: str) -> str:
    """``message`` (an English id) in the current language."""
    return _translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the current language."""
    return _translations(language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it (import time)."""
    return message
