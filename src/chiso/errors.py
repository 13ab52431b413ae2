"""The one error hierarchy of chiso.

Every error a user can cause is a :class:`UserError` (one sentence plus a hint,
never a traceback).  Index-set problems are collected as :class:`SpecError`,
which carries every issue found, each with file and line.  Engine failures
that are not the user's fault are :class:`BackendError` or
:class:`InternalError`.  Each edge (CLI, web) translates these once.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chiso.spec.issues import Issue


def _(message: str) -> str:
    """``message`` in the current language (:func:`chiso.i18n._`, looked up at call time:
    the edges import this module, and the contract ``edges-use-the-facade`` keeps
    ``chiso.i18n`` out of their import graph, as :mod:`chiso.api` does for the library)."""
    translate: Callable[[str], str] = importlib.import_module("chiso.i18n")._
    return translate(message)


class ChisoError(Exception):
    """Base of every error chiso raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n" + _("Hint: {hint}").format(hint=self.hint)
        return self.message


class UserError(ChisoError):
    """A mistake in the user's input: bad argument, file, period or data row."""

    exit_code = 2


class SpecError(UserError):
    """An index-set definition has one or more problems."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = list(issues)
        errors = [i for i in self.issues if i.level == "error"]
        first = errors[0] if errors else self.issues[0]
        super().__init__(
            _("{count} problem(s) in the index set; first: {first}").format(
                count=len(errors), first=first.render()
            ),
            hint=_("run `chiso validate FILE` to see every problem with its line"),
        )


class BackendError(ChisoError):
    """A database engine could not be reached or refused a query."""

    exit_code = 3


class InternalError(ChisoError):
    """A bug in chiso; shown with a traceback and logged."""

    exit_code = 70
