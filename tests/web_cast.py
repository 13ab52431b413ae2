"""The web tests' fixed cast (conventions.md §11): alice in A, bob in A's parent, charlie
elsewhere.  Fixtures live in ``tests/chiso_web/conftest.py``."""

from __future__ import annotations

WEB_DOSSIERS = 6000
ALICE_UNIT = "03158"  # UBND xã Sín Thầu
BOB_UNIT = "11"  # UBND tỉnh Điện Biên, parent of every commune since 1/7/2025
CHARLIE_UNIT = "03160"  # UBND xã Mường Nhé
