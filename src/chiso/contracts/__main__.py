"""``python -m chiso.contracts FOLDER``: write the contracts' JSON Schemas (``make schema``)."""

from __future__ import annotations

import sys
from pathlib import Path

from chiso.contracts.catalog import write

if __name__ == "__main__":  # pragma: no cover - run by make schema
    for path in write(Path(sys.argv[1] if len(sys.argv) > 1 else "schemas")):
        sys.stdout.write(f"{path}\n")
