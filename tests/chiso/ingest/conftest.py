"""Fixtures of the import tests: a small synthetic province and its dossiers as a messy
Vietnamese export (``tests/folder_fixtures.py``)."""

from __future__ import annotations

from folder_fixtures import export_rows, province, source_rows, store

__all__ = ["export_rows", "province", "source_rows", "store"]
