"""What a new site says to its administrator: no account yet, no data yet.

``chiso serve`` with no options starts on an empty folder (``CHISO_HOME/data``); instead of
an error, the console, the sign-in page and every page that needs data say in Vietnamese
how to import data or start the demo.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy

from chiso.api import DataSource, table_files
from chiso.errors import UserError

__all__ = ["NoDataError", "has_dossiers", "has_users", "no_account_text", "no_data_text"]

DEMO = gettext_lazy("try it with sample data: make demo (or .venv/bin/chiso demo --serve)")


class NoDataError(UserError):
    """The site's data folder has no dossiers yet (a new site)."""

    def __init__(self, folder: str) -> None:
        super().__init__(no_data_text(folder), hint=None)
        self.folder = folder


def no_data_text(folder: str) -> str:
    """The sentence shown while the data folder has no dossiers."""
    return gettext(
        "No dossier data in %(folder)s yet. Import a file exported from the one-stop system on "
        "the Import data page, or on the command line: .venv/bin/chiso import dossiers FILE "
        "--into %(folder)s; or %(demo)s."
    ) % {"folder": folder, "demo": DEMO}


def no_account_text() -> str:
    """The sentence shown while the site has no account."""
    return gettext(
        "The site has no account yet. Create an administrator account: "
        ".venv/bin/python -m chiso_web createsuperuser (same CHISO_HOME); or %(demo)s."
    ) % {"demo": DEMO}


def has_dossiers(source: str) -> bool:
    """Whether a data folder holds dossiers (a database URL is taken as filled)."""
    folder = DataSource.parse(source).folder
    if folder is None:
        return True
    return folder.is_dir() and table_files(folder.resolve(), "dossiers") is not None


def has_users() -> bool:
    """Whether the site has any account."""
    from django.contrib.auth import get_user_model

    return bool(get_user_model().objects.exists())
