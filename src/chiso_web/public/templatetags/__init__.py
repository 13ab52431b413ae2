"""Template tags of the public pages."""

from __future__ import annotations
