"""``python -m chiso.cli``: the ``chiso`` command."""

from __future__ import annotations

from chiso.cli import cli

if __name__ == "__main__":  # pragma: no cover  (imported, e.g. by the doctest walk, it waits)
    cli()
