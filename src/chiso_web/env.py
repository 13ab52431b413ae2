"""Settings from environment variables, declared once and checked strictly at start.

Every setting is a row of :data:`SETTINGS` with its parser and help text; a bad value
stops the site with one sentence naming the variable and what it accepts
(``ImproperlyConfigured``).  ``docs/web.md`` lists the table (a test keeps it in sync).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

from chiso.api import (
    CUBES_VARIABLE,
    ENGINE_VARIABLES,
    POSTGRES_URL_VARIABLE,
    ClockError,
    parse_instant,
    private_file,
    private_folder,
)
from chiso_web.proxy import Network, parse_networks

TRUE = {"1", "true", "yes", "on"}
LANGUAGES = ("vi", "en")  # the site's languages (settings.LANGUAGES), as chiso.i18n's
FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Setting:
    """One environment variable: name, default (text), parser and help."""

    name: str
    default: str | None
    parse: Callable[[str, str], Any]
    help: str


def envbool(name: str, text: str) -> bool:
    """``1/true/yes/on`` or ``0/false/no/off``."""
    low = text.strip().lower()
    if low in TRUE:
        return True
    if low in FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={text!r} is not a yes/no value; use 1 or 0")


def envint(name: str, text: str) -> int:
    """A positive integer."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 1:
        raise ImproperlyConfigured(f"{name}={text!r} is not a positive whole number")
    return value


def _within(name: str, text: str, low: int, high: int, what: str) -> int:
    value = int(text) if text.strip().isdigit() else -1
    if not low <= value <= high:
        raise ImproperlyConfigured(f"{name}={text!r} is not {what} ({low} to {high})")
    return value


def envweekday(name: str, text: str) -> int:
    """A day of the week: 1 Monday … 7 Sunday."""
    return _within(name, text, 1, 7, "a day of the week")


def envhour(name: str, text: str) -> int:
    """An hour of the day, 0 to 23."""
    return _within(name, text, 0, 23, "an hour")


def envlist(name: str, text: str) -> list[str]:
    """A comma-separated list."""
    return [item.strip() for item in text.split(",") if item.strip()]


def envnetworks(name: str, text: str) -> list[Network]:
    """Comma-separated addresses or networks (``127.0.0.1,10.0.0.0/8``)."""
    try:
        return parse_networks(envlist(name, text))
    except ValueError as err:
        raise ImproperlyConfigured(
            f"{name}: {err} is not an IP address or network; use e.g. 127.0.0.1 or 10.0.0.0/8"
        ) from None


def envlang(name: str, text: str) -> str:
    """A language of the site: ``vi`` or ``en`` (``en_US.UTF-8``, ``vi-VN``… read as such)."""
    base = text.strip().replace("-", "_").split("_")[0].split(".")[0].lower()
    if base not in LANGUAGES:
        raise ImproperlyConfigured(f"{name}={text!r} is not a language of the site; use vi or en")
    return base


def envtext(name: str, text: str) -> str:
    """Any text."""
    return text


def envpath(name: str, text: str) -> Path:
    """A file-system path (``~`` expanded, made absolute)."""
    return Path(text).expanduser().resolve()


def envclock(name: str, text: str) -> datetime | None:
    """An ISO local time (``2026-10-29T09:00``, read by the library's clock) or empty for
    the real clock."""
    if not text.strip():
        return None
    try:
        return parse_instant(text, name=name)
    except ClockError as err:
        raise ImproperlyConfigured(f"{err.message}; {err.hint}") from None


