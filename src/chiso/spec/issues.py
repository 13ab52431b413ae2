"""Problems found in an index-set definition, each with file, line and hint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    """One problem in an index-set file.

    Attributes:
        level: ``error`` stops the index set from loading; ``warning`` does not.
        code: stable machine-readable identifier, e.g. ``unknown-column``.
        message: one English sentence.
        file: path of the YAML file, if known.
        line: 1-based line in that file, if known.
        hint: how to fix it.
    """

    level: Level
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    hint: str | None = None

    def render(self) -> str:
        """Return ``file:line: level [code] message (hint: ...)``."""
        where = self.file or "<index set>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        text = f"{where}: {self.level} [{self.code}] {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text
