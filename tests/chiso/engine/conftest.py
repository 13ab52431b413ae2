"""Fixtures of the engine's tests: the golden case's folder (``tests/folder_fixtures.py``)."""

from folder_fixtures import data

__all__ = ["data"]
