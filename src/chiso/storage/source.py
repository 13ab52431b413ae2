"""Where the canonical tables live: a data folder or a database, told apart once.

``--data``, ``--into``, ``CHISO_DATA`` and the site's data source are all one string:
a folder path, ``duckdb:///path/file.duckdb`` or ``postgresql://user@host:port/db``.
:meth:`DataSource.parse` reads it once; everything after asks the value (its
:attr:`~DataSource.kind`, :attr:`~DataSource.folder`) instead of looking for ``://``
again.  Spark is not a source of its own: it is a backend that reads a data folder
(``--backend pyspark``, :mod:`chiso.storage.backends`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from chiso.errors import UserError
from chiso.i18n import _

if TYPE_CHECKING:
    from chiso.storage.backends import BackendName
    from chiso.storage.store import Store
    from chiso.storage.targets import Target

__all__ = ["DataSource", "SourceKind"]

SourceKind = Literal["folder", "duckdb", "postgresql"]

_SCHEMES: dict[str, SourceKind] = {
    "duckdb": "duckdb",
    "postgresql": "postgresql",
    "postgres": "postgresql",
}


@dataclass(frozen=True)
class DataSource:
    """A data folder or a database URL, as given (``text``) and of which ``kind``."""

    text: str
    kind: SourceKind

    @classmethod
    def parse(cls, given: str | Path | DataSource) -> DataSource:
        """Read a folder path or a database URL; any other URL is refused."""
        if isinstance(given, DataSource):
            return given
        text = str(given)
        scheme, sep, _rest = text.partition("://")
        if not sep:
            return cls(text, "folder")
        kind = _SCHEMES.get(scheme.lower())
        if scheme.lower() == "spark":
            raise UserError(
                _("{text!r} is a Spark master address, not where data is kept").format(text=text),
                hint=_(
                    "Spark reads a data folder: pass that folder with --backend pyspark and "
                    "set CHISO_SPARK_MASTER={master}"
                ).format(master=text),
            )
        if kind is None:
            raise UserError(
                _("{text!r} is not a data folder, duckdb:/// or postgresql://").format(text=text),
                hint=_(
                    "pass the path of a data folder, duckdb:///file.duckdb "
                    "or postgresql://user@host:5432/db"
                ),
            )
        return cls(text, kind)

    def __str__(self) -> str:
        return self.text

    @property
    def is_folder(self) -> bool:
        """Whether the tables are files in a data folder (CSV/Parquet)."""
        return self.kind == "folder"

    @property
    def folder(self) -> Path | None:
        """The data folder, or None for a database."""
        return Path(self.text) if self.kind == "folder" else None

    def open(
        self,
        backend: BackendName = "duckdb",
        *,
        optional: Collection[str] | None = None,
        cubes: bool | None = None,
    ) -> Store:
        """Open the tables for reading on ``backend`` (:mod:`chiso.storage.store`)."""
        from chiso.storage.store import OPTIONAL_TABLES, open_database, open_folder

        tables = OPTIONAL_TABLES if optional is None else optional
        if self.folder is not None:
            return open_folder(self.folder, backend, optional=tables, cubes=cubes)
        return open_database(self.text, backend, optional=tables)

    def target(self) -> Target:
        """The place staged rows are committed to (:func:`chiso.storage.targets.open_target`)."""
        from chiso.storage.targets import open_target

        return open_target(self)
