"""A national-portal capture of the web tests' province, imported into a data folder.

Written from chiso's own pooled scores (``chiso.portal.writers``), with one commune's
MDSH lowered by half a point, so the reconciliation page has a gap to show.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from chiso.cli import cli
from chiso.domain.periods import parse_period
from chiso.engine.runner import Level, score
from chiso.portal.groups import GROUPS, portal_index_set
from chiso.portal.writers import write_group, write_summary
from chiso.storage.store import open_folder
from web_cast import ALICE_UNIT

PORTAL_PERIOD = "2026-09"
PORTAL_UNITS = ("11", ALICE_UNIT, "so-tu-phap")


def import_portal_capture(data: Path, files: Path) -> None:
    """Write the capture of ``PORTAL_PERIOD`` into ``files`` and import it into ``data``."""
    period = parse_period(PORTAL_PERIOD)
    store, index_set = open_folder(data), portal_index_set(period)
    ours = score(store, index_set, [period], level=Level("units", PORTAL_UNITS), pooled=True)[0]
    files.mkdir(parents=True, exist_ok=True)
    shifts = {"MDSH": {ALICE_UNIT: -0.5}}
    paths = [write_summary(files, ours)]
    paths += [write_group(files, ours, code, shifts=shifts.get(code)) for code in GROUPS]
    result = CliRunner().invoke(cli, ["import", "portal", *map(str, paths), "--into", str(data)])
    assert result.exit_code == 0, result.output
