"""What every rule needs: the file name and a path → line lookup."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chiso.spec.issues import Issue, Level

LineOf = Callable[[tuple[str | int, ...]], int | None]


@dataclass(frozen=True)
class Context:
    """File and line lookup shared by the rules."""

    file: str
    line_of: LineOf

    def issue(
        self,
        code: str,
        message: str,
        path: tuple[str | int, ...],
        *,
        hint: str | None = None,
        level: Level = "error",
    ) -> Issue:
        """Build an issue located at the YAML ``path``."""
        return Issue(level, code, message, self.file, self.line_of(path), hint)
