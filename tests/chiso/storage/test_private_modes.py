"""What the CLI creates is private: folders 700, files 600, whatever the shell's umask."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHISO = Path(sys.executable).with_name("chiso")


def _modes(root: Path) -> set[tuple[str, int]]:
    return {
        ("d" if p.is_dir() else "f", p.stat().st_mode & 0o777) for p in [root, *root.rglob("*")]
    }


def test_the_cli_writes_data_and_reports_for_its_own_account_only(tmp_path: Path) -> None:
    data, reports = tmp_path / "data", tmp_path / "bao-cao"
    script = (
        "umask 022"
        f" && {CHISO} generate --out {data} --dossiers 300 --start 2026-09-01 --end 2026-11-01"
        f" && {CHISO} report --data {data} --unit 'UBND tỉnh Điện Biên' --period 2026-10"
        f" --format xlsx --out {reports}"
    )
    done = subprocess.run(["sh", "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert _modes(data) == {("d", 0o700), ("f", 0o600)}
    assert _modes(reports) == {("d", 0o700), ("f", 0o600)}
    assert any(p.suffix == ".xlsx" for p in reports.iterdir())


def test_a_data_part_written_by_the_library_is_private_under_any_umask(tmp_path: Path) -> None:
    from builders import make_dossier
    from chiso.storage.writer import write_rows

    old = os.umask(0o022)
    try:
        write_rows(
            str(tmp_path),
            "dossiers",
            [make_dossier(code="D1", unit="03158", received="2026-10-01T08:00")],
        )
    finally:
        os.umask(old)
    parts = list(tmp_path.rglob("*.parquet"))
    assert parts and all(p.stat().st_mode & 0o777 == 0o600 for p in parts)
