"""Fixtures of the storage tests (``tests/folder_fixtures.py``): the golden case's folder,
and a small synthetic province with an empty folder that knows its units."""

from __future__ import annotations

from folder_fixtures import data, export_rows, province, source_rows, store

__all__ = ["data", "export_rows", "province", "source_rows", "store"]
