"""chiso: real-time service-quality index for Vietnamese government units."""

from __future__ import annotations

__version__ = "0.1.0"
