"""National-portal (Cổng DVCQG) group scores: read saved responses, reconcile (docs/portal.md)."""

from __future__ import annotations
