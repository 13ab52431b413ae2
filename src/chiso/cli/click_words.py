"""click's own words — usage errors, parameter checks — in the catalogue's language.

click marks its messages for gettext (``from gettext import gettext as _`` in each of its
modules), but looks them up in the process-wide GNU domain by the environment's locale,
while chiso chooses its language by ``CHISO_LANG`` (``chiso.i18n``).  There is no hook to
hand click a translator, so :func:`speak_the_catalogue_language` rebinds the ``_`` and
``ngettext`` names of click's modules to the library's catalogue, once, when the command
line is built (``chiso.cli``).  The ids below are click's own (8.x), listed for the
catalogue's extraction; ``tests/chiso/cli/test_click_words.py`` compares them with what
the installed click marks, so an upgrade that adds a message fails the test instead of
printing English.
"""

from __future__ import annotations

import importlib

from chiso.api import N_, _, ngettext

__all__ = ["CLICK_MODULES", "NOT_SHOWN", "speak_the_catalogue_language"]

#: click's modules whose messages a person can read when they are shown.  Not
#: ``click.decorators``: its texts (the ``--help`` and ``--version`` options' help) are
#: taken when a command is defined, and translated where the help is shown
#: (``chiso.cli.common.HelpFormatter``, ids in ``help_texts.py``).
CLICK_MODULES = ("click.core", "click.exceptions", "click.parser", "click.types")

#: click's messages of a program's own mistakes (raised while the commands are defined,
#: never shown to a user of a working program): left in English.
NOT_SHOWN = frozenset(
    {
        "Name '{name}' defined twice",
        "Boolean option {decl!r} cannot use the same flag for true/false.",
        "Could not determine name for option with declarations {decls!r}",
        "Arguments take exactly one parameter declaration, got {length}: {decls}.",
        "Value must be an iterable.",
        "Choice({choices})",
        "Invalid start character for option ({option})",
        "No options defined but a name was passed ({name}). Did you mean to declare an"
        " argument instead? Did you mean to pass '--{name}'?",
    }
)

CLICK_TEXTS = (
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("unknown error"),
    N_("Could not open file {filename!r}: {message}"),
    N_("Argument {name!r} takes {nargs} values."),
    N_("Option {name!r} does not take a value."),
    N_("Aborted!"),
    N_("deprecated"),
    N_("Options"),
    N_("Positional arguments"),
    N_("DeprecationWarning: The command {name!r} is deprecated.{extra_message}"),
    N_("Commands"),
    N_("Missing command."),
    N_("DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}"),
    N_("env var: {var}"),
    N_("default: {default}"),
    N_("required"),
    N_("(dynamic)"),
    N_("Choose from:\n\t{choices}"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{value!r} is not a valid UUID."),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("{name} {filename!r} is not executable."),
)


def _plurals() -> None:  # pragma: no cover - never called: click's plural messages, marked
    """click's plural messages (singular, plural), written out for the extraction."""
    ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1)
    ngettext(
        "Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", 1
    )
    ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 1)
    ngettext(
        "Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given.", 1
    )
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 1)
    ngettext(
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
        1,
    )
    ngettext(
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
        1,
    )


def speak_the_catalogue_language() -> None:
    """Let click's modules translate through the library's catalogue (``CHISO_LANG``)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
