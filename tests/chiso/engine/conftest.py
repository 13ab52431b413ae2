"""Fixtures of the engine's tests: the golden case's folder (``tests/folder_fixtures.py``)."""

from __future__ import annotations

from folder_fixtures import data

__all__ = ["data"]
