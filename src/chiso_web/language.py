"""The language of each request: the site's (``CHISO_LANG``) for pages, the caller's
``Accept-Language`` for the push API (docs/web.md, "Languages"); the administrator's
token pages under ``/api/`` are pages.

The site's texts go through Django's gettext (English ids, ``src/chiso_web/locale``); the
library's messages shown in the answer (an import problem's reason and hint) through
``chiso.i18n``, switched to the same language for the request
(``chiso.api.using_language``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from chiso.api import using_language

API_PREFIX = "/api/"


@cache
def _token_pages() -> str:
    """The administrator's token pages, under ``/api/`` but pages of the site."""
    return reverse("api:tokens")


def is_api(path: str) -> bool:
    """Whether ``path`` is the push API (its endpoints and OpenAPI document)."""
    return path.startswith(API_PREFIX) and not path.startswith(_token_pages())


def _supported() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def accepted(header: str, default: str) -> str:
    """The first language of ``Accept-Language`` the site speaks (by ``q``), else
    ``default``: ``en-US,en;q=0.9`` → ``en``; ``fr`` → ``default``."""
    supported = _supported()
    ranked: list[tuple[float, int, str]] = []
    for place, part in enumerate(header.split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        base = tag.strip().replace("_", "-").split("-")[0].lower()
        if quality > 0 and base in supported:
            ranked.append((-quality, place, base))
    return min(ranked)[2] if ranked else default


class LanguageMiddleware:
    """Activate the request's language for Django and the library; on the API, say which
    (``Content-Language``) and that the answer depends on ``Accept-Language`` (``Vary``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = is_api(request.path)
        lang = str(settings.LANGUAGE_CODE)
        if api:
            lang = accepted(request.headers.get("Accept-Language", ""), lang)
        request.LANGUAGE_CODE = lang
        with translation.override(lang), using_language(lang):
            response = self.get_response(request)
        if api:
            response.headers["Content-Language"] = lang
            patch_vary_headers(response, ("Accept-Language",))
        return response
