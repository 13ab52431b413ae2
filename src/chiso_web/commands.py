"""The base of the site's management commands: ``--help`` in the site's language.

A command's ``help``, its arguments' help and every line it prints or raises go through
Django's gettext with English ids (docs/web.md, "Languages"); a command runs in the
site's language (``CHISO_LANG``), which Django's ``get_language()`` falls back to when
no request activated another.  :class:`SiteCommand` also translates what Django and
argparse write themselves in ``--help``: the heading "usage:", the "options" group and
the help of the options every command has (``--verbosity``, ``--settings`` …), and
argparse's errors (a missing option, an unknown one, a bad value).
"""

from __future__ import annotations

import re
import sys
from argparse import Action
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    DjangoHelpFormatter,
)
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, gettext_noop

#: The help of the options Django adds to every command, by their destination.
BASE_HELP: dict[str, Promise] = {
    "help": gettext_lazy("Show this help message and exit."),
    "version": gettext_lazy("Show the program's version number and exit."),
    "verbosity": gettext_lazy(
        "How much to print: 0 = minimal, 1 = normal, 2 = verbose, 3 = very verbose."
    ),
    "settings": gettext_lazy(
        "The Python path of a settings module (default: the DJANGO_SETTINGS_MODULE "
        "environment variable)."
    ),
    "pythonpath": gettext_lazy("A folder to add to the Python path."),
    "traceback": gettext_lazy("Print the full stack trace when the command fails."),
    "no_color": gettext_lazy("Do not colour the command's output."),
    "force_color": gettext_lazy("Colour the command's output even outside a terminal."),
    "skip_checks": gettext_lazy("Skip Django's system checks."),
}

#: The placeholders of the common options that take a value.
BASE_METAVAR: dict[str, Promise] = {
    "settings": gettext_lazy("MODULE"),
    "pythonpath": gettext_lazy("FOLDER"),
}


#: argparse's own errors (worded by Python's catalogue, in English), by their English
#: shape, with the site's wording: a missing ``--name``, an unknown option, a bad value.
ARGPARSE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"the following arguments are required: (?P<names>.+)"),
        gettext_noop("these options are required: %(names)s"),
    ),
    (
        re.compile(r"unrecognized arguments: (?P<names>.+)"),
        gettext_noop("unknown arguments: %(names)s"),
    ),
    (
        re.compile(r"argument (?P<name>\S+): expected one argument"),
        gettext_noop("option %(name)s needs a value"),
    ),
    (
        re.compile(r"argument (?P<name>\S+): invalid \w+ value: (?P<value>.+)"),
        gettext_noop("option %(name)s: %(value)s is not a valid value"),
    ),
    (
        re.compile(
            r"argument (?P<name>\S+): invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)"
        ),
        gettext_noop("option %(name)s: %(value)s is not one of %(choices)s"),
    ),
)


def translated_error(message: str) -> str:
    """An argparse error in the site's language (one it does not know: as it is)."""
    for pattern, text in ARGPARSE_ERRORS:
        found = pattern.fullmatch(message)
        if found:
            return gettext(text) % found.groupdict()
    return message


def _error(parser: CommandParser, message: str) -> NoReturn:
    """Django's ``CommandParser.error`` with the site's words: on the command line the
    usage and "prog: lỗi: …" (exit 2), from ``call_command`` a ``CommandError``."""
    text = translated_error(message)
    if parser.called_from_command_line:
        parser.print_usage(sys.stderr)
        parser.exit(
            2,
            gettext("%(prog)s: error: %(message)s") % {"prog": parser.prog, "message": text} + "\n",
        )
    raise CommandError(gettext("Error: %(message)s") % {"message": text})


class SiteHelpFormatter(DjangoHelpFormatter):
    """Django's formatter with the heading "usage:" in the site's language."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[Action],
        groups: Iterable[Any],
        prefix: str | None = None,
    ) -> None:
        """The usage line, headed in the site's language."""
        super().add_usage(usage, actions, groups, gettext("usage: ") if prefix is None else prefix)


class SiteCommand(BaseCommand):
    """A management command of the site whose ``--help`` reads in the site's language.

    Subclasses mark ``help``, their arguments' help and placeholders with
    ``gettext_noop`` (English ids, plain strings for argparse); they and the rest of
    ``--help`` are translated here, when the parser is made."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        """Django's parser, its headings and the common options' help translated."""
        kwargs.setdefault("formatter_class", SiteHelpFormatter)
        if Path(prog_name).name == "__main__.py":  # python -m chiso_web
            prog_name = "python -m chiso_web"
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        if parser.description is not None:
            parser.description = gettext(parser.description)
        for action in parser._actions:
            if action.dest in BASE_HELP:
                action.help = str(BASE_HELP[action.dest])
            elif action.help is not None:
                action.help = gettext(action.help)
            if action.dest in BASE_METAVAR:
                action.metavar = str(BASE_METAVAR[action.dest])
            elif isinstance(action.metavar, str):
                action.metavar = gettext(action.metavar)
        parser.error = partial(_error, parser)  # type: ignore[method-assign]
        for group in parser._action_groups:
            if group.title == "options":
                group.title = gettext("options")
            elif group.title == "positional arguments":
                group.title = gettext("positional arguments")
        return parser