# The site's threads (requests, the job worker, the push flusher) share one SQLite file.
# A transaction takes the write lock when it begins (IMMEDIATE) and waits for it up to 20 s,
# so two transactions that read then write queue instead of one failing at once with
# "database is locked".  The journal stays SQLite's default (rollback): in WAL mode, on the
# SQLite 3.40 of Debian 12, 48 parallel sign-ins on a loaded machine read "database disk
# image is malformed" 78 times (docs/web.md, "The site database").
SQLITE_OPTIONS: dict[str, Any] = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def database(name: str, text: str) -> dict[str, Any]:
    """``sqlite:///path`` or ``postgresql://user:password@host:port/name``."""
    url = urlparse(text)
    if url.scheme == "sqlite":
        path = unquote(url.path) or ""
        if not path or path == "/":
            raise ImproperlyConfigured(f"{name}={text!r} names no file; use sqlite:///path/site.db")
        # connections kept (per thread) for a minute: opening one per request cost ~10 %
        # of a cached ranking request
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    if url.scheme in ("postgres", "postgresql"):
        if not url.path.strip("/"):
            raise ImproperlyConfigured(f"{name}={text!r} names no database; add /name at the end")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(url.path.strip("/")),
            "USER": unquote(url.username or ""),
            "PASSWORD": unquote(url.password or ""),
            "HOST": url.hostname or "",
            "PORT": str(url.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(
        f"{name}={text!r} is not a database URL; use sqlite:///path or postgresql://host/name"
    )


SETTINGS: tuple[Setting, ...] = (
    Setting("CHISO_HOME", ".chiso-web", envpath, "folder for the site database, secret, jobs"),
    Setting("CHISO_DATA", "", envtext, "canonical data: a folder, duckdb:///file or postgresql://"),
    Setting("CHISO_PORT", "8000", envint, "port `chiso serve` listens on (its --port)"),
    Setting("CHISO_DATABASE_URL", "", envtext, "site database; default sqlite in CHISO_HOME"),
    Setting("CHISO_SECRET_KEY", "", envtext, "signing key (or CHISO_SECRET_KEY_FILE)"),
    Setting("CHISO_DEBUG", "0", envbool, "Django debug pages; never in production"),
    Setting("CHISO_ALLOWED_HOSTS", "127.0.0.1,localhost", envlist, "host names served"),
    Setting("CHISO_HTTPS", "0", envbool, "behind HTTPS: secure cookies, HSTS, redirect"),
    Setting("CHISO_TRUSTED_PROXIES", "", envnetworks, "proxies whose X-Forwarded-* are believed"),
    Setting("CHISO_INDEX_SET", "dienbien-459-2023", envtext, "index set shown by default"),
    Setting("CHISO_NOW", "", envclock, "fixed local clock for demos and tests; empty = real"),
    Setting("CHISO_LOGIN_ATTEMPTS", "10", envint, "failed logins per client per 15 minutes"),
    Setting("CHISO_RATING_LIMIT", "20", envint, "rating submissions per client per hour"),
    Setting("CHISO_KIOSK_LIMIT", "10", envint, "ratings per counter kiosk per 10 minutes"),
    Setting("CHISO_RATING_DAYS", "90", envint, "a printed rating slip works this many days"),
    Setting("CHISO_REFRESH_SECONDS", "5", envint, "live pages poll the scores this often"),
    Setting("CHISO_WORKER", "1", envbool, "run the job loop (reports, imports) in the site"),
    Setting("CHISO_WORKER_MEMORY_MB", "2048", envint, "memory limit of a file-reading job"),
    Setting("CHISO_COMPACT_PARTS", "64", envint, "merge small dossier/rating parts above this"),
    Setting("CHISO_REPORT_DAYS", "30", envint, "delete report files after this many days"),
    Setting("CHISO_UPLOAD_DAYS", "7", envint, "delete unconfirmed uploads after this many days"),
    Setting("CHISO_DIGEST_WEEKDAY", "1", envweekday, "weekly digest day: 1 Monday … 7 Sunday"),
    Setting("CHISO_DIGEST_HOUR", "7", envhour, "weekly digest hour (local time, 0-23)"),
    Setting("CHISO_SITE_URL", "", envtext, "the site's address, for links in e-mails"),
    Setting("CHISO_MAIL_FROM", "chiso@localhost", envtext, "sender of the site's e-mails"),
    Setting("CHISO_SMTP_HOST", "", envtext, "SMTP server; empty: e-mails printed to the log"),
    Setting("CHISO_SMTP_PORT", "587", envint, "SMTP port"),
    Setting("CHISO_SMTP_USER", "", envtext, "SMTP user name"),
    Setting("CHISO_SMTP_PASSWORD", "", envtext, "SMTP password (or CHISO_SMTP_PASSWORD_FILE)"),
    Setting("CHISO_SMTP_TLS", "1", envbool, "SMTP with STARTTLS"),
    Setting("CHISO_LANG", "vi", envlang, "language of the pages and messages: vi or en"),
)


def _raw(setting: Setting, environ: dict[str, str]) -> str | None:
    value = environ.get(setting.name)
    file_name = environ.get(f"{setting.name}_FILE")
    if value is None and file_name:
        try:
            value = Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as err:
            raise ImproperlyConfigured(
                f"{setting.name}_FILE={file_name!r} cannot be read: {err.strerror}"
            ) from None
    return value if value is not None else setting.default


def load(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Parse every declared setting; unknown ``CHISO_*`` names are errors (typos)."""
    env = dict(os.environ if environ is None else environ)
    known = {s.name for s in SETTINGS} | {f"{s.name}_FILE" for s in SETTINGS}
    known.add(POSTGRES_URL_VARIABLE)  # the library's own: chiso score --backend postgres
    known.add(CUBES_VARIABLE)  # the library's own: stored partial aggregates off
    known.update(ENGINE_VARIABLES)  # the library's own: PostgreSQL work memory, Spark master
    unknown = sorted(k for k in env if k.startswith("CHISO_") and k not in known)
    if unknown:
        raise ImproperlyConfigured(
            f"unknown setting {unknown[0]}; the settings are listed in docs/web.md"
        )
    out: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = _raw(setting, env)
        out[setting.name] = setting.parse(setting.name, raw or "")
    home: Path = out["CHISO_HOME"]
    out["CHISO_DATABASE"] = database(
        "CHISO_DATABASE_URL", out["CHISO_DATABASE_URL"] or f"sqlite:///{home / 'site.sqlite3'}"
    )
    out["CHISO_DATA"] = out["CHISO_DATA"] or str(home / "data")
    out["CHISO_SECRET_KEY"] = out["CHISO_SECRET_KEY"] or _secret_in(home)
    return out


def _secret_in(home: Path) -> str:
    """The key kept in ``CHISO_HOME/secret_key``, created on first start."""
    path = home / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    try:
        if not home.exists():
            private_folder(home)
        key = secrets.token_urlsafe(50)
        private_file(path).write_text(key, encoding="utf-8")
    except OSError as err:
        raise ImproperlyConfigured(
            f"no CHISO_SECRET_KEY and {path} cannot be written ({err.strerror}); "
            "set CHISO_SECRET_KEY or CHISO_SECRET_KEY_FILE"
        ) from None
    return key
